package checkout_test

import (
	"net/url"
	"strings"
	"sync"

	"github.com/amazonpay-go/amazonpay"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// A buyer whose issuer challenges and passes pays once, with CaptureNow:
// the store holds Amazon's ids and the sandbox one capture of the total.
func TestPurchasePaid(t *testing.T) {
	for _, captureNow := range []bool{true, false} {
		e := newEnv(t, checkout.Config{CaptureNow: captureNow})
		oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
		pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("42.50"), SellerOrderID: "1"})
		require.NoError(t, err)
		assert.Equal(t, checkout.StateConfirmed, pay.State)
		assert.Equal(t, int64(1), pay.Version)
		out, err := e.p.Return(ctx, e.flow(oro))
		require.NoError(t, err)
		assert.Equal(t, checkout.NextPaid, out.Next, "%+v", out.Payment)
		assert.Equal(t, checkout.StatePaid, out.Payment.State)
		caps := e.captures(oro)
		require.Len(t, caps, 1)
		assert.Equal(t, "42.50", caps[0].Amount)
		assert.Equal(t, "Completed", caps[0].State)
		assert.Equal(t, caps[0].ID, out.Payment.CaptureID)
		assert.Equal(t, caps[0].Parent, out.Payment.AuthorizationID)
		got, err := e.p.Get(ctx, "order-1")
		require.NoError(t, err)
		assert.Equal(t, out.Payment, got)
		assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
		if captureNow {
			assert.Len(t, e.sb.RequestsFor("Capture"), 0)
		} else {
			assert.Len(t, e.sb.RequestsFor("Capture"), 1)
		}
	}
}

// Declines, per reason code, as Amazon recommends.
func TestPurchaseDeclines(t *testing.T) {
	for _, tc := range []struct {
		method amazonpaytest.PaymentMethod
		next   checkout.Next
		state  checkout.State
		oro    string // the order reference's state at the sandbox afterwards
	}{
		{amazonpaytest.PaymentMethodInvalid, checkout.NextChooseAnotherPaymentMethod, checkout.StateDeclined, "Suspended"},
		{amazonpaytest.PaymentMethodSCAAbandon, checkout.NextChooseAnotherPaymentMethod, checkout.StateDeclined, "Suspended"},
		{amazonpaytest.PaymentMethodRejected, checkout.NextBackToCart, checkout.StateCanceled, "Closed"},
		{amazonpaytest.PaymentMethodSCAFail, checkout.NextBackToCart, checkout.StateCanceled, "Canceled"},
		{amazonpaytest.PaymentMethodTimedOut, checkout.NextBackToCart, checkout.StateCanceled, "Canceled"},
	} {
		t.Run(string(tc.method), func(t *testing.T) {
			e := newEnv(t, checkout.Config{CaptureNow: true})
			oro := e.orderReference(tc.method)
			_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
			require.NoError(t, err)
			out, err := e.p.Return(ctx, e.flow(oro))
			require.NoError(t, err)
			assert.Equal(t, tc.next, out.Next, "%+v", out.Payment)
			assert.Equal(t, tc.state, out.Payment.State)
			assert.Equal(t, tc.oro, e.sb.State(oro))
			assert.Equal(t, 0, e.sb.MoneyMovements().Captures)
			if tc.next != checkout.NextPaid {
				assert.NotEmpty(t, out.BuyerMessage("de-DE"))
			}
		})
	}
}

// After a decline the buyer picks another card in the wallet of the same
// order reference and pays: a new attempt with a new reference id, and the
// first attempt's return URL is dead.
func TestPurchaseNewAttemptAfterDecline(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodInvalid)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	first := e.flow(oro)
	out, err := e.p.Return(ctx, first)
	require.NoError(t, err)
	require.Equal(t, checkout.NextChooseAnotherPaymentMethod, out.Next)
	firstRef := out.Payment.AuthorizationReferenceID

	require.NoError(t, e.sb.SelectPaymentMethod(oro, amazonpaytest.PaymentMethodSCAPass))
	pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	assert.Equal(t, 2, pay.Attempt)
	assert.Len(t, e.sb.RequestsFor("SetOrderAttributes"), 1, "set only while Draft")
	assert.Len(t, e.sb.RequestsFor("ConfirmOrderReference"), 2)

	_, err = e.p.Return(ctx, first)
	assert.ErrorIs(t, err, checkout.ErrForgedReturn, "the first attempt's URL is dead")
	assert.Len(t, e.sb.RequestsFor("Authorize"), 1)

	out, err = e.p.Return(ctx, e.flow(oro))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	auths := e.sb.RequestsFor("Authorize")
	require.Len(t, auths, 2)
	assert.Equal(t, firstRef, auths[0].Params.Get("AuthorizationReferenceId"))
	assert.NotEqual(t, firstRef, auths[1].Params.Get("AuthorizationReferenceId"))
	assert.Equal(t, out.Payment.AuthorizationReferenceID, auths[1].Params.Get("AuthorizationReferenceId"))
	assert.Equal(t, 1, e.sb.MoneyMovements().Captures)
}

// A Confirm with another total than the first is refused before any call.
func TestConfirmRefusesAnotherTotal(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	n := len(e.sb.Requests())
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("12.00")})
	var ve *amazonpay.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Total", ve.Field)
	assert.Len(t, e.sb.Requests(), n)
	// The same total written differently is the same total.
	_, err = e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.0")})
	assert.NoError(t, err)
}

// Returns that are not the current attempt's change nothing and call
// Amazon for nothing: an unknown payment, a wrong nonce, a nonce of the
// wrong shape, a query without the package's parameters.
func TestReturnForged(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	good := e.flow(oro)
	n := len(e.sb.Requests())
	with := func(k, v string) url.Values {
		q := url.Values{}
		for key, vs := range good {
			q[key] = append([]string(nil), vs...)
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	for name, tc := range map[string]struct {
		q     url.Values
		field string // a ValidationError's field, or "" for ErrForgedReturn
	}{
		"wrong nonce":     {with("nonce", strings.Repeat("0", 32)), ""},
		"unknown payment": {with("payment", "order-2"), ""},
		"nonce shape":     {with("nonce", "x"), "nonce"},
		"no nonce":        {with("nonce", ""), "nonce"},
		"no payment":      {with("payment", ""), "payment"},
		"only Amazon's":   {url.Values{"AuthenticationStatus": {"Success"}}, "payment"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.p.Return(ctx, tc.q)
			if tc.field == "" {
				assert.ErrorIs(t, err, checkout.ErrForgedReturn)
			} else {
				var ve *amazonpay.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
		})
	}
	assert.Len(t, e.sb.Requests(), n, "nothing sent to Amazon")
	got, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, pay, got, "nothing changed")

	out, err := e.p.Return(ctx, good)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	// A paid payment's return, again: answered, nothing sent.
	n = len(e.sb.Requests())
	again, err := e.p.Return(ctx, good)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, again.Next)
	assert.Equal(t, out.Payment.Version, again.Payment.Version)
	assert.Len(t, e.sb.Requests(), n)
}

// Two returns of one payment at once (a double click, two tabs) make one
// authorization; the other answers NextPending or NextPaid, never an error.
func TestReturnTwiceAtOnce(t *testing.T) {
	for range 20 {
		e := newEnv(t, checkout.Config{CaptureNow: true})
		oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
		_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
		require.NoError(t, err)
		q := e.flow(oro)
		other := e.payments(checkout.Config{CaptureNow: true})
		var wg sync.WaitGroup
		outs := make([]*checkout.ReturnOutcome, 2)
		errs := make([]error, 2)
		for i, p := range []*checkout.Payments{e.p, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], errs[i] = p.Return(ctx, q)
			}()
		}
		wg.Wait()
		for i := range outs {
			require.NoError(t, errs[i])
			assert.Contains(t, []checkout.Next{checkout.NextPaid, checkout.NextPending}, outs[i].Next)
		}
		assert.Len(t, e.sb.RequestsFor("Authorize"), 1)
		assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
	}
}

// The reply of the authorization is lost on every retry: the payment is
// Unknown and the page pending; Reconcile (another process, after a
// restart) repeats the call with the same reference id and finds it paid:
// one capture.
func TestLostReplyReconciled(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	e.sb.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPending, out.Next)
	assert.Equal(t, checkout.StateUnknown, out.Payment.State)
	assert.Equal(t, 1, e.sb.MoneyMovements().Captures, "Amazon acted")

	rep, err := e.payments(checkout.Config{CaptureNow: true}).Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Checked)
	assert.Equal(t, map[checkout.State]int{checkout.StatePaid: 1}, rep.Settled)
	got, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, checkout.StatePaid, got.State)
	auths := e.sb.RequestsFor("Authorize")
	require.Len(t, auths, 5)
	for _, a := range auths {
		assert.Equal(t, got.AuthorizationReferenceID, a.Params.Get("AuthorizationReferenceId"))
	}
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
	// A return now answers paid and calls nothing.
	n := len(e.sb.Requests())
	out, err = e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	assert.Len(t, e.sb.Requests(), n)
}
