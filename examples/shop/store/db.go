package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// The shop's own tables live in the same database as checkout's
// (checkout_payments, checkout_notifications), prefixed shop_: the
// buyers' sessions with their carts, the shop's orders and subscriptions
// (each a reference to the checkout payment that pays it) and the counters
// that number them. migrations/ holds their SQL, one file per version and
// dialect, applied by Migrate; a released file is never changed.
//
//go:embed migrations
var migrations embed.FS

// db is the shop's database handle: the *sql.DB and its dialect.
type db struct {
	sql     *sql.DB
	dialect checkout.Dialect
}

// q rewrites a query written with PostgreSQL's $1, $2, ... placeholders
// for the dialect: SQLite's ?1, ?2, ... keep the numbering.
func (d db) q(query string) string {
	if d.dialect == checkout.SQLite {
		return strings.ReplaceAll(query, "$", "?")
	}
	return query
}

// migration is one file of migrations/<dialect>/.
type migration struct {
	version int
	name    string
	sql     string
}

// Migrate brings the shop's tables up to this version: it runs each file
// of migrations/<dialect>/ not yet recorded in shop_schema_migrations, in
// order, each in one transaction with its record. Shops starting at once
// on one database take turns: a PostgreSQL advisory lock, SQLite's BEGIN
// IMMEDIATE. It does not migrate checkout's tables (checkout's
// SQLStore.Migrate does).
func Migrate(ctx context.Context, conn *sql.DB, dialect checkout.Dialect) error {
	d := db{sql: conn, dialect: dialect}
	dir := map[checkout.Dialect]string{checkout.PostgreSQL: "postgres", checkout.SQLite: "sqlite"}[dialect]
	if conn == nil || dir == "" {
		return fmt.Errorf("store: Migrate needs a *sql.DB and a dialect (PostgreSQL or SQLite), not %v", dialect)
	}
	list, err := readMigrations(dir)
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := d.tx(ctx, func(tx querier) error { return d.migrate(ctx, tx, m) }); err != nil {
			return fmt.Errorf("store: migration %s/%s: %w", dir, m.name, err)
		}
	}
	return nil
}

func (d db) migrate(ctx context.Context, tx querier, m migration) error {
	if d.dialect == checkout.PostgreSQL {
		// One key for the shop's migrations (checkout uses its own).
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7301160001)"); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS shop_schema_migrations (
	version integer PRIMARY KEY,
	name    text    NOT NULL
)`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, d.q("SELECT count(*) FROM shop_schema_migrations WHERE version = $1"), m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, d.q("INSERT INTO shop_schema_migrations (version, name) VALUES ($1, $2)"), m.version, m.name)
	return err
}

func readMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrations, path.Join("migrations", dir))
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, e := range entries {
		number, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration %s/%s is not named NNNN_name.sql", dir, e.Name())
		}
		text, err := fs.ReadFile(migrations, path.Join("migrations", dir, e.Name()))
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: version, name: e.Name(), sql: string(text)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}

// querier runs statements: the *sql.DB, a *sql.Tx or a *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in one transaction. On SQLite it is BEGIN IMMEDIATE on one
// connection, which takes the write lock first: a deferred transaction
// that reads, then writes, fails when another writer came in between.
func (d db) tx(ctx context.Context, fn func(querier) error) error {
	if d.dialect != checkout.SQLite {
		tx, err := d.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if err := fn(conn); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	return nil
}

// next returns the next number of the counter name (orders, subscriptions),
// from 1001 on: one statement, so two shops on one database never hand out
// the same number.
func (d db) next(ctx context.Context, name string) (int64, error) {
	var n int64
	err := d.sql.QueryRowContext(ctx, d.q(`UPDATE shop_counters SET last = last + 1 WHERE name = $1 RETURNING last`), name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: number a new %s: %w", name, err)
	}
	return n, nil
}
