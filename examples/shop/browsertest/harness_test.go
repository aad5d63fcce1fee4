package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/testdb"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// scenarioTimeout bounds one scenario and stepTimeout one step; the steps
// wait for what the buyer would see, never for a fixed time.
const (
	scenarioTimeout = 120 * time.Second
	stepTimeout     = 20 * time.Second
)

// chromiumPath finds the browser: $CHROMIUM, else chromium on the PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium is not installed (apt-get install chromium, or set CHROMIUM)")
}

// noBrowser fails the test under CI (a missing browser must not pass
// silently there) and skips it elsewhere.
func noBrowser(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and Chromium cannot be started: %v", err)
	}
	t.Skipf("Chromium cannot be started: %v", err)
}

// scenario is one buyer in a fresh headless Chromium, the shop, and the
// offline sandbox behind it (sb and shop are nil when both run as
// programs: TestBrowserKilledBeforeTheOrderPage).
type scenario struct {
	t    *testing.T
	tab  context.Context // the browser tab
	ctx  context.Context // the tab, bounded by scenarioTimeout
	sb   *amazonpaytest.Server
	shop *store.Shop
	url  string
}

// newScenario starts the sandbox, the shop and Chromium. lang is the
// browser's Accept-Language.
func newScenario(t *testing.T, lang string, cfg store.Config) *scenario {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		noBrowser(t, err)
	}
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	t.Cleanup(sb.Close)
	db := testdb.SQLite(t)
	if err := checkout.NewSQLStore(db, checkout.SQLite).Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(context.Background(), db, checkout.SQLite); err != nil {
		t.Fatal(err)
	}
	var shop *store.Shop
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { shop.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	cfg.Client, cfg.ClientID, cfg.WidgetsURL = sb.AmazonPay(), "amzn1.application-oa2-client.browsertest", sb.WidgetsURL()
	cfg.DB, cfg.Dialect, cfg.BaseURL = db, checkout.SQLite, ts.URL
	shop, err = store.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := newBrowser(t, path, lang)
	s.sb, s.shop, s.url = sb, shop, ts.URL
	return s
}

// newBrowser starts a headless Chromium (the browser at path) whose
// requests say Accept-Language lang; the caller sets the shop.
func newBrowser(t *testing.T, path, lang string) *scenario {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(900, 800),
	)
	tab, cancelTab := chromedp.NewContext(alloc)
	// The first call starts the browser; it must not carry the scenario's
	// deadline, which would stop the browser before the artifacts are saved.
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}})
		return err
	}))
	ctx, cancelTimeout := context.WithTimeout(tab, scenarioTimeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err != nil {
		noBrowser(t, err)
	}
	s := &scenario{t: t, tab: tab, ctx: ctx}
	t.Cleanup(s.saveArtifactsOnFailure)
	return s
}

// run runs browser actions; a failure ends the test (after saving what the
// buyer saw).
func (s *scenario) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// value runs an action that reads something from the page.
func value[T any](s *scenario, what string, a chromedp.Action[T]) T {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// css is a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// click clicks the element sel once it is visible.
func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(css(sel)) }

// visible waits until the element sel is visible.
func visible(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(css(sel)) }

// text returns the text of the element sel once it is shown and not
// empty. It asks again while the page navigates or fills the element
// asynchronously, up to stepTimeout.
func (s *scenario) text(sel string) string {
	s.t.Helper()
	expr := fmt.Sprintf(`(function () { var e = document.querySelector(%q); return e && e.getClientRects().length ? e.textContent.trim() : ''; })()`, sel)
	deadline := time.Now().Add(stepTimeout)
	for {
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		cancel()
		if err == nil && v != "" {
			return v
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.t.Fatalf("read %s: nothing shown (last error: %v)", sel, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitJS waits until the JavaScript expression cond is true on the page,
// asking again while it is not (or the page navigates), up to stepTimeout.
func (s *scenario) waitJS(cond string) {
	s.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			s.t.Fatalf("never true: %s (last error: %v)", cond, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// location returns the page's path and query.
func (s *scenario) location() string {
	s.t.Helper()
	loc := value(s, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		s.t.Fatal(err)
	}
	return u.RequestURI()
}

// waitSandbox waits (up to seconds, not a fixed time) until cond holds in
// the sandbox: the widgets talk to it asynchronously.
func (s *scenario) waitSandbox(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("the sandbox never saw: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// paymentMethodIs waits until the buyer's pick in the Wallet reached the sandbox.
func (s *scenario) paymentMethodIs(id string, m amazonpaytest.PaymentMethod) {
	s.t.Helper()
	s.waitSandbox(fmt.Sprintf("%s pays with %s", id, m), func() bool {
		obj, ok := s.sb.Object(id)
		return ok && obj.PaymentMethod == m
	})
}

// widgetObject returns the id the widgets show (their data-amazon-id).
func (s *scenario) widgetObject(div string) string {
	s.t.Helper()
	sel := "#" + div + " fieldset"
	s.run("wait for the widget", visible(sel))
	attr := value(s, "read the widget's object", chromedp.AttributeValue(css(sel), "data-amazon-id"))
	if attr.Value == "" {
		s.t.Fatalf("the widget in #%s shows no object", div)
	}
	return attr.Value
}

// choose picks a payment method in the Wallet widget.
func (s *scenario) choose(m amazonpaytest.PaymentMethod) chromedp.Action[chromedp.Void] {
	return click(fmt.Sprintf(`#walletWidgetDiv input[value=%q]`, string(m)))
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// saveArtifactsOnFailure keeps a screenshot and the HTML of the page a
// failed scenario ended on, in testdata/artifacts (or $BROWSERTEST_ARTIFACTS).
func (s *scenario) saveArtifactsOnFailure() {
	if !s.t.Failed() {
		return
	}
	dir := os.Getenv("BROWSERTEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Logf("artifacts: %v", err)
		return
	}
	// The scenario's deadline may have passed: the tab gets its own.
	ctx, cancel := context.WithTimeout(s.tab, 10*time.Second)
	defer cancel()
	loc, err1 := chromedp.Run(ctx, chromedp.Location())
	png, err2 := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	html, err3 := chromedp.Run(ctx, chromedp.OuterHTML(css("html")))
	if err := errors.Join(err1, err2, err3); err != nil {
		s.t.Logf("artifacts: the page could not be saved: %v", err)
		return
	}
	base := filepath.Join(dir, unsafeName.ReplaceAllString(s.t.Name(), "_"))
	os.WriteFile(base+".png", png, 0o644)
	os.WriteFile(base+".html", []byte("<!-- "+loc+" -->\n"+html), 0o644)
	s.t.Logf("artifacts: the page at %s is saved as %s.png and %s.html", loc, base, base)
}
