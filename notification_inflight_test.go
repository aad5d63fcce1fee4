package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signalLog is a slog.Handler that signals each record whose message
// contains match: a test waits on it instead of sleeping.
type signalLog struct {
	match string
	ch    chan struct{}
}

func (s *signalLog) Enabled(context.Context, slog.Level) bool { return true }
func (s *signalLog) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, s.match) {
		s.ch <- struct{}{}
	}
	return nil
}
func (s *signalLog) WithAttrs([]slog.Attr) slog.Handler { return s }
func (s *signalLog) WithGroup(string) slog.Handler      { return s }

// inflightRig is a handler with duplicate suppression whose function
// blocks until the test releases it, returning what the test says.
type inflightRig struct {
	h       *NotificationHandler
	entered chan struct{} // one value per call of the function, as it starts
	release chan error    // the outcome of the blocked call
	waiting chan struct{} // one value per duplicate that waits for the first
	mu      sync.Mutex
	calls   int
}

func newInflightRig(t *testing.T) (*inflightRig, *testEnv, []byte) {
	t.Helper()
	p := newTestPKI(t, certSpec{})
	rig := &inflightRig{entered: make(chan struct{}, 4), release: make(chan error), waiting: make(chan struct{}, 4)}
	logger := slog.New(&signalLog{match: "in flight", ch: rig.waiting})
	v := testVerifier(p, standardServer(p), WithNotificationLogger(logger))
	rig.h = NewNotificationHandler(v, func(ctx context.Context, n *Notification) error {
		rig.mu.Lock()
		rig.calls++
		rig.mu.Unlock()
		rig.entered <- struct{}{}
		return <-rig.release
	}, WithDuplicateSuppression(8))
	e := newTestEnv(t)
	return rig, e, e.sign(t, p.leafKey)
}

// deliver posts body in a goroutine and returns where its status arrives.
func (rig *inflightRig) deliver(ctx context.Context, e *testEnv, body []byte) <-chan int {
	out := make(chan int, 1)
	go func() {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/amazon/ipn", bytes.NewReader(body))
		for k, vs := range e.header {
			r.Header[k] = vs
		}
		w := httptest.NewRecorder()
		rig.h.ServeHTTP(w, r)
		out <- w.Code
	}()
	return out
}

// testBound bounds a wait that the code under test should end at once;
// it is no synchronisation: reaching it is the failure.
const testBound = 10 * time.Second

func (rig *inflightRig) expect(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-rig.entered:
		t.Fatalf("the shop's function ran again while the first delivery was in flight (wanted: %s)", what)
	case <-time.After(testBound):
		t.Fatalf("no %s", what)
	}
}

func status(t *testing.T, ch <-chan int) int {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(testBound):
		t.Fatal("no answer")
		return 0
	}
}

// An SNS redelivery arriving while the first delivery is still in the
// shop's function (SNS redelivers after 15 s) waits for it and gets its
// answer: the function runs once.
func TestNotificationHandlerRedeliveryInFlight(t *testing.T) {
	rig, e, body := newInflightRig(t)
	first := rig.deliver(context.Background(), e, body)
	<-rig.entered
	second := rig.deliver(context.Background(), e, body)
	rig.expect(t, rig.waiting, "duplicate waiting for the first delivery")
	rig.release <- nil
	assert.Equal(t, http.StatusOK, status(t, first))
	assert.Equal(t, http.StatusOK, status(t, second))

	third := rig.deliver(context.Background(), e, body)
	assert.Equal(t, http.StatusOK, status(t, third), "a later redelivery is skipped")
	assert.Equal(t, 1, rig.calls)
}

// When the first delivery fails, the duplicate that waited for it fails
// too (SNS delivers again), and the id is not remembered: the next
// delivery calls the function again.
func TestNotificationHandlerRedeliveryInFlightFails(t *testing.T) {
	rig, e, body := newInflightRig(t)
	first := rig.deliver(context.Background(), e, body)
	<-rig.entered
	second := rig.deliver(context.Background(), e, body)
	rig.expect(t, rig.waiting, "duplicate waiting for the first delivery")
	rig.release <- errors.New("database down")
	assert.Equal(t, http.StatusInternalServerError, status(t, first))
	assert.Equal(t, http.StatusInternalServerError, status(t, second), "the duplicate gets the first's failure")

	third := rig.deliver(context.Background(), e, body)
	<-rig.entered
	rig.release <- nil
	assert.Equal(t, http.StatusOK, status(t, third))
	assert.Equal(t, 2, rig.calls, "the failed delivery was not remembered as seen")
}

// A duplicate's wait ends with its own request: SNS's timeout, a client
// gone. It answers 503 and never calls the function.
func TestNotificationHandlerRedeliveryInFlightContextEnds(t *testing.T) {
	rig, e, body := newInflightRig(t)
	first := rig.deliver(context.Background(), e, body)
	<-rig.entered
	ctx, cancel := context.WithCancel(context.Background())
	second := rig.deliver(ctx, e, body)
	rig.expect(t, rig.waiting, "duplicate waiting for the first delivery")
	cancel()
	assert.Equal(t, http.StatusServiceUnavailable, status(t, second))
	rig.release <- nil
	assert.Equal(t, http.StatusOK, status(t, first))
	assert.Equal(t, 1, rig.calls)
}

// A shop function that panics (net/http recovers it) does not leave the
// id in flight: the next delivery calls the function again.
func TestNotificationHandlerPanicLeavesNothingInFlight(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	calls := 0
	h := NewNotificationHandler(testVerifier(p, standardServer(p)), func(ctx context.Context, n *Notification) error {
		calls++
		if calls == 1 {
			panic("shop bug")
		}
		return nil
	}, WithDuplicateSuppression(8))
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	post := func() int {
		r := httptest.NewRequest(http.MethodPost, "/amazon/ipn", bytes.NewReader(body))
		for k, vs := range e.header {
			r.Header[k] = vs
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	require.PanicsWithValue(t, "shop bug", func() { post() }, "the shop's panic is not swallowed")
	done := make(chan int, 1)
	go func() { done <- post() }()
	select {
	case code := <-done:
		assert.Equal(t, http.StatusOK, code)
	case <-time.After(testBound):
		t.Fatal("the redelivery waits for a delivery that panicked")
	}
	assert.Equal(t, 2, calls)
}
