package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitIPN waits until the sandbox has sent every notification due.
func (h *harness) waitIPN() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(h.t, h.sb.WaitNotifications(ctx))
}

// deliveries returns the notifications the sandbox sent to the shop about
// the object id.
func (h *harness) deliveries(id string) []amazonpaytest.Delivery {
	return h.deliveriesIn(id, "")
}

// deliveriesIn returns the deliveries to the shop about object id in
// state ("" for any): the sandbox notifies an object's first state too.
func (h *harness) deliveriesIn(id, state string) []amazonpaytest.Delivery {
	var out []amazonpaytest.Delivery
	for _, d := range h.sb.Notifications() {
		if d.URL == h.url+"/amazon/ipn" && d.ObjectID == id && (state == "" || d.State == state) {
			out = append(out, d)
		}
	}
	return out
}

// getCalls returns the Get*Details calls the shop made since request n of
// the sandbox's log.
func (h *harness) getCalls(n int) []string {
	var out []string
	for _, r := range h.sb.Requests()[n:] {
		if strings.HasPrefix(r.Action, "Get") {
			out = append(out, r.Action)
		}
	}
	return out
}

// post POSTs an SNS message to the shop's IPN endpoint.
func (h *harness) post(body []byte, header http.Header) int {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+"/amazon/ipn", bytes.NewReader(body))
	require.NoError(h.t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// paidOrder runs a checkout to the order page and waits for the
// notifications it caused.
func paidOrder(t *testing.T, h *harness) string {
	t.Helper()
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodSCAPass)
	code, msg := h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, _ := h.flow(id, "")
	require.Equal(t, "/orders/order-1001", path)
	h.waitIPN()
	return id
}

// Amazon refunds the buyer on its own (an A-to-z Guarantee claim) after the
// buyer left: the shop never asked, never calls GetRefundDetails, and its
// order page shows the refund and the closed capture, learnt only from the
// signed notifications.
func TestIPNRefundByAmazonAfterTheBuyerLeft(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	oroID := paidOrder(t, h)
	o, ok := h.shop.Order("order-1001")
	require.True(t, ok)
	// The capture closed the authorization (one capture per authorization):
	// the shop learnt it from the notification, not from a reply.
	assert.Equal(t, "Closed (MaxCapturesProcessed)", o.AuthorizationState)
	assert.Equal(t, []string{"Authorization: Closed (MaxCapturesProcessed)"}, o.Updates)
	require.Len(t, h.deliveriesIn(o.AuthorizationID, "Closed"), 1)
	assert.True(t, h.deliveriesIn(o.AuthorizationID, "Closed")[0].Delivered)

	before := len(h.sb.Requests())
	refundID, err := h.sb.AmazonRefund(o.CaptureID, "21.25", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(refundID, oroID+"-R"), refundID)
	h.waitIPN()
	pending := h.deliveries(refundID)
	require.Len(t, pending, 1, "a refund is notified in its first state, Pending")
	assert.Equal(t, "Pending", pending[0].State)

	h.sb.Advance(31 * time.Second) // the sandbox's refund processing delay
	h.waitIPN()
	refunds := h.deliveriesIn(refundID, "Completed")
	require.Len(t, refunds, 1)
	assert.Equal(t, amazonpay.NotificationTypePaymentRefund, refunds[0].NotificationType)
	assert.Equal(t, "Completed", refunds[0].State)
	assert.True(t, refunds[0].Delivered)
	require.Len(t, refunds[0].Attempts, 1)
	assert.Equal(t, http.StatusOK, refunds[0].Attempts[0].Status)
	// The capture was notified once, Completed at creation, and stays so: a
	// seller may refund up to 15% more than it captured, so Amazon's full
	// refund does not close it.
	captures := h.deliveries(o.CaptureID)
	require.Len(t, captures, 1)
	assert.Equal(t, "Completed", captures[0].State)

	_, body := h.get("/orders/order-1001", "")
	assert.Contains(t, body, `<td class="order-refund">`+refundID+`: 21.25 EUR, AmazonA-ZGuarantee (Completed)</td>`)
	assert.Contains(t, body, `<td id="order-capture">`+o.CaptureID+` (Completed)</td>`)
	assert.Contains(t, body, "<ul id=\"order-updates\">\n<li>Authorization: Closed (MaxCapturesProcessed)</li>\n<li>Refund of 21.25 EUR: Pending</li>\n<li>Refund of 21.25 EUR: Completed</li>\n</ul>")
	assert.Empty(t, h.getCalls(before), "learnt from the notifications only")
	assert.Empty(t, h.sb.RequestsFor("GetRefundDetails"))
	assert.Empty(t, h.sb.RequestsFor("GetCaptureDetails"))
	handled := h.shop.HandledNotifications()
	require.GreaterOrEqual(t, len(handled), 2)
	assert.Equal(t, []string{
		pending[0].NotificationReferenceID,
		refunds[0].NotificationReferenceID,
	}, handled[len(handled)-2:])
}

// The buyer cancels the subscription in their Amazon account: the
// subscription page says it is no longer charged.
func TestIPNSubscriptionCanceledByTheBuyer(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := h.sb.CreateBillingAgreement(b)
	code, msg := h.confirm("/subscription/confirm", ba)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(ba, "")
	require.Equal(t, "/subscriptions/sub-1001", path)
	assert.Contains(t, body, `<td id="subscription-agreement-state">Open</td>`)
	h.waitIPN()

	before := len(h.sb.Requests())
	require.NoError(t, h.sb.BuyerCancelBillingAgreement(ba))
	h.waitIPN()
	got := h.deliveries(ba)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.Equal(t, amazonpay.NotificationTypeBillingAgreement, last.NotificationType)
	assert.Equal(t, "Closed", last.State)
	assert.Equal(t, "BuyerCanceled", last.ReasonCode)
	assert.True(t, last.Delivered)

	_, body = h.get("/subscriptions/sub-1001", "")
	assert.Contains(t, body, `<p id="subscription-status">Your subscription sub-1001 is no longer charged: Amazon Pay says its billing agreement is Closed (BuyerCanceled).</p>`)
	assert.Contains(t, body, `<td id="subscription-agreement-state">Closed (BuyerCanceled)</td>`)
	assert.Contains(t, body, "<li>Billing agreement: Closed (BuyerCanceled)</li>")
	assert.Empty(t, h.getCalls(before), "learnt from the notification only")
}

// A notification that is not Amazon's (a changed message, another
// signing certificate URL, another message's signature) gets 403 and
// changes nothing.
func TestIPNForgedNotificationChangesNothing(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	paidOrder(t, h)
	o, _ := h.shop.Order("order-1001")
	refundID, err := h.sb.AmazonRefund(o.CaptureID, "10.00", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	h.sb.Advance(31 * time.Second)
	h.waitIPN()
	real := h.deliveriesIn(refundID, "Completed")
	require.Len(t, real, 1)
	o, _ = h.shop.Order("order-1001")
	require.Len(t, o.Refunds, 1)
	handled := h.shop.HandledNotifications()

	forge := func(change func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(real[0].Body, &m))
		change(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	forgeries := map[string][]byte{
		// A second, larger refund under a new reference id, signature kept.
		"changed message": forge(func(m map[string]any) {
			msg := m["Message"].(string)
			msg = strings.ReplaceAll(msg, real[0].NotificationReferenceID, "forged-"+real[0].NotificationReferenceID)
			msg = strings.ReplaceAll(msg, refundID, o.AmazonOrderReferenceID+"-R999999")
			require.NotEqual(t, m["Message"], msg)
			m["Message"] = msg
		}),
		"certificate elsewhere": forge(func(m map[string]any) {
			m["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem"
		}),
		// The signature of another notification.
		"another signature": forge(func(m map[string]any) {
			var other map[string]any
			require.NoError(t, json.Unmarshal(h.deliveriesIn(o.AuthorizationID, "Closed")[0].Body, &other))
			m["Signature"] = other["Signature"]
		}),
	}
	for name, body := range forgeries {
		assert.Equal(t, http.StatusForbidden, h.post(body, real[0].Header), name)
	}
	after, _ := h.shop.Order("order-1001")
	assert.Equal(t, o, after)
	assert.Equal(t, handled, h.shop.HandledNotifications())
}

// SNS delivers at least once: the same notification delivered again is
// answered 200 (so SNS stops) and applied once.
func TestIPNDuplicateDeliveryAppliedOnce(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	paidOrder(t, h)
	o, _ := h.shop.Order("order-1001")
	refundID, err := h.sb.AmazonRefund(o.CaptureID, "5.00", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	h.sb.Advance(31 * time.Second)
	h.waitIPN()
	got := h.deliveriesIn(refundID, "Completed")
	require.Len(t, got, 1)
	o, _ = h.shop.Order("order-1001")
	handled := h.shop.HandledNotifications()
	require.Contains(t, handled, got[0].NotificationReferenceID)

	for range 2 {
		assert.Equal(t, http.StatusOK, h.post(got[0].Body, got[0].Header))
	}
	after, _ := h.shop.Order("order-1001")
	assert.Equal(t, o, after)
	assert.Equal(t, handled, h.shop.HandledNotifications(), "applied once")
	_, body := h.get("/orders/order-1001", "")
	assert.Equal(t, 1, strings.Count(body, "<li>Refund of 5.00 EUR: Completed</li>"))
}

// The IPN endpoint is not a page: it answers POST only, and starts no
// buyer session.
func TestIPNEndpointTakesPostOnly(t *testing.T) {
	h := newHarness(t)
	resp, err := http.Get(h.url + "/amazon/ipn")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, http.StatusBadRequest, h.post([]byte("{}"), http.Header{"X-Amz-Sns-Message-Type": {"Notification"}}))
	resp, err = http.Post(h.url+"/amazon/ipn", "text/plain", strings.NewReader("x"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, resp.Cookies(), "no session for SNS")
}

// Amazon cancels the order reference after the buyer left: the order page
// shows it, from the notification alone.
func TestIPNOrderReferenceCanceledByAmazon(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	oroID := paidOrder(t, h)
	before := len(h.sb.Requests())
	require.NoError(t, h.sb.AmazonCancel(oroID))
	h.waitIPN()
	got := h.deliveries(oroID)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.Equal(t, amazonpay.NotificationTypeOrderReference, last.NotificationType)
	assert.Equal(t, "Canceled", last.State)
	assert.True(t, last.Delivered)

	o, _ := h.shop.Order("order-1001")
	assert.Equal(t, "Canceled (AmazonCanceled)", o.OrderReferenceState)
	_, body := h.get("/orders/order-1001", "")
	assert.Contains(t, body, `<td id="order-reference-state">Canceled (AmazonCanceled)</td>`)
	assert.Contains(t, body, "<li>Order reference: Canceled (AmazonCanceled)</li>")
	assert.Empty(t, h.getCalls(before), "learnt from the notification only")
}

// holdingTransport holds the notification POSTs whose body contains hold
// until release is closed, and tells on held when one arrives: SNS may
// deliver a later state long after an earlier one.
type holdingTransport struct {
	hold    string
	held    chan struct{}
	release chan struct{}
}

func (g holdingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if bytes.Contains(body, []byte(g.hold)) {
		g.held <- struct{}{}
		select {
		case <-g.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// The first charge's first state (Open) notified after the reply told the
// shop it is Closed, while its Closed notification is still on its way,
// does not take the charge back to Open: what a reply taught is as new as
// a notification of the same moment, and a state does not go back from
// closed to open.
func TestIPNLateFirstStateDoesNotUndoTheReply(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	g := holdingTransport{hold: "MaxCapturesProcessed", held: make(chan struct{}, 1), release: make(chan struct{})}
	h.sb.SetNotificationHTTPClient(&http.Client{Transport: g})
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := h.sb.CreateBillingAgreement(b)
	code, msg := h.confirm("/subscription/confirm", ba)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(ba, "")
	require.Equal(t, "/subscriptions/sub-1001", path)
	assert.Contains(t, body, ": Closed (MaxCapturesProcessed)</td>")

	select { // every notification before the Closed one has been delivered
	case <-g.held:
	case <-time.After(10 * time.Second):
		t.Fatal("the authorization's Closed notification never came")
	}
	_, body = h.get("/subscriptions/sub-1001", "")
	assert.Contains(t, body, ": Closed (MaxCapturesProcessed)</td>", "the Open notification took the charge back")
	close(g.release)
	h.waitIPN()
	_, body = h.get("/subscriptions/sub-1001", "")
	assert.Contains(t, body, ": Closed (MaxCapturesProcessed)</td>")
}
