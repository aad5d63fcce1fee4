package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packageConstants reads the root package's source and returns the values
// of its exported constants of each named type: the list explain must
// cover grows with the package, not with this test.
func packageConstants(t *testing.T, types ...string) map[string][]string {
	t.Helper()
	want := map[string]bool{}
	for _, ty := range types {
		want[ty] = true
	}
	pkgs, err := parser.ParseDir(token.NewFileSet(), filepath.Join("..", ".."), func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, f := range pkgs["amazonpay"].Files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok || !want[id.Name] {
					continue
				}
				for i, name := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !name.IsExported() || !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					out[id.Name] = append(out[id.Name], v)
				}
			}
		}
	}
	return out
}

func TestExplainCoversEveryConstantOfThePackage(t *testing.T) {
	kinds := map[string]string{"ErrorCode": kindErrorCode, "ReasonCode": kindReasonCode, "ConstraintID": kindConstraint,
		"AuthenticationStatus": kindAuthStatus, "RedirectErrorCode": kindRedirectError}
	consts := packageConstants(t, "ErrorCode", "ReasonCode", "ConstraintID", "AuthenticationStatus", "RedirectErrorCode")
	total := 0
	for ty, kind := range kinds {
		require.NotEmpty(t, consts[ty], "found no %s constants: the parser missed them", ty)
		for _, code := range consts[ty] {
			total++
			list := explanations(code, kind, "en")
			if assert.Len(t, list, 1, "%s %s has no explanation", ty, code) {
				e := list[0]
				assert.NotEmpty(t, e.Meaning, code)
				assert.NotEmpty(t, e.Retry, code)
				assert.NotEmpty(t, e.Action, code)
			}
			r := cli(t, nil, "", "explain", code, "--kind", kind)
			assert.Equal(t, exitOK, r.code, "%s: %s", code, r.stderr)
		}
	}
	// and nothing explained that the package does not know
	assert.Equal(t, total, len(errorCodes)+len(reasonCodes)+len(constraints)+len(authStatuses)+len(redirectErrors))
	t.Logf("explain covers %d codes", total)
}

func TestExplainOutput(t *testing.T) {
	r := cli(t, nil, "", "explain", "CurrencyMismatch")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "CurrencyMismatch (error code)")
	assert.Contains(t, r.stdout, "CurrencyMismatch (constraint)")
	golden(t, "explain-currencymismatch.txt", r.stdout)

	r = cli(t, nil, "", "explain", "Abandoned", "--lang", "de", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, "de"))
	golden(t, "explain-abandoned-de.json", r.stdout)

	r = cli(t, nil, "", "explain", "RequestThrottled")
	assert.Contains(t, r.stdout, "Retry:      yes")
	r = cli(t, nil, "", "explain", "AmazonRejected")
	assert.Contains(t, r.stdout, "Retry:      no")
}

func TestRedirect(t *testing.T) {
	r := cli(t, nil, "", "redirect", failURL+"?AuthenticationStatus=Abandoned", "--lang", "de")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "ChooseAnotherPaymentMethod")
	assert.Contains(t, r.stdout, amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, "de"))
	golden(t, "redirect-abandoned-de.txt", r.stdout)
	r = cli(t, nil, "", "redirect", failURL+"?ErrorCode=InvalidIdStatus", "--json")
	require.Equal(t, exitOK, r.code)
	golden(t, "redirect-error.json", r.stdout)
	// Forged or ambiguous: refused, exit 2, naming the parameter.
	for _, q := range []string{"?AuthenticationStatus=Success&AuthenticationStatus=Failure", "?AuthenticationStatus=%C5%BFuccess", ""} {
		r = cli(t, nil, "", "redirect", okURL+q)
		assert.Equal(t, exitUsage, r.code, q)
		assert.Contains(t, r.stderr, "invalid AuthenticationStatus", q)
	}
}

func TestIPNVerify(t *testing.T) {
	srv := newSandbox(t)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(sink.Close)
	srv.AddNotificationURL(sink.URL)
	authorizedOrder(t, srv, "10.00")
	require.NoError(t, srv.WaitNotifications(ctx))
	var d *deliveryT
	for _, n := range srv.Notifications() {
		if n.NotificationType == "OrderReferenceNotification" {
			d = &deliveryT{n.Body, n.Header}
		}
	}
	require.NotNil(t, d)
	dir := t.TempDir()
	body := filepath.Join(dir, "ipn.json")
	require.NoError(t, os.WriteFile(body, d.body, 0o600))
	// The certificate, saved for offline verification.
	resp, err := srv.NotificationHTTPClient().Get(srv.SigningCertURL())
	require.NoError(t, err)
	pem, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	certFile := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(certFile, pem, 0o600))
	trustSandbox := func(a *app) { a.certRoots = srv.NotificationRoots() }

	r := cliWith(t, srv, trustSandbox, "", "ipn", "verify", body, "--signing-cert", certFile)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Verified: a genuine notification.")
	assert.Contains(t, r.stdout, "OrderReferenceNotification")
	assert.NotContains(t, r.stdout, amazonpayBuyerEmail)
	golden(t, "ipn-verified.txt", r.stdout)

	// From stdin, with the headers as kept, in JSON.
	r = cliWith(t, srv, trustSandbox, string(d.body), "ipn", "verify", "-", "--signing-cert", certFile,
		"--header", "x-amz-sns-message-type: "+d.header.Get("x-amz-sns-message-type"), "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"verified": true`)

	// Tampered: rejected with the reason, exit 1.
	tampered := strings.Replace(string(d.body), "S02-", "S03-", 1)
	require.NotEqual(t, string(d.body), tampered)
	r = cliWith(t, srv, trustSandbox, tampered, "ipn", "verify", "-", "--signing-cert", certFile, "--json")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, `"reason": "Signature"`)
	assert.Contains(t, r.stderr, "amazonpay: notification rejected (Signature)")

	// Not trusting the sandbox's CA: the certificate is refused.
	r = cli(t, srv, "", "ipn", "verify", body, "--signing-cert", certFile)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "notification rejected (Certificate)")

	// Another seller's notification.
	r = cliWith(t, srv, trustSandbox, "", "--seller-id", "A0THER", "ipn", "verify", body, "--signing-cert", certFile)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "notification rejected (Topic)")

	r = cli(t, srv, "", "ipn", "verify", filepath.Join(dir, "missing.json"))
	assert.Equal(t, exitUsage, r.code)
	r = cli(t, srv, "", "ipn", "verify", body, "--roots", certFile+".nope")
	assert.Equal(t, exitUsage, r.code)
}

type deliveryT struct {
	body   []byte
	header http.Header
}
