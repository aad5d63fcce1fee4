package amazonpay

import (
	"context"
	"net/url"
	"time"
)

// BillingAgreementDetails is a billing agreement as MWS describes it.
type BillingAgreementDetails struct {
	AmazonBillingAgreementID         string                            `xml:"AmazonBillingAgreementId"`
	BillingAgreementLimits           *BillingAgreementLimits           `xml:"BillingAgreementLimits"`
	Buyer                            *Buyer                            `xml:"Buyer"`
	SellerNote                       string                            `xml:"SellerNote"`
	PlatformID                       string                            `xml:"PlatformId"`
	Destination                      *Destination                      `xml:"Destination"`
	BillingAddress                   *BillingAddress                   `xml:"BillingAddress"`
	ReleaseEnvironment               ReleaseEnvironment                `xml:"ReleaseEnvironment"`
	SellerBillingAgreementAttributes *SellerBillingAgreementAttributes `xml:"SellerBillingAgreementAttributes"`
	BillingAgreementStatus           BillingAgreementStatus            `xml:"BillingAgreementStatus"`
	Constraints                      []Constraint                      `xml:"Constraints>Constraint"`
	CreationTimestamp                time.Time                         `xml:"CreationTimestamp"`
	ExpirationTimestamp              time.Time                         `xml:"ExpirationTimestamp"`
	BillingAgreementConsent          bool                              `xml:"BillingAgreementConsent"`
	OrderLanguage                    string                            `xml:"OrderLanguage"`
	SubscriptionAmount               *Price                            `xml:"SubscriptionAmount"`
	BillingAgreementType             BillingAgreementType              `xml:"BillingAgreementType"`
}

// BillingAgreementLimits is the spending limit of a billing agreement per
// time period (by default 500 of the currency per calendar month).
type BillingAgreementLimits struct {
	AmountLimitPerTimePeriod Price     `xml:"AmountLimitPerTimePeriod"`
	TimePeriodStartDate      time.Time `xml:"TimePeriodStartDate"`
	TimePeriodEndDate        time.Time `xml:"TimePeriodEndDate"`
	CurrentRemainingBalance  Price     `xml:"CurrentRemainingBalance"`
}

// SellerBillingAgreementAttributes are the merchant's own data of a billing
// agreement. In responses SellerID is set in notifications only.
type SellerBillingAgreementAttributes struct {
	SellerBillingAgreementID string `url:"SellerBillingAgreementId,omitempty" xml:"SellerBillingAgreementId"`
	StoreName                string `url:"StoreName,omitempty" xml:"StoreName"`
	CustomInformation        string `url:"CustomInformation,omitempty" xml:"CustomInformation"`
	SellerID                 string `url:"-" xml:"SellerId"`
}

// EncodeValues emits key.Field for each field set.
func (a *SellerBillingAgreementAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// BillingAgreementAttributes are what SetBillingAgreementDetails sets.
type BillingAgreementAttributes struct {
	PlatformID                       string                            `url:"PlatformId,omitempty"`
	SellerNote                       string                            `url:"SellerNote,omitempty"` // ≤ 1024 characters
	SellerBillingAgreementAttributes *SellerBillingAgreementAttributes `url:"SellerBillingAgreementAttributes,omitempty"`
	// BillingAgreementType: MerchantInitiatedTransaction for charges the
	// merchant starts (subscriptions), CustomerInitiatedTransaction (the
	// default) for charges the buyer starts. EU/UK.
	BillingAgreementType BillingAgreementType `url:"BillingAgreementType,omitempty"`
	// SubscriptionAmount: set it only if every charge has this amount.
	SubscriptionAmount *Price `url:"SubscriptionAmount,omitempty"`
}

// EncodeValues emits key.Field for each field set.
func (a *BillingAgreementAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// SetBillingAgreementDetailsInput is the input of SetBillingAgreementDetails.
type SetBillingAgreementDetailsInput struct {
	AmazonBillingAgreementID   string                      `url:"AmazonBillingAgreementId"` // required
	BillingAgreementAttributes *BillingAgreementAttributes `url:"BillingAgreementAttributes,omitempty"`
}

func (in *SetBillingAgreementDetailsInput) validate(v *validator) {
	a := in.BillingAgreementAttributes
	if a == nil || *a == (BillingAgreementAttributes{}) {
		v.fail("BillingAgreementAttributes", "is required: set at least one attribute")
		return
	}
	oneOf(v, "BillingAgreementAttributes.BillingAgreementType", a.BillingAgreementType,
		CustomerInitiatedTransaction, MerchantInitiatedTransaction)
}

func (in *SetBillingAgreementDetailsInput) platformIDParam() string {
	return "BillingAgreementAttributes.PlatformId"
}

// SetBillingAgreementDetailsOutput is the output of SetBillingAgreementDetails.
type SetBillingAgreementDetailsOutput struct {
	BillingAgreementDetails BillingAgreementDetails `xml:"SetBillingAgreementDetailsResult>BillingAgreementDetails"`
	ResponseMetadata
}

// SetBillingAgreementDetails sets the type, subscription amount and the
// merchant's data of a Draft billing agreement. For agreements created
// before SCA, see also UpdateBillingAgreements.
func (c *Client) SetBillingAgreementDetails(ctx context.Context, in *SetBillingAgreementDetailsInput, opts ...CallOption) (*SetBillingAgreementDetailsOutput, error) {
	return invoke[SetBillingAgreementDetailsOutput](ctx, c, "SetBillingAgreementDetails", in, opts)
}

// ConfirmBillingAgreementInput is the input of ConfirmBillingAgreement.
type ConfirmBillingAgreementInput struct {
	AmazonBillingAgreementID string `url:"AmazonBillingAgreementId"` // required
	// SuccessURL is where the Confirmation Flow returns the buyer (EU/UK);
	// without a FailureURL, failures return there too.
	SuccessURL string `url:"SuccessUrl,omitempty"`
	FailureURL string `url:"FailureUrl,omitempty"`
}

func (in *ConfirmBillingAgreementInput) validate(v *validator) {
	if in.FailureURL != "" && in.SuccessURL == "" {
		v.fail("SuccessUrl", "is required when FailureUrl is set")
	}
}

// ConfirmBillingAgreementOutput is the output of ConfirmBillingAgreement.
type ConfirmBillingAgreementOutput struct {
	ResponseMetadata
}

// ConfirmBillingAgreement confirms a billing agreement: it moves from Draft
// to Open. With SuccessURL (EU/UK) it starts the Confirmation Flow: call
// ValidateBillingAgreement once the buyer returns with
// AuthenticationStatus=Success.
func (c *Client) ConfirmBillingAgreement(ctx context.Context, in *ConfirmBillingAgreementInput, opts ...CallOption) (*ConfirmBillingAgreementOutput, error) {
	return invoke[ConfirmBillingAgreementOutput](ctx, c, "ConfirmBillingAgreement", in, opts)
}

// ValidateBillingAgreementInput is the input of ValidateBillingAgreement.
type ValidateBillingAgreementInput struct {
	AmazonBillingAgreementID string `url:"AmazonBillingAgreementId"` // required
}

func (in *ValidateBillingAgreementInput) validate(*validator) {}

// ValidationResult is the verdict of ValidateBillingAgreement.
type ValidationResult string

// Validation results.
const (
	ValidationSuccess ValidationResult = "Success"
	ValidationFailure ValidationResult = "Failure"
)

// FailureReasonCode says why a billing agreement failed validation.
type FailureReasonCode string

// Failure reason codes.
const (
	FailureInvalidPaymentMethod FailureReasonCode = "InvalidPaymentMethod"
	FailureValidationTimedOut   FailureReasonCode = "ValidationTimedOut"
)

// ValidateBillingAgreementOutput is the output of ValidateBillingAgreement.
type ValidateBillingAgreementOutput struct {
	ValidationResult       ValidationResult       `xml:"ValidateBillingAgreementResult>ValidationResult"`
	FailureReasonCode      FailureReasonCode      `xml:"ValidateBillingAgreementResult>FailureReasonCode"` // on Failure only
	BillingAgreementStatus BillingAgreementStatus `xml:"ValidateBillingAgreementResult>BillingAgreementStatus"`
	ResponseMetadata
}

// ValidateBillingAgreement checks that a billing agreement's payment method
// can be charged. On Failure with InvalidPaymentMethod the agreement is
// Suspended until the buyer picks another method.
func (c *Client) ValidateBillingAgreement(ctx context.Context, in *ValidateBillingAgreementInput, opts ...CallOption) (*ValidateBillingAgreementOutput, error) {
	return invoke[ValidateBillingAgreementOutput](ctx, c, "ValidateBillingAgreement", in, opts)
}
