package checkouttest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// errKilled is what every store op and Amazon call of a killed process
// returns.
var errKilled = errors.New("checkouttest: process killed")

// Crash modes: the event at the crash point fails without taking effect
// (before), or takes effect and its answer is lost (after: the store
// write is committed, the request reaches the sandbox and its reply is
// discarded).
const (
	crashBefore = "before"
	crashAfter  = "after"
)

// killSwitch counts a process's events (store writes and Amazon calls) and
// kills the process at event at: from then on every store op and every
// call fails, so nothing more happens.
type killSwitch struct {
	mu     sync.Mutex
	at     int    // the event to crash at; 0: never
	mode   string // crashBefore or crashAfter
	n      int
	dead   bool
	events []string // every event seen, in order
	killed string   // the event the process died at
}

// event records one event named name and says whether to run it (run)
// and whether the process dies after it (dieAfter). A dead process runs
// nothing.
func (k *killSwitch) event(name string) (run, dieAfter bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.dead {
		return false, false
	}
	k.n++
	k.events = append(k.events, name)
	if k.n != k.at {
		return true, false
	}
	k.dead = true
	k.killed = fmt.Sprintf("%s %s", k.mode, name)
	return k.mode == crashAfter, k.mode == crashAfter
}

// alive reports whether the process still runs (for reads, which are no
// crash points).
func (k *killSwitch) alive() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return !k.dead
}

func (k *killSwitch) isDead() bool { return !k.alive() }

// write runs a store write as an event.
func (k *killSwitch) write(name string, fn func() error) error {
	run, die := k.event(name)
	if !run {
		return errKilled
	}
	err := fn()
	if die {
		return errKilled
	}
	return err
}

// killableStore is a Store of a process that a killSwitch can kill.
type killableStore struct {
	s checkout.Store
	k *killSwitch
}

func (s killableStore) Create(ctx context.Context, p *checkout.Payment) error {
	return s.k.write("store Create", func() error { return s.s.Create(ctx, p) })
}

func (s killableStore) Update(ctx context.Context, p *checkout.Payment) error {
	return s.k.write("store Update("+string(p.State)+")", func() error { return s.s.Update(ctx, p) })
}

func (s killableStore) RecordNotification(ctx context.Context, n *checkout.StoredNotification, p *checkout.Payment) error {
	return s.k.write("store RecordNotification", func() error { return s.s.RecordNotification(ctx, n, p) })
}

func (s killableStore) Get(ctx context.Context, id string) (*checkout.Payment, error) {
	if !s.k.alive() {
		return nil, errKilled
	}
	return s.s.Get(ctx, id)
}

func (s killableStore) GetByAmazonID(ctx context.Context, id string) (*checkout.Payment, error) {
	if !s.k.alive() {
		return nil, errKilled
	}
	return s.s.GetByAmazonID(ctx, id)
}

func (s killableStore) List(ctx context.Context, states []checkout.State, limit int) ([]*checkout.Payment, error) {
	if !s.k.alive() {
		return nil, errKilled
	}
	return s.s.List(ctx, states, limit)
}

func (s killableStore) PendingNotifications(ctx context.Context, id string) ([]*checkout.StoredNotification, error) {
	if !s.k.alive() {
		return nil, errKilled
	}
	return s.s.PendingNotifications(ctx, id)
}

// killableTransport is the http.RoundTripper of a process that a
// killSwitch can kill: every request is an event named by its MWS Action.
type killableTransport struct {
	base http.RoundTripper
	k    *killSwitch
}

func (t killableTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	action := "?"
	if r.Body != nil && r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			raw, _ := io.ReadAll(b)
			action = actionOf(string(raw))
		}
	}
	run, die := t.k.event("call " + action)
	if !run {
		if r.Body != nil {
			_ = r.Body.Close() // a RoundTripper closes the body it does not send
		}
		return nil, errKilled
	}
	resp, err := t.base.RoundTrip(r)
	if die && err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close() // the reply is lost with the process
	}
	if die {
		return nil, errKilled
	}
	return resp, err
}

// actionOf is the Action parameter of a form-encoded MWS request body.
func actionOf(form string) string {
	for field := range strings.SplitSeq(form, "&") {
		if v, ok := strings.CutPrefix(field, "Action="); ok {
			return v
		}
	}
	return "?"
}
