package checkout

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Dialect is the SQL database a SQLStore runs on.
type Dialect int

// The dialects a SQLStore speaks.
const (
	// PostgreSQL 9.5 or later (the tests run 15), through any
	// database/sql driver (for example github.com/jackc/pgx/v5/stdlib).
	PostgreSQL Dialect = iota + 1
	// SQLite 3.24 or later, through any database/sql driver (for example
	// modernc.org/sqlite). See SQLStore for the connection string.
	SQLite
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "PostgreSQL"
	case SQLite:
		return "SQLite"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

// SQLStore is a Store on a SQL database, through database/sql: the shop
// brings the driver (this module has none) and the *sql.DB. Its tables,
// checkout_payments and checkout_notifications, are created by Migrate;
// migrations/ holds their SQL, one file per version and dialect.
//
// Every Store guarantee holds across processes sharing the database: Create
// is an insert-if-absent, Update a compare-and-swap on the version column
// (UPDATE ... WHERE id = $1 AND version = $2), RecordNotification one
// transaction. A Payment is kept as its JSON (encoding/json) beside copies
// of the columns it is looked up by, so new Payment fields need no
// migration. Times are stored in UTC; on PostgreSQL a notification's
// Timestamp keeps microseconds (Amazon Pay's have milliseconds).
//
// On SQLite every write is a BEGIN IMMEDIATE transaction, so that two
// writers never both read and then both try to write, and the writes of
// one SQLStore take turns in the process (SQLite has one writer at a time,
// and its busy handler lets a waiter starve under many writers): share one
// SQLStore per database in a process. When the database is locked by
// another process (SQLITE_BUSY) the store tries again for up to five
// seconds or until the context ends, but a driver-level busy timeout waits
// better than polling does; use a file database in WAL mode with one. With
// modernc.org/sqlite (the connection string the tests and the example
// shop use):
//
//	db, err := sql.Open("sqlite", "file:/var/lib/shop/shop.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
//
// and with github.com/mattn/go-sqlite3,
// "file:/var/lib/shop/shop.db?_busy_timeout=10000&_journal_mode=WAL". The
// driver's transaction mode (modernc's _txlock) does not matter: the store
// issues BEGIN IMMEDIATE itself. An in-memory database (":memory:") is one
// database per connection of the pool: do not use it. Keep SQLite's
// default synchronous=FULL: a payment's record must be on disk before the
// Amazon call it was written ahead of.
type SQLStore struct {
	db      *sql.DB
	dialect Dialect
	q       queries
	err     error // why the store cannot work: every method returns it
	// writeTurn is held by the one write of this store running on SQLite.
	writeTurn chan struct{}
}

// NewSQLStore returns a Store on db, which must already hold the tables:
// call Migrate once at start-up. A nil db or an unknown dialect makes
// every method fail with an error saying so.
func NewSQLStore(db *sql.DB, dialect Dialect) *SQLStore {
	s := &SQLStore{db: db, dialect: dialect}
	switch {
	case db == nil:
		s.err = errors.New("checkout: NewSQLStore with a nil *sql.DB")
	case dialect != PostgreSQL && dialect != SQLite:
		s.err = fmt.Errorf("checkout: NewSQLStore with an unknown dialect %v", dialect)
	default:
		s.q = newQueries(dialect)
		s.writeTurn = make(chan struct{}, 1)
	}
	return s
}

var _ Store = (*SQLStore)(nil)

// Create implements Store.
func (s *SQLStore) Create(ctx context.Context, p *Payment) error {
	if err := s.check(p); err != nil {
		return err
	}
	if p.Version != 1 {
		return fmt.Errorf("checkout: Create of payment %q at version %d, not 1", p.ID, p.Version)
	}
	row, err := s.paymentRow(p)
	if err != nil {
		return err
	}
	return s.write(ctx, false, func(q querier) error {
		res, err := q.ExecContext(ctx, s.q.createPayment,
			row.id, row.amazonID, row.state, row.version, row.updated, row.data)
		if err != nil {
			return fmt.Errorf("checkout: create payment %q: %w", p.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("checkout: create payment %q: %w", p.ID, err)
		} else if n == 0 {
			return fmt.Errorf("%w (payment %q or Amazon id %q)", ErrExists, p.ID, p.AmazonID())
		}
		return nil
	})
}

// Get implements Store.
func (s *SQLStore) Get(ctx context.Context, id string) (*Payment, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.getBy(ctx, s.q.getPayment, id, "payment %q")
}

// GetByAmazonID implements Store.
func (s *SQLStore) GetByAmazonID(ctx context.Context, amazonID string) (*Payment, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.getBy(ctx, s.q.getPaymentByAmazonID, amazonID, "Amazon id %q")
}

func (s *SQLStore) getBy(ctx context.Context, query, key, what string) (*Payment, error) {
	var data []byte
	err := s.read(ctx, func() error {
		return s.db.QueryRowContext(ctx, query, key).Scan(&data)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w ("+what+")", ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("checkout: get "+what+": %w", key, err)
	}
	return decodePayment(data)
}

// Update implements Store.
func (s *SQLStore) Update(ctx context.Context, p *Payment) error {
	if err := s.check(p); err != nil {
		return err
	}
	row, err := s.paymentRow(p)
	if err != nil {
		return err
	}
	return s.write(ctx, false, func(q querier) error { return s.swap(ctx, q, row) })
}

// swap stores row in place of the stored version row.version-1 of its
// payment.
func (s *SQLStore) swap(ctx context.Context, q querier, row paymentRow) error {
	res, err := q.ExecContext(ctx, s.q.updatePayment,
		row.amazonID, row.state, row.version, row.updated, row.data, row.id, row.version-1)
	if err != nil {
		return fmt.Errorf("checkout: update payment %q: %w", row.id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("checkout: update payment %q: %w", row.id, err)
	}
	if n == 1 {
		return nil
	}
	// Payments are never deleted: a row that is there now was there for
	// the UPDATE, at another version.
	var one int
	err = q.QueryRowContext(ctx, s.q.paymentExists, row.id).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w (payment %q)", ErrNotFound, row.id)
	case err != nil:
		return fmt.Errorf("checkout: update payment %q: %w", row.id, err)
	}
	return fmt.Errorf("%w (payment %q is not at version %d)", ErrConflict, row.id, row.version-1)
}

// List implements Store.
func (s *SQLStore) List(ctx context.Context, states []State, limit int) ([]*Payment, error) {
	if s.err != nil {
		return nil, s.err
	}
	if len(states) == 0 {
		return nil, nil
	}
	var b strings.Builder
	args := make([]any, len(states))
	b.WriteString("SELECT data FROM checkout_payments WHERE state IN (")
	for i, st := range states {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.q.param(i + 1))
		args[i] = string(st)
	}
	b.WriteString(") ORDER BY updated, id")
	if limit > 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(limit))
	}
	var list []*Payment
	err := s.read(ctx, func() error {
		list = list[:0]
		rows, err := s.db.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return err
			}
			p, err := decodePayment(data)
			if err != nil {
				return err
			}
			list = append(list, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("checkout: list payments: %w", err)
	}
	return list, nil
}

// check refuses a call the store cannot make.
func (s *SQLStore) check(p *Payment) error {
	if s.err != nil {
		return s.err
	}
	if p == nil {
		return errors.New("checkout: nil *Payment")
	}
	return nil
}

// paymentRow is a Payment as the columns of checkout_payments.
type paymentRow struct {
	id       string
	amazonID any // string, or nil (NULL) when the payment has none
	state    string
	version  int64
	updated  any
	data     []byte
}

func (s *SQLStore) paymentRow(p *Payment) (paymentRow, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return paymentRow{}, fmt.Errorf("checkout: encode payment %q: %w", p.ID, err)
	}
	row := paymentRow{id: p.ID, state: string(p.State), version: p.Version,
		updated: s.timeParam(p.Updated), data: data}
	if id := p.AmazonID(); id != "" {
		row.amazonID = id
	}
	return row, nil
}

func decodePayment(data []byte) (*Payment, error) {
	p := new(Payment)
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("checkout: decode stored payment: %w", err)
	}
	return p, nil
}

// queries are the statements of one dialect.
type queries struct {
	param func(n int) string // the nth placeholder

	createPayment, getPayment, getPaymentByAmazonID, updatePayment, paymentExists  string
	keepNotification, applyNotification, notificationApplied, pendingNotifications string
	migrationLock, migrationsTable, migrationApplied, recordMigration              string
}

func newQueries(d Dialect) queries {
	q := queries{
		createPayment: `INSERT INTO checkout_payments (id, amazon_id, state, version, updated, data)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		getPayment:           `SELECT data FROM checkout_payments WHERE id = $1`,
		getPaymentByAmazonID: `SELECT data FROM checkout_payments WHERE amazon_id = $1`,
		updatePayment: `UPDATE checkout_payments SET amazon_id = $1, state = $2, version = $3, updated = $4, data = $5
			WHERE id = $6 AND version = $7`,
		paymentExists: `SELECT 1 FROM checkout_payments WHERE id = $1`,
		keepNotification: `INSERT INTO checkout_notifications (id, amazon_id, type, timestamp, data, applied)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
		// Inserts n applied, or turns a kept unapplied n applied; an
		// applied n is left alone (0 rows: a duplicate).
		applyNotification: `INSERT INTO checkout_notifications (id, amazon_id, type, timestamp, data, applied)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET applied = excluded.applied WHERE NOT checkout_notifications.applied`,
		notificationApplied: `SELECT applied FROM checkout_notifications WHERE id = $1`,
		pendingNotifications: `SELECT id, amazon_id, type, timestamp, data, applied FROM checkout_notifications
			WHERE amazon_id = $1 AND NOT applied ORDER BY timestamp, id`,
		migrationApplied: `SELECT 1 FROM checkout_schema_migrations WHERE version = $1`,
		recordMigration:  `INSERT INTO checkout_schema_migrations (version, name, applied) VALUES ($1, $2, $3)`,
	}
	switch d {
	case PostgreSQL:
		q.param = func(n int) string { return "$" + strconv.Itoa(n) }
		// Two processes migrating at once queue here; the lock ends with
		// the transaction. The key is arbitrary and fixed:
		// "checkout" in ASCII.
		q.migrationLock = `SELECT pg_advisory_xact_lock(7163086685011408244)`
		q.migrationsTable = `CREATE TABLE IF NOT EXISTS checkout_schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL)`
	case SQLite:
		// ?NNN is SQLite's numbered placeholder, $NNN would be a name.
		q.param = func(n int) string { return "?" + strconv.Itoa(n) }
		q.migrationsTable = `CREATE TABLE IF NOT EXISTS checkout_schema_migrations (
			version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`
		for _, s := range []*string{&q.createPayment, &q.getPayment, &q.getPaymentByAmazonID, &q.updatePayment,
			&q.paymentExists, &q.keepNotification, &q.applyNotification, &q.notificationApplied,
			&q.pendingNotifications, &q.migrationApplied, &q.recordMigration} {
			*s = strings.ReplaceAll(*s, "$", "?")
		}
	}
	return q
}
