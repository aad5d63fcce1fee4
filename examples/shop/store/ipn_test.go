package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
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

// order reads order no as its page shows it.
func (h *harness) order(no string) store.Order {
	h.t.Helper()
	o, ok, err := h.shop.Order(ctx, no)
	require.NoError(h.t, err)
	require.True(h.t, ok, "no order %s", no)
	return o
}

// Amazon refunds the buyer on its own (an A-to-z Guarantee claim) after the
// buyer left: the shop never asked, never calls GetRefundDetails, and its
// order page shows the refund, learnt only from the signed notifications
// that checkout's Apply recorded.
func TestIPNRefundByAmazonAfterTheBuyerLeft(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	oroID := paidOrder(t, h)
	o := h.order("order-1001")
	assert.True(t, o.Paid)

	before := len(h.sb.Requests())
	refundID, err := h.sb.AmazonRefund(o.CaptureID, "21.25", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(refundID, oroID+"-R"), refundID)
	h.waitIPN()
	_, body := h.get("/orders/order-1001", "")
	assert.Contains(t, body, `<td class="order-refund">`+refundID+`: 21.25 EUR (Pending)</td>`)

	h.sb.Advance(31 * time.Second) // the sandbox's refund processing delay
	h.waitIPN()
	refunds := h.deliveriesIn(refundID, "Completed")
	require.Len(t, refunds, 1)
	assert.True(t, refunds[0].Delivered)
	require.Len(t, refunds[0].Attempts, 1)
	assert.Equal(t, http.StatusOK, refunds[0].Attempts[0].Status)

	_, body = h.get("/orders/order-1001", "")
	assert.Contains(t, body, `<td class="order-refund">`+refundID+`: 21.25 EUR (Completed)</td>`)
	assert.Contains(t, body, `<p id="order-status">Thank you! Your order order-1001 is paid.</p>`)
	assert.Empty(t, h.getCalls(before), "learnt from the notifications only")
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
	assert.Contains(t, body, `<p id="subscription-status">Thank you! Your subscription sub-1001 is active.</p>`)
	h.waitIPN()

	before := len(h.sb.Requests())
	require.NoError(t, h.sb.BuyerCancelBillingAgreement(ba))
	h.waitIPN()
	got := h.deliveries(ba)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.Equal(t, "Closed", last.State)
	assert.True(t, last.Delivered)

	_, body = h.get("/subscriptions/sub-1001", "")
	assert.Contains(t, body, `<p id="subscription-status">Your subscription sub-1001 is no longer charged: Amazon Pay says its billing agreement is Closed (BuyerCanceled).</p>`)
	assert.Contains(t, body, `<td id="subscription-agreement-state">Closed (BuyerCanceled)</td>`)
	sub, ok, err := h.shop.Subscription(ctx, "sub-1001")
	require.NoError(t, err)
	require.True(t, ok)
	assert.False(t, sub.Active)
	assert.Empty(t, h.getCalls(before), "learnt from the notification only")
}

// A notification that is not Amazon's (a changed message, another
// signing certificate URL, another message's signature) gets 403 and
// changes nothing; the same real one delivered again is answered 200 and
// applied once.
func TestIPNForgedChangesNothingAndDuplicateAppliedOnce(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	paidOrder(t, h)
	o := h.order("order-1001")
	refundID, err := h.sb.AmazonRefund(o.CaptureID, "10.00", amazonpay.RefundTypeAmazonAZGuarantee)
	require.NoError(t, err)
	h.sb.Advance(31 * time.Second)
	h.waitIPN()
	real := h.deliveriesIn(refundID, "Completed")
	require.Len(t, real, 1)
	o = h.order("order-1001")
	require.Len(t, o.Refunds, 1)
	pay, err := h.shop.Payments().Get(ctx, "order-1001")
	require.NoError(t, err)

	forge := func(change func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(real[0].Body, &m))
		change(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	forgeries := map[string][]byte{
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
	}
	for name, body := range forgeries {
		assert.Equal(t, http.StatusForbidden, h.post(body, real[0].Header), name)
	}
	for range 2 {
		assert.Equal(t, http.StatusOK, h.post(real[0].Body, real[0].Header))
	}
	after, err := h.shop.Payments().Get(ctx, "order-1001")
	require.NoError(t, err)
	assert.Equal(t, pay.Version, after.Version, "nothing changed")
	assert.Equal(t, o, h.order("order-1001"))
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
// shows it, from the notification alone, and the order stays paid.
func TestIPNOrderReferenceCanceledByAmazon(t *testing.T) {
	h := newHarness(t, amazonpaytest.WithFrozenClock())
	oroID := paidOrder(t, h)
	before := len(h.sb.Requests())
	require.NoError(t, h.sb.AmazonCancel(oroID))
	h.waitIPN()
	o := h.order("order-1001")
	assert.Equal(t, "Canceled (AmazonCanceled)", o.AmazonState)
	assert.True(t, o.Paid)
	_, body := h.get("/orders/order-1001", "")
	assert.Contains(t, body, `<td id="order-reference-state">Canceled (AmazonCanceled)</td>`)
	assert.Empty(t, h.getCalls(before), "learnt from the notification only")
}
