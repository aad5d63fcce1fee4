package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds the program once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "amazonpaytest-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "amazonpaytest")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	require.NoError(t, buildErr, binPath)
	return binPath
}

// binarySandbox is the built program running as a process.
type binarySandbox struct {
	cmd    *exec.Cmd
	listen string
	proxy  string
	caFile string
	stderr *syncBuffer
	exited chan error
}

// startBinary starts the built program with args plus --listen and
// --proxy on free loopback ports; it is killed when the test ends if it
// is still running.
func startBinary(t *testing.T, args ...string) *binarySandbox {
	t.Helper()
	b := &binarySandbox{caFile: filepath.Join(t.TempDir(), "ca.pem"), stderr: &syncBuffer{}, exited: make(chan error, 1)}
	args = append([]string{"--listen", "127.0.0.1:0", "--proxy", "127.0.0.1:0", "--ca-out", b.caFile}, args...)
	b.cmd = exec.Command(buildBinary(t), args...)
	b.cmd.Stderr = b.stderr
	stdout, err := b.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, b.cmd.Start())
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
		b.exited <- b.cmd.Wait()
	}()
	t.Cleanup(func() {
		b.cmd.Process.Kill()
		for range lines {
		}
	})
	for b.listen == "" || b.proxy == "" {
		line, ok := <-lines
		if !ok {
			t.Fatalf("the program ended before it listened:\n%s", b.stderr)
		}
		if a, ok := strings.CutPrefix(line, "amazonpaytest: listening on "); ok {
			b.listen = a
		}
		if a, ok := strings.CutPrefix(line, "amazonpaytest: proxy on "); ok {
			b.proxy = a
		}
	}
	go func() {
		for range lines {
		}
	}()
	return b
}

// SIGTERM drains the request in flight (it still gets its answer) and the
// process exits 0 well within 5 seconds.
func TestBinaryStopsOnSIGTERMAndDrains(t *testing.T) {
	b := startBinary(t)
	result(t, b.listen, "inject-fault", `{"action": "GetServiceStatus", "n": 1, "f": {"Kind": "Delay", "Delay": "1s"}}`)

	// A signed GetServiceStatus, answered after the injected delay.
	type answer struct {
		status int
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Post(b.listen+"/OffAmazonPayments_Sandbox/2013-01-01", "application/x-www-form-urlencoded",
			strings.NewReader(signedServiceStatus(strings.TrimPrefix(b.listen, "http://"))))
		if err != nil {
			answered <- answer{err: err}
			return
		}
		resp.Body.Close()
		answered <- answer{status: resp.StatusCode}
	}()
	// The sandbox logs a call before it waits out the delay: once it is in
	// the log, the request is in flight.
	require.Eventually(t, func() bool {
		reqs, _ := result(t, b.listen, "requests-for", `{"action": "GetServiceStatus"}`).([]any)
		return len(reqs) == 1
	}, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, b.cmd.Process.Signal(syscall.SIGTERM))

	a := <-answered
	require.NoError(t, a.err)
	assert.Equal(t, http.StatusOK, a.status, "the request in flight is answered")
	select {
	case err := <-b.exited:
		require.NoError(t, err, "exit status\n%s", b.stderr)
	case <-time.After(5 * time.Second):
		t.Fatalf("still running 5 s after SIGTERM\n%s", b.stderr)
	}
	assert.Contains(t, b.stderr.String(), "msg=stopped")
	assert.Contains(t, b.stderr.String(), "action=GetServiceStatus status=200")
}

// SIGINT stops it too, and --version works as a binary.
func TestBinaryStopsOnSIGINT(t *testing.T) {
	out, err := exec.Command(buildBinary(t), "--version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(out), "amazonpaytest "), string(out))

	b := startBinary(t)
	require.NoError(t, b.cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-b.exited:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5 s after SIGINT")
	}
}
