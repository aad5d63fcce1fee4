package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMigrationSIGKILLThenResume runs the built binary, kills it with
// SIGKILL (no chance to clean up) once it has reported progress, and
// resumes: every agreement's details are set exactly once, including the
// ones whose SetBillingAgreementDetails was in flight at the kill.
func TestMigrationSIGKILLThenResume(t *testing.T) {
	const n = 200
	bin := filepath.Join(t.TempDir(), "amazonpay")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	quota := amazonpay.Quota{Burst: 2, Every: 5 * time.Millisecond}
	srv := amazonpaytest.NewServer(amazonpaytest.WithQuota("SetBillingAgreementDetails", quota),
		amazonpaytest.WithQuota("ValidateBillingAgreement", quota), amazonpaytest.WithThrottleClock(time.Now))
	t.Cleanup(srv.Close)
	lines := []string{"billing_agreement_id"}
	var ids []string
	for range n {
		id := openBillingAgreement(t, srv)
		ids = append(ids, id)
		lines = append(lines, id)
	}
	dir := t.TempDir()
	in := writeCSV(t, dir, "agreements.csv", lines)
	args := []string{"billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--concurrency", "4",
		"--quota", "SetBillingAgreementDetails=2/5ms", "--quota", "ValidateBillingAgreement=2/5ms"}

	cmd := exec.Command(bin, args...)
	for k, v := range sandboxEnv(srv) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "progress: ") {
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			break
		}
	}
	err = cmd.Wait()
	require.Error(t, err, "the run ended before the kill")
	killedAt := len(appliedPerID(srv, "SetBillingAgreementDetails"))
	require.Less(t, killedAt, n, "the run ended before the kill")

	r := cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr+r.stdout)
	sets := appliedPerID(srv, "SetBillingAgreementDetails")
	_, results, records := readResults(t, filepath.Join(dir, "agreements.results.csv"))
	assert.Equal(t, n, records)
	for _, id := range ids {
		assert.Equal(t, 1, sets[id], "SetBillingAgreementDetails of %s", id)
		assert.Equal(t, "Updated", results[id][1], id)
	}
	t.Logf("killed after %d of %d agreements; resumed: %s", killedAt, n, strings.ReplaceAll(strings.TrimSpace(r.stdout), "\n", ";"))
}

// TestMigrationClientFasterThanQuota: a client told a larger quota than
// the sandbox enforces is throttled; rows whose retries run out are
// recorded as Error and the re-run finishes them, still setting each
// agreement once.
func TestMigrationClientFasterThanQuota(t *testing.T) {
	const n = 100
	quota := amazonpay.Quota{Burst: 2, Every: 3 * time.Millisecond}
	srv := newSandbox(t, amazonpaytest.WithQuota("SetBillingAgreementDetails", quota),
		amazonpaytest.WithQuota("ValidateBillingAgreement", quota), amazonpaytest.WithThrottleClock(time.Now))
	lines := []string{"billing_agreement_id"}
	var ids []string
	for range n {
		id := openBillingAgreement(t, srv)
		ids = append(ids, id)
		lines = append(lines, id)
	}
	dir := t.TempDir()
	in := writeCSV(t, dir, "in.csv", lines)
	args := []string{"billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--concurrency", "8",
		"--quota", "SetBillingAgreementDetails=1000/1us", "--quota", "ValidateBillingAgreement=1000/1us"}
	for run := 1; run <= 30; run++ {
		r := cli(t, srv, "", args...)
		if r.code == exitOK {
			t.Logf("done after %d run(s)", run)
			break
		}
		require.Equal(t, exitFailed, r.code, r.stderr)
		assert.Contains(t, r.stderr, "re-run the same command to retry them")
	}
	throttled := 0
	for _, q := range srv.Requests() {
		if q.ErrorCode == "RequestThrottled" {
			throttled++
		}
	}
	assert.Greater(t, throttled, 0, "the sandbox never throttled: the test proves nothing")
	sets := appliedPerID(srv, "SetBillingAgreementDetails")
	_, results, _ := readResults(t, filepath.Join(dir, "in.results.csv"))
	for _, id := range ids {
		assert.Equal(t, 1, sets[id], id)
		assert.Equal(t, "Updated", results[id][1], id)
	}
}

// TestMigrationRowInFlightAtAKillIsLookedUp: a results file whose last
// record of an agreement is Started (the process died waiting for
// SetBillingAgreementDetails): the resume looks the agreement up and does
// not set it again when the call had landed; when it had not, it sets it.
func TestMigrationRowInFlightAtAKillIsLookedUp(t *testing.T) {
	srv := newSandbox(t)
	landed, lost := openBillingAgreement(t, srv), openBillingAgreement(t, srv)
	_, err := srv.AmazonPay().SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{AmazonBillingAgreementID: landed,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{BillingAgreementType: amazonpay.MerchantInitiatedTransaction}})
	require.NoError(t, err)
	dir := t.TempDir()
	in := writeCSV(t, dir, "in.csv", []string{"billing_agreement_id", landed, lost})
	writeCSV(t, dir, "in.results.csv", []string{strings.Join(updateResultsHeader, ","),
		landed + ",Started,,,,no,", lost + ",Started,,,,no,", lost + ",Updat"}) // the last record cut short
	r := cli(t, srv, "", "billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction", "--quota", "SetBillingAgreementDetails=2/1ms")
	require.Equal(t, exitOK, r.code, r.stderr)
	sets := appliedPerID(srv, "SetBillingAgreementDetails")
	assert.Equal(t, 1, sets[landed], "set again although it had landed")
	assert.Equal(t, 1, sets[lost])
	assert.Len(t, srv.RequestsFor("GetBillingAgreementDetails"), 2)
	_, results, _ := readResults(t, filepath.Join(dir, "in.results.csv"))
	assert.Equal(t, "Updated", results[landed][1])
	assert.Equal(t, "Updated", results[lost][1])
}

// TestMigrationCtrlCStopsCleanly sends the built binary SIGINT, as Ctrl-C
// does: it finishes the calls in flight, records them, prints how to
// resume and exits 1; the resume finishes the rest, each agreement once.
func TestMigrationCtrlCStopsCleanly(t *testing.T) {
	const n = 100
	bin := filepath.Join(t.TempDir(), "amazonpay")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	quota := amazonpay.Quota{Burst: 2, Every: 5 * time.Millisecond}
	srv := amazonpaytest.NewServer(amazonpaytest.WithQuota("SetBillingAgreementDetails", quota),
		amazonpaytest.WithQuota("ValidateBillingAgreement", quota), amazonpaytest.WithThrottleClock(time.Now))
	t.Cleanup(srv.Close)
	lines := []string{"billing_agreement_id"}
	var ids []string
	for range n {
		id := openBillingAgreement(t, srv)
		ids = append(ids, id)
		lines = append(lines, id)
	}
	dir := t.TempDir()
	in := writeCSV(t, dir, "agreements.csv", lines)
	args := []string{"billing-agreements", "update", "--csv", in, "--type", "MerchantInitiatedTransaction",
		"--quota", "SetBillingAgreementDetails=2/5ms", "--quota", "ValidateBillingAgreement=2/5ms"}
	cmd := exec.Command(bin, args...)
	for k, v := range sandboxEnv(srv) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout strings.Builder
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stderr)
	var rest []string
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "progress: 10/") {
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
		}
		rest = append(rest, sc.Text())
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "stderr: %s", rest)
	assert.Equal(t, exitFailed, ee.ExitCode())
	assert.Contains(t, stdout.String(), "Interrupted: the calls in flight finished and are recorded. To resume: amazonpay billing-agreements update")
	_, partial, _ := readResults(t, filepath.Join(dir, "agreements.results.csv"))
	for id, rec := range partial {
		assert.NotContains(t, []string{"Started", "DetailsSet"}, rec[1], "%s: a call in flight was abandoned", id)
	}
	stoppedAt := len(appliedPerID(srv, "SetBillingAgreementDetails"))
	require.Less(t, stoppedAt, n)

	r := cli(t, srv, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	sets := appliedPerID(srv, "SetBillingAgreementDetails")
	for _, id := range ids {
		assert.Equal(t, 1, sets[id], id)
	}
}
