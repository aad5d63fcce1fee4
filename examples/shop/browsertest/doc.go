// Package browsertest runs the demo shop of examples/shop in headless
// Chromium against the offline Amazon Pay sandbox: the buyer clicks through
// the cart, the fake Amazon Pay widgets, the Confirmation Flow's challenge
// and the order page, and each scenario checks what the buyer sees and
// what happened to the sandbox's objects and money.
//
// It is its own module so that the library's go.mod does not depend on
// chromedp. Run it with
//
//	cd examples/shop/browsertest && go test ./...
//
// Chromium is /usr/bin/chromium (Debian's package) or $CHROMIUM. Without
// it the tests skip, except under CI=true, where they fail. A failed
// scenario leaves a screenshot and the page's HTML in testdata/artifacts.
//
// TestBrowserPurchasePassingTheChallenge also keeps the README's picture,
// examples/shop/checkout.png, current: it rewrites the picture when the
// checkout page no longer matches the fingerprint the PNG carries, and under
// CI=true fails instead.
package browsertest
