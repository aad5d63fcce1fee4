package store

import (
	"errors"
	"net/http"

	"github.com/amazonpay-go/amazonpay"
)

// The subscription: the billing-agreement widgets with Consent, the
// "subscribe" AJAX call (SetBillingAgreementDetails for merchant-initiated
// charges, then ConfirmBillingAgreement with SuccessUrl and FailureUrl),
// and the buyer's return (ValidateBillingAgreement, then the first charge
// with AuthorizeOnBillingAgreement and CaptureNow).

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
	switch r.URL.Query().Get("payment") {
	case "failed":
		p.Message = amazonpay.BuyerMessage(amazonpay.AuthenticationFailure, r.Header.Get("Accept-Language"))
		p.Logout = true
	case "error":
		p.Message = "Amazon Pay could not set up your subscription. Please try again."
	}
	render(w, http.StatusOK, "subscription.html", p)
}

// subscriptionCheckout shows the AddressBook, Wallet and Consent widgets
// for a billing agreement.
func (s *Shop) subscriptionCheckout(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	p := s.subscriptionPageData("Subscribe", sess)
	if r.URL.Query().Get("payment") == "abandoned" {
		p.Message = amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, r.Header.Get("Accept-Language"))
		p.ID = sess.billingAgreement
	}
	render(w, http.StatusOK, "subscribe.html", p)
}

// confirmSubscription is the backend of "subscribe", called inside
// initConfirmationFlow's callback.
func (s *Shop) confirmSubscription(w http.ResponseWriter, r *http.Request) {
	id, ok := readConfirmRequest(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, ajaxError{"No Amazon Pay billing agreement was given."})
		return
	}
	// "Subscribe" is what starts a session for a subscriber.
	sess, err := s.withSession(w, r, true, func(sess *session) {
		if sess.billingAgreement != id {
			sess.billingAgreement, sess.subNo = id, ""
		}
	})
	if err == nil && sess.subNo == "" {
		no := s.nextNo(r, "sub")
		if sess, err = s.withSession(w, r, false, func(sess *session) { sess.subNo = no }); err == nil && no == "" {
			err = errors.New("no number")
		}
	}
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, ajaxError{"The shop cannot answer right now. Please try again."})
		return
	}
	ctx := r.Context()
	c := s.cfg.Client
	unavailable := ajaxError{"Amazon Pay is not available right now. Please try again."}
	got, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id})
	if err != nil {
		writeJSON(w, http.StatusBadGateway, unavailable)
		return
	}
	if got.BillingAgreementDetails.BillingAgreementStatus.State == amazonpay.BillingAgreementDraft {
		set, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
			AmazonBillingAgreementID: id,
			BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
				BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
				SubscriptionAmount:   s.price(subscriptionCents),
				SellerBillingAgreementAttributes: &amazonpay.SellerBillingAgreementAttributes{
					SellerBillingAgreementID: sess.subNo,
					StoreName:                storeName,
				},
			},
		})
		if err != nil {
			writeJSON(w, http.StatusBadGateway, unavailable)
			return
		}
		for _, con := range set.BillingAgreementDetails.Constraints {
			if con.ConstraintID == amazonpay.ConstraintBuyerConsentNotSet {
				writeJSON(w, http.StatusConflict, ajaxError{"Please allow future payments in the Amazon Pay box."})
				return
			}
		}
		if msg := constraintMessage(set.BillingAgreementDetails.Constraints); msg != "" {
			writeJSON(w, http.StatusConflict, ajaxError{msg})
			return
		}
	}
	base := s.baseURL(r)
	if _, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: id,
		SuccessURL:               base + "/subscription/ok",
		FailureURL:               base + "/subscription/failed",
	}); err != nil {
		// ConfirmBillingAgreement names its own code for constraints.
		if errors.Is(err, amazonpay.ErrorBillingAgreementConstraintsExist) {
			writeJSON(w, http.StatusConflict, ajaxError{"Please choose another payment method and allow future payments."})
			return
		}
		writeJSON(w, http.StatusBadGateway, unavailable)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// subscriptionReturn is the buyer's return from the Confirmation Flow of
// the billing agreement.
func (s *Shop) subscriptionReturn(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	id := sess.billingAgreement
	if id == "" {
		http.Redirect(w, r, "/subscription", http.StatusSeeOther)
		return
	}
	res, err := amazonpay.ParseConfirmationRedirect(r.URL.Query())
	if err != nil {
		http.Error(w, "This is not a return from Amazon Pay.", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	c := s.cfg.Client
	forget := func(sess *session) { sess.billingAgreement, sess.subNo = "", "" }
	switch res.Action {
	case amazonpay.ActionProceed:
	case amazonpay.ActionCancelAndReturnToCart:
		// Failure: the agreement cannot be used; close it. If the close
		// fails, the agreement stays open but the shop forgets it and never
		// charges it: the buyer sees the same page either way.
		_, _ = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{
			AmazonBillingAgreementID: id, ClosureReason: "The buyer failed the authentication challenge",
		})
		s.withSession(w, r, false, forget)
		http.Redirect(w, r, "/subscription?payment=failed", http.StatusSeeOther)
		return
	case amazonpay.ActionChooseAnotherPaymentMethod:
		http.Redirect(w, r, "/subscription/checkout?payment=abandoned", http.StatusSeeOther)
		return
	default:
		s.withSession(w, r, false, forget)
		http.Redirect(w, r, "/subscription?payment=error", http.StatusSeeOther)
		return
	}

	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: id})
	if err != nil || v.ValidationResult != amazonpay.ValidationSuccess {
		s.withSession(w, r, false, forget)
		http.Redirect(w, r, "/subscription?payment=error", http.StatusSeeOther)
		return
	}
	// The first month, charged at once.
	amount := s.price(subscriptionCents)
	auth, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: id,
		AuthorizationReferenceID: sess.subNo + "-1",
		AuthorizationAmount:      amount,
		TransactionTimeout:       amazonpay.Int(0),
		CaptureNow:               amazonpay.Bool(true),
		SellerOrderAttributes:    &amazonpay.SellerOrderAttributes{SellerOrderID: sess.subNo + "-1", StoreName: storeName},
	})
	if err != nil {
		s.withSession(w, r, false, forget)
		http.Redirect(w, r, "/subscription?payment=error", http.StatusSeeOther)
		return
	}
	a := auth.AuthorizationDetails
	charge := string(a.AuthorizationStatus.State)
	if a.AuthorizationStatus.ReasonCode != "" {
		charge += " (" + string(a.AuthorizationStatus.ReasonCode) + ")"
	}
	sub := &Subscription{No: sess.subNo, Amount: amount.Amount + " " + amount.CurrencyCode,
		AmazonBillingAgreementID: id, FirstAuthorizationID: a.AmazonAuthorizationID, FirstCharge: charge,
		AgreementState: string(amazonpay.BillingAgreementOpen)}
	sid := sess.id
	s.mu.Lock()
	s.subs[sub.No] = sub
	s.amazonIDs[id] = sub.No
	s.amazonIDs[sub.FirstAuthorizationID] = sub.No
	s.newer(sub.FirstAuthorizationID, a.AuthorizationStatus.LastUpdateTimestamp, string(a.AuthorizationStatus.State))
	s.owners[sub.No] = sid
	s.mu.Unlock()
	s.withSession(w, r, false, forget)
	http.Redirect(w, r, "/subscriptions/"+sub.No, http.StatusSeeOther)
}

func (s *Shop) subscriptionPage(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	sub, ok := s.Subscription(r.PathValue("no"))
	if !ok || !s.owns(sess, sub.No) {
		http.NotFound(w, r)
		return
	}
	p := s.subscriptionPageData("Subscription "+sub.No, sess)
	p.Subscription = &sub
	render(w, http.StatusOK, "subscription_done.html", p)
}
