// Package pgtest gives a test binary a throwaway PostgreSQL cluster:
// initdb'd in a temporary directory, listening on a free loopback port
// (its unix socket in the same directory), started by the first test that
// needs a database and removed by Stop (call it from TestMain). Each test
// gets a database of its own, dropped at its end.
//
// Without PostgreSQL a test is skipped, except under CI=true, where it
// fails: CI installs the Debian package postgresql. The package imports no
// driver: the caller names the one it registered (e.g. "pgx").
package pgtest

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
)

// cluster is the test binary's PostgreSQL server.
type cluster struct {
	once    sync.Once
	err     error // why there is no server
	missing bool  // err is: PostgreSQL is not installed

	dir     string // holds data/, the log and the socket
	bin     string // the directory of initdb and pg_ctl
	port    int
	started bool                // pg_ctl start succeeded: stop must stop it
	cred    *syscall.Credential // who runs the server when we are root
	admin   *sql.DB             // the database postgres

	mu        sync.Mutex
	databases int
}

// The test binary's one cluster: tests share it, each with its own database.
var pg cluster

// Database returns a new, empty database of the test binary's cluster,
// opened with driver, and its URL; the database is named prefix_N and
// dropped at the end of the test.
func Database(tb testing.TB, driver, prefix string) (*sql.DB, string) {
	tb.Helper()
	pg.once.Do(func() { pg.start(driver) })
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
	name := fmt.Sprintf("%s_%d", prefix, pg.databases)
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
	url := pg.dsn(name)
	db, err := sql.Open(driver, url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db, url
}

// Stop stops the cluster, if one was started, and removes its files.
func Stop() { pg.stop() }

func (s *cluster) dsn(database string) string {
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

func (s *cluster) start(driver string) {
	if s.bin, s.err = binDir(); s.err != nil {
		s.missing = true
		return
	}
	if s.cred, s.err = credential(); s.err != nil {
		return
	}
	if s.dir, s.err = os.MkdirTemp("", "amazonpay-pg-"); s.err != nil {
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
		// fsync=off: the tests kill clients of this server (shops, stores),
		// never the server, and a committed transaction survives a client's
		// death without it.
		options := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s "+
			"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", s.port, s.dir)
		var out string
		out, s.err = s.run("pg_ctl", "start", "-D", data, "-l", filepath.Join(s.dir, "log"),
			"-w", "-t", "60", "-o", options)
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
	if s.admin, s.err = sql.Open(driver, s.dsn("postgres")); s.err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.err = s.admin.PingContext(ctx)
}

// run runs one of PostgreSQL's programs as the server's user.
func (s *cluster) run(program string, args ...string) (string, error) {
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

// stop stops the server, if one was started, and removes its files.
func (s *cluster) stop() {
	if s.admin != nil {
		_ = s.admin.Close()
	}
	if s.started {
		_, _ = s.run("pg_ctl", "stop", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w")
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
