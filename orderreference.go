package amazonpay

import (
	"context"
	"net/url"
	"time"
)

// OrderReferenceDetails is an order reference as MWS describes it.
type OrderReferenceDetails struct {
	AmazonOrderReferenceID           string                            `xml:"AmazonOrderReferenceId"`
	Buyer                            *Buyer                            `xml:"Buyer"`
	OrderTotal                       *Price                            `xml:"OrderTotal"`
	SellerNote                       string                            `xml:"SellerNote"`
	PlatformID                       string                            `xml:"PlatformId"`
	Destination                      *Destination                      `xml:"Destination"`
	PaymentDescriptor                *PaymentDescriptor                `xml:"PaymentDescriptor"`
	BillingAddress                   *BillingAddress                   `xml:"BillingAddress"`
	ReleaseEnvironment               ReleaseEnvironment                `xml:"ReleaseEnvironment"`
	SellerOrderAttributes            *SellerOrderAttributes            `xml:"SellerOrderAttributes"`
	OrderReferenceStatus             OrderReferenceStatus              `xml:"OrderReferenceStatus"`
	Constraints                      []Constraint                      `xml:"Constraints>Constraint"`
	CreationTimestamp                time.Time                         `xml:"CreationTimestamp"`
	ExpirationTimestamp              time.Time                         `xml:"ExpirationTimestamp"`
	ParentDetails                    *ParentDetails                    `xml:"ParentDetails"`
	IDList                           IDList                            `xml:"IdList"` // authorization ids
	OrderLanguage                    string                            `xml:"OrderLanguage"`
	RequestPaymentAuthorization      bool                              `xml:"RequestPaymentAuthorization"`
	PaymentServiceProviderAttributes *PaymentServiceProviderAttributes `xml:"PaymentServiceProviderAttributes"`
	PaymentReference                 *PaymentReference                 `xml:"PaymentReference"`
	PaymentAuthenticationStatus      *PaymentAuthenticationStatus      `xml:"PaymentAuthenticationStatus"`
}

// SellerOrderAttributes are the merchant's own order data. In responses
// SellerID is set in notifications only.
type SellerOrderAttributes struct {
	SellerOrderID       string              `url:"SellerOrderId,omitempty" xml:"SellerOrderId"`
	StoreName           string              `url:"StoreName,omitempty" xml:"StoreName"`
	CustomInformation   string              `url:"CustomInformation,omitempty" xml:"CustomInformation"`
	SupplementaryData   string              `url:"SupplementaryData,omitempty" xml:"SupplementaryData"` // JSON; only when Amazon asks for it
	OrderItemCategories OrderItemCategories `url:"OrderItemCategories,omitempty" xml:"OrderItemCategories>OrderItemCategory"`
	SellerID            string              `url:"-" xml:"SellerId"`
}

// EncodeValues emits key.Field for each field set.
func (a *SellerOrderAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// OrderItemCategories lists the categories of the items of an order.
type OrderItemCategories []string

// EncodeValues emits key.OrderItemCategory.N, N from 1.
func (c OrderItemCategories) EncodeValues(key string, v *url.Values) error {
	encodeStrings(key, "OrderItemCategory", c, v)
	return nil
}

// PaymentServiceProviderAttributes identify a payment service provider's order.
type PaymentServiceProviderAttributes struct {
	PaymentServiceProviderID      string `url:"PaymentServiceProviderId,omitempty" xml:"PaymentServiceProviderId"`
	PaymentServiceProviderOrderID string `url:"PaymentServiceProviderOrderId,omitempty" xml:"PaymentServiceProviderOrderId"`
}

// EncodeValues emits key.Field for each field set.
func (a *PaymentServiceProviderAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// PaymentReference carries an opaque token of the buyer's payment method.
type PaymentReference struct {
	StaticToken string `xml:"StaticToken"`
}

// OrderAttributes are what SetOrderAttributes sets. OrderTotal, PlatformID
// and OrderItemCategories can only change before the order reference is
// confirmed.
type OrderAttributes struct {
	OrderTotal                       *Price                            `url:"OrderTotal,omitempty"`
	PlatformID                       string                            `url:"PlatformId,omitempty"`
	SellerNote                       string                            `url:"SellerNote,omitempty"` // ≤ 1024 characters
	SellerOrderAttributes            *SellerOrderAttributes            `url:"SellerOrderAttributes,omitempty"`
	RequestPaymentAuthorization      *bool                             `url:"RequestPaymentAuthorization,omitempty"`
	PaymentServiceProviderAttributes *PaymentServiceProviderAttributes `url:"PaymentServiceProviderAttributes,omitempty"`
}

// EncodeValues emits key.Field for each field set.
func (a *OrderAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// SetOrderAttributesInput is the input of SetOrderAttributes.
type SetOrderAttributesInput struct {
	AmazonOrderReferenceID string           `url:"AmazonOrderReferenceId"` // required
	OrderAttributes        *OrderAttributes `url:"OrderAttributes,omitempty"`
}

func (in *SetOrderAttributesInput) validate(v *validator) {
	v.present("OrderAttributes", in.OrderAttributes != nil)
}

// platformIDParam: the configured platform id is filled in only together
// with an OrderTotal, since both can only be set before confirmation.
func (in *SetOrderAttributesInput) platformIDParam() string {
	if in.OrderAttributes != nil && in.OrderAttributes.OrderTotal != nil {
		return "OrderAttributes.PlatformId"
	}
	return ""
}

// SetOrderAttributesOutput is the output of SetOrderAttributes.
type SetOrderAttributesOutput struct {
	OrderReferenceDetails OrderReferenceDetails `xml:"SetOrderAttributesResult>OrderReferenceDetails"`
	ResponseMetadata
}

// SetOrderAttributes sets the order total and the merchant's order data of
// an order reference. Call it before ConfirmOrderReference with the final
// OrderTotal; afterwards the OrderTotal, PlatformID and OrderItemCategories
// can no longer change (the seller note, SellerOrderId, StoreName,
// CustomInformation and the payment service provider attributes still can).
func (c *Client) SetOrderAttributes(ctx context.Context, in *SetOrderAttributesInput, opts ...CallOption) (*SetOrderAttributesOutput, error) {
	return invoke[SetOrderAttributesOutput](ctx, c, "SetOrderAttributes", in, opts)
}

// ConfirmOrderReferenceInput is the input of ConfirmOrderReference.
type ConfirmOrderReferenceInput struct {
	AmazonOrderReferenceID string `url:"AmazonOrderReferenceId"` // required
	// SuccessURL and FailureURL are where the Confirmation Flow sends the
	// buyer back (EU/UK, Strong Customer Authentication); parse the return
	// with ParseConfirmationRedirect. Absolute https URLs.
	SuccessURL string `url:"SuccessUrl,omitempty"`
	FailureURL string `url:"FailureUrl,omitempty"`
	// AuthorizationAmount is the amount to authenticate, if not the OrderTotal.
	AuthorizationAmount *Price `url:"AuthorizationAmount,omitempty"`
	// ExpectImmediateAuthorization promises an Authorize shortly after
	// confirmation (within 50 minutes per Amazon's integration guide);
	// without one the order reference is closed.
	ExpectImmediateAuthorization *bool `url:"ExpectImmediateAuthorization,omitempty"`
}

func (in *ConfirmOrderReferenceInput) validate(v *validator) {
	if in.FailureURL != "" && in.SuccessURL == "" {
		v.fail("SuccessUrl", "is required when FailureUrl is set")
	}
}

// ConfirmOrderReferenceOutput is the output of ConfirmOrderReference.
type ConfirmOrderReferenceOutput struct {
	ResponseMetadata
}

// ConfirmOrderReference confirms an order reference: it moves from Draft to
// Open. With SuccessURL and FailureURL (EU/UK) it starts the Confirmation
// Flow: call Authorize only once the buyer returns to SuccessURL with
// AuthenticationStatus=Success.
func (c *Client) ConfirmOrderReference(ctx context.Context, in *ConfirmOrderReferenceInput, opts ...CallOption) (*ConfirmOrderReferenceOutput, error) {
	return invoke[ConfirmOrderReferenceOutput](ctx, c, "ConfirmOrderReference", in, opts)
}

// GetOrderReferenceDetailsInput is the input of GetOrderReferenceDetails.
type GetOrderReferenceDetailsInput struct {
	AmazonOrderReferenceID string `url:"AmazonOrderReferenceId"` // required
	// AccessToken is the buyer's Login with Amazon access token; with it the
	// full shipping address (and, for allow-listed merchants, the billing
	// address) is returned before confirmation.
	AccessToken string `url:"AccessToken,omitempty"`
	// AddressConsentToken is the legacy name of AccessToken. Set one of the
	// two, never both: MWS refuses both with AmbiguousToken.
	AddressConsentToken string `url:"AddressConsentToken,omitempty"`
}

func (in *GetOrderReferenceDetailsInput) validate(v *validator) {
	if in.AccessToken != "" && in.AddressConsentToken != "" {
		v.fail("AddressConsentToken", "must not be sent together with AccessToken (MWS answers AmbiguousToken)")
	}
}

// GetOrderReferenceDetailsOutput is the output of GetOrderReferenceDetails.
type GetOrderReferenceDetailsOutput struct {
	OrderReferenceDetails OrderReferenceDetails `xml:"GetOrderReferenceDetailsResult>OrderReferenceDetails"`
	ResponseMetadata
}

// GetOrderReferenceDetails returns an order reference: its state, amounts,
// buyer, destination and the ids of its authorizations.
func (c *Client) GetOrderReferenceDetails(ctx context.Context, in *GetOrderReferenceDetailsInput, opts ...CallOption) (*GetOrderReferenceDetailsOutput, error) {
	return invoke[GetOrderReferenceDetailsOutput](ctx, c, "GetOrderReferenceDetails", in, opts)
}

// OrderReferenceAttributes are what SetOrderReferenceDetails and
// CreateOrderReferenceForId set on an order reference.
type OrderReferenceAttributes struct {
	// OrderTotal is required by SetOrderReferenceDetails; an empty currency
	// takes the client's.
	OrderTotal *Price `url:"OrderTotal,omitempty"`
	PlatformID string `url:"PlatformId,omitempty"` // the solution provider id
	SellerNote string `url:"SellerNote,omitempty"` // ≤ 1024 characters; shown to the buyer
	// SellerOrderAttributes carry the merchant's order id and data.
	// SupplementaryData goes here (…SellerOrderAttributes.SupplementaryData),
	// as the data model and the Ruby, Java and C# SDKs have it.
	SellerOrderAttributes *SellerOrderAttributes `url:"SellerOrderAttributes,omitempty"`
	// RequestPaymentAuthorization asks Amazon to have the buyer authenticate
	// the payment (SetOrderReferenceDetails only).
	RequestPaymentAuthorization *bool `url:"RequestPaymentAuthorization,omitempty"`
}

// EncodeValues emits key.Field for each field set.
func (a *OrderReferenceAttributes) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// SetOrderReferenceDetailsInput is the input of SetOrderReferenceDetails.
type SetOrderReferenceDetailsInput struct {
	AmazonOrderReferenceID   string                    `url:"AmazonOrderReferenceId"` // required
	OrderReferenceAttributes *OrderReferenceAttributes `url:"OrderReferenceAttributes,omitempty"`
}

func (in *SetOrderReferenceDetailsInput) validate(v *validator) {
	v.present("OrderReferenceAttributes.OrderTotal.Amount",
		in.OrderReferenceAttributes != nil && in.OrderReferenceAttributes.OrderTotal != nil)
}

func (in *SetOrderReferenceDetailsInput) platformIDParam() string {
	return "OrderReferenceAttributes.PlatformId"
}

// SetOrderReferenceDetailsOutput is the output of SetOrderReferenceDetails.
type SetOrderReferenceDetailsOutput struct {
	OrderReferenceDetails OrderReferenceDetails `xml:"SetOrderReferenceDetailsResult>OrderReferenceDetails"`
	ResponseMetadata
}

// SetOrderReferenceDetails sets the order total and the merchant's data of
// a Draft order reference. Once the order reference is confirmed it fails
// with OrderReferenceNotModifiable; use SetOrderAttributes then.
func (c *Client) SetOrderReferenceDetails(ctx context.Context, in *SetOrderReferenceDetailsInput, opts ...CallOption) (*SetOrderReferenceDetailsOutput, error) {
	return invoke[SetOrderReferenceDetailsOutput](ctx, c, "SetOrderReferenceDetails", in, opts)
}

// CancelOrderReferenceInput is the input of CancelOrderReference.
type CancelOrderReferenceInput struct {
	AmazonOrderReferenceID string `url:"AmazonOrderReferenceId"`      // required
	CancelationReason      string `url:"CancelationReason,omitempty"` // ≤ 1024 characters; MWS spells it with one "l"
}

func (in *CancelOrderReferenceInput) validate(*validator) {}

// CancelOrderReferenceOutput is the output of CancelOrderReference.
type CancelOrderReferenceOutput struct {
	ResponseMetadata
}

// CancelOrderReference cancels an order reference on which nothing has been
// captured; its open and pending authorizations are closed. With captures
// it fails with InvalidCancelAttempt: close it instead.
func (c *Client) CancelOrderReference(ctx context.Context, in *CancelOrderReferenceInput, opts ...CallOption) (*CancelOrderReferenceOutput, error) {
	return invoke[CancelOrderReferenceOutput](ctx, c, "CancelOrderReference", in, opts)
}

// CloseOrderReferenceInput is the input of CloseOrderReference.
type CloseOrderReferenceInput struct {
	AmazonOrderReferenceID string `url:"AmazonOrderReferenceId"`  // required
	ClosureReason          string `url:"ClosureReason,omitempty"` // ≤ 1024 characters
}

func (in *CloseOrderReferenceInput) validate(*validator) {}

// CloseOrderReferenceOutput is the output of CloseOrderReference.
type CloseOrderReferenceOutput struct {
	ResponseMetadata
}

// CloseOrderReference closes an order reference: no new authorizations,
// but its open authorizations can still be captured and its captures
// refunded. Close it once the order is fulfilled.
func (c *Client) CloseOrderReference(ctx context.Context, in *CloseOrderReferenceInput, opts ...CallOption) (*CloseOrderReferenceOutput, error) {
	return invoke[CloseOrderReferenceOutput](ctx, c, "CloseOrderReference", in, opts)
}

// IDType names the kind of object CreateOrderReferenceForId creates an
// order reference from.
type IDType string

// Id types.
const (
	IDTypeBillingAgreement IDType = "BillingAgreement"
	IDTypeOrderReference   IDType = "OrderReference"
)

// CreateOrderReferenceForIdInput is the input of CreateOrderReferenceForId.
type CreateOrderReferenceForIdInput struct {
	// ID is the id of the object to create the order reference from: a
	// billing agreement id (C02-…, B02-…) for IDTypeBillingAgreement, an
	// order reference id (S02-…, P02-…) for IDTypeOrderReference. Required.
	ID     string `url:"Id"`
	IDType IDType `url:"IdType"` // required
	// InheritShippingAddress: nil leaves it to MWS (documented default
	// true); false must be sent on purpose.
	InheritShippingAddress *bool `url:"InheritShippingAddress,omitempty"`
	// ConfirmNow confirms the new order reference at once.
	ConfirmNow               *bool                     `url:"ConfirmNow,omitempty"`
	OrderReferenceAttributes *OrderReferenceAttributes `url:"OrderReferenceAttributes,omitempty"`
}

func (in *CreateOrderReferenceForIdInput) validate(v *validator) {
	if in.ID == "" {
		v.fail("Id", "is required")
		return
	}
	var match func(string) bool
	var want string
	switch in.IDType {
	case IDTypeBillingAgreement:
		match, want = isBillingAgreementID, "a billing agreement id like C02-1234567-1234567"
	case IDTypeOrderReference:
		match, want = isOrderReferenceID, "an order reference id like S02-1234567-1234567"
	default:
		return // the IdType rule reports it
	}
	if !match(in.ID) {
		v.fail("Id", "%q is not %s (IdType %s)", in.ID, want, in.IDType)
	}
}

// unrepeatable: each call creates another order reference.
func (in *CreateOrderReferenceForIdInput) unrepeatable() {}

func (in *CreateOrderReferenceForIdInput) platformIDParam() string {
	return "OrderReferenceAttributes.PlatformId"
}

// CreateOrderReferenceForIdOutput is the output of CreateOrderReferenceForId.
type CreateOrderReferenceForIdOutput struct {
	// OrderReferenceDetails is the new order reference; its ParentDetails
	// point at ID.
	OrderReferenceDetails OrderReferenceDetails `xml:"CreateOrderReferenceForIdResult>OrderReferenceDetails"`
	ResponseMetadata
}

// CreateOrderReferenceForId creates an order reference from an Open billing
// agreement (or another order reference), for a charge that Authorize then
// authorizes. AuthorizeOnBillingAgreement does all of this in one call.
//
// Each call creates another order reference, so a call that failed without
// a reply from MWS (a *RequestError, or an *UnexpectedResponseError from a
// gateway) is not retried: it may have created one. See RetryPolicy.
func (c *Client) CreateOrderReferenceForId(ctx context.Context, in *CreateOrderReferenceForIdInput, opts ...CallOption) (*CreateOrderReferenceForIdOutput, error) {
	return invoke[CreateOrderReferenceForIdOutput](ctx, c, "CreateOrderReferenceForId", in, opts)
}

func (d OrderReferenceDetails) objectID() (string, string) {
	return "AmazonOrderReferenceId", d.AmazonOrderReferenceID
}

func (in *CancelOrderReferenceInput) settledCode() ErrorCode { return ErrorInvalidOrderReferenceStatus }

func (in *CancelOrderReferenceInput) settled(ctx context.Context, c *Client, opts []CallOption) (bool, error) {
	return orderReferenceIn(ctx, c, in.AmazonOrderReferenceID, OrderReferenceCanceled, opts)
}

func (in *CloseOrderReferenceInput) settledCode() ErrorCode { return ErrorInvalidOrderReferenceStatus }

func (in *CloseOrderReferenceInput) settled(ctx context.Context, c *Client, opts []CallOption) (bool, error) {
	return orderReferenceIn(ctx, c, in.AmazonOrderReferenceID, OrderReferenceClosed, opts)
}

// orderReferenceIn reports whether the order reference is in state.
func orderReferenceIn(ctx context.Context, c *Client, id string, state OrderReferenceState, opts []CallOption) (bool, error) {
	out, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id}, opts...)
	return err == nil && out.OrderReferenceDetails.OrderReferenceStatus.State == state, err
}
