package checkout

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	"github.com/amazonpay-go/amazonpay"
)

// Next is what the shop's page does after Return.
type Next string

// The next steps.
const (
	// NextPaid: Amazon captured the money; show the order confirmation.
	NextPaid Next = "paid"
	// NextChooseAnotherPaymentMethod: show BuyerMessage and the Wallet
	// widget of the same order reference (or billing agreement); "buy
	// now" then calls Confirm again, which starts a new attempt.
	NextChooseAnotherPaymentMethod Next = "choose-another-payment-method"
	// NextBackToCart: the payment is canceled; log the buyer out of
	// Amazon Pay, send them to the cart and show BuyerMessage.
	NextBackToCart Next = "back-to-cart"
	// NextPending: the outcome is not known yet (a lost reply, another
	// request handling the same payment); show "we are checking your
	// payment" and look again (Get) later. Reconcile settles it.
	NextPending Next = "pending"
	// NextRetryLater: Amazon could not process the payment now
	// (ProcessingFailure, a Confirmation Flow error); nothing is canceled.
	// Let the buyer press "buy now" again in a moment.
	NextRetryLater Next = "retry-later"
)

// ReturnOutcome is the result of Return.
type ReturnOutcome struct {
	Payment *Payment
	Next    Next
}

// BuyerMessage returns Amazon's recommended message for the buyer in the
// best language of acceptLanguage (an Accept-Language value or a tag),
// or "" when there is none (NextPaid, NextPending, NextRetryLater).
func (o *ReturnOutcome) BuyerMessage(acceptLanguage string) string {
	switch o.Next {
	case NextChooseAnotherPaymentMethod:
		return amazonpay.BuyerMessage(amazonpay.AuthenticationAbandoned, acceptLanguage)
	case NextBackToCart:
		return amazonpay.BuyerMessage(amazonpay.AuthenticationFailure, acceptLanguage)
	}
	return ""
}

// nextOf maps a payment's state to the page's next step.
func nextOf(pay *Payment) Next {
	switch pay.State {
	case StatePaid:
		return NextPaid
	case StateCanceled, StateCanceling:
		return NextBackToCart
	case StateDeclined:
		if buyerMustChoose(pay.Reason) {
			return NextChooseAnotherPaymentMethod
		}
		return NextRetryLater
	}
	return NextPending
}

// buyerMustChoose reports the reasons only another payment method resolves.
func buyerMustChoose(reason string) bool {
	switch reason {
	case string(amazonpay.ReasonInvalidPaymentMethod), string(amazonpay.AuthenticationAbandoned),
		string(amazonpay.ReasonPaymentAuthorizationRequired), string(amazonpay.ErrorBillingAgreementConstraintsExist),
		string(amazonpay.ErrorPaymentMethodNotAllowed), string(amazonpay.ErrorConstraintsExist):
		return true
	}
	return false
}

// Return is the handler of the return URL (SuccessUrl and FailureUrl) of
// both flows; query is the request's URL query, unauthenticated input.
// It checks the payment id and nonce, reads the Confirmation Flow outcome
// (amazonpay.ParseConfirmationRedirect) and acts on it as Amazon
// recommends: after Success it authorizes (purchases: Authorize with
// TransactionTimeout 0, CaptureNow per Config or a Capture right after;
// subscriptions: ValidateBillingAgreement, then AuthorizeOnBillingAgreement
// with CaptureNow), the reference id and amount committed before the call.
// What the query says never counts as payment; only Amazon's answer does.
//
// A malformed query is a *amazonpay.ValidationError; an unknown payment
// or a nonce other than the current attempt's is ErrForgedReturn. Neither
// changes anything or calls Amazon, nor does a return for a payment that
// is already settled (its outcome is answered again). An outcome that is
// not known (a lost reply, a concurrent Return of the same payment) is
// NextPending with a nil error.
func (p *Payments) Return(ctx context.Context, query url.Values) (*ReturnOutcome, error) {
	const op = "checkout.Return"
	id, err := oneParam(op, query, paramPayment)
	if err != nil {
		return nil, err
	}
	if err := checkID(op, paramPayment, id); err != nil {
		return nil, err
	}
	nonce, err := oneParam(op, query, paramNonce)
	if err != nil {
		return nil, err
	}
	if !isNonce(nonce) {
		return nil, &amazonpay.ValidationError{Operation: op, Field: paramNonce, Reason: fmt.Sprintf("must be %d lowercase hex digits", nonceLen)}
	}
	res, err := amazonpay.ParseConfirmationRedirect(query)
	if err != nil {
		return nil, err
	}
	pay, err := p.store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: unknown payment", ErrForgedReturn)
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(nonce), []byte(pay.Nonce)) != 1 {
		return nil, ErrForgedReturn
	}
	switch pay.State {
	case StateConfirmed:
	case StateUnknown:
		pay, err = p.settle(ctx, pay)
		return p.outcome(pay, err)
	default:
		return &ReturnOutcome{Payment: pay, Next: nextOf(pay)}, nil
	}
	var change func(*Payment)
	switch {
	case res.ErrorCode != "":
		change = func(n *Payment) { n.State, n.Reason = StateDeclined, "ErrorCode:"+string(res.ErrorCode) }
	case res.AuthenticationStatus == amazonpay.AuthenticationFailure:
		change = func(n *Payment) { n.State, n.Reason = StateCanceling, string(amazonpay.AuthenticationFailure) }
	case res.AuthenticationStatus == amazonpay.AuthenticationAbandoned:
		change = func(n *Payment) { n.State, n.Reason = StateDeclined, string(amazonpay.AuthenticationAbandoned) }
	default:
		if pay.Kind == KindSubscription {
			if change, err = p.validate(ctx, pay); err != nil {
				return nil, err
			}
		}
		if change == nil {
			change = func(n *Payment) {
				n.State = StateAuthorizing
				n.AuthorizationReferenceID = referenceID(n.ID, n.Attempt, "authorize")
			}
		}
	}
	next, err := p.save(ctx, pay, change)
	if errors.Is(err, ErrConflict) {
		// Another request (a double click, a second tab) got there first:
		// it does the work.
		if cur, gerr := p.store.Get(ctx, id); gerr == nil {
			return &ReturnOutcome{Payment: cur, Next: nextOf(cur)}, nil
		}
		return &ReturnOutcome{Payment: pay, Next: NextPending}, nil
	}
	if err != nil {
		return nil, err // nothing was sent
	}
	pay, err = p.drive(ctx, next)
	return p.outcome(pay, err)
}

// outcome answers a Return after the money calls: a failure to record
// Amazon's answer leaves the payment for Reconcile, which is NextPending
// for the page, not an error.
func (p *Payments) outcome(pay *Payment, err error) (*ReturnOutcome, error) {
	if err != nil {
		return &ReturnOutcome{Payment: pay, Next: NextPending}, nil
	}
	return &ReturnOutcome{Payment: pay, Next: nextOf(pay)}, nil
}

// validate runs ValidateBillingAgreement after a subscription's
// successful Confirmation Flow. A failure ends the attempt (the change it
// returns); nil means go on to the first charge.
func (p *Payments) validate(ctx context.Context, pay *Payment) (func(*Payment), error) {
	out, err := p.client.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: pay.BillingAgreementID})
	if err != nil {
		return nil, err
	}
	if out.ValidationResult == amazonpay.ValidationSuccess {
		return nil, nil
	}
	reason := string(out.FailureReasonCode)
	if reason == "" {
		reason = string(amazonpay.ReasonInvalidPaymentMethod)
	}
	return func(n *Payment) { n.State, n.Reason = StateDeclined, reason }, nil
}

// oneParam returns the single value of name; a missing or repeated one is
// a *amazonpay.ValidationError.
func oneParam(op string, q url.Values, name string) (string, error) {
	switch v := q[name]; len(v) {
	case 0:
		return "", &amazonpay.ValidationError{Operation: op, Field: name, Reason: "is missing"}
	case 1:
		return v[0], nil
	}
	return "", &amazonpay.ValidationError{Operation: op, Field: name, Reason: "is repeated"}
}

func isNonce(s string) bool {
	if len(s) != nonceLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
