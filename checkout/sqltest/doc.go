// Package sqltest runs checkout's SQL store against real databases: a
// PostgreSQL server that the tests start themselves (initdb and pg_ctl of
// the Debian package postgresql, on a free loopback port, in a temp dir
// removed at the end) and SQLite files (modernc.org/sqlite, pure Go).
//
// It is a module of its own so that the drivers stay out of the library's
// go.mod. Its tests run checkouttest's suites, Migrate's tests and
// BenchmarkStore on each dialect. Without PostgreSQL its tests skip,
// except under CI=true, where they fail.
package sqltest
