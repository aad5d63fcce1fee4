package checkout

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/amazonpay-go/amazonpay"
)

// Amazon's answers the sandbox gives rarely or never to a synchronous
// authorization, applied by the one transition Return, Reconcile and Apply
// share: every state of an authorization, with and without CaptureNow.
func TestAuthorizedTransitions(t *testing.T) {
	auth := func(state amazonpay.AuthorizationState, reason amazonpay.ReasonCode, ids ...string) amazonpay.AuthorizationDetails {
		d := amazonpay.AuthorizationDetails{AmazonAuthorizationID: "S02-1234567-1234567-A000001",
			AuthorizationStatus: amazonpay.Status[amazonpay.AuthorizationState]{State: state, ReasonCode: reason}}
		d.IDList.Member = ids
		return d
	}
	for _, tc := range []struct {
		name       string
		captureNow bool
		d          amazonpay.AuthorizationDetails
		state      State
		reason     string
		captureID  string
		captureRef bool // a capture reference id is committed
	}{
		{"open, capture later", false, auth(amazonpay.AuthorizationOpen, ""), StateCapturing, "", "", true},
		{"open with CaptureNow, capture named", true, auth(amazonpay.AuthorizationOpen, "", "S02-1234567-1234567-C000001"), StateCapturing, "", "S02-1234567-1234567-C000001", false},
		{"open with CaptureNow, no capture yet", true, auth(amazonpay.AuthorizationOpen, ""), StateUnknown, "", "", false},
		{"closed, capture named", true, auth(amazonpay.AuthorizationClosed, amazonpay.ReasonMaxCapturesProcessed, "S02-1234567-1234567-C000001"), StateCapturing, "", "S02-1234567-1234567-C000001", false},
		{"closed by its capture, capture not named", true, auth(amazonpay.AuthorizationClosed, amazonpay.ReasonMaxCapturesProcessed), StateUnknown, "", "", false},
		{"closed without a capture (expired)", true, auth(amazonpay.AuthorizationClosed, amazonpay.ReasonExpiredUnused), StateCanceling, "ExpiredUnused", "", false},
		{"declined AmazonRejected", true, auth(amazonpay.AuthorizationDeclined, amazonpay.ReasonAmazonRejected), StateCanceling, "AmazonRejected", "", false},
		{"declined TransactionTimedOut", true, auth(amazonpay.AuthorizationDeclined, amazonpay.ReasonTransactionTimedOut), StateCanceling, "TransactionTimedOut", "", false},
		{"declined InvalidPaymentMethod", true, auth(amazonpay.AuthorizationDeclined, amazonpay.ReasonInvalidPaymentMethod), StateDeclined, "InvalidPaymentMethod", "", false},
		{"declined ProcessingFailure", true, auth(amazonpay.AuthorizationDeclined, amazonpay.ReasonProcessingFailure), StateDeclined, "ProcessingFailure", "", false},
		{"pending", true, auth(amazonpay.AuthorizationPending, ""), StateUnknown, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := &Payment{ID: "order-1", Attempt: 2, State: StateAuthorizing, CaptureNow: tc.captureNow}
			authorized(n, tc.d, "")
			if n.State != tc.state || n.Reason != tc.reason || n.CaptureID != tc.captureID || (n.CaptureReferenceID != "") != tc.captureRef {
				t.Fatalf("state %s reason %q capture %q capture ref %q; want %s %q %q (ref %v)",
					n.State, n.Reason, n.CaptureID, n.CaptureReferenceID, tc.state, tc.reason, tc.captureID, tc.captureRef)
			}
			if n.AuthorizationID != tc.d.AmazonAuthorizationID {
				t.Errorf("AuthorizationID %q", n.AuthorizationID)
			}
			if tc.captureRef && n.CaptureReferenceID != referenceID("order-1", 2, "capture") {
				t.Errorf("capture reference id %q is not the attempt's", n.CaptureReferenceID)
			}
		})
	}
	n := &Payment{ID: "sub-1", Kind: KindSubscription, CaptureNow: true}
	authorized(n, auth(amazonpay.AuthorizationClosed, amazonpay.ReasonMaxCapturesProcessed, "C"), "S02-7654321-7654321")
	if n.ChargeOrderReferenceID != "S02-7654321-7654321" {
		t.Errorf("the first charge's order reference: %q", n.ChargeOrderReferenceID)
	}
}

func TestCapturedTransitions(t *testing.T) {
	for state, want := range map[amazonpay.CaptureState]State{
		amazonpay.CaptureCompleted: StatePaid, amazonpay.CaptureClosed: StatePaid,
		amazonpay.CaptureDeclined: StateCanceling, amazonpay.CapturePending: StateUnknown,
	} {
		n := &Payment{State: StateCapturing}
		captured(n, amazonpay.CaptureDetails{AmazonCaptureID: "C-1",
			CaptureStatus: amazonpay.Status[amazonpay.CaptureState]{State: state, ReasonCode: "AmazonRejected"}})
		if n.State != want || n.CaptureID != "C-1" {
			t.Errorf("capture %s: payment %s, capture %q; want %s", state, n.State, n.CaptureID, want)
		}
		if state == amazonpay.CaptureDeclined && n.Reason != "AmazonRejected" {
			t.Errorf("declined capture: reason %q", n.Reason)
		}
	}
	n := &Payment{}
	refused(n, "")
	if n.State != StateDeclined || n.Reason != "Refused" {
		t.Errorf("refused without a code: %s %q", n.State, n.Reason)
	}
}

// The page's next step for every state, and the buyer's message.
func TestNextOf(t *testing.T) {
	for _, tc := range []struct {
		state  State
		reason string
		next   Next
	}{
		{StatePaid, "", NextPaid},
		{StateCanceled, "AmazonRejected", NextBackToCart},
		{StateCanceling, "Failure", NextBackToCart},
		{StateDeclined, "InvalidPaymentMethod", NextChooseAnotherPaymentMethod},
		{StateDeclined, "Abandoned", NextChooseAnotherPaymentMethod},
		{StateDeclined, "PaymentMethodNotAllowed", NextChooseAnotherPaymentMethod},
		{StateDeclined, "ProcessingFailure", NextRetryLater},
		{StateDeclined, "ErrorCode:InternalServerError", NextRetryLater},
		{StateConfirmed, "", NextPending},
		{StateAuthorizing, "", NextPending},
		{StateUnknown, "", NextPending},
	} {
		out := &ReturnOutcome{Payment: &Payment{State: tc.state, Reason: tc.reason}, Next: nextOf(&Payment{State: tc.state, Reason: tc.reason})}
		if out.Next != tc.next {
			t.Errorf("%s (%s): %s, want %s", tc.state, tc.reason, out.Next, tc.next)
		}
		msg := out.BuyerMessage("de-DE")
		if want := tc.next == NextChooseAnotherPaymentMethod || tc.next == NextBackToCart; (msg != "") != want {
			t.Errorf("%s: BuyerMessage %q", tc.next, msg)
		}
	}
}

func TestSameAmount(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"10.5", "10.50", true}, {"10", "10.00", true}, {"010.00", "10", true}, {".5", "0.50", true},
		{"0.50", "00.5", true}, {"10.05", "10.5", false}, {"100", "10", false},
	} {
		if got := sameAmount(amazonpay.Price{Amount: tc.a, CurrencyCode: "EUR"}, amazonpay.Price{Amount: tc.b, CurrencyCode: "EUR"}); got != tc.same {
			t.Errorf("sameAmount(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
	if sameAmount(amazonpay.Price{Amount: "10", CurrencyCode: "EUR"}, amazonpay.Price{Amount: "10", CurrencyCode: "GBP"}) {
		t.Error("10 EUR is 10 GBP")
	}
}

// Which failures of a money call may have been acted on by Amazon: those
// leave the payment Unknown for Reconcile, the others end the attempt.
func TestAmbiguous(t *testing.T) {
	for _, tc := range []struct {
		err       error
		ambiguous bool
		code      string
	}{
		{&amazonpay.ValidationError{Operation: "Authorize", Field: "AuthorizationAmount"}, false, ""},
		{fmt.Errorf("wrapped: %w", &amazonpay.APIError{StatusCode: 400, Code: "InvalidOrderReferenceStatus"}), false, "InvalidOrderReferenceStatus"},
		{&amazonpay.APIError{StatusCode: 503, Code: "ServiceUnavailable"}, true, "ServiceUnavailable"},
		{&amazonpay.RequestError{Attempts: 0}, false, ""},
		{&amazonpay.RequestError{Attempts: 3, Last: errors.New("connection reset")}, true, ""},
		{context.DeadlineExceeded, true, ""},
	} {
		if got := ambiguous(tc.err); got != tc.ambiguous {
			t.Errorf("ambiguous(%v) = %v", tc.err, got)
		}
		if got := apiCode(tc.err); got != tc.code {
			t.Errorf("apiCode(%v) = %q, want %q", tc.err, got, tc.code)
		}
	}
}
