package amazonpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 7: the trust fixes. Each test here failed before its fix.

// handBuilt is the RoundTripper a Go developer writes in a unit test: a
// literal *http.Response with no ContentLength.
type handBuilt struct {
	status int
	body   string
	calls  atomic.Int32
}

func (h *handBuilt) RoundTrip(req *http.Request) (*http.Response, error) {
	h.calls.Add(1)
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{StatusCode: h.status, Body: io.NopCloser(strings.NewReader(h.body))}, nil
}

func handBuiltClient(t *testing.T, status int, body string, opts ...Option) (*Client, *handBuilt) {
	t.Helper()
	rt := &handBuilt{status: status, body: body}
	c, err := NewClient(testConfig(), append([]Option{WithHTTPClient(&http.Client{Transport: rt}),
		WithRetryPolicy(RetryPolicy{})}, opts...)...)
	require.NoError(t, err)
	return c, rt
}

// TestHandBuiltResponse: a response without ContentLength is read to EOF.
func TestHandBuiltResponse(t *testing.T) {
	ctx := context.Background()
	t.Run("success", func(t *testing.T) {
		c, _ := handBuiltClient(t, 200, string(fixture(t, "AuthorizeResponse.xml")))
		out, err := c.Authorize(ctx, &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-1234567",
			AuthorizationReferenceID: "ref-1", AuthorizationAmount: &Price{Amount: "10.00"}})
		require.NoError(t, err)
		assert.NotEmpty(t, out.AuthorizationDetails.AmazonAuthorizationID)
		assert.NotEmpty(t, out.RequestID)
	})
	t.Run("ErrorResponse", func(t *testing.T) {
		c, _ := handBuiltClient(t, 400, string(fixture(t, "CaptureInvalidAuthorizationStatusError.xml")))
		_, err := c.Capture(ctx, &CaptureInput{AmazonAuthorizationID: "S02-1234567-1234567-A000001",
			CaptureReferenceID: "cap-1", CaptureAmount: &Price{Amount: "10.00"}})
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "%T %v", err, err)
		assert.Equal(t, ErrorInvalidAuthorizationStatus, apiErr.Code)
	})
	t.Run("throttled", func(t *testing.T) {
		rt := &handBuilt{status: 503, body: string(fixture(t, "Throttled.xml"))}
		c, err := NewClient(testConfig(), WithHTTPClient(&http.Client{Transport: rt}),
			WithRetryPolicy(RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, NoJitter: true}))
		require.NoError(t, err)
		// The default limiter engages at the first throttle: each retry
		// waits for the next token of the sandbox read quota (one per
		// second), on a fake clock rather than the wall's.
		l := c.limiter.(*LocalLimiter)
		NewFakeLimiterClock(testNow).Install(l)
		_, err = c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-1234567"})
		assert.True(t, errors.Is(err, ErrorRequestThrottled), "%v", err)
		assert.EqualValues(t, 3, rt.calls.Load(), "a throttled call is retried")
		assert.Equal(t, LimiterStats{Waits: 2, Waited: 2 * time.Second, Throttled: 3, Engaged: 1}, l.Stats())
	})
	t.Run("GetUserInfo", func(t *testing.T) {
		cfg := testConfig()
		cfg.ClientID = "amzn1.application-oa2-client.test"
		calls := 0
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			calls++
			body := `{"aud":"amzn1.application-oa2-client.test","user_id":"amzn1.account.X"}`
			if strings.HasSuffix(req.URL.Path, "/user/profile") {
				body = `{"user_id":"amzn1.account.X","name":"Ann","email":"ann@example.com"}`
			}
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(body))}, nil
		})
		c, err := NewClient(cfg, WithHTTPClient(&http.Client{Transport: rt}))
		require.NoError(t, err)
		u, err := c.GetUserInfo(ctx, "Atza|token")
		require.NoError(t, err)
		assert.Equal(t, "Ann", u.Name)
		assert.Equal(t, 2, calls)
	})
	t.Run("ContentLength -1 over the cap", func(t *testing.T) {
		c, _ := handBuiltClient(t, 200, string(fixture(t, "AuthorizeResponse.xml")), WithMaxResponseBytes(100))
		_, err := c.Authorize(ctx, &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-1234567",
			AuthorizationReferenceID: "ref-1", AuthorizationAmount: &Price{Amount: "10.00"}})
		var ue *UnexpectedResponseError
		require.True(t, errors.As(err, &ue), "%T %v", err, err)
		assert.ErrorIs(t, err, errTooLarge)
	})
}

// buyerData are strings of the GetOrderReferenceDetails fixture that must
// never reach an error string or a log line.
func buyerData(t *testing.T) []string {
	body := string(fixture(t, "GetOrderReferenceDetailsResponse.xml"))
	var out []string
	for _, el := range []string{"Name", "Email", "Phone", "AddressLine1", "City"} {
		i := strings.Index(body, "<"+el+">")
		if i < 0 {
			continue
		}
		v := body[i+len(el)+2:]
		v = v[:strings.Index(v, "<")]
		out = append(out, v)
	}
	require.GreaterOrEqual(t, len(out), 3, "fixture holds buyer data")
	return out
}

// TestUndecodableSuccessKeepsBuyerDataOut: a 2xx reply cut short is an
// *UnexpectedResponseError whose text and log line quote no byte of it.
func TestUndecodableSuccessKeepsBuyerDataOut(t *testing.T) {
	full := fixture(t, "GetOrderReferenceDetailsResponse.xml")
	cut := full[:len(full)*3/4]
	var logBuf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := handBuiltClient(t, 200, string(cut), WithLogger(logger))
	_, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-1234567"})
	var ue *UnexpectedResponseError
	require.True(t, errors.As(err, &ue), "%T %v", err, err)
	assert.Equal(t, cut, ue.Body, "the raw bytes stay available to the caller")
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, ue), logBuf.String()} {
		for _, secret := range buyerData(t) {
			assert.NotContains(t, s, secret)
		}
	}
	assert.Contains(t, err.Error(), "GetOrderReferenceDetails")
	assert.NotEmpty(t, logBuf.String())

	// The same for the Login with Amazon profile JSON.
	cfg := testConfig()
	cfg.ClientID = "cid"
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		body := `{"aud":"cid","user_id":"u"}`
		if strings.HasSuffix(req.URL.Path, "/user/profile") {
			body = `{"user_id":"u","name":"Jane Buyer","email":"jane@buyer.example","postal_code":`
		}
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
	lc, err := NewClient(cfg, WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	_, err = lc.GetUserInfo(context.Background(), "Atza|t")
	require.True(t, errors.As(err, &ue), "%T %v", err, err)
	assert.NotContains(t, err.Error(), "Jane")
	assert.NotContains(t, err.Error(), "jane@buyer.example")
}

// TestSecretNeverPrinted: every way a Go program prints or logs a value.
func TestSecretNeverPrintedAnyWay(t *testing.T) {
	cfg := testConfig()
	cfg.SecretKey = "sEcReT-kEy-123"
	c, err := NewClient(cfg, WithEndpoint("https://user:pa55word@proxy.example/OffAmazonPayments_Sandbox/2013-01-01"))
	require.NoError(t, err)
	type holder struct {
		Cfg    Config
		PCfg   *Config
		Client *Client
	}
	h := holder{Cfg: cfg, PCfg: &cfg, Client: c}
	values := map[string]any{"Config": cfg, "*Config": &cfg, "*Client": c, "holder": h, "*holder": &h}
	for name, v := range values {
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%T", "%d"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		j, err := json.Marshal(v)
		require.NoError(t, err, name)
		outs = append(outs, string(j))
		ji, err := json.MarshalIndent(v, "", " ")
		require.NoError(t, err, name)
		outs = append(outs, string(ji))
		for _, newHandler := range []func(io.Writer) slog.Handler{
			func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
			func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		} {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("x", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
			outs = append(outs, buf.String())
		}
		for _, s := range outs {
			assert.NotContains(t, s, "sEcReT-kEy-123", "%s printed the secret: %s", name, s)
			assert.NotContains(t, strings.ToLower(s), strings.ToLower(fmt.Sprintf("%x", "sEcReT-kEy-123")), "%s printed the secret in hex", name)
			assert.NotContains(t, s, "pa55word", "%s printed the endpoint password: %s", name, s)
		}
	}
	j, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"SellerID":"A1SELLERTEST","AccessKeyID":"AKIATESTACCESSKEY","SecretKey":"REDACTED",
		"Region":"de","Sandbox":true,"CurrencyCode":"","PlatformID":"","ClientID":""}`, string(j))
	assert.Contains(t, c.String(), "proxy.example")
}

// TestInjectedClientNeverFollowsRedirects: a caller's own http.Client
// follows 307/308 by default; the signed body must not go elsewhere.
func TestInjectedClientNeverFollowsRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write(fixture(t, "AuthorizeResponse.xml"))
	}))
	defer other.Close()
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/steal", code)
			}))
			defer redirector.Close()
			hc := &http.Client{Timeout: 5 * time.Second} // the caller's own: follows redirects
			c, err := NewClient(testConfig(), WithHTTPClient(hc), WithEndpoint(redirector.URL), WithRetryPolicy(RetryPolicy{}))
			require.NoError(t, err)
			_, err = c.Authorize(context.Background(), &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-1234567",
				AuthorizationReferenceID: "ref-1", AuthorizationAmount: &Price{Amount: "10.00"}},
				WithMWSAuthToken("amzn.mws.secret-token"))
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
			assert.Equal(t, code, ue.StatusCode)
			assert.EqualValues(t, 0, elsewhere.Load(), "the request went to the redirect target")
			assert.Nil(t, hc.CheckRedirect, "the caller's client is not changed")
		})
	}
}

// TestRedirectLookAlikesRefused: Unicode case folding would read ſuccess
// (long s) as Success; only ASCII case differences are accepted.
func TestRedirectLookAlikesRefused(t *testing.T) {
	for _, status := range []string{"ſuccess", "ſucceſs", "Succesſ", "\u212Aailure", "Abandoned\u200b", "ＳＵＣＣＥＳＳ"} {
		_, err := ParseConfirmationRedirect(url.Values{"AuthenticationStatus": {status}})
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), "%q: %v", status, err)
		assert.Equal(t, "AuthenticationStatus", ve.Field)
	}
	for _, status := range []string{"Success", "success", "SUCCESS"} {
		res, err := ParseConfirmationRedirect(url.Values{"AuthenticationStatus": {status}})
		require.NoError(t, err, status)
		assert.True(t, res.Proceed())
	}
	assert.Equal(t, "de", MessageLanguage("DE-de"))
}

// TestNewClientRegionAsParseRegion: one rule for a region's spelling.
func TestNewClientRegionAsParseRegion(t *testing.T) {
	for _, in := range []string{"DE", " uk ", "Eu", "us", "NA", "jp"} {
		want, err := ParseRegion(in)
		require.NoError(t, err)
		cfg := testConfig()
		cfg.Region = Region(in)
		c, err := NewClient(cfg)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.Config().Region)
		assert.Equal(t, want.Endpoint(true), c.Endpoint())
	}
	for _, in := range []string{"", "germany", "ＤＥ", "u\u017f"} {
		_, perr := ParseRegion(in)
		assert.Error(t, perr, in)
		cfg := testConfig()
		cfg.Region = Region(in)
		_, err := NewClient(cfg)
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), "%q", in)
		assert.Equal(t, "Region", ve.Field)
	}
	cfg := testConfig()
	cfg.CurrencyCode = "u\u017fd" // "uſd" must not become USD
	_, err := NewClient(cfg)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "CurrencyCode", ve.Field)
}

func TestPriceFromMinor(t *testing.T) {
	for _, tc := range []struct {
		minor          int64
		currency, want string
	}{
		{1050, "EUR", "10.50"}, {5, "EUR", "0.05"}, {100, "usd", "1.00"}, {0, "GBP", "0.00"},
		{1050, "JPY", "1050"}, {-150, "EUR", "-1.50"}, {15000000, "EUR", "150000.00"},
		{math.MinInt64, "EUR", "-92233720368547758.08"}, {math.MaxInt64, "EUR", "92233720368547758.07"},
	} {
		p := PriceFromMinor(tc.minor, tc.currency)
		assert.Equal(t, tc.want, p.Amount, "%d %s", tc.minor, tc.currency)
		assert.Equal(t, strings.ToUpper(tc.currency), p.CurrencyCode)
	}
	// It plugs into an input and goes on the wire as is.
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "CaptureResponse.xml")
	_, err := c.Capture(context.Background(), &CaptureInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		CaptureReferenceID: "cap-1", CaptureAmount: PriceFromMinor(4250, "EUR")})
	require.NoError(t, err)
	assert.Equal(t, "42.50", rec.form(t, 0).Get("CaptureAmount.Amount"))
	// A negative or zero amount is refused before sending.
	_, err = c.Capture(context.Background(), &CaptureInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		CaptureReferenceID: "cap-1", CaptureAmount: PriceFromMinor(-1, "EUR")})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, 1, rec.count())
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		EnvSellerID: "A1SELLER", EnvAccessKeyID: "AKIA1", EnvSecretKey: "s3cret-value", EnvRegion: "DE",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := configFromEnv(getenv)
	require.NoError(t, err)
	assert.Equal(t, Config{SellerID: "A1SELLER", AccessKeyID: "AKIA1", SecretKey: "s3cret-value", Region: RegionDE, Sandbox: true}, cfg)

	env[EnvSandbox], env[EnvCurrency], env[EnvClientID], env[EnvPlatformID] = "false", "GBP", "cid", "pid"
	cfg, err = configFromEnv(getenv)
	require.NoError(t, err)
	assert.False(t, cfg.Sandbox)
	assert.Equal(t, "GBP", cfg.CurrencyCode)
	assert.Equal(t, "cid", cfg.ClientID)
	assert.Equal(t, "pid", cfg.PlatformID)
	env[EnvSandbox] = "maybe"
	cfg, _ = configFromEnv(getenv)
	assert.True(t, cfg.Sandbox, "anything but a false value keeps the sandbox")
	// README lists the values that mean production: exactly these.
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	sentence := regexp.MustCompile("`AMAZON_PAY_SANDBOX` — production only\\s+when it is ([^;]*);").FindSubmatch(readme)
	require.NotNil(t, sentence, "README says which AMAZON_PAY_SANDBOX values mean production")
	listed := regexp.MustCompile("`([^`]+)`").FindAllSubmatch(sentence[1], -1)
	require.Len(t, listed, 6, "%s", sentence[1])
	for _, v := range listed {
		env[EnvSandbox] = string(v[1])
		cfg, _ = configFromEnv(getenv)
		assert.False(t, cfg.Sandbox, "README: %q means production", v[1])
	}
	for _, v := range []string{"no", "off", "production", "live", "False "} {
		env[EnvSandbox] = v
		cfg, _ = configFromEnv(getenv)
		assert.Equal(t, v == "False ", !cfg.Sandbox, "%q", v) // surrounding white space is trimmed
	}

	for _, name := range []string{EnvSellerID, EnvAccessKeyID, EnvSecretKey, EnvRegion} {
		old := env[name]
		env[name] = " "
		_, err := configFromEnv(getenv)
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), name)
		assert.Equal(t, name, ve.Field)
		env[name] = old
	}
	env[EnvRegion] = "mars"
	_, err = configFromEnv(getenv)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, EnvRegion, ve.Field)
	assert.NotContains(t, err.Error(), "s3cret-value")

	// The exported function reads the process environment.
	t.Setenv(EnvSellerID, "A1ENV")
	t.Setenv(EnvAccessKeyID, "AKIAENV")
	t.Setenv(EnvSecretKey, "env-secret")
	t.Setenv(EnvRegion, "uk")
	t.Setenv(EnvSandbox, "")
	cfg, err = ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "A1ENV", cfg.SellerID)
	assert.Equal(t, RegionUK, cfg.Region)
	assert.True(t, cfg.Sandbox)
}
