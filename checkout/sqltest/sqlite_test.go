package sqltest_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// sqliteRecommended is the connection string SQLStore's godoc tells users
// of modernc.org/sqlite to use, and the one examples/shop opens its file
// with: a busy timeout and WAL.
const sqliteRecommended = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"

// sqliteDB opens a new SQLite file database with the connection string's
// query (sqliteRecommended, or "" for SQLite's defaults: a rollback
// journal and no busy timeout).
func sqliteDB(tb testing.TB, query string) *sql.DB {
	tb.Helper()
	return sqliteOpen(tb, filepath.Join(tb.TempDir(), "shop.db"), query)
}

// sqliteOpen opens the file at path, as another process would.
func sqliteOpen(tb testing.TB, path, query string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+query)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
