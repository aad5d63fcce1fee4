package amazonpaytest

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// The sandbox sends Instant Payment Notifications as Amazon SNS does:
// whenever an object changes state (spec §7.2), including changes the
// sandbox clock causes (expiry, asynchronous outcomes), it POSTs a signed
// SNS message to every URL the test added with AddNotificationURL and to
// the URLs SetMerchantNotificationConfiguration set for the seller. The
// message is signed with a certificate of the sandbox's own test CA (a
// root, an intermediate and a leaf for sns.amazonaws.com), served at an
// https://sns.<region>.amazonaws.com/....pem URL through
// NotificationHTTPClient. NotificationVerifier returns an
// amazonpay.NotificationVerifier that trusts that CA, so a shop's handler
// runs end to end offline.
//
// Deliveries run in the background, in order: the state change queues a
// message under the sandbox's lock, the sender signs and POSTs it outside
// it, so a notification URL costs a request little. Close stops the
// sender. A delivery that is not
// answered with 2xx is retried like SNS does: after each delay of
// SetNotificationRetryDelays (default 3 × 20 s) on the sandbox clock.
// Notifications lists every delivery and its attempts; WaitNotifications
// waits until nothing is being sent; ResendNotification redelivers one.

// Delivery is one notification sent (or being sent) to one URL.
type Delivery struct {
	URL                     string
	Type                    string                     // SNS Type: Notification or SubscriptionConfirmation
	NotificationType        amazonpay.NotificationType // e.g. PaymentAuthorize
	NotificationReferenceID string
	MessageID               string
	ObjectID                string // the order reference, authorization, ... that changed
	State                   string // its new state
	ReasonCode              string
	Body                    []byte      // the SNS JSON message
	Header                  http.Header // the SNS headers
	Attempts                []Attempt
	Delivered               bool // an attempt was answered with 2xx
}

// Attempt is one POST of a delivery.
type Attempt struct {
	Time   time.Time // sandbox time
	Status int       // HTTP status; 0 when the request failed
	Err    string    // the transport error, if any
}

// notifier is the IPN state of a Handler. Its zero value is ready; its
// mutex is taken after Handler.mu, never before.
type notifier struct {
	mu         sync.Mutex
	pki        *notifyPKI
	urls       []string
	merchant   map[string][]merchantNotification // by seller id
	hc         *http.Client
	version    string // SNS SignatureVersion: "1" (default) or "2"
	delays     []time.Duration
	delaysSet  bool
	defaultHC  *http.Client // made on first use; its connections are closed by Close
	deliveries ring[*Delivery]
	tokens     map[string]string // SubscriptionConfirmation token → URL
	confirmed  map[string]bool   // URLs that confirmed
	queue      []*queued
	maxQueued  int           // the queue's bound (WithKeep): requests wait for room
	room       chan struct{} // closed when the queue falls below maxQueued
	busy       bool
	idle       chan struct{} // closed when the queue is empty and nothing is sent
	ctx        context.Context
	cancel     context.CancelFunc // cancels the deliveries in flight (Close)
	closed     bool
	sender     sync.WaitGroup // the goroutine that sends
}

type queued struct {
	d       *Delivery
	attempt int       // retries so far
	msg     *unsigned // the message of a first attempt, signed by the sender
}

// unsigned is a message waiting for its signature, shared by its
// deliveries to each URL. A notification's Message is rendered by the
// sender too: under the sandbox's lock only its snapshot (inner) is taken.
type unsigned struct {
	m      snsMessage
	inner  *ipnMessage // the Message to render, nil when m.Message is set
	doc    xIPNData    // its NotificationData
	key    *crtKey
	ds     []*Delivery
	signed bool
}

type merchantNotification struct {
	url       string
	events    map[string]bool
	eventList []string // as set, for GetMerchantNotificationConfiguration
}

// defaultRetryDelays are SNS's default HTTP delivery retries: three, 20 s apart.
var defaultRetryDelays = []time.Duration{20 * time.Second, 20 * time.Second, 20 * time.Second}

// AddNotificationURL makes the sandbox send every notification to url as
// well, whatever the seller's notification configuration.
func (h *Handler) AddNotificationURL(url string) {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	h.notify.urls = append(h.notify.urls, url)
}

// SetNotificationHTTPClient sets the client that POSTs notifications
// (default: one with a 10-second timeout). Use it for https endpoints of
// an httptest.NewTLSServer.
func (h *Handler) SetNotificationHTTPClient(hc *http.Client) {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	h.notify.hc = hc
}

// SetNotificationSignatureVersion selects SNS SignatureVersion 1
// (RSA-SHA1, the default, as Amazon Pay's topics use) or 2 (RSA-SHA256).
func (h *Handler) SetNotificationSignatureVersion(v int) {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	h.notify.version = "1"
	if v == 2 {
		h.notify.version = "2"
	}
}

// SetNotificationRetryDelays sets the waits, on the sandbox clock, before
// each retry of a delivery not answered with 2xx; none turns retries off.
func (h *Handler) SetNotificationRetryDelays(delays ...time.Duration) {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	h.notify.delays, h.notify.delaysSet = append([]time.Duration(nil), delays...), true
}

// Notifications returns the deliveries so far (the last WithKeep, default
// DefaultKeep), in the order the state changes happened, with their
// attempts. Body is empty while the sender has not signed it yet.
func (h *Handler) Notifications() []Delivery {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	out := make([]Delivery, 0, h.notify.deliveries.len())
	h.notify.deliveries.each(func(d *Delivery) {
		c := *d
		c.Attempts = append([]Attempt(nil), d.Attempts...)
		c.Header = d.Header.Clone()
		out = append(out, c)
	})
	return out
}

// WaitNotifications blocks until no notification is queued or being sent
// (retries waiting for the sandbox clock do not count), or ctx ends.
func (h *Handler) WaitNotifications(ctx context.Context) error {
	for {
		h.notify.mu.Lock()
		if !h.notify.busy && len(h.notify.queue) == 0 {
			h.notify.mu.Unlock()
			return nil
		}
		idle := h.notify.idleChan()
		h.notify.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitRoom is the back-pressure of the notification queue: it blocks
// while maxQueued notifications wait to be sent (or until ctx ends), so a
// client faster than the endpoints it notifies is slowed down to their
// pace instead of queueing without bound. ServeHTTP calls it, without
// h.mu, before it answers. A notification endpoint that calls the sandbox
// while the queue is full waits for its own delivery to end (the
// notification client's timeout), as with Advance.
func (n *notifier) waitRoom(ctx context.Context) {
	n.mu.Lock()
	for len(n.queue) >= n.maxQueued && n.maxQueued > 0 && !n.closed {
		if n.room == nil {
			n.room = make(chan struct{})
		}
		room := n.room
		n.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return
		}
		n.mu.Lock()
	}
	n.mu.Unlock()
}

// idleChan returns the channel closed at the next idle moment. Called
// with n.mu held.
func (n *notifier) idleChan() chan struct{} {
	if n.idle == nil {
		n.idle = make(chan struct{})
	}
	return n.idle
}

// statusChanged is called (with h.mu held) after every status change of an
// object; a change from one state to another is notified, and so is the
// state an object is created in (a capture Completed at once, a
// synchronous authorization Open or Declined, a refund Pending), as MWS
// does, except Draft: the buyer's widgets make Draft objects, which MWS
// does not notify.
func (h *Handler) statusChanged(s *status, old string) {
	if old == s.State || old == "" && s.State == stDraft {
		return
	}
	h.notify.mu.Lock()
	active := len(h.notify.urls) > 0 || len(h.notify.merchant) > 0
	h.notify.mu.Unlock()
	if !active {
		return
	}
	msg, ok := h.ipnOf(s)
	if !ok {
		return
	}
	h.send(msg)
}

// ipn is one notification before signing: its NotificationData as a
// snapshot of the object, marshalled by the sender.
type ipn struct {
	seller, eventType, objectID string
	typ                         amazonpay.NotificationType
	status                      status
	eventTypeBA                 string
	doc                         xIPNData
}

// ipnOf finds the object whose status is s and renders its notification.
// Called with h.mu held.
func (h *Handler) ipnOf(s *status) (ipn, bool) {
	switch o := s.owner.(type) {
	case *orderRef:
		x := h.xOrderRef(o, false)
		// Notifications carry no buyer data.
		x.Buyer, x.Destination, x.PaymentDescriptor = nil, nil, nil
		return ipn{seller: o.seller, eventType: "ORDER_REFERENCE", objectID: o.id, typ: amazonpay.NotificationTypeOrderReference,
			status: *s, doc: xIPNData{XMLName: xml.Name{Local: "OrderReferenceNotification"}, OrderReference: x}}, true
	case *authorization:
		return ipn{seller: o.oro.seller, eventType: "PAYMENT_AUTHORIZE", objectID: o.id, typ: amazonpay.NotificationTypePaymentAuthorize,
			status: *s, doc: xIPNData{XMLName: xml.Name{Local: "AuthorizationNotification"}, AuthorizationDetails: h.xAuthorization(o)}}, true
	case *capture:
		return ipn{seller: o.auth.oro.seller, eventType: "PAYMENT_CAPTURE", objectID: o.id, typ: amazonpay.NotificationTypePaymentCapture,
			status: *s, doc: xIPNData{XMLName: xml.Name{Local: "CaptureNotification"}, CaptureDetails: h.xCapture(o)}}, true
	case *refund:
		return ipn{seller: o.capture.auth.oro.seller, eventType: "PAYMENT_REFUND", objectID: o.id, typ: amazonpay.NotificationTypePaymentRefund,
			status: *s, doc: xIPNData{XMLName: xml.Name{Local: "RefundNotification"}, RefundDetails: h.xRefund(o)}}, true
	case *billingAgreement:
		x := h.xBillingAgreement(o, false)
		x.Buyer, x.Destination = nil, nil
		return ipn{seller: o.seller, eventType: "BILLING_AGREEMENT", objectID: o.id, typ: amazonpay.NotificationTypeBillingAgreement,
			status: *s, eventTypeBA: string(amazonpay.BillingAgreementStatusUpdated),
			doc: xIPNData{XMLName: xml.Name{Local: "BillingAgreementNotification"}, BillingAgreement: x}}, true
	}
	return ipn{}, false
}

// xIPNData is a NotificationData document: one of the payloads, in the
// IPN namespace.
type xIPNData struct {
	XMLName              xml.Name
	Xmlns                string                    `xml:"xmlns,attr"`
	OrderReference       *xOrderReferenceDetails   `xml:"OrderReference"`
	AuthorizationDetails *xAuthorizationDetails    `xml:"AuthorizationDetails"`
	CaptureDetails       *xCaptureDetails          `xml:"CaptureDetails"`
	RefundDetails        *xRefundDetails           `xml:"RefundDetails"`
	BillingAgreement     *xBillingAgreementDetails `xml:"BillingAgreement"`
}

const ipnNamespace = "https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01"

var idListMember = regexp.MustCompile(`<IdList>(.*?)</IdList>`)

// ipnData marshals d with the IPN spellings: <Id> in IdList,
// LastUpdateTimestamp in every status.
func ipnData(d xIPNData) []byte {
	d.Xmlns = ipnNamespace
	body, err := xml.Marshal(d)
	if err != nil {
		panic("amazonpaytest: notification data: " + err.Error())
	}
	body = idListMember.ReplaceAllFunc(body, func(m []byte) []byte {
		m = bytes.ReplaceAll(m, []byte("<member>"), []byte("<Id>"))
		return bytes.ReplaceAll(m, []byte("</member>"), []byte("</Id>"))
	})
	body = bytes.ReplaceAll(body, []byte("LastUpdatedTimestamp>"), []byte("LastUpdateTimestamp>"))
	return append([]byte(xml.Header[:len(xml.Header)-1]), body...)
}

// marketplaceID is the marketplace code of IPN messages and topic names.
func marketplaceID(r amazonpay.Region) string {
	switch r {
	case amazonpay.RegionUS, amazonpay.RegionNA:
		return "A3BXB0YN3XH17H"
	case amazonpay.RegionUK:
		return "A2WQPBGJ59HSXT"
	case amazonpay.RegionJP:
		return "A1MCJZEB1HY93J"
	}
	return "A53RDEWN57UU5"
}

// snsMessage is the SNS JSON body, in SNS's field order.
type snsMessage struct {
	Type             string `json:"Type"`
	MessageID        string `json:"MessageId"`
	Token            string `json:"Token,omitempty"`
	TopicArn         string `json:"TopicArn"`
	Message          string `json:"Message"`
	SubscribeURL     string `json:"SubscribeURL,omitempty"`
	Timestamp        string `json:"Timestamp"`
	SignatureVersion string `json:"SignatureVersion"`
	Signature        string `json:"Signature"`
	SigningCertURL   string `json:"SigningCertURL"`
	UnsubscribeURL   string `json:"UnsubscribeURL,omitempty"`
}

// ipnMessage is the Message of an Amazon Pay notification.
type ipnMessage struct {
	NotificationReferenceID string `json:"NotificationReferenceId"`
	MarketplaceID           string `json:"MarketplaceID"`
	NotificationType        string `json:"NotificationType"`
	SellerID                string `json:"SellerId"`
	ReleaseEnvironment      string `json:"ReleaseEnvironment"`
	Version                 string `json:"Version"`
	EventType               string `json:"EventType,omitempty"`
	Timestamp               string `json:"Timestamp"`
	NotificationData        string `json:"NotificationData"`
}

// send queues msg for each URL that takes it; the sender signs it. Called
// with h.mu held.
func (h *Handler) send(msg ipn) {
	p := h.notifyPKI()
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	targets := append([]string(nil), h.notify.urls...)
	for _, m := range h.notify.merchant[msg.seller] {
		if m.events["ALL"] || m.events[msg.eventType] {
			targets = append(targets, m.url)
		}
	}
	if len(targets) == 0 {
		return
	}
	refID, messageID := newRequestID(h.rng), newRequestID(h.rng)
	now := formatTime(h.now)
	topic := h.topic(p, msg.seller)
	m := snsMessage{
		Type: "Notification", MessageID: messageID, TopicArn: topic, Timestamp: now,
		UnsubscribeURL: fmt.Sprintf("https://sns.%s.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=%s:%s", p.region, topic, refID),
	}
	u := h.notify.prepare(p, m)
	u.inner, u.doc = &ipnMessage{
		NotificationReferenceID: refID, MarketplaceID: marketplaceID(h.cfg.region), NotificationType: string(msg.typ),
		SellerID: msg.seller, ReleaseEnvironment: h.environment(), Version: "2013-01-01", EventType: msg.eventTypeBA,
		Timestamp: now,
	}, msg.doc
	for _, url := range targets {
		h.notify.deliver(h, u, &Delivery{
			URL: url, Type: m.Type, NotificationType: msg.typ, NotificationReferenceID: refID, MessageID: messageID,
			ObjectID: msg.objectID, State: msg.status.State, ReasonCode: msg.status.Reason,
			Header: snsHeader(&m, topic+":"+refID),
		})
	}
}

// topic is the SNS topic of a seller's notifications: the marketplace code
// followed by the seller id.
func (h *Handler) topic(p *notifyPKI, seller string) string {
	return fmt.Sprintf("arn:aws:sns:%s:291180941288:%s%s", p.region, marketplaceID(h.cfg.region), seller)
}

// snsHeader is the header SNS sends with m.
func snsHeader(m *snsMessage, subscriptionArn string) http.Header {
	return http.Header{
		"Content-Type":               {"text/plain; charset=UTF-8"},
		"User-Agent":                 {"Amazon Simple Notification Service Agent"},
		"X-Amz-Sns-Message-Type":     {m.Type},
		"X-Amz-Sns-Message-Id":       {m.MessageID},
		"X-Amz-Sns-Topic-Arn":        {m.TopicArn},
		"X-Amz-Sns-Subscription-Arn": {subscriptionArn},
	}
}

// deliver records d, a delivery of u, and queues it. Called with n.mu held.
func (n *notifier) deliver(h *Handler, u *unsigned, d *Delivery) {
	if n.closed {
		return
	}
	n.deliveries.add(d)
	u.ds = append(u.ds, d)
	n.enqueue(h, &queued{d: d, msg: u})
}

// prepare makes m a message to sign with the sandbox's SNS key in the
// configured SignatureVersion. Called with n.mu held.
func (n *notifier) prepare(p *notifyPKI, m snsMessage) *unsigned {
	m.SignatureVersion, m.SigningCertURL = n.version, p.certURL
	if m.SignatureVersion == "" {
		m.SignatureVersion = "1"
	}
	return &unsigned{m: m, key: p.key}
}

// SendSubscriptionConfirmation POSTs an SNS SubscriptionConfirmation of
// the seller's topic to url, as SNS does when an endpoint is subscribed.
// An endpoint confirms by GETting its SubscribeURL (through
// NotificationHTTPClient); SubscriptionConfirmed tells whether it did.
func (h *Handler) SendSubscriptionConfirmation(url string) {
	p := h.notifyPKI()
	h.mu.Lock()
	defer h.mu.Unlock()
	n := &h.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	token := strings.ReplaceAll(newRequestID(h.rng)+newRequestID(h.rng), "-", "")
	topic := h.topic(p, h.cfg.sellerID)
	m := snsMessage{
		Type: "SubscriptionConfirmation", MessageID: newRequestID(h.rng), Token: token, TopicArn: topic,
		Message: "You have chosen to subscribe to the topic " + topic +
			".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
		SubscribeURL: fmt.Sprintf("https://sns.%s.amazonaws.com/?Action=ConfirmSubscription&TopicArn=%s&Token=%s", p.region, topic, token),
		Timestamp:    formatTime(h.now),
	}
	if n.tokens == nil {
		n.tokens, n.confirmed = map[string]string{}, map[string]bool{}
	}
	n.tokens[token] = url
	n.deliver(h, n.prepare(p, m), &Delivery{URL: url, Type: m.Type, MessageID: m.MessageID, Header: snsHeader(&m, "PendingConfirmation")})
}

// SubscriptionConfirmed reports whether the endpoint at url confirmed a
// SubscriptionConfirmation by fetching its SubscribeURL.
func (h *Handler) SubscriptionConfirmed(url string) bool {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	return h.notify.confirmed[url]
}

// confirm records the confirmation of token; false if no confirmation
// carried it.
func (n *notifier) confirm(token string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	url, ok := n.tokens[token]
	if ok {
		n.confirmed[url] = true
	}
	return ok
}

// enqueue adds q and starts the sender if it is not running. Called with
// n.mu held.
func (n *notifier) enqueue(h *Handler, q *queued) {
	if n.closed {
		return
	}
	n.queue = append(n.queue, q)
	if !n.busy {
		if n.ctx == nil {
			n.ctx, n.cancel = context.WithCancel(context.Background())
		}
		n.busy = true
		n.sender.Add(1)
		go n.run(h)
	}
}

// run sends queued deliveries one at a time, in order, until none is left.
func (n *notifier) run(h *Handler) {
	defer n.sender.Done()
	for {
		n.mu.Lock()
		if len(n.queue) == 0 {
			n.busy = false
			if n.idle != nil {
				close(n.idle)
				n.idle = nil
			}
			n.mu.Unlock()
			return
		}
		q := n.queue[0]
		n.queue[0] = nil
		n.queue = n.queue[1:]
		if n.room != nil && len(n.queue) < n.maxQueued {
			close(n.room)
			n.room = nil
		}
		hc, ctx := n.hc, n.ctx
		if hc == nil {
			if n.defaultHC == nil {
				n.defaultHC = &http.Client{Timeout: 10 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
			}
			hc = n.defaultHC
		}
		n.mu.Unlock()
		if q.msg != nil {
			n.sign(q.msg)
		}
		status, err := post(ctx, hc, q.d)
		if ctx.Err() != nil {
			continue // closed: the queue is gone, the attempt was never answered
		}
		h.attempted(q, status, err)
	}
}

// Close stops the notification sender: the delivery in flight is
// cancelled, queued ones and retries are dropped, nothing more is sent,
// and Close returns when the sender's goroutine has ended. The sandbox
// still answers requests. Server.Close calls it.
func (h *Handler) Close() { h.notify.close() }

func (n *notifier) close() {
	n.mu.Lock()
	n.closed = true
	n.queue = nil
	if n.room != nil {
		close(n.room)
		n.room = nil
	}
	if n.cancel != nil {
		n.cancel()
	}
	hcs := []*http.Client{n.hc, n.defaultHC}
	n.mu.Unlock()
	n.sender.Wait()
	for _, hc := range hcs {
		if hc != nil {
			hc.CloseIdleConnections() // no keep-alive goroutine is left behind
		}
	}
}

func post(ctx context.Context, hc *http.Client, d *Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header = d.Header.Clone()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // only the status matters
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// attempted records an attempt and schedules the retry of a failed one on
// the sandbox clock.
func (h *Handler) attempted(q *queued, status int, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := &h.notify
	n.mu.Lock()
	a := Attempt{Time: h.now, Status: status}
	if err != nil {
		a.Err = err.Error()
	}
	q.d.Attempts = append(q.d.Attempts, a)
	ok := err == nil && status >= 200 && status < 300
	q.d.Delivered = q.d.Delivered || ok
	delays := defaultRetryDelays
	if n.delaysSet {
		delays = n.delays
	}
	n.mu.Unlock()
	if ok || q.attempt >= len(delays) {
		return
	}
	next := &queued{d: q.d, attempt: q.attempt + 1}
	h.schedule(h.now.Add(delays[q.attempt]), func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.enqueue(h, next)
	})
}
