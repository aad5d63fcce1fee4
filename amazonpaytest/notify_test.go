package amazonpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ipnShop is a shop's IPN endpoint: the SDK's handler with the sandbox's
// verifier, recording what reached the shop.
type ipnShop struct {
	*httptest.Server
	mu       sync.Mutex
	got      []*amazonpay.Notification
	statuses []int // answers to give, in order; then 200
}

func newIPNShop(t *testing.T, srv *amazonpaytest.Server) *ipnShop {
	return newIPNShopTLS(t, srv, false)
}

// newIPNShopTLS is newIPNShop on https when tls is set (every httptest TLS
// server has the same certificate, which its Client trusts).
func newIPNShopTLS(t *testing.T, srv *amazonpaytest.Server, tls bool, opts ...amazonpay.NotificationOption) *ipnShop {
	t.Helper()
	shop := &ipnShop{}
	h := amazonpay.NewNotificationHandler(srv.NotificationVerifier(opts...), func(ctx context.Context, n *amazonpay.Notification) error {
		shop.mu.Lock()
		defer shop.mu.Unlock()
		shop.got = append(shop.got, n)
		return nil
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /amazon/ipn", func(w http.ResponseWriter, r *http.Request) {
		shop.mu.Lock()
		if len(shop.statuses) > 0 {
			status := shop.statuses[0]
			shop.statuses = shop.statuses[1:]
			shop.mu.Unlock()
			w.WriteHeader(status)
			return
		}
		shop.mu.Unlock()
		h.ServeHTTP(w, r)
	})
	if tls {
		shop.Server = httptest.NewTLSServer(mux)
	} else {
		shop.Server = httptest.NewServer(mux)
	}
	t.Cleanup(shop.Close)
	return shop
}

func (s *ipnShop) notifications() []*amazonpay.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*amazonpay.Notification(nil), s.got...)
}

func waitIPN(t *testing.T, srv *amazonpaytest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(ctx))
}

// ipnReadyOrder is an Open order reference whose buyer passed the
// Confirmation Flow.
func ipnReadyOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, total string) string {
	t.Helper()
	ctx := context.Background()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: total, CurrencyCode: "EUR"}},
	})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail",
	})
	require.NoError(t, err)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	return id
}

// The checkout whose asynchronous Authorize is declined later: Authorize
// answers Pending, the shop does not poll, and learns of the decline (and
// of the suspended order reference) only from the signed notifications
// its handler verifies.
func TestNotifyAsyncAuthorizationDeclinedLater(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	shop := newIPNShop(t, srv)
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")
	c := srv.AmazonPay()
	oroID := ipnReadyOrder(t, srv, c, "42.00")
	waitIPN(t, srv)
	require.Len(t, shop.notifications(), 1, "Draft → Open")
	assert.Equal(t, amazonpay.OrderReferenceOpen, shop.notifications()[0].OrderReference.OrderReferenceStatus.State)

	out, err := c.Authorize(context.Background(), &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "async-1",
		AuthorizationAmount:     &amazonpay.Price{Amount: "42.00", CurrencyCode: "EUR"},
		SellerAuthorizationNote: `{"SandboxSimulation":{"State":"Declined","ReasonCode":"InvalidPaymentMethod","SoftDecline":false}}`,
	})
	require.NoError(t, err)
	authID := out.AuthorizationDetails.AmazonAuthorizationID
	require.Equal(t, amazonpay.AuthorizationPending, out.AuthorizationDetails.AuthorizationStatus.State)
	waitIPN(t, srv)
	require.Len(t, shop.notifications(), 2, "the authorization is notified in the state it was created in")
	pending := shop.notifications()[1]
	require.NotNil(t, pending.Authorization)
	assert.Equal(t, authID, pending.Authorization.AmazonAuthorizationID)
	assert.Equal(t, amazonpay.AuthorizationPending, pending.Authorization.AuthorizationStatus.State)

	srv.Advance(30 * time.Second) // MWS processes it
	waitIPN(t, srv)
	got := shop.notifications()[2:]
	require.Len(t, got, 2)
	a := got[0]
	assert.Equal(t, amazonpay.NotificationTypePaymentAuthorize, a.NotificationType)
	assert.Equal(t, srv.SellerID(), a.SellerID)
	assert.Equal(t, amazonpay.ReleaseSandbox, a.ReleaseEnvironment)
	require.NotNil(t, a.Authorization)
	assert.Equal(t, authID, a.Authorization.AmazonAuthorizationID)
	assert.Equal(t, "async-1", a.Authorization.AuthorizationReferenceID)
	assert.Equal(t, amazonpay.AuthorizationDeclined, a.Authorization.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, a.Authorization.AuthorizationStatus.ReasonCode)
	assert.False(t, a.Authorization.SoftDecline)
	assert.Equal(t, srv.Now(), a.Timestamp, "sent when the decline happened")
	o := got[1]
	require.NotNil(t, o.OrderReference)
	assert.Equal(t, oroID, o.OrderReference.AmazonOrderReferenceID)
	assert.Equal(t, amazonpay.OrderReferenceSuspended, o.OrderReference.OrderReferenceStatus.State)
	assert.Nil(t, o.OrderReference.Buyer, "notifications carry no buyer data")

	// The shop never asked: it learned it from the notification alone.
	assert.Empty(t, srv.RequestsFor("GetAuthorizationDetails"))
	assert.Empty(t, srv.RequestsFor("GetOrderReferenceDetails"))
	for _, d := range srv.Notifications() {
		assert.True(t, d.Delivered)
		require.Len(t, d.Attempts, 1)
		assert.Equal(t, http.StatusOK, d.Attempts[0].Status)
	}
}

// A delivery not answered with 2xx is retried like SNS, on the sandbox
// clock; the shop recognises the redelivery by its NotificationReferenceID.
func TestNotifyRetriesUntil2xx(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	shop := newIPNShop(t, srv)
	shop.statuses = []int{http.StatusInternalServerError, http.StatusServiceUnavailable}
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")
	c := srv.AmazonPay()
	ipnReadyOrder(t, srv, c, "10.00")
	waitIPN(t, srv)
	d := srv.Notifications()
	require.Len(t, d, 1)
	assert.False(t, d[0].Delivered)
	start := srv.Now()

	srv.Advance(19 * time.Second)
	waitIPN(t, srv)
	require.Len(t, srv.Notifications()[0].Attempts, 1, "no retry before 20 s")
	srv.Advance(time.Second)
	waitIPN(t, srv)
	srv.Advance(20 * time.Second)
	waitIPN(t, srv)

	d = srv.Notifications()
	require.Len(t, d, 1)
	assert.True(t, d[0].Delivered)
	var statuses []int
	var times []time.Duration
	for _, a := range d[0].Attempts {
		statuses = append(statuses, a.Status)
		times = append(times, a.Time.Sub(start))
	}
	assert.Equal(t, []int{500, 503, 200}, statuses)
	assert.Equal(t, []time.Duration{0, 20 * time.Second, 40 * time.Second}, times)
	require.Len(t, shop.notifications(), 1)
	assert.Equal(t, d[0].NotificationReferenceID, shop.notifications()[0].NotificationReferenceID)

	// A URL that never answers 2xx is given up after the retries.
	srv2 := newServer(t)
	srv2.AddNotificationURL("http://127.0.0.1:1/ipn")
	srv2.SetNotificationRetryDelays(time.Second, time.Second)
	ipnReadyOrder(t, srv2, srv2.AmazonPay(), "10.00")
	for range 4 {
		waitIPN(t, srv2)
		srv2.Advance(time.Second)
	}
	waitIPN(t, srv2)
	d = srv2.Notifications()
	require.Len(t, d, 1)
	require.Len(t, d[0].Attempts, 3)
	assert.False(t, d[0].Delivered)
	assert.NotEmpty(t, d[0].Attempts[0].Err)
}

// SetMerchantNotificationConfiguration routes the seller's notifications
// by event type; changes caused by the sandbox clock are notified too.
func TestNotifyMerchantConfigurationAndClock(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	refunds := newIPNShopTLS(t, srv, true)
	all := newIPNShopTLS(t, srv, true)
	srv.SetNotificationHTTPClient(all.Client())
	c := srv.AmazonPay()
	_, err := c.SetMerchantNotificationConfiguration(context.Background(), &amazonpay.SetMerchantNotificationConfigurationInput{
		NotificationConfigurationList: amazonpay.NotificationConfigurationList{
			{NotificationURL: refunds.URL + "/amazon/ipn", EventTypes: amazonpay.EventTypes{amazonpay.EventTypePaymentRefund}},
			{NotificationURL: all.URL + "/amazon/ipn", EventTypes: amazonpay.EventTypes{amazonpay.EventTypeAll}},
		},
	})
	require.NoError(t, err)

	oroID := ipnReadyOrder(t, srv, c, "30.00")
	auth, err := c.Authorize(context.Background(), &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "sync-1",
		AuthorizationAmount: &amazonpay.Price{Amount: "30.00", CurrencyCode: "EUR"}, TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	authID := auth.AuthorizationDetails.AmazonAuthorizationID
	waitIPN(t, srv)
	assert.Empty(t, refunds.notifications())

	// The sandbox closes an authorization nobody captures after 2 days (30
	// in production): a change of the clock, notified when it happens.
	srv.Advance(amazonpaytest.SandboxAuthorizationLifetime - time.Minute)
	waitIPN(t, srv)
	srv.Advance(2 * time.Minute)
	waitIPN(t, srv)
	var closed *amazonpay.Notification
	for _, n := range all.notifications() {
		if n.Authorization != nil && n.Authorization.AmazonAuthorizationID == authID {
			closed = n
		}
	}
	require.NotNil(t, closed, "the expiry was notified")
	assert.Equal(t, amazonpay.AuthorizationClosed, closed.Authorization.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonExpiredUnused, closed.Authorization.AuthorizationStatus.ReasonCode)
	assert.Empty(t, refunds.notifications(), "the refund-only URL got no authorization")

	// A refund reaches both, when it completes.
	oro2 := ipnReadyOrder(t, srv, c, "5.00")
	a2, err := c.Authorize(context.Background(), &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oro2, AuthorizationReferenceID: "sync-2", CaptureNow: amazonpay.Bool(true),
		AuthorizationAmount: &amazonpay.Price{Amount: "5.00", CurrencyCode: "EUR"}, TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	capID := a2.AuthorizationDetails.IDList.IDs()[0]
	r, err := c.Refund(context.Background(), &amazonpay.RefundInput{
		AmazonCaptureID: capID, RefundReferenceID: "refund-1", RefundAmount: &amazonpay.Price{Amount: "2.50", CurrencyCode: "EUR"},
	})
	require.NoError(t, err)
	srv.Advance(time.Minute)
	waitIPN(t, srv)
	got := refunds.notifications()
	require.Len(t, got, 2, "Pending when made, then Completed")
	for i, state := range []amazonpay.RefundState{amazonpay.RefundPending, amazonpay.RefundCompleted} {
		assert.Equal(t, amazonpay.NotificationTypePaymentRefund, got[i].NotificationType)
		assert.Equal(t, r.RefundDetails.AmazonRefundID, got[i].Refund.AmazonRefundID)
		assert.Equal(t, state, got[i].Refund.RefundStatus.State)
		assert.Equal(t, amazonpay.Price{Amount: "2.50", CurrencyCode: "EUR"}, got[i].Refund.RefundAmount)
	}
	last := all.notifications()[len(all.notifications())-1]
	assert.Equal(t, got[1].NotificationReferenceID, last.NotificationReferenceID)
}

// The signed message is what SNS sends: headers, SignatureVersion 1 or 2,
// the certificate at an sns.<region>.amazonaws.com .pem URL that the
// sandbox's HTTP client serves; a byte changed and it no longer verifies.
func TestNotifySignedLikeSNS(t *testing.T) {
	t.Parallel()
	for _, version := range []int{1, 2} {
		srv := newServer(t, amazonpaytest.WithFrozenClock())
		srv.SetNotificationSignatureVersion(version)
		shop := newIPNShop(t, srv)
		srv.AddNotificationURL(shop.URL + "/amazon/ipn")
		ipnReadyOrder(t, srv, srv.AmazonPay(), "10.00")
		waitIPN(t, srv)
		d := srv.Notifications()
		require.Len(t, d, 1)
		require.Len(t, shop.notifications(), 1, "verified by the SDK")
		assert.Equal(t, "Notification", d[0].Header.Get("X-Amz-Sns-Message-Type"))
		assert.Equal(t, "Amazon Simple Notification Service Agent", d[0].Header.Get("User-Agent"))
		assert.True(t, strings.HasSuffix(d[0].Header.Get("X-Amz-Sns-Topic-Arn"), srv.SellerID()))
		assert.Contains(t, string(d[0].Body), `"SignatureVersion": "`+string(rune('0'+version))+`"`)
		assert.Regexp(t, `^https://sns\.eu-west-1\.amazonaws\.com/SimpleNotificationService-[0-9a-f]{32}\.pem$`, srv.SigningCertURL())

		v := srv.NotificationVerifier()
		n, err := v.Verify(context.Background(), d[0].Header, d[0].Body)
		require.NoError(t, err)
		assert.Equal(t, d[0].NotificationReferenceID, n.NotificationReferenceID)
		forged := strings.Replace(string(d[0].Body), "Open", "Closed", 1)
		require.NotEqual(t, string(d[0].Body), forged)
		_, err = v.Verify(context.Background(), d[0].Header, []byte(forged))
		assert.ErrorIs(t, err, amazonpay.ErrNotificationRejected)

		// Without the sandbox root the chain is not trusted.
		_, err = amazonpay.NewNotificationVerifier(amazonpay.WithCertHTTPClient(srv.NotificationHTTPClient()),
			amazonpay.WithNotificationClock(srv.Now), amazonpay.WithNotificationSellerIDs(srv.SellerID())).Verify(context.Background(), d[0].Header, d[0].Body)
		var ne *amazonpay.NotificationError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, amazonpay.NotificationCertificate, ne.Reason)
	}
}

// The sandbox's SNS client answers only the sandbox's SNS URLs.
func TestNotificationHTTPClientIsOffline(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	hc := srv.NotificationHTTPClient()
	resp, err := hc.Get(srv.SigningCertURL())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = hc.Get("https://sns.eu-west-1.amazonaws.com/other.pem")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	_, err = hc.Get("https://example.com/")
	assert.Error(t, err)
}

// The sandbox's SubscriptionConfirmation is confirmed only by a handler
// that opts in, by fetching its verified SubscribeURL; it never reaches
// the shop's function.
func TestNotifySubscriptionConfirmation(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	var called atomic.Int32
	fn := func(context.Context, *amazonpay.Notification) error { called.Add(1); return nil }
	optIn := httptest.NewServer(amazonpay.NewNotificationHandler(srv.NotificationVerifier(), fn, amazonpay.WithSubscriptionConfirmation()))
	t.Cleanup(optIn.Close)
	noOptIn := httptest.NewServer(amazonpay.NewNotificationHandler(srv.NotificationVerifier(), fn))
	t.Cleanup(noOptIn.Close)

	srv.SendSubscriptionConfirmation(optIn.URL)
	srv.SendSubscriptionConfirmation(noOptIn.URL)
	waitIPN(t, srv)
	assert.True(t, srv.SubscriptionConfirmed(optIn.URL))
	assert.False(t, srv.SubscriptionConfirmed(noOptIn.URL))
	d := srv.Notifications()
	require.Len(t, d, 2)
	for _, x := range d {
		assert.Equal(t, "SubscriptionConfirmation", x.Type)
		assert.Equal(t, "SubscriptionConfirmation", x.Header.Get("X-Amz-Sns-Message-Type"))
		assert.True(t, x.Delivered)
		assert.Contains(t, string(x.Body), `"SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription`)
	}
	assert.Equal(t, int32(0), called.Load())

	// A SubscribeURL with a token the sandbox never sent is refused.
	resp, err := srv.NotificationHTTPClient().Get("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=forged")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
