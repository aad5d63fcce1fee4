package amazonpaytest_test

import (
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
)

// TestParameterValidation sends what the Go client would refuse to send,
// as other clients might, and checks MWS's answer.
func TestParameterValidation(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")
	draft := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	auth := func(kv ...string) []string {
		base := []string{"AmazonOrderReferenceId", id, "AuthorizationReferenceId", "p1",
			"AuthorizationAmount.Amount", "1.00", "AuthorizationAmount.CurrencyCode", "EUR", "TransactionTimeout", "0"}
		return append(base, kv...)
	}
	cases := []struct {
		name   string
		action string
		kv     []string
		status int
		code   string
	}{
		{"missing order id", "GetOrderReferenceDetails", nil, 400, "MissingParameter"},
		{"missing reference id", "Authorize", auth("AuthorizationReferenceId", ""), 400, "MissingParameter"},
		{"missing amount", "Authorize", auth("AuthorizationAmount.Amount", ""), 400, "MissingParameter"},
		{"missing currency", "Authorize", auth("AuthorizationAmount.CurrencyCode", ""), 400, "MissingParameter"},
		{"comma amount", "Authorize", auth("AuthorizationAmount.Amount", "1,00"), 400, "InvalidParameterValue"},
		{"three decimals", "Authorize", auth("AuthorizationAmount.Amount", "1.001"), 400, "InvalidParameterValue"},
		{"negative", "Authorize", auth("AuthorizationAmount.Amount", "-1"), 400, "InvalidParameterValue"},
		{"lower-case currency", "Authorize", auth("AuthorizationAmount.CurrencyCode", "eur"), 400, "InvalidParameterValue"},
		{"unsupported currency", "Authorize", auth("AuthorizationAmount.CurrencyCode", "CAD"), 400, "CurrencyUnsupported"},
		{"over 150000", "Authorize", auth("AuthorizationAmount.Amount", "150000.01"), 400, "TransactionAmountExceeded"},
		{"yen decimals", "Authorize", auth("AuthorizationAmount.Amount", "1.50", "AuthorizationAmount.CurrencyCode", "JPY"), 400, "InvalidParameterValue"},
		{"reference id too long", "Authorize", auth("AuthorizationReferenceId", strings.Repeat("x", 33)), 400, "InvalidParameterValue"},
		{"reference id charset", "Authorize", auth("AuthorizationReferenceId", "a b"), 400, "InvalidParameterValue"},
		{"note too long", "Authorize", auth("SellerAuthorizationNote", strings.Repeat("n", 256)), 400, "InvalidParameterValue"},
		{"soft descriptor too long", "Authorize", auth("SoftDescriptor", strings.Repeat("s", 17)), 400, "InvalidParameterValue"},
		{"bad boolean", "Authorize", auth("CaptureNow", "yes"), 400, "InvalidParameterValue"},
		{"bad timeout", "Authorize", auth("TransactionTimeout", "1441"), 400, "InvalidParameterValue"},
		{"timeout not a number", "Authorize", auth("TransactionTimeout", "soon"), 400, "InvalidParameterValue"},
		{"invalid UTF-8", "Authorize", auth("SellerAuthorizationNote", "\xff"), 400, "InvalidParameterValue"},
		{"control character", "Authorize", auth("SellerAuthorizationNote", "a\x01b"), 400, "InvalidParameterValue"},
		{"relative success URL", "ConfirmOrderReference", []string{"AmazonOrderReferenceId", id, "SuccessUrl", "/ok"}, 400, "InvalidParameterValue"},
		{"ftp success URL", "ConfirmOrderReference", []string{"AmazonOrderReferenceId", id, "SuccessUrl", "ftp://shop.example/ok"}, 400, "InvalidParameterValue"},
		{"failure URL alone", "ConfirmOrderReference", []string{"AmazonOrderReferenceId", id, "FailureUrl", "https://shop.example/f"}, 400, "MissingParameter"},
		{"authentication amount currency", "ConfirmOrderReference", []string{"AmazonOrderReferenceId", id, "SuccessUrl", okURL, "FailureUrl", failURL,
			"AuthorizationAmount.Amount", "1", "AuthorizationAmount.CurrencyCode", "GBP"}, 400, "CurrencyMismatch"},
		{"supplementary data not JSON", "SetOrderReferenceDetails", []string{"AmazonOrderReferenceId", draft,
			"OrderReferenceAttributes.OrderTotal.Amount", "1", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR",
			"OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData", "{nope"}, 400, "InvalidParameterValue"},
		{"order total required", "SetOrderReferenceDetails", []string{"AmazonOrderReferenceId", draft}, 400, "MissingParameter"},
		{"order attributes required", "SetOrderAttributes", []string{"AmazonOrderReferenceId", draft}, 400, "MissingParameter"},
		{"both tokens", "GetOrderReferenceDetails", []string{"AmazonOrderReferenceId", id, "AccessToken", "a", "AddressConsentToken", "b"}, 400, "AmbiguousToken"},
		{"closure reason too long", "CloseOrderReference", []string{"AmazonOrderReferenceId", id, "ClosureReason", strings.Repeat("r", 1025)}, 400, "InvalidParameterValue"},
		{"capture of nothing", "Capture", []string{"AmazonAuthorizationId", "S02-0000000-0000000-A000000", "CaptureReferenceId", "c",
			"CaptureAmount.Amount", "1", "CaptureAmount.CurrencyCode", "EUR"}, 404, "InvalidTransactionId"},
		{"id type", "CreateOrderReferenceForId", []string{"Id", id, "IdType", "Charge"}, 400, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := rawError(t, srv, tc.status, tc.action, tc.kv...)
			assert.Equal(t, tc.code, e.Code, e.Message)
			assert.Equal(t, "Sender", e.Type)
			assert.NotEmpty(t, e.Message)
		})
	}
	assert.Zero(t, srv.MoneyMovements().Authorizations)
	mustState(t, srv, id, "Open", "")

	// Zero captures and refunds are refused; JPY works in whole yen.
	status, body := raw(t, srv, "Authorize", auth("AuthorizationReferenceId", "ok1")...)
	assert.Equal(t, 200, status, body)
	authID := srv.Objects(amazonpaytest.KindAuthorization)[0].ID
	e := rawError(t, srv, 400, "Capture", "AmazonAuthorizationId", authID, "CaptureReferenceId", "z",
		"CaptureAmount.Amount", "0", "CaptureAmount.CurrencyCode", "EUR")
	assert.Equal(t, "InvalidParameterValue", e.Code)
	status, _ = raw(t, srv, "Capture", "AmazonAuthorizationId", authID, "CaptureReferenceId", "z",
		"CaptureAmount.Amount", "1", "CaptureAmount.CurrencyCode", "EUR")
	assert.Equal(t, 200, status)
	capID := srv.Objects(amazonpaytest.KindCapture)[0].ID
	e = rawError(t, srv, 400, "Refund", "AmazonCaptureId", capID, "RefundReferenceId", "z",
		"RefundAmount.Amount", "0.00", "RefundAmount.CurrencyCode", "EUR")
	assert.Equal(t, "InvalidParameterValue", e.Code)
	status, _ = raw(t, srv, "Refund", "AmazonCaptureId", capID, "RefundReferenceId", "z",
		"RefundAmount.Amount", "1", "RefundAmount.CurrencyCode", "EUR")
	assert.Equal(t, 200, status, "reference ids are unique per kind of request: RefundReferenceId z is not CaptureReferenceId z")
}

func TestYen(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	status, body := raw(t, srv, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
		"OrderReferenceAttributes.OrderTotal.Amount", "100000", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "JPY")
	assert.Equal(t, 200, status, body)
	assert.Contains(t, body, "<Amount>100000</Amount>")
	status, _ = raw(t, srv, "ConfirmOrderReference", "AmazonOrderReferenceId", id, "SuccessUrl", okURL, "FailureUrl", failURL,
		"AuthorizationAmount.Amount", "108400", "AuthorizationAmount.CurrencyCode", "JPY")
	assert.Equal(t, 200, status)
	_, err := srv.RunConfirmationFlow(srv.SellerID(), id)
	assert.NoError(t, err)
	// The excess is capped at 8,400 yen (15 % would be 15,000).
	e := rawError(t, srv, 400, "Authorize", "AmazonOrderReferenceId", id, "AuthorizationReferenceId", "y",
		"AuthorizationAmount.Amount", "108401", "AuthorizationAmount.CurrencyCode", "JPY", "TransactionTimeout", "0")
	assert.Equal(t, "TransactionAmountExceeded", e.Code)
	status, _ = raw(t, srv, "Authorize", "AmazonOrderReferenceId", id, "AuthorizationReferenceId", "y",
		"AuthorizationAmount.Amount", "108400", "AuthorizationAmount.CurrencyCode", "JPY", "TransactionTimeout", "0")
	assert.Equal(t, 200, status)
}
