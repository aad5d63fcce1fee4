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

func TestGetBillingAgreementDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "GetBillingAgreementDetailsResponse.xml")
	ctx := context.Background()

	out, err := c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		AddressConsentToken:      "Atza|IwEBILegacyToken",
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "GetBillingAgreementDetails")
	assert.Equal(t, withCommonKeys("AddressConsentToken", "AmazonBillingAgreementId"), formKeys(rec.body(0)))
	assert.Equal(t, "Atza|IwEBILegacyToken", form.Get("AddressConsentToken"))

	assert.Equal(t, "954d87bd-b48f-4eb2-b84b-a0200da333d0", out.RequestID)
	d := out.BillingAgreementDetails
	assert.Equal(t, "C02-5555555-6666666", d.AmazonBillingAgreementID)
	assert.Equal(t, BillingAgreementOpen, d.BillingAgreementStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 9, 10, 0, 0, time.UTC), d.BillingAgreementStatus.UpdatedAt())
	assert.True(t, d.BillingAgreementConsent)
	assert.Equal(t, MerchantInitiatedTransaction, d.BillingAgreementType)
	assert.Equal(t, &Price{Amount: "25.00", CurrencyCode: "EUR"}, d.SubscriptionAmount)
	assert.Equal(t, &BillingAgreementLimits{
		AmountLimitPerTimePeriod: Price{Amount: "500", CurrencyCode: "EUR"},
		TimePeriodStartDate:      time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		TimePeriodEndDate:        time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		CurrentRemainingBalance:  Price{Amount: "475.00", CurrencyCode: "EUR"},
	}, d.BillingAgreementLimits)
	assert.Equal(t, &Buyer{Name: "Test Buyer", Email: "buyer@example.com"}, d.Buyer)
	assert.Equal(t, "Teststr. 1", d.Destination.PhysicalDestination.AddressLine1)
	assert.Equal(t, "sub-42", d.SellerBillingAgreementAttributes.SellerBillingAgreementID)
	assert.Empty(t, d.Constraints)
	assert.Equal(t, "de-DE", d.OrderLanguage)

	_, err = c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		AccessToken:              "Atza|IwEBIExampleAccessToken",
	})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AccessToken", "AmazonBillingAgreementId"), formKeys(rec.body(1)))
	assert.Equal(t, "Atza|IwEBIExampleAccessToken", rec.form(t, 1).Get("AccessToken"))
}

func TestAuthorizeOnBillingAgreement(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "AuthorizeOnBillingAgreementResponse.xml")

	out, err := c.AuthorizeOnBillingAgreement(context.Background(), &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		AuthorizationReferenceID: "sub-42-2026-12",
		AuthorizationAmount:      &Price{Amount: "25.00"},
		SellerAuthorizationNote:  "Box 12/2026",
		TransactionTimeout:       Int(0),
		CaptureNow:               Bool(false),
		SoftDescriptor:           "Demo Box",
		SellerNote:               "Your December box",
		PlatformID:               "A1PLATFORM",
		SellerOrderAttributes: &SellerOrderAttributes{
			SellerOrderID:     "sub-42-2026-12",
			StoreName:         "Demo Shop",
			CustomInformation: "tier=gold",
			SupplementaryData: `{"AirlineMetaData" : {"version": 1.0}}`,
		},
		InheritShippingAddress: Bool(false),
		ProviderCreditList:     ProviderCreditList{{ProviderID: "A2PROVIDER", CreditAmount: &Price{Amount: "0.25"}}},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "AuthorizeOnBillingAgreement")
	assert.Equal(t, withCommonKeys("AmazonBillingAgreementId", "AuthorizationAmount.Amount", "AuthorizationAmount.CurrencyCode",
		"AuthorizationReferenceId", "CaptureNow", "InheritShippingAddress", "PlatformId",
		"ProviderCreditList.member.1.CreditAmount.Amount", "ProviderCreditList.member.1.CreditAmount.CurrencyCode",
		"ProviderCreditList.member.1.ProviderId", "SellerAuthorizationNote", "SellerNote",
		"SellerOrderAttributes.CustomInformation", "SellerOrderAttributes.SellerOrderId", "SellerOrderAttributes.StoreName",
		"SellerOrderAttributes.SupplementaryData", "SoftDescriptor", "TransactionTimeout"), formKeys(rec.body(0)),
		"SellerNote, PlatformId and SellerOrderAttributes are top-level here")
	assert.Equal(t, "0", form.Get("TransactionTimeout"))
	assert.Equal(t, "false", form.Get("CaptureNow"))
	assert.Equal(t, "false", form.Get("InheritShippingAddress"))
	assert.Equal(t, "A1PLATFORM", form.Get("PlatformId"))
	assert.Equal(t, "Your December box", form.Get("SellerNote"))
	assert.Equal(t, "EUR", form.Get("AuthorizationAmount.CurrencyCode"))

	assert.Equal(t, "e7c4f6a8-0000-4000-8000-000000000050", out.RequestID)
	assert.Equal(t, "S02-7777777-8888888", out.AmazonOrderReferenceID)
	d := out.AuthorizationDetails
	assert.Equal(t, "S02-7777777-8888888-A000001", d.AmazonAuthorizationID)
	assert.Equal(t, "sub-42-2026-12", d.AuthorizationReferenceID)
	assert.Equal(t, AuthorizationOpen, d.AuthorizationStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 1, 0, time.UTC), d.AuthorizationStatus.LastUpdateTimestamp)
	assert.Equal(t, Price{Amount: "25.00", CurrencyCode: "EUR"}, d.AuthorizationAmount)
	assert.Equal(t, time.Date(2026, 12, 22, 10, 0, 0, 500e6, time.UTC), d.ExpirationTimestamp)
	assert.False(t, d.CaptureNow)
}

func TestAuthorizeOnBillingAgreementDefaults(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.PlatformID = "A1CONFIGPLATFORM"
	c, mt := newTestClientConfig(t, cfg)
	rec := respond(t, mt, 200, "AuthorizeOnBillingAgreementResponse.xml")

	_, err := c.AuthorizeOnBillingAgreement(context.Background(), &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		AuthorizationReferenceID: "sub-42-2026-12",
		AuthorizationAmount:      &Price{Amount: "25.00"},
	})
	require.NoError(t, err)
	// No TransactionTimeout, CaptureNow or InheritShippingAddress unless set;
	// the configured platform id fills the top-level PlatformId.
	assert.Equal(t, withCommonKeys("AmazonBillingAgreementId", "AuthorizationAmount.Amount", "AuthorizationAmount.CurrencyCode",
		"AuthorizationReferenceId", "PlatformId"), formKeys(rec.body(0)))
	assert.Equal(t, "A1CONFIGPLATFORM", rec.form(t, 0).Get("PlatformId"))
}

func TestAuthorizeOnBillingAgreementInvalidStatus(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, http.StatusBadRequest, "AuthorizeOnBillingAgreementInvalidStatusError.xml")

	out, err := c.AuthorizeOnBillingAgreement(context.Background(), &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666", AuthorizationReferenceID: "sub-42-2026-12", AuthorizationAmount: &Price{Amount: "25.00"},
	})
	assert.Nil(t, out)
	apiErr := requireAPIError(t, err, rec, 400, ErrorInvalidBillingAgreementStatus)
	assert.Equal(t, "AuthorizeOnBillingAgreement", apiErr.Operation)
	assert.Equal(t, "e7c4f6a8-0000-4000-8000-000000000400", apiErr.RequestID)
	assert.Equal(t, "The billing agreement C02-5555555-6666666 is in Suspended state; no authorization can be requested on it.", apiErr.Message)
}

func TestCloseBillingAgreement(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CloseBillingAgreementResponse.xml")

	out, err := c.CloseBillingAgreement(context.Background(), &CloseBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		ClosureReason:            "Subscription canceled by the buyer",
	})
	require.NoError(t, err)
	assert.Equal(t, "e7c4f6a8-0000-4000-8000-000000000051", out.RequestID)
	form := assertRequest(t, rec, "CloseBillingAgreement")
	assert.Equal(t, withCommonKeys("AmazonBillingAgreementId", "ClosureReason"), formKeys(rec.body(0)))
	assert.Equal(t, "Subscription canceled by the buyer", form.Get("ClosureReason"))
}

func TestBillingAgreementOperationsValidation(t *testing.T) {
	t.Parallel()
	const ba = "C02-5555555-6666666"
	authorize := func(mut func(*AuthorizeOnBillingAgreementInput)) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			in := &AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: ba, AuthorizationReferenceID: "sub-42-2026-12",
				AuthorizationAmount: &Price{Amount: "25.00"}}
			mut(in)
			_, err := c.AuthorizeOnBillingAgreement(ctx, in)
			return err
		}
	}
	runOpValidationCases(t, []opValidationCase{
		{"get: both tokens", "AddressConsentToken", "must not be sent together with AccessToken", func(ctx context.Context, c *Client) error {
			_, err := c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: ba, AccessToken: "a", AddressConsentToken: "b"})
			return err
		}},
		{"get: order reference id", "AmazonBillingAgreementId", "is not a billing agreement id", func(ctx context.Context, c *Client) error {
			_, err := c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: "S02-1234567-7654321"})
			return err
		}},
		{"authorize: nil input", "input", "is nil", func(ctx context.Context, c *Client) error {
			_, err := c.AuthorizeOnBillingAgreement(ctx, nil)
			return err
		}},
		{"authorize: missing id", "AmazonBillingAgreementId", "is required", authorize(func(in *AuthorizeOnBillingAgreementInput) { in.AmazonBillingAgreementID = "" })},
		{"authorize: missing amount", "AuthorizationAmount.Amount", "is required", authorize(func(in *AuthorizeOnBillingAgreementInput) { in.AuthorizationAmount = nil })},
		{"authorize: missing reference id", "AuthorizationReferenceId", "is required", authorize(func(in *AuthorizeOnBillingAgreementInput) { in.AuthorizationReferenceID = "" })},
		{"authorize: timeout over 1440", "TransactionTimeout", `"2880" is not minutes from 0 (synchronous) to 1440`, authorize(func(in *AuthorizeOnBillingAgreementInput) { in.TransactionTimeout = Int(2880) })},
		{"authorize: seller note too long", "SellerNote", "more than the maximum of 1024", authorize(func(in *AuthorizeOnBillingAgreementInput) { in.SellerNote = strings.Repeat("n", 1025) })},
		{"authorize: bad supplementary data", "SellerOrderAttributes.SupplementaryData", "is not valid JSON", authorize(func(in *AuthorizeOnBillingAgreementInput) {
			in.SellerOrderAttributes = &SellerOrderAttributes{SupplementaryData: "not json"}
		})},
		{"authorize: provider credit without amount", "ProviderCreditList.member.1.CreditAmount.Amount", "is required", authorize(func(in *AuthorizeOnBillingAgreementInput) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A2PROVIDER"}}
		})},
		{"close: missing id", "AmazonBillingAgreementId", "is required", func(ctx context.Context, c *Client) error {
			_, err := c.CloseBillingAgreement(ctx, &CloseBillingAgreementInput{ClosureReason: "x"})
			return err
		}},
		{"close: reason too long", "ClosureReason", "more than the maximum of 1024", func(ctx context.Context, c *Client) error {
			_, err := c.CloseBillingAgreement(ctx, &CloseBillingAgreementInput{AmazonBillingAgreementID: ba, ClosureReason: strings.Repeat("r", 1025)})
			return err
		}},
	})
}
