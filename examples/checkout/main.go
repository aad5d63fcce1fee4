// Command checkout walks through Amazon Pay checkouts with Strong Customer
// Authentication, printing each step.
//
// Without flags it needs no network: it starts the offline sandbox
// (amazonpaytest) and runs
//
//	(a) an EU one-time purchase: SetOrderReferenceDetails, SetOrderAttributes,
//	    ConfirmOrderReference with SuccessUrl/FailureUrl, the Confirmation Flow,
//	    ParseConfirmationRedirect, Authorize, Capture;
//	(b) the same buyer failing the challenge, then abandoning it and paying
//	    with another card, with the recommended action and buyer message;
//	(c) a subscription: SetBillingAgreementDetails (MerchantInitiatedTransaction,
//	    SubscriptionAmount), ConfirmBillingAgreement, the Confirmation Flow,
//	    ValidateBillingAgreement, AuthorizeOnBillingAgreement with CaptureNow.
//
// It exits non-zero on any unexpected state.
//
// With -order-reference (an id that Amazon's widgets created in a browser)
// and credentials in AMAZON_PAY_SELLER_ID, AMAZON_PAY_ACCESS_KEY,
// AMAZON_PAY_SECRET_KEY and AMAZON_PAY_REGION, it runs the same merchant
// steps against the real Amazon Pay sandbox, waiting on -listen for the
// buyer's return from the Confirmation Flow.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "checkout:", err)
		os.Exit(1)
	}
}

// run parses the flags and runs the offline demo or the live steps.
func run(ctx context.Context, out io.Writer, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("checkout", flag.ContinueOnError)
	fs.SetOutput(out)
	orderRef := fs.String("order-reference", "", "an order reference id (S02-…) created by Amazon's widgets: run against the real Amazon sandbox")
	amount := fs.String("amount", "1.00", "live: the amount to charge, in the region's currency")
	listen := fs.String("listen", "127.0.0.1:8080", "live: where to receive the buyer's return from the Confirmation Flow")
	wait := fs.Duration("wait", 10*time.Minute, "live: how long to wait for the buyer's return")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	t := &transcript{w: out}
	if *orderRef == "" {
		return runSandbox(ctx, t)
	}
	c, err := liveClient(getenv)
	if err != nil {
		return err
	}
	return runLive(ctx, t, c, liveOptions{orderReferenceID: *orderRef, amount: *amount, listen: *listen, wait: *wait})
}

// transcript prints the steps of a checkout.
type transcript struct {
	w io.Writer
	n int
}

func (t *transcript) section(title string) {
	_, _ = fmt.Fprintf(t.w, "\n== %s\n", title) // a transcript that cannot be written does not stop the checkout
}

func (t *transcript) step(format string, args ...any) {
	t.n++
	_, _ = fmt.Fprintf(t.w, "%2d. %s\n", t.n, fmt.Sprintf(format, args...))
}

func (t *transcript) note(format string, args ...any) {
	_, _ = fmt.Fprintf(t.w, "    %s\n", fmt.Sprintf(format, args...))
}

// unexpected reports a state the checkout did not expect.
func unexpected(what string, got, want any) error {
	return fmt.Errorf("unexpected %s: got %v, want %v", what, got, want)
}

var errNotCompleted = errors.New("the checkout was not completed")
