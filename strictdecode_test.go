package amazonpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 7 §5: a 2xx reply is a success only when it is the whole document.

func authorizeInput() *AuthorizeInput {
	return &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-7654321", AuthorizationReferenceID: "auth-1",
		AuthorizationAmount: &Price{Amount: "42.50"}}
}

// authorizeWith answers one Authorize with body and returns what the client made of it.
func authorizeWith(t *testing.T, body string) (*AuthorizeOutput, error) {
	t.Helper()
	c, mt := newTestClient(t)
	mt.RegisterResponder("POST", testEndpoint, httpmock.NewStringResponder(200, body))
	return c.Authorize(context.Background(), authorizeInput())
}

func TestStrictDecodingRefusesIncompleteOrAmbiguousReplies(t *testing.T) {
	t.Parallel()
	full := string(fixture(t, "AuthorizeResponse.xml"))
	details := full[strings.Index(full, "<AuthorizationDetails>"):strings.Index(full, "</AuthorizeResult>")]
	for _, tc := range []struct{ name, body, cause string }{
		{"no result element", mwsResponse("Authorize", "")[:0] +
			`<AuthorizeResponse xmlns="x"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AuthorizeResponse>`,
			"no <AuthorizeResult>"},
		{"empty result", mwsResponse("Authorize", ""), "no <AmazonAuthorizationId>"},
		{"no authorization id", strings.Replace(full, "<AmazonAuthorizationId>S02-1234567-7654321-A000001</AmazonAuthorizationId>", "", 1),
			"no <AmazonAuthorizationId>"},
		{"blank authorization id", strings.Replace(full, "S02-1234567-7654321-A000001</AmazonAuthorizationId>", " </AmazonAuthorizationId>", 1),
			"no <AmazonAuthorizationId>"},
		{"element after the root", full + "<AuthorizeResponse/>", "element <AuthorizeResponse> after the root"},
		{"text after the root", full + "trailing", "text after the root"},
		{"text before the root", "junk" + full[strings.Index(full, "<AuthorizeResponse"):], "text before the root"},
		{"second AuthorizationDetails", strings.Replace(full, "</AuthorizeResult>", details+"</AuthorizeResult>", 1),
			"element <AuthorizationDetails> twice in <AuthorizeResult>"},
		{"second AuthorizeResult", strings.Replace(full, "<ResponseMetadata>", "<AuthorizeResult>"+details+"</AuthorizeResult><ResponseMetadata>", 1),
			"element <AuthorizeResult> twice in <AuthorizeResponse>"},
		{"second State", strings.Replace(full, "<State>Closed</State>", "<State>Closed</State><State>Open</State>", 1),
			"element <State> twice in <AuthorizationStatus>"},
		{"second Amount", strings.Replace(full, "<Amount>42.50</Amount>", "<Amount>42.50</Amount><Amount>1.00</Amount>", 1),
			"element <Amount> twice in <AuthorizationAmount>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := authorizeWith(t, tc.body)
			assert.Nil(t, out, "never a success")
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
			assert.Equal(t, 200, ue.StatusCode)
			assert.Contains(t, ue.Err.Error(), tc.cause)
		})
	}
}

func TestStrictDecodingKeepsLists(t *testing.T) {
	t.Parallel()
	full := string(fixture(t, "AuthorizeResponse.xml"))
	two := strings.Replace(full, "<member>S02-1234567-7654321-C000001</member>",
		"<member>S02-1234567-7654321-C000001</member><member>S02-1234567-7654321-C000002</member>", 1)
	out, err := authorizeWith(t, two)
	require.NoError(t, err)
	assert.Equal(t, []string{"S02-1234567-7654321-C000001", "S02-1234567-7654321-C000002"}, out.AuthorizationDetails.IDList.IDs())

	// Lists of objects (Constraints) and comments after the root are fine.
	c, mt := newTestClient(t)
	body := mwsResponse("GetOrderReferenceDetails", `<OrderReferenceDetails><AmazonOrderReferenceId>S02-1234567-7654321</AmazonOrderReferenceId>`+
		`<Constraints><Constraint><ConstraintID>ShippingAddressNotSet</ConstraintID><Description>a</Description></Constraint>`+
		`<Constraint><ConstraintID>PaymentPlanNotSet</ConstraintID><Description>b</Description></Constraint></Constraints>`+
		`<OrderReferenceStatus><State>Draft</State></OrderReferenceStatus></OrderReferenceDetails>`) + "\n<!-- served by mws -->\n"
	mt.RegisterResponder("POST", testEndpoint, httpmock.NewStringResponder(200, body))
	got, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	require.NoError(t, err)
	require.Len(t, got.OrderReferenceDetails.Constraints, 2)
	assert.Equal(t, ConstraintPaymentPlanNotSet, got.OrderReferenceDetails.Constraints[1].ConstraintID)
}

// A reply that declares a single-byte encoding is read, not refused.
func TestDeclaredEncodings(t *testing.T) {
	t.Parallel()
	latin1 := func(s string) string { // "ü" as the one byte 0xFC
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return string(b)
	}
	for _, enc := range []string{"US-ASCII", "ISO-8859-1", "iso-8859-1", "latin1"} {
		t.Run(enc, func(t *testing.T) {
			c, mt := newTestClient(t)
			note := "Order 1001"
			if enc != "US-ASCII" {
				note = "Bestellung für Müller"
			}
			body := `<?xml version="1.0" encoding="` + enc + `"?>` + "\n" + mwsResponse("GetOrderReferenceDetails",
				`<OrderReferenceDetails><AmazonOrderReferenceId>S02-1234567-7654321</AmazonOrderReferenceId><SellerNote>`+note+
					`</SellerNote><OrderReferenceStatus><State>Open</State></OrderReferenceStatus></OrderReferenceDetails>`)
			mt.RegisterResponder("POST", testEndpoint, httpmock.NewStringResponder(200, latin1(body)))
			got, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
			require.NoError(t, err)
			assert.Equal(t, note, got.OrderReferenceDetails.SellerNote)
		})
	}
	// An ErrorResponse in ISO-8859-1 is still an *APIError.
	c, mt := newTestClient(t)
	errBody := `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" + string(fixture(t, "ErrorResponse.xml"))
	mt.RegisterResponder("POST", testEndpoint, httpmock.NewStringResponder(400, errBody))
	_, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	assert.ErrorIs(t, err, ErrorOrderReferenceNotModifiable)
	// Any other encoding is an unexpected response, never a success.
	c, mt = newTestClient(t)
	mt.RegisterResponder("POST", testEndpoint, httpmock.NewStringResponder(200,
		`<?xml version="1.0" encoding="UTF-16"?>`+string(fixture(t, "AuthorizeResponse.xml"))[38:]))
	_, err = c.Authorize(context.Background(), authorizeInput())
	var ue *UnexpectedResponseError
	assert.True(t, errors.As(err, &ue), "%T %v", err, err)
}

// An empty page that still hands out a token would loop for ever.
func TestListOrderReferenceAllEmptyPageWithToken(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	n := 0
	mt.RegisterResponder("POST", testEndpoint, func(req *http.Request) (*http.Response, error) {
		n++
		action := "ListOrderReferenceByNextToken"
		if n == 1 {
			action = "ListOrderReference"
		}
		return httpmock.NewStringResponse(200, listPage(action, fmt.Sprintf("tok%d", n))), nil
	})
	var last error
	count := 0
	for _, err := range c.ListOrderReferenceAll(context.Background(), &ListOrderReferenceInput{QueryID: "o", QueryIDType: QueryIDTypeSellerOrderID}) {
		count++
		last = err
		if count > 5 {
			break
		}
	}
	assert.Equal(t, 1, count, "one error, no order reference")
	var ue *UnexpectedResponseError
	require.True(t, errors.As(last, &ue), "%v", last)
	assert.Contains(t, ue.Error(), "empty page")
	assert.Equal(t, 1, n, "no page fetched after an empty one with a token")
}
