package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	failureDE = "Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet."
	abandonEN = "Something's wrong with your payment method. To place your order, try another."
)

// toCheckout puts n plush gophers in the cart, signs in with the Amazon Pay
// button and waits for the AddressBook and Wallet widgets. It returns the
// order reference the widgets created.
func (s *scenario) toCheckout(n int) string {
	s.t.Helper()
	for range n {
		s.run("add to cart", chromedp.Navigate(s.url+"/"), click("#add-to-cart"), visible("#cart-total"))
	}
	s.run("sign in with Amazon Pay", click("#AmazonPayButton-button"),
		visible(`#walletWidgetDiv input[value="Visa **1111"]`))
	require.True(s.t, strings.HasPrefix(s.location(), "/checkout?access_token=Atza%7C"), s.location())
	id := s.widgetObject("walletWidgetDiv")
	assert.Equal(s.t, id, s.widgetObject("addressBookWidgetDiv"), "the widgets share one order reference")
	return id
}

// buyNow clicks "buy now" once the button is enabled.
func (s *scenario) buyNow() {
	s.t.Helper()
	s.run("buy now", chromedp.WaitEnabled(css("#buy-now")), click("#buy-now"))
}

// One-time purchase: the buyer picks a card whose issuer asks for
// authentication, passes the challenge, and sees the paid order; the
// sandbox holds one authorization and one capture of the total.
func TestBrowserPurchasePassingTheChallenge(t *testing.T) {
	s := newScenario(t, "en-US,en;q=0.9", store.Config{})
	id := s.toCheckout(2)
	assert.Equal(t, "42.50 EUR", s.text("#cart-total"))
	s.run("choose the card", s.choose(amazonpaytest.PaymentMethodSCAPass))
	s.paymentMethodIs(id, amazonpaytest.PaymentMethodSCAPass)
	s.keepReadmePictureCurrent(id)

	s.buyNow()
	// The issuer's challenge on the Amazon-hosted page.
	assert.Equal(t, "42.50 EUR", s.text("#challenge-amount"))
	assert.Equal(t, string(amazonpaytest.PaymentMethodSCAPass), s.text("#challenge-method"))
	assert.Equal(t, id, s.text("#challenge-id"))
	assert.True(t, strings.HasPrefix(s.location(), amazonpaytest.ChallengePath+"?"), s.location())
	s.run("pass the challenge", click("#challenge-pass"))

	assert.Equal(t, "Thank you! Your order order-1001 is paid.", s.text("#order-status"))
	assert.Equal(t, "/orders/order-1001", s.location())
	assert.Equal(t, "42.50 EUR", s.text("#order-total"))
	assert.Equal(t, id, s.text("#order-reference"))

	obj, _ := s.sb.Object(id)
	assert.Equal(t, "Open", obj.State)
	assert.Equal(t, "Success", obj.Authentication)
	assert.Equal(t, "42.50", obj.Amount)
	require.Len(t, obj.Children, 1)
	auth, _ := s.sb.Object(obj.Children[0])
	assert.Equal(t, "Closed", auth.State)
	assert.Equal(t, "MaxCapturesProcessed", auth.ReasonCode)
	require.Len(t, auth.Children, 1)
	capture, _ := s.sb.Object(auth.Children[0])
	assert.Equal(t, "Completed", capture.State)
	assert.Equal(t, "42.50", capture.Amount)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, s.sb.MoneyMovements())
	confirms := s.sb.RequestsFor("ConfirmOrderReference")
	require.Len(t, confirms, 1)
	assert.Regexp(t, `^`+s.url+`/amazon/return\?nonce=[0-9a-f]{32}&payment=order-1001$`, confirms[0].Params.Get("SuccessUrl"))
	assert.Equal(t, confirms[0].Params.Get("SuccessUrl"), confirms[0].Params.Get("FailureUrl"))
	flows := s.sb.RequestsFor(amazonpaytest.ConfirmationFlow)
	require.Len(t, flows, 1)
	assert.Equal(t, s.sb.SellerID(), flows[0].Params.Get("sellerId"))
}

// The buyer, browsing in German, fails the challenge: back in the cart with
// Amazon's German message, signed out of Amazon Pay; the order reference is
// Canceled and no money moved.
func TestBrowserPurchaseFailingTheChallenge(t *testing.T) {
	s := newScenario(t, "de-DE,de;q=0.9,en;q=0.5", store.Config{})
	id := s.toCheckout(1)
	s.run("choose the card", s.choose(amazonpaytest.PaymentMethodSCAFail))
	s.paymentMethodIs(id, amazonpaytest.PaymentMethodSCAFail)
	s.buyNow()
	assert.Equal(t, "Failure", s.text("#challenge-expected"))
	s.run("fail the challenge", click("#challenge-fail"))

	assert.Equal(t, failureDE, s.text("#message"))
	assert.Equal(t, "/cart?payment=failed", s.location())
	assert.Equal(t, "21.25 EUR", s.text("#cart-total"), "the cart is kept")
	s.run("wait for the button", visible("#AmazonPayButton-button"))
	cookies := value(s, "read the cookies", chromedp.Evaluate[string](`document.cookie`))
	assert.NotContains(t, cookies, "amazon_Login_accessToken", "amazon.Login.logout() was called")

	obj, _ := s.sb.Object(id)
	assert.Equal(t, "Canceled", obj.State)
	assert.Equal(t, "SellerCanceled", obj.ReasonCode)
	assert.Equal(t, "Failure", obj.Authentication)
	assert.Empty(t, obj.Children)
	assert.Equal(t, amazonpaytest.MoneyMovements{}, s.sb.MoneyMovements())
	o, _, err := s.shop.Order(context.Background(), "order-1001")
	require.NoError(t, err)
	assert.False(t, o.Paid)
}

// The buyer cancels the challenge: back in the wallet of the same order
// reference with Amazon's message, picks another card, passes its
// challenge and pays.
func TestBrowserPurchaseAbandonedThenAnotherCard(t *testing.T) {
	s := newScenario(t, "en-GB,en;q=0.9", store.Config{})
	id := s.toCheckout(1)
	s.run("choose the card", s.choose(amazonpaytest.PaymentMethodSCAAbandon))
	s.paymentMethodIs(id, amazonpaytest.PaymentMethodSCAAbandon)
	s.buyNow()
	s.run("cancel the challenge", click("#challenge-cancel"))

	assert.Equal(t, abandonEN, s.text("#message"))
	assert.Equal(t, "/checkout?payment=abandoned", s.location())
	assert.Equal(t, id, s.widgetObject("walletWidgetDiv"), "the wallet shows the same order reference")
	obj, _ := s.sb.Object(id)
	assert.Equal(t, "Suspended", obj.State)
	assert.Equal(t, "PaymentAuthorizationRequired", obj.ReasonCode)
	assert.Equal(t, "Abandoned", obj.Authentication)

	s.run("choose another card", s.choose(amazonpaytest.PaymentMethodSCAPass))
	s.paymentMethodIs(id, amazonpaytest.PaymentMethodSCAPass)
	s.buyNow()
	assert.Equal(t, "21.25 EUR", s.text("#challenge-amount"))
	s.run("pass the challenge", click("#challenge-pass"))

	assert.Equal(t, "Thank you! Your order order-1001 is paid.", s.text("#order-status"))
	assert.Equal(t, "21.25 EUR", s.text("#order-total"))
	obj, _ = s.sb.Object(id)
	assert.Equal(t, "Open", obj.State)
	assert.Equal(t, "Success", obj.Authentication)
	assert.Len(t, s.sb.RequestsFor("ConfirmOrderReference"), 2)
	assert.Len(t, s.sb.RequestsFor(amazonpaytest.ConfirmationFlow), 2)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, s.sb.MoneyMovements())
}

// The shop's backend cannot confirm the order (MWS keeps answering 503):
// the page calls confirmationFlow.error(), the buyer stays on the checkout
// with a message and nothing happened at Amazon Pay; the next try (a card
// without a challenge) goes through.
func TestBrowserBackendFailsSoThePageCallsError(t *testing.T) {
	s := newScenario(t, "en-US", store.Config{})
	id := s.toCheckout(1)
	s.sb.InjectFault("ConfirmOrderReference", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultServiceUnavailable}) // beyond the client's retries
	s.buyNow()

	assert.Equal(t, "Amazon Pay is not available right now. Please try again.", s.text("#checkout-error"))
	s.run("wait for the button", chromedp.WaitEnabled(css("#buy-now")))
	overlays := value(s, "look for the Confirmation Flow overlay", chromedp.Evaluate[int](`document.querySelectorAll('#amazonpay-confirmation-flow').length`))
	assert.Equal(t, 0, overlays, "confirmationFlow.error() closed the flow")
	assert.Equal(t, "/checkout", strings.SplitN(s.location(), "?", 2)[0])
	assert.Empty(t, s.sb.RequestsFor(amazonpaytest.ConfirmationFlow), "the buyer never reached Amazon's page")
	obj, _ := s.sb.Object(id)
	assert.Equal(t, "Draft", obj.State)
	assert.Equal(t, amazonpaytest.MoneyMovements{}, s.sb.MoneyMovements())
	assert.Len(t, s.sb.RequestsFor("ConfirmOrderReference"), 4)

	// MWS is back: Visa **1111 needs no challenge, so the hosted page
	// sends the buyer straight back.
	s.buyNow()
	assert.Equal(t, "Thank you! Your order order-1001 is paid.", s.text("#order-status"))
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, s.sb.MoneyMovements())
}

// A subscription: the billing-agreement widgets with Consent, the
// challenge, ValidateBillingAgreement and the first month charged at once.
func TestBrowserSubscriptionWithFirstCharge(t *testing.T) {
	s := newScenario(t, "en-US", store.Config{})
	s.run("open the subscription", chromedp.Navigate(s.url+"/subscription"))
	assert.Equal(t, "9.99 EUR", s.text("#subscription-price"))
	s.run("sign in with Amazon Pay", click("#AmazonPayButton-button"),
		visible("#consentWidgetDiv-checkbox"))
	ba := s.widgetObject("walletWidgetDiv")
	assert.Equal(t, ba, s.widgetObject("addressBookWidgetDiv"))
	assert.Regexp(t, `^C02-`, ba)
	disabled := value(s, "read the button", chromedp.Evaluate[bool](`document.getElementById('subscribe').disabled`))
	assert.True(t, disabled, "no subscription without consent")

	s.run("choose the card", s.choose(amazonpaytest.PaymentMethodSCAPass))
	s.paymentMethodIs(ba, amazonpaytest.PaymentMethodSCAPass)
	s.run("give consent", click("#consentWidgetDiv-checkbox"),
		chromedp.WaitEnabled(css("#subscribe")), click("#subscribe"))
	assert.Equal(t, "9.99 EUR", s.text("#challenge-amount"))
	s.run("pass the challenge", click("#challenge-pass"))

	assert.Equal(t, "Thank you! Your subscription sub-1001 is active.", s.text("#subscription-status"))
	assert.Equal(t, "9.99 EUR", s.text("#subscription-amount"))
	assert.Equal(t, ba, s.text("#subscription-agreement"))
	assert.Regexp(t, `^C02-\d{7}-\d{7}-A\d+$|^S02-`, s.text("#subscription-first-charge"))

	obj, _ := s.sb.Object(ba)
	assert.Equal(t, "Open", obj.State)
	assert.Equal(t, "Success", obj.Authentication)
	require.Len(t, obj.Children, 1, "the first charge's order reference")
	child, _ := s.sb.Object(obj.Children[0])
	assert.Equal(t, "9.99", child.Amount)
	set := s.sb.RequestsFor("SetBillingAgreementDetails")
	require.Len(t, set, 1)
	assert.Equal(t, "MerchantInitiatedTransaction", set[0].Params.Get("BillingAgreementAttributes.BillingAgreementType"))
	assert.Len(t, s.sb.RequestsFor("ValidateBillingAgreement"), 1)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, s.sb.MoneyMovements())
}

// The backend answers too late (MWS holds ConfirmOrderReference for 10 s,
// the page waits 1 s): the page's timeout calls confirmationFlow.error()
// and the buyer never reaches Amazon's page.
func TestBrowserBackendTimeoutSoThePageCallsError(t *testing.T) {
	s := newScenario(t, "en-US", store.Config{AJAXTimeout: time.Second})
	id := s.toCheckout(1)
	s.sb.InjectFault("ConfirmOrderReference", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultDelay, Delay: 10 * time.Second})
	s.buyNow()

	assert.Equal(t, "The shop did not answer in time. Please try again.", s.text("#checkout-error"))
	s.run("wait for the button", chromedp.WaitEnabled(css("#buy-now")))
	overlays := value(s, "look for the Confirmation Flow overlay", chromedp.Evaluate[int](`document.querySelectorAll('#amazonpay-confirmation-flow').length`))
	assert.Equal(t, 0, overlays, "confirmationFlow.error() closed the flow")
	assert.Empty(t, s.sb.RequestsFor(amazonpaytest.ConfirmationFlow), "the buyer never reached Amazon's page")
	obj, _ := s.sb.Object(id)
	assert.Empty(t, obj.Children)
	assert.Equal(t, amazonpaytest.MoneyMovements{}, s.sb.MoneyMovements())
}

// A buyer who opens the checkout without signing in: the widgets report
// BuyerSessionExpired through onError (getErrorCode, getErrorMessage), the
// page shows it, "buy now" stays disabled and no order reference exists.
func TestBrowserWidgetsWithoutSignIn(t *testing.T) {
	s := newScenario(t, "en-US", store.Config{})
	s.run("add to cart", chromedp.Navigate(s.url+"/"), click("#add-to-cart"), visible("#cart-total"))
	s.run("open the checkout", chromedp.Navigate(s.url+"/checkout"))
	assert.Equal(t, "Amazon Pay: BuyerSessionExpired: The buyer is not signed in.", s.text("#checkout-error"))
	disabled := value(s, "read the button", chromedp.Evaluate[bool](`document.getElementById('buy-now').disabled`))
	assert.True(t, disabled)
	assert.Empty(t, s.sb.Objects(amazonpaytest.KindOrderReference))
}
