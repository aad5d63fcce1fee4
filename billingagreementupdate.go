package amazonpay

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Billing agreements created before 14 September 2019 need a
// BillingAgreementType (and, for fixed charges, a SubscriptionAmount) for
// PSD2, then a ValidateBillingAgreement. UpdateBillingAgreements does both
// for a list of agreements.

// UpdateBillingAgreementsInput is the input of UpdateBillingAgreements.
type UpdateBillingAgreementsInput struct {
	// AmazonBillingAgreementIDs are the agreements to update. Required.
	AmazonBillingAgreementIDs []string
	// BillingAgreementType is set on every agreement. Required.
	BillingAgreementType BillingAgreementType
	// SubscriptionAmount, if set, is set on every agreement: only when every
	// charge of every agreement has this amount.
	SubscriptionAmount *Price
	// Quota paces the calls: each operation (SetBillingAgreementDetails,
	// ValidateBillingAgreement) gets Burst calls at once and one more every
	// Every. The zero value uses the documented quotas: 10 and 1 per second
	// live, 2 and 1 per 2 seconds in the sandbox.
	Quota Quota
	// Concurrency is how many agreements are worked on at once (default 2).
	Concurrency int
}

// Quota is a request quota as MWS documents them: a burst and a restore rate.
type Quota struct {
	Burst int
	Every time.Duration
}

// UpdateOutcome sums up what happened to one billing agreement.
type UpdateOutcome string

// Update outcomes.
const (
	// UpdateSucceeded: the details were set and the agreement validated.
	UpdateSucceeded UpdateOutcome = "Updated"
	// UpdateValidationFailed: the details were set, but validation failed
	// (see FailureReasonCode); ask the buyer for another payment method.
	UpdateValidationFailed UpdateOutcome = "ValidationFailed"
	// UpdateFailed: a call failed (see Err); run the batch again later.
	UpdateFailed UpdateOutcome = "Error"
)

// BillingAgreementUpdateResult is the result for one billing agreement.
type BillingAgreementUpdateResult struct {
	AmazonBillingAgreementID string
	Outcome                  UpdateOutcome
	ValidationResult         ValidationResult       // when validated
	FailureReasonCode        FailureReasonCode      // on ValidationFailed
	BillingAgreementStatus   BillingAgreementStatus // after validation
	Err                      error                  // on Error: the *APIError, *ValidationError, ... of the failed call
}

// UpdateBillingAgreements calls SetBillingAgreementDetails (type and
// subscription amount) then ValidateBillingAgreement for each agreement, a
// few at a time and within the documented quotas. A failure of one
// agreement never stops the others; results come in the order of the ids.
// Running it again on the same list is safe: it sets the same values and
// validates again. The error is non-nil only for invalid input (nothing is
// sent) or when ctx ends (the results say which agreements were done).
func (c *Client) UpdateBillingAgreements(ctx context.Context, in *UpdateBillingAgreementsInput, opts ...CallOption) ([]BillingAgreementUpdateResult, error) {
	const op = "UpdateBillingAgreements"
	if in == nil {
		return nil, &ValidationError{Operation: op, Field: "input", Reason: "is nil"}
	}
	v := validator{op: op}
	v.present("AmazonBillingAgreementIDs", len(in.AmazonBillingAgreementIDs) > 0)
	v.required("BillingAgreementType", string(in.BillingAgreementType))
	oneOf(&v, "BillingAgreementType", in.BillingAgreementType, CustomerInitiatedTransaction, MerchantInitiatedTransaction)
	if in.Quota.Burst < 0 || in.Quota.Every < 0 || in.Concurrency < 0 {
		v.fail("Quota", "must not be negative")
	}
	if v.err != nil {
		return nil, v.err
	}
	// Every id, and the calls made for it, are checked before the first
	// call, so that a typo or a bad amount does not leave the batch half
	// done or pace through calls that cannot succeed.
	for _, id := range in.AmazonBillingAgreementIDs {
		if reason := paramRules["AmazonBillingAgreementId"]("AmazonBillingAgreementId", id, nil); reason != "" {
			return nil, &ValidationError{Operation: op, Field: "AmazonBillingAgreementIDs", Reason: reason}
		}
		if err := c.checkAll(opts, step{"SetBillingAgreementDetails", in.setInput(id)},
			step{"ValidateBillingAgreement", &ValidateBillingAgreementInput{AmazonBillingAgreementID: id}}); err != nil {
			return nil, err
		}
	}
	quota := in.Quota
	if quota.Burst == 0 || quota.Every == 0 {
		quota = Quota{Burst: 10, Every: time.Second}
		if c.cfg.Sandbox {
			quota = Quota{Burst: 2, Every: 2 * time.Second}
		}
	}
	workers := in.Concurrency
	if workers == 0 {
		workers = 2
	}
	setPacer, validatePacer := newPacer(quota), newPacer(quota)

	results := make([]BillingAgreementUpdateResult, len(in.AmazonBillingAgreementIDs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(results)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = c.updateBillingAgreement(ctx, in, in.AmazonBillingAgreementIDs[i], setPacer, validatePacer, opts)
			}
		}()
	}
	var ctxErr error
feed:
	for i := range results {
		select {
		case next <- i:
		case <-ctx.Done():
			ctxErr = ctx.Err()
			for j := i; j < len(results); j++ {
				results[j] = BillingAgreementUpdateResult{AmazonBillingAgreementID: in.AmazonBillingAgreementIDs[j],
					Outcome: UpdateFailed, Err: ctxErr}
			}
			break feed
		}
	}
	close(next)
	wg.Wait()
	if ctxErr == nil {
		ctxErr = ctx.Err()
	}
	return results, ctxErr
}

func (c *Client) updateBillingAgreement(ctx context.Context, in *UpdateBillingAgreementsInput, id string, setPacer, validatePacer *pacer, opts []CallOption) BillingAgreementUpdateResult {
	res := BillingAgreementUpdateResult{AmazonBillingAgreementID: id, Outcome: UpdateFailed}
	if res.Err = setPacer.wait(ctx); res.Err != nil {
		return res
	}
	_, res.Err = c.SetBillingAgreementDetails(ctx, in.setInput(id), opts...)
	if res.Err != nil {
		return res
	}
	if res.Err = validatePacer.wait(ctx); res.Err != nil {
		return res
	}
	out, err := c.ValidateBillingAgreement(ctx, &ValidateBillingAgreementInput{AmazonBillingAgreementID: id}, opts...)
	if err != nil {
		res.Err = err
		return res
	}
	res.ValidationResult = out.ValidationResult
	res.FailureReasonCode = out.FailureReasonCode
	res.BillingAgreementStatus = out.BillingAgreementStatus
	switch out.ValidationResult {
	case ValidationSuccess:
		res.Outcome = UpdateSucceeded
	case ValidationFailure:
		res.Outcome = UpdateValidationFailed
	default:
		res.Err = errors.New("amazonpay: ValidateBillingAgreement: no ValidationResult in the response")
	}
	return res
}

// setInput is the SetBillingAgreementDetails call for agreement id.
func (in *UpdateBillingAgreementsInput) setInput(id string) *SetBillingAgreementDetailsInput {
	return &SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: id,
		BillingAgreementAttributes: &BillingAgreementAttributes{
			BillingAgreementType: in.BillingAgreementType,
			SubscriptionAmount:   in.SubscriptionAmount,
		},
	}
}

// pacer is a token bucket: burst tokens, one more every interval.
type pacer struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	every  time.Duration
	last   time.Time
}

func newPacer(q Quota) *pacer {
	return &pacer{tokens: float64(q.Burst), burst: float64(q.Burst), every: q.Every, last: time.Now()}
}

// wait takes a token, waiting for one if none is left, or returns ctx's error.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		p.tokens = min(p.burst, p.tokens+float64(now.Sub(p.last))/float64(p.every))
		p.last = now
		if p.tokens >= 1 {
			p.tokens--
			p.mu.Unlock()
			return nil
		}
		d := time.Duration((1 - p.tokens) * float64(p.every))
		p.mu.Unlock()
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}
