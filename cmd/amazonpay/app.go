package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

// Exit codes: the contract of DESIGN.md.
const (
	exitOK        = 0 // success
	exitFailed    = 1 // an operation failed (Amazon refused, the network failed, a row failed)
	exitUsage     = 2 // bad usage or input; nothing was sent
	exitNotSent   = 3 // a money command was shown but not sent (no --yes)
	envSandboxURL = "AMAZON_PAY_SANDBOX_URL"
)

// app is one invocation: its streams, its environment and the few things a
// test replaces (the clock, the HTTP client, the retry policy, the reference
// id generator). run builds the real one.
type app struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	now            func() time.Time
	httpClient     *http.Client           // nil: one of our own with timeouts
	retryPolicy    *amazonpay.RetryPolicy // nil: the library's default
	newReferenceID func() string
	// terminal reports whether w is an interactive terminal (progress bar
	// instead of periodic lines).
	terminal func(w io.Writer) bool
	// certRoots and certClient replace the system roots and the fetching
	// of signing certificates in ipn verify (tests: amazonpaytest's CA).
	// rowHook, if set, is called after each row of a batch command with
	// how many are done (tests stop a run part-way through).
	rowHook    func(done int)
	certRoots  *x509.CertPool
	certClient *http.Client

	flags globalFlags
	// throttles counts the 503 answers of this invocation (throttling and
	// unavailability), for the batch commands' summaries.
	throttles *countingTransport
}

type globalFlags struct {
	json          bool
	sellerID      string
	accessKey     string
	secretKeyFile string
	region        string
	live          bool
	sandbox       bool
	currency      string
	sandboxURL    string
	mwsAuthToken  string
	quotas        []string
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv,
		now: time.Now, newReferenceID: amazonpay.NewReferenceID, terminal: isTerminal}
	return a.run(args)
}

func (a *app) run(args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(a.ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// cobra's own errors: unknown command or flag, wrong argument count.
		ee = &exitError{code: exitUsage, err: err}
	}
	if ee.err != nil {
		msg := oneLine(ee.err.Error())
		if !strings.HasPrefix(msg, "amazonpay") {
			msg = "amazonpay: " + msg
		}
		_, _ = fmt.Fprintln(a.stderr, msg)
		if ee.code == exitUsage && !ee.input {
			_, _ = fmt.Fprintln(a.stderr, "Run 'amazonpay --help' for usage.")
		}
	}
	return ee.code
}

// exitError carries the exit code of a failed command. err, if set, is
// printed on one line.
type exitError struct {
	code  int
	err   error
	input bool // bad input (a file, an id), not bad usage: no usage hint
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr is bad usage: exit 2.
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// inputErr is bad input (a row, an id, a file): exit 2.
func inputErr(err error) error { return &exitError{code: exitUsage, err: err, input: true} }

// failed classifies an error of an operation: input the library refused
// before sending is exit 2, anything else exit 1.
func failed(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	var ve *amazonpay.ValidationError
	if errors.As(err, &ve) {
		return inputErr(err)
	}
	return &exitError{code: exitFailed, err: err}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "amazonpay",
		Short: "Look up, explain and act on Amazon Pay (MWS) payments",
		Long: `amazonpay looks up Amazon Pay (MWS) objects, explains their codes, captures,
refunds, closes and cancels, verifies saved IPNs, and runs the batch jobs:
the PSD2 billing agreement migration and the monthly billing run.

Credentials come from the AMAZON_PAY_* variables (AMAZON_PAY_SELLER_ID,
AMAZON_PAY_ACCESS_KEY, AMAZON_PAY_SECRET_KEY, AMAZON_PAY_REGION,
AMAZON_PAY_SANDBOX, AMAZON_PAY_CURRENCY); flags override them. The sandbox is
used unless AMAZON_PAY_SANDBOX=false or --live.

Exit codes: 0 success, 1 a failed operation, 2 bad usage or input (nothing
sent), 3 a money command shown but not sent (no --yes).`,
		Example: `  export AMAZON_PAY_SELLER_ID=A1EXAMPLE AMAZON_PAY_ACCESS_KEY=AKIA... AMAZON_PAY_REGION=de
  export AMAZON_PAY_SECRET_KEY=...
  amazonpay get S02-1234567-1234567
  amazonpay explain PaymentAuthorizationRequired
  amazonpay --sandbox-url http://127.0.0.1:8080 status`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	f := root.PersistentFlags()
	f.BoolVar(&a.flags.json, "json", false, "print machine-readable JSON")
	f.StringVar(&a.flags.sellerID, "seller-id", "", "merchant (seller) id; overrides "+amazonpay.EnvSellerID)
	f.StringVar(&a.flags.accessKey, "access-key", "", "MWS access key id; overrides "+amazonpay.EnvAccessKeyID)
	f.StringVar(&a.flags.secretKeyFile, "secret-key-file", "", "file holding the MWS secret key; overrides "+amazonpay.EnvSecretKey+" (never a flag value: it would show in ps)")
	f.StringVar(&a.flags.region, "region", "", "us, na, uk, de, eu or jp; overrides "+amazonpay.EnvRegion)
	f.BoolVar(&a.flags.live, "live", false, "use production (real money); overrides "+amazonpay.EnvSandbox)
	f.BoolVar(&a.flags.sandbox, "sandbox", false, "use the sandbox; overrides "+amazonpay.EnvSandbox)
	f.StringVar(&a.flags.currency, "currency-default", "", "currency of amounts given without one; overrides "+amazonpay.EnvCurrency)
	f.StringVar(&a.flags.sandboxURL, "sandbox-url", "", "base URL of an amazonpaytest sandbox, e.g. http://127.0.0.1:8080 (or "+envSandboxURL+")")
	f.StringVar(&a.flags.mwsAuthToken, "mws-auth-token", "", "MWSAuthToken, to act for another seller (delegated access)")
	f.StringArrayVar(&a.flags.quotas, "quota", nil, "client-side quota of an operation, e.g. SetBillingAgreementDetails=10/1s (repeatable; default: the documented quotas)")

	root.AddCommand(
		a.getCommand(), a.listCommand(), a.statusCommand(),
		a.captureCommand(), a.refundCommand(), a.closeCommand(), a.cancelCommand(),
		a.explainCommand(), a.redirectCommand(), a.ipnCommand(),
		a.billingAgreementsCommand(), a.billingRunCommand(),
	)
	for _, c := range root.Commands() {
		wrapRunE(c)
	}
	return root
}

// wrapRunE classifies every command's error into an exit code.
func wrapRunE(c *cobra.Command) {
	if c.RunE != nil {
		runE := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error { return failed(runE(cmd, args)) }
	}
	if c.Args != nil {
		argsFn := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := argsFn(cmd, args); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapRunE(sub)
	}
}

// config is the client configuration: AMAZON_PAY_* as ConfigFromEnv reads
// them, then the flags. A missing value is a *ValidationError naming the
// variable and the flag.
func (a *app) config() (amazonpay.Config, error) {
	const op = "config"
	env := func(name string) string { return strings.TrimSpace(a.getenv(name)) }
	cfg := amazonpay.Config{
		SellerID:     firstNonEmpty(a.flags.sellerID, env(amazonpay.EnvSellerID)),
		AccessKeyID:  firstNonEmpty(a.flags.accessKey, env(amazonpay.EnvAccessKeyID)),
		CurrencyCode: strings.ToUpper(firstNonEmpty(a.flags.currency, env(amazonpay.EnvCurrency))),
		PlatformID:   env(amazonpay.EnvPlatformID),
		ClientID:     env(amazonpay.EnvClientID),
		Sandbox:      true,
	}
	if a.flags.secretKeyFile != "" {
		b, err := os.ReadFile(a.flags.secretKeyFile)
		if err != nil {
			return cfg, &amazonpay.ValidationError{Operation: op, Field: "--secret-key-file", Reason: "cannot be read"}
		}
		cfg.SecretKey = strings.TrimSpace(string(b))
	} else {
		cfg.SecretKey = env(amazonpay.EnvSecretKey)
	}
	for _, req := range []struct{ v, env, flag string }{
		{cfg.SellerID, amazonpay.EnvSellerID, "--seller-id"},
		{cfg.AccessKeyID, amazonpay.EnvAccessKeyID, "--access-key"},
		{cfg.SecretKey, amazonpay.EnvSecretKey, "--secret-key-file"},
	} {
		if req.v == "" {
			return cfg, &amazonpay.ValidationError{Operation: op, Field: req.env, Reason: "is not set (nor " + req.flag + ")"}
		}
	}
	regionName := firstNonEmpty(a.flags.region, env(amazonpay.EnvRegion))
	if regionName == "" {
		return cfg, &amazonpay.ValidationError{Operation: op, Field: amazonpay.EnvRegion, Reason: "is not set (nor --region)"}
	}
	region, err := amazonpay.ParseRegion(regionName)
	if err != nil {
		return cfg, &amazonpay.ValidationError{Operation: op, Field: "--region", Reason: "is not one of us, na, uk, de, eu, jp"}
	}
	cfg.Region = region
	if v := env(amazonpay.EnvSandbox); v != "" {
		if b, err := strconv.ParseBool(v); err == nil {
			cfg.Sandbox = b // as ConfigFromEnv: only a false value means live
		}
	}
	switch {
	case a.flags.live && a.flags.sandbox:
		return cfg, usageErr("--live and --sandbox exclude each other")
	case a.flags.live:
		cfg.Sandbox = false
	case a.flags.sandbox:
		cfg.Sandbox = true
	}
	return cfg, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// client builds the client. batch clients pace from their first call with
// the documented quotas (or --quota), so that a run of thousands of calls
// takes the time the quota allows instead of being throttled.
func (a *app) client(batch bool) (*amazonpay.Client, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	hc := a.httpClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	a.throttles = &countingTransport{base: base}
	counted := *hc
	counted.Transport = a.throttles
	opts := []amazonpay.Option{amazonpay.WithHTTPClient(&counted), amazonpay.WithClock(a.now),
		amazonpay.WithAppInfo("amazonpay-cli", amazonpay.SDKVersion)}
	if u := firstNonEmpty(a.flags.sandboxURL, a.getenv(envSandboxURL)); u != "" {
		opts = append(opts, amazonpay.WithEndpoint(u))
	}
	if a.retryPolicy != nil {
		opts = append(opts, amazonpay.WithRetryPolicy(*a.retryPolicy))
	}
	quotas, err := parseQuotas(a.flags.quotas)
	if err != nil {
		return nil, err
	}
	if batch || len(quotas) > 0 {
		opts = append(opts, amazonpay.WithRateLimiter(amazonpay.NewLocalLimiter(amazonpay.Quotas{Sandbox: cfg.Sandbox, Override: quotas})))
	}
	return amazonpay.NewClient(cfg, opts...)
}

// callOptions are the per-call options of the global flags.
func (a *app) callOptions() []amazonpay.CallOption {
	if a.flags.mwsAuthToken == "" {
		return nil
	}
	return []amazonpay.CallOption{amazonpay.WithMWSAuthToken(a.flags.mwsAuthToken)}
}

// parseQuotas reads --quota Action=BURST/EVERY values.
func parseQuotas(specs []string) (map[string]amazonpay.Quota, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	out := map[string]amazonpay.Quota{}
	for _, s := range specs {
		action, q, ok := strings.Cut(s, "=")
		burst, every, ok2 := strings.Cut(q, "/")
		var b int
		_, err := fmt.Sscanf(burst, "%d", &b)
		d, err2 := time.ParseDuration(every)
		if !ok || !ok2 || action == "" || err != nil || err2 != nil || b < 1 || d <= 0 {
			return nil, usageErr("--quota %q: want ACTION=BURST/EVERY, e.g. SetBillingAgreementDetails=10/1s", s)
		}
		out[action] = amazonpay.Quota{Burst: b, Every: d}
	}
	return out, nil
}

// countingTransport counts 503 answers (throttled or unavailable).
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusServiceUnavailable {
		t.n.Add(1)
	}
	return resp, err
}

func (t *countingTransport) count() int64 {
	if t == nil {
		return 0
	}
	return t.n.Load()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
