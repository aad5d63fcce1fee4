// Package testdb gives the shop's tests their databases: a SQLite file in
// the test's temporary directory, and a database of a PostgreSQL cluster
// that the test binary starts on a free loopback port (initdb in a
// temporary directory, as checkout/sqltest does), stopped by Stop from
// TestMain. Without PostgreSQL a test is skipped, except under CI=true,
// where it fails: CI installs the Debian package postgresql.
package testdb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
	pg.once.Do(pg.start)
	if pg.err != nil {
		if pg.missing && os.Getenv("CI") != "true" {
			tb.Skipf("PostgreSQL is not installed (Debian: apt-get install postgresql): %v", pg.err)
		}
		if pg.missing {
			tb.Fatalf("PostgreSQL is not installed (CI=true: .ci/run installs the Debian package postgresql): %v", pg.err)
		}
		tb.Fatalf("PostgreSQL: %v", pg.err)
	}
	pg.mu.Lock()
	pg.databases++
	name := fmt.Sprintf("shop_%d", pg.databases)
	pg.mu.Unlock()
	ctx := context.Background()
	if _, err := pg.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if _, err := pg.admin.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("DROP DATABASE %s: %v", name, err)
		}
	})
	dsn := pg.dsn(name)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, dsn
}

// Stop stops the PostgreSQL cluster, if one was started, and removes its
// files. Call it from TestMain after m.Run.
func Stop() { pg.stop() }

// pgServer is the test binary's PostgreSQL cluster.
type pgServer struct {
	once    sync.Once
	err     error // why there is no server
	missing bool  // err is: PostgreSQL is not installed

	dir     string // holds data/, the log and the socket
	bin     string // the directory of initdb and pg_ctl
	port    int
	started bool
	cred    *syscall.Credential // who runs the server when we are root
	admin   *sql.DB

	mu        sync.Mutex
	databases int
}

var pg pgServer

func (s *pgServer) dsn(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

// binDir finds initdb: on PATH, else where Debian's postgresql package
// puts it, /usr/lib/postgresql/<version>/bin (the newest version).
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", errors.New("no initdb on PATH nor in /usr/lib/postgresql/*/bin")
	}
	version := func(p string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(p))), 64)
		return v
	}
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	return filepath.Dir(found[0]), nil
}

// credential is who runs initdb and postgres: PostgreSQL refuses to run
// as root, so as root the server runs as Debian's postgres user, or nobody.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return nil, errors.New("running as root, and there is neither a postgres nor a nobody user to run PostgreSQL as")
}

func (s *pgServer) start() {
	if s.bin, s.err = binDir(); s.err != nil {
		s.missing = true
		return
	}
	if s.cred, s.err = credential(); s.err != nil {
		return
	}
	if s.dir, s.err = os.MkdirTemp("", "shop-pg-"); s.err != nil {
		return
	}
	if s.cred != nil {
		if s.err = os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); s.err != nil {
			return
		}
	}
	data := filepath.Join(s.dir, "data")
	if _, s.err = s.run("initdb", "-D", data, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync"); s.err != nil {
		return
	}
	// The free port may be taken before postgres binds it: try again.
	for try := 1; ; try++ {
		if s.port, s.err = freePort(); s.err != nil {
			return
		}
		// fsync=off: the tests kill the shop, never this server, and a
		// committed transaction survives a client's death without it.
		options := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s "+
			"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", s.port, s.dir)
		var out string
		out, s.err = s.run("pg_ctl", "start", "-D", data, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "-o", options)
		if s.err == nil {
			s.started = true
			break
		}
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		s.err = fmt.Errorf("%w\n%s\n%s", s.err, out, log)
		if try == 3 {
			return
		}
	}
	if s.admin, s.err = sql.Open("pgx", s.dsn("postgres")); s.err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.err = s.admin.PingContext(ctx)
}

// run runs one of PostgreSQL's programs as the server's user.
func (s *pgServer) run(program string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(s.bin, program), args...)
	cmd.Dir = s.dir // the server's user may not enter ours
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\n%s", program, strings.Join(args, " "), err, out.String())
	}
	return out.String(), nil
}

func (s *pgServer) stop() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.started {
		s.run("pg_ctl", "stop", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w")
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
