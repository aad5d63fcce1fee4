package amazonpay

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// validationCase is a call that must fail with a *ValidationError naming
// field, before any request is sent; runOpValidationCases checks it.
type validationCase struct {
	name  string
	field string
	call  func(c *Client) error
}

func runValidationCases(t *testing.T, cases []validationCase) {
	t.Helper()
	ops := make([]opValidationCase, len(cases))
	for i, tc := range cases {
		call := tc.call
		ops[i] = opValidationCase{name: tc.name, field: tc.field, call: func(_ context.Context, c *Client) error { return call(c) }}
	}
	runOpValidationCases(t, ops)
}

func confirmWith(mut func(*ConfirmOrderReferenceInput), opts ...CallOption) func(c *Client) error {
	return func(c *Client) error {
		in := confirmInput()
		mut(in)
		_, err := c.ConfirmOrderReference(context.Background(), in, opts...)
		return err
	}
}

func amountCase(name, amount, currency, reason string) validationCase {
	return validationCase{name: name + " " + reason, field: "AuthorizationAmount.Amount", call: confirmWith(func(in *ConfirmOrderReferenceInput) {
		in.AuthorizationAmount = &Price{Amount: amount, CurrencyCode: currency}
	})}
}

func TestValidationSCAOperations(t *testing.T) {
	ctx := context.Background()
	cases := []validationCase{
		{"nil input", "input", func(c *Client) error { _, err := c.ConfirmOrderReference(ctx, nil); return err }},
		{"missing id", "AmazonOrderReferenceId", confirmWith(func(in *ConfirmOrderReferenceInput) { in.AmazonOrderReferenceID = "" })},
		{"billing agreement id as order id", "AmazonOrderReferenceId", confirmWith(func(in *ConfirmOrderReferenceInput) { in.AmazonOrderReferenceID = "C02-1234567-1234567" })},
		{"short id", "AmazonOrderReferenceId", confirmWith(func(in *ConfirmOrderReferenceInput) { in.AmazonOrderReferenceID = "S02-123456-1234567" })},
		{"http success url", "SuccessUrl", confirmWith(func(in *ConfirmOrderReferenceInput) { in.SuccessURL = "http://shop.example/ok" })},
		{"relative success url", "SuccessUrl", confirmWith(func(in *ConfirmOrderReferenceInput) { in.SuccessURL = "/ok" })},
		{"failure url without success url", "SuccessUrl", confirmWith(func(in *ConfirmOrderReferenceInput) { in.FailureURL = "https://shop.example/fail" })},
		{"bad failure url", "FailureUrl", confirmWith(func(in *ConfirmOrderReferenceInput) {
			in.SuccessURL, in.FailureURL = "https://shop.example/ok", "javascript:alert(1)"
		})},
		amountCase("empty", "", "EUR", "amount"),
		amountCase("negative", "-1.00", "EUR", "sign"),
		amountCase("plus", "+1.00", "EUR", "sign"),
		amountCase("exponent", "1e3", "EUR", "exponent"),
		amountCase("comma", "10,50", "EUR", "comma"),
		amountCase("space", "10 .50", "EUR", "space"),
		amountCase("leading space", " 10.50", "EUR", "space"),
		amountCase("three decimals", "10.505", "EUR", "decimals"),
		amountCase("JPY decimals", "100.5", "JPY", "decimals"),
		amountCase("over cap", "150000.01", "EUR", "cap"),
		amountCase("far over cap", "1000000", "USD", "cap"),
		amountCase("leading zeros", "007", "EUR", "format"),
		amountCase("dot only", ".5", "EUR", "format"),
		amountCase("trailing dot", "5.", "EUR", "format"),
		{"unknown currency", "AuthorizationAmount.CurrencyCode", confirmWith(func(in *ConfirmOrderReferenceInput) {
			in.AuthorizationAmount = &Price{Amount: "1.00", CurrencyCode: "eur"}
		})},
		{"bad seller id option", "SellerId", confirmWith(func(*ConfirmOrderReferenceInput) {}, WithSellerID("A1\x00"))},
		{"bad auth token option", "MWSAuthToken", confirmWith(func(*ConfirmOrderReferenceInput) {}, WithMWSAuthToken("tok\n\x01"))},
		{"set order attributes without attributes", "OrderAttributes", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
			return err
		}},
		{"seller note too long", "OrderAttributes.SellerNote", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				OrderAttributes: &OrderAttributes{SellerNote: strings.Repeat("é", 1025)}})
			return err
		}},
		{"invalid UTF-8", "OrderAttributes.SellerOrderAttributes.StoreName", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				OrderAttributes: &OrderAttributes{SellerOrderAttributes: &SellerOrderAttributes{StoreName: "Caf\xe9"}}})
			return err
		}},
		{"control character", "OrderAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.2", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				OrderAttributes: &OrderAttributes{SellerOrderAttributes: &SellerOrderAttributes{OrderItemCategories: []string{"ok", "bell\a"}}}})
			return err
		}},
		{"C1 control character", "OrderAttributes.SellerNote", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				OrderAttributes: &OrderAttributes{SellerNote: "x\u0085y"}})
			return err
		}},
		{"supplementary data not JSON", "OrderAttributes.SellerOrderAttributes.SupplementaryData", func(c *Client) error {
			_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				OrderAttributes: &OrderAttributes{SellerOrderAttributes: &SellerOrderAttributes{SupplementaryData: "{not json"}}})
			return err
		}},
		{"custom information too long", "BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation", func(c *Client) error {
			_, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: "C02-5555555-6666666",
				BillingAgreementAttributes: &BillingAgreementAttributes{SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{
					CustomInformation: strings.Repeat("x", 1025)}}})
			return err
		}},
		{"billing agreement without attributes", "BillingAgreementAttributes", func(c *Client) error {
			_, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: "C02-5555555-6666666",
				BillingAgreementAttributes: &BillingAgreementAttributes{}})
			return err
		}},
		{"unknown billing agreement type", "BillingAgreementAttributes.BillingAgreementType", func(c *Client) error {
			_, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: "C02-5555555-6666666",
				BillingAgreementAttributes: &BillingAgreementAttributes{BillingAgreementType: "MerchantInitiated"}})
			return err
		}},
		{"order id as billing agreement id", "AmazonBillingAgreementId", func(c *Client) error {
			_, err := c.ConfirmBillingAgreement(ctx, &ConfirmBillingAgreementInput{AmazonBillingAgreementID: "S02-5555555-6666666"})
			return err
		}},
		{"confirm billing agreement failure url alone", "SuccessUrl", func(c *Client) error {
			_, err := c.ConfirmBillingAgreement(ctx, &ConfirmBillingAgreementInput{AmazonBillingAgreementID: "C02-5555555-6666666",
				FailureURL: "https://shop.example/fail"})
			return err
		}},
		{"validate missing id", "AmazonBillingAgreementId", func(c *Client) error {
			_, err := c.ValidateBillingAgreement(ctx, &ValidateBillingAgreementInput{})
			return err
		}},
		{"subscription amount in JPY with decimals", "BillingAgreementAttributes.SubscriptionAmount.Amount", func(c *Client) error {
			_, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: "C02-5555555-6666666",
				BillingAgreementAttributes: &BillingAgreementAttributes{SubscriptionAmount: &Price{Amount: "10.5", CurrencyCode: "JPY"}}})
			return err
		}},
	}
	runValidationCases(t, cases)
}

// Values at the edge of each rule pass.
func TestValidationAccepts(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
	ctx := context.Background()
	for _, in := range []*ConfirmOrderReferenceInput{
		{AmazonOrderReferenceID: "P01-0000000-0000000", AuthorizationAmount: &Price{Amount: "150000.00", CurrencyCode: "USD"}},
		{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationAmount: &Price{Amount: "0"}},
		{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationAmount: &Price{Amount: "0.5", CurrencyCode: "CHF"}},
		{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationAmount: &Price{Amount: "10000000", CurrencyCode: "JPY"}},
		{AmazonOrderReferenceID: "S02-1234567-7654321", SuccessURL: "http://localhost:8080/ok", FailureURL: "http://127.0.0.1/fail"},
		{AmazonOrderReferenceID: "S02-1234567-7654321", SuccessURL: "http://[::1]:9000/ok?x=1"},
	} {
		_, err := c.ConfirmOrderReference(ctx, in)
		assert.NoError(t, err, "%+v", in)
	}
	_, err := c.SetOrderAttributes(ctx, &SetOrderAttributesInput{AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes: &OrderAttributes{SellerNote: strings.Repeat("é", 1024) + "", SellerOrderAttributes: &SellerOrderAttributes{
			StoreName: "Tab\tand\nnewline"}}})
	var ue *UnexpectedResponseError
	assert.True(t, errors.As(err, &ue), "sent (and answered with another operation's document): %v", err)
	assert.Equal(t, 7, rec.count())
}
