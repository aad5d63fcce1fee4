package checkouttest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// storeRacers is how many goroutines race for one change.
const storeRacers = 16

// storeRace runs call(i) for i in [0, storeRacers) at once, released
// together, and returns their errors by i.
func storeRace(call func(i int) error) []error {
	errs := make([]error, storeRacers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = call(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// storeOneWinner returns the index of the one call that succeeded; every
// other must have failed with an error wrapping one of losers.
func storeOneWinner(t *testing.T, what string, errs []error, losers ...error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("%s: racers %d and %d both succeeded", what, winner, i)
			}
			winner = i
			continue
		}
		lost := false
		for _, l := range losers {
			lost = lost || errors.Is(err, l)
		}
		if !lost {
			t.Fatalf("%s: racer %d: error %v, want one wrapping %v", what, i, err, losers)
		}
	}
	if winner < 0 {
		t.Fatalf("%s: nobody succeeded: %v", what, errs)
	}
	return winner
}

// storeMarked is p's next version as racer i would make it.
func storeMarked(p *checkout.Payment, i int) *checkout.Payment {
	n := storeNext(p, storeStateB)
	n.SellerOrderID = fmt.Sprintf("racer-%d", i)
	return n
}

// storeConcurrentUpdates: of racers updating one payment from one version,
// exactly one wins, round after round, and the store holds its change.
func storeConcurrentUpdates(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	cur := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, cur))
	for round := range 5 {
		errs := storeRace(func(i int) error { return s.Update(ctx, storeMarked(cur, i)) })
		winner := storeOneWinner(t, fmt.Sprintf("round %d", round), errs, checkout.ErrConflict)
		cur = storeMarked(cur, winner)
		storeHas(t, s, cur)
	}
}

// storeConcurrentCreates: of racers creating one id, or one Amazon id,
// exactly one wins.
func storeConcurrentCreates(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	sameID := func(i int) *checkout.Payment {
		p := storePayment("pay-1")
		p.OrderReferenceID = fmt.Sprintf("S02-racer-%d", i)
		return p
	}
	errs := storeRace(func(i int) error { return s.Create(ctx, sameID(i)) })
	storeHas(t, s, sameID(storeOneWinner(t, "one id", errs, checkout.ErrExists)))

	sameAmazonID := func(i int) *checkout.Payment {
		p := storePayment(fmt.Sprintf("pay-racer-%d", i))
		p.OrderReferenceID = "S02-shared"
		return p
	}
	errs = storeRace(func(i int) error { return s.Create(ctx, sameAmazonID(i)) })
	want := sameAmazonID(storeOneWinner(t, "one Amazon id", errs, checkout.ErrExists))
	got, err := s.GetByAmazonID(ctx, "S02-shared")
	storeMust(t, "GetByAmazonID", err)
	storeSame(t, "GetByAmazonID", got, want)
}

// storeConcurrentNotification: racers recording one notification, each
// with its own change of one payment: exactly one applies it, the others
// find it applied.
func storeConcurrentNotification(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	n := storeNotification("n-1", p.OrderReferenceID, 0)
	errs := storeRace(func(i int) error { return s.RecordNotification(ctx, n, storeMarked(p, i)) })
	winner := storeOneWinner(t, "one notification", errs, checkout.ErrDuplicateNotification)
	storeHas(t, s, storeMarked(p, winner))
	storePending(t, s, p.OrderReferenceID)

	// The same for a notification kept before its payment existed.
	q := storePayment("pay-2")
	kept := storeNotification("n-2", q.OrderReferenceID, 0)
	storeMust(t, "RecordNotification without a payment", s.RecordNotification(ctx, kept, nil))
	storeMust(t, "Create", s.Create(ctx, q))
	errs = storeRace(func(i int) error { return s.RecordNotification(ctx, kept, storeMarked(q, i)) })
	winner = storeOneWinner(t, "one kept notification", errs, checkout.ErrDuplicateNotification)
	storeHas(t, s, storeMarked(q, winner))
	storePending(t, s, q.OrderReferenceID)
}

// storeConcurrentNotificationsOnePayment: racers recording different
// notifications against one version of a payment: exactly one is applied;
// the others conflict and are not recorded.
func storeConcurrentNotificationsOnePayment(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	p := storePayment("pay-1")
	storeMust(t, "Create", s.Create(ctx, p))
	notification := func(i int) *checkout.StoredNotification {
		return storeNotification(fmt.Sprintf("n-%02d", i), p.OrderReferenceID, 0)
	}
	errs := storeRace(func(i int) error { return s.RecordNotification(ctx, notification(i), storeMarked(p, i)) })
	winner := storeOneWinner(t, "one payment", errs, checkout.ErrConflict)
	cur := storeMarked(p, winner)
	storeHas(t, s, cur)
	storePending(t, s, p.OrderReferenceID)
	for i := range storeRacers {
		next := storeNext(cur, storeStateC)
		err := s.RecordNotification(ctx, notification(i), next)
		if i == winner {
			storeMustBe(t, "RecordNotification of the winner's again", err, checkout.ErrDuplicateNotification)
			continue
		}
		storeMust(t, fmt.Sprintf("RecordNotification of loser %d", i), err)
		cur = next
	}
	storeHas(t, s, cur)
}

// storeConcurrentKeep: racers keeping one notification all succeed, and it
// is kept once.
func storeConcurrentKeep(t *testing.T, s checkout.Store) {
	ctx := t.Context()
	n := storeNotification("n-1", "S02-x", 0)
	for i, err := range storeRace(func(int) error { return s.RecordNotification(ctx, n, nil) }) {
		storeMust(t, fmt.Sprintf("racer %d", i), err)
	}
	storePending(t, s, "S02-x", n)
}
