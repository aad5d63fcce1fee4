package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/amazonpay-go/amazonpay/checkout"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// openDB opens the database dsn names: a postgres:// or postgresql:// URL
// is PostgreSQL, anything else the path of a SQLite file (created if
// missing). where says which, for the start-up line, without a password.
func openDB(dsn string) (db *sql.DB, dialect checkout.Dialect, where string, err error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, 0, "", fmt.Errorf("-db: not a PostgreSQL URL") // the error could echo a password
		}
		db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, 0, "", fmt.Errorf("open PostgreSQL at %s: %w", u.Redacted(), err)
		}
		return db, checkout.PostgreSQL, "at " + u.Redacted(), nil
	}
	path, err := filepath.Abs(strings.TrimPrefix(dsn, "file:"))
	if err != nil {
		return nil, 0, "", err
	}
	// WAL and a busy timeout, as checkout's SQLStore asks; synchronous
	// stays FULL: a payment's record is on disk before the call it was
	// written ahead of.
	db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, 0, "", fmt.Errorf("open SQLite file %s: %w", path, err)
	}
	return db, checkout.SQLite, "file " + path, nil
}
