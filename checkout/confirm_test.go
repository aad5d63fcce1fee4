package checkout_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// After a decline the buyer presses "buy now" again, but Amazon canceled
// the order reference meanwhile (unnotified): Confirm reads it, records
// the payment Canceled and answers ErrFinal; nothing more is sent.
func TestConfirmAfterAmazonCanceledTheOrderReference(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	out, err := e.buy("order-1", amazonpaytest.PaymentMethodInvalid, "10.00")
	require.NoError(t, err)
	require.Equal(t, checkout.NextChooseAnotherPaymentMethod, out.Next)
	oro := out.Payment.OrderReferenceID
	require.NoError(t, e.sb.AmazonCancel(oro))

	pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	assert.ErrorIs(t, err, checkout.ErrFinal)
	require.NotNil(t, pay)
	assert.Equal(t, checkout.StateCanceled, pay.State)
	assert.Equal(t, "OrderReferenceCanceled:AmazonCanceled", pay.Reason)
	// Two writes: the next attempt begun, then canceled on Amazon's word.
	assert.Equal(t, out.Payment.Version+2, pay.Version)
	assert.Equal(t, 2, pay.Attempt)
	assert.Len(t, e.sb.RequestsFor("ConfirmOrderReference"), 1, "not confirmed again")
	assert.Len(t, e.sb.RequestsFor("Authorize"), 1)
	got, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, pay, got)
	// And for good: a further Confirm is ErrFinal without a call.
	n := len(e.sb.Requests())
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	assert.ErrorIs(t, err, checkout.ErrFinal)
	assert.Len(t, e.sb.Requests(), n)
}

// The same for a subscription whose buyer closed the billing agreement in
// their Amazon account after the first charge was declined.
func TestConfirmSubscriptionAfterTheAgreementWasClosed(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	ba, out := e.subscribe("sub-1", amazonpaytest.PaymentMethodInvalid)
	require.Equal(t, checkout.NextChooseAnotherPaymentMethod, out.Next)
	require.NoError(t, e.sb.AmazonCancel(ba))

	amount := eur("9.99")
	pay, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-1", BillingAgreementID: ba, Amount: &amount, FirstCharge: &amount})
	assert.ErrorIs(t, err, checkout.ErrFinal)
	require.NotNil(t, pay)
	assert.Equal(t, checkout.StateCanceled, pay.State)
	assert.Equal(t, "BillingAgreementCanceled:AmazonCanceled", pay.Reason)
	assert.Len(t, e.sb.RequestsFor("ConfirmBillingAgreement"), 1)
	assert.Equal(t, 0, e.sb.MoneyMovements().Captures)
}

// A second confirmation of a payment id must be the same request as the
// first in everything the first fixed: the kind, the Amazon object, the
// amount. Each difference is a ValidationError naming the field, and
// nothing is sent or stored.
func TestConfirmRefusesAnotherRequest(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	ba := e.billingAgreement(amazonpaytest.PaymentMethodSCAPass)
	first := eur("9.99")
	_, err = e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-1", BillingAgreementID: ba, FirstCharge: &first})
	require.NoError(t, err)
	other := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	otherBA := e.billingAgreement(amazonpaytest.PaymentMethodSCAPass)
	more := eur("19.99")
	before := map[string]*checkout.Payment{}
	for _, id := range []string{"order-1", "sub-1"} {
		before[id], err = e.p.Get(ctx, id)
		require.NoError(t, err)
	}
	n := len(e.sb.Requests())

	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"a subscription with a purchase's id", "ID", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "order-1", BillingAgreementID: otherBA, FirstCharge: &first})
			return err
		}},
		{"another order reference", "OrderReferenceID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: other, Total: eur("10.00")})
			return err
		}},
		{"another billing agreement", "BillingAgreementID", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-1", BillingAgreementID: otherBA, FirstCharge: &first})
			return err
		}},
		{"another first charge", "FirstCharge", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-1", BillingAgreementID: ba, FirstCharge: &more})
			return err
		}},
		{"another payment's billing agreement", "BillingAgreementID", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-2", BillingAgreementID: ba, FirstCharge: &first})
			return err
		}},
		{"another payment's order reference", "OrderReferenceID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-2", OrderReferenceID: oro, Total: eur("10.00")})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ve *amazonpay.ValidationError
			require.ErrorAs(t, tc.call(), &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Len(t, e.sb.Requests(), n, "nothing sent")
	for id, want := range before {
		got, err := e.p.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, got, "nothing changed")
	}
	for _, id := range []string{"order-2", "sub-2"} {
		_, err := e.p.Get(ctx, id)
		assert.ErrorIs(t, err, checkout.ErrNotFound, "nothing stored")
	}
}
