package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func confirmInput() *ConfirmOrderReferenceInput {
	return &ConfirmOrderReferenceInput{AmazonOrderReferenceID: "S02-1234567-7654321"}
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	for field, mutate := range map[string]func(*Config){
		"SellerID":     func(c *Config) { c.SellerID = " " },
		"AccessKeyID":  func(c *Config) { c.AccessKeyID = "" },
		"SecretKey":    func(c *Config) { c.SecretKey = "" },
		"Region":       func(c *Config) { c.Region = "fr" },
		"CurrencyCode": func(c *Config) { c.CurrencyCode = "XYZ" },
	} {
		cfg := testConfig()
		mutate(&cfg)
		c, err := NewClient(cfg)
		assert.Nil(t, c, field)
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), field)
		assert.Equal(t, field, ve.Field)
		assert.Equal(t, "NewClient", ve.Operation)
		assert.NotContains(t, err.Error(), "test-secret-key")
	}
	cfg := testConfig()
	cfg.Region = ""
	_, err := NewClient(cfg)
	assert.ErrorContains(t, err, `invalid Region: "" is not one of us, na, uk, de, eu, jp`)
}

func TestNewClientRejectsBadOptions(t *testing.T) {
	for name, opt := range map[string]Option{
		"nil http client": WithHTTPClient(nil),
		"relative URL":    WithEndpoint("/just/a/path"),
		"ftp URL":         WithEndpoint("ftp://example.com"),
		"nil clock":       WithClock(nil),
		"negative retry":  WithRetryPolicy(RetryPolicy{MaxRetries: -1}),
		"zero body cap":   WithMaxResponseBytes(0),
	} {
		_, err := NewClient(testConfig(), opt)
		assert.Error(t, err, name)
	}
}

func TestRegions(t *testing.T) {
	for _, tc := range []struct {
		key      string
		region   Region
		host     string
		currency string
		domain   string
		sca      bool
	}{
		{"us", RegionUS, "mws.amazonservices.com", "USD", "NA_USD", false},
		{"NA", RegionNA, "mws.amazonservices.com", "USD", "NA_USD", false},
		{" Uk ", RegionUK, "mws-eu.amazonservices.com", "GBP", "EU_GBP", true},
		{"de", RegionDE, "mws-eu.amazonservices.com", "EUR", "EU_EUR", true},
		{"EU", RegionEU, "mws-eu.amazonservices.com", "EUR", "EU_EUR", true},
		{"jp", RegionJP, "mws.amazonservices.jp", "JPY", "FE_JPY", false},
	} {
		r, err := ParseRegion(tc.key)
		require.NoError(t, err, tc.key)
		assert.Equal(t, tc.region, r)
		assert.Equal(t, tc.host, r.Host())
		assert.Equal(t, tc.currency, r.DefaultCurrency())
		assert.Equal(t, tc.domain, r.PaymentDomain())
		assert.Equal(t, tc.sca, r.SCARequired())
		assert.Equal(t, "https://"+tc.host+"/OffAmazonPayments_Sandbox/2013-01-01", r.Endpoint(true))
		assert.Equal(t, "https://"+tc.host+"/OffAmazonPayments/2013-01-01", r.Endpoint(false))
	}
	for _, bad := range []string{"", "fr", "gb", "us-east"} {
		_, err := ParseRegion(bad)
		assert.Error(t, err, bad)
	}
}

func TestLiveEndpoint(t *testing.T) {
	cfg := testConfig()
	cfg.Sandbox = false
	cfg.Region = RegionJP
	c, err := NewClient(cfg)
	require.NoError(t, err)
	assert.Equal(t, "https://mws.amazonservices.jp/OffAmazonPayments/2013-01-01", c.Endpoint())
	assert.Equal(t, "JPY", c.Config().CurrencyCode)
	assert.NotSame(t, http.DefaultClient, c.hc, "never http.DefaultClient")
	assert.NotZero(t, c.hc.Timeout)
}

// The default client does not follow a redirect: the signed POST is not
// sent elsewhere as a GET, and the 3xx is an error, not a success.
func TestDefaultClientDoesNotFollowRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	c, err := NewClient(testConfig(), WithEndpoint(srv.URL), WithRetryPolicy(RetryPolicy{}))
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(context.Background(), confirmInput())
	var ue *UnexpectedResponseError
	require.True(t, errors.As(err, &ue), "%v", err)
	assert.Equal(t, http.StatusFound, ue.StatusCode)
	assert.Equal(t, int32(1), hits.Load())
}

func TestSecretNeverPrinted(t *testing.T) {
	cfg := testConfig()
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(format, cfg)
		assert.NotContains(t, out, "test-secret-key", format)
		assert.NotContains(t, out, fmt.Sprintf("%x", "test-secret-key"), format)
	}
	assert.Contains(t, fmt.Sprintf("%+v", cfg), "SecretKey:REDACTED")
	assert.Contains(t, fmt.Sprintf("%#v", cfg), "amazonpay.Config{")
	assert.NotContains(t, fmt.Sprintf("%+v", struct{ C Config }{cfg}), "test-secret-key", "nested")
	assert.NotContains(t, fmt.Sprintf("%+v", &cfg), "test-secret-key", "pointer")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "config", cfg)
	assert.NotContains(t, buf.String(), "test-secret-key")
	assert.Contains(t, Config{}.String(), "SecretKey: ")
}

func TestUserAgentWithAppInfo(t *testing.T) {
	c, mt := newTestClient(t, WithAppInfo("My Shop/EU (beta)", "2.1"))
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	ua := rec.requests[0].Header.Get("User-Agent")
	assert.Regexp(t, `^amazon-pay-sdk-go/0\.1\.0 \(My-Shop-EU-beta/2\.1; Go/go[0-9.a-z]+; [a-z0-9]+/[a-z0-9]+\)$`, ua)
	assert.Equal(t, ua, c.UserAgent())
}

// The signed host is the endpoint's host[:port], as the server sees it in
// the Host header, and a bare URL gets the sandbox section path.
func TestWithEndpointSignsHostAndPort(t *testing.T) {
	var verified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		if r.URL.Path == "/OffAmazonPayments_Sandbox/2013-01-01" &&
			Sign("test-secret-key", r.Host, r.URL.Path, r.PostForm) == r.PostForm.Get("Signature") {
			verified.Add(1)
		}
		w.Write(fixture(t, "ConfirmOrderReferenceResponse.xml"))
	}))
	defer srv.Close()
	c, err := NewClient(testConfig(), WithEndpoint(srv.URL+"/"), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/OffAmazonPayments_Sandbox/2013-01-01", c.Endpoint())
	_, err = c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	assert.Equal(t, int32(1), verified.Load())

	c, err = NewClient(testConfig(), WithEndpoint("https://proxy.example:8443/custom/path?x=1"))
	require.NoError(t, err)
	assert.Equal(t, "https://proxy.example:8443/custom/path", c.Endpoint())
	assert.Equal(t, "proxy.example:8443", c.host)
}

// The DESIGN contract: the client works with httpmock.ActivateNonDefault.
func TestHTTPMockActivateNonDefault(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, testEndpoint,
		httpmock.NewBytesResponder(200, fixture(t, "ConfirmOrderReferenceResponse.xml")))
	c, err := NewClient(testConfig(), WithHTTPClient(hc))
	require.NoError(t, err)
	out, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	assert.Equal(t, "f1f52572-a347-4f7a-a630-be066f3ba827", out.RequestID)
	assert.Equal(t, 1, httpmock.GetTotalCallCount())
}

func TestAPIError(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 400, "ErrorResponse.xml")
	out, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	assert.Nil(t, out)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, &APIError{
		Operation:  "ConfirmOrderReference",
		StatusCode: 400,
		Type:       "Sender",
		Code:       ErrorOrderReferenceNotModifiable,
		Message:    "OrderReference S01-5695290-1354077 is not in draft state and cannot be modified with the request submitted by you.",
		RequestID:  "6d4699b8-1238-4c09-b539-176e2c2f5462",
		RawXML:     fixture(t, "ErrorResponse.xml"),
	}, apiErr)
	assert.True(t, errors.Is(err, ErrorOrderReferenceNotModifiable))
	assert.False(t, errors.Is(err, ErrorRequestThrottled))
	assert.False(t, apiErr.Temporary())
	assert.Equal(t, "amazonpay: ConfirmOrderReference: OrderReferenceNotModifiable (HTTP 400, request id 6d4699b8-1238-4c09-b539-176e2c2f5462): OrderReference S01-5695290-1354077 is not in draft state and cannot be modified with the request submitted by you.", err.Error())
	assert.Equal(t, 1, rec.count(), "a Sender error is not retried")
}

func TestThrottledIsRetriedThenReported(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 503, "Throttled.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, ErrorRequestThrottled, apiErr.Code)
	assert.Equal(t, "", apiErr.Type)
	assert.Equal(t, "d702fd8e-206f-4da4-95e0-1e7422474077", apiErr.RequestID, "RequestID spelling")
	assert.True(t, errors.Is(err, ErrorRequestThrottled))
	assert.True(t, apiErr.Temporary())
	assert.Equal(t, 4, rec.count(), "first attempt plus 3 retries")
}

// Every attempt is signed again with the Timestamp of its own time.
func TestRetryResignsEachAttempt(t *testing.T) {
	t.Parallel()
	var tick atomic.Int64
	clock := func() time.Time { return testNow.Add(time.Duration(tick.Add(1)) * time.Second) }
	c, mt := newTestClient(t, WithClock(clock))
	rec := respondSeq(mt,
		fixtureResponder(t, 500, "InternalServerError.xml"),
		fixtureResponder(t, 503, "Throttled.xml"),
		fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"))
	out, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	assert.Equal(t, "f1f52572-a347-4f7a-a630-be066f3ba827", out.RequestID)
	require.Equal(t, 3, rec.count())
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		form := rec.form(t, i)
		assert.Equal(t, FormatTimestamp(testNow.Add(time.Duration(i+1)*time.Second)), form.Get("Timestamp"))
		assert.Equal(t, Sign("test-secret-key", "mws-eu.amazonservices.com", "/OffAmazonPayments_Sandbox/2013-01-01", form), form.Get("Signature"))
		seen[form.Get("Signature")] = true
		assert.Equal(t, "S02-1234567-7654321", form.Get("AmazonOrderReferenceId"), "same parameters every attempt")
	}
	assert.Len(t, seen, 3, "three distinct signatures")
}

func TestTransportErrorsAreRetried(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt,
		connectionReset,
		fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"))
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count())

	c, mt = newTestClient(t)
	rec = respondSeq(mt, connectionReset)
	_, err = c.ConfirmOrderReference(context.Background(), confirmInput())
	var reqErr *RequestError
	require.True(t, errors.As(err, &reqErr))
	assert.Equal(t, 4, reqErr.Attempts)
	assert.Equal(t, 4, rec.count())
	assert.ErrorIs(t, err, syscall.ECONNRESET, "the cause is kept")
}

// connectionReset fails as a reset connection does.
func connectionReset(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

// TestUnknownTransportErrorIsNotRetried: an error that is not a network
// failure (httpmock's "no responder found" for a mistyped URL, a custom
// RoundTripper's own error) fails at once instead of stalling the test in
// retry waits.
func TestUnknownTransportErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, httpmock.ConnectionFailure)
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	var reqErr *RequestError
	require.True(t, errors.As(err, &reqErr), "%T %v", err, err)
	assert.Equal(t, 1, reqErr.Attempts)
	assert.Equal(t, 1, rec.count())
	assert.ErrorIs(t, err, httpmock.NoResponderFound)
}

func TestBadGatewayPageIsRetriedAndReported(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 502, "BadGateway.html")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	var ue *UnexpectedResponseError
	require.True(t, errors.As(err, &ue))
	assert.Equal(t, 502, ue.StatusCode)
	assert.Contains(t, string(ue.Body), "<title>502 Bad Gateway</title>")
	assert.Contains(t, err.Error(), "HTTP 502")
	assert.Contains(t, err.Error(), "starting <html>")
	assert.NotContains(t, err.Error(), "Bad Gateway</title>", "the body is never quoted")
	assert.Equal(t, 4, rec.count())
}

func TestUnexpectedBodies(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 2000)
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		attempts int
		apiCode  ErrorCode
	}{
		{"200 garbage", 200, "garbage", 1, ""},
		{"200 truncated", 200, `<ConfirmOrderReferenceResponse xmlns="x"><ResponseMetadata><RequestId>abc`, 1, ""},
		{"200 other document", 200, `<GetOrderReferenceDetailsResponse/>`, 1, ""},
		{"200 empty", 200, "", 1, ""},
		{"200 ErrorResponse", 200, string(fixture(t, "ErrorResponse.xml")), 1, ErrorOrderReferenceNotModifiable},
		{"404 empty", 404, "", 1, ""},
		{"400 long text", 400, long, 1, ""},
		{"403 ErrorResponse without code", 403, "<ErrorResponse><Error><Code></Code><Message>no code</Message></Error></ErrorResponse>x", 1, ""},
		{"504 empty", 504, "", 4, ""},
		{"302 redirect", 302, "", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec, r := record(httpmock.NewStringResponder(tc.status, tc.body))
			mt.RegisterResponder(http.MethodPost, testEndpoint, r)
			out, err := c.ConfirmOrderReference(context.Background(), confirmInput())
			require.Error(t, err, "never a success")
			assert.Nil(t, out)
			assert.Equal(t, tc.attempts, rec.count())
			if tc.apiCode != "" {
				assert.ErrorIs(t, err, tc.apiCode)
				return
			}
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
			assert.Equal(t, tc.status, ue.StatusCode)
			assert.Equal(t, "ConfirmOrderReference", ue.Operation)
			assert.Equal(t, tc.body, string(ue.Body))
			if len(tc.body) > 8 {
				assert.NotContains(t, err.Error(), tc.body[len(tc.body)-6:], "the body is never quoted")
			}
			assert.NotNil(t, errors.Unwrap(err))
		})
	}
}

func TestResponseSizeCap(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithMaxResponseBytes(100), WithRetryPolicy(RetryPolicy{}))
	respond(t, mt, 200, "SetOrderAttributesResponse.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	var ue *UnexpectedResponseError
	require.True(t, errors.As(err, &ue))
	assert.ErrorIs(t, err, errTooLarge)
	assert.Equal(t, "ConfirmOrderReference", ue.Operation)
}

func TestRetryOff(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{}))
	rec := respond(t, mt, 503, "Throttled.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	assert.ErrorIs(t, err, ErrorRequestThrottled)
	assert.Equal(t, 1, rec.count())
}

// A context cancelled while waiting for a retry ends the call at once.
func TestRetryWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	rec, r := record(func(*http.Request) (*http.Response, error) {
		cancel() // cancelled after the first reply, before the wait
		return httpmock.NewBytesResponse(503, fixture(t, "Throttled.xml")), nil
	})
	mt.RegisterResponder(http.MethodPost, testEndpoint, r)
	start := time.Now()
	_, err := c.ConfirmOrderReference(ctx, confirmInput())
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, rec.count())

	// Deadline during the wait: the last API error is kept beside it. The
	// deadline passes once the first reply is in the client's hands, so the
	// test does not depend on how fast the machine is.
	deadline := newExpiringContext()
	mt2 := httpmock.NewMockTransport()
	mt2.RegisterResponder(http.MethodPost, testEndpoint, httpmock.NewBytesResponder(503, fixture(t, "Throttled.xml")))
	expireAfterReply := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := mt2.RoundTrip(req)
		deadline.expire()
		return resp, err
	})
	c2, err := NewClient(testConfig(), WithHTTPClient(&http.Client{Transport: expireAfterReply}),
		WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	require.NoError(t, err)
	_, err = c2.ConfirmOrderReference(deadline, confirmInput())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrorRequestThrottled)
	var reqErr *RequestError
	require.True(t, errors.As(err, &reqErr))
	assert.Equal(t, 1, reqErr.Attempts)
}

func TestCancelledContextBeforeSend(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.ConfirmOrderReference(ctx, confirmInput())
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, rec.count())
}

func TestRetryDelays(t *testing.T) {
	p := DefaultRetryPolicy()
	p.NoJitter = true
	assert.Equal(t, []time.Duration{time.Second, 4 * time.Second, 10 * time.Second, 10 * time.Second},
		[]time.Duration{p.delay(1), p.delay(2), p.delay(3), p.delay(4)})
	p.NoJitter = false
	for n := 1; n <= 3; n++ {
		full := []time.Duration{time.Second, 4 * time.Second, 10 * time.Second}[n-1]
		for i := 0; i < 50; i++ {
			d := p.delay(n)
			assert.GreaterOrEqual(t, d, full/2)
			assert.LessOrEqual(t, d, full)
		}
	}
	assert.Equal(t, time.Duration(0), RetryPolicy{}.delay(1))
	assert.NoError(t, sleepCtx(context.Background(), 0))
}

func TestLoggerNeverSeesSecretsOrBodies(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newTestClient(t, WithLogger(logger))
	respondSeq(mt, fixtureResponder(t, 503, "Throttled.xml"), fixtureResponder(t, 400, "ErrorResponse.xml"))
	_, err := c.SetOrderAttributes(context.Background(), &SetOrderAttributesInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes:        &OrderAttributes{SellerNote: "secret buyer note"},
	})
	require.Error(t, err)
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Contains(t, out, "operation=SetOrderAttributes attempt=1 status=503")
	assert.Contains(t, out, "error_code=RequestThrottled")
	assert.Contains(t, out, `msg="amazonpay: retrying"`)
	assert.Contains(t, out, "attempt=2 status=400")
	assert.Contains(t, out, "request_id=6d4699b8-1238-4c09-b539-176e2c2f5462")
	for _, secret := range []string{"test-secret-key", "secret buyer note", "Signature"} {
		assert.NotContains(t, out, secret)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// One client serves many goroutines.
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := c.ConfirmOrderReference(context.Background(), &ConfirmOrderReferenceInput{
				AmazonOrderReferenceID: fmt.Sprintf("S02-1234567-%07d", i)})
			assert.NoError(t, err)
		}(i)
	}
	wg.Wait()
	require.Equal(t, 20, rec.count())
	for i := 0; i < 20; i++ {
		form := rec.form(t, i)
		assert.Equal(t, Sign("test-secret-key", "mws-eu.amazonservices.com", "/OffAmazonPayments_Sandbox/2013-01-01", form), form.Get("Signature"))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// expiringContext is a context whose deadline passes when the test says so.
type expiringContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiringContext() *expiringContext {
	return &expiringContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringContext) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *expiringContext) Done() <-chan struct{} { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
