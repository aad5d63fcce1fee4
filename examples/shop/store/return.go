package store

import (
	"errors"
	"net/http"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// amazonReturn is the SuccessUrl and FailureUrl of both flows: the buyer
// is back from the Confirmation Flow. Payments.Return checks the payment
// id and nonce, reads the outcome and makes the money calls; the shop only
// shows its Next step. A reload of this URL (the shop died before the
// page was shown, the buyer pressed F5) answers the same step again and
// charges nothing twice.
func (s *Shop) amazonReturn(w http.ResponseWriter, r *http.Request) {
	out, err := s.payments.Return(r.Context(), r.URL.Query())
	var ve *amazonpay.ValidationError
	switch {
	case errors.Is(err, checkout.ErrForgedReturn) || errors.As(err, &ve):
		// Nothing changed and nothing was sent to Amazon.
		http.Error(w, "This is not a return from Amazon Pay.", http.StatusBadRequest)
		return
	case err != nil:
		unavailable(w) // the database: the same URL works again
		return
	}
	no := out.Payment.ID
	subscription := out.Payment.Kind == checkout.KindSubscription
	page, wallet, start := "/orders/"+no, "/checkout", "/cart"
	if subscription {
		page, wallet, start = "/subscriptions/"+no, "/subscription/checkout", "/subscription"
	}
	switch out.Next {
	case checkout.NextPaid:
		if subscription {
			s.forgetSubscription(w, r, no)
		} else {
			s.emptyCart(w, r, no)
		}
		http.Redirect(w, r, page, http.StatusSeeOther)
	case checkout.NextPending:
		// "We are confirming your payment": the page reloads itself.
		http.Redirect(w, r, page, http.StatusSeeOther)
	case checkout.NextChooseAnotherPaymentMethod:
		http.Redirect(w, r, wallet+"?payment=abandoned", http.StatusSeeOther)
	case checkout.NextRetryLater:
		http.Redirect(w, r, wallet+"?payment=retry", http.StatusSeeOther)
	default: // NextBackToCart: canceled; the cart is kept, the checkout starts afresh
		if subscription {
			s.forgetSubscription(w, r, no)
		} else {
			s.forgetOrder(w, r, no)
		}
		http.Redirect(w, r, start+"?payment=failed", http.StatusSeeOther)
	}
}

// emptyCart empties the buyer's cart once order no is paid.
func (s *Shop) emptyCart(w http.ResponseWriter, r *http.Request, no string) {
	_, _ = s.changeSession(w, r, false, func(sess *session) {
		if sess.orderNo == no {
			*sess = session{id: sess.id}
		}
	})
}

// forgetSubscription drops the subscription checkout in progress from the
// buyer's session if it is subscription no.
func (s *Shop) forgetSubscription(w http.ResponseWriter, r *http.Request, no string) {
	_, _ = s.changeSession(w, r, false, func(sess *session) {
		if sess.subNo == no {
			sess.billingAgreement, sess.subNo = "", ""
		}
	})
}
