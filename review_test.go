package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func createOrderReferenceForIDInput() *CreateOrderReferenceForIdInput {
	return &CreateOrderReferenceForIdInput{ID: "C02-5555555-6666666", IDType: IDTypeBillingAgreement,
		OrderReferenceAttributes: &OrderReferenceAttributes{OrderTotal: &Price{Amount: "25.00"}}}
}

// dialFailure fails like a connection that could not be opened: the
// request never left the client.
func dialFailure(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
}

// CreateOrderReferenceForId creates a new order reference on every call
// and carries no reference id that MWS could deduplicate it by. After a
// failure that leaves open whether MWS acted (no reply, a truncated reply,
// a gateway's 502/504), repeating it could leave a second order reference
// on the billing agreement, so it is not repeated. A failure before the
// request left, and MWS's own 500/503 answers, are still retried.
func TestCreateOrderReferenceForIdNotRepeatedAfterAmbiguousFailure(t *testing.T) {
	t.Parallel()
	ok := func(t *testing.T) httpmock.Responder {
		return fixtureResponder(t, 200, "CreateOrderReferenceForIdResponse.xml")
	}
	truncated := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, fixture(t, "CreateOrderReferenceForIdResponse.xml")[:100])
		resp.ContentLength = 4096 // the connection dropped mid-body
		return resp, nil
	}
	for _, tc := range []struct {
		name     string
		first    httpmock.Responder
		attempts int
		wantErr  func(t *testing.T, err error)
	}{
		{"connection lost", connectionReset, 1, func(t *testing.T, err error) {
			var reqErr *RequestError
			require.True(t, errors.As(err, &reqErr), "%T %v", err, err)
			assert.Equal(t, 1, reqErr.Attempts)
		}},
		{"truncated reply", truncated, 1, func(t *testing.T, err error) {
			var reqErr *RequestError
			require.True(t, errors.As(err, &reqErr), "%T %v", err, err)
		}},
		{"gateway timeout", httpmock.NewStringResponder(504, ""), 1, func(t *testing.T, err error) {
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
			assert.Equal(t, 504, ue.StatusCode)
		}},
		{"bad gateway page", fixtureResponder(t, 502, "BadGateway.html"), 1, func(t *testing.T, err error) {
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
		}},
		{"dial failure", dialFailure, 2, nil},
		{"throttled", fixtureResponder(t, 503, "Throttled.xml"), 2, nil},
		{"internal server error", fixtureResponder(t, 500, "InternalServerError.xml"), 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newTestClient(t)
			rec := respondSeq(mt, tc.first, ok(t))
			out, err := c.CreateOrderReferenceForId(context.Background(), createOrderReferenceForIDInput())
			assert.Equal(t, tc.attempts, rec.count())
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, "S02-7777777-8888888", out.OrderReferenceDetails.AmazonOrderReferenceID)
				return
			}
			require.Error(t, err)
			assert.Nil(t, out)
			tc.wantErr(t, err)
		})
	}

	// The operations that may be repeated still are, after the same failures.
	c, mt := newTestClient(t)
	rec := respondSeq(mt, connectionReset, httpmock.NewStringResponder(504, ""),
		fixtureResponder(t, 200, "ConfirmOrderReferenceResponse.xml"))
	_, err := c.ConfirmOrderReference(context.Background(), confirmInput())
	require.NoError(t, err)
	assert.Equal(t, 3, rec.count())
}

// A policy without MaxDelay has no cap: each wait is four times the last,
// as RetryPolicy documents.
func TestRetryDelaysWithoutMaxDelay(t *testing.T) {
	p := RetryPolicy{MaxRetries: 3, BaseDelay: time.Second, NoJitter: true}
	assert.Equal(t, []time.Duration{time.Second, 4 * time.Second, 16 * time.Second},
		[]time.Duration{p.delay(1), p.delay(2), p.delay(3)})
	// Many retries never overflow into a negative or zero wait.
	for n := 1; n <= 100; n++ {
		assert.Greater(t, p.delay(n), time.Duration(0), "retry %d", n)
		assert.GreaterOrEqual(t, p.delay(n+1), p.delay(n), "retry %d", n)
	}
	p.NoJitter = false
	for i := 0; i < 50; i++ {
		d := p.delay(3)
		assert.GreaterOrEqual(t, d, 8*time.Second)
		assert.LessOrEqual(t, d, 16*time.Second)
	}
}

// Printing or logging the client itself never shows the secret key.
func TestClientNeverPrintsSecret(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		s := fmt.Sprintf(format, c)
		assert.NotContains(t, s, "test-secret-key", format)
		assert.NotContains(t, s, fmt.Sprintf("%x", "test-secret-key"), format)
	}
	type app struct {
		Pay *Client
	}
	assert.NotContains(t, fmt.Sprintf("%+v", app{c}), "test-secret-key")
	assert.Contains(t, fmt.Sprintf("%v", c), "A1SELLERTEST", "the client still says which seller it is")

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("client", "client", c)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("client", "client", c)
	assert.NotContains(t, buf.String(), "test-secret-key")
	assert.Contains(t, buf.String(), "A1SELLERTEST")
}

// A reply that reached MWS but cannot be read still tells the caller its
// request id, to quote to Amazon.
func TestUnexpectedResponseKeepsRequestID(t *testing.T) {
	t.Parallel()
	badTime := `<AuthorizeResponse xmlns="http://mws.amazonservices.com/schema/OffAmazonPayments/2013-01-01">
  <AuthorizeResult><AuthorizationDetails>
    <AmazonAuthorizationId>S02-1234567-7654321-A000001</AmazonAuthorizationId>
    <CreationTimestamp>yesterday</CreationTimestamp>
  </AuthorizationDetails></AuthorizeResult>
  <ResponseMetadata><RequestId>b6e7a1c2-0000-4000-8000-00000000abcd</RequestId></ResponseMetadata>
</AuthorizeResponse>`
	for _, tc := range []struct {
		name, body, requestID string
		status                int
	}{
		{"undecodable success", badTime, "b6e7a1c2-0000-4000-8000-00000000abcd", 200},
		{"error without code", `<ErrorResponse><Error><Type>Sender</Type><Code></Code></Error><RequestId>5e0a-1</RequestId></ErrorResponse>`, "5e0a-1", 403},
		{"error without code, throttle spelling", `<ErrorResponse><Error><Code/></Error><RequestID>5e0a-2</RequestID></ErrorResponse>`, "5e0a-2", 400},
		{"HTML page", "<html><body>502 Bad Gateway</body></html>", "", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newTestClient(t)
			mt.RegisterResponder(http.MethodPost, testEndpoint, httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.Authorize(context.Background(), &AuthorizeInput{AmazonOrderReferenceID: "S02-1234567-7654321",
				AuthorizationReferenceID: "auth-1", AuthorizationAmount: &Price{Amount: "1.00"}})
			var ue *UnexpectedResponseError
			require.True(t, errors.As(err, &ue), "%T %v", err, err)
			assert.Equal(t, tc.requestID, ue.RequestID)
			if tc.requestID != "" {
				assert.Contains(t, err.Error(), "request id "+tc.requestID)
			}
		})
	}
}

// MWS needs at least one billing agreement attribute; an empty
// SellerBillingAgreementAttributes sends none.
func TestSetBillingAgreementDetailsRejectsEmptySellerAttributes(t *testing.T) {
	runOpValidationCases(t, []opValidationCase{
		{"empty seller attributes", "BillingAgreementAttributes", "set at least one attribute", func(ctx context.Context, c *Client) error {
			_, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{
				AmazonBillingAgreementID: "C02-5555555-6666666",
				BillingAgreementAttributes: &BillingAgreementAttributes{
					SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{},
				},
			})
			return err
		}},
	})
	// One seller attribute is enough.
	c, mt := newTestClient(t)
	rec := respond(t, mt, 200, "SetBillingAgreementDetailsResponse.xml")
	_, err := c.SetBillingAgreementDetails(context.Background(), &SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		BillingAgreementAttributes: &BillingAgreementAttributes{
			SellerBillingAgreementAttributes: &SellerBillingAgreementAttributes{StoreName: "Demo Shop"},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, withCommonKeys("AmazonBillingAgreementId", "BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName"),
		formKeys(rec.body(0)))
}
