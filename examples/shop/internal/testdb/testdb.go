// Package testdb gives the shop's tests their databases: a SQLite file in
// the test's temporary directory, and a database of the PostgreSQL cluster
// that the test binary starts on a free loopback port (internal/pgtest, as
// checkout/sqltest's tests use), stopped by Stop from TestMain. Without
// PostgreSQL a test is skipped, except under CI=true, where it fails: CI
// installs the Debian package postgresql.
package testdb

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/amazonpay-go/amazonpay/internal/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// SQLitePragmas is the connection string query the shop opens SQLite
// files with: WAL and a busy timeout.
const SQLitePragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"

// SQLitePath returns the path of a new SQLite file in the test's
// temporary directory (not created yet).
func SQLitePath(tb testing.TB) string {
	return filepath.Join(tb.TempDir(), "shop.db")
}

// SQLite opens a new SQLite file database, closed at the end of the test.
func SQLite(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+SQLitePath(tb)+SQLitePragmas)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Postgres returns a new, empty database of the test binary's PostgreSQL
// cluster and its URL, dropped at the end of the test.
func Postgres(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	return pgtest.Database(tb, "pgx", "shop")
}

// Stop stops the PostgreSQL cluster, if one was started, and removes its
// files. Call it from TestMain after m.Run.
func Stop() { pgtest.Stop() }
