package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// BenchmarkMigration2000 runs the migration of 2,000 agreements against a
// sandbox throttling in real time at the sandbox's quota shape (burst 2)
// scaled 1000 times faster (one token per 2 ms instead of 2 s), and reports
// the run's time as a ratio of the quota's minimum (2,000 tokens of each
// bucket) and of the same run on an unthrottled, unpaced sandbox in the
// same iteration (what the machine's CPU costs), and the throttled answers.
//
//	go test -run NONE -bench Migration2000 -benchtime 1x ./cmd/amazonpay
func BenchmarkMigration2000(b *testing.B) {
	const n = 2000
	quota := amazonpay.Quota{Burst: 2, Every: 2 * time.Millisecond}
	for range b.N {
		b.StopTimer()
		srv := amazonpaytest.NewServer(amazonpaytest.WithQuota("SetBillingAgreementDetails", quota),
			amazonpaytest.WithQuota("ValidateBillingAgreement", quota), amazonpaytest.WithThrottleClock(time.Now))
		lines := []string{"billing_agreement_id"}
		t := &testing.T{}
		for range n {
			lines = append(lines, openBillingAgreement(t, srv))
		}
		dir := b.TempDir()
		in := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(in, []byte(joinLines(lines)), 0o644); err != nil {
			b.Fatal(err)
		}
		base := amazonpaytest.NewServer()
		baseLines := []string{"billing_agreement_id"}
		for range n {
			baseLines = append(baseLines, openBillingAgreement(t, base))
		}
		baseIn := filepath.Join(dir, "base.csv")
		if err := os.WriteFile(baseIn, []byte(joinLines(baseLines)), 0o644); err != nil {
			b.Fatal(err)
		}
		began := time.Now()
		if r := cliBench(base, "billing-agreements", "update", "--csv", baseIn, "--type", "MerchantInitiatedTransaction",
			"--quota", "SetBillingAgreementDetails=1000000/1ns", "--quota", "ValidateBillingAgreement=1000000/1ns"); r.code != exitOK {
			b.Fatalf("baseline: exit %d: %s", r.code, r.stderr)
		}
		baseline := time.Since(began)
		base.Close()
		b.StartTimer()
		began = time.Now()
		r := cliBench(srv, "billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction",
			"--quota", "SetBillingAgreementDetails=2/2ms", "--quota", "ValidateBillingAgreement=2/2ms")
		took := time.Since(began)
		b.StopTimer()
		if r.code != exitOK {
			b.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		throttled := 0
		for _, q := range srv.Requests() {
			if q.ErrorCode == "RequestThrottled" {
				throttled++
			}
		}
		min := time.Duration(n-quota.Burst) * quota.Every
		b.ReportMetric(float64(took)/float64(min), "x_quota_minimum")
		b.ReportMetric(float64(took)/float64(baseline), "x_unpaced")
		b.ReportMetric(float64(throttled), "throttled")
		srv.Close()
	}
}
