package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// authorizeWithNote authorizes a fresh ready order with a simulation string
// in SellerAuthorizationNote.
func authorizeWithNote(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, note string) (string, amazonpay.AuthorizationDetails) {
	t.Helper()
	id := readyOrder(t, srv, c, "10.00")
	in := authorizeInput(id, "sim-"+id[4:11], "10.00")
	in.SellerAuthorizationNote = note
	out, err := c.Authorize(ctx, in)
	require.NoError(t, err)
	return id, out.AuthorizationDetails
}

func TestSimulationAuthorizationDeclines(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()

	// The revert after PaymentMethodUpdateTimeInMins is for asynchronous
	// authorizations (spec §5.1).
	id := readyOrder(t, srv, c, "10.00")
	in := authorizeInput(id, "async-decline", "10.00")
	in.TransactionTimeout = nil
	in.SellerAuthorizationNote = `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":5, "SoftDecline":"false"}}`
	out, err := c.Authorize(ctx, in)
	require.NoError(t, err)
	srv.Advance(30 * time.Second) // the processing delay
	got, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: out.AuthorizationDetails.AmazonAuthorizationID})
	require.NoError(t, err)
	ad := got.AuthorizationDetails
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), ad.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, ad.AuthorizationStatus.ReasonCode)
	assert.False(t, ad.SoftDecline)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
	srv.Advance(4 * time.Minute)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
	srv.Advance(time.Minute)
	mustState(t, srv, id, "Open", "")

	_, ad = authorizeWithNote(t, srv, c, `{"SandboxSimulation":{"State":"Declined","ReasonCode":"InvalidPaymentMethod"}}`)
	assert.True(t, ad.SoftDecline, "soft unless told otherwise")

	id, ad = authorizeWithNote(t, srv, c, `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected"}}`)
	assert.Equal(t, amazonpay.ReasonAmazonRejected, ad.AuthorizationStatus.ReasonCode)
	mustState(t, srv, id, "Closed", "AmazonClosed")

	id, ad = authorizeWithNote(t, srv, c, `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"TransactionTimedOut"}}`)
	assert.Equal(t, amazonpay.ReasonTransactionTimedOut, ad.AuthorizationStatus.ReasonCode)
	mustState(t, srv, id, "Open", "")

	_, ad = authorizeWithNote(t, srv, c, `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"ProcessingFailure"}}`)
	assert.Equal(t, amazonpay.ReasonProcessingFailure, ad.AuthorizationStatus.ReasonCode)
}

func TestSimulationAuthorizationClosedAndPending(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()

	_, ad := authorizeWithNote(t, srv, c, `{"SandboxSimulation": {"State":"Closed", "ReasonCode":"ExpiredUnused", "ExpirationTimeInMins":1}}`)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), ad.AuthorizationStatus.State)
	srv.Advance(59 * time.Second)
	mustState(t, srv, ad.AmazonAuthorizationID, "Open", "")
	srv.Advance(time.Second)
	mustState(t, srv, ad.AmazonAuthorizationID, "Closed", "ExpiredUnused")
	obj, _ := srv.Object(ad.AmazonAuthorizationID)
	assert.Equal(t, ad.CreationTimestamp.Add(time.Minute), obj.LastUpdate)

	_, ad = authorizeWithNote(t, srv, c, `{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed"}}`)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), ad.AuthorizationStatus.State)
	srv.Advance(30 * time.Second)
	mustState(t, srv, ad.AmazonAuthorizationID, "Closed", "AmazonClosed")

	// Pending is for asynchronous authorizations (a synchronous one is
	// refused: TestSynchronousAuthorizationIsNeverPending).
	id := readyOrder(t, srv, c, "10.00")
	in := authorizeInput(id, "pending", "10.00")
	in.TransactionTimeout, in.SellerAuthorizationNote = nil, `{"SandboxSimulation": {"State":"Pending"}}`
	out, err := c.Authorize(ctx, in)
	require.NoError(t, err)
	ad = out.AuthorizationDetails
	assert.Equal(t, amazonpay.AuthorizationState("Pending"), ad.AuthorizationStatus.State)
	srv.Advance(30 * time.Second)
	mustState(t, srv, ad.AmazonAuthorizationID, "Open", "")
}

func TestSimulationCaptures(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	capture := func(note string) (string, amazonpay.CaptureDetails) {
		_, authID := authorizedOrder(t, srv, c, "10.00")
		out, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "c-" + authID[4:11],
			CaptureAmount: eur("10.00"), SellerCaptureNote: note})
		require.NoError(t, err)
		return authID, out.CaptureDetails
	}

	authID, cd := capture(`{"SandboxSimulation": {"State":"Pending"}}`)
	assert.Equal(t, amazonpay.CaptureState("Pending"), cd.CaptureStatus.State)
	mustState(t, srv, authID, "Closed", "MaxCapturesProcessed")
	srv.Advance(30 * time.Second)
	mustState(t, srv, cd.AmazonCaptureID, "Completed", "")

	authID, cd = capture(`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected"}}`)
	assert.Equal(t, amazonpay.CaptureState("Declined"), cd.CaptureStatus.State)
	assert.Equal(t, amazonpay.ReasonAmazonRejected, cd.CaptureStatus.ReasonCode)
	mustState(t, srv, authID, "Open", "") // the authorization can be captured again
	_, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: cd.AmazonCaptureID, RefundReferenceID: "on-declined", RefundAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorCaptureNotRefundable, apiCode(t, err))

	authID, cd = capture(`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"ProcessingFailure"}}`)
	assert.Equal(t, amazonpay.CaptureState("Declined"), cd.CaptureStatus.State)
	assert.Equal(t, amazonpay.ReasonProcessingFailure, cd.CaptureStatus.ReasonCode)
	mustState(t, srv, authID, "Open", "")

	_, cd = capture(`{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed"}}`)
	assert.Equal(t, amazonpay.CaptureState("Completed"), cd.CaptureStatus.State)
	srv.Advance(30 * time.Second)
	mustState(t, srv, cd.AmazonCaptureID, "Closed", "AmazonClosed")
}

func TestSimulationRefundDeclined(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	capOut, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("10.00")})
	require.NoError(t, err)
	out, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capOut.CaptureDetails.AmazonCaptureID, RefundReferenceID: "rf",
		RefundAmount: eur("5.00"), SellerRefundNote: `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected"}}`})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.RefundState("Pending"), out.RefundDetails.RefundStatus.State)
	srv.Advance(30 * time.Second)
	got, err := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: out.RefundDetails.AmazonRefundID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.RefundState("Declined"), got.RefundDetails.RefundStatus.State)
	assert.Equal(t, amazonpay.ReasonAmazonRejected, got.RefundDetails.RefundStatus.ReasonCode)
	gc, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: capOut.CaptureDetails.AmazonCaptureID})
	require.NoError(t, err)
	assert.Equal(t, "0", gc.CaptureDetails.RefundedAmount.Amount)
}

func TestSimulationOrderReference(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	set := func(note string) []amazonpay.Constraint {
		out, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("10.00"), SellerNote: note}})
		require.NoError(t, err)
		return out.OrderReferenceDetails.Constraints
	}
	cons := set(`{"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}`)
	require.Len(t, cons, 1)
	assert.Equal(t, amazonpay.ConstraintPaymentMethodNotAllowed, cons[0].ConstraintID)
	_, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorConstraintsExist, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "PaymentMethodNotAllowed")
	assert.Empty(t, set("a plain note"), "overwriting the note clears the simulation")

	// ClosureReason.
	id = readyOrder(t, srv, c, "10.00")
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id,
		ClosureReason: `{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed"}}`})
	require.NoError(t, err)
	mustState(t, srv, id, "Closed", "AmazonClosed")
}

func TestSimulationPaymentAuthenticationStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	for _, state := range []string{"Failure", "Abandoned"} {
		note := `{"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"` + state + `"}}}`

		// SetOrderReferenceDetails.
		id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("10.00"), SellerNote: note}})
		require.NoError(t, err)
		_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
		back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
		require.NoError(t, err)
		assert.Equal(t, failURL+"?AuthenticationStatus="+state, back.String())

		// SetOrderAttributes.
		id = srv.CreateOrderReference(amazonpaytest.TestBuyer())
		_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id,
			OrderAttributes: &amazonpay.OrderAttributes{OrderTotal: eur("10.00"), SellerNote: note}})
		require.NoError(t, err)
		_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
		back, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
		require.NoError(t, err)
		assert.Equal(t, state, back.Query().Get("AuthenticationStatus"))

		// SetBillingAgreementDetails, as the seeds describe.
		baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
		_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
			BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{SellerNote: note, BillingAgreementType: amazonpay.MerchantInitiatedTransaction}})
		require.NoError(t, err)
		_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
		back, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), baID)
		require.NoError(t, err)
		assert.Equal(t, state, back.Query().Get("AuthenticationStatus"))
		v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
		require.NoError(t, err)
		assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
		assert.Equal(t, amazonpay.FailureInvalidPaymentMethod, v.FailureReasonCode)
		assert.Equal(t, amazonpay.BillingAgreementSuspended, v.BillingAgreementStatus.State)
	}
}

func TestSimulationBillingAgreement(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	out, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{SellerNote: `{"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}`}})
	require.NoError(t, err)
	require.Len(t, out.BillingAgreementDetails.Constraints, 1)
	assert.Equal(t, amazonpay.ConstraintPaymentMethodNotAllowed, out.BillingAgreementDetails.Constraints[0].ConstraintID)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorBillingAgreementConstraintsExist, apiCode(t, err))
	_, err = c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{SellerNote: "ok now"}})
	require.NoError(t, err)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)

	// A decline on a charge suspends the agreement, which comes back after
	// PaymentMethodUpdateTimeInMins.
	a, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "m1", AuthorizationAmount: eur("10.00"),
		SellerAuthorizationNote: `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":2}}`})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Pending"), a.AuthorizationDetails.AuthorizationStatus.State, "asynchronous")
	srv.Advance(30 * time.Second)
	mustState(t, srv, a.AuthorizationDetails.AmazonAuthorizationID, "Declined", "InvalidPaymentMethod")
	mustState(t, srv, baID, "Suspended", "InvalidPaymentMethod")
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
	assert.Equal(t, amazonpay.FailureInvalidPaymentMethod, v.FailureReasonCode)
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, "500.00", ba.BillingAgreementDetails.BillingAgreementLimits.CurrentRemainingBalance.Amount, "a decline spends nothing")
	srv.Advance(2 * time.Minute)
	mustState(t, srv, baID, "Open", "")

	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID,
		ClosureReason: `{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed"}}`})
	require.NoError(t, err)
	mustState(t, srv, baID, "Closed", "AmazonClosed")
}

func TestInvalidSimulations(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")
	for _, note := range []string{
		`{"SandboxSimulation": {"State":"Open"}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"ExpiredUnused"}}`,
		`{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonRejected"}}`,
		`{"SandboxSimulation": {"State":"Declined"}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected", "PaymentMethodUpdateTimeInMins":5}}`,
		`{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed", "ExpirationTimeInMins":5}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":"soon"}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "SoftDecline":"maybe"}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "Colour":"red"}}`,
		`{"SandboxSimulation": {"Constraint":"PaymentMethodNotAllowed"}}`,
		`{"SandboxSimulation": {"State": 5}}`,
		`{"SandboxSimulation": "Declined"}`,
		`{"SandboxSimulation": {"State":"Pending"}, "Other": 1}`,
		`SandboxSimulation please decline`,
	} {
		in := authorizeInput(id, "bad-sim", "1.00")
		in.SellerAuthorizationNote = note
		_, err := c.Authorize(ctx, in)
		e := apiError(t, err)
		assert.Equal(t, amazonpay.ErrorInvalidSandboxSimulationSpecified, e.Code, note)
		assert.Equal(t, 400, e.StatusCode, note)
	}
	assert.Zero(t, srv.MoneyMovements().Authorizations)

	draft := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	for _, note := range []string{
		`{"SandboxSimulation":{"Constraint":"AmountNotSet"}}`,
		`{"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"Success"}}}`,
		`{"SandboxSimulation":{"PaymentAuthenticationStatus":{"Status":"Failure"}}}`,
		`{"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"Failure"},"Constraint":"PaymentMethodNotAllowed"}}`,
		`{"SandboxSimulation":{"State":"Declined","ReasonCode":"AmazonRejected"}}`,
		`{"SandboxSimulation":{}}`,
	} {
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: draft,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("1.00"), SellerNote: note}})
		assert.Equal(t, amazonpay.ErrorInvalidSandboxSimulationSpecified, apiCode(t, err), note)
	}
	for _, note := range []string{
		`{"SandboxSimulation": {"State":"Closed", "ReasonCode":"SellerClosed"}}`,
	} {
		_, err := c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id, ClosureReason: note})
		assert.Equal(t, amazonpay.ErrorInvalidSandboxSimulationSpecified, apiCode(t, err), note)
	}
	mustState(t, srv, id, "Open", "")
}
