package sqltest_test

import (
	"database/sql"
	"sync"
	"testing"

	"github.com/amazonpay-go/amazonpay/internal/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// postgresURLs holds the URL of each database postgresDB made, for
// postgresOpenAgain.
var postgresURLs sync.Map // *sql.DB → string

// postgresDB returns a new, empty database of the test binary's
// PostgreSQL cluster (internal/pgtest), dropped at the end of the test.
// Without PostgreSQL the test is skipped, except under CI=true, where it
// fails: CI installs the Debian package postgresql.
func postgresDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, url := pgtest.Database(tb, "pgx", "store")
	postgresURLs.Store(db, url)
	tb.Cleanup(func() { postgresURLs.Delete(db) })
	return db
}

// postgresOpenAgain opens another handle on db's database, as another
// process would.
func postgresOpenAgain(tb testing.TB, db *sql.DB) *sql.DB {
	tb.Helper()
	url, ok := postgresURLs.Load(db)
	if !ok {
		tb.Fatal("postgresOpenAgain: not a database of postgresDB")
	}
	again, err := sql.Open("pgx", url.(string))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = again.Close() })
	return again
}
