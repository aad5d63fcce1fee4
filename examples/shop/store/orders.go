package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// The shop's orders and subscriptions (shop_orders): a number, who placed
// it, what was in the cart, and the checkout payment that pays it. Whether
// it is paid, and everything Amazon said about it, is the payment's:
// the pages read it with Payments.Get and keep no copy.

// Kinds of shop_orders rows.
const (
	kindOrder        = "order"
	kindSubscription = "subscription"
)

// orderRow is a row of shop_orders.
type orderRow struct {
	no, kind, paymentID, sessionID string
	quantity                       int
}

// newOrder numbers a new order or subscription of the session and stores
// it; its checkout payment id is its number.
func (s *Shop) newOrder(ctx context.Context, kind, sessionID string, quantity int) (string, error) {
	prefix := map[string]string{kindOrder: "order", kindSubscription: "sub"}[kind]
	n, err := s.db.next(ctx, prefix)
	if err != nil {
		return "", err
	}
	no := fmt.Sprintf("%s-%d", prefix, n)
	_, err = s.db.sql.ExecContext(ctx, s.db.q(`INSERT INTO shop_orders (no, kind, payment_id, session_id, quantity, created)
	VALUES ($1, $2, $3, $4, $5, $6)`), no, kind, no, sessionID, quantity, s.millis(s.now()))
	if err != nil {
		return "", fmt.Errorf("store: store %s %s: %w", kind, no, err)
	}
	return no, nil
}

// orderByNo reads a row of shop_orders; ok is false when there is none.
func (s *Shop) orderByNo(ctx context.Context, no string) (orderRow, bool, error) {
	var o orderRow
	err := s.db.sql.QueryRowContext(ctx, s.db.q(`SELECT no, kind, payment_id, session_id, quantity FROM shop_orders WHERE no = $1`), no).
		Scan(&o.no, &o.kind, &o.paymentID, &o.sessionID, &o.quantity)
	if errors.Is(err, sql.ErrNoRows) {
		return orderRow{}, false, nil
	}
	if err != nil {
		return orderRow{}, false, fmt.Errorf("store: read order %s: %w", no, err)
	}
	return o, true, nil
}

// Order is an order as its page shows it: the shop's row and its checkout
// payment.
type Order struct {
	No       string
	Quantity int
	Total    string // e.g. "42.50 EUR"
	// State is the checkout payment's; Paid is State == checkout.StatePaid.
	State checkout.State
	Paid  bool
	// Pending: a money call's outcome is not recorded yet (the page
	// reloads itself until Return, a notification or Reconcile settles it).
	Pending                bool
	AmazonOrderReferenceID string
	AuthorizationID        string
	CaptureID              string
	// AmazonState is the order reference's state as the last notification
	// told it, e.g. "Closed (AmazonClosed)"; "" before any.
	AmazonState string
	Refunds     []Refund
}

// Refund is a refund of an order, as the notifications told it.
type Refund struct {
	AmazonRefundID string
	Amount         string // e.g. "21.25 EUR"
	State          string // e.g. "Completed"
}

// Subscription is a subscription as its page shows it.
type Subscription struct {
	No     string
	Amount string // a month, e.g. "9.99 EUR"
	State  checkout.State
	// Active: the first charge was captured and Amazon has not closed or
	// canceled the billing agreement.
	Active                   bool
	Pending                  bool
	AmazonBillingAgreementID string
	FirstAuthorizationID     string
	// AmazonState is the billing agreement's state as the last
	// notification told it, e.g. "Closed (BuyerCanceled)".
	AmazonState string
}

// pending reports whether a payment in state st has a call whose outcome
// is not recorded yet.
func pending(st checkout.State) bool {
	switch st {
	case checkout.StateAuthorizing, checkout.StateCapturing, checkout.StateUnknown, checkout.StateCanceling:
		return true
	}
	return false
}

func orderOf(o orderRow, pay *checkout.Payment) Order {
	out := Order{No: o.no, Quantity: o.quantity, Total: priceText(pay.Total), State: pay.State,
		Paid: pay.State == checkout.StatePaid, Pending: pending(pay.State),
		AmazonOrderReferenceID: pay.OrderReferenceID, AuthorizationID: pay.AuthorizationID, CaptureID: pay.CaptureID,
		AmazonState: pay.AmazonState}
	for _, r := range pay.Refunds {
		out.Refunds = append(out.Refunds, Refund{AmazonRefundID: r.ID, Amount: priceText(r.Amount), State: r.State})
	}
	return out
}

func subscriptionOf(o orderRow, pay *checkout.Payment) Subscription {
	amount := pay.Total
	if pay.SubscriptionAmount != nil {
		amount = *pay.SubscriptionAmount
	}
	ended := len(pay.AmazonState) >= 6 && (pay.AmazonState[:6] == "Closed" || pay.AmazonState[:6] == "Cancel")
	return Subscription{No: o.no, Amount: priceText(amount), State: pay.State,
		Active: pay.State == checkout.StatePaid && !ended, Pending: pending(pay.State),
		AmazonBillingAgreementID: pay.BillingAgreementID, FirstAuthorizationID: pay.AuthorizationID,
		AmazonState: pay.AmazonState}
}

// Order returns order no as its page shows it; ok is false when the shop
// has no such order or its payment was never recorded.
func (s *Shop) Order(ctx context.Context, no string) (Order, bool, error) {
	o, pay, ok, err := s.orderAndPayment(ctx, no, kindOrder)
	if !ok || err != nil {
		return Order{}, ok, err
	}
	return orderOf(o, pay), true, nil
}

// Subscription returns subscription no as its page shows it.
func (s *Shop) Subscription(ctx context.Context, no string) (Subscription, bool, error) {
	o, pay, ok, err := s.orderAndPayment(ctx, no, kindSubscription)
	if !ok || err != nil {
		return Subscription{}, ok, err
	}
	return subscriptionOf(o, pay), true, nil
}

func (s *Shop) orderAndPayment(ctx context.Context, no, kind string) (orderRow, *checkout.Payment, bool, error) {
	o, ok, err := s.orderByNo(ctx, no)
	if !ok || err != nil || o.kind != kind {
		return orderRow{}, nil, false, err
	}
	pay, err := s.payments.Get(ctx, o.paymentID)
	if errors.Is(err, checkout.ErrNotFound) {
		return orderRow{}, nil, false, nil // numbered, but "buy now" never got as far
	}
	if err != nil {
		return orderRow{}, nil, false, err
	}
	return o, pay, true, nil
}

// pendingRefresh is how often a page whose payment is pending reloads.
const pendingRefresh = 2

// order is the order page: paid, or "we are confirming your payment",
// which reloads itself until the payment is settled, or not paid. Only
// the session that placed the order sees it.
func (s *Shop) order(w http.ResponseWriter, r *http.Request) {
	s.paymentPage(w, r, kindOrder, "order.html", func(o orderRow, pay *checkout.Payment, sess session) (page, bool) {
		view := orderOf(o, pay)
		p := s.page("Order "+o.no, sess)
		p.Order = &view
		return p, view.Pending
	})
}

// subscriptionPage is the subscription's page, like order.
func (s *Shop) subscriptionPage(w http.ResponseWriter, r *http.Request) {
	s.paymentPage(w, r, kindSubscription, "subscription_done.html", func(o orderRow, pay *checkout.Payment, sess session) (page, bool) {
		view := subscriptionOf(o, pay)
		p := s.subscriptionPageData("Subscription "+o.no, sess)
		p.Subscription = &view
		return p, view.Pending
	})
}

// paymentPage renders the page of the session's order or subscription
// named in the path with tmpl: view builds its page data and says whether
// the payment is pending (the page then reloads itself). Another
// session's, or an unknown, number is not found.
func (s *Shop) paymentPage(w http.ResponseWriter, r *http.Request, kind, tmpl string,
	view func(o orderRow, pay *checkout.Payment, sess session) (page, bool)) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	o, pay, found, err := s.orderAndPayment(r.Context(), r.PathValue("no"), kind)
	if err != nil {
		unavailable(w)
		return
	}
	if !found || sess.id == "" || o.sessionID != sess.id {
		http.NotFound(w, r)
		return
	}
	p, pending := view(o, pay, sess)
	if pending {
		p.Refresh = pendingRefresh
	}
	render(w, http.StatusOK, tmpl, p)
}
