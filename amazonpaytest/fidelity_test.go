package amazonpaytest_test

import (
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ListOrderReference takes every ISO 8601 form MWS documents for
// CreatedTimeRange, offsets applied: the order made at 12:31Z is inside
// each window and outside the ones that exclude it once the offset counts.
func TestListOrderReferenceISO8601Forms(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC)
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	c := srv.AmazonPay()
	sellerOrder(t, srv, c, "iso-1") // created at 12:31:00Z
	cases := []struct {
		from, to string
		found    int
	}{
		{"2026-03-10T12:30", "2026-03-10T12:32", 1},
		{"2026-03-10T12:30Z", "2026-03-10T12:32Z", 1},
		{"2026-03-10T12:30:59", "2026-03-10T12:31:01", 1},
		{"2026-03-10T12:30:59.5Z", "2026-03-10T12:31:00.5Z", 1},
		{"2026-03-10T12:30:59,5Z", "2026-03-10T12:31:00,5Z", 1},
		{"2026-03-10T13:30+01:00", "2026-03-10T13:32+01:00", 1},
		{"2026-03-10T14:30:00+0200", "2026-03-10T14:32:00.000+0200", 1},
		{"2026-03-10T11:30-01", "2026-03-10T11:32-01", 1},
		{"2026-03-10", "2026-03-11", 1},
		{"2026-03-10T12:30-01:00", "2026-03-10T14:00-01:00", 0}, // 13:30Z onwards
		{"2026-03-10T12:32", "2026-03-10T12:40Z", 0},
		{"2026-03-11", "2026-03-12", 0},
	}
	for _, tc := range cases {
		t.Run(tc.from+" "+tc.to, func(t *testing.T) {
			status, body := raw(t, srv, "ListOrderReference", "QueryId", "iso-1", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR",
				"CreatedTimeRange.StartTime", tc.from, "CreatedTimeRange.EndTime", tc.to)
			require.Equal(t, 200, status, body)
			var out amazonpay.ListOrderReferenceOutput
			require.NoError(t, xml.Unmarshal([]byte(body), &out))
			assert.Len(t, out.OrderReferences, tc.found)
		})
	}
	for _, bad := range []string{"2026-03-10T12", "10.03.2026", "2026-03-10 12:30", "2026-03-10T12:30+1"} {
		e := rawError(t, srv, 400, "ListOrderReference", "QueryId", "iso-1", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR",
			"CreatedTimeRange.StartTime", bad, "CreatedTimeRange.EndTime", "2026-03-11")
		assert.Equal(t, "InvalidParameterValue", e.Code, bad)
	}
}

// ConfirmBillingAgreement takes a SuccessUrl alone, in the EU too, and a
// failed challenge then returns the buyer to it (the billing agreement
// seed: "if not FailureUrl is set, the customer will also be redirected to
// this page if SCA was unsuccessful").
func TestConfirmBillingAgreementWithoutFailureURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t) // DE: SCA applies
	c := srv.AmazonPay()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	require.NoError(t, srv.SelectPaymentMethod(id, amazonpaytest.PaymentMethodSCAFail))
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id, SuccessURL: okURL})
	require.NoError(t, err)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, okURL+"?AuthenticationStatus=Failure", back.String())

	// ConfirmOrderReference still needs both in the EU.
	oro := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	e := rawError(t, srv, 400, "ConfirmOrderReference", "AmazonOrderReferenceId", oro, "SuccessUrl", okURL)
	assert.Equal(t, "MissingParameter", e.Code)
	assert.Contains(t, e.Message, "FailureUrl")
}

// GetMerchantNotificationConfiguration answers what the Set stored, in
// its order, through the SDK; before any Set the list is empty.
func TestMerchantNotificationConfigurationRoundTrip(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	got, err := c.GetMerchantNotificationConfiguration(ctx, &amazonpay.GetMerchantNotificationConfigurationInput{})
	require.NoError(t, err)
	assert.Empty(t, got.NotificationConfigurationList)

	want := amazonpay.NotificationConfigurationList{
		{NotificationURL: "https://shop.example/ipn/refunds", EventTypes: amazonpay.EventTypes{amazonpay.EventTypePaymentRefund, amazonpay.EventTypePaymentCapture}},
		{NotificationURL: "https://shop.example/ipn/all", EventTypes: amazonpay.EventTypes{amazonpay.EventTypeAll}},
	}
	_, err = c.SetMerchantNotificationConfiguration(ctx, &amazonpay.SetMerchantNotificationConfigurationInput{NotificationConfigurationList: want})
	require.NoError(t, err)
	got, err = c.GetMerchantNotificationConfiguration(ctx, &amazonpay.GetMerchantNotificationConfigurationInput{})
	require.NoError(t, err)
	assert.Equal(t, want, got.NotificationConfigurationList)
	assert.NotEmpty(t, got.RequestID)

	status, body := raw(t, srv, "GetMerchantNotificationConfiguration")
	require.Equal(t, 200, status)
	assert.Contains(t, body, "<GetMerchantNotificationConfigurationResult><NotificationConfigurationList><member>"+
		"<NotificationUrl>https://shop.example/ipn/refunds</NotificationUrl><EventTypes><member>PAYMENT_REFUND</member><member>PAYMENT_CAPTURE</member></EventTypes></member>")
}

// WithKeep bounds the request log: the oldest requests go first, the
// objects stay.
func TestWithKeepBoundsTheRequestLog(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithKeep(3))
	c := srv.AmazonPay()
	var ids []string
	for i := range 5 {
		ids = append(ids, sellerOrder(t, srv, c, fmt.Sprintf("keep-%d", i)))
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, "SetOrderReferenceDetails", r.Action)
		assert.Equal(t, ids[i+2], r.Params.Get("AmazonOrderReferenceId"), "the last three, oldest first")
		assert.Equal(t, fmt.Sprintf("keep-%d", i+2), r.Params.Get("OrderReferenceAttributes.SellerOrderAttributes.SellerOrderId"))
		assert.NotEmpty(t, r.Params.Get("Signature"))
	}
	out, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: ids[0]})
	require.NoError(t, err)
	assert.Equal(t, ids[0], out.OrderReferenceDetails.AmazonOrderReferenceID)
}
