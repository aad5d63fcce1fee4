package checkout_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

var ctx = context.Background()

const returnURL = "https://shop.example/amazon/return"

// env is one shop on one sandbox: Payments on a memory store.
type env struct {
	t     *testing.T
	sb    *amazonpaytest.Server
	store checkout.Store
	p     *checkout.Payments
}

func newEnv(t *testing.T, cfg checkout.Config, opts ...amazonpaytest.Option) *env {
	t.Helper()
	sb := amazonpaytest.NewServer(append([]amazonpaytest.Option{amazonpaytest.WithRegion(amazonpay.RegionDE)}, opts...)...)
	t.Cleanup(sb.Close)
	e := &env{t: t, sb: sb, store: checkout.NewMemoryStore()}
	if cfg.ReturnURL == "" {
		cfg.ReturnURL = returnURL
	}
	e.p = e.payments(cfg)
	return e
}

// payments is another Payments on the same store and sandbox: a second
// process, or the shop restarted.
func (e *env) payments(cfg checkout.Config) *checkout.Payments {
	e.t.Helper()
	if cfg.ReturnURL == "" {
		cfg.ReturnURL = returnURL
	}
	p, err := checkout.New(e.sb.AmazonPay(), e.store, cfg)
	require.NoError(e.t, err)
	return p
}

// orderReference is what the widgets make for a buyer paying with m.
func (e *env) orderReference(m amazonpaytest.PaymentMethod) string {
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	return e.sb.CreateOrderReference(b)
}

// billingAgreement is what the widgets make for a subscriber paying with
// m, who consented.
func (e *env) billingAgreement(m amazonpaytest.PaymentMethod) string {
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	return e.sb.CreateBillingAgreement(b)
}

// flow is the buyer's visit to the Confirmation Flow page: the query the
// shop's return URL is opened with. It checks the page sent the buyer to
// the return URL the package made.
func (e *env) flow(id string) url.Values {
	e.t.Helper()
	u, err := e.sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, id)
	require.NoError(e.t, err)
	require.True(e.t, strings.HasPrefix(u.String(), returnURL+"?"), u.String())
	return u.Query()
}

func eur(amount string) amazonpay.Price { return amazonpay.Price{Amount: amount, CurrencyCode: "EUR"} }

// buy is a whole purchase up to the return: Confirm, the flow, Return.
func (e *env) buy(id string, m amazonpaytest.PaymentMethod, total string) (*checkout.ReturnOutcome, error) {
	e.t.Helper()
	oro := e.orderReference(m)
	_, err := e.p.Confirm(ctx, checkout.Purchase{ID: id, OrderReferenceID: oro, Total: eur(total)})
	require.NoError(e.t, err)
	return e.p.Return(ctx, e.flow(oro))
}

// captures returns the sandbox's captures of the order reference, with
// their amounts and states.
func (e *env) captures(oro string) []amazonpaytest.Object {
	var out []amazonpaytest.Object
	for _, o := range e.sb.Objects(amazonpaytest.KindCapture) {
		if strings.HasPrefix(o.ID, oro+"-") {
			out = append(out, o)
		}
	}
	return out
}
