package amazonpaytest_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSCAAuthenticatedAmountBindsAuthorize: the buyer authenticates
// ConfirmOrderReference's AuthorizationAmount (or the OrderTotal); an
// Authorize above it is declined as one without authentication.
func TestSCAAuthenticatedAmountBindsAuthorize(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	confirm := func(id string, withFlow bool, amount *amazonpay.Price) {
		t.Helper()
		in := &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL, AuthorizationAmount: amount}
		if withFlow {
			in.SuccessURL, in.FailureURL = okURL, failURL
		}
		_, err := c.ConfirmOrderReference(ctx, in)
		require.NoError(t, err)
		if withFlow {
			back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
			require.NoError(t, err)
			require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
		}
	}
	order := func(method amazonpaytest.PaymentMethod, total string, amount *amazonpay.Price) string {
		t.Helper()
		buyer := amazonpaytest.TestBuyer()
		buyer.PaymentMethod = method
		id := srv.CreateOrderReference(buyer)
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur(total)}})
		require.NoError(t, err)
		confirm(id, true, amount)
		return id
	}
	authorize := func(id, ref, amount string) amazonpay.AuthorizationDetails {
		t.Helper()
		out, err := c.Authorize(ctx, authorizeInput(id, ref, amount))
		require.NoError(t, err)
		return out.AuthorizationDetails
	}
	sca := amazonpaytest.PaymentMethodSCAPass

	// 80.00 of 100.00 authenticated: 80.01 is a soft decline.
	id := order(sca, "100.00", eur("80.00"))
	ad := authorize(id, "over", "80.01")
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), ad.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, ad.AuthorizationStatus.ReasonCode)
	assert.True(t, ad.SoftDecline)
	assert.Contains(t, ad.AuthorizationStatus.ReasonDescription, "80.00 EUR")
	mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")
	// The shop confirms the larger amount; the buyer authenticates again.
	confirm(id, true, eur("90.00"))
	ad = authorize(id, "again", "90.00")
	assert.Equal(t, amazonpay.AuthorizationState("Open"), ad.AuthorizationStatus.State)

	// Up to the authenticated amount is fine, each authorization alone.
	id = order(sca, "100.00", eur("80.00"))
	assert.Equal(t, amazonpay.AuthorizationState("Open"), authorize(id, "part1", "80.00").AuthorizationStatus.State)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), authorize(id, "part2", "20.00").AuthorizationStatus.State)

	// Without AuthorizationAmount the OrderTotal is what was authenticated.
	id = order(sca, "100.00", nil)
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), authorize(id, "total-over", "100.01").AuthorizationStatus.State)
	mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")
	id = order(sca, "100.00", nil)
	assert.Equal(t, amazonpay.AuthorizationState("Open"), authorize(id, "total", "100.00").AuthorizationStatus.State)

	// A confirmation without the flow does not raise the authenticated amount.
	id = order(sca, "100.00", eur("50.00"))
	confirm(id, false, eur("100.00"))
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), authorize(id, "sneaky", "60.00").AuthorizationStatus.State)
	mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")

	// In the EU any card may be challenged: the amount binds for every one.
	id = order(amazonpaytest.PaymentMethodOK, "100.00", eur("10.00"))
	assert.Equal(t, amazonpay.AuthorizationState("Declined"), authorize(id, "no-challenge", "20.00").AuthorizationStatus.State)
	assert.Equal(t, 8, srv.MoneyMovements().Authorizations)
}
