package redisquota_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/redisquota"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hourly quotas refill once an hour, so that whether Wait must wait is
// known without looking at a clock: a wait past a one-minute deadline
// fails at once.
func hourly(burst int) amazonpay.Quotas {
	q := amazonpay.Quota{Burst: burst, Every: time.Hour}
	return amazonpay.Quotas{Override: map[string]amazonpay.Quota{"Authorize": q, "Capture": q, "Refund": {}}}
}

func minuteCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestProcessesShareOneQuota(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	// Two limiters on one Redis stand for two processes.
	a, b := redisquota.New(rdb, hourly(5)), redisquota.New(rdb, hourly(5))
	ctx := minuteCtx(t)
	for i := 0; i < 2; i++ {
		require.NoError(t, a.Wait(ctx, "A1", "Authorize"))
		require.NoError(t, b.Wait(ctx, "A1", "Authorize"))
	}
	// Burst 5 at an hourly restore, all of it for clients (no reserve at
	// intervals of minutes): one more, then both are refused.
	require.NoError(t, a.Wait(ctx, "A1", "Authorize"))
	err := a.Wait(ctx, "A1", "Authorize")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "Authorize quota")
	assert.ErrorIs(t, b.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded)

	require.NoError(t, a.Wait(ctx, "A1", "Capture"), "another operation has its own bucket")
	require.NoError(t, b.Wait(ctx, "A2", "Authorize"), "another seller has its own bucket")
	for i := 0; i < 20; i++ {
		require.NoError(t, a.Wait(ctx, "A1", "Refund"), "a zero quota is not limited")
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"rate:amazonpay:quota:A1:Authorize", "rate:amazonpay:quota:A1:Capture", "rate:amazonpay:quota:A2:Authorize"}, keys)

	other := redisquota.New(rdb, hourly(5), redisquota.WithKeyPrefix("shop2:"))
	require.NoError(t, other.Wait(ctx, "A1", "Authorize"), "another prefix, other buckets")
}

func TestWaitWaitsForTheNextToken(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	l := redisquota.New(rdb, amazonpay.Quotas{Override: map[string]amazonpay.Quota{"Authorize": {Burst: 2, Every: 100 * time.Millisecond}}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	start := time.Now()
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond, "the second token comes one interval after the first")

	// A cancelled wait ends with its context.
	cctx, ccancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(cctx, "A1", "Authorize") }()
	ccancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not end with its context")
	}
}

func TestThrottledDrainsTheSharedBucket(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	a, b := redisquota.New(rdb, hourly(10)), redisquota.New(rdb, hourly(10))
	ctx := minuteCtx(t)
	require.NoError(t, a.Wait(ctx, "A1", "Authorize"))
	a.Throttled("A1", "Authorize")
	assert.ErrorIs(t, b.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "8 tokens were left, drained for every process")
	require.NoError(t, b.Wait(ctx, "A1", "Capture"))
	a.Throttled("A1", "Refund") // unlimited: nothing to drain
}

// The documented choice: Redis unreachable fails open to an in-process
// limiter with the same quotas, and reports the Redis error.
func TestRedisUnreachableFailsOpenToLocalPacing(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var errs []error
	l := redisquota.New(deadRedis(t), hourly(4), redisquota.WithRetryRedisAfter(time.Minute), redisquota.WithErrorHandler(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}))
	ctx := minuteCtx(t)
	for i := 0; i < 4; i++ { // the whole burst: no reserve at an hourly restore
		require.NoError(t, l.Wait(ctx, "A1", "Authorize"), i)
	}
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "still paced, in this process")
	mu.Lock()
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0].Error(), "connect")
	assert.Len(t, errs, 1, "Redis is not asked again for a while after a failure")
	mu.Unlock()
	l.Throttled("A1", "Capture") // drains the local bucket instead
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded)
}

func TestRedisUnreachableFailsClosedWithoutFallback(t *testing.T) {
	t.Parallel()
	l := redisquota.New(deadRedis(t), hourly(4), redisquota.WithFallback(nil))
	err := l.Wait(minuteCtx(t), "A1", "Authorize")
	assert.ErrorIs(t, err, redisquota.ErrUnavailable)

	// Through a client: the call ends before any I/O.
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay(amazonpay.WithRateLimiter(l))
	_, err = c.GetServiceStatus(context.Background(), &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, redisquota.ErrUnavailable)
	var reqErr *amazonpay.RequestError
	require.True(t, errors.As(err, &reqErr))
	assert.Equal(t, 0, reqErr.Attempts)
	assert.Empty(t, srv.Requests())
}

// Three clients, each with its own limiter on one Redis, charge against a
// sandbox whose quota restores in real time: none is ever throttled. The
// restore interval (200 ms) is far above scheduling noise.
func TestFleetIsNeverThrottled(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	q := amazonpay.Quota{Burst: 3, Every: 200 * time.Millisecond}
	srv := amazonpaytest.NewServer(amazonpaytest.WithThrottleClock(time.Now),
		amazonpaytest.WithQuota("AuthorizeOnBillingAgreement", q))
	defer srv.Close()
	agreements := openAgreements(t, srv, 9)
	quotas := amazonpay.Quotas{Sandbox: true, Override: map[string]amazonpay.Quota{"AuthorizeOnBillingAgreement": q}}
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		c := srv.AmazonPay(amazonpay.WithRateLimiter(redisquota.New(rdb, quotas)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.ChargeBillingAgreements(context.Background(), &amazonpay.ChargeBillingAgreementsInput{
				PeriodKey: "2026-11", Charges: charges(agreements[w*3 : w*3+3]), Concurrency: 1, TransactionTimeout: amazonpay.Int(0)})
			assert.NoError(t, err)
			for _, r := range res {
				assert.Equal(t, amazonpay.ChargeCharged, r.Outcome, r.Err)
			}
		}()
	}
	wg.Wait()
	reqs := srv.RequestsFor("AuthorizeOnBillingAgreement")
	assert.Len(t, reqs, 9, "no throttled attempt, no retry")
	for _, r := range reqs {
		assert.Empty(t, r.ErrorCode)
	}
}

// openAgreements makes n Open billing agreements on srv.
func openAgreements(tb testing.TB, srv *amazonpaytest.Server, n int) []string {
	tb.Helper()
	c := srv.AmazonPay()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
		// In the EU the buyer goes through the Confirmation Flow.
		if _, err := c.ConfirmBillingAgreement(context.Background(), &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: ids[i],
			SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"}); err != nil {
			tb.Fatal(err)
		}
		if _, err := srv.FollowConfirmationFlow(context.Background(), srv.SellerID(), ids[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

func charges(ids []string) []amazonpay.BillingAgreementCharge {
	out := make([]amazonpay.BillingAgreementCharge, len(ids))
	for i, id := range ids {
		out[i] = amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: id, Amount: &amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}}
	}
	return out
}
