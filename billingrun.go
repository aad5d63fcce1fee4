package amazonpay

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// The monthly billing run: one AuthorizeOnBillingAgreement per subscriber,
// thousands of them, paced by the client's RateLimiter so that the run
// takes the time the quota allows and is not throttled.

// ChargeBillingAgreementsInput is the input of ChargeBillingAgreements.
type ChargeBillingAgreementsInput struct {
	// PeriodKey names the billing period, e.g. "2026-11". Required. With the
	// agreement id it makes each charge's AuthorizationReferenceID
	// (ChargeReferenceID), so that running the same period again charges
	// nobody twice.
	PeriodKey string
	// Charges are the agreements to charge, each at most once. Required.
	Charges []BillingAgreementCharge
	// CaptureNow captures each authorization at once.
	CaptureNow bool
	// TransactionTimeout, in minutes, goes to every authorization: 0 asks
	// for a synchronous answer; nil leaves MWS's default of 1440
	// (asynchronous: the outcome is Pending, the result comes by IPN).
	TransactionTimeout *int
	// SellerAuthorizationNote, SoftDescriptor and SellerNote go to every
	// charge; nil or empty values are not sent.
	SellerAuthorizationNote string
	SoftDescriptor          string
	SellerNote              string
	// Concurrency is how many charges are in flight at once (default 4).
	// The client's RateLimiter sets the pace; concurrency only hides the
	// latency of each call.
	Concurrency int
	// Progress, if set, is called once per agreement as its result is
	// known, with how many are done out of how many. Calls never overlap.
	Progress func(r BillingAgreementChargeResult, done, total int)
}

// BillingAgreementCharge is one agreement of a billing run.
type BillingAgreementCharge struct {
	AmazonBillingAgreementID string // required: an Open billing agreement
	Amount                   *Price // required; an empty currency takes the client's
	// SellerOrderID, if set, becomes the SellerOrderId of the order
	// reference Amazon creates for the charge.
	SellerOrderID string
}

// ChargeOutcome sums up what happened to one billing agreement.
type ChargeOutcome string

// Charge outcomes.
const (
	// ChargeCharged: the authorization is Open, or Closed after CaptureNow.
	ChargeCharged ChargeOutcome = "Charged"
	// ChargePending: MWS is processing the authorization asynchronously;
	// its result comes by IPN or GetAuthorizationDetails.
	ChargePending ChargeOutcome = "Pending"
	// ChargeDeclined: the authorization was declined (see ReasonCode:
	// AmazonRejected, ProcessingFailure, TransactionTimedOut).
	ChargeDeclined ChargeOutcome = "Declined"
	// ChargeNeedsBuyer: a soft decline that only the buyer can resolve: the
	// payment method was declined (InvalidPaymentMethod; the agreement is
	// Suspended until the buyer picks another), the agreement needs the
	// buyer to authenticate again (PaymentAuthorizationRequired), or it has
	// constraints (BillingAgreementConstraintsExist). Ask the buyer to
	// update the payment method, then charge again with another PeriodKey.
	ChargeNeedsBuyer ChargeOutcome = "NeedsBuyer"
	// ChargeFailed: the call failed (see Err); running the same period
	// again retries it safely.
	ChargeFailed ChargeOutcome = "Error"
)

// BillingAgreementChargeResult is the result for one billing agreement.
type BillingAgreementChargeResult struct {
	AmazonBillingAgreementID string
	AuthorizationReferenceID string // ChargeReferenceID(agreement, PeriodKey)
	Outcome                  ChargeOutcome
	// ReasonCode says why: the authorization's on Declined and NeedsBuyer
	// after a decline.
	ReasonCode ReasonCode
	// AuthorizationDetails and AmazonOrderReferenceID are MWS's answer,
	// when there was one.
	AuthorizationDetails   AuthorizationDetails
	AmazonOrderReferenceID string
	// Err is the failed call's error (*APIError, *RequestError, ...) on
	// Error, and the *APIError on NeedsBuyer from constraints.
	Err error
}

// ChargeReferenceID returns the AuthorizationReferenceID of the charge of
// a billing agreement for a billing period: 24 characters of A-Z a-z 0-9
// _ -, derived from both (SHA-256), the same every time. MWS answers a
// repeated reference id with the original result instead of charging
// again.
func ChargeReferenceID(amazonBillingAgreementID, periodKey string) string {
	sum := sha256.Sum256([]byte(amazonBillingAgreementID + "\x00" + periodKey))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

// ChargeBillingAgreements runs a billing period: one
// AuthorizeOnBillingAgreement per agreement, a few at a time, paced by the
// client's RateLimiter (by default the documented quota: a run of n
// charges takes about n-9 seconds live). Every charge is checked before
// the first call; bad input is a *ValidationError and nothing is sent.
// A failure of one agreement never stops the others; results come in the
// order of Charges.
//
// Running the same PeriodKey again, e.g. after a crash, charges nobody
// twice: each charge carries ChargeReferenceID(agreement, PeriodKey), and
// MWS answers a repeat with the original result. Keep the other inputs
// the same: a repeat with another amount is DuplicateRequest (outcome
// Error). The error is non-nil only for invalid input or when ctx ends
// (the results say which agreements were done).
//
// If Progress panics, the run stops and the panic is handed back to the
// caller, never left to kill the process from a worker goroutine: no
// charge is started after it, the charges already in flight finish and
// are still reported to Progress (a further panic there is dropped), and
// once every worker has ended ChargeBillingAgreements panics with the
// original value on the caller's goroutine. Recover it there if need be;
// running the same PeriodKey again then charges the rest, nobody twice.
func (c *Client) ChargeBillingAgreements(ctx context.Context, in *ChargeBillingAgreementsInput, opts ...CallOption) ([]BillingAgreementChargeResult, error) {
	const op = "ChargeBillingAgreements"
	if in == nil {
		return nil, &ValidationError{Operation: op, Field: "input", Reason: "is nil"}
	}
	v := validator{op: op}
	v.required("PeriodKey", in.PeriodKey)
	v.present("Charges", len(in.Charges) > 0)
	if in.Concurrency < 0 {
		v.fail("Concurrency", "must not be negative")
	}
	if v.err != nil {
		return nil, v.err
	}
	inputs := make([]*AuthorizeOnBillingAgreementInput, len(in.Charges))
	seen := make(map[string]int, len(in.Charges))
	for i, ch := range in.Charges {
		if j, dup := seen[ch.AmazonBillingAgreementID]; dup {
			return nil, &ValidationError{Operation: op, Field: "AmazonBillingAgreementId",
				Reason: fmt.Sprintf("Charges[%d] repeats the agreement of Charges[%d]", i, j)}
		}
		seen[ch.AmazonBillingAgreementID] = i
		inputs[i] = in.authorizeInput(ch)
		// The operation's own validation, for every charge before the
		// first call, so that a typo does not leave the run half done.
		if err := c.check("AuthorizeOnBillingAgreement", inputs[i], opts); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				return nil, &ValidationError{Operation: op, Field: ve.Field, Reason: fmt.Sprintf("Charges[%d]: %s", i, ve.Reason)}
			}
			return nil, err
		}
	}

	ctx = asBatch(ctx) // an adaptive limiter paces a batch from its first call
	results := make([]BillingAgreementChargeResult, len(inputs))
	var mu sync.Mutex
	done := 0
	report := func(i int) {
		if in.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		in.Progress(results[i], done, len(results))
	}
	workers := in.Concurrency
	if workers == 0 {
		workers = 4
	}
	err := runBatch(ctx, len(inputs), workers, func(i int) {
		out, err := c.AuthorizeOnBillingAgreement(ctx, inputs[i], opts...)
		results[i] = chargeResult(inputs[i], out, err)
		report(i)
	}, func(i int, err error) {
		results[i] = chargeResult(inputs[i], nil, err)
		report(i)
	})
	return results, err
}

func (in *ChargeBillingAgreementsInput) authorizeInput(ch BillingAgreementCharge) *AuthorizeOnBillingAgreementInput {
	a := &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: ch.AmazonBillingAgreementID,
		AuthorizationReferenceID: ChargeReferenceID(ch.AmazonBillingAgreementID, in.PeriodKey),
		AuthorizationAmount:      ch.Amount,
		SellerAuthorizationNote:  in.SellerAuthorizationNote,
		TransactionTimeout:       in.TransactionTimeout,
		SoftDescriptor:           in.SoftDescriptor,
		SellerNote:               in.SellerNote,
	}
	if in.CaptureNow {
		a.CaptureNow = Bool(true)
	}
	if ch.SellerOrderID != "" {
		a.SellerOrderAttributes = &SellerOrderAttributes{SellerOrderID: ch.SellerOrderID}
	}
	return a
}

// chargeResult classifies the answer to one charge.
func chargeResult(in *AuthorizeOnBillingAgreementInput, out *AuthorizeOnBillingAgreementOutput, err error) BillingAgreementChargeResult {
	r := BillingAgreementChargeResult{AmazonBillingAgreementID: in.AmazonBillingAgreementID,
		AuthorizationReferenceID: in.AuthorizationReferenceID, Outcome: ChargeFailed, Err: err}
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Code == ErrorBillingAgreementConstraintsExist {
			r.Outcome = ChargeNeedsBuyer
		}
		return r
	}
	r.AuthorizationDetails, r.AmazonOrderReferenceID = out.AuthorizationDetails, out.AmazonOrderReferenceID
	st := out.AuthorizationDetails.AuthorizationStatus
	switch st.State {
	case AuthorizationOpen, AuthorizationClosed:
		r.Outcome = ChargeCharged
	case AuthorizationPending:
		r.Outcome = ChargePending
	case AuthorizationDeclined:
		r.ReasonCode = st.ReasonCode
		r.Outcome = ChargeDeclined
		if st.ReasonCode == ReasonInvalidPaymentMethod || st.ReasonCode == ReasonPaymentAuthorizationRequired {
			r.Outcome = ChargeNeedsBuyer
		}
	default:
		r.Err = fmt.Errorf("amazonpay: AuthorizeOnBillingAgreement: unexpected authorization state %q", st.State)
	}
	return r
}

// runBatch calls do(i) for every i in [0, n), in order, on at most workers
// goroutines, and returns when all are done. When ctx ends, the indices
// not yet started get skip(i, ctx.Err()) instead, and runBatch returns
// ctx's error.
//
// A panic in do or skip (the caller's Progress, say) stops the batch: no
// index is started after it, the calls in flight finish, and once every
// worker has ended runBatch panics with the first panic's value on the
// caller's goroutine, where the caller can recover it; on a worker it
// would kill the process. A runtime.Goexit in a callback ends the caller's
// goroutine likewise.
func runBatch(ctx context.Context, n, workers int, do func(i int), skip func(i int, err error)) error {
	var (
		stop     = make(chan struct{})
		stopOnce sync.Once
		panicked any
		goexit   bool // a callback called runtime.Goexit (t.FailNow, say)
	)
	// guard runs f, turning a panic or a Goexit into the batch's stop.
	guard := func(f func()) {
		returned := false
		defer func() {
			if returned {
				return
			}
			v := recover() // nil: Goexit, which goes on unwinding
			stopOnce.Do(func() { panicked, goexit = v, v == nil; close(stop) })
		}()
		f()
		returned = true
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if !stopped() {
					guard(func() { do(i) })
				}
			}
		}()
	}
	var ctxErr error
feed:
	for i := range n {
		if stopped() {
			break
		}
		// An ended context is checked before offering i: select chooses at
		// random among ready cases, and a ready worker would start a call.
		if ctxErr = ctx.Err(); ctxErr == nil {
			select {
			case next <- i:
				continue
			case <-stop:
				break feed
			case <-ctx.Done():
				ctxErr = ctx.Err()
			}
		}
		for j := i; j < n && !stopped(); j++ {
			guard(func() { skip(j, ctxErr) })
		}
		break feed
	}
	close(next)
	wg.Wait()
	if stopped() {
		if goexit {
			runtime.Goexit()
		}
		panic(panicked)
	}
	if ctxErr == nil {
		ctxErr = ctx.Err()
	}
	return ctxErr
}
