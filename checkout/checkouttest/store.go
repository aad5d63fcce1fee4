package checkouttest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// TestStore checks that the stores newStore makes keep every guarantee of
// checkout.Store. newStore is called once per subtest and must return a
// new, empty store that is safe for concurrent use.
//
// The suite treats states as opaque strings (it uses states of its own),
// and notification timestamps carry milliseconds, as Amazon Pay's do.
func TestStore(t *testing.T, newStore func(t *testing.T) checkout.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s checkout.Store)
	}{
		{"CreateThenGet", storeCreateThenGet},
		{"GetUnknown", storeGetUnknown},
		{"CreateExisting", storeCreateExisting},
		{"CreateAtVersionOtherThan1", storeCreateAtOtherVersion},
		{"UpdateCompareAndSwap", storeUpdateCompareAndSwap},
		{"List", storeList},
		{"Times", storeTimes},
		{"NotificationKept", storeNotificationKept},
		{"NotificationApplied", storeNotificationApplied},
		{"KeptNotificationApplied", storeKeptNotificationApplied},
		{"NotificationConflict", storeNotificationConflict},
		{"NotificationUnknownPayment", storeNotificationUnknownPayment},
		{"Copies", storeCopies},
		{"EveryFieldRoundTrips", storeEveryFieldRoundTrips},
		{"ConcurrentUpdates", storeConcurrentUpdates},
		{"ConcurrentCreates", storeConcurrentCreates},
		{"ConcurrentNotification", storeConcurrentNotification},
		{"ConcurrentNotificationsOnePayment", storeConcurrentNotificationsOnePayment},
		{"ConcurrentKeep", storeConcurrentKeep},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, newStore(t)) })
	}
}

// The states this suite stores: any string must do.
const (
	storeStateA checkout.State = "checkouttest-a"
	storeStateB checkout.State = "checkouttest-b"
	storeStateC checkout.State = "checkouttest-c"
)

// storeT0 is the suite's clock: times are storeT0 plus some seconds.
var storeT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// storePayment is a new payment at version 1.
func storePayment(id string) *checkout.Payment {
	return &checkout.Payment{
		ID: id, Kind: checkout.KindPurchase, State: storeStateA,
		Total:            amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
		OrderReferenceID: "S02-" + id, SellerOrderID: "seller-" + id,
		Attempt: 1, Version: 1, Created: storeT0, Updated: storeT0,
	}
}

// storeNext is p changed as Payments would: the next version.
func storeNext(p *checkout.Payment, state checkout.State) *checkout.Payment {
	n := *p
	n.State, n.Version, n.Updated = state, p.Version+1, p.Updated.Add(time.Second)
	return &n
}

func storeNotification(id, amazonID string, at time.Duration) *checkout.StoredNotification {
	return &checkout.StoredNotification{
		ID: id, AmazonID: amazonID, Type: "PaymentCapture",
		Timestamp: storeT0.Add(at), Data: []byte("<CaptureNotification>" + id + "</CaptureNotification>"),
	}
}

func storeMust(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func storeMustBe(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want one wrapping %v", what, err, want)
	}
}

// storeHas fails unless the store holds want under want.ID.
func storeHas(t *testing.T, s checkout.Store, want *checkout.Payment) {
	t.Helper()
	got, err := s.Get(t.Context(), want.ID)
	storeMust(t, "Get "+want.ID, err)
	storeSame(t, "Get "+want.ID, got, want)
}

func storeSame(t *testing.T, what string, got, want *checkout.Payment) {
	t.Helper()
	if d := storeDiff(got, want); d != "" {
		t.Fatalf("%s: %s", what, d)
	}
}

func storeIDs(list []*checkout.Payment) []string {
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	return ids
}

func storeCreateThenGet(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	storeHas(t, s, p)
	got, err := s.GetByAmazonID(ctx, p.OrderReferenceID)
	storeMust(t, "GetByAmazonID", err)
	storeSame(t, "GetByAmazonID", got, p)

	sub := storePayment("sub-1")
	sub.Kind, sub.OrderReferenceID, sub.BillingAgreementID = checkout.KindSubscription, "", "B02-sub-1"
	storeMust(t, "Create subscription", s.Create(ctx, sub))
	got, err = s.GetByAmazonID(ctx, "B02-sub-1")
	storeMust(t, "GetByAmazonID of a billing agreement", err)
	storeSame(t, "GetByAmazonID of a billing agreement", got, sub)
}

func storeGetUnknown(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	storeMust(t, "Create", s.Create(ctx, storePayment("pay-1")))
	_, err := s.Get(ctx, "pay-2")
	storeMustBe(t, "Get of an unknown id", err, checkout.ErrNotFound)
	_, err = s.GetByAmazonID(ctx, "S02-pay-2")
	storeMustBe(t, "GetByAmazonID of an unknown id", err, checkout.ErrNotFound)
}

func storeCreateExisting(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))

	sameID := storePayment("pay-1")
	sameID.OrderReferenceID, sameID.State = "S02-other", storeStateB
	storeMustBe(t, "Create of an existing id", s.Create(ctx, sameID), checkout.ErrExists)
	_, err := s.GetByAmazonID(ctx, "S02-other")
	storeMustBe(t, "GetByAmazonID after a refused Create", err, checkout.ErrNotFound)

	sameAmazonID := storePayment("pay-2")
	sameAmazonID.OrderReferenceID = p.OrderReferenceID
	storeMustBe(t, "Create of an existing Amazon id", s.Create(ctx, sameAmazonID), checkout.ErrExists)
	_, err = s.Get(ctx, "pay-2")
	storeMustBe(t, "Get after a refused Create", err, checkout.ErrNotFound)
	storeHas(t, s, p)
}

func storeCreateAtOtherVersion(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	for _, v := range []int64{0, 2} {
		p := storePayment(fmt.Sprintf("pay-v%d", v))
		p.Version = v
		if err := s.Create(ctx, p); err == nil {
			t.Fatalf("Create at version %d: no error", v)
		}
		_, err := s.Get(ctx, p.ID)
		storeMustBe(t, "Get after a refused Create", err, checkout.ErrNotFound)
	}
}

func storeUpdateCompareAndSwap(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	v1 := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, v1))
	v2 := storeNext(v1, storeStateB)
	v2.Attempt = 2
	storeMust(t, "Update to version 2", s.Update(ctx, v2))
	storeHas(t, s, v2)

	stale := storeNext(v1, storeStateC) // made from version 1 too
	storeMustBe(t, "Update from a stale version", s.Update(ctx, stale), checkout.ErrConflict)
	skip := storeNext(storeNext(v2, storeStateC), storeStateC) // version 4
	storeMustBe(t, "Update skipping a version", s.Update(ctx, skip), checkout.ErrConflict)
	same := *v2
	same.State = storeStateC // version 2 again, not incremented
	storeMustBe(t, "Update without incrementing Version", s.Update(ctx, &same), checkout.ErrConflict)
	storeHas(t, s, v2)

	v3 := storeNext(v2, storeStateC)
	storeMust(t, "Update to version 3", s.Update(ctx, v3))
	storeHas(t, s, v3)

	unknown := storeNext(storePayment("pay-9"), storeStateB)
	storeMustBe(t, "Update of an unknown id", s.Update(ctx, unknown), checkout.ErrNotFound)
	_, err := s.Get(ctx, "pay-9")
	storeMustBe(t, "Get after a refused Update", err, checkout.ErrNotFound)
}

func storeList(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	add := func(id string, state checkout.State, at time.Duration) *checkout.Payment {
		p := storePayment(id)
		p.State, p.Updated = state, storeT0.Add(at)
		storeMust(t, "Create "+id, s.Create(ctx, p))
		return p
	}
	a := add("a", storeStateA, 3*time.Second)
	add("b", storeStateA, 1*time.Second)
	add("c", storeStateB, 2*time.Second)
	add("d", storeStateC, 0)

	check := func(what string, states []checkout.State, limit int, want ...string) {
		t.Helper()
		list, err := s.List(ctx, states, limit)
		storeMust(t, what, err)
		if got := storeIDs(list); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: List(%v, %d) = %v, want %v (oldest Updated first)", what, states, limit, got, want)
		}
	}
	check("one state", []checkout.State{storeStateA}, 0, "b", "a")
	check("two states", []checkout.State{storeStateA, storeStateB}, 0, "b", "c", "a")
	check("a limit", []checkout.State{storeStateA, storeStateB}, 2, "b", "c")
	check("a negative limit", []checkout.State{storeStateA, storeStateB}, -1, "b", "c", "a")
	check("a state nobody is in", []checkout.State{"checkouttest-none"}, 0)

	moved := storeNext(a, storeStateB)
	moved.Updated = storeT0.Add(500 * time.Millisecond)
	storeMust(t, "Update", s.Update(ctx, moved))
	check("after an Update", []checkout.State{storeStateB}, 0, "a", "c")
	check("after an Update, the old state", []checkout.State{storeStateA}, 0, "b")

	list, err := s.List(ctx, []checkout.State{storeStateB}, 1)
	storeMust(t, "List", err)
	storeSame(t, "List", list[0], moved)
}

// storeTimes: times come back as the same instants, whatever their zone,
// and List orders by instant, not by the text of a local time.
func storeTimes(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	berlin := time.FixedZone("UTC+2", 2*3600)
	early := storePayment("early")
	early.Created = time.Date(2026, 3, 1, 10, 0, 0, 123456789, berlin) // 08:00Z
	early.Updated = early.Created
	late := storePayment("late")
	late.Updated = time.Date(2026, 3, 1, 9, 0, 0, 1, time.UTC)
	storeMust(t, "Create", s.Create(ctx, late))
	storeMust(t, "Create", s.Create(ctx, early))
	storeHas(t, s, early)
	list, err := s.List(ctx, []checkout.State{storeStateA}, 0)
	storeMust(t, "List", err)
	if got := storeIDs(list); fmt.Sprint(got) != "[early late]" {
		t.Fatalf("List = %v, want [early late]: 10:00+02:00 is before 09:00Z", got)
	}

	n1 := storeNotification("n-1", "S02-x", 0)
	n1.Timestamp = time.Date(2026, 3, 1, 10, 0, 0, 5e6, berlin)
	n2 := storeNotification("n-2", "S02-x", 0)
	n2.Timestamp = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	storeMust(t, "RecordNotification", s.RecordNotification(ctx, n2, nil))
	storeMust(t, "RecordNotification", s.RecordNotification(ctx, n1, nil))
	pending, err := s.PendingNotifications(ctx, "S02-x")
	storeMust(t, "PendingNotifications", err)
	storeNotifications(t, pending, n1, n2)
}

// storeNotifications fails unless got is want, in order, all unapplied.
func storeNotifications(t *testing.T, got []*checkout.StoredNotification, want ...*checkout.StoredNotification) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("PendingNotifications: %d notifications, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.ID != w.ID || g.AmazonID != w.AmazonID || g.Type != w.Type || !g.Timestamp.Equal(w.Timestamp) ||
			!bytes.Equal(g.Data, w.Data) || g.Applied {
			t.Fatalf("PendingNotifications[%d] = %+v, want %+v, unapplied (oldest Timestamp first)", i, g, w)
		}
	}
}

func storePending(t *testing.T, s checkout.Store, amazonID string, want ...*checkout.StoredNotification) {
	t.Helper()
	got, err := s.PendingNotifications(t.Context(), amazonID)
	storeMust(t, "PendingNotifications", err)
	storeNotifications(t, got, want...)
}

func storeNotificationKept(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	n1 := storeNotification("n-1", "S02-x", 2*time.Second)
	n0 := storeNotification("n-0", "S02-x", time.Second)
	n0.Data = nil // no NotificationData: kept as empty
	other := storeNotification("n-9", "S02-y", 0)
	for _, n := range []*checkout.StoredNotification{n1, n0, other} {
		storeMust(t, "RecordNotification without a payment", s.RecordNotification(ctx, n, nil))
	}
	storeMust(t, "RecordNotification of a kept one again", s.RecordNotification(ctx, n1, nil))
	storePending(t, s, "S02-x", n0, n1)
	storePending(t, s, "S02-y", other)
	storePending(t, s, "S02-none")
}

func storeNotificationApplied(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	n := storeNotification("n-1", p.OrderReferenceID, 0)
	v2 := storeNext(p, storeStateB)
	storeMust(t, "RecordNotification with the payment", s.RecordNotification(ctx, n, v2))
	storeHas(t, s, v2)
	storePending(t, s, p.OrderReferenceID)

	v3 := storeNext(v2, storeStateC)
	storeMustBe(t, "RecordNotification again", s.RecordNotification(ctx, n, v3), checkout.ErrDuplicateNotification)
	storeHas(t, s, v2)
	storeMustBe(t, "RecordNotification again, without a payment", s.RecordNotification(ctx, n, nil),
		checkout.ErrDuplicateNotification)
	storePending(t, s, p.OrderReferenceID)
}

func storeKeptNotificationApplied(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	n := storeNotification("n-1", p.OrderReferenceID, 0)
	storeMust(t, "RecordNotification before the payment exists", s.RecordNotification(ctx, n, nil))
	storeMust(t, "Create", s.Create(ctx, p))
	storePending(t, s, p.OrderReferenceID, n)

	v2 := storeNext(p, storeStateB)
	storeMust(t, "RecordNotification of the kept one with the payment", s.RecordNotification(ctx, n, v2))
	storeHas(t, s, v2)
	storePending(t, s, p.OrderReferenceID)
	storeMustBe(t, "RecordNotification again", s.RecordNotification(ctx, n, storeNext(v2, storeStateC)),
		checkout.ErrDuplicateNotification)
	storeHas(t, s, v2)
}

func storeNotificationConflict(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	v2 := storeNext(p, storeStateB)
	storeMust(t, "Update", s.Update(ctx, v2))

	// A new notification judged against version 1: neither is stored.
	n := storeNotification("n-1", p.OrderReferenceID, 0)
	storeMustBe(t, "RecordNotification from a stale version", s.RecordNotification(ctx, n, storeNext(p, storeStateC)),
		checkout.ErrConflict)
	storeHas(t, s, v2)
	storePending(t, s, p.OrderReferenceID)
	v3 := storeNext(v2, storeStateC)
	storeMust(t, "RecordNotification after the conflict", s.RecordNotification(ctx, n, v3))
	storeHas(t, s, v3)

	// A kept notification stays kept.
	kept := storeNotification("n-2", p.OrderReferenceID, time.Second)
	storeMust(t, "RecordNotification without a payment", s.RecordNotification(ctx, kept, nil))
	storeMustBe(t, "RecordNotification of a kept one from a stale version",
		s.RecordNotification(ctx, kept, storeNext(v2, storeStateA)), checkout.ErrConflict)
	storeHas(t, s, v3)
	storePending(t, s, p.OrderReferenceID, kept)
}

func storeNotificationUnknownPayment(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	ghost := storeNext(storePayment("pay-9"), storeStateB)
	n := storeNotification("n-1", ghost.OrderReferenceID, 0)
	storeMustBe(t, "RecordNotification with an unknown payment", s.RecordNotification(ctx, n, ghost),
		checkout.ErrNotFound)
	_, err := s.Get(ctx, ghost.ID)
	storeMustBe(t, "Get", err, checkout.ErrNotFound)
	// n was not applied: it can still be kept.
	storeMust(t, "RecordNotification without a payment", s.RecordNotification(ctx, n, nil))
	storePending(t, s, ghost.OrderReferenceID, n)
}

// storeCopies: the store keeps its own copies; what a caller does to the
// values it passed or got changes nothing stored.
func storeCopies(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	want := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	p.State, p.Total.Amount, p.Attempt = storeStateC, "1.00", 9
	storeHas(t, s, want)

	got, err := s.Get(ctx, "pay-1")
	storeMust(t, "Get", err)
	got.State, got.Total.Amount = storeStateC, "1.00"
	byAmazon, err := s.GetByAmazonID(ctx, want.OrderReferenceID)
	storeMust(t, "GetByAmazonID", err)
	byAmazon.State = storeStateC
	list, err := s.List(ctx, []checkout.State{storeStateA}, 0)
	storeMust(t, "List", err)
	list[0].State = storeStateC
	storeHas(t, s, want)

	v2 := storeNext(want, storeStateB)
	wantV2 := storeNext(want, storeStateB)
	storeMust(t, "Update", s.Update(ctx, v2))
	v2.State = storeStateC
	storeHas(t, s, wantV2)

	n := storeNotification("n-1", "S02-x", 0)
	wantN := storeNotification("n-1", "S02-x", 0)
	storeMust(t, "RecordNotification", s.RecordNotification(ctx, n, nil))
	n.Data[1], n.Type = 'X', "Changed"
	storePending(t, s, "S02-x", wantN)
	pending, err := s.PendingNotifications(ctx, "S02-x")
	storeMust(t, "PendingNotifications", err)
	pending[0].Data[1], pending[0].Type = 'X', "Changed"
	storePending(t, s, "S02-x", wantN)
}
