package amazonpay

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseConfirmationRedirect: any query either parses to exactly one
// known outcome or fails; it never panics and never invents a success.
func FuzzParseConfirmationRedirect(f *testing.F) {
	for _, q := range []string{"AuthenticationStatus=Success", "AuthenticationStatus=Abandoned", "ErrorCode=InvalidIdStatus",
		"ErrorCode=X&AuthenticationStatus=Success", "AuthenticationStatus=Success&AuthenticationStatus=Failure", "%zz", ""} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		res, err := ParseConfirmationRedirect(q)
		if err != nil {
			if res != nil {
				t.Fatal("result with error")
			}
			return
		}
		if (res.ErrorCode == "") == (res.AuthenticationStatus == "") {
			t.Fatalf("want exactly one of ErrorCode and AuthenticationStatus: %+v", res)
		}
		if res.Proceed() && (res.AuthenticationStatus != AuthenticationSuccess || hasNonBlank(q["ErrorCode"])) {
			t.Fatalf("success from %q", raw)
		}
	})
}

// FuzzDecodeResponse: any body with any status decodes to a typed output or
// a typed error; a non-2xx status is never a success.
// hasNonBlank reports whether any value has more than white space: a blank
// ErrorCode (as in "ErrorCode=+") is no error code, and is ignored.
func hasNonBlank(values []string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

func FuzzDecodeResponse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "responses", "*"))
	for _, name := range names {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(200, b)
			f.Add(503, b)
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var out SetOrderAttributesOutput
		err := decodeResponse("SetOrderAttributes", status, body, &out)
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("success with status %d", status)
			}
			if string(out.RawXML) != string(body) {
				t.Fatal("RawXML is not the body")
			}
		}
		var v ValidateBillingAgreementOutput
		if err := decodeResponse("ValidateBillingAgreement", status, body, &v); err == nil && (status < 200 || status > 299) {
			t.Fatalf("success with status %d", status)
		}
	})
}

// FuzzSignedBody: whatever the values, the signed body parses back to the
// same parameters plus a Signature that Sign reproduces.
func FuzzSignedBody(f *testing.F) {
	f.Add("SellerNote", "a b~c*d/e+f=g&h:i", "Ünïcödé €")
	f.Add("Z", "", "\x00\xff")
	f.Fuzz(func(t *testing.T, key, v1, v2 string) {
		if key == "" || key == "Signature" || key == "A" {
			return
		}
		values := url.Values{"A": {v1}, key: {v2}}
		body := signedBody(newMAC("k"), "h", "/p", sortedParams(values))
		got, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatal(err)
		}
		sig := got.Get("Signature")
		got.Del("Signature")
		if got.Encode() != values.Encode() {
			t.Fatalf("body %q does not round-trip %v", body, values)
		}
		if sig != Sign("k", "h", "/p", values) {
			t.Fatal("signature differs from Sign")
		}
	})
}
