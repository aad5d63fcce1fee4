package redisquota_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/redisquota"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A process that used its burst through Redis gets no fresh burst when
// Redis goes away, nor when Redis comes back empty (restarted without
// persistence), nor when it goes away again. The quota restores a token
// once an hour: any token granted within the test would be one too many,
// and a wait past the one-minute deadline fails at once.
func TestFailoverStartsFromWhatTheProcessUsed(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	var redisErrors atomic.Int64
	l := redisquota.New(rdb, hourly(3), redisquota.WithRetryRedisAfter(0),
		redisquota.WithErrorHandler(func(error) { redisErrors.Add(1) }))
	ctx := minuteCtx(t)
	for i := 0; i < 3; i++ {
		require.NoError(t, l.Wait(ctx, "A1", "Authorize"), i)
	}
	used, err := rdb.Exists(ctx, "rate:amazonpay:quota:A1:Authorize").Result()
	require.NoError(t, err)
	require.EqualValues(t, 1, used, "the burst went through Redis")

	server.Kill()
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded,
		"Redis is gone: the fallback starts from the 3 tokens this process took through Redis")
	for i := 0; i < 3; i++ {
		require.NoError(t, l.Wait(ctx, "A1", "Capture"), "a bucket this process has not used is full: %d", i)
	}
	assert.NotZero(t, redisErrors.Load(), "the failover is reported")
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded, "and paced")

	require.True(t, server.Restart())
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded,
		"Redis is back, empty: this process has still used its burst")
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded,
		"nor do the fallback's grants come back with Redis")
	other := redisquota.New(rdb, hourly(3))
	require.NoError(t, other.Wait(ctx, "A1", "Authorize"), "Redis rules again for the fleet: another process gets the token")

	server.Kill()
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "Redis flaps: still no fresh burst")
}

// A RequestThrottled reply empties the process's own bucket too: the
// fallback has no token left either if Redis then goes away.
func TestThrottledEmptiesTheFallbackToo(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	l := redisquota.New(rdb, hourly(10), redisquota.WithRetryRedisAfter(0))
	ctx := minuteCtx(t)
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	l.Throttled("A1", "Authorize")
	server.Kill()
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded)
}

// A caller's fallback paces from its own state while Redis is away, within
// what the process's own quota leaves.
func TestCallerFallbackStartsFromItsOwnState(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	var fallbackWaits atomic.Int64
	// Hourly quotas of 1 instead of 3: the fallback paces more strictly.
	strict := countingLimiter{amazonpay.NewLocalLimiter(hourly(1)), &fallbackWaits}
	l := redisquota.New(rdb, hourly(3), redisquota.WithRetryRedisAfter(0), redisquota.WithFallback(strict))
	ctx := minuteCtx(t)
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"))
	server.Kill()
	require.NoError(t, l.Wait(ctx, "A1", "Authorize"), "the fallback's own bucket is full: it knows nothing of Redis's grant")
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "and holds 1 token")
	assert.EqualValues(t, 2, fallbackWaits.Load())

	// Quotas of 3 in the fallback too: the process's own quota still rules.
	lax := countingLimiter{amazonpay.NewLocalLimiter(hourly(3)), &fallbackWaits}
	l = redisquota.New(rdb, hourly(3), redisquota.WithRetryRedisAfter(0), redisquota.WithFallback(lax))
	require.True(t, server.Restart())
	require.NoError(t, l.Wait(ctx, "A1", "Capture"), "through Redis")
	server.Kill()
	for i := 0; i < 2; i++ {
		require.NoError(t, l.Wait(ctx, "A1", "Capture"), "through the fallback: %d", i)
	}
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded,
		"the fallback holds a third token, but the process used its burst: 1 through Redis, 2 through the fallback")
	require.True(t, server.Restart())
	assert.ErrorIs(t, l.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded, "nor does Redis, back empty, give it more")
	assert.EqualValues(t, 4, fallbackWaits.Load())
}

type countingLimiter struct {
	amazonpay.RateLimiter
	waits *atomic.Int64
}

func (c countingLimiter) Wait(ctx context.Context, sellerID, action string) error {
	c.waits.Add(1)
	return c.RateLimiter.Wait(ctx, sellerID, action)
}

// The run: one process charges billing agreements through its
// client while redis-server is killed, restarted, killed and restarted
// again. The sandbox throttles with the same quota in real time: it sees
// no request beyond the quota, and the limiter's grants, as measured here,
// stay within MWS's burst plus one per restore interval elapsed (the
// limiter keeps one token of the burst in reserve, which covers the
// measuring).
func TestFlappingRedisNeverExceedsTheQuota(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	const action = "AuthorizeOnBillingAgreement"
	q := amazonpay.Quota{Burst: 3, Every: 250 * time.Millisecond}
	sandbox := amazonpaytest.NewServer(amazonpaytest.WithThrottleClock(time.Now), amazonpaytest.WithQuota(action, q))
	defer sandbox.Close()
	const calls = 20
	agreements := openAgreements(t, sandbox, calls)

	var redisErrors atomic.Int64
	limiter := redisquota.New(rdb, amazonpay.Quotas{Sandbox: true, Override: map[string]amazonpay.Quota{action: q}},
		redisquota.WithRetryRedisAfter(50*time.Millisecond), redisquota.WithErrorHandler(func(error) { redisErrors.Add(1) }))
	restart := func() { server.Restart() }
	grants := &grantLog{RateLimiter: limiter, action: action,
		before: map[int]func(){5: server.Kill, 9: restart, 12: server.Kill, 14: restart}}
	c := sandbox.AmazonPay(amazonpay.WithRateLimiter(grants))
	res, err := c.ChargeBillingAgreements(context.Background(), &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges(agreements), Concurrency: 4, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome, r.Err)
	}

	for _, r := range sandbox.Requests() {
		assert.NotEqual(t, "RequestThrottled", r.ErrorCode, "%s at %v", r.Action, r.Time)
	}
	assert.Len(t, sandbox.RequestsFor(action), calls, "no retry")
	times := grants.times()
	assert.Len(t, times, calls)
	for i := range times {
		for j := i + 1; j < len(times); j++ {
			allowed := q.Burst + int(times[j].Sub(times[i])/q.Every)
			assert.LessOrEqual(t, j-i+1, allowed, "grants %d to %d, %v apart", i+1, j+1, times[j].Sub(times[i]))
		}
	}
	assert.GreaterOrEqual(t, redisErrors.Load(), int64(2), "Redis went away twice")
	// The bucket's key expires once the bucket is full again: ask Redis what
	// it ran since its last restart instead. Restart waits until the
	// client's pool, which stops dialling after many refused connections,
	// dials again (within a second); about 8 grants (2 s) are left then.
	assert.NotZero(t, scriptRuns(t, rdb), "after its last restart, Redis paced the run again")
}

// scriptRuns returns how many Lua scripts (redis_rate's GCRA) redis-server
// ran without error since it started.
func scriptRuns(t *testing.T, rdb *redis.Client) int {
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	require.NoError(t, err)
	runs := 0
	for _, line := range strings.Split(info, "\n") {
		name, stats, ok := strings.Cut(strings.TrimSpace(line), ":")
		if name != "cmdstat_eval" && name != "cmdstat_evalsha" || !ok {
			continue
		}
		for _, kv := range strings.Split(stats, ",") {
			k, v, _ := strings.Cut(kv, "=")
			sign := map[string]int{"calls": 1, "failed_calls": -1, "rejected_calls": -1}[k]
			if sign == 0 {
				continue
			}
			n, err := strconv.Atoi(v)
			require.NoError(t, err, line)
			runs += sign * n
		}
	}
	return runs
}

// grantLog is a RateLimiter that records when its limiter granted a token
// for action, and runs before[n] before the n-th wait for one (not between
// a grant and its request, which would delay the request: a request that
// reaches MWS late can find the bucket short).
type grantLog struct {
	amazonpay.RateLimiter
	action string
	before map[int]func()

	mu      sync.Mutex
	waits   int
	granted []time.Time
}

func (g *grantLog) Wait(ctx context.Context, sellerID, action string) error {
	if action != g.action {
		return g.RateLimiter.Wait(ctx, sellerID, action)
	}
	g.mu.Lock()
	g.waits++
	f := g.before[g.waits]
	g.mu.Unlock()
	if f != nil {
		f()
	}
	if err := g.RateLimiter.Wait(ctx, sellerID, action); err != nil {
		return err
	}
	g.mu.Lock()
	g.granted = append(g.granted, time.Now())
	g.mu.Unlock()
	return nil
}

func (g *grantLog) Throttled(sellerID, action string) {
	g.RateLimiter.(amazonpay.ThrottleObserver).Throttled(sellerID, action)
}

func (g *grantLog) times() []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Time(nil), g.granted...)
}

// What a process granted while Redis was away is written to Redis at its
// next Wait on that bucket once Redis answers again, so that the other
// processes do not get those tokens a second time. Redis comes back empty
// here (the harshest case); one that kept its state is debited alike.
func TestOutageGrantsAreWrittenBackToRedis(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	a := redisquota.New(rdb, hourly(3), redisquota.WithRetryRedisAfter(0))
	ctx := minuteCtx(t)

	server.Kill()
	for i := 0; i < 2; i++ {
		require.NoError(t, a.Wait(ctx, "A1", "Authorize"), "through the fallback: %d", i)
	}
	require.True(t, server.Restart())
	require.NoError(t, a.Wait(ctx, "A1", "Authorize"), "a's third token, through Redis, which now knows of the first two")
	b := redisquota.New(rdb, hourly(3))
	assert.ErrorIs(t, b.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded,
		"the fleet used the burst: 2 while Redis was away, 1 through it")

	// A process whose own bucket is empty cannot send, but still tells Redis.
	server.Kill()
	for i := 0; i < 3; i++ {
		require.NoError(t, a.Wait(ctx, "A1", "Capture"), "through the fallback: %d", i)
	}
	require.True(t, server.Restart())
	assert.ErrorIs(t, a.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded)
	assert.ErrorIs(t, b.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded, "a's 3 outage grants are in Redis")
	assert.ErrorIs(t, a.Wait(ctx, "A1", "Capture"), context.DeadlineExceeded, "written once, not again")
}

// A RequestThrottled reply while Redis is away empties the shared bucket
// when Redis is back.
func TestThrottledDuringAnOutageReachesRedisWhenItIsBack(t *testing.T) {
	t.Parallel()
	rdb, server := startRestartableRedis(t)
	a := redisquota.New(rdb, hourly(3), redisquota.WithRetryRedisAfter(0))
	b := redisquota.New(rdb, hourly(3))
	ctx := minuteCtx(t)
	server.Kill()
	a.Throttled("A1", "Authorize")
	require.True(t, server.Restart())
	assert.ErrorIs(t, a.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded)
	assert.ErrorIs(t, b.Wait(ctx, "A1", "Authorize"), context.DeadlineExceeded, "MWS's bucket is empty for the fleet")
}
