package amazonpaytest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readyOrder returns an Open order reference whose buyer passed the flow.
func readyOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, total string) string {
	t.Helper()
	id := openOrder(t, srv, c, amazonpaytest.TestBuyer(), total)
	_, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	return id
}

// readyOrderAuthenticating is readyOrder where the buyer authenticates
// amount (ConfirmOrderReference's AuthorizationAmount) rather than the total.
func readyOrderAuthenticating(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client, total, amount string) string {
	t.Helper()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur(total)}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: okURL, FailureURL: failURL, AuthorizationAmount: eur(amount)})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	return id
}

func authorizeInput(id, ref, amount string) *amazonpay.AuthorizeInput {
	return &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID: id, AuthorizationReferenceID: ref,
		AuthorizationAmount: eur(amount), TransactionTimeout: amazonpay.Int(0),
	}
}

// TestAppliedThenDroppedAuthorizeIsIdempotent is the case retries exist
// for: the Authorize takes effect, the reply is lost, the client retries
// with the same AuthorizationReferenceId, and exactly one authorization
// exists.
func TestAppliedThenDroppedAuthorizeIsIdempotent(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "20.00")

	srv.InjectFault("Authorize", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	out, err := c.Authorize(ctx, authorizeInput(id, "order-1-auth", "20.00"))
	require.NoError(t, err, "the client's retry gets the original result")

	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1}, srv.MoneyMovements())
	auths := srv.Objects(amazonpaytest.KindAuthorization)
	require.Len(t, auths, 1)
	assert.Equal(t, auths[0].ID, out.AuthorizationDetails.AmazonAuthorizationID)
	assert.Equal(t, "Open", auths[0].State)

	reqs := srv.RequestsFor("Authorize")
	require.Len(t, reqs, 2)
	assert.Equal(t, amazonpaytest.FaultAppliedThenDropped, reqs[0].Fault)
	assert.True(t, reqs[0].Applied)
	assert.Equal(t, 0, reqs[0].Status, "no reply")
	assert.Equal(t, 200, reqs[1].Status)
	assert.Equal(t, reqs[0].Params.Get("AuthorizationReferenceId"), reqs[1].Params.Get("AuthorizationReferenceId"))
	assert.NotEqual(t, reqs[0].Params.Get("Signature"), "", "each attempt is signed")

	// Every attempt dropped: the caller sees an error, yet one authorization.
	srv.InjectFault("Capture", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auths[0].ID, CaptureReferenceID: "cap-1", CaptureAmount: eur("20.00")})
	var reqErr *amazonpay.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 4, reqErr.Attempts)
	assert.Equal(t, 1, srv.MoneyMovements().Captures)
	// The shop reconciles with the same reference id.
	capOut, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auths[0].ID, CaptureReferenceID: "cap-1", CaptureAmount: eur("20.00")})
	require.NoError(t, err)
	assert.Equal(t, srv.Objects(amazonpaytest.KindCapture)[0].ID, capOut.CaptureDetails.AmazonCaptureID)
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: 1, Captures: 1}, srv.MoneyMovements())
}

func TestTruncatedBodyNeverSucceeds(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "20.00")

	srv.InjectFault("Authorize", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultTruncatedBody})
	out, err := c.Authorize(ctx, authorizeInput(id, "trunc-1", "20.00"))
	assert.Nil(t, out)
	var unexpected *amazonpay.UnexpectedResponseError
	require.ErrorAs(t, err, &unexpected)
	assert.Equal(t, 200, unexpected.StatusCode)
	assert.Len(t, srv.RequestsFor("Authorize"), 1, "a 200 is not retried")
	assert.Equal(t, 1, srv.MoneyMovements().Authorizations, "the authorization was made")

	again, err := c.Authorize(ctx, authorizeInput(id, "trunc-1", "20.00"))
	require.NoError(t, err)
	assert.Equal(t, srv.Objects(amazonpaytest.KindAuthorization)[0].ID, again.AuthorizationDetails.AmazonAuthorizationID)
	assert.Equal(t, 1, srv.MoneyMovements().Authorizations)
}

func TestMalformedBody(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	srv.InjectFault("GetServiceStatus", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultMalformedBody})
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	var unexpected *amazonpay.UnexpectedResponseError
	require.ErrorAs(t, err, &unexpected)
	assert.Contains(t, string(unexpected.Body), "&bogus;")
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
}

func TestRetriedFaultsAreNotApplied(t *testing.T) {
	t.Parallel()
	for _, kind := range []amazonpaytest.FaultKind{
		amazonpaytest.FaultInternalError, amazonpaytest.FaultServiceUnavailable,
		amazonpaytest.FaultBadGateway, amazonpaytest.FaultConnectionReset,
	} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			c := srv.AmazonPay()
			id := readyOrder(t, srv, c, "5.00")

			// Three failures, then the fourth attempt succeeds.
			srv.InjectFault("Authorize", 3, amazonpaytest.Fault{Kind: kind})
			out, err := c.Authorize(ctx, authorizeInput(id, "r-"+kind.String(), "5.00"))
			require.NoError(t, err)
			assert.Equal(t, amazonpay.AuthorizationState("Open"), out.AuthorizationDetails.AuthorizationStatus.State)
			reqs := srv.RequestsFor("Authorize")
			require.Len(t, reqs, 4)
			for _, r := range reqs[:3] {
				assert.Equal(t, kind, r.Fault)
				assert.False(t, r.Applied)
			}
			assert.True(t, reqs[3].Applied)
			assert.Equal(t, 1, srv.MoneyMovements().Authorizations)

			// Four failures exhaust the retries.
			srv.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: kind})
			_, err = c.Authorize(ctx, authorizeInput(id, "s-"+kind.String(), "5.00"))
			require.Error(t, err)
			switch kind {
			case amazonpaytest.FaultInternalError:
				e := apiError(t, err)
				assert.Equal(t, amazonpay.ErrorInternalServerError, e.Code)
				assert.Equal(t, 500, e.StatusCode)
				assert.Equal(t, "Receiver", e.Type)
			case amazonpaytest.FaultServiceUnavailable:
				assert.Equal(t, 503, apiError(t, err).StatusCode)
			case amazonpaytest.FaultBadGateway:
				var unexpected *amazonpay.UnexpectedResponseError
				require.ErrorAs(t, err, &unexpected)
				assert.Equal(t, http.StatusBadGateway, unexpected.StatusCode)
				assert.Contains(t, string(unexpected.Body), "502 Bad Gateway")
			case amazonpaytest.FaultConnectionReset:
				var reqErr *amazonpay.RequestError
				require.ErrorAs(t, err, &reqErr)
			}
			assert.Equal(t, 1, srv.MoneyMovements().Authorizations, "nothing applied")
		})
	}
}

func TestDelayFault(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.InjectFault("GetServiceStatus", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultDelay, Delay: 20 * time.Millisecond})
	start := time.Now()
	_, err := srv.AmazonPay().GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)

	// A caller that gives up waiting still had the call applied. It gives
	// up once the server has logged the call, not after a fixed time, so a
	// slow machine cannot make it give up before the call arrived.
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	id := readyOrder(t, srv, srv.AmazonPay(), "5.00")
	srv.InjectFault("Authorize", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultDelay, Delay: time.Minute})
	giveUp, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for len(srv.RequestsFor("Authorize")) == 0 && giveUp.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = c.Authorize(giveUp, authorizeInput(id, "slow", "5.00"))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, srv.MoneyMovements().Authorizations)
	reqs := srv.RequestsFor("Authorize")
	assert.True(t, reqs[len(reqs)-1].Applied)
	assert.Equal(t, amazonpaytest.FaultDelay, reqs[len(reqs)-1].Fault)
}

func TestFaultQueueAnyOperationAndClear(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	srv.InjectFault(amazonpaytest.AnyOperation, 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultServiceUnavailable})
	srv.InjectFault("GetServiceStatus", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultInternalError})
	srv.InjectFault("GetServiceStatus", 0, amazonpaytest.Fault{Kind: amazonpaytest.FaultInternalError}) // ignored

	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.Equal(t, amazonpay.ErrorInternalServerError, apiCode(t, err), "the operation's own fault first")
	_, err = c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	assert.Equal(t, amazonpay.ErrorServiceUnavailable, apiCode(t, err), "then AnyOperation")
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)

	srv.InjectFault(amazonpaytest.AnyOperation, 5, amazonpaytest.Fault{Kind: amazonpaytest.FaultInternalError})
	srv.ClearFaults()
	out, err := c.GetMerchantAccountStatus(ctx, &amazonpay.GetMerchantAccountStatusInput{})
	require.NoError(t, err)
	assert.EqualValues(t, "ACTIVE", out.AccountStatus)
}

func TestFaultKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "AppliedThenDropped", amazonpaytest.FaultAppliedThenDropped.String())
	assert.Equal(t, "None", amazonpaytest.FaultKind(0).String())
	assert.Equal(t, "FaultKind(99)", amazonpaytest.FaultKind(99).String())
}

func TestConfirmationFlowFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "5.00")

	srv.InjectFault(amazonpaytest.ConfirmationFlow, 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultInternalError})
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, failURL+"?ErrorCode=InternalServerError", back.String())
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ActionRetry, res.Action)

	for _, kind := range []amazonpaytest.FaultKind{amazonpaytest.FaultBadGateway, amazonpaytest.FaultConnectionReset} {
		srv.InjectFault(amazonpaytest.ConfirmationFlow, 1, amazonpaytest.Fault{Kind: kind})
		_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
		assert.ErrorIs(t, err, amazonpaytest.ErrNoRedirect, kind.String())
		obj, _ := srv.Object(id)
		assert.Equal(t, "Pending", obj.Authentication, "not applied")
	}

	// The buyer passed, but the redirect never arrived.
	srv.InjectFault(amazonpaytest.ConfirmationFlow, 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	assert.ErrorIs(t, err, amazonpaytest.ErrNoRedirect)
	obj, _ := srv.Object(id)
	assert.Equal(t, "Success", obj.Authentication)

	// In-process, a dropped connection is an error too.
	srv.InjectFault(amazonpaytest.ConfirmationFlow, 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultConnectionReset})
	_, err = srv.RunConfirmationFlow(srv.SellerID(), id)
	assert.True(t, errors.Is(err, amazonpaytest.ErrNoRedirect))

	flows := srv.RequestsFor(amazonpaytest.ConfirmationFlow)
	require.Len(t, flows, 5)
	assert.Equal(t, 302, flows[0].Status)
	assert.Equal(t, "InternalServerError", flows[0].ErrorCode)
	assert.Equal(t, 0, flows[2].Status)
}

func TestFaultsSpoilErrorRepliesToo(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	srv.InjectFault("GetOrderReferenceDetails", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultTruncatedBody})
	_, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-0000000-0000000"})
	var unexpected *amazonpay.UnexpectedResponseError
	require.ErrorAs(t, err, &unexpected, "half an ErrorResponse is no APIError")
	assert.Equal(t, 404, unexpected.StatusCode)

	srv.InjectFault("GetOrderReferenceDetails", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-0000000-0000000"})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiCode(t, err), "the retry gets the real answer")
	reqs := srv.RequestsFor("GetOrderReferenceDetails")
	require.Len(t, reqs, 3)
	assert.False(t, reqs[1].Applied, "a failed call is not applied, even if its reply is dropped")
	assert.Equal(t, "InvalidOrderReferenceId", reqs[1].ErrorCode)
	assert.Equal(t, 0, reqs[1].Status)
}
