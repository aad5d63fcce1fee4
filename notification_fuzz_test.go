package amazonpay

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzNotificationEnvelope: any header and body either verify (then they
// carry exactly the fields Amazon signed: the real SNS notification of
// testdata/notifications/sns) or fail with a typed *NotificationError; no
// panic, no success for anything unsigned.
func FuzzNotificationEnvelope(f *testing.F) {
	valid, err := os.ReadFile("testdata/notifications/sns/body-valid.json")
	if err != nil {
		f.Fatal(err)
	}
	invalid, _ := os.ReadFile("testdata/notifications/sns/body-invalid.json")
	f.Add("Notification", valid)
	f.Add("Notification", invalid)
	f.Add("SubscriptionConfirmation", valid)
	f.Add("Notification", []byte(`{"Type":"Notification"}`))
	v, _ := realVectorVerifier(f)
	f.Fuzz(func(t *testing.T, msgType string, body []byte) {
		h := http.Header{"X-Amz-Sns-Message-Type": {msgType}}
		n, err := v.Verify(context.Background(), h, body)
		if err != nil {
			var ne *NotificationError
			if n != nil || !errors.As(err, &ne) {
				t.Fatalf("want a typed error and no notification, got %v, %T", n, err)
			}
			return
		}
		if n.MessageID != "15e7412b-e9ac-5f6a-b6df-0c909df567a0" || n.TopicArn != "arn:aws:sns:us-east-1:291180941288:A3BXB0YN3XH17HAQR8184NJXADU" ||
			!strings.HasPrefix(n.Message, `{"NotificationReferenceId":"1111111-1111-11111-1111-11111EXAMPLE"`) ||
			n.OrderReference == nil || n.OrderReference.AmazonOrderReferenceID != "P01-0000000-0000000-000000" {
			t.Fatalf("verified something Amazon did not sign: %+v", n)
		}
	})
}

// FuzzNotificationData: any NotificationData of any type parses to exactly
// the one payload of that type, or fails as malformed; never a panic.
func FuzzNotificationData(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "notifications", "*.xml"))
	for _, name := range names {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(strings.TrimSuffix(filepath.Base(name), ".xml"), b)
		}
	}
	f.Add("Chargeback Detailed Notification", []byte(`<ChargebackNotification><ChargebackDetails/></ChargebackNotification>`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		n, err := ParseNotificationData(NotificationType(typ), data)
		if err != nil {
			var ne *NotificationError
			if n != nil || !errors.As(err, &ne) || ne.Reason != NotificationMalformed {
				t.Fatalf("want a Malformed error and no notification, got %v, %v", n, err)
			}
			return
		}
		if payloads(n) != 1 {
			t.Fatalf("%d payloads for %q", payloads(n), typ)
		}
		if n.NotificationType != NotificationType(strings.ReplaceAll(typ, " ", "")) {
			t.Fatalf("type %q became %q", typ, n.NotificationType)
		}
	})
}
