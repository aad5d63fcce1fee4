package amazonpaytest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// widgetCall posts a JSON body to a widget endpoint and decodes the answer.
func widgetCall(t *testing.T, srv *amazonpaytest.Server, op string, body map[string]any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := srv.Client().Post(srv.URL+amazonpaytest.WidgetsPath+"v1/"+op, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// signIn returns an access token of the test buyer.
func signIn(t *testing.T, srv *amazonpaytest.Server) string {
	t.Helper()
	code, out := widgetCall(t, srv, "login", map[string]any{"clientId": "amzn1.application-oa2-client.test", "scope": "profile payments:widget"})
	require.Equal(t, http.StatusOK, code, out)
	assert.Equal(t, "bearer", out["token_type"])
	assert.Equal(t, 3600.0, out["expires_in"])
	assert.Equal(t, "profile payments:widget", out["scope"])
	tok, _ := out["access_token"].(string)
	require.True(t, strings.HasPrefix(tok, "Atza|"), tok)
	return tok
}

func TestWidgetsJS(t *testing.T) {
	srv := newServer(t)
	resp, err := srv.Client().Get(srv.WidgetsURL())
	require.NoError(t, err)
	defer resp.Body.Close()
	js, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
	for _, name := range []string{"onAmazonLoginReady", "onAmazonPaymentsReady", "setClientId", "authorize", "logout",
		"AddressBook", "Wallet", "Consent", "onOrderReferenceCreate", "onAddressSelect", "onPaymentSelect",
		"getErrorCode", "getErrorMessage", "initConfirmationFlow", "getAmazonBillingAgreementId", "getConsentStatus"} {
		assert.Contains(t, string(js), name)
	}

	resp, err = srv.Client().Get(srv.URL + amazonpaytest.WidgetsPath + "nothing.js")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestWidgetOrderReference(t *testing.T) {
	srv := newServer(t)

	code, out := widgetCall(t, srv, "login", map[string]any{})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "invalid_request", out["errorCode"])

	code, out = widgetCall(t, srv, "order-reference", map[string]any{"sellerId": srv.SellerID()})
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "BuyerSessionExpired", out["errorCode"])
	assert.Empty(t, srv.Objects(amazonpaytest.KindOrderReference), "no order reference without a sign-in")

	tok := signIn(t, srv)
	code, out = widgetCall(t, srv, "order-reference", map[string]any{"sellerId": "A2UNKNOWN", "accessToken": tok})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "InvalidSellerId", out["errorCode"])

	code, out = widgetCall(t, srv, "order-reference", map[string]any{"sellerId": srv.SellerID(), "accessToken": tok})
	require.Equal(t, http.StatusOK, code, out)
	id := out["id"].(string)
	assert.Regexp(t, `^S02-\d{7}-\d{7}$`, id)
	want := map[string]any{
		"id": id, "kind": "OrderReference", "state": "Draft", "consent": false,
		"addresses": []any{
			map[string]any{"index": 0.0, "label": "Test Buyer, Teststr. 1, 10115 Berlin, DE", "selected": true},
			map[string]any{"index": 1.0, "label": "Test Buyer, Marienplatz 8, 80331 München, DE", "selected": false},
		},
	}
	methods := out["paymentMethods"].([]any)
	delete(out, "paymentMethods")
	assert.Equal(t, want, out)
	require.Len(t, methods, 8)
	assert.Equal(t, map[string]any{"method": "Visa **1111", "note": "no challenge, never declined", "selected": true}, methods[0])
	assert.Equal(t, map[string]any{"method": "Visa **8320", "note": "* the issuer asks for authentication: fails", "selected": false}, methods[2])

	// The buyer picks another card and address: the model changes.
	code, out = widgetCall(t, srv, "select-payment-method", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok, "paymentMethod": "Mastercard **5100"})
	require.Equal(t, http.StatusOK, code, out)
	assert.Equal(t, true, out["paymentMethods"].([]any)[1].(map[string]any)["selected"])
	assert.Equal(t, false, out["paymentMethods"].([]any)[0].(map[string]any)["selected"])
	obj, _ := srv.Object(id)
	assert.Equal(t, amazonpaytest.PaymentMethodSCAPass, obj.PaymentMethod)

	code, out = widgetCall(t, srv, "select-address", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok, "addressIndex": 1})
	require.Equal(t, http.StatusOK, code, out)
	assert.Equal(t, true, out["addresses"].([]any)[1].(map[string]any)["selected"])
	c := srv.AmazonPay()
	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Equal(t, "80331", got.OrderReferenceDetails.Destination.PhysicalDestination.PostalCode)

	// Refusals: no change happens.
	for _, tc := range []struct {
		op   string
		body map[string]any
		code int
		err  string
	}{
		{"select-payment-method", map[string]any{"id": id, "paymentMethod": "Amex **0005"}, 400, "InvalidParameterValue"},
		{"select-address", map[string]any{"id": id, "addressIndex": 2}, 400, "InvalidParameterValue"},
		{"select-address", map[string]any{"id": id}, 400, "InvalidParameterValue"},
		{"wallet", map[string]any{"id": "S02-0000000-0000000"}, 404, "InvalidOrderReferenceId"},
		{"wallet", map[string]any{"id": "C02-0000000-0000000"}, 404, "InvalidBillingAgreementId"},
		{"wallet", map[string]any{"id": id, "sellerId": "A2OTHER"}, 400, "InvalidSellerId"},
		{"wallet", map[string]any{"id": id, "sellerId": ""}, 400, "MissingParameter"},
		{"wallet", map[string]any{"id": id, "extra": 1}, 400, "InvalidParameterValue"},
		{"nothing", map[string]any{"id": id}, 404, "InvalidParameterValue"},
	} {
		body := map[string]any{"sellerId": srv.SellerID(), "accessToken": tok}
		for k, v := range tc.body {
			body[k] = v
		}
		code, out := widgetCall(t, srv, tc.op, body)
		assert.Equal(t, tc.code, code, "%s %v", tc.op, tc.body)
		assert.Equal(t, tc.err, out["errorCode"], "%s %v", tc.op, tc.body)
		assert.NotEmpty(t, out["errorMessage"])
	}
	obj, _ = srv.Object(id)
	assert.Equal(t, amazonpaytest.PaymentMethodSCAPass, obj.PaymentMethod)

	// A Draft goes stale after 3 hours (Canceled): it can no longer be changed.
	srv.Advance(4 * time.Hour)
	mustState(t, srv, id, "Canceled", "Stale")
	code, out = widgetCall(t, srv, "select-payment-method", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok, "paymentMethod": "Visa **1111"})
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "PaymentMethodNotModifiable", out["errorCode"])
}

func TestWidgetBillingAgreementConsent(t *testing.T) {
	srv := newServer(t)
	tok := signIn(t, srv)
	code, out := widgetCall(t, srv, "billing-agreement", map[string]any{"sellerId": srv.SellerID(), "accessToken": tok})
	require.Equal(t, http.StatusOK, code, out)
	id := out["id"].(string)
	assert.Regexp(t, `^C02-\d{7}-\d{7}$`, id)
	assert.Equal(t, "BillingAgreement", out["kind"])
	assert.Equal(t, false, out["consent"])
	obj, _ := srv.Object(id)
	assert.Equal(t, []string{"BuyerConsentNotSet"}, obj.Constraints)

	code, out = widgetCall(t, srv, "consent", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok, "consent": true})
	require.Equal(t, http.StatusOK, code, out)
	assert.Equal(t, true, out["consent"])
	obj, _ = srv.Object(id)
	assert.Empty(t, obj.Constraints)

	code, out = widgetCall(t, srv, "consent", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok, "consent": false})
	require.Equal(t, http.StatusOK, code, out)
	assert.Equal(t, false, out["consent"])
	obj, _ = srv.Object(id)
	assert.Equal(t, []string{"BuyerConsentNotSet"}, obj.Constraints)

	code, out = widgetCall(t, srv, "consent", map[string]any{"sellerId": srv.SellerID(), "id": id, "accessToken": tok})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "InvalidParameterValue", out["errorCode"])
}

func TestWidgetCORSPreflight(t *testing.T) {
	srv := newServer(t)
	req, err := http.NewRequest(http.MethodOptions, srv.URL+amazonpaytest.WidgetsPath+"v1/order-reference", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", "http://127.0.0.1:1")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "POST", resp.Header.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "Content-Type", resp.Header.Get("Access-Control-Allow-Headers"))

	resp, err = srv.Client().Get(srv.URL + amazonpaytest.WidgetsPath + "v1/wallet")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func challengeURL(srv *amazonpaytest.Server, id string) string {
	return srv.URL + amazonpaytest.ChallengePath + "?" + url.Values{"sellerId": {srv.SellerID()}, "amazonPaymentContractId": {id}}.Encode()
}

// answer presses a button of the hosted page and returns where the buyer is sent.
func answer(t *testing.T, srv *amazonpaytest.Server, id, outcome string) *http.Response {
	t.Helper()
	resp, err := noRedirects(srv).PostForm(srv.URL+amazonpaytest.ChallengePath, url.Values{
		"sellerId": {srv.SellerID()}, "amazonPaymentContractId": {id}, "AuthenticationStatus": {outcome}})
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

func TestChallengePage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		method   amazonpaytest.PaymentMethod
		press    string
		location string
		state    string
	}{
		{"pass", amazonpaytest.PaymentMethodSCAPass, "Success", okURL + "?AuthenticationStatus=Success", "Open"},
		{"fail", amazonpaytest.PaymentMethodSCAFail, "Failure", failURL + "?AuthenticationStatus=Failure", "Open"},
		{"cancel", amazonpaytest.PaymentMethodSCAAbandon, "Abandoned", failURL + "?AuthenticationStatus=Abandoned", "Suspended"},
		// The button decides, not the card's expected outcome.
		{"cancel a passing card", amazonpaytest.PaymentMethodSCAPass, "Abandoned", failURL + "?AuthenticationStatus=Abandoned", "Suspended"},
		{"fail a passing card", amazonpaytest.PaymentMethodSCAPass, "Failure", failURL + "?AuthenticationStatus=Failure", "Open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			c := srv.AmazonPay()
			buyer := amazonpaytest.TestBuyer()
			buyer.PaymentMethod = tc.method
			id := openOrder(t, srv, c, buyer, "42.00")

			resp, err := srv.Client().Get(challengeURL(srv, id))
			require.NoError(t, err)
			page, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Contains(t, string(page), `<strong id="challenge-amount">42.00 EUR</strong>`)
			assert.Contains(t, string(page), `<span id="challenge-method">`+string(tc.method)+`</span>`)
			assert.Len(t, srv.RequestsFor(amazonpaytest.ConfirmationFlow), 0, "showing the challenge decides nothing")

			resp = answer(t, srv, id, tc.press)
			assert.Equal(t, http.StatusFound, resp.StatusCode)
			assert.Equal(t, tc.location, resp.Header.Get("Location"))
			obj, _ := srv.Object(id)
			assert.Equal(t, tc.press, obj.Authentication)
			assert.Equal(t, tc.state, obj.State)
			flows := srv.RequestsFor(amazonpaytest.ConfirmationFlow)
			require.Len(t, flows, 1)
			assert.Equal(t, id, flows[0].Params.Get("amazonPaymentContractId"))

			// The challenge is answered: the page now sends the buyer on
			// (InvalidIdStatus for a Suspended object) and a second answer
			// changes nothing that the card would not.
			resp, err = noRedirects(srv).Get(challengeURL(srv, id))
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusFound, resp.StatusCode)
			assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), amazonpaytest.ConfirmationFlowPath+"?"), resp.Header.Get("Location"))
		})
	}
}

// The button stands in for the card only for that visit: the next flow of
// the same object follows the card again.
func TestChallengeAnswerIsNotKept(t *testing.T) {
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAAbandon
	id := openOrder(t, srv, c, buyer, "10.00")
	resp := answer(t, srv, id, "Success")
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", resp.Header.Get("Location"))

	_, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "Abandoned", back.Query().Get("AuthenticationStatus"))
}

func TestChallengePageWithoutChallenge(t *testing.T) {
	srv := newServer(t)
	c := srv.AmazonPay()
	id := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "10.00") // PaymentMethodOK: no challenge
	resp, err := noRedirects(srv).Get(challengeURL(srv, id))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc := resp.Header.Get("Location")
	assert.Equal(t, amazonpaytest.ConfirmationFlowPath+"?"+url.Values{"amazonPaymentContractId": {id}, "sellerId": {srv.SellerID()}}.Encode(), loc)

	// A browser follows both redirects to the shop.
	resp, err = noRedirects(srv).Get(srv.URL + loc)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", resp.Header.Get("Location"))

	// Pressing a button without a challenge due does not decide the outcome.
	id = openOrder(t, srv, c, amazonpaytest.TestBuyer(), "10.00")
	resp = answer(t, srv, id, "Failure")
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", resp.Header.Get("Location"))

	// Bad answers.
	resp = answer(t, srv, id, "Maybe")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	req, err := http.NewRequest(http.MethodPut, challengeURL(srv, id), nil)
	require.NoError(t, err)
	resp, err = srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// A shop's page loads the fake Widgets.js from the sandbox instead of
// Amazon's: <script src="{{.WidgetsURL}}"></script>.
func ExampleServer_WidgetsURL() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	resp, err := srv.Client().Get(srv.WidgetsURL())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(strings.TrimPrefix(srv.WidgetsURL(), srv.URL), resp.Status, resp.Header.Get("Content-Type"))
	// Output: /widgets/Widgets.js 200 OK application/javascript; charset=utf-8
}

// A billing agreement is confirmed without an amount: the challenge shows
// the subscription amount.
func TestChallengePageBillingAgreement(t *testing.T) {
	srv := newServer(t)
	c := srv.AmazonPay()
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := srv.CreateBillingAgreement(buyer)
	_, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: ba,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
			BillingAgreementType: amazonpay.MerchantInitiatedTransaction, SubscriptionAmount: eur("9.99"),
		},
	})
	require.NoError(t, err)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: ba, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	resp, err := srv.Client().Get(challengeURL(srv, ba))
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(page), `<strong id="challenge-amount">9.99 EUR</strong>`)
	resp = answer(t, srv, ba, "Success")
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", resp.Header.Get("Location"))
	obj, _ := srv.Object(ba)
	assert.Equal(t, "Success", obj.Authentication)
}
