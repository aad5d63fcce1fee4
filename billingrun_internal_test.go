package amazonpay

import (
	"errors"
	"testing"

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
