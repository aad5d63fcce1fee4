package store_test

import (
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a test clock the shop reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sessionShop is the shop on db with a test clock and base URL, and a
// client that keeps no cookies (the test carries them by hand).
type sessionShop struct {
	t     *testing.T
	db    *sql.DB
	shop  *store.Shop
	clock *clock
	url   string
}

func newSessionShop(t *testing.T, db *sql.DB, dialect checkout.Dialect, baseURL string) *sessionShop {
	t.Helper()
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	t.Cleanup(sb.Close)
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	var shop *store.Shop
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	if baseURL == "" {
		baseURL = ts.URL
	}
	shop, err := store.New(store.Config{Client: sb.AmazonPay(), ClientID: "amzn1.application-oa2-client.test", WidgetsURL: sb.WidgetsURL(),
		DB: db, Dialect: dialect, BaseURL: baseURL, SessionTTL: time.Hour, Now: c.Now})
	require.NoError(t, err)
	return &sessionShop{t: t, db: db, shop: shop, clock: c, url: ts.URL}
}

// do sends one request with the cookie (if any) and returns the response,
// its body read.
func (s *sessionShop) do(method, path string, cookie *http.Cookie) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, nil)
	require.NoError(s.t, err)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed, no jar
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp, string(b)
}

func (s *sessionShop) sessions() int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.db.QueryRow("SELECT count(*) FROM shop_sessions").Scan(&n))
	return n
}

// sessionCookie returns the shop_session cookie resp sets, or nil.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "shop_session" {
			return c
		}
	}
	return nil
}

// forEachDatabase runs the test on SQLite and on PostgreSQL.
func forEachDatabase(t *testing.T, test func(t *testing.T, db *sql.DB, dialect checkout.Dialect)) {
	t.Run("SQLite", func(t *testing.T) { test(t, sqliteDB(t), checkout.SQLite) })
	t.Run("PostgreSQL", func(t *testing.T) { test(t, postgresDB(t), checkout.PostgreSQL) })
}

// Looking at the shop stores nothing and sets no cookie; the first thing
// in the cart makes the session, with an HttpOnly, SameSite=Lax cookie
// (not Secure over http) that lives as long as the stored session.
func TestNoSessionUntilTheCart(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db *sql.DB, dialect checkout.Dialect) {
		s := newSessionShop(t, db, dialect, "")
		for _, path := range []string{"/", "/cart", "/checkout", "/subscription", "/subscription/checkout", "/orders/order-1001"} {
			resp, _ := s.do(http.MethodGet, path, nil)
			assert.Empty(t, resp.Header.Values("Set-Cookie"), path)
		}
		// A cookie naming no stored session is no session either.
		resp, body := s.do(http.MethodGet, "/cart", &http.Cookie{Name: "shop_session", Value: strings.Repeat("ab", 16)})
		assert.Empty(t, resp.Header.Values("Set-Cookie"))
		assert.Contains(t, body, `<p id="cart-empty">`)
		assert.Equal(t, 0, s.sessions())

		resp, _ = s.do(http.MethodPost, "/cart/add", nil)
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		c := sessionCookie(resp)
		require.NotNil(t, c)
		assert.Regexp(t, `^shop_session=[0-9a-f]{32}; Path=/; Expires=Mon, 07 Dec 2026 10:00:00 GMT; Max-Age=3600; HttpOnly; SameSite=Lax$`, resp.Header.Get("Set-Cookie"))
		assert.Equal(t, 1, s.sessions())

		_, body = s.do(http.MethodGet, "/cart", c)
		assert.Contains(t, body, `<span id="cart-total">21.25 EUR</span>`)
		s.do(http.MethodPost, "/cart/add", c)
		_, body = s.do(http.MethodGet, "/cart", c)
		assert.Contains(t, body, `<span id="cart-total">42.50 EUR</span>`)
		assert.Equal(t, 1, s.sessions(), "the same session")
	})
}

// Behind https the cookie is Secure.
func TestSessionCookieSecureBehindHTTPS(t *testing.T) {
	s := newSessionShop(t, sqliteDB(t), checkout.SQLite, "https://shop.example")
	resp, _ := s.do(http.MethodPost, "/cart/add", nil)
	assert.Regexp(t, `^shop_session=[0-9a-f]{32}; Path=/; Expires=[^;]+; Max-Age=3600; HttpOnly; Secure; SameSite=Lax$`, resp.Header.Get("Set-Cookie"))
}

// A session lives SessionTTL after its last change: a change moves the
// expiry; past it the cart is gone (even before the sweep), the sweep
// deletes the row, and the old cookie starts nothing.
func TestSessionExpires(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db *sql.DB, dialect checkout.Dialect) {
		s := newSessionShop(t, db, dialect, "")
		resp, _ := s.do(http.MethodPost, "/cart/add", nil)
		c := sessionCookie(resp)
		require.NotNil(t, c)

		s.clock.Advance(50 * time.Minute)
		resp, _ = s.do(http.MethodPost, "/cart/add", c) // moves the expiry to 10:50
		assert.Equal(t, c.Value, sessionCookie(resp).Value)
		assert.Contains(t, resp.Header.Get("Set-Cookie"), "Expires=Mon, 07 Dec 2026 10:50:00 GMT")
		s.clock.Advance(50 * time.Minute) // 10:40: still alive
		_, body := s.do(http.MethodGet, "/cart", c)
		assert.Contains(t, body, `<span id="cart-total">42.50 EUR</span>`)
		n, err := s.shop.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(0), n)

		s.clock.Advance(10 * time.Minute) // 10:50: expired
		_, body = s.do(http.MethodGet, "/cart", c)
		assert.Contains(t, body, `<p id="cart-empty">`)
		assert.Equal(t, 1, s.sessions(), "not swept yet")
		n, err = s.shop.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		assert.Equal(t, 0, s.sessions())

		// The old cookie: adding to the cart makes a new session.
		resp, _ = s.do(http.MethodPost, "/cart/add", c)
		fresh := sessionCookie(resp)
		require.NotNil(t, fresh)
		assert.NotEqual(t, c.Value, fresh.Value)
		_, body = s.do(http.MethodGet, "/cart", fresh)
		assert.Contains(t, body, `<span id="cart-total">21.25 EUR</span>`)
	})
}

// Migrate is idempotent and leaves the shop's schema version recorded.
func TestMigrateTwice(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db *sql.DB, dialect checkout.Dialect) {
		require.NoError(t, store.Migrate(ctx, db, dialect)) // sqliteDB/postgresDB migrated once already
		var versions []int
		rows, err := db.Query("SELECT version FROM shop_schema_migrations ORDER BY version")
		require.NoError(t, err)
		for rows.Next() {
			var v int
			require.NoError(t, rows.Scan(&v))
			versions = append(versions, v)
		}
		require.NoError(t, rows.Err())
		assert.Equal(t, []int{1}, versions)
		var last int
		require.NoError(t, db.QueryRow("SELECT last FROM shop_counters WHERE name = 'order'").Scan(&last))
		assert.Equal(t, 1000, last, "the seed row is inserted once")
	})
	assert.Error(t, store.Migrate(ctx, nil, checkout.SQLite))
}
