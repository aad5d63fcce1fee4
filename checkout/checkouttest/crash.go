package checkouttest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// TestCrashPoints stops the Confirmation Flows at every crash point and
// checks that a restarted shop loses no order and charges nothing twice.
//
// The flows are a purchase with CaptureNow, a purchase captured after the
// authorization, a subscription's first charge, and a purchase declined
// (InvalidPaymentMethod) then paid with another method. Each flow is first
// run on a counting store and client to list its events: every store write
// (Create, Update, RecordNotification) and every HTTP request to Amazon.
// Then, for each event and each mode, the flow runs on a new sandbox and a
// new store from newStore and the process is killed there: "before" (the
// write or request fails without taking effect) or "after" (the write is
// committed, or the request reaches the sandbox, and the answer is lost).
// From then on every store op and call of that process fails. The crashes
// come from outside the package: a Store wrapper and an http.RoundTripper
// given through amazonpay.WithHTTPClient.
//
// After the crash a fresh checkout.Payments on the same store, with a
// healthy client, runs Reconcile, the buyer's next step (the step that
// failed again: the same return URL, or "buy now" again), the rest of the
// flow and Reconcile again. The sandbox's own records must then show: the
// payment Paid in the store with the ids of Amazon's one Completed capture
// and its authorization; at most one capture per payment, of exactly the
// confirmed total; no authorization left Open; every
// AuthorizationReferenceId sent belongs to an attempt the store counted,
// one authorization each; nothing in flight in the store. The table of
// every crash point (CrashPointTable's) is logged.
func TestCrashPoints(t *testing.T, newStore func(t *testing.T) checkout.Store) {
	t.Helper()
	rows := crashPoints(t, newStore)
	t.Logf("%d crash points (point → store, then sandbox, after reconcile):\n%s", len(rows), crashTable(rows))
}

// crashPoints runs every crash point of every flow as a subtest and
// returns their rows, in order.
func crashPoints(t *testing.T, newStore func(t *testing.T) checkout.Store) []crashRow {
	t.Helper()
	var rows []crashRow
	for _, f := range crashFlows() {
		events := runCrashFlow(t, f, checkout.NewMemoryStore(), &killSwitch{}).events
		if len(events) == 0 {
			t.Fatalf("%s: no events counted", f.name)
		}
		for i, ev := range events {
			for _, mode := range []string{crashBefore, crashAfter} {
				name := fmt.Sprintf("%s/%02d-%s-%s", f.name, i+1, mode, strings.ReplaceAll(ev, " ", "_"))
				t.Run(name, func(t *testing.T) {
					row := crashPoint(t, f, newStore(t), i+1, mode)
					row.flow, row.event = f.name, i+1
					rows = append(rows, row)
				})
			}
		}
	}
	if len(rows) < 40 {
		t.Errorf("only %d crash points", len(rows))
	}
	return rows
}

// crashFlow is one Confirmation Flow, as steps a shop and its buyer take.
type crashFlow struct {
	name       string
	captureNow bool
	setup      func(sb *amazonpaytest.Server) string // the widgets: the Amazon id
	steps      []crashStep
}

// crashStep is one request of the buyer (an AJAX call, a return) or one
// thing the buyer does at Amazon. A step that fails is taken again after
// the restart: the buyer presses "buy now" again or reloads the page.
type crashStep struct {
	name string
	run  func(r *crashRun) error
}

// crashRun is one run of a flow: the sandbox, the store, the process now
// running (p, killed by k) and what the buyer holds (the return URL).
type crashRun struct {
	sb       *amazonpaytest.Server
	store    checkout.Store
	p        *checkout.Payments
	k        *killSwitch
	amazonID string
	query    url.Values
	last     *checkout.ReturnOutcome
}

const (
	crashPaymentID = "order-1"
	crashReturnURL = "https://shop.example/amazon/return"
)

var crashTotal = amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"}

func crashFlows() []crashFlow {
	confirm := crashStep{"confirm", func(r *crashRun) error {
		_, err := r.p.Confirm(context.Background(), checkout.Purchase{ID: crashPaymentID, OrderReferenceID: r.amazonID, Total: crashTotal})
		return err
	}}
	subscribe := crashStep{"subscribe", func(r *crashRun) error {
		_, err := r.p.ConfirmSubscription(context.Background(), checkout.Subscription{
			ID: crashPaymentID, BillingAgreementID: r.amazonID, Amount: &crashTotal, FirstCharge: &crashTotal,
		})
		return err
	}}
	challenge := crashStep{"challenge", func(r *crashRun) error {
		u, err := r.sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, r.amazonID)
		if err != nil {
			return err
		}
		r.query = u.Query()
		return nil
	}}
	ret := crashStep{"return", func(r *crashRun) error {
		out, err := r.p.Return(context.Background(), r.query)
		r.last = out
		return err
	}}
	choose := crashStep{"choose-another-method", func(r *crashRun) error {
		return r.sb.SelectPaymentMethod(r.amazonID, amazonpaytest.PaymentMethodSCAPass)
	}}
	order := func(m amazonpaytest.PaymentMethod) func(*amazonpaytest.Server) string {
		return func(sb *amazonpaytest.Server) string {
			b := amazonpaytest.TestBuyer()
			b.PaymentMethod = m
			return sb.CreateOrderReference(b)
		}
	}
	return []crashFlow{
		{"capture-now", true, order(amazonpaytest.PaymentMethodSCAPass), []crashStep{confirm, challenge, ret}},
		{"capture-later", false, order(amazonpaytest.PaymentMethodSCAPass), []crashStep{confirm, challenge, ret}},
		{"subscription", false, func(sb *amazonpaytest.Server) string {
			b := amazonpaytest.TestBuyer()
			b.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
			return sb.CreateBillingAgreement(b)
		}, []crashStep{subscribe, challenge, ret}},
		{"decline-then-pay", true, order(amazonpaytest.PaymentMethodInvalid), []crashStep{confirm, challenge, ret, choose, confirm, challenge, ret}},
	}
}

// newCrashRun sets up the sandbox and the widgets' Amazon object.
func newCrashRun(t *testing.T, f crashFlow, store checkout.Store) *crashRun {
	t.Helper()
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	t.Cleanup(sb.Close)
	return &crashRun{sb: sb, store: store, amazonID: f.setup(sb)}
}

// start makes the process of run: Payments on store and client, both
// killed by k.
func (r *crashRun) start(t *testing.T, f crashFlow, k *killSwitch) {
	t.Helper()
	var store checkout.Store = r.store //nolint:staticcheck // the Store interface, not the wrapper type: it is reassigned below
	client := r.sb.AmazonPay()
	if k != nil {
		store = killableStore{s: r.store, k: k}
		client = r.sb.AmazonPay(amazonpay.WithHTTPClient(&http.Client{Transport: killableTransport{base: r.sb.Client().Transport, k: k}}))
	}
	p, err := checkout.New(client, store, checkout.Config{ReturnURL: crashReturnURL, CaptureNow: f.captureNow})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r.p, r.k = p, k
}

// runCrashFlow runs f with k (which counts, and kills if told to) and
// returns k. Without a crash the flow must end Paid.
func runCrashFlow(t *testing.T, f crashFlow, store checkout.Store, k *killSwitch) *killSwitch {
	t.Helper()
	r := newCrashRun(t, f, store)
	r.start(t, f, k)
	for _, s := range f.steps {
		if err := s.run(r); err != nil {
			t.Fatalf("%s: %s: %v", f.name, s.name, err)
		}
	}
	if r.last == nil || r.last.Next != checkout.NextPaid {
		t.Fatalf("%s: the flow without a crash ends %+v", f.name, r.last)
	}
	return k
}

// crashPoint runs f, killing the process at event at in mode, restarts
// and checks the invariants. It returns the table row.
func crashPoint(t *testing.T, f crashFlow, store checkout.Store, at int, mode string) crashRow {
	t.Helper()
	ctx := context.Background()
	r := newCrashRun(t, f, store)
	k := &killSwitch{at: at, mode: mode}
	r.start(t, f, k)
	failed := len(f.steps)
	var row crashRow
	for i, s := range f.steps {
		r.last = nil
		err := s.run(r)
		if k.isDead() || err != nil {
			if !k.isDead() {
				t.Fatalf("step %s failed without a crash: %v", s.name, err)
			}
			failed = i
			row.step, row.sawAtCrash = s.name, buyerSaw(r.last, err)
			break
		}
	}
	if !k.isDead() {
		t.Fatalf("the process was not killed at event %d", at)
	}
	row.point = k.killed

	// The restart: a fresh process on the same store with a healthy client.
	r.start(t, f, nil)
	rep, err := r.p.Reconcile(ctx)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	row.reconciled, row.afterReconcile = rep.Checked, storeSummary(ctx, r.store)
	steps := f.steps[failed:]
	for _, s := range steps {
		if err := s.run(r); err != nil {
			t.Fatalf("after the restart, %s: %v", s.name, err)
		}
	}
	rep2, err := r.p.Reconcile(ctx)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	if len(rep.Errors)+len(rep2.Errors) > 0 {
		t.Errorf("Reconcile errors: %v %v", rep.Errors, rep2.Errors)
	}
	if r.last == nil || r.last.Next != checkout.NextPaid {
		t.Errorf("the buyer's last page: %+v, want paid", r.last)
	}
	pay, err := r.store.Get(ctx, crashPaymentID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if pay.State != checkout.StatePaid {
		t.Errorf("payment %s (%s), want paid", pay.State, pay.Reason)
	}
	checkSandbox(t, r.sb, r.store, []string{crashPaymentID})
	for _, s := range steps {
		row.nextSteps = append(row.nextSteps, s.name)
	}
	row.atEnd, row.sawAtEnd = storeSummary(ctx, r.store), buyerSaw(r.last, nil)
	row.sandbox = sandboxMoney(r.sb)
	return row
}

// amazonMoney is what the sandbox holds for one payment.
type amazonMoney struct {
	auths    []amazonpaytest.Object
	captures []amazonpaytest.Object
	refIDs   map[string]bool // AuthorizationReferenceIds sent
}

// moneyByPayment groups the sandbox's authorizations and captures, and
// the authorization reference ids sent, by the order reference or billing
// agreement they belong to.
func moneyByPayment(sb *amazonpaytest.Server) map[string]*amazonMoney {
	owner := map[string]string{} // order reference → its billing agreement, or itself
	for _, o := range sb.Objects(amazonpaytest.KindOrderReference) {
		owner[o.ID] = o.ID
		if o.Parent != "" {
			owner[o.ID] = o.Parent
		}
	}
	out := map[string]*amazonMoney{}
	get := func(id string) *amazonMoney {
		if out[id] == nil {
			out[id] = &amazonMoney{refIDs: map[string]bool{}}
		}
		return out[id]
	}
	authOwner := map[string]string{}
	for _, a := range sb.Objects(amazonpaytest.KindAuthorization) {
		authOwner[a.ID] = owner[a.Parent]
		get(owner[a.Parent]).auths = append(get(owner[a.Parent]).auths, a)
	}
	for _, c := range sb.Objects(amazonpaytest.KindCapture) {
		get(authOwner[c.Parent]).captures = append(get(authOwner[c.Parent]).captures, c)
	}
	for _, req := range sb.RequestsFor("Authorize") {
		get(owner[req.Params.Get("AmazonOrderReferenceId")]).refIDs[req.Params.Get("AuthorizationReferenceId")] = true
	}
	for _, req := range sb.RequestsFor("AuthorizeOnBillingAgreement") {
		get(req.Params.Get("AmazonBillingAgreementId")).refIDs[req.Params.Get("AuthorizationReferenceId")] = true
	}
	return out
}

// checkSandbox checks the invariants of the payments ids against the
// sandbox's own records, and that no payment of the sandbox is unknown to
// the store.
func checkSandbox(t *testing.T, sb *amazonpaytest.Server, store checkout.Store, ids []string) {
	t.Helper()
	ctx := context.Background()
	money := moneyByPayment(sb)
	seen := map[string]bool{}
	for _, id := range ids {
		pay, err := store.Get(ctx, id)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		m := money[pay.AmazonID()]
		seen[pay.AmazonID()] = true
		if m == nil {
			m = &amazonMoney{}
		}
		checkPayment(t, pay, m)
	}
	for amazonID, m := range money {
		if !seen[amazonID] && (len(m.auths) > 0 || len(m.refIDs) > 0) {
			t.Errorf("money calls for %s, which no payment checked holds", amazonID)
		}
	}
	if left, err := store.List(ctx, []checkout.State{checkout.StateAuthorizing, checkout.StateCapturing, checkout.StateUnknown, checkout.StateCanceling}, 0); err != nil || len(left) > 0 {
		t.Errorf("payments still in flight after Reconcile: %d (%v)", len(left), err)
	}
}

// checkPayment checks one payment against Amazon's objects for it.
func checkPayment(t *testing.T, pay *checkout.Payment, m *amazonMoney) {
	t.Helper()
	var completed []amazonpaytest.Object
	for _, c := range m.captures {
		if c.State == "Completed" {
			completed = append(completed, c)
		}
		if c.CurrencyCode != pay.Total.CurrencyCode || !sameDecimal(c.Amount, pay.Total.Amount) {
			t.Errorf("%s: capture %s of %s %s, confirmed total %s %s", pay.ID, c.ID, c.Amount, c.CurrencyCode, pay.Total.Amount, pay.Total.CurrencyCode)
		}
	}
	if len(m.captures) > 1 {
		t.Errorf("%s: %d captures at Amazon", pay.ID, len(m.captures))
	}
	switch {
	case len(completed) == 1:
		c := completed[0]
		if pay.State != checkout.StatePaid || pay.CaptureID != c.ID || pay.AuthorizationID != c.Parent {
			t.Errorf("%s: money moved (capture %s of %s) but the store holds %s, authorization %q, capture %q",
				pay.ID, c.ID, c.Parent, pay.State, pay.AuthorizationID, pay.CaptureID)
		}
	case pay.State == checkout.StatePaid:
		t.Errorf("%s: Paid in the store, but no Completed capture at Amazon (%d captures)", pay.ID, len(m.captures))
	}
	if pay.State == checkout.StateCanceled && len(completed) > 0 {
		t.Errorf("%s: Canceled in the store, but Amazon captured", pay.ID)
	}
	byRef := map[string]int{}
	for _, a := range m.auths {
		byRef[a.ReferenceID]++
		if a.State == "Open" || a.State == "Pending" {
			t.Errorf("%s: authorization %s left %s", pay.ID, a.ID, a.State)
		}
		if pay.State == checkout.StatePaid && a.ID == pay.AuthorizationID && a.ReferenceID != pay.AuthorizationReferenceID {
			t.Errorf("%s: authorization %s has reference id %s, the store recorded %s", pay.ID, a.ID, a.ReferenceID, pay.AuthorizationReferenceID)
		}
	}
	for ref, n := range byRef {
		if n > 1 {
			t.Errorf("%s: %d authorizations with reference id %s", pay.ID, n, ref)
		}
	}
	if len(m.refIDs) > pay.Attempt {
		t.Errorf("%s: %d AuthorizationReferenceIds sent for %d attempts", pay.ID, len(m.refIDs), pay.Attempt)
	}
	if pay.AuthorizationReferenceID != "" && len(m.refIDs) > 0 && !m.refIDs[pay.AuthorizationReferenceID] {
		t.Errorf("%s: the recorded AuthorizationReferenceId %s was never sent", pay.ID, pay.AuthorizationReferenceID)
	}
}

// sameDecimal compares decimal amounts ("10.5" equals "10.50").
func sameDecimal(a, b string) bool {
	norm := func(s string) string {
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	return norm(a) == norm(b)
}
