package amazonpaytest_test

import (
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThrottlingSandboxQuotas(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithThrottling(amazonpaytest.ThrottleSandbox))
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	call := func() (int, string) {
		return raw(t, srv, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
			"OrderReferenceAttributes.OrderTotal.Amount", "1.00", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR")
	}
	for i := 0; i < 2; i++ {
		status, body := call()
		require.Equal(t, 200, status, body)
	}
	status, body := call()
	require.Equal(t, 503, status)
	e := parseError(t, body)
	assert.Equal(t, "RequestThrottled", e.Code)
	assert.Empty(t, e.Type)
	assert.Empty(t, e.RequestID)
	assert.Regexp(t, `^[0-9a-f-]{36}$`, e.RequestIDThrottled)
	assert.Contains(t, body, "<Type></Type>")

	// Another operation has its own bucket.
	status, _ = raw(t, srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	assert.Equal(t, 200, status)

	// One token comes back every 2 s of sandbox time.
	srv.Advance(time.Second)
	status, _ = call()
	assert.Equal(t, 503, status)
	srv.Advance(time.Second)
	status, _ = call()
	assert.Equal(t, 200, status)
	status, _ = call()
	assert.Equal(t, 503, status)

	// The client retries a throttled call, but the sandbox clock stands
	// still, so it gives up with RequestThrottled.
	c := srv.AmazonPay()
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("1.00")}})
	e2 := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorRequestThrottled, e2.Code)
	assert.Equal(t, 503, e2.StatusCode)
	assert.NotEmpty(t, e2.RequestID, "read from RequestID")
	throttled := 0
	for _, r := range srv.RequestsFor("SetOrderReferenceDetails") {
		if r.ErrorCode == "RequestThrottled" {
			throttled++
		}
	}
	assert.Equal(t, 3+4, throttled)

	// Refill caps at the quota.
	srv.Advance(time.Hour)
	for i := 0; i < 2; i++ {
		status, _ = call()
		assert.Equal(t, 200, status)
	}
	status, _ = call()
	assert.Equal(t, 503, status)
}

func TestThrottlingLiveAndServiceStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithThrottling(amazonpaytest.ThrottleLive))
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	for i := 0; i < 20; i++ {
		_, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
		require.NoError(t, err, i)
	}
	_, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)

	for i := 0; i < 2; i++ {
		_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
		require.NoError(t, err)
	}
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)
	srv.Advance(5 * time.Minute)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
}

func TestQuotaOverride(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithQuota("GetServiceStatus", amazonpaytest.Quota{Burst: 1, Every: time.Minute}))
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)
	for i := 0; i < 30; i++ { // other operations are not throttled
		_, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
		require.NoError(t, err)
	}
}

func TestQuotaTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		mode   amazonpaytest.ThrottleMode
		action string
		want   amazonpaytest.Quota
	}{
		{amazonpaytest.ThrottleSandbox, "Authorize", amazonpaytest.Quota{Burst: 2, Every: 2 * time.Second}},
		{amazonpaytest.ThrottleLive, "Authorize", amazonpaytest.Quota{Burst: 10, Every: time.Second}},
		{amazonpaytest.ThrottleSandbox, "GetOrderReferenceDetails", amazonpaytest.Quota{Burst: 5, Every: time.Second}},
		{amazonpaytest.ThrottleLive, "GetBillingAgreementDetails", amazonpaytest.Quota{Burst: 20, Every: 500 * time.Millisecond}},
		{amazonpaytest.ThrottleLive, "GetServiceStatus", amazonpaytest.Quota{Burst: 2, Every: 5 * time.Minute}},
		{amazonpaytest.ThrottleSandbox, "AuthorizeOnBillingAgreement", amazonpaytest.Quota{Burst: 2, Every: 2 * time.Second}},
	}
	for _, tc := range cases {
		q, ok := amazonpaytest.QuotaOf(tc.mode, tc.action)
		assert.True(t, ok, tc.action)
		assert.Equal(t, tc.want, q, tc.action)
	}
	_, ok := amazonpaytest.QuotaOf(amazonpaytest.ThrottleOff, "Authorize")
	assert.False(t, ok)
	_, ok = amazonpaytest.QuotaOf(amazonpaytest.ThrottleLive, "NoSuchAction")
	assert.False(t, ok)
}

func TestThrottleClock(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	srv := newServer(t, amazonpaytest.WithThrottleClock(clock),
		amazonpaytest.WithQuota("GetServiceStatus", amazonpaytest.Quota{Burst: 1, Every: time.Minute}))
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)

	srv.Advance(time.Hour) // the sandbox clock no longer refills the bucket
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)

	mu.Lock()
	now = now.Add(time.Minute) // the throttle clock does
	mu.Unlock()
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.ErrorIs(t, err, amazonpay.ErrorRequestThrottled)
}
