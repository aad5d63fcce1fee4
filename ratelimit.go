package amazonpay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MWS gives each seller a token bucket per operation: Burst requests at
// once, one more every Every; a request that finds the bucket empty is
// answered 503 RequestThrottled. The client waits for its RateLimiter
// before every attempt, so that it sends no faster than the quota allows
// instead of being throttled and backing off.

// RateLimiter paces requests. The client calls Wait before every attempt,
// retries included; an error from Wait ends the call before any I/O.
type RateLimiter interface {
	// Wait blocks until one request of action (the MWS Action) for
	// sellerID may be sent, or ctx ends.
	Wait(ctx context.Context, sellerID, action string) error
}

// ThrottleObserver is implemented by a RateLimiter that wants to know when
// MWS answered RequestThrottled although the limiter let the request go:
// another process shares the seller's quota. The client calls Throttled
// after each such reply.
type ThrottleObserver interface {
	Throttled(sellerID, action string)
}

// WithRateLimiter makes the client wait for l before every attempt. nil
// turns client-side pacing off. Without this option a client paces with a
// LocalLimiter holding the documented quotas of its environment
// (Config.Sandbox).
func WithRateLimiter(l RateLimiter) Option {
	return func(c *Client) error {
		c.limiter = l
		return nil
	}
}

// Quota is a request quota as MWS documents them: Burst requests at once,
// and one more every Every. The zero Quota means no limit.
type Quota struct {
	Burst int
	Every time.Duration
}

// Limited reports whether q limits anything.
func (q Quota) Limited() bool { return q.Burst > 0 && q.Every > 0 }

// ClientBurst is the burst a client-side limiter allows: one less than
// MWS's, but at least one. The token left in MWS's bucket absorbs the
// difference between when a request leaves the client and when it reaches
// MWS; without it, a request that travels faster than the one before can
// find the bucket a fraction of a token short. It costs one restore
// interval per run. A quota that restores a token only every minute or more
// (GetServiceStatus: 2, then one per 5 minutes) keeps no reserve: network
// jitter is nothing beside such an interval, and a reserve would make the
// second call, or a retry, wait the whole interval.
func (q Quota) ClientBurst() int {
	if q.Every >= time.Minute {
		return max(1, q.Burst)
	}
	return max(1, q.Burst-1)
}

// DefaultQuota returns the documented quota of action (the MWS Action) in
// production or in the sandbox. An action the table does not name gets the
// quota of the operations that change state: 10 and 1 per second live, 2
// and 1 per 2 seconds in the sandbox.
func DefaultQuota(action string, sandbox bool) Quota {
	switch {
	case action == "GetServiceStatus":
		return Quota{Burst: 2, Every: 5 * time.Minute}
	case action == "GetAuthorizationDetails", action == "GetCaptureDetails", action == "GetOrderReferenceDetails",
		action == "GetRefundDetails", action == "GetBillingAgreementDetails", action == "GetMerchantAccountStatus":
		// These reads have a larger quota.
		if sandbox {
			return Quota{Burst: 5, Every: time.Second}
		}
		return Quota{Burst: 20, Every: 500 * time.Millisecond}
	case sandbox:
		return Quota{Burst: 2, Every: 2 * time.Second}
	default:
		return Quota{Burst: 10, Every: time.Second}
	}
}

// Quotas chooses the quota of each operation: the documented one for the
// environment, unless Override names the action. An override with the zero
// Quota turns pacing off for that action.
type Quotas struct {
	Sandbox  bool             // the sandbox quotas instead of the production ones
	Override map[string]Quota // by MWS Action
}

// For returns the quota of action.
func (q Quotas) For(action string) Quota {
	if o, ok := q.Override[action]; ok {
		return o
	}
	return DefaultQuota(action, q.Sandbox)
}

// LocalLimiter is the default RateLimiter: a token bucket
// (golang.org/x/time/rate) per seller and operation, in this process. It
// paces one process; processes that share a seller's quota need a shared
// limiter (see the redisquota module). It is safe for concurrent use.
type LocalLimiter struct {
	quotas  Quotas
	mu      sync.Mutex
	buckets map[limiterKey]*rate.Limiter
}

type limiterKey struct{ seller, action string }

// NewLocalLimiter returns a limiter with the quotas q. Each bucket starts
// full, with Quota.ClientBurst tokens.
func NewLocalLimiter(q Quotas) *LocalLimiter {
	return &LocalLimiter{quotas: q, buckets: map[limiterKey]*rate.Limiter{}}
}

// bucket returns the bucket of seller and action, nil if the action is not
// limited.
func (l *LocalLimiter) bucket(seller, action string) *rate.Limiter {
	k := limiterKey{seller, action}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[k]
	if !ok {
		if q := l.quotas.For(action); q.Limited() {
			b = rate.NewLimiter(rate.Every(q.Every), q.ClientBurst())
		}
		l.buckets[k] = b
	}
	return b
}

// Wait takes a token from the bucket of sellerID and action, waiting for
// one if none is left. It fails at once, without taking a token, when ctx
// has already ended (ctx.Err()) or when the wait would outlast ctx's
// deadline; the error then wraps context.DeadlineExceeded.
func (l *LocalLimiter) Wait(ctx context.Context, sellerID, action string) error {
	// A call that cannot be sent must not spend a token of the quota.
	if err := ctx.Err(); err != nil {
		return err
	}
	b := l.bucket(sellerID, action)
	if b == nil {
		return nil
	}
	if b.Allow() { // the common case, without allocating a Reservation
		return nil
	}
	r := b.Reserve()
	d := r.Delay()
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.Cancel()
		return fmt.Errorf("%w: the %s quota allows the next request in %v", context.DeadlineExceeded, action, d.Round(time.Millisecond))
	}
	if err := sleepCtx(ctx, d); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// Throttled empties the bucket of sellerID and action: MWS's bucket is
// empty, so the next token is due one restore interval from now.
func (l *LocalLimiter) Throttled(sellerID, action string) {
	b := l.bucket(sellerID, action)
	if b == nil {
		return
	}
	now := time.Now()
	if n := math.Floor(b.TokensAt(now)); n > 0 {
		b.AllowN(now, int(n))
	}
}

// paceLogThreshold is the shortest limiter wait worth a debug log line.
const paceLogThreshold = time.Millisecond

// pace waits for the client's limiter before an attempt.
func (c *Client) pace(ctx context.Context, seller, action string) error {
	if c.limiter == nil {
		return nil
	}
	start := time.Now()
	err := c.limiter.Wait(ctx, seller, action)
	if d := time.Since(start); c.logger != nil && (d >= paceLogThreshold || err != nil) {
		attrs := []slog.Attr{slog.String("operation", action), slog.Duration("wait", d)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "amazonpay: rate limiter wait", attrs...)
	}
	return err
}

// observeThrottle tells the limiter that MWS throttled an attempt.
func (c *Client) observeThrottle(seller, action string, err error) {
	o, ok := c.limiter.(ThrottleObserver)
	if !ok || err == nil {
		return
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == ErrorRequestThrottled {
		o.Throttled(seller, action)
	}
}

// paramValue returns the value of key in params.
func paramValue(params []param, key string) string {
	for _, p := range params {
		if p.key == key {
			return p.value
		}
	}
	return ""
}
