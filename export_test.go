package amazonpay

import (
	"context"
	"sync"
	"time"
)

// Test hooks for the external test package.

// ClientLimiter returns the RateLimiter c waits for.
func ClientLimiter(c *Client) RateLimiter { return c.limiter }

// SetLimiterClock makes l read the time from now and wait by sleepUntil,
// e.g. a fake clock that moves on when a wait would end. Call it before l
// is used.
func SetLimiterClock(l *LocalLimiter, now func() time.Time, sleepUntil func(ctx context.Context, t time.Time) error) {
	l.now, l.sleepUntil = now, sleepUntil
}

// FakeLimiterClock is a clock for a limiter that waits no wall time: a wait
// moves the clock on to when it would end (never back). Now can also drive
// a sandbox's buckets (amazonpaytest.WithThrottleClock).
type FakeLimiterClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeLimiterClock returns a clock standing at start.
func NewFakeLimiterClock(start time.Time) *FakeLimiterClock { return &FakeLimiterClock{t: start} }

// Now returns the clock's time.
func (c *FakeLimiterClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// SleepUntil moves the clock on to t, at once, unless ctx has ended.
func (c *FakeLimiterClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
	return nil
}

// Advance moves the clock on by d.
func (c *FakeLimiterClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Install makes l run on c.
func (c *FakeLimiterClock) Install(l *LocalLimiter) { SetLimiterClock(l, c.Now, c.SleepUntil) }
