package redisquota_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/redisquota"
	"github.com/redis/go-redis/v9"
)

func ExampleNew() {
	// Nothing listens on port 1: the limiter fails open and paces in this
	// process with the same quotas.
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	l := redisquota.New(rdb, amazonpay.Quotas{Sandbox: true})
	fmt.Println(l.Wait(context.Background(), "A1EXAMPLE", "AuthorizeOnBillingAgreement"))
	// Output: <nil>
}

func ExampleWithFallback() {
	// Without a fallback the limiter fails closed: no Redis, no request.
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	l := redisquota.New(rdb, amazonpay.Quotas{Sandbox: true}, redisquota.WithFallback(nil))
	err := l.Wait(context.Background(), "A1EXAMPLE", "AuthorizeOnBillingAgreement")
	fmt.Println(errors.Is(err, redisquota.ErrUnavailable))
	// Output: true
}

func ExampleLimiter_Throttled() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	var redisErrors int
	l := redisquota.New(rdb, amazonpay.Quotas{}, redisquota.WithErrorHandler(func(error) { redisErrors++ }))
	// The client calls Throttled after a RequestThrottled reply: the shared
	// bucket (here, Redis being down, the fallback's) is emptied.
	l.Throttled("A1EXAMPLE", "Capture")
	fmt.Println(redisErrors)
	// Output: 1
}
