package redisquota_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/redisquota"
)

// The fleet benchmark: N workers with their own clients charge 400 billing
// agreements between them against an amazonpaytest sandbox that throttles
// AuthorizeOnBillingAgreement with the production quota (10 at once, one
// more per second), every duration divided by fleetScale: the quota's
// restore interval and the client's retry waits (1 s, 4 s, 10 s).
const (
	fleetCalls   = 400
	fleetWorkers = 8
	fleetScale   = 50
)

var fleetQuota = amazonpay.Quota{Burst: 10, Every: time.Second / fleetScale}

// fleetMinimum is the least time the quota allows for the run: the burst
// at once, then one call per restore interval.
var fleetMinimum = time.Duration(fleetCalls-fleetQuota.Burst) * fleetQuota.Every

// BenchmarkFleetBillingRun reports, for each way of pacing, the run's time
// as a multiple of the token-bucket minimum (x-min), the RequestThrottled
// replies the sandbox sent (throttled) and the retries the clients made
// (retries), per run:
//
//   - none: no client-side pacing; MWS throttles, clients back off and
//     retry; agreements still failing are charged again (same period).
//   - local: each worker paces with its own in-process limiter.
//   - redis: every worker paces with one shared Redis limiter.
//   - single: one worker, one client, the default (adaptive) in-process
//     limiter, which paces the billing run from its first call.
func BenchmarkFleetBillingRun(b *testing.B) {
	quotas := amazonpay.Quotas{Override: map[string]amazonpay.Quota{"AuthorizeOnBillingAgreement": fleetQuota}}
	b.Run("none", func(b *testing.B) {
		benchFleet(b, fleetWorkers, func(int) amazonpay.RateLimiter { return nil })
	})
	b.Run("local", func(b *testing.B) {
		benchFleet(b, fleetWorkers, func(int) amazonpay.RateLimiter { return amazonpay.NewLocalLimiter(quotas) })
	})
	b.Run("redis", func(b *testing.B) {
		b.StopTimer()
		rdb := startRedis(b)
		b.StartTimer()
		var run atomic.Int64
		benchFleet(b, fleetWorkers, func(w int) amazonpay.RateLimiter {
			if w == 0 {
				run.Add(1) // fresh buckets for each run
			}
			return redisquota.New(rdb, quotas, redisquota.WithKeyPrefix(fmt.Sprintf("bench%d:", run.Load())),
				redisquota.WithFallback(nil))
		})
	})
	b.Run("single", func(b *testing.B) {
		benchFleet(b, 1, func(int) amazonpay.RateLimiter { return amazonpay.NewAdaptiveLimiter(quotas) })
	})
}

// benchFleet runs the billing run b.N times with workers workers, each with
// its own client and the limiter limiter(worker) (nil: no pacing).
func benchFleet(b *testing.B, workers int, limiter func(worker int) amazonpay.RateLimiter) {
	var elapsed time.Duration
	var throttled, retries int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := amazonpaytest.NewServer(amazonpaytest.WithThrottleClock(time.Now),
			amazonpaytest.WithQuota("AuthorizeOnBillingAgreement", fleetQuota))
		agreements := openAgreements(b, srv, fleetCalls)
		var counter retryCounter
		clients := make([]*amazonpay.Client, workers)
		for w := range clients {
			clients[w] = srv.AmazonPay(
				amazonpay.WithRateLimiter(limiter(w)),
				amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 3,
					BaseDelay: time.Second / fleetScale, MaxDelay: 10 * time.Second / fleetScale}),
				amazonpay.WithLogger(slog.New(&counter)))
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		per := fleetCalls / workers
		for w, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				chargeAll(b, c, agreements[w*per:(w+1)*per], workers == 1)
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		b.StopTimer()
		for _, r := range srv.RequestsFor("AuthorizeOnBillingAgreement") {
			if r.ErrorCode == "RequestThrottled" {
				throttled++
			}
		}
		retries += int(counter.n.Load())
		srv.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(elapsed)/float64(fleetMinimum)/n, "x-min")
	b.ReportMetric(float64(throttled)/n, "throttled")
	b.ReportMetric(float64(retries)/n, "retries")
}

// chargeAll charges ids, running the period again for those that failed
// (throttled after every retry), until all are charged.
func chargeAll(b *testing.B, c *amazonpay.Client, ids []string, concurrent bool) {
	concurrency := 1
	if concurrent {
		concurrency = 4 // the default, to hide each call's latency
	}
	for round := 0; len(ids) > 0; round++ {
		if round == 100 {
			b.Errorf("%d agreements still not charged after 100 rounds", len(ids))
			return
		}
		res, err := c.ChargeBillingAgreements(context.Background(), &amazonpay.ChargeBillingAgreementsInput{
			PeriodKey: "2026-11", Charges: charges(ids), Concurrency: concurrency, TransactionTimeout: amazonpay.Int(0)})
		if err != nil {
			b.Error(err)
			return
		}
		ids = ids[:0:0]
		for _, r := range res {
			switch {
			case r.Outcome == amazonpay.ChargeCharged:
			case r.Err != nil && errors.Is(r.Err, amazonpay.ErrorRequestThrottled):
				ids = append(ids, r.AmazonBillingAgreementID)
			default:
				b.Errorf("%s: %s %v", r.AmazonBillingAgreementID, r.Outcome, r.Err)
			}
		}
	}
}

// retryCounter is a slog.Handler that counts the client's retries.
type retryCounter struct{ n atomic.Int64 }

func (h *retryCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (h *retryCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "amazonpay: retrying" {
		h.n.Add(1)
	}
	return nil
}
func (h *retryCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *retryCounter) WithGroup(string) slog.Handler      { return h }
