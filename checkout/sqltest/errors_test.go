package sqltest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// storeErrors are the errors of every method of s; none may claim one of
// the Store's answers (not found, exists, conflict, duplicate) when the
// database failed.
func storeErrors(t *testing.T, ctx context.Context, s *checkout.SQLStore) {
	t.Helper()
	p := examplePayment("order-1")
	next := *p
	next.Version = 2
	_, errGet := s.Get(ctx, "order-1")
	_, errByAmazon := s.GetByAmazonID(ctx, "S02-order-1")
	_, errList := s.List(ctx, []checkout.State{"confirmed"}, 0)
	_, errPending := s.PendingNotifications(ctx, "S02-order-1")
	n := &checkout.StoredNotification{ID: "n-1", AmazonID: "S02-order-1", Type: "PaymentCapture"}
	for name, err := range map[string]error{
		"Create": s.Create(ctx, p), "Update": s.Update(ctx, &next),
		"Get": errGet, "GetByAmazonID": errByAmazon, "List": errList, "PendingNotifications": errPending,
		"RecordNotification": s.RecordNotification(ctx, n, &next), "RecordNotification(nil)": s.RecordNotification(ctx, n, nil),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		for _, answer := range []error{checkout.ErrNotFound, checkout.ErrExists, checkout.ErrConflict, checkout.ErrDuplicateNotification} {
			if errors.Is(err, answer) {
				t.Errorf("%s: %v: a failed database is not %v", name, err, answer)
			}
		}
	}
}

// Before Migrate there are no tables: an error, never "not found".
func TestStoreWithoutMigrate(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			storeErrors(t, t.Context(), checkout.NewSQLStore(d.open(t, 1)[0], d.dialect))
		})
	}
}

func TestStoreOnClosedDB(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			db := d.open(t, 1)[0]
			s := migrated(t, db, d.dialect)
			db.Close()
			storeErrors(t, t.Context(), s)
			if err := s.Migrate(t.Context()); err == nil {
				t.Error("Migrate on a closed DB: no error")
			}
		})
	}
}

func TestStoreWithCanceledContext(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.open(t, 1)[0], d.dialect)
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			storeErrors(t, ctx, s)
		})
	}
}

// A row that is not a Payment's JSON (written by hand, or damaged) is an
// error, not a zero Payment.
func TestStoreDamagedRow(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			db := d.open(t, 1)[0]
			s := migrated(t, db, d.dialect)
			if err := s.Create(t.Context(), examplePayment("order-1")); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(t.Context(), `UPDATE checkout_payments SET data = '{"id": 7}'`); err != nil {
				t.Fatal(err)
			}
			if p, err := s.Get(t.Context(), "order-1"); err == nil {
				t.Fatalf("Get of a damaged row: %+v, no error", p)
			}
			if list, err := s.List(t.Context(), []checkout.State{"confirmed"}, 0); err == nil {
				t.Fatalf("List with a damaged row: %d payments, no error", len(list))
			}
		})
	}
}
