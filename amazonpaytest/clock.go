package amazonpaytest

import "time"

// The sandbox has its own clock. By default it follows the wall clock, as
// Amazon's does, so a sandbox left running (a demo shop, another
// language's client stamping real time) keeps accepting requests; Advance
// adds an offset to it. WithFrozenClock makes it stand still unless
// Advance moves it, for tests that assert exact times.
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
	h.events = append(h.events, &event{at: at, seq: h.seq, run: fn})
}

// runUntil runs every event due at or before t in order, then sets the
// clock to t if it is later. The caller holds h.mu.
func (h *Handler) runUntil(t time.Time) {
	for {
		i := -1
		for j, e := range h.events {
			if e.at.After(t) {
				continue
			}
			if i < 0 || e.at.Before(h.events[i].at) || e.at.Equal(h.events[i].at) && e.seq < h.events[i].seq {
				i = j
			}
		}
		if i < 0 {
			break
		}
		e := h.events[i]
		h.events = append(h.events[:i], h.events[i+1:]...)
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

// Advance moves the sandbox clock forward by d, running every timed
// transition that falls due on the way. A negative d is ignored.
func (h *Handler) Advance(d time.Duration) {
	if d < 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.offset += d
	h.runDue()
}

// PendingEvents returns how many timed transitions are scheduled,
// including ones that will find nothing left to do when they fall due.
func (h *Handler) PendingEvents() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}
