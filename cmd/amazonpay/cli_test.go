package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExitCodesAndOneLineErrors(t *testing.T) {
	srv := newSandbox(t)
	oro := openOrder(t, srv, "10.00")
	for _, tc := range []struct {
		name   string
		srv    *amazonpaytest.Server
		args   []string
		code   int
		stderr string
	}{
		{"unknown command", srv, []string{"bogus"}, exitUsage, `amazonpay: unknown command "bogus" for "amazonpay"`},
		{"unknown flag", srv, []string{"get", "--nope", oro}, exitUsage, "amazonpay: unknown flag: --nope"},
		{"missing argument", srv, []string{"get"}, exitUsage, "amazonpay get: accepts 1 arg(s), received 0"},
		{"bad id", srv, []string{"get", "S02-123"}, exitUsage, `amazonpay: invalid ID "S02-123": not the shape of an order reference`},
		{"no credentials", nil, []string{"get", oro}, exitUsage, "amazonpay: config: invalid AMAZON_PAY_SELLER_ID: is not set (nor --seller-id)"},
		{"bad region flag", srv, []string{"--region", "mars", "get", oro}, exitUsage, "amazonpay: config: invalid --region: is not one of us, na, uk, de, eu, jp"},
		{"unknown object", srv, []string{"get", "S02-0000000-0000000"}, exitFailed, "amazonpay: GetOrderReferenceDetails: InvalidOrderReferenceId (HTTP 404"},
		{"capture without yes", srv, []string{"capture", oro + "-A000001", "--amount", "1.00"}, exitNotSent, ""},
		{"capture bad amount", srv, []string{"capture", oro + "-A000001", "--amount", "1,00"}, exitUsage, "amazonpay: Capture: invalid CaptureAmount.Amount"},
		{"capture of a capture id", srv, []string{"capture", oro + "-C000001", "--amount", "1.00"}, exitUsage, "is not an authorization id"},
		{"explain unknown", srv, []string{"explain", "NoSuchCode"}, exitUsage, `amazonpay: explain: CODE "NoSuchCode" is not a code`},
		{"live and sandbox", srv, []string{"--live", "--sandbox", "status"}, exitUsage, "--live and --sandbox exclude each other"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, tc.srv, "", tc.args...)
			assert.Equal(t, tc.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			if tc.stderr != "" {
				assert.Contains(t, r.stderr, tc.stderr)
				assert.Equal(t, strings.SplitN(r.stderr, "\n", 2)[0], firstLine(r.stderr))
			}
			assert.NotContains(t, r.stderr+r.stdout, srv.SecretKey())
		})
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func TestSecretNeverPrinted(t *testing.T) {
	srv := newSandbox(t)
	// A wrong secret: MWS refuses the signature; the error names the code,
	// never the key.
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(keyFile, []byte("wrong-secret-XYZ\n"), 0o600))
	r := cli(t, srv, "", "--secret-key-file", keyFile, "get", openOrder(t, srv, "1.00"))
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "SignatureDoesNotMatch")
	assert.NotContains(t, r.stderr+r.stdout, "wrong-secret-XYZ")
	assert.NotContains(t, r.stderr+r.stdout, srv.SecretKey())
}

func TestHelpHasAnExampleForEveryCommand(t *testing.T) {
	a := &app{}
	root := a.rootCommand()
	var missing []string
	var visit func(c *cobraCommand)
	visit = func(c *cobraCommand) {
		if c.Name() != "help" && c.Name() != "completion" && c.Example == "" {
			missing = append(missing, c.CommandPath())
		}
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(root)
	assert.Empty(t, missing, "commands without an example in --help")
	r := cli(t, nil, "", "completion", "bash")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "bash completion V2 for amazonpay")
}

func TestConfigFlagsOverrideEnvironment(t *testing.T) {
	srv := newSandbox(t)
	// The environment names another seller; --seller-id puts the sandbox's back.
	r := cliWith(t, srv, func(a *app) {
		env := sandboxEnv(srv)
		env[amazonpay.EnvSellerID] = "A0THER"
		a.getenv = func(k string) string { return env[k] }
	}, "", "--seller-id", srv.SellerID(), "--json", "status")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"seller_id": "`+srv.SellerID()+`"`)
	assert.Contains(t, r.stdout, `"sandbox": true`)
}
