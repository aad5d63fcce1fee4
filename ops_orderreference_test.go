package amazonpay

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetOrderReferenceDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetOrderReferenceDetailsResponse.xml")
	ctx := context.Background()

	out, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		AccessToken:            "Atza|IwEBIExampleAccessToken",
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "GetOrderReferenceDetails")
	assert.Equal(t, "S02-1234567-7654321", form.Get("AmazonOrderReferenceId"))
	assert.Equal(t, "Atza|IwEBIExampleAccessToken", form.Get("AccessToken"))
	assert.NotContains(t, form, "AddressConsentToken")

	assert.Equal(t, "373eb307-5f37-468c-b6ba-1ef578ac2f51", out.RequestID)
	assert.Equal(t, fixture(t, "GetOrderReferenceDetailsResponse.xml"), out.RawXML)
	d := out.OrderReferenceDetails
	assert.Equal(t, "S02-1234567-7654321", d.AmazonOrderReferenceID)
	assert.Equal(t, OrderReferenceOpen, d.OrderReferenceStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 2, 5, 123e6, time.UTC), d.OrderReferenceStatus.LastUpdateTimestamp)
	assert.Empty(t, d.OrderReferenceStatus.ReasonCode)
	assert.Equal(t, &Price{Amount: "42.50", CurrencyCode: "EUR"}, d.OrderTotal)
	assert.Equal(t, &Buyer{Name: "Test Buyer", Email: "buyer@example.com", Phone: "+49 30 1234567"}, d.Buyer)
	assert.Equal(t, &Address{Name: "Test Buyer", AddressLine1: "Teststr. 1", AddressLine2: "3. OG", City: "Berlin",
		PostalCode: "10115", CountryCode: "DE", Phone: "+49 30 1234567"}, d.Destination.PhysicalDestination)
	assert.Equal(t, "Physical", d.BillingAddress.AddressType)
	assert.Equal(t, "Rechnungsweg 7", d.BillingAddress.PhysicalAddress.AddressLine1)
	assert.Equal(t, &PaymentDescriptor{FullDescriptor: "Amazon Pay (Visa **11)"}, d.PaymentDescriptor)
	assert.Equal(t, "z50RVvXyKBkhRX40zy2VazJIfJBRmhGF32FUW9Np6PU=", d.PaymentReference.StaticToken)
	assert.Equal(t, `{"AirlineMetaData" : {"version": 1.0}}`, d.SellerOrderAttributes.SupplementaryData)
	assert.Equal(t, []string{"S02-1234567-7654321-A000001", "S02-1234567-7654321-A000002"}, d.IDList.IDs())
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), d.CreationTimestamp)
	assert.Equal(t, time.Date(2027, 5, 21, 10, 0, 0, 0, time.UTC), d.ExpirationTimestamp)
	assert.False(t, d.RequestPaymentAuthorization)
	assert.Nil(t, d.PaymentAuthenticationStatus)
	assert.Empty(t, d.Constraints)

	// The legacy token is sent under its own name, and only it.
	_, err = c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		AddressConsentToken:    "Atza|IwEBILegacyToken",
	})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AddressConsentToken", "AmazonOrderReferenceId"), formKeys(rec.body(1)))
	assert.Equal(t, "Atza|IwEBILegacyToken", rec.form(t, 1).Get("AddressConsentToken"))

	// Without a token, neither is sent.
	_, err = c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId"), formKeys(rec.body(2)))
}

func setOrderReferenceDetailsInput() *SetOrderReferenceDetailsInput {
	return &SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderReferenceAttributes: &OrderReferenceAttributes{
			OrderTotal: &Price{Amount: "42.50"},
			PlatformID: "A1PLATFORM",
			SellerNote: "Thank you for your order",
			SellerOrderAttributes: &SellerOrderAttributes{
				SellerOrderID:       "order-1001",
				StoreName:           "Demo Shop",
				CustomInformation:   "gift",
				SupplementaryData:   `{"AirlineMetaData" : {"version": 1.0}}`,
				OrderItemCategories: OrderItemCategories{"Antiques"},
			},
			RequestPaymentAuthorization: Bool(true),
		},
	}
}

func TestSetOrderReferenceDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "SetOrderReferenceDetailsResponse.xml")

	out, err := c.SetOrderReferenceDetails(context.Background(), setOrderReferenceDetailsInput())
	require.NoError(t, err)
	form := assertRequest(t, rec, "SetOrderReferenceDetails")
	assert.Equal(t, "42.50", form.Get("OrderReferenceAttributes.OrderTotal.Amount"))
	assert.Equal(t, "EUR", form.Get("OrderReferenceAttributes.OrderTotal.CurrencyCode"), "currency from the region")
	assert.Equal(t, "A1PLATFORM", form.Get("OrderReferenceAttributes.PlatformId"))
	assert.Equal(t, "true", form.Get("OrderReferenceAttributes.RequestPaymentAuthorization"))
	assert.Equal(t, "Antiques", form.Get("OrderReferenceAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.1"))
	assert.Equal(t, `{"AirlineMetaData" : {"version": 1.0}}`, form.Get("OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData"))
	assert.Equal(t, "order-1001", form.Get("OrderReferenceAttributes.SellerOrderAttributes.SellerOrderId"))
	assert.NotContains(t, form, "PlatformId")

	d := out.OrderReferenceDetails
	assert.Equal(t, "5f20169b-7ab2-11df-bcef-d35615e2b044", out.RequestID)
	assert.Equal(t, OrderReferenceDraft, d.OrderReferenceStatus.State)
	assert.True(t, d.OrderReferenceStatus.LastUpdateTimestamp.IsZero())
	assert.Equal(t, "A1PLATFORM", d.PlatformID)
	assert.True(t, d.RequestPaymentAuthorization)
	assert.Equal(t, OrderItemCategories{"Antiques"}, d.SellerOrderAttributes.OrderItemCategories)
	assert.Equal(t, "gift", d.SellerOrderAttributes.CustomInformation)
	assert.Equal(t, []Constraint{{ConstraintPaymentPlanNotSet, "The buyer has not been able to select a Payment method for the given Order Reference."}}, d.Constraints)
	assert.Equal(t, PaymentAuthenticationRequired, d.PaymentAuthenticationStatus.State)
	assert.Equal(t, &Price{Amount: "42.50", CurrencyCode: "EUR"}, d.OrderTotal)
	assert.Empty(t, d.IDList.IDs())
}

func TestSetOrderReferenceDetailsPlatformIDDefault(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.PlatformID = "A1CONFIGPLATFORM"
	c, mt := newTestClientConfig(t, cfg)
	rec := respond(t, mt, 200, "SetOrderReferenceDetailsResponse.xml")
	ctx := context.Background()

	_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   "S02-1234567-7654321",
		OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "10.00", CurrencyCode: "GBP"}},
	})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId", "OrderReferenceAttributes.OrderTotal.Amount",
		"OrderReferenceAttributes.OrderTotal.CurrencyCode", "OrderReferenceAttributes.PlatformId"), formKeys(rec.body(0)))
	form := rec.form(t, 0)
	assert.Equal(t, "A1CONFIGPLATFORM", form.Get("OrderReferenceAttributes.PlatformId"))
	assert.Equal(t, "GBP", form.Get("OrderReferenceAttributes.OrderTotal.CurrencyCode"), "an explicit currency stays")

	// An explicit platform id wins over the configured one.
	in := setOrderReferenceDetailsInput()
	_, err = c.SetOrderReferenceDetails(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, "A1PLATFORM", rec.form(t, 1).Get("OrderReferenceAttributes.PlatformId"))
}

func TestSetOrderReferenceDetailsNotModifiable(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, http.StatusMethodNotAllowed, "ErrorResponse.xml")

	out, err := c.SetOrderReferenceDetails(context.Background(), setOrderReferenceDetailsInput())
	require.Error(t, err)
	assert.Nil(t, out)
	apiErr := requireAPIError(t, err, rec, 405, ErrorOrderReferenceNotModifiable)
	assert.Equal(t, "SetOrderReferenceDetails", apiErr.Operation)
	assert.Equal(t, "6d4699b8-1238-4c09-b539-176e2c2f5462", apiErr.RequestID)
	assert.Equal(t, "OrderReference S01-5695290-1354077 is not in draft state and cannot be modified with the request submitted by you.", apiErr.Message)
}

func TestCancelOrderReference(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CancelOrderReferenceResponse.xml")
	ctx := context.Background()

	out, err := c.CancelOrderReference(ctx, &CancelOrderReferenceInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		CancelationReason:      "Out of stock",
	})
	require.NoError(t, err)
	assert.Equal(t, "5f20169b-7ab2-11df-bcef-d35615e2b001", out.RequestID)
	form := assertRequest(t, rec, "CancelOrderReference")
	assert.Equal(t, "Out of stock", form.Get("CancelationReason"))
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId", "CancelationReason"), formKeys(rec.body(0)))

	_, err = c.CancelOrderReference(ctx, &CancelOrderReferenceInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId"), formKeys(rec.body(1)))
}

func TestCloseOrderReference(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CloseOrderReferenceResponse.xml")

	out, err := c.CloseOrderReference(context.Background(), &CloseOrderReferenceInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		ClosureReason:          "Order shipped",
	})
	require.NoError(t, err)
	assert.Equal(t, "5f20169b-7ab2-11df-bcef-d35615e2b002", out.RequestID, "a response without a Result element")
	form := assertRequest(t, rec, "CloseOrderReference")
	assert.Equal(t, "Order shipped", form.Get("ClosureReason"))
	assert.Equal(t, withCommonKeys("AmazonOrderReferenceId", "ClosureReason"), formKeys(rec.body(0)))
}

func TestCreateOrderReferenceForId(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CreateOrderReferenceForIdResponse.xml")
	ctx := context.Background()

	out, err := c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{
		ID:                     "C02-5555555-6666666",
		IDType:                 IDTypeBillingAgreement,
		InheritShippingAddress: Bool(false),
		ConfirmNow:             Bool(true),
		OrderReferenceAttributes: &OrderReferenceAttributes{
			OrderTotal: &Price{Amount: "25.00"},
			PlatformID: "A1PLATFORM",
			SellerNote: "Box 12/2026",
			SellerOrderAttributes: &SellerOrderAttributes{
				SellerOrderID:     "sub-42-2026-12",
				StoreName:         "Demo Shop",
				CustomInformation: "tier=gold",
				SupplementaryData: `{"AirlineMetaData" : {"version": 1.0}}`,
			},
		},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "CreateOrderReferenceForId")
	assert.Equal(t, "C02-5555555-6666666", form.Get("Id"))
	assert.Equal(t, "BillingAgreement", form.Get("IdType"))
	assert.Equal(t, "false", form.Get("InheritShippingAddress"), "false is sent when set")
	assert.Equal(t, "true", form.Get("ConfirmNow"))
	assert.Equal(t, "25.00", form.Get("OrderReferenceAttributes.OrderTotal.Amount"))
	assert.Equal(t, "EUR", form.Get("OrderReferenceAttributes.OrderTotal.CurrencyCode"))
	assert.Equal(t, `{"AirlineMetaData" : {"version": 1.0}}`, form.Get("OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData"),
		"supplementary data under SellerOrderAttributes, as the data model has it")
	assert.NotContains(t, form, "OrderReferenceAttributes.SupplementaryData")

	d := out.OrderReferenceDetails
	assert.Equal(t, "9a1a4c2e-0000-4000-8000-000000000010", out.RequestID)
	assert.Equal(t, "S02-7777777-8888888", d.AmazonOrderReferenceID)
	assert.Equal(t, &ParentDetails{ID: "C02-5555555-6666666", Type: ParentBillingAgreement}, d.ParentDetails)
	assert.Equal(t, OrderReferenceOpen, d.OrderReferenceStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 1, 500e6, time.UTC), d.OrderReferenceStatus.LastUpdateTimestamp)
	assert.Equal(t, &Price{Amount: "25.00", CurrencyCode: "EUR"}, d.OrderTotal)
	assert.Equal(t, "Teststr. 1", d.Destination.PhysicalDestination.AddressLine1)
	assert.Equal(t, "sub-42-2026-12", d.SellerOrderAttributes.SellerOrderID)

	// Optional flags left nil are not sent, nor is any attribute.
	_, err = c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{ID: "S02-1234567-7654321", IDType: IDTypeOrderReference})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("Id", "IdType"), formKeys(rec.body(1)))
	assert.Equal(t, "OrderReference", rec.form(t, 1).Get("IdType"))
}

func TestCreateOrderReferenceForIdPlatformIDDefault(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.PlatformID = "A1CONFIGPLATFORM"
	c, mt := newTestClientConfig(t, cfg)
	rec := respond(t, mt, 200, "CreateOrderReferenceForIdResponse.xml")
	ctx := context.Background()

	_, err := c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{ID: "C02-5555555-6666666", IDType: IDTypeBillingAgreement,
		OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "25.00"}}})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("Id", "IdType", "OrderReferenceAttributes.OrderTotal.Amount",
		"OrderReferenceAttributes.OrderTotal.CurrencyCode", "OrderReferenceAttributes.PlatformId"), formKeys(rec.body(0)))
	assert.Equal(t, "A1CONFIGPLATFORM", rec.form(t, 0).Get("OrderReferenceAttributes.PlatformId"))

	_, err = c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{ID: "C02-5555555-6666666", IDType: IDTypeBillingAgreement,
		OrderReferenceAttributes: &OrderReferenceAttributes{PlatformID: "A1PLATFORM"}})
	require.NoError(t, err)
	assert.Equal(t, "A1PLATFORM", rec.form(t, 1).Get("OrderReferenceAttributes.PlatformId"), "an explicit platform id wins")
}

func TestListOrderReference(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ListOrderReferenceResponse.xml")
	ctx := context.Background()
	berlin := time.FixedZone("CET", 3600)

	in := &ListOrderReferenceInput{
		QueryID:     "order-1001",
		QueryIDType: QueryIDTypeSellerOrderID,
		PageSize:    Int(3),
		CreatedTimeRange: &TimeRange{
			StartTime: time.Date(2026, 11, 1, 1, 0, 0, 0, berlin),
			EndTime:   time.Date(2026, 11, 22, 10, 30, 15, 987e6, time.UTC),
		},
		SortOrder:                      SortDescending,
		OrderReferenceStatusListFilter: OrderReferenceStatusFilter{OrderReferenceOpen, OrderReferenceCanceled, OrderReferenceClosed},
	}
	out, err := c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	form := assertRequest(t, rec, "ListOrderReference")
	assert.Equal(t, "order-1001", form.Get("QueryId"))
	assert.Equal(t, "SellerOrderId", form.Get("QueryIdType"))
	assert.Equal(t, "EU_EUR", form.Get("PaymentDomain"), "the payment domain of the client's region")
	assert.Equal(t, "3", form.Get("PageSize"))
	assert.Equal(t, "2026-11-01T00:00:00Z", form.Get("CreatedTimeRange.StartTime"), "converted to UTC")
	assert.Equal(t, "2026-11-22T10:30:15Z", form.Get("CreatedTimeRange.EndTime"), "whole seconds")
	assert.Equal(t, "Descending", form.Get("SortOrder"))
	assert.Equal(t, "Open", form.Get("OrderReferenceStatusListFilter.OrderReferenceStatus.1"))
	assert.Equal(t, "Canceled", form.Get("OrderReferenceStatusListFilter.OrderReferenceStatus.2"))
	assert.Equal(t, "Closed", form.Get("OrderReferenceStatusListFilter.OrderReferenceStatus.3"))
	assert.Equal(t, &ListOrderReferenceInput{
		QueryID: "order-1001", QueryIDType: QueryIDTypeSellerOrderID, PageSize: Int(3), CreatedTimeRange: in.CreatedTimeRange,
		SortOrder: SortDescending, OrderReferenceStatusListFilter: OrderReferenceStatusFilter{"Open", "Canceled", "Closed"},
	}, in, "the caller's input is not written to")

	assert.Equal(t, "87bceae8-d043-41c9-b34c-87fc5a3f1f99", out.RequestID)
	assert.Equal(t, "eyJuZXh0UGFnZVRva2VuIjoiQUFBQUFBQUFBQUZoeS84eVBPTyIsIm1hcmtldHBsYWNlSWQiOiJBMVBBNkhPU1pHUlpNWCJ9", out.NextPageToken)
	require.Len(t, out.OrderReferences, 3)
	first, second, third := out.OrderReferences[0], out.OrderReferences[1], out.OrderReferences[2]
	assert.Equal(t, OrderReference{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		ReleaseEnvironment:     ReleaseSandbox,
		OrderReferenceStatus: OrderReferenceStatus{State: OrderReferenceOpen,
			LastUpdateTimestamp: time.Date(2026, 11, 21, 16, 0, 5, 506e6, time.UTC)},
		CreationTimestamp:     time.Date(2026, 11, 21, 15, 59, 14, 478e6, time.UTC),
		SellerOrderAttributes: &SellerOrderAttributes{SellerOrderID: "order-1001", StoreName: "Demo Shop"},
		OrderTotal:            &Price{Amount: "42.50", CurrencyCode: "EUR"},
		OrderLanguage:         "de-DE",
	}, first)
	assert.Equal(t, OrderReferenceCanceled, second.OrderReferenceStatus.State)
	assert.Equal(t, ReasonSellerCanceled, second.OrderReferenceStatus.ReasonCode)
	assert.Equal(t, "AMAZON ON BEHALF OF MERCHANT", second.OrderReferenceStatus.ReasonDescription)
	assert.Equal(t, "first attempt", second.SellerNote)
	assert.Equal(t, OrderReferenceClosed, third.OrderReferenceStatus.State)
	assert.Equal(t, ReasonSellerClosed, third.OrderReferenceStatus.ReasonCode)
	assert.Nil(t, third.OrderTotal)

	// Only what was set is sent, plus the payment domain.
	_, err = c.ListOrderReference(ctx, &ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: QueryIDTypeSellerOrderID})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("PaymentDomain", "QueryId", "QueryIdType"), formKeys(rec.body(1)))
}

func TestListOrderReferencePaymentDomainPerRegion(t *testing.T) {
	t.Parallel()
	for region, domain := range map[Region]string{RegionDE: "EU_EUR", RegionEU: "EU_EUR", RegionUK: "EU_GBP"} {
		cfg := testConfig()
		cfg.Region = region
		cfg.CurrencyCode = "EUR" // a currency other than the region's does not change the domain
		c, mt := newTestClientConfig(t, cfg)
		rec := respond(t, mt, 200, "ListOrderReferenceResponse.xml")
		_, err := c.ListOrderReference(context.Background(), &ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: QueryIDTypeSellerOrderID})
		require.NoError(t, err)
		assert.Equal(t, domain, rec.form(t, 0).Get("PaymentDomain"), region)
	}
}

func TestListOrderReferenceByNextToken(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ListOrderReferenceByNextTokenResponse.xml")

	out, err := c.ListOrderReferenceByNextToken(context.Background(), &ListOrderReferenceByNextTokenInput{
		NextPageToken: "eyJuZXh0UGFnZVRva2VuIjoiQUFBQUFBQUFBQUZoeS84eVBPTyIsIm1hcmtldHBsYWNlSWQiOiJBMVBBNkhPU1pHUlpNWCJ9",
	})
	require.NoError(t, err)
	assertRequest(t, rec, "ListOrderReferenceByNextToken")
	assert.Equal(t, withCommonKeys("NextPageToken"), formKeys(rec.body(0)))

	assert.Equal(t, "cd3c24d6-c1cf-4656-9774-52c99529f26d", out.RequestID)
	assert.Empty(t, out.NextPageToken, "the last page")
	require.Len(t, out.OrderReferences, 1)
	o := out.OrderReferences[0]
	assert.Equal(t, "S02-4444444-5555555", o.AmazonOrderReferenceID)
	assert.Equal(t, OrderReferenceCanceled, o.OrderReferenceStatus.State)
	assert.Equal(t, ReasonStale, o.OrderReferenceStatus.ReasonCode)
	assert.Equal(t, time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC), o.CreationTimestamp)
}

func TestOrderReferenceOperationsValidation(t *testing.T) {
	t.Parallel()
	const oro = "S02-1234567-7654321"
	list := func(mut func(*ListOrderReferenceInput)) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			in := &ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: QueryIDTypeSellerOrderID}
			mut(in)
			_, err := c.ListOrderReference(ctx, in)
			return err
		}
	}
	create := func(id string, typ IDType) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{ID: id, IDType: typ})
			return err
		}
	}
	runOpValidationCases(t, []opValidationCase{
		{"get: both tokens", "AddressConsentToken", "must not be sent together with AccessToken", func(ctx context.Context, c *Client) error {
			_, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro, AccessToken: "a", AddressConsentToken: "b"})
			return err
		}},
		{"get: missing id", "AmazonOrderReferenceId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{})
			return err
		}},
		{"get: billing agreement id", "AmazonOrderReferenceId", "is not an order reference id", func(ctx context.Context, c *Client) error {
			_, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "C02-5555555-6666666"})
			return err
		}},
		{"get: nil input", "input", "is nil", func(ctx context.Context, c *Client) error {
			_, err := c.GetOrderReferenceDetails(ctx, nil)
			return err
		}},
		{"set: no attributes", "OrderReferenceAttributes.OrderTotal.Amount", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro})
			return err
		}},
		{"set: no order total", "OrderReferenceAttributes.OrderTotal.Amount", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro,
				OrderReferenceAttributes: &OrderReferenceAttributes{SellerNote: "n"}})
			return err
		}},
		{"set: bad amount", "OrderReferenceAttributes.OrderTotal.Amount", "is not a plain decimal amount", func(ctx context.Context, c *Client) error {
			_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro,
				OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "1,00"}}})
			return err
		}},
		{"set: bad supplementary data", "OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData", "is not valid JSON", func(ctx context.Context, c *Client) error {
			_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro,
				OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "1"}, SellerOrderAttributes: &SellerOrderAttributes{SupplementaryData: "{"}}})
			return err
		}},
		{"set: seller note too long", "OrderReferenceAttributes.SellerNote", "more than the maximum of 1024", func(ctx context.Context, c *Client) error {
			_, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: oro,
				OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "1"}, SellerNote: strings.Repeat("x", 1025)}})
			return err
		}},
		{"cancel: reason too long", "CancelationReason", "more than the maximum of 1024", func(ctx context.Context, c *Client) error {
			_, err := c.CancelOrderReference(ctx, &CancelOrderReferenceInput{AmazonOrderReferenceID: oro, CancelationReason: strings.Repeat("ä", 1025)})
			return err
		}},
		{"cancel: missing id", "AmazonOrderReferenceId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.CancelOrderReference(ctx, &CancelOrderReferenceInput{CancelationReason: "x"})
			return err
		}},
		{"close: authorization id", "AmazonOrderReferenceId", "is not an order reference id", func(ctx context.Context, c *Client) error {
			_, err := c.CloseOrderReference(ctx, &CloseOrderReferenceInput{AmazonOrderReferenceID: oro + "-A000001"})
			return err
		}},
		{"create: missing id", "Id", "is required", create("", IDTypeBillingAgreement)},
		{"create: missing id type", "IdType", "is required", create("C02-5555555-6666666", "")},
		{"create: unknown id type", "IdType", `"Subscription" is not one of`, create("C02-5555555-6666666", "Subscription")},
		{"create: order reference id as billing agreement", "Id", "is not a billing agreement id", create(oro, IDTypeBillingAgreement)},
		{"create: billing agreement id as order reference", "Id", "is not an order reference id", create("C02-5555555-6666666", IDTypeOrderReference)},
		{"create: bad attributes", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "is not a supported currency", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrderReferenceForId(ctx, &CreateOrderReferenceForIdInput{ID: "C02-5555555-6666666", IDType: IDTypeBillingAgreement,
				OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "1", CurrencyCode: "XXX"}}})
			return err
		}},
		{"list: nil input", "input", "is nil", func(ctx context.Context, c *Client) error {
			_, err := c.ListOrderReference(ctx, nil)
			return err
		}},
		{"list: missing query id", "QueryId", "is required", list(func(in *ListOrderReferenceInput) { in.QueryID = "" })},
		{"list: missing query id type", "QueryIdType", "is required", list(func(in *ListOrderReferenceInput) { in.QueryIDType = "" })},
		{"list: unknown query id type", "QueryIdType", `"AmazonOrderReferenceId" is not one of`, list(func(in *ListOrderReferenceInput) { in.QueryIDType = "AmazonOrderReferenceId" })},
		{"list: page size 0", "PageSize", `"0" is not a whole number of at least 1`, list(func(in *ListOrderReferenceInput) { in.PageSize = Int(0) })},
		{"list: lower-case sort order", "SortOrder", `"descending" is not one of`, list(func(in *ListOrderReferenceInput) { in.SortOrder = "descending" })},
		{"list: unknown status", "OrderReferenceStatusListFilter.OrderReferenceStatus.2", `"open" is not one of`, list(func(in *ListOrderReferenceInput) {
			in.OrderReferenceStatusListFilter = OrderReferenceStatusFilter{OrderReferenceClosed, "open"}
		})},
		{"list: empty status", "OrderReferenceStatusListFilter.OrderReferenceStatus.1", "is empty", list(func(in *ListOrderReferenceInput) {
			in.OrderReferenceStatusListFilter = OrderReferenceStatusFilter{""}
		})},
		{"list: end before start", "CreatedTimeRange.EndTime", "2026-11-01T00:00:00Z is before StartTime 2026-11-02T00:00:00Z", list(func(in *ListOrderReferenceInput) {
			in.CreatedTimeRange = &TimeRange{StartTime: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), EndTime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
		})},
		{"next token: empty", "NextPageToken", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.ListOrderReferenceByNextToken(ctx, &ListOrderReferenceByNextTokenInput{})
			return err
		}},
	})
}
