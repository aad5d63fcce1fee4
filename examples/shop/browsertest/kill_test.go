package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/shopproc"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/testdb"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The buyer pays, and the shop dies before the order page is shown: the
// shop binary and the standalone sandbox run as programs, the sandbox
// holds the reply of the Authorize (with CaptureNow) that the return made
// — Amazon has charged — and the test kills the shop with SIGKILL under
// it, then starts it again on the same SQLite file and port. The buyer's
// tab shows the browser's error page; reloading it shows the paid order,
// and the sandbox holds one authorization and one capture of the total.
func TestBrowserKilledBeforeTheOrderPage(t *testing.T) {
	path, err := chromiumPath()
	if err != nil {
		noBrowser(t, err)
	}
	ctx := context.Background()
	sb := shopproc.StartSandbox(t, shopproc.Build(t, shopproc.SandboxPackage), "--region", "de")
	shop := shopproc.StartShop(t, shopproc.Build(t, shopproc.ShopPackage), []string{"AMAZON_PAY_SELLER_ID=", "AMAZON_PAY_SHOP_URL="},
		"-db", testdb.SQLitePath(t), "-sandbox-url", sb.URL)
	s := newBrowser(t, path, "en-US,en;q=0.9")
	s.url = strings.TrimSuffix(shop.URL, "/")

	id := s.toCheckout(1)
	s.run("choose the card", s.choose(amazonpaytest.PaymentMethodOK))
	s.waitSandbox("the buyer's card", func() bool {
		var obj struct{ PaymentMethod string }
		return sb.Control(ctx, "object", map[string]string{"id": id}, &obj) == nil && obj.PaymentMethod == string(amazonpaytest.PaymentMethodOK)
	})
	require.NoError(t, sb.Control(ctx, "inject-fault", map[string]any{"action": "Authorize", "n": 1,
		"f": map[string]string{"Kind": "Delay", "Delay": "60s"}}, nil))
	s.buyNow()

	// The return reached the shop and its Authorize was applied: Amazon
	// charged, and holds the reply.
	s.waitSandbox("the Authorize held after it was applied", func() bool {
		var reqs []struct {
			Applied bool
			Fault   int
		}
		return sb.Control(ctx, "requests-for", map[string]string{"action": "Authorize"}, &reqs) == nil &&
			len(reqs) == 1 && reqs[0].Applied && reqs[0].Fault == int(amazonpaytest.FaultDelay)
	})
	require.NoError(t, shop.Kill())
	require.NoError(t, sb.Control(ctx, "clear-faults", nil, nil))
	require.NoError(t, shop.Restart())
	// Reconciled at start (before it served): the charge is recorded.
	reconciled := shop.Lines("Reconciled at start: ")
	require.Len(t, reconciled, 2)
	assert.Equal(t, "Reconciled at start: 1 with a call outstanding; now paid 1", reconciled[1])

	// What the buyer sees: the browser's page for a site that did not
	// answer, at the return URL. Then F5.
	s.waitJS(`location.href.startsWith("chrome-error:")`)
	s.run("reload the page", chromedp.Reload())
	assert.Equal(t, "Thank you! Your order order-1001 is paid.", s.text("#order-status"))
	assert.Equal(t, "/orders/order-1001", s.location())
	assert.Equal(t, "21.25 EUR", s.text("#order-total"))
	assert.Equal(t, id, s.text("#order-reference"))

	var mm amazonpaytest.MoneyMovements
	require.NoError(t, sb.Control(ctx, "money-movements", nil, &mm))
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, mm)
	var captures []struct{ ID, State, Amount string }
	require.NoError(t, sb.Control(ctx, "objects", map[string]string{"kind": "Capture"}, &captures))
	require.Len(t, captures, 1)
	assert.Equal(t, "Completed", captures[0].State)
	assert.Equal(t, "21.25", captures[0].Amount)
	assert.Equal(t, captures[0].ID, s.text("#order-capture"))
	var auths []struct{ Status int }
	require.NoError(t, sb.Control(ctx, "requests-for", map[string]string{"action": "Authorize"}, &auths))
	assert.Len(t, auths, 2, "the held Authorize, and Reconcile's repeat with the same reference id")
}
