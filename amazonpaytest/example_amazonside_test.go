package amazonpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// exampleCheckout is an EU order reference of TestBuyer set to amount,
// confirmed with the Confirmation Flow URLs, the buyer back with Success.
func exampleCheckout(ctx context.Context, srv *amazonpaytest.Server, c *amazonpay.Client, amount string) string {
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: amount, CurrencyCode: "EUR"}}}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"}); err != nil {
		log.Fatal(err)
	}
	if _, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id); err != nil {
		log.Fatal(err)
	}
	return id
}

// exampleAuthorize authorizes amount of order id synchronously.
func exampleAuthorize(ctx context.Context, c *amazonpay.Client, id, ref, amount string) amazonpay.AuthorizationDetails {
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: ref,
		AuthorizationAmount: &amazonpay.Price{Amount: amount, CurrencyCode: "EUR"}, TransactionTimeout: amazonpay.Int(0)})
	if err != nil {
		log.Fatal(err)
	}
	return out.AuthorizationDetails
}

// A shop's test of what it does when Amazon cancels an order.
func ExampleHandler_AmazonCancel() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "25.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "25.00")

	if err := srv.AmazonCancel(id); err != nil {
		log.Fatal(err)
	}
	d, _ := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	a, _ := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: auth.AmazonAuthorizationID})
	fmt.Println(d.OrderReferenceDetails.OrderReferenceStatus.State, d.OrderReferenceDetails.OrderReferenceStatus.ReasonCode)
	fmt.Println(a.AuthorizationDetails.AuthorizationStatus.State, a.AuthorizationDetails.AuthorizationStatus.ReasonCode)
	// Output:
	// Canceled AmazonCanceled
	// Closed OrderReferenceCanceled
}

// The buyer's Login with Amazon token: it shows the buyer before
// confirmation and reads the profile with GetUserInfo.
func ExampleHandler_AccessToken() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	token, err := srv.AccessToken(id) // what the Amazon Pay button hands the page
	if err != nil {
		log.Fatal(err)
	}
	d, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: token})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.OrderReferenceDetails.Buyer.Name, "-", d.OrderReferenceDetails.Destination.PhysicalDestination.AddressLine1)
	user, err := c.GetUserInfo(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Email, user.PostalCode)

	_, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: "Atza|made-up"})
	var apiErr *amazonpay.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code)
	}
	// Output:
	// Test Buyer - Teststr. 1
	// buyer@example.com 10115
	// InvalidAddressConsentToken
}

// A token for GetUserInfo without a checkout.
func ExampleHandler_SignIn() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	user, err := srv.AmazonPay().GetUserInfo(context.Background(), srv.SignIn(amazonpaytest.TestBuyer()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Name)
	// Output: Test Buyer
}

// A frozen clock for exact times; without it the clock follows the wall
// clock and Advance adds to it.
func ExampleWithFrozenClock() {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := amazonpaytest.NewServer(amazonpaytest.WithStartTime(start), amazonpaytest.WithFrozenClock())
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "10.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "10.00")
	fmt.Println("expires", auth.ExpirationTimestamp.Format(time.DateOnly)) // Amazon says 30 days
	srv.Advance(2 * 24 * time.Hour)                                        // the sandbox closes it after 2
	fmt.Println(srv.State(auth.AmazonAuthorizationID), srv.Now().Format(time.DateTime))
	// Output:
	// expires 2026-03-31
	// Closed 2026-03-03 12:00:00
}

func ExampleHandler_SuspendSeller() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	if err := srv.SuspendSeller(srv.SellerID()); err != nil {
		log.Fatal(err)
	}
	st, _ := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	_, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: srv.CreateOrderReference(amazonpaytest.TestBuyer())})
	var apiErr *amazonpay.APIError
	errors.As(err, &apiErr)
	fmt.Println(st.AccountStatus, apiErr.StatusCode, apiErr.Code)
	_ = srv.ReactivateSeller(srv.SellerID())
	st, _ = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	fmt.Println(st.AccountStatus)
	// Output:
	// INACTIVE 403 InvalidAccountStatus
	// ACTIVE
}

// An A-to-z Guarantee refund Amazon makes on its own.
func ExampleHandler_AmazonRefund() {
	srv := amazonpaytest.NewServer(amazonpaytest.WithFrozenClock())
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "30.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "30.00")
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth.AmazonAuthorizationID, CaptureReferenceID: "cap-1",
		CaptureAmount: &amazonpay.Price{Amount: "30.00", CurrencyCode: "EUR"}})
	if err != nil {
		log.Fatal(err)
	}
	refundID, err := srv.AmazonRefund(cp.CaptureDetails.AmazonCaptureID, "30.00", amazonpay.RefundTypeAmazonAZGuarantee)
	if err != nil {
		log.Fatal(err)
	}
	srv.Advance(time.Minute)
	r, _ := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: refundID})
	fmt.Println(r.RefundDetails.RefundType, r.RefundDetails.RefundStatus.State)
	// Output: AmazonA-ZGuarantee Completed
}

func ExampleHandler_AmazonDeclineRefund() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "30.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "30.00")
	cp, _ := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth.AmazonAuthorizationID, CaptureReferenceID: "cap-1",
		CaptureAmount: &amazonpay.Price{Amount: "30.00", CurrencyCode: "EUR"}})
	rf, _ := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: cp.CaptureDetails.AmazonCaptureID, RefundReferenceID: "ref-1",
		RefundAmount: &amazonpay.Price{Amount: "5.00", CurrencyCode: "EUR"}})
	if err := srv.AmazonDeclineRefund(rf.RefundDetails.AmazonRefundID, amazonpay.ReasonProcessingFailure); err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.State(rf.RefundDetails.AmazonRefundID))
	// Output: Declined
}

// Unusual activity: do not ship.
func ExampleHandler_AmazonFlagAtypical() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "10.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "10.00")
	_ = srv.AmazonFlagAtypical(auth.AmazonAuthorizationID)
	a, _ := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: auth.AmazonAuthorizationID})
	fmt.Println(a.AuthorizationDetails.AuthorizationStatus.State, a.AuthorizationDetails.AuthorizationStatus.ReasonCode)
	// Output: Open StopShipmentAtypicalAuth
}

// A subscription the buyer cancels in their Amazon account.
func ExampleHandler_BuyerCancelBillingAgreement() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, _ = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	_ = srv.BuyerCancelBillingAgreement(id)
	ba, _ := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id})
	fmt.Println(ba.BillingAgreementDetails.BillingAgreementStatus.State, ba.BillingAgreementDetails.BillingAgreementStatus.ReasonCode)
	// Output: Closed BuyerCanceled
}

func ExampleHandler_DeleteBillingAddress() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, _ = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	_ = srv.DeleteBillingAddress(id)
	ba, _ := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id})
	d := ba.BillingAgreementDetails
	fmt.Println(d.BillingAgreementStatus.State, d.BillingAgreementStatus.ReasonCode, d.Constraints[0].ConstraintID)
	// Output: Suspended InvalidPaymentMethod BillingAddressDeleted
}

func ExampleHandler_AmazonUnsetBillingAgreementLimits() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_ = srv.AmazonUnsetBillingAgreementLimits(id)
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	var apiErr *amazonpay.APIError
	errors.As(err, &apiErr)
	fmt.Println(apiErr.Code)
	_ = srv.AmazonSetBillingAgreementLimits(id)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	fmt.Println(err)
	// Output:
	// BillingAgreementConstraintsExist
	// <nil>
}

// The buyer pays in pounds for an order in euros.
func ExampleHandler_SelectCurrency() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_ = srv.SelectCurrency(id, "GBP")
	out, _ := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"}}})
	fmt.Println(out.OrderReferenceDetails.Constraints[0].ConstraintID)
	// Output: CurrencyMismatch
}

func ExampleHandler_RevokeDelegation() {
	srv := amazonpaytest.NewServer(amazonpaytest.WithDelegatedSeller("A2SHOP", "amzn.mws.token"))
	defer srv.Close()
	c := srv.AmazonPay()
	_ = srv.RevokeDelegation("A2SHOP")
	_, err := c.GetMerchantAccountStatus(context.Background(), &amazonpay.GetMerchantAccountStatusInput{},
		amazonpay.WithSellerID("A2SHOP"), amazonpay.WithMWSAuthToken("amzn.mws.token"))
	var apiErr *amazonpay.APIError
	errors.As(err, &apiErr)
	fmt.Println(apiErr.Code)
	// Output: AccessDenied
}

// A solution provider's credit, declined by Amazon.
func ExampleHandler_AmazonDeclineProviderCredit() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	id := exampleCheckout(ctx, srv, c, "10.00")
	auth := exampleAuthorize(ctx, c, id, "order-1", "10.00")
	cp, _ := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth.AmazonAuthorizationID, CaptureReferenceID: "cap-1",
		CaptureAmount:      &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"},
		ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: &amazonpay.Price{Amount: "1.00", CurrencyCode: "EUR"}}}})
	creditID := cp.CaptureDetails.ProviderCreditSummaryList[0].ProviderCreditID
	_ = srv.AmazonDeclineProviderCredit(creditID)
	pc, _ := c.GetProviderCreditDetails(ctx, &amazonpay.GetProviderCreditDetailsInput{AmazonProviderCreditID: creditID})
	fmt.Println(pc.ProviderCreditDetails.CreditStatus.State)
	// Output: Declined
}

// The billing address for allow-listed merchants.
func ExampleWithAllowListed() {
	srv := amazonpaytest.NewServer(amazonpaytest.WithAllowListed())
	defer srv.Close()
	c, ctx := srv.AmazonPay(), context.Background()
	buyer := amazonpaytest.TestBuyer()
	buyer.BillingAddress = &amazonpay.Address{Name: "Test Buyer", AddressLine1: "Rechnungsweg 2", City: "Hamburg", PostalCode: "20095", CountryCode: "DE"}
	id := srv.CreateOrderReference(buyer)
	token, _ := srv.AccessToken(id)
	d, _ := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: token})
	fmt.Println(d.OrderReferenceDetails.BillingAddress.PhysicalAddress.City)
	// Output: Hamburg
}

// Freeze stops a sandbox clock that follows the wall clock, for a test
// that asserts exact times from some point on; Advance still moves it.
func ExampleHandler_Freeze() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	srv.Freeze()
	defer srv.Unfreeze()
	t0 := srv.Now()
	srv.Advance(90 * time.Minute)
	fmt.Println(srv.Now().Sub(t0))
	// Output:
	// 1h30m0s
}
