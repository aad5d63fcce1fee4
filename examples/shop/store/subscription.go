package store

import (
	"net/http"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// The subscription: the billing-agreement widgets with Consent and the
// "subscribe" AJAX endpoint, which is checkout's ConfirmSubscription
// (SetBillingAgreementDetails for merchant-initiated charges while Draft,
// ConfirmBillingAgreement with the return URL). On the buyer's return
// checkout validates the agreement and charges the first month
// (AuthorizeOnBillingAgreement with CaptureNow).

func (s *Shop) subscriptionPageData(title string, sess session) page {
	p := s.page(title, sess)
	p.Product, p.Price = subscriptionName, s.priceText(subscriptionCents)
	return p
}

// subscription is the product page of the subscription with the Amazon
// Pay button.
func (s *Shop) subscription(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	p := s.subscriptionPageData(subscriptionName, sess)
	if r.URL.Query().Get("payment") == "failed" {
		p.Message = buyerMessage(checkout.NextBackToCart, r)
		p.Logout = true
	}
	render(w, http.StatusOK, "subscription.html", p)
}

// subscriptionCheckout shows the AddressBook, Wallet and Consent widgets
// for a billing agreement. Opened by the Amazon Pay button (with the
// buyer's access_token), it gives the buyer a session, as the cart does
// for a purchase: the cookie must reach the browser before "subscribe"
// records anything, or a reply lost in a crash would take it along and
// the next press would find the billing agreement in a session the
// browser never got.
func (s *Shop) subscriptionCheckout(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	if sess.id == "" && r.URL.Query().Get("access_token") != "" {
		var err error
		if sess, err = s.changeSession(w, r, true, func(*session) {}); err != nil {
			unavailable(w)
			return
		}
	}
	p := s.subscriptionPageData("Subscribe", sess)
	switch r.URL.Query().Get("payment") {
	case "abandoned":
		p.Message = buyerMessage(checkout.NextChooseAnotherPaymentMethod, r)
		p.ID = sess.billingAgreement
	case "retry":
		p.Message = retryLaterMessage
		p.ID = sess.billingAgreement
	}
	render(w, http.StatusOK, "subscribe.html", p)
}

// confirmSubscription is the backend of "subscribe", called inside
// initConfirmationFlow's callback. A subscriber without a session (the
// checkout page opened without the button's access token) gets one here.
func (s *Shop) confirmSubscription(w http.ResponseWriter, r *http.Request) {
	id, ok := readConfirmRequest(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, ajaxError{"No Amazon Pay billing agreement was given."})
		return
	}
	ctx := r.Context()
	sess, err := s.changeSession(w, r, true, func(*session) {})
	if err == nil && (sess.subNo == "" || sess.billingAgreement != id) {
		var no string
		if no, err = s.newOrder(ctx, kindSubscription, sess.id, 0); err == nil {
			sess, err = s.changeSession(w, r, false, func(sess *session) { sess.billingAgreement, sess.subNo = id, no })
		}
	}
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
		return
	}
	month := s.price(subscriptionCents)
	_, err = s.payments.ConfirmSubscription(ctx, checkout.Subscription{
		ID:                 sess.subNo,
		BillingAgreementID: id,
		Type:               amazonpay.MerchantInitiatedTransaction,
		Amount:             &month,
		FirstCharge:        &month,
		SellerOrderID:      sess.subNo + "-1",
	})
	if err != nil {
		status, msg := confirmError(err)
		writeJSON(w, status, ajaxError{msg})
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
