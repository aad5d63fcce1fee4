package main

import (
	"context"

	"github.com/amazonpay-go/amazonpay"
)

// The merchant's side of a checkout, the same against the offline sandbox
// and against Amazon.

// confirmOrder sets the order's details and starts the Confirmation Flow.
func confirmOrder(ctx context.Context, t *transcript, c *amazonpay.Client, id string, total *amazonpay.Price, orderID, successURL, failureURL string) error {
	set, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal:            total,
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{StoreName: "Demo Shop"},
		},
	})
	if err != nil {
		return err
	}
	d := set.OrderReferenceDetails
	t.step("SetOrderReferenceDetails %s: %s, total %s", id, d.OrderReferenceStatus.State, d.OrderTotal)
	for _, con := range d.Constraints {
		t.note("constraint %s: %s", con.ConstraintID, con.Description)
	}

	attrs, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{
		AmazonOrderReferenceID: id,
		OrderAttributes: &amazonpay.OrderAttributes{
			OrderTotal: total,
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{
				SellerOrderID:       orderID,
				StoreName:           "Demo Shop",
				OrderItemCategories: []string{"Books"},
			},
		},
	})
	if err != nil {
		return err
	}
	t.step("SetOrderAttributes: final total %s, seller order id %s", attrs.OrderReferenceDetails.OrderTotal,
		attrs.OrderReferenceDetails.SellerOrderAttributes.SellerOrderID)

	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       id,
		SuccessURL:                   successURL,
		FailureURL:                   failureURL,
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	}); err != nil {
		return err
	}
	t.step("ConfirmOrderReference with SuccessUrl %s and FailureUrl %s", successURL, failureURL)
	return nil
}

// readReturn parses the buyer's return from the Confirmation Flow.
func readReturn(t *transcript, query string, returned map[string][]string) (*amazonpay.ConfirmationResult, error) {
	res, err := amazonpay.ParseConfirmationRedirect(returned)
	if err != nil {
		return nil, err
	}
	outcome := string(res.AuthenticationStatus)
	if res.ErrorCode != "" {
		outcome = "ErrorCode " + string(res.ErrorCode)
	}
	t.step("ParseConfirmationRedirect(%s): %s -> %s", query, outcome, res.Action)
	if !res.Proceed() {
		t.note("recommended: %s", res.Action.Description())
		for _, lang := range []string{"en", "de"} {
			if msg := res.BuyerMessage(lang); msg != "" {
				t.note("buyer message (%s): %s", lang, msg)
			}
		}
	}
	return res, nil
}

// authorizeAndCapture authorizes synchronously, then captures the whole amount.
func authorizeAndCapture(ctx context.Context, t *transcript, c *amazonpay.Client, id string, total *amazonpay.Price, ref string) error {
	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: ref + "-auth",
		AuthorizationAmount:      total,
		TransactionTimeout:       amazonpay.Int(0), // synchronous: Open or Declined at once
	})
	if err != nil {
		return err
	}
	a := auth.AuthorizationDetails
	t.step("Authorize %s: %s", a.AmazonAuthorizationID, stateText(string(a.AuthorizationStatus.State), a.AuthorizationStatus.ReasonCode))
	if a.AuthorizationStatus.State != amazonpay.AuthorizationOpen {
		return unexpected("authorization state", a.AuthorizationStatus.State, amazonpay.AuthorizationOpen)
	}
	capture, err := c.Capture(ctx, &amazonpay.CaptureInput{
		AmazonAuthorizationID: a.AmazonAuthorizationID,
		CaptureReferenceID:    ref + "-capture",
		CaptureAmount:         total,
	})
	if err != nil {
		return err
	}
	cd := capture.CaptureDetails
	t.step("Capture %s: %s, %s", cd.AmazonCaptureID, cd.CaptureStatus.State, cd.CaptureAmount)
	if cd.CaptureStatus.State != amazonpay.CaptureCompleted {
		return unexpected("capture state", cd.CaptureStatus.State, amazonpay.CaptureCompleted)
	}
	return nil
}

func eur(amount string) *amazonpay.Price {
	return &amazonpay.Price{Amount: amount, CurrencyCode: "EUR"}
}

func orderState(ctx context.Context, c *amazonpay.Client, id string) (amazonpay.OrderReferenceStatus, error) {
	d, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	if err != nil {
		return amazonpay.OrderReferenceStatus{}, err
	}
	return d.OrderReferenceDetails.OrderReferenceStatus, nil
}

func expectOrderState(ctx context.Context, t *transcript, c *amazonpay.Client, id string, want amazonpay.OrderReferenceState) error {
	st, err := orderState(ctx, c, id)
	if err != nil {
		return err
	}
	t.step("GetOrderReferenceDetails %s: %s", id, stateText(string(st.State), st.ReasonCode))
	if st.State != want {
		return unexpected("order reference state", st.State, want)
	}
	return nil
}

// stateText is a state with its reason code, if any.
func stateText(state string, reason amazonpay.ReasonCode) string {
	if reason == "" {
		return state
	}
	return state + " (" + string(reason) + ")"
}
