package amazonpaytest

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// FaultKind is a failure the sandbox can inject into calls, to test how
// shop code behaves when MWS or the network misbehaves.
type FaultKind int

// Fault kinds. "Applied" means the operation took effect even though the
// caller did not get a proper reply: the case that needs idempotent retries.
const (
	// FaultInternalError answers 500 InternalServerError (not applied).
	FaultInternalError FaultKind = iota + 1
	// FaultServiceUnavailable answers 503 ServiceUnavailable (not applied).
	FaultServiceUnavailable
	// FaultBadGateway answers 502 with an HTML page, as a proxy does (not applied).
	FaultBadGateway
	// FaultConnectionReset drops the connection without a reply (not applied).
	FaultConnectionReset
	// FaultTruncatedBody answers 200 with the first half of the reply (applied).
	FaultTruncatedBody
	// FaultMalformedBody answers 200 with a body that is not well-formed XML (applied).
	FaultMalformedBody
	// FaultDelay answers normally after Fault.Delay of wall-clock time
	// (applied, even if the caller gives up waiting).
	FaultDelay
	// FaultAppliedThenDropped runs the operation, then drops the connection
	// without a reply (applied).
	FaultAppliedThenDropped
)

var faultNames = map[FaultKind]string{
	FaultInternalError:      "InternalError",
	FaultServiceUnavailable: "ServiceUnavailable",
	FaultBadGateway:         "BadGateway",
	FaultConnectionReset:    "ConnectionReset",
	FaultTruncatedBody:      "TruncatedBody",
	FaultMalformedBody:      "MalformedBody",
	FaultDelay:              "Delay",
	FaultAppliedThenDropped: "AppliedThenDropped",
}

// String names the fault kind.
func (k FaultKind) String() string {
	if s, ok := faultNames[k]; ok {
		return s
	}
	if k == 0 {
		return "None"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected failure.
type Fault struct {
	Kind  FaultKind
	Delay time.Duration // for FaultDelay
}

// AnyOperation makes InjectFault apply to calls of every operation.
const AnyOperation = "*"

// ConfirmationFlow names the Confirmation Flow page for InjectFault and in
// the request log. FaultInternalError there redirects the buyer to the
// FailureUrl with ErrorCode=InternalServerError; FaultAppliedThenDropped
// records the buyer's outcome but never redirects.
const ConfirmationFlow = "ConfirmationFlow"

type faultEntry struct {
	f Fault
	n int
}

// InjectFault makes the next n calls of action (an MWS Action,
// AnyOperation, or ConfirmationFlow) fail with f. Faults queue: a second
// InjectFault for the same action applies after the first is used up.
// Faults apply only to calls that pass authentication and throttling.
func (h *Handler) InjectFault(action string, n int, f Fault) {
	if n <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[action] = append(h.faults[action], &faultEntry{f: f, n: n})
}

// ClearFaults removes every fault not yet used.
func (h *Handler) ClearFaults() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.faults)
}

// takeFault uses up one fault for action, if any. The caller holds h.mu.
func (h *Handler) takeFault(action string) *Fault {
	for _, key := range []string{action, AnyOperation} {
		q := h.faults[key]
		if len(q) == 0 {
			continue
		}
		f := q[0].f
		if q[0].n--; q[0].n == 0 {
			h.faults[key] = q[1:]
		}
		return &f
	}
	return nil
}

// applyFault spoils the reply of an operation that took effect.
func applyFault(rep reply, f *Fault, action string) reply {
	switch f.Kind {
	case FaultTruncatedBody:
		rep.body = rep.body[:len(rep.body)/2]
	case FaultMalformedBody:
		rep.body = []byte(fmt.Sprintf(`<?xml version="1.0"?>`+"\n"+`<%sResponse xmlns="%s"><%sResult><Unclosed></%sResult>&bogus;</%sResponse`,
			action, Namespace, action, action, action))
	case FaultDelay:
		rep.delay = f.Delay
	case FaultAppliedThenDropped:
		rep.reset = true
	}
	return rep
}

const badGatewayPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>
`

// dropConnection closes the connection under w without a reply, with a
// TCP reset where possible.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not a clean close: at best
			}
			_ = conn.Close() // the fault is the closing
			return
		}
	}
	// Without a hijackable connection (HTTP/2, a recorder), aborting the
	// handler is how net/http drops a reply.
	panic(http.ErrAbortHandler)
}
