package amazonpaytest_test

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sellerOrder makes an order reference of the sandbox's seller with a
// SellerOrderId, one minute after the previous one on the sandbox clock.
func sellerOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, sellerOrderID string) string {
	return sellerOrderOf(t, srv, c, srv.SellerID(), sellerOrderID)
}

// sellerOrderOf is sellerOrder for the seller delegate with its token, or
// for the sandbox's seller.
func sellerOrderOf(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, seller, sellerOrderID string) string {
	t.Helper()
	srv.Advance(time.Minute)
	var opts []amazonpay.CallOption
	if seller == delegate {
		opts = []amazonpay.CallOption{amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken)}
	}
	id, err := srv.CreateOrderReferenceFor(seller, amazonpaytest.TestBuyer())
	require.NoError(t, err)
	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("42.50"), SellerNote: "note " + id,
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: sellerOrderID, StoreName: "Demo Shop"}}}, opts...)
	require.NoError(t, err)
	return id
}

func ids(refs []amazonpay.OrderReference) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.AmazonOrderReferenceID
	}
	return out
}

func TestListOrderReference(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start), amazonpaytest.WithDelegatedSeller(delegate, delegateToken))
	c := srv.AmazonPay()
	var mine []string // order-1001, oldest first
	for i := 0; i < 5; i++ {
		mine = append(mine, sellerOrder(t, srv, c, "order-1001"))
		sellerOrder(t, srv, c, "order-2002")
	}
	theirs := sellerOrderOf(t, srv, c, delegate, "order-1001")
	// mine[0] Draft, mine[1] Open, mine[2] Canceled, mine[3] Closed, mine[4] Draft.
	for _, id := range mine[1:4] {
		_, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
	}
	_, err := c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: mine[2]})
	require.NoError(t, err)
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: mine[3], ClosureReason: "done"})
	require.NoError(t, err)

	// Paging, newest first by default.
	in := &amazonpay.ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: amazonpay.QueryIDTypeSellerOrderID, PageSize: amazonpay.Int(2)}
	page, err := c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{mine[4], mine[3]}, ids(page.OrderReferences))
	require.NotEmpty(t, page.NextPageToken)
	next, err := c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: page.NextPageToken})
	require.NoError(t, err)
	assert.Equal(t, []string{mine[2], mine[1]}, ids(next.OrderReferences))
	// A token can be used again (a retried call), and other sellers cannot use it.
	again, err := c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: page.NextPageToken})
	require.NoError(t, err)
	assert.Equal(t, ids(next.OrderReferences), ids(again.OrderReferences))
	_, err = c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: page.NextPageToken},
		amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken))
	assert.Equal(t, amazonpay.ErrorInvalidParameterValue, apiCode(t, err))
	_, err = c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: "bogus"})
	assert.Equal(t, amazonpay.ErrorInvalidParameterValue, apiCode(t, err))
	last, err := c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: next.NextPageToken})
	require.NoError(t, err)
	assert.Equal(t, []string{mine[0]}, ids(last.OrderReferences))
	assert.Empty(t, last.NextPageToken)

	// The iterator, oldest first.
	in.SortOrder = amazonpay.SortAscending
	before := len(srv.RequestsFor("ListOrderReferenceByNextToken"))
	var all []string
	for oro, err := range c.ListOrderReferenceAll(ctx, in) {
		require.NoError(t, err)
		all = append(all, oro.AmazonOrderReferenceID)
	}
	assert.Equal(t, mine, all)
	assert.Len(t, srv.RequestsFor("ListOrderReferenceByNextToken"), before+2, "pages of 2, 2 and 1")

	// What an entry says.
	in = &amazonpay.ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: amazonpay.QueryIDTypeSellerOrderID,
		OrderReferenceStatusListFilter: amazonpay.OrderReferenceStatusFilter{amazonpay.OrderReferenceCanceled}}
	page, err = c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	require.Len(t, page.OrderReferences, 1)
	got := page.OrderReferences[0]
	assert.Equal(t, mine[2], got.AmazonOrderReferenceID)
	assert.Equal(t, amazonpay.OrderReferenceCanceled, got.OrderReferenceStatus.State)
	assert.Equal(t, amazonpay.ReasonCode("SellerCanceled"), got.OrderReferenceStatus.ReasonCode)
	assert.Equal(t, amazonpay.ReleaseEnvironment("Sandbox"), got.ReleaseEnvironment)
	assert.Equal(t, start.Add(5*time.Minute), got.CreationTimestamp)
	assert.Equal(t, "order-1001", got.SellerOrderAttributes.SellerOrderID)
	assert.Equal(t, "Demo Shop", got.SellerOrderAttributes.StoreName)
	assert.Equal(t, &amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}, got.OrderTotal)
	assert.Equal(t, "note "+mine[2], got.SellerNote)
	assert.Equal(t, "de-DE", got.OrderLanguage)
	assert.Empty(t, page.NextPageToken)

	// Status filter and creation time range.
	in.OrderReferenceStatusListFilter = amazonpay.OrderReferenceStatusFilter{amazonpay.OrderReferenceOpen, amazonpay.OrderReferenceClosed}
	in.SortOrder = amazonpay.SortAscending
	page, err = c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{mine[1], mine[3]}, ids(page.OrderReferences))
	in.OrderReferenceStatusListFilter = nil
	in.CreatedTimeRange = &amazonpay.TimeRange{StartTime: start.Add(3 * time.Minute), EndTime: start.Add(7 * time.Minute)}
	page, err = c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{mine[1], mine[2], mine[3]}, ids(page.OrderReferences), "both ends are inclusive")
	in.CreatedTimeRange = &amazonpay.TimeRange{StartTime: start.Add(8 * time.Minute), EndTime: srv.Now()}
	page, err = c.ListOrderReference(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{mine[4]}, ids(page.OrderReferences))

	// Nothing found; another seller's orders.
	page, err = c.ListOrderReference(ctx, &amazonpay.ListOrderReferenceInput{QueryID: "order-none", QueryIDType: amazonpay.QueryIDTypeSellerOrderID})
	require.NoError(t, err)
	assert.Empty(t, page.OrderReferences)
	assert.Empty(t, page.NextPageToken)
	page, err = c.ListOrderReference(ctx, &amazonpay.ListOrderReferenceInput{QueryID: "order-1001", QueryIDType: amazonpay.QueryIDTypeSellerOrderID},
		amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken))
	require.NoError(t, err)
	assert.Equal(t, []string{theirs}, ids(page.OrderReferences))
}

func TestListOrderReferenceChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	sellerOrder(t, srv, c, "o-1")
	good := []string{"QueryId", "o-1", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR"}
	with := func(kv ...string) []string {
		out := append([]string(nil), good...)
		for i := 0; i+1 < len(kv); i += 2 {
			for j := 0; j+1 < len(out); j += 2 {
				if out[j] == kv[i] {
					out[j+1] = kv[i+1]
					kv[i] = ""
				}
			}
			if kv[i] != "" {
				out = append(out, kv[i], kv[i+1])
			}
		}
		return out
	}
	cases := []struct {
		name   string
		params []string
		code   string
	}{
		{"other region", with("PaymentDomain", "NA_USD"), "InvalidParameterValue"},
		{"no payment domain", with("PaymentDomain", ""), "MissingParameter"},
		{"no query id", with("QueryId", ""), "MissingParameter"},
		{"query id type", with("QueryIdType", "AmazonOrderReferenceId"), "InvalidParameterValue"},
		{"page size 0", with("PageSize", "0"), "InvalidParameterValue"},
		{"page size 101", with("PageSize", "101"), "InvalidParameterValue"},
		{"sort order", with("SortOrder", "Sideways"), "InvalidParameterValue"},
		{"start time", with("CreatedTimeRange.StartTime", "yesterday"), "InvalidParameterValue"},
		{"end before start", with("CreatedTimeRange.StartTime", "2024-01-02T00:00:00Z", "CreatedTimeRange.EndTime", "2024-01-01T00:00:00Z"), "InvalidParameterValue"},
		{"status", with("OrderReferenceStatusListFilter.OrderReferenceStatus.1", "Pending"), "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := rawError(t, srv, 400, "ListOrderReference", tc.params...)
			assert.Equal(t, tc.code, e.Code, e.Message)
		})
	}
	e := rawError(t, srv, 400, "ListOrderReferenceByNextToken")
	assert.Equal(t, "MissingParameter", e.Code)

	// Status names in any case, as the SDKs send them (Open, open, OPEN).
	status, body := raw(t, srv, "ListOrderReference", with("OrderReferenceStatusListFilter.OrderReferenceStatus.1", "dRaFt")...)
	require.Equal(t, 200, status, body)
	var out amazonpay.ListOrderReferenceOutput
	require.NoError(t, xml.Unmarshal([]byte(body), &out))
	assert.Len(t, out.OrderReferences, 1)

	// The XML: the Java SDK's order of elements, user text escaped.
	id := sellerOrder(t, srv, c, `o-<&>`)
	status, body = raw(t, srv, "ListOrderReference", with("QueryId", `o-<&>`)...)
	require.Equal(t, 200, status, body)
	assert.Equal(t, []string{"ListOrderReferenceResult", "ResponseMetadata"}, children(t, body, "ListOrderReferenceResponse"))
	assert.Equal(t, []string{"OrderReferenceList"}, children(t, body, "ListOrderReferenceResult"))
	assert.Equal(t, []string{"ReleaseEnvironment", "OrderReferenceStatus", "AmazonOrderReferenceId", "CreationTimestamp",
		"SellerOrderAttributes", "OrderTotal", "SellerNote", "OrderLanguage"}, children(t, body, "OrderReference"))
	assert.Equal(t, []string{"CurrencyCode", "Amount"}, children(t, body, "OrderTotal"))
	assert.Contains(t, body, "<SellerOrderId>o-&lt;&amp;&gt;</SellerOrderId>")
	assert.True(t, strings.Contains(body, id))
	status, body = raw(t, srv, "ListOrderReference", with("QueryId", "none")...)
	require.Equal(t, 200, status, body)
	assert.Empty(t, children(t, body, "OrderReferenceList"))
}
