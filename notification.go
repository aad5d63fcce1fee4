package amazonpay

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"
)

// NotificationType names the kind of an Instant Payment Notification.
// "Chargeback Detailed Notification", spelled with spaces on the wire,
// reads as ChargebackDetailedNotification.
type NotificationType string

// The notification types and the payload field of Notification each one sets.
const (
	NotificationTypeOrderReference         NotificationType = "OrderReferenceNotification"     // OrderReference
	NotificationTypePaymentAuthorize       NotificationType = "PaymentAuthorize"               // Authorization
	NotificationTypePaymentCapture         NotificationType = "PaymentCapture"                 // Capture
	NotificationTypePaymentRefund          NotificationType = "PaymentRefund"                  // Refund
	NotificationTypeBillingAgreement       NotificationType = "BillingAgreementNotification"   // BillingAgreement (and EventType)
	NotificationTypeChargeback             NotificationType = "ChargebackDetailedNotification" // Chargeback
	NotificationTypeProviderCredit         NotificationType = "ProviderCredit"                 // ProviderCredit
	NotificationTypeProviderCreditReversal NotificationType = "ProviderCreditReversal"         // ProviderCreditReversal
	NotificationTypeSolutionProviderEvent  NotificationType = "SolutionProviderEvent"          // SolutionProviderEvent
)

// BillingAgreementEventType says what changed in a billing agreement
// notification. Unknown values parse as they are.
type BillingAgreementEventType string

// Billing agreement event types.
const (
	BillingAgreementStatusUpdated                  BillingAgreementEventType = "BillingAgreementStatusUpdated"
	BillingAgreementPaymentMethodUpdated           BillingAgreementEventType = "PaymentMethodUpdated"
	BillingAgreementAddressUpdated                 BillingAgreementEventType = "AddressUpdated"
	BillingAgreementAddressAndPaymentMethodUpdated BillingAgreementEventType = "AddressAndPaymentMethodUpdated"
)

// SNS message types, as in Notification.Type.
const (
	SNSNotification             = snsNotification
	SNSSubscriptionConfirmation = snsSubscriptionConfirmation
	SNSUnsubscribeConfirmation  = snsUnsubscribeConfirmation
)

// Notification is a verified Amazon SNS message. For an SNS Notification
// (Type "Notification") it is an Amazon Pay Instant Payment Notification:
// the Message fields and exactly one typed payload, chosen by
// NotificationType. For a SubscriptionConfirmation or
// UnsubscribeConfirmation only the SNS fields are set.
type Notification struct {
	// The SNS envelope.
	Type           string    // SNSNotification, SNSSubscriptionConfirmation or SNSUnsubscribeConfirmation
	MessageID      string    // SNS's id of this message
	TopicArn       string    // the seller's SNS topic
	SNSTimestamp   time.Time // when SNS published it
	SubscribeURL   string    // confirmations only: GET it to confirm the subscription
	UnsubscribeURL string
	Message        string // the raw Message, as signed

	// The Message of an Amazon Pay notification.

	// NotificationReferenceID is unique per notification and stays the same
	// when SNS delivers it again: use it to recognise duplicates.
	NotificationReferenceID string
	NotificationType        NotificationType
	SellerID                string
	MarketplaceID           string
	ReleaseEnvironment      ReleaseEnvironment
	Version                 string    // "2013-01-01"
	Timestamp               time.Time // when Amazon Pay made the notification
	EventType               BillingAgreementEventType
	IsSample                bool   // sent by Seller Central's test tool
	NotificationData        string // the raw XML of the payload

	// The payload: one of these is set.
	OrderReference         *OrderReferenceDetails
	Authorization          *AuthorizationDetails
	Capture                *CaptureDetails
	Refund                 *RefundDetails
	BillingAgreement       *BillingAgreementDetails
	Chargeback             *ChargebackDetails
	ProviderCredit         *ProviderCreditDetails
	ProviderCreditReversal *ProviderCreditReversalDetails
	SolutionProviderEvent  *MerchantRegistrationDetails
}

// ChargebackState is the state of a chargeback. Unknown states parse as they are.
type ChargebackState string

// ChargebackReceived is the state Amazon reports when a chargeback arrives.
const ChargebackReceived ChargebackState = "RECEIVED"

// ChargebackDetails is a chargeback against a capture, as the chargeback
// notification describes it.
type ChargebackDetails struct {
	AmazonChargebackID     string `xml:"AmazonChargebackId"` // e.g. C9KORZRXQ655G
	AmazonOrderReferenceID string `xml:"AmazonOrderReferenceId"`
	// AmazonCaptureReferenceID is the merchant's CaptureReferenceId.
	AmazonCaptureReferenceID string          `xml:"AmazonCaptureReferenceId"`
	CreationTimestamp        time.Time       `xml:"CreationTimestamp"`
	ChargebackAmount         Price           `xml:"ChargebackAmount"`
	ChargebackState          ChargebackState `xml:"ChargebackState"`
	ChargebackReason         string          `xml:"ChargebackReason"` // e.g. "Unauthorized Transaction Chargeback"
}

// MerchantRegistrationDetails is the payload of a solution provider event:
// a merchant registered through a solution provider.
type MerchantRegistrationDetails struct {
	SellerID string                   `xml:"SellerId"`
	Type     string                   `xml:"Type"`
	Options  []SolutionProviderOption `xml:"Options>SolutionProviderOption"`
}

// SolutionProviderOption is a name and value of a solution provider's
// registration.
type SolutionProviderOption struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// ipnMessage is the JSON inside the SNS Message.
type ipnMessage struct {
	NotificationReferenceID string          `json:"NotificationReferenceId"`
	MarketplaceID           string          `json:"MarketplaceID"`
	NotificationType        string          `json:"NotificationType"`
	SellerID                string          `json:"SellerId"`
	ReleaseEnvironment      string          `json:"ReleaseEnvironment"`
	Version                 string          `json:"Version"`
	Timestamp               string          `json:"Timestamp"`
	EventType               string          `json:"EventType"`
	IsSample                json.RawMessage `json:"IsSample"`
	NotificationData        string          `json:"NotificationData"`
}

func malformed(field, detail string, err error) *NotificationError {
	return reject(NotificationMalformed, field, detail, err)
}

// parseMessage fills n from n.Message.
func (n *Notification) parseMessage() error {
	var m ipnMessage
	if err := json.Unmarshal([]byte(n.Message), &m); err != nil {
		return malformed("Message", "not JSON", err)
	}
	for _, f := range []struct{ name, value string }{
		{"NotificationReferenceId", m.NotificationReferenceID}, {"NotificationType", m.NotificationType},
		{"SellerId", m.SellerID}, {"NotificationData", m.NotificationData},
	} {
		if f.value == "" {
			return malformed("Message."+f.name, "missing", nil)
		}
	}
	n.NotificationReferenceID = m.NotificationReferenceID
	n.NotificationType = NotificationType(strings.ReplaceAll(m.NotificationType, " ", ""))
	n.SellerID = m.SellerID
	n.MarketplaceID = m.MarketplaceID
	n.ReleaseEnvironment = ReleaseEnvironment(m.ReleaseEnvironment)
	n.Version = m.Version
	n.EventType = BillingAgreementEventType(m.EventType)
	n.NotificationData = m.NotificationData
	if m.Timestamp != "" {
		ts, err := time.Parse(time.RFC3339Nano, m.Timestamp)
		if err != nil {
			return malformed("Message.Timestamp", "not an ISO 8601 time", nil)
		}
		n.Timestamp = ts
	}
	switch s := strings.TrimSpace(string(m.IsSample)); s {
	case "", "null", "false", `"false"`:
	case "true", `"true"`:
		n.IsSample = true
	default:
		return malformed("Message.IsSample", "not a boolean", nil)
	}
	return n.parseData()
}

// parseData decodes NotificationData into the payload of n's type.
func (n *Notification) parseData() error {
	data := []byte(n.NotificationData)
	var err error
	switch n.NotificationType {
	case NotificationTypeOrderReference:
		n.OrderReference, err = decodeIPN[OrderReferenceDetails](data, "OrderReferenceNotification", "OrderReference")
		if err == nil {
			canonState(&n.OrderReference.OrderReferenceStatus.State, OrderReferenceDraft, OrderReferenceOpen,
				OrderReferenceSuspended, OrderReferenceCanceled, OrderReferenceClosed)
			canonReason(&n.OrderReference.OrderReferenceStatus.ReasonCode)
		}
	case NotificationTypePaymentAuthorize:
		n.Authorization, err = decodeIPN[AuthorizationDetails](data, "AuthorizationNotification", "AuthorizationDetails")
		if err == nil {
			canonStatus(&n.Authorization.AuthorizationStatus, AuthorizationPending, AuthorizationOpen,
				AuthorizationDeclined, AuthorizationClosed)
		}
	case NotificationTypePaymentCapture:
		n.Capture, err = decodeIPN[CaptureDetails](data, "CaptureNotification", "CaptureDetails")
		if err == nil {
			canonStatus(&n.Capture.CaptureStatus, CapturePending, CaptureDeclined, CaptureCompleted, CaptureClosed)
		}
	case NotificationTypePaymentRefund:
		n.Refund, err = decodeIPN[RefundDetails](data, "RefundNotification", "RefundDetails")
		if err == nil {
			canonStatus(&n.Refund.RefundStatus, RefundPending, RefundDeclined, RefundCompleted)
		}
	case NotificationTypeBillingAgreement:
		n.BillingAgreement, err = decodeIPN[BillingAgreementDetails](data, "BillingAgreementNotification", "BillingAgreement")
		if err == nil {
			canonState(&n.BillingAgreement.BillingAgreementStatus.State, BillingAgreementDraft, BillingAgreementOpen,
				BillingAgreementSuspended, BillingAgreementCanceled, BillingAgreementClosed)
			canonReason(&n.BillingAgreement.BillingAgreementStatus.ReasonCode)
		}
	case NotificationTypeChargeback:
		n.Chargeback, err = decodeIPN[ChargebackDetails](data, "ChargebackNotification", "ChargebackDetails")
		if err == nil {
			canonState(&n.Chargeback.ChargebackState, ChargebackReceived)
		}
	case NotificationTypeProviderCredit:
		n.ProviderCredit, err = decodeIPN[ProviderCreditDetails](data, "ProviderCreditNotification", "ProviderCreditDetails")
		if err == nil {
			canonStatus(&n.ProviderCredit.CreditStatus, ProviderCreditPending, ProviderCreditCompleted,
				ProviderCreditDeclined, ProviderCreditClosed)
		}
	case NotificationTypeProviderCreditReversal:
		n.ProviderCreditReversal, err = decodeIPN[ProviderCreditReversalDetails](data, "ProviderCreditReversalNotification", "ProviderCreditReversalDetails")
		if err == nil {
			canonStatus(&n.ProviderCreditReversal.CreditReversalStatus, ProviderCreditPending, ProviderCreditCompleted,
				ProviderCreditDeclined, ProviderCreditClosed)
		}
	case NotificationTypeSolutionProviderEvent:
		n.SolutionProviderEvent, err = decodeIPN[MerchantRegistrationDetails](data, "SolutionProviderMerchantNotification", "MerchantRegistrationDetails")
	default:
		return malformed("Message.NotificationType", "unknown notification type", nil)
	}
	return err
}

// ParseNotificationData decodes the NotificationData XML of a notification
// of type t into a Notification's payload fields, without any SNS
// verification: for notifications verified elsewhere, stored, or replayed
// in tests. Use NotificationVerifier.Verify for what arrives over HTTP.
func ParseNotificationData(t NotificationType, data []byte) (*Notification, error) {
	n := &Notification{NotificationType: NotificationType(strings.ReplaceAll(string(t), " ", "")), NotificationData: string(data)}
	if err := n.parseData(); err != nil {
		return nil, err
	}
	return n, nil
}

// errDataShape says the XML is not the document the type announces.
var errDataShape = errors.New("not the document of the notification type")

// decodeIPN reads the root element (in any namespace; Amazon's is
// https://mws.amazonservices.com/ipn/OffAmazonPayments/2013-01-01) and
// decodes its child element into a T. Any other root, a missing child, or
// trailing content is an error.
func decodeIPN[T any](data []byte, root, child string) (*T, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	bad := func(err error) (*T, error) {
		return nil, malformed("Message.NotificationData", "not a "+root+" document", err)
	}
	start, err := nextStart(d)
	if err != nil {
		return bad(err)
	}
	if start.Name.Local != root {
		return bad(errDataShape)
	}
	var out *T
	for {
		tok, err := d.Token()
		if err != nil {
			return bad(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != child || out != nil {
				if err := d.Skip(); err != nil {
					return bad(err)
				}
				continue
			}
			out = new(T)
			if err := d.DecodeElement(out, &t); err != nil {
				return bad(err)
			}
		case xml.EndElement:
			if out == nil {
				return bad(errDataShape)
			}
			if _, err := nextStart(d); err != io.EOF {
				return bad(errDataShape)
			}
			return out, nil
		}
	}
}

// nextStart returns the next start element, skipping the XML declaration,
// comments and white space; io.EOF at the end of the document.
func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, errDataShape
			}
		case xml.EndElement:
			return xml.StartElement{}, errDataShape
		}
	}
}

// canonState spells a known state as the API does: notifications may say
// CLOSED where responses say Closed. Unknown states stay as they are.
func canonState[S ~string](s *S, known ...S) {
	*s = S(strings.TrimSpace(string(*s)))
	for _, k := range known {
		if strings.EqualFold(string(*s), string(k)) {
			*s = k
			return
		}
	}
}

// canonReason turns the literal ReasonCode "None" of sample notifications
// into no reason (other codes stay as they are, trimmed).
func canonReason(r *ReasonCode) {
	*r = ReasonCode(strings.TrimSpace(string(*r)))
	if strings.EqualFold(string(*r), "None") {
		*r = ""
	}
}

func canonStatus[S ~string](st *Status[S], known ...S) {
	canonState(&st.State, known...)
	canonReason(&st.ReasonCode)
}
