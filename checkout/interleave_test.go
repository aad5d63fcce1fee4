package checkout_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// hookStore runs hook once, just before the first Update that would store
// a payment in state at: what another process (an IPN, Amazon) does while
// Return waits for Amazon's answer.
type hookStore struct {
	checkout.Store
	at   checkout.State
	once sync.Once
	hook func()
}

func (s *hookStore) Update(ctx context.Context, p *checkout.Payment) error {
	if p.State == s.at {
		s.once.Do(s.hook)
	}
	return s.Store.Update(ctx, p)
}

// interleaved is a Payments on e's store through a hookStore.
func (e *env) interleaved(cfg checkout.Config, at checkout.State, hook func()) *checkout.Payments {
	e.t.Helper()
	cfg.ReturnURL = returnURL
	p, err := checkout.New(e.sb.AmazonPay(), &hookStore{Store: e.store, at: at, hook: hook}, cfg)
	require.NoError(e.t, err)
	return p
}

// change is another writer's compare-and-swap on the stored payment.
func (e *env) change(id string, fn func(*checkout.Payment)) {
	e.t.Helper()
	cur, err := e.store.Get(ctx, id)
	require.NoError(e.t, err)
	fn(cur)
	cur.Version++
	require.NoError(e.t, e.store.Update(ctx, cur))
}

// A notification recorded the order reference's state while the
// authorization was in flight: its answer is recorded on that newer
// version, which awaits the same call, without repeating the call.
func TestAnswerRecordedOnANewerVersion(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	p := e.interleaved(checkout.Config{CaptureNow: true}, checkout.StateCapturing, func() {
		e.change("order-1", func(n *checkout.Payment) { n.AmazonState = "Open" })
	})
	_, err := p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	out, err := p.Return(ctx, e.flow(oro))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	assert.Equal(t, "Open", out.Payment.AmazonState, "the other writer's change is kept")
	// confirmed 1, authorizing 2, the other writer 3, capturing 4, paid 5.
	assert.Equal(t, int64(5), out.Payment.Version)
	assert.Len(t, e.sb.RequestsFor("Authorize"), 1, "not repeated")
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, e.sb.MoneyMovements())
}

// The authorization's notification settled the payment while its reply
// was on the way (another process moved it to capturing with Amazon's
// ids): Return's write conflicts, it reads the payment again and goes on
// from there: it reads the capture and records it paid.
func TestAnswerAfterANotificationSettledTheCall(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	p := e.interleaved(checkout.Config{CaptureNow: true}, checkout.StateCapturing, func() {
		auth := e.sb.Objects(amazonpaytest.KindAuthorization)[0]
		e.change("order-1", func(n *checkout.Payment) {
			n.State, n.AuthorizationID, n.CaptureID = checkout.StateCapturing, auth.ID, auth.Children[0]
		})
	})
	_, err := p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	out, err := p.Return(ctx, e.flow(oro))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextPaid, out.Next)
	caps := e.captures(oro)
	require.Len(t, caps, 1)
	assert.Equal(t, caps[0].ID, out.Payment.CaptureID)
	assert.Equal(t, caps[0].Parent, out.Payment.AuthorizationID)
	assert.Len(t, e.sb.RequestsFor("Authorize"), 1)
	assert.Len(t, e.sb.RequestsFor("GetCaptureDetails"), 1, "one read, from the other writer's version")
}

// Amazon canceled the order reference between the authorization and the
// capture (capture later): the capture is refused, the payment canceled
// (Amazon's cancelation counts as done), the buyer sent back to the cart,
// and no money moved.
func TestAmazonCanceledBetweenAuthorizationAndCapture(t *testing.T) {
	e := newEnv(t, checkout.Config{})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	p := e.interleaved(checkout.Config{}, checkout.StateCapturing, func() { require.NoError(t, e.sb.AmazonCancel(oro)) })
	_, err := p.Confirm(ctx, checkout.Purchase{ID: "order-1", OrderReferenceID: oro, Total: eur("10.00")})
	require.NoError(t, err)
	out, err := p.Return(ctx, e.flow(oro))
	require.NoError(t, err)
	assert.Equal(t, checkout.NextBackToCart, out.Next)
	assert.Equal(t, checkout.StateCanceled, out.Payment.State)
	assert.Equal(t, "Canceled", e.sb.State(oro))
	assert.Len(t, e.sb.RequestsFor("Capture"), 1)
	assert.Empty(t, e.captures(oro))
	for _, a := range e.sb.Objects(amazonpaytest.KindAuthorization) {
		assert.Equal(t, "Closed", a.State, "no authorization left open")
	}
}

// keepHookStore creates a payment right after a notification about it was
// kept: a Confirm that created the payment and looked for kept
// notifications just before this one was stored.
type keepHookStore struct {
	checkout.Store
	create *checkout.Payment
}

func (s *keepHookStore) RecordNotification(ctx context.Context, n *checkout.StoredNotification, p *checkout.Payment) error {
	err := s.Store.RecordNotification(ctx, n, p)
	if p == nil && s.create != nil {
		c := s.create
		s.create = nil
		if cerr := s.Store.Create(ctx, c); cerr != nil {
			return cerr
		}
	}
	return err
}

// A notification kept for a payment that a concurrent Confirm created in
// between is applied at once, not left for a Confirm that will not come:
// Amazon canceled the order reference, so the payment is canceled.
func TestApplyKeptWhileThePaymentWasCreated(t *testing.T) {
	e := newEnv(t, checkout.Config{CaptureNow: true})
	oro := e.orderReference(amazonpaytest.PaymentMethodSCAPass)
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s := &keepHookStore{Store: e.store, create: &checkout.Payment{ID: "order-1", Kind: checkout.KindPurchase,
		State: checkout.StateConfirmed, OrderReferenceID: oro, Total: eur("10.00"), Attempt: 1, Version: 1, Created: at, Updated: at}}
	p, err := checkout.New(e.sb.AmazonPay(), s, checkout.Config{ReturnURL: returnURL, CaptureNow: true})
	require.NoError(t, err)
	data := `<OrderReferenceNotification xmlns="https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01"><OrderReference>` +
		`<AmazonOrderReferenceId>` + oro + `</AmazonOrderReferenceId><OrderReferenceStatus><State>Canceled</State>` +
		`<ReasonCode>AmazonCanceled</ReasonCode></OrderReferenceStatus>` +
		`</OrderReference></OrderReferenceNotification>`
	n, err := amazonpay.ParseNotificationData(amazonpay.NotificationTypeOrderReference, []byte(data))
	require.NoError(t, err)
	n.NotificationReferenceID, n.Timestamp = "note-1", at

	require.NoError(t, p.Apply(ctx, n))
	got, err := e.store.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, checkout.StateCanceled, got.State)
	assert.Equal(t, "Canceled:AmazonCanceled", got.Reason)
	assert.Equal(t, "Canceled (AmazonCanceled)", got.AmazonState)
	assert.True(t, got.AmazonStateTime.Equal(at), "no LastUpdateTimestamp: the notification's time")
	kept, err := e.store.PendingNotifications(ctx, oro)
	require.NoError(t, err)
	assert.Empty(t, kept, "applied")
	require.NoError(t, p.Apply(ctx, n), "again: a duplicate, acknowledged")
	again, err := e.store.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, got.Version, again.Version)
	assert.Empty(t, e.sb.Requests(), "Apply calls Amazon for nothing")
}
