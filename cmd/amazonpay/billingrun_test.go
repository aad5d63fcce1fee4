package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBillingRunStoppedResumedAndRerunMovesNoMoney(t *testing.T) {
	const n = 60
	quota := amazonpay.Quota{Burst: 4, Every: 2 * time.Millisecond}
	srv := newSandbox(t, amazonpaytest.WithQuota("AuthorizeOnBillingAgreement", quota), amazonpaytest.WithThrottleClock(time.Now))
	lines := []string{"billing_agreement_id,amount,currency,seller_order_id"}
	var ids []string
	for range n {
		id := openBillingAgreement(t, srv)
		ids = append(ids, id)
		lines = append(lines, id+",9.99,EUR,sub-"+id[4:11])
	}
	declined := openBillingAgreement(t, srv)
	require.NoError(t, srv.SelectPaymentMethod(declined, amazonpaytest.PaymentMethodInvalid))
	lines = append(lines, declined+",9.99,EUR,")
	dir := t.TempDir()
	in := writeCSV(t, dir, "subscribers.csv", lines)
	args := []string{"billing-run", "--csv", in, "--period", "2026-12", "--quota", "AuthorizeOnBillingAgreement=4/2ms"}

	c, cancel := context.WithCancel(ctx)
	defer cancel()
	r := cliCtx(c, t, srv, func(a *app) {
		a.rowHook = func(done int) {
			if done == n/2 {
				cancel()
			}
		}
	}, "", args...)
	assert.Equal(t, exitFailed, r.code, r.stderr)
	assert.Contains(t, r.stdout, "To resume: amazonpay billing-run")
	stopped := srv.MoneyMovements().Authorizations
	assert.Less(t, stopped, n+1)

	r = cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, n+1, srv.MoneyMovements().Authorizations, "one authorization per agreement (the declined one included)")
	_, results, records := readResults(t, filepath.Join(dir, "subscribers.results.csv"))
	assert.Equal(t, n+1, records)
	for _, id := range ids {
		assert.Equal(t, "Charged", results[id][1], id)
		assert.Equal(t, "Open", results[id][3])
		assert.Equal(t, amazonpay.ChargeReferenceID(id, "2026-12"), results[id][6])
	}
	assert.Equal(t, "NeedsBuyer", results[declined][1])
	assert.Equal(t, "InvalidPaymentMethod", results[declined][4])
	before := srv.MoneyMovements()
	authorizeCalls := len(srv.RequestsFor("AuthorizeOnBillingAgreement"))

	// The same run again: nothing sent.
	r = cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, authorizeCalls, len(srv.RequestsFor("AuthorizeOnBillingAgreement")))
	// Without the results file: every charge sent again, none made again.
	require.NoError(t, os.Remove(filepath.Join(dir, "subscribers.results.csv")))
	r = cli(t, srv, "", append(args, "--json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Greater(t, len(srv.RequestsFor("AuthorizeOnBillingAgreement")), authorizeCalls)
	assert.Equal(t, before, srv.MoneyMovements(), "a re-run moved money")

	// Another period's results file is refused.
	r = cli(t, srv, "", "billing-run", "--csv", in, "--period", "2027-01")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "holds another period's charges")
	assert.Equal(t, before, srv.MoneyMovements())
}

func TestBillingRunBadRowsAndGolden(t *testing.T) {
	srv := newSandbox(t)
	id := openBillingAgreement(t, srv)
	dir := t.TempDir()
	bad := writeCSV(t, dir, "bad.csv", []string{"billing_agreement_id,amount,currency", id + ",9.99,EUR", "B01-1,9.99,EUR", "C02-1111111-1111111,,EUR", "C02-2222222-2222222,9.99,XYZ", id + ",1.00,EUR"})
	r := cli(t, srv, "", "billing-run", "--csv", bad, "--period", "2026-12")
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, srv.RequestsFor("AuthorizeOnBillingAgreement"))
	golden(t, "billing-run-bad-rows.txt", normalize(r.stderr, dir))

	in := writeCSV(t, dir, "in.csv", []string{"billing_agreement_id,amount", id + ",9.99"})
	r = cli(t, srv, "", "billing-run", "--csv", in, "--period", "2026-12")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "billing-run-summary.txt", normalize(r.stdout, dir))
	r = cli(t, srv, "", "billing-run", "--csv", in, "--period", "2026-12", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "billing-run-summary.json", normalize(r.stdout, dir))
	b, err := os.ReadFile(filepath.Join(dir, "in.results.csv"))
	require.NoError(t, err)
	golden(t, "billing-run-results.csv", string(b))
}
