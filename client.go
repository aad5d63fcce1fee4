package amazonpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-querystring/query"
)

// SDKVersion is the version of this package, as sent in the User-Agent.
const SDKVersion = "0.1.0"

// Client calls the MWS Amazon Pay API. It is safe for concurrent use and
// keeps no per-call state.
type Client struct {
	cfg      Config
	endpoint string // full URL requests are posted to
	// endpointURL is endpoint parsed, shared by every request: a
	// RoundTripper must not modify a request.
	endpointURL *url.URL
	profileAPI  string // Login with Amazon API base URL, e.g. https://api.sandbox.amazon.de
	host        string // signed host: host[:port] as in the Host header
	path        string // signed path
	hc          *http.Client
	now         func() time.Time
	retry       RetryPolicy
	limiter     RateLimiter // nil: no client-side pacing
	logger      *slog.Logger
	userAgent   string
	// userAgentHeader is userAgent as a header value, shared by requests.
	userAgentHeader []string
	appName         string
	appVer          string
	maxBody         int64
	macs            sync.Pool // *signingMAC keyed with the secret key
	lastTS          atomic.Pointer[formattedTime]
}

// String describes c by its seller id, region, environment and endpoint,
// never its secret key.
func (c *Client) String() string {
	if c == nil {
		return "amazonpay.Client(nil)"
	}
	return fmt.Sprintf("amazonpay.Client{SellerID:%s Region:%s Sandbox:%t Endpoint:%s}",
		c.cfg.SellerID, c.cfg.Region, c.cfg.Sandbox, redactedURL(c.endpoint))
}

// redactedURL hides a password in rawURL (an endpoint may carry one).
func redactedURL(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return u.Redacted()
	}
	return rawURL
}

// MarshalJSON encodes c as its String, never its fields.
func (c *Client) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// GoString is String for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints c as String does, whatever the verb: printing a *Client
// must not walk its fields, which hold the secret key.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue keeps the secret key out of log/slog output.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Option configures a Client in NewClient.
type Option func(*Client) error

// WithHTTPClient makes the client send with hc: its transport, proxy, TLS
// settings and timeouts. httpmock.ActivateNonDefault(hc) works on it, before
// or after NewClient. Redirects are never followed, whatever hc's
// CheckRedirect says: following one would send the signed body, the buyer's
// access token and an MWSAuthToken to another host. A 3xx is an
// *UnexpectedResponseError. hc itself is not changed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.hc = hc
		return nil
	}
}

// WithEndpoint sends requests to rawURL instead of the region's MWS host,
// e.g. an amazonpaytest server. The signed host is the URL's host[:port].
// A URL without a path gets the sandbox or live section path.
func WithEndpoint(rawURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("WithEndpoint: %q is not an absolute http(s) URL", rawURL)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = sectionPath(c.cfg.Sandbox)
		}
		u.RawQuery, u.Fragment = "", ""
		c.endpoint, c.endpointURL, c.host, c.path = u.String(), u, u.Host, u.EscapedPath()
		return nil
	}
}

// WithClock makes the client take the Timestamp of each attempt from now.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy. RetryPolicy{} turns retrying off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxRetries < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
			return errors.New("WithRetryPolicy: negative value")
		}
		c.retry = p
		return nil
	}
}

// WithLogger makes the client log each attempt (operation, attempt, HTTP
// status, request id, error code, duration) at Debug level and each retry
// at Warn level. Request and response bodies are never logged, so neither
// buyer data nor credentials reach the log.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithAppInfo names the application in the User-Agent:
// amazon-pay-sdk-go/<ver> (<name>/<version>; Go/<ver>; <os>/<arch>).
func WithAppInfo(name, version string) Option {
	return func(c *Client) error {
		c.appName, c.appVer = uaToken(name), uaToken(version)
		return nil
	}
}

// WithMaxResponseBytes caps how much of a response body is read (default 10 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return errors.New("WithMaxResponseBytes: not positive")
		}
		c.maxBody = n
		return nil
	}
}

// uaToken keeps a User-Agent product token free of the characters that
// delimit it.
func uaToken(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r <= ' ' || r == '/' || r == '(' || r == ')' || r == ';' || r == '\\' || r == 0x7f
	}), "-")
}

func configError(field, reason string) error {
	return &ValidationError{Operation: "NewClient", Field: field, Reason: reason}
}

// NewClient returns a client for cfg. It fails with a *ValidationError on a
// missing seller id, access key or secret key, an unknown region or an
// unsupported currency, and with a plain error on a bad option.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	switch {
	case strings.TrimSpace(cfg.SellerID) == "":
		return nil, configError("SellerID", "is required")
	case strings.TrimSpace(cfg.AccessKeyID) == "":
		return nil, configError("AccessKeyID", "is required")
	case cfg.SecretKey == "":
		return nil, configError("SecretKey", "is required")
	}
	// One rule for the region, here and in ParseRegion: "DE" and " uk " are
	// the regions they name.
	region, err := ParseRegion(string(cfg.Region))
	if err != nil {
		return nil, configError("Region", fmt.Sprintf("%q is not one of us, na, uk, de, eu, jp", string(cfg.Region)))
	}
	cfg.Region = region
	cfg.CurrencyCode = asciiUpper(strings.TrimSpace(cfg.CurrencyCode))
	if cfg.CurrencyCode == "" {
		cfg.CurrencyCode = cfg.Region.DefaultCurrency()
	} else if !supportedCurrency(cfg.CurrencyCode) {
		return nil, configError("CurrencyCode", fmt.Sprintf("%q is not a supported currency", cfg.CurrencyCode))
	}
	c := &Client{
		cfg:     cfg,
		now:     time.Now,
		retry:   DefaultRetryPolicy(),
		limiter: NewAdaptiveLimiter(Quotas{Sandbox: cfg.Sandbox}),
		maxBody: 10 << 20,
	}
	_ = WithEndpoint(cfg.Region.Endpoint(cfg.Sandbox))(c) // the region's own endpoint always parses
	c.profileAPI = cfg.Region.ProfileEndpoint(cfg.Sandbox)
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("amazonpay: %w", err)
		}
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	} else {
		c.hc = withoutRedirects(c.hc)
	}
	c.userAgent = userAgent(c.appName, c.appVer)
	c.userAgentHeader = []string{c.userAgent}
	secret := cfg.SecretKey
	c.macs.New = func() any { return newMAC(secret) }
	return c, nil
}

// defaultHTTPClient is the client used without WithHTTPClient: never
// http.DefaultClient, with timeouts so no call hangs forever, and without
// following redirects: MWS does not redirect, and following one would turn
// the signed POST into a GET elsewhere. A 3xx is reported as an
// *UnexpectedResponseError.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{
		Transport:     t,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// withoutRedirects returns a copy of the caller's hc that never follows a
// redirect. Its transport is looked up in hc at each request, so a
// transport swapped in after NewClient (httpmock.ActivateNonDefault) is
// the one used.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cp.Transport = callersTransport{hc}
	return &cp
}

// callersTransport sends with the transport the caller's client has now.
type callersTransport struct{ hc *http.Client }

// RoundTrip sends req with the caller's current transport.
func (t callersTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt := t.hc.Transport; rt != nil {
		return rt.RoundTrip(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// CloseIdleConnections lets (*http.Client).CloseIdleConnections reach the
// caller's transport.
func (t callersTransport) CloseIdleConnections() { t.hc.CloseIdleConnections() }

func userAgent(app, ver string) string {
	var b strings.Builder
	b.WriteString("amazon-pay-sdk-go/" + SDKVersion + " (")
	if app != "" {
		b.WriteString(app)
		if ver != "" {
			b.WriteString("/" + ver)
		}
		b.WriteString("; ")
	}
	b.WriteString("Go/" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")")
	return b.String()
}

// Config returns the client's configuration (with the currency filled in).
func (c *Client) Config() Config { return c.cfg }

// Endpoint returns the URL the client posts to.
func (c *Client) Endpoint() string { return c.endpoint }

// UserAgent returns the User-Agent header the client sends.
func (c *Client) UserAgent() string { return c.userAgent }

// CallOption changes one call.
type CallOption func(*callOptions)

type callOptions struct {
	sellerID     string
	mwsAuthToken string
}

// WithSellerID sends the call on behalf of another seller id than the
// configured one.
func WithSellerID(id string) CallOption {
	return func(o *callOptions) { o.sellerID = id }
}

// WithMWSAuthToken sends the call with a delegated MWSAuthToken, as solution
// providers do for their merchants.
func WithMWSAuthToken(token string) CallOption {
	return func(o *callOptions) { o.mwsAuthToken = token }
}

// ResponseMetadata is carried by every operation output.
type ResponseMetadata struct {
	// RequestID identifies the call at Amazon; quote it in support cases.
	RequestID string `xml:"ResponseMetadata>RequestId"`
	// RawXML is the whole response body.
	RawXML []byte `xml:"-" log:"redact"`
}

func (m *ResponseMetadata) metadata() *ResponseMetadata { return m }

// input is implemented by every operation input.
type input interface {
	// validate checks what the generic parameter rules cannot see: required
	// parameters and rules across fields.
	validate(v *validator)
}

// platformIDParam is implemented by inputs that carry a PlatformId: it
// names the parameter that the configured platform id fills.
type platformIDParam interface {
	platformIDParam() string
}

type output interface {
	metadata() *ResponseMetadata
}

// invoke is the one request pipeline: validate, encode, sign, send, retry, decode.
func invoke[O any, I any, PO interface {
	*O
	output
}, PI interface {
	*I
	input
}](ctx context.Context, c *Client, action string, in *I, opts []CallOption) (*O, error) {
	if in == nil {
		return nil, &ValidationError{Operation: action, Field: "input", Reason: "is nil"}
	}
	params, err := c.buildParams(action, PI(in), opts)
	if err != nil {
		return nil, err
	}
	out := new(O)
	_, once := any(in).(unrepeatable)
	lost, err := c.send(ctx, action, params, !once, PO(out))
	if err != nil {
		if s, ok := any(in).(settling); ok && lost != nil {
			if err = c.settle(ctx, action, s, lost, err, opts); err == nil {
				return out, nil
			}
		}
		return nil, err
	}
	return out, nil
}

// settle decides a call that failed with err after an attempt that may
// have acted (lost): if MWS refused the retry because the object was no
// longer in the state the call leaves, the earlier attempt may have been
// applied, and the object's state tells. It returns nil when the object is
// in the target state, err when it is not or the refusal was another, and
// an ErrOutcomeUnknown error when the state could not be read.
func (c *Client) settle(ctx context.Context, action string, s settling, lost, err error, opts []CallOption) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != s.settledCode() {
		return err
	}
	done, rerr := s.settled(ctx, c, opts)
	switch {
	case rerr != nil:
		return &outcomeUnknownError{Operation: action, Refused: err, Lost: lost, Read: rerr}
	case done:
		return nil
	}
	return err
}

// buildParams validates in and returns its parameters plus the common ones,
// sorted for signing, with an empty Timestamp to be filled per attempt.
func (c *Client) buildParams(action string, in input, opts []CallOption) ([]param, error) {
	var co callOptions
	for _, o := range opts {
		o(&co)
	}
	v := validator{op: action}
	in.validate(&v)
	if v.err != nil {
		return nil, v.err
	}
	values, err := query.Values(in)
	if err != nil {
		return nil, &ValidationError{Operation: action, Field: "input", Reason: err.Error()}
	}
	c.applyDefaults(in, values)
	seller := c.cfg.SellerID
	if co.sellerID != "" {
		if strings.TrimSpace(co.sellerID) == "" {
			return nil, &ValidationError{Operation: action, Field: "SellerId", Reason: "is blank (WithSellerID)"}
		}
		seller = co.sellerID
	}
	// The common parameters go straight into the slice: they need no
	// defaults, and url.Values would cost an allocation each.
	params := unsortedParams(values, 8)
	params = append(params,
		param{"AWSAccessKeyId", c.cfg.AccessKeyID},
		param{"Action", action},
		param{"SellerId", seller},
		param{"SignatureMethod", signatureMethod},
		param{"SignatureVersion", signatureVersion},
		param{"Timestamp", ""},
		param{"Version", APIVersion},
	)
	if co.mwsAuthToken != "" {
		params = append(params, param{"MWSAuthToken", co.mwsAuthToken})
	}
	sortParams(params)
	if err := checkParams(action, params, values); err != nil {
		return nil, err
	}
	return params, nil
}

// applyDefaults gives every amount without a currency the configured
// currency, and fills the operation's own PlatformId from the config.
func (c *Client) applyDefaults(in input, values url.Values) {
	for k := range values {
		if prefix, ok := strings.CutSuffix(k, ".Amount"); ok {
			if _, has := values[prefix+".CurrencyCode"]; !has {
				values.Set(prefix+".CurrencyCode", c.cfg.CurrencyCode)
			}
		}
	}
	if p, ok := in.(platformIDParam); ok && c.cfg.PlatformID != "" {
		if key := p.platformIDParam(); key != "" && values.Get(key) == "" {
			values.Set(key, c.cfg.PlatformID)
		}
	}
}

// send signs and posts params, retrying as the policy allows, and decodes
// the reply into out. lost is the error of the first attempt before the
// last one that failed in a way that leaves open whether MWS acted on it
// (its reply lost), nil if there was none.
func (c *Client) send(ctx context.Context, action string, params []param, repeatable bool, out output) (lost, err error) {
	ts := -1
	for i := range params {
		if params[i].key == "Timestamp" {
			ts = i
			break
		}
	}
	seller := paramValue(params, "SellerId")
	for attempt := 1; ; attempt++ {
		if cerr := ctx.Err(); cerr != nil {
			return lost, abandoned(action, attempt-1, cerr, err)
		}
		if lost == nil && err != nil && mayHaveActed(err) {
			lost = err
		}
		if werr := c.pace(ctx, seller, action); werr != nil {
			// The limiter refused (its context ended, a fleet limiter is
			// down): nothing more is sent.
			return lost, abandoned(action, attempt-1, werr, err)
		}
		params[ts].value = c.timestamp()
		start := time.Now()
		var status int
		status, err = c.attempt(ctx, action, params, out)
		if err != nil && !isTyped(err) {
			err = &RequestError{Operation: action, Attempts: attempt, Err: err}
		}
		c.logAttempt(ctx, action, attempt, status, out, err, time.Since(start))
		c.observeThrottle(seller, action, err)
		if attempt > c.retry.MaxRetries || !retryable(repeatable, err) {
			break
		}
		wait := c.retry.delay(attempt)
		if c.logger != nil {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "amazonpay: retrying",
				slog.String("operation", action), slog.Int("attempt", attempt), slog.Duration("wait", wait))
		}
		if serr := sleepCtx(ctx, wait); serr != nil {
			return lost, abandoned(action, attempt, serr, err)
		}
	}
	return lost, err
}

// abandoned is the error of a call whose context ended before it could
// retry: the context's error, and the last attempt's error if there was one.
func abandoned(action string, attempts int, ctxErr, last error) error {
	var reqErr *RequestError
	if errors.As(last, &reqErr) && reqErr.Operation == action && reqErr.Last == nil {
		last = reqErr.Err // the attempt's own cause, without a second prefix
	}
	return &RequestError{Operation: action, Attempts: attempts, Err: ctxErr, Last: last}
}

// formattedTime is a Timestamp value and the second it stands for.
type formattedTime struct {
	unix int64
	text string
}

// timestamp returns the Timestamp of an attempt starting now. Calls within
// the same second share the formatted text.
func (c *Client) timestamp() string {
	now := c.now()
	sec := now.Unix()
	if last := c.lastTS.Load(); last != nil && last.unix == sec {
		return last.text
	}
	text := FormatTimestamp(now)
	c.lastTS.Store(&formattedTime{sec, text})
	return text
}

func isTyped(err error) bool {
	switch err.(type) {
	case *APIError, *UnexpectedResponseError:
		return true
	}
	return false
}

// attempt makes one signed POST and decodes its reply.
func (c *Client) attempt(ctx context.Context, action string, params []param, out output) (int, error) {
	mac := c.macs.Get().(*signingMAC)
	body := signedBody(mac, c.host, c.path, params)
	c.macs.Put(mac)
	// The request as http.NewRequestWithContext makes it, without parsing
	// the endpoint again for each attempt. The header value slices are
	// shared by every request: they are only read.
	req := (&http.Request{
		Method: http.MethodPost, URL: c.endpointURL, Host: c.endpointURL.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": formContentType, "User-Agent": c.userAgentHeader},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		GetBody:       func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	}).WithContext(ctx)
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	data, err := readBody(resp, c.maxBody)
	if ue, ok := err.(*UnexpectedResponseError); ok {
		ue.Operation = action
	}
	if err != nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, decodeResponse(action, resp.StatusCode, data, out)
}

func (c *Client) logAttempt(ctx context.Context, action string, attempt, status int, out output, err error, d time.Duration) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", action), slog.Int("attempt", attempt),
		slog.Int("status", status), slog.Duration("duration", d),
	}
	var apiErr *APIError
	switch {
	case err == nil:
		attrs = append(attrs, slog.String("request_id", out.metadata().RequestID))
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.String("request_id", apiErr.RequestID), slog.String("error_code", string(apiErr.Code)))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "amazonpay: attempt", attrs...)
}
