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
// OrderTotal; afterwards only the seller note, the seller order attributes
// and the payment service provider attributes can change.
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
