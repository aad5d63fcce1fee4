package amazonpay_test

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// batchGoroutines counts the goroutines running a batch's workers.
func batchGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("amazonpay.runBatch"))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// noBatchGoroutines waits, boundedly, until no batch goroutine is left.
func noBatchGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for batchGoroutines() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d batch goroutines left", batchGoroutines())
		}
		time.Sleep(time.Millisecond)
	}
}

// A panic in the caller's Progress callback ran on a worker goroutine and
// killed the process. Now the run stops: no charge is started after it,
// the charges in flight finish and are reported, no goroutine is left,
// and ChargeBillingAgreements panics with the same value on the caller's
// goroutine.
func TestChargeBillingAgreementsProgressPanics(t *testing.T) {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	var charges []amazonpay.BillingAgreementCharge
	for range 8 {
		charges = append(charges, amazonpay.BillingAgreementCharge{
			AmazonBillingAgreementID: openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK), Amount: eur("5.00")})
	}
	noBatchGoroutines(t)
	type progressBug struct{ at int }
	var mu sync.Mutex
	var reported []amazonpay.BillingAgreementChargeResult
	const concurrency = 3
	in := &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: "2026-11", Charges: charges, Concurrency: concurrency, TransactionTimeout: amazonpay.Int(0),
		Progress: func(r amazonpay.BillingAgreementChargeResult, done, total int) {
			mu.Lock()
			reported = append(reported, r)
			mu.Unlock()
			if done == 2 {
				panic(&progressBug{at: done})
			}
		},
	}
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_, _ = c.ChargeBillingAgreements(ctx, in)
		t.Error("ChargeBillingAgreements returned after its Progress panicked")
	}()
	require.IsType(t, &progressBug{}, recovered, "the caller gets the original panic value")
	assert.Equal(t, 2, recovered.(*progressBug).at)
	noBatchGoroutines(t) // a worker that called wg.Done may take a moment to exit; a leaked one never does

	mu.Lock()
	defer mu.Unlock()
	authorized := srv.MoneyMovements().Authorizations
	assert.Len(t, reported, authorized, "every charge sent was reported, the ones in flight included")
	assert.GreaterOrEqual(t, authorized, 2)
	assert.LessOrEqual(t, authorized, 2+concurrency-1, "no charge started after the panic but those in flight")
	assert.Len(t, srv.RequestsFor("AuthorizeOnBillingAgreement"), authorized)
	for _, r := range reported {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome)
	}

	// The same period again completes the run, charging nobody twice.
	in.Progress = nil
	res, err := c.ChargeBillingAgreements(ctx, in)
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, amazonpay.ChargeCharged, r.Outcome)
	}
	assert.Equal(t, len(charges), srv.MoneyMovements().Authorizations)
}
