package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Section 2 of issue 8: every documented state, reason code, constraint
// and error code can be reached, through Amazon's side where no
// simulation string is documented.

func TestAmazonCancel(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id, authID := authorizedOrder(t, srv, c, "10.00")
	require.NoError(t, srv.AmazonCancel(id))
	mustState(t, srv, id, "Canceled", "AmazonCanceled")
	mustState(t, srv, authID, "Closed", "OrderReferenceCanceled")
	d, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ReasonAmazonCanceled, d.OrderReferenceDetails.OrderReferenceStatus.ReasonCode)
	assert.ErrorIs(t, srv.AmazonCancel(id), amazonpaytest.ErrState)
	assert.ErrorIs(t, srv.AmazonCancel("S02-0000000-0000000"), amazonpaytest.ErrNotFound)

	baID := confirmedBillingAgreement(t, srv, c)
	child, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement,
		ConfirmNow: amazonpay.Bool(true), OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("5.00")}})
	require.NoError(t, err)
	require.NoError(t, srv.AmazonCancel(baID))
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.BillingAgreementCanceled, ba.BillingAgreementDetails.BillingAgreementStatus.State)
	assert.Equal(t, amazonpay.ReasonAmazonCanceled, ba.BillingAgreementDetails.BillingAgreementStatus.ReasonCode)
	mustState(t, srv, child.OrderReferenceDetails.AmazonOrderReferenceID, "Canceled", "AmazonCanceled")
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "after", AuthorizationAmount: eur("1.00"), TransactionTimeout: amazonpay.Int(0)})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
}

func TestBuyerCancelsBillingAgreement(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	baID := confirmedBillingAgreement(t, srv, c)
	require.NoError(t, srv.BuyerCancelBillingAgreement(baID))
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.BillingAgreementClosed, ba.BillingAgreementDetails.BillingAgreementStatus.State)
	assert.Equal(t, amazonpay.ReasonBuyerCanceled, ba.BillingAgreementDetails.BillingAgreementStatus.ReasonCode)
	assert.ErrorIs(t, srv.BuyerCancelBillingAgreement(baID), amazonpaytest.ErrState)
	assert.ErrorIs(t, srv.BuyerCancelBillingAgreement(srv.CreateBillingAgreement(amazonpaytest.TestBuyer())), amazonpaytest.ErrState, "not a Draft")
}

func TestStopShipmentAtypicalAuth(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	require.NoError(t, srv.AmazonFlagAtypical(authID))
	d, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationOpen, d.AuthorizationDetails.AuthorizationStatus.State, "the state stays")
	assert.Equal(t, amazonpay.ReasonStopShipmentAtypicalAuth, d.AuthorizationDetails.AuthorizationStatus.ReasonCode)
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("10.00")})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	require.NoError(t, srv.AmazonFlagAtypical(capID))
	got, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: capID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.CaptureCompleted, got.CaptureDetails.CaptureStatus.State)
	assert.Equal(t, amazonpay.ReasonStopShipmentAtypicalAuth, got.CaptureDetails.CaptureStatus.ReasonCode)
	assert.ErrorIs(t, srv.AmazonFlagAtypical(authID), amazonpaytest.ErrState, "a Closed authorization")
	assert.ErrorIs(t, srv.AmazonFlagAtypical("S02-0000000-0000000-A000000"), amazonpaytest.ErrNotFound)
}

func TestRefundDeclinesAndAmazonRefunds(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "50.00")
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("50.00")})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r1", RefundAmount: eur("5.00")})
	require.NoError(t, err)
	refundID := rf.RefundDetails.AmazonRefundID
	assert.Error(t, srv.AmazonDeclineRefund(refundID, amazonpay.ReasonInvalidPaymentMethod))
	require.NoError(t, srv.AmazonDeclineRefund(refundID, amazonpay.ReasonProcessingFailure))
	got, err := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: refundID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.RefundDeclined, got.RefundDetails.RefundStatus.State)
	assert.Equal(t, amazonpay.ReasonProcessingFailure, got.RefundDetails.RefundStatus.ReasonCode)
	srv.Advance(time.Minute)
	mustState(t, srv, refundID, "Declined", "ProcessingFailure")
	assert.ErrorIs(t, srv.AmazonDeclineRefund(refundID, amazonpay.ReasonAmazonRejected), amazonpaytest.ErrState)

	for _, typ := range []amazonpay.RefundType{amazonpay.RefundTypeAmazonAZRefund, amazonpay.RefundTypeAmazonAZGuarantee,
		amazonpay.RefundTypeAmazonAZCancel, amazonpay.RefundTypeChargeback} {
		id, err := srv.AmazonRefund(capID, "1.00", typ)
		require.NoError(t, err)
		got, err := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: id})
		require.NoError(t, err)
		assert.Equal(t, typ, got.RefundDetails.RefundType)
		assert.Equal(t, amazonpay.RefundPending, got.RefundDetails.RefundStatus.State)
		assert.Empty(t, got.RefundDetails.RefundReferenceID)
	}
	srv.Advance(30 * time.Second)
	for _, r := range srv.Objects(amazonpaytest.KindRefund) {
		if r.ID != refundID {
			assert.Equal(t, "Completed", r.State, r.ID)
		}
	}
	cd, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: capID})
	require.NoError(t, err)
	assert.Equal(t, "4.00", cd.CaptureDetails.RefundedAmount.Amount, "Amazon's refunds count")
	_, err = srv.AmazonRefund(capID, "1.00", amazonpay.RefundTypeSellerInitiated)
	assert.Error(t, err)
	_, err = srv.AmazonRefund(capID, "46.01", amazonpay.RefundTypeChargeback)
	assert.Error(t, err, "more than is left")
}

func TestSuspendedSeller(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithDelegatedSeller("A2DELEGATE", "amzn.mws.tok"))
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")
	require.NoError(t, srv.SuspendSeller(srv.SellerID()))
	_, err := c.Authorize(ctx, authorizeInput(id, "suspended", "10.00"))
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorInvalidAccountStatus, e.Code)
	assert.Equal(t, 403, e.StatusCode)
	st, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AccountInactive, st.AccountStatus)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	// Another seller is not affected.
	_, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{},
		amazonpay.WithSellerID("A2DELEGATE"), amazonpay.WithMWSAuthToken("amzn.mws.tok"))
	require.NoError(t, err)
	require.NoError(t, srv.ReactivateSeller(srv.SellerID()))
	st, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AccountActive, st.AccountStatus)
	_, err = c.Authorize(ctx, authorizeInput(id, "active", "10.00"))
	require.NoError(t, err)
	assert.ErrorIs(t, srv.SuspendSeller("A9UNKNOWN"), amazonpaytest.ErrUnknownSeller)
}

func TestReachableConstraints(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	constraintIDs := func(cs []amazonpay.Constraint) []amazonpay.ConstraintID {
		var out []amazonpay.ConstraintID
		for _, x := range cs {
			out = append(out, x.ConstraintID)
		}
		return out
	}

	// CurrencyMismatch: the buyer pays in GBP, the order total is in EUR.
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	require.NoError(t, srv.SelectCurrency(id, "GBP"))
	assert.Error(t, srv.SelectCurrency(id, "XXX"))
	set, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("10.00")}})
	require.NoError(t, err)
	assert.Equal(t, []amazonpay.ConstraintID{amazonpay.ConstraintCurrencyMismatch}, constraintIDs(set.OrderReferenceDetails.Constraints))
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorConstraintsExist, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "CurrencyMismatch")
	set, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "9.00", CurrencyCode: "GBP"}}})
	require.NoError(t, err)
	assert.Empty(t, set.OrderReferenceDetails.Constraints)

	// A billing agreement's buyer constraints.
	nobody := srv.CreateBillingAgreement(amazonpaytest.Buyer{Name: "Nobody", IsSeller: true})
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: nobody})
	require.NoError(t, err)
	assert.Equal(t, []amazonpay.ConstraintID{amazonpay.ConstraintBuyerConsentNotSet, amazonpay.ConstraintBuyerEqualsSeller,
		amazonpay.ConstraintPaymentPlanNotSet, amazonpay.ConstraintShippingAddressNotSet}, constraintIDs(ba.BillingAgreementDetails.Constraints))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: nobody, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))

	// BillingAgreementLimitsNotSet.
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	require.NoError(t, srv.AmazonUnsetBillingAgreementLimits(baID))
	ba, err = c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, []amazonpay.ConstraintID{amazonpay.ConstraintBillingAgreementLimitsNotSet}, constraintIDs(ba.BillingAgreementDetails.Constraints))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))
	require.NoError(t, srv.AmazonSetBillingAgreementLimits(baID))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), baID)
	require.NoError(t, err)

	// BillingAddressDeleted after confirmation: Suspended until the buyer
	// picks a method again and the shop confirms again.
	require.NoError(t, srv.DeleteBillingAddress(baID))
	mustState(t, srv, baID, "Suspended", "InvalidPaymentMethod")
	ba, err = c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, []amazonpay.ConstraintID{amazonpay.ConstraintBillingAddressDeleted}, constraintIDs(ba.BillingAgreementDetails.Constraints))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))
	require.NoError(t, srv.SelectPaymentMethod(baID, amazonpaytest.PaymentMethodOK))
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	mustState(t, srv, baID, "Open", "")
}

func TestPaymentMethodErrorCodes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()

	// PaymentMethodNotAllowed: the buyer switches to a method not allowed
	// after confirmation; Authorize is refused.
	id := readyOrder(t, srv, c, "10.00")
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodNotAllowed))
	_, err := c.Authorize(ctx, authorizeInput(id, "na", "10.00"))
	assert.Equal(t, amazonpay.ErrorPaymentMethodNotAllowed, apiCode(t, err))

	// PaymentMethodNotUpdated: confirming again after an InvalidPaymentMethod
	// decline before the buyer chose another method.
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodInvalid
	id = openOrder(t, srv, c, buyer, "10.00")
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	a, err := c.Authorize(ctx, authorizeInput(id, "decl", "10.00"))
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationDeclined, a.AuthorizationDetails.AuthorizationStatus.State)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorPaymentMethodNotUpdated, apiCode(t, err))
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodOK))
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)

	// The same for a billing agreement that failed validation.
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodInvalid
	baID := srv.CreateBillingAgreement(b)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), baID)
	require.NoError(t, err)
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorPaymentMethodNotUpdated, apiCode(t, err))
}

func TestSolutionProviderErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithDelegatedSeller("A2DELEGATE", "amzn.mws.tok"))
	c := srv.AmazonPay()
	// A seller that never delegated access: GetMerchantAccountStatus is
	// UnauthorizedSolutionProvider, other calls UnauthorizedAccess.
	_, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{}, amazonpay.WithSellerID("A3STRANGER"))
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorUnauthorizedSolutionProvider, e.Code)
	assert.Equal(t, 401, e.StatusCode)
	_, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-0000000-0000000"}, amazonpay.WithSellerID("A3STRANGER"))
	assert.Equal(t, amazonpay.ErrorUnauthorizedAccess, apiCode(t, err))

	// A seller that revoked its delegation: AccessDenied with the old token.
	delegated := []amazonpay.CallOption{amazonpay.WithSellerID("A2DELEGATE"), amazonpay.WithMWSAuthToken("amzn.mws.tok")}
	_, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{}, delegated...)
	require.NoError(t, err)
	require.NoError(t, srv.RevokeDelegation("A2DELEGATE"))
	_, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{}, delegated...)
	e = apiError(t, err)
	assert.Equal(t, amazonpay.ErrorAccessDenied, e.Code)
	assert.Equal(t, 401, e.StatusCode)
	assert.ErrorIs(t, srv.RevokeDelegation("A2DELEGATE"), amazonpaytest.ErrUnknownSeller)
}

func TestServiceStatusValues(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	out, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ServiceGreen, out.Status, "GREEN by default")
	for _, st := range []amazonpay.ServiceStatus{amazonpay.ServiceGreenI, amazonpay.ServiceYellow, amazonpay.ServiceRed, amazonpay.ServiceGreen} {
		srv.SetServiceStatus(string(st))
		out, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
		require.NoError(t, err)
		assert.Equal(t, st, out.Status)
	}
}
