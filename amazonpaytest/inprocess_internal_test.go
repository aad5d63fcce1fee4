package amazonpaytest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// AmazonPay's client and FollowConfirmationFlow reach the sandbox without
// opening a connection to its listener; the same calls over Client open
// one (so the count can fail).
func TestAmazonPayOpensNoConnection(t *testing.T) {
	t.Parallel()
	h := NewHandler()
	ts := httptest.NewUnstartedServer(h)
	var conns atomic.Int32
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	srv := serve(h, ts)
	t.Cleanup(srv.Close)
	checkout := func(c *amazonpay.Client) {
		ctx := context.Background()
		id := srv.CreateOrderReference(TestBuyer())
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "1.00", CurrencyCode: "EUR"}}})
		require.NoError(t, err)
		_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
			SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
		require.NoError(t, err)
		back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
		require.NoError(t, err)
		assert.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	}
	checkout(srv.AmazonPay())
	assert.Zero(t, conns.Load(), "in process")
	checkout(srv.AmazonPay(amazonpay.WithHTTPClient(srv.Client())))
	assert.NotZero(t, conns.Load(), "over loopback")
}
