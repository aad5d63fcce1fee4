package amazonpaytest

import (
	"container/heap"
	"context"
	"time"
)

// The sandbox has its own clock. By default it follows the wall clock, as
// Amazon's does, so a sandbox left running (a demo shop, another
// language's client stamping real time) keeps accepting requests; Advance
// adds an offset to it. WithFrozenClock makes it stand still unless
// Advance moves it, for tests that assert exact times; Freeze and
// Unfreeze do so while it runs.
//
// Everything that happens "later" in MWS is an event on that clock: Draft
// objects going stale, the ExpectImmediateAuthorization window, expiring
// authorizations, asynchronous processing and delayed simulation outcomes.
// Events run in time order, each with the clock set to its own time, so the
// LastUpdateTimestamp of a state change is when it was due.

type event struct {
	at  time.Time
	seq uint64 // keeps events due at the same time in scheduling order
	run func()
}

// eventQueue is a min-heap of events by (at, seq), so that a request (and
// Now, which every client call reads for its Timestamp) looks only at the
// earliest event, not at every one scheduled. It holds events by value:
// a long run keeps many (a Draft's staleness, an order reference's
// expiry, an authorization's), and a pointer each would cost another
// allocation.
type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	return q[i].at.Before(q[j].at) || q[i].at.Equal(q[j].at) && q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = event{}
	*q = old[:len(old)-1]
	return e
}

// WithFrozenClock makes the sandbox clock stand still at its start time
// (WithStartTime, or the wall clock when the sandbox is made) until Advance
// moves it. Without it the clock follows the wall clock.
func WithFrozenClock() Option { return func(c *config) { c.frozen = true } }

// clockNow is the time the clock shows now: the start time plus the
// offsets of Advance plus, unless frozen, the wall time elapsed since the
// sandbox was made (monotonic), in whole milliseconds as MWS writes times.
// The caller holds h.mu.
func (h *Handler) clockNow() time.Time {
	t := h.cfg.start.Add(h.offset)
	if !h.cfg.frozen {
		t = t.Add(time.Since(h.made))
	}
	return t.Truncate(time.Millisecond)
}

// schedule runs fn when the clock reaches at. The caller holds h.mu.
func (h *Handler) schedule(at time.Time, fn func()) {
	h.seq++
	heap.Push(&h.events, event{at: at, seq: h.seq, run: fn})
}

// runUntil runs every event due at or before t in order, then sets the
// clock to t if it is later. The caller holds h.mu.
func (h *Handler) runUntil(t time.Time) {
	for len(h.events) > 0 && !h.events[0].at.After(t) {
		e := heap.Pop(&h.events).(event)
		if e.at.After(h.now) {
			h.now = e.at
		}
		e.run()
	}
	if t.After(h.now) {
		h.now = t
	}
}

// runDue brings the clock to now and runs the events that are due. The
// caller holds h.mu.
func (h *Handler) runDue() { h.runUntil(h.clockNow()) }

// Now returns the sandbox time. AmazonPay passes it to amazonpay.WithClock
// so that request Timestamps match the sandbox even after Advance.
func (h *Handler) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	return h.now
}

// Freeze stops the sandbox clock where it is, as WithFrozenClock does from
// the start: from now on only Advance moves it, until Unfreeze.
func (h *Handler) Freeze() {
	h.advancing.Lock() // Advance moves the offset in steps
	defer h.advancing.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.frozen {
		return
	}
	h.runDue()
	h.offset += time.Since(h.made) // the wall time so far becomes offset
	h.cfg.frozen = true
}

// Unfreeze lets a frozen sandbox clock follow the wall clock again, from
// the time it shows.
func (h *Handler) Unfreeze() {
	h.advancing.Lock()
	defer h.advancing.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.cfg.frozen {
		return
	}
	h.offset -= time.Since(h.made)
	h.cfg.frozen = false
}

// Advance moves the sandbox clock forward by d, through every timed
// transition that falls due on the way, in order: the clock stops at each
// event's time, runs it, and waits until the notifications it caused (and
// any sent before Advance) are delivered, so that a shop's verifier on the
// sandbox clock sees each one at the time it was sent, never stale. A
// negative d is ignored. Advance must not be called from a notification
// endpoint of the same sandbox: it would wait for its own delivery.
func (h *Handler) Advance(d time.Duration) {
	if d < 0 {
		return
	}
	h.advancing.Lock() // one Advance at a time: each moves the offset in steps
	defer h.advancing.Unlock()
	h.settleNotifications()
	h.mu.Lock()
	startOffset, startNow := h.offset, h.clockNow()
	target := startNow.Add(d)
	for len(h.events) > 0 && !h.events[0].at.After(target) {
		if step := startOffset + h.events[0].at.Sub(startNow); step > h.offset {
			h.offset = step
		}
		// At least the first event runs, even one due between two milliseconds.
		h.runUntil(laterOf(h.clockNow(), h.events[0].at))
		h.mu.Unlock()
		h.settleNotifications()
		h.mu.Lock()
	}
	h.offset = startOffset + d
	h.runDue()
	h.mu.Unlock()
	h.settleNotifications()
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// settleNotifications waits until the notifications queued so far are
// sent (retries wait for their own events). The caller does not hold h.mu:
// the shop's endpoint may call the sandbox while it is notified.
func (h *Handler) settleNotifications() {
	_ = h.WaitNotifications(context.Background())
}

// PendingEvents returns how many timed transitions are scheduled,
// including ones that will find nothing left to do when they fall due.
func (h *Handler) PendingEvents() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}
