package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/testdb"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

func TestMain(m *testing.M) {
	code := m.Run()
	testdb.Stop()
	os.Exit(code)
}

// sqliteDB is a new SQLite file database with checkout's and the shop's
// tables.
func sqliteDB(t *testing.T) *sql.DB {
	t.Helper()
	db := testdb.SQLite(t)
	migrate(t, db, checkout.SQLite)
	return db
}

// postgresDB is a new PostgreSQL database with checkout's and the shop's
// tables.
func postgresDB(t *testing.T) *sql.DB {
	t.Helper()
	db, _ := testdb.Postgres(t)
	migrate(t, db, checkout.PostgreSQL)
	return db
}

func migrate(t *testing.T, db *sql.DB, dialect checkout.Dialect) {
	t.Helper()
	require.NoError(t, checkout.NewSQLStore(db, dialect).Migrate(ctx))
	require.NoError(t, store.Migrate(ctx, db, dialect))
}

// harness is the shop on a loopback server, the offline sandbox behind it,
// and a buyer's HTTP client with cookies (the browser, minus JavaScript:
// the tests play the widgets with the sandbox's buyer-side methods).
type harness struct {
	t     *testing.T
	sb    *amazonpaytest.Server
	shop  *store.Shop
	url   string
	buyer *http.Client
}

// newHarness also registers the shop's IPN endpoint with the sandbox, as
// go run ./examples/shop does.
func newHarness(t *testing.T, opts ...amazonpaytest.Option) *harness {
	t.Helper()
	return newHarnessOn(t, sqliteDB(t), checkout.SQLite, opts...)
}

// newHarnessOn is newHarness on the database db.
func newHarnessOn(t *testing.T, db *sql.DB, dialect checkout.Dialect, opts ...amazonpaytest.Option) *harness {
	t.Helper()
	sb := amazonpaytest.NewServer(append([]amazonpaytest.Option{amazonpaytest.WithRegion(amazonpay.RegionDE)}, opts...)...)
	t.Cleanup(sb.Close)
	var shop *store.Shop
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	shop, err := store.New(store.Config{Client: sb.AmazonPay(), ClientID: "amzn1.application-oa2-client.test", WidgetsURL: sb.WidgetsURL(),
		NotificationVerifier: sb.NotificationVerifier(), DB: db, Dialect: dialect, BaseURL: ts.URL})
	require.NoError(t, err)
	sb.AddNotificationURL(ts.URL + "/amazon/ipn")
	t.Cleanup(func() { // before the servers close: nothing is left being sent
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, sb.WaitNotifications(ctx))
	})
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &harness{t: t, sb: sb, shop: shop, url: ts.URL, buyer: &http.Client{Jar: jar}}
}

// get fetches a page (following redirects) and returns the final path and body.
func (h *harness) get(rawURL string, lang string) (string, string) {
	h.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = h.url + rawURL
	}
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	require.NoError(h.t, err)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := h.buyer.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp.Request.URL.RequestURI(), string(body)
}

func (h *harness) addToCart(n int) {
	h.t.Helper()
	for range n {
		resp, err := h.buyer.PostForm(h.url+"/cart/add", nil)
		require.NoError(h.t, err)
		resp.Body.Close()
		require.Equal(h.t, http.StatusOK, resp.StatusCode)
	}
}

// confirm is the page's AJAX call behind "buy now" or "subscribe".
func (h *harness) confirm(path, id string) (int, string) {
	h.t.Helper()
	resp, err := h.buyer.Post(h.url+path, "application/json", strings.NewReader(`{"id":"`+id+`"}`))
	require.NoError(h.t, err)
	defer resp.Body.Close()
	assert.Equal(h.t, "application/json", resp.Header.Get("Content-Type"))
	var out struct{ Message string }
	require.NoError(h.t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out.Message
}

// flow is the buyer's visit to the Confirmation Flow and return to the shop.
func (h *harness) flow(id, lang string) (string, string) {
	h.t.Helper()
	back, err := h.sb.FollowConfirmationFlow(ctx, h.sb.SellerID(), id)
	require.NoError(h.t, err)
	require.True(h.t, strings.HasPrefix(back.String(), h.url+"/"), back.String())
	return h.get(back.String(), lang)
}

func (h *harness) orderReference(m amazonpaytest.PaymentMethod) string {
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	return h.sb.CreateOrderReference(b)
}

func TestPages(t *testing.T) {
	h := newHarness(t)
	path, body := h.get("/", "")
	assert.Equal(t, "/", path)
	assert.Contains(t, body, "<strong>Gopher plush</strong>, 21.25 EUR")

	_, body = h.get("/cart", "")
	assert.Contains(t, body, `<p id="cart-empty">`)
	path, _ = h.get("/checkout", "")
	assert.Equal(t, "/cart", path, "no checkout with an empty cart")

	h.addToCart(2)
	_, body = h.get("/cart", "")
	assert.Contains(t, body, `<span id="cart-total">42.50 EUR</span>`)
	assert.Contains(t, body, `<script async src="`+h.sb.WidgetsURL()+`"></script>`)
	assert.Contains(t, body, `var sellerId = "A1SANDBOXSELLER";`)
	assert.Contains(t, body, `amazon.Login.setClientId("amzn1.application-oa2-client.test");`)
	assert.NotContains(t, body, "amazon.Login.logout()")

	_, body = h.get("/checkout", "")
	assert.Contains(t, body, `var orderReferenceId = "";`)
	// The seeds' click handler: initConfirmationFlow first, then the AJAX call.
	assert.Contains(t, body, "buyNowBtn.addEventListener('click', function () {\n  OffAmazonPayments.initConfirmationFlow(sellerId, orderReferenceId, function (confirmationFlow) {\n    placeOrder(confirmationFlow);")
	assert.Contains(t, body, "var ajaxTimeout =  10000 ;")

	resp, err := h.buyer.Get(h.url + "/orders/order-1001")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestPurchasePassingTheChallenge(t *testing.T) {
	h := newHarness(t)
	h.addToCart(2)
	id := h.orderReference(amazonpaytest.PaymentMethodSCAPass)
	code, msg := h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)

	// The backend set the order and confirmed it with both return URLs.
	confirms := h.sb.RequestsFor("ConfirmOrderReference")
	require.Len(t, confirms, 1)
	assert.Regexp(t, `^`+h.url+`/amazon/return\?nonce=[0-9a-f]{32}&payment=order-1001$`, confirms[0].Params.Get("SuccessUrl"))
	assert.Equal(t, confirms[0].Params.Get("SuccessUrl"), confirms[0].Params.Get("FailureUrl"))
	assert.Equal(t, "true", confirms[0].Params.Get("ExpectImmediateAuthorization"))
	attrs := h.sb.RequestsFor("SetOrderAttributes")
	require.Len(t, attrs, 1)
	assert.Equal(t, "42.50", attrs[0].Params.Get("OrderAttributes.OrderTotal.Amount"))
	assert.Equal(t, "order-1001", attrs[0].Params.Get("OrderAttributes.SellerOrderAttributes.SellerOrderId"))

	path, body := h.flow(id, "")
	assert.Equal(t, "/orders/order-1001", path)
	assert.Contains(t, body, `<p id="order-status">Thank you! Your order order-1001 is paid.</p>`)
	assert.Contains(t, body, `<td id="order-total">42.50 EUR</td>`)
	assert.Contains(t, body, `<td id="order-reference">`+id+`</td>`)

	o, ok, err := h.shop.Order(ctx, "order-1001")
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, o.Paid)
	capture, _ := h.sb.Object(o.CaptureID)
	assert.Equal(t, "Completed", capture.State)
	assert.Equal(t, "42.50", capture.Amount)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, h.sb.MoneyMovements())

	_, body = h.get("/cart", "")
	assert.Contains(t, body, `<p id="cart-empty">`, "the cart is empty after the purchase")
}

func TestPurchaseFailingTheChallenge(t *testing.T) {
	h := newHarness(t)
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodSCAFail)
	code, msg := h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(id, "de-DE,de;q=0.9,en;q=0.5")
	assert.Equal(t, "/cart?payment=failed", path)
	assert.Contains(t, body, `<p class="message" id="message">Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet.</p>`)
	assert.Contains(t, body, "amazon.Login.logout();")
	mustState(t, h.sb, id, "Canceled", "SellerCanceled")
	assert.Equal(t, amazonpaytest.MoneyMovements{}, h.sb.MoneyMovements())
	o, ok, err := h.shop.Order(ctx, "order-1001")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, checkout.StateCanceled, o.State)
	assert.False(t, o.Paid)
}

func TestPurchaseAbandonedThenAnotherCard(t *testing.T) {
	h := newHarness(t)
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodSCAAbandon)
	code, msg := h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(id, "en-GB")
	assert.Equal(t, "/checkout?payment=abandoned", path)
	assert.Contains(t, body, `<p class="message" id="message">Something&#39;s wrong with your payment method. To place your order, try another.</p>`)
	assert.Contains(t, body, `var orderReferenceId = "`+id+`";`, "the wallet shows the same order reference")
	mustState(t, h.sb, id, "Suspended", "PaymentAuthorizationRequired")

	require.NoError(t, h.sb.SelectPaymentMethod(id, amazonpaytest.PaymentMethodSCAPass))
	code, msg = h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, body = h.flow(id, "en-GB")
	assert.Equal(t, "/orders/order-1001", path)
	assert.Contains(t, body, `<td id="order-total">21.25 EUR</td>`)
	assert.Len(t, h.sb.RequestsFor("SetOrderAttributes"), 1, "a confirmed order keeps its attributes")
	assert.Len(t, h.sb.RequestsFor("ConfirmOrderReference"), 2)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, h.sb.MoneyMovements())
}

func TestPurchaseBackendFails(t *testing.T) {
	h := newHarness(t)
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodSCAPass)
	h.sb.InjectFault("ConfirmOrderReference", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultServiceUnavailable}) // more than the retries
	code, msg := h.confirm("/checkout/confirm", id)
	assert.Equal(t, http.StatusBadGateway, code)
	assert.Equal(t, "Amazon Pay is not available right now. Please try again.", msg)
	mustState(t, h.sb, id, "Draft", "")
	assert.Empty(t, h.sb.RequestsFor(amazonpaytest.ConfirmationFlow))

	// Trying again works: the order was not confirmed twice.
	code, msg = h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, _ := h.flow(id, "")
	assert.Equal(t, "/orders/order-1001", path)
}

func TestPurchaseConstraint(t *testing.T) {
	h := newHarness(t)
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodNotAllowed)
	code, msg := h.confirm("/checkout/confirm", id)
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "Please choose another payment method.", msg)
	assert.Empty(t, h.sb.RequestsFor(amazonpaytest.ConfirmationFlow))

	code, msg = h.confirm("/checkout/confirm", "not-an-id")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "No Amazon Pay order reference was given.", msg)

	resp, err := h.buyer.Get(h.url + "/amazon/return")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "no payment, no nonce: not a return from Amazon Pay")

	// A Draft left for more than 3 hours is Canceled (Stale): start again.
	stale := h.orderReference(amazonpaytest.PaymentMethodOK)
	h.sb.Advance(4 * time.Hour)
	code, msg = h.confirm("/checkout/confirm", stale)
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "This Amazon Pay checkout has expired. Please go back to the cart and pay again.", msg)

	empty := newHarness(t)
	code, msg = empty.confirm("/checkout/confirm", id)
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "Your cart is empty.", msg)
}

func TestSubscription(t *testing.T) {
	h := newHarness(t)
	_, body := h.get("/subscription", "")
	assert.Contains(t, body, `<span id="subscription-price">9.99 EUR</span>`)
	_, body = h.get("/subscription/checkout", "")
	assert.Contains(t, body, `agreementType: 'BillingAgreement'`)
	assert.Contains(t, body, `new OffAmazonPayments.Widgets.Consent({`)

	b := amazonpaytest.TestBuyer()
	b.PaymentMethod, b.Consent = amazonpaytest.PaymentMethodSCAPass, false
	ba := h.sb.CreateBillingAgreement(b)
	code, msg := h.confirm("/subscription/confirm", ba)
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "Please choose another payment method and allow future payments.", msg)

	require.NoError(t, h.sb.GiveConsent(ba))
	code, msg = h.confirm("/subscription/confirm", ba)
	require.Equal(t, http.StatusOK, code, msg)
	set := h.sb.RequestsFor("SetBillingAgreementDetails")
	require.Len(t, set, 2, "set again once the buyer consented")
	assert.Equal(t, "MerchantInitiatedTransaction", set[1].Params.Get("BillingAgreementAttributes.BillingAgreementType"))
	assert.Equal(t, "9.99", set[1].Params.Get("BillingAgreementAttributes.SubscriptionAmount.Amount"))

	path, body := h.flow(ba, "")
	assert.Equal(t, "/subscriptions/sub-1001", path)
	assert.Contains(t, body, `<p id="subscription-status">Thank you! Your subscription sub-1001 is active.</p>`)
	assert.Contains(t, body, `<td id="subscription-amount">9.99 EUR</td>`)
	mustState(t, h.sb, ba, "Open", "")
	assert.Len(t, h.sb.RequestsFor("ValidateBillingAgreement"), 1)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, h.sb.MoneyMovements())
}

func TestSubscriptionFailingTheChallenge(t *testing.T) {
	h := newHarness(t)
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodSCAFail
	ba := h.sb.CreateBillingAgreement(b)
	code, msg := h.confirm("/subscription/confirm", ba)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(ba, "fr-FR")
	assert.Equal(t, "/subscription?payment=failed", path)
	assert.Contains(t, body, "Un problème s’est produit avec votre paiement.")
	mustState(t, h.sb, ba, "Closed", "SellerClosed")
	assert.Equal(t, amazonpaytest.MoneyMovements{}, h.sb.MoneyMovements())
}

func TestNewNeedsClientWidgetsAndDB(t *testing.T) {
	_, err := store.New(store.Config{WidgetsURL: "x"})
	assert.ErrorContains(t, err, "Config.Client")
	sb := amazonpaytest.NewServer()
	defer sb.Close()
	_, err = store.New(store.Config{Client: sb.AmazonPay()})
	assert.ErrorContains(t, err, "Config.WidgetsURL")
	_, err = store.New(store.Config{Client: sb.AmazonPay(), WidgetsURL: "x"})
	assert.ErrorContains(t, err, "Config.DB")
	_, err = store.New(store.Config{Client: sb.AmazonPay(), WidgetsURL: "x", DB: sqliteDB(t)})
	assert.ErrorContains(t, err, "Config.Dialect")
}

func mustState(t *testing.T, sb *amazonpaytest.Server, id, state, reason string) {
	t.Helper()
	obj, ok := sb.Object(id)
	require.True(t, ok, "no object %s", id)
	assert.Equal(t, state, obj.State, "state of %s", id)
	assert.Equal(t, reason, obj.ReasonCode, "reason code of %s", id)
}

// A soft decline (InvalidPaymentMethod) sends the buyer back to the wallet
// of the same order reference, like an abandoned challenge; the next card
// is authorized under a new reference id.
func TestPurchaseSoftDeclineThenAnotherCard(t *testing.T) {
	h := newHarness(t)
	h.addToCart(1)
	id := h.orderReference(amazonpaytest.PaymentMethodInvalid)
	code, msg := h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, body := h.flow(id, "it-IT")
	assert.Equal(t, "/checkout?payment=abandoned", path)
	assert.Contains(t, body, "Si è verificato un problema con il metodo di pagamento.")
	mustState(t, h.sb, id, "Suspended", "InvalidPaymentMethod")

	require.NoError(t, h.sb.SelectPaymentMethod(id, amazonpaytest.PaymentMethodOK))
	code, msg = h.confirm("/checkout/confirm", id)
	require.Equal(t, http.StatusOK, code, msg)
	path, _ = h.flow(id, "")
	assert.Equal(t, "/orders/order-1001", path)
	auths := h.sb.RequestsFor("Authorize")
	require.Len(t, auths, 2)
	assert.NotEqual(t, auths[0].Params.Get("AuthorizationReferenceId"), auths[1].Params.Get("AuthorizationReferenceId"), "a new attempt, a new reference id")
	obj, _ := h.sb.Object(id)
	require.Len(t, obj.Children, 2)
	first, _ := h.sb.Object(obj.Children[0])
	assert.Equal(t, "Declined", first.State)
	assert.Equal(t, "InvalidPaymentMethod", first.ReasonCode)
	// MoneyMovements counts the declined authorization too; one capture.
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 2, Captures: 1}, h.sb.MoneyMovements())
}
