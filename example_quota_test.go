package amazonpay_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

func ExampleClient_ChargeBillingAgreements() {
	// An offline sandbox with two subscribers; one pays with a card that
	// is declined.
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	setup := srv.AmazonPay()
	var subscribers []string
	for _, m := range []amazonpaytest.PaymentMethod{amazonpaytest.PaymentMethodOK, amazonpaytest.PaymentMethodInvalid} {
		b := amazonpaytest.TestBuyer()
		b.PaymentMethod = m
		id := srv.CreateBillingAgreement(b)
		// The buyer confirms in the Confirmation Flow, as the EU requires.
		if _, err := setup.ConfirmBillingAgreement(context.Background(), &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id,
			SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"}); err != nil {
			log.Fatal(err)
		}
		if _, err := srv.FollowConfirmationFlow(context.Background(), srv.SellerID(), id); err != nil {
			log.Fatal(err)
		}
		subscribers = append(subscribers, id)
	}

	// The monthly run: run it again for the same PeriodKey after a crash,
	// and nobody is charged twice.
	c := srv.AmazonPay()
	in := &amazonpay.ChargeBillingAgreementsInput{PeriodKey: "2026-11", CaptureNow: true, TransactionTimeout: amazonpay.Int(0)}
	for _, id := range subscribers {
		in.Charges = append(in.Charges, amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: id,
			Amount: &amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}})
	}
	in.Progress = func(r amazonpay.BillingAgreementChargeResult, done, total int) {
		// e.g. store r with the subscription, update a progress bar
	}
	results, err := c.ChargeBillingAgreements(context.Background(), in)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		if r.ReasonCode != "" {
			fmt.Println(r.Outcome, r.ReasonCode)
		} else {
			fmt.Println(r.Outcome)
		}
	}
	// Output:
	// Charged
	// NeedsBuyer InvalidPaymentMethod
}

func ExampleChargeReferenceID() {
	fmt.Println(amazonpay.ChargeReferenceID("C02-1234567-1234567", "2026-11"))
	fmt.Println(amazonpay.ChargeReferenceID("C02-1234567-1234567", "2026-11") == amazonpay.ChargeReferenceID("C02-1234567-1234567", "2026-12"))
	// Output:
	// MlIgzZJLpKDeqqhm4hZCSUw_
	// false
}

func ExampleWithRateLimiter() {
	cfg := amazonpay.Config{SellerID: "A1EXAMPLE", AccessKeyID: "AKIAEXAMPLE", SecretKey: "example-secret",
		Region: amazonpay.RegionDE}

	// The default: the documented production quotas, in this process.
	_, err := amazonpay.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}

	// A larger quota granted for AuthorizeOnBillingAgreement.
	limiter := amazonpay.NewLocalLimiter(amazonpay.Quotas{Override: map[string]amazonpay.Quota{
		"AuthorizeOnBillingAgreement": {Burst: 20, Every: 500 * time.Millisecond},
	}})
	_, err = amazonpay.NewClient(cfg, amazonpay.WithRateLimiter(limiter))
	if err != nil {
		log.Fatal(err)
	}

	// No client-side pacing: MWS throttles, the client retries.
	_, err = amazonpay.NewClient(cfg, amazonpay.WithRateLimiter(nil))
	fmt.Println(err)
	// Output: <nil>
}

func ExampleNewLocalLimiter() {
	l := amazonpay.NewLocalLimiter(amazonpay.Quotas{Sandbox: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// The sandbox allows 2 Authorize at once, one more every 2 s; the client
	// keeps one in reserve, so the second must wait past the deadline.
	fmt.Println(l.Wait(ctx, "A1EXAMPLE", "Authorize"))
	fmt.Println(l.Wait(ctx, "A1EXAMPLE", "Authorize") != nil)
	// Output:
	// <nil>
	// true
}

func ExampleNewAdaptiveLimiter() {
	// The client's default limiter: unpaced until MWS throttles a bucket.
	l := amazonpay.NewAdaptiveLimiter(amazonpay.Quotas{Sandbox: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for range 5 {
		if err := l.Wait(ctx, "A1EXAMPLE", "Authorize"); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("%+v\n", l.Stats())
	// MWS answered RequestThrottled: from now on Authorize is paced (one
	// per 2 s in the sandbox), so the next must wait past the deadline.
	l.Throttled("A1EXAMPLE", "Authorize")
	fmt.Println(l.Wait(ctx, "A1EXAMPLE", "Authorize") != nil)
	fmt.Printf("%+v\n", l.Stats())
	// Output:
	// {Waits:0 Waited:0s Throttled:0 Engaged:0}
	// true
	// {Waits:0 Waited:0s Throttled:1 Engaged:1}
}

func ExampleDefaultQuota() {
	fmt.Println(amazonpay.DefaultQuota("AuthorizeOnBillingAgreement", false))
	fmt.Println(amazonpay.DefaultQuota("AuthorizeOnBillingAgreement", true))
	fmt.Println(amazonpay.DefaultQuota("GetBillingAgreementDetails", false))
	// Output:
	// {10 1s}
	// {2 2s}
	// {20 500ms}
}

func ExampleQuotas_For() {
	q := amazonpay.Quotas{Override: map[string]amazonpay.Quota{"Capture": {Burst: 20, Every: 500 * time.Millisecond}}}
	fmt.Println(q.For("Capture"), q.For("Authorize"))
	// Output: {20 500ms} {10 1s}
}

func ExampleQuota_ClientBurst() {
	q := amazonpay.DefaultQuota("AuthorizeOnBillingAgreement", false)
	fmt.Println(q.Burst, q.ClientBurst(), q.Limited())
	// Output: 10 9 true
}

func ExampleLocalLimiter_Throttled() {
	l := amazonpay.NewLocalLimiter(amazonpay.Quotas{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	fmt.Println(l.Wait(ctx, "A1EXAMPLE", "Capture"))
	// MWS answered RequestThrottled anyway: another process uses the quota.
	// The client calls Throttled; the next Capture waits a whole second.
	l.Throttled("A1EXAMPLE", "Capture")
	fmt.Println(l.Wait(ctx, "A1EXAMPLE", "Capture") != nil)
	// Output:
	// <nil>
	// true
}
