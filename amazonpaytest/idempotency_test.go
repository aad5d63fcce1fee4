package amazonpaytest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resultOf returns the <Action>Result element of a raw response: the part
// of a reply that a retry must repeat byte for byte (the RequestId differs).
func resultOf(t *testing.T, raw []byte, action string) string {
	t.Helper()
	s := string(raw)
	i, j := strings.Index(s, "<"+action+"Result>"), strings.Index(s, "</"+action+"Result>")
	require.True(t, i >= 0 && j > i, "no %sResult in %s", action, s)
	return s[i : j+len("</"+action+"Result>")]
}

// TestRetryReplaysOriginalResult: the same reference id with the same
// parameters answers the original reply, not the object's state now.
func TestRetryReplaysOriginalResult(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "50.00")

	// A synchronous authorization, later captured: the retry still shows it
	// Open with nothing captured.
	first, err := c.Authorize(ctx, authorizeInput(id, "auth-1", "10.50"))
	require.NoError(t, err)
	authID := first.AuthorizationDetails.AmazonAuthorizationID
	require.Equal(t, amazonpay.AuthorizationState("Open"), first.AuthorizationDetails.AuthorizationStatus.State)
	capIn := &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap-1", CaptureAmount: eur("10.50")}
	capOut, err := c.Capture(ctx, capIn)
	require.NoError(t, err)
	mustState(t, srv, authID, "Closed", "MaxCapturesProcessed")

	again, err := c.Authorize(ctx, authorizeInput(id, "auth-1", "10.50"))
	require.NoError(t, err)
	assert.Equal(t, resultOf(t, first.RawXML, "Authorize"), resultOf(t, again.RawXML, "Authorize"))
	assert.Equal(t, amazonpay.AuthorizationState("Open"), again.AuthorizationDetails.AuthorizationStatus.State)
	assert.Empty(t, again.AuthorizationDetails.IDList.IDs())
	assert.NotEqual(t, first.RequestID, again.RequestID)

	// "10.5" is the amount "10.50": a retry, not another request.
	tenFive, err := c.Authorize(ctx, authorizeInput(id, "auth-1", "10.5"))
	require.NoError(t, err)
	assert.Equal(t, resultOf(t, first.RawXML, "Authorize"), resultOf(t, tenFive.RawXML, "Authorize"))
	_, err = c.Authorize(ctx, authorizeInput(id, "auth-1", "10.51"))
	assert.Equal(t, amazonpay.ErrorDuplicateRequest, apiCode(t, err))
	_, err = c.Authorize(ctx, authorizeInput(id, "auth-1", "1.05"))
	assert.Equal(t, amazonpay.ErrorDuplicateRequest, apiCode(t, err), "only trailing zeros of the fraction are dropped")

	// The capture, refunded later: the retry shows nothing refunded.
	refIn := &amazonpay.RefundInput{AmazonCaptureID: capOut.CaptureDetails.AmazonCaptureID, RefundReferenceID: "rf-1", RefundAmount: eur("2")}
	r1, err := c.Refund(ctx, refIn)
	require.NoError(t, err)
	srv.Advance(30 * time.Second)
	mustState(t, srv, r1.RefundDetails.AmazonRefundID, "Completed", "")
	cap2, err := c.Capture(ctx, capIn)
	require.NoError(t, err)
	assert.Equal(t, resultOf(t, capOut.RawXML, "Capture"), resultOf(t, cap2.RawXML, "Capture"))
	assert.Equal(t, "0", cap2.CaptureDetails.RefundedAmount.Amount)
	assert.Empty(t, cap2.CaptureDetails.IDList.IDs())

	// The refund, completed since: the retry is still Pending, and "2.00"
	// is the amount "2".
	refIn.RefundAmount = eur("2.00")
	r2, err := c.Refund(ctx, refIn)
	require.NoError(t, err)
	assert.Equal(t, resultOf(t, r1.RawXML, "Refund"), resultOf(t, r2.RawXML, "Refund"))
	assert.Equal(t, amazonpay.RefundState("Pending"), r2.RefundDetails.RefundStatus.State)

	// An asynchronous authorization: Pending when made, Pending on retry.
	async := &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "auth-async", AuthorizationAmount: eur("5.00")}
	a1, err := c.Authorize(ctx, async)
	require.NoError(t, err)
	srv.Advance(30 * time.Second)
	mustState(t, srv, a1.AuthorizationDetails.AmazonAuthorizationID, "Open", "")
	a2, err := c.Authorize(ctx, async)
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationState("Pending"), a2.AuthorizationDetails.AuthorizationStatus.State)
	assert.Equal(t, resultOf(t, a1.RawXML, "Authorize"), resultOf(t, a2.RawXML, "Authorize"))

	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 2, Captures: 1, Refunds: 1}, srv.MoneyMovements())
}

func TestRetryReplaysOriginalAuthorizeOnBillingAgreement(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	baID := confirmedBillingAgreement(t, srv, c)
	in := &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID, AuthorizationReferenceID: "ba-1",
		AuthorizationAmount: eur("9.90"), TransactionTimeout: amazonpay.Int(0)}
	first, err := c.AuthorizeOnBillingAgreement(ctx, in)
	require.NoError(t, err)
	authID := first.AuthorizationDetails.AmazonAuthorizationID
	_, err = c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: authID})
	require.NoError(t, err)
	mustState(t, srv, authID, "Closed", "SellerClosed")

	in.AuthorizationAmount = eur("9.9")
	again, err := c.AuthorizeOnBillingAgreement(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, resultOf(t, first.RawXML, "AuthorizeOnBillingAgreement"), resultOf(t, again.RawXML, "AuthorizeOnBillingAgreement"))
	assert.Equal(t, amazonpay.AuthorizationState("Open"), again.AuthorizationDetails.AuthorizationStatus.State)
	assert.Equal(t, first.AmazonOrderReferenceID, again.AmazonOrderReferenceID)
	assert.Equal(t, 1, srv.MoneyMovements().Authorizations)
}
