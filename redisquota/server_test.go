package redisquota_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// go-redis logs each refused dial to stderr: the tests start and kill
// redis-server on purpose, and count failures through the limiter's error
// handler instead.
func init() { redis.SetLogger(quietRedis{}) }

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// startRedis starts a private redis-server on a free loopback port and
// returns a client for it; both end with the test. Without a redis-server
// binary the test is skipped, except under CI=true, where it fails: CI
// must install it (Debian package redis-server).
func startRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	rdb, _ := startRedisServer(tb, freePort)
	return rdb
}

// startRestartableRedis is startRedis for a test that kills redis-server
// and starts it again (on the same port, without the data: redis-server
// runs without persistence). Its port is outside the kernel's ephemeral
// range, so that no other socket takes it while the server is down.
func startRestartableRedis(tb testing.TB) (*redis.Client, *redisServer) {
	tb.Helper()
	return startRedisServer(tb, unassignedPort)
}

// redisOptions are the client's options for a test's redis-server: a
// stopped server fails a call after go-redis's retries (3, the default,
// which also replace the pooled connections to a killed server) of one
// refused connection each, not after 5 dial attempts each (seconds).
func redisOptions(addr string) *redis.Options {
	return &redis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		DialerRetries: 1}
}

func startRedisServer(tb testing.TB, port func(testing.TB) int) (*redis.Client, *redisServer) {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("redis-server not found (CI=true): install the Debian package redis-server: %v", err)
		}
		tb.Skipf("redis-server not found: %v", err)
	}
	// The free port may be taken before redis-server binds it: try again.
	for try := 1; ; try++ {
		s := &redisServer{tb: tb, bin: bin, port: port(tb)}
		out, err := s.run()
		if err == nil {
			tb.Cleanup(s.Kill)
			s.rdb = redis.NewClient(redisOptions(s.addr()))
			tb.Cleanup(func() { s.rdb.Close() })
			return s.rdb, s
		}
		if try == 3 {
			tb.Fatalf("redis-server: %v\n%s", err, out)
		}
	}
}

// redisServer is a redis-server process that a test can kill and start
// again.
type redisServer struct {
	tb   testing.TB
	bin  string
	port int
	rdb  *redis.Client // the test's client

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

func (s *redisServer) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Kill kills redis-server (SIGKILL: no goodbye to its clients) and waits
// for it to exit. Killing a dead server does nothing.
func (s *redisServer) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Restart starts redis-server again on its port, empty, and waits until it
// answers the test's client (whose pool, after failed dials, may keep
// failing calls for up to a second). A failure fails the test (Errorf: Restart may run on any
// goroutine) and returns false.
func (s *redisServer) Restart() bool {
	s.tb.Helper()
	s.Kill()
	if out, err := s.run(); err != nil {
		s.tb.Errorf("redis-server again on port %d: %v\n%s", s.port, err, out)
		return false
	}
	if err := waitForPing(s.rdb); err != nil {
		s.tb.Errorf("redis-server again on port %d: %v", s.port, err)
		return false
	}
	return true
}

// waitForPing waits until rdb's PING is answered, for at most 15 s.
func waitForPing(rdb *redis.Client) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// run starts redis-server on s.port and waits for its PING.
func (s *redisServer) run() (string, error) {
	var out bytes.Buffer
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
	ping := redis.NewClient(redisOptions(s.addr()))
	defer ping.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := ping.Ping(ctx).Err()
		cancel()
		if err == nil {
			return "", nil
		}
		select {
		case <-exited:
			s.Kill()
			return out.String(), errors.New("exited before answering PING")
		default:
		}
		if time.Now().After(deadline) {
			s.Kill() // out is written until it has exited
			return out.String(), fmt.Errorf("no answer to PING: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// unassignedPort returns a free loopback TCP port below the kernel's
// ephemeral range (Linux's default starts at 32768), which the kernel never
// hands out by itself: not to a listener on port 0, not as the local port
// of a connection.
func unassignedPort(tb testing.TB) int {
	tb.Helper()
	for try := 0; try < 100; try++ {
		port := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			ln.Close()
			return port
		}
	}
	tb.Fatal("no free port in 20000-31999")
	return 0
}

// deadRedis returns a client for a loopback port where nothing listens.
func deadRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(tb))),
		DialTimeout: time.Second, MaxRetries: -1})
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}
