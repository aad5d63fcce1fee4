package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the output")

var ctx = context.Background()

const (
	okURL   = "https://shop.example/amazon/ok"
	failURL = "https://shop.example/amazon/fail"
)

// start is the fixed sandbox time of golden tests.
var start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// newSandbox starts a deterministic sandbox (seeded ids, frozen clock) that
// is closed when the test ends.
func newSandbox(t *testing.T, opts ...amazonpaytest.Option) *amazonpaytest.Server {
	t.Helper()
	base := []amazonpaytest.Option{amazonpaytest.WithSeed(1), amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start)}
	srv := amazonpaytest.NewServer(append(base, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// sandboxEnv is the AMAZON_PAY_* environment of srv.
func sandboxEnv(srv *amazonpaytest.Server) map[string]string {
	return map[string]string{
		amazonpay.EnvSellerID:    srv.SellerID(),
		amazonpay.EnvAccessKeyID: srv.AccessKeyID(),
		amazonpay.EnvSecretKey:   srv.SecretKey(),
		amazonpay.EnvRegion:      string(srv.Region()),
		envSandboxURL:            srv.URL,
	}
}

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the command line in process against srv (nil: no sandbox, no
// credentials), on the sandbox clock, with fast retries.
func cli(t *testing.T, srv *amazonpaytest.Server, stdin string, args ...string) result {
	t.Helper()
	return cliWith(t, srv, nil, stdin, args...)
}

func cliWith(t *testing.T, srv *amazonpaytest.Server, tweak func(*app), stdin string, args ...string) result {
	t.Helper()
	return cliCtx(ctx, t, srv, tweak, stdin, args...)
}

func cliCtx(c context.Context, t *testing.T, srv *amazonpaytest.Server, tweak func(*app), stdin string, args ...string) result {
	t.Helper()
	env := map[string]string{}
	var stdout, stderr bytes.Buffer
	a := &app{ctx: c, stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		now: time.Now, newReferenceID: func() string { return "cli-ref-0001" }, terminal: func(io.Writer) bool { return false }}
	if srv != nil {
		env = sandboxEnv(srv)
		a.now = srv.Now
		a.httpClient = srv.Client()
		a.retryPolicy = &amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}
	}
	a.getenv = func(k string) string { return env[k] }
	if tweak != nil {
		tweak(a)
	}
	code := a.run(args)
	return result{stdout.String(), stderr.String(), code}
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: run go test -update")
	require.Equal(t, string(want), got, "output differs from %s (go test -update rewrites it)", path)
}

func eur(amount string) *amazonpay.Price {
	return &amazonpay.Price{Amount: amount, CurrencyCode: "EUR"}
}

// openOrder drives an order reference to Open: the buyer signs in, the
// shop sets the total and confirms with the Confirmation Flow URLs.
func openOrder(t *testing.T, srv *amazonpaytest.Server, total string) string {
	t.Helper()
	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur(total)}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	return id
}

// authorizedOrder is openOrder, the buyer's passed Confirmation Flow and a
// synchronous authorization of the total.
func authorizedOrder(t *testing.T, srv *amazonpaytest.Server, total string) (oroID, authID string) {
	t.Helper()
	oroID = openOrder(t, srv, total)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), oroID)
	require.NoError(t, err)
	require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	out, err := srv.AmazonPay().Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: oroID, AuthorizationReferenceID: "auth-1",
		AuthorizationAmount: eur(total), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	require.Equal(t, amazonpay.AuthorizationOpen, out.AuthorizationDetails.AuthorizationStatus.State)
	return oroID, out.AuthorizationDetails.AmazonAuthorizationID
}

// openBillingAgreement is a confirmed billing agreement whose buyer passed
// the Confirmation Flow, without a BillingAgreementType: as one made
// before PSD2.
func openBillingAgreement(t *testing.T, srv *amazonpaytest.Server) string {
	t.Helper()
	id := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, err := srv.AmazonPay().ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	return id
}

type cobraCommand = cobra.Command

const amazonpayBuyerEmail = "buyer@example.com"

func joinLines(lines []string) string { return strings.Join(lines, "\n") + "\n" }

// cliBench is cli for benchmarks: the real retry policy's shape with short
// waits, the sandbox's clock.
func cliBench(srv *amazonpaytest.Server, args ...string) result {
	var stdout, stderr bytes.Buffer
	env := sandboxEnv(srv)
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] },
		now: srv.Now, httpClient: srv.Client(), newReferenceID: amazonpay.NewReferenceID, terminal: func(io.Writer) bool { return false },
		retryPolicy: &amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}}
	code := a.run(args)
	return result{stdout.String(), stderr.String(), code}
}
