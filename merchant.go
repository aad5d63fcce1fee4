package amazonpay

import (
	"context"
	"encoding/xml"
	"net/url"
	"strings"
	"time"
)

// ServiceStatus is the health of the Amazon Pay MWS section. Unknown values
// parse as they are.
type ServiceStatus string

// Service statuses.
const (
	ServiceGreen  ServiceStatus = "GREEN"   // operating normally
	ServiceGreenI ServiceStatus = "GREEN_I" // operating normally; Messages carry information
	ServiceYellow ServiceStatus = "YELLOW"  // elevated error rates or latency
	ServiceRed    ServiceStatus = "RED"     // unavailable or severely degraded
)

// ServiceMessage is a message of GetServiceStatus.
type ServiceMessage struct {
	Locale string `xml:"Locale"` // e.g. "en_US"
	Text   string `xml:"Text"`
}

// GetServiceStatusInput is the input of GetServiceStatus; it has no parameters.
type GetServiceStatusInput struct{}

func (in *GetServiceStatusInput) validate(*validator) {}

// GetServiceStatusOutput is the output of GetServiceStatus.
type GetServiceStatusOutput struct {
	Status    ServiceStatus    `xml:"GetServiceStatusResult>Status"`
	Timestamp time.Time        `xml:"GetServiceStatusResult>Timestamp"`
	MessageID string           `xml:"GetServiceStatusResult>MessageId"`
	Messages  []ServiceMessage `xml:"GetServiceStatusResult>Messages>Message"`
	ResponseMetadata
}

// GetServiceStatus returns the health of the service. It is throttled
// hard (2 calls, then 1 per 5 minutes): do not poll it.
func (c *Client) GetServiceStatus(ctx context.Context, in *GetServiceStatusInput, opts ...CallOption) (*GetServiceStatusOutput, error) {
	return invoke[GetServiceStatusOutput](ctx, c, "GetServiceStatus", in, opts)
}

// AccountStatus is the state of a merchant account. Unknown values parse
// as they are.
type AccountStatus string

// Account statuses.
const (
	AccountActive   AccountStatus = "ACTIVE"
	AccountInactive AccountStatus = "INACTIVE"
)

// GetMerchantAccountStatusInput is the input of GetMerchantAccountStatus;
// it has no parameters (use WithSellerID and WithMWSAuthToken to ask about
// a delegating merchant).
type GetMerchantAccountStatusInput struct{}

func (in *GetMerchantAccountStatusInput) validate(*validator) {}

// GetMerchantAccountStatusOutput is the output of GetMerchantAccountStatus.
type GetMerchantAccountStatusOutput struct {
	AccountStatus AccountStatus `xml:"GetMerchantAccountStatusResult>AccountStatus"`
	ResponseMetadata
}

// GetMerchantAccountStatus tells whether a merchant account can take
// payments. A solution provider without the merchant's delegation gets
// UnauthorizedSolutionProvider.
func (c *Client) GetMerchantAccountStatus(ctx context.Context, in *GetMerchantAccountStatusInput, opts ...CallOption) (*GetMerchantAccountStatusOutput, error) {
	return invoke[GetMerchantAccountStatusOutput](ctx, c, "GetMerchantAccountStatus", in, opts)
}

// EventType is a kind of Instant Payment Notification. Unknown values
// parse as they are.
type EventType string

// Event types.
const (
	EventTypeAll                EventType = "ALL"
	EventTypeOrderReference     EventType = "ORDER_REFERENCE"
	EventTypePaymentAuthorize   EventType = "PAYMENT_AUTHORIZE"
	EventTypePaymentCapture     EventType = "PAYMENT_CAPTURE"
	EventTypePaymentRefund      EventType = "PAYMENT_REFUND"
	EventTypeBillingAgreement   EventType = "BILLING_AGREEMENT"
	EventTypeChargebackDetailed EventType = "CHARGEBACK_DETAILED"
)

var eventTypes = []EventType{EventTypeAll, EventTypeOrderReference, EventTypePaymentAuthorize,
	EventTypePaymentCapture, EventTypePaymentRefund, EventTypeBillingAgreement, EventTypeChargebackDetailed}

// EventTypes lists event types.
type EventTypes []EventType

// EncodeValues emits key.EventTypeList.N, N from 1.
func (e EventTypes) EncodeValues(key string, v *url.Values) error {
	encodeStrings(key, "EventTypeList", e, v)
	return nil
}

// UnmarshalXML reads <member> children. A member may hold several types
// joined by commas ("ORDER_REFERENCE,PAYMENT_AUTHORIZE"), which are split.
func (e *EventTypes) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var raw struct {
		Member []string `xml:"member"`
	}
	if err := d.DecodeElement(&raw, &start); err != nil {
		return err
	}
	e.appendMembers(raw.Member)
	return nil
}

// decodeReply is UnmarshalXML for the table decoder.
func (e *EventTypes) decodeReply(d *replyDecoder) error {
	var members []string
	for {
		tok, err := d.next()
		if err != nil {
			return err
		}
		switch {
		case tok.kind == tokStart && string(tok.name) == "member":
			text, err := d.text()
			if err != nil {
				return err
			}
			members = append(members, string(text))
		case tok.kind == tokStart:
			if err := d.skip(); err != nil {
				return err
			}
		case tok.kind == tokEnd:
			e.appendMembers(members)
			return nil
		}
	}
}

// appendMembers adds the event types of each member, split at commas.
func (e *EventTypes) appendMembers(members []string) {
	for _, m := range members {
		for _, s := range strings.Split(m, ",") {
			if s = strings.TrimSpace(s); s != "" {
				*e = append(*e, EventType(s))
			}
		}
	}
}

// NotificationConfiguration is where Amazon sends which notifications.
type NotificationConfiguration struct {
	NotificationURL string     `url:"NotificationUrl" xml:"NotificationUrl"` // absolute https URL
	EventTypes      EventTypes `url:"EventTypes,omitempty" xml:"EventTypes"`
}

// NotificationConfigurationList lists notification configurations.
type NotificationConfigurationList []NotificationConfiguration

// EncodeValues emits key.NotificationConfiguration.N.NotificationUrl and
// key.NotificationConfiguration.N.EventTypes.EventTypeList.M, N and M from 1.
func (l NotificationConfigurationList) EncodeValues(key string, v *url.Values) error {
	return encodeStructs(key, "NotificationConfiguration", l, v)
}

// GetMerchantNotificationConfigurationInput is the input of
// GetMerchantNotificationConfiguration; it has no parameters.
type GetMerchantNotificationConfigurationInput struct{}

func (in *GetMerchantNotificationConfigurationInput) validate(*validator) {}

// GetMerchantNotificationConfigurationOutput is the output of
// GetMerchantNotificationConfiguration.
type GetMerchantNotificationConfigurationOutput struct {
	NotificationConfigurationList NotificationConfigurationList `xml:"GetMerchantNotificationConfigurationResult>NotificationConfigurationList>member"`
	ResponseMetadata
}

// GetMerchantNotificationConfiguration returns the URLs Amazon sends
// Instant Payment Notifications to, and for which events.
func (c *Client) GetMerchantNotificationConfiguration(ctx context.Context, in *GetMerchantNotificationConfigurationInput, opts ...CallOption) (*GetMerchantNotificationConfigurationOutput, error) {
	return invoke[GetMerchantNotificationConfigurationOutput](ctx, c, "GetMerchantNotificationConfiguration", in, opts)
}

// SetMerchantNotificationConfigurationInput is the input of
// SetMerchantNotificationConfiguration.
type SetMerchantNotificationConfigurationInput struct {
	// NotificationConfigurationList holds at least one configuration, each
	// with an https URL and at least one event type.
	NotificationConfigurationList NotificationConfigurationList `url:"NotificationConfigurationList,omitempty"`
}

func (in *SetMerchantNotificationConfigurationInput) validate(v *validator) {
	const key = "NotificationConfigurationList"
	if len(in.NotificationConfigurationList) == 0 {
		v.fail(key, "is required: set at least one notification configuration")
		return
	}
	for i, nc := range in.NotificationConfigurationList {
		item := itemKey(key, "NotificationConfiguration", i)
		v.required(item+".NotificationUrl", nc.NotificationURL)
		if len(nc.EventTypes) == 0 {
			v.fail(item+".EventTypes", "is required: set at least one event type")
		}
		for j, et := range nc.EventTypes {
			field := itemKey(item+".EventTypes", "EventTypeList", j)
			v.required(field, string(et))
			oneOf(v, field, et, eventTypes...)
		}
	}
}

// SetMerchantNotificationConfigurationOutput is the output of
// SetMerchantNotificationConfiguration.
type SetMerchantNotificationConfigurationOutput struct {
	ResponseMetadata
}

// SetMerchantNotificationConfiguration replaces the URLs Amazon sends
// Instant Payment Notifications to, and for which events, instead of
// setting them in Seller Central.
func (c *Client) SetMerchantNotificationConfiguration(ctx context.Context, in *SetMerchantNotificationConfigurationInput, opts ...CallOption) (*SetMerchantNotificationConfigurationOutput, error) {
	return invoke[SetMerchantNotificationConfigurationOutput](ctx, c, "SetMerchantNotificationConfiguration", in, opts)
}
