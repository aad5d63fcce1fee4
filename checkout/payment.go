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
}

// AmazonID is the id of the Amazon object the payment belongs to: its
// order reference or its billing agreement.
func (p *Payment) AmazonID() string {
	if p.BillingAgreementID != "" {
		return p.BillingAgreementID
	}
	return p.OrderReferenceID
}
