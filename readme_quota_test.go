package amazonpay_test

import (
	"context"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// README's "Quotas and the monthly billing run" snippets, compiled and run;
// TestReadmeShowsQuotaSnippets keeps README's copies identical to them.

func readmeQuotaOptions() {
	amazonpay.WithRateLimiter(amazonpay.NewLocalLimiter(amazonpay.Quotas{Override: map[string]amazonpay.Quota{
		"AuthorizeOnBillingAgreement": {Burst: 20, Every: 500 * time.Millisecond}, // a raised quota, paced always
	}}))
	amazonpay.WithRateLimiter(nil) // no client-side pacing: MWS throttles, the client retries
}

func chargeMonth(ctx context.Context, c *amazonpay.Client, period string, agreements []string) error {
	in := &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey:  period, // e.g. "2026-11"
		CaptureNow: true,
		Progress: func(r amazonpay.BillingAgreementChargeResult, done, total int) {
			log.Printf("%d/%d %s: %s", done, total, r.AmazonBillingAgreementID, r.Outcome)
		},
	}
	for _, id := range agreements {
		in.Charges = append(in.Charges, amazonpay.BillingAgreementCharge{
			AmazonBillingAgreementID: id, Amount: &amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}})
	}
	results, err := c.ChargeBillingAgreements(ctx, in)
	if err != nil {
		return err // bad input (nothing was sent), or ctx ended (results say what was done)
	}
	for _, r := range results {
		switch r.Outcome {
		case amazonpay.ChargeCharged, amazonpay.ChargePending: // Pending: the result comes by IPN
		case amazonpay.ChargeNeedsBuyer: // ask the buyer to update the payment method
		case amazonpay.ChargeDeclined: // r.ReasonCode says why
		case amazonpay.ChargeFailed: // r.Err; running the same period again retries safely
		}
	}
	return nil
}

func TestReadmeChargeMonth(t *testing.T) {
	t.Parallel()
	readmeQuotaOptions()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	ids := []string{openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK), openAgreement(t, srv, c, amazonpaytest.PaymentMethodOK)}
	for range 2 { // the second run charges nobody again
		if err := chargeMonth(ctx, c, "2026-11", ids); err != nil {
			t.Fatal(err)
		}
	}
	if m := srv.MoneyMovements(); m.Authorizations != 2 || m.Captures != 0 {
		t.Fatalf("%+v, want 2 pending authorizations", m)
	}
	srv.Advance(time.Minute) // asynchronous processing, then the capture
	if m := srv.MoneyMovements(); m.Authorizations != 2 || m.Captures != 2 {
		t.Fatalf("%+v, want 2 authorizations and 2 captures", m)
	}
	if err := chargeMonth(ctx, c, "", ids); err == nil {
		t.Fatal("no error without a period key")
	}
}

func TestReadmeShowsQuotaSnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile("readme_quota_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []struct {
		head string
		body bool // README shows the body only
	}{{"func readmeQuotaOptions() {", true}, {"func chargeMonth(", false}} {
		want := readmeFunc(t, string(source), fn.head)
		if fn.body {
			lines := strings.Split(want, "\n")
			want = strings.Join(lines[1:len(lines)-1], "\n")
			want = strings.ReplaceAll("\n"+want, "\n\t", "\n")[1:]
		}
		want = spaces(want)
		if !strings.Contains(string(readme), "```go\n"+want+"\n```\n") {
			t.Errorf("README has no Go block with exactly:\n%s", want)
		}
	}
}

// readmeFunc returns the text of the func starting with head, up to its
// closing brace at the start of a line.
func readmeFunc(t *testing.T, text, head string) string {
	t.Helper()
	start := strings.Index(text, "\n"+head)
	if start < 0 {
		t.Fatalf("no %s", head)
	}
	end := strings.Index(text[start:], "\n}\n")
	return text[start+1 : start+end+2]
}

// spaces writes gofmt's indentation tabs as four spaces, as README does.
func spaces(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		indent := len(line) - len(strings.TrimLeft(line, "\t"))
		lines[i] = strings.Repeat("    ", indent) + line[indent:]
	}
	return strings.Join(lines, "\n")
}
