package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStaleDraftRevealsNoMore: an order reference or billing agreement
// that went stale was never confirmed, so without an access token it shows
// only City, StateOrRegion, PostalCode and CountryCode, and no buyer.
func TestStaleDraftRevealsNoMore(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	oro := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	ba := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	srv.Advance(3 * time.Hour)
	mustState(t, srv, oro, "Canceled", "Stale")
	mustState(t, srv, ba, "Canceled", "Stale")

	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro})
	require.NoError(t, err)
	d := got.OrderReferenceDetails
	assert.Nil(t, d.Buyer)
	require.NotNil(t, d.Destination)
	assert.Equal(t, amazonpay.Address{City: "Berlin", PostalCode: "10115", CountryCode: "DE"}, *d.Destination.PhysicalDestination)
	gotBA, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: ba})
	require.NoError(t, err)
	assert.Nil(t, gotBA.BillingAgreementDetails.Buyer)
	assert.Equal(t, amazonpay.Address{City: "Berlin", PostalCode: "10115", CountryCode: "DE"}, *gotBA.BillingAgreementDetails.Destination.PhysicalDestination)

	// With an access token, everything.
	got, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro, AccessToken: token(t, srv, oro)})
	require.NoError(t, err)
	require.NotNil(t, got.OrderReferenceDetails.Buyer)
	assert.Equal(t, "Teststr. 1", got.OrderReferenceDetails.Destination.PhysicalDestination.AddressLine1)
}

// TestTextXMLCannotCarry: text with characters XML 1.0 cannot carry is
// refused, not silently changed on the way back.
func TestTextXMLCannotCarry(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	for _, bad := range []string{"a\uFFFEb", "a\uFFFFb", "a\x00b", "a\x1bb"} {
		e := rawError(t, srv, 400, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
			"OrderReferenceAttributes.OrderTotal.Amount", "1.00", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR",
			"OrderReferenceAttributes.SellerNote", bad)
		assert.Equal(t, "InvalidParameterValue", e.Code, "%q", bad)
	}
	// What XML can carry comes back as it was sent.
	note := "tab\tnl\ncr\r \u00e9 \U0001F600 \u007f <&>"
	status, body := raw(t, srv, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
		"OrderReferenceAttributes.OrderTotal.Amount", "1.00", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR",
		"OrderReferenceAttributes.SellerNote", note)
	require.Equal(t, 200, status, body)
	got, err := srv.AmazonPay().GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Equal(t, note, got.OrderReferenceDetails.SellerNote)
}
