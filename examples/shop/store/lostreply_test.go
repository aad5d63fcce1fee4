package store_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A subscriber's first "subscribe" whose reply never reached the browser
// (the shop was killed after ConfirmSubscription recorded the payment:
// TestKillMidCheckout found it) must not leave the buyer locked out: the
// session cookie came with that lost reply, so the browser presses again
// without it and was told "This checkout cannot be confirmed" (400, the
// billing agreement belonged to the lost session's subscription). Signing
// in with Amazon Pay for the subscription (the checkout page opened with
// its access token) now gives the session, before any money call.
func TestSubscribeAgainAfterALostReply(t *testing.T) {
	h := newHarness(t)
	b := amazonpaytest.TestBuyer()
	ba := h.sb.CreateBillingAgreement(b)
	token, err := h.sb.AccessToken(ba)
	require.NoError(t, err)
	_, body := h.get("/subscription/checkout?access_token="+url.QueryEscape(token), "")
	assert.Contains(t, body, `new OffAmazonPayments.Widgets.Consent({`)

	// The first press, whose reply (and any cookie in it) is lost.
	lost, err := cookiejar.New(nil)
	require.NoError(t, err)
	shop, _ := url.Parse(h.url)
	lost.SetCookies(shop, h.buyer.Jar.Cookies(shop))
	resp, err := (&http.Client{Jar: lost}).Post(h.url+"/subscription/confirm", "application/json", strings.NewReader(`{"id":"`+ba+`"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	code, msg := h.confirm("/subscription/confirm", ba)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(ba, "")
	assert.Equal(t, "/subscriptions/sub-1001", path)
	assert.Contains(t, body, `<p id="subscription-status">Thank you! Your subscription sub-1001 is active.</p>`)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, h.sb.MoneyMovements())
}
