package store

import (
	"context"
	"fmt"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Instant Payment Notifications: Amazon Pay POSTs to /amazon/ipn whenever
// one of the shop's objects changes state after the API reply the shop
// saw: a capture or refund completing, Amazon refunding the buyer (an
// A-to-z claim), an order reference closed or canceled by Amazon, a buyer
// canceling the subscription in their Amazon account. The SDK's handler
// verifies each POST (SNS signature, certificate chain, age, seller) and
// only then calls applyNotification with the typed notification; the shop
// never calls Get*Details for these changes.

// ipnPath is the shop's IPN URL path: register <shop URL>/amazon/ipn in
// Seller Central (Integration Settings), or with
// SetMerchantNotificationConfiguration.
const ipnPath = "/amazon/ipn"

// Refund is a refund of an order, as the notifications told it.
type Refund struct {
	AmazonRefundID string
	Amount         string // e.g. "21.25 EUR"
	Type           string // SellerInitiated, or e.g. AmazonA-ZGuarantee
	State          string // e.g. "Completed", "Declined (AmazonRejected)"
}

// ipnHandler is the http.Handler of POST /amazon/ipn.
func (s *Shop) ipnHandler(v *amazonpay.NotificationVerifier) *amazonpay.NotificationHandler {
	// No WithDuplicateSuppression: the shop's own record of handled
	// NotificationReferenceIDs (ipnSeen) makes redeliveries harmless, and
	// with a database it would survive restarts and serve several servers.
	return amazonpay.NewNotificationHandler(v, s.applyNotification)
}

// applyNotification updates the shop's orders and subscriptions from one
// verified notification. SNS delivers at least once: a notification
// already applied (same NotificationReferenceID) changes nothing. An error
// would answer 500 and SNS would deliver it again; this in-memory shop
// cannot fail. With a database, record the id in the same transaction as
// the change. A notification about an object the shop does not know (a
// checkout not placed yet) is acknowledged and dropped: until an order is
// placed, the API replies tell the shop its states.
func (s *Shop) applyNotification(ctx context.Context, n *amazonpay.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ipnSeen[n.NotificationReferenceID] {
		return nil
	}
	s.ipnSeen[n.NotificationReferenceID] = true
	s.ipnLog = append(s.ipnLog, n.NotificationReferenceID)

	switch n.NotificationType {
	case amazonpay.NotificationTypeOrderReference:
		or := n.OrderReference
		st := or.OrderReferenceStatus
		if o := s.orderOf(or.AmazonOrderReferenceID); o != nil && s.newer(or.AmazonOrderReferenceID, st.LastUpdateTimestamp, string(st.State)) {
			o.update(&o.OrderReferenceState, stateText(st.State, st.ReasonCode), "Order reference")
		}
	case amazonpay.NotificationTypePaymentAuthorize:
		a := n.Authorization
		st := a.AuthorizationStatus
		if !s.newer(a.AmazonAuthorizationID, st.LastUpdateTimestamp, string(st.State)) {
			break
		}
		if o := s.orderOf(a.AmazonAuthorizationID); o != nil {
			o.update(&o.AuthorizationState, stateText(st.State, st.ReasonCode), "Authorization")
		} else if sub := s.subscriptionOf(a.AmazonAuthorizationID); sub != nil && a.AmazonAuthorizationID == sub.FirstAuthorizationID {
			sub.update(&sub.FirstCharge, stateText(st.State, st.ReasonCode), "First charge")
		}
	case amazonpay.NotificationTypePaymentCapture:
		c := n.Capture
		st := c.CaptureStatus
		if o := s.orderOf(c.AmazonCaptureID); o != nil && s.newer(c.AmazonCaptureID, st.LastUpdateTimestamp, string(st.State)) {
			o.update(&o.CaptureState, stateText(st.State, st.ReasonCode), "Capture")
		}
	case amazonpay.NotificationTypePaymentRefund:
		// A refund the shop asked for, or one Amazon made on its own (an
		// A-to-z claim, a chargeback): the shop learns of those only here.
		r := n.Refund
		st := r.RefundStatus
		if o := s.orderOf(r.AmazonRefundID); o != nil && s.newer(r.AmazonRefundID, st.LastUpdateTimestamp, string(st.State)) {
			o.refund(Refund{
				AmazonRefundID: r.AmazonRefundID,
				Amount:         r.RefundAmount.Amount + " " + r.RefundAmount.CurrencyCode,
				Type:           string(r.RefundType),
				State:          stateText(st.State, st.ReasonCode),
			})
		}
	case amazonpay.NotificationTypeBillingAgreement:
		// Suspended (a declined charge: ask the buyer to update the payment
		// method), Closed by the buyer in their Amazon account, Canceled by
		// Amazon: stop charging.
		ba := n.BillingAgreement
		st := ba.BillingAgreementStatus
		if sub := s.subscriptionOf(ba.AmazonBillingAgreementID); sub != nil && s.newer(ba.AmazonBillingAgreementID, st.UpdatedAt(), string(st.State)) {
			sub.update(&sub.AgreementState, stateText(st.State, st.ReasonCode), "Billing agreement")
		}
	default:
		// Chargebacks and provider credits: this demo does not track them.
	}
	return nil
}

// HandledNotifications returns the NotificationReferenceIDs of the
// notifications the shop applied, oldest first: each once, however often
// SNS delivered it.
func (s *Shop) HandledNotifications() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ipnLog...)
}

// newer reports whether the state of object id at t is the latest the
// shop knows, and remembers it if so: SNS may deliver out of order and
// after the reply the shop already acted on, so an older state must not
// overwrite a newer one, and a state of the same moment does not take a
// closed object back to open (a capture-now authorization is notified Open
// and Closed with one timestamp). The caller holds s.mu.
func (s *Shop) newer(id string, t time.Time, state string) bool {
	if last, ok := s.ipnUpdated[id]; ok && (t.Before(last.at) || t.Equal(last.at) && final(last.state) && !final(state)) {
		return false
	}
	s.ipnUpdated[id] = knownState{at: t, state: state}
	return true
}

// knownState is the latest state of an Amazon object the shop knows, and
// when Amazon entered it.
type knownState struct {
	at    time.Time
	state string
}

// final reports whether an object in state can change no more.
func final(state string) bool {
	switch state {
	case "Closed", "Canceled", "Declined", "Completed":
		return true
	}
	return false
}

// orderOf returns the order an Amazon object belongs to, or nil. Amazon's
// authorization, capture and refund ids start with the id of their order
// reference (S02-1234567-7654321-R000001), so a refund Amazon made on its
// own is found too. The caller holds s.mu.
func (s *Shop) orderOf(amazonID string) *Order {
	no, ok := s.amazonIDs[amazonID]
	if !ok && len(amazonID) > 19 && objectID.MatchString(amazonID[:19]) {
		no = s.amazonIDs[amazonID[:19]]
	}
	return s.orders[no]
}

// subscriptionOf returns the subscription of a billing agreement or of a
// charge on it, or nil. The caller holds s.mu.
func (s *Shop) subscriptionOf(amazonID string) *Subscription {
	return s.subs[s.amazonIDs[amazonID]]
}

// stateText is a state with its reason, e.g. "Closed (MaxCapturesProcessed)".
func stateText[S ~string](state S, reason amazonpay.ReasonCode) string {
	if reason == "" || reason == "None" {
		return string(state)
	}
	return fmt.Sprintf("%s (%s)", state, reason)
}

// update sets a state learnt from a notification and notes the change on
// the order page.
func (o *Order) update(field *string, state, what string) {
	if *field == state {
		return
	}
	*field = state
	o.Updates = append(o.Updates, what+": "+state)
}

// refund records a refund's new state and notes it on the order page.
func (o *Order) refund(r Refund) {
	for i := range o.Refunds {
		if o.Refunds[i].AmazonRefundID == r.AmazonRefundID {
			if o.Refunds[i].State == r.State {
				return
			}
			o.Refunds[i] = r
			o.Updates = append(o.Updates, "Refund of "+r.Amount+": "+r.State)
			return
		}
	}
	o.Refunds = append(o.Refunds, r)
	o.Updates = append(o.Updates, "Refund of "+r.Amount+": "+r.State)
}

// update sets a state learnt from a notification and notes the change on
// the subscription page.
func (sub *Subscription) update(field *string, state, what string) {
	if *field == state {
		return
	}
	*field = state
	sub.Updates = append(sub.Updates, what+": "+state)
}
