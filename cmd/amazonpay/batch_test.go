package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeCSV writes lines (the header first) to a file in dir.
func writeCSV(t *testing.T, dir, name string, lines []string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return path
}

// readResults returns the results file's records by id (the last wins).
func readResults(t *testing.T, path string) (header []string, byID map[string][]string, n int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	byID = map[string][]string{}
	for _, r := range recs[1:] {
		byID[r[0]] = r
	}
	return recs[0], byID, len(recs) - 1
}

// appliedPerID counts, per agreement, the calls of action the sandbox
// applied (not the throttled ones).
func appliedPerID(srv *amazonpaytest.Server, action string) map[string]int {
	out := map[string]int{}
	for _, r := range srv.RequestsFor(action) {
		if r.Applied {
			out[r.Params.Get("AmazonBillingAgreementId")]++
		}
	}
	return out
}

var (
	textDuration = regexp.MustCompile(`(?m)^(  Time: +).*$`)
	jsonDuration = regexp.MustCompile(`"seconds": [0-9.e-]+`)
)

// normalize takes the run time and the temporary directory out of output.
func normalize(s, dir string) string {
	s = jsonDuration.ReplaceAllString(textDuration.ReplaceAllString(s, "${1}X"), `"seconds": 0`)
	return strings.ReplaceAll(s, dir, "DIR")
}

func TestMigrationRefusesBadRowsWithLineNumbers(t *testing.T) {
	srv := newSandbox(t)
	good := openBillingAgreement(t, srv)
	dir := t.TempDir()
	in := writeCSV(t, dir, "in.csv", []string{
		"billing_agreement_id,type,amount,currency",
		good + ",,9.99,EUR",
		"C02-123,,,",
		good + ",,,",
		"C02-1111111-1111111,Sometimes,,",
		"C02-2222222-2222222,,9,99,EUR",
		"C02-3333333-3333333,,-1.00,EUR",
		"C02-4444444-4444444,,,EUR",
	})
	r := cli(t, srv, "", "billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction")
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, srv.RequestsFor("SetBillingAgreementDetails"), "nothing may be sent")
	golden(t, "migration-bad-rows.txt", normalize(r.stderr, dir))
	for _, line := range []string{"line 3:", "line 4: repeats the billing agreement of line 2", "line 5:", "line 6:", "line 7:", "line 8:"} {
		assert.Contains(t, r.stderr, line)
	}
	assert.NotContains(t, r.stderr, "line 2:")

	r = cli(t, srv, "", "billing-agreements", "update", "--csv", in)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "line 2: type is empty and there is no --type")

	r = cli(t, srv, "", "billing-agreements", "update", "--csv", filepath.Join(dir, "none.csv"), "--type", "MerchantInitiatedTransaction")
	assert.Equal(t, exitUsage, r.code)
	r = cli(t, srv, "", "billing-agreements", "update", "--csv", writeCSV(t, dir, "noid.csv", []string{"agreement,amount", "x,1"}), "--type", "MerchantInitiatedTransaction")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "line 1: the header has no billing_agreement_id column")
}

// TestMigration2000RowsThrottledKilledResumed is the seeds' migration on
// 2,000 agreements (with bad rows, skipped) against a sandbox that
// throttles in real time at scaled-down quotas, stopped part-way (the
// context canceled, as Ctrl-C does) and resumed: every agreement's details
// are set exactly once, and the results file and the sandbox agree.
func TestMigration2000RowsThrottledKilledResumed(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	quota := amazonpay.Quota{Burst: 4, Every: 2 * time.Millisecond}
	srv := newSandbox(t, amazonpaytest.WithQuota("SetBillingAgreementDetails", quota), amazonpaytest.WithQuota("ValidateBillingAgreement", quota),
		amazonpaytest.WithThrottleClock(time.Now))
	lines := []string{"billing_agreement_id,type,amount,currency"}
	var ids []string
	for i := range n {
		id := openBillingAgreement(t, srv)
		ids = append(ids, id)
		if i%10 == 0 {
			lines = append(lines, id+",,9.99,EUR") // a fixed amount
		} else {
			lines = append(lines, id+",,,")
		}
	}
	bad := []string{"C02-123,,,", "C02-5555555-5555555,Maybe,,", "C02-6666666-6666666,,1.999,EUR"}
	lines = append(lines[:501], append(bad, lines[501:]...)...)
	dir := t.TempDir()
	in := writeCSV(t, dir, "agreements.csv", lines)
	args := []string{"billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--skip-invalid",
		"--quota", "SetBillingAgreementDetails=4/2ms", "--quota", "ValidateBillingAgreement=4/2ms"}

	// Interrupted after a third of the rows.
	stopAt := n / 3
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	r := cliCtx(c, t, srv, func(a *app) {
		a.rowHook = func(done int) {
			if done == stopAt {
				cancel()
			}
		}
	}, "", args...)
	assert.Equal(t, exitFailed, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Interrupted: the calls in flight finished and are recorded. To resume: amazonpay billing-agreements update")
	assert.Contains(t, r.stderr, "3 bad row(s) skipped (--skip-invalid)")
	setAfterStop := len(appliedPerID(srv, "SetBillingAgreementDetails"))
	assert.GreaterOrEqual(t, setAfterStop, stopAt)
	assert.Less(t, setAfterStop, n, "the run went on after the stop")
	_, partial, _ := readResults(t, filepath.Join(dir, "agreements.results.csv"))
	for id, rec := range partial {
		if rec[1] == "Updated" {
			assert.Equal(t, 1, appliedPerID(srv, "SetBillingAgreementDetails")[id], id)
		}
	}

	// Resumed: the rest, nothing twice.
	began := time.Now()
	r = cli(t, srv, "", append(args, "--json")...)
	took := time.Since(began)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"interrupted": false`)

	sets := appliedPerID(srv, "SetBillingAgreementDetails")
	validations := appliedPerID(srv, "ValidateBillingAgreement")
	header, results, records := readResults(t, filepath.Join(dir, "agreements.results.csv"))
	assert.Equal(t, updateResultsHeader, header)
	assert.Equal(t, n+len(bad), records, "a finished run leaves one record per row")
	for i, id := range ids {
		assert.Equal(t, 1, sets[id], "SetBillingAgreementDetails of %s", id)
		assert.GreaterOrEqual(t, validations[id], 1, id)
		require.Contains(t, results, id)
		assert.Equal(t, []string{id, "Updated", "Success", "", "", "yes", "Open"}, results[id])
		if i%100 == 0 {
			out, err := srv.AmazonPay().GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id})
			require.NoError(t, err)
			assert.Equal(t, amazonpay.MerchantInitiatedTransaction, out.BillingAgreementDetails.BillingAgreementType)
			if i%10 == 0 {
				assert.Equal(t, "9.99", out.BillingAgreementDetails.SubscriptionAmount.Amount)
			}
		}
	}
	for _, b := range bad {
		assert.Equal(t, "Invalid", results[strings.Split(b, ",")[0]][1])
	}
	throttled := 0
	for _, q := range srv.Requests() {
		if q.ErrorCode == "RequestThrottled" {
			throttled++
		}
	}
	min := time.Duration(2*(n-setAfterStop)) * quota.Every / 2 // two buckets in parallel
	t.Logf("migration of %d rows (resumed after %d): %v for the rest (quota minimum %v at %d/%v per operation); throttled answers in all: %d",
		n, setAfterStop, took.Round(time.Millisecond), min, quota.Burst, quota.Every, throttled)

	// A third run does nothing.
	r = cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, fmt.Sprintf("Done before:       %d", n))
	assert.Equal(t, sets, appliedPerID(srv, "SetBillingAgreementDetails"))
}

func TestMigrationValidationFailureAndGolden(t *testing.T) {
	srv := newSandbox(t)
	okID := openBillingAgreement(t, srv)
	declined := openBillingAgreement(t, srv)
	require.NoError(t, srv.SelectPaymentMethod(declined, amazonpaytest.PaymentMethodInvalid))
	dir := t.TempDir()
	in := writeCSV(t, dir, "in.csv", []string{"billing_agreement_id,type", okID + ",", declined + ",CustomerInitiatedTransaction"})
	r := cli(t, srv, "", "billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--concurrency", "1")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "migration-summary.txt", normalize(r.stdout, dir))
	golden(t, "migration-progress.txt", r.stderr)
	b, err := os.ReadFile(filepath.Join(dir, "in.results.csv"))
	require.NoError(t, err)
	golden(t, "migration-results.csv", string(b))
	// The same file again, in JSON: every row done before, nothing sent.
	r = cli(t, srv, "", "billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "migration-rerun.json", normalize(r.stdout, dir))
	assert.Len(t, srv.RequestsFor("SetBillingAgreementDetails"), 2)
	assert.Equal(t, "MerchantInitiatedTransaction", srv.RequestsFor("SetBillingAgreementDetails")[0].Params.Get("BillingAgreementAttributes.BillingAgreementType"))
	assert.Equal(t, "CustomerInitiatedTransaction", srv.RequestsFor("SetBillingAgreementDetails")[1].Params.Get("BillingAgreementAttributes.BillingAgreementType"))
}

func TestProgressBarOnATerminalPlainLinesOtherwise(t *testing.T) {
	srv := newSandbox(t)
	var lines []string
	for range 3 {
		lines = append(lines, openBillingAgreement(t, srv))
	}
	dir := t.TempDir()
	in := writeCSV(t, dir, "in.csv", append([]string{"billing_agreement_id"}, lines...))
	args := []string{"billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction",
		"--quota", "SetBillingAgreementDetails=10/1ms", "--quota", "ValidateBillingAgreement=10/1ms"}
	r := cliWith(t, srv, func(a *app) { a.terminal = func(io.Writer) bool { return true } }, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "updating")
	assert.Contains(t, r.stderr, "100%")
	assert.Contains(t, r.stderr, "(3/3")
	assert.NotContains(t, r.stderr, "progress: ")

	require.NoError(t, os.Remove(filepath.Join(dir, "in.results.csv")))
	r = cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "progress: 1/3 (33%) Updated 1\nprogress: 2/3 (66%) Updated 2\nprogress: 3/3 (100%) Updated 3\n", r.stderr)
}
