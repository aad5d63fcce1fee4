// Command shop is a small web shop that takes payments with Amazon Pay:
// a product, a cart, the Amazon Pay button, a checkout with the AddressBook
// and Wallet widgets and the Confirmation Flow of Strong Customer
// Authentication, an order page, and a monthly subscription. Its code is
// in the store package.
//
// Without configuration it needs no network: it starts the offline sandbox
// (amazonpaytest) with its fake Widgets.js and the shop on loopback, and
// prints the address to open in a browser:
//
//	go run ./examples/shop
//
// With AMAZON_PAY_SELLER_ID, AMAZON_PAY_ACCESS_KEY, AMAZON_PAY_SECRET_KEY,
// AMAZON_PAY_REGION and AMAZON_PAY_CLIENT_ID (the Login with Amazon client
// id) it serves Amazon's Widgets.js and talks to Amazon's sandbox with the
// same code; AMAZON_PAY_SHOP_URL is then the shop's address as the buyer
// sees it (Amazon wants https return URLs registered for the client id).
//
// The shop keeps its carts, orders and payments in a database: by default
// SQLite (modernc.org/sqlite, pure Go) in the file amazonpay-shop.db of the
// system's temporary directory, which it creates; -db names another file,
// and -db postgres://user@host/dbname (or DATABASE_URL) uses PostgreSQL
// through github.com/jackc/pgx/v5. It creates its tables at start
// (checkout's and its own, shop_*) and prints the database it uses.
//
// -sandbox-url (or AMAZON_PAY_SANDBOX_URL) points the shop at an
// amazonpaytest sandbox running elsewhere (cmd/amazonpaytest, or a test's)
// instead of starting one: that is how the tests kill and restart the shop
// while the sandbox keeps its records. With -sandbox-proxy (or
// AMAZON_PAY_SANDBOX_PROXY), that sandbox's --proxy address, the shop
// verifies the sandbox's notifications as it verifies Amazon's: it fetches
// the signing certificate from its sns.<region>.amazonaws.com URL through
// the proxy, trusting the proxy's CA and the sandbox's test CA, both read
// from the sandbox at start (register the shop's /amazon/ipn with the
// sandbox's --notify or add-notification-url). Without it the shop gets
// no verified notifications and learns every outcome from the return and
// Reconcile.
//
// At start, before it serves, the shop reconciles the payments a previous
// run left with a call outstanding (a crash, a lost reply) and prints what
// it found; it reconciles again every minute.
//
// Amazon Pay's Instant Payment Notifications arrive at POST /amazon/ipn.
// Offline, the sandbox sends them there, signed by its test CA, and the
// shop verifies them with the sandbox's verifier. With Amazon, set
// <AMAZON_PAY_SHOP_URL>/amazon/ipn as the merchant URL in Seller Central
// (an https address Amazon can reach); the shop verifies the notifications
// against the system's root certificates.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:], os.Getenv, nil); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		os.Exit(1)
	}
}

// widgetsURLs are Amazon's sandbox Widgets.js by region.
var widgetsURLs = map[amazonpay.Region]string{
	amazonpay.RegionDE: "https://static-eu.payments-amazon.com/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js",
	amazonpay.RegionEU: "https://static-eu.payments-amazon.com/OffAmazonPayments/eur/sandbox/lpa/js/Widgets.js",
	amazonpay.RegionUK: "https://static-eu.payments-amazon.com/OffAmazonPayments/gbp/sandbox/lpa/js/Widgets.js",
	amazonpay.RegionUS: "https://static-na.payments-amazon.com/OffAmazonPayments/us/sandbox/js/Widgets.js",
	amazonpay.RegionNA: "https://static-na.payments-amazon.com/OffAmazonPayments/us/sandbox/js/Widgets.js",
	amazonpay.RegionJP: "https://static-fe.payments-amazon.com/OffAmazonPayments/jp/sandbox/lpa/js/Widgets.js",
}

// run serves the shop until ctx ends. ready, if not nil, gets the shop's
// URL once it listens.
func run(ctx context.Context, out io.Writer, args []string, getenv func(string) string, ready chan<- string) error {
	fs := flag.NewFlagSet("shop", flag.ContinueOnError)
	fs.SetOutput(out)
	listen := fs.String("listen", "127.0.0.1:8080", "the shop's address")
	dbFlag := fs.String("db", "", "the database: a SQLite file (default "+defaultDBPath()+"), or postgres://… for PostgreSQL (default $DATABASE_URL)")
	sandboxURL := fs.String("sandbox-url", getenv("AMAZON_PAY_SANDBOX_URL"), "use the amazonpaytest sandbox at `URL` instead of starting one (or AMAZON_PAY_SANDBOX_URL)")
	sandboxProxy := fs.String("sandbox-proxy", getenv("AMAZON_PAY_SANDBOX_PROXY"), "with -sandbox-url: that sandbox's --proxy `URL`, to verify its notifications (or AMAZON_PAY_SANDBOX_PROXY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	cfg := store.Config{BaseURL: getenv("AMAZON_PAY_SHOP_URL")}
	var sandbox *amazonpaytest.Server
	switch {
	case getenv("AMAZON_PAY_SELLER_ID") != "":
		region, err := amazonpay.ParseRegion(getenv("AMAZON_PAY_REGION"))
		if err != nil {
			return fmt.Errorf("AMAZON_PAY_REGION: %w", err)
		}
		cfg.Client, err = amazonpay.NewClient(amazonpay.Config{
			SellerID:    getenv("AMAZON_PAY_SELLER_ID"),
			AccessKeyID: getenv("AMAZON_PAY_ACCESS_KEY"),
			SecretKey:   getenv("AMAZON_PAY_SECRET_KEY"),
			Region:      region,
			Sandbox:     true,
			ClientID:    getenv("AMAZON_PAY_CLIENT_ID"),
		}, amazonpay.WithAppInfo("amazonpay-shop-example", amazonpay.SDKVersion))
		if err != nil {
			return err
		}
		cfg.ClientID, cfg.WidgetsURL = getenv("AMAZON_PAY_CLIENT_ID"), widgetsURLs[region]
		_, _ = fmt.Fprintf(out, "Amazon Pay sandbox at %s (seller %s)\n", cfg.Client.Endpoint(), cfg.Client.Config().SellerID)
	case *sandboxURL != "":
		var err error
		cfg.Client, err = amazonpay.NewClient(amazonpay.Config{
			SellerID:    amazonpaytest.DefaultSellerID,
			AccessKeyID: amazonpaytest.DefaultAccessKeyID,
			SecretKey:   amazonpaytest.DefaultSecretKey,
			ClientID:    amazonpaytest.DefaultClientID,
			Region:      amazonpay.RegionDE,
			Sandbox:     true,
		}, amazonpay.WithEndpoint(*sandboxURL), amazonpay.WithProfileEndpoint(*sandboxURL),
			amazonpay.WithAppInfo("amazonpay-shop-example", amazonpay.SDKVersion),
			// As amazonpaytest.Server.AmazonPay configures the in-process
			// sandbox's client: no pacing by Amazon's sandbox quotas (the
			// standalone sandbox throttles only with --throttling, and the
			// client retries RequestThrottled), and retries in milliseconds,
			// as its faults are instantaneous.
			amazonpay.WithRateLimiter(nil),
			amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond}))
		if err != nil {
			return fmt.Errorf("-sandbox-url: %w", err)
		}
		cfg.ClientID = amazonpaytest.DefaultClientID
		cfg.WidgetsURL = strings.TrimSuffix(*sandboxURL, "/") + amazonpaytest.WidgetsJSPath
		if *sandboxProxy != "" {
			if cfg.NotificationVerifier, err = sandboxVerifier(ctx, *sandboxURL, *sandboxProxy, amazonpaytest.DefaultSellerID); err != nil {
				return err
			}
		}
		_, _ = fmt.Fprintf(out, "Amazon Pay sandbox at %s (seller %s, region de, EUR)\n", *sandboxURL, amazonpaytest.DefaultSellerID)
	default:
		sandbox = amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
		defer sandbox.Close()
		cfg.Client = sandbox.AmazonPay()
		cfg.ClientID, cfg.WidgetsURL = "amzn1.application-oa2-client.amazonpaytest", sandbox.WidgetsURL()
		// The sandbox signs its notifications with its own test CA: trust
		// that, and fetch its certificate in process. Without this, the
		// shop's verifier trusts the system roots, as with Amazon.
		cfg.NotificationVerifier = sandbox.NotificationVerifier()
		_, _ = fmt.Fprintf(out, "Amazon Pay offline sandbox at %s (seller %s, region de, EUR)\n", sandbox.URL, sandbox.SellerID())
	}

	dsn := *dbFlag
	if dsn == "" {
		dsn = getenv("DATABASE_URL")
	}
	if dsn == "" {
		dsn = defaultDBPath()
	}
	conn, dialect, where, err := openDB(dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := checkout.NewSQLStore(conn, dialect).Migrate(ctx); err != nil {
		return err
	}
	if err := store.Migrate(ctx, conn, dialect); err != nil {
		return err
	}
	cfg.DB, cfg.Dialect = conn, dialect
	_, _ = fmt.Fprintf(out, "Database: %s %s\n", dialect, where)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	shop, err := store.New(cfg)
	if err != nil {
		return err
	}
	// Settle what a previous run left outstanding before the first buyer
	// comes back; Run then reconciles every minute.
	startCtx, cancelStart := context.WithTimeout(ctx, time.Minute)
	rep, err := shop.Payments().Reconcile(startCtx)
	cancelStart()
	if err != nil {
		return fmt.Errorf("reconcile at start: %w", err)
	}
	_, _ = fmt.Fprintf(out, "Reconciled at start: %s\n", reconcileSummary(rep))
	go shop.Run(ctx)
	srv := &http.Server{Handler: shop, ReadHeaderTimeout: 10 * time.Second}
	url := "http://" + ln.Addr().String() + "/"
	if sandbox != nil {
		// What Seller Central's merchant URL is with Amazon.
		sandbox.AddNotificationURL(url + "amazon/ipn")
		_, _ = fmt.Fprintf(out, "Instant Payment Notifications: the sandbox sends them to %samazon/ipn\n", url)
	} else if *sandboxURL != "" && *sandboxProxy != "" {
		_, _ = fmt.Fprintf(out, "Instant Payment Notifications: verified through the sandbox's proxy %s, at %samazon/ipn\n", *sandboxProxy, url)
	} else if *sandboxURL == "" {
		base := strings.TrimSuffix(cfg.BaseURL, "/")
		_, _ = fmt.Fprintf(out, "Instant Payment Notifications: set %s/amazon/ipn as the merchant URL in Seller Central\n", base)
	}
	_, _ = fmt.Fprintf(out, "Gopher Shop: open %s in a browser (Ctrl-C stops it)\n", url)
	if ready != nil {
		ready <- url
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// reconcileSummary is the start-up line's account of a Reconcile:
// "3 with a call outstanding; now canceled 1, paid 2" (the
// states in their order; errors counted, never their text, which could
// carry an id the log should not).
func reconcileSummary(rep *checkout.ReconcileReport) string {
	if rep.Checked == 0 {
		return "no payment with a call outstanding"
	}
	states := make([]string, 0, len(rep.Settled))
	for st := range rep.Settled {
		states = append(states, string(st))
	}
	sort.Strings(states)
	parts := make([]string, 0, len(states)+1)
	for _, st := range states {
		parts = append(parts, fmt.Sprintf("%s %d", st, rep.Settled[checkout.State(st)]))
	}
	if len(rep.Errors) > 0 {
		parts = append(parts, fmt.Sprintf("not settled yet %d", len(rep.Errors)))
	}
	return fmt.Sprintf("%d with a call outstanding; now %s", rep.Checked, strings.Join(parts, ", "))
}

// defaultDBPath is the SQLite file the shop uses without -db or
// DATABASE_URL.
func defaultDBPath() string { return filepath.Join(os.TempDir(), "amazonpay-shop.db") }
