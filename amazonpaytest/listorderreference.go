package amazonpaytest

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ListOrderReference and ListOrderReferenceByNextToken look up a seller's
// order references by SellerOrderId (spec §1.9 names them; the parameters
// are those of the official SDKs, spec official-sdks §3):
//
//   - QueryId (the SellerOrderId) and QueryIdType=SellerOrderId are required.
//   - PaymentDomain is required and must be the sandbox region's
//     (NA_USD, EU_EUR, EU_GBP or FE_JPY); another is InvalidParameterValue.
//   - PageSize is 1 to 100 (default 100).
//   - CreatedTimeRange.StartTime and .EndTime bound the creation time, both
//     inclusive; EndTime before StartTime is InvalidParameterValue.
//   - SortOrder is Ascending or Descending by creation time (default
//     Descending, newest first).
//   - OrderReferenceStatusListFilter.OrderReferenceStatus.N keeps the
//     states named, in any case (the SDKs send Open, open and OPEN).
//
// The matching order references are fixed when ListOrderReference runs; the
// pages show their state when each page is asked for. A NextPageToken can be
// used again (a retried call gets the same page) and only by the seller it
// was given to; an unknown one is InvalidParameterValue.

const maxPageSize = 100

// listCursor is what a NextPageToken stands for.
type listCursor struct {
	seller    string
	ids       []string // the order references found, in the order asked for
	from      int      // the first one of this page
	size      int
	nextToken string // the token of the page after this one, once made
}

type xOrderReferenceList struct {
	OrderReference []xOrderReference `xml:"OrderReference"`
}

// xOrderReference is an order reference in a list, in the Java SDK's
// propOrder.
type xOrderReference struct {
	ReleaseEnvironment     string                  `xml:"ReleaseEnvironment"`
	OrderReferenceStatus   xStatus                 `xml:"OrderReferenceStatus"`
	AmazonOrderReferenceID string                  `xml:"AmazonOrderReferenceId"`
	CreationTimestamp      string                  `xml:"CreationTimestamp"`
	SellerOrderAttributes  *xSellerOrderAttributes `xml:"SellerOrderAttributes"`
	OrderTotal             *xOrderTotal            `xml:"OrderTotal"`
	SellerNote             string                  `xml:"SellerNote,omitempty"`
	OrderLanguage          string                  `xml:"OrderLanguage,omitempty"`
}

var orderReferenceStates = []string{stDraft, stOpen, stSuspended, stCanceled, stClosed}

// timestamp returns an optional ISO 8601 time parameter, zero when absent.
func (c *call) timestamp(name string) time.Time {
	s := c.text(name, 64)
	if s == "" {
		return time.Time{}
	}
	t, err := parseListTime(s)
	if err != nil {
		panic(invalidErr(name, "is not an ISO 8601 date and time"))
	}
	return t
}

// listTimeLayouts are the ISO 8601 forms MWS documents for
// CreatedTimeRange: a date and a time to the minute (YYYY-MM-DDTHH:MM) or
// the second, with or without a fraction, with Z, an offset (±hh:mm,
// ±hhmm, ±hh) or no zone (UTC); or a bare date.
var listTimeLayouts = func() []string {
	var out []string
	for _, clock := range []string{"15:04:05.999999999", "15:04"} {
		for _, zone := range []string{"Z07:00", "Z0700", "Z07", ""} {
			out = append(out, "2006-01-02T"+clock+zone)
		}
	}
	return append(out, "2006-01-02")
}()

func parseListTime(s string) (time.Time, error) {
	var err error
	for _, layout := range listTimeLayouts {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

func opListOrderReference(c *call) *xResult {
	h := c.h
	query := c.need("QueryId", 256)
	if c.need("QueryIdType", 64) != "SellerOrderId" {
		panic(invalidErr("QueryIdType", "must be SellerOrderId"))
	}
	if domain, want := c.need("PaymentDomain", 64), h.cfg.region.PaymentDomain(); domain != want {
		panic(invalidErr("PaymentDomain", "must be "+want+", the payment domain of the region"))
	}
	size := c.number("PageSize", maxPageSize, 1, maxPageSize)
	from, to := c.timestamp("CreatedTimeRange.StartTime"), c.timestamp("CreatedTimeRange.EndTime")
	if !from.IsZero() && to.IsZero() {
		panic(missingErr("CreatedTimeRange.EndTime")) // the SDKs document start and end together
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		panic(invalidErr("CreatedTimeRange.EndTime", "is before CreatedTimeRange.StartTime"))
	}
	order := c.text("SortOrder", 64)
	if order != "" && order != "Ascending" && order != "Descending" {
		panic(invalidErr("SortOrder", "must be Ascending or Descending"))
	}
	const filter = "OrderReferenceStatusListFilter.OrderReferenceStatus"
	var states []string
	for i, s := range c.list(filter, 64) {
		j := slices.IndexFunc(orderReferenceStates, func(st string) bool { return strings.EqualFold(st, s) })
		if j < 0 {
			panic(invalidErr(filter+"."+strconv.Itoa(i+1), "must be Draft, Open, Suspended, Canceled or Closed"))
		}
		states = append(states, orderReferenceStates[j])
	}
	var ids []string
	for _, id := range h.order {
		o := h.oros[id]
		switch {
		case o == nil || o.seller != c.seller || o.ex().soa.SellerOrderID != query:
		case !from.IsZero() && o.created.Before(from), !to.IsZero() && o.created.After(to):
		case len(states) > 0 && !slices.Contains(states, o.status.State):
		default:
			ids = append(ids, id)
		}
	}
	if order != "Ascending" {
		slices.Reverse(ids)
	}
	return h.listPage(&listCursor{seller: c.seller, ids: ids, size: size})
}

func opListOrderReferenceByNextToken(c *call) *xResult {
	cur := c.h.pages[c.need("NextPageToken", 4096)]
	if cur == nil || cur.seller != c.seller {
		panic(invalidErr("NextPageToken", "is not a token this seller was given"))
	}
	return c.h.listPage(cur)
}

// listPage answers the page cur stands for. The caller holds h.mu.
func (h *Handler) listPage(cur *listCursor) *xResult {
	end := min(cur.from+cur.size, len(cur.ids))
	res := &xResult{OrderReferenceList: &xOrderReferenceList{}}
	for _, id := range cur.ids[cur.from:end] {
		res.OrderReferenceList.OrderReference = append(res.OrderReferenceList.OrderReference, h.xOrderRefSummary(h.oros[id]))
	}
	if end < len(cur.ids) {
		if cur.nextToken == "" {
			var b [24]byte
			for i := range b {
				b[i] = byte(h.rng.UintN(256))
			}
			cur.nextToken = base64.RawURLEncoding.EncodeToString(b[:])
			h.pages[cur.nextToken] = &listCursor{seller: cur.seller, ids: cur.ids, from: end, size: cur.size}
		}
		res.NextPageToken = cur.nextToken
	}
	return res
}

func (h *Handler) xOrderRefSummary(o *orderRef) xOrderReference {
	full := h.xOrderRef(o, false)
	return xOrderReference{
		ReleaseEnvironment:     full.ReleaseEnvironment,
		OrderReferenceStatus:   full.OrderReferenceStatus,
		AmazonOrderReferenceID: full.AmazonOrderReferenceID,
		CreationTimestamp:      full.CreationTimestamp,
		SellerOrderAttributes:  full.SellerOrderAttributes,
		OrderTotal:             full.OrderTotal,
		SellerNote:             full.SellerNote,
		OrderLanguage:          full.OrderLanguage,
	}
}
