package sqltest_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
	"github.com/amazonpay-go/amazonpay/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop() // one PostgreSQL cluster per test binary
	os.Exit(code)
}

// migrated is a SQLStore on db with its schema.
func migrated(tb testing.TB, db *sql.DB, dialect checkout.Dialect) *checkout.SQLStore {
	tb.Helper()
	s := checkout.NewSQLStore(db, dialect)
	if err := s.Migrate(tb.Context()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return s
}

// newPostgresStore is a migrated store on a new PostgreSQL database.
func newPostgresStore(t *testing.T) checkout.Store {
	return migrated(t, postgresDB(t), checkout.PostgreSQL)
}

// newSQLiteStore is a migrated store on a new SQLite file, opened as
// SQLStore's godoc recommends.
func newSQLiteStore(t *testing.T) checkout.Store {
	return migrated(t, sqliteDB(t, sqliteRecommended), checkout.SQLite)
}

func TestStorePostgreSQL(t *testing.T) {
	checkouttest.TestStore(t, newPostgresStore)
}

func TestStoreSQLite(t *testing.T) {
	checkouttest.TestStore(t, newSQLiteStore)
}

// Without a busy timeout, and with SQLite's default rollback journal
// (where readers and writers lock each other out), the store's own
// retries on SQLITE_BUSY keep every guarantee, concurrency included.
func TestStoreSQLiteWithoutBusyTimeout(t *testing.T) {
	checkouttest.TestStore(t, func(t *testing.T) checkout.Store {
		return migrated(t, sqliteDB(t, ""), checkout.SQLite)
	})
}
