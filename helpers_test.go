package amazonpay

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/requests")

// testNow is the fixed clock of the golden request bodies.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// testConfig is an EU sandbox merchant.
func testConfig() Config {
	return Config{
		SellerID:    "A1SELLERTEST",
		AccessKeyID: "AKIATESTACCESSKEY",
		SecretKey:   "test-secret-key",
		Region:      RegionDE,
		Sandbox:     true,
	}
}

// testEndpoint is where the test client posts.
const testEndpoint = "https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01"

// newTestClient returns a client with a fixed clock, no retry waits, no
// client-side pacing, and a private httpmock transport, so tests can run
// in parallel.
func newTestClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	return newTestClientConfig(t, testConfig(), opts...)
}

// newTestClientConfig is newTestClient for another Config.
func newTestClientConfig(t *testing.T, cfg Config, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithClock(func() time.Time { return testNow }),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
		WithRateLimiter(nil),
	}
	c, err := NewClient(cfg, append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// recorded holds the requests a responder saw.
type recorded struct {
	mu       sync.Mutex
	bodies   []string
	requests []*http.Request
}

func (r *recorded) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func (r *recorded) body(i int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[i]
}

func (r *recorded) form(t *testing.T, i int) url.Values {
	t.Helper()
	v, err := url.ParseQuery(r.body(i))
	require.NoError(t, err)
	return v
}

// record wraps responder so that each request body is kept.
func record(responder httpmock.Responder) (*recorded, httpmock.Responder) {
	rec := &recorded{}
	return rec, func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		rec.mu.Lock()
		rec.bodies = append(rec.bodies, string(b))
		rec.requests = append(rec.requests, req)
		rec.mu.Unlock()
		return responder(req)
	}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "responses", name))
	require.NoError(t, err)
	return b
}

// respond registers a POST on the test endpoint that answers status with
// the named fixture, and returns the record of requests.
func respond(t *testing.T, mt *httpmock.MockTransport, status int, name string) *recorded {
	t.Helper()
	rec, r := record(httpmock.NewBytesResponder(status, fixture(t, name)))
	mt.RegisterResponder(http.MethodPost, testEndpoint, r)
	return rec
}

// respondSeq answers each request with the next responder, repeating the last.
func respondSeq(mt *httpmock.MockTransport, responders ...httpmock.Responder) *recorded {
	var mu sync.Mutex
	n := 0
	rec, r := record(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		i := min(n, len(responders)-1)
		n++
		mu.Unlock()
		return responders[i](req)
	})
	mt.RegisterResponder(http.MethodPost, testEndpoint, r)
	return rec
}

// assertGolden compares got with testdata/requests/name, or rewrites the
// file with -update.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "requests", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing; run go test -run %s -update", t.Name())
	assert.Equal(t, string(want), got+"\n", "request body differs from %s", path)
}

// assertSigned checks form's Signature against an independent signing of
// its other parameters, and the common parameters of every request.
func assertSigned(t *testing.T, action string, form url.Values) {
	t.Helper()
	assert.Equal(t, action, form.Get("Action"))
	assert.Equal(t, "AKIATESTACCESSKEY", form.Get("AWSAccessKeyId"))
	assert.Equal(t, "HmacSHA256", form.Get("SignatureMethod"))
	assert.Equal(t, "2", form.Get("SignatureVersion"))
	assert.Equal(t, "2013-01-01", form.Get("Version"))
	assert.Equal(t, "2026-11-22T10:00:00Z", form.Get("Timestamp"))
	want := Sign("test-secret-key", "mws-eu.amazonservices.com", "/OffAmazonPayments_Sandbox/2013-01-01", form)
	assert.Equal(t, want, form.Get("Signature"), "signature")
}

func fixtureResponder(t *testing.T, status int, name string) httpmock.Responder {
	return httpmock.NewBytesResponder(status, fixture(t, name))
}

// formKeys returns the parameter names of a body in their order.
func formKeys(body string) []string {
	var keys []string
	for _, kv := range strings.Split(body, "&") {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	return keys
}

func readFixture(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "responses", name))
}

// assertRequest checks the first request rec saw against the golden file
// action.txt and an independent signing, and returns its form.
func assertRequest(t *testing.T, rec *recorded, action string) url.Values {
	t.Helper()
	assertGolden(t, action+".txt", rec.body(0))
	form := rec.form(t, 0)
	assertSigned(t, action, form)
	return form
}

// opValidationCase is a call that must fail with a *ValidationError naming
// field, with a reason containing reason, before any request is sent.
type opValidationCase struct {
	name, field, reason string
	call                func(ctx context.Context, c *Client) error
}

func runOpValidationCases(t *testing.T, cases []opValidationCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newTestClient(t)
			rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
			err := tc.call(context.Background(), c)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %T %v", err, err)
			assert.Equal(t, tc.field, ve.Field, ve.Error())
			assert.Contains(t, ve.Reason, tc.reason)
			assert.Equal(t, 0, rec.count(), "nothing may be sent")
		})
	}
}

// requireAPIError asserts that err is an *APIError with the given status
// and code after exactly one attempt, and returns it.
func requireAPIError(t *testing.T, err error, rec *recorded, status int, code ErrorCode) *APIError {
	t.Helper()
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "want *APIError, got %T %v", err, err)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, code, apiErr.Code)
	assert.Equal(t, "Sender", apiErr.Type)
	assert.True(t, errors.Is(err, code))
	assert.False(t, apiErr.Temporary())
	assert.Equal(t, 1, rec.count(), "a client error is not retried")
	return apiErr
}

// withCommonKeys returns the parameter names of a request with the
// operation's own parameters own, in the sorted order of a request body.
func withCommonKeys(own ...string) []string {
	keys := append([]string{"AWSAccessKeyId", "Action", "SellerId", "Signature", "SignatureMethod",
		"SignatureVersion", "Timestamp", "Version"}, own...)
	slices.Sort(keys)
	return keys
}
