package amazonpay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
)

// NotificationHandler is the http.Handler of a shop's IPN endpoint. It
// verifies each request, parses the notification and calls the shop's
// function with it. It answers
//
//   - 200 when the function returns nil (SNS stops delivering it);
//   - 500 when the function fails, so that SNS delivers it again;
//   - 400, 403 or 413 for what is malformed, forged or too large, and 503
//     when the signing certificate could not be fetched: never 2xx for a
//     notification it could not verify;
//   - 500 for every notification, with an error logged, when its verifier
//     names no seller (neither WithNotificationSellerIDs nor
//     WithAnyNotificationSeller): a single shop must not accept every
//     merchant's notifications, and SNS delivers them again once fixed.
//
// SNS delivers a notification at least once: the same notification may
// arrive again with the same NotificationReferenceID, even while the first
// delivery is still being handled. The shop's function should be
// idempotent, keyed by it; WithDuplicateSuppression also skips recent
// duplicates in this process and holds a redelivery until the first
// delivery's outcome is known.
type NotificationHandler struct {
	v       *NotificationVerifier
	fn      func(context.Context, *Notification) error
	confirm bool
	seen    *seenSet
}

// NotificationHandlerOption configures a NotificationHandler.
type NotificationHandlerOption func(*NotificationHandler)

// WithSubscriptionConfirmation makes the handler confirm SNS subscriptions:
// on a verified SubscriptionConfirmation it fetches the SubscribeURL
// (through the verifier's certificate HTTP client). Without it, a
// subscription confirmation is acknowledged and logged, but not
// confirmed: a shop opts in to receiving notifications.
func WithSubscriptionConfirmation() NotificationHandlerOption {
	return func(h *NotificationHandler) { h.confirm = true }
}

// WithDuplicateSuppression remembers the NotificationReferenceIDs of the
// last max notifications the function accepted, and answers 200 to their
// redeliveries without calling it again. A redelivery that arrives while
// the first delivery is still in the function (SNS redelivers after its
// 15-second timeout) waits for it and gets its answer: 200 if it
// succeeded, 500 if it failed (SNS delivers again), 503 if the
// redelivery's own request ends first. Only an id whose function returned
// nil is remembered. The memory is per process: a shop with several
// servers still needs an idempotent function.
func WithDuplicateSuppression(max int) NotificationHandlerOption {
	return func(h *NotificationHandler) {
		if max > 0 {
			h.seen = &seenSet{max: max, ids: make(map[string]struct{}, max), inFlight: make(map[string]*flight)}
		}
	}
}

// NewNotificationHandler returns the handler of a shop's IPN endpoint:
// verified notifications go to fn. SNS confirmations never reach fn. v must
// name the shop's seller id (WithNotificationSellerIDs), or a platform's
// opt-in to any seller (WithAnyNotificationSeller); otherwise the handler
// answers 500 to every request and logs why.
func NewNotificationHandler(v *NotificationVerifier, fn func(ctx context.Context, n *Notification) error, opts ...NotificationHandlerOption) *NotificationHandler {
	h := &NotificationHandler{v: v, fn: fn}
	for _, o := range opts {
		o(h)
	}
	return h
}

// ServeHTTP verifies and dispatches one SNS POST.
func (h *NotificationHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxNotificationBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.log(ctx, slog.LevelWarn, "amazonpay: notification too large")
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	n, err := h.v.Verify(ctx, r.Header, body)
	if err != nil {
		status := http.StatusBadRequest
		var ne *NotificationError
		if errors.As(err, &ne) {
			status = ne.httpStatus()
			if ne.Reason == NotificationUnconfigured {
				h.log(ctx, slog.LevelError, "amazonpay: notification handler misconfigured; every notification is refused",
					slog.String("error", err.Error()))
			}
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	switch n.Type {
	case SNSSubscriptionConfirmation:
		h.subscription(w, r, n)
		return
	case SNSUnsubscribeConfirmation:
		h.log(ctx, slog.LevelInfo, "amazonpay: SNS unsubscribe confirmation", slog.String("topic", n.TopicArn))
		w.WriteHeader(http.StatusOK)
		return
	}
	status := h.handle(ctx, n)
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handle runs the shop's function for a verified notification and returns
// the status to answer. With duplicate suppression, a notification already
// handled is skipped, and a redelivery that arrives while the first
// delivery is still in the function (SNS redelivers after its 15-second
// timeout) waits for that outcome instead of running the function again.
func (h *NotificationHandler) handle(ctx context.Context, n *Notification) int {
	id := n.NotificationReferenceID
	f, first, seen := h.seen.begin(id)
	switch {
	case seen:
		h.log(ctx, slog.LevelInfo, "amazonpay: duplicate notification skipped", slog.Any("notification", n))
		return http.StatusOK
	case f != nil && !first:
		h.log(ctx, slog.LevelInfo, "amazonpay: duplicate notification in flight; waiting for the first delivery", slog.Any("notification", n))
		select {
		case <-f.done:
			return f.status
		case <-ctx.Done():
			return http.StatusServiceUnavailable
		}
	}
	status := http.StatusInternalServerError
	if f != nil {
		// Deferred, so that a panicking function (net/http recovers it)
		// leaves nothing in flight: its waiters get 500.
		defer func() { h.seen.end(id, f, status) }()
	}
	if err := h.fn(ctx, n); err != nil {
		// The shop's error is not logged: it may hold buyer data.
		h.log(ctx, slog.LevelError, "amazonpay: notification handler failed; SNS will deliver it again",
			slog.Any("notification", n), slog.String("error_type", fmt.Sprintf("%T", err)))
		return status
	}
	status = http.StatusOK
	h.log(ctx, slog.LevelInfo, "amazonpay: notification handled", slog.Any("notification", n))
	return status
}

// subscription answers a verified SubscriptionConfirmation, confirming it
// if the shop opted in. A failed confirmation answers 502, so SNS tries again.
func (h *NotificationHandler) subscription(w http.ResponseWriter, r *http.Request, n *Notification) {
	ctx := r.Context()
	if !h.confirm {
		h.log(ctx, slog.LevelWarn, "amazonpay: SNS subscription not confirmed (WithSubscriptionConfirmation not set)",
			slog.String("topic", n.TopicArn))
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.confirmSubscription(ctx, n.SubscribeURL); err != nil {
		h.log(ctx, slog.LevelError, "amazonpay: SNS subscription confirmation failed",
			slog.String("topic", n.TopicArn), slog.String("error", err.Error()))
		http.Error(w, "subscription confirmation failed", http.StatusBadGateway)
		return
	}
	h.log(ctx, slog.LevelInfo, "amazonpay: SNS subscription confirmed", slog.String("topic", n.TopicArn))
	w.WriteHeader(http.StatusOK)
}

// confirmSubscription GETs the SubscribeURL that Verify checked is SNS's.
func (h *NotificationHandler) confirmSubscription(ctx context.Context, subscribeURL string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, subscribeURL, nil)
	if err != nil {
		return err
	}
	resp, err := h.v.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxCertBytes))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("SubscribeURL answered HTTP %d", resp.StatusCode)
	}
	return nil
}

func (h *NotificationHandler) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if l := h.v.logger; l != nil {
		l.LogAttrs(ctx, level, msg, attrs...)
	}
}

// LogValue gives the notification's ids, type and the state of its
// payload for log/slog: never buyer data, notes or addresses.
func (n *Notification) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("type", string(n.NotificationType)),
		slog.String("reference_id", n.NotificationReferenceID),
		slog.String("message_id", n.MessageID),
		slog.String("seller_id", n.SellerID),
	}
	if n.Type != "" && n.Type != SNSNotification {
		attrs = append(attrs, slog.String("sns_type", n.Type))
	}
	if id, state := n.object(); id != "" {
		attrs = append(attrs, slog.String("object_id", id), slog.String("state", state))
	}
	if n.IsSample {
		attrs = append(attrs, slog.Bool("sample", true))
	}
	return slog.GroupValue(attrs...)
}

// String summarises the notification as LogValue does.
func (n *Notification) String() string {
	id, state := n.object()
	return fmt.Sprintf("amazonpay.Notification{%s %s %s %s}", n.NotificationType, n.NotificationReferenceID, id, state)
}

// object returns the id and state of the payload.
func (n *Notification) object() (id, state string) {
	switch {
	case n.OrderReference != nil:
		return n.OrderReference.AmazonOrderReferenceID, string(n.OrderReference.OrderReferenceStatus.State)
	case n.Authorization != nil:
		return n.Authorization.AmazonAuthorizationID, string(n.Authorization.AuthorizationStatus.State)
	case n.Capture != nil:
		return n.Capture.AmazonCaptureID, string(n.Capture.CaptureStatus.State)
	case n.Refund != nil:
		return n.Refund.AmazonRefundID, string(n.Refund.RefundStatus.State)
	case n.BillingAgreement != nil:
		return n.BillingAgreement.AmazonBillingAgreementID, string(n.BillingAgreement.BillingAgreementStatus.State)
	case n.Chargeback != nil:
		return n.Chargeback.AmazonChargebackID, string(n.Chargeback.ChargebackState)
	case n.ProviderCredit != nil:
		return n.ProviderCredit.AmazonProviderCreditID, string(n.ProviderCredit.CreditStatus.State)
	case n.ProviderCreditReversal != nil:
		return n.ProviderCreditReversal.AmazonProviderCreditReversalID, string(n.ProviderCreditReversal.CreditReversalStatus.State)
	case n.SolutionProviderEvent != nil:
		return n.SolutionProviderEvent.SellerID, n.SolutionProviderEvent.Type
	}
	return "", ""
}

// seenSet is a bounded set of the ids the function accepted, the oldest
// dropped first, and the ids being handled now. A nil set holds nothing.
type seenSet struct {
	mu       sync.Mutex
	max      int
	ids      map[string]struct{}
	order    []string
	inFlight map[string]*flight
}

// flight is one delivery in the shop's function; done is closed once
// status is set.
type flight struct {
	done   chan struct{}
	status int
}

// begin returns seen for an id already accepted; otherwise the id's
// flight, and first when the caller starts it (and must end it). A nil
// set returns nothing: no suppression.
func (s *seenSet) begin(id string) (f *flight, first, seen bool) {
	if s == nil {
		return nil, false, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return nil, false, true
	}
	if f := s.inFlight[id]; f != nil {
		return f, false, false
	}
	f = &flight{done: make(chan struct{})}
	s.inFlight[id] = f
	return f, true, false
}

// end records the outcome of the flight begin started: the id is seen
// only when the function succeeded.
func (s *seenSet) end(id string, f *flight, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inFlight, id)
	if status == http.StatusOK {
		s.add(id)
	}
	f.status = status
	close(f.done)
}

// add remembers id; called with s.mu held.
func (s *seenSet) add(id string) {
	if _, ok := s.ids[id]; ok {
		return
	}
	if len(s.order) == s.max {
		delete(s.ids, s.order[0])
		s.order = s.order[1:]
	}
	s.ids[id] = struct{}{}
	s.order = append(s.order, id)
}
