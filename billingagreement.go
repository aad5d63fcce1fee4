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

// empty reports whether a sends no parameter.
func (a *SellerBillingAgreementAttributes) empty() bool {
	return a == nil || a.SellerBillingAgreementID == "" && a.StoreName == "" && a.CustomInformation == ""
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
	if a == nil || a.PlatformID == "" && a.SellerNote == "" && a.SellerBillingAgreementAttributes.empty() &&
		a.BillingAgreementType == "" && a.SubscriptionAmount == nil {
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

// GetBillingAgreementDetailsInput is the input of GetBillingAgreementDetails.
type GetBillingAgreementDetailsInput struct {
	AmazonBillingAgreementID string `url:"AmazonBillingAgreementId"` // required
	// AccessToken is the buyer's Login with Amazon access token; with it the
	// full address is returned before confirmation.
	AccessToken string `url:"AccessToken,omitempty"`
	// AddressConsentToken is the legacy name of AccessToken. Set one of the
	// two, never both: MWS refuses both with AmbiguousToken.
	AddressConsentToken string `url:"AddressConsentToken,omitempty"`
}

func (in *GetBillingAgreementDetailsInput) validate(v *validator) {
	if in.AccessToken != "" && in.AddressConsentToken != "" {
		v.fail("AddressConsentToken", "must not be sent together with AccessToken (MWS answers AmbiguousToken)")
	}
}

// GetBillingAgreementDetailsOutput is the output of GetBillingAgreementDetails.
type GetBillingAgreementDetailsOutput struct {
	BillingAgreementDetails BillingAgreementDetails `xml:"GetBillingAgreementDetailsResult>BillingAgreementDetails"`
	ResponseMetadata
}

// GetBillingAgreementDetails returns a billing agreement: its state,
// limits, consent, constraints and destination.
func (c *Client) GetBillingAgreementDetails(ctx context.Context, in *GetBillingAgreementDetailsInput, opts ...CallOption) (*GetBillingAgreementDetailsOutput, error) {
	return invoke[GetBillingAgreementDetailsOutput](ctx, c, "GetBillingAgreementDetails", in, opts)
}

// AuthorizeOnBillingAgreementInput is the input of AuthorizeOnBillingAgreement.
// Unlike SetOrderReferenceDetails, SellerNote, PlatformID and
// SellerOrderAttributes are top-level parameters here.
type AuthorizeOnBillingAgreementInput struct {
	AmazonBillingAgreementID string `url:"AmazonBillingAgreementId"` // required: an Open billing agreement
	// AuthorizationReferenceID is the merchant's unique id of the
	// authorization: 1 to 32 characters of A-Z a-z 0-9 _ -. Required.
	AuthorizationReferenceID string `url:"AuthorizationReferenceId"`
	AuthorizationAmount      *Price `url:"AuthorizationAmount"` // required; an empty currency takes the client's
	// SellerAuthorizationNote appears in the buyer's email (≤ 255 characters).
	SellerAuthorizationNote string `url:"SellerAuthorizationNote,omitempty"`
	// TransactionTimeout is in minutes, 0 (synchronous) to 1440; nil leaves
	// MWS's default of 1440.
	TransactionTimeout *int   `url:"TransactionTimeout,omitempty"`
	CaptureNow         *bool  `url:"CaptureNow,omitempty"`     // capture at once on success
	SoftDescriptor     string `url:"SoftDescriptor,omitempty"` // ≤ 16 characters, shown as "AMZ* <text>"
	// SellerNote, PlatformID and SellerOrderAttributes go to the order
	// reference Amazon creates for the charge.
	SellerNote            string                 `url:"SellerNote,omitempty"` // ≤ 1024 characters
	PlatformID            string                 `url:"PlatformId,omitempty"`
	SellerOrderAttributes *SellerOrderAttributes `url:"SellerOrderAttributes,omitempty"`
	// InheritShippingAddress: nil leaves it to MWS (default true); false
	// must be sent on purpose, e.g. for digital goods.
	InheritShippingAddress *bool              `url:"InheritShippingAddress,omitempty"`
	ProviderCreditList     ProviderCreditList `url:"ProviderCreditList,omitempty"`
}

func (in *AuthorizeOnBillingAgreementInput) validate(v *validator) {
	v.present("AuthorizationAmount.Amount", in.AuthorizationAmount != nil)
	in.ProviderCreditList.check(v, "ProviderCreditList")
}

func (in *AuthorizeOnBillingAgreementInput) platformIDParam() string { return "PlatformId" }

// AuthorizeOnBillingAgreementOutput is the output of AuthorizeOnBillingAgreement.
type AuthorizeOnBillingAgreementOutput struct {
	AuthorizationDetails AuthorizationDetails `xml:"AuthorizeOnBillingAgreementResult>AuthorizationDetails"`
	// AmazonOrderReferenceID is the order reference Amazon created,
	// confirmed and closed for the charge; its ParentDetails point at the
	// billing agreement.
	AmazonOrderReferenceID string `xml:"AuthorizeOnBillingAgreementResult>AmazonOrderReferenceId"`
	ResponseMetadata
}

// AuthorizeOnBillingAgreement charges an Open billing agreement: it creates
// and confirms an order reference, authorizes on it and closes it, in one
// call. Merchant-initiated charges need a billing agreement of type
// MerchantInitiatedTransaction (EU/UK).
func (c *Client) AuthorizeOnBillingAgreement(ctx context.Context, in *AuthorizeOnBillingAgreementInput, opts ...CallOption) (*AuthorizeOnBillingAgreementOutput, error) {
	return invoke[AuthorizeOnBillingAgreementOutput](ctx, c, "AuthorizeOnBillingAgreement", in, opts)
}

// CloseBillingAgreementInput is the input of CloseBillingAgreement.
type CloseBillingAgreementInput struct {
	AmazonBillingAgreementID string `url:"AmazonBillingAgreementId"` // required
	// ClosureReason (≤ 1024 characters) becomes the ReasonDescription of the
	// Closed state.
	ClosureReason string `url:"ClosureReason,omitempty"`
}

func (in *CloseBillingAgreementInput) validate(*validator) {}

// CloseBillingAgreementOutput is the output of CloseBillingAgreement.
type CloseBillingAgreementOutput struct {
	ResponseMetadata
}

// CloseBillingAgreement closes a billing agreement, e.g. when the buyer
// ends a subscription: no new charges, but existing authorizations can be
// captured and captures refunded.
func (c *Client) CloseBillingAgreement(ctx context.Context, in *CloseBillingAgreementInput, opts ...CallOption) (*CloseBillingAgreementOutput, error) {
	return invoke[CloseBillingAgreementOutput](ctx, c, "CloseBillingAgreement", in, opts)
}

func (d BillingAgreementDetails) objectID() (string, string) {
	return "AmazonBillingAgreementId", d.AmazonBillingAgreementID
}

func (in *CloseBillingAgreementInput) settledCode() ErrorCode {
	return ErrorInvalidBillingAgreementStatus
}

func (in *CloseBillingAgreementInput) settled(ctx context.Context, c *Client, opts []CallOption) (bool, error) {
	out, err := c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: in.AmazonBillingAgreementID}, opts...)
	return err == nil && out.BillingAgreementDetails.BillingAgreementStatus.State == BillingAgreementClosed, err
}
