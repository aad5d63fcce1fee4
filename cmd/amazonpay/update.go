package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The outcomes of a migration row, as the results file records them.
const (
	outcomeStarted    = "Started"    // SetBillingAgreementDetails sent, no answer recorded yet
	outcomeDetailsSet = "DetailsSet" // SetBillingAgreementDetails succeeded; ValidateBillingAgreement next
	outcomeError      = "Error"      // a call failed: a re-run retries the row
	outcomeInvalid    = "Invalid"    // the row was skipped with --skip-invalid
)

var updateColumns = []column{
	{name: "billing_agreement_id", aliases: []string{"AmazonBillingAgreementId", "id"}, required: true},
	{name: "type", aliases: []string{"BillingAgreementType"}},
	{name: "amount", aliases: []string{"SubscriptionAmount"}},
	{name: "currency", aliases: []string{"CurrencyCode"}},
}

var updateResultsHeader = []string{"billing_agreement_id", "outcome", "validation_result", "reason", "error_code", "details_set", "message"}

type updateRow struct {
	typ    amazonpay.BillingAgreementType
	amount *amazonpay.Price
}

func (a *app) billingAgreementsCommand() *cobra.Command {
	group := &cobra.Command{
		Use:     "billing-agreements",
		Short:   "Batch work on billing agreements",
		Example: `  amazonpay billing-agreements update --csv agreements.csv --type MerchantInitiatedTransaction`,
	}
	var csvPath, typ, results string
	var skipInvalid bool
	var workers int
	update := &cobra.Command{
		Use:   "update --csv FILE --type MerchantInitiatedTransaction|CustomerInitiatedTransaction",
		Short: "The PSD2 migration: set BillingAgreementType (and amount), then validate, for every agreement",
		Long: `update runs the PSD2 migration of billing agreements made before 14 September
2019: SetBillingAgreementDetails with the BillingAgreementType (and, where
every charge is the same, the SubscriptionAmount), then
ValidateBillingAgreement, for every row of the CSV. The header names the
columns: billing_agreement_id (required), type, amount and currency
(optional, per row; type defaults to --type).

Every row is checked before the first call; bad rows are reported with their
line numbers and nothing is sent until the file is clean (or --skip-invalid).
Calls are paced by the documented quotas (--quota to change them). Each row's
outcome goes to the results CSV (--results, default FILE.results.csv) as it
happens: billing_agreement_id, outcome (Updated, ValidationFailed, Error),
validation_result, reason, error_code. A re-run with the same results file
skips the rows that are done and retries the rest, without setting any
agreement twice; Ctrl-C stops after the calls in flight.`,
		Example: `  amazonpay billing-agreements update --csv agreements.csv --type MerchantInitiatedTransaction
  # agreements.csv:
  #   billing_agreement_id,type,amount,currency
  #   C02-1234567-1234567,,9.99,EUR
  #   C02-7654321-7654321,CustomerInitiatedTransaction,,
  amazonpay billing-agreements update --csv agreements.csv --type MerchantInitiatedTransaction --skip-invalid --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if csvPath == "" {
				return usageErr("billing-agreements update: --csv is required")
			}
			if typ != "" && typ != string(amazonpay.MerchantInitiatedTransaction) && typ != string(amazonpay.CustomerInitiatedTransaction) {
				return usageErr("billing-agreements update: --type %q is not MerchantInitiatedTransaction or CustomerInitiatedTransaction", truncate(typ, 40))
			}
			if workers < 1 {
				return usageErr("billing-agreements update: --concurrency must be at least 1")
			}
			if results == "" {
				results = defaultResults(csvPath)
			}
			return a.runUpdate(cmd.Context(), csvPath, amazonpay.BillingAgreementType(typ), results, skipInvalid, workers, cmd)
		},
	}
	f := update.Flags()
	f.StringVar(&csvPath, "csv", "", "input CSV with a header: billing_agreement_id[,type][,amount][,currency]")
	f.StringVar(&typ, "type", "", "BillingAgreementType of rows without one")
	f.StringVar(&results, "results", "", "results CSV, also the resume state (default: FILE.results.csv)")
	f.BoolVar(&skipInvalid, "skip-invalid", false, "skip bad rows instead of refusing the file")
	f.IntVar(&workers, "concurrency", 2, "agreements worked on at once (the quotas set the pace)")
	group.AddCommand(update)
	return group
}

func (a *app) runUpdate(ctx context.Context, csvPath string, defaultType amazonpay.BillingAgreementType, resultsPath string, skipInvalid bool, workers int, cmd *cobra.Command) error {
	began := time.Now()
	rows, err := readInput(csvPath, updateColumns)
	if err != nil {
		return err
	}
	c, err := a.client(true)
	if err != nil {
		return err
	}
	opts := a.callOptions()
	parsed := map[int]updateRow{}
	// Each row is checked by UpdateBillingAgreements itself, on a context
	// that has already ended: it validates every call it would make and
	// sends nothing, so the rules are the library's, not a copy of them.
	done, cancel := context.WithCancel(ctx)
	cancel()
	problems := checkRows(rows, func(r inputRow) string {
		u := updateRow{typ: amazonpay.BillingAgreementType(r.fields["type"])}
		if u.typ == "" {
			u.typ = defaultType
		}
		if u.typ == "" {
			return "type is empty and there is no --type"
		}
		if am := r.fields["amount"]; am != "" {
			u.amount = &amazonpay.Price{Amount: am, CurrencyCode: strings.ToUpper(r.fields["currency"])}
		} else if r.fields["currency"] != "" {
			return "currency without an amount"
		}
		_, err := c.UpdateBillingAgreements(done, &amazonpay.UpdateBillingAgreementsInput{AmazonBillingAgreementIDs: []string{r.id},
			BillingAgreementType: u.typ, SubscriptionAmount: u.amount}, opts...)
		var ve *amazonpay.ValidationError
		if errors.As(err, &ve) {
			return rowField(ve.Field) + ": " + ve.Reason
		}
		parsed[r.line] = u
		return ""
	})
	if err := a.reportInvalid(problems, csvPath, skipInvalid); err != nil {
		return err
	}
	j, err := openJournal(resultsPath, updateResultsHeader)
	if err != nil {
		return err
	}
	for _, p := range problems {
		if err := j.record([]string{p.ID, outcomeInvalid, "", "", "", detailsNo, "line " + fmt.Sprint(p.Line) + ": " + p.Reason}); err != nil {
			return err
		}
	}
	todo, before := []inputRow{}, 0
	for _, r := range without(rows, problems) {
		if prev := j.previous(r.id); prev != nil && (prev[1] == string(amazonpay.UpdateSucceeded) || prev[1] == string(amazonpay.UpdateValidationFailed)) {
			before++
			continue
		}
		todo = append(todo, r)
	}
	prog := a.newProgress(len(todo), "updating")
	var recordErr firstError
	interrupted := work(ctx, todo, workers, func(ctx context.Context, r inputRow) {
		outcome, err := a.updateOne(ctx, c, j, r, parsed[r.line], opts)
		recordErr.set(err)
		prog.finished(outcome)
	})
	if recordErr := recordErr.get(); recordErr != nil {
		return fmt.Errorf("--results %s: %v", resultsPath, recordErr)
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
		return &exitError{code: exitFailed, err: fmt.Errorf("billing-agreements update: %d row(s) not done; re-run the same command to retry them", len(todo)-prog.counts[string(amazonpay.UpdateSucceeded)]-prog.counts[string(amazonpay.UpdateValidationFailed)])}
	}
	return nil
}

// updateOne migrates one agreement and records each step. Details are set
// at most once per agreement across runs: a row whose details were set is
// only validated again, and a row whose SetBillingAgreementDetails was in
// flight when a run was killed is looked up first.
func (a *app) updateOne(ctx context.Context, c *amazonpay.Client, j *journal, r inputRow, u updateRow, opts []amazonpay.CallOption) (string, error) {
	fail := func(err error, detailsSet string) (string, error) {
		code := ""
		var apiErr *amazonpay.APIError
		if errors.As(err, &apiErr) {
			code = string(apiErr.Code)
		}
		return outcomeError, j.record([]string{r.id, outcomeError, "", "", code, detailsSet, oneLine(err.Error())})
	}
	// What earlier runs know: details set (a DetailsSet record, or a
	// compacted record saying so), or unknown (a Started record with no
	// answer, or a SetBillingAgreementDetails whose outcome was lost).
	prev := j.previous(r.id)
	detailsSet := j.ever(r.id, outcomeDetailsSet) || prev != nil && prev[5] == detailsYes
	if !detailsSet && prev != nil && (prev[1] == outcomeStarted || prev[5] == detailsUnknown) {
		out, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: r.id}, opts...)
		if err != nil {
			return fail(err, detailsUnknown)
		}
		detailsSet = out.BillingAgreementDetails.BillingAgreementType == u.typ && sameAmount(out.BillingAgreementDetails.SubscriptionAmount, u.amount)
	}
	if !detailsSet {
		if err := j.record([]string{r.id, outcomeStarted, "", "", "", detailsUnknown, ""}); err != nil {
			return outcomeError, err
		}
		_, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: r.id,
			BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{BillingAgreementType: u.typ, SubscriptionAmount: u.amount}}, opts...)
		if err != nil {
			if ambiguous(err) {
				return fail(err, detailsUnknown) // it may have landed
			}
			return fail(err, detailsNo)
		}
	}
	if err := j.record([]string{r.id, outcomeDetailsSet, "", "", "", detailsYes, ""}); err != nil {
		return outcomeError, err
	}
	out, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: r.id}, opts...)
	if err != nil {
		return fail(err, detailsYes)
	}
	outcome := ""
	switch out.ValidationResult {
	case amazonpay.ValidationSuccess:
		outcome = string(amazonpay.UpdateSucceeded)
	case amazonpay.ValidationFailure:
		outcome = string(amazonpay.UpdateValidationFailed)
	default:
		return fail(errors.New("ValidateBillingAgreement: no ValidationResult in the response"), detailsYes)
	}
	return outcome, j.record([]string{r.id, outcome, string(out.ValidationResult), string(out.FailureReasonCode), "", detailsYes,
		string(out.BillingAgreementStatus.State)})
}

// The details_set column: whether SetBillingAgreementDetails took effect.
const (
	detailsYes     = "yes"
	detailsNo      = "no"
	detailsUnknown = "unknown" // sent, answer lost: looked up before setting again
)

// sameAmount compares a set amount with the one wanted, as decimals.
func sameAmount(got, want *amazonpay.Price) bool {
	if want == nil {
		return true
	}
	if got == nil {
		return false
	}
	g, ok1 := new(big.Rat).SetString(got.Amount)
	w, ok2 := new(big.Rat).SetString(want.Amount)
	return ok1 && ok2 && g.Cmp(w) == 0 && (want.CurrencyCode == "" || strings.EqualFold(got.CurrencyCode, want.CurrencyCode))
}

// rowField names the CSV column of a wire field.
func rowField(wire string) string {
	switch {
	case strings.Contains(wire, "BillingAgreementId"), strings.Contains(wire, "BillingAgreementIDs"):
		return "billing_agreement_id"
	case strings.Contains(wire, "CurrencyCode"):
		return "currency"
	case strings.Contains(wire, "Amount"):
		return "amount"
	case strings.Contains(wire, "BillingAgreementType"):
		return "type"
	}
	return wire
}

// resumeCommand is the command line that resumes an interrupted run.
func resumeCommand(cmd *cobra.Command, results string) string {
	s := cmd.CommandPath()
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if f.Name != "results" {
			s += " --" + f.Name + " " + shellQuote(f.Value.String())
		}
	})
	return s + " --results " + shellQuote(results)
}
