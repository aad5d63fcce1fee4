package redisquota

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/assert"
)

// What a bucket owes Redis refills at the quota's rate, never exceeds a
// burst, counts a partly refilled token whole, and is handed out once.
func TestDebtToRedis(t *testing.T) {
	q := amazonpay.Quota{Burst: 4, Every: time.Minute}
	p := newProcessUse(amazonpay.Quotas{Override: map[string]amazonpay.Quota{"Authorize": q}})
	const key = "k"
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	at := func(intervals float64) time.Time { return t0.Add(time.Duration(intervals * float64(q.Every))) }

	assert.Zero(t, p.takeUnsynced(key, "Authorize", t0), "nothing granted without Redis")
	for range 3 {
		p.grantedWithoutRedis(key, "Authorize", t0)
	}
	assert.Equal(t, 2, p.takeUnsynced(key, "Authorize", at(1.5)), "1.5 of 3 refilled: 2 owed")
	assert.Zero(t, p.takeUnsynced(key, "Authorize", at(1.5)), "handed out once")

	p.unsyncedAgain(key, "Authorize", 2, at(1.5))
	assert.Equal(t, 2, p.takeUnsynced(key, "Authorize", at(1.5)), "given back after a failed write")
	p.unsyncedAgain(key, "Authorize", 2, at(1.5))
	assert.Zero(t, p.takeUnsynced(key, "Authorize", at(3.5)), "refilled in 2 intervals")

	for range 10 {
		p.grantedWithoutRedis(key, "Authorize", t0)
	}
	assert.Equal(t, 4, p.takeUnsynced(key, "Authorize", t0), "at most a burst")

	p.emptiedWithoutRedis(key, "Authorize", t0)
	assert.Equal(t, 4, p.takeUnsynced(key, "Authorize", t0), "throttled: the whole burst")
	p.emptiedWithoutRedis(key, "Authorize", t0)
	p.synced(key)
	assert.Zero(t, p.takeUnsynced(key, "Authorize", t0), "Redis was emptied")

	p.grantedWithoutRedis(key, "Authorize", at(2))
	p.unsyncedAgain(key, "Authorize", 1, at(1)) // a write that began before the grant
	assert.Equal(t, 2, p.takeUnsynced(key, "Authorize", at(2)), "an earlier time does not move the debt back")
}
