package amazonpay

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetOrderAttributes(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "SetOrderAttributesResponse.xml")

	out, err := c.SetOrderAttributes(context.Background(), &SetOrderAttributesInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes: &OrderAttributes{
			OrderTotal: &Price{Amount: "42.50"},
			PlatformID: "A1PLATFORM",
			SellerNote: "Thank you for your order",
			SellerOrderAttributes: &SellerOrderAttributes{
				SellerOrderID:       "order-1001",
				StoreName:           "Demo Shop",
				CustomInformation:   "gift",
				SupplementaryData:   `{"AirlineMetaData" : {"version": 1.0}}`,
				OrderItemCategories: []string{"Antiques", "Electronics"},
			},
			RequestPaymentAuthorization: Bool(false),
			PaymentServiceProviderAttributes: &PaymentServiceProviderAttributes{
				PaymentServiceProviderID:      "PSP-1",
				PaymentServiceProviderOrderID: "psp-order-9",
			},
		},
	})
	require.NoError(t, err)

	require.Equal(t, 1, rec.count())
	form := assertRequest(t, rec, "SetOrderAttributes")
	assert.Equal(t, "EUR", form.Get("OrderAttributes.OrderTotal.CurrencyCode"), "currency from the region")
	assert.Equal(t, "false", form.Get("OrderAttributes.RequestPaymentAuthorization"))
	assert.Equal(t, "Antiques", form.Get("OrderAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.1"))
	assert.Equal(t, "Electronics", form.Get("OrderAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.2"))
	assert.Equal(t, "A1SELLERTEST", form.Get("SellerId"))
	assert.Empty(t, form.Get("MWSAuthToken"))

	d := out.OrderReferenceDetails
	assert.Equal(t, "9ce3684d-0bcc-4151-9656-1e87d83199ce", out.RequestID)
	assert.Equal(t, fixture(t, "SetOrderAttributesResponse.xml"), out.RawXML)
	assert.Equal(t, "S02-1234567-7654321", d.AmazonOrderReferenceID)
	assert.Equal(t, OrderReferenceDraft, d.OrderReferenceStatus.State)
	assert.True(t, d.OrderReferenceStatus.LastUpdateTimestamp.IsZero())
	assert.Equal(t, &Price{Amount: "42.50", CurrencyCode: "EUR"}, d.OrderTotal)
	assert.Equal(t, []Constraint{{ConstraintPaymentPlanNotSet, "The buyer has not been able to select a Payment method for the given Order Reference."}}, d.Constraints)
	assert.Equal(t, PaymentAuthenticationRequired, d.PaymentAuthenticationStatus.State)
	assert.Equal(t, OrderItemCategories{"Antiques", "Electronics"}, d.SellerOrderAttributes.OrderItemCategories)
	assert.Equal(t, "psp-order-9", d.PaymentServiceProviderAttributes.PaymentServiceProviderOrderID)
	assert.Equal(t, "Berlin", d.Destination.PhysicalDestination.City)
	assert.Equal(t, &Buyer{Name: "Test Buyer", Email: "buyer@example.com"}, d.Buyer)
	assert.Equal(t, ReleaseSandbox, d.ReleaseEnvironment)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), d.CreationTimestamp)
	assert.Equal(t, time.Date(2027, 5, 21, 10, 0, 0, 0, time.UTC), d.ExpirationTimestamp)
	assert.Empty(t, d.IDList.IDs())
	assert.Equal(t, "de-DE", d.OrderLanguage)
}

func TestSetOrderAttributesPlatformIDDefault(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.PlatformID = "A1CONFIGPLATFORM"
	c, mt := newTestClientConfig(t, cfg)
	rec := respond(t, mt, 200, "SetOrderAttributesResponse.xml")
	ctx := context.Background()

	// With an order total (before confirmation) the configured platform id fills OrderAttributes.PlatformId.
	_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes: &OrderAttributes{OrderTotal: &Price{Amount: "1.00", CurrencyCode: "GBP"}}})
	require.NoError(t, err)
	form := rec.form(t, 0)
	assert.Equal(t, "A1CONFIGPLATFORM", form.Get("OrderAttributes.PlatformId"))
	assert.Equal(t, "GBP", form.Get("OrderAttributes.OrderTotal.CurrencyCode"), "an explicit currency stays")
	assert.NotContains(t, form, "PlatformId", "never a top-level PlatformId")

	// Without one (after confirmation) it does not.
	_, err = c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes: &OrderAttributes{SellerNote: "n"}})
	require.NoError(t, err)
	form = rec.form(t, 1)
	assert.NotContains(t, form, "OrderAttributes.PlatformId")
	assert.NotContains(t, form, "OrderAttributes.OrderTotal.CurrencyCode", "no currency without an amount")
	assert.Equal(t, []string{"AWSAccessKeyId", "Action", "AmazonOrderReferenceId", "OrderAttributes.SellerNote", "SellerId",
		"Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"}, formKeys(rec.body(1)))
}

func TestConfirmOrderReference(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")

	out, err := c.ConfirmOrderReference(context.Background(), &ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       "S02-1234567-7654321",
		SuccessURL:                   "https://shop.example/amazon/ok?order=1001",
		FailureURL:                   "https://shop.example/amazon/fail",
		AuthorizationAmount:          &Price{Amount: "10.50", CurrencyCode: "EUR"},
		ExpectImmediateAuthorization: Bool(true),
	}, WithSellerID("A2OTHERSELLER"), WithMWSAuthToken("amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"))
	require.NoError(t, err)
	assert.Equal(t, "f1f52572-a347-4f7a-a630-be066f3ba827", out.RequestID)

	form := assertRequest(t, rec, "ConfirmOrderReference")
	assert.Equal(t, "A2OTHERSELLER", form.Get("SellerId"))
	assert.Equal(t, "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", form.Get("MWSAuthToken"))
	assert.Equal(t, "https://shop.example/amazon/ok?order=1001", form.Get("SuccessUrl"))
	assert.Equal(t, "true", form.Get("ExpectImmediateAuthorization"))
	assert.Equal(t, "10.50", form.Get("AuthorizationAmount.Amount"))

	req := rec.requests[0]
	assert.Equal(t, "application/x-www-form-urlencoded; charset=utf-8", req.Header.Get("Content-Type"))
	assert.Regexp(t, `^amazon-pay-sdk-go/\d+\.\d+\.\d+ \(Go/go[^;]+; \w+/\w+\)$`, req.Header.Get("User-Agent"))
}

// ExpectImmediateAuthorization=false is sent when asked for; nothing is sent when nil.
func TestConfirmOrderReferenceOptionalFlags(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponseNoResult.xml")
	ctx := context.Background()

	out, err := c.ConfirmOrderReference(ctx, &ConfirmOrderReferenceInput{AmazonOrderReferenceID: "P01-1234567-1234567",
		ExpectImmediateAuthorization: Bool(false), AuthorizationAmount: &Price{Amount: "5"}})
	require.NoError(t, err)
	assert.Equal(t, "5b2a1d3e-0000-4000-8000-000000000002", out.RequestID, "a response without a Result element")
	form := rec.form(t, 0)
	assert.Equal(t, "false", form.Get("ExpectImmediateAuthorization"))
	assert.Equal(t, "EUR", form.Get("AuthorizationAmount.CurrencyCode"))

	_, err = c.ConfirmOrderReference(ctx, &ConfirmOrderReferenceInput{AmazonOrderReferenceID: "P01-1234567-1234567"})
	require.NoError(t, err)
	assert.Equal(t, []string{"AWSAccessKeyId", "Action", "AmazonOrderReferenceId", "SellerId",
		"Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"}, formKeys(rec.body(1)))
}

func TestSetBillingAgreementDetails(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "SetBillingAgreementDetailsResponse.xml")

	out, err := c.SetBillingAgreementDetails(context.Background(), &SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		BillingAgreementAttributes: &BillingAgreementAttributes{
			PlatformID: "A1PLATFORM",
			SellerNote: "Monthly box",
			SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{
				SellerBillingAgreementID: "sub-42",
				StoreName:                "Demo Shop",
				CustomInformation:        "tier=gold",
			},
			BillingAgreementType: MerchantInitiatedTransaction,
			SubscriptionAmount:   &Price{Amount: "25.00", CurrencyCode: "GBP"},
		},
	})
	require.NoError(t, err)
	form := assertRequest(t, rec, "SetBillingAgreementDetails")
	assert.Equal(t, "MerchantInitiatedTransaction", form.Get("BillingAgreementAttributes.BillingAgreementType"))
	assert.Equal(t, "GBP", form.Get("BillingAgreementAttributes.SubscriptionAmount.CurrencyCode"))
	assert.NotContains(t, form, "CurrencyCode", "no stray top-level CurrencyCode (the C# SDK's defect)")

	d := out.BillingAgreementDetails
	assert.Equal(t, "954d87bd-b48f-4eb2-b84b-a0200da333cf", out.RequestID)
	assert.Equal(t, BillingAgreementDraft, d.BillingAgreementStatus.State)
	assert.Equal(t, MerchantInitiatedTransaction, d.BillingAgreementType)
	assert.Equal(t, &Price{Amount: "25.00", CurrencyCode: "GBP"}, d.SubscriptionAmount)
	assert.Equal(t, Price{Amount: "500", CurrencyCode: "GBP"}, d.BillingAgreementLimits.AmountLimitPerTimePeriod)
	assert.Equal(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), d.BillingAgreementLimits.TimePeriodEndDate)
	assert.Equal(t, ConstraintBuyerConsentNotSet, d.Constraints[0].ConstraintID)
	assert.False(t, d.BillingAgreementConsent)
	assert.Equal(t, "sub-42", d.SellerBillingAgreementAttributes.SellerBillingAgreementID)
	assert.Equal(t, "EC1A 1BB", d.Destination.PhysicalDestination.PostalCode)
}

func TestSetBillingAgreementDetailsDefaults(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.PlatformID = "A1CONFIGPLATFORM"
	cfg.CurrencyCode = "gbp"
	c, mt := newTestClientConfig(t, cfg)
	rec := respond(t, mt, 200, "SetBillingAgreementDetailsResponse.xml")
	_, err := c.SetBillingAgreementDetails(context.Background(), &SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		BillingAgreementAttributes: &BillingAgreementAttributes{
			SubscriptionAmount: &Price{Amount: "1.23"},
		},
	})
	require.NoError(t, err)
	form := rec.form(t, 0)
	assert.Equal(t, "GBP", form.Get("BillingAgreementAttributes.SubscriptionAmount.CurrencyCode"), "configured currency, upper-cased")
	assert.Equal(t, "A1CONFIGPLATFORM", form.Get("BillingAgreementAttributes.PlatformId"))
	assert.NotContains(t, form, "BillingAgreementAttributes.BillingAgreementType")
}

func TestConfirmBillingAgreement(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmBillingAgreementResponse.xml")
	out, err := c.ConfirmBillingAgreement(context.Background(), &ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		SuccessURL:               "https://shop.example/subscribe/ok",
		FailureURL:               "https://shop.example/subscribe/fail",
	})
	require.NoError(t, err)
	assert.Equal(t, "7d2d8f7a-1111-4c2b-9d3e-000000000003", out.RequestID)
	assertRequest(t, rec, "ConfirmBillingAgreement")
}

func TestValidateBillingAgreement(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	rec := respondSeq(mt, fixtureResponder(t, 200, "ValidateBillingAgreementResponse.xml"),
		fixtureResponder(t, 200, "ValidateBillingAgreementFailureResponse.xml"))
	ctx := context.Background()
	in := &ValidateBillingAgreementInput{AmazonBillingAgreementID: "C02-5555555-6666666"}

	out, err := c.ValidateBillingAgreement(ctx, in)
	require.NoError(t, err)
	assertRequest(t, rec, "ValidateBillingAgreement")
	assert.Equal(t, ValidationSuccess, out.ValidationResult)
	assert.Empty(t, out.FailureReasonCode)
	assert.Equal(t, BillingAgreementOpen, out.BillingAgreementStatus.State)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 5, 0, 123e6, time.UTC), out.BillingAgreementStatus.UpdatedAt())

	out, err = c.ValidateBillingAgreement(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, ValidationFailure, out.ValidationResult)
	assert.Equal(t, FailureInvalidPaymentMethod, out.FailureReasonCode)
	assert.Equal(t, BillingAgreementSuspended, out.BillingAgreementStatus.State)
	assert.Equal(t, ReasonInvalidPaymentMethod, out.BillingAgreementStatus.ReasonCode)
	assert.Equal(t, time.Date(2026, 11, 22, 10, 6, 0, 0, time.UTC), out.BillingAgreementStatus.UpdatedAt())
}
