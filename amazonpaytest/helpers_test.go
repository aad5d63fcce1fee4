package amazonpaytest_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

const (
	okURL   = "https://shop.example/amazon/ok"
	failURL = "https://shop.example/amazon/fail"
)

// newServer starts a sandbox that is closed when the test ends.
func newServer(t *testing.T, opts ...amazonpaytest.Option) *amazonpaytest.Server {
	t.Helper()
	srv := amazonpaytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// eur is a price in euros.
func eur(amount string) *amazonpay.Price {
	return &amazonpay.Price{Amount: amount, CurrencyCode: "EUR"}
}

// apiCode returns the MWS error code of err, failing the test if err is
// not an *amazonpay.APIError.
func apiCode(t *testing.T, err error) amazonpay.ErrorCode {
	t.Helper()
	var apiErr *amazonpay.APIError
	require.Error(t, err)
	require.True(t, errors.As(err, &apiErr), "want *amazonpay.APIError, got %T: %v", err, err)
	return apiErr.Code
}

// apiError returns err as an *amazonpay.APIError.
func apiError(t *testing.T, err error) *amazonpay.APIError {
	t.Helper()
	var apiErr *amazonpay.APIError
	require.True(t, errors.As(err, &apiErr), "want *amazonpay.APIError, got %T: %v", err, err)
	return apiErr
}

// openOrder drives an order reference of buyer to Open: the buyer signs
// in, the shop sets the total and confirms with the Confirmation Flow URLs.
func openOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, buyer amazonpaytest.Buyer, total string) string {
	t.Helper()
	id := srv.CreateOrderReference(buyer)
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur(total)},
	})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL,
	})
	require.NoError(t, err)
	return id
}

// authorizedOrder is openOrder plus a passed Confirmation Flow and a
// synchronous authorization of the whole total.
func authorizedOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, total string) (oroID, authID string) {
	t.Helper()
	oroID = openOrder(t, srv, c, amazonpaytest.TestBuyer(), total)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), oroID)
	require.NoError(t, err)
	require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "auth-" + oroID[len(oroID)-7:],
		AuthorizationAmount: eur(total), TransactionTimeout: amazonpay.Int(0),
	})
	require.NoError(t, err)
	require.Equal(t, "Open", string(out.AuthorizationDetails.AuthorizationStatus.State))
	return oroID, out.AuthorizationDetails.AmazonAuthorizationID
}

// rawForm returns the common parameters of a call, signed for srv.
func rawForm(srv *amazonpaytest.Server, action string, kv ...string) url.Values {
	v := url.Values{
		"Action":           {action},
		"AWSAccessKeyId":   {srv.AccessKeyID()},
		"SellerId":         {srv.SellerID()},
		"SignatureMethod":  {"HmacSHA256"},
		"SignatureVersion": {"2"},
		"Timestamp":        {amazonpay.FormatTimestamp(srv.Now())},
		"Version":          {amazonpay.APIVersion},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// sign (re)computes the Signature of v for srv with secret.
func sign(srv *amazonpaytest.Server, secret string, v url.Values) url.Values {
	v.Del("Signature")
	u, _ := url.Parse(srv.URL)
	v.Set("Signature", amazonpay.Sign(secret, u.Host, srv.Path(), v))
	return v
}

// post sends v to srv's API path and returns the status and body.
func post(t *testing.T, srv *amazonpaytest.Server, v url.Values) (int, string) {
	t.Helper()
	resp, err := srv.Client().Post(srv.Endpoint(), "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// raw sends a correctly signed call of action with the given parameters.
func raw(t *testing.T, srv *amazonpaytest.Server, action string, kv ...string) (int, string) {
	t.Helper()
	return post(t, srv, sign(srv, srv.SecretKey(), rawForm(srv, action, kv...)))
}

// mwsError is an ErrorResponse as the tests read it.
type mwsError struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
	// RequestIDThrottled is the throttled spelling.
	RequestIDThrottled string `xml:"RequestID"`
}

// rawError sends a signed call that must fail and returns its error.
func rawError(t *testing.T, srv *amazonpaytest.Server, wantStatus int, action string, kv ...string) mwsError {
	t.Helper()
	status, body := raw(t, srv, action, kv...)
	require.Equal(t, wantStatus, status, body)
	return parseError(t, body)
}

func parseError(t *testing.T, body string) mwsError {
	t.Helper()
	var e mwsError
	require.NoError(t, xml.Unmarshal([]byte(body), &e), body)
	assert.Contains(t, body, `xmlns="`+amazonpaytest.Namespace+`"`)
	return e
}

func mustState(t *testing.T, srv *amazonpaytest.Server, id, state, reason string) {
	t.Helper()
	obj, ok := srv.Object(id)
	require.True(t, ok, "no object %s", id)
	assert.Equal(t, state, obj.State, "state of %s", id)
	assert.Equal(t, reason, obj.ReasonCode, "reason code of %s", id)
}

// noRedirects is an *http.Client that reports redirects instead of
// following them.
func noRedirects(srv *amazonpaytest.Server) *http.Client {
	hc := *srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// confirmedBillingAgreement is a billing agreement of TestBuyer confirmed
// with the Confirmation Flow URLs, the buyer back with Success.
func confirmedBillingAgreement(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) string {
	t.Helper()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	return id
}

// token is a Login with Amazon access token of the buyer of id.
func token(t *testing.T, srv *amazonpaytest.Server, id string) string {
	t.Helper()
	tok, err := srv.AccessToken(id)
	require.NoError(t, err)
	return tok
}
