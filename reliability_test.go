package amazonpay_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The calls that move money, against every fault the sandbox can inject,
// with retries on and off: a call either succeeds having moved the money
// exactly once, or fails with a typed error; repeating it with the same
// reference id then succeeds, and the money still moved exactly once.

type moneyCall struct {
	name  string
	count func(amazonpaytest.MoneyMovements) int
	// prepare returns the call to make (with a fixed reference id) and the
	// id of the object it creates on success.
	prepare func(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) func() (string, error)
}

var ctx = context.Background()

func eur(a string) *amazonpay.Price { return &amazonpay.Price{Amount: a, CurrencyCode: "EUR"} }

func openOrder(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) string {
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("20.00")}})
	require.NoError(t, err)
	// In the EU the buyer goes through the Confirmation Flow before Authorize.
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	return id
}

func authorize(t *testing.T, c *amazonpay.Client, id string, captureNow bool) *amazonpay.AuthorizationDetails {
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "setup-auth",
		AuthorizationAmount: eur("20.00"), TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(captureNow)})
	require.NoError(t, err)
	return &out.AuthorizationDetails
}

var moneyCalls = []moneyCall{
	{
		name:  "Authorize",
		count: func(m amazonpaytest.MoneyMovements) int { return m.Authorizations },
		prepare: func(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) func() (string, error) {
			id := openOrder(t, srv, c)
			return func() (string, error) {
				out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "ref-1",
					AuthorizationAmount: eur("20.00"), TransactionTimeout: amazonpay.Int(0)})
				if err != nil {
					return "", err
				}
				return out.AuthorizationDetails.AmazonAuthorizationID, nil
			}
		},
	},
	{
		name:  "Capture",
		count: func(m amazonpaytest.MoneyMovements) int { return m.Captures },
		prepare: func(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) func() (string, error) {
			auth := authorize(t, c, openOrder(t, srv, c), false)
			return func() (string, error) {
				out, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: auth.AmazonAuthorizationID,
					CaptureReferenceID: "ref-1", CaptureAmount: eur("20.00")})
				if err != nil {
					return "", err
				}
				return out.CaptureDetails.AmazonCaptureID, nil
			}
		},
	},
	{
		name:  "Refund",
		count: func(m amazonpaytest.MoneyMovements) int { return m.Refunds },
		prepare: func(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) func() (string, error) {
			auth := authorize(t, c, openOrder(t, srv, c), true)
			captureID := auth.IDList.IDs()[0]
			return func() (string, error) {
				out, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: captureID, RefundReferenceID: "ref-1",
					RefundAmount: eur("5.00")})
				if err != nil {
					return "", err
				}
				return out.RefundDetails.AmazonRefundID, nil
			}
		},
	},
	{
		name:  "AuthorizeOnBillingAgreement",
		count: func(m amazonpaytest.MoneyMovements) int { return m.Authorizations },
		prepare: func(t *testing.T, srv *amazonpaytest.Server, c *amazonpay.Client) func() (string, error) {
			ba := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
			_, err := c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: ba,
				SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail"})
			require.NoError(t, err)
			_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), ba)
			require.NoError(t, err)
			return func() (string, error) {
				out, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: ba,
					AuthorizationReferenceID: "ref-1", AuthorizationAmount: eur("9.99"), TransactionTimeout: amazonpay.Int(0),
					CaptureNow: amazonpay.Bool(true)})
				if err != nil {
					return "", err
				}
				return out.AuthorizationDetails.AmazonAuthorizationID, nil
			}
		},
	},
}

var faultKinds = []amazonpaytest.FaultKind{
	amazonpaytest.FaultInternalError, amazonpaytest.FaultServiceUnavailable, amazonpaytest.FaultBadGateway,
	amazonpaytest.FaultConnectionReset, amazonpaytest.FaultTruncatedBody, amazonpaytest.FaultMalformedBody,
	amazonpaytest.FaultDelay, amazonpaytest.FaultAppliedThenDropped,
}

func TestMoneyMovesExactlyOnceUnderFaults(t *testing.T) {
	for _, retries := range []bool{true, false} {
		for _, call := range moneyCalls {
			for _, kind := range faultKinds {
				t.Run(fmt.Sprintf("%s/%v/retries=%t", call.name, kind, retries), func(t *testing.T) {
					t.Parallel()
					srv := amazonpaytest.NewServer()
					defer srv.Close()
					var opts []amazonpay.Option
					if !retries {
						opts = append(opts, amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
					}
					c := srv.AmazonPay(opts...)
					do := call.prepare(t, srv, c)
					before := call.count(srv.MoneyMovements())

					srv.InjectFault(call.name, 1, amazonpaytest.Fault{Kind: kind, Delay: 5 * time.Millisecond})
					id, err := do()
					if err != nil {
						var apiErr *amazonpay.APIError
						var unexpected *amazonpay.UnexpectedResponseError
						var reqErr *amazonpay.RequestError
						require.True(t, errors.As(err, &apiErr) || errors.As(err, &unexpected) || errors.As(err, &reqErr),
							"untyped error %T: %v", err, err)
						assert.Empty(t, id)
						// The caller repeats the same call, as the reference id allows.
						id, err = do()
					}
					require.NoError(t, err)
					assert.NotEmpty(t, id)
					assert.Equal(t, before+1, call.count(srv.MoneyMovements()), "money moved exactly once")

					// Once more for good measure: the original result, still once.
					again, err := do()
					require.NoError(t, err)
					assert.Equal(t, id, again)
					assert.Equal(t, before+1, call.count(srv.MoneyMovements()))
				})
			}
		}
	}
}

// TestCloseAndCancelAfterLostReply: the sandbox closes (cancels) and drops
// the reply; the retry is refused as the object is already closed
// (canceled); the client checks the state and reports success.
func TestCloseAndCancelAfterLostReply(t *testing.T) {
	t.Parallel()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, NoJitter: true}))

	auth := authorize(t, c, openOrder(t, srv, c), false)
	srv.InjectFault("CloseAuthorization", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err := c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: auth.AmazonAuthorizationID})
	require.NoError(t, err, "the authorization was closed: a success")
	assert.Len(t, srv.RequestsFor("CloseAuthorization"), 2)
	assert.Len(t, srv.RequestsFor("GetAuthorizationDetails"), 1)
	assert.Equal(t, "Closed", srv.State(auth.AmazonAuthorizationID))
	// Without a lost reply, closing it again is refused, as Amazon does.
	_, err = c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: auth.AmazonAuthorizationID})
	assert.ErrorIs(t, err, amazonpay.ErrorInvalidAuthorizationStatus)

	id := openOrder(t, srv, c)
	srv.InjectFault("CancelOrderReference", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err, "the order reference was canceled: a success")
	assert.Len(t, srv.RequestsFor("CancelOrderReference"), 2)
	assert.Equal(t, "Canceled", srv.State(id))
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.ErrorIs(t, err, amazonpay.ErrorInvalidOrderReferenceStatus)
}
