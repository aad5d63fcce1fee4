package main

import (
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetSuspendedOrderReferenceSaysConfirmationFlowAgain(t *testing.T) {
	srv := newSandbox(t)
	id := openOrder(t, srv, "10.00")
	// The shop authorizes without sending the buyer through the flow: soft
	// decline, order reference Suspended with PaymentAuthorizationRequired.
	_, err := srv.AmazonPay().Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "a1",
		AuthorizationAmount: eur("10.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	require.Equal(t, "Suspended", srv.State(id))

	r := cli(t, srv, "", "get", id)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Suspended (PaymentAuthorizationRequired)")
	assert.Contains(t, r.stdout, "The buyer must pass the Confirmation Flow again")
	golden(t, "get-suspended.txt", r.stdout)

	r = cli(t, srv, "", "get", id, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "get-suspended.json", r.stdout)
}

func TestGetEveryKindByItsShape(t *testing.T) {
	srv := newSandbox(t)
	oro, auth := authorizedOrder(t, srv, "20.00")
	c := srv.AmazonPay()
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth, CaptureReferenceID: "c1", CaptureAmount: eur("20.00")})
	require.NoError(t, err)
	capID := cp.CaptureDetails.AmazonCaptureID
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "r1", RefundAmount: eur("5.00")})
	require.NoError(t, err)
	ba := openBillingAgreement(t, srv)

	for _, tc := range []struct{ id, kind, want string }{
		{oro, "Order reference", "Authorizations: " + auth},
		{auth, "Authorization", "Captures:            " + capID},
		{capID, "Capture", "Refunds:        " + rf.RefundDetails.AmazonRefundID},
		{rf.RefundDetails.AmazonRefundID, "Refund", "State:        Pending"},
		{ba, "Billing agreement", "It can be charged (amazonpay billing-run)."},
	} {
		r := cli(t, srv, "", "get", tc.id)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, tc.kind+" "+tc.id+"\n")
		assert.Contains(t, r.stdout, tc.want)
		assert.NotContains(t, r.stdout, amazonpayBuyerEmail)
	}
	r := cli(t, srv, "", "get", oro, "--tree")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "get-tree.txt", r.stdout)
	r = cli(t, srv, "", "get", oro, "--tree", "--json")
	golden(t, "get-tree.json", r.stdout)
}

func TestListAllPages(t *testing.T) {
	srv := newSandbox(t)
	c := srv.AmazonPay()
	var ids []string
	for range 3 {
		id := openOrder(t, srv, "3.00")
		_, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{AmazonOrderReferenceID: id,
			OrderAttributes: &amazonpay.OrderAttributes{SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "order-7"}}})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	r := cli(t, srv, "", "list", "--seller-order-id", "order-7", "--state", "Open", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	for _, id := range ids {
		assert.Contains(t, r.stdout, id)
	}
	r = cli(t, srv, "", "list", "--seller-order-id", "order-7")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "3 order reference(s)")
	golden(t, "list.txt", r.stdout)
	r = cli(t, srv, "", "list", "--seller-order-id", "order-7", "--state", "Bogus")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "OrderReferenceStatusListFilter.OrderReferenceStatus.1")
}

func TestStatus(t *testing.T) {
	srv := newSandbox(t)
	r := cli(t, srv, "", "status")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "status.txt", r.stdout)
	r = cli(t, srv, "", "status", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "status.json", r.stdout)
}

func TestGetProviderCredit(t *testing.T) {
	srv := newSandbox(t)
	_, auth := authorizedOrder(t, srv, "20.00")
	cp, err := srv.AmazonPay().Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth, CaptureReferenceID: "c1", CaptureAmount: eur("20.00"),
		ProviderCreditList: amazonpay.ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: eur("5.00")}}})
	require.NoError(t, err)
	require.NotEmpty(t, cp.CaptureDetails.ProviderCreditSummaryList)
	id := cp.CaptureDetails.ProviderCreditSummaryList[0].ProviderCreditID
	r := cli(t, srv, "", "get", id)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Provider credit "+id+"\n")
	assert.Contains(t, r.stdout, "CreditAmount:")
	assert.Contains(t, r.stdout, "5.00 EUR")
}
