package amazonpaytest_test

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// The speed goals of issue 19, each measured against its baseline in the
// same run: every iteration runs one checkout of each kind, in
// alternating order, on its own sandbox, so that both rows meet the same
// machine load and the same sandbox size.

// pair times one checkout of each of two kinds per iteration and reports
// each kind's checkouts/s and the ratio of their times.
type pair struct {
	b            *testing.B
	a, z         time.Duration
	aName, zName string
}

func (p *pair) run(i int, a, z func()) {
	if i%2 == 1 {
		t0 := time.Now()
		z()
		p.z += time.Since(t0)
	}
	t0 := time.Now()
	a()
	p.a += time.Since(t0)
	if i%2 == 0 {
		t0 := time.Now()
		z()
		p.z += time.Since(t0)
	}
}

func (p *pair) report(ratio string) {
	n := float64(p.b.N)
	p.b.ReportMetric(n/p.a.Seconds(), p.aName+"-checkouts/s")
	p.b.ReportMetric(n/p.z.Seconds(), p.zName+"-checkouts/s")
	p.b.ReportMetric(p.a.Seconds()/p.z.Seconds(), ratio)
}

// loopbackBrowser follows no redirect, over loopback HTTP.
func loopbackBrowser(srv *amazonpaytest.Server) *http.Client {
	hc := *srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// BenchmarkCheckoutInProcess is a checkout over loopback HTTP (the SDK
// client and the buyer's browser on srv.Client(), as AmazonPay was until
// it went in process) against one through AmazonPay and
// FollowConfirmationFlow in process; goal: speedup (loopback time / in
// process time) ≥ 2.
func BenchmarkCheckoutInProcess(b *testing.B) {
	loop, in := amazonpaytest.NewServer(), amazonpaytest.NewServer()
	defer loop.Close()
	defer in.Close()
	lc, ic := loop.AmazonPay(amazonpay.WithHTTPClient(loop.Client())), in.AmazonPay()
	browser := loopbackBrowser(loop)
	p := pair{b: b, aName: "loopback", zName: "inprocess"}
	b.ResetTimer()
	for i := range b.N {
		p.run(i, func() { benchCheckoutVia(b, loop, lc, browser, i) }, func() { benchCheckout(b, in, ic, i) })
	}
	b.StopTimer()
	p.report("speedup")
}

// BenchmarkCheckoutNotifications is a checkout with one notification URL
// against one without, both through AmazonPay; goal: with/without ≤ 1.3
// (the time the shop waits for its calls). The notifications of each
// checkout (notifications/checkout, each signed with the sandbox's
// 1024-bit RSA key, BenchmarkSignSNS) are drained after it, outside the
// timing of either row, so that the sender of one checkout does not run
// in the other's time; the drain is reported apart as drain-ms/checkout,
// and with it the whole cost, (with+drain)/without.
func BenchmarkCheckoutNotifications(b *testing.B) {
	plain, notified := amazonpaytest.NewServer(), amazonpaytest.NewServer()
	defer plain.Close()
	defer notified.Close()
	notified.AddNotificationURL(ipnSink(b).URL + "/ipn")
	pc, nc := plain.AmazonPay(), notified.AmazonPay()
	benchCheckout(b, notified, nc, -1) // the first notification makes the test CA
	if err := notified.WaitNotifications(context.Background()); err != nil {
		b.Fatal(err)
	}
	perCheckout := len(notified.Notifications())
	p := pair{b: b, aName: "notified", zName: "plain"}
	var drain time.Duration
	b.ResetTimer()
	for i := range b.N {
		p.run(i, func() {
			benchCheckout(b, notified, nc, i)
			b.StopTimer()
			t0 := time.Now()
			if err := notified.WaitNotifications(context.Background()); err != nil {
				b.Fatal(err)
			}
			drain += time.Since(t0)
			b.StartTimer()
		}, func() { benchCheckout(b, plain, pc, i) })
	}
	b.StopTimer()
	p.a -= drain // timed within the notified row's checkout, reported apart
	p.report("with/without")
	b.ReportMetric(drain.Seconds()*1e3/float64(b.N), "drain-ms/checkout")
	b.ReportMetric(float64(perCheckout), "notifications/checkout")
	b.ReportMetric((p.a+drain).Seconds()/p.z.Seconds(), "with+drain/without")
	if got := len(notified.Notifications()); got != perCheckout*(b.N+1) {
		b.Fatalf("%d notifications for %d checkouts of %d", got, b.N+1, perCheckout)
	}
}

// BenchmarkSandbox100kRequests is the memory a sandbox keeps after
// 100,000 requests (20,000 checkouts) with the request log and the
// deliveries at the default WithKeep (DefaultKeep, the standalone
// server's --keep 0): retained-MiB is the live heap after them, less the
// live heap before the sandbox was made.
func BenchmarkSandbox100kRequests(b *testing.B) {
	const requests = 100000
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		srv := amazonpaytest.NewServer()
		c := srv.AmazonPay()
		for i := range requests / requestsPerCheckout {
			benchCheckout(b, srv, c, i)
		}
		if got := len(srv.Requests()); got != amazonpaytest.DefaultKeep {
			b.Fatalf("the log keeps %d requests, want DefaultKeep", got)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		retained := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(retained/(1<<20), "retained-MiB")
		b.ReportMetric(retained/requests, "retained-B/request")
		runtime.KeepAlive(srv)
		srv.Close()
	}
}
