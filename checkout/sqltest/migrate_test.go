package sqltest_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// dialect is one SQL database the tests run on.
type dialect struct {
	name    string
	dialect checkout.Dialect
	dir     string // under checkout/migrations
	// open returns n handles on one new database, as n processes would
	// have them.
	open func(tb testing.TB, n int) []*sql.DB
}

var dialects = []dialect{
	{"PostgreSQL", checkout.PostgreSQL, "postgres", func(tb testing.TB, n int) []*sql.DB {
		dbs := []*sql.DB{postgresDB(tb)}
		for len(dbs) < n {
			dbs = append(dbs, postgresOpenAgain(tb, dbs[0]))
		}
		return dbs
	}},
	{"SQLite", checkout.SQLite, "sqlite", func(tb testing.TB, n int) []*sql.DB {
		path := filepath.Join(tb.TempDir(), "shop.db")
		var dbs []*sql.DB
		for len(dbs) < n {
			dbs = append(dbs, sqliteOpen(tb, path, sqliteRecommended))
		}
		return dbs
	}},
}

// wantMigrations are the migration files of the dialect, as Migrate must
// record them.
func wantMigrations(t *testing.T, d dialect) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("..", "migrations", d.dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// recordedMigrations are the names in checkout_schema_migrations, by
// version.
func recordedMigrations(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "SELECT name FROM checkout_schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

func checkMigrated(t *testing.T, d dialect, db *sql.DB) {
	t.Helper()
	if got, want := recordedMigrations(t, db), wantMigrations(t, d); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("checkout_schema_migrations holds %v, want each of %v once", got, want)
	}
}

func examplePayment(id string) *checkout.Payment {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &checkout.Payment{ID: id, Kind: checkout.KindPurchase, State: "confirmed", OrderReferenceID: "S02-" + id,
		Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}, Attempt: 1, Version: 1, Created: now, Updated: now}
}

func TestMigrateFreshDatabase(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			db := d.open(t, 1)[0]
			s := migrated(t, db, d.dialect)
			checkMigrated(t, d, db)
			for _, table := range []string{"checkout_payments", "checkout_notifications"} {
				var n int
				if err := db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != 0 {
					t.Fatalf("%s: %d rows, %v; want an empty table", table, n, err)
				}
			}
			if err := s.Create(t.Context(), examplePayment("order-1")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Migrate at every start-up: a second run, by this store or another
// process's, changes nothing and keeps the data.
func TestMigrateTwice(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			dbs := d.open(t, 2)
			s := migrated(t, dbs[0], d.dialect)
			p := examplePayment("order-1")
			if err := s.Create(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate again: %v", err)
			}
			other := migrated(t, dbs[1], d.dialect)
			checkMigrated(t, d, dbs[0])
			got, err := other.Get(t.Context(), "order-1")
			if err != nil || got.Version != 1 || got.Total != p.Total {
				t.Fatalf("Get after Migrate again: %+v, %v", got, err)
			}
		})
	}
}

// Processes started together migrate together: each migration is applied
// once, and every Migrate succeeds.
func TestMigrateConcurrently(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			dbs := d.open(t, 8)
			errs := make([]error, len(dbs))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = checkout.NewSQLStore(db, d.dialect).Migrate(t.Context())
				}()
			}
			close(start)
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("concurrent Migrate: %v", err)
			}
			checkMigrated(t, d, dbs[0])
		})
	}
}

// The shop's own tables named like the obvious ones (another migration
// tool's schema_migrations, its payments) are left alone.
func TestMigrateBesideTheShopsTables(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			db := d.open(t, 1)[0]
			for _, stmt := range []string{
				"CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)",
				"INSERT INTO schema_migrations VALUES (20240101120000, false)",
				"CREATE TABLE payments (id integer PRIMARY KEY, cents integer NOT NULL)",
			} {
				if _, err := db.ExecContext(t.Context(), stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			migrated(t, db, d.dialect)
			checkMigrated(t, d, db)
			var version int64
			if err := db.QueryRowContext(t.Context(), "SELECT version FROM schema_migrations").Scan(&version); err != nil ||
				version != 20240101120000 {
				t.Fatalf("the shop's schema_migrations: %d, %v", version, err)
			}
		})
	}
}

// A canceled context stops Migrate with an error and applies nothing.
func TestMigrateCanceled(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			db := d.open(t, 1)[0]
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := checkout.NewSQLStore(db, d.dialect).Migrate(ctx); err == nil {
				t.Fatal("Migrate with a canceled context: no error")
			}
			migrated(t, db, d.dialect)
			checkMigrated(t, d, db)
		})
	}
}
