package main

// README's Go recipe for the standalone sandbox, verbatim (the root's
// TestReadmeGoSnippetsAreCompiled finds it here), run against the program.

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sandboxClient points cfg at the standalone sandbox's --listen address.
func sandboxClient(cfg amazonpay.Config, listenURL string) (*amazonpay.Client, error) {
	return amazonpay.NewClient(cfg, amazonpay.WithEndpoint(listenURL), amazonpay.WithProfileEndpoint(listenURL))
}

// proxiedClient leaves cfg's endpoints as they are and sends the requests
// through the sandbox's --proxy, trusting the CA it wrote to --ca-out.
func proxiedClient(cfg amazonpay.Config, proxyURL, caFile string) (*amazonpay.Client, error) {
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	proxy, err := url.Parse(proxyURL)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxy),
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}
	return amazonpay.NewClient(cfg, amazonpay.WithHTTPClient(hc))
}

// Both of README's clients, with the sandbox's default credentials, set an
// order reference's total and read the buyer's profile; the sandbox
// records both, and a CA file without a certificate is refused by name.
func TestReadmeStandaloneRecipes(t *testing.T) {
	sb := startSandbox(t)
	cfg := amazonpay.Config{SellerID: amazonpaytest.DefaultSellerID, AccessKeyID: amazonpaytest.DefaultAccessKeyID,
		SecretKey: amazonpaytest.DefaultSecretKey, ClientID: amazonpaytest.DefaultClientID, Region: amazonpay.RegionDE, Sandbox: true}
	direct, err := sandboxClient(cfg, sb.listen)
	require.NoError(t, err)
	proxied, err := proxiedClient(cfg, sb.proxy, sb.caFile)
	require.NoError(t, err)
	for name, c := range map[string]*amazonpay.Client{"WithEndpoint": direct, "proxy": proxied} {
		id := result(t, sb.listen, "create-order-reference", `{}`).(string)
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "7.50", CurrencyCode: "EUR"}}})
		require.NoError(t, err, name)
		assert.Equal(t, "7.50", result(t, sb.listen, "object", `{"id": "`+id+`"}`).(map[string]any)["Amount"], name)
		user, err := c.GetUserInfo(ctx, result(t, sb.listen, "access-token", `{"id": "`+id+`"}`).(string))
		require.NoError(t, err, name)
		assert.Equal(t, "buyer@example.com", user.Email, name)
	}
	assert.Regexp(t, `hosts?=mws-eu\.amazonservices\.com .*action=SetOrderReferenceDetails status=200`, sb.stderr.String(), "the proxied call")

	empty := t.TempDir() + "/empty.pem"
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	_, err = proxiedClient(cfg, sb.proxy, empty)
	assert.EqualError(t, err, empty+" holds no PEM certificate")
}
