package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documented elements that only some merchants or payments get.

func TestAllowListedBillingAddressAndPaymentReference(t *testing.T) {
	t.Parallel()
	billing := &amazonpay.Address{Name: "Test Buyer", AddressLine1: "Rechnungsweg 2", City: "Hamburg", PostalCode: "20095", CountryCode: "DE"}
	buyer := amazonpaytest.TestBuyer()
	buyer.BillingAddress = billing

	plain := newServer(t)
	id := plain.CreateOrderReference(buyer)
	d, err := plain.AmazonPay().GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: token(t, plain, id)})
	require.NoError(t, err)
	assert.Nil(t, d.OrderReferenceDetails.BillingAddress, "not for merchants that are not allow-listed")
	assert.Nil(t, d.OrderReferenceDetails.PaymentReference)

	srv := newServer(t, amazonpaytest.WithAllowListed())
	c := srv.AmazonPay()
	id = srv.CreateOrderReference(buyer)
	d, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Nil(t, d.OrderReferenceDetails.BillingAddress, "only with the buyer's access token")
	tok := token(t, srv, id)
	d, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: tok})
	require.NoError(t, err)
	require.NotNil(t, d.OrderReferenceDetails.BillingAddress)
	assert.Equal(t, "Physical", d.OrderReferenceDetails.BillingAddress.AddressType)
	assert.Equal(t, "Rechnungsweg 2", d.OrderReferenceDetails.BillingAddress.PhysicalAddress.AddressLine1)
	require.NotNil(t, d.OrderReferenceDetails.PaymentReference)
	static := d.OrderReferenceDetails.PaymentReference.StaticToken
	assert.NotEmpty(t, static)
	d, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: tok})
	require.NoError(t, err)
	assert.Equal(t, static, d.OrderReferenceDetails.PaymentReference.StaticToken, "stable")

	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer()) // no BillingAddress: the shipping address serves
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID, AccessToken: token(t, srv, baID)})
	require.NoError(t, err)
	require.NotNil(t, ba.BillingAgreementDetails.BillingAddress)
	assert.Equal(t, "Teststr. 1", ba.BillingAgreementDetails.BillingAddress.PhysicalAddress.AddressLine1)

	// Authorizations carry AuthorizationBillingAddress.
	oro := srv.CreateOrderReference(buyer)
	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("10.00")}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: oro, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), oro)
	require.NoError(t, err)
	a, err := c.Authorize(ctx, authorizeInput(oro, "a", "10.00"))
	require.NoError(t, err)
	require.NotNil(t, a.AuthorizationDetails.AuthorizationBillingAddress)
	assert.Equal(t, "Hamburg", a.AuthorizationDetails.AuthorizationBillingAddress.City)
	_, plainAuth := authorizedOrder(t, plain, plain.AmazonPay(), "10.00")
	pa, err := plain.AmazonPay().GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: plainAuth})
	require.NoError(t, err)
	assert.Nil(t, pa.AuthorizationDetails.AuthorizationBillingAddress)
}

func TestProviderCreditSummaries(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "100.00")
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("100.00"),
		ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: eur("5.00")}, {ProviderID: "A2PROVIDER", CreditAmount: eur("1.00")}}})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	assert.Equal(t, []amazonpay.ProviderCreditSummary{{ProviderID: "A1PROVIDER", ProviderCreditID: capID + "-P01"},
		{ProviderID: "A2PROVIDER", ProviderCreditID: capID + "-P02"}}, cp.CaptureDetails.ProviderCreditSummaryList)

	srv.Advance(30 * time.Second) // the credits complete
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "ref", RefundAmount: eur("10.00"),
		ProviderCreditReversalList: amazonpay.ProviderCreditReversalList{{ProviderID: "A1PROVIDER", CreditReversalAmount: eur("0.50")}}})
	require.NoError(t, err)
	refundID := rf.RefundDetails.AmazonRefundID
	assert.Equal(t, []amazonpay.ProviderCreditReversalSummary{{ProviderID: "A1PROVIDER", ProviderCreditReversalID: refundID + "-V01"}},
		rf.RefundDetails.ProviderCreditReversalSummaryList)

	// Without credits the lists are left out; a credit in another currency is refused.
	_, plainAuth := authorizedOrder(t, srv, c, "10.00")
	e := rawError(t, srv, 400, "Capture", "AmazonAuthorizationId", plainAuth, "CaptureReferenceId", "gbp",
		"CaptureAmount.Amount", "10.00", "CaptureAmount.CurrencyCode", "EUR",
		"ProviderCreditList.member.1.ProviderId", "A1PROVIDER",
		"ProviderCreditList.member.1.CreditAmount.Amount", "1.00", "ProviderCreditList.member.1.CreditAmount.CurrencyCode", "GBP")
	assert.Equal(t, "CurrencyMismatch", e.Code)
	status, body := raw(t, srv, "Capture", "AmazonAuthorizationId", plainAuth, "CaptureReferenceId", "none",
		"CaptureAmount.Amount", "10.00", "CaptureAmount.CurrencyCode", "EUR")
	require.Equal(t, 200, status, body)
	assert.NotContains(t, body, "ProviderCreditSummaryList")
}

func TestMultiCurrencyConversion(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	usd := func(a string) *amazonpay.Price { return &amazonpay.Price{Amount: a, CurrencyCode: "USD"} }
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	require.NoError(t, srv.SelectCurrency(id, "USD"))
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: usd("100.00")}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	a, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "usd",
		AuthorizationAmount: usd("100.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: a.AuthorizationDetails.AmazonAuthorizationID,
		CaptureReferenceID: "usd", CaptureAmount: usd("100.00")})
	require.NoError(t, err)
	require.NotNil(t, cp.CaptureDetails.ConvertedAmount)
	assert.Equal(t, amazonpay.Price{Amount: "92.00", CurrencyCode: "EUR"}, *cp.CaptureDetails.ConvertedAmount)
	assert.Equal(t, "0.9200000000", cp.CaptureDetails.ConversionRate)
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: cp.CaptureDetails.AmazonCaptureID, RefundReferenceID: "usd", RefundAmount: usd("10.01")})
	require.NoError(t, err)
	require.NotNil(t, rf.RefundDetails.ConvertedAmount)
	assert.Equal(t, amazonpay.Price{Amount: "9.21", CurrencyCode: "EUR"}, *rf.RefundDetails.ConvertedAmount, "9.2092 rounds to 9.21")
	srv.Advance(time.Minute)

	// In the ledger currency nothing is converted.
	_, authID := authorizedOrder(t, srv, c, "10.00")
	cp, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "eur", CaptureAmount: eur("10.00")})
	require.NoError(t, err)
	assert.Nil(t, cp.CaptureDetails.ConvertedAmount)
	assert.Empty(t, cp.CaptureDetails.ConversionRate)
}

// Provider credits and their reversals, through the provider-credit
// operations.
func TestProviderCredits(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithDelegatedSeller("A1PROVIDER", "amzn.mws.provider"))
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "100.00")
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("100.00"),
		ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: eur("5.00")}, {ProviderID: "A2OTHER", CreditAmount: eur("2.00")}}})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	creditID := cp.CaptureDetails.ProviderCreditSummaryList[0].ProviderCreditID
	credit := func(opts ...amazonpay.CallOption) amazonpay.ProviderCreditDetails {
		t.Helper()
		out, err := c.GetProviderCreditDetails(ctx, &amazonpay.GetProviderCreditDetailsInput{AmazonProviderCreditID: creditID}, opts...)
		require.NoError(t, err)
		return out.ProviderCreditDetails
	}
	d := credit()
	assert.Equal(t, amazonpay.ProviderCreditPending, d.CreditStatus.State)
	assert.Equal(t, "A1PROVIDER", d.ProviderID)
	assert.Equal(t, srv.SellerID(), d.SellerID)
	assert.Equal(t, "cap", d.CreditReferenceID)
	assert.Equal(t, "5.00", d.CreditAmount.Amount)
	_, err = c.ReverseProviderCredit(ctx, &amazonpay.ReverseProviderCreditInput{AmazonProviderCreditID: creditID,
		CreditReversalReferenceID: "early", CreditReversalAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorInvalidParameterValue, apiCode(t, err), "a Pending credit")
	srv.Advance(30 * time.Second)
	d = credit(amazonpay.WithSellerID("A1PROVIDER"), amazonpay.WithMWSAuthToken("amzn.mws.provider"))
	assert.Equal(t, amazonpay.ProviderCreditCompleted, d.CreditStatus.State, "the provider sees it too")

	// A refund reverses part; ReverseProviderCredit the rest.
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "ref", RefundAmount: eur("10.00"),
		ProviderCreditReversalList: amazonpay.ProviderCreditReversalList{{ProviderID: "A1PROVIDER", CreditReversalAmount: eur("2.00")}}})
	require.NoError(t, err)
	viaRefund := rf.RefundDetails.ProviderCreditReversalSummaryList[0].ProviderCreditReversalID
	_, err = c.ReverseProviderCredit(ctx, &amazonpay.ReverseProviderCreditInput{AmazonProviderCreditID: creditID,
		CreditReversalReferenceID: "too-much", CreditReversalAmount: eur("3.01")})
	assert.Equal(t, amazonpay.ErrorTransactionAmountExceeded, apiCode(t, err))
	rv, err := c.ReverseProviderCredit(ctx, &amazonpay.ReverseProviderCreditInput{AmazonProviderCreditID: creditID,
		CreditReversalReferenceID: "rest", CreditReversalAmount: eur("3.00"), CreditReversalNote: "returned"})
	require.NoError(t, err)
	rd := rv.ProviderCreditReversalDetails
	assert.Equal(t, amazonpay.ProviderCreditPending, rd.CreditReversalStatus.State)
	assert.Equal(t, creditID+"-V02", rd.AmazonProviderCreditReversalID)
	assert.Equal(t, "returned", rd.CreditReversalNote)
	again, err := c.ReverseProviderCredit(ctx, &amazonpay.ReverseProviderCreditInput{AmazonProviderCreditID: creditID,
		CreditReversalReferenceID: "rest", CreditReversalAmount: eur("3.00"), CreditReversalNote: "returned"})
	require.NoError(t, err)
	assert.Equal(t, rd.AmazonProviderCreditReversalID, again.ProviderCreditReversalDetails.AmazonProviderCreditReversalID, "idempotent")
	srv.Advance(30 * time.Second)
	for _, id := range []string{viaRefund, rd.AmazonProviderCreditReversalID} {
		out, err := c.GetProviderCreditReversalDetails(ctx, &amazonpay.GetProviderCreditReversalDetailsInput{AmazonProviderCreditReversalID: id})
		require.NoError(t, err)
		assert.Equal(t, amazonpay.ProviderCreditCompleted, out.ProviderCreditReversalDetails.CreditReversalStatus.State, id)
	}
	d = credit()
	assert.Equal(t, amazonpay.ProviderCreditClosed, d.CreditStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxAmountReversed, d.CreditStatus.ReasonCode)
	assert.Equal(t, "5.00", d.CreditReversalAmount.Amount)
	assert.Equal(t, []string{viaRefund, rd.AmazonProviderCreditReversalID}, d.CreditReversalIDList.IDs())

	// Amazon declines a credit (and a reversal) while Pending.
	_, auth2 := authorizedOrder(t, srv, c, "10.00")
	cp2, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth2, CaptureReferenceID: "cap2", CaptureAmount: eur("10.00"),
		ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: eur("1.00")}}})
	require.NoError(t, err)
	declined := cp2.CaptureDetails.ProviderCreditSummaryList[0].ProviderCreditID
	require.NoError(t, srv.AmazonDeclineProviderCredit(declined))
	out, err := c.GetProviderCreditDetails(ctx, &amazonpay.GetProviderCreditDetailsInput{AmazonProviderCreditID: declined})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ProviderCreditDeclined, out.ProviderCreditDetails.CreditStatus.State)
	assert.Equal(t, amazonpay.ReasonProcessingFailure, out.ProviderCreditDetails.CreditStatus.ReasonCode)
	assert.ErrorIs(t, srv.AmazonDeclineProviderCredit(declined), amazonpaytest.ErrState)
	cp3, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: mustAuthorize(t, srv, c), CaptureReferenceID: "cap3",
		CaptureAmount: eur("10.00"), ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: eur("1.00")}}})
	require.NoError(t, err)
	srv.Advance(30 * time.Second)
	rv, err = c.ReverseProviderCredit(ctx, &amazonpay.ReverseProviderCreditInput{AmazonProviderCreditID: cp3.CaptureDetails.ProviderCreditSummaryList[0].ProviderCreditID,
		CreditReversalReferenceID: "decl", CreditReversalAmount: eur("1.00")})
	require.NoError(t, err)
	require.NoError(t, srv.AmazonDeclineProviderCredit(rv.ProviderCreditReversalDetails.AmazonProviderCreditReversalID))
	r2, err := c.GetProviderCreditReversalDetails(ctx, &amazonpay.GetProviderCreditReversalDetailsInput{
		AmazonProviderCreditReversalID: rv.ProviderCreditReversalDetails.AmazonProviderCreditReversalID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ProviderCreditDeclined, r2.ProviderCreditReversalDetails.CreditReversalStatus.State)
	assert.Equal(t, amazonpay.ReasonProcessingFailure, r2.ProviderCreditReversalDetails.CreditReversalStatus.ReasonCode)

	// Unknown ids, and a third seller, get InvalidTransactionId.
	_, err = c.GetProviderCreditDetails(ctx, &amazonpay.GetProviderCreditDetailsInput{AmazonProviderCreditID: "S02-0000000-0000000-C000000-P01"})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	assert.ErrorIs(t, srv.AmazonDeclineProviderCredit("nope"), amazonpaytest.ErrNotFound)
}

// mustAuthorize is a fresh authorized order's authorization id.
func mustAuthorize(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) string {
	t.Helper()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	return authID
}
