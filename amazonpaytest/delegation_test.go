package amazonpaytest_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	delegate      = "A2DELEGATEDSHOP"
	delegateToken = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
)

// TestDelegatedSeller: a solution provider calls for a seller who
// delegated access to it, with that seller's MWSAuthToken; objects belong
// to the seller whose buyer made them.
func TestDelegatedSeller(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithDelegatedSeller(delegate, delegateToken))
	c := srv.AmazonPay()
	as := []amazonpay.CallOption{amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken)}

	id, err := srv.CreateOrderReferenceFor(delegate, amazonpaytest.TestBuyer())
	require.NoError(t, err)
	_, err = srv.CreateOrderReferenceFor("A9UNKNOWN", amazonpaytest.TestBuyer())
	assert.ErrorIs(t, err, amazonpaytest.ErrUnknownSeller)
	obj, _ := srv.Object(id)
	assert.Equal(t, delegate, obj.SellerID)

	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("20.00")}}, as...)
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL}, as...)
	require.NoError(t, err)

	// The seller's own id in the Confirmation Flow: the one the shop passed
	// to initConfirmationFlow must be the object's seller.
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, "InvalidSellerId", back.Query().Get("ErrorCode"))
	back, err = srv.FollowConfirmationFlow(ctx, delegate, id)
	require.NoError(t, err)
	assert.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
	assert.Contains(t, srv.ConfirmationFlowURL(id), "sellerId="+delegate)

	// The token is checked.
	get := &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id}
	_, err = c.GetOrderReferenceDetails(ctx, get, amazonpay.WithSellerID(delegate))
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorMissingAuthenticationToken, e.Code)
	assert.Equal(t, 400, e.StatusCode)
	_, err = c.GetOrderReferenceDetails(ctx, get, amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken("amzn.mws.other"))
	e = apiError(t, err)
	assert.Equal(t, amazonpay.ErrorUnauthorizedAccess, e.Code)
	assert.Equal(t, 401, e.StatusCode)
	_, err = c.GetOrderReferenceDetails(ctx, get, amazonpay.WithMWSAuthToken(delegateToken))
	assert.Equal(t, amazonpay.ErrorUnauthorizedAccess, apiCode(t, err), "the own seller has no token")
	_, err = c.GetOrderReferenceDetails(ctx, get, amazonpay.WithSellerID("A9UNKNOWN"), amazonpay.WithMWSAuthToken(delegateToken))
	assert.Equal(t, amazonpay.ErrorUnauthorizedAccess, apiCode(t, err))

	// Another seller does not see the object.
	_, err = c.GetOrderReferenceDetails(ctx, get)
	e = apiError(t, err)
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, e.Code)
	assert.Equal(t, 404, e.StatusCode)
	_, err = c.Authorize(ctx, authorizeInput(id, "mine", "20.00"))
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiCode(t, err))

	// Reference ids are per seller: the same one works for both.
	auth, err := c.Authorize(ctx, authorizeInput(id, "ref-1", "20.00"), as...)
	require.NoError(t, err)
	authID := auth.AuthorizationDetails.AmazonAuthorizationID
	own := readyOrder(t, srv, c, "20.00")
	ownAuth, err := c.Authorize(ctx, authorizeInput(own, "ref-1", "20.00"))
	require.NoError(t, err)
	assert.NotEqual(t, authID, ownAuth.AuthorizationDetails.AmazonAuthorizationID)

	// Authorizations, captures and refunds belong to the seller too.
	_, err = c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	capIn := &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap-1", CaptureAmount: eur("20.00")}
	_, err = c.Capture(ctx, capIn)
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	capOut, err := c.Capture(ctx, capIn, as...)
	require.NoError(t, err)
	capID := capOut.CaptureDetails.AmazonCaptureID
	_, err = c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: capID})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	refIn := &amazonpay.RefundInput{AmazonCaptureID: capID, RefundReferenceID: "rf-1", RefundAmount: eur("1.00")}
	_, err = c.Refund(ctx, refIn)
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	rf, err := c.Refund(ctx, refIn, as...)
	require.NoError(t, err)
	_, err = c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: rf.RefundDetails.AmazonRefundID})
	assert.Equal(t, amazonpay.ErrorInvalidTransactionID, apiCode(t, err))
	_, err = c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: rf.RefundDetails.AmazonRefundID}, as...)
	require.NoError(t, err)
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiCode(t, err))
	mustState(t, srv, id, "Open", "")
}

func TestDelegatedSellerBillingAgreements(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithDelegatedSeller(delegate, delegateToken))
	c := srv.AmazonPay()
	as := []amazonpay.CallOption{amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken)}
	baID, err := srv.CreateBillingAgreementFor(delegate, amazonpaytest.TestBuyer())
	require.NoError(t, err)
	_, err = srv.CreateBillingAgreementFor("A9UNKNOWN", amazonpaytest.TestBuyer())
	assert.ErrorIs(t, err, amazonpaytest.ErrUnknownSeller)

	confirm := &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID, SuccessURL: okURL, FailureURL: failURL}
	_, err = c.ConfirmBillingAgreement(ctx, confirm)
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
	_, err = c.ConfirmBillingAgreement(ctx, confirm, as...)
	require.NoError(t, err)
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
	child, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement}, as...)
	require.NoError(t, err)
	obj, _ := srv.Object(child.OrderReferenceDetails.AmazonOrderReferenceID)
	assert.Equal(t, delegate, obj.SellerID)

	aoba := &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID, AuthorizationReferenceID: "ba-1",
		AuthorizationAmount: eur("5.00"), TransactionTimeout: amazonpay.Int(0)}
	_, err = c.AuthorizeOnBillingAgreement(ctx, aoba)
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
	out, err := c.AuthorizeOnBillingAgreement(ctx, aoba, as...)
	require.NoError(t, err)
	obj, _ = srv.Object(out.AmazonOrderReferenceID)
	assert.Equal(t, delegate, obj.SellerID)
	_, err = c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: out.AmazonOrderReferenceID}, as...)
	require.NoError(t, err)
	_, err = c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: out.AmazonOrderReferenceID, IDType: amazonpay.IDTypeOrderReference})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceID, apiCode(t, err))

	own := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	obj, _ = srv.Object(own)
	assert.Equal(t, srv.SellerID(), obj.SellerID)
	_, err = c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: own}, as...)
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementID, apiCode(t, err))
}

// TestDelegatedSellerThrottledApart: quotas are per seller.
func TestDelegatedSellerThrottledApart(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithDelegatedSeller(delegate, delegateToken),
		amazonpaytest.WithQuota("GetServiceStatus", amazonpaytest.Quota{Burst: 1}))
	c := srv.AmazonPay(amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{}))
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.Equal(t, amazonpay.ErrorRequestThrottled, apiCode(t, err))
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{}, amazonpay.WithSellerID(delegate), amazonpay.WithMWSAuthToken(delegateToken))
	require.NoError(t, err)
}

func TestDelegatedSellerEdges(t *testing.T) {
	t.Parallel()
	// Registering the sandbox's own seller changes nothing: it needs no token.
	srv := newServer(t, amazonpaytest.WithSellerID("A1MINE"), amazonpaytest.WithDelegatedSeller("A1MINE", "amzn.mws.self"))
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	status, _ := raw(t, srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	assert.Equal(t, 200, status)
	e := rawError(t, srv, 401, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id, "MWSAuthToken", "amzn.mws.self")
	assert.Equal(t, "UnauthorizedAccess", e.Code)
	_, err := srv.CreateOrderReferenceFor("A1MINE", amazonpaytest.TestBuyer())
	require.NoError(t, err)

	// GetServiceStatus without a SellerId takes no token either.
	v := rawForm(srv, "GetServiceStatus", "MWSAuthToken", "amzn.mws.self")
	v.Del("SellerId")
	status, body := post(t, srv, sign(srv, srv.SecretKey(), v))
	assert.Equal(t, 401, status)
	assert.Equal(t, "UnauthorizedAccess", parseError(t, body).Code)

	// An unknown id's Confirmation Flow URL names the sandbox's seller.
	assert.Contains(t, srv.ConfirmationFlowURL("S02-0000000-0000000"), "sellerId=A1MINE")
	obj, ok := srv.Object(id)
	require.True(t, ok)
	assert.Equal(t, "A1MINE", obj.SellerID)
}
