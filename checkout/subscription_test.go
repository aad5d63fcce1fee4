package checkout_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

func (e *env) subscribe(id string, m amazonpaytest.PaymentMethod) (string, *checkout.ReturnOutcome) {
	e.t.Helper()
	ba := e.billingAgreement(m)
	amount := eur("9.99")
	_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: id, BillingAgreementID: ba, Amount: &amount, FirstCharge: &amount})
	require.NoError(e.t, err)
	out, err := e.p.Return(ctx, e.flow(ba))
	require.NoError(e.t, err)
	return ba, out
}

// A subscriber who passes the challenge: the agreement validated, the
// first month charged and captured at once, the subscription Paid.
func TestSubscriptionPaid(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	ba, out := e.subscribe("sub-1", amazonpaytest.PaymentMethodSCAPass)
	assert.Equal(t, checkout.NextPaid, out.Next, "%+v", out.Payment)
	assert.Equal(t, checkout.KindSubscription, out.Payment.Kind)
	set := e.sb.RequestsFor("SetBillingAgreementDetails")
	require.Len(t, set, 1)
	assert.Equal(t, "MerchantInitiatedTransaction", set[0].Params.Get("BillingAgreementAttributes.BillingAgreementType"))
	assert.Equal(t, "9.99", set[0].Params.Get("BillingAgreementAttributes.SubscriptionAmount.Amount"))
	assert.Len(t, e.sb.RequestsFor("ValidateBillingAgreement"), 1)
	auth := e.sb.RequestsFor("AuthorizeOnBillingAgreement")
	require.Len(t, auth, 1)
	assert.Equal(t, "true", auth[0].Params.Get("CaptureNow"))
	assert.Equal(t, out.Payment.AuthorizationReferenceID, auth[0].Params.Get("AuthorizationReferenceId"))
	assert.Equal(t, "Open", e.sb.State(ba))
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
	assert.NotEmpty(t, out.Payment.ChargeOrderReferenceID)

	// The monthly charge: through ChargeBillingAgreements, recorded; a rerun
	// of the period charges nobody again.
	rep, err := e.p.ChargeSubscriptions(ctx, "2027-01")
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Charged)
	rep, err = e.p.ChargeSubscriptions(ctx, "2027-01")
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Charged)
	assert.Equal(t, 2, e.sb.MoneyMovements().Captures)
	got, err := e.p.Get(ctx, "sub-1")
	require.NoError(t, err)
	require.Len(t, got.Charges, 1)
	assert.Equal(t, amazonpay.ChargeCharged, got.Charges[0].Outcome)
	assert.Equal(t, "2027-01", got.Charges[0].Period)
}

// A subscriber whose challenge fails or who abandons it is not active, and
// no money moved.
func TestSubscriptionChallengeNotPassed(t *testing.T) {
	for _, tc := range []struct {
		method amazonpaytest.PaymentMethod
		next   checkout.Next
	}{
		{amazonpaytest.PaymentMethodSCAFail, checkout.NextBackToCart},
		{amazonpaytest.PaymentMethodSCAAbandon, checkout.NextChooseAnotherPaymentMethod},
	} {
		t.Run(string(tc.method), func(t *testing.T) {
			e := newEnv(t, checkout.Config{})
			_, out := e.subscribe("sub-1", tc.method)
			assert.Equal(t, tc.next, out.Next, "%+v", out.Payment)
			assert.NotEqual(t, checkout.StatePaid, out.Payment.State)
			assert.Equal(t, 0, e.sb.MoneyMovements().Authorizations)
			assert.Empty(t, e.sb.RequestsFor("AuthorizeOnBillingAgreement"))
		})
	}
}

// A declined first charge is no active subscription: the buyer chooses
// another method and the second attempt pays.
func TestSubscriptionFirstChargeDeclined(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	ba, out := e.subscribe("sub-1", amazonpaytest.PaymentMethodInvalid)
	assert.Equal(t, checkout.NextChooseAnotherPaymentMethod, out.Next, "%+v", out.Payment)
	assert.Equal(t, checkout.StateDeclined, out.Payment.State)
	assert.Equal(t, 0, e.sb.MoneyMovements().Captures)

	require.NoError(t, e.sb.SelectPaymentMethod(ba, amazonpaytest.PaymentMethodSCAPass))
	amount := eur("9.99")
	pay, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-1", BillingAgreementID: ba, Amount: &amount, FirstCharge: &amount})
	require.NoError(t, err)
	assert.Equal(t, 2, pay.Attempt)
	out, err = e.p.Return(ctx, e.flow(ba))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next, "%+v", out.Payment)
	assert.Equal(t, 1, e.sb.MoneyMovements().Captures)
}

// The buyer closes the billing agreement in their Amazon account; its
// notification reaches the IPN endpoint: the subscription records it and
// ChargeSubscriptions charges it no more (no call for it at all).
func TestChargeSubscriptionsSkipsAClosedAgreement(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	ipn := httptest.NewServer(amazonpay.NewNotificationHandler(e.sb.NotificationVerifier(), e.p.Apply))
	t.Cleanup(ipn.Close)
	e.sb.AddNotificationURL(ipn.URL)
	ba, out := e.subscribe("sub-1", amazonpaytest.PaymentMethodSCAPass)
	require.Equal(t, checkout.NextPaid, out.Next)
	require.NoError(t, e.sb.BuyerCancelBillingAgreement(ba))
	require.NoError(t, e.sb.WaitNotifications(ctx))

	got, err := e.p.Get(ctx, "sub-1")
	require.NoError(t, err)
	assert.Equal(t, checkout.StatePaid, got.State, "recorded on a paid payment, not canceled")
	assert.Equal(t, "Closed (BuyerCanceled)", got.AmazonState)
	n := len(e.sb.RequestsFor("AuthorizeOnBillingAgreement"))
	rep, err := e.p.ChargeSubscriptions(ctx, "2027-01")
	require.NoError(t, err)
	assert.Equal(t, checkout.ChargeReport{Period: "2027-01", Errors: map[string]error{}}, *rep)
	assert.Len(t, e.sb.RequestsFor("AuthorizeOnBillingAgreement"), n, "nothing sent for a closed agreement")
	assert.Equal(t, 1, e.sb.MoneyMovements().Captures)
}

// A monthly charge declined (the buyer's card was replaced by an invalid
// one) is recorded with its reason; running the period again repeats the
// same charge (same reference id) and records nothing new; after the
// buyer fixes the method, a later period charges.
func TestChargeSubscriptionsDeclined(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	ba, out := e.subscribe("sub-1", amazonpaytest.PaymentMethodSCAPass)
	require.Equal(t, checkout.NextPaid, out.Next)
	require.NoError(t, e.sb.SelectPaymentMethod(ba, amazonpaytest.PaymentMethodInvalid))

	rep, err := e.p.ChargeSubscriptions(ctx, "2027-01")
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Charged)
	assert.Equal(t, 1, rep.Declined+rep.NeedsBuyer, "%+v", rep)
	got, err := e.p.Get(ctx, "sub-1")
	require.NoError(t, err)
	require.Len(t, got.Charges, 1)
	c := got.Charges[0]
	assert.Equal(t, "2027-01", c.Period)
	assert.NotEqual(t, amazonpay.ChargeCharged, c.Outcome)
	assert.Equal(t, "InvalidPaymentMethod", c.ReasonCode)
	assert.Equal(t, eur("9.99"), c.Amount)
	assert.Equal(t, amazonpay.ChargeReferenceID(ba, "2027-01"), c.AuthorizationReferenceID)

	again, err := e.p.ChargeSubscriptions(ctx, "2027-01")
	require.NoError(t, err)
	assert.Equal(t, rep, again)
	after, err := e.p.Get(ctx, "sub-1")
	require.NoError(t, err)
	assert.Equal(t, got.Version, after.Version, "the same outcome is no change")
	for _, r := range e.sb.RequestsFor("AuthorizeOnBillingAgreement")[1:] {
		assert.Equal(t, c.AuthorizationReferenceID, r.Params.Get("AuthorizationReferenceId"))
	}
	assert.Equal(t, 1, e.sb.MoneyMovements().Captures, "only the first month")
}
