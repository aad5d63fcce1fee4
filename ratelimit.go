package amazonpay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// MWS gives each seller a token bucket per operation: Burst requests at
// once, one more every Every; a request that finds the bucket empty is
// answered 503 RequestThrottled. The client waits for its RateLimiter
// before every attempt.
//
// The default limiter is adaptive, as AWS SDK v2's adaptive retry mode
// engages its client-side rate limiter only after the service throttles:
// a (seller, operation) bucket sends unpaced until MWS answers
// RequestThrottled for it; from then on it paces at the documented quota,
// until the bucket has stayed full for one whole restore interval (the
// burst is no longer being used up), and then sends unpaced again. So a
// test with a mocked transport never waits, a shop's occasional calls
// never wait, and a burst costs at most one RequestThrottled per bucket,
// which the client retries. The batch conveniences (ChargeBillingAgreements,
// UpdateBillingAgreements, ListOrderReferenceAll) know they are a batch and
// pace from their first call. NewLocalLimiter paces always;
// WithRateLimiter(nil) never.

// RateLimiter paces requests. The client calls Wait before every attempt,
// retries included; an error from Wait ends the call before any I/O.
type RateLimiter interface {
	// Wait blocks until one request of action (the MWS Action) for
	// sellerID may be sent, or ctx ends.
	Wait(ctx context.Context, sellerID, action string) error
}

// ThrottleObserver is implemented by a RateLimiter that wants to know when
// MWS answered RequestThrottled although the limiter let the request go:
// the bucket was used up by a burst or by another process sharing the
// seller's quota. The client calls Throttled after each such reply.
type ThrottleObserver interface {
	Throttled(sellerID, action string)
}

// WithRateLimiter makes the client wait for l before every attempt. nil
// turns client-side pacing off. Without this option a client paces with
// NewAdaptiveLimiter and the documented quotas of its environment
// (Config.Sandbox): only buckets MWS has throttled, and batches.
func WithRateLimiter(l RateLimiter) Option {
	return func(c *Client) error {
		c.limiter = l
		return nil
	}
}

// batchKey marks a context whose calls are a batch: an adaptive limiter
// paces them from the first call instead of after a throttle.
type batchKey struct{}

// asBatch returns ctx marked as the context of a batch of calls.
func asBatch(ctx context.Context) context.Context { return context.WithValue(ctx, batchKey{}, true) }

// isBatch reports whether ctx is the context of a batch of calls.
func isBatch(ctx context.Context) bool { b, _ := ctx.Value(batchKey{}).(bool); return b }

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

// LocalLimiter is a RateLimiter in this process: a token bucket
// (golang.org/x/time/rate) per seller and operation, paced always
// (NewLocalLimiter) or adaptively (NewAdaptiveLimiter, the default). It
// paces one process; processes that share a seller's quota need a shared
// limiter (see the redisquota module). It is safe for concurrent use.
type LocalLimiter struct {
	quotas   Quotas
	adaptive bool
	mu       sync.Mutex
	buckets  map[limiterKey]*bucket
	stats    limiterCounters
	// now and sleepUntil are the clock, time.Now and a timer; tests replace
	// them so that pacing costs no wall time.
	now        func() time.Time
	sleepUntil func(ctx context.Context, t time.Time) error
}

// LimiterStats counts what a LocalLimiter did since it was made.
type LimiterStats struct {
	Waits     int64         // Wait calls that had to wait for a token
	Waited    time.Duration // the time those calls waited, in all
	Throttled int64         // RequestThrottled replies the client reported
	Engaged   int64         // times an adaptive bucket started pacing (after a throttle or for a batch)
}

type limiterCounters struct {
	waits, waited, throttled, engaged atomic.Int64
}

// Stats returns what l did so far: how often and how long it made calls
// wait, how many RequestThrottled replies it was told of, and how often
// adaptive pacing engaged.
func (l *LocalLimiter) Stats() LimiterStats {
	return LimiterStats{Waits: l.stats.waits.Load(), Waited: time.Duration(l.stats.waited.Load()),
		Throttled: l.stats.throttled.Load(), Engaged: l.stats.engaged.Load()}
}

type limiterKey struct{ seller, action string }

// bucket is one (seller, operation) token bucket. Every request takes a
// token, paced or not, so that the bucket always mirrors how much of MWS's
// bucket this process used; only a pacing bucket waits for one.
type bucket struct {
	mu     sync.Mutex
	tokens *rate.Limiter
	every  time.Duration
	burst  float64
	// pacing: the bucket waits for tokens (always, for NewLocalLimiter).
	pacing bool
	// fullAt is when the bucket will be full again if nothing more is
	// taken: a pacing adaptive bucket stops pacing once it has been full
	// for one restore interval.
	fullAt time.Time
}

// NewLocalLimiter returns a limiter that always paces by the quotas q.
// Each bucket starts full, with Quota.ClientBurst tokens.
func NewLocalLimiter(q Quotas) *LocalLimiter {
	return &LocalLimiter{quotas: q, buckets: map[limiterKey]*bucket{}, now: time.Now, sleepUntil: sleepUntil}
}

// NewAdaptiveLimiter returns the client's default limiter: a bucket of the
// quotas q paces only after MWS throttled it (Throttled), or for a batch
// convenience, and stops once it has stayed full for one restore interval.
// Until then requests go at once, while still counted against the bucket.
func NewAdaptiveLimiter(q Quotas) *LocalLimiter {
	l := NewLocalLimiter(q)
	l.adaptive = true
	return l
}

// bucket returns the bucket of seller and action, nil if the action is not
// limited.
func (l *LocalLimiter) bucket(seller, action string) *bucket {
	k := limiterKey{seller, action}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[k]
	if !ok {
		if q := l.quotas.For(action); q.Limited() {
			burst := q.ClientBurst()
			b = &bucket{tokens: rate.NewLimiter(rate.Every(q.Every), burst), every: q.Every, burst: float64(burst), pacing: !l.adaptive}
		}
		l.buckets[k] = b
	}
	return b
}

// Wait takes a token from the bucket of sellerID and action. A pacing
// bucket waits for one if none is left; an adaptive bucket that is not
// pacing takes one if there is one and lets the request go either way. It
// fails at once, without taking a token, when ctx has already ended
// (ctx.Err()) or when the wait would outlast ctx's deadline; the error
// then wraps context.DeadlineExceeded.
func (l *LocalLimiter) Wait(ctx context.Context, sellerID, action string) error {
	// A call that cannot be sent must not spend a token of the quota.
	if err := ctx.Err(); err != nil {
		return err
	}
	b := l.bucket(sellerID, action)
	if b == nil {
		return nil
	}
	// The time is read under the bucket's lock, so that the bucket sees it
	// move forward only: rate.Limiter counts a step back, then forward
	// again, as time that refilled it.
	b.mu.Lock()
	now := l.now()
	if l.adaptive {
		switch {
		case !b.pacing && isBatch(ctx):
			b.pacing = true
			l.stats.engaged.Add(1)
		case b.pacing && !now.Before(b.fullAt.Add(b.every)) && !isBatch(ctx):
			b.pacing = false // full for a whole restore interval: the burst is not being used up
		}
	}
	// The common cases, without allocating a Reservation: not pacing (take a
	// token if there is one, go anyway), or a token is there.
	if took := b.tokens.AllowN(now, 1); took || !b.pacing {
		b.tookAt(now)
		b.mu.Unlock()
		return nil
	}
	r := b.tokens.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if dl, ok := ctx.Deadline(); ok && d > 0 && time.Until(dl) < d {
		r.CancelAt(now)
		b.mu.Unlock()
		return fmt.Errorf("%w: the %s quota allows the next request in %v", context.DeadlineExceeded, action, d.Round(time.Millisecond))
	}
	b.tookAt(now)
	b.mu.Unlock()
	if d == 0 {
		return nil
	}
	l.stats.waits.Add(1)
	l.stats.waited.Add(int64(d))
	if err := l.sleepUntil(ctx, now.Add(d)); err != nil {
		b.mu.Lock()
		cancelAt := l.now()
		r.CancelAt(cancelAt)
		b.tookAt(cancelAt)
		b.mu.Unlock()
		return err
	}
	return nil
}

// tookAt records, after tokens were taken (or given back) at now, when the
// bucket will be full again. b.mu is held.
func (b *bucket) tookAt(now time.Time) {
	missing := b.burst - b.tokens.TokensAt(now)
	b.fullAt = now.Add(time.Duration(missing * float64(b.every)))
}

// Throttled empties the bucket of sellerID and action: MWS's bucket is
// empty, so the next token is due one restore interval from now. An
// adaptive bucket starts pacing.
func (l *LocalLimiter) Throttled(sellerID, action string) {
	l.stats.throttled.Add(1)
	b := l.bucket(sellerID, action)
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := l.now()
	if n := math.Floor(b.tokens.TokensAt(now)); n > 0 {
		b.tokens.AllowN(now, int(n))
	}
	b.tookAt(now)
	if !b.pacing {
		b.pacing = true
		l.stats.engaged.Add(1)
	}
}

// sleepUntil waits until t or until ctx is done, whichever comes first.
func sleepUntil(ctx context.Context, t time.Time) error { return sleepCtx(ctx, time.Until(t)) }

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
