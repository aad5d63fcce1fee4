package store

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// The one-time purchase: the checkout page with the AddressBook and Wallet
// widgets and the "buy now" AJAX endpoint, which is checkout's Confirm
// (SetOrderAttributes while Draft, ConfirmOrderReference with the return
// URL). The buyer's return is in return.go.

// objectID is the shape of order reference and billing agreement ids.
var objectID = regexp.MustCompile(`^[A-Z]\d{2}-\d{7}-\d{7}$`)

// checkout shows the AddressBook and Wallet widgets and the "buy now"
// button. Back from an abandoned challenge or a soft decline
// (?payment=abandoned) the widgets show the same order reference again so
// the buyer can pick another payment method, with Amazon's message in the
// buyer's language; after a passing failure (?payment=retry) the same
// order reference, to press "buy now" again.
func (s *Shop) checkout(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	if sess.quantity == 0 {
		http.Redirect(w, r, "/cart", http.StatusSeeOther)
		return
	}
	p := s.page("Checkout", sess)
	switch r.URL.Query().Get("payment") {
	case "abandoned":
		p.Message = buyerMessage(checkout.NextChooseAnotherPaymentMethod, r)
		p.ID = sess.orderReferenceID
	case "retry":
		p.Message = retryLaterMessage
		p.ID = sess.orderReferenceID
	}
	render(w, http.StatusOK, "checkout.html", p)
}

// confirmRequest is the body of the pages' "buy now" and "subscribe" AJAX
// calls.
type confirmRequest struct {
	ID string `json:"id"`
}

func readConfirmRequest(r *http.Request) (string, bool) {
	var req confirmRequest
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 4<<10)).Decode(&req); err != nil || !objectID.MatchString(req.ID) {
		return "", false
	}
	return req.ID, true
}

// confirmOrder is the backend of "buy now", called by the page inside
// initConfirmationFlow's callback: 200 lets the page call
// confirmationFlow.success(), anything else confirmationFlow.error(). The
// total is the cart's, fixed by checkout at the first Confirm of the
// order: a cart changed since makes a new order.
func (s *Shop) confirmOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := readConfirmRequest(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, ajaxError{"No Amazon Pay order reference was given."})
		return
	}
	ctx := r.Context()
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	if sess.quantity == 0 {
		writeJSON(w, http.StatusConflict, ajaxError{"Your cart is empty."})
		return
	}
	no := sess.orderNo
	if no != "" && sess.orderReferenceID == id {
		o, found, err := s.orderByNo(ctx, no)
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
			return
		}
		if !found || o.quantity != sess.quantity {
			// The cart changed after "buy now": that order reference
			// belongs to the old total. Start again from the cart.
			s.forgetOrder(w, r, no)
			writeJSON(w, http.StatusConflict, ajaxError{"Your cart changed. Please go back to the cart and pay again."})
			return
		}
	} else {
		var err error
		if no, err = s.newOrder(ctx, kindOrder, sess.id, sess.quantity); err == nil {
			_, err = s.changeSession(w, r, false, func(sess *session) { sess.orderReferenceID, sess.orderNo = id, no })
		}
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
			return
		}
	}
	_, err := s.payments.Confirm(ctx, checkout.Purchase{
		ID:               no,
		OrderReferenceID: id,
		Total:            s.price(int64(sess.quantity) * productCents),
		SellerOrderID:    no,
	})
	if err != nil {
		status, msg := confirmError(err)
		if errors.Is(err, checkout.ErrFinal) {
			s.forgetOrder(w, r, no)
		}
		writeJSON(w, status, ajaxError{msg})
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// confirmError is the page's answer to a failed Confirm or
// ConfirmSubscription.
func confirmError(err error) (int, string) {
	var ve *amazonpay.ValidationError
	switch {
	case errors.Is(err, checkout.ErrFinal), errors.Is(err, amazonpay.ErrorInvalidOrderReferenceStatus),
		errors.Is(err, amazonpay.ErrorInvalidBillingAgreementStatus):
		// Paid, canceled, or the Amazon object ended (a Draft left three
		// hours is Canceled): this checkout is over.
		return http.StatusConflict, "This Amazon Pay checkout has expired. Please go back to the cart and pay again."
	case errors.Is(err, checkout.ErrInProgress):
		return http.StatusConflict, "Your payment is being processed. Please wait a moment."
	case errors.Is(err, amazonpay.ErrorConstraintsExist), errors.Is(err, amazonpay.ErrorPaymentMethodNotAllowed):
		return http.StatusConflict, "Please choose another payment method."
	case errors.Is(err, amazonpay.ErrorBillingAgreementConstraintsExist):
		return http.StatusConflict, "Please choose another payment method and allow future payments."
	case errors.As(err, &ve):
		return http.StatusBadRequest, "This checkout cannot be confirmed. Please go back to the cart and pay again."
	}
	return http.StatusBadGateway, unavailableMessage
}

// forgetOrder drops the checkout in progress from the buyer's session if
// it is order no (a concurrent request may have started another).
func (s *Shop) forgetOrder(w http.ResponseWriter, r *http.Request, no string) {
	_, _ = s.changeSession(w, r, false, func(sess *session) {
		if sess.orderNo == no {
			sess.orderReferenceID, sess.orderNo = "", ""
		}
	})
}
