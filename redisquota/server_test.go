package redisquota_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startRedis starts a private redis-server on a free loopback port and
// returns a client for it; both end with the test. Without a redis-server
// binary the test is skipped, except under CI=true, where it fails: CI
// must install it (Debian package redis-server).
func startRedis(tb testing.TB) *redis.Client {
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
		rdb, out, err := runRedis(tb, bin)
		if err == nil {
			return rdb
		}
		if try == 3 {
			tb.Fatalf("redis-server: %v\n%s", err, out)
		}
	}
}

// runRedis starts redis-server on a free port and waits for its PING.
func runRedis(tb testing.TB, bin string) (*redis.Client, string, error) {
	port := freePort(tb)
	var out bytes.Buffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	rdb := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second})
	tb.Cleanup(func() { rdb.Close() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return rdb, "", nil
		}
		select {
		case <-exited:
			return nil, out.String(), errors.New("exited before answering PING")
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited // out is written until then
			return nil, out.String(), fmt.Errorf("no answer to PING: %w", err)
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

// deadRedis returns a client for a loopback port where nothing listens.
func deadRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(tb))),
		DialTimeout: time.Second, MaxRetries: -1})
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}
