package amazonpaytest

import "net/url"

// The request log and the deliveries are kept in rings of WithKeep
// entries, so that a sandbox shared by a long test suite, or the
// standalone server running for weeks, stays within a fixed amount of
// memory; the oldest entries are dropped first.

// DefaultKeep is how many requests and how many notification deliveries a
// sandbox keeps by default: generous for a test, bounded for a long run.
const DefaultKeep = 10000

// WithKeep sets how many entries the request log (Requests) and the
// notification deliveries (Notifications) keep each (default DefaultKeep),
// and how many notifications may wait to be sent: a request that finds
// the queue full answers once there is room again (back-pressure).
// Older ones are dropped, oldest first; nothing else is: objects, their
// states and idempotency records stay, so every id still answers. n ≤ 0
// means DefaultKeep.
func WithKeep(n int) Option { return func(c *config) { c.keep = n } }

// ring keeps the last max values appended.
type ring[T any] struct {
	max   int
	items []T
	next  int // where the next value goes once the ring is full
}

func (r *ring[T]) add(v T) {
	if len(r.items) < r.max {
		r.items = append(r.items, v)
		return
	}
	r.items[r.next] = v
	r.next = (r.next + 1) % r.max
}

// each calls fn on every value, oldest first.
func (r *ring[T]) each(fn func(T)) {
	for _, v := range r.items[r.next:] {
		fn(v)
	}
	for _, v := range r.items[:r.next] {
		fn(v)
	}
}

func (r *ring[T]) len() int { return len(r.items) }

// loggedRequest is a Request as the log keeps it: the parameters encoded
// once, a few hundred bytes instead of a map of slices.
type loggedRequest struct {
	Request
	params string
}

// logRequest adds rec to the request log. The caller holds h.mu.
func (h *Handler) logRequest(rec Request) {
	params := rec.Params.Encode()
	rec.Params = nil
	h.log.add(loggedRequest{Request: rec, params: params})
}

// request returns the Request of l with its parameters decoded.
func (l loggedRequest) request() Request {
	r := l.Request
	r.Params, _ = url.ParseQuery(l.params) // it was encoded by url.Values.Encode
	if r.Params == nil {
		r.Params = url.Values{}
	}
	return r
}
