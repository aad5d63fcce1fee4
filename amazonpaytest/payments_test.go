package amazonpaytest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReferenceIDIdempotency(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "50.00")
	other := readyOrder(t, srv, c, "50.00")

	first, err := c.Authorize(ctx, authorizeInput(id, "ref-A", "10.00"))
	require.NoError(t, err)
	again, err := c.Authorize(ctx, authorizeInput(id, "ref-A", "10.00"))
	require.NoError(t, err)
	assert.Equal(t, first.AuthorizationDetails.AmazonAuthorizationID, again.AuthorizationDetails.AmazonAuthorizationID)
	assert.NotEqual(t, first.RequestID, again.RequestID)

	_, err = c.Authorize(ctx, authorizeInput(id, "ref-A", "11.00"))
	assert.Equal(t, amazonpay.ErrorDuplicateRequest, apiCode(t, err))
	_, err = c.Authorize(ctx, authorizeInput(other, "ref-A", "10.00"))
	assert.Equal(t, amazonpay.ErrorDuplicateReferenceID, apiCode(t, err))
	assert.Equal(t, 1, srv.MoneyMovements().Authorizations)

	authID := first.AuthorizationDetails.AmazonAuthorizationID
	capIn := &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap-A", CaptureAmount: eur("10.00")}
	cap1, err := c.Capture(ctx, capIn)
	require.NoError(t, err)
	// A retry after the authorization closed still gets the original capture.
	cap2, err := c.Capture(ctx, capIn)
	require.NoError(t, err)
	assert.Equal(t, cap1.CaptureDetails.AmazonCaptureID, cap2.CaptureDetails.AmazonCaptureID)
	capIn.SellerCaptureNote = "changed"
	_, err = c.Capture(ctx, capIn)
	assert.Equal(t, amazonpay.ErrorDuplicateRequest, apiCode(t, err))

	auth2, err := c.Authorize(ctx, authorizeInput(id, "ref-B", "10.00"))
	require.NoError(t, err)
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth2.AuthorizationDetails.AmazonAuthorizationID,
		CaptureReferenceID: "cap-A", CaptureAmount: eur("10.00")})
	assert.Equal(t, amazonpay.ErrorDuplicateReferenceID, apiCode(t, err))

	refIn := &amazonpay.RefundInput{AmazonCaptureID: cap1.CaptureDetails.AmazonCaptureID, RefundReferenceID: "rf-A", RefundAmount: eur("1.00")}
	r1, err := c.Refund(ctx, refIn)
	require.NoError(t, err)
	r2, err := c.Refund(ctx, refIn)
	require.NoError(t, err)
	assert.Equal(t, r1.RefundDetails.AmazonRefundID, r2.RefundDetails.AmazonRefundID)
	refIn.RefundAmount = eur("2.00")
	_, err = c.Refund(ctx, refIn)
	assert.Equal(t, amazonpay.ErrorDuplicateRequest, apiCode(t, err))
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 2, Captures: 1, Refunds: 1}, srv.MoneyMovements())
}

func TestAuthorizationAmountRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()

	// min(15 %, 75): 15 % of 100.00 is 15.00.
	id := readyOrderAuthenticating(t, srv, c, "100.00", "115.00")
	_, err := c.Authorize(ctx, authorizeInput(id, "over", "115.01"))
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err))
	_, err = c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "usd",
		AuthorizationAmount: &amazonpay.Price{Amount: "1.00", CurrencyCode: "USD"}})
	assert.Equal(t, amazonpay.ErrorCurrencyMismatch, apiCode(t, err))
	a, err := c.Authorize(ctx, authorizeInput(id, "max", "115.00"))
	require.NoError(t, err)
	authID := a.AuthorizationDetails.AmazonAuthorizationID
	_, err = c.Authorize(ctx, authorizeInput(id, "more", "0.01"))
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err), "open authorizations count")

	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "c0", CaptureAmount: eur("115.01")})
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err), "capture ≤ authorization")
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "c0",
		CaptureAmount: &amazonpay.Price{Amount: "1.00", CurrencyCode: "GBP"}})
	assert.Equal(t, amazonpay.ErrorCurrencyMismatch, apiCode(t, err))
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "c1", CaptureAmount: eur("115.00")})
	require.NoError(t, err)
	mustState(t, srv, id, "Closed", "MaxAmountCharged")
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "c2", CaptureAmount: eur("1.00")})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, e.Code)
	assert.Equal(t, 405, e.StatusCode)

	// 75 caps the excess of large orders.
	big := readyOrderAuthenticating(t, srv, c, "1000.00", "1075.00")
	_, err = c.Authorize(ctx, authorizeInput(big, "big-over", "1075.01"))
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err))
	_, err = c.Authorize(ctx, authorizeInput(big, "big-max", "1075.00"))
	require.NoError(t, err)
}

func TestCapturesPerOrderAndOverCapture(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "100.00")
	a1, err := c.Authorize(ctx, authorizeInput(id, "a1", "60.00"))
	require.NoError(t, err)
	a2, err := c.Authorize(ctx, authorizeInput(id, "a2", "55.00"))
	require.NoError(t, err)
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: a1.AuthorizationDetails.AmazonAuthorizationID, CaptureReferenceID: "c1", CaptureAmount: eur("60.00")})
	require.NoError(t, err)
	mustState(t, srv, id, "Open", "")
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: a2.AuthorizationDetails.AmazonAuthorizationID, CaptureReferenceID: "c2", CaptureAmount: eur("55.00")})
	require.NoError(t, err)
	mustState(t, srv, id, "Closed", "MaxAmountCharged")

	// Ten captured authorizations close the order reference.
	ten := readyOrder(t, srv, c, "100.00")
	for i := 0; i < 10; i++ {
		a, err := c.Authorize(ctx, authorizeInput(ten, fmt.Sprintf("t-a%d", i), "1.00"))
		require.NoError(t, err)
		_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: a.AuthorizationDetails.AmazonAuthorizationID,
			CaptureReferenceID: fmt.Sprintf("t-c%d", i), CaptureAmount: eur("1.00")})
		require.NoError(t, err)
	}
	mustState(t, srv, ten, "Closed", "MaxAuthorizationsCaptured")
}

func TestRefundRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "100.00")
	capOut, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("100.00")})
	require.NoError(t, err)
	capID := capOut.CaptureDetails.AmazonCaptureID

	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r-over", RefundAmount: eur("115.01")})
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err))
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r-usd", RefundAmount: &amazonpay.Price{Amount: "1", CurrencyCode: "USD"}})
	assert.Equal(t, amazonpay.ErrorCurrencyMismatch, apiCode(t, err))
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r-all", RefundAmount: eur("115.00")})
	require.NoError(t, err)
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r-more", RefundAmount: eur("0.01")})
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err), "pending refunds count")
	srv.Advance(30 * time.Second)
	mustState(t, srv, capID, "Closed", "MaxAmountRefunded")
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r-late", RefundAmount: eur("0.01")})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorCaptureNotRefundable, e.Code)
	assert.Equal(t, 405, e.StatusCode)
}

func TestTenRefundsPerCapture(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "100.00")
	capOut, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("100.00")})
	require.NoError(t, err)
	capID := capOut.CaptureDetails.AmazonCaptureID
	for i := 0; i < 10; i++ {
		_, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: fmt.Sprintf("r%d", i), RefundAmount: eur("1.00")})
		require.NoError(t, err)
	}
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r10", RefundAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorTransactionCountExceeded, apiCode(t, err))
	mustState(t, srv, capID, "Completed", "")
	srv.Advance(30 * time.Second)
	mustState(t, srv, capID, "Closed", "MaxRefundsProcessed")
	obj, _ := srv.Object(capID)
	assert.Len(t, obj.Children, 10)
	gc, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: capID})
	require.NoError(t, err)
	assert.Equal(t, "10.00", gc.CaptureDetails.RefundedAmount.Amount)
}

func TestAsynchronousAuthorization(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: "async", AuthorizationAmount: eur("10.00"), CaptureNow: amazonpay.Bool(true),
	})
	require.NoError(t, err)
	authID := out.AuthorizationDetails.AmazonAuthorizationID
	assert.Equal(t, amazonpay.AuthorizationState("Pending"), out.AuthorizationDetails.AuthorizationStatus.State)
	assert.Empty(t, out.AuthorizationDetails.IDList.IDs())
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "early", CaptureAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err))

	srv.Advance(29 * time.Second)
	mustState(t, srv, authID, "Pending", "")
	srv.Advance(time.Second)
	mustState(t, srv, authID, "Closed", "MaxCapturesProcessed")
	obj, _ := srv.Object(authID)
	require.Len(t, obj.Children, 1)
	mustState(t, srv, obj.Children[0], "Completed", "")
}

func TestDeclinesByPaymentMethod(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	with := func(m amazonpaytest.PaymentMethod) string {
		b := amazonpaytest.TestBuyer()
		b.PaymentMethod = m
		id := openOrder(t, srv, c, b, "10.00")
		_, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
		require.NoError(t, err)
		return id
	}
	authorize := func(id string) amazonpay.AuthorizationDetails {
		out, err := c.Authorize(ctx, authorizeInput(id, "d-"+id[4:11], "10.00"))
		require.NoError(t, err)
		return out.AuthorizationDetails
	}

	id := with(amazonpaytest.PaymentMethodInvalid)
	ad := authorize(id)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, ad.AuthorizationStatus.ReasonCode)
	assert.True(t, ad.SoftDecline)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodOK))
	mustState(t, srv, id, "Open", "")

	id = with(amazonpaytest.PaymentMethodRejected)
	ad = authorize(id)
	assert.Equal(t, amazonpay.ReasonAmazonRejected, ad.AuthorizationStatus.ReasonCode)
	mustState(t, srv, id, "Closed", "AmazonClosed")

	id = with(amazonpaytest.PaymentMethodTimedOut)
	ad = authorize(id)
	assert.Equal(t, amazonpay.ReasonTransactionTimedOut, ad.AuthorizationStatus.ReasonCode)
	mustState(t, srv, id, "Open", "")

	// A declined authorization cannot be closed or captured.
	_, err := c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: ad.AmazonAuthorizationID})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err))
}

func TestCloseAuthorizationAndCancelAndClose(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id, authID := authorizedOrder(t, srv, c, "10.00")
	_, err := c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: authID, ClosureReason: "out of stock"})
	require.NoError(t, err)
	mustState(t, srv, authID, "Closed", "SellerClosed")
	_, err = c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: authID})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err), "closing twice is refused (spec §3.2)")

	// Cancel closes the open authorizations.
	a2, err := c.Authorize(ctx, authorizeInput(id, "second", "5.00"))
	require.NoError(t, err)
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id, CancelationReason: "buyer asked"})
	require.NoError(t, err)
	obj, _ := srv.Object(id)
	assert.Equal(t, "Canceled", obj.State)
	assert.Equal(t, "buyer asked", obj.ReasonDescription)
	mustState(t, srv, a2.AuthorizationDetails.AmazonAuthorizationID, "Closed", "OrderReferenceCanceled")
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err), "canceling twice is refused (spec §3.1)")
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))

	// With a capture, cancel is refused; close keeps open authorizations
	// capturable and refunds possible.
	id2, auth2 := authorizedOrder(t, srv, c, "10.00")
	a3, err := c.Authorize(ctx, authorizeInput(id2, "third", "1.00"))
	require.NoError(t, err)
	capOut, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth2, CaptureReferenceID: "cc", CaptureAmount: eur("5.00")})
	require.NoError(t, err)
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id2})
	assert.Equal(t, amazonpay.ErrorInvalidCancelAttempt, apiCode(t, err))
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id2})
	require.NoError(t, err)
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id2})
	require.NoError(t, err, "closing twice is harmless")
	_, err = c.Authorize(ctx, authorizeInput(id2, "after-close", "1.00"))
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: a3.AuthorizationDetails.AmazonAuthorizationID, CaptureReferenceID: "late", CaptureAmount: eur("1.00")})
	require.NoError(t, err)
	_, err = c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capOut.CaptureDetails.AmazonCaptureID, RefundReferenceID: "rr", RefundAmount: eur("1.00")})
	require.NoError(t, err)

	// Draft objects can be neither canceled nor closed.
	draft := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: draft})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: draft})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))
	_, err = c.Authorize(ctx, authorizeInput(draft, "draft", "1.00"))
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
}

func TestUnknownIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-0000000-0000000"})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, e.Code)
	assert.Equal(t, 404, e.StatusCode)
	_, err = c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: "S02-0000000-0000000-A000000"})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	_, err = c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: "S02-0000000-0000000-C000000"})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	_, err = c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: "S02-0000000-0000000-R000000"})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	_, err = c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: "C02-0000000-0000000"})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: "C02-0000000-0000000", IDType: amazonpay.IDTypeBillingAgreement})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: "S02-0000000-0000000", IDType: amazonpay.IDTypeOrderReference})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiCode(t, err))
}

// TestTenAuthorizationsPerOrderReference: an order reference takes up to
// ten successful authorizations; declined ones do not count.
func TestTenAuthorizationsPerOrderReference(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "100.00")
	declined := authorizeInput(id, "declined", "1.00")
	declined.SellerAuthorizationNote = `{"SandboxSimulation":{"State":"Declined","ReasonCode":"ProcessingFailure"}}`
	out, err := c.Authorize(ctx, declined)
	require.NoError(t, err)
	require.Equal(t, amazonpay.AuthorizationState("Declined"), out.AuthorizationDetails.AuthorizationStatus.State)
	var first string
	for i := 0; i < 10; i++ {
		out, err := c.Authorize(ctx, authorizeInput(id, fmt.Sprintf("n%d", i), "1.00"))
		require.NoError(t, err)
		require.Equal(t, amazonpay.AuthorizationState("Open"), out.AuthorizationDetails.AuthorizationStatus.State)
		if i == 0 {
			first = out.AuthorizationDetails.AmazonAuthorizationID
		}
	}
	// Closing one does not make room: it was a successful authorization.
	_, err = c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: first})
	require.NoError(t, err)
	_, err = c.Authorize(ctx, authorizeInput(id, "n10", "1.00"))
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorTransactionCountExceeded, e.Code)
	assert.Equal(t, 400, e.StatusCode)
	mustState(t, srv, id, "Open", "")
	assert.Equal(t, 11, srv.MoneyMovements().Authorizations)
	// A retry of one of the ten is still answered.
	_, err = c.Authorize(ctx, authorizeInput(id, "n9", "1.00"))
	require.NoError(t, err)
}
