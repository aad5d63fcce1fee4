package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// settings are the parsed command line.
type settings struct {
	listen, listenTLS string
	proxy, caOut      string
	logFormat         string
	version           bool
	notify            []string
	notifyVersion     int
	opts              []amazonpaytest.Option
}

// errHelp ends a run that printed --help.
var errHelp = errors.New("help requested")

const usageHead = `amazonpaytest is the offline Amazon Pay (MWS) sandbox as a program, for shops in any language.

Usage:
  amazonpaytest [flags]

It serves the MWS API (/OffAmazonPayments_Sandbox/2013-01-01, or /OffAmazonPayments/2013-01-01
with --live), the Confirmation Flow page, the fake widgets (/widgets/Widgets.js), Login with
Amazon (/auth/o2/tokeninfo, /user/profile) and the control API (/_sandbox/v1/, see
amazonpaytest/SERVER.md) over plain HTTP on --listen, and over HTTPS on --listen-tls. With --proxy it is also an HTTPS forward
proxy for Amazon's own hosts (MWS, Login with Amazon, the widgets' script hosts and the SNS
certificate hosts), with a CA made at start (--ca-out, and GET /_sandbox/v1/ca.pem): a client
that sets HTTPS_PROXY and trusts that CA talks to the sandbox with its production configuration.
Other hosts are refused, never tunnelled. SIGINT or SIGTERM stops it within 5 seconds.

Flags:
`

// parseFlags reads args. Every amazonpaytest.Option has a flag, but
// WithThrottleClock (a Go func) and the ones only tests need.
func parseFlags(args []string, stdout, stderr io.Writer) (*settings, error) {
	s := &settings{}
	fs := flag.NewFlagSet("amazonpaytest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
	}
	var opts []amazonpaytest.Option
	add := func(o ...amazonpaytest.Option) { opts = append(opts, o...) }

	fs.StringVar(&s.listen, "listen", "127.0.0.1:8080", "serve the sandbox and the control API over plain HTTP on `ADDR` (empty: not at all)")
	fs.StringVar(&s.listenTLS, "listen-tls", "", "serve what --listen serves over HTTPS on `ADDR` too (empty: not at all), with a certificate of the proxy's CA for the name or address asked: for clients that take only an https endpoint, as the PHP SDK's override_service_url")
	fs.StringVar(&s.proxy, "proxy", "", "run the HTTPS forward proxy for Amazon's hosts on `ADDR` (empty: none); clients set HTTPS_PROXY=http://ADDR")
	fs.StringVar(&s.caOut, "ca-out", "", "write the proxy's CA certificate (PEM) to `FILE`, for the clients to trust")
	fs.StringVar(&s.logFormat, "log-format", "text", "request log on stderr: text or json (log/slog)")
	fs.BoolVar(&s.version, "version", false, "print the version and exit")

	sellerID := fs.String("seller-id", amazonpaytest.DefaultSellerID, "the merchant (seller) id requests must carry")
	accessKey := fs.String("access-key-id", amazonpaytest.DefaultAccessKeyID, "the MWS access key id requests must be signed with")
	secretKey := fs.String("secret-key", amazonpaytest.DefaultSecretKey, "the MWS secret key requests must be signed with")
	clientID := fs.String("client-id", amazonpaytest.DefaultClientID, "the Login with Amazon client id the access tokens are issued to")
	region := fs.String("region", string(amazonpay.RegionDE), "the marketplace: de, uk, us, jp (also eu, na); SCA applies in de and uk")
	fs.BoolFunc("live", "behave as MWS production: ids P01-/B01-, /OffAmazonPayments/2013-01-01, ReleaseEnvironment Live, 30-day authorizations", func(string) error {
		add(amazonpaytest.WithLive())
		return nil
	})
	throttling := fs.String("throttling", "off", "enforce the documented quotas (503 RequestThrottled): off, sandbox or live")
	fs.Func("quota", "`ACTION=BURST/EVERY`: override one operation's quota and throttle it, e.g. Authorize=10/1s (repeatable)", func(v string) error {
		action, q, err := parseQuota(v)
		if err == nil {
			add(amazonpaytest.WithQuota(action, q))
		}
		return err
	})
	fs.Func("start-time", "start the sandbox clock at this `RFC3339` time (default: now)", func(v string) error {
		t, err := time.Parse(time.RFC3339, v)
		if err == nil {
			add(amazonpaytest.WithStartTime(t))
		}
		return err
	})
	fs.BoolFunc("frozen-clock", "the sandbox clock stands still unless the control API's advance moves it (default: it follows the wall clock)", func(string) error {
		add(amazonpaytest.WithFrozenClock())
		return nil
	})
	fs.BoolFunc("timestamp-window-wall", "judge the 15-minute Timestamp window against the wall clock, so clients stamping real time keep working after advance", func(string) error {
		add(amazonpaytest.WithWallClockTimestampWindow())
		return nil
	})
	durationFlag(fs, "processing-delay", "how long asynchronous work takes on the sandbox clock (default 30s)", func(d time.Duration) {
		add(amazonpaytest.WithProcessingDelay(d))
	})
	durationFlag(fs, "authorization-lifetime", "when an Open authorization closes with ExpiredUnused (default 48h, 720h with --live)", func(d time.Duration) {
		add(amazonpaytest.WithAuthorizationLifetime(d))
	})
	durationFlag(fs, "immediate-authorization-window", "how long an order reference confirmed with ExpectImmediateAuthorization waits for Authorize (default 50m)", func(d time.Duration) {
		add(amazonpaytest.WithImmediateAuthorizationWindow(d))
	})
	fs.BoolFunc("allow-listed", "the sellers are allow-listed for BillingAddress, PaymentReference and AuthorizationBillingAddress", func(string) error {
		add(amazonpaytest.WithAllowListed())
		return nil
	})
	fs.Func("seed", "make the generated ids reproducible with seed `N`", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err == nil {
			add(amazonpaytest.WithSeed(n))
		}
		return err
	})
	fs.Func("delegated-seller", "`SELLER=MWSAUTHTOKEN`: a seller the developer may act for (repeatable)", func(v string) error {
		seller, token, ok := strings.Cut(v, "=")
		if !ok || seller == "" || token == "" {
			return errors.New("want SELLER=MWSAUTHTOKEN")
		}
		add(amazonpaytest.WithDelegatedSeller(seller, token))
		return nil
	})
	fs.Func("notify", "POST every signed IPN to `URL`, as SNS does (repeatable)", func(v string) error {
		s.notify = append(s.notify, v)
		return nil
	})
	fs.IntVar(&s.notifyVersion, "notify-signature-version", 1, "SNS SignatureVersion of the IPNs: 1 (RSA-SHA1, Amazon Pay's) or 2 (RSA-SHA256)")
	keep := fs.Int("keep", 0, "keep the last `N` requests and deliveries, as a ring, so a long run uses a fixed amount of memory (0: the package's default)")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	r, err := amazonpay.ParseRegion(*region)
	if err != nil {
		return nil, fmt.Errorf("--region: %v", err)
	}
	mode, ok := map[string]amazonpaytest.ThrottleMode{"off": amazonpaytest.ThrottleOff,
		"sandbox": amazonpaytest.ThrottleSandbox, "live": amazonpaytest.ThrottleLive}[*throttling]
	if !ok {
		return nil, fmt.Errorf("--throttling: want off, sandbox or live, not %q", *throttling)
	}
	if *keep < 0 {
		return nil, errors.New("--keep: want 0 or more")
	}
	if s.notifyVersion != 1 && s.notifyVersion != 2 {
		return nil, errors.New("--notify-signature-version: want 1 or 2")
	}
	if s.logFormat != "text" && s.logFormat != "json" {
		return nil, errors.New("--log-format: want text or json")
	}
	s.opts = append([]amazonpaytest.Option{
		amazonpaytest.WithSellerID(*sellerID),
		amazonpaytest.WithCredentials(*accessKey, *secretKey),
		amazonpaytest.WithClientID(*clientID),
		amazonpaytest.WithRegion(r),
		amazonpaytest.WithThrottling(mode),
	}, opts...)
	if *keep > 0 {
		s.opts = append(s.opts, amazonpaytest.WithKeep(*keep))
	}
	return s, nil
}

func durationFlag(fs *flag.FlagSet, name, usage string, set func(time.Duration)) {
	fs.Func(name, "`DURATION`: "+usage, func(v string) error {
		d, err := time.ParseDuration(v)
		if err == nil {
			set(d)
		}
		return err
	})
}

// parseQuota reads ACTION=BURST/EVERY.
func parseQuota(v string) (string, amazonpaytest.Quota, error) {
	action, rest, ok := strings.Cut(v, "=")
	burst, every, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || action == "" {
		return "", amazonpaytest.Quota{}, errors.New("want ACTION=BURST/EVERY, e.g. Authorize=10/1s")
	}
	b, err := strconv.Atoi(burst)
	if err != nil || b < 1 {
		return "", amazonpaytest.Quota{}, errors.New("BURST must be a whole number of 1 or more")
	}
	d, err := time.ParseDuration(every)
	if err != nil || d <= 0 {
		return "", amazonpaytest.Quota{}, errors.New("EVERY must be a positive duration such as 1s")
	}
	return action, amazonpaytest.Quota{Burst: b, Every: d}, nil
}
