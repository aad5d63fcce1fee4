package amazonpaytest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A notification resent through the control API reaches the endpoint
// again byte for byte, with the same MessageId, as SNS redelivers it; its
// attempts show in the list. An unknown MessageId is 404; after Close the
// sender refuses.
func TestControlAPIResendNotification(t *testing.T) {
	h, ts, c := controlServer(t)
	type post struct{ messageID, body string }
	var mu sync.Mutex
	var posts []post
	ipn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		posts = append(posts, post{r.Header.Get("X-Amz-Sns-Message-Id"), string(body)})
	}))
	t.Cleanup(ipn.Close)
	result(t, ts, "add-notification-url", `{"url": "`+ipn.URL+`"}`)

	id := h.CreateOrderReference(amazonpaytest.TestBuyer())
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: eur("20.00")}})
	require.NoError(t, err)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id, SuccessURL: okURL, FailureURL: failURL})
	require.NoError(t, err)
	result(t, ts, "amazon-cancel", `{"id": "`+id+`"}`)
	result(t, ts, "wait-notifications", ``)

	var canceled map[string]any
	for _, d := range result(t, ts, "notifications", ``).([]any) {
		if d := d.(map[string]any); d["ObjectID"] == id && d["State"] == "Canceled" {
			canceled = d
		}
	}
	require.NotNil(t, canceled, "the cancellation was notified")
	msgID := canceled["MessageID"].(string)
	require.NotEmpty(t, msgID)

	assert.Nil(t, result(t, ts, "resend-notification", `{"messageID": "`+msgID+`"}`))
	result(t, ts, "wait-notifications", ``)
	mu.Lock()
	var same []string
	for _, p := range posts {
		if p.messageID == msgID {
			same = append(same, p.body)
		}
	}
	mu.Unlock()
	require.Len(t, same, 2, "the first delivery and the resend")
	assert.Equal(t, same[0], same[1], "the same body and signature")
	for _, d := range h.Notifications() {
		if d.MessageID == msgID {
			require.Len(t, d.Attempts, 2)
			assert.Equal(t, 200, d.Attempts[1].Status)
			assert.True(t, d.Delivered)
		}
	}

	status, out := control(t, ts, "resend-notification", `{"messageID": "no-such-message"}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, out["error"], `no notification with MessageId "no-such-message"`)
	h.Close()
	assert.EqualError(t, h.ResendNotification(msgID), "amazonpaytest: the notification sender is closed")
}

// wallElapses returns once the wall clock has moved on by d: what a clock
// that follows it would show. It is not a wait for another goroutine.
func wallElapses(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
		time.Sleep(d / 4)
	}
}

// Freeze stops a clock that follows the wall clock (only Advance moves
// it then), and Unfreeze lets it follow the wall clock again from there.
func TestControlAPIFreezeAndUnfreeze(t *testing.T) {
	h, ts, _ := controlServer(t)
	running := h.Now()
	wallElapses(3 * time.Millisecond)
	require.True(t, h.Now().After(running), "the clock runs")

	assert.Nil(t, result(t, ts, "freeze", ``))
	frozen := h.Now()
	wallElapses(3 * time.Millisecond)
	assert.Equal(t, frozen, h.Now(), "frozen")
	result(t, ts, "freeze", ``) // again: nothing changes
	assert.Equal(t, frozen, h.Now())
	result(t, ts, "advance", `{"d": "1h"}`)
	assert.Equal(t, frozen.Add(time.Hour), h.Now(), "Advance still moves a frozen clock")

	assert.Nil(t, result(t, ts, "unfreeze", ``))
	wallElapses(3 * time.Millisecond)
	assert.True(t, h.Now().After(frozen.Add(time.Hour)), "it follows the wall clock again")
	assert.True(t, h.Now().Before(frozen.Add(2*time.Hour)), "from where it stood, not from the wall clock")
}
