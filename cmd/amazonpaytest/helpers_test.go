package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

// sandbox is a run of the program in-process.
type sandbox struct {
	listen string // http://127.0.0.1:port of --listen
	proxy  string // http://127.0.0.1:port of --proxy
	https  string // https://127.0.0.1:port of --listen-tls, if given
	caFile string
	spki   string // the CA's SPKI hash, as printed
	stderr *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the program's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSandbox runs the program with --listen and --proxy on free loopback
// ports, the CA written to a temporary file, and more args; it is stopped
// (as by SIGTERM) when the test ends, and must then return nil.
func startSandbox(t *testing.T, args ...string) *sandbox {
	t.Helper()
	sb := &sandbox{caFile: filepath.Join(t.TempDir(), "ca.pem"), stderr: &syncBuffer{}}
	args = append([]string{"--listen", "127.0.0.1:0", "--proxy", "127.0.0.1:0", "--ca-out", sb.caFile}, args...)
	runCtx, stop := context.WithCancel(ctx)
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(runCtx, args, outW, sb.stderr)
		outW.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(outR)
	for sb.listen == "" || sb.proxy == "" {
		if !sc.Scan() {
			stop()
			t.Fatalf("the program ended before it listened: %v\n%s", <-done, sb.stderr)
		}
		line := sc.Text()
		if a, ok := strings.CutPrefix(line, "amazonpaytest: listening on "); ok {
			if strings.HasPrefix(a, "https://") {
				sb.https = a
			} else {
				sb.listen = a
			}
		}
		if a, ok := strings.CutPrefix(line, "amazonpaytest: proxy on "); ok {
			sb.proxy = a
			if sc.Scan() {
				sb.spki, _, _ = strings.Cut(strings.TrimPrefix(sc.Text(), "amazonpaytest: proxy CA SPKI "), " ")
			}
		}
	}
	go io.Copy(io.Discard, outR)
	t.Cleanup(func() {
		stop()
		require.NoError(t, <-done)
	})
	return sb
}

// roots is a pool with the CA the program wrote to --ca-out.
func (sb *sandbox) roots(t *testing.T) *x509.CertPool {
	t.Helper()
	pemBytes, err := os.ReadFile(sb.caFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pemBytes))
	return pool
}

// proxied is an *http.Client that knows nothing of the sandbox but the
// proxy's address and the CA, as a shop's production client with
// HTTPS_PROXY and the CA trusted.
func (sb *sandbox) proxied(t *testing.T) *http.Client {
	t.Helper()
	pu, err := url.Parse(sb.proxy)
	require.NoError(t, err)
	tr := &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{RootCAs: sb.roots(t)}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// control calls a control endpoint on base and returns the status and the
// decoded answer.
func control(t *testing.T, base, endpoint, args string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(base+"/_sandbox/v1/"+endpoint, "application/json", strings.NewReader(args))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// result is control for a call that must succeed.
func result(t *testing.T, base, endpoint, args string) any {
	t.Helper()
	status, out := control(t, base, endpoint, args)
	require.Equal(t, http.StatusOK, status, "%s %s: %v", endpoint, args, out)
	return out["result"]
}

// signedServiceStatus is the form of a GetServiceStatus call to the
// sandbox section at host, signed with the default credentials.
func signedServiceStatus(host string) string {
	v := url.Values{
		"Action":           {"GetServiceStatus"},
		"AWSAccessKeyId":   {amazonpaytest.DefaultAccessKeyID},
		"SellerId":         {amazonpaytest.DefaultSellerID},
		"SignatureMethod":  {"HmacSHA256"},
		"SignatureVersion": {"2"},
		"Timestamp":        {amazonpay.FormatTimestamp(time.Now())},
		"Version":          {amazonpay.APIVersion},
	}
	v.Set("Signature", amazonpay.Sign(amazonpaytest.DefaultSecretKey, host, "/OffAmazonPayments_Sandbox/2013-01-01", v))
	return v.Encode()
}
