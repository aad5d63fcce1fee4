package amazonpay

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Java SDK's SignatureAndURLTest vectors (spec/official-sdks.md §4.1):
// US sandbox, secret TEST_SECRET_KEY, Timestamp 2015-12-31T23:59:58Z.
const (
	vectorHost = "mws.amazonservices.com"
	vectorPath = "/OffAmazonPayments_Sandbox/2013-01-01"
)

func vectorParams(extra ...string) url.Values {
	v := url.Values{
		"AWSAccessKeyId":   {"TEST_ACCESS_KEY"},
		"SellerId":         {"TEST_MERCHANT_ID"},
		"SignatureMethod":  {"HmacSHA256"},
		"SignatureVersion": {"2"},
		"Timestamp":        {"2015-12-31T23:59:58Z"},
		"Version":          {"2013-01-01"},
	}
	for i := 0; i < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

type signatureVector struct {
	name      string
	params    url.Values
	toSign    string // canonical query line of the string to sign
	signature string
	body      string
}

func signatureVectors() []signatureVector {
	delegated := []string{"MWSAuthToken", "TEST_MWS_AUTH_TOKEN", "SellerId", "OVERRIDE_SELLER_ID"}
	confirm := append([]string{"Action", "ConfirmOrderReference", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID"}, delegated...)
	return []signatureVector{
		{
			name:      "V1 GetOrderReferenceDetails",
			params:    vectorParams("Action", "GetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID"),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&SellerId=TEST_MERCHANT_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&SellerId=TEST_MERCHANT_ID&Signature=cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
		{
			name:      "V2 GetOrderReferenceDetails delegated",
			params:    vectorParams(append([]string{"Action", "GetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID"}, delegated...)...),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "MelQJXDdQJ85Z7aB85s7eYWm5TdGv6xYAQt/joOhXCo=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&Signature=MelQJXDdQJ85Z7aB85s7eYWm5TdGv6xYAQt%2FjoOhXCo%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
		{
			name: "V3 SetOrderReferenceDetails",
			params: vectorParams("Action", "SetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID",
				"OrderReferenceAttributes.OrderTotal.Amount", "2", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "USD"),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=SetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&OrderReferenceAttributes.OrderTotal.Amount=2&OrderReferenceAttributes.OrderTotal.CurrencyCode=USD&SellerId=TEST_MERCHANT_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "i51MSGv9O2G2LHIlhCXLigA3ZKaZRoc7Mb5A1VX2QTA=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=SetOrderReferenceDetails&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&OrderReferenceAttributes.OrderTotal.Amount=2&OrderReferenceAttributes.OrderTotal.CurrencyCode=USD&SellerId=TEST_MERCHANT_ID&Signature=i51MSGv9O2G2LHIlhCXLigA3ZKaZRoc7Mb5A1VX2QTA%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
		{
			name:      "V4 ConfirmOrderReference without SCA",
			params:    vectorParams(confirm...),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "mbJBrZKC4Jz8J+rhRqyfYsY6TkSapWOvCTlC+UDUTok=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&Signature=mbJBrZKC4Jz8J%2BrhRqyfYsY6TkSapWOvCTlC%2BUDUTok%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
		{
			name: "V5 ConfirmOrderReference full SCA",
			params: vectorParams(append(confirm, "SuccessUrl", "https://pay.amazon.com/success.html", "FailureUrl", "https://pay.amazon.com/failure.html",
				"AuthorizationAmount.Amount", "0.01", "AuthorizationAmount.CurrencyCode", "EUR")...),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=EUR&FailureUrl=https%3A%2F%2Fpay.amazon.com%2Ffailure.html&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon.com%2Fsuccess.html&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "KeZbecFqPMxhR4g35iFWsdLmq1rAgwdn4B2WTIFMTHg=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=EUR&FailureUrl=https%3A%2F%2Fpay.amazon.com%2Ffailure.html&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&Signature=KeZbecFqPMxhR4g35iFWsdLmq1rAgwdn4B2WTIFMTHg%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon.com%2Fsuccess.html&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
		{
			name: "V6 ConfirmOrderReference partial SCA",
			params: vectorParams(append(confirm, "SuccessUrl", "https://pay.amazon.com/success.html",
				"AuthorizationAmount.Amount", "0.01", "AuthorizationAmount.CurrencyCode", "USD")...),
			toSign:    "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=USD&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon.com%2Fsuccess.html&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
			signature: "vGiWtNsdtNKx3QGB+cNNq8tLisqwOeg2a5aIy3p6exw=",
			body:      "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId=AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=USD&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&Signature=vGiWtNsdtNKx3QGB%2BcNNq8tLisqwOeg2a5aIy3p6exw%3D&SignatureMethod=HmacSHA256&SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon.com%2Fsuccess.html&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
		},
	}
}

func TestSignatureVectors(t *testing.T) {
	for _, tc := range signatureVectors() {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, "POST\n"+vectorHost+"\n"+vectorPath+"\n"+tc.toSign, StringToSign(vectorHost, vectorPath, tc.params))
			assert.Equal(t, tc.signature, Sign("TEST_SECRET_KEY", vectorHost, vectorPath, tc.params))
			body := signedBody(newMAC("TEST_SECRET_KEY"), vectorHost, vectorPath, sortedParams(tc.params))
			assert.Equal(t, tc.body, string(body))
		})
	}
}

func TestSignIgnoresSignatureParam(t *testing.T) {
	p := vectorParams("Action", "GetOrderReferenceDetails", "AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID")
	p.Set("Signature", "bogus")
	assert.Equal(t, "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE=", Sign("TEST_SECRET_KEY", vectorHost, vectorPath, p))
}

func TestHMACVectors(t *testing.T) {
	for _, tc := range []struct{ key, msg, want string }{
		{"mws_secret_key", "my_test_string", "JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E="},
		{"SECRET_KEY", "test signature code", "VWty3pyWd3Ol4pw3L7nFQ/xI6SXXsV5T2aRdoNPVMg0="},
	} {
		mac := newMAC(tc.key)
		mac.Write([]byte(tc.msg))
		var sum [32]byte
		assert.Equal(t, tc.want, b64(mac.Sum(sum[:0])), tc.msg)
	}
}

func TestValueEncoding(t *testing.T) {
	for raw, want := range map[string]string{
		"2015-12-31T23:59:58Z":                   "2015-12-31T23%3A59%3A58Z",
		"2017-05-20T03:23:21.923Z":               "2017-05-20T03%3A23%3A21.923Z",
		"https://pay.amazon.com/success.html":    "https%3A%2F%2Fpay.amazon.com%2Fsuccess.html",
		`{"AirlineMetaData" : {"version": 1.0}}`: "%7B%22AirlineMetaData%22%20%3A%20%7B%22version%22%3A%201.0%7D%7D",
		"a b~c*d/e+f=g&h:i":                      "a%20b~c%2Ad%2Fe%2Bf%3Dg%26h%3Ai",
		"-_.~!'()":                               "-_.~%21%27%28%29",
		"Ünïcödé €":                              "%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%82%AC",
		"":                                       "",
		"AZaz09":                                 "AZaz09",
	} {
		assert.Equal(t, want, string(appendEscaped(nil, raw)), raw)
		assert.Equal(t, len(want), escapedLen(raw), raw)
	}
}

// List indexes sort as text: .10 before .2, as MWS sorts them.
func TestCanonicalSortsListIndexesAsText(t *testing.T) {
	v := url.Values{}
	for i := 1; i <= 11; i++ {
		v.Set(itemKey("L", "member", i-1), "x")
	}
	got := StringToSign("h", "/p", v)
	canon := strings.Split(got, "\n")[3]
	assert.Equal(t, "L.member.1=x&L.member.10=x&L.member.11=x&L.member.2=x&L.member.3=x&L.member.4=x&L.member.5=x&L.member.6=x&L.member.7=x&L.member.8=x&L.member.9=x", canon)
}

func TestSignedBodySignaturePositions(t *testing.T) {
	mac := newMAC("k")
	// Signature sorts last: no parameter after it.
	body := string(signedBody(mac, "h", "/p", []param{{"A", "1"}, {"B", "2"}}))
	require.True(t, strings.HasPrefix(body, "A=1&B=2&Signature="), body)
	// Signature sorts first.
	body = string(signedBody(mac, "h", "/p", []param{{"Z", "1"}}))
	require.True(t, strings.HasPrefix(body, "Signature="), body)
	require.True(t, strings.HasSuffix(body, "&Z=1"), body)
	// No parameters at all.
	body = string(signedBody(mac, "h", "/p", nil))
	require.True(t, strings.HasPrefix(body, "Signature=") && !strings.Contains(body, "&"), body)
	// The host is signed in lower case.
	assert.Equal(t, Sign("k", "H.example:8443", "/p", url.Values{"A": {"1"}}), Sign("k", "h.example:8443", "/p", url.Values{"A": {"1"}}))
}
