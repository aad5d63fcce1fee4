package redisquota

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"golang.org/x/time/rate"
)

// processUse holds, per seller and operation, a token bucket with the
// quota of the shared one that counts only this process's requests: those
// Redis granted, and those granted while Redis was unreachable. Every
// request needs a token of it too. So the default fallback, which is this
// bucket alone, starts from what the process used through Redis instead of
// a fresh burst; and Redis cannot hand the process a second burst when it
// comes back without its data (restarted without persistence) or without
// knowing what the fallback granted. Against a Redis that kept its state
// it costs nothing: Redis, counting every process, never grants this
// process more than its own bucket holds, but for the jitter of round
// trips.
//
// It also keeps, per bucket, what Redis has not been told: the requests
// granted while Redis was unreachable (or an empty bucket, after a
// RequestThrottled reply then). The limiter writes them to Redis once it
// answers again, so that the other processes do not get those tokens a
// second time.
type processUse struct {
	quotas   amazonpay.Quotas
	mu       sync.Mutex
	buckets  map[string]*rate.Limiter // by Redis key
	unsynced map[string]*debt         // by Redis key
}

// debt is what a bucket owes Redis: tokens taken without it, less one for
// every restore interval since (Redis's bucket, had it granted them, would
// have refilled by then), and never more than a burst.
type debt struct {
	tokens float64
	at     time.Time
}

func newProcessUse(q amazonpay.Quotas) *processUse {
	return &processUse{quotas: q, buckets: map[string]*rate.Limiter{}, unsynced: map[string]*debt{}}
}

// owed returns the debt of key at now, refilled since it was last changed.
func (p *processUse) owed(key, action string, now time.Time) (*debt, amazonpay.Quota) {
	q := p.quotas.For(action)
	d, ok := p.unsynced[key]
	if !ok {
		d = &debt{at: now}
		p.unsynced[key] = d
	}
	if now.After(d.at) {
		d.tokens = max(0, d.tokens-float64(now.Sub(d.at))/float64(q.Every))
		d.at = now
	}
	return d, q
}

// grantedWithoutRedis records a request of key granted while Redis was
// unreachable.
func (p *processUse) grantedWithoutRedis(key, action string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, q := p.owed(key, action, now)
	d.tokens = min(d.tokens+1, float64(q.ClientBurst()))
}

// emptiedWithoutRedis records that key's bucket is empty (MWS throttled)
// while Redis could not be told.
func (p *processUse) emptiedWithoutRedis(key, action string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, q := p.owed(key, action, now)
	d.tokens = float64(q.ClientBurst())
}

// takeUnsynced returns the tokens key owes Redis and clears them; the
// caller writes them to Redis, or gives them back with unsyncedAgain.
func (p *processUse) takeUnsynced(key, action string, now time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.unsynced[key]; !ok {
		return 0
	}
	// A token partly refilled is owed whole: telling Redis of one token
	// too many errs on the side of the quota.
	d, _ := p.owed(key, action, now)
	n := int(math.Ceil(d.tokens))
	delete(p.unsynced, key)
	return n
}

// unsyncedAgain gives back n tokens takeUnsynced returned at now that Redis
// could not be told of.
func (p *processUse) unsyncedAgain(key, action string, n int, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, q := p.owed(key, action, now)
	d.tokens = min(d.tokens+float64(n), float64(q.ClientBurst()))
}

// synced clears what key owes Redis: Redis's bucket was emptied.
func (p *processUse) synced(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.unsynced, key)
}

// bucket returns the bucket of key, for an action whose quota is limited.
func (p *processUse) bucket(key, action string) *rate.Limiter {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.buckets[key]
	if !ok {
		q := p.quotas.For(action)
		b = rate.NewLimiter(rate.Every(q.Every), q.ClientBurst())
		p.buckets[key] = b
	}
	return b
}

// untilFree waits until b holds a whole token, without taking it.
func untilFree(ctx context.Context, b *rate.Limiter, action string) error {
	for {
		now := time.Now()
		missing := 1 - b.TokensAt(now)
		if missing <= 0 {
			return nil
		}
		d := time.Duration(math.Ceil(missing / float64(b.Limit()) * float64(time.Second)))
		if err := sleep(ctx, d, action); err != nil {
			return err
		}
	}
}

// take takes a token from b, waiting for it if b holds none (a concurrent
// call of this process may have taken the token untilFree saw), or fails
// without taking one.
func take(ctx context.Context, b *rate.Limiter, action string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := b.Reserve()
	if err := sleep(ctx, r.Delay(), action); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// drain empties b: MWS's bucket is empty.
func drain(b *rate.Limiter) {
	now := time.Now()
	if n := math.Floor(b.TokensAt(now)); n > 0 {
		b.AllowN(now, int(n))
	}
}

// sleep waits d, or fails at once when d would outlast ctx's deadline, or
// when ctx ends first.
func sleep(ctx context.Context, d time.Duration, action string) error {
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("%w: the %s quota allows the next request in %v", context.DeadlineExceeded, action, d.Round(time.Millisecond))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
