package checkout

import (
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Kind tells a one-time purchase from a subscription.
type Kind string

// The kinds of payment.
const (
	KindPurchase     Kind = "purchase"
	KindSubscription Kind = "subscription"
)

// State is where a Payment stands in the Confirmation Flow state machine
// (the package doc has the table).
type State string

// The states of a Payment. Paid and Canceled are final.
const (
	// StateConfirmed: the current attempt's nonce is committed; Confirm's
	// calls to Amazon may have run; the buyer is expected back at the
	// return URL.
	StateConfirmed State = "confirmed"
	// StateDeclined: the attempt ended without money moving (a decline,
	// an abandoned challenge, a Confirmation Flow error); the Amazon
	// object is still usable and the next Confirm starts a new attempt.
	StateDeclined State = "declined"
	// StateAuthorizing: the authorization's reference id and amount are
	// committed; the call may be in flight.
	StateAuthorizing State = "authorizing"
	// StateCapturing: the authorization is Open (its id committed) and the
	// capture's reference id is committed; the capture may be in flight.
	StateCapturing State = "capturing"
	// StateUnknown: a money call failed in a way that leaves open whether
	// Amazon acted on it; its reference id is kept for Reconcile.
	StateUnknown State = "unknown"
	// StateCanceling: the payment is to be canceled (CancelOrderReference
	// or CloseBillingAgreement), which may not have been sent yet.
	StateCanceling State = "canceling"
	// StatePaid: Amazon captured the total (for a subscription, its first
	// charge). Final.
	StatePaid State = "paid"
	// StateCanceled: no money moved and none will. Final.
	StateCanceled State = "canceled"
)

// Final reports whether nothing more happens to a payment in state s.
func (s State) Final() bool { return s == StatePaid || s == StateCanceled }

// inFlight reports whether a money or cancel call of the payment may be
// outstanding: Reconcile's work.
func (s State) inFlight() bool {
	return s == StateAuthorizing || s == StateCapturing || s == StateUnknown || s == StateCanceling
}

// Payment is one checkout, as the Store keeps it. Fields are exported so
// that a store can serialise it (as JSON) and a shop can read it; change
// it only through Payments.
type Payment struct {
	ID                 string          `json:"id"`
	Kind               Kind            `json:"kind"`
	State              State           `json:"state"`
	Total              amazonpay.Price `json:"total"`
	OrderReferenceID   string          `json:"orderReferenceId,omitempty"`
	BillingAgreementID string          `json:"billingAgreementId,omitempty"`
	SellerOrderID      string          `json:"sellerOrderId,omitempty"`
	// Attempt counts the buyer's attempts to pay (1 for the first); the
	// reference id of each money call is derived from ID and Attempt.
	Attempt int `json:"attempt"`
	// Version increases by one on every stored change.
	Version int64     `json:"version"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`

	// Nonce is the secret of the current attempt's return URL. Only the
	// return URL of the current attempt carries it.
	Nonce string `json:"nonce,omitempty"`
	// CaptureNow is fixed at the first Confirm, so that a repeated
	// authorization carries the same parameters.
	CaptureNow bool `json:"captureNow,omitempty"`
	// SubscriptionAmount and BillingAgreementType are a subscription's
	// (see Subscription).
	SubscriptionAmount   *amazonpay.Price               `json:"subscriptionAmount,omitempty"`
	BillingAgreementType amazonpay.BillingAgreementType `json:"billingAgreementType,omitempty"`

	// The current attempt's money calls: reference ids (committed before
	// the call) and Amazon's ids (committed after its answer).
	AuthorizationReferenceID string `json:"authorizationReferenceId,omitempty"`
	AuthorizationID          string `json:"authorizationId,omitempty"`
	CaptureReferenceID       string `json:"captureReferenceId,omitempty"`
	CaptureID                string `json:"captureId,omitempty"`
	// ChargeOrderReferenceID is the order reference Amazon made for a
	// subscription's first charge.
	ChargeOrderReferenceID string `json:"chargeOrderReferenceId,omitempty"`

	// Reason says why the payment is Declined, Canceling or Canceled: a
	// reason code ("InvalidPaymentMethod", "AmazonRejected"), an
	// authentication status ("Abandoned", "Failure"), "ErrorCode:<code>"
	// for a Confirmation Flow error, or an MWS error code.
	Reason string `json:"reason,omitempty"`
	// AmazonState is the state Amazon last reported for the order
	// reference or billing agreement by notification, with its reason
	// code, and when.
	AmazonState     string    `json:"amazonState,omitempty"`
	AmazonStateTime time.Time `json:"amazonStateTime,omitempty"`

	// Refunds are the refunds Amazon reported for the capture.
	Refunds []Refund `json:"refunds,omitempty"`
	// Charges are a subscription's charges after the first, one per
	// billing period (ChargeSubscriptions).
	Charges []Charge `json:"charges,omitempty"`
}

// Refund is a refund of a Payment's capture, as a notification reported it.
type Refund struct {
	ID     string          `json:"id"`
	Amount amazonpay.Price `json:"amount"`
	State  string          `json:"state"`
}

// Charge is one billing period's charge of a subscription.
type Charge struct {
	Period                   string                  `json:"period"`
	AuthorizationReferenceID string                  `json:"authorizationReferenceId"`
	Amount                   amazonpay.Price         `json:"amount"`
	Outcome                  amazonpay.ChargeOutcome `json:"outcome"`
	ReasonCode               string                  `json:"reasonCode,omitempty"`
	AuthorizationID          string                  `json:"authorizationId,omitempty"`
	OrderReferenceID         string                  `json:"orderReferenceId,omitempty"`
}

// AmazonID is the id of the Amazon object the payment belongs to: its
// order reference or its billing agreement.
func (p *Payment) AmazonID() string {
	if p.BillingAgreementID != "" {
		return p.BillingAgreementID
	}
	return p.OrderReferenceID
}

// clone returns a deep copy of p.
func (p *Payment) clone() *Payment {
	c := *p
	if p.SubscriptionAmount != nil {
		a := *p.SubscriptionAmount
		c.SubscriptionAmount = &a
	}
	c.Refunds = append([]Refund(nil), p.Refunds...)
	c.Charges = append([]Charge(nil), p.Charges...)
	return &c
}
