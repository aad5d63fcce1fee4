// Package redisquota is an amazonpay.RateLimiter on Redis, for a fleet of
// processes that share one seller's MWS quota: every process asks the same
// Redis, whose atomic server-side script (GCRA, from
// github.com/go-redis/redis_rate) hands out the seller's requests, so that
// all processes together never exceed the quota.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	limiter := redisquota.New(rdb, amazonpay.Quotas{Sandbox: cfg.Sandbox})
//	c, err := amazonpay.NewClient(cfg, amazonpay.WithRateLimiter(limiter))
//
// When Redis cannot be reached, the limiter fails open: it paces with an
// in-process amazonpay.LocalLimiter with the same quotas, so payments go
// on, each process at the full quota; MWS may then throttle some requests,
// which the client retries. WithFallback(nil) makes it fail closed instead:
// Wait returns an error wrapping ErrUnavailable and the call is not sent.
package redisquota

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// ErrUnavailable is wrapped by the error of Wait when Redis cannot be
// reached and the limiter has no fallback.
var ErrUnavailable = errors.New("redisquota: Redis unavailable")

// Limiter is an amazonpay.RateLimiter (and amazonpay.ThrottleObserver)
// whose buckets live in Redis, one per seller and operation. It is safe for
// concurrent use.
type Limiter struct {
	rl       *redis_rate.Limiter
	quotas   amazonpay.Quotas
	prefix   string
	fallback amazonpay.RateLimiter
	onError  func(error)
	pause    time.Duration
	// downUntil (Unix nanoseconds) is when to try Redis again after a
	// failure; until then the fallback paces without a Redis round trip.
	downUntil atomic.Int64
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithKeyPrefix sets the prefix of the Redis keys (default
// "amazonpay:quota:"); a key is "rate:" (redis_rate's own prefix) + prefix
// + seller id + ":" + action.
func WithKeyPrefix(p string) Option { return func(l *Limiter) { l.prefix = p } }

// WithFallback sets what paces when Redis cannot be reached (default: an
// amazonpay.LocalLimiter with the limiter's quotas). nil fails closed.
func WithFallback(f amazonpay.RateLimiter) Option { return func(l *Limiter) { l.fallback = f } }

// WithRetryRedisAfter sets how long the limiter uses the fallback, without
// trying Redis, after a failed Redis call (default 1 s). It keeps an
// unreachable Redis from costing each request a connection timeout.
func WithRetryRedisAfter(d time.Duration) Option { return func(l *Limiter) { l.pause = d } }

// WithErrorHandler makes the limiter report each failed Redis call to f,
// e.g. to log or count them. f must be safe for concurrent use.
func WithErrorHandler(f func(error)) Option { return func(l *Limiter) { l.onError = f } }

// New returns a limiter on rdb with the quotas q.
func New(rdb redis.UniversalClient, q amazonpay.Quotas, opts ...Option) *Limiter {
	l := &Limiter{rl: redis_rate.NewLimiter(rdb), quotas: q, prefix: "amazonpay:quota:",
		fallback: amazonpay.NewLocalLimiter(q), pause: time.Second}
	for _, o := range opts {
		o(l)
	}
	return l
}

func (l *Limiter) limit(action string) (redis_rate.Limit, bool) {
	q := l.quotas.For(action)
	if !q.Limited() {
		return redis_rate.Limit{}, false
	}
	// One request per restore interval, with the client-side burst, which
	// keeps a token of MWS's bucket in reserve.
	return redis_rate.Limit{Rate: 1, Period: q.Every, Burst: q.ClientBurst()}, true
}

func (l *Limiter) key(seller, action string) string { return l.prefix + seller + ":" + action }

// Wait takes a token from the shared bucket of sellerID and action,
// waiting for one if none is left. It fails at once when the wait would
// outlast ctx's deadline; the error then wraps context.DeadlineExceeded.
func (l *Limiter) Wait(ctx context.Context, sellerID, action string) error {
	limit, ok := l.limit(action)
	if !ok {
		return ctx.Err()
	}
	if time.Now().UnixNano() < l.downUntil.Load() {
		return l.unavailable(ctx, sellerID, action, nil)
	}
	key := l.key(sellerID, action)
	for {
		res, err := l.rl.Allow(ctx, key, limit)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return l.unavailable(ctx, sellerID, action, err)
		}
		if res.Allowed > 0 {
			return nil
		}
		d := res.RetryAfter
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return fmt.Errorf("%w: the %s quota allows the next request in %v", context.DeadlineExceeded, action, d.Round(time.Millisecond))
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// unavailable handles a failed Redis call (err), or a wait while Redis is
// considered down (err nil): the fallback paces, or the wait fails.
func (l *Limiter) unavailable(ctx context.Context, sellerID, action string, err error) error {
	if err != nil {
		l.downUntil.Store(time.Now().Add(l.pause).UnixNano())
		if l.onError != nil {
			l.onError(err)
		}
	} else {
		err = errors.New("a recent call failed")
	}
	if l.fallback == nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return l.fallback.Wait(ctx, sellerID, action)
}

// throttledTimeout bounds the Redis call of Throttled, which has no context.
const throttledTimeout = 2 * time.Second

// Throttled empties the shared bucket of sellerID and action: MWS's bucket
// is empty, so every process waits for the next token.
func (l *Limiter) Throttled(sellerID, action string) {
	limit, ok := l.limit(action)
	if !ok {
		return
	}
	if time.Now().UnixNano() >= l.downUntil.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), throttledTimeout)
		defer cancel()
		_, err := l.rl.AllowAtMost(ctx, l.key(sellerID, action), limit, limit.Burst)
		if err == nil {
			return
		}
		l.downUntil.Store(time.Now().Add(l.pause).UnixNano())
		if l.onError != nil {
			l.onError(err)
		}
	}
	if o, ok := l.fallback.(amazonpay.ThrottleObserver); ok {
		o.Throttled(sellerID, action)
	}
}
