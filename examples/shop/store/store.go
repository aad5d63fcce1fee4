// Package store is the demo shop of examples/shop: a product, a cart, a
// checkout with Amazon Pay's AddressBook and Wallet widgets and the
// Confirmation Flow of Strong Customer Authentication, an order page, a
// monthly subscription on a billing agreement with its first charge, and
// an Instant Payment Notification endpoint.
//
// It is a reference integration: plain net/http and html/template, one
// file per concern. The pages (templates/*.html) call Amazon Pay's widgets
// as Amazon's integration guide shows; the backend (checkout.go,
// subscription.go) makes the MWS calls with the amazonpay package, and
// its Instant Payment Notification endpoint (ipn.go) learns the changes
// that happen after the buyer left. The
// same code runs against the offline sandbox (amazonpaytest, with its fake
// Widgets.js) and against Amazon's sandbox (Amazon's Widgets.js).
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
	"sync"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// Config is what the shop needs to know about its Amazon Pay account.
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
	// BaseURL is the shop's address as the buyer's browser sees it, for the
	// SuccessUrl and FailureUrl of the Confirmation Flow; empty takes
	// http://<Host of the request>.
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
	// own (Migrate creates them); Dialect says which SQL it speaks.
	// Required.
	DB      *sql.DB
	Dialect checkout.Dialect
	// SessionTTL is how long a buyer's session (the cart) lives after its
	// last change (default 24 h).
	SessionTTL time.Duration
	// Now is the shop's clock (default time.Now); tests move it.
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

// Shop is the demo shop, an http.Handler.
type Shop struct {
	cfg      Config
	currency string
	mux      *http.ServeMux

	db     db
	now    func() time.Time
	secure bool // the shop is served over https: Secure cookies

	mu       sync.Mutex
	orders   map[string]*Order
	subs     map[string]*Subscription
	owners   map[string]string // order or subscription number → session
	attempts map[string]int    // order number → authorizations tried

	// What Instant Payment Notifications need (ipn.go).
	amazonIDs  map[string]string     // Amazon order reference, authorization, capture, billing agreement id → order or subscription number
	ipnSeen    map[string]bool       // NotificationReferenceIDs applied
	ipnLog     []string              // the same, oldest first
	ipnUpdated map[string]knownState // Amazon object id → the latest state applied, from a reply or a notification
}

// Order is a paid order.
type Order struct {
	No                     string
	Quantity               int
	Total                  string // e.g. "42.50 EUR"
	AmazonOrderReferenceID string
	AuthorizationID        string
	CaptureID              string
	// The states below start as the API replies gave them; later changes
	// come from Instant Payment Notifications only (ipn.go).
	OrderReferenceState string // e.g. "Open", "Closed (AmazonClosed)"
	AuthorizationState  string // e.g. "Closed (MaxCapturesProcessed)"
	CaptureState        string // e.g. "Completed", "Closed (MaxAmountRefunded)"
	Refunds             []Refund
	Updates             []string // the changes the notifications told, oldest first
}

// Subscription is a subscription with its first charge.
type Subscription struct {
	No                       string
	Amount                   string // a month, e.g. "9.99 EUR"
	AmazonBillingAgreementID string
	FirstAuthorizationID     string
	FirstCharge              string // the state of the first authorization, e.g. "Closed (MaxCapturesProcessed)"
	AgreementState           string // "Open", then e.g. "Closed (BuyerCanceled)" from a notification
	Updates                  []string
}

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// New returns the shop.
func New(cfg Config) (*Shop, error) {
	if cfg.Client == nil {
		return nil, fmt.Errorf("store: Config.Client is required")
	}
	if cfg.WidgetsURL == "" {
		return nil, fmt.Errorf("store: Config.WidgetsURL is required")
	}
	if cfg.DB == nil {
		return nil, fmt.Errorf("store: Config.DB is required")
	}
	if cfg.Dialect != checkout.PostgreSQL && cfg.Dialect != checkout.SQLite {
		return nil, fmt.Errorf("store: Config.Dialect must be checkout.PostgreSQL or checkout.SQLite")
	}
	if cfg.AJAXTimeout <= 0 {
		cfg.AJAXTimeout = 10 * time.Second
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Shop{
		cfg:      cfg,
		currency: cfg.Client.Config().CurrencyCode,
		mux:      http.NewServeMux(),
		db:       db{sql: cfg.DB, dialect: cfg.Dialect},
		now:      cfg.Now,
		secure:   strings.HasPrefix(strings.ToLower(cfg.BaseURL), "https://"),
		orders:   map[string]*Order{},
		subs:     map[string]*Subscription{},
		owners:   map[string]string{},
		attempts: map[string]int{},

		amazonIDs:  map[string]string{},
		ipnSeen:    map[string]bool{},
		ipnUpdated: map[string]knownState{},
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
	s.mux.HandleFunc("GET /checkout/ok", s.orderReturn)
	s.mux.HandleFunc("GET /checkout/failed", s.orderReturn)
	s.mux.HandleFunc("GET /orders/{no}", s.order)
	s.mux.HandleFunc("GET /subscription", s.subscription)
	s.mux.HandleFunc("GET /subscription/checkout", s.subscriptionCheckout)
	s.mux.HandleFunc("POST /subscription/confirm", s.confirmSubscription)
	s.mux.HandleFunc("GET /subscription/ok", s.subscriptionReturn)
	s.mux.HandleFunc("GET /subscription/failed", s.subscriptionReturn)
	s.mux.HandleFunc("GET /subscriptions/{no}", s.subscriptionPage)
	s.mux.Handle("POST "+ipnPath, s.ipnHandler(v))
	return s, nil
}

// Order returns the paid order no, if any.
func (s *Shop) Order(no string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[no]
	if !ok {
		return Order{}, false
	}
	c := *o // a copy the notifications cannot change under the caller
	c.Refunds = append([]Refund(nil), o.Refunds...)
	c.Updates = append([]string(nil), o.Updates...)
	return c, true
}

// Subscription returns the subscription no, if any.
func (s *Shop) Subscription(no string) (Subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[no]
	if !ok {
		return Subscription{}, false
	}
	c := *sub
	c.Updates = append([]string(nil), sub.Updates...)
	return c, true
}

// ServeHTTP serves the shop's pages, its checkout endpoints and its
// Instant Payment Notification endpoint (POST /amazon/ipn).
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

// nextNo returns a new order or subscription number, or "" when the
// database cannot give one.
func (s *Shop) nextNo(r *http.Request, prefix string) string {
	n, err := s.db.next(r.Context(), prefix)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s-%d", prefix, n)
}

// withSession returns the buyer's session after f changed it (f nil: as
// it is). create makes a session for a buyer without one.
func (s *Shop) withSession(w http.ResponseWriter, r *http.Request, create bool, f func(*session)) (session, error) {
	if f == nil {
		return s.session(r)
	}
	return s.changeSession(w, r, create, f)
}

// price is an amount in minor units of the shop's currency as MWS wants
// it: "21.25" EUR; yen have no minor units, so 2125 is "2125" JPY.
func (s *Shop) price(minor int64) *amazonpay.Price {
	if s.currency == "JPY" {
		return &amazonpay.Price{Amount: fmt.Sprint(minor), CurrencyCode: s.currency}
	}
	return &amazonpay.Price{Amount: fmt.Sprintf("%d.%02d", minor/100, minor%100), CurrencyCode: s.currency}
}

func (s *Shop) priceText(cents int64) string {
	p := s.price(cents)
	return p.Amount + " " + p.CurrencyCode
}

// baseURL is the shop's address for the Confirmation Flow's return URLs.
func (s *Shop) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	return "http://" + r.Host
}

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

// cart shows the cart with the Amazon Pay button. After a failed challenge
// (?payment=failed) it shows Amazon's message in the buyer's language and
// signs the buyer out of Amazon Pay, as the integration guide says.
func (s *Shop) cart(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	p := s.page("Your cart", sess)
	switch r.URL.Query().Get("payment") {
	case "failed":
		p.Message = amazonpay.BuyerMessage(amazonpay.AuthenticationFailure, r.Header.Get("Accept-Language"))
		p.Logout = true
	case "declined":
		p.Message = "Your payment was declined. Your order hasn't been placed."
		p.Logout = true
	case "error":
		p.Message = "Amazon Pay could not complete your payment. Please try again."
	}
	render(w, http.StatusOK, "cart.html", p)
}

// owns reports whether the buyer's session placed order or subscription no.
func (s *Shop) owns(sess session, no string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sess.id != "" && s.owners[no] == sess.id
}

func (s *Shop) order(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionOrFail(w, r)
	if !ok {
		return
	}
	o, ok := s.Order(r.PathValue("no"))
	if !ok || !s.owns(sess, o.No) {
		http.NotFound(w, r)
		return
	}
	p := s.page("Order "+o.No, sess)
	p.Order = &o
	render(w, http.StatusOK, "order.html", p)
}
