package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// liveClient makes a client of the real Amazon Pay sandbox from the
// environment.
func liveClient(getenv func(string) string) (*amazonpay.Client, error) {
	region, err := amazonpay.ParseRegion(getenv("AMAZON_PAY_REGION"))
	if err != nil {
		return nil, fmt.Errorf("AMAZON_PAY_REGION: %w", err)
	}
	return amazonpay.NewClient(amazonpay.Config{
		SellerID:    getenv("AMAZON_PAY_SELLER_ID"),
		AccessKeyID: getenv("AMAZON_PAY_ACCESS_KEY"),
		SecretKey:   getenv("AMAZON_PAY_SECRET_KEY"),
		Region:      region,
		Sandbox:     true,
	}, amazonpay.WithAppInfo("amazonpay-checkout-example", amazonpay.SDKVersion))
}

type liveOptions struct {
	orderReferenceID string
	amount           string
	listen           string
	wait             time.Duration
}

// runLive runs the merchant's steps of (a) on an order reference that
// Amazon's widgets created: it waits on opts.listen for the buyer's return
// from the Confirmation Flow, then authorizes and captures.
func runLive(ctx context.Context, t *transcript, c *amazonpay.Client, opts liveOptions) error {
	id := opts.orderReferenceID
	_, _ = fmt.Fprintf(t.w, "Amazon Pay sandbox at %s (seller %s)\n", c.Endpoint(), c.Config().SellerID)
	total := &amazonpay.Price{Amount: opts.amount, CurrencyCode: c.Config().CurrencyCode}

	st, err := orderState(ctx, c, id)
	if err != nil {
		return err
	}
	t.step("GetOrderReferenceDetails %s: %s", id, st.State)
	if st.State != amazonpay.OrderReferenceDraft {
		return unexpected("order reference state", st.State, amazonpay.OrderReferenceDraft)
	}

	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	returned := make(chan *url.URL, 1)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case returned <- r.URL:
			default:
			}
			_, _ = fmt.Fprintln(w, "Thank you, you can close this window.")
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }() // ErrServerClosed after Shutdown; a broken listener shows as no return
	// Shutdown, not Close: the buyer's browser must get its page even when
	// we stop right after reading the return (a failed authentication).
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(stop) // the outcome is known; a browser still loading is cut off
	}()

	if err := confirmOrder(ctx, t, c, id, total, "live-"+id, base+"/amazon/ok", base+"/amazon/fail"); err != nil {
		return err
	}
	t.note("now let the page call confirmationFlow.success(); waiting up to %s for the buyer's return on %s", opts.wait, base)

	var back *url.URL
	select {
	case back = <-returned:
	case <-time.After(opts.wait):
		return errors.New("the buyer did not come back in time")
	case <-ctx.Done():
		return ctx.Err()
	}
	t.step("The buyer is back at %s", back)
	res, err := readReturn(t, back.RawQuery, back.Query())
	if err != nil {
		return err
	}
	if !res.Proceed() {
		return fmt.Errorf("%w: %s", errNotCompleted, res.Action)
	}
	return authorizeAndCapture(ctx, t, c, id, total, "live-"+id[len(id)-7:])
}
