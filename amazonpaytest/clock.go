package amazonpaytest

import "time"

// The sandbox has its own clock, which stands still until Advance moves it.
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

// runDue runs the events that are already due. The caller holds h.mu.
func (h *Handler) runDue() { h.runUntil(h.now) }

// Now returns the sandbox time. Pass it to amazonpay.WithClock so that
// request Timestamps match the sandbox.
func (h *Handler) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
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
	h.runUntil(h.now.Add(d))
}

// PendingEvents returns how many timed transitions are scheduled,
// including ones that will find nothing left to do when they fall due.
func (h *Handler) PendingEvents() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}
