package amazonpaytest

import (
	"fmt"
	"strings"
	"time"
)

// WithWallClockTimestampWindow makes the sandbox judge the 15-minute
// Timestamp window of MWS requests against the wall clock instead of the
// sandbox clock. A client that stamps real time (every client but the
// one AmazonPay returns, which follows Now) then keeps working after
// Advance has moved the sandbox clock ahead; everything else, the objects'
// times included, stays on the sandbox clock.
func WithWallClockTimestampWindow() Option { return func(c *config) { c.wallTimestamps = true } }

// checkTimestamp checks a request's Timestamp: an ISO 8601 time within
// timestampWindow of the sandbox clock, or of the wall clock with
// WithWallClockTimestampWindow. The caller holds h.mu.
func (h *Handler) checkTimestamp(raw string) *apiError {
	// RFC 3339 §5.6 allows a lower-case z (and t); clients send it
	// (the npm package amazon-payments stamps "2006-01-02T15:04:05z").
	ts, err := parseTimestamp(strings.ToUpper(raw))
	if err != nil {
		return invalidErr("Timestamp", "is not an ISO 8601 date and time")
	}
	ref := h.now
	if h.cfg.wallTimestamps {
		ref = time.Now().UTC().Truncate(time.Millisecond)
	}
	if d := ts.Sub(ref); d > timestampWindow || d < -timestampWindow {
		return &apiError{400, "Sender", "InvalidParameterValue", fmt.Sprintf(
			"Timestamp %s must be within 15 minutes of the server time %s.", raw, formatTime(ref))}
	}
	return nil
}
