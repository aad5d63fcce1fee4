package amazonpaytest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Section 3 of issue 8: usable for hours, by any client.

func TestClockFollowsWallClockByDefault(t *testing.T) {
	srv := newServer(t)
	before := time.Now()
	now := srv.Now()
	assert.WithinDuration(t, before, now, time.Minute, "the default clock is the wall clock")

	// A client that stamps real time (no WithClock) is accepted.
	c, err := amazonpay.NewClient(amazonpay.Config{SellerID: srv.SellerID(), AccessKeyID: srv.AccessKeyID(), SecretKey: srv.SecretKey(),
		Region: srv.Region(), Sandbox: true}, amazonpay.WithEndpoint(srv.URL), amazonpay.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)

	// The wall clock moves on by itself: wait until it has (bounded).
	deadline := time.Now().Add(5 * time.Second)
	for !srv.Now().After(now) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.True(t, srv.Now().After(now), "the clock moved with the wall clock")

	// Advance adds an offset on top of the wall clock.
	before = srv.Now()
	srv.Advance(2 * time.Hour)
	assert.GreaterOrEqual(t, srv.Now().Sub(before), 2*time.Hour)
	// Now a real-time client is 2 h off and refused, as by Amazon.
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.Equal(t, amazonpay.ErrorInvalidParameterValue, apiCode(t, err))
	// A client on the sandbox clock is not.
	_, err = srv.AmazonPay().GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
}

func TestFrozenClockStandsStill(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := newServer(t, amazonpaytest.WithStartTime(start), amazonpaytest.WithFrozenClock())
	assert.Equal(t, start, srv.Now())
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, start, srv.Now(), "a frozen clock does not follow the wall clock")
	srv.Advance(90 * time.Second)
	assert.Equal(t, start.Add(90*time.Second), srv.Now())
	srv.Advance(-time.Hour)
	assert.Equal(t, start.Add(90*time.Second), srv.Now(), "a negative Advance is ignored")
}

// The body as the official SDKs send it: + for spaces, Signature in the
// middle, parameters in no particular order. The sandbox verifies the
// decoded form with its own code.
func TestSignatureOfficialSDKBodyForms(t *testing.T) {
	srv := newServer(t)
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	v := rawForm(srv, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
		"OrderReferenceAttributes.OrderTotal.Amount", "10.00", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR",
		"OrderReferenceAttributes.SellerNote", "two words & more ü")
	sign(srv, srv.SecretKey(), v)
	sig := v.Get("Signature")
	v.Del("Signature")
	// url.Values.Encode writes spaces as +; put Signature in the middle.
	parts := strings.Split(v.Encode(), "&")
	parts = append(parts[:3], append([]string{"Signature=" + url.QueryEscape(sig)}, parts[3:]...)...)
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	body := strings.Join(parts, "&")
	require.Contains(t, body, "two+words")
	resp, err := srv.Client().Post(srv.Endpoint(), "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	// Signed for another host than the Host header: refused.
	v = rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	v.Set("Signature", amazonpay.Sign(srv.SecretKey(), "mws-eu.amazonservices.com", srv.Path(), v))
	e := parseError(t, mustPost(t, srv, v, http.StatusForbidden))
	assert.Equal(t, "SignatureDoesNotMatch", e.Code)

	// Signature given twice: refused.
	v = sign(srv, srv.SecretKey(), rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id))
	v.Add("Signature", v.Get("Signature"))
	e = parseError(t, mustPost(t, srv, v, http.StatusForbidden))
	assert.Equal(t, "SignatureDoesNotMatch", e.Code)
}

func mustPost(t *testing.T, srv *amazonpaytest.Server, v url.Values, status int) string {
	t.Helper()
	got, body := post(t, srv, v)
	require.Equal(t, status, got, body)
	return body
}

// A SuccessUrl with raw spaces and UTF-8 still gives a valid Location.
func TestConfirmationFlowLocationIsPercentEncoded(t *testing.T) {
	srv := newServer(t)
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	status, body := raw(t, srv, "SetOrderReferenceDetails", "AmazonOrderReferenceId", id,
		"OrderReferenceAttributes.OrderTotal.Amount", "10.00", "OrderReferenceAttributes.OrderTotal.CurrencyCode", "EUR")
	require.Equal(t, 200, status, body)
	status, body = raw(t, srv, "ConfirmOrderReference", "AmazonOrderReferenceId", id,
		"SuccessUrl", "https://shop.example/zurück/ok page?order=a b&name=Jürgen#top", "FailureUrl", failURL)
	require.Equal(t, 200, status, body)

	resp, err := noRedirects(srv).Get(srv.ConfirmationFlowURL(id))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc := resp.Header.Get("Location")
	for _, r := range loc {
		require.True(t, r > ' ' && r < 0x7f, "Location %q has the raw character %q", loc, r)
	}
	u, err := url.Parse(loc)
	require.NoError(t, err)
	assert.Equal(t, "/zurück/ok page", u.Path)
	assert.Equal(t, url.Values{"order": {"a b"}, "name": {"Jürgen"}, "AuthenticationStatus": {"Success"}}, u.Query())
	assert.Equal(t, "https://shop.example/zur%C3%BCck/ok%20page?order=a%20b&name=J%C3%BCrgen&AuthenticationStatus=Success#top", loc)
}

func TestServeHTTPNilBody(t *testing.T) {
	h := amazonpaytest.NewHandler()
	req := httptest.NewRequest(http.MethodPost, h.Path(), nil)
	req.Body = nil
	rec := httptest.NewRecorder()
	require.NotPanics(t, func() { h.ServeHTTP(rec, req) })
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	e := parseError(t, rec.Body.String())
	assert.Equal(t, "MissingParameter", e.Code)
}
