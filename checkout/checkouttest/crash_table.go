package checkouttest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// crashRow is what one crash point of TestCrashPoints did: what the buyer
// saw when the process died, what the store held after the restart's
// Reconcile, and at the end, what the sandbox held, the buyer's last page.
type crashRow struct {
	flow           string
	event          int    // the event's number in the flow, from 1
	point          string // "before call Authorize", "after store Update(paid)"
	step           string // the buyer's step the process died in
	sawAtCrash     string // what that step answered the buyer
	reconciled     int    // payments the restart's Reconcile found in flight
	afterReconcile string // the store after that Reconcile
	nextSteps      []string
	atEnd          string // the store after the steps and Reconcile again
	sandbox        string // Amazon's objects at the end
	sawAtEnd       string
}

// CrashPointTable runs TestCrashPoints' crash points on stores from
// newStore, with the same checks, and returns the table of what each one
// did as Markdown: a row per crash point with the flow, the point, what
// the buyer saw when the process died, the store after the restart's
// Reconcile, the buyer's next steps, the store at the end, what Amazon
// holds (authorizations and captures with their amounts, the order
// reference or billing agreement) and the buyer's last page. Every value
// is deterministic (no ids, no times), so that a test can compare the
// table with a committed copy.
func CrashPointTable(t *testing.T, newStore func(t *testing.T) checkout.Store) string {
	t.Helper()
	return crashTable(crashPoints(t, newStore))
}

// crashTable formats rows as a Markdown table.
func crashTable(rows []crashRow) string {
	var b strings.Builder
	b.WriteString("| flow | # | crash point | the buyer saw (step: answer) | Reconcile found → store | buyer's next steps | store at the end | Amazon at the end | last page |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %s | %s: %s | %d → %s | %s | %s | %s | %s |\n",
			r.flow, r.event, r.point, r.step, r.sawAtCrash, r.reconciled, r.afterReconcile,
			strings.Join(r.nextSteps, ", "), r.atEnd, r.sandbox, r.sawAtEnd)
	}
	return b.String()
}

// buyerSaw is what a step answered: the Return's next step, or an error
// (the page shows a failure; "buy now" is pressed again).
func buyerSaw(out *checkout.ReturnOutcome, err error) string {
	switch {
	case err != nil && errors.Is(err, errKilled):
		return "error (the process died)"
	case err != nil:
		return "error"
	case out != nil:
		return string(out.Next)
	}
	return "ok"
}

// storeSummary is the crash payment as the store holds it: its state,
// why, and its attempt; "none" when it was never created.
func storeSummary(ctx context.Context, s checkout.Store) string {
	pay, err := s.Get(ctx, crashPaymentID)
	if errors.Is(err, checkout.ErrNotFound) {
		return "none"
	}
	if err != nil {
		return "error: " + err.Error()
	}
	out := string(pay.State)
	if pay.Reason != "" {
		out += " (" + pay.Reason + ")"
	}
	return fmt.Sprintf("%s, attempt %d", out, pay.Attempt)
}

// sandboxMoney is what moved at the sandbox: each authorization and
// capture with its amount and state, and the state of the order
// references and billing agreements.
func sandboxMoney(sb *amazonpaytest.Server) string {
	var parts []string
	for _, kind := range []amazonpaytest.Kind{amazonpaytest.KindAuthorization, amazonpaytest.KindCapture} {
		var objs []string
		for _, o := range sb.Objects(kind) {
			objs = append(objs, fmt.Sprintf("%s %s %s", o.Amount, o.CurrencyCode, o.State))
		}
		name := map[amazonpaytest.Kind]string{amazonpaytest.KindAuthorization: "authorized", amazonpaytest.KindCapture: "captured"}[kind]
		if len(objs) == 0 {
			objs = []string{"nothing"}
		}
		parts = append(parts, name+" "+strings.Join(objs, " + "))
	}
	for _, kind := range []amazonpaytest.Kind{amazonpaytest.KindBillingAgreement, amazonpaytest.KindOrderReference} {
		for _, o := range sb.Objects(kind) {
			name := map[amazonpaytest.Kind]string{amazonpaytest.KindBillingAgreement: "billing agreement", amazonpaytest.KindOrderReference: "order reference"}[kind]
			state := o.State
			if o.ReasonCode != "" {
				state += " (" + o.ReasonCode + ")"
			}
			parts = append(parts, name+" "+state)
		}
	}
	return strings.Join(parts, "; ")
}
