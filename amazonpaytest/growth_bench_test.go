package amazonpaytest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// benchCheckout is one EU one-time checkout as a shop runs it: the buyer
// signs in, the shop sets the total and confirms, the buyer passes the
// Confirmation Flow, the shop authorizes and captures. It makes five
// requests (requestsPerCheckout).
func benchCheckout(b *testing.B, srv *amazonpaytest.Server, c *amazonpay.Client, i int) {
	benchCheckoutVia(b, srv, c, nil, i)
}

// requestsPerCheckout is how many requests benchCheckout makes.
const requestsPerCheckout = 5

// benchCheckoutVia is benchCheckout with the buyer's Confirmation Flow
// page opened through browser (nil: FollowConfirmationFlow, in process).
func benchCheckoutVia(b *testing.B, srv *amazonpaytest.Server, c *amazonpay.Client, browser *http.Client, i int) {
	ctx := context.Background()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "19.99", CurrencyCode: "EUR"}},
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail",
	}); err != nil {
		b.Fatal(err)
	}
	if browser == nil {
		if _, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id); err != nil {
			b.Fatal(err)
		}
	} else {
		resp, err := browser.Get(srv.ConfirmationFlowURL(id))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			b.Fatalf("Confirmation Flow: HTTP %d", resp.StatusCode)
		}
	}
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: fmt.Sprintf("a%d", i),
		AuthorizationAmount: &amazonpay.Price{Amount: "19.99", CurrencyCode: "EUR"}, TransactionTimeout: amazonpay.Int(0),
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Capture(ctx, &amazonpay.CaptureInput{
		AmazonAuthorizationID: out.AuthorizationDetails.AmazonAuthorizationID, CaptureReferenceID: fmt.Sprintf("c%d", i),
		CaptureAmount: &amazonpay.Price{Amount: "19.99", CurrencyCode: "EUR"},
	}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSandboxGrowth runs 10,000 sequential one-time checkouts on one
// sandbox and reports the rate of the last 1,000 against the first 1,000
// (last/first, goal ≥ 0.9) and the memory the sandbox retains per
// checkout after them (retained-B/checkout, goal ≤ 2048 with the default
// WithKeep).
func BenchmarkSandboxGrowth(b *testing.B) {
	const n, window = 10000, 1000
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		srv := amazonpaytest.NewServer()
		c := srv.AmazonPay()
		var first, last time.Duration
		start := time.Now()
		for i := range n {
			if i == window {
				first = time.Since(start)
			}
			if i == n-window {
				start = time.Now()
			}
			benchCheckout(b, srv, c, i)
		}
		last = time.Since(start)
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(window)/first.Seconds(), "first-checkouts/s")
		b.ReportMetric(float64(window)/last.Seconds(), "last-checkouts/s")
		b.ReportMetric(first.Seconds()/last.Seconds(), "last/first")
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/n, "retained-B/checkout")
		runtime.KeepAlive(srv)
		srv.Close()
	}
}

// ipnSink is a notification endpoint that answers 200 at once.
func ipnSink(b *testing.B) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	b.Cleanup(s.Close)
	return s
}
