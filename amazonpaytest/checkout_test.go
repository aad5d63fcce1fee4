package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckoutEndToEnd(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()

	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	assert.Regexp(t, `^S02-\d{7}-\d{7}$`, id)

	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	d := got.OrderReferenceDetails
	assert.Equal(t, amazonpay.OrderReferenceDraft, d.OrderReferenceStatus.State)
	assert.True(t, d.OrderReferenceStatus.LastUpdateTimestamp.IsZero(), "a Draft has no LastUpdateTimestamp")
	require.Len(t, d.Constraints, 1)
	assert.Equal(t, amazonpay.ConstraintAmountNotSet, d.Constraints[0].ConstraintID)
	assert.Nil(t, d.Buyer, "no buyer details before confirmation")
	require.NotNil(t, d.Destination)
	assert.Equal(t, "Berlin", d.Destination.PhysicalDestination.City)
	assert.Empty(t, d.Destination.PhysicalDestination.AddressLine1, "only the partial address before confirmation")
	assert.Equal(t, amazonpay.ReleaseSandbox, d.ReleaseEnvironment)
	assert.Equal(t, "de-DE", d.OrderLanguage)
	assert.Equal(t, d.CreationTimestamp.Add(180*24*time.Hour), d.ExpirationTimestamp)
	require.NotNil(t, d.PaymentAuthenticationStatus, "in the EU every payment may be challenged")
	assert.Equal(t, amazonpay.PaymentAuthenticationRequired, d.PaymentAuthenticationStatus.State)

	set, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal: eur("42.00"), SellerNote: "Thanks <&> for your order",
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "order-77", StoreName: "Demo"},
		},
	})
	require.NoError(t, err)
	d = set.OrderReferenceDetails
	assert.Empty(t, d.Constraints)
	assert.Equal(t, "42.00 EUR", d.OrderTotal.String())
	assert.Equal(t, "Thanks <&> for your order", d.SellerNote)
	assert.Equal(t, "order-77", d.SellerOrderAttributes.SellerOrderID)

	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL,
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	})
	require.NoError(t, err)
	mustState(t, srv, id, "Open", "")

	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", back.String())
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthenticationSuccess, res.AuthenticationStatus)
	assert.Equal(t, amazonpay.ActionProceed, res.Action)

	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "auth-1", AuthorizationAmount: eur("42.00"),
		TransactionTimeout: amazonpay.Int(0), SoftDescriptor: "DemoShop",
	})
	require.NoError(t, err)
	ad := auth.AuthorizationDetails
	assert.Regexp(t, `^`+id+`-A\d{6}$`, ad.AmazonAuthorizationID)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), ad.AuthorizationStatus.State)
	assert.Equal(t, "0", ad.CapturedAmount.Amount)
	assert.Equal(t, "AMZ*DemoShop", ad.SoftDescriptor)
	assert.Equal(t, ad.CreationTimestamp.Add(30*24*time.Hour), ad.ExpirationTimestamp)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, auth.RequestID)

	got, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Equal(t, []string{ad.AmazonAuthorizationID}, got.OrderReferenceDetails.IDList.IDs())
	assert.Equal(t, "Test Buyer", got.OrderReferenceDetails.Buyer.Name, "buyer details after confirmation")
	assert.Equal(t, "Teststr. 1", got.OrderReferenceDetails.Destination.PhysicalDestination.AddressLine1)

	capt, err := c.Capture(ctx, &amazonpay.CaptureInput{
		AmazonAuthorizationID: ad.AmazonAuthorizationID, CaptureReferenceID: "cap-1", CaptureAmount: eur("42.00"),
	})
	require.NoError(t, err)
	cd := capt.CaptureDetails
	assert.Regexp(t, `^`+id+`-C\d{6}$`, cd.AmazonCaptureID)
	assert.Equal(t, amazonpay.CaptureState("Completed"), cd.CaptureStatus.State)
	assert.Equal(t, "0", cd.RefundedAmount.Amount)

	ga, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: ad.AmazonAuthorizationID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Closed"), ga.AuthorizationDetails.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxCapturesProcessed, ga.AuthorizationDetails.AuthorizationStatus.ReasonCode)
	assert.Equal(t, "42.00", ga.AuthorizationDetails.CapturedAmount.Amount)
	assert.Equal(t, []string{cd.AmazonCaptureID}, ga.AuthorizationDetails.IDList.IDs())

	ref, err := c.Refund(ctx, &amazonpay.RefundInput{
		AmazonCaptureID: cd.AmazonCaptureID, RefundReferenceID: "ref-1", RefundAmount: eur("10.00"), SellerRefundNote: "sorry",
	})
	require.NoError(t, err)
	rd := ref.RefundDetails
	assert.Regexp(t, `^`+id+`-R\d{6}$`, rd.AmazonRefundID)
	assert.Equal(t, amazonpay.RefundState("Pending"), rd.RefundStatus.State, "a refund is always Pending first")
	assert.Equal(t, amazonpay.RefundType("SellerInitiated"), rd.RefundType)

	srv.Advance(30 * time.Second)
	gr, err := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: rd.AmazonRefundID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.RefundState("Completed"), gr.RefundDetails.RefundStatus.State)
	gc, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: cd.AmazonCaptureID})
	require.NoError(t, err)
	assert.Equal(t, "10.00", gc.CaptureDetails.RefundedAmount.Amount)
	assert.Equal(t, []string{rd.AmazonRefundID}, gc.CaptureDetails.IDList.IDs())

	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id, ClosureReason: "shipped"})
	require.NoError(t, err)
	obj, _ := srv.Object(id)
	assert.Equal(t, "Closed", obj.State)
	assert.Equal(t, "SellerClosed", obj.ReasonCode)
	assert.Equal(t, "shipped", obj.ReasonDescription)
	assert.Equal(t, "Success", obj.Authentication)

	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1, Refunds: 1}, srv.MoneyMovements())
	for _, r := range srv.Requests() {
		assert.True(t, r.SignatureValid, "%s", r.Action)
	}
}

func TestSCAChallengePassed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	id := openOrder(t, srv, c, buyer, "99.95")

	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	require.NotNil(t, got.OrderReferenceDetails.PaymentAuthenticationStatus)
	assert.Equal(t, amazonpay.PaymentAuthenticationRequired, got.OrderReferenceDetails.PaymentAuthenticationStatus.State)

	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))

	got, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Nil(t, got.OrderReferenceDetails.PaymentAuthenticationStatus, "passed")

	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "a1", AuthorizationAmount: eur("99.95"),
		TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
	})
	require.NoError(t, err)
	ad := out.AuthorizationDetails
	assert.Equal(t, amazonpay.AuthorizationState("Closed"), ad.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxCapturesProcessed, ad.AuthorizationStatus.ReasonCode)
	require.Len(t, ad.IDList.IDs(), 1)
	assert.Equal(t, ad.AmazonAuthorizationID[len(ad.AmazonAuthorizationID)-6:], ad.IDList.IDs()[0][len(ad.IDList.IDs()[0])-6:],
		"CaptureNow reuses the authorization's suffix")
	assert.True(t, ad.CaptureNow)
	mustState(t, srv, ad.IDList.IDs()[0], "Completed", "")
}

func TestSCAAuthorizeBeforeFlowIsDeclined(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	id := openOrder(t, srv, c, buyer, "10.00")

	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "early", AuthorizationAmount: eur("10.00"), TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	ad := out.AuthorizationDetails
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), ad.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, ad.AuthorizationStatus.ReasonCode)
	assert.True(t, ad.SoftDecline)
	mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")
}

func TestSCAFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAFail
	id := openOrder(t, srv, c, buyer, "10.00")

	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, failURL+"?AuthenticationStatus=Failure", back.String())
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ActionCancelAndReturnToCart, res.Action)
	mustState(t, srv, id, "Open", "")

	// A shop that authorizes anyway gets a hard decline.
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "after-failure", AuthorizationAmount: eur("10.00"), TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), out.AuthorizationDetails.AuthorizationStatus.State)
	assert.False(t, out.AuthorizationDetails.SoftDecline)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")

	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id, CancelationReason: "SCA failed"})
	require.NoError(t, err)
	mustState(t, srv, id, "Canceled", "SellerCanceled")
}

func TestSCAAbandonedThenAnotherMethod(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAAbandon
	id := openOrder(t, srv, c, buyer, "10.00")

	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, failURL+"?AuthenticationStatus=Abandoned", back.String())
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ActionChooseAnotherPaymentMethod, res.Action)
	mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")

	_, err = c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "x", AuthorizationAmount: eur("10.00"),
	})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))

	// The buyer picks another card in the Wallet widget; the shop confirms
	// again and sends the buyer through the flow again.
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodSCAPass))
	mustState(t, srv, id, "Open", "")
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	back, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "y", AuthorizationAmount: eur("10.00"), TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), out.AuthorizationDetails.AuthorizationStatus.State)
}

func TestRecurringPaymentsWithSCA(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithRegion(amazonpay.RegionUK))
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	buyer.Consent = false
	baID := srv.CreateBillingAgreement(buyer)
	assert.Regexp(t, `^C02-\d{7}-\d{7}$`, baID)

	set, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
			BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
			SubscriptionAmount:   &amazonpay.Price{Amount: "25.00", CurrencyCode: "GBP"},
			SellerBillingAgreementAttributes: &amazonpay.SellerBillingAgreementAttributes{
				SellerBillingAgreementID: "sub-42",
			},
		},
	})
	require.NoError(t, err)
	d := set.BillingAgreementDetails
	assert.Equal(t, amazonpay.BillingAgreementDraft, d.BillingAgreementStatus.State)
	assert.Equal(t, amazonpay.MerchantInitiatedTransaction, d.BillingAgreementType)
	assert.Equal(t, "25.00 GBP", d.SubscriptionAmount.String())
	assert.Equal(t, "sub-42", d.SellerBillingAgreementAttributes.SellerBillingAgreementID)
	assert.False(t, d.BillingAgreementConsent)
	require.Len(t, d.Constraints, 1)
	assert.Equal(t, amazonpay.ConstraintBuyerConsentNotSet, d.Constraints[0].ConstraintID)
	require.NotNil(t, d.BillingAgreementLimits)
	assert.Equal(t, "500.00 GBP", d.BillingAgreementLimits.AmountLimitPerTimePeriod.String())
	assert.Equal(t, "en-GB", d.OrderLanguage)

	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "BuyerConsentNotSet")

	require.NoError(t, srv.GiveConsent(baID))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	mustState(t, srv, baID, "Open", "")

	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), baID)
	require.NoError(t, err)
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthenticationSuccess, res.AuthenticationStatus)

	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationSuccess, v.ValidationResult)
	assert.Equal(t, amazonpay.BillingAgreementOpen, v.BillingAgreementStatus.State)
	assert.False(t, v.BillingAgreementStatus.UpdatedAt().IsZero(), "LastUpdatedTimestamp")

	out, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: baID, AuthorizationReferenceID: "sub-42-m1",
		AuthorizationAmount: &amazonpay.Price{Amount: "25.00", CurrencyCode: "GBP"},
		TransactionTimeout:  amazonpay.Int(0), CaptureNow: amazonpay.Bool(true), SellerNote: "month 1",
	})
	require.NoError(t, err)
	child := out.AmazonOrderReferenceID
	assert.Regexp(t, `^S02-\d{7}-\d{7}$`, child)
	assert.Equal(t, amazonpay.AuthorizationState("Closed"), out.AuthorizationDetails.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxCapturesProcessed, out.AuthorizationDetails.AuthorizationStatus.ReasonCode)

	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: child})
	require.NoError(t, err)
	cd := got.OrderReferenceDetails
	assert.Equal(t, amazonpay.OrderReferenceClosed, cd.OrderReferenceStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxAuthorizationsProcessed, cd.OrderReferenceStatus.ReasonCode)
	require.NotNil(t, cd.ParentDetails)
	assert.Equal(t, baID, cd.ParentDetails.ID)
	assert.Equal(t, amazonpay.ParentBillingAgreement, cd.ParentDetails.Type)
	assert.Equal(t, "month 1", cd.SellerNote)
	assert.Equal(t, "25.00 GBP", cd.OrderTotal.String())
	assert.Equal(t, "Berlin", cd.Destination.PhysicalDestination.City)

	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, "475.00", ba.BillingAgreementDetails.BillingAgreementLimits.CurrentRemainingBalance.Amount)
	obj, _ := srv.Object(baID)
	assert.Equal(t, []string{child}, obj.Children)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, srv.MoneyMovements())

	// Over the monthly limit.
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: baID, AuthorizationReferenceID: "too-much",
		AuthorizationAmount: &amazonpay.Price{Amount: "475.01", CurrencyCode: "GBP"}, TransactionTimeout: amazonpay.Int(0),
	})
	assert.Equal(t, amazonpay.ErrorPeriodicAmountExceeded, apiCode(t, err))

	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID, ClosureReason: "cancelled by buyer"})
	require.NoError(t, err)
	mustState(t, srv, baID, "Closed", "SellerClosed")
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: baID, AuthorizationReferenceID: "after-close",
		AuthorizationAmount: &amazonpay.Price{Amount: "1.00", CurrencyCode: "GBP"},
	})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
}
