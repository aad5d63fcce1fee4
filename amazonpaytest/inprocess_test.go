package amazonpaytest_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The in-process client is judged against loopback HTTP by running the
// same calls on twin sandboxes (same seed, same frozen clock), one reached
// over a socket and one in process: what the caller gets (status, headers
// but Date, body, error) and what the sandbox recorded must be equal.

// twin is one of two identical sandboxes and the way it is reached.
type twin struct {
	name   string
	srv    *amazonpaytest.Server
	client func() *http.Client
}

func twins(t *testing.T) []twin {
	t.Helper()
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	mk := func() *amazonpaytest.Server {
		return newServer(t, amazonpaytest.WithSeed(7), amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	}
	loop, in := mk(), mk()
	return []twin{{"loopback", loop, loop.Client}, {"in-process", in, in.InProcessClient}}
}

// sdk is an SDK client of tw's sandbox that reaches it the twin's way.
func (tw twin) sdk() *amazonpay.Client {
	return tw.srv.AmazonPay(amazonpay.WithHTTPClient(tw.client()))
}

// neutral replaces the server's address and the client's port, the only
// things twins differ in.
func (tw twin) neutral(s string) string {
	s = strings.ReplaceAll(s, strings.TrimPrefix(tw.srv.URL, "http://"), "SERVER")
	return clientPort.ReplaceAllString(s, "127.0.0.1:PORT->")
}

var clientPort = regexp.MustCompile(`127\.0\.0\.1:\d+->`)

// seen is what a caller gets from one exchange.
type seen struct {
	Status        int
	Header        http.Header
	ContentLength int64
	Chunked       []string
	Body          string
	Err           string
}

func (tw twin) exchange(t *testing.T, req *http.Request) seen {
	t.Helper()
	hc := tw.client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return seen{Err: tw.neutral(err.Error())}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	h := resp.Header.Clone()
	require.NotEmpty(t, h.Get("Date"), "a server dates its replies")
	h.Del("Date")
	return seen{resp.StatusCode, h, resp.ContentLength, resp.TransferEncoding, tw.neutral(string(b)), ""}
}

// recorded is the sandbox's request log with the signatures (over the
// twin's own host) left out.
func (tw twin) recorded() []amazonpaytest.Request {
	reqs := tw.srv.Requests()
	for i := range reqs {
		reqs[i].Params = cloneWithout(reqs[i].Params, "Signature")
	}
	return reqs
}

func cloneWithout(v map[string][]string, key string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range v {
		if k != key {
			out[k] = vs
		}
	}
	return out
}

// unsized hides a body's length from http.NewRequest, so it goes chunked.
type unsized struct{ io.Reader }

// Raw exchanges (a good call, a forged signature, a body over the 1 MiB
// limit, a chunked body, a wrong method and path, the Confirmation Flow
// before and after confirmation, Login with Amazon without a token, the
// widgets' script and a HEAD of it) give the caller the same status,
// headers, lengths and bytes in process as over loopback, and the sandbox
// the same log.
func TestInProcessClientAnswersAsLoopback(t *testing.T) {
	t.Parallel()
	tws := twins(t)
	var got [2][]seen
	for i, tw := range tws {
		srv := tw.srv
		id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
		good := sign(srv, srv.SecretKey(), rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)).Encode()
		forged := sign(srv, "wrong", rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)).Encode()
		huge := good + "&Padding=" + strings.Repeat("x", 1<<20)
		flow := amazonpaytest.ConfirmationFlowURL(srv.URL, srv.SellerID(), id)
		do := func(method, u string, body io.Reader) {
			req, err := http.NewRequest(method, u, body)
			require.NoError(t, err)
			if body != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			got[i] = append(got[i], tw.exchange(t, req))
		}
		do(http.MethodPost, srv.Endpoint(), strings.NewReader(good))
		do(http.MethodPost, srv.Endpoint(), strings.NewReader(forged))
		do(http.MethodPost, srv.Endpoint(), strings.NewReader(huge))
		do(http.MethodPost, srv.Endpoint(), unsized{strings.NewReader(good)})
		do(http.MethodGet, srv.Endpoint(), nil)
		do(http.MethodPost, srv.URL+"/elsewhere", strings.NewReader(good))
		do(http.MethodGet, flow, nil)
		c := tw.sdk()
		_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("5.00")}})
		require.NoError(t, err)
		_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
		require.NoError(t, err)
		do(http.MethodGet, flow, nil)
		do(http.MethodGet, srv.URL+"/user/profile", nil)
		do(http.MethodGet, srv.WidgetsURL(), nil)
		do(http.MethodHead, srv.WidgetsURL(), nil)
	}
	require.Len(t, got[0], 11)
	for n := range got[0] {
		assert.Equal(t, got[0][n], got[1][n], "exchange %d", n)
	}
	// The exchanges are what they claim to be.
	assert.Equal(t, 200, got[1][0].Status)
	assert.Contains(t, got[1][1].Body, "<Code>SignatureDoesNotMatch</Code>")
	assert.Equal(t, 400, got[1][2].Status)
	assert.Equal(t, 200, got[1][3].Status, "a chunked request body is read")
	assert.Equal(t, 405, got[1][4].Status)
	assert.Equal(t, http.StatusFound, got[1][7].Status)
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", got[1][7].Header.Get("Location"))
	assert.Equal(t, []string{"chunked"}, got[1][9].Chunked, "the widgets' script is over 2 KiB")
	assert.Empty(t, got[1][10].Body, "HEAD has no body")
	assert.Equal(t, tws[0].recorded(), tws[1].recorded())
}

// A context that ended before the call sends nothing; one that ends while
// a reply is delayed (FaultDelay) ends the call with its error, and the
// sandbox applied the operation all the same — in process as over
// loopback, through http.Client and through the SDK.
func TestInProcessClientEndsWithTheContext(t *testing.T) {
	t.Parallel()
	tws := twins(t)
	var errs [2][]string
	for i, tw := range tws {
		srv := tw.srv
		id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
		c := tw.sdk()
		call := func(ctx context.Context) error {
			_, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
			return err
		}
		post := func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.Endpoint(),
				strings.NewReader(sign(srv, srv.SecretKey(), rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)).Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := tw.client().Do(req)
			if err == nil {
				resp.Body.Close()
			}
			return err
		}
		ended, cancel := context.WithCancel(ctx)
		cancel()
		for _, send := range []func(context.Context) error{post, call} {
			err := send(ended)
			assert.ErrorIs(t, err, context.Canceled, tw.name)
			errs[i] = append(errs[i], tw.neutral(err.Error()))
		}
		assert.Empty(t, srv.Requests(), "%s: nothing was sent", tw.name)

		for n, send := range []func(context.Context) error{post, call} {
			srv.InjectFault("GetOrderReferenceDetails", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultDelay, Delay: time.Hour})
			waiting, cancel := context.WithCancel(ctx)
			go func() {
				for len(srv.Requests()) <= n { // the sandbox has the call and waits to answer
					time.Sleep(time.Millisecond)
				}
				cancel()
			}()
			err := send(waiting)
			assert.ErrorIs(t, err, context.Canceled, tw.name)
			errs[i] = append(errs[i], tw.neutral(err.Error()))
		}
	}
	assert.Equal(t, errs[0], errs[1])
	assert.Equal(t, tws[0].recorded(), tws[1].recorded())
	reqs := tws[1].srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.True(t, r.Applied)
		assert.Equal(t, amazonpaytest.FaultDelay, r.Fault)
	}
}

// A dropped connection is retried by the SDK where MWS may be asked again
// and is an unknown outcome where not; a closed server refuses the
// connection — the same errors and the same log in process as over
// loopback.
func TestInProcessClientDropsAndRefusesAsLoopback(t *testing.T) {
	t.Parallel()
	tws := twins(t)
	var errs [2][]string
	for i, tw := range tws {
		srv := tw.srv
		c := tw.sdk()
		_, authID := authorizedOrder(t, srv, c, "10.00")
		srv.InjectFault("GetAuthorizationDetails", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultConnectionReset})
		_, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
		require.NoError(t, err, "%s: a read is retried after a dropped connection", tw.name)

		srv.InjectFault("Capture", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
		out, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap-1", CaptureAmount: eur("10.00")})
		require.NoError(t, err, "%s: a capture is asked again with its reference id", tw.name)
		mustState(t, srv, out.CaptureDetails.AmazonCaptureID, "Completed", "")

		// Without retries, the caller sees the dropped connection itself.
		once := srv.AmazonPay(amazonpay.WithHTTPClient(tw.client()), amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
		srv.InjectFault("GetAuthorizationDetails", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultConnectionReset})
		_, err = once.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
		assert.ErrorIs(t, err, syscall.ECONNRESET, tw.name)
		errs[i] = append(errs[i], tw.neutral(err.Error()))

		recorded := tw.recorded()
		srv.Close()
		t.Cleanup(func() { assert.Equal(t, tws[0].recorded(), tws[1].recorded()) })
		_, err = c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
		var opErr *net.OpError
		require.ErrorAs(t, err, &opErr, tw.name)
		assert.Equal(t, "dial", opErr.Op, tw.name)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED, tw.name)
		errs[i] = append(errs[i], tw.neutral(err.Error()))
		assert.Equal(t, recorded, tw.recorded(), "%s: a closed server serves nothing", tw.name)
	}
	assert.Equal(t, errs[0], errs[1])
	var dropped []string
	for _, r := range tws[1].srv.Requests() {
		if r.Fault != 0 {
			dropped = append(dropped, fmt.Sprintf("%s %d %v", r.Action, r.Status, r.Applied))
		}
	}
	assert.Equal(t, []string{"GetAuthorizationDetails 0 false", "Capture 0 true", "GetAuthorizationDetails 0 false"}, dropped)
}
