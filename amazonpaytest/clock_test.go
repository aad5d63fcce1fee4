package amazonpaytest_test

import (
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2024, 1, 31, 21, 0, 0, 0, time.UTC)

func TestDraftsGoStale(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	oro := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	ba := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	srv.Advance(3*time.Hour - time.Second)
	mustState(t, srv, oro, "Draft", "")
	mustState(t, srv, ba, "Draft", "")
	srv.Advance(time.Second)
	mustState(t, srv, oro, "Canceled", "Stale")
	mustState(t, srv, ba, "Canceled", "Stale")
	obj, _ := srv.Object(oro)
	assert.Equal(t, start.Add(3*time.Hour), obj.LastUpdate)
	assert.Equal(t, start.Add(3*time.Hour), srv.Now())

	assert.ErrorIs(t, srv.SelectPaymentMethod(oro, amazonpaytest.PaymentMethodOK), amazonpaytest.ErrState)
	assert.ErrorIs(t, srv.GiveConsent(ba), amazonpaytest.ErrState)

	// A confirmed order reference does not go stale.
	c := srv.AmazonPay()
	open := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "1.00")
	srv.Advance(4 * time.Hour)
	mustState(t, srv, open, "Open", "")
	srv.Advance(-time.Hour) // ignored
	assert.Equal(t, start.Add(7*time.Hour), srv.Now())
}

func TestExpectImmediateAuthorization(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	confirm := func(id string, eia bool) {
		_, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
			SuccessURL: okURL, FailureURL: failURL, ExpectImmediateAuthorization: amazonpay.Bool(eia)})
		require.NoError(t, err)
	}
	abandoned := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "5.00")
	confirm(abandoned, true)
	authorized := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "5.00")
	confirm(authorized, true)
	_, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), authorized)
	require.NoError(t, err)
	_, err = c.Authorize(ctx, authorizeInput(authorized, "in-time", "5.00"))
	require.NoError(t, err)
	relaxed := openOrder(t, srv, c, amazonpaytest.TestBuyer(), "5.00")
	confirm(relaxed, false)

	srv.Advance(50*time.Minute - time.Second)
	mustState(t, srv, abandoned, "Open", "")
	srv.Advance(time.Second)
	mustState(t, srv, abandoned, "Closed", "Expired")
	obj, _ := srv.Object(abandoned)
	assert.Contains(t, obj.ReasonDescription, "ExpectImmediateAuthorization")
	mustState(t, srv, authorized, "Open", "")
	mustState(t, srv, relaxed, "Open", "")

	// The window is configurable (the PHP SDK's README says 60 minutes).
	srv60 := newServer(t, amazonpaytest.WithImmediateAuthorizationWindow(time.Hour))
	c60 := srv60.AmazonPay()
	id := openOrder(t, srv60, c60, amazonpaytest.TestBuyer(), "5.00")
	_, err = c60.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL, ExpectImmediateAuthorization: amazonpay.Bool(true)})
	require.NoError(t, err)
	srv60.Advance(59 * time.Minute)
	mustState(t, srv60, id, "Open", "")
	srv60.Advance(time.Minute)
	mustState(t, srv60, id, "Closed", "Expired")
}

func TestAuthorizationAndOrderExpiry(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start),
		amazonpaytest.WithAuthorizationLifetime(amazonpaytest.ProductionAuthorizationLifetime))
	c := srv.AmazonPay()
	id, authID := authorizedOrder(t, srv, c, "10.00")
	srv.Advance(30*24*time.Hour - time.Second)
	mustState(t, srv, authID, "Open", "")
	srv.Advance(time.Second)
	mustState(t, srv, authID, "Closed", "ExpiredUnused")

	// The client still talks to the sandbox: its clock is the sandbox's.
	_, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "late", CaptureAmount: eur("1.00")})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err))

	srv.Advance(150 * 24 * time.Hour)
	mustState(t, srv, id, "Closed", "Expired")

	short := newServer(t, amazonpaytest.WithAuthorizationLifetime(48*time.Hour))
	_, a := authorizedOrder(t, short, short.AmazonPay(), "1.00")
	short.Advance(48 * time.Hour)
	mustState(t, short, a, "Closed", "ExpiredUnused")
}

func TestBillingAgreementLimitResetsMonthly(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	c := srv.AmazonPay()
	baID := confirmedBillingAgreement(t, srv, c)
	_, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "jan", AuthorizationAmount: eur("500.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "jan2", AuthorizationAmount: eur("0.01"), TransactionTimeout: amazonpay.Int(0)})
	assert.Equal(t, amazonpay.ErrorPeriodicAmountExceeded, apiCode(t, err))

	srv.Advance(3 * time.Hour) // into February
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	lim := ba.BillingAgreementDetails.BillingAgreementLimits
	assert.Equal(t, "500.00", lim.CurrentRemainingBalance.Amount)
	assert.Equal(t, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), lim.TimePeriodStartDate)
	assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), lim.TimePeriodEndDate)
	_, err = c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "feb", AuthorizationAmount: eur("500.00"), TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
}

func TestProcessingDelayOption(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithProcessingDelay(time.Minute))
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "1.00")
	out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "a", AuthorizationAmount: eur("1.00")})
	require.NoError(t, err)
	srv.Advance(59 * time.Second)
	mustState(t, srv, out.AuthorizationDetails.AmazonAuthorizationID, "Pending", "")
	assert.Positive(t, srv.PendingEvents())
	srv.Advance(time.Second)
	mustState(t, srv, out.AuthorizationDetails.AmazonAuthorizationID, "Open", "")
}
