package amazonpay

import (
	"context"
	"errors"
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
	// Concurrency is how many agreements are worked on at once (default
	// 2). The client's RateLimiter paces the calls (WithRateLimiter).
	Concurrency int
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
// few at a time, paced by the client's RateLimiter. A failure of one
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
	if in.Concurrency < 0 {
		v.fail("Concurrency", "must not be negative")
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
	workers := in.Concurrency
	if workers == 0 {
		workers = 2
	}
	ctx = asBatch(ctx) // an adaptive limiter paces a batch from its first call
	results := make([]BillingAgreementUpdateResult, len(in.AmazonBillingAgreementIDs))
	err := runBatch(ctx, len(results), workers, func(i int) {
		results[i] = c.updateBillingAgreement(ctx, in, in.AmazonBillingAgreementIDs[i], opts)
	}, func(i int, err error) {
		results[i] = BillingAgreementUpdateResult{AmazonBillingAgreementID: in.AmazonBillingAgreementIDs[i], Outcome: UpdateFailed, Err: err}
	})
	return results, err
}

func (c *Client) updateBillingAgreement(ctx context.Context, in *UpdateBillingAgreementsInput, id string, opts []CallOption) BillingAgreementUpdateResult {
	res := BillingAgreementUpdateResult{AmazonBillingAgreementID: id, Outcome: UpdateFailed}
	_, res.Err = c.SetBillingAgreementDetails(ctx, in.setInput(id), opts...)
	if res.Err != nil {
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
