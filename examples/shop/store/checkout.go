package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/amazonpay-go/amazonpay"
)

// The one-time purchase: the checkout page with the AddressBook and Wallet
// widgets, the "buy now" AJAX call (SetOrderAttributes, then
// ConfirmOrderReference with SuccessUrl and FailureUrl), the buyer's
// return from the Confirmation Flow (Authorize, Capture), and the paths
// back to the cart (Failure) or the wallet (Abandoned).

// objectID is the shape of order reference and billing agreement ids.
var objectID = regexp.MustCompile(`^[A-Z]\d{2}-\d{7}-\d{7}$`)

// checkout shows the AddressBook and Wallet widgets and the "buy now"
// button. After an abandoned challenge (?payment=abandoned) the widgets
// show the same order reference again so the buyer can pick another
// payment method, with Amazon's message in the buyer's language.
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
		p.Message = amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, r.Header.Get("Accept-Language"))
		p.ID = sess.orderReferenceID
	case "declined":
		// A soft decline (InvalidPaymentMethod) is handled the same way.
		p.Message = amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, r.Header.Get("Accept-Language"))
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
// confirmationFlow.success(), anything else confirmationFlow.error().
func (s *Shop) confirmOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := readConfirmRequest(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, ajaxError{"No Amazon Pay order reference was given."})
		return
	}
	sess, err := s.withSession(w, r, false, func(sess *session) {
		if sess.orderReferenceID != id {
			sess.orderReferenceID, sess.orderNo = id, ""
		}
	})
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
		return
	}
	if sess.quantity == 0 {
		writeJSON(w, http.StatusConflict, ajaxError{"Your cart is empty."})
		return
	}
	if sess.orderNo == "" {
		no := s.nextNo(r, "order")
		if sess, err = s.withSession(w, r, false, func(sess *session) { sess.orderNo = no }); err != nil || no == "" {
			writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
			return
		}
	}
	ctx := r.Context()
	c := s.cfg.Client
	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	if err != nil {
		writeJSON(w, http.StatusBadGateway, ajaxError{"Amazon Pay is not available right now. Please try again."})
		return
	}
	switch got.OrderReferenceDetails.OrderReferenceStatus.State {
	case amazonpay.OrderReferenceDraft, amazonpay.OrderReferenceOpen, amazonpay.OrderReferenceSuspended:
	default: // Canceled (e.g. stale after 3 hours) or Closed: start again
		writeJSON(w, http.StatusConflict, ajaxError{"This Amazon Pay checkout has expired. Please go back to the cart and pay again."})
		return
	}
	if got.OrderReferenceDetails.OrderReferenceStatus.State == amazonpay.OrderReferenceDraft {
		// The final order attributes, the total included (seeds, step 3).
		set, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{
			AmazonOrderReferenceID: id,
			OrderAttributes: &amazonpay.OrderAttributes{
				OrderTotal: s.price(int64(sess.quantity) * productCents),
				SellerOrderAttributes: &amazonpay.SellerOrderAttributes{
					SellerOrderID: sess.orderNo,
					StoreName:     storeName,
				},
			},
		})
		if err != nil {
			writeJSON(w, http.StatusBadGateway, ajaxError{"Amazon Pay is not available right now. Please try again."})
			return
		}
		if msg := constraintMessage(set.OrderReferenceDetails.Constraints); msg != "" {
			writeJSON(w, http.StatusConflict, ajaxError{msg})
			return
		}
	}
	// After an abandoned challenge the order reference is already set: the
	// buyer picked another payment method and it is confirmed again.
	base := s.baseURL(r)
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       id,
		SuccessURL:                   base + "/checkout/ok",
		FailureURL:                   base + "/checkout/failed",
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	}); err != nil {
		if errors.Is(err, amazonpay.ErrorConstraintsExist) {
			writeJSON(w, http.StatusConflict, ajaxError{"Please choose another payment method."})
			return
		}
		writeJSON(w, http.StatusBadGateway, ajaxError{"Amazon Pay is not available right now. Please try again."})
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// constraintMessage tells the buyer what to fix in the widgets.
func constraintMessage(cs []amazonpay.Constraint) string {
	for _, c := range cs {
		switch c.ConstraintID {
		case "PaymentMethodNotAllowed", "PaymentPlanNotSet":
			return "Please choose another payment method."
		case "ShippingAddressNotSet":
			return "Please choose a shipping address."
		default:
			return "Amazon Pay cannot take this order: " + string(c.ConstraintID) + "."
		}
	}
	return ""
}

// orderReturn is the SuccessUrl and FailureUrl: the buyer is back from the
// Confirmation Flow.
func (s *Shop) orderReturn(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	id := sess.orderReferenceID
	if id == "" {
		http.Redirect(w, r, "/cart", http.StatusSeeOther)
		return
	}
	res, err := amazonpay.ParseConfirmationRedirect(r.URL.Query())
	if err != nil {
		http.Error(w, "This is not a return from Amazon Pay.", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	c := s.cfg.Client
	switch res.Action {
	case amazonpay.ActionProceed:
		s.authorizeAndCapture(w, r, sess)
	case amazonpay.ActionCancelAndReturnToCart:
		// Failure: cancel, back to the cart, sign out of Amazon Pay, message.
		if _, err := c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{
			AmazonOrderReferenceID: id, CancelationReason: "The buyer failed the authentication challenge",
		}); err != nil {
			http.Redirect(w, r, "/cart?payment=error", http.StatusSeeOther)
			return
		}
		s.withSession(w, r, false, func(sess *session) { sess.orderReferenceID, sess.orderNo = "", "" })
		http.Redirect(w, r, "/cart?payment=failed", http.StatusSeeOther)
	case amazonpay.ActionChooseAnotherPaymentMethod:
		// Abandoned: like an InvalidPaymentMethod decline, back to the wallet.
		http.Redirect(w, r, "/checkout?payment=abandoned", http.StatusSeeOther)
	default:
		// ErrorCode: a technical failure; the buyer starts again.
		s.withSession(w, r, false, func(sess *session) { sess.orderReferenceID, sess.orderNo = "", "" })
		http.Redirect(w, r, "/cart?payment=error", http.StatusSeeOther)
	}
}

// authorizeAndCapture charges the order after a successful Confirmation
// Flow: a synchronous Authorize, then a Capture of the whole amount.
func (s *Shop) authorizeAndCapture(w http.ResponseWriter, r *http.Request, sess session) {
	ctx := r.Context()
	c := s.cfg.Client
	total := s.price(int64(sess.quantity) * productCents)
	s.mu.Lock()
	s.attempts[sess.orderNo]++
	attempt := s.attempts[sess.orderNo]
	s.mu.Unlock()
	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   sess.orderReferenceID,
		AuthorizationReferenceID: fmt.Sprintf("%s-a%d", sess.orderNo, attempt),
		AuthorizationAmount:      total,
		TransactionTimeout:       amazonpay.Int(0), // synchronous: Open or Declined at once
	})
	if err != nil {
		http.Redirect(w, r, "/cart?payment=error", http.StatusSeeOther)
		return
	}
	a := auth.AuthorizationDetails
	if a.AuthorizationStatus.State != amazonpay.AuthorizationOpen {
		if a.AuthorizationStatus.ReasonCode == amazonpay.ReasonInvalidPaymentMethod {
			http.Redirect(w, r, "/checkout?payment=declined", http.StatusSeeOther)
			return
		}
		s.withSession(w, r, false, func(sess *session) { sess.orderReferenceID, sess.orderNo = "", "" })
		http.Redirect(w, r, "/cart?payment=declined", http.StatusSeeOther)
		return
	}
	// Record the order before the capture, so that the notifications the
	// capture causes (the authorization closing) find it.
	o := &Order{
		No: sess.orderNo, Quantity: sess.quantity, Total: total.Amount + " " + total.CurrencyCode,
		AmazonOrderReferenceID: sess.orderReferenceID, AuthorizationID: a.AmazonAuthorizationID,
		OrderReferenceState: string(amazonpay.OrderReferenceOpen), AuthorizationState: string(a.AuthorizationStatus.State),
	}
	sid := sess.id
	s.mu.Lock()
	s.orders[o.No] = o
	s.amazonIDs[o.AmazonOrderReferenceID] = o.No
	s.amazonIDs[o.AuthorizationID] = o.No
	s.newer(o.AuthorizationID, a.AuthorizationStatus.LastUpdateTimestamp, o.AuthorizationState)
	s.mu.Unlock()
	capture, err := c.Capture(ctx, &amazonpay.CaptureInput{
		AmazonAuthorizationID: a.AmazonAuthorizationID,
		CaptureReferenceID:    fmt.Sprintf("%s-c%d", sess.orderNo, attempt),
		CaptureAmount:         total,
	})
	if err != nil {
		s.mu.Lock()
		delete(s.orders, o.No)
		s.mu.Unlock()
		http.Redirect(w, r, "/cart?payment=error", http.StatusSeeOther)
		return
	}
	cd := capture.CaptureDetails
	s.mu.Lock()
	o.CaptureID, o.CaptureState = cd.AmazonCaptureID, string(cd.CaptureStatus.State)
	s.amazonIDs[o.CaptureID] = o.No
	s.newer(o.CaptureID, cd.CaptureStatus.LastUpdateTimestamp, o.CaptureState)
	s.owners[o.No] = sid
	s.mu.Unlock()
	s.withSession(w, r, false, func(sess *session) { *sess = session{id: sess.id} })
	http.Redirect(w, r, "/orders/"+o.No, http.StatusSeeOther)
}
