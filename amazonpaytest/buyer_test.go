package amazonpaytest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func constraintIDs(cs []amazonpay.Constraint) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.ConstraintID))
	}
	return out
}

func TestBuyerChoicesAndConstraints(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.Buyer{Name: "Nobody", IsSeller: true})
	get := func() amazonpay.OrderReferenceDetails {
		out, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
		require.NoError(t, err)
		return out.OrderReferenceDetails
	}
	assert.Equal(t, []string{"AmountNotSet", "BuyerEqualsSeller", "PaymentPlanNotSet", "ShippingAddressNotSet"}, constraintIDs(get().Constraints))

	id = srv.CreateOrderReference(amazonpaytest.Buyer{Name: "Digital", DigitalGoods: true, PaymentMethod: amazonpaytest.PaymentMethodNotAllowed})
	assert.Equal(t, []string{"AmountNotSet", "PaymentMethodNotAllowed"}, constraintIDs(get().Constraints))
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodOK))
	assert.Equal(t, []string{"AmountNotSet"}, constraintIDs(get().Constraints))

	id = srv.CreateOrderReference(amazonpaytest.Buyer{Name: "Shopper", PaymentMethod: amazonpaytest.PaymentMethodOK, Language: "fr-FR"})
	assert.Equal(t, []string{"AmountNotSet", "ShippingAddressNotSet"}, constraintIDs(get().Constraints))
	assert.Equal(t, "fr-FR", get().OrderLanguage)
	require.NoError(t, srv.SelectAddress(id, amazonpay.Address{Name: "S", AddressLine1: "Rue 1", City: "Paris", PostalCode: "75001", CountryCode: "FR"}))
	d := get()
	assert.Equal(t, []string{"AmountNotSet"}, constraintIDs(d.Constraints))
	assert.Equal(t, "Paris", d.Destination.PhysicalDestination.City)
	assert.Empty(t, d.Destination.PhysicalDestination.AddressLine1)

	// With an access token the full address shows before confirmation.
	out, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AddressConsentToken: token(t, srv, id)})
	require.NoError(t, err)
	assert.Equal(t, "Rue 1", out.OrderReferenceDetails.Destination.PhysicalDestination.AddressLine1)
	assert.Equal(t, "Shopper", out.OrderReferenceDetails.Buyer.Name)
	assert.Equal(t, "Amazon Pay (Visa **1111)", out.OrderReferenceDetails.PaymentDescriptor.FullDescriptor)

	obj, ok := srv.Object(id)
	require.True(t, ok)
	assert.Equal(t, amazonpaytest.KindOrderReference, obj.Kind)
	assert.Equal(t, []string{"AmountNotSet"}, obj.Constraints)
	assert.Equal(t, amazonpaytest.PaymentMethodOK, obj.PaymentMethod)

	assert.ErrorIs(t, srv.SelectPaymentMethod("S02-0000000-0000000", amazonpaytest.PaymentMethodOK), amazonpaytest.ErrNotFound)
	assert.ErrorIs(t, srv.SelectAddress("S02-0000000-0000000", amazonpay.Address{}), amazonpaytest.ErrNotFound)
	assert.ErrorIs(t, srv.GiveConsent(id), amazonpaytest.ErrNotFound, "consent is for billing agreements")
	_, ok = srv.Object("nope")
	assert.False(t, ok)
	assert.Empty(t, srv.State("nope"))
}

func TestOrderReferenceModificationRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")

	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("11.00")}})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorOrderReferenceNotModifiable, e.Code)
	assert.Equal(t, 405, e.StatusCode)
	assert.Contains(t, e.Message, "is not in draft state")

	// After confirmation the note and the seller's data can change, the total cannot.
	out, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id, OrderAttributes: &amazonpay.OrderAttributes{
		SellerNote: "shipped soon", SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "o-9"}}})
	require.NoError(t, err)
	assert.Equal(t, "shipped soon", out.OrderReferenceDetails.SellerNote)
	assert.Equal(t, "10.00", out.OrderReferenceDetails.OrderTotal.Amount)
	_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id,
		OrderAttributes: &amazonpay.OrderAttributes{OrderTotal: eur("12.00")}})
	assert.Equal(t, amazonpay.ErrorOrderReferenceNotModifiable, apiCode(t, err))

	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id,
		OrderAttributes: &amazonpay.OrderAttributes{SellerNote: "late"}})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
	assert.ErrorIs(t, srv.SelectAddress(id, amazonpay.Address{City: "X"}), amazonpaytest.ErrState)

	// Confirming with constraints fails and leaves a Draft.
	draft := srv.CreateOrderReference(amazonpaytest.Buyer{Name: "No card", DigitalGoods: true})
	_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: draft,
		OrderAttributes: &amazonpay.OrderAttributes{OrderTotal: eur("3.00"), SellerOrderAttributes: &amazonpay.SellerOrderAttributes{
			OrderItemCategories: []string{"Books"}}}})
	require.NoError(t, err)
	_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: draft,
		OrderAttributes: &amazonpay.OrderAttributes{SellerOrderAttributes: &amazonpay.SellerOrderAttributes{StoreName: "S"}}})
	require.NoError(t, err)
	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: draft})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.OrderItemCategories{"Books"}, got.OrderReferenceDetails.SellerOrderAttributes.OrderItemCategories, "kept")
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: draft, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorConstraintsExist, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "PaymentPlanNotSet")
	mustState(t, srv, draft, "Draft", "")
}

func TestConfirmationFlowRedirects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithRegion(amazonpay.RegionUS)) // a FailureUrl is optional outside the EU and UK
	c := srv.AmazonPay()

	// URLs with a query and a fragment keep them.
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "1.00", CurrencyCode: "USD"}}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: "https://shop.example/pay?status=success&o=1#top"})
	require.NoError(t, err)

	back, err := srv.FollowConfirmationFlow(ctx, "A9WRONGSELLER", id)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example/pay?status=success&o=1&ErrorCode=InvalidSellerId#top", back.String(),
		"without a FailureUrl, failures go to the SuccessUrl")
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ActionCheckSellerIDAndRetry, res.Action)

	back, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example/pay?status=success&o=1&AuthenticationStatus=Success#top", back.String())
	// Coming back again gives the same answer.
	back, err = srv.RunConfirmationFlow(srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))

	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	back, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "InvalidIdStatus", back.Query().Get("ErrorCode"))
	res, err = amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ActionCheckStateAndRetry, res.Action)

	// Unknown ids and objects never confirmed with a SuccessUrl have
	// nowhere to go.
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), "S02-0000000-0000000")
	assert.ErrorIs(t, err, amazonpaytest.ErrNoRedirect)
	draft := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err = srv.RunConfirmationFlow(srv.SellerID(), draft)
	assert.ErrorIs(t, err, amazonpaytest.ErrNoRedirect)

	resp, err := srv.Client().Post(srv.ConfirmationFlowURL(id), "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	// A browser gets a 302 with a link.
	resp, err = noRedirects(srv).Get(srv.ConfirmationFlowURL(id))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, amazonpaytest.ConfirmationFlowURL(srv.URL, srv.SellerID(), id), srv.ConfirmationFlowURL(id))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = srv.FollowConfirmationFlow(canceled, srv.SellerID(), id)
	assert.ErrorIs(t, err, amazonpaytest.ErrNoRedirect)
}

func TestBillingAgreementRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	baID := srv.CreateBillingAgreement(buyer)

	_, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err), "not on a Draft")
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "draft", AuthorizationAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))
	_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{SubscriptionAmount: &amazonpay.Price{Amount: "1", CurrencyCode: "GBP"}}})
	assert.Equal(t, amazonpay.ErrorCurrencyMismatch, apiCode(t, err))

	// One child order reference on a Draft agreement, no more.
	child, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.OrderReferenceDraft, child.OrderReferenceDetails.OrderReferenceStatus.State)
	assert.Equal(t, baID, child.OrderReferenceDetails.ParentDetails.ID)
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement})
	assert.Equal(t, amazonpay.ErrorOrderReferenceCountExceeded, apiCode(t, err))

	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
			SubscriptionAmount: eur("9.00")}})
	require.NoError(t, err, "the SCA upgrade of an Open agreement")
	_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{SellerNote: "x"}})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorBillingAgreementNotModifiable, e.Code)
	assert.Equal(t, 405, e.StatusCode)

	// Customer-initiated charge: a child order reference, confirmed now.
	out, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement,
		ConfirmNow: amazonpay.Bool(true), InheritShippingAddress: amazonpay.Bool(false),
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("7.00"), SellerNote: "cit"}})
	require.NoError(t, err)
	d := out.OrderReferenceDetails
	assert.Equal(t, amazonpay.OrderReferenceOpen, d.OrderReferenceStatus.State)
	assert.Nil(t, d.Destination)
	assert.Equal(t, "7.00 EUR", d.OrderTotal.String())
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement,
		ConfirmNow: amazonpay.Bool(true)})
	assert.Equal(t, amazonpay.ErrorConstraintsExist, apiCode(t, err), "no total to confirm")
	sub, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: d.AmazonOrderReferenceID, IDType: amazonpay.IDTypeOrderReference})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ParentOrderReference, sub.OrderReferenceDetails.ParentDetails.Type)
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: sub.OrderReferenceDetails.AmazonOrderReferenceID,
		IDType: amazonpay.IDTypeOrderReference})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err), "its parent is a Draft")

	// Charges with a method that is no longer allowed.
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodNotAllowed))
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "na", AuthorizationAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodOK))
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "gbp", AuthorizationAmount: &amazonpay.Price{Amount: "1", CurrencyCode: "GBP"}})
	assert.Equal(t, amazonpay.ErrorCurrencyMismatch, apiCode(t, err))

	// Idempotent charges return the same child order reference.
	in := &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID, AuthorizationReferenceID: "m1",
		AuthorizationAmount: eur("9.00"), TransactionTimeout: amazonpay.Int(0), InheritShippingAddress: amazonpay.Bool(false),
		SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "sub-1"}}
	a1, err := c.AuthorizeOnBillingAgreement(ctx, in)
	require.NoError(t, err)
	a2, err := c.AuthorizeOnBillingAgreement(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, a1.AmazonOrderReferenceID, a2.AmazonOrderReferenceID)
	assert.Equal(t, a1.AuthorizationDetails.AmazonAuthorizationID, a2.AuthorizationDetails.AmazonAuthorizationID)
	_, err = c.Authorize(ctx, authorizeInput(d.AmazonOrderReferenceID, "m1", "1.00"))
	assert.Equal(t, amazonpay.ErrorDuplicateReferenceID, apiCode(t, err), "an AuthorizeOnBillingAgreement reference id")

	// Declines and validation. In the EU a new payment method needs a new
	// confirmation and Confirmation Flow.
	reconfirm := func() {
		t.Helper()
		_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
		_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), baID)
		require.NoError(t, err)
	}
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodTimedOut))
	reconfirm()
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.FailureValidationTimedOut, v.FailureReasonCode)
	assert.Equal(t, amazonpay.BillingAgreementOpen, v.BillingAgreementStatus.State)
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodInvalid))
	reconfirm()
	v, err = c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
	assert.Equal(t, amazonpay.BillingAgreementSuspended, v.BillingAgreementStatus.State)
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
	// The buyer fixes it; the merchant confirms again.
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodOK))
	mustState(t, srv, baID, "Suspended", "InvalidPaymentMethod")
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	mustState(t, srv, baID, "Open", "")

	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err), "closing twice is refused (a choice, doc.go)")
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
	_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{BillingAgreementType: amazonpay.CustomerInitiatedTransaction}})
	assert.Equal(t, amazonpay.ErrorBillingAgreementNotModifiable, apiCode(t, err))
	assert.ErrorIs(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodOK), amazonpaytest.ErrState)

	objs := srv.Objects(amazonpaytest.KindBillingAgreement)
	require.Len(t, objs, 1)
	assert.Len(t, objs[0].Children, 3)
}

func TestBillingAgreementRawChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	e := rawError(t, srv, 400, "SetBillingAgreementDetails", "AmazonBillingAgreementId", baID)
	assert.Equal(t, "MissingParameter", e.Code)
	e = rawError(t, srv, 400, "SetBillingAgreementDetails", "AmazonBillingAgreementId", baID,
		"BillingAgreementAttributes.BillingAgreementType", "Sometimes")
	assert.Equal(t, "InvalidParameterValue", e.Code)
	e = rawError(t, srv, 400, "ConfirmBillingAgreement", "AmazonBillingAgreementId", baID, "FailureUrl", "https://x.example/f")
	assert.Equal(t, "MissingParameter", e.Code)
	assert.Contains(t, e.Message, "SuccessUrl")
	e = rawError(t, srv, 400, "GetBillingAgreementDetails", "AmazonBillingAgreementId", baID, "AccessToken", "a", "AddressConsentToken", "b")
	assert.Equal(t, "AmbiguousToken", e.Code)
	status, body := raw(t, srv, "GetBillingAgreementDetails", "AmazonBillingAgreementId", baID, "AccessToken", token(t, srv, baID))
	assert.Equal(t, 200, status)
	assert.Contains(t, body, "<AddressLine1>Teststr. 1</AddressLine1>")
}

func TestSCABillingAgreementChargeBeforeFlow(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	baID := srv.CreateBillingAgreement(buyer)
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	out, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "early", AuthorizationAmount: eur("5.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), out.AuthorizationDetails.AuthorizationStatus.State)
	mustState(t, srv, baID, "Suspended", "PaymentAuthorizationRequired")
	mustState(t, srv, out.AmazonOrderReferenceID, "Closed", "MaxAuthorizationsProcessed")

	// Validate before the flow fails too.
	ba2 := srv.CreateBillingAgreement(buyer)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: ba2, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: ba2})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
	mustState(t, srv, ba2, "Suspended", "PaymentAuthorizationRequired")
	obj, _ := srv.Object(ba2)
	assert.Equal(t, "Pending", obj.Authentication)
}
