package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultQuota(t *testing.T) {
	t.Parallel()
	cases := []struct {
		action  string
		sandbox bool
		want    Quota
	}{
		{"AuthorizeOnBillingAgreement", false, Quota{10, time.Second}},
		{"AuthorizeOnBillingAgreement", true, Quota{2, 2 * time.Second}},
		{"Authorize", false, Quota{10, time.Second}},
		{"Capture", true, Quota{2, 2 * time.Second}},
		{"GetOrderReferenceDetails", false, Quota{20, 500 * time.Millisecond}},
		{"GetBillingAgreementDetails", true, Quota{5, time.Second}},
		{"GetMerchantAccountStatus", false, Quota{20, 500 * time.Millisecond}},
		{"GetServiceStatus", false, Quota{2, 5 * time.Minute}},
		{"GetServiceStatus", true, Quota{2, 5 * time.Minute}},
		{"GetProviderCreditDetails", false, Quota{10, time.Second}}, // not in the table: the common quota
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, DefaultQuota(tc.action, tc.sandbox), "%s sandbox=%t", tc.action, tc.sandbox)
	}
	q := Quotas{Sandbox: true, Override: map[string]Quota{"Capture": {Burst: 7, Every: time.Minute}, "Refund": {}}}
	assert.Equal(t, Quota{7, time.Minute}, q.For("Capture"))
	assert.Equal(t, Quota{2, 2 * time.Second}, q.For("Authorize"))
	assert.False(t, q.For("Refund").Limited())
	assert.Equal(t, 9, Quota{10, time.Second}.ClientBurst())
	assert.Equal(t, 1, Quota{2, time.Second}.ClientBurst())
	assert.Equal(t, 1, Quota{1, time.Second}.ClientBurst())
	assert.Equal(t, 2, Quota{2, 5 * time.Minute}.ClientBurst(), "no reserve at restore intervals of minutes")
	assert.Equal(t, 2, DefaultQuota("GetServiceStatus", true).ClientBurst())
}

// hourly makes a limiter whose buckets refill once an hour, so that
// whether Wait must wait is known without looking at a clock: a wait past
// a one-minute deadline fails at once.
func hourly(burst int) *LocalLimiter {
	q := Quota{Burst: burst, Every: time.Hour}
	return NewLocalLimiter(Quotas{Override: map[string]Quota{"Authorize": q, "Capture": q, "Refund": {}}})
}

func minuteCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestLocalLimiterBucketsPerSellerAndOperation(t *testing.T) {
	t.Parallel()
	l := hourly(4) // the client takes all 4 at once: no reserve at an hourly restore
	ctx := minuteCtx(t)
	for i := 0; i < 4; i++ {
		require.NoError(t, l.Wait(ctx, "A1", "Authorize"), i)
	}
	err := l.Wait(ctx, "A1", "Authorize")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "Authorize quota")
	// A refused wait takes no token: still refused, not queued further.
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded)

	require.NoError(t, l.Wait(ctx, "A1", "Capture"), "another operation has its own bucket")
	require.NoError(t, l.Wait(ctx, "A2", "Authorize"), "another seller has its own bucket")
	for i := 0; i < 50; i++ {
		require.NoError(t, l.Wait(ctx, "A1", "Refund"), "a zero override is not limited")
	}

	// Without a deadline, Wait blocks until ctx is cancelled.
	cctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(cctx, "A1", "Authorize") }()
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not end with its context")
	}
}

func TestLocalLimiterThrottledDrainsTheBucket(t *testing.T) {
	t.Parallel()
	l := hourly(10)
	ctx := minuteCtx(t)
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	l.Throttled("A1", "Authorize")
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "9 tokens were left, and drained")
	require.NoError(t, l.Wait(ctx, "A1", "Capture"), "other buckets keep their tokens")
	require.NoError(t, l.Wait(ctx, "A2", "Authorize"))
	l.Throttled("A1", "Refund") // unlimited: nothing to drain, no panic
}

// recordingLimiter records every Wait and every Throttled, and fails Wait
// with err once calls reach failAt (0: never).
type recordingLimiter struct {
	mu        sync.Mutex
	waits     []string
	throttled []string
	failAt    int
	err       error
	sleep     time.Duration
}

func (l *recordingLimiter) Wait(ctx context.Context, seller, action string) error {
	l.mu.Lock()
	l.waits = append(l.waits, seller+"/"+action)
	n := len(l.waits)
	l.mu.Unlock()
	time.Sleep(l.sleep)
	if l.failAt > 0 && n >= l.failAt {
		return l.err
	}
	return nil
}

func (l *recordingLimiter) Throttled(seller, action string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttled = append(l.throttled, seller+"/"+action)
}

func (l *recordingLimiter) get() (waits, throttled []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.waits...), append([]string(nil), l.throttled...)
}

func TestRateLimiterBeforeEveryAttempt(t *testing.T) {
	t.Parallel()
	l := &recordingLimiter{}
	c, mt := newTestClient(t, WithRateLimiter(l))
	rec := respondSeq(mt, fixtureResponder(t, 503, "Throttled.xml"), fixtureResponder(t, 500, "InternalServerError.xml"),
		fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"))
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput(), WithSellerID("A2OTHER"))
	require.NoError(t, err)
	assert.Equal(t, 3, rec.count())
	waits, throttled := l.get()
	want := "A2OTHER/ConfirmOrderReference"
	assert.Equal(t, []string{want, want, want}, waits, "one wait per attempt, retries included, for the seller of the call")
	assert.Equal(t, []string{want}, throttled, "told of RequestThrottled only, not of InternalServerError")
}

func TestRateLimiterErrorEndsTheCallBeforeIO(t *testing.T) {
	t.Parallel()
	quotaErr := errors.New("quota store down")
	l := &recordingLimiter{failAt: 1, err: quotaErr}
	c, mt := newTestClient(t, WithRateLimiter(l))
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	assert.ErrorIs(t, err, quotaErr)
	var reqErr *RequestError
	require.True(t, errors.As(err, &reqErr))
	assert.Equal(t, 0, reqErr.Attempts)
	assert.Equal(t, "ConfirmOrderReference", reqErr.Operation)
	assert.Equal(t, 0, rec.count(), "nothing was sent")

	// Before a retry: the first attempt's error is kept alongside.
	l2 := &recordingLimiter{failAt: 2, err: quotaErr}
	c2, mt2 := newTestClient(t, WithRateLimiter(l2))
	rec2 := respond(t, mt2, 503, "Throttled.xml")
	_, err = c2.ConfirmOrderReference(context.Background(), confirmInput())
	assert.ErrorIs(t, err, quotaErr)
	assert.ErrorIs(t, err, ErrorRequestThrottled)
	require.True(t, errors.As(err, &reqErr))
	assert.Equal(t, 1, reqErr.Attempts)
	assert.Equal(t, 1, rec2.count())
}

// The default limiter is adaptive: a sandbox or live client sends 20
// ConfirmOrderReference calls unpaced; once MWS throttles one, the bucket
// paces by the environment's documented quota (the next token 2 s later in
// the sandbox, 1 s live), so one more is refused at once under a short
// deadline, before any I/O.
func TestDefaultPacingEngagesAfterAThrottle(t *testing.T) {
	t.Parallel()
	for _, sandbox := range []bool{true, false} {
		cfg := testConfig()
		cfg.Sandbox = sandbox
		mt := httpmock.NewMockTransport()
		c, err := NewClient(cfg, WithHTTPClient(&http.Client{Transport: mt}), WithClock(func() time.Time { return testNow }),
			WithRetryPolicy(RetryPolicy{}))
		require.NoError(t, err)
		clk := NewFakeLimiterClock(testNow) // exact delays: the wall clock moves while the test runs
		c.limiter.(*LocalLimiter).now = clk.Now
		ok, throttled := fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"), fixtureResponder(t, 503, "Throttled.xml")
		var n atomic.Int64
		rec, r := record(func(req *http.Request) (*http.Response, error) {
			if n.Add(1) == 21 {
				return throttled(req)
			}
			return ok(req)
		})
		mt.RegisterResponder(http.MethodPost, c.Endpoint(), r)
		for i := range 20 {
			_, err := c.ConfirmOrderReference(minuteCtx(t), confirmInput())
			require.NoError(t, err, "sandbox=%t call %d", sandbox, i)
		}
		_, err = c.ConfirmOrderReference(minuteCtx(t), confirmInput())
		require.ErrorIs(t, err, ErrorRequestThrottled, "no retries: the throttle is the answer")
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, err = c.ConfirmOrderReference(ctx, confirmInput())
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded, "sandbox=%t", sandbox)
		want := "1s" // live: one token per second
		if sandbox {
			want = "2s" // one per 2 s
		}
		assert.ErrorContains(t, err, "the ConfirmOrderReference quota allows the next request in "+want)
		assert.Equal(t, 21, rec.count(), "the refused call sent nothing")
		st := c.limiter.(*LocalLimiter).Stats()
		assert.Equal(t, LimiterStats{Throttled: 1, Engaged: 1}, st, "sandbox=%t", sandbox)
	}

	// WithRateLimiter(nil): no pacing, even after a throttle.
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{}))
	rec := respondSeq(mt, fixtureResponder(t, 503, "Throttled.xml"), fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"))
	_, err := c.ConfirmOrderReference(minuteCtx(t), confirmInput())
	require.ErrorIs(t, err, ErrorRequestThrottled)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.ConfirmOrderReference(ctx, confirmInput())
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count())
}

// manualAdaptive returns an adaptive limiter on a fake clock with the
// quota 3 at once, one more per second, for Authorize (client burst 2).
func manualAdaptive() (*LocalLimiter, *FakeLimiterClock) {
	l := NewAdaptiveLimiter(Quotas{Override: map[string]Quota{"Authorize": {Burst: 3, Every: time.Second}}})
	clk := NewFakeLimiterClock(testNow)
	clk.Install(l)
	return l, clk
}

// waitsFor runs n Waits of Authorize and returns how many had to wait.
func waitsFor(t *testing.T, l *LocalLimiter, ctx context.Context, n int) int64 {
	t.Helper()
	before := l.Stats().Waits
	for range n {
		require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	}
	return l.Stats().Waits - before
}

// An adaptive bucket paces from the throttle until it has stayed full for
// one whole restore interval, then stops; being full for less is not
// enough, and a throttle engages it again.
func TestAdaptiveLimiterStopsPacingAfterAFullRefill(t *testing.T) {
	t.Parallel()
	l, clk := manualAdaptive()
	ctx := minuteCtx(t)
	assert.Zero(t, waitsFor(t, l, ctx, 10), "not engaged: a burst of 10 goes unpaced")
	l.Throttled("A1", "Authorize")
	start := clk.Now()
	assert.EqualValues(t, 4, waitsFor(t, l, ctx, 4), "engaged: the bucket was emptied, every token waits")
	assert.Equal(t, 4*time.Second, clk.Now().Sub(start), "one token per second")

	// Full 2 s after the last token (burst 2), plus one restore interval
	// = 3 s: at 2.9 s it still paces (the third call in a row waits).
	clk.Advance(2900 * time.Millisecond)
	assert.EqualValues(t, 1, waitsFor(t, l, ctx, 3), "full for 0.9 s only: still pacing (2 tokens, the third waits)")
	clk.Advance(3 * time.Second)
	assert.Zero(t, waitsFor(t, l, ctx, 10), "full for a whole interval: unpaced again")
	assert.EqualValues(t, 1, l.Stats().Engaged)

	l.Throttled("A1", "Authorize")
	assert.EqualValues(t, 1, waitsFor(t, l, ctx, 1), "a new throttle engages it again")
	assert.Equal(t, LimiterStats{Waits: 6, Waited: l.Stats().Waited, Throttled: 2, Engaged: 2}, l.Stats())
}

// A batch's context paces from the first call, and the bucket stays
// engaged for the batch however long it idles; outside the batch it stops
// pacing once full for an interval, as after a throttle.
func TestAdaptiveLimiterPacesABatchFromItsFirstCall(t *testing.T) {
	t.Parallel()
	l, clk := manualAdaptive()
	ctx := minuteCtx(t)
	batch := asBatch(ctx)
	assert.EqualValues(t, 3, waitsFor(t, l, batch, 5), "burst 2 at once, then paced")
	assert.EqualValues(t, 1, l.Stats().Engaged)
	clk.Advance(time.Hour)
	assert.EqualValues(t, 2, waitsFor(t, l, batch, 4), "a batch never disengages its bucket")
	clk.Advance(time.Hour)
	assert.Zero(t, waitsFor(t, l, ctx, 10), "outside the batch, full for an interval: unpaced")
}

// NewLocalLimiter paces always, from the first call.
func TestLocalLimiterPacesAlways(t *testing.T) {
	t.Parallel()
	l := NewLocalLimiter(Quotas{Override: map[string]Quota{"Authorize": {Burst: 3, Every: time.Second}}})
	clk := NewFakeLimiterClock(testNow)
	clk.Install(l)
	assert.EqualValues(t, 8, waitsFor(t, l, minuteCtx(t), 10))
	assert.Equal(t, 8*time.Second, l.Stats().Waited)
	assert.Zero(t, l.Stats().Engaged)
}

func TestRateLimiterWaitIsLogged(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	quotaErr := errors.New("quota store down")
	l := &recordingLimiter{sleep: 5 * time.Millisecond, failAt: 2, err: quotaErr}
	c, mt := newTestClient(t, WithRateLimiter(l), WithLogger(logger))
	respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(context.Background(), confirmInput())
	require.ErrorIs(t, err, quotaErr)
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Regexp(t, `level=DEBUG msg="amazonpay: rate limiter wait" operation=ConfirmOrderReference wait=\d+(\.\d+)?ms\n`, out)
	assert.Regexp(t, `level=DEBUG msg="amazonpay: rate limiter wait" operation=ConfirmOrderReference wait=\S+ error="quota store down"\n`, out)
}

// Issue 14, item 9: a context that has already ended gets its error and
// takes no token, even when one is there.
func TestLocalLimiterWaitOnEndedContext(t *testing.T) {
	t.Parallel()
	l := hourly(1)
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(cctx, "A1", "Authorize"), context.Canceled)
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	assert.ErrorIs(t, l.Wait(dctx, "A1", "Authorize"), context.DeadlineExceeded)
	ctx := minuteCtx(t)
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"), "the only token is still there")
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "and now taken")
	assert.ErrorIs(t, l.Wait(cctx, "A1", "Refund"), context.Canceled, "an unlimited action too")
}
