package amazonpay

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Price is an amount of money: decimal text (never a float) and an ISO 4217
// currency code. In inputs an empty CurrencyCode takes the client's
// configured currency.
type Price struct {
	Amount       string `url:"Amount" xml:"Amount"`             // e.g. "10.50"; "0", "500" and "5.0" occur in responses
	CurrencyCode string `url:"CurrencyCode" xml:"CurrencyCode"` // e.g. "EUR"
}

// PriceFromMinor turns an amount in minor units, as shops store it (cents,
// pence), into a Price: PriceFromMinor(1050, "EUR") is 10.50 EUR, and
// PriceFromMinor(1050, "JPY") is 1050 JPY, the yen having no minor unit. No
// float is involved. A negative amount gives a negative Price, which the
// client refuses before sending it.
func PriceFromMinor(minor int64, currencyCode string) *Price {
	code := asciiUpper(strings.TrimSpace(currencyCode))
	if code == "JPY" {
		return &Price{Amount: strconv.FormatInt(minor, 10), CurrencyCode: code}
	}
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", uint64(-(minor+1))+1 // no overflow at math.MinInt64
	}
	return &Price{Amount: fmt.Sprintf("%s%d.%02d", sign, u/100, u%100), CurrencyCode: code}
}

// EncodeValues emits key.Amount and, when set, key.CurrencyCode.
func (p *Price) EncodeValues(key string, v *url.Values) error {
	if p == nil {
		return nil
	}
	v.Set(key+".Amount", p.Amount)
	if p.CurrencyCode != "" {
		v.Set(key+".CurrencyCode", p.CurrencyCode)
	}
	return nil
}

// String returns e.g. "10.50 EUR".
func (p Price) String() string { return p.Amount + " " + p.CurrencyCode }

// Buyer is the buyer of an order reference or billing agreement.
type Buyer struct {
	Name  string `xml:"Name" log:"redact"`
	Email string `xml:"Email" log:"redact"`
	Phone string `xml:"Phone" log:"redact"`
}

// Address is a postal address. Before confirmation only City,
// StateOrRegion, PostalCode and CountryCode are returned.
type Address struct {
	Name          string `xml:"Name" log:"redact"`
	AddressLine1  string `xml:"AddressLine1" log:"redact"`
	AddressLine2  string `xml:"AddressLine2" log:"redact"`
	AddressLine3  string `xml:"AddressLine3" log:"redact"`
	City          string `xml:"City"`
	County        string `xml:"County"`
	District      string `xml:"District"`
	StateOrRegion string `xml:"StateOrRegion"`
	PostalCode    string `xml:"PostalCode"`
	CountryCode   string `xml:"CountryCode"`
	Phone         string `xml:"Phone" log:"redact"`
}

// Destination is where an order ships.
type Destination struct {
	DestinationType     string   `xml:"DestinationType"` // "Physical"
	PhysicalDestination *Address `xml:"PhysicalDestination"`
}

// BillingAddress is the billing address of the buyer's payment method,
// returned to allow-listed merchants only.
type BillingAddress struct {
	AddressType     string   `xml:"AddressType"` // "Physical"
	PhysicalAddress *Address `xml:"PhysicalAddress"`
}

// Constraint is a reason an object cannot be confirmed or used yet.
type Constraint struct {
	ConstraintID ConstraintID `xml:"ConstraintID"`
	Description  string       `xml:"Description"`
}

// ConstraintID names a constraint.
type ConstraintID string

// The documented constraint ids.
const (
	ConstraintAmountNotSet                 ConstraintID = "AmountNotSet"
	ConstraintBuyerEqualsSeller            ConstraintID = "BuyerEqualsSeller"
	ConstraintCurrencyMismatch             ConstraintID = "CurrencyMismatch"
	ConstraintPaymentMethodNotAllowed      ConstraintID = "PaymentMethodNotAllowed"
	ConstraintPaymentPlanNotSet            ConstraintID = "PaymentPlanNotSet"
	ConstraintShippingAddressNotSet        ConstraintID = "ShippingAddressNotSet"
	ConstraintBuyerConsentNotSet           ConstraintID = "BuyerConsentNotSet"
	ConstraintBillingAgreementLimitsNotSet ConstraintID = "BillingAgreementLimitsNotSet"
	ConstraintBillingAddressDeleted        ConstraintID = "BillingAddressDeleted"
)

// IDList is a list of ids: authorizations of an order reference, captures
// of an authorization, refunds of a capture. API responses list them as
// <member>, notifications as <Id>; both are read.
type IDList struct {
	Member []string `xml:"member"`
	ID     []string `xml:"Id"`
}

// IDs returns every id of the list.
func (l IDList) IDs() []string {
	return append(append([]string(nil), l.Member...), l.ID...)
}

// ReasonCode explains a state. Unknown codes parse as they are.
type ReasonCode string

// The documented reason codes of order references, authorizations,
// captures, refunds and billing agreements.
const (
	ReasonStale                        ReasonCode = "Stale"
	ReasonSellerCanceled               ReasonCode = "SellerCanceled"
	ReasonAmazonCanceled               ReasonCode = "AmazonCanceled"
	ReasonBuyerCanceled                ReasonCode = "BuyerCanceled"
	ReasonInvalidPaymentMethod         ReasonCode = "InvalidPaymentMethod"
	ReasonPaymentAuthorizationRequired ReasonCode = "PaymentAuthorizationRequired"
	ReasonExpired                      ReasonCode = "Expired"
	ReasonMaxAmountCharged             ReasonCode = "MaxAmountCharged"
	ReasonMaxAuthorizationsCaptured    ReasonCode = "MaxAuthorizationsCaptured"
	ReasonMaxAuthorizationsProcessed   ReasonCode = "MaxAuthorizationsProcessed"
	ReasonSellerClosed                 ReasonCode = "SellerClosed"
	ReasonAmazonClosed                 ReasonCode = "AmazonClosed"
	ReasonAmazonRejected               ReasonCode = "AmazonRejected"
	ReasonProcessingFailure            ReasonCode = "ProcessingFailure"
	ReasonTransactionTimedOut          ReasonCode = "TransactionTimedOut"
	ReasonExpiredUnused                ReasonCode = "ExpiredUnused"
	ReasonMaxCapturesProcessed         ReasonCode = "MaxCapturesProcessed"
	ReasonOrderReferenceCanceled       ReasonCode = "OrderReferenceCanceled"
	ReasonStopShipmentAtypicalAuth     ReasonCode = "StopShipmentAtypicalAuth"
	ReasonMaxAmountRefunded            ReasonCode = "MaxAmountRefunded"
	ReasonMaxRefundsProcessed          ReasonCode = "MaxRefundsProcessed"
)

// OrderReferenceState is the state of an order reference.
type OrderReferenceState string

// Order reference states.
const (
	OrderReferenceDraft     OrderReferenceState = "Draft"
	OrderReferenceOpen      OrderReferenceState = "Open"
	OrderReferenceSuspended OrderReferenceState = "Suspended"
	OrderReferenceCanceled  OrderReferenceState = "Canceled"
	OrderReferenceClosed    OrderReferenceState = "Closed"
)

// OrderReferenceStatus is the state of an order reference and why.
type OrderReferenceStatus struct {
	State               OrderReferenceState `xml:"State"`
	LastUpdateTimestamp time.Time           `xml:"LastUpdateTimestamp"` // zero for Draft
	ReasonCode          ReasonCode          `xml:"ReasonCode"`
	ReasonDescription   string              `xml:"ReasonDescription"`
}

// BillingAgreementState is the state of a billing agreement.
type BillingAgreementState string

// Billing agreement states.
const (
	BillingAgreementDraft     BillingAgreementState = "Draft"
	BillingAgreementOpen      BillingAgreementState = "Open"
	BillingAgreementSuspended BillingAgreementState = "Suspended"
	BillingAgreementCanceled  BillingAgreementState = "Canceled"
	BillingAgreementClosed    BillingAgreementState = "Closed"
)

// BillingAgreementStatus is the state of a billing agreement and why. API
// responses spell the time LastUpdatedTimestamp, notifications
// LastUpdateTimestamp; UpdatedAt reads whichever is set.
type BillingAgreementStatus struct {
	State                BillingAgreementState `xml:"State"`
	LastUpdatedTimestamp time.Time             `xml:"LastUpdatedTimestamp"`
	LastUpdateTimestamp  time.Time             `xml:"LastUpdateTimestamp"`
	ReasonCode           ReasonCode            `xml:"ReasonCode"`
	ReasonDescription    string                `xml:"ReasonDescription"`
}

// UpdatedAt returns the time of the last state change, whichever spelling
// carried it.
func (s BillingAgreementStatus) UpdatedAt() time.Time {
	if s.LastUpdatedTimestamp.IsZero() {
		return s.LastUpdateTimestamp
	}
	return s.LastUpdatedTimestamp
}

// BillingAgreementType says who initiates the charges of a billing
// agreement (EU/UK, Strong Customer Authentication).
type BillingAgreementType string

// Billing agreement types. MWS takes CustomerInitiatedTransaction when none is set.
const (
	CustomerInitiatedTransaction BillingAgreementType = "CustomerInitiatedTransaction"
	MerchantInitiatedTransaction BillingAgreementType = "MerchantInitiatedTransaction"
)

// ReleaseEnvironment tells the sandbox from production.
type ReleaseEnvironment string

// Release environments.
const (
	ReleaseSandbox ReleaseEnvironment = "Sandbox"
	ReleaseLive    ReleaseEnvironment = "Live"
)

// PaymentAuthenticationState is the Strong Customer Authentication state of
// an order reference. "REQUIRED" is the one value documented.
type PaymentAuthenticationState string

// PaymentAuthenticationRequired means the buyer must pass the Confirmation Flow.
const PaymentAuthenticationRequired PaymentAuthenticationState = "REQUIRED"

// PaymentAuthenticationStatus carries the SCA state of an order reference.
type PaymentAuthenticationStatus struct {
	State PaymentAuthenticationState `xml:"State"`
}

// ParentType is the kind of object an order reference was created from.
type ParentType string

// Parent types.
const (
	ParentOrderReference      ParentType = "OrderReference"
	ParentBillingAgreement    ParentType = "BillingAgreement"
	ParentChildOrderReference ParentType = "ChildOrderReference"
)

// ParentDetails points from a child order reference to its parent.
type ParentDetails struct {
	ID   string     `xml:"Id"`
	Type ParentType `xml:"Type"`
}

// PaymentDescriptor describes the buyer's payment method (allow-listed merchants).
type PaymentDescriptor struct {
	Name                  string `xml:"Name"`
	AccountNumberTail     string `xml:"AccountNumberTail"`
	FullDescriptor        string `xml:"FullDescriptor"` // e.g. "Amazon Pay (Visa **11)"
	UseAmazonBalanceFirst bool   `xml:"UseAmazonBalanceFirst"`
}

// Status is the state of an authorization, capture, refund, provider credit
// or provider credit reversal, and why. S is the object's state type, so
// that AuthorizationStatus.State is an AuthorizationState, and so on.
type Status[S ~string] struct {
	State               S          `xml:"State"`
	LastUpdateTimestamp time.Time  `xml:"LastUpdateTimestamp"`
	ReasonCode          ReasonCode `xml:"ReasonCode"`
	ReasonDescription   string     `xml:"ReasonDescription"` // ≤ 255 characters
}

// AuthorizationState is the state of an authorization. Unknown states parse
// as they are.
type AuthorizationState string

// Authorization states. Pending occurs only with a TransactionTimeout above
// 0 (asynchronous authorization).
const (
	AuthorizationPending  AuthorizationState = "Pending"
	AuthorizationOpen     AuthorizationState = "Open"
	AuthorizationDeclined AuthorizationState = "Declined"
	AuthorizationClosed   AuthorizationState = "Closed"
)

// CaptureState is the state of a capture. Unknown states parse as they are.
type CaptureState string

// Capture states. A capture can be refunded only when Completed.
const (
	CapturePending   CaptureState = "Pending"
	CaptureDeclined  CaptureState = "Declined"
	CaptureCompleted CaptureState = "Completed"
	CaptureClosed    CaptureState = "Closed"
)

// RefundState is the state of a refund. Unknown states parse as they are.
type RefundState string

// Refund states. Refund always answers Pending; GetRefundDetails (or the
// refund notification) reports Completed or Declined later.
const (
	RefundPending   RefundState = "Pending"
	RefundDeclined  RefundState = "Declined"
	RefundCompleted RefundState = "Completed"
)

// RefundType says who started a refund. Unknown types parse as they are.
type RefundType string

// Refund types. Merchants' own refunds are SellerInitiated; the A-to-z and
// chargeback types come from Amazon (the Java SDK's enumeration).
const (
	RefundTypeSellerInitiated   RefundType = "SellerInitiated"
	RefundTypeAmazonAZRefund    RefundType = "AmazonA-ZRefund"
	RefundTypeAmazonAZGuarantee RefundType = "AmazonA-ZGuarantee"
	RefundTypeAmazonAZCancel    RefundType = "AmazonA-ZCancel"
	RefundTypeChargeback        RefundType = "Chargeback"
)

// ProviderCreditState is the state of a provider credit or of a provider
// credit reversal (solution providers). Unknown states parse as they are.
type ProviderCreditState string

// Provider credit states. Completed and Closed occur in Amazon's SDK
// fixtures; Pending and Declined are the states their transactions share.
const (
	ProviderCreditPending   ProviderCreditState = "Pending"
	ProviderCreditCompleted ProviderCreditState = "Completed"
	ProviderCreditDeclined  ProviderCreditState = "Declined"
	ProviderCreditClosed    ProviderCreditState = "Closed"
)

// ReasonMaxAmountReversed closes a provider credit whose whole amount has
// been reversed.
const ReasonMaxAmountReversed ReasonCode = "MaxAmountReversed"
