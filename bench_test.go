package amazonpay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// scaConfirmInput is a ConfirmOrderReference with every SCA field.
func scaConfirmInput() *ConfirmOrderReferenceInput {
	return &ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       "S02-1234567-7654321",
		SuccessURL:                   "https://shop.example/amazon/ok?order=1001",
		FailureURL:                   "https://shop.example/amazon/fail",
		AuthorizationAmount:          &Price{Amount: "10.50", CurrencyCode: "EUR"},
		ExpectImmediateAuthorization: Bool(true),
	}
}

// BenchmarkSignConfirmOrderReference measures the signing step alone: the
// sorted parameters of a ConfirmOrderReference with all SCA fields (and a
// delegated MWSAuthToken) to the signed form body.
func BenchmarkSignConfirmOrderReference(b *testing.B) {
	c, err := NewClient(testConfig(), WithRateLimiter(nil))
	if err != nil {
		b.Fatal(err)
	}
	params, err := c.buildParams("ConfirmOrderReference", scaConfirmInput(), []CallOption{WithMWSAuthToken("amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE")})
	if err != nil {
		b.Fatal(err)
	}
	for i := range params {
		if params[i].key == "Timestamp" {
			params[i].value = FormatTimestamp(testNow)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mac := c.macs.Get().(*signingMAC)
		_ = signedBody(mac, c.host, c.path, params)
		c.macs.Put(mac)
	}
}

// BenchmarkBuildParamsConfirmOrderReference measures validation and
// encoding of the same input (go-querystring plus the MWS rules).
func BenchmarkBuildParamsConfirmOrderReference(b *testing.B) {
	c, err := NewClient(testConfig(), WithRateLimiter(nil))
	if err != nil {
		b.Fatal(err)
	}
	in := scaConfirmInput()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.buildParams("ConfirmOrderReference", in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// stubTransport answers every request with a canned body, reading and
// closing the request like a real transport.
type stubTransport struct{ body []byte }

func (s stubTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, req.Body)
	req.Body.Close()
	return &http.Response{
		StatusCode:    200,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"text/xml"}},
		Body:          io.NopCloser(bytes.NewReader(s.body)),
		ContentLength: int64(len(s.body)),
		Request:       req,
	}, nil
}

func confirmResponseBody(b *testing.B) []byte {
	body, err := readFixture("ConfirmOrderReferenceResponse.xml")
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkConfirmOrderReferenceCall is one whole call through the public
// API with a stub RoundTripper: validate, encode, sign, send, decode.
func BenchmarkConfirmOrderReferenceCall(b *testing.B) {
	benchmarkConfirmCall(b, WithRateLimiter(nil))
}

// BenchmarkConfirmOrderReferenceCallPaced is the same call through the
// default in-process limiter, with a quota so large that it never waits:
// the cost of asking for permission.
func BenchmarkConfirmOrderReferenceCallPaced(b *testing.B) {
	benchmarkConfirmCall(b, WithRateLimiter(NewLocalLimiter(Quotas{Sandbox: true,
		Override: map[string]Quota{"ConfirmOrderReference": {Burst: 1 << 30, Every: time.Nanosecond}}})))
}

func benchmarkConfirmCall(b *testing.B, pacing Option) {
	hc := &http.Client{Transport: stubTransport{confirmResponseBody(b)}}
	c, err := NewClient(testConfig(), WithHTTPClient(hc), WithClock(func() time.Time { return testNow }), pacing)
	if err != nil {
		b.Fatal(err)
	}
	in := scaConfirmInput()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := c.ConfirmOrderReference(ctx, in)
		if err != nil || out.RequestID == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkConfirmOrderReferenceHandWritten is the same request written by
// hand the plain way: url.Values, a fresh HMAC, http.Client, encoding/xml.
func BenchmarkConfirmOrderReferenceHandWritten(b *testing.B) {
	hc := &http.Client{Transport: stubTransport{confirmResponseBody(b)}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := url.Values{}
		v.Set("Action", "ConfirmOrderReference")
		v.Set("AWSAccessKeyId", "AKIATESTACCESSKEY")
		v.Set("SellerId", "A1SELLERTEST")
		v.Set("AmazonOrderReferenceId", "S02-1234567-7654321")
		v.Set("SuccessUrl", "https://shop.example/amazon/ok?order=1001")
		v.Set("FailureUrl", "https://shop.example/amazon/fail")
		v.Set("AuthorizationAmount.Amount", "10.50")
		v.Set("AuthorizationAmount.CurrencyCode", "EUR")
		v.Set("ExpectImmediateAuthorization", "true")
		v.Set("SignatureMethod", "HmacSHA256")
		v.Set("SignatureVersion", "2")
		v.Set("Timestamp", testNow.UTC().Format("2006-01-02T15:04:05Z"))
		v.Set("Version", "2013-01-01")
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+"="+strings.ReplaceAll(url.QueryEscape(v.Get(k)), "+", "%20"))
		}
		toSign := "POST\nmws-eu.amazonservices.com\n/OffAmazonPayments_Sandbox/2013-01-01\n" + strings.Join(parts, "&")
		mac := hmac.New(sha256.New, []byte("test-secret-key"))
		mac.Write([]byte(toSign))
		v.Set("Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, testEndpoint, strings.NewReader(v.Encode()))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var out struct {
			RequestID string `xml:"ResponseMetadata>RequestId"`
		}
		if err := xml.Unmarshal(body, &out); err != nil || out.RequestID == "" {
			b.Fatal(err)
		}
	}
}

// TestAllocationBudgets guards the allocation targets of BENCHMARKS.md
// (counts are exact, unlike times, so they can be tested).
func TestAllocationBudgets(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("allocation counts differ under the race detector")
	}
	c, err := NewClient(testConfig(), WithClock(func() time.Time { return testNow }), WithRateLimiter(nil),
		WithHTTPClient(&http.Client{Transport: stubTransport{mustFixture(t, "ConfirmOrderReferenceResponse.xml")}}))
	if err != nil {
		t.Fatal(err)
	}
	params, err := c.buildParams("ConfirmOrderReference", scaConfirmInput(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range params {
		if params[i].key == "Timestamp" {
			params[i].value = FormatTimestamp(testNow)
		}
	}
	mac := newMAC("test-secret-key")
	if n := testing.AllocsPerRun(100, func() { signedBody(mac, c.host, c.path, params) }); n > 10 {
		t.Errorf("signing allocates %v times, budget 10", n)
	}
	ctx := context.Background()
	in := scaConfirmInput()
	if n := testing.AllocsPerRun(100, func() {
		if _, err := c.ConfirmOrderReference(ctx, in); err != nil {
			t.Fatal(err)
		}
	}); n > 60 {
		t.Errorf("a ConfirmOrderReference call allocates %v times, budget 60 (issue 19.4)", n)
	}
}

func mustFixture(t *testing.T, name string) []byte {
	b, err := readFixture(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
