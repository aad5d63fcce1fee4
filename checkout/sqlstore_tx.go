package checkout

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// querier is what a write runs its statements on: the *sql.DB, a *sql.Tx
// or a *sql.Conn inside BEGIN IMMEDIATE.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// busyWait bounds how long a SQLite call keeps trying while the database
// is locked; a driver's busy_timeout waits inside each try.
const busyWait = 5 * time.Second

// write runs fn as one write. On PostgreSQL fn runs in a transaction when
// tx is set (else on the pool: its statements must each be safe alone). On
// SQLite fn always runs in a BEGIN IMMEDIATE transaction, which takes the
// write lock up front: a deferred transaction that reads and then writes
// fails with SQLITE_BUSY when another writer came in between, whatever the
// busy timeout. A locked database makes the whole transaction run again.
//
// SQLite has one writer at a time, and its busy handler is not a queue: a
// waiter sleeps (up to 100 ms a time) and tries again, so with dozens of
// writers one can lose every race until its busy timeout has passed (64
// concurrent checkouts saw BEGIN IMMEDIATE fail after 5 s of waiting). So
// the writers of one store take turns first (a FIFO channel): in one
// process the database's lock is then only contended by other processes.
func (s *SQLStore) write(ctx context.Context, tx bool, fn func(q querier) error) error {
	if s.dialect != SQLite {
		if !tx {
			return fn(s.db)
		}
		t, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("checkout: begin transaction: %w", err)
		}
		if err := fn(t); err != nil {
			_ = t.Rollback()
			return err
		}
		if err := t.Commit(); err != nil {
			return fmt.Errorf("checkout: commit: %w", err)
		}
		return nil
	}
	select {
	case s.writeTurn <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("checkout: waiting to write: %w", context.Cause(ctx))
	}
	defer func() { <-s.writeTurn }()
	return s.retryBusy(ctx, func() error { return s.immediate(ctx, fn) })
}

// immediate runs fn in BEGIN IMMEDIATE ... COMMIT on one connection.
func (s *SQLStore) immediate(ctx context.Context, fn func(q querier) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("checkout: connection: %w", err)
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("checkout: begin transaction: %w", err)
	}
	done := false
	defer func() {
		if done {
			return
		}
		// Also when ctx has ended: the connection goes back to the pool
		// and must not be left inside a transaction.
		if _, rbErr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
			// Its state is unknown (SQLite may have rolled back on its
			// own, or not): drop the connection from the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if err := fn(conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("checkout: commit: %w", err)
	}
	done = true
	return nil
}

// read runs fn, a read; on SQLite again while the database is locked.
func (s *SQLStore) read(ctx context.Context, fn func() error) error {
	if s.dialect != SQLite {
		return fn()
	}
	return s.retryBusy(ctx, fn)
}

// retryBusy runs fn until it succeeds, fails otherwise than with
// SQLITE_BUSY, ctx ends or busyWait has passed. fn must be safe to run
// again after a busy failure (a whole transaction, or a read).
func (s *SQLStore) retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(busyWait)
	pause := time.Millisecond
	for {
		err := fn()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		// Jitter, so that writers that collided do not collide again.
		t := time.NewTimer(pause/2 + rand.N(pause))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// from any driver: modernc.org/sqlite's errors have a Code method,
// others say "database is locked".
func isBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff { // the primary result code
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "database table is locked") ||
		strings.Contains(msg, "SQLITE_BUSY")
}

// sqliteTime is how SQLite columns keep a time: UTC text whose order is
// time order.
const sqliteTime = "2006-01-02T15:04:05.000000000Z"

// timeParam is t as the dialect stores it.
func (s *SQLStore) timeParam(t time.Time) any {
	if s.dialect == SQLite {
		return t.UTC().Format(sqliteTime)
	}
	return t.UTC()
}

// timeColumn scans a time from a column: a time.Time (PostgreSQL) or the
// text of sqliteTime.
type timeColumn struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeColumn) Scan(v any) error {
	var text string
	switch v := v.(type) {
	case time.Time:
		*c.t = v.UTC()
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("checkout: a time column holds %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("checkout: a time column holds %q", text)
	}
	*c.t = t.UTC()
	return nil
}
