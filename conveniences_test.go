package amazonpay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const xmlns = `xmlns="http://mws.amazonservices.com/schema/OffAmazonPayments/2013-01-01"`

// mwsResponse wraps result in the envelope of action.
func mwsResponse(action, result string) string {
	return fmt.Sprintf(`<%sResponse %s><%sResult>%s</%sResult><ResponseMetadata><RequestId>req-%s</RequestId></ResponseMetadata></%sResponse>`,
		action, xmlns, action, result, action, strings.ToLower(action), action)
}

func idList(ids ...string) string {
	var b strings.Builder
	b.WriteString("<IdList>")
	for _, id := range ids {
		b.WriteString("<member>" + id + "</member>")
	}
	b.WriteString("</IdList>")
	return b.String()
}

func oroDetails(id string, state OrderReferenceState, ids ...string) string {
	return fmt.Sprintf(`<OrderReferenceDetails><AmazonOrderReferenceId>%s</AmazonOrderReferenceId><OrderReferenceStatus><State>%s</State></OrderReferenceStatus>%s</OrderReferenceDetails>`, id, state, idList(ids...))
}

func baDetails(id string, state BillingAgreementState) string {
	return fmt.Sprintf(`<BillingAgreementDetails><AmazonBillingAgreementId>%s</AmazonBillingAgreementId><BillingAgreementStatus><State>%s</State></BillingAgreementStatus></BillingAgreementDetails>`, id, state)
}

func authDetails(id string, captures ...string) string {
	return fmt.Sprintf(`<AuthorizationDetails><AmazonAuthorizationId>%s</AmazonAuthorizationId><AuthorizationAmount><Amount>10.00</Amount><CurrencyCode>EUR</CurrencyCode></AuthorizationAmount><AuthorizationStatus><State>Open</State></AuthorizationStatus>%s</AuthorizationDetails>`, id, idList(captures...))
}

// actionRouter answers each Action with its next canned body (repeating the
// last) and records the order of the calls and their forms.
type actionRouter struct {
	mu      sync.Mutex
	bodies  map[string][]string
	status  map[string]int
	actions []string
	forms   []url.Values
}

func routeActions(mt *httpmock.MockTransport, bodies map[string][]string) *actionRouter {
	r := &actionRouter{bodies: bodies, status: map[string]int{}}
	mt.RegisterResponder(http.MethodPost, testEndpoint, func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		form, _ := url.ParseQuery(string(b))
		action := form.Get("Action")
		r.mu.Lock()
		defer r.mu.Unlock()
		r.actions = append(r.actions, action)
		r.forms = append(r.forms, form)
		list := r.bodies[action]
		if len(list) == 0 {
			return httpmock.NewStringResponse(500, "no canned response for "+action), nil
		}
		body := list[0]
		if len(list) > 1 {
			r.bodies[action] = list[1:]
		}
		status := 200
		if s, ok := r.status[action]; ok {
			status = s
		}
		return httpmock.NewStringResponse(status, body), nil
	})
	return r
}

func (r *actionRouter) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.actions...)
}

func (r *actionRouter) form(action string) url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, a := range r.actions {
		if a == action {
			return r.forms[i]
		}
	}
	return nil
}

func TestNewReferenceID(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewReferenceID()
		require.Regexp(t, re, id)
		require.False(t, seen[id], "duplicate")
		seen[id] = true
	}
}

// newUSTestClient is newTestClient for a US merchant, where one-time
// purchases need no Confirmation Flow; it posts to the same test endpoint.
func newUSTestClient(t *testing.T) (*Client, *httpmock.MockTransport) {
	cfg := testConfig()
	cfg.Region = RegionUS
	cfg.CurrencyCode = "EUR"
	return newTestClientConfig(t, cfg, WithEndpoint(testEndpoint))
}

func TestChargeOrderReferenceDraft(t *testing.T) {
	t.Parallel()
	c, mt := newUSTestClient(t)
	const id = "S02-1234567-7654321"
	r := routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {
			mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft)),
			mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceOpen)),
		},
		"SetOrderReferenceDetails": {mwsResponse("SetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft))},
		"ConfirmOrderReference":    {mwsResponse("ConfirmOrderReference", "")},
		"Authorize":                {mwsResponse("Authorize", authDetails(id+"-A000001"))},
	})
	out, err := c.Charge(context.Background(), &ChargeInput{
		AmazonReferenceID: id, AuthorizationReferenceID: "auth-1", Amount: &Price{Amount: "10.00"},
		SellerNote: "note", SellerOrderID: "order-1", CaptureNow: Bool(true), TransactionTimeout: Int(0),
	})
	require.NoError(t, err)
	want := []string{"GetOrderReferenceDetails", "SetOrderReferenceDetails", "ConfirmOrderReference", "GetOrderReferenceDetails", "Authorize"}
	assert.Equal(t, want, r.calls())
	assert.Equal(t, want, out.Steps)
	assert.Equal(t, id+"-A000001", out.AuthorizationDetails.AmazonAuthorizationID)
	assert.Equal(t, id, out.AmazonOrderReferenceID)
	set := r.form("SetOrderReferenceDetails")
	assert.Equal(t, "10.00", set.Get("OrderReferenceAttributes.OrderTotal.Amount"))
	assert.Equal(t, "EUR", set.Get("OrderReferenceAttributes.OrderTotal.CurrencyCode"))
	assert.Equal(t, "order-1", set.Get("OrderReferenceAttributes.SellerOrderAttributes.SellerOrderId"))
	auth := r.form("Authorize")
	assert.Equal(t, "auth-1", auth.Get("AuthorizationReferenceId"))
	assert.Equal(t, "true", auth.Get("CaptureNow"))
	assert.Equal(t, "0", auth.Get("TransactionTimeout"))
}

func TestChargeOrderReferenceOpenGoesStraightToAuthorize(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	const id = "S02-1234567-7654321"
	r := routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceOpen))},
		"Authorize":                {mwsResponse("Authorize", authDetails(id+"-A000002"))},
	})
	out, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "auth-2", Amount: &Price{Amount: "5"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"GetOrderReferenceDetails", "Authorize"}, r.calls())
	assert.Equal(t, id+"-A000002", out.AuthorizationDetails.AmazonAuthorizationID)
	assert.NotContains(t, r.form("Authorize"), "CaptureNow", "nil is not sent")
}

func TestChargeRefusesOtherStates(t *testing.T) {
	t.Parallel()
	const id = "S02-1234567-7654321"
	for _, state := range []OrderReferenceState{OrderReferenceSuspended, OrderReferenceCanceled, OrderReferenceClosed} {
		c, mt := newTestClient(t)
		r := routeActions(mt, map[string][]string{
			"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, state))},
		})
		out, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}})
		assert.Nil(t, out)
		var se *StateError
		require.True(t, errors.As(err, &se), string(state))
		assert.Equal(t, string(state), se.State)
		assert.Equal(t, id, se.ID)
		assert.Contains(t, err.Error(), "only an Open order reference can be authorized")
		assert.Equal(t, []string{"GetOrderReferenceDetails"}, r.calls(), "nothing authorized")
	}
	// Still Draft after confirming (constraints): no Authorize.
	c, mt := newUSTestClient(t)
	r := routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft))},
		"SetOrderReferenceDetails": {mwsResponse("SetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft))},
		"ConfirmOrderReference":    {mwsResponse("ConfirmOrderReference", "")},
	})
	_, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}})
	var se *StateError
	require.True(t, errors.As(err, &se))
	assert.NotContains(t, r.calls(), "Authorize")
}

func TestChargeStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	const id = "S02-1234567-7654321"
	c, mt := newUSTestClient(t)
	r := routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft))},
		"SetOrderReferenceDetails": {string(fixture(t, "ErrorResponse.xml"))},
	})
	r.status["SetOrderReferenceDetails"] = 400
	_, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}})
	assert.ErrorIs(t, err, ErrorOrderReferenceNotModifiable)
	assert.Equal(t, []string{"GetOrderReferenceDetails", "SetOrderReferenceDetails"}, r.calls())
}

func TestChargeBillingAgreement(t *testing.T) {
	t.Parallel()
	const ba = "C02-5555555-6666666"
	c, mt := newTestClient(t)
	r := routeActions(mt, map[string][]string{
		"GetBillingAgreementDetails": {
			mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementDraft)),
			mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementOpen)),
		},
		"SetBillingAgreementDetails":  {mwsResponse("SetBillingAgreementDetails", baDetails(ba, BillingAgreementDraft))},
		"ConfirmBillingAgreement":     {mwsResponse("ConfirmBillingAgreement", "")},
		"AuthorizeOnBillingAgreement": {mwsResponse("AuthorizeOnBillingAgreement", authDetails("S02-7777777-8888888-A000001")+"<AmazonOrderReferenceId>S02-7777777-8888888</AmazonOrderReferenceId>")},
	})
	out, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "sub-1", Amount: &Price{Amount: "9.99"},
		SellerNote: "box", SellerOrderID: "sub-42", CaptureNow: Bool(true)})
	require.NoError(t, err)
	want := []string{"GetBillingAgreementDetails", "SetBillingAgreementDetails", "ConfirmBillingAgreement", "GetBillingAgreementDetails", "AuthorizeOnBillingAgreement"}
	assert.Equal(t, want, r.calls())
	assert.Equal(t, "S02-7777777-8888888", out.AmazonOrderReferenceID)
	assert.Equal(t, "S02-7777777-8888888-A000001", out.AuthorizationDetails.AmazonAuthorizationID)
	assert.Equal(t, "sub-42", r.form("SetBillingAgreementDetails").Get("BillingAgreementAttributes.SellerBillingAgreementAttributes.SellerBillingAgreementId"))
	aob := r.form("AuthorizeOnBillingAgreement")
	assert.Equal(t, "sub-1", aob.Get("AuthorizationReferenceId"))
	assert.Equal(t, "9.99", aob.Get("AuthorizationAmount.Amount"))
	assert.Equal(t, "sub-42", aob.Get("SellerOrderAttributes.SellerOrderId"))

	// Open: straight to AuthorizeOnBillingAgreement; Suspended: refused.
	c, mt = newTestClient(t)
	r = routeActions(mt, map[string][]string{
		"GetBillingAgreementDetails":  {mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementOpen))},
		"AuthorizeOnBillingAgreement": {mwsResponse("AuthorizeOnBillingAgreement", authDetails("S02-7777777-8888888-A000002"))},
	})
	_, err = c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "sub-2", Amount: &Price{Amount: "9.99"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"GetBillingAgreementDetails", "AuthorizeOnBillingAgreement"}, r.calls())

	c, mt = newTestClient(t)
	r = routeActions(mt, map[string][]string{
		"GetBillingAgreementDetails": {mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementSuspended))},
	})
	_, err = c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "sub-3", Amount: &Price{Amount: "9.99"}})
	var se *StateError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "Suspended", se.State)
	assert.Equal(t, []string{"GetBillingAgreementDetails"}, r.calls())
}

func TestChargeValidation(t *testing.T) {
	ctx := context.Background()
	runValidationCases(t, []validationCase{
		{"nil", "input", func(c *Client) error { _, err := c.Charge(ctx, nil); return err }},
		{"empty id", "AmazonReferenceID", func(c *Client) error {
			_, err := c.Charge(ctx, &ChargeInput{AuthorizationReferenceID: "a", Amount: &Price{Amount: "1"}})
			return err
		}},
		{"T01 id", "AmazonReferenceID", func(c *Client) error {
			_, err := c.Charge(ctx, &ChargeInput{AmazonReferenceID: "T01-1234567-1234567", AuthorizationReferenceID: "a", Amount: &Price{Amount: "1"}})
			return err
		}},
		{"no reference id", "AuthorizationReferenceID", func(c *Client) error {
			_, err := c.Charge(ctx, &ChargeInput{AmazonReferenceID: "S02-1234567-1234567", Amount: &Price{Amount: "1"}})
			return err
		}},
		{"no amount", "Amount", func(c *Client) error {
			_, err := c.Charge(ctx, &ChargeInput{AmazonReferenceID: "S02-1234567-1234567", AuthorizationReferenceID: "a"})
			return err
		}},
	})
}

func TestGetPaymentDetailsWalksEverything(t *testing.T) {
	t.Parallel()
	const id = "S02-1234567-7654321"
	c, mt := newTestClient(t)
	capture := func(cid string, refunds ...string) string {
		return mwsResponse("GetCaptureDetails", fmt.Sprintf(`<CaptureDetails><AmazonCaptureId>%s</AmazonCaptureId>%s</CaptureDetails>`, cid, idList(refunds...)))
	}
	refund := func(rid string) string {
		return mwsResponse("GetRefundDetails", fmt.Sprintf(`<RefundDetails><AmazonRefundId>%s</AmazonRefundId></RefundDetails>`, rid))
	}
	r := routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceOpen, id+"-A000001", id+"-A000002"))},
		"GetAuthorizationDetails": {
			mwsResponse("GetAuthorizationDetails", authDetails(id+"-A000001", id+"-C000001", id+"-C000002")),
			mwsResponse("GetAuthorizationDetails", authDetails(id+"-A000002", id+"-C000003")),
		},
		"GetCaptureDetails": {
			capture(id+"-C000001", id+"-R000001", id+"-R000002"),
			capture(id + "-C000002"),
			capture(id+"-C000003", id+"-R000003"),
		},
		"GetRefundDetails": {refund(id + "-R000001"), refund(id + "-R000002"), refund(id + "-R000003")},
	})
	pd, err := c.GetPaymentDetails(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, id, pd.OrderReference.AmazonOrderReferenceID)
	var auths, captures, refunds []string
	for _, a := range pd.Authorizations {
		auths = append(auths, a.AmazonAuthorizationID)
	}
	for _, c := range pd.Captures {
		captures = append(captures, c.AmazonCaptureID)
	}
	for _, r := range pd.Refunds {
		refunds = append(refunds, r.AmazonRefundID)
	}
	assert.Equal(t, []string{id + "-A000001", id + "-A000002"}, auths)
	assert.Equal(t, []string{id + "-C000001", id + "-C000002", id + "-C000003"}, captures)
	assert.Equal(t, []string{id + "-R000001", id + "-R000002", id + "-R000003"}, refunds, "every refund of every capture")
	assert.Len(t, r.calls(), 1+2+3+3)
	// The ids asked for are the ids listed.
	r.mu.Lock()
	var asked []string
	for _, f := range r.forms {
		for _, k := range []string{"AmazonAuthorizationId", "AmazonCaptureId", "AmazonRefundId"} {
			if v := f.Get(k); v != "" {
				asked = append(asked, v)
			}
		}
	}
	r.mu.Unlock()
	assert.Equal(t, []string{id + "-A000001", id + "-C000001", id + "-R000001", id + "-R000002", id + "-C000002", id + "-A000002", id + "-C000003", id + "-R000003"}, asked)

	// An error on the way is returned, not a partial success.
	c, mt = newTestClient(t)
	r = routeActions(mt, map[string][]string{
		"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceOpen, id+"-A000001"))},
		"GetAuthorizationDetails":  {string(fixture(t, "ErrorResponse.xml"))},
	})
	r.status["GetAuthorizationDetails"] = 404
	pd, err = c.GetPaymentDetails(context.Background(), id)
	assert.Nil(t, pd)
	assert.ErrorIs(t, err, ErrorOrderReferenceNotModifiable)
}

func listPage(action string, token string, ids ...string) string {
	var b strings.Builder
	b.WriteString("<OrderReferenceList>")
	for _, id := range ids {
		b.WriteString(fmt.Sprintf("<OrderReference><AmazonOrderReferenceId>%s</AmazonOrderReferenceId><OrderReferenceStatus><State>Open</State></OrderReferenceStatus></OrderReference>", id))
	}
	b.WriteString("</OrderReferenceList>")
	if token != "" {
		b.WriteString("<NextPageToken>" + token + "</NextPageToken>")
	}
	return mwsResponse(action, b.String())
}

func TestListOrderReferenceAll(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	r := routeActions(mt, map[string][]string{
		"ListOrderReference": {listPage("ListOrderReference", "tok1", "S02-0000001-0000001", "S02-0000001-0000002")},
		"ListOrderReferenceByNextToken": {
			listPage("ListOrderReferenceByNextToken", "tok2", "S02-0000001-0000003"),
			listPage("ListOrderReferenceByNextToken", "", "S02-0000001-0000004", "S02-0000001-0000005"),
		},
	})
	in := &ListOrderReferenceInput{QueryID: "order-1", QueryIDType: QueryIDTypeSellerOrderID}
	var got []string
	for oro, err := range c.ListOrderReferenceAll(context.Background(), in) {
		require.NoError(t, err)
		got = append(got, oro.AmazonOrderReferenceID)
	}
	assert.Equal(t, []string{"S02-0000001-0000001", "S02-0000001-0000002", "S02-0000001-0000003", "S02-0000001-0000004", "S02-0000001-0000005"}, got)
	assert.Equal(t, []string{"ListOrderReference", "ListOrderReferenceByNextToken", "ListOrderReferenceByNextToken"}, r.calls())
	r.mu.Lock()
	assert.Equal(t, "tok1", r.forms[1].Get("NextPageToken"))
	assert.Equal(t, "tok2", r.forms[2].Get("NextPageToken"))
	assert.Equal(t, "EU_EUR", r.forms[0].Get("PaymentDomain"))
	r.mu.Unlock()

	// Breaking out early fetches no further page.
	c, mt = newTestClient(t)
	r = routeActions(mt, map[string][]string{
		"ListOrderReference": {listPage("ListOrderReference", "tok1", "S02-0000001-0000001", "S02-0000001-0000002")},
	})
	for range c.ListOrderReferenceAll(context.Background(), in) {
		break
	}
	assert.Equal(t, []string{"ListOrderReference"}, r.calls())
}

// A server that hands out the same token again does not make the iterator loop.
func TestListOrderReferenceAllRepeatedToken(t *testing.T) {
	t.Parallel()
	c, mt := newTestClient(t)
	r := routeActions(mt, map[string][]string{
		"ListOrderReference":            {listPage("ListOrderReference", "tok1", "S02-0000001-0000001")},
		"ListOrderReferenceByNextToken": {listPage("ListOrderReferenceByNextToken", "tok1", "S02-0000001-0000002")},
	})
	var ids []string
	var last error
	for oro, err := range c.ListOrderReferenceAll(context.Background(), &ListOrderReferenceInput{QueryID: "o", QueryIDType: QueryIDTypeSellerOrderID}) {
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, oro.AmazonOrderReferenceID)
	}
	assert.Equal(t, []string{"S02-0000001-0000001", "S02-0000001-0000002"}, ids)
	var ue *UnexpectedResponseError
	require.True(t, errors.As(last, &ue), "%v", last)
	assert.Equal(t, []string{"ListOrderReference", "ListOrderReferenceByNextToken"}, r.calls())
}

func TestListOrderReferenceAllStopsOnErrorAndContext(t *testing.T) {
	t.Parallel()
	in := &ListOrderReferenceInput{QueryID: "order-1", QueryIDType: QueryIDTypeSellerOrderID}
	c, mt := newTestClient(t)
	r := routeActions(mt, map[string][]string{
		"ListOrderReference":            {listPage("ListOrderReference", "tok1", "S02-0000001-0000001")},
		"ListOrderReferenceByNextToken": {string(fixture(t, "ErrorResponse.xml"))},
	})
	r.status["ListOrderReferenceByNextToken"] = 400
	var ids []string
	var errs []error
	for oro, err := range c.ListOrderReferenceAll(context.Background(), in) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, oro.AmazonOrderReferenceID)
	}
	assert.Equal(t, []string{"S02-0000001-0000001"}, ids)
	require.Len(t, errs, 1, "one error, then the iteration ends")
	assert.ErrorIs(t, errs[0], ErrorOrderReferenceNotModifiable)

	// The first call failing yields its error, once.
	c3, _ := newTestClient(t)
	n := 0
	for _, err := range c3.ListOrderReferenceAll(context.Background(), &ListOrderReferenceInput{}) {
		var ve *ValidationError
		assert.True(t, errors.As(err, &ve))
		n++
	}
	assert.Equal(t, 1, n)

	// A context cancelled between pages ends the iteration with its error.
	c, mt = newTestClient(t)
	routeActions(mt, map[string][]string{
		"ListOrderReference": {listPage("ListOrderReference", "tok1", "S02-0000001-0000001")},
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	for _, err := range c.ListOrderReferenceAll(ctx, in) {
		cancel()
		last = err
	}
	assert.ErrorIs(t, last, context.Canceled)
}

func TestUpdateBillingAgreements(t *testing.T) {
	t.Parallel()
	fast := Quota{Burst: 2, Every: time.Millisecond}
	c, mt := newTestClient(t, WithRateLimiter(NewLocalLimiter(Quotas{Sandbox: true,
		Override: map[string]Quota{"SetBillingAgreementDetails": fast, "ValidateBillingAgreement": fast}})))
	ids := []string{"C02-0000000-0000001", "C02-0000000-0000002", "C02-0000000-0000003", "C02-0000000-0000004"}
	var mu sync.Mutex
	setCalls := map[string]int{}
	validateOK := mwsResponse("ValidateBillingAgreement", `<ValidationResult>Success</ValidationResult><BillingAgreementStatus><State>Open</State></BillingAgreementStatus>`)
	validateFail := mwsResponse("ValidateBillingAgreement", `<ValidationResult>Failure</ValidationResult><FailureReasonCode>InvalidPaymentMethod</FailureReasonCode><BillingAgreementStatus><State>Suspended</State><ReasonCode>InvalidPaymentMethod</ReasonCode></BillingAgreementStatus>`)
	mt.RegisterResponder(http.MethodPost, testEndpoint, func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		form, _ := url.ParseQuery(string(b))
		id := form.Get("AmazonBillingAgreementId")
		switch form.Get("Action") {
		case "SetBillingAgreementDetails":
			mu.Lock()
			setCalls[id]++
			mu.Unlock()
			if form.Get("BillingAgreementAttributes.BillingAgreementType") != "MerchantInitiatedTransaction" ||
				form.Get("BillingAgreementAttributes.SubscriptionAmount.Amount") != "9.99" {
				return httpmock.NewStringResponse(400, "bad form"), nil
			}
			if id == ids[2] {
				return httpmock.NewBytesResponse(405, []byte(`<ErrorResponse><Error><Type>Sender</Type><Code>BillingAgreementNotModifiable</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>`)), nil
			}
			return httpmock.NewStringResponse(200, mwsResponse("SetBillingAgreementDetails", baDetails(id, BillingAgreementOpen))), nil
		case "ValidateBillingAgreement":
			if id == ids[1] {
				return httpmock.NewStringResponse(200, validateFail), nil
			}
			return httpmock.NewStringResponse(200, validateOK), nil
		}
		return httpmock.NewStringResponse(400, "unexpected"), nil
	})
	in := &UpdateBillingAgreementsInput{
		AmazonBillingAgreementIDs: ids,
		BillingAgreementType:      MerchantInitiatedTransaction,
		SubscriptionAmount:        &Price{Amount: "9.99"},
		Concurrency:               3,
	}
	res, err := c.UpdateBillingAgreements(context.Background(), in)
	require.NoError(t, err)
	require.Len(t, res, 4)
	for i, r := range res {
		assert.Equal(t, ids[i], r.AmazonBillingAgreementID, "results in input order")
	}
	assert.Equal(t, UpdateSucceeded, res[0].Outcome)
	assert.Equal(t, BillingAgreementOpen, res[0].BillingAgreementStatus.State)
	assert.NoError(t, res[0].Err)
	assert.Equal(t, UpdateValidationFailed, res[1].Outcome)
	assert.Equal(t, FailureInvalidPaymentMethod, res[1].FailureReasonCode)
	assert.Equal(t, UpdateFailed, res[2].Outcome)
	assert.ErrorIs(t, res[2].Err, ErrorBillingAgreementNotModifiable)
	assert.Equal(t, UpdateSucceeded, res[3].Outcome, "the batch went on after a failure")

	// Rerunning the same list is safe: the same calls, once per agreement again.
	res2, err := c.UpdateBillingAgreements(context.Background(), in)
	require.NoError(t, err)
	for i := range res {
		assert.Equal(t, res[i].Outcome, res2[i].Outcome)
	}
	mu.Lock()
	for _, id := range ids {
		assert.Equal(t, 2, setCalls[id], id)
	}
	mu.Unlock()
}

func TestUpdateBillingAgreementsValidationAndContext(t *testing.T) {
	ctx := context.Background()
	runValidationCases(t, []validationCase{
		{"nil", "input", func(c *Client) error { _, err := c.UpdateBillingAgreements(ctx, nil); return err }},
		{"no ids", "AmazonBillingAgreementIDs", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{BillingAgreementType: CustomerInitiatedTransaction})
			return err
		}},
		{"bad id", "AmazonBillingAgreementIDs", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001", "S02-1"},
				BillingAgreementType: CustomerInitiatedTransaction})
			return err
		}},
		{"no type", "BillingAgreementType", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001"}})
			return err
		}},
		{"bad type", "BillingAgreementType", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001"}, BillingAgreementType: "Monthly"})
			return err
		}},
		{"negative subscription amount", "BillingAgreementAttributes.SubscriptionAmount.Amount", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001"},
				BillingAgreementType: MerchantInitiatedTransaction, SubscriptionAmount: &Price{Amount: "-9.99"}})
			return err
		}},
		{"subscription currency", "BillingAgreementAttributes.SubscriptionAmount.CurrencyCode", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001"},
				BillingAgreementType: MerchantInitiatedTransaction, SubscriptionAmount: &Price{Amount: "9.99", CurrencyCode: "XYZ"}})
			return err
		}},
		{"negative concurrency", "Concurrency", func(c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{"C02-0000000-0000001"},
				BillingAgreementType: CustomerInitiatedTransaction, Concurrency: -1})
			return err
		}},
	})

	// The client's limiter with the documented sandbox quota (2, then 1 per
	// 2 s, of which the client uses 1 at once) paces the calls; a context
	// that ends before the next token ends the batch and marks what was not
	// done.
	t.Run("cancel", func(t *testing.T) {
		c, mt := newTestClient(t, WithRateLimiter(NewLocalLimiter(Quotas{Sandbox: true})))
		mt.RegisterResponder(http.MethodPost, testEndpoint, func(req *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(req.Body)
			form, _ := url.ParseQuery(string(b))
			if form.Get("Action") == "SetBillingAgreementDetails" {
				return httpmock.NewStringResponse(200, mwsResponse("SetBillingAgreementDetails", baDetails(form.Get("AmazonBillingAgreementId"), BillingAgreementOpen))), nil
			}
			return httpmock.NewStringResponse(200, mwsResponse("ValidateBillingAgreement", `<ValidationResult>Success</ValidationResult>`)), nil
		})
		ids := []string{"C02-0000000-0000001", "C02-0000000-0000002", "C02-0000000-0000003", "C02-0000000-0000004", "C02-0000000-0000005"}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second) // well short of the next token at 2 s
		defer cancel()
		start := time.Now()
		res, err := c.UpdateBillingAgreements(ctx, &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: ids, BillingAgreementType: CustomerInitiatedTransaction})
		assert.Less(t, time.Since(start), 3*time.Second)
		// The limiter fails at once when the next token comes after the
		// deadline, so the batch usually ends before ctx does.
		if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
		require.Len(t, res, 5)
		done := 0
		for _, r := range res {
			if r.Outcome == UpdateSucceeded {
				done++
			} else {
				assert.ErrorIs(t, r.Err, context.DeadlineExceeded)
			}
		}
		assert.Equal(t, 1, done, "the client's sandbox burst allows one agreement at once")
	})
}

func TestGetUserInfo(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var paths, tokens []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		tokens = append(tokens, r.Header.Get("x-amz-access-token"))
		mu.Unlock()
		tok := r.Header.Get("x-amz-access-token")
		switch {
		case tok == "Atza|expired":
			w.WriteHeader(400)
			io.WriteString(w, `{"error_description":"The request has an invalid parameter : access_token","error":"invalid_token"}`)
		case r.URL.Path == "/auth/o2/tokeninfo" && tok == "Atza|other-client":
			io.WriteString(w, `{"aud":"amzn1.application-oa2-client.OTHER","user_id":"amzn1.account.X","iss":"https://www.amazon.com","exp":2370}`)
		case r.URL.Path == "/auth/o2/tokeninfo":
			io.WriteString(w, `{"aud":"TEST_CLIENT_ID","user_id":"amzn1.account.AF5W6J2OG52NKFJGEN52GEZ5CWFQ","iss":"https://www.amazon.com","exp":2370,"app_id":"amzn1.application.5286e3c9cac24d8188908b500f4a05a5","iat":1446510240}`)
		case r.URL.Path == "/user/profile" && tok == "Atza|html":
			w.WriteHeader(502)
			io.WriteString(w, "<html>bad gateway</html>")
		case r.URL.Path == "/user/profile":
			io.WriteString(w, `{"user_id":"amzn1.account.AF5W6J2OG52NKFJGEN52GEZ5CWFQ","name":"Test Buyer","email":"testbuyer2@amazon.com"}`)
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.ClientID = "TEST_CLIENT_ID"
	c, err := NewClient(cfg, WithHTTPClient(srv.Client()), WithProfileEndpoint(srv.URL+"/"))
	require.NoError(t, err)
	ctx := context.Background()

	user, err := c.GetUserInfo(ctx, "Atza%7Cvalid-token") // URL-encoded, as pages pass it
	require.NoError(t, err)
	assert.Equal(t, &UserInfo{UserID: "amzn1.account.AF5W6J2OG52NKFJGEN52GEZ5CWFQ", Name: "Test Buyer", Email: "testbuyer2@amazon.com"}, user)
	mu.Lock()
	assert.Equal(t, []string{"GET /auth/o2/tokeninfo?", "GET /user/profile?"}, paths, "the token is never in the URL")
	assert.Equal(t, []string{"Atza|valid-token", "Atza|valid-token"}, tokens, "decoded once, sent in the header")
	mu.Unlock()

	_, err = c.GetUserInfo(ctx, "Atza|expired")
	var le *LoginError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, &LoginError{StatusCode: 400, Code: "invalid_token", Description: "The request has an invalid parameter : access_token"}, le)

	_, err = c.GetUserInfo(ctx, "Atza|other-client")
	require.True(t, errors.As(err, &le))
	assert.Equal(t, "invalid_client", le.Code)

	_, err = c.GetUserInfo(ctx, "Atza|html")
	var ue *UnexpectedResponseError
	require.True(t, errors.As(err, &ue))
	assert.Equal(t, 502, ue.StatusCode)

	_, err = c.GetUserInfo(ctx, "  ")
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "accessToken", ve.Field)

	noClient, err := NewClient(testConfig(), WithHTTPClient(srv.Client()), WithProfileEndpoint(srv.URL))
	require.NoError(t, err)
	_, err = noClient.GetUserInfo(ctx, "Atza|valid")
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "Config.ClientID", ve.Field)
}

func TestProfileEndpoints(t *testing.T) {
	for _, tc := range []struct {
		region        Region
		live, sandbox string
	}{
		{RegionUS, "https://api.amazon.com", "https://api.sandbox.amazon.com"},
		{RegionUK, "https://api.amazon.co.uk", "https://api.sandbox.amazon.co.uk"},
		{RegionDE, "https://api.amazon.de", "https://api.sandbox.amazon.de"},
		{RegionJP, "https://api.amazon.co.jp", "https://api.sandbox.amazon.co.jp"},
	} {
		assert.Equal(t, tc.live, tc.region.ProfileEndpoint(false))
		assert.Equal(t, tc.sandbox, tc.region.ProfileEndpoint(true))
	}
	_, err := NewClient(testConfig(), WithProfileEndpoint("not a url"))
	assert.Error(t, err)
}

// TestChargeDraftInSCARegionNeedsTheConfirmationFlow: in the EU and UK a
// Draft order reference is neither set, confirmed nor authorized.
func TestChargeDraftInSCARegionNeedsTheConfirmationFlow(t *testing.T) {
	t.Parallel()
	const id = "S02-1234567-7654321"
	for _, region := range []Region{RegionDE, RegionEU, RegionUK} {
		cfg := testConfig()
		cfg.Region = region
		c, mt := newTestClientConfig(t, cfg)
		r := routeActions(mt, map[string][]string{
			"GetOrderReferenceDetails": {mwsResponse("GetOrderReferenceDetails", oroDetails(id, OrderReferenceDraft))},
		})
		out, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}})
		assert.Nil(t, out)
		assert.ErrorIs(t, err, ErrConfirmationFlowRequired, string(region))
		var se *StateError
		require.True(t, errors.As(err, &se))
		assert.Equal(t, "Draft", se.State)
		assert.Contains(t, err.Error(), "ConfirmOrderReference with SuccessURL and FailureURL")
		assert.Equal(t, []string{"GetOrderReferenceDetails"}, r.calls(), "nothing set, confirmed or authorized")
	}
	// A billing agreement is charged merchant-initiated in the EU as well.
	const ba = "C02-5555555-6666666"
	c, mt := newTestClient(t)
	r := routeActions(mt, map[string][]string{
		"GetBillingAgreementDetails":  {mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementOpen))},
		"AuthorizeOnBillingAgreement": {mwsResponse("AuthorizeOnBillingAgreement", authDetails("S02-1111111-2222222-A000001")+"<AmazonOrderReferenceId>S02-1111111-2222222</AmazonOrderReferenceId>")},
	})
	_, err := c.Charge(context.Background(), &ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"GetBillingAgreementDetails", "AuthorizeOnBillingAgreement"}, r.calls())
}

// TestChargeValidatesEveryStepFirst: bad input for a later step is refused
// before the first call, naming that step's operation and field.
func TestChargeValidatesEveryStepFirst(t *testing.T) {
	t.Parallel()
	const id, ba = "S02-1234567-7654321", "C02-5555555-6666666"
	long := strings.Repeat("n", 256)
	for _, tc := range []struct {
		name, op, field string
		in              ChargeInput
	}{
		{"reference id with a space", "Authorize", "AuthorizationReferenceId",
			ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "auth 1", Amount: &Price{Amount: "5"}}},
		{"soft descriptor too long", "Authorize", "SoftDescriptor",
			ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, SoftDescriptor: strings.Repeat("d", 17)}},
		{"authorization note too long", "Authorize", "SellerAuthorizationNote",
			ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, SellerAuthorizationNote: long}},
		{"transaction timeout", "Authorize", "TransactionTimeout",
			ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, TransactionTimeout: Int(1441)}},
		{"seller note too long", "SetOrderReferenceDetails", "OrderReferenceAttributes.SellerNote",
			ChargeInput{AmazonReferenceID: id, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, SellerNote: strings.Repeat("n", 1025)}},
		{"billing agreement timeout", "AuthorizeOnBillingAgreement", "TransactionTimeout",
			ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, TransactionTimeout: Int(1441)}},
		{"billing agreement note", "AuthorizeOnBillingAgreement", "SellerAuthorizationNote",
			ChargeInput{AmazonReferenceID: ba, AuthorizationReferenceID: "a", Amount: &Price{Amount: "5"}, SellerAuthorizationNote: long}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newUSTestClient(t)
			r := routeActions(mt, map[string][]string{})
			_, err := c.Charge(context.Background(), &tc.in)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "%T %v", err, err)
			assert.Equal(t, tc.op, ve.Operation)
			assert.Equal(t, tc.field, ve.Field)
			assert.Empty(t, r.calls(), "nothing is sent")
		})
	}
}
