package amazonpay_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default limiter is adaptive (issue 14, item 1): it paces a bucket
// only once MWS has throttled it, and the batch conveniences from their
// first call. Its waits run on a fake clock here, so that a regression
// fails at once instead of sleeping, and every figure is a count.

// fakeClockOn makes the default limiter of c run on a fake clock.
func fakeClockOn(t *testing.T, c *amazonpay.Client, start time.Time) (*amazonpay.LocalLimiter, *amazonpay.FakeLimiterClock) {
	t.Helper()
	l, ok := amazonpay.ClientLimiter(c).(*amazonpay.LocalLimiter)
	require.True(t, ok, "the default limiter is a *LocalLimiter, not %T", amazonpay.ClientLimiter(c))
	fc := amazonpay.NewFakeLimiterClock(start)
	fc.Install(l)
	return l, fc
}

// 25 mocked Authorize calls, with the client made as README's httpmock
// recipe makes it (a sandbox config, no limiter option): the limiter never
// makes one wait. Before, it paced them by the sandbox quota (1 at once,
// then one per 2 s: 48 s of waiting).
func TestReadmeRecipeMockedCallsNeverWait(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateAndReset()
	reply, err := os.ReadFile("testdata/responses/AuthorizeResponse.xml")
	require.NoError(t, err)
	httpmock.RegisterResponder("POST", "https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01",
		httpmock.NewBytesResponder(200, reply))
	cfg := amazonpay.Config{SellerID: "A1EXAMPLE", AccessKeyID: "AKIAEXAMPLE", SecretKey: "test-secret",
		Region: amazonpay.RegionDE, Sandbox: true}
	c, err := amazonpay.NewClient(cfg, amazonpay.WithHTTPClient(hc), amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	require.NoError(t, err)
	l, _ := fakeClockOn(t, c, time.Now())
	for i := range 25 {
		_, err := c.Authorize(context.Background(), &amazonpay.AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-1234567",
			AuthorizationReferenceID: fmt.Sprintf("ref-%d", i), AuthorizationAmount: &amazonpay.Price{Amount: "10.00"}})
		require.NoError(t, err, i)
	}
	assert.Equal(t, 25, httpmock.GetTotalCallCount())
	assert.Equal(t, amazonpay.LimiterStats{}, l.Stats(), "no wait, no throttle")
}

// defaultSandboxClient is a client of srv with the default limiter (on the
// fake clock that also refills srv's buckets) and millisecond retry waits.
func defaultSandboxClient(t *testing.T, opts ...amazonpaytest.Option) (*amazonpaytest.Server, *amazonpay.Client, *amazonpay.LocalLimiter) {
	t.Helper()
	fc := amazonpay.NewFakeLimiterClock(time.Now())
	srv := amazonpaytest.NewServer(append([]amazonpaytest.Option{amazonpaytest.WithThrottling(amazonpaytest.ThrottleSandbox),
		amazonpaytest.WithThrottleClock(fc.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := amazonpay.NewClient(amazonpay.Config{SellerID: srv.SellerID(), AccessKeyID: srv.AccessKeyID(), SecretKey: srv.SecretKey(),
		Region: srv.Region(), Sandbox: true},
		amazonpay.WithHTTPClient(srv.Client()), amazonpay.WithEndpoint(srv.URL), amazonpay.WithClock(srv.Now),
		amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}))
	require.NoError(t, err)
	l, ok := amazonpay.ClientLimiter(c).(*amazonpay.LocalLimiter)
	require.True(t, ok)
	fc.Install(l)
	return srv, c, l
}

// throttledPerBucket counts the sandbox's RequestThrottled replies by
// seller and action.
func throttledPerBucket(srv *amazonpaytest.Server) map[string]int {
	n := map[string]int{}
	for _, r := range srv.Requests() {
		if r.ErrorCode == "RequestThrottled" {
			n[r.Params.Get("SellerId")+"/"+r.Action]++
		}
	}
	return n
}

// 30 checkouts, then a burst of 30 Authorize calls, through the default
// client against a sandbox enforcing the sandbox quotas: every call
// succeeds, and each bucket is throttled at most once (the throttle that
// engages its pacing).
func TestDefaultClientBurstAgainstThrottlingSandbox(t *testing.T) {
	t.Parallel()
	srv, c, l := defaultSandboxClient(t)
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = srv.CreateOrderReference(amazonpaytest.TestBuyer())
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: ids[i],
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("20.00")}})
		require.NoError(t, err, i)
		_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: ids[i],
			SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
		require.NoError(t, err, i)
		_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), ids[i])
		require.NoError(t, err, i)
	}
	for i, id := range ids {
		_, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: fmt.Sprintf("auth-%d", i),
			AuthorizationAmount: eur("20.00"), TransactionTimeout: amazonpay.Int(0)})
		require.NoError(t, err, i)
	}
	assert.Equal(t, 30, srv.MoneyMovements().Authorizations)
	throttled := throttledPerBucket(srv)
	sum := 0
	for bucket, n := range throttled {
		assert.LessOrEqual(t, n, 1, "%s: one throttle engages its pacing; none after", bucket)
		sum += n
	}
	// 30 Authorize calls at once on a burst of 2: the third is throttled.
	assert.Equal(t, 1, throttled[srv.SellerID()+"/Authorize"])
	st := l.Stats()
	assert.EqualValues(t, sum, st.Throttled)
	assert.EqualValues(t, sum, st.Engaged)
	assert.Positive(t, st.Waits, "paced after the throttle")
}

// ChargeBillingAgreements knows it is a batch: the default limiter paces
// it from its first call, so the sandbox throttles none of its calls. One
// worker: the fake clock jumps to the end of a wait at once, so concurrent
// workers would all jump it before the first request reached the sandbox.
func TestChargeBillingAgreementsDefaultLimiterNeverThrottled(t *testing.T) {
	t.Parallel()
	srv, c, l := defaultSandboxClient(t)
	var charges []amazonpay.BillingAgreementCharge
	for range 6 {
		charges = append(charges, amazonpay.BillingAgreementCharge{
			AmazonBillingAgreementID: openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK), Amount: eur("5.00")})
	}
	before := l.Stats()
	res, err := c.ChargeBillingAgreements(ctx, &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges, Concurrency: 1, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome, r.Err)
	}
	reqs := srv.RequestsFor("AuthorizeOnBillingAgreement")
	assert.Len(t, reqs, 6, "no throttled attempt, no retry")
	for _, r := range reqs {
		assert.Empty(t, r.ErrorCode)
	}
	// The sandbox quota: 2 at once, one more per 2 s; the client keeps one
	// in reserve, so 5 of the 6 charges waited.
	assert.EqualValues(t, 5, l.Stats().Waits-before.Waits)
	assert.Equal(t, before.Throttled, l.Stats().Throttled)
}
