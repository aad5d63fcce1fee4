package amazonpay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// utf8BOMBytes is the byte-order mark some servers and proxies put before
// an XML document.
var utf8BOMBytes = []byte{0xEF, 0xBB, 0xBF}

// bomClient is a client whose transport answers every request with a
// hand-built *http.Response: status, and body after a UTF-8 byte-order mark.
func bomClient(t *testing.T, status int, body []byte) *Client {
	t.Helper()
	withBOM := append(append([]byte{}, utf8BOMBytes...), body...)
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:  http.Header{"Content-Type": {"text/xml"}},
			Body:    io.NopCloser(bytes.NewReader(withBOM)),
			Request: req,
		}, nil
	})
	c, err := NewClient(testConfig(), WithHTTPClient(&http.Client{Transport: rt}), WithRateLimiter(nil),
		WithRetryPolicy(RetryPolicy{}))
	require.NoError(t, err)
	return c
}

// Issue 14 item 2: a byte-order mark before the root element is no text
// before it, on a success reply as on an ErrorResponse.
func TestByteOrderMarkBeforeTheRootIsAccepted(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"GetOrderReferenceDetailsResponse.xml", "CloseAuthorizationResponse.xml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := fixture(t, name)
			bodies := [][]byte{body}
			if bytes.HasPrefix(body, []byte("<?xml")) { // and without the declaration
				bodies = append(bodies, bytes.TrimSpace(body[bytes.IndexByte(body, '>')+1:]))
			} else { // and with one
				bodies = append(bodies, append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"), body...))
			}
			for _, b := range bodies {
				c := bomClient(t, 200, b)
				switch name {
				case "GetOrderReferenceDetailsResponse.xml":
					out, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
					require.NoError(t, err)
					assert.Equal(t, "S02-1234567-7654321", out.OrderReferenceDetails.AmazonOrderReferenceID)
					assert.Equal(t, append(append([]byte{}, utf8BOMBytes...), b...), out.RawXML, "RawXML is the body as received")
				default:
					out, err := c.CloseAuthorization(context.Background(), &CloseAuthorizationInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001"})
					require.NoError(t, err)
					assert.NotEmpty(t, out.RequestID)
				}
			}
		})
	}
	t.Run("ErrorResponse", func(t *testing.T) {
		t.Parallel()
		c := bomClient(t, 400, fixture(t, "ErrorResponse.xml"))
		_, err := c.GetOrderReferenceDetails(context.Background(), &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: "S02-1234567-7654321"})
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "%T %v", err, err)
		assert.Equal(t, ErrorCode("OrderReferenceNotModifiable"), apiErr.Code)
	})
	t.Run("BOM then text is still text before the root", func(t *testing.T) {
		t.Parallel()
		c := bomClient(t, 200, append([]byte("junk"), fixture(t, "CloseAuthorizationResponse.xml")...))
		_, err := c.CloseAuthorization(context.Background(), &CloseAuthorizationInput{AmazonAuthorizationID: "S02-1234567-7654321-A000001"})
		var ue *UnexpectedResponseError
		require.True(t, errors.As(err, &ue), "%T %v", err, err)
	})
}
