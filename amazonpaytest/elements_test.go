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
