package main

import (
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCaptureWithoutYesShowsTheRequestAndSendsNothing(t *testing.T) {
	srv := newSandbox(t)
	_, auth := authorizedOrder(t, srv, "10.00")
	before := len(srv.Requests())

	r := cli(t, srv, "", "capture", auth, "--amount", "10.00")
	assert.Equal(t, exitNotSent, r.code, r.stderr)
	assert.Equal(t, before, len(srv.Requests()), "a dry run sent a request")
	assert.Equal(t, 0, srv.MoneyMovements().Captures)
	golden(t, "capture-dry-run.txt", r.stdout)
	r = cli(t, srv, "", "capture", auth, "--amount", "10.00", "--json")
	assert.Equal(t, exitNotSent, r.code)
	golden(t, "capture-dry-run.json", r.stdout)

	// The printed command sends it; run twice, it captures once.
	for range 2 {
		r = cli(t, srv, "", "capture", auth, "--amount", "10.00", "--reference-id", "cli-ref-0001", "--yes")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stderr, "Capture reference id: cli-ref-0001")
	}
	assert.Equal(t, 1, srv.MoneyMovements().Captures)
	golden(t, "capture-sent.txt", r.stdout)
	caps := srv.RequestsFor("Capture")
	require.Len(t, caps, 2)
	assert.Equal(t, "cli-ref-0001", caps[1].Params.Get("CaptureReferenceId"))
	assert.Equal(t, "EUR", caps[1].Params.Get("CaptureAmount.CurrencyCode"))
}

func TestRefundCloseCancel(t *testing.T) {
	srv := newSandbox(t)
	oro, auth := authorizedOrder(t, srv, "10.00")
	r := cli(t, srv, "", "capture", auth, "--amount", "10.00", "--yes", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	capID := srv.Objects("Capture")[0].ID

	r = cli(t, srv, "", "refund", capID, "--amount", "4.00", "--currency", "EUR")
	assert.Equal(t, exitNotSent, r.code)
	assert.Contains(t, r.stdout, "RefundAmount.Amount:       4.00")
	assert.Contains(t, r.stdout, "To send it: amazonpay refund "+capID+" --amount 4.00 --currency EUR --reference-id cli-ref-0001 --yes")
	assert.Equal(t, 0, srv.MoneyMovements().Refunds)
	r = cli(t, srv, "", "refund", capID, "--amount", "4.00", "--currency", "EUR", "--reference-id", "cli-ref-0001", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, srv.MoneyMovements().Refunds)
	// Too much: Amazon refuses, exit 1, one line naming the code.
	r = cli(t, srv, "", "refund", capID, "--amount", "400.00", "--reference-id", "r-2", "--yes")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "TransactionAmountExceeded")

	r = cli(t, srv, "", "cancel", oro)
	assert.Equal(t, exitNotSent, r.code)
	r = cli(t, srv, "", "cancel", oro, "--yes")
	assert.Equal(t, exitFailed, r.code, "an order with a capture cannot be canceled")
	assert.Contains(t, r.stderr, "InvalidCancelAttempt")

	r = cli(t, srv, "", "close", oro, "--reason", "shipped")
	assert.Equal(t, exitNotSent, r.code)
	assert.Contains(t, r.stdout, "ClosureReason:          shipped")
	assert.Equal(t, "Open", srv.State(oro))
	r = cli(t, srv, "", "close", oro, "--reason", "shipped", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Closed", srv.State(oro))
	assert.Contains(t, r.stdout, "Closed (SellerClosed)")

	other := openOrder(t, srv, "2.00")
	r = cli(t, srv, "", "cancel", other, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Canceled", srv.State(other))

	ba := openBillingAgreement(t, srv)
	r = cli(t, srv, "", "close", ba, "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Closed", srv.State(ba))
	r = cli(t, srv, "", "close", capID, "--yes")
	assert.Equal(t, exitUsage, r.code)
}

func TestCaptureGeneratesOneReferenceIDPerInvocation(t *testing.T) {
	srv := newSandbox(t)
	_, auth := authorizedOrder(t, srv, "10.00")
	n := 0
	r := cliWith(t, srv, func(a *app) {
		a.newReferenceID = func() string { n++; return amazonpay.NewReferenceID() }
	}, "", "capture", auth, "--amount", "5.00", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, n)
	ref := srv.RequestsFor("Capture")[0].Params.Get("CaptureReferenceId")
	assert.Contains(t, r.stderr, "--reference-id "+ref)
}
