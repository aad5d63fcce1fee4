package amazonpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

func ExampleWithThrottleClock() {
	// Quotas that restore in real time, 20 times faster than MWS's: a client
	// paced with the same quota is never throttled.
	q := amazonpaytest.Quota{Burst: 10, Every: 50 * time.Millisecond}
	srv := amazonpaytest.NewServer(amazonpaytest.WithThrottleClock(time.Now), amazonpaytest.WithQuota("GetServiceStatus", q))
	defer srv.Close()
	c := srv.AmazonPay(amazonpay.WithRateLimiter(amazonpay.NewLocalLimiter(amazonpay.Quotas{
		Override: map[string]amazonpay.Quota{"GetServiceStatus": q}})))
	throttled := 0
	for range 12 {
		_, err := c.GetServiceStatus(context.Background(), &amazonpay.GetServiceStatusInput{})
		if errors.Is(err, amazonpay.ErrorRequestThrottled) {
			throttled++
		}
	}
	fmt.Println(len(srv.RequestsFor("GetServiceStatus")), "requests,", throttled, "throttled")
	// Output: 12 requests, 0 throttled
}
