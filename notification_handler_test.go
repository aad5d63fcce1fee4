package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handlerRig is a handler with a recording shop function.
type handlerRig struct {
	p    *testPKI
	srv  *certServer
	h    *NotificationHandler
	logs *bytes.Buffer

	mu    sync.Mutex
	got   []*Notification
	fail  error
	calls int
}

func newHandlerRig(t *testing.T, hopts []NotificationHandlerOption, vopts ...NotificationOption) *handlerRig {
	t.Helper()
	rig := &handlerRig{p: newTestPKI(t, certSpec{}), logs: new(bytes.Buffer)}
	rig.srv = standardServer(rig.p)
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&logMu, rig.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	v := testVerifier(rig.p, rig.srv, append([]NotificationOption{WithNotificationLogger(logger)}, vopts...)...)
	rig.h = NewNotificationHandler(v, func(ctx context.Context, n *Notification) error {
		rig.mu.Lock()
		defer rig.mu.Unlock()
		rig.calls++
		rig.got = append(rig.got, n)
		return rig.fail
	}, hopts...)
	return rig
}

func (rig *handlerRig) post(t *testing.T, h http.Header, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/amazon/ipn", bytes.NewReader(body))
	for k, vs := range h {
		r.Header[k] = vs
	}
	w := httptest.NewRecorder()
	rig.h.ServeHTTP(w, r)
	return w
}

func TestNotificationHandlerStatuses(t *testing.T) {
	rig := newHandlerRig(t, nil)
	e := newTestEnv(t)
	body := e.sign(t, rig.p.leafKey)

	w := rig.post(t, e.header, body)
	assert.Equal(t, http.StatusOK, w.Code)
	require.Len(t, rig.got, 1)
	require.NotNil(t, rig.got[0].Authorization)
	assert.Equal(t, AuthorizationDeclined, rig.got[0].Authorization.AuthorizationStatus.State)

	rig.fail = errors.New("database down for Jane Buyer")
	w = rig.post(t, e.header, body)
	assert.Equal(t, http.StatusInternalServerError, w.Code, "a failing function makes SNS deliver again")
	assert.Equal(t, 2, rig.calls)
	assert.NotContains(t, rig.logs.String(), "Jane Buyer", "the shop's error may hold buyer data")
	rig.fail = nil

	forged := setJSON(t, body, "Message", strings.Replace(e.fields["Message"], "Declined", "Open", 1))
	assert.Equal(t, http.StatusForbidden, rig.post(t, e.header, forged).Code)
	assert.Equal(t, http.StatusBadRequest, rig.post(t, e.header, []byte("{")).Code)
	noType := e.header.Clone()
	noType.Del("X-Amz-Sns-Message-Type")
	assert.Equal(t, http.StatusBadRequest, rig.post(t, noType, body).Code)
	huge := append([]byte(`{"Message":"`), bytes.Repeat([]byte("x"), MaxNotificationBytes+1)...)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rig.post(t, e.header, huge).Code)
	assert.Equal(t, 2, rig.calls, "nothing unverified reaches the function")

	r := httptest.NewRequest(http.MethodGet, "/amazon/ipn", nil)
	w = httptest.NewRecorder()
	rig.h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
}

// A signing certificate that cannot be fetched is 503: SNS tries again.
func TestNotificationHandlerCertUnavailable(t *testing.T) {
	rig := newHandlerRig(t, nil)
	rig.srv.status = http.StatusBadGateway
	e := newTestEnv(t)
	assert.Equal(t, http.StatusServiceUnavailable, rig.post(t, e.header, e.sign(t, rig.p.leafKey)).Code)
	assert.Equal(t, 0, rig.calls)
}

// Redeliveries carry the same NotificationReferenceID; with duplicate
// suppression the function sees the notification once.
func TestNotificationHandlerDuplicates(t *testing.T) {
	e := newTestEnv(t)
	rig := newHandlerRig(t, nil)
	body := e.sign(t, rig.p.leafKey)
	redelivery := setJSON(t, body, "MessageId", "ignored") // forged: rejected
	require.Equal(t, http.StatusForbidden, rig.post(t, e.header, redelivery).Code)
	for range 2 {
		require.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code)
	}
	require.Equal(t, 2, rig.calls, "without suppression the function sees both")
	assert.Equal(t, rig.got[0].NotificationReferenceID, rig.got[1].NotificationReferenceID)

	rig = newHandlerRig(t, []NotificationHandlerOption{WithDuplicateSuppression(2)})
	rig.fail = errors.New("busy")
	require.Equal(t, http.StatusInternalServerError, rig.post(t, e.header, body).Code)
	rig.fail = nil
	require.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code, "a failed one is not remembered")
	require.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code)
	assert.Equal(t, 2, rig.calls)
	assert.Contains(t, rig.logs.String(), "duplicate notification skipped")

	// The set is bounded: the oldest id is forgotten.
	for _, id := range []string{"id-2", "id-3"} {
		e2 := newTestEnv(t)
		e2.fields["Message"] = ipnMessageJSON(t, "PaymentAuthorize", ipnFixture(t, "PaymentAuthorize.xml"), map[string]any{"NotificationReferenceId": id})
		require.Equal(t, http.StatusOK, rig.post(t, e2.header, e2.sign(t, rig.p.leafKey)).Code)
	}
	require.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code)
	assert.Equal(t, 5, rig.calls)
}

func subscriptionEnv(t *testing.T, typ string) *testEnv {
	e := newTestEnv(t)
	e.fields["Type"] = typ
	e.fields["Token"] = "2336412f37fb687f5d51e6e2425dacbba"
	e.fields["Message"] = "You have chosen to subscribe to the topic " + testTopic
	e.fields["SubscribeURL"] = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + testTopic + "&Token=2336412f37fb687f5d51e6e2425dacbba"
	e.header.Set("X-Amz-Sns-Message-Type", typ)
	return e
}

// A subscription is confirmed only when the shop opts in, by fetching the
// verified SubscribeURL; confirmations never reach the function.
func TestNotificationHandlerSubscription(t *testing.T) {
	e := subscriptionEnv(t, SNSSubscriptionConfirmation)
	subscribe := e.fields["SubscribeURL"]

	rig := newHandlerRig(t, nil)
	body := e.sign(t, rig.p.leafKey)
	assert.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code)
	assert.Equal(t, 0, rig.srv.fetches[subscribe], "not confirmed without opt-in")
	assert.Contains(t, rig.logs.String(), "subscription not confirmed")

	rig = newHandlerRig(t, []NotificationHandlerOption{WithSubscriptionConfirmation()})
	rig.srv.files[subscribe] = []byte("<ConfirmSubscriptionResponse/>")
	assert.Equal(t, http.StatusOK, rig.post(t, e.header, body).Code)
	assert.Equal(t, 1, rig.srv.fetches[subscribe])

	forged := setJSON(t, body, "SubscribeURL", "https://evil.example/?Action=ConfirmSubscription")
	assert.Equal(t, http.StatusForbidden, rig.post(t, e.header, forged).Code)
	tampered := setJSON(t, body, "SubscribeURL", subscribe+"x")
	assert.Equal(t, http.StatusForbidden, rig.post(t, e.header, tampered).Code)

	// A subscription of the attacker's own topic, named like the seller's,
	// is never confirmed: its account is not Amazon Pay's.
	evil := subscriptionEnv(t, SNSSubscriptionConfirmation)
	evil.fields["TopicArn"] = "arn:aws:sns:eu-west-1:666666666666:evilA1SELLERTEST"
	evil.header.Set("X-Amz-Sns-Topic-Arn", evil.fields["TopicArn"])
	evilSubscribe := evil.fields["SubscribeURL"]
	rig.srv.files[evilSubscribe] = []byte("<ConfirmSubscriptionResponse/>")
	before := rig.srv.fetches[evilSubscribe]
	assert.Equal(t, http.StatusForbidden, rig.post(t, evil.header, evil.sign(t, rig.p.leafKey)).Code)
	assert.Equal(t, before, rig.srv.fetches[evilSubscribe], "not confirmed")

	delete(rig.srv.files, subscribe)
	assert.Equal(t, http.StatusBadGateway, rig.post(t, e.header, body).Code, "SNS sends the confirmation again")

	u := subscriptionEnv(t, SNSUnsubscribeConfirmation)
	assert.Equal(t, http.StatusOK, rig.post(t, u.header, u.sign(t, rig.p.leafKey)).Code)
	assert.Equal(t, 0, rig.calls)
}

// Logs name the notification, its object and state, never buyer data.
func TestNotificationHandlerLogsNoBuyerData(t *testing.T) {
	rig := newHandlerRig(t, nil)
	data := strings.Replace(ipnFixture(t, "OrderReferenceNotification.xml"), "<SellerNote>",
		"<Buyer><Name>Jane Buyer</Name><Email>jane@example.com</Email></Buyer><SellerNote>", 1)
	e := newTestEnv(t)
	e.fields["Message"] = ipnMessageJSON(t, "OrderReferenceNotification", data, nil)
	require.Equal(t, http.StatusOK, rig.post(t, e.header, e.sign(t, rig.p.leafKey)).Code)
	require.Equal(t, "Jane Buyer", rig.got[0].OrderReference.Buyer.Name)
	logs := rig.logs.String()
	assert.Contains(t, logs, `"type":"OrderReferenceNotification"`)
	assert.Contains(t, logs, `"object_id":"S02-1234567-1234567"`)
	assert.Contains(t, logs, `"state":"Closed"`)
	for _, secret := range []string{"Jane", "jane@example.com", "Two mugs", "order-4711"} {
		assert.NotContains(t, logs, secret)
	}
	assert.NotContains(t, rig.got[0].String(), "Jane")

	// Rejections are logged with their reason.
	rig.post(t, e.header, setJSON(t, e.sign(t, rig.p.leafKey), "Signature", "AAAA"))
	assert.Contains(t, rig.logs.String(), `"reason":"Signature"`)
	assert.NotContains(t, rig.logs.String(), "Jane")
}
