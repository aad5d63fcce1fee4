package browsertest

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/shopproc"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// amazonWidgetsURL is Amazon's own Widgets.js of the EU sandbox (EUR), as
// a shop's page has it in production; the proxy serves the fake in its place.
const amazonWidgetsURL = "https://static-eu.payments-amazon.com/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js"

// sandboxObject reads an object through the standalone sandbox's control
// API; a failure ends the test.
func sandboxObject(t *testing.T, sb *shopproc.Sandbox, id string) map[string]any {
	t.Helper()
	var obj map[string]any
	require.NoError(t, sb.Control(context.Background(), "object", map[string]string{"id": id}, &obj), "object %s", id)
	return obj
}

// proxyShopPage is a shop's checkout page as in production: Amazon's real
// Widgets.js URL, the Button, the AddressBook and Wallet widgets, and
// "buy now" running the Confirmation Flow around the shop's confirm call.
var proxyShopPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Checkout</title>
<script>
var sellerId = {{.SellerID}}, orderReferenceId = '';
window.onAmazonLoginReady = function () { amazon.Login.setClientId({{.ClientID}}); };
window.onAmazonPaymentsReady = function () {
  if (location.search.indexOf('access_token=') < 0) {
    OffAmazonPayments.Button('AmazonPayButton', sellerId, { type: 'PwA', authorization: function () {
      amazon.Login.authorize({ scope: 'profile payments:widget payments:shipping_address', popup: false }, location.pathname);
    } });
    return;
  }
  new OffAmazonPayments.Widgets.AddressBook({ sellerId: sellerId,
    onOrderReferenceCreate: function (o) { orderReferenceId = o.getAmazonOrderReferenceId(); },
    onError: function (e) { document.getElementById('error').textContent = e.getErrorCode(); }
  }).bind('addressBookWidgetDiv');
  new OffAmazonPayments.Widgets.Wallet({ sellerId: sellerId,
    onPaymentSelect: function () { document.getElementById('buy-now').disabled = false; },
    onError: function (e) { document.getElementById('error').textContent = e.getErrorCode(); }
  }).bind('walletWidgetDiv');
};
function buyNow() {
  OffAmazonPayments.initConfirmationFlow(sellerId, orderReferenceId, function (confirmationFlow) {
    fetch('/confirm', { method: 'POST', body: orderReferenceId }).then(function (r) {
      if (r.ok) { confirmationFlow.success(); } else { confirmationFlow.error(); document.getElementById('error').textContent = 'confirm failed'; }
    });
  });
}
</script>
<script async src="{{.WidgetsURL}}"></script>
</head><body>
<div id="AmazonPayButton"></div>
<div id="addressBookWidgetDiv"></div>
<div id="walletWidgetDiv"></div>
<button id="buy-now" disabled onclick="buyNow()">Buy now</button>
<p id="error"></p>
</body></html>`))

// proxyShop is the server side of that page: confirm sets the total and
// confirms with the return URL; the return handler authorizes with capture
// once the Confirmation Flow succeeded. Its MWS client has the production
// configuration; only its http.Client knows the proxy and the CA.
type proxyShop struct {
	c   *amazonpay.Client
	url string

	mu      sync.Mutex
	orderID string // the order reference of the buyer at the checkout
}

func (p *proxyShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	switch r.URL.Path {
	case "/checkout":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = proxyShopPage.Execute(w, map[string]string{"SellerID": proxySellerID, "ClientID": proxyClientID, "WidgetsURL": amazonWidgetsURL})
	case "/confirm":
		id, _ := io.ReadAll(io.LimitReader(r.Body, 100))
		_, err := p.c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
			AmazonOrderReferenceID:   string(id),
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}},
		})
		if err == nil {
			_, err = p.c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
				AmazonOrderReferenceID: string(id), SuccessURL: p.url + "/return", FailureURL: p.url + "/return",
			})
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		p.mu.Lock()
		p.orderID = string(id)
		p.mu.Unlock()
	case "/return":
		p.mu.Lock()
		id := p.orderID
		p.mu.Unlock()
		res, err := amazonpay.ParseConfirmationRedirect(r.URL.Query())
		if err != nil || !res.Proceed() || id == "" {
			http.Error(w, fmt.Sprintf("not paid: %v %v", res, err), http.StatusPaymentRequired)
			return
		}
		auth, err := p.c.Authorize(ctx, &amazonpay.AuthorizeInput{
			AmazonOrderReferenceID: id, AuthorizationReferenceID: "proxy-order-1-auth",
			AuthorizationAmount: &amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
			TransactionTimeout:  amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, `<!DOCTYPE html><p id="order-status">Paid: %s</p>`, template.HTMLEscapeString(auth.AuthorizationDetails.AmazonAuthorizationID))
	default:
		http.NotFound(w, r)
	}
}

const (
	proxySellerID = "A2PROXYSHOP"
	proxyClientID = "amzn1.application-oa2-client.proxyshop"
)

// Chromium, started with --proxy-server at the standalone sandbox's proxy
// and its CA trusted by SPKI hash, opens a page that loads Amazon's real
// Widgets.js URL and gets the fake widgets: the buyer signs in, picks a
// card whose issuer challenges, buys, passes the challenge on the
// Amazon-hosted page and is back at the shop, whose MWS calls went through
// the same proxy with a production configuration. The control API then
// shows the sandbox's record: the order reference authenticated, one
// authorization of the total closed by its capture.
func TestBrowserThroughTheStandaloneProxy(t *testing.T) {
	path, err := chromiumPath()
	if err != nil {
		noBrowser(t, err)
	}
	sb := shopproc.StartSandbox(t, shopproc.Build(t, shopproc.SandboxPackage), "--region", "de", "--seller-id", proxySellerID, "--access-key-id", "AKIAPROXYSHOP",
		"--secret-key", "proxy-shop-secret", "--client-id", proxyClientID)

	// The SPKI hash the program printed is the one of the CA it wrote.
	pemBytes, err := os.ReadFile(sb.CAFile)
	require.NoError(t, err)
	block, _ := pem.Decode(pemBytes)
	require.NotNil(t, block, "--ca-out holds a PEM certificate")
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	sum := sha256.Sum256(ca.RawSubjectPublicKeyInfo)
	require.Equal(t, base64.StdEncoding.EncodeToString(sum[:]), sb.SPKI)

	proxyURL, err := url.Parse(sb.Proxy)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	tr := &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: roots}}
	t.Cleanup(tr.CloseIdleConnections)
	client, err := amazonpay.NewClient(amazonpay.Config{SellerID: proxySellerID, AccessKeyID: "AKIAPROXYSHOP",
		SecretKey: "proxy-shop-secret", Region: amazonpay.RegionDE, Sandbox: true, CurrencyCode: "EUR"},
		amazonpay.WithHTTPClient(&http.Client{Transport: tr, Timeout: 10 * time.Second}))
	require.NoError(t, err)
	shop := &proxyShop{c: client}
	ts := httptest.NewServer(shop)
	t.Cleanup(ts.Close)
	shop.url = ts.URL

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()), // the SPKI list is honoured only with a user data dir
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("proxy-server", sb.Proxy),
		chromedp.Flag("ignore-certificate-errors-spki-list", sb.SPKI),
	)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab); err != nil {
		noBrowser(t, err)
	}
	ctx, cancel := context.WithTimeout(tab, scenarioTimeout)
	t.Cleanup(cancel)
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, stepTimeout)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v\nsandbox log:\n%s", what, err, sb.Stderr)
		}
	}

	step("open the checkout and sign in", chromedp.Navigate(ts.URL+"/checkout"), click("#AmazonPayButton-button"),
		visible(`#walletWidgetDiv input[value="Mastercard **5100"]`), visible("#addressBookWidgetDiv fieldset"))
	fake, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`OffAmazonPayments.amazonpaytest === true`))
	require.NoError(t, err)
	require.True(t, fake, "Amazon's Widgets.js URL served the sandbox's fake")
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(css("#walletWidgetDiv fieldset"), "data-amazon-id"))
	require.NoError(t, err)
	id := attr.Value
	require.True(t, strings.HasPrefix(id, "S02-"), "a sandbox order reference: %q", id)

	step("choose the card and buy", click(`#walletWidgetDiv input[value="Mastercard **5100"]`),
		chromedp.WaitEnabled(css("#buy-now")), click("#buy-now"), visible("#challenge-pass"))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(loc, "https://static-eu.payments-amazon.com/"), "the challenge is on Amazon's host: %s", loc)
	amount, err := chromedp.Run(ctx, chromedp.Text(css("#challenge-amount")))
	require.NoError(t, err)
	assert.Equal(t, "42.50 EUR", amount)

	step("pass the challenge", click("#challenge-pass"), visible("#order-status"))
	status, err := chromedp.Run(ctx, chromedp.Text(css("#order-status")))
	require.NoError(t, err)
	loc, err = chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(loc, ts.URL+"/return?"), loc)

	order := sandboxObject(t, sb, id)
	assert.Equal(t, "Open", order["State"])
	assert.Equal(t, "Success", order["Authentication"])
	assert.Equal(t, "42.50", order["Amount"])
	assert.Equal(t, proxySellerID, order["SellerID"])
	children, _ := order["Children"].([]any)
	require.Len(t, children, 1)
	authID := children[0].(string)
	assert.Equal(t, "Paid: "+authID, status)
	auth := sandboxObject(t, sb, authID)
	assert.Equal(t, "Closed", auth["State"])
	assert.Equal(t, "MaxCapturesProcessed", auth["ReasonCode"])
	captures, _ := auth["Children"].([]any)
	require.Len(t, captures, 1)
	assert.Equal(t, "Completed", sandboxObject(t, sb, captures[0].(string))["State"])
	var moved map[string]any
	require.NoError(t, sb.Control(context.Background(), "money-movements", nil, &moved))
	assert.Equal(t, map[string]any{"Authorizations": 1.0, "Captures": 1.0, "Refunds": 0.0}, moved)

	// The browser's and the shop's requests to Amazon all went through the proxy.
	log := sb.Stderr.String()
	assert.Contains(t, log, "host=static-eu.payments-amazon.com")
	assert.Contains(t, log, "host=mws-eu.amazonservices.com")
}
