package checkout

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrations holds the schema, one file per version and dialect:
// migrations/postgres/0001_init.sql, migrations/sqlite/0001_init.sql, ...
// A file is never changed once released; a change of schema is a new file.
//
//go:embed migrations
var migrations embed.FS

// migration is one file of migrations/.
type migration struct {
	version int
	name    string // the file name, e.g. 0001_init.sql
	sql     string
}

// Migrate brings the database's schema up to this package's version: it
// runs each migration of migrations/<dialect>/ not yet recorded in the
// table checkout_schema_migrations (version, name, applied), in order.
// Each runs in its own transaction together with its record, so a failed
// one leaves no trace; a database already up to date is left as it is.
// Many processes may call Migrate at once: on PostgreSQL each transaction
// first takes an advisory lock (pg_advisory_xact_lock), on SQLite it is
// BEGIN IMMEDIATE, so one applies a migration and the others then find it
// recorded. Versions recorded by a newer release of this package are left
// alone, so that an older process still starts during a rolling update.
func (s *SQLStore) Migrate(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	list, err := dialectMigrations(s.dialect)
	if err != nil {
		return err
	}
	if err := s.write(ctx, true, func(q querier) error {
		if err := s.migrationLock(ctx, q); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, s.q.migrationsTable)
		return err
	}); err != nil {
		return fmt.Errorf("checkout: migrate: create checkout_schema_migrations: %w", err)
	}
	for _, m := range list {
		if err := s.write(ctx, true, func(q querier) error { return s.migrate(ctx, q, m) }); err != nil {
			return fmt.Errorf("checkout: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// migrate applies m in the transaction q unless it is recorded already.
func (s *SQLStore) migrate(ctx context.Context, q querier, m migration) error {
	if err := s.migrationLock(ctx, q); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, s.q.migrationApplied, m.version)
	if err != nil {
		return err
	}
	applied := rows.Next()
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if applied {
		return nil
	}
	if _, err := q.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q.recordMigration, m.version, m.name, s.timeParam(time.Now()))
	return err
}

func (s *SQLStore) migrationLock(ctx context.Context, q querier) error {
	if s.q.migrationLock == "" {
		return nil // SQLite: BEGIN IMMEDIATE holds the write lock already
	}
	_, err := q.ExecContext(ctx, s.q.migrationLock)
	return err
}

// dialectMigrations reads the dialect's migrations, ordered by version.
func dialectMigrations(d Dialect) ([]migration, error) {
	dir := map[Dialect]string{PostgreSQL: "postgres", SQLite: "sqlite"}[d]
	entries, err := fs.ReadDir(migrations, path.Join("migrations", dir))
	if err != nil {
		return nil, fmt.Errorf("checkout: migrations of %v: %w", d, err)
	}
	var list []migration
	for _, e := range entries {
		number, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("checkout: migration file %s/%s is not named NNNN_name.sql", dir, e.Name())
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
