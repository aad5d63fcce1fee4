package amazonpay

import (
	"context"
	"encoding/xml"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetServiceStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, fixtureResponder(t, 200, "GetServiceStatusResponse.xml"),
		fixtureResponder(t, 200, "GetServiceStatusGreenResponse.xml"))
	ctx := context.Background()

	out, err := c.GetServiceStatus(ctx, &GetServiceStatusInput{})
	require.NoError(t, err)
	assertRequest(t, rec, "GetServiceStatus")
	assert.Equal(t, withCommonKeys(), formKeys(rec.body(0)), "no parameters of its own")

	assert.Equal(t, "d80c6c7b-f7c7-4fa7-bdd7-854711cb3bcc", out.RequestID)
	assert.Equal(t, ServiceGreenI, out.Status)
	assert.Equal(t, time.Date(2026, 11, 22, 9, 55, 30, 504e6, time.UTC), out.Timestamp)
	assert.Equal(t, "173964729I", out.MessageID)
	assert.Equal(t, []ServiceMessage{
		{Locale: "en_US", Text: "We are experiencing elevated latency in the EU sandbox."},
		{Locale: "de_DE", Text: "Erhöhte Antwortzeiten in der EU-Sandbox."},
	}, out.Messages)

	out, err = c.GetServiceStatus(ctx, &GetServiceStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, ServiceGreen, out.Status)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), out.Timestamp)
	assert.Empty(t, out.MessageID)
	assert.Empty(t, out.Messages)
}

func TestGetMerchantAccountStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, fixtureResponder(t, 200, "GetMerchantAccountStatusResponse.xml"),
		fixtureResponder(t, 200, "GetMerchantAccountStatusInactiveResponse.xml"))
	ctx := context.Background()

	out, err := c.GetMerchantAccountStatus(ctx, &GetMerchantAccountStatusInput{})
	require.NoError(t, err)
	assertRequest(t, rec, "GetMerchantAccountStatus")
	assert.Equal(t, withCommonKeys(), formKeys(rec.body(0)))
	assert.Equal(t, AccountActive, out.AccountStatus)
	assert.Equal(t, "b0a1b2c3-0000-4000-8000-000000000060", out.RequestID)

	out, err = c.GetMerchantAccountStatus(ctx, &GetMerchantAccountStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, AccountInactive, out.AccountStatus)
}

func TestGetMerchantAccountStatusUnauthorizedSolutionProvider(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, http.StatusUnauthorized, "GetMerchantAccountStatusError.xml")

	out, err := c.GetMerchantAccountStatus(context.Background(), &GetMerchantAccountStatusInput{},
		WithSellerID("A2OTHERSELLER"), WithMWSAuthToken("amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"))
	assert.Nil(t, out)
	apiErr := requireAPIError(t, err, rec, 401, ErrorUnauthorizedSolutionProvider)
	assert.Equal(t, "GetMerchantAccountStatus", apiErr.Operation)
	assert.Equal(t, "b0a1b2c3-0000-4000-8000-000000000401", apiErr.RequestID)
	form := rec.form(t, 0)
	assert.Equal(t, "A2OTHERSELLER", form.Get("SellerId"))
	assert.Equal(t, "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", form.Get("MWSAuthToken"))
}

func TestGetMerchantNotificationConfiguration(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetMerchantNotificationConfigurationResponse.xml")

	out, err := c.GetMerchantNotificationConfiguration(context.Background(), &GetMerchantNotificationConfigurationInput{})
	require.NoError(t, err)
	assertRequest(t, rec, "GetMerchantNotificationConfiguration")
	assert.Equal(t, withCommonKeys(), formKeys(rec.body(0)))

	assert.Equal(t, "7ccba952-b840-4b5b-bd3c-5585c574b981", out.RequestID)
	assert.Equal(t, NotificationConfigurationList{
		{NotificationURL: "https://shop.example/amazon/ipn", EventTypes: EventTypes{EventTypePaymentCapture}},
		{NotificationURL: "https://ops.shop.example/amazon/ipn",
			// "ORDER_REFERENCE,PAYMENT_AUTHORIZE" in one member is split.
			EventTypes: EventTypes{EventTypeOrderReference, EventTypePaymentAuthorize, EventTypePaymentRefund}},
	}, out.NotificationConfigurationList)
}

func TestEventTypesUnmarshalXML(t *testing.T) {
	t.Parallel()
	var got struct {
		EventTypes EventTypes `xml:"EventTypes"`
	}
	require.NoError(t, xml.Unmarshal([]byte(`<x><EventTypes><member> ALL , ,NEW_KIND</member><member></member></EventTypes></x>`), &got))
	assert.Equal(t, EventTypes{EventTypeAll, "NEW_KIND"}, got.EventTypes, "trimmed, empty parts dropped, unknown kept")
}

func TestSetMerchantNotificationConfiguration(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "SetMerchantNotificationConfigurationResponse.xml")

	out, err := c.SetMerchantNotificationConfiguration(context.Background(), &SetMerchantNotificationConfigurationInput{
		NotificationConfigurationList: NotificationConfigurationList{
			{NotificationURL: "https://dev.null/one", EventTypes: EventTypes{EventTypeOrderReference, EventTypePaymentAuthorize}},
			{NotificationURL: "https://dev.null/two", EventTypes: EventTypes{EventTypeAll}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "7ccba952-b840-4b5b-bd3c-5585c574b982", out.RequestID, "a response without a Result element")
	form := assertRequest(t, rec, "SetMerchantNotificationConfiguration")
	// The PHP SDK test vector.
	const p = "NotificationConfigurationList.NotificationConfiguration."
	assert.Equal(t, withCommonKeys(p+"1.EventTypes.EventTypeList.1", p+"1.EventTypes.EventTypeList.2", p+"1.NotificationUrl",
		p+"2.EventTypes.EventTypeList.1", p+"2.NotificationUrl"), formKeys(rec.body(0)))
	assert.Equal(t, "https://dev.null/one", form.Get(p+"1.NotificationUrl"))
	assert.Equal(t, "ORDER_REFERENCE", form.Get(p+"1.EventTypes.EventTypeList.1"))
	assert.Equal(t, "PAYMENT_AUTHORIZE", form.Get(p+"1.EventTypes.EventTypeList.2"))
	assert.Equal(t, "https://dev.null/two", form.Get(p+"2.NotificationUrl"))
	assert.Equal(t, "ALL", form.Get(p+"2.EventTypes.EventTypeList.1"))
}

func TestMerchantOperationsValidation(t *testing.T) {
	t.Parallel()
	set := func(l NotificationConfigurationList) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.SetMerchantNotificationConfiguration(ctx, &SetMerchantNotificationConfigurationInput{NotificationConfigurationList: l})
			return err
		}
	}
	const p = "NotificationConfigurationList.NotificationConfiguration."
	all := EventTypes{EventTypeAll}
	runOpValidationCases(t, []opValidationCase{
		{"service status: nil input", "input", "is nil", func(ctx context.Context, c *Client) error {
			_, err := c.GetServiceStatus(ctx, nil)
			return err
		}},
		{"account status: bad seller id", "SellerId", "contains the control character", func(ctx context.Context, c *Client) error {
			_, err := c.GetMerchantAccountStatus(ctx, &GetMerchantAccountStatusInput{}, WithSellerID("A1\x00"))
			return err
		}},
		{"get notification configuration: nil input", "input", "is nil", func(ctx context.Context, c *Client) error {
			_, err := c.GetMerchantNotificationConfiguration(ctx, nil)
			return err
		}},
		{"set: empty list", "NotificationConfigurationList", "set at least one notification configuration", set(nil)},
		{"set: missing url", p + "1.NotificationUrl", "is required", set(NotificationConfigurationList{{EventTypes: all}})},
		{"set: http url", p + "2.NotificationUrl", `"http://shop.example/ipn" must be an https URL`, set(NotificationConfigurationList{
			{NotificationURL: "https://shop.example/ipn", EventTypes: all},
			{NotificationURL: "http://shop.example/ipn", EventTypes: all},
		})},
		{"set: http loopback url", p + "1.NotificationUrl", "must be an https URL", set(NotificationConfigurationList{
			{NotificationURL: "http://127.0.0.1:8080/ipn", EventTypes: all},
		})},
		{"set: relative url", p + "1.NotificationUrl", "is not an absolute URL", set(NotificationConfigurationList{{NotificationURL: "/ipn", EventTypes: all}})},
		{"set: no event types", p + "1.EventTypes", "set at least one event type", set(NotificationConfigurationList{{NotificationURL: "https://shop.example/ipn"}})},
		{"set: unknown event type", p + "1.EventTypes.EventTypeList.2", `"PAYMENT_CHARGE" is not one of`, set(NotificationConfigurationList{
			{NotificationURL: "https://shop.example/ipn", EventTypes: EventTypes{EventTypeAll, "PAYMENT_CHARGE"}},
		})},
		{"set: lower-case event type", p + "1.EventTypes.EventTypeList.1", `"all" is not one of`, set(NotificationConfigurationList{
			{NotificationURL: "https://shop.example/ipn", EventTypes: EventTypes{"all"}},
		})},
		{"set: empty event type", p + "1.EventTypes.EventTypeList.1", "is required", set(NotificationConfigurationList{
			{NotificationURL: "https://shop.example/ipn", EventTypes: EventTypes{""}},
		})},
	})
}
