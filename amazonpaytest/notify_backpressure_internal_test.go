package amazonpaytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/require"
)

// queued is how many notifications wait to be sent.
func (h *Handler) queuedNotifications() int {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	return len(h.notify.queue)
}

// A client faster than the endpoint it notifies waits for room in the
// notification queue (WithKeep entries) instead of queueing without
// bound: a call answers only once the queue is below the bound.
func TestNotificationQueueBackPressure(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithFrozenClock(), WithKeep(1))
	t.Cleanup(srv.Close)
	arrived, release := make(chan struct{}, 16), make(chan struct{}, 16)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	t.Cleanup(sink.Close)
	t.Cleanup(func() { close(release) }) // runs before sink.Close, which waits for the handler
	srv.AddNotificationURL(sink.URL)
	c := srv.AmazonPay()
	ctx := context.Background()
	id := srv.CreateOrderReference(TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"}}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	require.NoError(t, err) // queues one notification (Open) ...
	<-arrived               // ... which the endpoint now holds
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)

	queuedAtAnswer := make(chan int, 1)
	go func() {
		// Authorize with CaptureNow queues three (authorization Open,
		// capture Completed, authorization Closed), over the bound of one.
		_, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "bp-1",
			AuthorizationAmount: &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"}, TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true)})
		queuedAtAnswer <- srv.queuedNotifications()
		if err != nil {
			t.Error(err)
		}
	}()
	for len(srv.RequestsFor("Authorize")) == 0 { // processed: its notifications are queued
		runtime.Gosched()
	}
	for i := 0; ; i++ {
		select {
		case q := <-queuedAtAnswer:
			require.Less(t, q, 1, "Authorize answered with %d notifications queued (bound 1)", q)
			require.GreaterOrEqual(t, i, 2, "Authorize answered before the endpoint let two deliveries through")
			release <- struct{}{}
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			require.NoError(t, srv.WaitNotifications(ctx))
			return
		default:
		}
		release <- struct{}{} // the held delivery ends; the sender takes the next
		select {
		case <-arrived:
		case q := <-queuedAtAnswer:
			queuedAtAnswer <- q
		}
	}
}
