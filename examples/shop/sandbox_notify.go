package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// sandboxVerifier is the notification verifier of a shop that talks to a
// standalone sandbox (cmd/amazonpaytest) at sandboxURL whose HTTPS proxy
// is proxyURL. The verification is the production one — the signing
// certificate is fetched from its sns.<region>.amazonaws.com URL, over
// TLS, and its chain and signature are checked — except for two trust
// anchors taken from the sandbox at start: the proxy's CA (for the TLS of
// the certificate's URL, which the proxy serves) and the issuer of the
// sandbox's signing certificate (the sandbox's test CA in place of
// Amazon's). Both are read over the loopback from the sandbox the shop
// already trusts with its payments.
func sandboxVerifier(ctx context.Context, sandboxURL, proxyURL, sellerID string) (*amazonpay.NotificationVerifier, error) {
	proxy, err := url.Parse(proxyURL)
	if err != nil || (proxy.Scheme != "http" && proxy.Scheme != "https") || proxy.Host == "" {
		return nil, fmt.Errorf("-sandbox-proxy: not an http(s) URL")
	}
	plain := &http.Client{Timeout: 10 * time.Second}
	base := strings.TrimSuffix(sandboxURL, "/") + amazonpaytest.ControlPath
	caPEM, err := get(ctx, plain, base+"ca.pem")
	if err != nil {
		return nil, fmt.Errorf("the sandbox's proxy CA: %w", err)
	}
	proxyCA := x509.NewCertPool()
	if !proxyCA.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("the sandbox's proxy CA: not a PEM certificate")
	}
	certURL, err := controlString(ctx, plain, base+"signing-cert-url")
	if err != nil {
		return nil, fmt.Errorf("the sandbox's signing certificate URL: %w", err)
	}
	viaProxy := &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: proxyCA}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	chain, err := get(ctx, viaProxy, certURL)
	if err != nil {
		return nil, fmt.Errorf("the sandbox's signing certificate: %w", err)
	}
	// The file holds the leaf and its issuer, as SNS serves it: the issuer
	// is the anchor the chain is verified to.
	var issuer *x509.Certificate
	for rest := chain; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		if c, err := x509.ParseCertificate(block.Bytes); err == nil {
			issuer = c
		}
	}
	if issuer == nil || !issuer.IsCA {
		return nil, errors.New("the sandbox's signing certificate: no issuing CA in the file")
	}
	roots := x509.NewCertPool()
	roots.AddCert(issuer)
	return amazonpay.NewNotificationVerifier(
		amazonpay.WithCertHTTPClient(viaProxy),
		amazonpay.WithCertRoots(roots),
		amazonpay.WithNotificationSellerIDs(sellerID),
	), nil
}

// get fetches rawURL and returns its body (at most 1 MB).
func get(ctx context.Context, hc *http.Client, rawURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	return do(hc, req)
}

// controlString calls a control endpoint of the sandbox without arguments
// that answers a string.
func controlString(ctx context.Context, hc *http.Client, endpoint string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader([]byte("{}")))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	body, err := do(hc, req)
	if err != nil {
		return "", err
	}
	var out struct{ Result string }
	if err := json.Unmarshal(body, &out); err != nil || out.Result == "" {
		return "", errors.New("the sandbox answered no string")
	}
	return out.Result, nil
}

func do(hc *http.Client, req *http.Request) ([]byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s", req.Method, req.URL.Redacted(), resp.Status)
	}
	return body, nil
}
