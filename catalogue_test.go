package amazonpay

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bad-input catalogue: every row is one invalid input to one operation.
// Each must come back as a *ValidationError naming the operation and the
// exact wire field, before a single request reaches the transport.

// badInput is one row of the catalogue.
type badInput struct {
	method string // the *Client method called
	op     string // ValidationError.Operation
	field  string // ValidationError.Field: the wire name (or the input field of a convenience)
	name   string
	note   string // the rule the row checks, when it is one added with issue 7 or a gap it found
	cfg    func(*Config)
	call   func(ctx context.Context, c *Client) error
}

// issue7 labels a row that checks a rule added for issue 7.
func (b badInput) issue7(rule string) badInput { b.note = "issue 7: " + rule; return b }

// gap labels a row that the catalogue found failing: a validation gap.
func (b badInput) gap(what string) badInput { b.note = "validation gap: " + what; return b }

// withConfig runs the row on a client made from a changed Config.
func (b badInput) withConfig(f func(*Config)) badInput { b.cfg = f; return b }

// opCall is a *Client operation method as a method expression.
type opCall[I, O any] func(*Client, context.Context, *I, ...CallOption) (*O, error)

// opRows builds rows for one operation: each starts from a valid input
// (base) and breaks one thing in it.
type opRows[I, O any] struct {
	op   string
	call opCall[I, O]
	base func() *I
}

func rowsFor[I, O any](op string, call opCall[I, O], base func() *I) opRows[I, O] {
	return opRows[I, O]{op: op, call: call, base: base}
}

func (o opRows[I, O]) bad(name, field string, mut func(*I), opts ...CallOption) badInput {
	return badInput{method: o.op, op: o.op, field: field, name: name, call: func(ctx context.Context, c *Client) error {
		in := o.base()
		mut(in)
		_, err := o.call(c, ctx, in, opts...)
		return err
	}}
}

// opt is a row whose valid input is sent with a bad call option.
func (o opRows[I, O]) opt(name, field string, opts ...CallOption) badInput {
	return o.bad(name, field, func(*I) {}, opts...)
}

func (o opRows[I, O]) nilInput() badInput {
	return badInput{method: o.op, op: o.op, field: "input", name: "nil input", call: func(ctx context.Context, c *Client) error {
		_, err := o.call(c, ctx, nil)
		return err
	}}
}

// Valid ids and values the rows start from.
const (
	catORO       = "S02-1234567-7654321"
	catBA        = "C02-5555555-6666666"
	catAuth      = "S02-1234567-7654321-A000001"
	catCapture   = "S02-1234567-7654321-C000001"
	catRefund    = "S02-1234567-7654321-R000001"
	catCredit    = "S02-1234567-7654321-P000001"
	catReversal  = "S02-1234567-7654321-X000001"
	catClientID  = "amzn1.application-oa2-client.catalogue"
	catGoodToken = "Atza|IwEBIcatalogue"
)

func catEUR(amount string) *Price { return &Price{Amount: amount, CurrencyCode: "EUR"} }

// chars returns n two-byte characters: the limits count characters, not bytes.
func chars(n int) string { return strings.Repeat("é", n) }

// countingTransport counts the requests that reach it.
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(req)
}

// catalogueClient returns a client whose every request, to MWS or to Login
// with Amazon, goes through a counting transport.
func catalogueClient(t *testing.T, cfgChange func(*Config)) (*Client, *httpmock.MockTransport, *countingTransport) {
	t.Helper()
	cfg := testConfig()
	cfg.ClientID = catClientID
	if cfgChange != nil {
		cfgChange(&cfg)
	}
	mt := httpmock.NewMockTransport()
	counter := &countingTransport{next: mt}
	// The helper's own transport is replaced: every request goes through counter.
	c, _ := newTestClientConfig(t, cfg, WithHTTPClient(&http.Client{Transport: counter}))
	return c, mt, counter
}

func TestBadInputCatalogue(t *testing.T) {
	rows := badInputCatalogue()
	require.GreaterOrEqual(t, len(rows), 170, "the catalogue keeps at least 170 bad inputs")

	// Every operation of *Client has rows: a new operation needs its own.
	covered := map[string]bool{}
	names := map[string]bool{}
	for _, r := range rows {
		covered[r.method] = true
		name := r.method + "/" + r.name
		require.False(t, names[name], "duplicate row %s", name)
		names[name] = true
	}
	notOperations := []string{"Config", "Endpoint", "Format", "GoString", "LogValue", "MarshalJSON", "String", "UserAgent"}
	ct := reflect.TypeFor[*Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i).Name
		if !slices.Contains(notOperations, m) {
			assert.True(t, covered[m], "no bad-input row calls %s", m)
		}
	}

	for _, row := range rows {
		t.Run(row.method+"/"+row.name, func(t *testing.T) {
			t.Parallel()
			c, mt, sent := catalogueClient(t, row.cfg)
			respond(t, mt, 200, "ConfirmOrderReferenceResponse.xml")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := row.call(ctx, c)
			assert.Equal(t, int64(0), sent.n.Load(), "requests sent %s", row.note)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %T %v %s", err, err, row.note)
			assert.Equal(t, row.op, ve.Operation, "%v %s", ve, row.note)
			assert.Equal(t, row.field, ve.Field, "%v %s", ve, row.note)
			assert.NotEmpty(t, ve.Reason)
		})
	}

	// The edges of the issue 7 rules pass validation and are sent once.
	accepted := []struct {
		name, fixture, field, value string
		call                        func(ctx context.Context, c *Client) error
	}{
		{"AuthorizeOnBillingAgreement of 0.00 (the documented placeholder charge)", "AuthorizeOnBillingAgreementResponse.xml",
			"AuthorizationAmount.Amount", "0.00", func(ctx context.Context, c *Client) error {
				_, err := c.AuthorizeOnBillingAgreement(ctx, &AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: catBA,
					AuthorizationReferenceID: "ba-auth-0", AuthorizationAmount: catEUR("0.00")})
				return err
			}},
		{"CloseAuthorization ClosureReason of 255 characters", "CloseAuthorizationResponse.xml",
			"ClosureReason", chars(255), func(ctx context.Context, c *Client) error {
				_, err := c.CloseAuthorization(ctx, &CloseAuthorizationInput{AmazonAuthorizationID: catAuth, ClosureReason: chars(255)})
				return err
			}},
		{"Capture of the smallest amount", "CaptureResponse.xml",
			"CaptureAmount.Amount", "0.01", func(ctx context.Context, c *Client) error {
				_, err := c.Capture(ctx, &CaptureInput{AmazonAuthorizationID: catAuth, CaptureReferenceID: "cap-1", CaptureAmount: catEUR("0.01")})
				return err
			}},
		{"tab, newline and the last BMP character XML carries in a note", "RefundResponse.xml",
			"SellerRefundNote", "a\tb\r\nc\uFFFD", func(ctx context.Context, c *Client) error {
				_, err := c.Refund(ctx, &RefundInput{AmazonCaptureID: catCapture, RefundReferenceID: "ref-1", RefundAmount: catEUR("1.00"),
					SellerRefundNote: "a\tb\r\nc\uFFFD"})
				return err
			}},
	}
	for _, a := range accepted {
		t.Run("accepted/"+a.name, func(t *testing.T) {
			t.Parallel()
			c, mt, sent := catalogueClient(t, nil)
			rec := respond(t, mt, 200, a.fixture)
			require.NoError(t, a.call(context.Background(), c))
			assert.Equal(t, int64(1), sent.n.Load())
			assert.Equal(t, a.value, rec.form(t, 0).Get(a.field))
		})
	}
}

// badInputCatalogue lists the rows, operation by operation.
func badInputCatalogue() []badInput {
	return slices.Concat(orderReferenceRows(), paymentRows(), billingAgreementRows(), merchantRows(), convenienceRows())
}

func orderReferenceRows() []badInput {
	var rows []badInput
	add := func(rs ...badInput) { rows = append(rows, rs...) }

	setORD := rowsFor("SetOrderReferenceDetails", (*Client).SetOrderReferenceDetails, func() *SetOrderReferenceDetailsInput {
		return &SetOrderReferenceDetailsInput{AmazonOrderReferenceID: catORO, OrderReferenceAttributes: &OrderReferenceAttributes{
			OrderTotal: catEUR("10.00"), SellerOrderAttributes: &SellerOrderAttributes{SellerOrderID: "order-1"}}}
	})
	type sord = SetOrderReferenceDetailsInput
	add(
		setORD.nilInput(),
		setORD.bad("no attributes", "OrderReferenceAttributes.OrderTotal.Amount", func(in *sord) { in.OrderReferenceAttributes = nil }),
		setORD.bad("no order total", "OrderReferenceAttributes.OrderTotal.Amount", func(in *sord) { in.OrderReferenceAttributes.OrderTotal = nil }),
		setORD.bad("empty id", "AmazonOrderReferenceId", func(in *sord) { in.AmazonOrderReferenceID = "" }),
		setORD.bad("billing agreement id", "AmazonOrderReferenceId", func(in *sord) { in.AmazonOrderReferenceID = catBA }),
		setORD.bad("lower-case id", "AmazonOrderReferenceId", func(in *sord) { in.AmazonOrderReferenceID = "s02-1234567-7654321" }),
		setORD.bad("fullwidth digits in id", "AmazonOrderReferenceId", func(in *sord) { in.AmazonOrderReferenceID = "S02-１２３４５６７-7654321" }),
		setORD.bad("id with trailing newline", "AmazonOrderReferenceId", func(in *sord) { in.AmazonOrderReferenceID = catORO + "\n" }),
		setORD.bad("fullwidth amount", "OrderReferenceAttributes.OrderTotal.Amount", func(in *sord) { in.OrderReferenceAttributes.OrderTotal = catEUR("１０.００") }),
		setORD.bad("Cyrillic O in amount", "OrderReferenceAttributes.OrderTotal.Amount", func(in *sord) { in.OrderReferenceAttributes.OrderTotal = catEUR("1О.00") }),
		setORD.bad("currency in amount", "OrderReferenceAttributes.OrderTotal.Amount", func(in *sord) { in.OrderReferenceAttributes.OrderTotal = catEUR("10.00 EUR") }),
		setORD.bad("Cyrillic E in currency", "OrderReferenceAttributes.OrderTotal.CurrencyCode", func(in *sord) {
			in.OrderReferenceAttributes.OrderTotal = &Price{Amount: "10.00", CurrencyCode: "ЕUR"}
		}),
		setORD.bad("unsupported currency", "OrderReferenceAttributes.OrderTotal.CurrencyCode", func(in *sord) {
			in.OrderReferenceAttributes.OrderTotal = &Price{Amount: "10.00", CurrencyCode: "XBT"}
		}),
		setORD.bad("seller note of 1025", "OrderReferenceAttributes.SellerNote", func(in *sord) { in.OrderReferenceAttributes.SellerNote = chars(1025) }),
		setORD.bad("U+FFFE in seller note", "OrderReferenceAttributes.SellerNote", func(in *sord) { in.OrderReferenceAttributes.SellerNote = "note\uFFFE" }).issue7("XML characters"),
		setORD.bad("NUL in seller order id", "OrderReferenceAttributes.SellerOrderAttributes.SellerOrderId", func(in *sord) {
			in.OrderReferenceAttributes.SellerOrderAttributes.SellerOrderID = "order\x00"
		}),
		setORD.bad("invalid UTF-8 store name", "OrderReferenceAttributes.SellerOrderAttributes.StoreName", func(in *sord) {
			in.OrderReferenceAttributes.SellerOrderAttributes.StoreName = "Caf\xe9"
		}),
		setORD.bad("custom information of 1025", "OrderReferenceAttributes.SellerOrderAttributes.CustomInformation", func(in *sord) {
			in.OrderReferenceAttributes.SellerOrderAttributes.CustomInformation = chars(1025)
		}),
		setORD.bad("supplementary data not JSON", "OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData", func(in *sord) {
			in.OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData = `{"a":`
		}),
		setORD.bad("escape in item category", "OrderReferenceAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.1", func(in *sord) {
			in.OrderReferenceAttributes.SellerOrderAttributes.OrderItemCategories = OrderItemCategories{"\x1b[31mred"}
		}),
		setORD.bad("NUL in platform id", "OrderReferenceAttributes.PlatformId", func(in *sord) { in.OrderReferenceAttributes.PlatformID = "A1\x00" }),
	)

	setOA := rowsFor("SetOrderAttributes", (*Client).SetOrderAttributes, func() *SetOrderAttributesInput {
		return &SetOrderAttributesInput{AmazonOrderReferenceID: catORO, OrderAttributes: &OrderAttributes{SellerNote: "thanks",
			SellerOrderAttributes: &SellerOrderAttributes{}, PaymentServiceProviderAttributes: &PaymentServiceProviderAttributes{}}}
	})
	type soa = SetOrderAttributesInput
	add(
		setOA.nilInput(),
		setOA.bad("no attributes", "OrderAttributes", func(in *soa) { in.OrderAttributes = nil }),
		setOA.bad("capture id as id", "AmazonOrderReferenceId", func(in *soa) { in.AmazonOrderReferenceID = catCapture }),
		setOA.bad("exponent in order total", "OrderAttributes.OrderTotal.Amount", func(in *soa) { in.OrderAttributes.OrderTotal = catEUR("1e3") }),
		setOA.bad("lower-case currency", "OrderAttributes.OrderTotal.CurrencyCode", func(in *soa) {
			in.OrderAttributes.OrderTotal = &Price{Amount: "1.00", CurrencyCode: "eur"}
		}),
		setOA.bad("seller note of 1025", "OrderAttributes.SellerNote", func(in *soa) { in.OrderAttributes.SellerNote = chars(1025) }),
		setOA.bad("U+FFFF in seller note", "OrderAttributes.SellerNote", func(in *soa) { in.OrderAttributes.SellerNote = "\uFFFF" }).issue7("XML characters"),
		setOA.bad("DEL in store name", "OrderAttributes.SellerOrderAttributes.StoreName", func(in *soa) { in.OrderAttributes.SellerOrderAttributes.StoreName = "Shop\x7f" }),
		setOA.bad("U+FFFE in custom information", "OrderAttributes.SellerOrderAttributes.CustomInformation", func(in *soa) {
			in.OrderAttributes.SellerOrderAttributes.CustomInformation = "\uFFFEx"
		}).issue7("XML characters"),
		setOA.bad("trailing comma in supplementary data", "OrderAttributes.SellerOrderAttributes.SupplementaryData", func(in *soa) {
			in.OrderAttributes.SellerOrderAttributes.SupplementaryData = `[1,]`
		}),
		setOA.bad("C1 control in PSP id", "OrderAttributes.PaymentServiceProviderAttributes.PaymentServiceProviderId", func(in *soa) {
			in.OrderAttributes.PaymentServiceProviderAttributes.PaymentServiceProviderID = "psp\u0085"
		}),
		setOA.bad("second item category with BEL", "OrderAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.2", func(in *soa) {
			in.OrderAttributes.SellerOrderAttributes.OrderItemCategories = OrderItemCategories{"Books", "bell\a"}
		}),
	)

	confirm := rowsFor("ConfirmOrderReference", (*Client).ConfirmOrderReference, func() *ConfirmOrderReferenceInput {
		return &ConfirmOrderReferenceInput{AmazonOrderReferenceID: catORO}
	})
	type cor = ConfirmOrderReferenceInput
	successURL := func(u string) func(*cor) { return func(in *cor) { in.SuccessURL = u } }
	authAmount := func(p *Price) func(*cor) { return func(in *cor) { in.AuthorizationAmount = p } }
	add(
		confirm.nilInput(),
		confirm.bad("empty id", "AmazonOrderReferenceId", func(in *cor) { in.AmazonOrderReferenceID = "" }),
		confirm.bad("id with leading space", "AmazonOrderReferenceId", func(in *cor) { in.AmazonOrderReferenceID = " " + catORO }),
		confirm.bad("Cyrillic S in id", "AmazonOrderReferenceId", func(in *cor) { in.AmazonOrderReferenceID = "Ѕ02-1234567-7654321" }),
		confirm.bad("http success url", "SuccessUrl", successURL("http://shop.example/ok")),
		confirm.bad("relative success url", "SuccessUrl", successURL("/ok")),
		confirm.bad("javascript success url", "SuccessUrl", successURL("javascript:alert(1)")),
		confirm.bad("success url without host", "SuccessUrl", successURL("https://")),
		confirm.bad("ftp success url", "SuccessUrl", successURL("ftp://shop.example/ok")),
		confirm.bad("space in success url host", "SuccessUrl", successURL("https://shop example/ok")),
		confirm.bad("newline in success url", "SuccessUrl", successURL("https://shop.example/ok\n")),
		confirm.bad("http to a host named like localhost", "SuccessUrl", successURL("http://localhost.shop.example/ok")),
		confirm.bad("http to 0.0.0.0", "SuccessUrl", successURL("http://0.0.0.0:8080/ok")),
		confirm.bad("http to localhoſt (long s folds to s)", "SuccessUrl", successURL("http://localhoſt:8080/ok")).
			gap("returnURLRule's EqualFold takes the Unicode look-alike for localhost"),
		confirm.bad("failure url alone", "SuccessUrl", func(in *cor) { in.FailureURL = "https://shop.example/fail" }),
		confirm.bad("data failure url", "FailureUrl", func(in *cor) { in.SuccessURL, in.FailureURL = "https://shop.example/ok", "data:text/html,hi" }),
		confirm.bad("negative amount", "AuthorizationAmount.Amount", authAmount(catEUR("-1.00"))),
		confirm.bad("decimal comma", "AuthorizationAmount.Amount", authAmount(catEUR("10,50"))),
		confirm.bad("NaN amount", "AuthorizationAmount.Amount", authAmount(catEUR("NaN"))),
		confirm.bad("hex amount", "AuthorizationAmount.Amount", authAmount(catEUR("0x10"))),
		confirm.bad("digit separator", "AuthorizationAmount.Amount", authAmount(catEUR("1_000"))),
		confirm.bad("zero-width space in amount", "AuthorizationAmount.Amount", authAmount(catEUR("10.00\u200b"))),
		confirm.bad("Arabic-Indic digits", "AuthorizationAmount.Amount", authAmount(catEUR("١٠.٠٠"))),
		confirm.bad("two-letter currency", "AuthorizationAmount.CurrencyCode", authAmount(&Price{Amount: "1.00", CurrencyCode: "EU"})),
	)

	getORD := rowsFor("GetOrderReferenceDetails", (*Client).GetOrderReferenceDetails, func() *GetOrderReferenceDetailsInput {
		return &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: catORO}
	})
	type gord = GetOrderReferenceDetailsInput
	add(
		getORD.nilInput(),
		getORD.bad("empty id", "AmazonOrderReferenceId", func(in *gord) { in.AmazonOrderReferenceID = "" }),
		getORD.bad("eight-digit group", "AmazonOrderReferenceId", func(in *gord) { in.AmazonOrderReferenceID = "S02-12345678-7654321" }),
		getORD.bad("authorization id", "AmazonOrderReferenceId", func(in *gord) { in.AmazonOrderReferenceID = catAuth }),
		getORD.bad("both tokens", "AddressConsentToken", func(in *gord) { in.AccessToken, in.AddressConsentToken = catGoodToken, catGoodToken }),
		getORD.bad("NUL in access token", "AccessToken", func(in *gord) { in.AccessToken = "Atza|\x00" }),
		getORD.bad("U+FFFF in access token", "AccessToken", func(in *gord) { in.AccessToken = "Atza|\uFFFF" }).issue7("XML characters"),
		getORD.bad("invalid UTF-8 address consent token", "AddressConsentToken", func(in *gord) { in.AddressConsentToken = "Atza|\xc3\x28" }),
	)

	cancel := rowsFor("CancelOrderReference", (*Client).CancelOrderReference, func() *CancelOrderReferenceInput {
		return &CancelOrderReferenceInput{AmazonOrderReferenceID: catORO, CancelationReason: "buyer asked"}
	})
	type cnor = CancelOrderReferenceInput
	add(
		cancel.nilInput(),
		cancel.bad("billing agreement id", "AmazonOrderReferenceId", func(in *cnor) { in.AmazonOrderReferenceID = "B01-1234567-7654321" }),
		cancel.bad("reason of 1025", "CancelationReason", func(in *cnor) { in.CancelationReason = chars(1025) }),
		cancel.bad("NUL in reason", "CancelationReason", func(in *cnor) { in.CancelationReason = "\x00" }),
		cancel.bad("U+FFFF in reason", "CancelationReason", func(in *cnor) { in.CancelationReason = "changed mind\uFFFF" }).issue7("XML characters"),
	)

	closeORO := rowsFor("CloseOrderReference", (*Client).CloseOrderReference, func() *CloseOrderReferenceInput {
		return &CloseOrderReferenceInput{AmazonOrderReferenceID: catORO, ClosureReason: "shipped"}
	})
	type clor = CloseOrderReferenceInput
	add(
		closeORO.nilInput(),
		closeORO.bad("refund id", "AmazonOrderReferenceId", func(in *clor) { in.AmazonOrderReferenceID = catRefund }),
		closeORO.bad("reason of 1025", "ClosureReason", func(in *clor) { in.ClosureReason = chars(1025) }),
		closeORO.bad("overlong UTF-8 in reason", "ClosureReason", func(in *clor) { in.ClosureReason = "a\xc0\xafb" }),
	)

	create := rowsFor("CreateOrderReferenceForId", (*Client).CreateOrderReferenceForId, func() *CreateOrderReferenceForIdInput {
		return &CreateOrderReferenceForIdInput{ID: catBA, IDType: IDTypeBillingAgreement, OrderReferenceAttributes: &OrderReferenceAttributes{
			OrderTotal: catEUR("10.00"), SellerOrderAttributes: &SellerOrderAttributes{}}}
	})
	type crf = CreateOrderReferenceForIdInput
	add(
		create.nilInput(),
		create.bad("empty id", "Id", func(in *crf) { in.ID = "" }),
		create.bad("order reference id for a billing agreement", "Id", func(in *crf) { in.ID = catORO }),
		create.bad("billing agreement id for an order reference", "Id", func(in *crf) { in.IDType = IDTypeOrderReference }),
		create.bad("empty id type", "IdType", func(in *crf) { in.IDType = "" }),
		create.bad("lower-case id type", "IdType", func(in *crf) { in.IDType = "billingagreement" }),
		create.bad("id type with trailing space", "IdType", func(in *crf) { in.IDType = "BillingAgreement " }),
		create.bad("three decimals", "OrderReferenceAttributes.OrderTotal.Amount", func(in *crf) { in.OrderReferenceAttributes.OrderTotal = catEUR("10.001") }),
		create.bad("seller note of 1025", "OrderReferenceAttributes.SellerNote", func(in *crf) { in.OrderReferenceAttributes.SellerNote = chars(1025) }),
		create.bad("supplementary data with trailing text", "OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData", func(in *crf) {
			in.OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData = `{"a":1} x`
		}),
	)
	return rows
}

func paymentRows() []badInput {
	var rows []badInput
	add := func(rs ...badInput) { rows = append(rows, rs...) }

	auth := rowsFor("Authorize", (*Client).Authorize, func() *AuthorizeInput {
		return &AuthorizeInput{AmazonOrderReferenceID: catORO, AuthorizationReferenceID: "auth-ref-1", AuthorizationAmount: catEUR("10.00"),
			SellerAuthorizationNote: "thanks", SoftDescriptor: "Demo Shop"}
	})
	type az = AuthorizeInput
	authAmount := func(a, cur string) func(*az) {
		return func(in *az) { in.AuthorizationAmount = &Price{Amount: a, CurrencyCode: cur} }
	}
	authRef := func(r string) func(*az) { return func(in *az) { in.AuthorizationReferenceID = r } }
	add(
		auth.nilInput(),
		auth.bad("no amount", "AuthorizationAmount.Amount", func(in *az) { in.AuthorizationAmount = nil }),
		auth.bad("empty order reference id", "AmazonOrderReferenceId", func(in *az) { in.AmazonOrderReferenceID = "" }),
		auth.bad("billing agreement id", "AmazonOrderReferenceId", func(in *az) { in.AmazonOrderReferenceID = catBA }),
		auth.bad("empty reference id", "AuthorizationReferenceId", authRef("")),
		auth.bad("reference id of 33", "AuthorizationReferenceId", authRef(strings.Repeat("a", 33))),
		auth.bad("space in reference id", "AuthorizationReferenceId", authRef("ref 1")),
		auth.bad("dot in reference id", "AuthorizationReferenceId", authRef("ref.1")),
		auth.bad("accent in reference id", "AuthorizationReferenceId", authRef("réf-1")),
		auth.bad("long s in reference id", "AuthorizationReferenceId", authRef("order-ſ1")),
		auth.bad("Kelvin sign in reference id", "AuthorizationReferenceId", authRef("\u212Aey-1")),
		auth.bad("amount 0", "AuthorizationAmount.Amount", authAmount("0", "EUR")).issue7("zero amounts"),
		auth.bad("amount 0.00", "AuthorizationAmount.Amount", authAmount("0.00", "EUR")).issue7("zero amounts"),
		auth.bad("amount 0.0", "AuthorizationAmount.Amount", authAmount("0.0", "EUR")).issue7("zero amounts"),
		auth.bad("negative zero", "AuthorizationAmount.Amount", authAmount("-0.00", "EUR")),
		auth.bad("negative cent", "AuthorizationAmount.Amount", authAmount("-0.01", "EUR")),
		auth.bad("over the EUR cap", "AuthorizationAmount.Amount", authAmount("150000.01", "EUR")),
		auth.bad("scientific", "AuthorizationAmount.Amount", authAmount("1.5e2", "EUR")),
		auth.bad("fullwidth digits", "AuthorizationAmount.Amount", authAmount("１０", "EUR")),
		auth.bad("mathematical bold digits", "AuthorizationAmount.Amount", authAmount("𝟏𝟎.00", "EUR")),
		auth.bad("no-break space", "AuthorizationAmount.Amount", authAmount("10\u00a000", "EUR")),
		auth.bad("Arabic decimal separator", "AuthorizationAmount.Amount", authAmount("10٫00", "EUR")),
		auth.bad("JPY with decimals", "AuthorizationAmount.Amount", authAmount("100.5", "JPY")),
		auth.bad("country code as currency", "AuthorizationAmount.CurrencyCode", authAmount("10.00", "JPN")),
		auth.bad("lower-case currency", "AuthorizationAmount.CurrencyCode", authAmount("10.00", "usd")),
		auth.bad("fullwidth currency", "AuthorizationAmount.CurrencyCode", authAmount("10.00", "ＥＵＲ")),
		auth.bad("note of 256", "SellerAuthorizationNote", func(in *az) { in.SellerAuthorizationNote = chars(256) }),
		auth.bad("form feed in note", "SellerAuthorizationNote", func(in *az) { in.SellerAuthorizationNote = "page\fbreak" }),
		auth.bad("U+FFFE in note", "SellerAuthorizationNote", func(in *az) { in.SellerAuthorizationNote = "\uFFFE" }).issue7("XML characters"),
		auth.bad("soft descriptor of 17", "SoftDescriptor", func(in *az) { in.SoftDescriptor = strings.Repeat("D", 17) }),
		auth.bad("soft descriptor of 17 accents", "SoftDescriptor", func(in *az) { in.SoftDescriptor = chars(17) }),
		auth.bad("vertical tab in soft descriptor", "SoftDescriptor", func(in *az) { in.SoftDescriptor = "Demo\vShop" }),
		auth.bad("negative timeout", "TransactionTimeout", func(in *az) { in.TransactionTimeout = Int(-1) }),
		auth.bad("timeout of 1441", "TransactionTimeout", func(in *az) { in.TransactionTimeout = Int(1441) }),
		auth.bad("provider credit without amount", "ProviderCreditList.member.1.CreditAmount.Amount", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER"}}
		}),
		auth.bad("provider credit without provider", "ProviderCreditList.member.1.ProviderId", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{CreditAmount: catEUR("1.00")}}
		}),
		auth.bad("provider credit amount in words", "ProviderCreditList.member.1.CreditAmount.Amount", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: catEUR("ten")}}
		}),
		auth.bad("provider credit currency sign", "ProviderCreditList.member.1.CreditAmount.CurrencyCode", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: &Price{Amount: "1.00", CurrencyCode: "€"}}}
		}),
		auth.bad("second provider credit without amount", "ProviderCreditList.member.2.CreditAmount.Amount", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER", CreditAmount: catEUR("1.00")}, {ProviderID: "A2PROVIDER"}}
		}),
		auth.bad("U+FFFF in provider id", "ProviderCreditList.member.1.ProviderId", func(in *az) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1\uFFFF", CreditAmount: catEUR("1.00")}}
		}).issue7("XML characters"),
	)

	getAuth := rowsFor("GetAuthorizationDetails", (*Client).GetAuthorizationDetails, func() *GetAuthorizationDetailsInput {
		return &GetAuthorizationDetailsInput{AmazonAuthorizationID: catAuth}
	})
	type gad = GetAuthorizationDetailsInput
	add(
		getAuth.nilInput(),
		getAuth.bad("empty id", "AmazonAuthorizationId", func(in *gad) { in.AmazonAuthorizationID = "" }),
		getAuth.bad("capture id", "AmazonAuthorizationId", func(in *gad) { in.AmazonAuthorizationID = catCapture }),
		getAuth.bad("order reference id", "AmazonAuthorizationId", func(in *gad) { in.AmazonAuthorizationID = catORO }),
		getAuth.bad("five-digit suffix", "AmazonAuthorizationId", func(in *gad) { in.AmazonAuthorizationID = "S02-1234567-7654321-A00001" }),
		getAuth.bad("Cyrillic A in suffix", "AmazonAuthorizationId", func(in *gad) { in.AmazonAuthorizationID = "S02-1234567-7654321-А000001" }),
	)

	closeAuth := rowsFor("CloseAuthorization", (*Client).CloseAuthorization, func() *CloseAuthorizationInput {
		return &CloseAuthorizationInput{AmazonAuthorizationID: catAuth, ClosureReason: "out of stock"}
	})
	type cla = CloseAuthorizationInput
	add(
		closeAuth.nilInput(),
		closeAuth.bad("lower-case suffix", "AmazonAuthorizationId", func(in *cla) { in.AmazonAuthorizationID = "S02-1234567-7654321-a000001" }),
		closeAuth.bad("reason of 256", "ClosureReason", func(in *cla) { in.ClosureReason = chars(256) }).issue7("ClosureReason of CloseAuthorization ≤ 255"),
		closeAuth.bad("reason of 1025", "ClosureReason", func(in *cla) { in.ClosureReason = chars(1025) }),
		closeAuth.bad("unit separator in reason", "ClosureReason", func(in *cla) { in.ClosureReason = "a\x1fb" }),
		closeAuth.bad("U+FFFE in reason", "ClosureReason", func(in *cla) { in.ClosureReason = "\uFFFE" }).issue7("XML characters"),
	)

	capture := rowsFor("Capture", (*Client).Capture, func() *CaptureInput {
		return &CaptureInput{AmazonAuthorizationID: catAuth, CaptureReferenceID: "cap-ref-1", CaptureAmount: catEUR("10.00")}
	})
	type cp = CaptureInput
	capAmount := func(a string) func(*cp) { return func(in *cp) { in.CaptureAmount = catEUR(a) } }
	add(
		capture.nilInput(),
		capture.bad("no amount", "CaptureAmount.Amount", func(in *cp) { in.CaptureAmount = nil }),
		capture.bad("empty authorization id", "AmazonAuthorizationId", func(in *cp) { in.AmazonAuthorizationID = "" }),
		capture.bad("order reference id", "AmazonAuthorizationId", func(in *cp) { in.AmazonAuthorizationID = catORO }),
		capture.bad("empty reference id", "CaptureReferenceId", func(in *cp) { in.CaptureReferenceID = "" }),
		capture.bad("slash in reference id", "CaptureReferenceId", func(in *cp) { in.CaptureReferenceID = "cap/1" }),
		capture.bad("reference id of 33", "CaptureReferenceId", func(in *cp) { in.CaptureReferenceID = strings.Repeat("c", 33) }),
		capture.bad("amount 0", "CaptureAmount.Amount", capAmount("0")).issue7("zero amounts"),
		capture.bad("amount 0.00", "CaptureAmount.Amount", capAmount("0.00")).issue7("zero amounts"),
		capture.bad("amount 0.0", "CaptureAmount.Amount", capAmount("0.0")).issue7("zero amounts"),
		capture.bad("three decimals", "CaptureAmount.Amount", capAmount("1.234")),
		capture.bad("thousands space", "CaptureAmount.Amount", capAmount("1 000")),
		capture.bad("mixed-case currency", "CaptureAmount.CurrencyCode", func(in *cp) { in.CaptureAmount = &Price{Amount: "1.00", CurrencyCode: "GBp"} }),
		capture.bad("note of 256", "SellerCaptureNote", func(in *cp) { in.SellerCaptureNote = chars(256) }),
		capture.bad("encoded surrogate in note", "SellerCaptureNote", func(in *cp) { in.SellerCaptureNote = "a\xed\xa0\x80b" }),
		capture.bad("truncated UTF-8 in note", "SellerCaptureNote", func(in *cp) { in.SellerCaptureNote = "price \xe2\x82" }),
		capture.bad("soft descriptor of 17", "SoftDescriptor", func(in *cp) { in.SoftDescriptor = strings.Repeat("s", 17) }),
		capture.bad("provider credit without amount", "ProviderCreditList.member.1.CreditAmount.Amount", func(in *cp) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER"}}
		}),
	)

	getCapture := rowsFor("GetCaptureDetails", (*Client).GetCaptureDetails, func() *GetCaptureDetailsInput {
		return &GetCaptureDetailsInput{AmazonCaptureID: catCapture}
	})
	type gcd = GetCaptureDetailsInput
	add(
		getCapture.nilInput(),
		getCapture.bad("empty id", "AmazonCaptureId", func(in *gcd) { in.AmazonCaptureID = "" }),
		getCapture.bad("refund id", "AmazonCaptureId", func(in *gcd) { in.AmazonCaptureID = catRefund }),
		getCapture.bad("authorization id", "AmazonCaptureId", func(in *gcd) { in.AmazonCaptureID = catAuth }),
	)

	refund := rowsFor("Refund", (*Client).Refund, func() *RefundInput {
		return &RefundInput{AmazonCaptureID: catCapture, RefundReferenceID: "refund-ref-1", RefundAmount: catEUR("5.00")}
	})
	type rf = RefundInput
	refundAmount := func(a, cur string) func(*rf) {
		return func(in *rf) { in.RefundAmount = &Price{Amount: a, CurrencyCode: cur} }
	}
	add(
		refund.nilInput(),
		refund.bad("no amount", "RefundAmount.Amount", func(in *rf) { in.RefundAmount = nil }),
		refund.bad("empty capture id", "AmazonCaptureId", func(in *rf) { in.AmazonCaptureID = "" }),
		refund.bad("authorization id", "AmazonCaptureId", func(in *rf) { in.AmazonCaptureID = catAuth }),
		refund.bad("empty reference id", "RefundReferenceId", func(in *rf) { in.RefundReferenceID = "" }),
		refund.bad("colon in reference id", "RefundReferenceId", func(in *rf) { in.RefundReferenceID = "ref:1" }),
		refund.bad("NUL in reference id", "RefundReferenceId", func(in *rf) { in.RefundReferenceID = "ref\x001" }),
		refund.bad("amount 0", "RefundAmount.Amount", refundAmount("0", "EUR")).issue7("zero amounts"),
		refund.bad("amount 0.00", "RefundAmount.Amount", refundAmount("0.00", "EUR")).issue7("zero amounts"),
		refund.bad("amount 0.0", "RefundAmount.Amount", refundAmount("0.0", "EUR")).issue7("zero amounts"),
		refund.bad("negative amount", "RefundAmount.Amount", refundAmount("-5.00", "EUR")),
		refund.bad("JPY with a decimal", "RefundAmount.Amount", refundAmount("500.0", "JPY")),
		refund.bad("currency name", "RefundAmount.CurrencyCode", refundAmount("5.00", "EURO")),
		refund.bad("note of 256", "SellerRefundNote", func(in *rf) { in.SellerRefundNote = chars(256) }),
		refund.bad("shift out in note", "SellerRefundNote", func(in *rf) { in.SellerRefundNote = "a\x0eb" }),
		refund.bad("soft descriptor of 17", "SoftDescriptor", func(in *rf) { in.SoftDescriptor = strings.Repeat("r", 17) }),
		refund.bad("reversal without amount", "ProviderCreditReversalList.member.1.CreditReversalAmount.Amount", func(in *rf) {
			in.ProviderCreditReversalList = ProviderCreditReversalList{{ProviderID: "A1PROVIDER"}}
		}),
		refund.bad("reversal without provider", "ProviderCreditReversalList.member.1.ProviderId", func(in *rf) {
			in.ProviderCreditReversalList = ProviderCreditReversalList{{CreditReversalAmount: catEUR("1.00")}}
		}),
	)

	getRefund := rowsFor("GetRefundDetails", (*Client).GetRefundDetails, func() *GetRefundDetailsInput {
		return &GetRefundDetailsInput{AmazonRefundID: catRefund}
	})
	type grd = GetRefundDetailsInput
	add(
		getRefund.nilInput(),
		getRefund.bad("empty id", "AmazonRefundId", func(in *grd) { in.AmazonRefundID = "" }),
		getRefund.bad("capture id", "AmazonRefundId", func(in *grd) { in.AmazonRefundID = catCapture }),
		getRefund.bad("fullwidth R", "AmazonRefundId", func(in *grd) { in.AmazonRefundID = "S02-1234567-7654321-Ｒ000001" }),
	)

	getPC := rowsFor("GetProviderCreditDetails", (*Client).GetProviderCreditDetails, func() *GetProviderCreditDetailsInput {
		return &GetProviderCreditDetailsInput{AmazonProviderCreditID: catCredit}
	})
	type gpc = GetProviderCreditDetailsInput
	add(
		getPC.nilInput(),
		getPC.bad("empty id", "AmazonProviderCreditId", func(in *gpc) { in.AmazonProviderCreditID = "" }),
		getPC.bad("blank id", "AmazonProviderCreditId", func(in *gpc) { in.AmazonProviderCreditID = " \t " }),
		getPC.bad("invalid UTF-8 id", "AmazonProviderCreditId", func(in *gpc) { in.AmazonProviderCreditID = catCredit + "\xff" }),
	)

	getPCR := rowsFor("GetProviderCreditReversalDetails", (*Client).GetProviderCreditReversalDetails, func() *GetProviderCreditReversalDetailsInput {
		return &GetProviderCreditReversalDetailsInput{AmazonProviderCreditReversalID: catReversal}
	})
	type gpcr = GetProviderCreditReversalDetailsInput
	add(
		getPCR.nilInput(),
		getPCR.bad("empty id", "AmazonProviderCreditReversalId", func(in *gpcr) { in.AmazonProviderCreditReversalID = "" }),
		getPCR.bad("escape in id", "AmazonProviderCreditReversalId", func(in *gpcr) { in.AmazonProviderCreditReversalID = "\x1b" + catReversal }),
	)

	reverse := rowsFor("ReverseProviderCredit", (*Client).ReverseProviderCredit, func() *ReverseProviderCreditInput {
		return &ReverseProviderCreditInput{AmazonProviderCreditID: catCredit, CreditReversalReferenceID: "rev-ref-1",
			CreditReversalAmount: catEUR("1.00"), CreditReversalNote: "returned"}
	})
	type rpc = ReverseProviderCreditInput
	add(
		reverse.nilInput(),
		reverse.bad("no amount", "CreditReversalAmount.Amount", func(in *rpc) { in.CreditReversalAmount = nil }),
		reverse.bad("empty credit id", "AmazonProviderCreditId", func(in *rpc) { in.AmazonProviderCreditID = "" }),
		reverse.bad("empty reference id", "CreditReversalReferenceId", func(in *rpc) { in.CreditReversalReferenceID = "" }),
		reverse.bad("space in reference id", "CreditReversalReferenceId", func(in *rpc) { in.CreditReversalReferenceID = "rev ref" }),
		reverse.bad("three decimals", "CreditReversalAmount.Amount", func(in *rpc) { in.CreditReversalAmount = catEUR("1.999") }),
		reverse.bad("lower-case currency", "CreditReversalAmount.CurrencyCode", func(in *rpc) {
			in.CreditReversalAmount = &Price{Amount: "1.00", CurrencyCode: "eur"}
		}),
		reverse.bad("note of 256", "CreditReversalNote", func(in *rpc) { in.CreditReversalNote = chars(256) }),
		reverse.bad("U+FFFE in note", "CreditReversalNote", func(in *rpc) { in.CreditReversalNote = "x\uFFFE" }).issue7("XML characters"),
	)
	return rows
}

func billingAgreementRows() []badInput {
	var rows []badInput
	add := func(rs ...badInput) { rows = append(rows, rs...) }

	setBA := rowsFor("SetBillingAgreementDetails", (*Client).SetBillingAgreementDetails, func() *SetBillingAgreementDetailsInput {
		return &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: catBA, BillingAgreementAttributes: &BillingAgreementAttributes{
			SellerNote: "subscription", SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{}}}
	})
	type sba = SetBillingAgreementDetailsInput
	baType := func(t BillingAgreementType) func(*sba) {
		return func(in *sba) { in.BillingAgreementAttributes.BillingAgreementType = t }
	}
	add(
		setBA.nilInput(),
		setBA.bad("no attributes", "BillingAgreementAttributes", func(in *sba) { in.BillingAgreementAttributes = nil }),
		setBA.bad("empty attributes", "BillingAgreementAttributes", func(in *sba) { in.BillingAgreementAttributes = &BillingAgreementAttributes{} }),
		setBA.bad("only empty seller attributes", "BillingAgreementAttributes", func(in *sba) {
			in.BillingAgreementAttributes = &BillingAgreementAttributes{SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{}}
		}),
		setBA.bad("order reference id", "AmazonBillingAgreementId", func(in *sba) { in.AmazonBillingAgreementID = catORO }),
		setBA.bad("lower-case id", "AmazonBillingAgreementId", func(in *sba) { in.AmazonBillingAgreementID = "c02-5555555-6666666" }),
		setBA.bad("truncated type", "BillingAgreementAttributes.BillingAgreementType", baType("MerchantInitiated")),
		setBA.bad("lower-case type", "BillingAgreementAttributes.BillingAgreementType", baType("merchantinitiatedtransaction")),
		setBA.bad("long s in type", "BillingAgreementAttributes.BillingAgreementType", baType("MerchantInitiatedTranſaction")),
		setBA.bad("subscription amount in words", "BillingAgreementAttributes.SubscriptionAmount.Amount", func(in *sba) {
			in.BillingAgreementAttributes.SubscriptionAmount = catEUR("abc")
		}),
		setBA.bad("NUL after currency", "BillingAgreementAttributes.SubscriptionAmount.CurrencyCode", func(in *sba) {
			in.BillingAgreementAttributes.SubscriptionAmount = &Price{Amount: "9.99", CurrencyCode: "EUR\x00"}
		}),
		setBA.bad("seller note of 1025", "BillingAgreementAttributes.SellerNote", func(in *sba) { in.BillingAgreementAttributes.SellerNote = chars(1025) }),
		setBA.bad("NUL in seller agreement id", "BillingAgreementAttributes.SellerBillingAgreementAttributes.SellerBillingAgreementId", func(in *sba) {
			in.BillingAgreementAttributes.SellerBillingAgreementAttributes.SellerBillingAgreementID = "sub\x00"
		}),
		setBA.bad("invalid UTF-8 store name", "BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName", func(in *sba) {
			in.BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName = "\xfe\xff"
		}),
		setBA.bad("custom information of 1025", "BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation", func(in *sba) {
			in.BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation = chars(1025)
		}),
		setBA.bad("U+FFFF in custom information", "BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation", func(in *sba) {
			in.BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation = "\uFFFF"
		}).issue7("XML characters"),
		setBA.bad("SOH in platform id", "BillingAgreementAttributes.PlatformId", func(in *sba) { in.BillingAgreementAttributes.PlatformID = "\x01A1" }),
	)

	confirmBA := rowsFor("ConfirmBillingAgreement", (*Client).ConfirmBillingAgreement, func() *ConfirmBillingAgreementInput {
		return &ConfirmBillingAgreementInput{AmazonBillingAgreementID: catBA}
	})
	type cba = ConfirmBillingAgreementInput
	add(
		confirmBA.nilInput(),
		confirmBA.bad("empty id", "AmazonBillingAgreementId", func(in *cba) { in.AmazonBillingAgreementID = "" }),
		confirmBA.bad("order reference id", "AmazonBillingAgreementId", func(in *cba) { in.AmazonBillingAgreementID = "P01-1234567-7654321" }),
		confirmBA.bad("http success url", "SuccessUrl", func(in *cba) { in.SuccessURL = "http://shop.example/ok" }),
		confirmBA.bad("protocol-relative success url", "SuccessUrl", func(in *cba) { in.SuccessURL = "//shop.example/ok" }),
		confirmBA.bad("failure url alone", "SuccessUrl", func(in *cba) { in.FailureURL = "https://shop.example/fail" }),
		confirmBA.bad("mailto failure url", "FailureUrl", func(in *cba) { in.SuccessURL, in.FailureURL = "https://shop.example/ok", "mailto:a@b.example" }),
		confirmBA.bad("bad escape in failure url", "FailureUrl", func(in *cba) { in.SuccessURL, in.FailureURL = "https://shop.example/ok", "https://shop.example/%zz" }),
	)

	validateBA := rowsFor("ValidateBillingAgreement", (*Client).ValidateBillingAgreement, func() *ValidateBillingAgreementInput {
		return &ValidateBillingAgreementInput{AmazonBillingAgreementID: catBA}
	})
	type vba = ValidateBillingAgreementInput
	add(
		validateBA.nilInput(),
		validateBA.bad("empty id", "AmazonBillingAgreementId", func(in *vba) { in.AmazonBillingAgreementID = "" }),
		validateBA.bad("six-digit group", "AmazonBillingAgreementId", func(in *vba) { in.AmazonBillingAgreementID = "B02-1234567-123456" }),
		validateBA.bad("id with suffix", "AmazonBillingAgreementId", func(in *vba) { in.AmazonBillingAgreementID = catBA + "-A000001" }),
	)

	getBA := rowsFor("GetBillingAgreementDetails", (*Client).GetBillingAgreementDetails, func() *GetBillingAgreementDetailsInput {
		return &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: catBA}
	})
	type gba = GetBillingAgreementDetailsInput
	add(
		getBA.nilInput(),
		getBA.bad("letter for digit", "AmazonBillingAgreementId", func(in *gba) { in.AmazonBillingAgreementID = "C02-555555O-6666666" }),
		getBA.bad("both tokens", "AddressConsentToken", func(in *gba) { in.AccessToken, in.AddressConsentToken = catGoodToken, catGoodToken }),
		getBA.bad("NUL in access token", "AccessToken", func(in *gba) { in.AccessToken = "\x00" }),
	)

	aoba := rowsFor("AuthorizeOnBillingAgreement", (*Client).AuthorizeOnBillingAgreement, func() *AuthorizeOnBillingAgreementInput {
		return &AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: catBA, AuthorizationReferenceID: "ba-auth-1",
			AuthorizationAmount: catEUR("10.00"), SellerOrderAttributes: &SellerOrderAttributes{}}
	})
	type ab = AuthorizeOnBillingAgreementInput
	add(
		aoba.nilInput(),
		aoba.bad("no amount", "AuthorizationAmount.Amount", func(in *ab) { in.AuthorizationAmount = nil }),
		aoba.bad("order reference id", "AmazonBillingAgreementId", func(in *ab) { in.AmazonBillingAgreementID = catORO }),
		aoba.bad("empty reference id", "AuthorizationReferenceId", func(in *ab) { in.AuthorizationReferenceID = "" }),
		aoba.bad("reference id of 33", "AuthorizationReferenceId", func(in *ab) { in.AuthorizationReferenceID = strings.Repeat("9", 33) }),
		aoba.bad("negative zero", "AuthorizationAmount.Amount", func(in *ab) { in.AuthorizationAmount = catEUR("-0.00") }),
		aoba.bad("three decimals", "AuthorizationAmount.Amount", func(in *ab) { in.AuthorizationAmount = catEUR("0.001") }),
		aoba.bad("title-case currency", "AuthorizationAmount.CurrencyCode", func(in *ab) { in.AuthorizationAmount = &Price{Amount: "1.00", CurrencyCode: "Eur"} }),
		aoba.bad("note of 256", "SellerAuthorizationNote", func(in *ab) { in.SellerAuthorizationNote = chars(256) }),
		aoba.bad("soft descriptor of 17", "SoftDescriptor", func(in *ab) { in.SoftDescriptor = strings.Repeat("x", 17) }),
		aoba.bad("timeout of 1441", "TransactionTimeout", func(in *ab) { in.TransactionTimeout = Int(1441) }),
		aoba.bad("seller note of 1025", "SellerNote", func(in *ab) { in.SellerNote = chars(1025) }),
		aoba.bad("NUL in platform id", "PlatformId", func(in *ab) { in.PlatformID = "A1\x00" }),
		aoba.bad("invalid UTF-8 store name", "SellerOrderAttributes.StoreName", func(in *ab) { in.SellerOrderAttributes.StoreName = "\x80" }),
		aoba.bad("supplementary data not JSON", "SellerOrderAttributes.SupplementaryData", func(in *ab) { in.SellerOrderAttributes.SupplementaryData = "{'a':1}" }),
		aoba.bad("U+FFFE in item category", "SellerOrderAttributes.OrderItemCategories.OrderItemCategory.1", func(in *ab) {
			in.SellerOrderAttributes.OrderItemCategories = OrderItemCategories{"\uFFFE"}
		}).issue7("XML characters"),
		aoba.bad("provider credit without amount", "ProviderCreditList.member.1.CreditAmount.Amount", func(in *ab) {
			in.ProviderCreditList = ProviderCreditList{{ProviderID: "A1PROVIDER"}}
		}),
	)

	closeBA := rowsFor("CloseBillingAgreement", (*Client).CloseBillingAgreement, func() *CloseBillingAgreementInput {
		return &CloseBillingAgreementInput{AmazonBillingAgreementID: catBA, ClosureReason: "cancelled subscription"}
	})
	type clb = CloseBillingAgreementInput
	add(
		closeBA.nilInput(),
		closeBA.bad("authorization id", "AmazonBillingAgreementId", func(in *clb) { in.AmazonBillingAgreementID = catAuth }),
		closeBA.bad("reason of 1025", "ClosureReason", func(in *clb) { in.ClosureReason = chars(1025) }),
		closeBA.bad("backspace in reason", "ClosureReason", func(in *clb) { in.ClosureReason = "a\bb" }),
		closeBA.bad("U+FFFE in reason", "ClosureReason", func(in *clb) { in.ClosureReason = "\uFFFE" }).issue7("XML characters"),
	)
	return rows
}

func merchantRows() []badInput {
	var rows []badInput
	add := func(rs ...badInput) { rows = append(rows, rs...) }

	status := rowsFor("GetServiceStatus", (*Client).GetServiceStatus, func() *GetServiceStatusInput { return &GetServiceStatusInput{} })
	account := rowsFor("GetMerchantAccountStatus", (*Client).GetMerchantAccountStatus, func() *GetMerchantAccountStatusInput {
		return &GetMerchantAccountStatusInput{}
	})
	getNotif := rowsFor("GetMerchantNotificationConfiguration", (*Client).GetMerchantNotificationConfiguration,
		func() *GetMerchantNotificationConfigurationInput { return &GetMerchantNotificationConfigurationInput{} })
	add(
		status.nilInput(),
		status.opt("NUL in seller id option", "SellerId", WithSellerID("A1\x00")),
		status.opt("escape in auth token option", "MWSAuthToken", WithMWSAuthToken("amzn.mws.\x1b")),
		account.nilInput(),
		account.opt("invalid UTF-8 seller id option", "SellerId", WithSellerID("A1\xff")),
		account.opt("blank seller id option", "SellerId", WithSellerID("   ")).gap("a blank SellerId is sent, although NewClient requires a SellerID"),
		account.opt("U+FFFE in auth token option", "MWSAuthToken", WithMWSAuthToken("amzn.mws.\uFFFE")).issue7("XML characters"),
		getNotif.nilInput(),
		getNotif.opt("NUL in auth token option", "MWSAuthToken", WithMWSAuthToken("\x00")),
	)

	setNotif := rowsFor("SetMerchantNotificationConfiguration", (*Client).SetMerchantNotificationConfiguration,
		func() *SetMerchantNotificationConfigurationInput {
			return &SetMerchantNotificationConfigurationInput{NotificationConfigurationList: NotificationConfigurationList{
				{NotificationURL: "https://shop.example/ipn", EventTypes: EventTypes{EventTypeAll}}}}
		})
	type smn = SetMerchantNotificationConfigurationInput
	const nc1, nc2 = "NotificationConfigurationList.NotificationConfiguration.1", "NotificationConfigurationList.NotificationConfiguration.2"
	notifURL := func(u string) func(*smn) {
		return func(in *smn) { in.NotificationConfigurationList[0].NotificationURL = u }
	}
	event := func(e ...EventType) func(*smn) {
		return func(in *smn) { in.NotificationConfigurationList[0].EventTypes = e }
	}
	add(
		setNotif.nilInput(),
		setNotif.bad("empty list", "NotificationConfigurationList", func(in *smn) { in.NotificationConfigurationList = nil }),
		setNotif.bad("empty url", nc1+".NotificationUrl", notifURL("")),
		setNotif.bad("http url", nc1+".NotificationUrl", notifURL("http://shop.example/ipn")),
		setNotif.bad("relative url", nc1+".NotificationUrl", notifURL("ipn")),
		setNotif.bad("url without host", nc1+".NotificationUrl", notifURL("https:///ipn")),
		setNotif.bad("no event types", nc1+".EventTypes", event()),
		setNotif.bad("lower-case event type", nc1+".EventTypes.EventTypeList.1", event("order_reference")),
		setNotif.bad("Kelvin sign in event type", nc1+".EventTypes.EventTypeList.1", event("CHARGEBAC\u212A_DETAILED")),
		setNotif.bad("empty event type", nc1+".EventTypes.EventTypeList.1", event("")),
		setNotif.bad("bad second event type", nc1+".EventTypes.EventTypeList.2", event(EventTypePaymentCapture, "PAYMENT_CAPTURED")),
		setNotif.bad("bad second url", nc2+".NotificationUrl", func(in *smn) {
			in.NotificationConfigurationList = append(in.NotificationConfigurationList,
				NotificationConfiguration{NotificationURL: "ftp://shop.example/ipn", EventTypes: EventTypes{EventTypeAll}})
		}),
	)

	list := rowsFor("ListOrderReference", (*Client).ListOrderReference, func() *ListOrderReferenceInput {
		return &ListOrderReferenceInput{QueryID: "order-1", QueryIDType: QueryIDTypeSellerOrderID}
	})
	type lor = ListOrderReferenceInput
	const status1 = "OrderReferenceStatusListFilter.OrderReferenceStatus.1"
	add(
		list.nilInput(),
		list.bad("empty query id", "QueryId", func(in *lor) { in.QueryID = "" }),
		list.bad("blank query id", "QueryId", func(in *lor) { in.QueryID = "  " }),
		list.bad("NUL in query id", "QueryId", func(in *lor) { in.QueryID = "order\x00" }),
		list.bad("U+FFFF in query id", "QueryId", func(in *lor) { in.QueryID = "order-\uFFFF" }).issue7("XML characters"),
		list.bad("empty query id type", "QueryIdType", func(in *lor) { in.QueryIDType = "" }),
		list.bad("lower-case query id type", "QueryIdType", func(in *lor) { in.QueryIDType = "sellerorderid" }),
		list.bad("ID spelled in capitals", "QueryIdType", func(in *lor) { in.QueryIDType = "SellerOrderID" }),
		list.bad("page size 0", "PageSize", func(in *lor) { in.PageSize = Int(0) }),
		list.bad("negative page size", "PageSize", func(in *lor) { in.PageSize = Int(-5) }),
		list.bad("lower-case sort order", "SortOrder", func(in *lor) { in.SortOrder = "ascending" }),
		list.bad("long s in sort order", "SortOrder", func(in *lor) { in.SortOrder = "Aſcending" }),
		list.bad("lower-case status", status1, func(in *lor) { in.OrderReferenceStatusListFilter = OrderReferenceStatusFilter{"open"} }),
		list.bad("empty status", status1, func(in *lor) { in.OrderReferenceStatusListFilter = OrderReferenceStatusFilter{""} }),
		list.bad("long s in second status", "OrderReferenceStatusListFilter.OrderReferenceStatus.2", func(in *lor) {
			in.OrderReferenceStatusListFilter = OrderReferenceStatusFilter{OrderReferenceOpen, "Suſpended"}
		}),
		list.bad("end before start", "CreatedTimeRange.EndTime", func(in *lor) {
			in.CreatedTimeRange = &TimeRange{StartTime: testNow, EndTime: testNow.Add(-time.Second)}
		}),
	)

	next := rowsFor("ListOrderReferenceByNextToken", (*Client).ListOrderReferenceByNextToken, func() *ListOrderReferenceByNextTokenInput {
		return &ListOrderReferenceByNextTokenInput{NextPageToken: "token-1"}
	})
	type lnt = ListOrderReferenceByNextTokenInput
	add(
		next.nilInput(),
		next.bad("empty token", "NextPageToken", func(in *lnt) { in.NextPageToken = "" }),
		next.bad("blank token", "NextPageToken", func(in *lnt) { in.NextPageToken = "\t" }),
		next.bad("NUL in token", "NextPageToken", func(in *lnt) { in.NextPageToken = "tok\x00" }),
		next.bad("U+FFFE in token", "NextPageToken", func(in *lnt) { in.NextPageToken = "tok\uFFFE" }).issue7("XML characters"),
	)
	return rows
}

// convenience is a row for a method that is not one MWS operation.
func convenience(method, op, field, name string, call func(ctx context.Context, c *Client) error) badInput {
	return badInput{method: method, op: op, field: field, name: name, call: call}
}

func convenienceRows() []badInput {
	var rows []badInput
	add := func(rs ...badInput) { rows = append(rows, rs...) }

	charge := func(name, op, field string, mut func(*ChargeInput)) badInput {
		return convenience("Charge", op, field, name, func(ctx context.Context, c *Client) error {
			in := &ChargeInput{AmazonReferenceID: catORO, AuthorizationReferenceID: "charge-1", Amount: catEUR("10.00")}
			mut(in)
			_, err := c.Charge(ctx, in)
			return err
		})
	}
	chargeID := func(id string) func(*ChargeInput) { return func(in *ChargeInput) { in.AmazonReferenceID = id } }
	add(
		convenience("Charge", "Charge", "input", "nil input", func(ctx context.Context, c *Client) error {
			_, err := c.Charge(ctx, nil)
			return err
		}),
		charge("no reference id", "Charge", "AuthorizationReferenceID", func(in *ChargeInput) { in.AuthorizationReferenceID = "" }),
		charge("blank reference id", "Charge", "AuthorizationReferenceID", func(in *ChargeInput) { in.AuthorizationReferenceID = "  " }),
		charge("no amount", "Charge", "Amount", func(in *ChargeInput) { in.Amount = nil }),
		charge("empty id", "Charge", "AmazonReferenceID", chargeID("")),
		charge("unknown prefix", "Charge", "AmazonReferenceID", chargeID("X02-1234567-7654321")),
		charge("lower-case prefix", "Charge", "AmazonReferenceID", chargeID("s02-1234567-7654321")),
		charge("Cyrillic S prefix", "Charge", "AmazonReferenceID", chargeID("Ѕ02-1234567-7654321")),
		charge("fullwidth S prefix", "Charge", "AmazonReferenceID", chargeID("Ｓ02-1234567-7654321")),
		charge("malformed order reference id", "GetOrderReferenceDetails", "AmazonOrderReferenceId", chargeID("S02-1234567")),
		charge("malformed billing agreement id", "GetBillingAgreementDetails", "AmazonBillingAgreementId", chargeID("C02-5555555-666666\x00")),
		charge("soft descriptor of 17", "Authorize", "SoftDescriptor", func(in *ChargeInput) {
			in.SoftDescriptor = strings.Repeat("d", 17)
		}).issue7("Charge validates every step before sending"),
		charge("space in reference id", "Authorize", "AuthorizationReferenceId", func(in *ChargeInput) {
			in.AuthorizationReferenceID = "charge 1"
		}).issue7("Charge validates every step before sending"),
		charge("billing agreement timeout of 1441", "AuthorizeOnBillingAgreement", "TransactionTimeout", func(in *ChargeInput) {
			in.AmazonReferenceID, in.TransactionTimeout = catBA, Int(1441)
		}).issue7("Charge validates every step before sending"),
		charge("billing agreement note of 256", "AuthorizeOnBillingAgreement", "SellerAuthorizationNote", func(in *ChargeInput) {
			in.AmazonReferenceID, in.SellerAuthorizationNote = catBA, chars(256)
		}).issue7("Charge validates every step before sending"),
	)

	const cbas = "ChargeBillingAgreements"
	billingRun := func(name, field string, mut func(*ChargeBillingAgreementsInput)) badInput {
		return convenience(cbas, cbas, field, name, func(ctx context.Context, c *Client) error {
			in := &ChargeBillingAgreementsInput{PeriodKey: "2026-11", Charges: []BillingAgreementCharge{
				{AmazonBillingAgreementID: catBA, Amount: catEUR("9.99")},
				{AmazonBillingAgreementID: "C02-7777777-8888888", Amount: catEUR("19.99")},
			}}
			mut(in)
			_, err := c.ChargeBillingAgreements(ctx, in)
			return err
		})
	}
	add(
		convenience(cbas, cbas, "input", "nil input", func(ctx context.Context, c *Client) error {
			_, err := c.ChargeBillingAgreements(ctx, nil)
			return err
		}),
		billingRun("no period key", "PeriodKey", func(in *ChargeBillingAgreementsInput) { in.PeriodKey = " " }),
		billingRun("no charges", "Charges", func(in *ChargeBillingAgreementsInput) { in.Charges = nil }),
		billingRun("negative concurrency", "Concurrency", func(in *ChargeBillingAgreementsInput) { in.Concurrency = -1 }),
		billingRun("agreement twice", "AmazonBillingAgreementId", func(in *ChargeBillingAgreementsInput) {
			in.Charges[1].AmazonBillingAgreementID = in.Charges[0].AmazonBillingAgreementID
		}),
		billingRun("order reference id", "AmazonBillingAgreementId", func(in *ChargeBillingAgreementsInput) {
			in.Charges[1].AmazonBillingAgreementID = catORO
		}),
		billingRun("no amount", "AuthorizationAmount.Amount", func(in *ChargeBillingAgreementsInput) { in.Charges[1].Amount = nil }),
		billingRun("negative amount", "AuthorizationAmount.Amount", func(in *ChargeBillingAgreementsInput) { in.Charges[1].Amount = catEUR("-9.99") }),
		billingRun("fullwidth digit", "AuthorizationAmount.Amount", func(in *ChargeBillingAgreementsInput) { in.Charges[1].Amount = catEUR("９.99") }),
		billingRun("unknown currency", "AuthorizationAmount.CurrencyCode", func(in *ChargeBillingAgreementsInput) {
			in.Charges[1].Amount = &Price{Amount: "9.99", CurrencyCode: "XTS"}
		}),
		billingRun("note of 256", "SellerAuthorizationNote", func(in *ChargeBillingAgreementsInput) { in.SellerAuthorizationNote = chars(256) }),
		billingRun("soft descriptor of 17", "SoftDescriptor", func(in *ChargeBillingAgreementsInput) { in.SoftDescriptor = strings.Repeat("d", 17) }),
		billingRun("timeout 1441", "TransactionTimeout", func(in *ChargeBillingAgreementsInput) { in.TransactionTimeout = Int(1441) }),
		billingRun("U+FFFE in the seller note", "SellerNote", func(in *ChargeBillingAgreementsInput) { in.SellerNote = "note\ufffe" }),
	)

	update := func(name, op, field string, mut func(*UpdateBillingAgreementsInput)) badInput {
		return convenience("UpdateBillingAgreements", op, field, name, func(ctx context.Context, c *Client) error {
			in := &UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{catBA, "C02-7777777-8888888"},
				BillingAgreementType: MerchantInitiatedTransaction}
			mut(in)
			_, err := c.UpdateBillingAgreements(ctx, in)
			return err
		})
	}
	const ubas = "UpdateBillingAgreements"
	ids := func(ids ...string) func(*UpdateBillingAgreementsInput) {
		return func(in *UpdateBillingAgreementsInput) { in.AmazonBillingAgreementIDs = ids }
	}
	add(
		convenience(ubas, ubas, "input", "nil input", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateBillingAgreements(ctx, nil)
			return err
		}),
		update("no ids", ubas, "AmazonBillingAgreementIDs", ids()),
		update("order reference id", ubas, "AmazonBillingAgreementIDs", ids(catORO)),
		update("bad last id", ubas, "AmazonBillingAgreementIDs", ids(catBA, "C02-7777777-888888")),
		update("empty id in list", ubas, "AmazonBillingAgreementIDs", ids(catBA, "")),
		update("no type", ubas, "BillingAgreementType", func(in *UpdateBillingAgreementsInput) { in.BillingAgreementType = "" }),
		update("truncated type", ubas, "BillingAgreementType", func(in *UpdateBillingAgreementsInput) { in.BillingAgreementType = "Merchant" }),
		update("lower-case type", ubas, "BillingAgreementType", func(in *UpdateBillingAgreementsInput) {
			in.BillingAgreementType = "customerinitiatedtransaction"
		}),
		update("negative concurrency", ubas, "Concurrency", func(in *UpdateBillingAgreementsInput) { in.Concurrency = -1 }),
		update("negative subscription amount", "SetBillingAgreementDetails", "BillingAgreementAttributes.SubscriptionAmount.Amount",
			func(in *UpdateBillingAgreementsInput) { in.SubscriptionAmount = catEUR("-9.99") }).issue7("UpdateBillingAgreements validates the shared attributes first"),
		update("lower-case subscription currency", "SetBillingAgreementDetails", "BillingAgreementAttributes.SubscriptionAmount.CurrencyCode",
			func(in *UpdateBillingAgreementsInput) {
				in.SubscriptionAmount = &Price{Amount: "9.99", CurrencyCode: "eur"}
			}).issue7("UpdateBillingAgreements validates the shared attributes first"),
	)

	const gui = "GetUserInfo"
	userInfo := func(name, field, token string) badInput {
		return convenience(gui, gui, field, name, func(ctx context.Context, c *Client) error {
			_, err := c.GetUserInfo(ctx, token)
			return err
		})
	}
	add(
		userInfo("no client id", "Config.ClientID", catGoodToken).withConfig(func(cfg *Config) { cfg.ClientID = "" }),
		userInfo("empty token", "accessToken", ""),
		userInfo("blank token", "accessToken", " \t\n"),
		userInfo("NUL in token", "accessToken", "Atza|\x00"),
		userInfo("URL-encoded NUL in token", "accessToken", "Atza%7C%00"),
		userInfo("DEL in token", "accessToken", "Atza|\x7f"),
		userInfo("invalid UTF-8 token", "accessToken", "Atza|\xff\xfe"),
		userInfo("U+FFFE in token", "accessToken", "Atza|\uFFFE").issue7("XML characters"),
		userInfo("URL-encoded blank token", "accessToken", "%20%20").gap("a token that is blank once URL-decoded is sent"),
		userInfo("CR LF in token", "accessToken", "Atza|x\r\nX-Injected: 1").gap("CR and LF pass checkText but cannot go in the x-amz-access-token header"),
		userInfo("URL-encoded CR LF in token", "accessToken", "Atza%7Cx%0D%0AX-Injected:%201").gap("CR and LF pass checkText but cannot go in the x-amz-access-token header"),
	)

	listAll := func(name, field string, mut func(*ListOrderReferenceInput)) badInput {
		return convenience("ListOrderReferenceAll", "ListOrderReference", field, name, func(ctx context.Context, c *Client) error {
			var in *ListOrderReferenceInput
			if mut != nil {
				in = &ListOrderReferenceInput{QueryID: "order-1", QueryIDType: QueryIDTypeSellerOrderID}
				mut(in)
			}
			for _, err := range c.ListOrderReferenceAll(ctx, in) {
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	add(
		listAll("nil input", "input", nil),
		listAll("empty query id", "QueryId", func(in *ListOrderReferenceInput) { in.QueryID = "" }),
		listAll("page size 0", "PageSize", func(in *ListOrderReferenceInput) { in.PageSize = Int(0) }),
		listAll("abbreviated sort order", "SortOrder", func(in *ListOrderReferenceInput) { in.SortOrder = "DESC" }),
		listAll("U+FFFF in query id", "QueryId", func(in *ListOrderReferenceInput) { in.QueryID = "\uFFFF" }).issue7("XML characters"),
	)

	paymentDetails := func(name, id string) badInput {
		return convenience("GetPaymentDetails", "GetOrderReferenceDetails", "AmazonOrderReferenceId", name, func(ctx context.Context, c *Client) error {
			_, err := c.GetPaymentDetails(ctx, id)
			return err
		})
	}
	add(
		paymentDetails("empty id", ""),
		paymentDetails("billing agreement id", catBA),
		paymentDetails("NUL after id", catORO+"\x00"),
	)
	return rows
}
