package amazonpay_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// README's "Instant Payment Notifications" snippet, from the OrderStore
// line to the end of ipnEndpoint, is this file's text between the markers
// (tabs written as four spaces): TestReadmeShowsIPNEndpoint keeps them equal.

// readme:ipn:start

// OrderStore is the shop's order database.
type OrderStore interface {
	// Once runs apply in a transaction that also records id, unless id is recorded already.
	Once(ctx context.Context, id string, apply func(ctx context.Context) error) error
	PaymentDeclined(ctx context.Context, authID string, soft bool) error
	PaymentCaptured(ctx context.Context, captureID string, amount amazonpay.Price) error
	RefundDone(ctx context.Context, refundID string, state amazonpay.RefundState) error
	OrderClosed(ctx context.Context, orderRefID string, reason amazonpay.ReasonCode) error
}

// ipnEndpoint is the shop's IPN URL: mux.Handle("POST /amazon/ipn", ipnEndpoint(store)).
func ipnEndpoint(store OrderStore) http.Handler {
	v := amazonpay.NewNotificationVerifier(
		amazonpay.WithNotificationSellerIDs("A1SELLERTEST"), // required: only your own notifications
		amazonpay.WithMaxNotificationAge(6*time.Hour),       // against replays
		amazonpay.WithNotificationLogger(slog.Default()),    // never logs buyer data
	)
	return amazonpay.NewNotificationHandler(v, func(ctx context.Context, n *amazonpay.Notification) error {
		// SNS delivers at least once (an error answers 500 and SNS delivers again):
		// apply each notification once, by its NotificationReferenceID.
		return store.Once(ctx, n.NotificationReferenceID, func(ctx context.Context) error {
			switch n.NotificationType {
			case amazonpay.NotificationTypePaymentAuthorize:
				a := n.Authorization
				if a.AuthorizationStatus.State == amazonpay.AuthorizationDeclined {
					// An asynchronous authorization declined later: ask the buyer for another
					// payment method (a soft decline may succeed on a new Authorize).
					return store.PaymentDeclined(ctx, a.AmazonAuthorizationID, a.SoftDecline)
				}
			case amazonpay.NotificationTypePaymentCapture:
				if c := n.Capture; c.CaptureStatus.State == amazonpay.CaptureCompleted {
					return store.PaymentCaptured(ctx, c.AmazonCaptureID, c.CaptureAmount)
				}
			case amazonpay.NotificationTypePaymentRefund:
				return store.RefundDone(ctx, n.Refund.AmazonRefundID, n.Refund.RefundStatus.State)
			case amazonpay.NotificationTypeOrderReference:
				if o := n.OrderReference; o.OrderReferenceStatus.State == amazonpay.OrderReferenceClosed {
					return store.OrderClosed(ctx, o.AmazonOrderReferenceID, o.OrderReferenceStatus.ReasonCode)
				}
			}
			return nil
		})
	}, amazonpay.WithSubscriptionConfirmation())
}

// readme:ipn:end

// noStore fails every call: nothing may reach it in TestReadmeIPNEndpointRejectsForgeries.
type noStore struct{ t *testing.T }

func (s noStore) Once(context.Context, string, func(context.Context) error) error {
	s.t.Error("unverified notification reached the store")
	return errors.New("unexpected")
}
func (noStore) PaymentDeclined(context.Context, string, bool) error            { return nil }
func (noStore) PaymentCaptured(context.Context, string, amazonpay.Price) error { return nil }
func (noStore) RefundDone(context.Context, string, amazonpay.RefundState) error {
	return nil
}
func (noStore) OrderClosed(context.Context, string, amazonpay.ReasonCode) error { return nil }

// The README endpoint rejects a notification whose certificate URL is not
// Amazon's, before any fetch, with 403.
func TestReadmeIPNEndpointRejectsForgeries(t *testing.T) {
	body, err := os.ReadFile("testdata/notifications/sns/body-invalid.json")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/amazon/ipn", bytes.NewReader(body))
	r.Header.Set("X-Amz-Sns-Message-Type", "Notification")
	w := httptest.NewRecorder()
	ipnEndpoint(noStore{t}).ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", w.Code)
	}
}

func TestReadmeShowsIPNEndpoint(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile("readme_ipn_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, text, _ := strings.Cut(string(source), "// readme:ipn:start\n\n")
	text, _, _ = strings.Cut(text, "\n// readme:ipn:end")
	want := strings.ReplaceAll(text, "\t", "    ")
	if !strings.Contains(string(readme), "```go\n"+want+"```\n") {
		t.Errorf("README lacks the IPN endpoint of readme_ipn_test.go:\n%s", want)
	}
}
