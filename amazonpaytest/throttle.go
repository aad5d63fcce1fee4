package amazonpaytest

import (
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// ThrottleMode selects the request quotas the sandbox enforces.
type ThrottleMode int

// Throttle modes.
const (
	// ThrottleOff enforces no quotas (the default).
	ThrottleOff ThrottleMode = iota
	// ThrottleSandbox enforces the quotas of the MWS sandbox (spec §8.6).
	ThrottleSandbox
	// ThrottleLive enforces the quotas of MWS production (spec §8.6).
	ThrottleLive
)

// Quota is amazonpay.Quota: Burst requests at once, one more every Every.
// The sandbox and the client's limiter read quotas from one table,
// amazonpay.DefaultQuota.
type Quota = amazonpay.Quota

// WithThrottling makes the sandbox answer 503 RequestThrottled when an
// operation's quota is used up. Buckets refill on the sandbox clock, so a
// test moves on with Advance.
func WithThrottling(mode ThrottleMode) Option { return func(c *config) { c.throttle = mode } }

// WithQuota overrides the quota of one operation, and turns throttling on
// for it even under ThrottleOff.
func WithQuota(action string, q Quota) Option {
	return func(c *config) {
		if c.quotas == nil {
			c.quotas = map[string]Quota{}
		}
		c.quotas[action] = q
	}
}

// WithThrottleClock makes the buckets refill on now instead of the sandbox
// clock, e.g. time.Now, to measure a client's pacing against quotas that
// restore in real time (scale them down with WithQuota to keep runs short).
// Everything else stays on the sandbox clock.
func WithThrottleClock(now func() time.Time) Option {
	return func(c *config) { c.throttleClock = now }
}

// QuotaOf returns the documented quota of action under mode (spec §8.6),
// and false for ThrottleOff or an unknown action.
func QuotaOf(mode ThrottleMode, action string) (Quota, bool) {
	if mode == ThrottleOff {
		return Quota{}, false
	}
	if _, ok := ops[action]; !ok && action != "GetServiceStatus" {
		return Quota{}, false
	}
	return amazonpay.DefaultQuota(action, mode == ThrottleSandbox), true
}

type bucket struct {
	q      Quota
	tokens float64
	at     time.Time
}

// throttle takes a token from seller's bucket for action, or returns
// RequestThrottled. The caller holds h.mu.
func (h *Handler) throttle(seller, action string) *apiError {
	q, ok := h.cfg.quotas[action]
	if !ok {
		q, ok = QuotaOf(h.cfg.throttle, action)
	}
	if !ok || q.Burst <= 0 {
		return nil
	}
	now := h.now
	if h.cfg.throttleClock != nil {
		now = h.cfg.throttleClock()
	}
	key := seller + "/" + action
	b := h.buckets[key]
	if b == nil {
		b = &bucket{q: q, tokens: float64(q.Burst), at: now}
		h.buckets[key] = b
	}
	if q.Every > 0 {
		b.tokens += float64(now.Sub(b.at)) / float64(q.Every)
	}
	b.at = now
	if b.tokens > float64(q.Burst) {
		b.tokens = float64(q.Burst)
	}
	if b.tokens < 1 {
		// MWS leaves Type empty on throttled calls.
		return &apiError{503, "", "RequestThrottled", "Request is throttled"}
	}
	b.tokens--
	return nil
}
