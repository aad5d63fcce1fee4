package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// amazonPaymentsPackage returns the directory of the npm package
// amazon-payments 0.2.9: AMAZON_PAYMENTS_NODE_MODULES/amazon-payments when
// .ci/run installed it there, or else installed here with npm into a
// temporary directory. Without node and npm the test is skipped, and
// fails under CI=true.
func amazonPaymentsPackage(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing; CI needs Node.js and npm for this test", tool)
			}
			t.Skipf("%s is missing", tool)
		}
	}
	if dir := os.Getenv("AMAZON_PAYMENTS_NODE_MODULES"); dir != "" {
		return filepath.Join(dir, "amazon-payments")
	}
	prefix := t.TempDir()
	out, err := exec.Command("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix, "amazon-payments@0.2.9").CombinedOutput()
	require.NoError(t, err, "npm install amazon-payments@0.2.9:\n%s", out)
	return filepath.Join(prefix, "node_modules", "amazon-payments")
}

// The npm package amazon-payments, a client nobody here wrote, with its
// production configuration and only HTTPS_PROXY and NODE_EXTRA_CA_CERTS
// set, runs an EU checkout with the Confirmation Flow, Authorize, Capture
// and Refund, and a billing agreement (Confirm, Validate,
// AuthorizeOnBillingAgreement), and its own parseSNSResponse accepts the
// sandbox's notifications. The sandbox's record says the same.
func TestNPMClientThroughTheProxy(t *testing.T) {
	pkg := amazonPaymentsPackage(t)
	b := startBinary(t, "--live", "--region", "de", "--seller-id", "A2NODESHOP", "--access-key-id", "AKIANODE", "--secret-key", "node-secret")
	script, err := filepath.Abs("testdata/npmclient.js")
	require.NoError(t, err)
	cmd := exec.Command("node", script)
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "NODE_EXTRA_CA_CERTS":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "HTTPS_PROXY="+b.proxy, "NODE_EXTRA_CA_CERTS="+b.caFile,
		"AMAZON_PAYMENTS="+pkg, "CONTROL="+b.listen, "SELLER_ID=A2NODESHOP", "ACCESS_KEY=AKIANODE", "SECRET_KEY=node-secret",
		"CLIENT_ID=amzn1.application-oa2-client.amazonpaytest")
	out, err := cmd.Output()
	var stderr string
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = string(ee.Stderr)
	}
	require.NoError(t, err, "node: %s\nsandbox log:\n%s", stderr, b.stderr)

	var res struct {
		OrderReference, Authorization, Capture, Refund, RefundState string
		BillingAgreement, BAAuthorization, BAOrderReference         string
		Notifications                                               []string
	}
	require.NoError(t, json.Unmarshal(out, &res), string(out))
	assert.Equal(t, "Pending", res.RefundState)

	state := func(id string) string { return result(t, b.listen, "state", `{"id": "`+id+`"}`).(string) }
	assert.Equal(t, "Open", state(res.OrderReference))
	assert.Equal(t, "Closed", state(res.Authorization))
	assert.Equal(t, "Completed", state(res.Capture))
	assert.Equal(t, "Completed", state(res.Refund), "after the script's advance of 1m")
	assert.Equal(t, "Open", state(res.BillingAgreement))
	assert.Equal(t, "Closed", state(res.BAAuthorization))
	assert.Equal(t, "Closed", state(res.BAOrderReference))
	assert.Equal(t, map[string]any{"Authorizations": 2.0, "Captures": 2.0, "Refunds": 1.0}, result(t, b.listen, "money-movements", ``))
	order := result(t, b.listen, "object", `{"id": "`+res.OrderReference+`"}`).(map[string]any)
	assert.Equal(t, "Success", order["Authentication"], "the buyer passed the Confirmation Flow")
	assert.Equal(t, "42.50", order["Amount"])

	// Every kind the run made, a capture Completed at once included (a
	// notification of each object's first state).
	for _, typ := range []string{"OrderReferenceNotification", "PaymentAuthorize", "PaymentCapture", "PaymentRefund", "BillingAgreementNotification"} {
		assert.Contains(t, res.Notifications, typ)
	}
	deliveries := result(t, b.listen, "notifications", ``).([]any)
	assert.Len(t, res.Notifications, len(deliveries), "every delivery verified by the package")
	for _, tool := range []string{"Authorize", "Capture", "Refund", "ConfirmBillingAgreement", "ValidateBillingAgreement", "AuthorizeOnBillingAgreement"} {
		assert.Contains(t, b.stderr.String(), "action="+tool+" status=200", tool)
	}
}
