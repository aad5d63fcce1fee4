package checkout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Without a database or with an unknown dialect every method fails, and
// says why; none panics.
func TestSQLStoreRefusesWithoutDatabaseOrDialect(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		store *SQLStore
		want  string
	}{
		{NewSQLStore(nil, PostgreSQL), "nil *sql.DB"},
		{NewSQLStore(new(sql.DB), Dialect(0)), "unknown dialect Dialect(0)"},
		{NewSQLStore(new(sql.DB), Dialect(7)), "unknown dialect Dialect(7)"},
	} {
		s := tc.store
		p := &Payment{ID: "order-1", Version: 1}
		_, errGet := s.Get(ctx, "order-1")
		_, errByAmazon := s.GetByAmazonID(ctx, "S02-1")
		_, errList := s.List(ctx, []State{"x"}, 0)
		_, errPending := s.PendingNotifications(ctx, "S02-1")
		for name, err := range map[string]error{
			"Migrate": s.Migrate(ctx), "Create": s.Create(ctx, p), "Update": s.Update(ctx, p),
			"Get": errGet, "GetByAmazonID": errByAmazon, "List": errList, "PendingNotifications": errPending,
			"RecordNotification": s.RecordNotification(ctx, &StoredNotification{ID: "n"}, p),
		} {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one saying %q", name, err, tc.want)
			}
		}
	}
}

func TestSQLStoreRefusesNil(t *testing.T) {
	ctx := context.Background()
	s := NewSQLStore(new(sql.DB), SQLite)
	for name, err := range map[string]error{
		"Create": s.Create(ctx, nil), "Update": s.Update(ctx, nil),
		"RecordNotification": s.RecordNotification(ctx, nil, nil),
	} {
		if err == nil {
			t.Errorf("%s(nil): no error", name)
		}
	}
}

func TestDialectString(t *testing.T) {
	for d, want := range map[Dialect]string{PostgreSQL: "PostgreSQL", SQLite: "SQLite", 0: "Dialect(0)"} {
		if got := d.String(); got != want {
			t.Errorf("Dialect(%d).String() = %q, want %q", int(d), got, want)
		}
	}
}

// sqliteError is how modernc.org/sqlite reports a result code.
type sqliteError struct{ code int }

func (e *sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", e.code) }
func (e *sqliteError) Code() int     { return e.code }

func TestIsBusy(t *testing.T) {
	for _, tc := range []struct {
		err  error
		busy bool
	}{
		{&sqliteError{5}, true},   // SQLITE_BUSY
		{&sqliteError{517}, true}, // SQLITE_BUSY_SNAPSHOT
		{&sqliteError{6}, true},   // SQLITE_LOCKED
		{fmt.Errorf("begin: %w", &sqliteError{5}), true},
		{&sqliteError{19}, false}, // SQLITE_CONSTRAINT
		{&sqliteError{1}, false},
		{errors.New("database is locked"), true}, // mattn/go-sqlite3
		{errors.New("no such table: checkout_payments"), false},
	} {
		if got := isBusy(tc.err); got != tc.busy {
			t.Errorf("isBusy(%v) = %v, want %v", tc.err, got, tc.busy)
		}
	}
}

// A locked SQLite database is tried again until it is free; another
// error, or the end of the context, ends the trying.
func TestRetryBusy(t *testing.T) {
	s := NewSQLStore(new(sql.DB), SQLite)
	calls := 0
	err := s.retryBusy(context.Background(), func() error {
		if calls++; calls < 4 {
			return &sqliteError{5}
		}
		return nil
	})
	if err != nil || calls != 4 {
		t.Fatalf("retryBusy: %v after %d calls, want nil after 4", err, calls)
	}

	calls = 0
	other := &sqliteError{19}
	if err := s.retryBusy(context.Background(), func() error { calls++; return other }); err != other || calls != 1 {
		t.Fatalf("retryBusy of another error: %v after %d calls, want it after 1", err, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = s.retryBusy(ctx, func() error {
		if calls++; calls == 2 {
			cancel()
		}
		return &sqliteError{5}
	})
	if !isBusy(err) || calls != 2 {
		t.Fatalf("retryBusy with an ended context: %v after %d calls, want the busy error after 2", err, calls)
	}
}

func TestTimeColumn(t *testing.T) {
	want := time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.UTC)
	s := NewSQLStore(new(sql.DB), SQLite)
	text := s.timeParam(want.In(time.FixedZone("UTC+2", 7200))).(string)
	if text != "2026-03-01T08:00:00.123456789Z" {
		t.Fatalf("SQLite time = %q, want UTC with nine fraction digits", text)
	}
	for _, v := range []any{text, []byte(text), want.In(time.FixedZone("UTC-5", -5*3600))} {
		var got time.Time
		if err := (timeColumn{&got}).Scan(v); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%v) = %v, %v; want %v in UTC", v, got, err, want)
		}
	}
	var got time.Time
	for _, bad := range []any{"yesterday", 42} {
		if err := (timeColumn{&got}).Scan(bad); err == nil {
			t.Errorf("Scan(%v): no error", bad)
		}
	}
}

// Every dialect has its migrations, numbered from 1 without gaps.
func TestDialectMigrations(t *testing.T) {
	for _, d := range []Dialect{PostgreSQL, SQLite} {
		list, err := dialectMigrations(d)
		if err != nil || len(list) == 0 {
			t.Fatalf("%v: %d migrations, %v", d, len(list), err)
		}
		for i, m := range list {
			if m.version != i+1 || !strings.Contains(m.sql, "CREATE TABLE") && i == 0 {
				t.Errorf("%v: migration %d is %s (version %d)", d, i+1, m.name, m.version)
			}
		}
	}
	if _, err := dialectMigrations(Dialect(0)); err == nil {
		t.Error("migrations of Dialect(0): no error")
	}
}

// List of no states lists nothing, without asking the database.
func TestSQLStoreListNoStates(t *testing.T) {
	list, err := NewSQLStore(new(sql.DB), SQLite).List(context.Background(), nil, 0)
	if err != nil || list != nil {
		t.Fatalf("List(nil) = %v, %v; want nothing", list, err)
	}
}
