package amazonpaytest

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The sandbox's own verifier against the signature vectors of the official
// SDKs (spec official-sdks §4.1 V1, V2, V5), not against the root package's
// signer.
func TestExpectedSignatureMatchesOfficialVectors(t *testing.T) {
	common := func(kv ...string) url.Values {
		v := url.Values{
			"AWSAccessKeyId":   {"TEST_ACCESS_KEY"},
			"Timestamp":        {"2015-12-31T23:59:58Z"},
			"SignatureMethod":  {"HmacSHA256"},
			"SignatureVersion": {"2"},
			"Version":          {"2013-01-01"},
		}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	const host, path = "mws.amazonservices.com", "/OffAmazonPayments_Sandbox/2013-01-01"
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"V1", common("Action", "GetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID", "SellerId", "TEST_MERCHANT_ID"),
			"cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE="},
		{"V2", common("Action", "GetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID", "SellerId", "OVERRIDE_SELLER_ID",
			"MWSAuthToken", "TEST_MWS_AUTH_TOKEN"), "MelQJXDdQJ85Z7aB85s7eYWm5TdGv6xYAQt/joOhXCo="},
		{"V5", common("Action", "ConfirmOrderReference", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID", "SellerId", "OVERRIDE_SELLER_ID",
			"MWSAuthToken", "TEST_MWS_AUTH_TOKEN", "SuccessUrl", "https://pay.amazon.com/success.html", "FailureUrl", "https://pay.amazon.com/failure.html",
			"AuthorizationAmount.Amount", "0.01", "AuthorizationAmount.CurrencyCode", "EUR"), "KeZbecFqPMxhR4g35iFWsdLmq1rAgwdn4B2WTIFMTHg="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, expectedSignature("TEST_SECRET_KEY", host, path, tc.form))
			tc.form.Set("Signature", "ignored")
			assert.Equal(t, tc.want, expectedSignature("TEST_SECRET_KEY", "MWS.AmazonServices.com", path, tc.form),
				"Signature is not signed and the host is compared in lower case")
		})
	}
	assert.Equal(t, "a%20b%2Bc%C3%BC~-_.%2F%3D", rfc3986("a b+cü~-_./="))
}
