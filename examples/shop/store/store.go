// Package store is the demo shop of examples/shop: a product, a cart, a
// checkout with Amazon Pay's AddressBook and Wallet widgets and the
// Confirmation Flow of Strong Customer Authentication, an order page, a
// monthly subscription on a billing agreement with its first charge, and
// an Instant Payment Notification endpoint.
//
// It is a reference integration: plain net/http and html/template, one
// file per concern. The pages (templates/*.html) call Amazon Pay's widgets
// as Amazon's integration guide shows. Every money decision is the
// checkout package's: the "buy now" and "subscribe" AJAX endpoints are
// Payments.Confirm and Payments.ConfirmSubscription, the return from the
// Confirmation Flow is Payments.Return and the shop renders its Next
// step, the IPN endpoint feeds Payments.Apply, and Run reconciles at
// start-up and every minute. The shop itself keeps what a shop keeps — the
// buyers' sessions with their carts, its order and subscription numbers,
// each a reference to the checkout payment that pays it — in the same
// database (shop_* tables, Migrate). The same code runs against the
// offline sandbox (amazonpaytest, with its fake Widgets.js) and against
// Amazon's sandbox (Amazon's Widgets.js).
package store

import (
	"bytes"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// Config is what the shop needs to know about its Amazon Pay account and
// its database.
type Config struct {
	// Client makes the MWS calls (SellerID, region and currency come from
	// its Config).
	Client *amazonpay.Client
	// ClientID is the Login with Amazon client id of the shop, for
	// amazon.Login.setClientId.
	ClientID string
	// WidgetsURL is the address of Widgets.js: Amazon's for the region, or
	// amazonpaytest.Server.WidgetsURL offline.
	WidgetsURL string
	// BaseURL is the shop's address as the buyer's browser sees it, e.g.
	// https://shop.example: the Confirmation Flow returns the buyer to
	// BaseURL/amazon/return. Required. An https BaseURL makes the session
	// cookie Secure.
	BaseURL string
	// AJAXTimeout is how long the checkout page waits for the backend
	// before it calls confirmationFlow.error() (default 10 s).
	AJAXTimeout time.Duration
	// NotificationVerifier checks the Instant Payment Notifications POSTed
	// to /amazon/ipn. Nil takes one that trusts the system roots and
	// accepts the client's seller id only, as in production; offline, use
	// amazonpaytest.Server.NotificationVerifier.
	NotificationVerifier *amazonpay.NotificationVerifier
	// DB is the shop's database, with checkout's tables and the shop's
	// own (checkout's SQLStore.Migrate and Migrate create them); Dialect
	// says which SQL it speaks. Required.
	DB      *sql.DB
	Dialect checkout.Dialect
	// SessionTTL is how long a buyer's session (the cart) lives after its
	// last change (default 24 h).
	SessionTTL time.Duration
	// ReconcileEvery is how often Run reconciles the payments and sweeps
	// the expired sessions (default a minute).
	ReconcileEvery time.Duration
	// Now is the shop's clock for sessions (default time.Now); tests move
	// it.
	Now func() time.Time
}

// The catalogue: one product and one subscription, prices in minor units
// of the client's currency.
const (
	productName       = "Gopher plush"
	productCents      = 2125
	subscriptionName  = "Gopher Monthly"
	subscriptionCents = 999
	storeName         = "Gopher Shop"
)

// returnPath is where the Confirmation Flow sends the buyer back, for
// both flows (checkout adds the payment id and the attempt's nonce).
const returnPath = "/amazon/return"

// ipnPath is the shop's IPN URL path: register <shop URL>/amazon/ipn in
// Seller Central (Integration Settings), or with
// SetMerchantNotificationConfiguration.
const ipnPath = "/amazon/ipn"

// Shop is the demo shop, an http.Handler.
type Shop struct {
	cfg      Config
	currency string
	mux      *http.ServeMux
	payments *checkout.Payments
	db       db
	now      func() time.Time
	secure   bool // the shop is served over https: Secure cookies
}

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// New returns the shop. Its payments are checkout's, on a checkout
// SQLStore on cfg.DB, with CaptureNow.
func New(cfg Config) (*Shop, error) {
	switch {
	case cfg.Client == nil:
		return nil, fmt.Errorf("store: Config.Client is required")
	case cfg.WidgetsURL == "":
		return nil, fmt.Errorf("store: Config.WidgetsURL is required")
	case cfg.DB == nil:
		return nil, fmt.Errorf("store: Config.DB is required")
	case cfg.Dialect != checkout.PostgreSQL && cfg.Dialect != checkout.SQLite:
		return nil, fmt.Errorf("store: Config.Dialect must be checkout.PostgreSQL or checkout.SQLite")
	}
	if cfg.AJAXTimeout <= 0 {
		cfg.AJAXTimeout = 10 * time.Second
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 24 * time.Hour
	}
	if cfg.ReconcileEvery <= 0 {
		cfg.ReconcileEvery = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	payments, err := checkout.New(cfg.Client, checkout.NewSQLStore(cfg.DB, cfg.Dialect), checkout.Config{
		ReturnURL:  base + returnPath,
		CaptureNow: true,
	})
	if err != nil {
		return nil, fmt.Errorf("store: Config.BaseURL: %w", err)
	}
	s := &Shop{
		cfg:      cfg,
		currency: cfg.Client.Config().CurrencyCode,
		mux:      http.NewServeMux(),
		payments: payments,
		db:       db{sql: cfg.DB, dialect: cfg.Dialect},
		now:      cfg.Now,
		secure:   strings.HasPrefix(strings.ToLower(base), "https://"),
	}
	v := cfg.NotificationVerifier
	if v == nil {
		v = amazonpay.NewNotificationVerifier(amazonpay.WithNotificationSellerIDs(cfg.Client.Config().SellerID))
	}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("POST /cart/add", s.addToCart)
	s.mux.HandleFunc("GET /cart", s.cart)
	s.mux.HandleFunc("GET /checkout", s.checkout)
	s.mux.HandleFunc("POST /checkout/confirm", s.confirmOrder)
	s.mux.HandleFunc("GET "+returnPath, s.amazonReturn)
	s.mux.HandleFunc("GET /orders/{no}", s.order)
	s.mux.HandleFunc("GET /subscription", s.subscription)
	s.mux.HandleFunc("GET /subscription/checkout", s.subscriptionCheckout)
	s.mux.HandleFunc("POST /subscription/confirm", s.confirmSubscription)
	s.mux.HandleFunc("GET /subscriptions/{no}", s.subscriptionPage)
	// Verified notifications go to checkout, which records each once (by
	// NotificationReferenceId, in the same transaction as the change).
	s.mux.Handle("POST "+ipnPath, amazonpay.NewNotificationHandler(v, payments.Apply))
	return s, nil
}

// Payments returns the shop's checkout payments, for its tests and tools.
func (s *Shop) Payments() *checkout.Payments { return s.payments }

// ServeHTTP serves the shop's pages, its checkout endpoints, the return
// from Amazon Pay and the Instant Payment Notification endpoint (POST
// /amazon/ipn).
func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// sessionOrFail returns the buyer's session; on a database failure it
// answers 503 and reports false.
func (s *Shop) sessionOrFail(w http.ResponseWriter, r *http.Request) (session, bool) {
	sess, err := s.session(r)
	if err != nil {
		unavailable(w)
		return session{}, false
	}
	return sess, true
}

// unavailable is the page of a request the shop cannot serve now (its
// database is down): nothing was changed, the buyer can try again.
func unavailable(w http.ResponseWriter) {
	http.Error(w, "The shop cannot answer right now. Please try again in a moment.", http.StatusServiceUnavailable)
}

// price is an amount in minor units of the shop's currency as MWS wants
// it: "21.25" EUR; yen have no minor units, so 2125 is "2125" JPY.
func (s *Shop) price(minor int64) amazonpay.Price {
	if s.currency == "JPY" {
		return amazonpay.Price{Amount: fmt.Sprint(minor), CurrencyCode: s.currency}
	}
	return amazonpay.Price{Amount: fmt.Sprintf("%d.%02d", minor/100, minor%100), CurrencyCode: s.currency}
}

func (s *Shop) priceText(cents int64) string { return priceText(s.price(cents)) }

func priceText(p amazonpay.Price) string { return p.Amount + " " + p.CurrencyCode }

// page is what every template gets.
type page struct {
	Title         string
	SellerID      string
	ClientID      string
	WidgetsURL    string
	AJAXTimeoutMS int64
	Quantity      int
	Total         string
	Message       string // a notice for the buyer, e.g. Amazon's recommended message
	Logout        bool   // sign the buyer out of Amazon Pay (after a failed challenge)
	// ID is the order reference or billing agreement the widgets show again
	// (after an abandoned challenge); empty lets them create one.
	ID           string
	Refresh      int // reload the page after this many seconds (0: never)
	Order        *Order
	Subscription *Subscription
	Product      string
	Price        string
}

func (s *Shop) page(title string, sess session) page {
	return page{
		Title:         title,
		SellerID:      s.cfg.Client.Config().SellerID,
		ClientID:      s.cfg.ClientID,
		WidgetsURL:    s.cfg.WidgetsURL,
		AJAXTimeoutMS: s.cfg.AJAXTimeout.Milliseconds(),
		Quantity:      sess.quantity,
		Total:         s.priceText(int64(sess.quantity) * productCents),
		Product:       productName,
		Price:         s.priceText(productCents),
	}
}

func render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		http.Error(w, "The page cannot be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a buyer gone away is no error of the shop
}

// writeJSON answers the pages' AJAX calls.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // a page gone away is no error of the shop
}

// ajaxError is the backend's answer when it cannot go on; the page then
// calls confirmationFlow.error() and shows Message.
type ajaxError struct {
	Message string `json:"message"`
}

func (s *Shop) home(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	render(w, http.StatusOK, "home.html", s.page(storeName, sess))
}

func (s *Shop) addToCart(w http.ResponseWriter, r *http.Request) {
	if _, err := s.changeSession(w, r, true, func(sess *session) {
		if sess.quantity < 10 {
			sess.quantity++
		}
	}); err != nil {
		unavailable(w)
		return
	}
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
}

// buyerMessage is Amazon's recommended message for a Next step, in the
// buyer's language.
func buyerMessage(next checkout.Next, r *http.Request) string {
	return (&checkout.ReturnOutcome{Next: next}).BuyerMessage(r.Header.Get("Accept-Language"))
}

// Messages of the shop's own.
const (
	retryLaterMessage  = "Amazon Pay could not process your payment just now. Please try again in a moment."
	unavailableMessage = "Amazon Pay is not available right now. Please try again."
)

// cart shows the cart with the Amazon Pay button. After a failed challenge
// or a hard decline (?payment=failed) it shows Amazon's message in the
// buyer's language and signs the buyer out of Amazon Pay, as the
// integration guide says.
func (s *Shop) cart(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	p := s.page("Your cart", sess)
	if r.URL.Query().Get("payment") == "failed" {
		p.Message = buyerMessage(checkout.NextBackToCart, r)
		p.Logout = true
	}
	render(w, http.StatusOK, "cart.html", p)
}
