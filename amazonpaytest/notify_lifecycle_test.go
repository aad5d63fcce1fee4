package amazonpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// notified is a delivery reduced to what it says: which object, which state.
type notified struct{ typ, id, state, reason string }

func notifiedOf(ns []*amazonpay.Notification) []notified {
	var out []notified
	for _, n := range ns {
		switch {
		case n.OrderReference != nil:
			s := n.OrderReference.OrderReferenceStatus
			out = append(out, notified{"OrderReference", n.OrderReference.AmazonOrderReferenceID, string(s.State), string(s.ReasonCode)})
		case n.Authorization != nil:
			s := n.Authorization.AuthorizationStatus
			out = append(out, notified{"Authorization", n.Authorization.AmazonAuthorizationID, string(s.State), string(s.ReasonCode)})
		case n.Capture != nil:
			s := n.Capture.CaptureStatus
			out = append(out, notified{"Capture", n.Capture.AmazonCaptureID, string(s.State), string(s.ReasonCode)})
		case n.Refund != nil:
			s := n.Refund.RefundStatus
			out = append(out, notified{"Refund", n.Refund.AmazonRefundID, string(s.State), string(s.ReasonCode)})
		}
	}
	return out
}

// MWS notifies every object it creates in the state it was created in: a
// synchronous authorization Open (or Declined), a capture Completed at
// once, a refund Pending; the shop's verified handler sees each, in order.
func TestNotifyEveryObjectInItsFirstState(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	shop := newIPNShop(t, srv)
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")
	c := srv.AmazonPay()
	ctx := context.Background()
	oroID := ipnReadyOrder(t, srv, c, "30.00")

	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "sync-open",
		AuthorizationAmount: eur("10.00"), TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	authID := auth.AuthorizationDetails.AmazonAuthorizationID
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap-1", CaptureAmount: eur("10.00")})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "ref-1", RefundAmount: eur("4.00")})
	require.NoError(t, err)
	oro2 := ipnReadyOrder(t, srv, c, "30.00")
	declined, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oro2, AuthorizationReferenceID: "sync-declined",
		AuthorizationAmount: eur("30.00"), TransactionTimeout: amazonpay.Int(0),
		SellerAuthorizationNote: `{"SandboxSimulation":{"State":"Declined","ReasonCode":"AmazonRejected"}}`,
	})
	require.NoError(t, err)
	waitIPN(t, srv)

	assert.Equal(t, []notified{
		{"OrderReference", oroID, "Open", ""},
		{"Authorization", authID, "Open", ""},
		{"Capture", capID, "Completed", ""},
		{"Authorization", authID, "Closed", "MaxCapturesProcessed"},
		{"Refund", rf.RefundDetails.AmazonRefundID, "Pending", ""},
		{"OrderReference", oro2, "Open", ""},
		{"Authorization", declined.AuthorizationDetails.AmazonAuthorizationID, "Declined", "AmazonRejected"},
		{"OrderReference", oro2, "Closed", "AmazonClosed"},
	}, notifiedOf(shop.notifications()))
	// The sandbox's own record of what it sent agrees.
	var states []string
	for _, d := range srv.Notifications() {
		states = append(states, d.ObjectID+" "+d.State)
		assert.True(t, d.Delivered)
	}
	assert.Equal(t, []string{oroID + " Open", authID + " Open", capID + " Completed", authID + " Closed",
		rf.RefundDetails.AmazonRefundID + " Pending", oro2 + " Open", declined.AuthorizationDetails.AmazonAuthorizationID + " Declined",
		oro2 + " Closed"}, states)
}

// Close stops the sender: the POST in flight to a slow endpoint is
// cancelled, Close returns, no goroutine of the sandbox is left, and a
// later state change sends nothing.
func TestCloseStopsTheNotificationSender(t *testing.T) { // not parallel: it counts goroutines
	baseline := runtime.NumGoroutine()
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done(): // the sandbox gave up
		case <-release:
		}
	}))
	srv := amazonpaytest.NewServer(amazonpaytest.WithFrozenClock())
	srv.AddNotificationURL(slow.URL + "/ipn")
	c := srv.AmazonPay()
	oroID := ipnReadyOrder(t, srv, c, "10.00")
	<-arrived // the Open notification is in flight, and will not be answered

	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second): // far beyond a cancelled POST; the endpoint never answers
		close(release)
		t.Fatal("Close waited for the delivery in flight")
	}
	close(release)
	assert.Empty(t, arrived, "nothing more was sent")
	srv.Handler.AmazonCancel(oroID) // a state change after Close: not sent
	assert.NoError(t, srv.WaitNotifications(context.Background()))
	assert.Empty(t, arrived)
	require.Len(t, srv.Notifications(), 1)
	assert.False(t, srv.Notifications()[0].Delivered)
	slow.Close()

	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > baseline; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Advance delivers each notification due in its span at the sandbox time
// it was sent, before moving on: a shop whose verifier runs on the sandbox
// clock and takes notifications at most a minute old accepts every one of
// an hour's Advance, including one queued just before it.
func TestAdvanceDeliversEachNotificationAtItsTime(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	shop := newIPNShopTLS(t, srv, false, amazonpay.WithMaxNotificationAge(time.Minute))
	shop.statuses = []int{http.StatusInternalServerError} // the first delivery is retried 20 s later
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")
	c := srv.AmazonPay()
	ctx := context.Background()
	oroID := ipnReadyOrder(t, srv, c, "30.00")
	async, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "async", AuthorizationAmount: eur("10.00"),
	})
	require.NoError(t, err)
	sync, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "sync", AuthorizationAmount: eur("10.00"),
		TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
	})
	require.NoError(t, err)
	_, err = c.Refund(ctx, &amazonpay.RefundInput{
		AmazonCaptureID: sync.AuthorizationDetails.IDList.IDs()[0], RefundReferenceID: "r", RefundAmount: eur("1.00"),
	})
	require.NoError(t, err)
	// No WaitNotifications: these are queued as the clock jumps.
	srv.Advance(time.Hour)
	waitIPN(t, srv)

	var states []string
	for _, d := range srv.Notifications() {
		states = append(states, d.ObjectID+" "+d.State)
		require.NotEmpty(t, d.Attempts)
		last := d.Attempts[len(d.Attempts)-1]
		assert.Equal(t, http.StatusOK, last.Status, "%s %s was refused: %s", d.ObjectID, d.State, last.Err)
	}
	asyncID := async.AuthorizationDetails.AmazonAuthorizationID
	assert.Contains(t, states, asyncID+" Pending")
	assert.Contains(t, states, asyncID+" Open", "Pending → Open 30 s in")
	got := notifiedOf(shop.notifications())
	assert.Len(t, got, len(states), "the shop accepted every notification")
	assert.Len(t, srv.Notifications()[0].Attempts, 2, "the first was retried at its own time")
}
