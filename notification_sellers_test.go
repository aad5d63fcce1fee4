package amazonpay

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unconfiguredVerifier trusts p's root and fetches from srv, like
// testVerifier, but names no seller: what a shop gets that forgets
// WithNotificationSellerIDs.
func unconfiguredVerifier(p *testPKI, srv *certServer, opts ...NotificationOption) *NotificationVerifier {
	base := []NotificationOption{
		WithCertHTTPClient(srv.client()),
		WithCertRoots(p.roots),
		WithNotificationClock(func() time.Time { return ipnNow }),
		WithMaxNotificationAge(time.Hour),
	}
	return NewNotificationVerifier(append(base, opts...)...)
}

// A verifier that names no seller would accept every Amazon Pay
// merchant's genuine notifications, so that any merchant could replay its
// own to another shop's endpoint: it refuses every notification, before
// any fetch, with an error naming the two ways to configure it.
func TestNotificationVerifierWithoutSellersRefuses(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	for name, opts := range map[string][]NotificationOption{
		"no option":                   nil,
		"WithNotificationSellerIDs()": {WithNotificationSellerIDs()},
		"an empty seller id":          {WithNotificationSellerIDs("")},
	} {
		srv := standardServer(p)
		_, err := unconfiguredVerifier(p, srv, opts...).Verify(context.Background(), e.header, body)
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ErrNotificationRejected, name)
		var ne *NotificationError
		require.ErrorAs(t, err, &ne, name)
		assert.Equal(t, NotificationUnconfigured, ne.Reason, name)
		assert.Contains(t, err.Error(), "WithNotificationSellerIDs", name)
		assert.Contains(t, err.Error(), "WithAnyNotificationSeller", name)
		assert.Equal(t, 0, srv.total(), "%s: nothing fetched", name)
	}
}

// The handler of such a verifier answers 500 (SNS delivers again, so that
// nothing is lost once the shop is configured) and logs the configuration
// error; the shop's function is never called.
func TestNotificationHandlerWithoutSellersRefuses(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	var mu sync.Mutex
	logs := new(bytes.Buffer)
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, logs}, nil))
	calls := 0
	h := NewNotificationHandler(unconfiguredVerifier(p, standardServer(p), WithNotificationLogger(logger)),
		func(context.Context, *Notification) error { calls++; return nil })
	e := newTestEnv(t)
	r := httptest.NewRequest(http.MethodPost, "/amazon/ipn", bytes.NewReader(e.sign(t, p.leafKey)))
	r.Header = e.header.Clone()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, 0, calls)
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, logs.String(), `"level":"ERROR"`)
	assert.Contains(t, logs.String(), "WithNotificationSellerIDs")
	assert.Contains(t, logs.String(), "WithAnyNotificationSeller")
}

// A platform serving many sellers opts in to every seller explicitly; the
// seller ids, when given, still restrict.
func TestNotificationVerifierAnySellerOptIn(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	other := newTestEnv(t)
	other.fields["TopicArn"] = "arn:aws:sns:eu-west-1:291180941288:A1PA6795UKMFR9A2OTHERSELLER"
	other.header.Set("X-Amz-Sns-Topic-Arn", other.fields["TopicArn"])
	other.fields["Message"] = ipnMessageJSON(t, "PaymentAuthorize", ipnFixture(t, "PaymentAuthorize.xml"), map[string]any{"SellerId": "A2OTHERSELLER"})
	body := other.sign(t, p.leafKey)

	n, err := unconfiguredVerifier(p, standardServer(p), WithAnyNotificationSeller()).Verify(context.Background(), other.header, body)
	require.NoError(t, err)
	assert.Equal(t, "A2OTHERSELLER", n.SellerID)

	_, err = unconfiguredVerifier(p, standardServer(p), WithAnyNotificationSeller(), WithNotificationSellerIDs("A1SELLERTEST")).
		Verify(context.Background(), other.header, body)
	_ = assertRejected(t, err, NotificationTopic)
	_, err = unconfiguredVerifier(p, standardServer(p), WithNotificationSellerIDs("A1SELLERTEST")).Verify(context.Background(), other.header, body)
	_ = assertRejected(t, err, NotificationTopic)
}
