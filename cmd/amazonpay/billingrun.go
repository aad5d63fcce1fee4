package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

var runColumns = []column{
	{name: "billing_agreement_id", aliases: []string{"AmazonBillingAgreementId", "id"}, required: true},
	{name: "amount", aliases: []string{"AuthorizationAmount"}, required: true},
	{name: "currency", aliases: []string{"CurrencyCode"}},
	{name: "seller_order_id", aliases: []string{"SellerOrderId"}},
}

var runResultsHeader = []string{"billing_agreement_id", "outcome", "authorization_id", "authorization_state", "reason", "error_code", "reference_id", "message"}

// done outcomes of a billing run: anything else is tried again.
var chargeDone = map[string]bool{
	string(amazonpay.ChargeCharged): true, string(amazonpay.ChargePending): true,
	string(amazonpay.ChargeDeclined): true, string(amazonpay.ChargeNeedsBuyer): true,
}

func (a *app) billingRunCommand() *cobra.Command {
	var csvPath, period, results string
	var captureNow, skipInvalid bool
	var workers, timeout int
	cmd := &cobra.Command{
		Use:   "billing-run --csv FILE --period 2026-12",
		Short: "Charge every billing agreement of the CSV once for a billing period",
		Long: `billing-run charges a billing period: one AuthorizeOnBillingAgreement per row
of the CSV (ChargeBillingAgreements), whose header names the columns:
billing_agreement_id and amount (required), currency and seller_order_id
(optional). Each charge's AuthorizationReferenceId is derived from the
agreement and --period, so a re-run of the same period charges nobody twice:
MWS answers a repeat with the original result.

Every row is checked before the first call; bad rows are reported with their
line numbers and nothing is sent until the file is clean (or --skip-invalid).
Results go to --results (default FILE.results.csv) as they happen:
billing_agreement_id, outcome (Charged, Pending, Declined, NeedsBuyer, Error),
authorization id and state, reason, error_code, reference_id. A re-run skips
the rows that are done and retries the rest; Ctrl-C stops after the calls in
flight.`,
		Example: `  amazonpay billing-run --csv subscribers.csv --period 2026-12
  # subscribers.csv:
  #   billing_agreement_id,amount,currency,seller_order_id
  #   C02-1234567-1234567,9.99,EUR,sub-1001-2026-12
  amazonpay billing-run --csv subscribers.csv --period 2026-12 --capture-now --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if csvPath == "" || strings.TrimSpace(period) == "" {
				return usageErr("billing-run: --csv and --period are required")
			}
			if workers < 1 {
				return usageErr("billing-run: --concurrency must be at least 1")
			}
			if results == "" {
				results = defaultResults(csvPath)
			}
			in := amazonpay.ChargeBillingAgreementsInput{PeriodKey: strings.TrimSpace(period), CaptureNow: captureNow,
				TransactionTimeout: amazonpay.Int(timeout), Concurrency: 1}
			return a.runCharges(cmd, csvPath, results, skipInvalid, workers, in)
		},
	}
	f := cmd.Flags()
	f.StringVar(&csvPath, "csv", "", "input CSV with a header: billing_agreement_id,amount[,currency][,seller_order_id]")
	f.StringVar(&period, "period", "", "the billing period, e.g. 2026-12: with each agreement it makes the charge's reference id")
	f.StringVar(&results, "results", "", "results CSV, also the resume state (default: FILE.results.csv)")
	f.BoolVar(&captureNow, "capture-now", false, "capture each authorization at once")
	f.IntVar(&timeout, "transaction-timeout", 0, "TransactionTimeout in minutes: 0 answers at once; above 0 answers Pending, the outcome comes by IPN")
	f.BoolVar(&skipInvalid, "skip-invalid", false, "skip bad rows instead of refusing the file")
	f.IntVar(&workers, "concurrency", 4, "charges in flight at once (the quotas set the pace)")
	return cmd
}

func (a *app) runCharges(cmd *cobra.Command, csvPath, resultsPath string, skipInvalid bool, workers int, in amazonpay.ChargeBillingAgreementsInput) error {
	ctx, began := cmd.Context(), time.Now()
	rows, err := readInput(csvPath, runColumns)
	if err != nil {
		return err
	}
	c, err := a.client(true)
	if err != nil {
		return err
	}
	opts := a.callOptions()
	charges := map[int]amazonpay.BillingAgreementCharge{}
	// Each row is checked by ChargeBillingAgreements itself on a context
	// that has already ended: it validates the charge and sends nothing.
	ended, cancel := context.WithCancel(ctx)
	cancel()
	problems := checkRows(rows, func(r inputRow) string {
		ch := amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: r.id, SellerOrderID: r.fields["seller_order_id"],
			Amount: &amazonpay.Price{Amount: r.fields["amount"], CurrencyCode: strings.ToUpper(r.fields["currency"])}}
		one := in
		one.Charges = []amazonpay.BillingAgreementCharge{ch}
		_, err := c.ChargeBillingAgreements(ended, &one, opts...)
		var ve *amazonpay.ValidationError
		if errors.As(err, &ve) {
			field := rowField(ve.Field)
			if strings.Contains(ve.Field, "SellerOrder") {
				field = "seller_order_id"
			}
			reason := strings.TrimPrefix(ve.Reason, "Charges[0]: ")
			return field + ": " + reason
		}
		charges[r.line] = ch
		return ""
	})
	if err := a.reportInvalid(problems, csvPath, skipInvalid); err != nil {
		return err
	}
	j, err := openJournal(resultsPath, runResultsHeader)
	if err != nil {
		return err
	}
	todo, before := []inputRow{}, 0
	for _, r := range without(rows, problems) {
		prev := j.previous(r.id)
		if prev != nil && prev[6] != "" && prev[6] != amazonpay.ChargeReferenceID(r.id, in.PeriodKey) {
			_ = j.close()
			return inputErr(fmt.Errorf("--results %s holds another period's charges (not --period %s): choose another --results", resultsPath, in.PeriodKey))
		}
		if prev != nil && chargeDone[prev[1]] {
			before++
			continue
		}
		todo = append(todo, r)
	}
	for _, p := range problems {
		if err := j.record([]string{p.ID, outcomeInvalid, "", "", "", "", "", "line " + fmt.Sprint(p.Line) + ": " + p.Reason}); err != nil {
			return err
		}
	}
	prog := a.newProgress(len(todo), "charging")
	var recordErr firstError
	interrupted := work(ctx, todo, workers, func(ctx context.Context, r inputRow) {
		ref := amazonpay.ChargeReferenceID(r.id, in.PeriodKey)
		if err := j.record([]string{r.id, outcomeStarted, "", "", "", "", ref, ""}); err != nil {
			recordErr.set(err)
		}
		one := in
		one.Charges = []amazonpay.BillingAgreementCharge{charges[r.line]}
		res, err := c.ChargeBillingAgreements(ctx, &one, opts...)
		var rec []string
		if err != nil { // only invalid input, checked above
			rec = []string{r.id, outcomeError, "", "", "", "", ref, oneLine(err.Error())}
		} else {
			rec = chargeRecord(res[0])
		}
		recordErr.set(j.record(rec))
		prog.finished(rec[1])
	})
	if err := recordErr.get(); err != nil {
		return fmt.Errorf("--results %s: %v", resultsPath, err)
	}
	s := &batchSummary{Rows: len(rows), Outcomes: prog.counts, DoneBefore: before, Invalid: problems, Throttled: a.throttles.count(),
		Seconds: time.Since(began).Seconds(), Interrupted: interrupted, Results: resultsPath}
	if interrupted {
		s.Resume = resumeCommand(cmd, resultsPath)
		_ = j.close()
	} else if err := j.compact(rows); err != nil {
		return err
	}
	if err := a.printSummary(s); err != nil {
		return err
	}
	if interrupted || prog.counts[outcomeError] > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("billing-run: %d row(s) not done; re-run the same command to retry them (nobody is charged twice)", len(todo)-doneCount(prog.counts))}
	}
	return nil
}

func doneCount(counts map[string]int) int {
	n := 0
	for k, v := range counts {
		if chargeDone[k] {
			n += v
		}
	}
	return n
}

func chargeRecord(r amazonpay.BillingAgreementChargeResult) []string {
	code, msg := "", ""
	if r.Err != nil {
		msg = oneLine(r.Err.Error())
		var apiErr *amazonpay.APIError
		if errors.As(r.Err, &apiErr) {
			code = string(apiErr.Code)
		}
	}
	d := r.AuthorizationDetails
	return []string{r.AmazonBillingAgreementID, string(r.Outcome), d.AmazonAuthorizationID, string(d.AuthorizationStatus.State),
		string(r.ReasonCode), code, r.AuthorizationReferenceID, msg}
}
