package amazonpay

import (
	"context"
	"time"
)

// AuthorizationDetails is an authorization as MWS describes it.
type AuthorizationDetails struct {
	AmazonAuthorizationID    string `xml:"AmazonAuthorizationId"` // e.g. S02-1234567-7654321-A000001
	AuthorizationReferenceID string `xml:"AuthorizationReferenceId"`
	// AuthorizationBillingAddress is returned to allow-listed merchants only.
	AuthorizationBillingAddress *Address  `xml:"AuthorizationBillingAddress"`
	SellerAuthorizationNote     string    `xml:"SellerAuthorizationNote"`
	AuthorizationAmount         Price     `xml:"AuthorizationAmount"`
	CapturedAmount              Price     `xml:"CapturedAmount"` // "0" before a capture
	AuthorizationFee            Price     `xml:"AuthorizationFee"`
	IDList                      IDList    `xml:"IdList"` // capture ids
	CreationTimestamp           time.Time `xml:"CreationTimestamp"`
	// ExpirationTimestamp is when the authorization can no longer be
	// captured: 30 days after creation (the sandbox closes it after 2).
	ExpirationTimestamp time.Time                  `xml:"ExpirationTimestamp"`
	AuthorizationStatus Status[AuthorizationState] `xml:"AuthorizationStatus"`
	OrderItemCategories OrderItemCategories        `xml:"OrderItemCategories>OrderItemCategory"`
	CaptureNow          bool                       `xml:"CaptureNow"`
	SoftDescriptor      string                     `xml:"SoftDescriptor"` // as on the statement, e.g. "AMZ*Demo Shop"
	// AddressVerificationCode is the processor's AVS result (allow-listed merchants).
	AddressVerificationCode string `xml:"AddressVerificationCode"`
	// SoftDecline tells a soft decline (true: another Authorize may succeed)
	// from a hard one (false: ask the buyer for another payment method) when
	// the state is Declined with InvalidPaymentMethod.
	SoftDecline bool `xml:"SoftDecline"`
}

// AuthorizeInput is the input of Authorize.
type AuthorizeInput struct {
	AmazonOrderReferenceID string `url:"AmazonOrderReferenceId"` // required
	// AuthorizationReferenceID is the merchant's unique id of the
	// authorization: 1 to 32 characters of A-Z a-z 0-9 _ -. Repeating a call
	// with the same id and parameters returns the first result. Required.
	AuthorizationReferenceID string `url:"AuthorizationReferenceId"`
	AuthorizationAmount      *Price `url:"AuthorizationAmount"` // required; an empty currency takes the client's
	// SellerAuthorizationNote appears in the buyer's email (≤ 255 characters).
	SellerAuthorizationNote string `url:"SellerAuthorizationNote,omitempty"`
	// TransactionTimeout is in minutes, 0 to 1440: 0 authorizes
	// synchronously (Open or Declined at once); nil leaves MWS's default of
	// 1440 (asynchronous: Pending first).
	TransactionTimeout *int `url:"TransactionTimeout,omitempty"`
	// CaptureNow captures at once on success.
	CaptureNow *bool `url:"CaptureNow,omitempty"`
	// SoftDescriptor is shown on the buyer's statement as "AMZ* <text>"
	// with CaptureNow (≤ 16 characters).
	SoftDescriptor     string             `url:"SoftDescriptor,omitempty"`
	ProviderCreditList ProviderCreditList `url:"ProviderCreditList,omitempty"`
}

func (in *AuthorizeInput) validate(v *validator) {
	v.present("AuthorizationAmount.Amount", in.AuthorizationAmount != nil)
	v.positive("AuthorizationAmount.Amount", in.AuthorizationAmount)
	in.ProviderCreditList.check(v, "ProviderCreditList")
}

// AuthorizeOutput is the output of Authorize.
type AuthorizeOutput struct {
	AuthorizationDetails AuthorizationDetails `xml:"AuthorizeResult>AuthorizationDetails"`
	ResponseMetadata
}

// Authorize reserves an amount on the buyer's payment method against an
// Open order reference. In the EU and UK call it only after the buyer
// returned from the Confirmation Flow with AuthenticationStatus=Success.
func (c *Client) Authorize(ctx context.Context, in *AuthorizeInput, opts ...CallOption) (*AuthorizeOutput, error) {
	return invoke[AuthorizeOutput](ctx, c, "Authorize", in, opts)
}

// GetAuthorizationDetailsInput is the input of GetAuthorizationDetails.
type GetAuthorizationDetailsInput struct {
	AmazonAuthorizationID string `url:"AmazonAuthorizationId"` // required
}

func (in *GetAuthorizationDetailsInput) validate(*validator) {}

// GetAuthorizationDetailsOutput is the output of GetAuthorizationDetails.
type GetAuthorizationDetailsOutput struct {
	AuthorizationDetails AuthorizationDetails `xml:"GetAuthorizationDetailsResult>AuthorizationDetails"`
	ResponseMetadata
}

// GetAuthorizationDetails returns an authorization, e.g. to learn the
// outcome of an asynchronous one.
func (c *Client) GetAuthorizationDetails(ctx context.Context, in *GetAuthorizationDetailsInput, opts ...CallOption) (*GetAuthorizationDetailsOutput, error) {
	return invoke[GetAuthorizationDetailsOutput](ctx, c, "GetAuthorizationDetails", in, opts)
}

// CloseAuthorizationInput is the input of CloseAuthorization.
type CloseAuthorizationInput struct {
	AmazonAuthorizationID string `url:"AmazonAuthorizationId"`   // required
	ClosureReason         string `url:"ClosureReason,omitempty"` // ≤ 255 characters
}

func (in *CloseAuthorizationInput) validate(v *validator) {
	// 255 here, where other closures allow 1024: the reason becomes the
	// authorization's ReasonDescription.
	v.maxLen("ClosureReason", in.ClosureReason, 255)
}

// CloseAuthorizationOutput is the output of CloseAuthorization.
type CloseAuthorizationOutput struct {
	ResponseMetadata
}

// CloseAuthorization closes an Open authorization that will not be
// captured, releasing the reserved amount.
func (c *Client) CloseAuthorization(ctx context.Context, in *CloseAuthorizationInput, opts ...CallOption) (*CloseAuthorizationOutput, error) {
	return invoke[CloseAuthorizationOutput](ctx, c, "CloseAuthorization", in, opts)
}

// CaptureDetails is a capture as MWS describes it.
type CaptureDetails struct {
	AmazonCaptureID    string               `xml:"AmazonCaptureId"` // e.g. S02-1234567-7654321-C000001
	CaptureReferenceID string               `xml:"CaptureReferenceId"`
	SellerCaptureNote  string               `xml:"SellerCaptureNote"`
	CaptureAmount      Price                `xml:"CaptureAmount"`
	RefundedAmount     Price                `xml:"RefundedAmount"` // "0" before a refund
	CaptureFee         Price                `xml:"CaptureFee"`
	IDList             IDList               `xml:"IdList"` // refund ids
	CreationTimestamp  time.Time            `xml:"CreationTimestamp"`
	CaptureStatus      Status[CaptureState] `xml:"CaptureStatus"`
	SoftDescriptor     string               `xml:"SoftDescriptor"`
	// ProviderCreditSummaryList names the provider credits of the capture.
	ProviderCreditSummaryList []ProviderCreditSummary `xml:"ProviderCreditSummaryList>member"`
	// ConvertedAmount and ConversionRate are set for multi-currency
	// payments: the amount in the merchant's ledger currency and the rate
	// (decimal text, e.g. "1.1297854087").
	ConvertedAmount *Price `xml:"ConvertedAmount"`
	ConversionRate  string `xml:"ConversionRate"`
}

// CaptureInput is the input of Capture.
type CaptureInput struct {
	AmazonAuthorizationID string `url:"AmazonAuthorizationId"` // required
	// CaptureReferenceID is the merchant's unique id of the capture: 1 to 32
	// characters of A-Z a-z 0-9 _ -. Required.
	CaptureReferenceID string `url:"CaptureReferenceId"`
	CaptureAmount      *Price `url:"CaptureAmount"` // required, at most the authorized amount; an empty currency takes the client's
	// SellerCaptureNote appears in the buyer's email (≤ 255 characters).
	SellerCaptureNote  string             `url:"SellerCaptureNote,omitempty"`
	SoftDescriptor     string             `url:"SoftDescriptor,omitempty"` // ≤ 16 characters, shown as "AMZ* <text>"
	ProviderCreditList ProviderCreditList `url:"ProviderCreditList,omitempty"`
}

func (in *CaptureInput) validate(v *validator) {
	v.present("CaptureAmount.Amount", in.CaptureAmount != nil)
	v.positive("CaptureAmount.Amount", in.CaptureAmount)
	in.ProviderCreditList.check(v, "ProviderCreditList")
}

// CaptureOutput is the output of Capture.
type CaptureOutput struct {
	CaptureDetails CaptureDetails `xml:"CaptureResult>CaptureDetails"`
	ResponseMetadata
}

// Capture moves funds of an Open authorization to the merchant. An
// authorization allows one capture; it is then Closed with
// MaxCapturesProcessed.
func (c *Client) Capture(ctx context.Context, in *CaptureInput, opts ...CallOption) (*CaptureOutput, error) {
	return invoke[CaptureOutput](ctx, c, "Capture", in, opts)
}

// GetCaptureDetailsInput is the input of GetCaptureDetails.
type GetCaptureDetailsInput struct {
	AmazonCaptureID string `url:"AmazonCaptureId"` // required
}

func (in *GetCaptureDetailsInput) validate(*validator) {}

// GetCaptureDetailsOutput is the output of GetCaptureDetails.
type GetCaptureDetailsOutput struct {
	CaptureDetails CaptureDetails `xml:"GetCaptureDetailsResult>CaptureDetails"`
	ResponseMetadata
}

// GetCaptureDetails returns a capture and the ids of its refunds.
func (c *Client) GetCaptureDetails(ctx context.Context, in *GetCaptureDetailsInput, opts ...CallOption) (*GetCaptureDetailsOutput, error) {
	return invoke[GetCaptureDetailsOutput](ctx, c, "GetCaptureDetails", in, opts)
}

// RefundDetails is a refund as MWS describes it.
type RefundDetails struct {
	AmazonRefundID    string              `xml:"AmazonRefundId"` // e.g. S02-1234567-7654321-R000001
	RefundReferenceID string              `xml:"RefundReferenceId"`
	SellerRefundNote  string              `xml:"SellerRefundNote"`
	RefundType        RefundType          `xml:"RefundType"`
	RefundAmount      Price               `xml:"RefundAmount"`
	FeeRefunded       Price               `xml:"FeeRefunded"`
	CreationTimestamp time.Time           `xml:"CreationTimestamp"`
	RefundStatus      Status[RefundState] `xml:"RefundStatus"`
	SoftDescriptor    string              `xml:"SoftDescriptor"`
	// ProviderCreditReversalSummaryList names the provider credit
	// reversals of the refund.
	ProviderCreditReversalSummaryList []ProviderCreditReversalSummary `xml:"ProviderCreditReversalSummaryList>member"`
	// ConvertedAmount and ConversionRate are set for multi-currency payments.
	ConvertedAmount *Price `xml:"ConvertedAmount"`
	ConversionRate  string `xml:"ConversionRate"`
}

// RefundInput is the input of Refund.
type RefundInput struct {
	AmazonCaptureID string `url:"AmazonCaptureId"` // required: a Completed capture
	// RefundReferenceID is the merchant's unique id of the refund: 1 to 32
	// characters of A-Z a-z 0-9 _ -. Required.
	RefundReferenceID string `url:"RefundReferenceId"`
	RefundAmount      *Price `url:"RefundAmount"` // required; an empty currency takes the client's
	// SellerRefundNote appears in the buyer's email (≤ 255 characters).
	SellerRefundNote           string                     `url:"SellerRefundNote,omitempty"`
	SoftDescriptor             string                     `url:"SoftDescriptor,omitempty"` // ≤ 16 characters
	ProviderCreditReversalList ProviderCreditReversalList `url:"ProviderCreditReversalList,omitempty"`
}

func (in *RefundInput) validate(v *validator) {
	v.present("RefundAmount.Amount", in.RefundAmount != nil)
	v.positive("RefundAmount.Amount", in.RefundAmount)
	in.ProviderCreditReversalList.check(v, "ProviderCreditReversalList")
}

// RefundOutput is the output of Refund.
type RefundOutput struct {
	RefundDetails RefundDetails `xml:"RefundResult>RefundDetails"`
	ResponseMetadata
}

// Refund returns (part of) a Completed capture to the buyer. The refund is
// Pending at first: learn its outcome from GetRefundDetails or the refund
// notification.
func (c *Client) Refund(ctx context.Context, in *RefundInput, opts ...CallOption) (*RefundOutput, error) {
	return invoke[RefundOutput](ctx, c, "Refund", in, opts)
}

// GetRefundDetailsInput is the input of GetRefundDetails.
type GetRefundDetailsInput struct {
	AmazonRefundID string `url:"AmazonRefundId"` // required
}

func (in *GetRefundDetailsInput) validate(*validator) {}

// GetRefundDetailsOutput is the output of GetRefundDetails.
type GetRefundDetailsOutput struct {
	RefundDetails RefundDetails `xml:"GetRefundDetailsResult>RefundDetails"`
	ResponseMetadata
}

// GetRefundDetails returns a refund, e.g. to learn whether a Pending one
// completed.
func (c *Client) GetRefundDetails(ctx context.Context, in *GetRefundDetailsInput, opts ...CallOption) (*GetRefundDetailsOutput, error) {
	return invoke[GetRefundDetailsOutput](ctx, c, "GetRefundDetails", in, opts)
}

func (d AuthorizationDetails) objectID() (string, string) {
	return "AmazonAuthorizationId", d.AmazonAuthorizationID
}

func (d CaptureDetails) objectID() (string, string) { return "AmazonCaptureId", d.AmazonCaptureID }

func (d RefundDetails) objectID() (string, string) { return "AmazonRefundId", d.AmazonRefundID }

func (in *CloseAuthorizationInput) settledCode() ErrorCode { return ErrorInvalidAuthorizationStatus }

func (in *CloseAuthorizationInput) settled(ctx context.Context, c *Client, opts []CallOption) (bool, error) {
	out, err := c.GetAuthorizationDetails(ctx, &GetAuthorizationDetailsInput{AmazonAuthorizationID: in.AmazonAuthorizationID}, opts...)
	return err == nil && out.AuthorizationDetails.AuthorizationStatus.State == AuthorizationClosed, err
}
