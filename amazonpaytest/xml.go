package amazonpaytest

import (
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Responses are built from these structs with encoding/xml, which escapes
// all text; field order is the XSD (Java propOrder) order of spec §1.

const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func newRequestID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return formatRequestID(b)
}

// formatRequestID writes a request id as MWS does: a UUID in lower case.
func formatRequestID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// parseRequestID reads what formatRequestID wrote.
func parseRequestID(s string) (b [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if n, err := hex.Decode(b[:], []byte(h)); err != nil || n != 16 || formatRequestID(b) != s {
		return b, false
	}
	return b, true
}

type xPrice struct {
	Amount       string `xml:"Amount"`
	CurrencyCode string `xml:"CurrencyCode"`
}

// xOrderTotal is a Price in OrderTotal's own propOrder (currency first).
type xOrderTotal struct {
	CurrencyCode string `xml:"CurrencyCode"`
	Amount       string `xml:"Amount"`
}

type xBuyer struct {
	Name  string `xml:"Name,omitempty"`
	Email string `xml:"Email,omitempty"`
	Phone string `xml:"Phone,omitempty"`
}

type xAddress struct {
	Name          string `xml:"Name,omitempty"`
	AddressLine1  string `xml:"AddressLine1,omitempty"`
	AddressLine2  string `xml:"AddressLine2,omitempty"`
	AddressLine3  string `xml:"AddressLine3,omitempty"`
	City          string `xml:"City,omitempty"`
	County        string `xml:"County,omitempty"`
	District      string `xml:"District,omitempty"`
	StateOrRegion string `xml:"StateOrRegion,omitempty"`
	PostalCode    string `xml:"PostalCode,omitempty"`
	CountryCode   string `xml:"CountryCode,omitempty"`
	Phone         string `xml:"Phone,omitempty"`
}

type xDestination struct {
	DestinationType     string    `xml:"DestinationType"`
	PhysicalDestination *xAddress `xml:"PhysicalDestination"`
}

type xPaymentDescriptor struct {
	FullDescriptor        string `xml:"FullDescriptor"`
	UseAmazonBalanceFirst bool   `xml:"UseAmazonBalanceFirst"`
}

type xStatus struct {
	State               string `xml:"State"`
	LastUpdateTimestamp string `xml:"LastUpdateTimestamp,omitempty"`
	ReasonCode          string `xml:"ReasonCode,omitempty"`
	ReasonDescription   string `xml:"ReasonDescription,omitempty"`
}

// xBAStatus spells the time LastUpdatedTimestamp, as API responses do.
type xBAStatus struct {
	State                string `xml:"State"`
	LastUpdatedTimestamp string `xml:"LastUpdatedTimestamp,omitempty"`
	ReasonCode           string `xml:"ReasonCode,omitempty"`
	ReasonDescription    string `xml:"ReasonDescription,omitempty"`
}

type xConstraint struct {
	ConstraintID string `xml:"ConstraintID"`
	Description  string `xml:"Description"`
}

type xConstraints struct {
	Constraint []xConstraint `xml:"Constraint"`
}

type xIDList struct {
	Member []string `xml:"member"`
}

type xSellerOrderAttributes struct {
	SellerOrderID       string       `xml:"SellerOrderId,omitempty"`
	StoreName           string       `xml:"StoreName,omitempty"`
	SupplementaryData   string       `xml:"SupplementaryData,omitempty"`
	OrderItemCategories *xCategories `xml:"OrderItemCategories,omitempty"`
	CustomInformation   string       `xml:"CustomInformation,omitempty"`
}

type xCategories struct {
	OrderItemCategory []string `xml:"OrderItemCategory"`
}

type xParentDetails struct {
	ID   string `xml:"Id"`
	Type string `xml:"Type"`
}

type xPSP struct {
	PaymentServiceProviderID      string `xml:"PaymentServiceProviderId,omitempty"`
	PaymentServiceProviderOrderID string `xml:"PaymentServiceProviderOrderId,omitempty"`
}

type xPaymentAuthenticationStatus struct {
	State string `xml:"State"`
}

type xOrderReferenceDetails struct {
	AmazonOrderReferenceID           string                        `xml:"AmazonOrderReferenceId"`
	Buyer                            *xBuyer                       `xml:"Buyer"`
	OrderTotal                       *xOrderTotal                  `xml:"OrderTotal"`
	SellerNote                       string                        `xml:"SellerNote,omitempty"`
	PlatformID                       string                        `xml:"PlatformId,omitempty"`
	Destination                      *xDestination                 `xml:"Destination"`
	PaymentDescriptor                *xPaymentDescriptor           `xml:"PaymentDescriptor"`
	BillingAddress                   *xBillingAddress              `xml:"BillingAddress"`
	ReleaseEnvironment               string                        `xml:"ReleaseEnvironment"`
	SellerOrderAttributes            *xSellerOrderAttributes       `xml:"SellerOrderAttributes"`
	OrderReferenceStatus             xStatus                       `xml:"OrderReferenceStatus"`
	Constraints                      *xConstraints                 `xml:"Constraints"`
	CreationTimestamp                string                        `xml:"CreationTimestamp"`
	ExpirationTimestamp              string                        `xml:"ExpirationTimestamp"`
	ParentDetails                    *xParentDetails               `xml:"ParentDetails"`
	IDList                           *xIDList                      `xml:"IdList"`
	OrderLanguage                    string                        `xml:"OrderLanguage,omitempty"`
	RequestPaymentAuthorization      bool                          `xml:"RequestPaymentAuthorization"`
	PaymentServiceProviderAttributes *xPSP                         `xml:"PaymentServiceProviderAttributes"`
	PaymentReference                 *xPaymentReference            `xml:"PaymentReference"`
	PaymentAuthenticationStatus      *xPaymentAuthenticationStatus `xml:"PaymentAuthenticationStatus"`
}

type xAuthorizationDetails struct {
	AmazonAuthorizationID    string `xml:"AmazonAuthorizationId"`
	AuthorizationReferenceID string `xml:"AuthorizationReferenceId"`
	// AuthorizationBillingAddress: allow-listed merchants only.
	AuthorizationBillingAddress *xAddress `xml:"AuthorizationBillingAddress"`
	SellerAuthorizationNote     string    `xml:"SellerAuthorizationNote"`
	AuthorizationAmount         xPrice    `xml:"AuthorizationAmount"`
	CapturedAmount              xPrice    `xml:"CapturedAmount"`
	AuthorizationFee            xPrice    `xml:"AuthorizationFee"`
	IDList                      xIDList   `xml:"IdList"`
	CreationTimestamp           string    `xml:"CreationTimestamp"`
	ExpirationTimestamp         string    `xml:"ExpirationTimestamp"`
	AuthorizationStatus         xStatus   `xml:"AuthorizationStatus"`
	CaptureNow                  bool      `xml:"CaptureNow"`
	SoftDescriptor              string    `xml:"SoftDescriptor,omitempty"`
	SoftDecline                 *bool     `xml:"SoftDecline"`
}

type xCaptureDetails struct {
	AmazonCaptureID    string  `xml:"AmazonCaptureId"`
	CaptureReferenceID string  `xml:"CaptureReferenceId"`
	SellerCaptureNote  string  `xml:"SellerCaptureNote"`
	CaptureAmount      xPrice  `xml:"CaptureAmount"`
	RefundedAmount     xPrice  `xml:"RefundedAmount"`
	CaptureFee         xPrice  `xml:"CaptureFee"`
	IDList             xIDList `xml:"IdList"`
	CreationTimestamp  string  `xml:"CreationTimestamp"`
	CaptureStatus      xStatus `xml:"CaptureStatus"`
	SoftDescriptor     string  `xml:"SoftDescriptor,omitempty"`
	// Solution providers' credits, and multi-currency conversion.
	ProviderCreditSummaryList *xCreditSummaryList `xml:"ProviderCreditSummaryList"`
	ConvertedAmount           *xPrice             `xml:"ConvertedAmount"`
	ConversionRate            string              `xml:"ConversionRate,omitempty"`
}

type xRefundDetails struct {
	AmazonRefundID    string  `xml:"AmazonRefundId"`
	RefundReferenceID string  `xml:"RefundReferenceId"`
	SellerRefundNote  string  `xml:"SellerRefundNote"`
	RefundType        string  `xml:"RefundType"`
	RefundAmount      xPrice  `xml:"RefundAmount"`
	FeeRefunded       xPrice  `xml:"FeeRefunded"`
	CreationTimestamp string  `xml:"CreationTimestamp"`
	RefundStatus      xStatus `xml:"RefundStatus"`
	SoftDescriptor    string  `xml:"SoftDescriptor,omitempty"`
	// Reversals of solution providers' credits, and multi-currency conversion.
	ProviderCreditReversalSummaryList *xReversalSummaryList `xml:"ProviderCreditReversalSummaryList"`
	ConvertedAmount                   *xPrice               `xml:"ConvertedAmount"`
	ConversionRate                    string                `xml:"ConversionRate,omitempty"`
}

type xBALimits struct {
	AmountLimitPerTimePeriod xPrice `xml:"AmountLimitPerTimePeriod"`
	TimePeriodStartDate      string `xml:"TimePeriodStartDate"`
	TimePeriodEndDate        string `xml:"TimePeriodEndDate"`
	CurrentRemainingBalance  xPrice `xml:"CurrentRemainingBalance"`
}

type xSellerBAAttributes struct {
	SellerBillingAgreementID string `xml:"SellerBillingAgreementId,omitempty"`
	StoreName                string `xml:"StoreName,omitempty"`
	CustomInformation        string `xml:"CustomInformation,omitempty"`
}

type xBillingAgreementDetails struct {
	AmazonBillingAgreementID         string               `xml:"AmazonBillingAgreementId"`
	BillingAgreementLimits           xBALimits            `xml:"BillingAgreementLimits"`
	Buyer                            *xBuyer              `xml:"Buyer"`
	SellerNote                       string               `xml:"SellerNote,omitempty"`
	PlatformID                       string               `xml:"PlatformId,omitempty"`
	Destination                      *xDestination        `xml:"Destination"`
	BillingAddress                   *xBillingAddress     `xml:"BillingAddress"`
	ReleaseEnvironment               string               `xml:"ReleaseEnvironment"`
	SellerBillingAgreementAttributes *xSellerBAAttributes `xml:"SellerBillingAgreementAttributes"`
	BillingAgreementStatus           xBAStatus            `xml:"BillingAgreementStatus"`
	Constraints                      *xConstraints        `xml:"Constraints"`
	CreationTimestamp                string               `xml:"CreationTimestamp"`
	BillingAgreementConsent          bool                 `xml:"BillingAgreementConsent"`
	OrderLanguage                    string               `xml:"OrderLanguage,omitempty"`
	SubscriptionAmount               *xPrice              `xml:"SubscriptionAmount"`
	BillingAgreementType             string               `xml:"BillingAgreementType,omitempty"`
}

type xMessages struct {
	Message []xMessage `xml:"Message"`
}

type xMessage struct {
	Locale string `xml:"Locale"`
	Text   string `xml:"Text"`
}

// xResult is the <Action>Result element. Each operation fills the fields
// its result has; the others are left out. Operations without a payload
// answer an empty element.
type xResult struct {
	XMLName                 xml.Name
	OrderReferenceDetails   *xOrderReferenceDetails   `xml:"OrderReferenceDetails"`
	AuthorizationDetails    *xAuthorizationDetails    `xml:"AuthorizationDetails"`
	AmazonOrderReferenceID  string                    `xml:"AmazonOrderReferenceId,omitempty"`
	CaptureDetails          *xCaptureDetails          `xml:"CaptureDetails"`
	RefundDetails           *xRefundDetails           `xml:"RefundDetails"`
	BillingAgreementDetails *xBillingAgreementDetails `xml:"BillingAgreementDetails"`
	ValidationResult        string                    `xml:"ValidationResult,omitempty"`
	FailureReasonCode       string                    `xml:"FailureReasonCode,omitempty"`
	BillingAgreementStatus  *xBAStatus                `xml:"BillingAgreementStatus"`
	Status                  string                    `xml:"Status,omitempty"`
	Timestamp               string                    `xml:"Timestamp,omitempty"`
	Messages                *xMessages                `xml:"Messages"`
	AccountStatus           string                    `xml:"AccountStatus,omitempty"`
	OrderReferenceList      *xOrderReferenceList      `xml:"OrderReferenceList"`
	NextPageToken           string                    `xml:"NextPageToken,omitempty"`

	NotificationConfigurationList *xNotificationConfigurationList `xml:"NotificationConfigurationList"`

	ProviderCreditDetails         *xProviderCreditDetails         `xml:"ProviderCreditDetails"`
	ProviderCreditReversalDetails *xProviderCreditReversalDetails `xml:"ProviderCreditReversalDetails"`
}

// xResponse declares the namespace as a plain attribute: with
// XMLName.Space, encoding/xml would mark the children xmlns="".
type xResponse struct {
	XMLName   xml.Name
	Xmlns     string `xml:"xmlns,attr"`
	Result    *xResult
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type xError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type xErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     xError   `xml:"Error"`
	RequestID string   `xml:"RequestId,omitempty"`
	// RequestIDThrottled is the spelling of throttled replies.
	RequestIDThrottled string `xml:"RequestID,omitempty"`
}

const xmlHeader = `<?xml version="1.0"?>` + "\n"

func marshalResponse(action string, res *xResult, requestID string) []byte {
	resp := xResponse{
		XMLName:   xml.Name{Local: action + "Response"},
		Xmlns:     Namespace,
		Result:    res,
		RequestID: requestID,
	}
	out, err := xml.Marshal(resp)
	if err != nil {
		panic("amazonpaytest: marshal: " + err.Error()) // the structs above always marshal
	}
	return append([]byte(xmlHeader), out...)
}

func marshalError(e *apiError, requestID string) []byte {
	er := xErrorResponse{Xmlns: Namespace, Error: xError{Type: e.typ, Code: e.code, Message: e.msg}}
	if e.code == "RequestThrottled" {
		er.RequestIDThrottled = requestID
	} else {
		er.RequestID = requestID
	}
	out, err := xml.Marshal(er)
	if err != nil {
		panic("amazonpaytest: marshal: " + err.Error())
	}
	return append([]byte(xmlHeader), out...)
}

func xStatusOf(s status) xStatus {
	x := xStatus{State: s.State, ReasonCode: s.Reason, ReasonDescription: s.Desc}
	if s.State != stDraft {
		x.LastUpdateTimestamp = formatTime(s.Updated())
	}
	return x
}

func xBAStatusOf(s status) xBAStatus {
	x := xBAStatus{State: s.State, ReasonCode: s.Reason, ReasonDescription: s.Desc}
	if s.State != stDraft {
		x.LastUpdatedTimestamp = formatTime(s.Updated())
	}
	return x
}

func price(units int64, currency string) xPrice {
	return xPrice{Amount: formatUnits(units, currency), CurrencyCode: currency}
}

// zeroPrice is how MWS writes an amount nothing has reached yet: "0".
func zeroOr(units int64, currency string) xPrice {
	if units == 0 {
		return xPrice{Amount: "0", CurrencyCode: currency}
	}
	return price(units, currency)
}

func (h *Handler) environment() string {
	if h.cfg.live {
		return string(amazonpay.ReleaseLive)
	}
	return string(amazonpay.ReleaseSandbox)
}

func xConstraintsOf(ids []string) *xConstraints {
	if len(ids) == 0 {
		return nil
	}
	x := &xConstraints{}
	for _, id := range ids {
		x.Constraint = append(x.Constraint, xConstraint{ConstraintID: id, Description: constraintText[id]})
	}
	return x
}

// xDestinationOf returns the shipping address; before confirmation (full
// false) only City, StateOrRegion, PostalCode and CountryCode.
func xDestinationOf(a *amazonpay.Address, full bool) *xDestination {
	if a == nil {
		return nil
	}
	x := &xAddress{City: a.City, StateOrRegion: a.StateOrRegion, PostalCode: a.PostalCode, CountryCode: a.CountryCode}
	if full {
		x = &xAddress{Name: a.Name, AddressLine1: a.AddressLine1, AddressLine2: a.AddressLine2, AddressLine3: a.AddressLine3,
			City: a.City, County: a.County, District: a.District, StateOrRegion: a.StateOrRegion,
			PostalCode: a.PostalCode, CountryCode: a.CountryCode, Phone: a.Phone}
	}
	return &xDestination{DestinationType: "Physical", PhysicalDestination: x}
}

func xBuyerOf(b amazonpay.Buyer) *xBuyer {
	if b == (amazonpay.Buyer{}) {
		return nil
	}
	return &xBuyer{Name: b.Name, Email: b.Email, Phone: b.Phone}
}

// xOrderRef describes o. The buyer and the full address are shown once o is
// confirmed, or earlier with an access token.
func (h *Handler) xOrderRef(o *orderRef, token bool) *xOrderReferenceDetails {
	full := token || wasConfirmed(o.status)
	x := &xOrderReferenceDetails{
		AmazonOrderReferenceID:      o.id,
		SellerNote:                  o.ex().sellerNote,
		PlatformID:                  o.ex().platformID,
		Destination:                 xDestinationOf(o.address, full),
		ReleaseEnvironment:          h.environment(),
		OrderReferenceStatus:        xStatusOf(o.status),
		Constraints:                 xConstraintsOf(o.constraints()),
		CreationTimestamp:           formatTime(o.created),
		ExpirationTimestamp:         formatTime(o.created.Add(orderRefLifetime)),
		OrderLanguage:               o.language,
		RequestPaymentAuthorization: o.rpa,
	}
	if full {
		x.Buyer = xBuyerOf(o.buyer)
	}
	if token && o.method != "" {
		x.PaymentDescriptor = &xPaymentDescriptor{FullDescriptor: "Amazon Pay (" + string(o.method) + ")"}
	}
	if o.total != nil {
		x.OrderTotal = &xOrderTotal{CurrencyCode: o.total.currency, Amount: formatUnits(o.total.units, o.total.currency)}
	}
	if s := o.ex().soa; s.SellerOrderID != "" || s.StoreName != "" || s.CustomInformation != "" || s.SupplementaryData != "" || len(s.Categories) > 0 {
		x.SellerOrderAttributes = &xSellerOrderAttributes{SellerOrderID: s.SellerOrderID, StoreName: s.StoreName,
			SupplementaryData: s.SupplementaryData, CustomInformation: s.CustomInformation}
		if len(s.Categories) > 0 {
			x.SellerOrderAttributes.OrderItemCategories = &xCategories{OrderItemCategory: s.Categories}
		}
	}
	if p := o.ex().parent; p != nil {
		x.ParentDetails = &xParentDetails{ID: p.id, Type: p.typ}
	}
	if len(o.auths) > 0 {
		x.IDList = &xIDList{}
		for _, a := range o.auths {
			x.IDList.Member = append(x.IDList.Member, a.id)
		}
	}
	if psp := o.ex().psp; psp != nil {
		x.PaymentServiceProviderAttributes = &xPSP{PaymentServiceProviderID: psp.ID, PaymentServiceProviderOrderID: psp.OrderID}
	}
	x.BillingAddress = h.xBillingAddressOf(&o.buyerSide, token)
	x.PaymentReference = h.xPaymentReferenceOf(&o.buyerSide, token)
	if h.needsAuthentication(&o.buyerSide) && o.authn != authnPassed && (o.status.State == stDraft || o.status.State == stOpen) {
		x.PaymentAuthenticationStatus = &xPaymentAuthenticationStatus{State: string(amazonpay.PaymentAuthenticationRequired)}
	}
	return x
}

// wasConfirmed reports whether an order reference or billing agreement in
// status s was ever confirmed: it left Draft other than by going stale.
func wasConfirmed(s status) bool {
	return s.State != stDraft && (s.State != stCanceled || s.Reason != rcStale)
}

// softDescriptor is what the buyer's statement shows: AMZ* and the
// shop's SoftDescriptor, or its store name when it sent none.
func softDescriptor(s string) string {
	if s == "" {
		s = DefaultStoreName
	}
	return "AMZ*" + s
}

func (h *Handler) xAuthorization(a *authorization) *xAuthorizationDetails {
	cur := a.amount.currency
	x := &xAuthorizationDetails{
		AmazonAuthorizationID:    a.id,
		AuthorizationReferenceID: a.refID,
		SellerAuthorizationNote:  a.note,
		AuthorizationAmount:      price(a.amount.units, cur),
		CapturedAmount:           zeroOr(a.captured, cur),
		AuthorizationFee:         price(0, cur),
		CreationTimestamp:        formatTime(a.created),
		ExpirationTimestamp:      formatTime(a.created.Add(ProductionAuthorizationLifetime)),
		AuthorizationStatus:      xStatusOf(a.status),
		CaptureNow:               a.captureNow,
		SoftDescriptor:           softDescriptor(a.soft),
		SoftDecline:              a.softDecline,
	}
	for _, c := range a.captures {
		x.IDList.Member = append(x.IDList.Member, c.id)
	}
	if h.cfg.allowListed {
		x.AuthorizationBillingAddress = a.oro.billingAddressOf()
	}
	return x
}

func (h *Handler) xCapture(c *capture) *xCaptureDetails {
	cur := c.amount.currency
	x := &xCaptureDetails{
		AmazonCaptureID:    c.id,
		CaptureReferenceID: c.refID,
		SellerCaptureNote:  c.note,
		CaptureAmount:      price(c.amount.units, cur),
		RefundedAmount:     zeroOr(c.refunded, cur),
		CaptureFee:         price(0, cur),
		CreationTimestamp:  formatTime(c.created),
		CaptureStatus:      xStatusOf(c.status),
		SoftDescriptor:     softDescriptor(c.soft),
	}
	for _, r := range c.refunds {
		x.IDList.Member = append(x.IDList.Member, r.id)
	}
	x.ProviderCreditSummaryList = xCreditSummaries(c.credits.all())
	x.ConvertedAmount, x.ConversionRate, _ = h.conversion(c.amount)
	return x
}

func (h *Handler) xRefund(r *refund) *xRefundDetails {
	cur := r.amount.currency
	x := &xRefundDetails{
		AmazonRefundID:    r.id,
		RefundReferenceID: r.refID,
		SellerRefundNote:  r.note,
		RefundType:        r.refundType,
		RefundAmount:      price(r.amount.units, cur),
		FeeRefunded:       price(0, cur),
		CreationTimestamp: formatTime(r.created),
		RefundStatus:      xStatusOf(r.status),
		SoftDescriptor:    softDescriptor(r.soft),
	}
	x.ProviderCreditReversalSummaryList = xReversalSummaries(r.credits.all())
	x.ConvertedAmount, x.ConversionRate, _ = h.conversion(r.amount)
	return x
}

func (h *Handler) xBillingAgreement(ba *billingAgreement, token bool) *xBillingAgreementDetails {
	full := token || wasConfirmed(ba.status)
	start, end := periodBounds(h.now)
	x := &xBillingAgreementDetails{
		AmazonBillingAgreementID: ba.id,
		BillingAgreementLimits: xBALimits{
			AmountLimitPerTimePeriod: xPrice{Amount: formatUnits(defaultBALimit, ba.currency), CurrencyCode: ba.currency},
			TimePeriodStartDate:      start.Format(time.RFC3339),
			TimePeriodEndDate:        end.Format(time.RFC3339),
			CurrentRemainingBalance:  price(ba.remaining(h.now), ba.currency),
		},
		SellerNote:              ba.sellerNote,
		PlatformID:              ba.platformID,
		Destination:             xDestinationOf(ba.address, full),
		ReleaseEnvironment:      h.environment(),
		BillingAgreementStatus:  xBAStatusOf(ba.status),
		Constraints:             xConstraintsOf(ba.constraints()),
		CreationTimestamp:       formatTime(ba.created),
		BillingAgreementConsent: ba.consent,
		OrderLanguage:           ba.language,
		BillingAgreementType:    ba.baType,
	}
	if x.BillingAgreementType == "" {
		x.BillingAgreementType = string(amazonpay.CustomerInitiatedTransaction) // the seeds' default
	}
	if full {
		x.Buyer = xBuyerOf(ba.buyer)
	}
	x.BillingAddress = h.xBillingAddressOf(&ba.buyerSide, token)
	if ba.sba != (sellerBAAttrs{}) {
		x.SellerBillingAgreementAttributes = &xSellerBAAttributes{SellerBillingAgreementID: ba.sba.SellerBillingAgreementID,
			StoreName: ba.sba.StoreName, CustomInformation: ba.sba.CustomInformation}
	}
	if ba.subscription != nil {
		p := price(ba.subscription.units, ba.subscription.currency)
		x.SubscriptionAmount = &p
	}
	return x
}
