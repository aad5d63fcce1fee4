package checkouttest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// BenchStore is a store for BenchmarkCheckout: its sub-benchmark's name
// and how to make a new, empty one (released with b.Cleanup).
type BenchStore struct {
	Name     string
	NewStore func(b *testing.B) checkout.Store
}

// BenchmarkCheckout measures one whole EU one-time purchase (CaptureNow)
// against an amazonpaytest sandbox, one op per checkout, written with
// bare client calls and through checkout.Payments on each store, as
// sub-benchmarks of one run. Each sub-benchmark has a sandbox of its own
// with the order references made beforehand, off the clock; the buyer's
// Confirmation Flow (RunConfirmationFlow, in process) and every call to
// the sandbox (loopback HTTP) are on it, for every side alike.
//
// The sub-benchmarks and the calls each makes per checkout:
//
//	bare           SetOrderAttributes, ConfirmOrderReference, the flow,
//	               ParseConfirmationRedirect, Authorize (CaptureNow,
//	               TransactionTimeout 0), GetCaptureDetails
//	bare-unread    the same without GetCaptureDetails
//	<store>        Payments.Confirm and Payments.Return: the same five
//	               calls to Amazon as bare, and on the store Get, Create,
//	               PendingNotifications (Confirm), Get and three Updates
//	               (Return: authorizing, capturing, paid)
//
// GetCaptureDetails is needed: the Authorize reply of CaptureNow carries
// the capture's id (IdList) but not its state, and only a Completed
// capture moved the money (it can be Declined or Pending). bare-unread is
// the integration that trusts the authorization's Closed state instead.
//
// Every sub-benchmark reports cpu-ns/op, the CPU time of the whole process
// (client, store driver and sandbox; where getrusage exists) per checkout,
// which a machine shared with other work disturbs less than ns/op. The
// store sub-benchmarks report, against the bare run of the same invocation
// (when it ran): x-bare and cpu-x-bare (wall and CPU time per checkout
// over bare's), ns-over-bare, cpu-ns-over-bare and allocs-over-bare (the
// extra time and allocations per checkout). Every sub-benchmark checks the
// sandbox's records afterwards: one Completed capture of the total per
// checkout.
func BenchmarkCheckout(b *testing.B, stores ...BenchStore) {
	var bare benchCost
	b.Run("bare", func(b *testing.B) { bare = benchRun(b, benchBare(true)) })
	b.Run("bare-unread", func(b *testing.B) { benchRun(b, benchBare(false)) })
	for _, s := range stores {
		b.Run(s.Name, func(b *testing.B) {
			got := benchRun(b, benchPayments(s.NewStore(b)))
			if bare.ns == 0 {
				return // bare was not selected by -bench
			}
			b.ReportMetric(got.ns/bare.ns, "x-bare")
			b.ReportMetric(got.ns-bare.ns, "ns-over-bare")
			b.ReportMetric(got.allocs-bare.allocs, "allocs-over-bare")
			if bare.cpu > 0 && got.cpu > 0 {
				b.ReportMetric(got.cpu/bare.cpu, "cpu-x-bare")
				b.ReportMetric(got.cpu-bare.cpu, "cpu-ns-over-bare")
			}
		})
	}
}

// benchTotal is every benchmark checkout's total.
var benchTotal = amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}

const benchReturnURL = "https://shop.example/amazon/return"

// benchCost is one sub-benchmark's wall time, process CPU time (0 where
// unknown) and allocations per checkout.
type benchCost struct{ ns, cpu, allocs float64 }

// benchCheckout makes the checkout of payment id on order reference oro;
// setup runs once per sub-benchmark run, off the clock.
type benchCheckout func(sb *amazonpaytest.Server, c *amazonpay.Client) func(ctx context.Context, id, oro string) error

// benchRun runs b.N checkouts on a new sandbox and checks its records.
func benchRun(b *testing.B, setup benchCheckout) benchCost {
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	b.Cleanup(sb.Close)
	checkout := setup(sb, sb.AmazonPay())
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	oros, ids := make([]string, b.N), make([]string, b.N)
	for i := range oros {
		oros[i], ids[i] = sb.CreateOrderReference(buyer), "order-"+strconv.Itoa(i)
	}
	ctx := context.Background()
	var before, after runtime.MemStats
	b.ReportAllocs()
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for i := range b.N {
		if err := checkout(ctx, ids[i], oros[i]); err != nil {
			b.Fatalf("checkout %d: %v", i, err)
		}
	}
	b.StopTimer()
	cpu1, _ := processCPU()
	runtime.ReadMemStats(&after)
	benchCheck(b, sb)
	cost := benchCost{
		ns:     float64(b.Elapsed().Nanoseconds()) / float64(b.N),
		allocs: float64(after.Mallocs-before.Mallocs) / float64(b.N),
	}
	if cpuOK {
		cost.cpu = float64(cpu1-cpu0) / float64(b.N)
		b.ReportMetric(cost.cpu, "cpu-ns/op")
	}
	return cost
}

// benchCheck asserts the sandbox's own record: b.N captures, each
// Completed, of the total.
func benchCheck(b *testing.B, sb *amazonpaytest.Server) {
	caps := sb.Objects(amazonpaytest.KindCapture)
	if len(caps) != b.N {
		b.Fatalf("%d captures at Amazon for %d checkouts", len(caps), b.N)
	}
	for _, c := range caps {
		if c.State != "Completed" || c.Amount != benchTotal.Amount || c.CurrencyCode != benchTotal.CurrencyCode {
			b.Fatalf("capture %s: %s %s %s, want Completed %s %s", c.ID, c.State, c.Amount, c.CurrencyCode, benchTotal.Amount, benchTotal.CurrencyCode)
		}
	}
}

// benchPayments is the checkout through checkout.Payments on store.
func benchPayments(store checkout.Store) benchCheckout {
	return func(sb *amazonpaytest.Server, c *amazonpay.Client) func(ctx context.Context, id, oro string) error {
		p, err := checkout.New(c, store, checkout.Config{ReturnURL: benchReturnURL, CaptureNow: true})
		if err != nil {
			panic(err)
		}
		return func(ctx context.Context, id, oro string) error {
			if _, err := p.Confirm(ctx, checkout.Purchase{ID: id, OrderReferenceID: oro, Total: benchTotal}); err != nil {
				return err
			}
			u, err := sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, oro)
			if err != nil {
				return err
			}
			out, err := p.Return(ctx, u.Query())
			if err != nil {
				return err
			}
			if out.Next != checkout.NextPaid {
				return fmt.Errorf("return: %s (%s)", out.Next, out.Payment.Reason)
			}
			return nil
		}
	}
}

// benchBare is the same checkout written with the client's calls, as a
// careful integration without a store would: the return URL names the
// order, the redirect is parsed, the authorization has a reference id of
// its own and TransactionTimeout 0, and (readCapture) the capture's own
// state says whether money moved.
func benchBare(readCapture bool) benchCheckout {
	return func(sb *amazonpaytest.Server, c *amazonpay.Client) func(ctx context.Context, id, oro string) error {
		return func(ctx context.Context, id, oro string) error {
			if _, err := c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{
				AmazonOrderReferenceID: oro,
				OrderAttributes:        &amazonpay.OrderAttributes{OrderTotal: &amazonpay.Price{Amount: benchTotal.Amount, CurrencyCode: benchTotal.CurrencyCode}},
			}); err != nil {
				return err
			}
			ret := benchReturnURL + "?" + url.Values{"order": {id}}.Encode()
			if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
				AmazonOrderReferenceID: oro, SuccessURL: ret, FailureURL: ret,
				AuthorizationAmount:          &amazonpay.Price{Amount: benchTotal.Amount, CurrencyCode: benchTotal.CurrencyCode},
				ExpectImmediateAuthorization: amazonpay.Bool(true),
			}); err != nil {
				return err
			}
			u, err := sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, oro)
			if err != nil {
				return err
			}
			q := u.Query()
			if q.Get("order") != id {
				return errors.New("the return is for another order")
			}
			res, err := amazonpay.ParseConfirmationRedirect(q)
			if err != nil {
				return err
			}
			if res.AuthenticationStatus != amazonpay.AuthenticationSuccess {
				return fmt.Errorf("authentication %s", res.AuthenticationStatus)
			}
			out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
				AmazonOrderReferenceID: oro, AuthorizationReferenceID: id + "-1",
				AuthorizationAmount: &amazonpay.Price{Amount: benchTotal.Amount, CurrencyCode: benchTotal.CurrencyCode},
				TransactionTimeout:  amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
			})
			if err != nil {
				return err
			}
			d := out.AuthorizationDetails
			ids := d.IDList.IDs()
			if d.AuthorizationStatus.State != amazonpay.AuthorizationClosed || len(ids) == 0 {
				return fmt.Errorf("authorization %s %s", d.AuthorizationStatus.State, d.AuthorizationStatus.ReasonCode)
			}
			if !readCapture {
				return nil
			}
			cd, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: ids[0]})
			if err != nil {
				return err
			}
			if s := cd.CaptureDetails.CaptureStatus.State; s != amazonpay.CaptureCompleted {
				return fmt.Errorf("capture %s", s)
			}
			return nil
		}
	}
}
