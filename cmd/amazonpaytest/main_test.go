package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Go client configured for production endpoints (no WithEndpoint, no
// WithProfileEndpoint), with only the proxy and the CA, runs a checkout
// against the sandbox section (Sandbox: true) and against the production
// section (Sandbox: false with --live), in two regions.
func TestProxyServesAGoClientWithItsProductionConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name   string
		region amazonpay.Region
		live   bool
	}{
		{"sandbox section, mws-eu", amazonpay.RegionDE, false},
		{"production section, mws.amazonservices.com", amazonpay.RegionUS, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--region", string(tc.region), "--seller-id", "A2SHOP", "--access-key-id", "AKIASHOP", "--secret-key", "s3cr3t-shop-key"}
			if tc.live {
				args = append(args, "--live")
			}
			sb := startSandbox(t, args...)
			c, err := amazonpay.NewClient(amazonpay.Config{SellerID: "A2SHOP", AccessKeyID: "AKIASHOP", SecretKey: "s3cr3t-shop-key",
				ClientID: amazonpaytest.DefaultClientID, Region: tc.region, Sandbox: !tc.live}, amazonpay.WithHTTPClient(sb.proxied(t)))
			require.NoError(t, err)
			currency := tc.region.DefaultCurrency()
			total := &amazonpay.Price{Amount: "30.00", CurrencyCode: currency}

			id := result(t, sb.listen, "create-order-reference", `{}`).(string)
			_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
				OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: total}})
			require.NoError(t, err)
			_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
				SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
			require.NoError(t, err)
			back := result(t, sb.listen, "run-confirmation-flow", `{"sellerID": "A2SHOP", "id": "`+id+`"}`)
			assert.Equal(t, "https://shop.example/ok?AuthenticationStatus=Success", back)
			auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "a-1",
				AuthorizationAmount: total, TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true)})
			require.NoError(t, err)
			require.Len(t, auth.AuthorizationDetails.IDList.Member, 1)

			tok := result(t, sb.listen, "access-token", `{"id": "`+id+`"}`).(string)
			user, err := c.GetUserInfo(ctx, tok)
			require.NoError(t, err, "Login with Amazon through the proxy")
			assert.Equal(t, "buyer@example.com", user.Email)

			// The sandbox's own record, through the control API.
			capture := result(t, sb.listen, "object", `{"id": "`+auth.AuthorizationDetails.IDList.Member[0]+`"}`).(map[string]any)
			assert.Equal(t, "Completed", capture["State"])
			assert.Equal(t, "30.00", capture["Amount"])
			assert.Equal(t, currency, capture["CurrencyCode"])
			assert.Equal(t, map[string]any{"Authorizations": 1.0, "Captures": 1.0, "Refunds": 0.0}, result(t, sb.listen, "money-movements", ``))
			path := "/OffAmazonPayments_Sandbox/2013-01-01"
			if tc.live {
				path = "/OffAmazonPayments/2013-01-01"
			}
			assert.Equal(t, path, result(t, sb.listen, "path", ``))

			// One line per request on stderr, with no secret and no buyer data.
			log := sb.stderr.String()
			assert.Regexp(t, `host=`+strings.ReplaceAll(tc.region.Host(), ".", `\.`)+` method=POST action=Authorize status=200 request_id=[0-9a-f-]{36}`, log)
			assert.Contains(t, log, "action=/user/profile status=200")
			for _, secret := range []string{"s3cr3t-shop-key", "Signature", tok, "buyer@example.com", "Test Buyer", "Teststr"} {
				assert.NotContains(t, log, secret)
			}
		})
	}
}

// The widgets' script hosts answer Amazon's real Widgets.js URLs with the
// fake one, the SNS hosts the IPN signing certificate, and the proxy's own
// address the control API and the CA.
func TestProxyServesWidgetsCertificatesAndItself(t *testing.T) {
	sb := startSandbox(t)
	hc := sb.proxied(t)
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := hc.Get(u)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	for _, u := range []string{
		"https://static-eu.payments-amazon.com/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js",
		"https://static-eu.payments-amazon.com/OffAmazonPayments/gbp/sandbox/lpa/js/Widgets.js",
		"https://static-na.payments-amazon.com/OffAmazonPayments/us/sandbox/js/Widgets.js",
		"https://static-fe.payments-amazon.com/OffAmazonPayments/jp/sandbox/lpa/js/Widgets.js",
	} {
		status, body := get(u)
		assert.Equal(t, http.StatusOK, status, u)
		assert.Contains(t, body, "initConfirmationFlow", u)
	}

	certURL := result(t, sb.listen, "signing-cert-url", ``).(string)
	require.Regexp(t, `^https://sns\.eu-west-1\.amazonaws\.com/SimpleNotificationService-[0-9a-f]{32}\.pem$`, certURL)
	status, body := get(certURL)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 2, strings.Count(body, "-----BEGIN CERTIFICATE-----"), "the leaf and the intermediate, as SNS serves them")
	status, _ = get("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem")
	assert.Equal(t, http.StatusNotFound, status)

	// The proxy's own paths, as on --listen.
	resp, err := http.Get(sb.proxy + "/_sandbox/v1/ca.pem")
	require.NoError(t, err)
	caPEM, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	file, err := os.ReadFile(sb.caFile)
	require.NoError(t, err)
	assert.Equal(t, file, caPEM)
	assert.Equal(t, "A1SANDBOXSELLER", result(t, sb.proxy, "seller-id", ``))

	// A plain-HTTP proxy request for one of Amazon's hosts.
	pu, _ := url.Parse(sb.proxy)
	plain := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	resp, err = plain.Get("http://api.amazon.de/user/profile")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "Login with Amazon without a token")
}

// Any other host is refused with 403, never tunnelled, and so are Amazon's
// hosts on another port than 443.
func TestProxyRefusesOtherHosts(t *testing.T) {
	sb := startSandbox(t)
	addr := strings.TrimPrefix(sb.proxy, "http://")
	for _, target := range []string{"example.com:443", "mws-eu.amazonservices.com:8443", "127.0.0.1:22", "amazonservices.com.evil.example:443", "sns.eu-west-1.amazonaws.com.evil.example:443"} {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		_, err = io.WriteString(conn, "CONNECT "+target+" HTTP/1.1\r\nHost: "+target+"\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: http.MethodConnect})
		require.NoError(t, err, target)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, target)
		conn.Close()
	}
	_, err := sb.proxied(t).Get("https://example.com/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Forbidden")

	pu, _ := url.Parse(sb.proxy)
	plain := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	resp, err := plain.Get("http://example.com/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Contains(t, sb.stderr.String(), "msg=refused host=example.com:443 status=403")
}

// --help documents every flag; --version prints the version; a bad flag
// is an error.
func TestHelpVersionAndBadFlags(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"--help"}, &out, io.Discard))
	for _, f := range []string{"listen", "proxy", "ca-out", "seller-id", "access-key-id", "secret-key", "client-id", "region", "live",
		"throttling", "quota", "start-time", "frozen-clock", "timestamp-window-wall", "processing-delay", "authorization-lifetime",
		"immediate-authorization-window", "allow-listed", "seed", "delegated-seller", "notify", "notify-signature-version", "keep",
		"log-format", "version"} {
		assert.Regexp(t, `(?m)^  -`+f+`\b`, out.String())
	}
	out.Reset()
	require.NoError(t, run(ctx, []string{"--version"}, &out, io.Discard))
	assert.Regexp(t, `^amazonpaytest \S+\n$`, out.String())

	for args, msg := range map[string]string{
		"--region xx":                  "unknown region",
		"--throttling fast":            "want off, sandbox or live",
		"--quota Authorize=0/1s":       "BURST must be",
		"--processing-delay soon":      "invalid value",
		"--listen= --proxy=":           "nothing to serve",
		"--listen 127.0.0.1:bad":       "--listen",
		"--delegated-seller A2":        "want SELLER=MWSAUTHTOKEN",
		"--keep -1":                    "--keep",
		"--start-time yesterday":       "invalid value",
		"--notify-signature-version 3": "want 1 or 2",
	} {
		err := run(ctx, strings.Fields(args), io.Discard, io.Discard)
		if assert.Error(t, err, args) {
			assert.Contains(t, err.Error(), msg, args)
		}
	}
}

// The flags reach the sandbox: seller, region, section, clock.
func TestFlagsConfigureTheSandbox(t *testing.T) {
	sb := startSandbox(t, "--seller-id", "A3JP", "--region", "jp", "--live", "--frozen-clock", "--start-time", "2026-05-01T09:00:00Z",
		"--seed", "7", "--delegated-seller", "A4OTHER=amzn.mws.token")
	assert.Equal(t, "A3JP", result(t, sb.listen, "seller-id", ``))
	assert.Equal(t, "jp", result(t, sb.listen, "region", ``))
	assert.Equal(t, false, result(t, sb.listen, "sandbox", ``))
	assert.Equal(t, "2026-05-01T09:00:00Z", result(t, sb.listen, "now", ``))
	result(t, sb.listen, "advance", `{"d": "36h"}`)
	assert.Equal(t, "2026-05-02T21:00:00Z", result(t, sb.listen, "now", ``))
	id := result(t, sb.listen, "create-order-reference-for", `{"sellerID": "A4OTHER"}`).(string)
	assert.Regexp(t, `^P03-\d{7}-\d{7}$`, id)
	assert.Equal(t, "A4OTHER", result(t, sb.listen, "object", `{"id": "`+id+`"}`).(map[string]any)["SellerID"])
}

// With --timestamp-window-wall a client stamping real time keeps working
// after the clock is moved; without it the sandbox refuses the stamp.
func TestTimestampWindowWallFlag(t *testing.T) {
	for _, wall := range []bool{false, true} {
		var args []string
		if wall {
			args = append(args, "--timestamp-window-wall")
		}
		sb := startSandbox(t, args...)
		c, err := amazonpay.NewClient(amazonpay.Config{SellerID: amazonpaytest.DefaultSellerID, AccessKeyID: amazonpaytest.DefaultAccessKeyID,
			SecretKey: amazonpaytest.DefaultSecretKey, Region: amazonpay.RegionDE, Sandbox: true},
			amazonpay.WithHTTPClient(sb.proxied(t)), amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 0}))
		require.NoError(t, err)
		result(t, sb.listen, "advance", `{"d": "20m"}`)
		_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
		if wall {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, "must be within 15 minutes")
		}
	}
}

// --keep bounds the request log the sandbox keeps to the last N calls.
func TestKeepFlagBoundsTheRequestLog(t *testing.T) {
	sb := startSandbox(t, "--keep", "2")
	c, err := amazonpay.NewClient(amazonpay.Config{SellerID: amazonpaytest.DefaultSellerID, AccessKeyID: amazonpaytest.DefaultAccessKeyID,
		SecretKey: amazonpaytest.DefaultSecretKey, Region: amazonpay.RegionDE, Sandbox: true}, amazonpay.WithHTTPClient(sb.proxied(t)))
	require.NoError(t, err)
	var ids []string
	for range 3 {
		out, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
		require.NoError(t, err)
		ids = append(ids, out.ResponseMetadata.RequestID)
	}
	logged := result(t, sb.listen, "requests", ``).([]any)
	require.Len(t, logged, 2)
	assert.Equal(t, ids[1], logged[0].(map[string]any)["RequestID"])
	assert.Equal(t, ids[2], logged[1].(map[string]any)["RequestID"])
}

// With --proxy the program prints the base64 SHA-256 of the CA's public
// key, what Chromium's --ignore-certificate-errors-spki-list takes, and it
// is the key of the certificate written to --ca-out.
func TestProxyPrintsTheCASPKIHash(t *testing.T) {
	sb := startSandbox(t)
	pemBytes, err := os.ReadFile(sb.caFile)
	require.NoError(t, err)
	block, _ := pem.Decode(pemBytes)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	assert.Equal(t, base64.StdEncoding.EncodeToString(sum[:]), sb.spki)
}

// --listen-tls serves the sandbox over HTTPS with a certificate of the
// proxy's CA, for the address or the name the client dials: what a client
// that takes only an https endpoint (the PHP SDK's override_service_url,
// with cabundle_file) needs. A client trusting only that CA signs for
// host:port and is served; one trusting the system roots is refused.
func TestListenTLSServesTheSandboxWithTheCA(t *testing.T) {
	sb := startSandbox(t, "--listen-tls", "127.0.0.1:0")
	require.NotEmpty(t, sb.https)
	port := strings.TrimPrefix(sb.https, "https://127.0.0.1:")
	for _, endpoint := range []string{sb.https, "https://localhost:" + port} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: sb.roots(t)}}
		t.Cleanup(tr.CloseIdleConnections)
		c, err := amazonpay.NewClient(amazonpay.Config{SellerID: amazonpaytest.DefaultSellerID, AccessKeyID: amazonpaytest.DefaultAccessKeyID,
			SecretKey: amazonpaytest.DefaultSecretKey, Region: amazonpay.RegionDE, Sandbox: true},
			amazonpay.WithEndpoint(endpoint), amazonpay.WithHTTPClient(&http.Client{Transport: tr}))
		require.NoError(t, err)
		id := result(t, sb.listen, "create-order-reference", `{}`).(string)
		_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "12.00", CurrencyCode: "EUR"}}})
		require.NoError(t, err, endpoint)
		assert.Equal(t, "12.00", result(t, sb.listen, "object", `{"id": "`+id+`"}`).(map[string]any)["Amount"])
		// The control API is there too.
		resp, err := (&http.Client{Transport: tr}).Post(endpoint+"/_sandbox/v1/state", "application/json", strings.NewReader(`{"id": "`+id+`"}`))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Contains(t, string(body), `"result": "Draft"`)
	}
	_, err := http.Get(sb.https + "/_sandbox/v1/")
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknown, "the CA is the sandbox's own, in no system pool")
}
