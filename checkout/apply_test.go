package checkout_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// ipn makes the sandbox notify e.p.Apply through the SDK's verifying
// handler, and records every notification applied.
func (e *env) ipn() *applied {
	e.t.Helper()
	a := &applied{}
	h := amazonpay.NewNotificationHandler(e.sb.NotificationVerifier(), func(ctx context.Context, n *amazonpay.Notification) error {
		a.mu.Lock()
		a.list = append(a.list, n)
		a.mu.Unlock()
		return e.p.Apply(ctx, n)
	})
	ts := httptest.NewServer(h)
	e.t.Cleanup(ts.Close)
	e.sb.AddNotificationURL(ts.URL)
	e.t.Cleanup(e.waitIPN)
	return a
}

// holdIPN holds every notification POST until the returned release is
// called: SNS may deliver long after the reply.
func (e *env) holdIPN() (release func()) {
	open := make(chan struct{})
	e.sb.SetNotificationHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		select {
		case <-open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
		return http.DefaultTransport.RoundTrip(r)
	})})
	var once sync.Once
	release = func() { once.Do(func() { close(open) }) }
	e.t.Cleanup(release)
	return release
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type applied struct {
	mu   sync.Mutex
	list []*amazonpay.Notification
}

func (a *applied) all() []*amazonpay.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*amazonpay.Notification(nil), a.list...)
}

func (e *env) waitIPN() {
	e.t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(e.t, e.sb.WaitNotifications(c))
}

// Amazon cancels the order reference while the buyer is at the challenge:
// the payment is Canceled by the notification, and the return that comes
// afterwards answers back-to-cart and sends nothing.
func TestApplyAmazonCanceledBeforeTheReturn(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true}, amazonpaytest.WithFrozenClock())
	e.ipn()
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	e.waitIPN()
	require.NoError(t, e.sb.AmazonCancel(oro))
	e.waitIPN()
	pay, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, checkout.StateCanceled, pay.State)
	assert.Equal(t, "Canceled (AmazonCanceled)", pay.AmazonState)

	n := len(e.sb.Requests())
	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextBackToCart, out.Next)
	assert.Len(t, e.sb.Requests(), n)
	assert.Equal(t, 0, e.sb.MoneyMovements().Authorizations)
}

// The authorization's reply is lost on every retry; the notifications
// Amazon sends tell the payment Amazon's authorization and capture ids.
// A capture's notification settles the payment only once its
// authorization is known (a Paid payment holds both ids), so when the
// capture's comes first the payment waits in capturing with both ids and
// Reconcile reads the capture: Paid, one capture, no new attempt.
func TestApplySettlesALostReply(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true}, amazonpaytest.WithFrozenClock())
	e.ipn()
	release := e.holdIPN()
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	e.sb.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPending, out.Next)
	release()
	e.waitIPN()
	pay, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	caps := e.captures(oro)
	require.Len(t, caps, 1)
	assert.Contains(t, []checkout.State{checkout.StatePaid, checkout.StateCapturing}, pay.State)
	assert.Equal(t, caps[0].ID, pay.CaptureID)
	assert.Equal(t, caps[0].Parent, pay.AuthorizationID)
	if pay.State == checkout.StateCapturing {
		_, err := e.p.Reconcile(ctx)
		require.NoError(t, err)
		pay, err = e.p.Get(ctx, "order-1")
		require.NoError(t, err)
	}
	assert.Equal(t, checkout.StatePaid, pay.State)
	assert.Len(t, e.sb.RequestsFor("Authorize"), 4, "no new attempt")
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
	rep, err := e.p.Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Checked)
}

// Each notification applies once however often it comes, and an older
// state after a newer one changes nothing: redelivered and replayed, the
// payment's version stays.
func TestApplyIdempotentAndNeverBackwards(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true}, amazonpaytest.WithFrozenClock())
	got := e.ipn()
	out, err := e.buy("order-1", amazonpaytest.PaymentMethodSCAPass, "10.00")
	require.NoError(t, err)
	require.Equal(t, checkout.NextPaid, out.Next)
	refund, err := e.sb.AmazonRefund(out.Payment.CaptureID, "4.00", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	e.waitIPN()
	e.sb.Advance(31 * time.Second)
	e.waitIPN()
	pay, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, []checkout.Refund{{ID: refund, Amount: eur("4.00"), State: "Completed"}}, pay.Refunds)

	all := got.all()
	require.NotEmpty(t, all)
	for range 2 { // every notification again, oldest first, then newest first
		for _, n := range all {
			require.NoError(t, e.p.Apply(ctx, n))
		}
		for i := len(all) - 1; i >= 0; i-- {
			require.NoError(t, e.p.Apply(ctx, all[i]))
		}
	}
	again, err := e.p.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, pay, again)
}

// A notification about an order reference no payment has yet is kept, and
// applied when Confirm creates the payment: Amazon canceled it, so the
// payment is final at once and nothing is confirmed.
func TestApplyKeptUntilThePaymentAppears(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true}, amazonpaytest.WithFrozenClock())
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	data := `<OrderReferenceNotification xmlns="https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01"><OrderReference>` +
		`<AmazonOrderReferenceId>` + oro + `</AmazonOrderReferenceId><OrderReferenceStatus><State>Canceled</State>` +
		`<ReasonCode>AmazonCanceled</ReasonCode><LastUpdateTimestamp>2026-12-07T10:00:00Z</LastUpdateTimestamp></OrderReferenceStatus>` +
		`</OrderReference></OrderReferenceNotification>`
	n, err := amazonpay.ParseNotificationData(amazonpay.NotificationTypeOrderReference, []byte(data))
	require.NoError(t, err)
	n.NotificationReferenceID, n.Timestamp = "note-1", time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	require.NoError(t, e.p.Apply(ctx, n))
	require.NoError(t, e.p.Apply(ctx, n), "kept twice is kept once")

	pay, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	assert.ErrorIs(t, err, checkout.ErrFinal)
	require.NotNil(t, pay)
	assert.Equal(t, checkout.StateCanceled, pay.State)
	assert.Empty(t, e.sb.RequestsFor("ConfirmOrderReference"))
	kept, err := e.store.PendingNotifications(ctx, oro)
	require.NoError(t, err)
	assert.Empty(t, kept, "applied now")
}

// Bad notifications are refused before anything is read.
func TestApplyRefusesBadInput(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	var ve *amazonpay.ValidationError
	require.ErrorAs(t, e.p.Apply(ctx, nil), &ve)
	require.ErrorAs(t, e.p.Apply(ctx, &amazonpay.Notification{}), &ve)
	assert.Equal(t, "NotificationReferenceId", ve.Field)
	// A notification about no payment at all is acknowledged, not kept.
	assert.NoError(t, e.p.Apply(ctx, &amazonpay.Notification{NotificationReferenceID: "x", NotificationType: amazonpay.NotificationTypeChargeback}))
}

// Amazon canceled the order reference while the buyer was at the
// challenge and its notification has not come: the authorization is
// refused, and the package reads why: the payment is Canceled, the buyer
// back to the cart.
func TestReturnAfterAmazonCanceledUnnotified(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true}, amazonpaytest.WithFrozenClock())
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	q := e.flow(oro)
	require.NoError(t, e.sb.AmazonCancel(oro))
	out, err := e.p.Return(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, checkout.NextBackToCart, out.Next)
	assert.Equal(t, checkout.StateCanceled, out.Payment.State)
	assert.Equal(t, "Canceled:AmazonCanceled", out.Payment.Reason)
	assert.Equal(t, 0, e.sb.MoneyMovements().Authorizations)
}

// interleavingStore records a notification's change (the order
// reference's state) just before the first Update to authorizing, as an
// IPN applied by another request at that moment would.
type interleavingStore struct {
	checkout.Store
	once sync.Once
}

func (s *interleavingStore) Update(ctx context.Context, p *checkout.Payment) error {
	if p.State == checkout.StateAuthorizing {
		s.once.Do(func() {
			cur, err := s.Store.Get(ctx, p.ID)
			if err == nil {
				cur.Version++
				cur.AmazonState = "Open"
				_ = s.Store.Update(ctx, cur)
			}
		})
	}
	return s.Store.Update(ctx, p)
}

// A notification recorded while Return decides does not leave the buyer
// pending with nothing sent: Return decides again on the newer version
// and authorizes.
func TestReturnDecidesAgainAfterANotificationWrite(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	e.store = &interleavingStore{Store: e.store}
	e.p = e.payments(checkout.Config{CaptureNow: true})
	out, err := e.buy("order-1", amazonpaytest.PaymentMethodSCAPass, "10.00")
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next, "%+v", out.Payment)
	assert.Equal(t, "Open", out.Payment.AmazonState)
	assert.Len(t, e.sb.RequestsFor("Authorize"), 1)
}
