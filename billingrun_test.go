package amazonpay_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openAgreement returns an Open billing agreement of a buyer paying with
// m, confirmed through the Confirmation Flow as the EU requires.
func openAgreement(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, m amazonpaytest.PaymentMethod) string {
	t.Helper()
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	id := srv.CreateBillingAgreement(b)
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
		SuccessURL: "https://shop.example/subscribe/ok", FailureURL: "https://shop.example/subscribe/fail"})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	return id
}

func TestChargeBillingAgreementsOutcomes(t *testing.T) {
	t.Parallel()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	ok1 := openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK)
	invalid := openAgreement(t, srv, c, amazonpaytest.PaymentMethodInvalid)
	rejected := openAgreement(t, srv, c, amazonpaytest.PaymentMethodRejected)
	closed := openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK)
	_, err := c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: closed})
	require.NoError(t, err)
	ok2 := openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK)
	before := srv.MoneyMovements()

	var calls, overlapping atomic.Int32
	var dones []int
	in := &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11",
		Charges: []amazonpay.BillingAgreementCharge{
			{AmazonBillingAgreementID: ok1, Amount: eur("9.99"), SellerOrderID: "sub-1-2026-11"},
			{AmazonBillingAgreementID: invalid, Amount: eur("9.99")},
			{AmazonBillingAgreementID: rejected, Amount: eur("9.99")},
			{AmazonBillingAgreementID: closed, Amount: eur("9.99")},
			{AmazonBillingAgreementID: ok2, Amount: &amazonpay.Price{Amount: "19.50"}},
		},
		CaptureNow:         true,
		TransactionTimeout: amazonpay.Int(0),
		SoftDescriptor:     "Monthly box",
		Concurrency:        3,
		Progress: func(r amazonpay.BillingAgreementChargeResult, done, total int) {
			if calls.Add(1) > 1 {
				overlapping.Add(1)
			}
			defer calls.Add(-1)
			assert.Equal(t, 5, total)
			dones = append(dones, done) // safe: calls never overlap
		},
	}
	res, err := c.ChargeBillingAgreements(ctx, in)
	require.NoError(t, err)
	require.Len(t, res, 5)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, dones)
	assert.Zero(t, overlapping.Load())
	for i, r := range res {
		assert.Equal(t, in.Charges[i].AmazonBillingAgreementID, r.AmazonBillingAgreementID, "results in input order")
		assert.Equal(t, amazonpay.ChargeReferenceID(r.AmazonBillingAgreementID, "2026-11"), r.AuthorizationReferenceID)
	}

	assert.Equal(t, amazonpay.ChargeCharged, res[0].Outcome)
	assert.NoError(t, res[0].Err)
	assert.Equal(t, amazonpay.AuthorizationClosed, res[0].AuthorizationDetails.AuthorizationStatus.State, "captured at once")
	assert.Equal(t, "9.99", res[0].AuthorizationDetails.CapturedAmount.Amount)
	assert.Equal(t, res[0].AuthorizationReferenceID, res[0].AuthorizationDetails.AuthorizationReferenceID)
	assert.NotEmpty(t, res[0].AmazonOrderReferenceID)

	assert.Equal(t, amazonpay.ChargeNeedsBuyer, res[1].Outcome)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, res[1].ReasonCode)
	assert.Equal(t, amazonpay.ChargeDeclined, res[2].Outcome)
	assert.Equal(t, amazonpay.ReasonAmazonRejected, res[2].ReasonCode)
	assert.Equal(t, amazonpay.ChargeFailed, res[3].Outcome, "the run went on after a failure")
	assert.ErrorIs(t, res[3].Err, amazonpay.ErrorInvalidBillingAgreementStatus)
	assert.Equal(t, amazonpay.ChargeCharged, res[4].Outcome)
	assert.Equal(t, "19.50", res[4].AuthorizationDetails.AuthorizationAmount.Amount)
	assert.Equal(t, "EUR", res[4].AuthorizationDetails.AuthorizationAmount.CurrencyCode, "the client's currency")

	// What went over the wire: one call per agreement, with the run's options.
	reqs := srv.RequestsFor("AuthorizeOnBillingAgreement")
	require.Len(t, reqs, 5)
	for _, r := range reqs {
		assert.Equal(t, "true", r.Params.Get("CaptureNow"))
		assert.Equal(t, "0", r.Params.Get("TransactionTimeout"))
		assert.Equal(t, "Monthly box", r.Params.Get("SoftDescriptor"))
		if r.Params.Get("AmazonBillingAgreementId") == ok1 {
			assert.Equal(t, "sub-1-2026-11", r.Params.Get("SellerOrderAttributes.SellerOrderId"))
		}
	}
	after := srv.MoneyMovements()
	assert.Equal(t, before.Authorizations+4, after.Authorizations, "two charged, two declined")
	assert.Equal(t, before.Captures+2, after.Captures)

	// Running the same period again, e.g. after a crash, charges nobody
	// twice and returns the original results.
	again, err := c.ChargeBillingAgreements(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, after, srv.MoneyMovements())
	for i := range res {
		assert.Equal(t, res[i].Outcome, again[i].Outcome, i)
		assert.Equal(t, res[i].AuthorizationDetails.AmazonAuthorizationID, again[i].AuthorizationDetails.AmazonAuthorizationID, i)
	}

	// The same period with another amount is refused, not charged.
	changed := *in
	changed.Charges = []amazonpay.BillingAgreementCharge{{AmazonBillingAgreementID: ok1, Amount: eur("10.00")}}
	changed.Progress = nil
	res2, err := c.ChargeBillingAgreements(ctx, &changed)
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ChargeFailed, res2[0].Outcome)
	assert.ErrorIs(t, res2[0].Err, amazonpay.ErrorDuplicateRequest)

	// The next period charges again.
	changed.PeriodKey = "2026-12"
	res3, err := c.ChargeBillingAgreements(ctx, &changed)
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ChargeCharged, res3[0].Outcome)
	assert.NotEqual(t, res[0].AuthorizationDetails.AmazonAuthorizationID, res3[0].AuthorizationDetails.AmazonAuthorizationID)
	assert.Equal(t, after.Authorizations+1, srv.MoneyMovements().Authorizations)
}

func TestChargeReferenceID(t *testing.T) {
	t.Parallel()
	a := amazonpay.ChargeReferenceID("C02-0000000-0000001", "2026-11")
	assert.Regexp(t, `^[A-Za-z0-9_-]{24}$`, a)
	assert.Equal(t, a, amazonpay.ChargeReferenceID("C02-0000000-0000001", "2026-11"), "stable")
	assert.NotEqual(t, a, amazonpay.ChargeReferenceID("C02-0000000-0000001", "2026-12"))
	assert.NotEqual(t, a, amazonpay.ChargeReferenceID("C02-0000000-0000002", "2026-11"))
	// The separator keeps the parts apart.
	assert.NotEqual(t, amazonpay.ChargeReferenceID("C02-0000000-00000012", "026-11"), amazonpay.ChargeReferenceID("C02-0000000-0000001", "2026-11"))
}

func TestChargeBillingAgreementsRejectsBadInputBeforeAnyCall(t *testing.T) {
	t.Parallel()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	good := amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: "C02-0000000-0000001", Amount: eur("1.00")}
	with := func(ch amazonpay.BillingAgreementCharge) *amazonpay.ChargeBillingAgreementsInput {
		return &amazonpay.ChargeBillingAgreementsInput{PeriodKey: "2026-11", Charges: []amazonpay.BillingAgreementCharge{good, ch}}
	}
	cases := []struct {
		name, field string
		in          *amazonpay.ChargeBillingAgreementsInput
	}{
		{"nil", "input", nil},
		{"no period", "PeriodKey", &amazonpay.ChargeBillingAgreementsInput{PeriodKey: " ", Charges: []amazonpay.BillingAgreementCharge{good}}},
		{"no charges", "Charges", &amazonpay.ChargeBillingAgreementsInput{PeriodKey: "2026-11"}},
		{"negative concurrency", "Concurrency", &amazonpay.ChargeBillingAgreementsInput{PeriodKey: "2026-11", Charges: []amazonpay.BillingAgreementCharge{good}, Concurrency: -1}},
		{"duplicate", "AmazonBillingAgreementId", with(good)},
		{"bad id", "AmazonBillingAgreementId", with(amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: "S02-0000000-0000001", Amount: eur("1.00")})},
		{"no amount", "AuthorizationAmount.Amount", with(amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: "C02-0000000-0000002"})},
		{"bad amount", "AuthorizationAmount.Amount", with(amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: "C02-0000000-0000002", Amount: eur("1,00")})},
		{"long soft descriptor", "SoftDescriptor", &amazonpay.ChargeBillingAgreementsInput{PeriodKey: "2026-11", Charges: []amazonpay.BillingAgreementCharge{good},
			SoftDescriptor: "much longer than sixteen"}},
	}
	for _, tc := range cases {
		res, err := c.ChargeBillingAgreements(ctx, tc.in)
		var ve *amazonpay.ValidationError
		require.True(t, errors.As(err, &ve), "%s: %v", tc.name, err)
		assert.Equal(t, "ChargeBillingAgreements", ve.Operation, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Nil(t, res, tc.name)
	}
	_, err := c.ChargeBillingAgreements(ctx, with(amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: "C02-0000000-0000002", Amount: eur("1,00")}))
	assert.Contains(t, err.Error(), "Charges[1]")
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

func TestChargeBillingAgreementsContextEnds(t *testing.T) {
	t.Parallel()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	var charges []amazonpay.BillingAgreementCharge
	for range 6 {
		charges = append(charges, amazonpay.BillingAgreementCharge{
			AmazonBillingAgreementID: openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK), Amount: eur("5.00")})
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	total := 0
	res, err := c.ChargeBillingAgreements(cctx, &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges, Concurrency: 1, TransactionTimeout: amazonpay.Int(0),
		Progress: func(r amazonpay.BillingAgreementChargeResult, done, n int) {
			mu.Lock()
			defer mu.Unlock()
			total = done
			if done == 2 {
				cancel() // the crash: stop after two
			}
		},
	})
	assert.ErrorIs(t, err, context.Canceled)
	require.Len(t, res, 6)
	assert.Equal(t, 6, total, "every agreement is reported")
	charged := 0
	for _, r := range res {
		if r.Outcome == amazonpay.ChargeCharged {
			charged++
		} else {
			assert.Equal(t, amazonpay.ChargeFailed, r.Outcome)
			assert.ErrorIs(t, r.Err, context.Canceled)
		}
	}
	assert.GreaterOrEqual(t, charged, 2)
	assert.LessOrEqual(t, charged, 3, "at most the one already handed to the worker")

	// Running the period again completes it, charging nobody twice.
	res, err = c.ChargeBillingAgreements(ctx, &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome)
	}
	assert.Equal(t, 6, srv.MoneyMovements().Authorizations)
}

// Against a sandbox whose quota restores in real time, a run paced by the
// client's limiter with the same quota is never throttled. The restore
// interval (200 ms) is far above scheduling noise.
func TestChargeBillingAgreementsPacedByQuota(t *testing.T) {
	t.Parallel()
	q := amazonpay.Quota{Burst: 3, Every: 200 * time.Millisecond}
	srv := amazonpaytest.NewServer(amazonpaytest.WithThrottleClock(time.Now),
		amazonpaytest.WithQuota("AuthorizeOnBillingAgreement", q))
	defer srv.Close()
	setup := srv.AmazonPay()
	var charges []amazonpay.BillingAgreementCharge
	for range 7 {
		charges = append(charges, amazonpay.BillingAgreementCharge{
			AmazonBillingAgreementID: openAgreement(t, srv, setup, amazonpaytest.PaymentMethodOK), Amount: eur("5.00")})
	}
	c := srv.AmazonPay(amazonpay.WithRateLimiter(amazonpay.NewLocalLimiter(amazonpay.Quotas{Sandbox: true,
		Override: map[string]amazonpay.Quota{"AuthorizeOnBillingAgreement": q}})))
	res, err := c.ChargeBillingAgreements(ctx, &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges, Concurrency: 4, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome)
	}
	reqs := srv.RequestsFor("AuthorizeOnBillingAgreement")
	assert.Len(t, reqs, 7, "no throttled attempt, no retry")
	for _, r := range reqs {
		assert.Empty(t, r.ErrorCode)
	}
}
