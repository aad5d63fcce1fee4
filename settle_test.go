package amazonpay

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 7 §4: a retry never turns a success into a failure.

func statusError(code ErrorCode) httpmock.Responder {
	return httpmock.NewStringResponder(400, `<ErrorResponse xmlns="`+APIVersion+`"><Error><Type>Sender</Type><Code>`+string(code)+
		`</Code><Message>not in the right state</Message></Error><RequestId>req-refused</RequestId></ErrorResponse>`)
}

type settleCase struct {
	name      string
	code      ErrorCode
	getAction string
	get       func(done bool) string // the Get's reply: in the target state or not
	call      func(ctx context.Context, c *Client) error
}

func settleCases() []settleCase {
	const oro, auth, ba = "S02-1234567-7654321", "S02-1234567-7654321-A000001", "C02-1234567-7654321"
	return []settleCase{
		{"CloseAuthorization", ErrorInvalidAuthorizationStatus, "GetAuthorizationDetails",
			func(done bool) string {
				body := strings.Replace(authDetails(auth), "<State>Open</State>", "<State>Closed</State><ReasonCode>SellerClosed</ReasonCode>", 1)
				if !done {
					body = strings.Replace(authDetails(auth), "<State>Open</State>", "<State>Declined</State>", 1)
				}
				return mwsResponse("GetAuthorizationDetails", body)
			},
			func(ctx context.Context, c *Client) error {
				_, err := c.CloseAuthorization(ctx, &CloseAuthorizationInput{AmazonAuthorizationID: auth})
				return err
			}},
		{"CancelOrderReference", ErrorInvalidOrderReferenceStatus, "GetOrderReferenceDetails",
			func(done bool) string {
				if done {
					return mwsResponse("GetOrderReferenceDetails", oroDetails(oro, OrderReferenceCanceled))
				}
				return mwsResponse("GetOrderReferenceDetails", oroDetails(oro, OrderReferenceClosed))
			},
			func(ctx context.Context, c *Client) error {
				_, err := c.CancelOrderReference(ctx, &CancelOrderReferenceInput{AmazonOrderReferenceID: oro})
				return err
			}},
		{"CloseOrderReference", ErrorInvalidOrderReferenceStatus, "GetOrderReferenceDetails",
			func(done bool) string {
				if done {
					return mwsResponse("GetOrderReferenceDetails", oroDetails(oro, OrderReferenceClosed))
				}
				return mwsResponse("GetOrderReferenceDetails", oroDetails(oro, OrderReferenceCanceled))
			},
			func(ctx context.Context, c *Client) error {
				_, err := c.CloseOrderReference(ctx, &CloseOrderReferenceInput{AmazonOrderReferenceID: oro})
				return err
			}},
		{"CloseBillingAgreement", ErrorInvalidBillingAgreementStatus, "GetBillingAgreementDetails",
			func(done bool) string {
				if done {
					return mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementClosed))
				}
				return mwsResponse("GetBillingAgreementDetails", baDetails(ba, BillingAgreementDraft))
			},
			func(ctx context.Context, c *Client) error {
				_, err := c.CloseBillingAgreement(ctx, &CloseBillingAgreementInput{AmazonBillingAgreementID: ba})
				return err
			}},
	}
}

// settleRoute answers the operation with ops in turn and its Get with get.
func settleRoute(mt *httpmock.MockTransport, getAction, get string, ops ...httpmock.Responder) *[]string {
	return settleRouteTo(mt, getAction, httpmock.NewStringResponder(200, get), ops...)
}

// settleRouteTo is settleRoute with the Get answered by a responder.
func settleRouteTo(mt *httpmock.MockTransport, getAction string, get httpmock.Responder, ops ...httpmock.Responder) *[]string {
	var actions []string
	n := 0
	mt.RegisterResponder(http.MethodPost, testEndpoint, func(req *http.Request) (*http.Response, error) {
		req.ParseForm()
		action := req.PostForm.Get("Action")
		actions = append(actions, action)
		if action == getAction {
			return get(req)
		}
		r := ops[min(n, len(ops)-1)]
		n++
		return r(req)
	})
	return &actions
}

func TestRetryAfterLostReplySettles(t *testing.T) {
	t.Parallel()
	for _, tc := range settleCases() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			// MWS applied the first attempt and the reply was lost; the retry is refused.
			c, mt := newTestClient(t)
			actions := settleRoute(mt, tc.getAction, tc.get(true), connectionReset, statusError(tc.code))
			require.NoError(t, tc.call(ctx, c), "the object is in the target state: a success")
			assert.Equal(t, []string{tc.name, tc.name, tc.getAction}, *actions)

			// A 502 from a gateway leaves it open as well.
			c, mt = newTestClient(t)
			actions = settleRoute(mt, tc.getAction, tc.get(true), httpmock.NewStringResponder(502, "<html>bad gateway</html>"), statusError(tc.code))
			require.NoError(t, tc.call(ctx, c))
			assert.Equal(t, []string{tc.name, tc.name, tc.getAction}, *actions)

			// The object is in another state: MWS's refusal stands.
			c, mt = newTestClient(t)
			actions = settleRoute(mt, tc.getAction, tc.get(false), connectionReset, statusError(tc.code))
			err := tc.call(ctx, c)
			assert.ErrorIs(t, err, tc.code)
			assert.Equal(t, []string{tc.name, tc.name, tc.getAction}, *actions)

			// Refused at the first attempt: nothing was ambiguous, no Get.
			c, mt = newTestClient(t)
			actions = settleRoute(mt, tc.getAction, tc.get(true), statusError(tc.code))
			err = tc.call(ctx, c)
			assert.ErrorIs(t, err, tc.code)
			assert.Equal(t, []string{tc.name}, *actions)

			// Throttled first: MWS did not act, the refusal stands.
			c, mt = newTestClient(t)
			actions = settleRoute(mt, tc.getAction, tc.get(true), fixtureResponder(t, 503, "Throttled.xml"), statusError(tc.code))
			err = tc.call(ctx, c)
			assert.ErrorIs(t, err, tc.code)
			assert.Equal(t, []string{tc.name, tc.name}, *actions)
		})
	}
}

// Issue 14 item 3: the retry after a lost reply is refused and the Get
// that would tell whether the lost attempt was applied fails as well. The
// call may have succeeded: its error says the outcome is unknown, wraps
// the lost reply and the read's failure, and keeps MWS's refusal reachable.
func TestLostReplyThenFailedReadIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	unavailable := httpmock.NewStringResponder(503, `<ErrorResponse xmlns="`+APIVersion+`"><Error><Type>Receiver</Type>`+
		`<Code>ServiceUnavailable</Code><Message>Service is currently unavailable</Message></Error><RequestId>req-503</RequestId></ErrorResponse>`)
	for _, tc := range settleCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, lost := range []struct {
				name      string
				responder httpmock.Responder
				is        func(error) bool
			}{
				{"connection reset", connectionReset, func(err error) bool { return errors.Is(err, syscall.ECONNRESET) }},
				{"gateway page", httpmock.NewStringResponder(502, "<html>bad gateway</html>"), func(err error) bool {
					var ue *UnexpectedResponseError
					return errors.As(err, &ue) && ue.StatusCode == 502
				}},
			} {
				c, mt := newTestClient(t)
				actions := settleRouteTo(mt, tc.getAction, unavailable, lost.responder, statusError(tc.code))
				err := tc.call(context.Background(), c)
				require.Error(t, err, lost.name)
				assert.True(t, errors.Is(err, ErrOutcomeUnknown), "%s: want ErrOutcomeUnknown, got %v", lost.name, err)
				assert.True(t, lost.is(err), "%s: the lost reply is wrapped: %v", lost.name, err)
				assert.ErrorIs(t, err, ErrorServiceUnavailable, "the read's failure is wrapped")
				var apiErr *APIError
				require.True(t, errors.As(err, &apiErr), lost.name)
				assert.Equal(t, tc.code, apiErr.Code, "errors.As finds MWS's refusal, as before")
				assert.ErrorIs(t, err, tc.code)
				assert.Equal(t, []string{tc.name, tc.name, tc.getAction, tc.getAction, tc.getAction, tc.getAction}, *actions,
					"the Get is retried like any read")
				msg := err.Error()
				assert.NotContains(t, msg, "\n")
				assert.True(t, strings.HasPrefix(msg, "amazonpay: "+tc.name+": outcome unknown: "), msg)
				assert.Equal(t, 1, strings.Count(msg, "amazonpay:"), "one prefix: %s", msg)
			}

			// A read that answers still decides, as before.
			c, mt := newTestClient(t)
			settleRouteTo(mt, tc.getAction, httpmock.NewStringResponder(200, tc.get(false)), connectionReset, statusError(tc.code))
			err := tc.call(context.Background(), c)
			assert.ErrorIs(t, err, tc.code)
			assert.False(t, errors.Is(err, ErrOutcomeUnknown), "the object is in another state: a plain refusal")
		})
	}
}

// TestContextEndsDuringRetryWait: one line, the context error and the last
// MWS error both reachable.
func TestContextEndsDuringRetryWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	// The context ends when the client starts to wait for its retry: after
	// the attempt's reply is in its hands, whatever the machine's speed.
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, NoJitter: true}),
		WithLogger(slog.New(cancelOnRetry{cancel})))
	mt.RegisterResponder(http.MethodPost, testEndpoint, httpmock.NewBytesResponder(503, fixture(t, "Throttled.xml")))
	_, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "the last MWS error is reachable")
	assert.Equal(t, ErrorRequestThrottled, apiErr.Code)
	assert.ErrorIs(t, err, ErrorRequestThrottled)
	msg := err.Error()
	assert.NotContains(t, msg, "\n", "one line")
	assert.Equal(t, 1, strings.Count(msg, "amazonpay:"), "one prefix: %s", msg)
	assert.Equal(t, "amazonpay: GetOrderReferenceDetails: request failed after 1 attempt(s): context canceled; "+
		"last attempt: RequestThrottled (HTTP 503, request id d702fd8e-206f-4da4-95e0-1e7422474077): Request is throttled", msg)

	// A transport failure as the last attempt: its cause, without a second prefix.
	ctx, cancel = context.WithCancel(context.Background())
	c, mt = newTestClient(t, WithRetryPolicy(RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, NoJitter: true}),
		WithLogger(slog.New(cancelOnRetry{cancel})))
	mt.RegisterResponder(http.MethodPost, testEndpoint, connectionReset)
	_, err = c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
	assert.ErrorIs(t, err, context.Canceled)
	msg = err.Error()
	assert.NotContains(t, msg, "\n")
	assert.Equal(t, 1, strings.Count(msg, "amazonpay:"), msg)
	assert.Contains(t, msg, "last attempt: ")
	assert.Contains(t, msg, "connection reset by peer")
}

// cancelOnRetry is a slog handler that ends a context when the client logs
// that it is about to wait for a retry.
type cancelOnRetry struct{ cancel context.CancelFunc }

func (h cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }
func (h cancelOnRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "amazonpay: retrying" {
		h.cancel()
	}
	return nil
}
func (h cancelOnRetry) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h cancelOnRetry) WithGroup(string) slog.Handler      { return h }
