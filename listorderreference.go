package amazonpay

import (
	"context"
	"net/url"
	"time"
)

// QueryIDType names what ListOrderReference looks order references up by.
type QueryIDType string

// QueryIDTypeSellerOrderID looks order references up by the merchant's
// SellerOrderId; it is the one query type MWS offers.
const QueryIDTypeSellerOrderID QueryIDType = "SellerOrderId"

// SortOrder orders ListOrderReference results by creation time.
type SortOrder string

// Sort orders.
const (
	SortAscending  SortOrder = "Ascending"
	SortDescending SortOrder = "Descending"
)

// TimeRange is a span of time; a zero bound is not sent.
type TimeRange struct {
	StartTime time.Time
	EndTime   time.Time
}

// EncodeValues emits key.StartTime and key.EndTime as UTC timestamps with
// whole seconds, e.g. 2026-11-22T10:00:00Z.
func (r *TimeRange) EncodeValues(key string, v *url.Values) error {
	if r == nil {
		return nil
	}
	if !r.StartTime.IsZero() {
		v.Set(key+".StartTime", FormatTimestamp(r.StartTime))
	}
	if !r.EndTime.IsZero() {
		v.Set(key+".EndTime", FormatTimestamp(r.EndTime))
	}
	return nil
}

// OrderReferenceStatusFilter lists the order reference states to return.
type OrderReferenceStatusFilter []OrderReferenceState

// EncodeValues emits key.OrderReferenceStatus.N, N from 1.
func (f OrderReferenceStatusFilter) EncodeValues(key string, v *url.Values) error {
	encodeStrings(key, "OrderReferenceStatus", f, v)
	return nil
}

// ListOrderReferenceInput is the input of ListOrderReference. The
// PaymentDomain parameter is not part of it: the client sends its region's
// (Region.PaymentDomain).
type ListOrderReferenceInput struct {
	QueryID     string      `url:"QueryId"`     // required: the SellerOrderId looked for
	QueryIDType QueryIDType `url:"QueryIdType"` // required: QueryIDTypeSellerOrderID
	// PageSize is the number of order references per page.
	PageSize *int `url:"PageSize,omitempty"`
	// CreatedTimeRange limits the results to order references created in it.
	CreatedTimeRange *TimeRange `url:"CreatedTimeRange,omitempty"`
	SortOrder        SortOrder  `url:"SortOrder,omitempty"`
	// OrderReferenceStatusListFilter limits the results to these states.
	OrderReferenceStatusListFilter OrderReferenceStatusFilter `url:"OrderReferenceStatusListFilter,omitempty"`
}

func (in *ListOrderReferenceInput) validate(v *validator) {
	for i, s := range in.OrderReferenceStatusListFilter {
		oneOf(v, itemKey("OrderReferenceStatusListFilter", "OrderReferenceStatus", i), s,
			OrderReferenceDraft, OrderReferenceOpen, OrderReferenceSuspended, OrderReferenceCanceled, OrderReferenceClosed)
		if s == "" {
			v.fail(itemKey("OrderReferenceStatusListFilter", "OrderReferenceStatus", i), "is empty")
		}
	}
	if r := in.CreatedTimeRange; r != nil && !r.StartTime.IsZero() && !r.EndTime.IsZero() && r.EndTime.Before(r.StartTime) {
		v.fail("CreatedTimeRange.EndTime", "%s is before StartTime %s", FormatTimestamp(r.EndTime), FormatTimestamp(r.StartTime))
	}
}

// listOrderReferenceRequest is what ListOrderReference sends: a copy of the
// caller's input plus the payment domain of the client's region, so the
// caller's input is never written to.
type listOrderReferenceRequest struct {
	ListOrderReferenceInput
	PaymentDomain string `url:"PaymentDomain"`
}

func (in *ListOrderReferenceInput) request(paymentDomain string) *listOrderReferenceRequest {
	if in == nil {
		return nil
	}
	return &listOrderReferenceRequest{ListOrderReferenceInput: *in, PaymentDomain: paymentDomain}
}

// OrderReference is one order reference of a ListOrderReference page: a
// summary; GetOrderReferenceDetails returns the whole order reference.
type OrderReference struct {
	AmazonOrderReferenceID string                 `xml:"AmazonOrderReferenceId"`
	ReleaseEnvironment     ReleaseEnvironment     `xml:"ReleaseEnvironment"`
	OrderReferenceStatus   OrderReferenceStatus   `xml:"OrderReferenceStatus"`
	CreationTimestamp      time.Time              `xml:"CreationTimestamp"`
	SellerOrderAttributes  *SellerOrderAttributes `xml:"SellerOrderAttributes"`
	OrderTotal             *Price                 `xml:"OrderTotal"`
	SellerNote             string                 `xml:"SellerNote"`
	OrderLanguage          string                 `xml:"OrderLanguage"`
}

// ListOrderReferenceOutput is the output of ListOrderReference.
type ListOrderReferenceOutput struct {
	OrderReferences []OrderReference `xml:"ListOrderReferenceResult>OrderReferenceList>OrderReference"`
	// NextPageToken is set when more results follow: pass it to
	// ListOrderReferenceByNextToken.
	NextPageToken string `xml:"ListOrderReferenceResult>NextPageToken"`
	ResponseMetadata
}

// ListOrderReference looks up the order references with a SellerOrderId,
// for example to reconcile orders whose order reference id was lost.
func (c *Client) ListOrderReference(ctx context.Context, in *ListOrderReferenceInput, opts ...CallOption) (*ListOrderReferenceOutput, error) {
	return invoke[ListOrderReferenceOutput](ctx, c, "ListOrderReference", in.request(c.cfg.Region.PaymentDomain()), opts)
}

// ListOrderReferenceByNextTokenInput is the input of ListOrderReferenceByNextToken.
type ListOrderReferenceByNextTokenInput struct {
	NextPageToken string `url:"NextPageToken"` // required: from the previous page
}

func (in *ListOrderReferenceByNextTokenInput) validate(*validator) {}

// ListOrderReferenceByNextTokenOutput is the output of ListOrderReferenceByNextToken.
type ListOrderReferenceByNextTokenOutput struct {
	OrderReferences []OrderReference `xml:"ListOrderReferenceByNextTokenResult>OrderReferenceList>OrderReference"`
	// NextPageToken is set when more results follow.
	NextPageToken string `xml:"ListOrderReferenceByNextTokenResult>NextPageToken"`
	ResponseMetadata
}

// ListOrderReferenceByNextToken returns the next page of a ListOrderReference.
func (c *Client) ListOrderReferenceByNextToken(ctx context.Context, in *ListOrderReferenceByNextTokenInput, opts ...CallOption) (*ListOrderReferenceByNextTokenOutput, error) {
	return invoke[ListOrderReferenceByNextTokenOutput](ctx, c, "ListOrderReferenceByNextToken", in, opts)
}
