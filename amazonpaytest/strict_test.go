package amazonpaytest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Section 1 of issue 8: where the sandbox was more lenient than Amazon.

// In the sandbox Amazon closes an Open authorization after 2 days and still
// reports ExpirationTimestamp = creation + 30 days; production keeps it 30 days.
func TestAuthorizationLifetimeSandboxAndProduction(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	d, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
	require.NoError(t, err)
	ad := d.AuthorizationDetails
	assert.Equal(t, ad.CreationTimestamp.Add(30*24*time.Hour), ad.ExpirationTimestamp, "Amazon reports 30 days in the sandbox too")
	srv.Advance(48*time.Hour - time.Second)
	mustState(t, srv, authID, "Open", "")
	srv.Advance(time.Second)
	mustState(t, srv, authID, "Closed", "ExpiredUnused")
	_, err = c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "late", CaptureAmount: eur("10.00")})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err))
	d, err = c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: authID})
	require.NoError(t, err)
	assert.Equal(t, ad.ExpirationTimestamp, d.AuthorizationDetails.ExpirationTimestamp)

	// The production lifetime, by option: still Open after 2 days.
	prod := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithAuthorizationLifetime(amazonpaytest.ProductionAuthorizationLifetime))
	pc := prod.AmazonPay()
	_, authID = authorizedOrder(t, prod, pc, "10.00")
	prod.Advance(29 * 24 * time.Hour)
	mustState(t, prod, authID, "Open", "")
	prod.Advance(24 * time.Hour)
	mustState(t, prod, authID, "Closed", "ExpiredUnused")

	// WithLive is production: 30 days too.
	live := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithLive(), amazonpaytest.WithRegion(amazonpay.RegionUS))
	lc := live.AmazonPay()
	id := live.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err = lc.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "5.00", CurrencyCode: "USD"}}})
	require.NoError(t, err)
	_, err = lc.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	a, err := lc.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "live",
		AuthorizationAmount: &amazonpay.Price{Amount: "5.00", CurrencyCode: "USD"}, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	live.Advance(29 * 24 * time.Hour)
	mustState(t, live, a.AuthorizationDetails.AmazonAuthorizationID, "Open", "")
}

// Spec §3.1/§3.2: a repeated CloseAuthorization or CancelOrderReference is
// an error; CloseBillingAgreement of a Closed agreement too (a choice).
func TestRepeatedCloseAndCancelAreRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	_, err := c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: authID, ClosureReason: "done"})
	require.NoError(t, err)
	_, err = c.CloseAuthorization(ctx, &amazonpay.CloseAuthorizationInput{AmazonAuthorizationID: authID, ClosureReason: "done"})
	assert.Equal(t, amazonpay.ErrorInvalidAuthorizationStatus, apiCode(t, err))

	id := readyOrder(t, srv, c, "10.00")
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	_, err = c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
	mustState(t, srv, id, "Canceled", "SellerCanceled")
	// Closing a Canceled or Draft object is an InvalidCloseAttempt.
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))
	draft := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: draft})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))

	baID := confirmedBillingAgreement(t, srv, c)
	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID, ClosureReason: "ended"})
	require.NoError(t, err)
	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: baID, ClosureReason: "ended"})
	assert.Equal(t, amazonpay.ErrorInvalidBillingAgreementStatus, apiCode(t, err))
	mustState(t, srv, baID, "Closed", "SellerClosed")
	draftBA := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, err = c.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: draftBA})
	assert.Equal(t, amazonpay.ErrorInvalidCloseAttempt, apiCode(t, err))
}

// Spec §3.2: a synchronous Authorize never returns Pending; the
// PaymentMethodUpdateTimeInMins revert applies to asynchronous ones only.
func TestSynchronousAuthorizationIsNeverPending(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	id := readyOrder(t, srv, c, "10.00")
	in := authorizeInput(id, "sync-pending", "10.00")
	in.SellerAuthorizationNote = `{"SandboxSimulation": {"State":"Pending"}}`
	_, err := c.Authorize(ctx, in)
	assert.Equal(t, amazonpay.ErrorInvalidSandboxSimulationSpecified, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "synchronous")
	in.TransactionTimeout = nil // asynchronous: Pending is fine
	out, err := c.Authorize(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationPending, out.AuthorizationDetails.AuthorizationStatus.State)

	const decline = `{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":5}}`
	id = readyOrder(t, srv, c, "10.00")
	in = authorizeInput(id, "sync-decline", "10.00")
	in.SellerAuthorizationNote = decline
	_, err = c.Authorize(ctx, in)
	require.NoError(t, err)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
	srv.Advance(time.Hour)
	mustState(t, srv, id, "Suspended", "InvalidPaymentMethod")
}

func TestClosureReasonLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	id, authID := authorizedOrder(t, srv, c, "10.00")
	long := strings.Repeat("x", 256)
	e := rawError(t, srv, 400, "CloseAuthorization", "AmazonAuthorizationId", authID, "ClosureReason", long)
	assert.Equal(t, "InvalidParameterValue", e.Code)
	assert.Contains(t, e.Message, "ClosureReason")
	e = rawError(t, srv, 400, "CloseOrderReference", "AmazonOrderReferenceId", id, "ClosureReason", long)
	assert.Equal(t, "InvalidParameterValue", e.Code)
	baID := confirmedBillingAgreement(t, srv, c)
	e = rawError(t, srv, 400, "CloseBillingAgreement", "AmazonBillingAgreementId", baID, "ClosureReason", long)
	assert.Equal(t, "InvalidParameterValue", e.Code)
	_, err := c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id, ClosureReason: long[:255]})
	require.NoError(t, err)
	mustState(t, srv, id, "Closed", "SellerClosed")
	obj, _ := srv.Object(id)
	assert.Equal(t, long[:255], obj.ReasonDescription)
	_, err = c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err, "closing a Closed order reference again succeeds (spec §3.1)")
}

// Authorization, capture and refund details carry SoftDescriptor as
// Amazon's do, also when the shop sent none.
func TestSoftDescriptorAlwaysInDetails(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	_, authID := authorizedOrder(t, srv, c, "10.00")
	status, body := raw(t, srv, "GetAuthorizationDetails", "AmazonAuthorizationId", authID)
	require.Equal(t, 200, status)
	assert.Contains(t, body, "<SoftDescriptor>AMZ*"+amazonpaytest.DefaultStoreName+"</SoftDescriptor>")
	cp, err := c.Capture(ctx, &amazonpay.CaptureInput{AmazonAuthorizationID: authID, CaptureReferenceID: "cap", CaptureAmount: eur("10.00")})
	require.NoError(t, err)
	assert.Equal(t, "AMZ*"+amazonpaytest.DefaultStoreName, cp.CaptureDetails.SoftDescriptor)
	rf, err := c.Refund(ctx, &amazonpay.RefundInput{AmazonCaptureID: cp.CaptureDetails.AmazonCaptureID, RefundReferenceID: "ref",
		RefundAmount: eur("1.00"), SoftDescriptor: "Refund 42"})
	require.NoError(t, err)
	assert.Equal(t, "AMZ*Refund 42", rf.RefundDetails.SoftDescriptor)
}

func TestSimulationMinutesAreBounded(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	for _, note := range []string{
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":9999999999999}}`,
		`{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":43201}}`,
		`{"SandboxSimulation": {"State":"Closed", "ReasonCode":"ExpiredUnused", "ExpirationTimeInMins":43201}}`,
	} {
		id := readyOrder(t, srv, c, "10.00")
		in := authorizeInput(id, "big", "10.00")
		in.TransactionTimeout = nil
		in.SellerAuthorizationNote = note
		_, err := c.Authorize(ctx, in)
		assert.Equal(t, amazonpay.ErrorInvalidSandboxSimulationSpecified, apiCode(t, err), note)
		mustState(t, srv, id, "Open", "")
	}
}

// ListOrderReference: a StartTime needs an EndTime; the date forms of the
// official SDKs are accepted.
func TestListOrderReferenceTimeRange(t *testing.T) {
	t.Parallel()
	start := time.Date(2024, 5, 20, 3, 0, 0, 0, time.UTC)
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(start))
	c := srv.AmazonPay()
	sellerOrder(t, srv, c, "order-7")
	list := func(kv ...string) (int, string) {
		return raw(t, srv, "ListOrderReference", append([]string{"QueryId", "order-7", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR"}, kv...)...)
	}
	e := rawError(t, srv, 400, "ListOrderReference", "QueryId", "order-7", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR",
		"CreatedTimeRange.StartTime", "2024-05-20T00:00:00Z")
	assert.Equal(t, "MissingParameter", e.Code)
	assert.Contains(t, e.Message, "CreatedTimeRange.EndTime")
	for _, tc := range [][2]string{
		{"2024-05-20T00:00:00Z", "2024-05-21T00:00:00Z"},         // Python, Ruby
		{"2024-05-20T00:00:00.923Z", "2024-05-27T03:23:21.923Z"}, // Ruby with milliseconds
		{"2024-05-20T02:00:00+02:00", "2024-05-20T05:00:00+00:00"},
		{"2024-05-20", "2024-05-21"},
		{"2024-05-20T00:00:00", "2024-05-21T00:00:00"},
	} {
		status, body := list("CreatedTimeRange.StartTime", tc[0], "CreatedTimeRange.EndTime", tc[1])
		require.Equal(t, 200, status, "%v: %s", tc, body)
		assert.Equal(t, 1, strings.Count(body, "<AmazonOrderReferenceId>"), "%v", tc)
	}
	e = rawError(t, srv, 400, "ListOrderReference", "QueryId", "order-7", "QueryIdType", "SellerOrderId", "PaymentDomain", "EU_EUR",
		"CreatedTimeRange.StartTime", "2024-05-20T00:00:00ZZ", "CreatedTimeRange.EndTime", "2024-05-21T00:00:00Z")
	assert.Equal(t, "InvalidParameterValue", e.Code, "C#'s ...ZZ is not a date")
}

// Seeds: an omitted BillingAgreementType is CustomerInitiatedTransaction.
func TestBillingAgreementTypeDefault(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.AmazonPay()
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	d, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.CustomerInitiatedTransaction, d.BillingAgreementDetails.BillingAgreementType)
}

// In the EU and UK the issuer decides per payment whether to challenge:
// both return URLs are required, and an Authorize before the buyer is back
// from the Confirmation Flow is unauthenticated, whatever the card.
func TestSCARegionsRequireTheConfirmationFlow(t *testing.T) {
	t.Parallel()
	for _, region := range []amazonpay.Region{amazonpay.RegionDE, amazonpay.RegionUK} {
		t.Run(string(region), func(t *testing.T) {
			srv := newServer(t, amazonpaytest.WithRegion(region))
			c := srv.AmazonPay()
			cur := region.DefaultCurrency()
			price := &amazonpay.Price{Amount: "20.00", CurrencyCode: cur}
			id := srv.CreateOrderReference(amazonpaytest.TestBuyer()) // PaymentMethodOK: no challenge of its own
			_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
				OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: price}})
			require.NoError(t, err)
			_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id})
			assert.Equal(t, amazonpay.ErrorMissingParameter, apiCode(t, err))
			assert.Contains(t, apiError(t, err).Message, "SuccessUrl")
			_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL})
			assert.Equal(t, amazonpay.ErrorMissingParameter, apiCode(t, err))
			assert.Contains(t, apiError(t, err).Message, "FailureUrl")
			mustState(t, srv, id, "Draft", "")

			_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
			require.NoError(t, err)
			a, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "early",
				AuthorizationAmount: price, TransactionTimeout: amazonpay.Int(0)})
			require.NoError(t, err)
			ad := a.AuthorizationDetails
			assert.Equal(t, amazonpay.AuthorizationDeclined, ad.AuthorizationStatus.State)
			assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, ad.AuthorizationStatus.ReasonCode)
			assert.True(t, ad.SoftDecline)
			mustState(t, srv, id, "Suspended", "PaymentAuthorizationRequired")

			// The shop confirms again and sends the buyer through the flow.
			_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
			require.NoError(t, err)
			back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
			require.NoError(t, err)
			require.Equal(t, "Success", back.Query().Get("AuthenticationStatus"))
			a, err = c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "after",
				AuthorizationAmount: price, TransactionTimeout: amazonpay.Int(0)})
			require.NoError(t, err)
			assert.Equal(t, amazonpay.AuthorizationOpen, a.AuthorizationDetails.AuthorizationStatus.State)

			// A billing agreement: a SuccessUrl too (the FailureUrl is
			// optional: TestConfirmBillingAgreementWithoutFailureURL).
			baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
			_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID})
			assert.Equal(t, amazonpay.ErrorMissingParameter, apiCode(t, err))
			assert.Contains(t, apiError(t, err).Message, "SuccessUrl")

			// A child order reference confirmed at once (ConfirmNow) has not
			// been through the flow: its Authorize is unauthenticated.
			baID = confirmedBillingAgreement(t, srv, c)
			child, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement,
				ConfirmNow: amazonpay.Bool(true), OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: price}})
			require.NoError(t, err)
			childID := child.OrderReferenceDetails.AmazonOrderReferenceID
			a, err = c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: childID, AuthorizationReferenceID: "child",
				AuthorizationAmount: price, TransactionTimeout: amazonpay.Int(0)})
			require.NoError(t, err)
			assert.Equal(t, amazonpay.AuthorizationDeclined, a.AuthorizationDetails.AuthorizationStatus.State)
			mustState(t, srv, childID, "Suspended", "PaymentAuthorizationRequired")
		})
	}

	// The US keeps its documented behaviour: no flow needed.
	us := newServer(t, amazonpaytest.WithRegion(amazonpay.RegionUS))
	c := us.AmazonPay()
	usd := &amazonpay.Price{Amount: "20.00", CurrencyCode: "USD"}
	id := us.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: usd}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	a, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: id, AuthorizationReferenceID: "us",
		AuthorizationAmount: usd, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationOpen, a.AuthorizationDetails.AuthorizationStatus.State)
}

// Access tokens are issued by the buyer's sign-in, expire on the sandbox
// clock and belong to one buyer; the same tokens serve GetUserInfo.
func TestAccessTokens(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("10.00")}})
	require.NoError(t, err)
	get := func(in *amazonpay.GetOrderReferenceDetailsInput) (*amazonpay.OrderReferenceDetails, error) {
		in.AmazonOrderReferenceID = id
		out, err := c.GetOrderReferenceDetails(ctx, in)
		if err != nil {
			return nil, err
		}
		return &out.OrderReferenceDetails, nil
	}

	_, err = get(&amazonpay.GetOrderReferenceDetailsInput{AccessToken: "Atza|made-up"})
	assert.Equal(t, amazonpay.ErrorInvalidAddressConsentToken, apiCode(t, err))
	assert.Equal(t, 404, apiError(t, err).StatusCode, "as Amazon's error table says")

	tok, err := srv.AccessToken(id)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(tok, "Atza|"), tok)
	d, err := get(&amazonpay.GetOrderReferenceDetailsInput{AccessToken: tok})
	require.NoError(t, err)
	require.NotNil(t, d.Buyer)
	assert.Equal(t, "Test Buyer", d.Buyer.Name)
	assert.Equal(t, "Teststr. 1", d.Destination.PhysicalDestination.AddressLine1)
	require.NotNil(t, d.PaymentDescriptor, "the buyer's payment method, with the token")
	assert.Equal(t, "Amazon Pay (Visa **1111)", d.PaymentDescriptor.FullDescriptor)
	d, err = get(&amazonpay.GetOrderReferenceDetailsInput{AddressConsentToken: tok})
	require.NoError(t, err)
	assert.NotNil(t, d.Buyer, "the legacy name works the same")
	d, err = get(&amazonpay.GetOrderReferenceDetailsInput{})
	require.NoError(t, err)
	assert.Nil(t, d.Buyer, "no token, no buyer before confirmation")

	// Another buyer's token.
	other := amazonpaytest.TestBuyer()
	other.Name, other.Email = "Other Buyer", "other@example.com"
	otherTok, err := srv.AccessToken(srv.CreateOrderReference(other))
	require.NoError(t, err)
	_, err = get(&amazonpay.GetOrderReferenceDetailsInput{AccessToken: otherTok})
	assert.Equal(t, amazonpay.ErrorInvalidAddressConsentToken, apiCode(t, err))

	// Billing agreements check the same way.
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, err = c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID, AccessToken: otherTok})
	assert.Equal(t, amazonpay.ErrorInvalidAddressConsentToken, apiCode(t, err))
	ba, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: baID, AccessToken: tok})
	require.NoError(t, err, "the same buyer's token from another checkout")
	assert.NotNil(t, ba.BillingAgreementDetails.Buyer)

	// GetUserInfo reads the profile with the same token.
	info, err := c.GetUserInfo(ctx, tok)
	require.NoError(t, err)
	assert.Equal(t, "Test Buyer", info.Name)
	assert.Equal(t, "buyer@example.com", info.Email)
	assert.Equal(t, "10115", info.PostalCode)
	assert.True(t, strings.HasPrefix(info.UserID, "amzn1.account."), info.UserID)
	otherInfo, err := c.GetUserInfo(ctx, srv.SignIn(other))
	require.NoError(t, err)
	assert.Equal(t, "Other Buyer", otherInfo.Name)
	assert.NotEqual(t, info.UserID, otherInfo.UserID)
	_, err = c.GetUserInfo(ctx, "Atza|made-up")
	var le *amazonpay.LoginError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "invalid_token", le.Code)

	// Tokens expire after an hour on the sandbox clock.
	srv.Advance(amazonpaytest.AccessTokenLifetime - time.Second)
	_, err = get(&amazonpay.GetOrderReferenceDetailsInput{AccessToken: tok})
	require.NoError(t, err)
	srv.Advance(time.Second)
	_, err = get(&amazonpay.GetOrderReferenceDetailsInput{AccessToken: tok})
	assert.Equal(t, amazonpay.ErrorInvalidAddressConsentToken, apiCode(t, err))
	_, err = c.GetUserInfo(ctx, tok)
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "invalid_token", le.Code)

	_, err = srv.AccessToken("S02-0000000-0000000")
	assert.ErrorIs(t, err, amazonpaytest.ErrNotFound)

	// The Login with Amazon endpoints answer an expired token as Amazon's do.
	for path, want := range map[string]int{"/auth/o2/tokeninfo": http.StatusBadRequest, "/user/profile": http.StatusUnauthorized} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("x-amz-access-token", tok)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
		assert.Contains(t, string(body), `"error":"invalid_token"`, path)
	}
}

// A Canceled billing agreement cancels its Open child order references.
func TestCanceledBillingAgreementCancelsChildren(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	baID := srv.CreateBillingAgreement(amazonpaytest.TestBuyer())
	child, err := c.CreateOrderReferenceForId(ctx, &amazonpay.CreateOrderReferenceForIdInput{ID: baID, IDType: amazonpay.IDTypeBillingAgreement,
		ConfirmNow: amazonpay.Bool(true), OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("5.00")}})
	require.NoError(t, err)
	childID := child.OrderReferenceDetails.AmazonOrderReferenceID
	mustState(t, srv, childID, "Open", "")
	srv.Advance(3 * time.Hour) // the Draft agreement goes stale
	mustState(t, srv, baID, "Canceled", "Stale")
	mustState(t, srv, childID, "Canceled", "AmazonCanceled")
	_, err = c.Authorize(ctx, &amazonpay.AuthorizeInput{AmazonOrderReferenceID: childID, AuthorizationReferenceID: "late",
		AuthorizationAmount: eur("5.00"), TransactionTimeout: amazonpay.Int(0)})
	assert.Equal(t, amazonpay.ErrorInvalidOrderReferenceStatus, apiCode(t, err))
}

// The seeds' 30-day rule in the EU and UK: without a capture within 30
// days of the buyer's authentication, merchant-initiated charges are
// declined until the buyer authenticates again; a 0.00 charge with
// CaptureNow within the 30 days is the documented placeholder.
func TestBillingAgreementThirtyDayRule(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock())
	c := srv.AmazonPay()
	charge := func(baID, ref, amount string, captureNow bool) amazonpay.AuthorizationDetails {
		t.Helper()
		out, err := c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
			AuthorizationReferenceID: ref, AuthorizationAmount: eur(amount), TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(captureNow)})
		require.NoError(t, err)
		return out.AuthorizationDetails
	}

	// Authorized but never captured: the authentication lapses.
	lapsed := confirmedBillingAgreement(t, srv, c)
	assert.Equal(t, amazonpay.AuthorizationOpen, charge(lapsed, "l1", "10.00", false).AuthorizationStatus.State)
	// The placeholder, on time.
	kept := confirmedBillingAgreement(t, srv, c)
	srv.Advance(29 * 24 * time.Hour)
	zero := charge(kept, "k0", "0.00", true)
	assert.Equal(t, amazonpay.AuthorizationClosed, zero.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonMaxCapturesProcessed, zero.AuthorizationStatus.ReasonCode)

	srv.Advance(24*time.Hour + time.Second) // day 30 has passed
	late := charge(lapsed, "l2", "10.00", false)
	assert.Equal(t, amazonpay.AuthorizationDeclined, late.AuthorizationStatus.State)
	assert.Equal(t, amazonpay.ReasonInvalidPaymentMethod, late.AuthorizationStatus.ReasonCode)
	assert.True(t, late.SoftDecline)
	mustState(t, srv, lapsed, "Suspended", "PaymentAuthorizationRequired")
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: lapsed})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ValidationFailure, v.ValidationResult)
	assert.Equal(t, amazonpay.AuthorizationOpen, charge(kept, "k1", "10.00", false).AuthorizationStatus.State, "the placeholder kept it")

	// The buyer authenticates again.
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: lapsed, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	_, err = srv.FollowConfirmationFlow(ctx, srv.SellerID(), lapsed)
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationOpen, charge(lapsed, "l3", "10.00", false).AuthorizationStatus.State)

	// Outside the EU and UK there is no such rule.
	us := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithRegion(amazonpay.RegionUS))
	uc := us.AmazonPay()
	baID := us.CreateBillingAgreement(amazonpaytest.TestBuyer())
	_, err = uc.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{AmazonBillingAgreementID: baID})
	require.NoError(t, err)
	us.Advance(60 * 24 * time.Hour)
	out, err := uc.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "us", AuthorizationAmount: &amazonpay.Price{Amount: "10.00", CurrencyCode: "USD"}, TransactionTimeout: amazonpay.Int(0)})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.AuthorizationOpen, out.AuthorizationDetails.AuthorizationStatus.State)
}
