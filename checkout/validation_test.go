package checkout_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// Every entry point refuses bad input with a *amazonpay.ValidationError
// naming the field, before any call to Amazon or the store.
func TestBadInputRefusedBeforeAnyIO(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	price := eur("9.99")
	badPrice := eur("-1")
	noCurrency := amazonpay.Price{Amount: "1.00"}
	nonce := strings.Repeat("a", 32)
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"New nil client", "client", func() error { _, err := checkout.New(nil, e.store, checkout.Config{ReturnURL: returnURL}); return err }},
		{"New nil store", "store", func() error {
			_, err := checkout.New(e.sb.AmazonPay(), nil, checkout.Config{ReturnURL: returnURL})
			return err
		}},
		{"New relative URL", "ReturnURL", func() error {
			_, err := checkout.New(e.sb.AmazonPay(), e.store, checkout.Config{ReturnURL: "/return"})
			return err
		}},
		{"New URL with nonce", "ReturnURL", func() error {
			_, err := checkout.New(e.sb.AmazonPay(), e.store, checkout.Config{ReturnURL: returnURL + "?nonce=1"})
			return err
		}},
		{"New soft descriptor", "SoftDescriptor", func() error {
			_, err := checkout.New(e.sb.AmazonPay(), e.store, checkout.Config{ReturnURL: returnURL, SoftDescriptor: strings.Repeat("x", 17)})
			return err
		}},
		{"Confirm no id", "ID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{OrderReferenceID: "S02-1234567-1234567", Total: price})
			return err
		}},
		{"Confirm id with space", "ID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "a b", OrderReferenceID: "S02-1234567-1234567", Total: price})
			return err
		}},
		{"Confirm long id", "ID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: strings.Repeat("x", 129), OrderReferenceID: "S02-1234567-1234567", Total: price})
			return err
		}},
		{"Confirm no order reference", "OrderReferenceID", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "o", Total: price})
			return err
		}},
		{"Confirm no total", "Total.Amount", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "o", OrderReferenceID: "S02-1234567-1234567"})
			return err
		}},
		{"Confirm negative total", "Total.Amount", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "o", OrderReferenceID: "S02-1234567-1234567", Total: badPrice})
			return err
		}},
		{"Confirm no currency", "Total.CurrencyCode", func() error {
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "o", OrderReferenceID: "S02-1234567-1234567", Total: noCurrency})
			return err
		}},
		{"ConfirmSubscription no agreement", "BillingAgreementID", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "s", FirstCharge: &price})
			return err
		}},
		{"ConfirmSubscription no first charge", "FirstCharge.Amount", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "s", BillingAgreementID: "C02-1234567-1234567"})
			return err
		}},
		{"ConfirmSubscription bad amount", "Amount.Amount", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "s", BillingAgreementID: "C02-1234567-1234567", FirstCharge: &price, Amount: &badPrice})
			return err
		}},
		{"ConfirmSubscription bad type", "Type", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{ID: "s", BillingAgreementID: "C02-1234567-1234567", FirstCharge: &price, Type: "Monthly"})
			return err
		}},
		{"Return repeated payment", "payment", func() error {
			_, err := e.p.Return(ctx, map[string][]string{"payment": {"a", "b"}, "nonce": {nonce}, "AuthenticationStatus": {"Success"}})
			return err
		}},
		{"Return upper-case nonce", "nonce", func() error {
			_, err := e.p.Return(ctx, map[string][]string{"payment": {"a"}, "nonce": {strings.Repeat("A", 32)}, "AuthenticationStatus": {"Success"}})
			return err
		}},
		{"Return no status", "AuthenticationStatus", func() error {
			_, err := e.p.Return(ctx, map[string][]string{"payment": {"a"}, "nonce": {nonce}})
			return err
		}},
		{"Return payment with a space", "payment", func() error {
			_, err := e.p.Return(ctx, map[string][]string{"payment": {"a b"}, "nonce": {nonce}, "AuthenticationStatus": {"Success"}})
			return err
		}},
		{"ConfirmSubscription no id", "ID", func() error {
			_, err := e.p.ConfirmSubscription(ctx, checkout.Subscription{BillingAgreementID: "C02-1234567-1234567", FirstCharge: &price})
			return err
		}},
		{"Get no id", "ID", func() error { _, err := e.p.Get(ctx, ""); return err }},
		{"ChargeSubscriptions no period", "period", func() error { _, err := e.p.ChargeSubscriptions(ctx, ""); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ve *amazonpay.ValidationError
			require.ErrorAs(t, tc.call(), &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Empty(t, e.sb.Requests(), "nothing was sent")
	list, err := e.store.List(ctx, []checkout.State{checkout.StateConfirmed}, 0)
	require.NoError(t, err)
	assert.Empty(t, list, "nothing was stored")
}

// A Confirm for a payment that is final or has a call outstanding is
// refused with ErrFinal or ErrInProgress, without calling Amazon.
func TestConfirmWhenFinalOrInProgress(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	out, err := e.buy("order-1", amazonpaytest.PaymentMethodSCAPass, "10.00")
	require.NoError(t, err)
	require.Equal(t, checkout.NextPaid, out.Next)
	n := len(e.sb.Requests())
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: out.Payment.OrderReferenceID, Total: eur("10.00")})
	assert.ErrorIs(t, err, checkout.ErrFinal)
	assert.Len(t, e.sb.Requests(), n)

	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-2", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	e.sb.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultServiceUnavailable})
	out, err = e.p.Return(ctx, q)
	require.NoError(t, err)
	require.Equal(t, checkout.NextPending, out.Next, "%+v", out.Payment)
	n = len(e.sb.Requests())
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-2", OrderReferenceID: oro, Total: eur("10.00")})
	assert.ErrorIs(t, err, checkout.ErrInProgress)
	assert.Len(t, e.sb.Requests(), n)

	// Another payment cannot take an order reference that has one.
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-3", OrderReferenceID: oro, Total: eur("10.00")})
	var ve *amazonpay.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "OrderReferenceID", ve.Field)
}
