package amazonpay

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestChargeResultClassification(t *testing.T) {
	t.Parallel()
	in := &AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: "C02-0000000-0000001", AuthorizationReferenceID: "ref"}
	out := func(state AuthorizationState, reason ReasonCode) *AuthorizeOnBillingAgreementOutput {
		o := &AuthorizeOnBillingAgreementOutput{AmazonOrderReferenceID: "S02-0000000-0000001"}
		o.AuthorizationDetails.AuthorizationStatus = Status[AuthorizationState]{State: state, ReasonCode: reason}
		return o
	}
	cases := []struct {
		name   string
		out    *AuthorizeOnBillingAgreementOutput
		err    error
		want   ChargeOutcome
		reason ReasonCode
	}{
		{"open", out(AuthorizationOpen, ""), nil, ChargeCharged, ""},
		{"captured", out(AuthorizationClosed, ReasonMaxCapturesProcessed), nil, ChargeCharged, ""},
		{"pending", out(AuthorizationPending, ""), nil, ChargePending, ""},
		{"invalid payment method", out(AuthorizationDeclined, ReasonInvalidPaymentMethod), nil, ChargeNeedsBuyer, ReasonInvalidPaymentMethod},
		{"authentication needed", out(AuthorizationDeclined, ReasonPaymentAuthorizationRequired), nil, ChargeNeedsBuyer, ReasonPaymentAuthorizationRequired},
		{"timed out", out(AuthorizationDeclined, ReasonTransactionTimedOut), nil, ChargeDeclined, ReasonTransactionTimedOut},
		{"processing failure", out(AuthorizationDeclined, ReasonProcessingFailure), nil, ChargeDeclined, ReasonProcessingFailure},
		{"constraints", nil, &APIError{StatusCode: 400, Code: ErrorBillingAgreementConstraintsExist}, ChargeNeedsBuyer, ""},
		{"throttled", nil, &APIError{StatusCode: 503, Code: ErrorRequestThrottled}, ChargeFailed, ""},
		{"transport", nil, &RequestError{Operation: "AuthorizeOnBillingAgreement", Err: errors.New("reset")}, ChargeFailed, ""},
		{"unknown state", out("Weird", ""), nil, ChargeFailed, ""},
	}
	for _, tc := range cases {
		r := chargeResult(in, tc.out, tc.err)
		assert.Equal(t, tc.want, r.Outcome, tc.name)
		assert.Equal(t, tc.reason, r.ReasonCode, tc.name)
		assert.Equal(t, "ref", r.AuthorizationReferenceID, tc.name)
		if tc.err != nil {
			assert.Same(t, tc.err, r.Err, tc.name)
		}
		if tc.want == ChargeFailed {
			assert.Error(t, r.Err, tc.name)
		} else {
			assert.Equal(t, tc.err == nil, r.Err == nil, tc.name)
		}
	}
}

// A panic in a batch's callback, on a worker or on the caller's goroutine
// (skip, once ctx ended), stops the batch and reaches the caller with its
// value; nothing is started after it.
func TestRunBatchHandsPanicsToTheCaller(t *testing.T) {
	var ran []int
	assert.PanicsWithValue(t, "bug at 1", func() {
		_ = runBatch(context.Background(), 5, 1, func(i int) {
			ran = append(ran, i)
			if i == 1 {
				panic("bug at 1")
			}
		}, func(int, error) { t.Error("nothing is skipped") })
	})
	assert.Equal(t, []int{0, 1}, ran)

	ended, cancel := context.WithCancel(context.Background())
	cancel()
	var skipped []int
	assert.PanicsWithValue(t, "skip bug", func() {
		_ = runBatch(ended, 4, 2, func(int) { t.Error("nothing runs") }, func(i int, err error) {
			skipped = append(skipped, i)
			panic("skip bug")
		})
	})
	assert.Equal(t, []int{0}, skipped)
}

// A runtime.Goexit in a worker's callback (t.FailNow, say) ends the
// caller's goroutine too, instead of leaving it waiting for ever.
func TestRunBatchGoexit(t *testing.T) {
	returned := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = runBatch(context.Background(), 3, 2, func(int) { runtime.Goexit() }, func(int, error) {})
		returned = true
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the batch's caller still waits")
	}
	assert.False(t, returned)
}
