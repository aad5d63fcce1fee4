package amazonpaytest

import (
	"net/url"
	"strings"
	"time"
)

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

// loggedRequest is a Request as the log keeps it, in about a third of
// the memory: the RequestId as its 16 bytes, the parameters encoded once
// with the pairs that recur (the access key, the action, the seller, the
// signature method, the currency...) as 3-byte references to the
// Handler's pairTable.
type loggedRequest struct {
	time              int64 // UnixNano of the sandbox time
	action, errorCode string
	fault             FaultKind
	params            string
	requestID         [16]byte
	status            int16
	signatureValid    bool
	applied           bool
}

// logRequest adds rec to the request log. The caller holds h.mu.
func (h *Handler) logRequest(rec Request) {
	id, ok := parseRequestID(rec.RequestID)
	if !ok {
		panic("amazonpaytest: a request id not made by newRequestID: " + rec.RequestID)
	}
	h.log.add(loggedRequest{
		time: rec.Time.UnixNano(), action: h.strs.str(rec.Action), errorCode: rec.ErrorCode, fault: rec.Fault,
		params: h.pairs.encode(rec.Params.Encode()), requestID: id, status: int16(rec.Status),
		signatureValid: rec.SignatureValid, applied: rec.Applied,
	})
}

// request returns the Request of l with its parameters decoded.
func (h *Handler) request(l loggedRequest) Request {
	r := Request{
		Time: time.Unix(0, l.time).UTC(), Action: l.action, SignatureValid: l.signatureValid, Status: int(l.status), ErrorCode: l.errorCode,
		RequestID: formatRequestID(l.requestID), Fault: l.fault, Applied: l.applied,
	}
	r.Params, _ = url.ParseQuery(h.pairs.decode(l.params)) // it was encoded by url.Values.Encode
	if r.Params == nil {
		r.Params = url.Values{}
	}
	return r
}

// pairTable numbers the key=value pairs of logged requests that recur, so
// that the log keeps each once. Pairs of keys whose values do not recur
// (the signature, the timestamp, ids) are kept as they are, and the table
// stops growing at maxInterned pairs. The caller holds Handler.mu.
type pairTable struct {
	ids   map[string]uint16
	pairs []string
}

// A logged request's params are a sequence of pairs, each either
// pairRef and two bytes (its number, big-endian) or its text followed by
// pairEnd. url.Values.Encode escapes both bytes, so neither is ever text.
const (
	pairEnd = 0x00
	pairRef = 0x01
)

// encode codes q, a query as url.Values.Encode writes it.
func (t *pairTable) encode(q string) string {
	var b strings.Builder
	b.Grow(len(q) / 2)
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if id, ok := t.id(pair); ok {
			b.WriteByte(pairRef)
			b.WriteByte(byte(id >> 8))
			b.WriteByte(byte(id))
			continue
		}
		b.WriteString(pair)
		b.WriteByte(pairEnd)
	}
	return b.String()
}

// id returns the number of pair, numbering it if it is of a recurring kind
// and there is room.
func (t *pairTable) id(pair string) (uint16, bool) {
	if id, ok := t.ids[pair]; ok {
		return id, true
	}
	key, _, _ := strings.Cut(pair, "=")
	if len(t.pairs) >= maxInterned || !recurring(key) {
		return 0, false
	}
	if t.ids == nil {
		t.ids = map[string]uint16{}
	}
	id := uint16(len(t.pairs))
	t.pairs = append(t.pairs, pair)
	t.ids[pair] = id
	return id, true
}

// recurring reports whether values of the (escaped) parameter key recur
// from one request to the next: not the signature, the timestamp, ids,
// reference ids, notes and tokens, which are new in every request.
func recurring(key string) bool {
	switch key {
	case "AWSAccessKeyId", "SellerId":
		return true
	case "Signature", "Timestamp", "MWSAuthToken", "NextPageToken":
		return false
	}
	return !strings.HasSuffix(key, "Id") && !strings.Contains(key, "Note")
}

// decode returns the query encode was given.
func (t *pairTable) decode(c string) string {
	var b strings.Builder
	b.Grow(2 * len(c))
	for i := 0; i < len(c); {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		if c[i] == pairRef {
			b.WriteString(t.pairs[int(c[i+1])<<8|int(c[i+2])])
			i += 3
			continue
		}
		j := strings.IndexByte(c[i:], pairEnd)
		b.WriteString(c[i : i+j])
		i += j + 1
	}
	return b.String()
}
