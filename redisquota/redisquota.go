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
// When Redis cannot be reached, the limiter fails open: it paces in the
// process, with the same quotas, so payments go on, each process at the
// full quota; MWS may then throttle some requests, which the client
// retries. The in-process pacing starts from what the process took through
// Redis, not from a fresh burst, and what it grants still counts when Redis
// is back, even a Redis restarted without its data: one process never
// exceeds the quota, however often Redis comes and goes. Once Redis answers
// again, the process's next request of that seller and operation first
// takes from Redis's bucket the tokens granted without it (as far as they
// have not refilled since), so that the other processes do not get them a
// second time; a RequestThrottled reply seen meanwhile empties Redis's
// bucket then. WithFallback(nil)
// makes the limiter fail closed instead: Wait returns an error wrapping
// ErrUnavailable and the call is not sent.
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
	rl     *redis_rate.Limiter
	quotas amazonpay.Quotas
	prefix string
	// own counts this process's requests per bucket; see processUse.
	own        *processUse
	fallback   amazonpay.RateLimiter // WithFallback(f); nil: own alone paces
	failClosed bool
	onError    func(error)
	pause      time.Duration
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

// WithFallback sets what paces when Redis cannot be reached; nil fails
// closed. The default paces each bucket from what this process took
// through Redis, so that the process gets no fresh burst at a failover. f
// paces from its own state instead: it knows nothing of the requests Redis
// granted (an amazonpay.LocalLimiter starts full). Whatever f allows, the
// limiter still never lets this process exceed its quota, so f can pace
// more strictly (e.g. each process a share of the quota, for a fleet that
// falls back all at once), never less. If f is an
// amazonpay.ThrottleObserver, it is told of every RequestThrottled reply.
func WithFallback(f amazonpay.RateLimiter) Option {
	return func(l *Limiter) { l.fallback, l.failClosed = f, f == nil }
}

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
		own: newProcessUse(q), pause: time.Second}
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
// waiting for one if none is left, and never grants this process more than
// the quota (see processUse). It fails at once, without taking a token,
// when ctx has already ended or when the wait would outlast ctx's deadline;
// the error then wraps context.DeadlineExceeded.
func (l *Limiter) Wait(ctx context.Context, sellerID, action string) error {
	limit, ok := l.limit(action)
	if !ok {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	key := l.key(sellerID, action)
	own := l.own.bucket(key, action)
	for {
		l.writeBack(ctx, key, limit, action)
		// A request this process may not send yet takes no token of the
		// fleet.
		if err := untilFree(ctx, own, action); err != nil {
			return err
		}
		from, err := l.waitShared(ctx, key, limit, sellerID, action)
		if err != nil {
			return err
		}
		if own.Allow() {
			l.granted(key, action, from)
			return nil
		}
		// A concurrent call took the token untilFree saw.
		if from != ownBucket {
			if err := take(ctx, own, action); err != nil {
				return err
			}
			l.granted(key, action, from)
			return nil
		}
		// With the default fallback, wait again: Redis may be back by then.
	}
}

// grantSource says where waitShared took its token.
type grantSource int

const (
	fromRedis    grantSource = iota
	fromFallback             // the caller's fallback (WithFallback)
	ownBucket                // none taken: the process's own bucket alone paces
)

// granted records a request granted without Redis, for writeBack.
func (l *Limiter) granted(key, action string, from grantSource) {
	if from != fromRedis {
		l.own.grantedWithoutRedis(key, action, time.Now())
	}
}

// writeBack takes from Redis's bucket the tokens this process granted
// while Redis was unreachable, as far as the bucket holds them. A failure
// keeps them for the next Wait.
func (l *Limiter) writeBack(ctx context.Context, key string, limit redis_rate.Limit, action string) {
	now := time.Now()
	if now.UnixNano() < l.downUntil.Load() {
		return
	}
	n := l.own.takeUnsynced(key, action, now)
	if n == 0 {
		return
	}
	if _, err := l.rl.AllowAtMost(ctx, key, limit, n); err != nil {
		l.own.unsyncedAgain(key, action, n, now)
		if ctx.Err() == nil {
			l.markDown(err)
		}
	}
}

// waitShared takes a token from Redis, waiting for one if none is left, or
// from the caller's fallback when Redis cannot be reached, and says which.
func (l *Limiter) waitShared(ctx context.Context, key string, limit redis_rate.Limit, sellerID, action string) (grantSource, error) {
	for {
		if time.Now().UnixNano() < l.downUntil.Load() {
			return l.unavailable(ctx, sellerID, action, nil)
		}
		res, err := l.rl.Allow(ctx, key, limit)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return fromRedis, cerr
			}
			return l.unavailable(ctx, sellerID, action, err)
		}
		if res.Allowed > 0 {
			return fromRedis, nil
		}
		if err := sleep(ctx, res.RetryAfter, action); err != nil {
			return fromRedis, err
		}
	}
}

// unavailable handles a failed Redis call (err), or a wait while Redis is
// considered down (err nil): the fallback paces, or the wait fails.
func (l *Limiter) unavailable(ctx context.Context, sellerID, action string, err error) (grantSource, error) {
	if err != nil {
		l.markDown(err)
	} else {
		err = errors.New("a recent call failed")
	}
	switch {
	case l.failClosed:
		return fromFallback, fmt.Errorf("%w: %v", ErrUnavailable, err)
	case l.fallback == nil:
		return ownBucket, nil
	}
	return fromFallback, l.fallback.Wait(ctx, sellerID, action)
}

// markDown makes the limiter use the fallback for a while, and reports err.
func (l *Limiter) markDown(err error) {
	l.downUntil.Store(time.Now().Add(l.pause).UnixNano())
	if l.onError != nil {
		l.onError(err)
	}
}

// throttledTimeout bounds the Redis call of Throttled, which has no context.
const throttledTimeout = 2 * time.Second

// Throttled empties the shared bucket of sellerID and action, and this
// process's own: MWS's bucket is empty, so every process waits for the
// next token.
func (l *Limiter) Throttled(sellerID, action string) {
	limit, ok := l.limit(action)
	if !ok {
		return
	}
	key := l.key(sellerID, action)
	drain(l.own.bucket(key, action))
	if o, ok := l.fallback.(amazonpay.ThrottleObserver); ok {
		o.Throttled(sellerID, action)
	}
	if time.Now().UnixNano() < l.downUntil.Load() {
		l.own.emptiedWithoutRedis(key, action, time.Now())
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), throttledTimeout)
	defer cancel()
	if _, err := l.rl.AllowAtMost(ctx, key, limit, limit.Burst); err != nil {
		l.markDown(err)
		l.own.emptiedWithoutRedis(key, action, time.Now())
		return
	}
	l.own.synced(key)
}
