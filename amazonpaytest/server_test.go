package amazonpaytest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignatureRejected(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID: srv.SellerID(), AccessKeyID: srv.AccessKeyID(), SecretKey: "not-the-secret",
		Region: amazonpay.RegionDE, Sandbox: true,
	}, amazonpay.WithHTTPClient(srv.Client()), amazonpay.WithEndpoint(srv.URL), amazonpay.WithClock(srv.Now))
	require.NoError(t, err)
	_, err = c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	e := apiError(t, err)
	assert.Equal(t, amazonpay.ErrorSignatureDoesNotMatch, e.Code)
	assert.Equal(t, http.StatusForbidden, e.StatusCode)
	assert.Equal(t, "Sender", e.Type)
	assert.NotEmpty(t, e.RequestID)

	reqs := srv.Requests()
	require.Len(t, reqs, 1, "403 is not retried")
	assert.False(t, reqs[0].SignatureValid)
	assert.Equal(t, "SignatureDoesNotMatch", reqs[0].ErrorCode)
	assert.Equal(t, 403, reqs[0].Status)
	assert.False(t, reqs[0].Applied)
}

func TestSignatureCoversEveryParameterHostAndPath(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())

	// Changed after signing.
	v := sign(srv, srv.SecretKey(), rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id))
	v.Set("AmazonOrderReferenceId", "S02-0000000-0000000")
	status, body := post(t, srv, v)
	assert.Equal(t, 403, status)
	assert.Equal(t, "SignatureDoesNotMatch", parseError(t, body).Code)

	// Signed for Amazon's host instead of the one the request went to.
	v = rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	v.Set("Signature", amazonpay.Sign(srv.SecretKey(), "mws-eu.amazonservices.com", srv.Path(), v))
	status, _ = post(t, srv, v)
	assert.Equal(t, 403, status)

	// Signed for the live path.
	v = rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	u, _ := url.Parse(srv.URL)
	v.Set("Signature", amazonpay.Sign(srv.SecretKey(), u.Host, "/OffAmazonPayments/2013-01-01", v))
	status, _ = post(t, srv, v)
	assert.Equal(t, 403, status)

	status, _ = raw(t, srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", id)
	assert.Equal(t, 200, status)
}

func TestAuthenticationChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	good := func(kv ...string) url.Values { return rawForm(srv, "GetServiceStatus", kv...) }
	cases := []struct {
		name   string
		form   url.Values
		signed bool
		status int
		code   string
	}{
		{"unknown access key", good("AWSAccessKeyId", "AKIAOTHER"), true, 403, "InvalidAccessKeyId"},
		{"wrong seller", good("SellerId", "A2OTHER"), true, 401, "UnauthorizedAccess"},
		{"timestamp 16 min ahead", good("Timestamp", amazonpay.FormatTimestamp(srv.Now().Add(16*time.Minute))), true, 400, "InvalidParameterValue"},
		{"timestamp 16 min behind", good("Timestamp", amazonpay.FormatTimestamp(srv.Now().Add(-16*time.Minute))), true, 400, "InvalidParameterValue"},
		{"timestamp garbage", good("Timestamp", "yesterday"), true, 400, "InvalidParameterValue"},
		{"version", good("Version", "2009-01-01"), true, 400, "InvalidParameterValue"},
		{"signature method", good("SignatureMethod", "HmacSHA1"), true, 400, "InvalidParameterValue"},
		{"signature version", good("SignatureVersion", "1"), true, 400, "InvalidParameterValue"},
		{"unknown action", rawForm(srv, "ChargeEverything"), true, 400, "InvalidParameterValue"},
		{"unsigned", good(), false, 400, "MissingParameter"},
	}
	for _, name := range []string{"AWSAccessKeyId", "Action", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"} {
		v := good()
		v.Del(name)
		cases = append(cases, struct {
			name   string
			form   url.Values
			signed bool
			status int
			code   string
		}{"missing " + name, v, true, 400, "MissingParameter"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.form
			if tc.signed {
				v = sign(srv, srv.SecretKey(), v)
			}
			status, body := post(t, srv, v)
			assert.Equal(t, tc.status, status, body)
			e := parseError(t, body)
			assert.Equal(t, tc.code, e.Code)
			assert.Regexp(t, `^[0-9a-f-]{36}$`, e.RequestID)
		})
	}

	// Within the window is fine; GetServiceStatus needs no SellerId.
	v := good("Timestamp", amazonpay.FormatTimestamp(srv.Now().Add(14*time.Minute)))
	v.Del("SellerId")
	status, _ := post(t, srv, sign(srv, srv.SecretKey(), v))
	assert.Equal(t, 200, status)
	// Other operations do.
	v = rawForm(srv, "GetOrderReferenceDetails", "AmazonOrderReferenceId", "S02-0000000-0000000")
	v.Del("SellerId")
	status, body := post(t, srv, sign(srv, srv.SecretKey(), v))
	assert.Equal(t, 400, status)
	assert.Equal(t, "MissingParameter", parseError(t, body).Code)
}

func TestMethodPathAndBody(t *testing.T) {
	t.Parallel()
	srv := newServer(t)

	resp, err := srv.Client().Get(srv.Endpoint())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)

	post := func(path, form string) (int, mwsError) {
		resp, err := srv.Client().Post(srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader(form))
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, parseError(t, string(body))
	}
	status, e := post("/OffAmazonPayments/2013-01-01", "")
	assert.Equal(t, 500, status, "sandbox request sent to production")
	assert.Equal(t, "InternalServerError", e.Code)
	assert.Equal(t, "Receiver", e.Type)
	status, e = post("/elsewhere", "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidAddress", e.Code)
	status, e = post("/OffAmazonPayments_Sandbox/2013-01-01", "Action=%zz")
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidParameterValue", e.Code)
}

func TestClientClockOutOfStep(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithFrozenClock(), amazonpaytest.WithStartTime(time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC)))
	c := srv.AmazonPay(amazonpay.WithClock(time.Now)) // wall clock, not the sandbox's
	_, err := c.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.Equal(t, amazonpay.ErrorInvalidParameterValue, apiCode(t, err))
	assert.Contains(t, apiError(t, err).Message, "15 minutes")

	out, err := srv.AmazonPay().GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ServiceStatus("GREEN"), out.Status)
	assert.Equal(t, time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC), out.Timestamp)
}

func TestCredentialOptionsAndLive(t *testing.T) {
	t.Parallel()
	srv := newServer(t, amazonpaytest.WithSellerID("A3MYSHOP"), amazonpaytest.WithCredentials("AKIAMINE", "s3cret"),
		amazonpaytest.WithLive(), amazonpaytest.WithRegion(amazonpay.RegionUS), amazonpaytest.WithSeed(7))
	assert.Equal(t, "A3MYSHOP", srv.SellerID())
	assert.Equal(t, "AKIAMINE", srv.AccessKeyID())
	assert.Equal(t, "s3cret", srv.SecretKey())
	assert.False(t, srv.Sandbox())
	assert.Equal(t, amazonpay.RegionUS, srv.Region())
	assert.Equal(t, "/OffAmazonPayments/2013-01-01", srv.Path())
	c := srv.AmazonPay()
	assert.Equal(t, srv.URL+"/OffAmazonPayments/2013-01-01", c.Endpoint())

	buyer := amazonpaytest.TestBuyer()
	id := srv.CreateOrderReference(buyer)
	assert.Regexp(t, `^P01-\d{7}-\d{7}$`, id)
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal: &amazonpay.Price{Amount: "5.00"},
			// In production a simulation string is just a note.
			SellerNote: `{"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}`,
		},
	})
	require.NoError(t, err)
	got, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id})
	require.NoError(t, err)
	assert.Equal(t, amazonpay.ReleaseLive, got.OrderReferenceDetails.ReleaseEnvironment)
	assert.Empty(t, got.OrderReferenceDetails.Constraints)
	assert.Equal(t, "en-US", got.OrderReferenceDetails.OrderLanguage)
	assert.Regexp(t, `^B01-`, srv.CreateBillingAgreement(buyer))

	// Only USD in the US.
	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   srv.CreateOrderReference(buyer),
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("5.00")},
	})
	assert.Equal(t, amazonpay.ErrorCurrencyUnsupported, apiCode(t, err))

	// A sandbox client is refused by a production section.
	sandboxClient := srv.AmazonPay(amazonpay.WithEndpoint(srv.URL + "/OffAmazonPayments_Sandbox/2013-01-01"))
	_, err = sandboxClient.GetServiceStatus(ctx, &amazonpay.GetServiceStatusInput{})
	assert.Equal(t, amazonpay.ErrorInternalServerError, apiCode(t, err))
}

func TestSeedMakesIDsReproducible(t *testing.T) {
	t.Parallel()
	a := amazonpaytest.NewHandler(amazonpaytest.WithSeed(42), amazonpaytest.WithRegion(amazonpay.RegionJP))
	b := amazonpaytest.NewHandler(amazonpaytest.WithSeed(42), amazonpaytest.WithRegion(amazonpay.RegionJP))
	idA, idB := a.CreateOrderReference(amazonpaytest.TestBuyer()), b.CreateOrderReference(amazonpaytest.TestBuyer())
	assert.Equal(t, idA, idB)
	assert.Regexp(t, `^S03-`, idA)
	// An invalid region falls back to DE.
	assert.Equal(t, amazonpay.RegionDE, amazonpaytest.NewHandler(amazonpaytest.WithRegion("mars")).Region())
}

func TestPlainHandlerMountedInAMux(t *testing.T) {
	t.Parallel()
	h := amazonpaytest.NewHandler()
	mux := http.NewServeMux()
	mux.Handle("/", h)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID: h.SellerID(), AccessKeyID: h.AccessKeyID(), SecretKey: h.SecretKey(), Region: amazonpay.RegionDE, Sandbox: true,
	}, amazonpay.WithHTTPClient(ts.Client()), amazonpay.WithEndpoint(ts.URL), amazonpay.WithClock(h.Now))
	require.NoError(t, err)
	id := h.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err = c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id, OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("1.00")},
	})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	back, err := h.RunConfirmationFlow(h.SellerID(), id)
	require.NoError(t, err)
	assert.Equal(t, okURL+"?AuthenticationStatus=Success", back.String())
	assert.Equal(t, "Open", h.State(id))
}

func TestAmazonPayPanicsOnBadOption(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	assert.Panics(t, func() { srv.AmazonPay(amazonpay.WithEndpoint("not a url")) })
}

func TestOperationsTable(t *testing.T) {
	t.Parallel()
	names := amazonpaytest.Operations()
	for _, op := range []string{"Authorize", "AuthorizeOnBillingAgreement", "Capture", "Refund", "CreateOrderReferenceForId",
		"GetServiceStatus", "CloseAuthorization", "CancelOrderReference", "ValidateBillingAgreement"} {
		assert.Contains(t, names, op)
	}
	assert.IsIncreasing(t, names)
}

// TestParallelCheckouts runs many shops against one sandbox at once; with
// -race it proves the sandbox is race-free.
func TestParallelCheckouts(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var wg sync.WaitGroup
	const n = 12
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := srv.AmazonPay()
			id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
			if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
				AmazonOrderReferenceID: id, OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("3.00")},
			}); err != nil {
				errs <- err
				return
			}
			if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL}); err != nil {
				errs <- err
				return
			}
			if _, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id); err != nil {
				errs <- err
				return
			}
			out, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
				AmazonOrderReferenceID: id, AuthorizationReferenceID: fmt.Sprintf("p-%d", i),
				AuthorizationAmount: eur("3.00"), TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
			})
			if err != nil {
				errs <- err
				return
			}
			if _, err := c.Refund(ctx, &amazonpay.RefundInput{
				AmazonCaptureID: out.AuthorizationDetails.IDList.IDs()[0], RefundReferenceID: fmt.Sprintf("r-%d", i), RefundAmount: eur("1.00"),
			}); err != nil {
				errs <- err
			}
			srv.Advance(time.Second)
			_ = srv.Objects("")
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, amazonpaytest.MoneyMovements{Authorizations: n, Captures: n, Refunds: n}, srv.MoneyMovements())
	assert.Len(t, srv.Objects(amazonpaytest.KindOrderReference), n)
}
