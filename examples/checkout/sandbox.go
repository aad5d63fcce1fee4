package main

import (
	"context"
	"fmt"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// The shop's return URLs in the offline demo; the sandbox redirects the
// buyer there and the demo reads the redirect instead of serving it.
const (
	successURL = "https://shop.example/amazon/ok"
	failureURL = "https://shop.example/amazon/fail"
)

// runSandbox runs the three checkouts against an offline sandbox.
func runSandbox(ctx context.Context, t *transcript) error {
	srv := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	defer srv.Close()
	c := srv.AmazonPay()
	_, _ = fmt.Fprintf(t.w, "Amazon Pay offline sandbox at %s (seller %s, region de, EUR)\n", srv.URL, srv.SellerID())

	t.section("(a) One-time purchase with Strong Customer Authentication")
	if err := onePurchase(ctx, t, srv, c); err != nil {
		return fmt.Errorf("(a): %w", err)
	}
	t.section("(b) The buyer fails the challenge, then abandons it")
	if err := failedAndAbandoned(ctx, t, srv, c); err != nil {
		return fmt.Errorf("(b): %w", err)
	}
	t.section("(c) A subscription: merchant-initiated charges on a billing agreement")
	if err := subscription(ctx, t, srv, c); err != nil {
		return fmt.Errorf("(c): %w", err)
	}

	t.section("Money movements in the sandbox")
	m := srv.MoneyMovements()
	t.note("%d authorizations, %d captures, %d refunds", m.Authorizations, m.Captures, m.Refunds)
	if want := (amazonpaytest.MoneyMovements{Authorizations: 3, Captures: 3}); m != want {
		return unexpected("money movements", m, want)
	}
	return nil
}

// flow sends the buyer through the Confirmation Flow and reads the return.
func flow(ctx context.Context, t *transcript, srv *amazonpaytest.Server, id string) (*amazonpay.ConfirmationResult, error) {
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	if err != nil {
		return nil, err
	}
	t.step("Confirmation Flow: the buyer is sent back to %s", back)
	return readReturn(t, back.RawQuery, back.Query())
}

func onePurchase(ctx context.Context, t *transcript, srv *amazonpaytest.Server, c *amazonpay.Client) error {
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	id := srv.CreateOrderReference(buyer)
	t.step("The buyer signs in with Amazon Pay and picks %s (its issuer asks for SCA): order reference %s", buyer.PaymentMethod, id)
	total := eur("42.50")
	if err := confirmOrder(ctx, t, c, id, total, "order-1001", successURL, failureURL); err != nil {
		return err
	}
	res, err := flow(ctx, t, srv, id)
	if err != nil {
		return err
	}
	if !res.Proceed() {
		return unexpected("authentication", res.AuthenticationStatus, amazonpay.AuthenticationSuccess)
	}
	return authorizeAndCapture(ctx, t, c, id, total, "order-1001")
}

func failedAndAbandoned(ctx context.Context, t *transcript, srv *amazonpaytest.Server, c *amazonpay.Client) error {
	// The buyer fails the challenge: cancel, back to the cart.
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAFail
	id := srv.CreateOrderReference(buyer)
	t.step("The buyer picks %s: order reference %s", buyer.PaymentMethod, id)
	if err := confirmOrder(ctx, t, c, id, eur("19.99"), "order-1002", successURL, failureURL); err != nil {
		return err
	}
	res, err := flow(ctx, t, srv, id)
	if err != nil {
		return err
	}
	if res.Action != amazonpay.ActionCancelAndReturnToCart {
		return unexpected("recommended action", res.Action, amazonpay.ActionCancelAndReturnToCart)
	}
	if _, err := c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{
		AmazonOrderReferenceID: id, CancelationReason: "The buyer failed the authentication challenge",
	}); err != nil {
		return err
	}
	t.step("CancelOrderReference %s, as recommended", id)
	if err := expectOrderState(ctx, t, c, id, amazonpay.OrderReferenceCanceled); err != nil {
		return err
	}

	// The buyer tries again and abandons the challenge: another payment method.
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAAbandon
	id = srv.CreateOrderReference(buyer)
	t.step("The buyer tries again with %s: order reference %s", buyer.PaymentMethod, id)
	total := eur("19.99")
	if err := confirmOrder(ctx, t, c, id, total, "order-1002", successURL, failureURL); err != nil {
		return err
	}
	if res, err = flow(ctx, t, srv, id); err != nil {
		return err
	}
	if res.Action != amazonpay.ActionChooseAnotherPaymentMethod {
		return unexpected("recommended action", res.Action, amazonpay.ActionChooseAnotherPaymentMethod)
	}
	if err := expectOrderState(ctx, t, c, id, amazonpay.OrderReferenceSuspended); err != nil {
		return err
	}
	if err := srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodSCAPass); err != nil {
		return err
	}
	t.step("The buyer picks %s in the Wallet widget", amazonpaytest.PaymentMethodSCAPass)
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: successURL, FailureURL: failureURL,
	}); err != nil {
		return err
	}
	t.step("ConfirmOrderReference again")
	if res, err = flow(ctx, t, srv, id); err != nil {
		return err
	}
	if !res.Proceed() {
		return unexpected("authentication", res.AuthenticationStatus, amazonpay.AuthenticationSuccess)
	}
	return authorizeAndCapture(ctx, t, c, id, total, "order-1002b")
}

func subscription(ctx context.Context, t *transcript, srv *amazonpaytest.Server, c *amazonpay.Client) error {
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := srv.CreateBillingAgreement(buyer)
	t.step("The buyer signs in, picks %s and consents to the subscription: billing agreement %s", buyer.PaymentMethod, ba)

	set, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: ba,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
			BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
			SubscriptionAmount:   eur("9.99"),
			SellerBillingAgreementAttributes: &amazonpay.SellerBillingAgreementAttributes{
				SellerBillingAgreementID: "sub-42",
			},
		},
	})
	if err != nil {
		return err
	}
	d := set.BillingAgreementDetails
	t.step("SetBillingAgreementDetails: %s, %s, %s a month", d.BillingAgreementStatus.State, d.BillingAgreementType, d.SubscriptionAmount)

	if _, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: ba,
		SuccessURL:               successURL,
		FailureURL:               failureURL,
	}); err != nil {
		return err
	}
	t.step("ConfirmBillingAgreement with SuccessUrl and FailureUrl")
	res, err := flow(ctx, t, srv, ba)
	if err != nil {
		return err
	}
	if !res.Proceed() {
		return unexpected("authentication", res.AuthenticationStatus, amazonpay.AuthenticationSuccess)
	}

	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: ba})
	if err != nil {
		return err
	}
	t.step("ValidateBillingAgreement: %s, %s", v.ValidationResult, v.BillingAgreementStatus.State)
	if v.ValidationResult != amazonpay.ValidationSuccess || v.BillingAgreementStatus.State != amazonpay.BillingAgreementOpen {
		return unexpected("validation", fmt.Sprint(v.ValidationResult, " ", v.BillingAgreementStatus.State), "Success Open")
	}

	auth, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: ba,
		AuthorizationReferenceID: "sub-42-2026-11",
		AuthorizationAmount:      eur("9.99"),
		TransactionTimeout:       amazonpay.Int(0),
		CaptureNow:               amazonpay.Bool(true),
		SellerOrderAttributes:    &amazonpay.SellerOrderAttributes{SellerOrderID: "sub-42-2026-11"},
	})
	if err != nil {
		return err
	}
	a := auth.AuthorizationDetails
	t.step("AuthorizeOnBillingAgreement with CaptureNow: %s %s, captured as %s, on order reference %s",
		a.AmazonAuthorizationID, stateText(string(a.AuthorizationStatus.State), a.AuthorizationStatus.ReasonCode), captureIDs(a), auth.AmazonOrderReferenceID)
	if a.AuthorizationStatus.State != amazonpay.AuthorizationClosed || a.AuthorizationStatus.ReasonCode != amazonpay.ReasonMaxCapturesProcessed {
		return unexpected("authorization", fmt.Sprint(a.AuthorizationStatus.State, " ", a.AuthorizationStatus.ReasonCode), "Closed MaxCapturesProcessed")
	}
	return nil
}

func captureIDs(a amazonpay.AuthorizationDetails) string {
	ids := a.IDList.IDs()
	if len(ids) == 0 {
		return "nothing"
	}
	return ids[0]
}
