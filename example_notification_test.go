package amazonpay_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// roundTripFunc serves the examples' certificate fetches from testdata.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// exampleVerifier checks the real 2015 SNS notification of
// testdata/notifications/sns offline: its certificate is served from
// testdata and trusted directly, with a clock inside its validity. A shop
// needs none of these options but the seller id:
//
//	v := amazonpay.NewNotificationVerifier(amazonpay.WithNotificationSellerIDs("A1SELLER"))
func exampleVerifier() *amazonpay.NotificationVerifier {
	return exampleVerifierWith(amazonpay.WithNotificationSellerIDs("AQR8184NJXADU"))
}

// exampleVerifierWith is exampleVerifier with the seller options given.
func exampleVerifierWith(sellers ...amazonpay.NotificationOption) *amazonpay.NotificationVerifier {
	certPEM, err := os.ReadFile("testdata/notifications/sns/signing-cert.pem")
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	fetch := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(certPEM)), Request: r}, nil
	})
	opts := []amazonpay.NotificationOption{
		amazonpay.WithCertHTTPClient(&http.Client{Transport: fetch}),
		amazonpay.WithCertRoots(roots),
		amazonpay.WithNotificationClock(func() time.Time { return time.Date(2015, 4, 30, 0, 10, 0, 0, time.UTC) }),
		amazonpay.WithMaxNotificationAge(time.Hour),
	}
	return amazonpay.NewNotificationVerifier(append(opts, sellers...)...)
}

// snsRequest is the POST with which SNS delivered the real notification.
func snsRequest() *http.Request {
	body, err := os.ReadFile("testdata/notifications/sns/body-valid.json")
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/amazon/ipn", bytes.NewReader(body))
	r.Header.Set("Content-Type", "text/plain; charset=UTF-8")
	r.Header.Set("X-Amz-Sns-Message-Type", "Notification")
	r.Header.Set("X-Amz-Sns-Topic-Arn", "arn:aws:sns:us-east-1:291180941288:A3BXB0YN3XH17HAQR8184NJXADU")
	return r
}

// A shop's IPN endpoint: verified notifications reach the function, which
// updates the order; a nil return answers 200, an error 500 (SNS delivers
// again), and anything unverified never reaches it.
func ExampleNewNotificationHandler() {
	h := amazonpay.NewNotificationHandler(exampleVerifier(), func(ctx context.Context, n *amazonpay.Notification) error {
		switch n.NotificationType {
		case amazonpay.NotificationTypeOrderReference:
			o := n.OrderReference
			fmt.Println("order reference", o.AmazonOrderReferenceID, o.OrderReferenceStatus.State, o.OrderReferenceStatus.ReasonCode)
		case amazonpay.NotificationTypePaymentAuthorize:
			a := n.Authorization
			if a.AuthorizationStatus.State == amazonpay.AuthorizationDeclined {
				fmt.Println("authorization declined: ask the buyer for another payment method")
			}
		}
		return nil
	}, amazonpay.WithDuplicateSuppression(1000))

	mux := http.NewServeMux()
	mux.Handle("POST /amazon/ipn", h)

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, snsRequest())
	fmt.Println(w.Code)
	// Output:
	// order reference P01-0000000-0000000-000000 Closed AmazonClosed
	// 200
}

// Verify checks and parses one notification without the handler, e.g. in
// a queue consumer.
func ExampleNotificationVerifier_Verify() {
	r := snsRequest()
	body, _ := io.ReadAll(r.Body)
	n, err := exampleVerifier().Verify(context.Background(), r.Header, body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.NotificationType, n.NotificationReferenceID, n.SellerID, n.ReleaseEnvironment, n.IsSample)

	// One changed byte and the notification is rejected.
	_, err = exampleVerifier().Verify(context.Background(), r.Header, bytes.Replace(body, []byte("Closed"), []byte("Open"), 1))
	fmt.Println(err)
	// Output:
	// OrderReferenceNotification 1111111-1111-11111-1111-11111EXAMPLE AQR8184NJXADU Sandbox true
	// amazonpay: notification rejected (Signature): Signature: does not match the message: crypto/rsa: verification error
}

// A verifier names the shop's seller id; one that names no seller refuses
// every notification. A platform that receives the notifications of many
// sellers at one endpoint opts in to them all, and tells them apart by
// SellerID.
func ExampleWithAnyNotificationSeller() {
	r := snsRequest()
	body, _ := io.ReadAll(r.Body)
	_, err := exampleVerifierWith().Verify(context.Background(), r.Header, body)
	fmt.Println(err)

	n, err := exampleVerifierWith(amazonpay.WithAnyNotificationSeller()).Verify(context.Background(), r.Header, body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("notification of seller", n.SellerID)
	// Output:
	// amazonpay: notification rejected (Unconfigured): the verifier names no seller: pass WithNotificationSellerIDs(your seller id), or WithAnyNotificationSeller() on a platform serving many sellers
	// notification of seller AQR8184NJXADU
}

// ParseNotificationData reads a notification's XML that was verified
// elsewhere or stored.
func ExampleParseNotificationData() {
	data, err := os.ReadFile("testdata/notifications/PaymentCapture.xml")
	if err != nil {
		log.Fatal(err)
	}
	n, err := amazonpay.ParseNotificationData(amazonpay.NotificationTypePaymentCapture, data)
	if err != nil {
		log.Fatal(err)
	}
	c := n.Capture
	fmt.Println(c.AmazonCaptureID, c.CaptureStatus.State, c.CaptureAmount, c.IDList.IDs())
	// Output:
	// S02-1234567-1234567-C000001 Completed 106.5 EUR [S02-1234567-1234567-R000001 S02-1234567-1234567-R000002]
}

// A production verifier needs only the shop's seller id: certificates are
// fetched from Amazon and checked against the system roots. A notification
// whose SigningCertURL is not Amazon SNS's is rejected before any fetch.
func ExampleNewNotificationVerifier() {
	v := amazonpay.NewNotificationVerifier(
		amazonpay.WithNotificationSellerIDs("AQR8184NJXADU"),
		amazonpay.WithMaxNotificationAge(time.Hour),
	)
	body, err := os.ReadFile("testdata/notifications/sns/body-invalid.json")
	if err != nil {
		log.Fatal(err)
	}
	h := http.Header{"X-Amz-Sns-Message-Type": {"Notification"}}
	_, err = v.Verify(context.Background(), h, body)
	fmt.Println(errors.Is(err, amazonpay.ErrNotificationRejected))
	fmt.Println(err)
	// Output:
	// true
	// amazonpay: notification rejected (CertURL): SigningCertURL: host is not sns.<region>.amazonaws.com
}
