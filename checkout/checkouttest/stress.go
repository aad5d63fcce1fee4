package checkouttest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// TestConcurrentCheckouts drives checkouts purchases from goroutines at
// once against one sandbox and one store from newStore, with faults
// injected at random into Amazon's replies (lost after being applied,
// truncated, 503, a reset connection), double returns (two requests of
// the same return URL at once), declines followed by another payment
// method, and every notification applied twice, in a shuffled order,
// late, from several goroutines. Then Reconcile runs until nothing is in
// flight and the sandbox's own records are checked as TestCrashPoints
// checks them: every payment whose money moved is Paid with Amazon's ids,
// at most one capture per payment, of the confirmed total, no
// authorization left Open, nothing captured for a Canceled payment. The
// random seed is logged; run it under -race.
func TestConcurrentCheckouts(t *testing.T, newStore func(t *testing.T) checkout.Store, checkouts, goroutines int) {
	t.Helper()
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE), amazonpaytest.WithSeed(seed))
	t.Cleanup(sb.Close)
	store := newStore(t)
	p, err := checkout.New(sb.AmazonPay(), store, checkout.Config{ReturnURL: "https://shop.example/amazon/return", CaptureNow: true})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var notes []*amazonpay.Notification
	ipn := httptest.NewServer(amazonpay.NewNotificationHandler(sb.NotificationVerifier(), func(ctx context.Context, n *amazonpay.Notification) error {
		mu.Lock()
		notes = append(notes, n)
		mu.Unlock()
		return nil // applied later, shuffled and twice
	}))
	t.Cleanup(ipn.Close)
	sb.AddNotificationURL(ipn.URL)

	faults := []amazonpaytest.FaultKind{amazonpaytest.FaultAppliedThenDropped, amazonpaytest.FaultTruncatedBody,
		amazonpaytest.FaultServiceUnavailable, amazonpaytest.FaultConnectionReset}
	actions := []string{"Authorize", "GetCaptureDetails", "ConfirmOrderReference", "SetOrderAttributes", "CancelOrderReference"}
	methods := []amazonpaytest.PaymentMethod{amazonpaytest.PaymentMethodSCAPass, amazonpaytest.PaymentMethodSCAPass,
		amazonpaytest.PaymentMethodSCAPass, amazonpaytest.PaymentMethodInvalid, amazonpaytest.PaymentMethodSCAAbandon,
		amazonpaytest.PaymentMethodSCAFail, amazonpaytest.PaymentMethodRejected}

	ids := make([]string, checkouts)
	work := make(chan int)
	var wg sync.WaitGroup
	var failMu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		failMu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		failMu.Unlock()
	}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(g)))
			for i := range work {
				if rng.IntN(4) == 0 {
					sb.InjectFault(actions[rng.IntN(len(actions))], 1, amazonpaytest.Fault{Kind: faults[rng.IntN(len(faults))]})
				}
				id := fmt.Sprintf("order-%d", i)
				ids[i] = id
				if err := stressCheckout(ctx, sb, p, rng, id, methods[rng.IntN(len(methods))]); err != nil {
					fail("%s: %v", id, err)
				}
			}
		}()
	}
	for i := range checkouts {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}

	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := sb.WaitNotifications(wctx); err != nil {
		t.Fatal(err)
	}
	// Every notification twice, shuffled, from several goroutines.
	all := append(append([]*amazonpay.Notification(nil), notes...), notes...)
	rng := rand.New(rand.NewPCG(seed, 1<<40))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	applyCh := make(chan *amazonpay.Notification)
	var awg sync.WaitGroup
	for range 8 {
		awg.Add(1)
		go func() {
			defer awg.Done()
			for n := range applyCh {
				if err := p.Apply(ctx, n); err != nil {
					fail("Apply %s: %v", n.NotificationReferenceID, err)
				}
			}
		}()
	}
	for _, n := range all {
		applyCh <- n
	}
	close(applyCh)
	awg.Wait()
	for _, f := range failures {
		t.Error(f)
	}

	sb.ClearFaults()
	for round := 0; ; round++ {
		rep, err := p.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Checked == 0 {
			break
		}
		if round == 10 {
			t.Fatalf("still %d payments in flight after 10 reconciles: %v", rep.Checked, rep.Errors)
		}
	}
	checkSandbox(t, sb, store, ids)
	counts := map[checkout.State]int{}
	for _, id := range ids {
		if pay, err := store.Get(ctx, id); err == nil {
			counts[pay.State]++
		}
	}
	t.Logf("%d checkouts by %d goroutines: %v; %d notifications applied twice; money %+v",
		checkouts, goroutines, counts, len(notes), sb.MoneyMovements())
}

// stressCheckout is one buyer: "buy now" (again after a failure the page
// would show), the Confirmation Flow, the return — sometimes twice at
// once — and, after a decline, another payment method and a new attempt.
// An outcome left pending is for Reconcile. It returns only what a shop
// would have to call a bug: an error from Return for a genuine return.
func stressCheckout(ctx context.Context, sb *amazonpaytest.Server, p *checkout.Payments, rng *rand.Rand, id string, m amazonpaytest.PaymentMethod) error {
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	oro := sb.CreateOrderReference(b)
	total := amazonpay.Price{Amount: fmt.Sprintf("%d.%02d", 1+rng.IntN(200), rng.IntN(100)), CurrencyCode: "EUR"}
	for attempt := 0; attempt < 3; attempt++ {
		confirmed := false
		for try := 0; try < 3 && !confirmed; try++ {
			_, err := p.Confirm(ctx, checkout.Purchase{ID: id, OrderReferenceID: oro, Total: total})
			switch {
			case err == nil:
				confirmed = true
			case errors.Is(err, checkout.ErrFinal), errors.Is(err, checkout.ErrInProgress):
				return nil
			}
		}
		if !confirmed {
			return nil // the page showed an error; the buyer left
		}
		u, err := sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, oro)
		if err != nil {
			return nil // the buyer never came back
		}
		q := u.Query()
		outs := make([]*checkout.ReturnOutcome, 2)
		errs := make([]error, 2)
		if rng.IntN(5) == 0 {
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Add(1)
				go func() { defer wg.Done(); outs[i], errs[i] = p.Return(ctx, q) }()
			}
			wg.Wait()
		} else {
			outs[0], errs[0] = p.Return(ctx, q)
			outs, errs = outs[:1], errs[:1]
		}
		next := checkout.NextPending
		for i := range outs {
			if errs[i] != nil {
				return fmt.Errorf("Return of a genuine return URL: %w", errs[i])
			}
			if outs[i].Next != checkout.NextPending {
				next = outs[i].Next
			}
		}
		if next != checkout.NextChooseAnotherPaymentMethod {
			return nil
		}
		if err := sb.SelectPaymentMethod(oro, amazonpaytest.PaymentMethodSCAPass); err != nil {
			return nil
		}
	}
	return nil
}
