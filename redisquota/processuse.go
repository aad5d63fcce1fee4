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
type processUse struct {
	quotas  amazonpay.Quotas
	mu      sync.Mutex
	buckets map[string]*rate.Limiter // by Redis key
}

func newProcessUse(q amazonpay.Quotas) *processUse {
	return &processUse{quotas: q, buckets: map[string]*rate.Limiter{}}
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
