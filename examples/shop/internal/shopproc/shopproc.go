// Package shopproc runs the shop and the standalone sandbox as the child
// processes of a test: it builds their binaries, starts them on loopback
// ports, waits for the addresses they print (never for a fixed time),
// kills the shop with SIGKILL and starts it again on the same database and
// port, and calls the sandbox's control API. The kill test of
// examples/shop and the browser tests use it.
package shopproc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
)

// Package paths of the two programs.
const (
	ShopPackage    = "github.com/amazonpay-go/amazonpay/examples/shop"
	SandboxPackage = "github.com/amazonpay-go/amazonpay/cmd/amazonpaytest"
)

// startTimeout bounds how long a program may take to print its address:
// far more than it needs, so that only a hung program reaches it.
const startTimeout = 60 * time.Second

// Build compiles the package pkg into the test's temporary directory and
// returns the binary's path.
func Build(tb testing.TB, pkg string) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), filepath.Base(pkg))
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// Buffer is an io.Writer safe for a process's output copier and the test.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// proc is one run of a program whose stdout is read line by line.
type proc struct {
	cmd    *exec.Cmd
	stdout Buffer
	stderr *Buffer
	exited chan struct{}
	err    error // after exited
}

// start runs bin and returns once want has seen a line it accepts (its
// value is want's); the process's later lines are kept in stdout.
func start(bin string, args, env []string, stderr *Buffer, want func(line string) bool) (*proc, error) {
	p := &proc{cmd: exec.Command(bin, args...), stderr: stderr, exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		seen := false
		for sc.Scan() {
			line := sc.Text()
			_, _ = p.stdout.Write([]byte(line + "\n"))
			if !seen && want(line) {
				seen = true
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, out)
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("%s ended before it was ready (%v); stdout:\n%s\nstderr:\n%s", filepath.Base(bin), p.err, p.stdout.String(), stderr)
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited
		return nil, fmt.Errorf("%s printed no address within %v; stdout:\n%s\nstderr:\n%s", filepath.Base(bin), startTimeout, p.stdout.String(), stderr)
	}
}

// signal sends sig and waits for the process to end.
func (p *proc) signal(sig syscall.Signal) error {
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-p.exited:
		return nil
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not end within %v of %v", p.cmd.Path, startTimeout, sig)
	}
}

// Sandbox is a run of cmd/amazonpaytest with --listen and --proxy on free
// loopback ports.
type Sandbox struct {
	URL    string // the MWS endpoint and control API, http://127.0.0.1:port
	Proxy  string // the HTTPS proxy, http://127.0.0.1:port
	CAFile string // the proxy's CA certificate (PEM), which --ca-out wrote
	SPKI   string // the CA's SPKI hash (base64 SHA-256), as the program printed it
	Stderr *Buffer
	p      *proc
	hc     *http.Client
}

// StartSandbox runs the sandbox binary bin with args added; the test's end
// stops it with SIGTERM, after which it must exit 0.
func StartSandbox(tb testing.TB, bin string, args ...string) *Sandbox {
	tb.Helper()
	s := &Sandbox{CAFile: filepath.Join(tb.TempDir(), "ca.pem"), Stderr: &Buffer{}, hc: &http.Client{}}
	var err error
	s.p, err = start(bin, append([]string{"--listen", "127.0.0.1:0", "--proxy", "127.0.0.1:0", "--ca-out", s.CAFile}, args...), nil, s.Stderr,
		func(line string) bool {
			if a, ok := strings.CutPrefix(line, "amazonpaytest: listening on "); ok {
				s.URL = a
			}
			if a, ok := strings.CutPrefix(line, "amazonpaytest: proxy on "); ok {
				s.Proxy = a
			}
			if a, ok := strings.CutPrefix(line, "amazonpaytest: proxy CA SPKI "); ok {
				s.SPKI, _, _ = strings.Cut(a, " ")
			}
			return s.URL != "" && s.Proxy != "" && s.SPKI != ""
		})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.p.signal(syscall.SIGTERM); err != nil {
			tb.Error(err)
		} else if s.p.err != nil {
			tb.Errorf("amazonpaytest after SIGTERM: %v; its log:\n%s", s.p.err, s.Stderr)
		}
	})
	return s
}

// Control calls an endpoint of the control API with args (nil for none)
// and decodes its result into result (nil to drop it).
func (s *Sandbox) Control(ctx context.Context, endpoint string, args, result any) error {
	if args == nil {
		args = struct{}{}
	}
	body, err := json.Marshal(args)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/_sandbox/v1/"+endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Result json.RawMessage
		Error  string
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Errorf("control %s: %w", endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("control %s %s: %s: %s", endpoint, body, resp.Status, out.Error)
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(out.Result, result)
}

// Shop is the shop binary run by a test: started, killed and started
// again on the same flags (its database) and the same port.
type Shop struct {
	URL    string // http://127.0.0.1:port/
	Stderr *Buffer

	bin  string
	args []string
	env  []string

	mu   sync.Mutex
	p    *proc
	runs []string // each run's stdout, the current one last
}

// shopReady is the line the shop prints once it serves.
const shopReady = "Gopher Shop: open "

// StartShop runs the shop binary bin with args (its database, -sandbox-url
// …) on a free loopback port, which every restart keeps, and env added to
// the test's environment. The test's end stops it with SIGTERM.
func StartShop(tb testing.TB, bin string, env []string, args ...string) *Shop {
	tb.Helper()
	s := &Shop{Stderr: &Buffer{}, bin: bin, args: args, env: env}
	if err := s.start("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

func (s *Shop) start(listen string) error {
	var url string
	p, err := start(s.bin, append([]string{"-listen", listen}, s.args...), s.env, s.Stderr, func(line string) bool {
		if rest, ok := strings.CutPrefix(line, shopReady); ok {
			url, _, _ = strings.Cut(rest, " ")
			return true
		}
		return false
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p, s.URL = p, url
	return nil
}

// Kill sends the shop SIGKILL and waits until it is gone; what it had in
// flight is lost, as in a crash.
func (s *Shop) Kill() error {
	s.mu.Lock()
	p := s.p
	s.mu.Unlock()
	if p == nil {
		return errors.New("the shop is not running")
	}
	if err := p.signal(syscall.SIGKILL); err != nil {
		return err
	}
	s.mu.Lock()
	s.runs, s.p = append(s.runs, p.stdout.String()), nil
	s.mu.Unlock()
	return nil
}

// Restart starts the shop again on the same port and flags, once it is
// not running (after Kill or Stop), and returns when it serves: after its
// start-up Reconcile.
func (s *Shop) Restart() error {
	s.mu.Lock()
	running, addr := s.p != nil, strings.TrimSuffix(strings.TrimPrefix(s.URL, "http://"), "/")
	s.mu.Unlock()
	if running {
		return errors.New("the shop is still running")
	}
	return s.start(addr)
}

// Stop sends the shop SIGTERM, if it runs, and waits for it to end; it
// must exit 0.
func (s *Shop) Stop() error {
	s.mu.Lock()
	p := s.p
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	err := p.signal(syscall.SIGTERM)
	s.mu.Lock()
	s.runs, s.p = append(s.runs, p.stdout.String()), nil
	s.mu.Unlock()
	if err == nil && p.err != nil {
		err = fmt.Errorf("the shop after SIGTERM: %v; stderr:\n%s", p.err, s.Stderr)
	}
	return err
}

// Lines returns the lines of every run's stdout that start with prefix,
// in order (the current run's so far included).
func (s *Shop) Lines(prefix string) []string {
	s.mu.Lock()
	runs := append([]string(nil), s.runs...)
	if s.p != nil {
		runs = append(runs, s.p.stdout.String())
	}
	s.mu.Unlock()
	var out []string
	for _, run := range runs {
		for _, line := range strings.Split(run, "\n") {
			if strings.HasPrefix(line, prefix) {
				out = append(out, line)
			}
		}
	}
	return out
}
