package amazonpaytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// controlServer serves a sandbox with its control API, as
// cmd/amazonpaytest does, and a Go client for the shop's side.
func controlServer(t *testing.T, opts ...amazonpaytest.Option) (*amazonpaytest.Handler, *httptest.Server, *amazonpay.Client) {
	t.Helper()
	h := amazonpaytest.NewHandler(opts...)
	mux := http.NewServeMux()
	mux.Handle(amazonpaytest.ControlPath, amazonpaytest.NewControlHandler(h))
	mux.Handle("/", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	c, err := amazonpay.NewClient(amazonpay.Config{SellerID: h.SellerID(), AccessKeyID: h.AccessKeyID(), SecretKey: h.SecretKey(),
		Region: h.Region(), Sandbox: true}, amazonpay.WithEndpoint(ts.URL), amazonpay.WithClock(h.Now), amazonpay.WithRateLimiter(nil),
		amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	return h, ts, c
}

// control POSTs args to a control endpoint and returns the status and
// the decoded answer.
func control(t *testing.T, ts *httptest.Server, endpoint, args string) (int, map[string]any) {
	t.Helper()
	resp, err := ts.Client().Post(ts.URL+amazonpaytest.ControlPath+endpoint, "application/json", strings.NewReader(args))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return resp.StatusCode, out
}

// result is control for a call that must succeed.
func result(t *testing.T, ts *httptest.Server, endpoint, args string) any {
	t.Helper()
	status, out := control(t, ts, endpoint, args)
	require.Equal(t, http.StatusOK, status, "%s %s: %v", endpoint, args, out)
	return out["result"]
}

// The buyer's whole part of a checkout through the control API, the shop's
// through MWS: an SCA card whose challenge the buyer fails, then another
// card and a passed challenge, then the shop authorizes.
func TestControlAPICheckout(t *testing.T) {
	h, ts, c := controlServer(t)
	id := result(t, ts, "create-order-reference", `{"b": {"name": "Erika Mustermann", "email": "erika@example.com", "paymentMethod": "Mastercard **5100"}}`).(string)
	require.Regexp(t, `^S02-\d{7}-\d{7}$`, id)
	assert.Equal(t, "Draft", result(t, ts, "state", `{"id": "`+id+`"}`))

	tok := result(t, ts, "access-token", `{"id": "`+id+`"}`).(string)
	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id, AccessToken: tok})
	require.NoError(t, err)
	assert.Equal(t, "Erika Mustermann", got.OrderReferenceDetails.Buyer.Name)
	assert.Equal(t, "Berlin", got.OrderReferenceDetails.Destination.PhysicalDestination.City, "TestBuyer's address where none was given")

	result(t, ts, "select-address", `{"id": "`+id+`", "a": {"Name": "Erika Mustermann", "AddressLine1": "Marienplatz 8", "City": "München", "PostalCode": "80331", "CountryCode": "DE"}}`)
	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("20.00")}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)

	back := result(t, ts, "complete-confirmation-flow", `{"sellerID": "`+h.SellerID()+`", "id": "`+id+`", "status": "Failure"}`)
	assert.Equal(t, failURL+"?AuthenticationStatus=Failure", back)
	result(t, ts, "select-payment-method", `{"id": "`+id+`", "m": "Visa **1111"}`)
	back = result(t, ts, "run-confirmation-flow", `{"sellerID": "`+h.SellerID()+`", "id": "`+id+`"}`)
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", back)

	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "a1",
		AuthorizationAmount: eur("20.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	authID := auth.AuthorizationDetails.AmazonAuthorizationID

	obj := result(t, ts, "object", `{"id": "`+authID+`"}`).(map[string]any)
	assert.Equal(t, "Open", obj["State"])
	assert.Equal(t, "20.00", obj["Amount"])
	assert.Equal(t, id, obj["Parent"])
	order := result(t, ts, "object", `{"id": "`+id+`"}`).(map[string]any)
	assert.Equal(t, "Success", order["Authentication"])
	assert.Equal(t, map[string]any{"Authorizations": 1.0, "Captures": 0.0, "Refunds": 0.0}, result(t, ts, "money-movements", ``))

	// Amazon's part: closing the order reference cancels nothing it should not.
	result(t, ts, "amazon-cancel", `{"id": "`+id+`"}`)
	assert.Equal(t, "Canceled", h.State(id))
}

// A billing agreement as the widgets make it: no consent until the buyer
// gives it.
func TestControlAPIBillingAgreementConsent(t *testing.T) {
	h, ts, c := controlServer(t)
	id := result(t, ts, "create-billing-agreement", `{"b": {"Consent": false}}`).(string)
	require.Regexp(t, `^C02-\d{7}-\d{7}$`, id)
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id, SuccessURL: okURL, FailureURL: failURL})
	assert.Equal(t, amazonpay.ErrorCode("BillingAgreementConstraintsExist"), apiCode(t, err), "BuyerConsentNotSet keeps it from confirming")
	result(t, ts, "give-consent", `{"id": "`+id+`"}`)
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	assert.Equal(t, "Open", h.State(id))
}

// The clock, faults and the request log through the control API, and the
// answers to wrong calls.
func TestControlAPIClockFaultsAndErrors(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h, ts, c := controlServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	assert.Equal(t, "2026-03-01T12:00:00Z", result(t, ts, "now", `{}`))
	assert.Nil(t, result(t, ts, "advance", `{"d": "1h30m"}`))
	assert.Equal(t, start.Add(90*time.Minute), h.Now())

	result(t, ts, "inject-fault", `{"action": "GetServiceStatus", "n": 1, "f": {"Kind": "ServiceUnavailable"}}`)
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err, "the client retries the 503")
	reqs := result(t, ts, "requests-for", `{"action": "GetServiceStatus"}`).([]any)
	require.Len(t, reqs, 2)
	assert.Equal(t, 503.0, reqs[0].(map[string]any)["Status"])
	assert.Equal(t, 200.0, reqs[1].(map[string]any)["Status"])
	assert.Equal(t, 2.0, reqs[0].(map[string]any)["Fault"], "FaultServiceUnavailable")

	for _, tc := range []struct {
		endpoint, args string
		status         int
		msg            string
	}{
		{"no-such-method", `{}`, 404, `no control endpoint "no-such-method"`},
		{"state", `{"id": "S02-0000000-0000000", "x": 1}`, 400, `State takes no argument "x" (its arguments: id)`},
		{"select-payment-method", `{"id": "S02-0000000-0000000"}`, 400, `SelectPaymentMethod needs the argument "m"`},
		{"advance", `{"d": 60}`, 400, `argument "d": want a Go duration string`},
		{"advance", `[1]`, 400, `the body must be a JSON object of arguments`},
		{"inject-fault", `{"action": "Authorize", "n": 1, "f": {"Kind": "Boom"}}`, 400, `want a fault kind, one of`},
		{"create-order-reference", `{"b": {"adress": {}}}`, 400, `unknown field "adress"`},
		{"give-consent", `{"id": "C02-0000000-0000000"}`, 404, `no such object`},
		{"object", `{"id": "S02-0000000-0000000"}`, 404, `Object: amazonpaytest: no such object`},
		{"create-order-reference-for", `{"sellerID": "A2OTHER"}`, 404, `unknown seller`},
		{"wait-notifications", `{"ctx": 1}`, 400, `WaitNotifications takes no argument "ctx"`},
	} {
		status, out := control(t, ts, tc.endpoint, tc.args)
		assert.Equal(t, tc.status, status, "%s %s", tc.endpoint, tc.args)
		assert.Contains(t, out["error"], tc.msg, "%s %s", tc.endpoint, tc.args)
	}
	id := h.CreateOrderReference(amazonpaytest.TestBuyer())
	h.AmazonCancel(id)
	status, out := control(t, ts, "select-payment-method", `{"id": "`+id+`", "m": "Visa **1111"}`)
	assert.Equal(t, http.StatusConflict, status, out)

	resp, err := ts.Client().Get(ts.URL + amazonpaytest.ControlPath + "now")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// GET on the prefix lists every endpoint with its parameters.
func TestControlAPIIndex(t *testing.T) {
	_, ts, _ := controlServer(t)
	resp, err := ts.Client().Get(ts.URL + amazonpaytest.ControlPath)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Result []amazonpaytest.ControlEndpoint
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	assert.Equal(t, amazonpaytest.ControlEndpoints(), out.Result)
	assert.Contains(t, out.Result, amazonpaytest.ControlEndpoint{Path: "/_sandbox/v1/select-payment-method", Method: "SelectPaymentMethod", Params: []string{"id", "m"}})
}

// With WithWallClockTimestampWindow a client stamping real time keeps
// working after Advance; without it the sandbox refuses it, as MWS would
// a clock 20 minutes off.
func TestWallClockTimestampWindow(t *testing.T) {
	for _, wall := range []bool{false, true} {
		var opts []amazonpaytest.Option
		if wall {
			opts = append(opts, amazonpaytest.WithWallClockTimestampWindow())
		}
		srv := newServer(t, opts...)
		c := srv.AmazonPay(amazonpay.WithClock(time.Now), amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 0}))
		srv.Advance(20 * time.Minute)
		_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
		if wall {
			assert.NoError(t, err)
		} else {
			assert.Equal(t, amazonpay.ErrorCode("InvalidParameterValue"), apiCode(t, err))
			assert.Contains(t, err.Error(), "must be within 15 minutes of the server time")
		}
	}
}

// A lower-case z, as RFC 3339 allows and the npm package amazon-payments
// sends, is a valid Timestamp.
func TestTimestampLowerCaseZ(t *testing.T) {
	srv := newServer(t)
	v := rawForm(srv, "GetServiceStatus")
	v.Set("Timestamp", srv.Now().UTC().Format("2006-01-02T15:04:05")+"z")
	status, body := post(t, srv, sign(srv, srv.SecretKey(), v))
	assert.Equal(t, http.StatusOK, status, body)
}

// Login with Amazon takes the token as a bearer token too (RFC 6750).
func TestLoginWithAmazonBearerToken(t *testing.T) {
	srv := newServer(t)
	tok := srv.SignIn(amazonpaytest.TestBuyer())
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/user/profile", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "bearer "+tok)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var profile map[string]string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&profile))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "buyer@example.com", profile["email"])
}
