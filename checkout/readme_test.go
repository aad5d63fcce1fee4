package checkout_test

// README's checkout snippets, verbatim (the root module's
// TestReadmeGoSnippetsAreCompiled finds them here), and a test that runs
// them as a shop would.

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

func newCheckout(ctx context.Context, client *amazonpay.Client, db *sql.DB) (*checkout.Payments, error) {
	store := checkout.NewSQLStore(db, checkout.PostgreSQL) // or checkout.SQLite
	if err := store.Migrate(ctx); err != nil {             // at every start: versioned, idempotent
		return nil, err
	}
	return checkout.New(client, store, checkout.Config{
		ReturnURL:  "https://shop.example/amazon/return", // SuccessUrl and FailureUrl, with the payment id and a nonce added
		CaptureNow: true,
	})
}

func routes(mux *http.ServeMux, p *checkout.Payments, v *amazonpay.NotificationVerifier, carts *carts) {
	// "Buy now" (AJAX). The total comes from the shop's cart, never from the page.
	mux.HandleFunc("POST /amazon/confirm", func(w http.ResponseWriter, r *http.Request) {
		cart := carts.of(r)
		_, err := p.Confirm(r.Context(), checkout.Purchase{ID: cart.OrderID, OrderReferenceID: r.FormValue("orderReferenceId"), Total: cart.Total})
		if err != nil {
			http.Error(w, "please try again", http.StatusConflict) // the page calls confirmationFlow.error()
		}
	})
	// The buyer's return from the Confirmation Flow: unauthenticated input, checked by Return.
	mux.HandleFunc("GET /amazon/return", func(w http.ResponseWriter, r *http.Request) {
		out, err := p.Return(r.Context(), r.URL.Query())
		if err != nil { // forged or malformed: nothing changed, nothing was sent
			http.Error(w, "unexpected return", http.StatusBadRequest)
			return
		}
		switch out.Next {
		case checkout.NextPaid:
			http.Redirect(w, r, "/orders/"+out.Payment.ID, http.StatusSeeOther)
		case checkout.NextPending: // "we are confirming your payment", the page reloads
			http.Redirect(w, r, "/orders/"+out.Payment.ID+"?pending=1", http.StatusSeeOther)
		default: // the wallet, the cart, or "try again in a moment", with Amazon's message
			carts.show(w, out.Next, out.BuyerMessage(r.Header.Get("Accept-Language")))
		}
	})
	// Instant Payment Notifications: verified, then applied once each.
	mux.Handle("POST /amazon/ipn", amazonpay.NewNotificationHandler(v, p.Apply))
}

// reconcile runs at start-up and every minute: it settles what a crash or a lost reply left open.
func reconcile(ctx context.Context, p *checkout.Payments, log *slog.Logger) {
	for {
		rep, err := p.Reconcile(ctx)
		if err != nil {
			log.Error("reconcile", "error", err)
		} else if len(rep.Errors) > 0 {
			log.Warn("reconcile", "unsettled", len(rep.Errors))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
}

// newCheckout needs a database driver, which this module does not have:
// checkout/sqltest runs the same against PostgreSQL and SQLite.
var _ = newCheckout

// carts is the shop around README's routes: one cart per test.
type carts struct {
	mu    sync.Mutex
	cart  *cart
	shown []string
}

type cart struct {
	OrderID string
	Total   amazonpay.Price
}

func (c *carts) of(*http.Request) *cart { return c.cart }

func (c *carts) show(w http.ResponseWriter, next checkout.Next, msg string) {
	c.mu.Lock()
	c.shown = append(c.shown, string(next)+": "+msg)
	c.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// README's routes run a checkout: a declined card, the wallet with
// Amazon's message, another card, paid; a forged return is refused; the
// IPNs reach Apply; reconcile starts and stops with its context.
func TestReadmeCheckoutRoutes(t *testing.T) {
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	t.Cleanup(sb.Close)
	p, err := checkout.New(sb.AmazonPay(), checkout.NewMemoryStore(), checkout.Config{ReturnURL: "https://shop.example/amazon/return", CaptureNow: true})
	require.NoError(t, err)
	c := &carts{cart: &cart{OrderID: "order-7", Total: eur("19.90")}}
	mux := http.NewServeMux()
	routes(mux, p, sb.NotificationVerifier(), c)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	sb.AddNotificationURL(ts.URL + "/amazon/ipn")
	t.Cleanup(func() {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		assert.NoError(t, sb.WaitNotifications(wctx))
	})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	buyNow := func(oro string) int {
		resp, err := http.PostForm(ts.URL+"/amazon/confirm", url.Values{"orderReferenceId": {oro}})
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	back := func(oro string) *http.Response {
		u, err := sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, oro)
		require.NoError(t, err)
		resp, err := noRedirect.Get(ts.URL + u.Path + "?" + u.RawQuery)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodInvalid
	oro := sb.CreateOrderReference(b)
	require.Equal(t, http.StatusOK, buyNow(oro))
	resp := back(oro)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{"choose-another-payment-method: " + amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, "en")}, c.shown)

	require.NoError(t, sb.SelectPaymentMethod(oro, amazonpaytest.PaymentMethodSCAPass))
	require.Equal(t, http.StatusOK, buyNow(oro))
	resp = back(oro)
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/orders/order-7", resp.Header.Get("Location"))

	forged, err := noRedirect.Get(ts.URL + "/amazon/return?payment=order-8&nonce=" + strings.Repeat("a", 32) + "&AuthenticationStatus=Success")
	require.NoError(t, err)
	forged.Body.Close()
	assert.Equal(t, http.StatusBadRequest, forged.StatusCode)

	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { reconcile(rctx, p, slog.New(slog.DiscardHandler)); close(done) }()
	cancel()
	<-done
	pay, err := p.Get(ctx, "order-7")
	require.NoError(t, err)
	assert.Equal(t, checkout.StatePaid, pay.State)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 2, Captures: 1}, sb.MoneyMovements())
}
