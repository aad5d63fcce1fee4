package amazonpay

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const realCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-d6d679a1d18e95c2f9ffcf11f4f9e198.pem"

// realVectorVerifier trusts the real SNS leaf directly (its VeriSign
// intermediate is not in the vector), with a clock inside its validity.
func realVectorVerifier(t testing.TB) (*NotificationVerifier, *certServer) {
	t.Helper()
	pemBytes, err := os.ReadFile("testdata/notifications/sns/signing-cert.pem")
	require.NoError(t, err)
	certs, err := parseCerts(pemBytes)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(certs[0])
	srv := newCertServer(map[string][]byte{realCertURL: pemBytes})
	v := NewNotificationVerifier(WithCertHTTPClient(srv.client()), WithCertRoots(roots),
		WithNotificationClock(func() time.Time { return time.Date(2015, 4, 30, 0, 10, 0, 0, time.UTC) }),
		WithMaxNotificationAge(time.Hour), WithNotificationSellerIDs("AQR8184NJXADU"))
	return v, srv
}

func realVectorHeader() http.Header {
	return http.Header{
		"X-Amz-Sns-Message-Type": {"Notification"},
		"X-Amz-Sns-Topic-Arn":    {"arn:aws:sns:us-east-1:291180941288:A3BXB0YN3XH17HAQR8184NJXADU"},
		"X-Amz-Sns-Message-Id":   {"15e7412b-e9ac-5f6a-b6df-0c909df567a0"},
	}
}

// The real notification of the Python SDK verifies (RSA-SHA1 over the raw
// fields) and parses.
func TestNotificationVerifyRealSNSVector(t *testing.T) {
	v, srv := realVectorVerifier(t)
	body, err := os.ReadFile("testdata/notifications/sns/body-valid.json")
	require.NoError(t, err)

	n, err := v.Verify(context.Background(), realVectorHeader(), body)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.total())
	assert.Equal(t, "Notification", n.Type)
	assert.Equal(t, "15e7412b-e9ac-5f6a-b6df-0c909df567a0", n.MessageID)
	assert.Equal(t, "1111111-1111-11111-1111-11111EXAMPLE", n.NotificationReferenceID)
	assert.Equal(t, NotificationTypeOrderReference, n.NotificationType)
	assert.Equal(t, "AQR8184NJXADU", n.SellerID)
	assert.Equal(t, "A3BXB0YN3XH17H", n.MarketplaceID)
	assert.Equal(t, ReleaseSandbox, n.ReleaseEnvironment)
	assert.Equal(t, "2013-01-01", n.Version)
	assert.True(t, n.IsSample)
	assert.Equal(t, time.Date(2015, 4, 30, 0, 6, 49, 370e6, time.UTC), n.Timestamp)
	assert.Equal(t, time.Date(2015, 4, 30, 0, 6, 49, 434e6, time.UTC), n.SNSTimestamp)
	require.NotNil(t, n.OrderReference)
	assert.Equal(t, "P01-0000000-0000000-000000", n.OrderReference.AmazonOrderReferenceID)
	assert.Equal(t, &Price{Amount: "0.0", CurrencyCode: "USD"}, n.OrderReference.OrderTotal)
	assert.Equal(t, OrderReferenceClosed, n.OrderReference.OrderReferenceStatus.State)
	assert.Equal(t, ReasonAmazonClosed, n.OrderReference.OrderReferenceStatus.ReasonCode)

	// One changed byte of the Message breaks the real signature.
	forged := strings.Replace(string(body), `\"IsSample\":true`, `\"IsSample\":false`, 1)
	require.NotEqual(t, string(body), forged)
	_, err = v.Verify(context.Background(), realVectorHeader(), []byte(forged))
	assertRejected(t, err, NotificationSignature)
	assert.Equal(t, 1, srv.total(), "the certificate is cached")
}

// The real certificate expired in 2015: with a clock (and message time)
// after that, the same genuine notification is rejected.
func TestNotificationVerifyRealSNSVectorExpired(t *testing.T) {
	pemBytes, err := os.ReadFile("testdata/notifications/sns/signing-cert.pem")
	require.NoError(t, err)
	certs, err := parseCerts(pemBytes)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(certs[0])
	body, err := os.ReadFile("testdata/notifications/sns/body-valid.json")
	require.NoError(t, err)
	body = []byte(strings.Replace(string(body), `"Timestamp" : "2015-04-30T00:06:49.434Z"`, `"Timestamp" : "2015-08-23T00:06:49.434Z"`, 1))
	v := NewNotificationVerifier(WithCertRoots(roots), WithMaxNotificationAge(0), WithNotificationSellerIDs("AQR8184NJXADU"),
		WithCertHTTPClient(newCertServer(map[string][]byte{realCertURL: pemBytes}).client()))
	_, err = v.Verify(context.Background(), realVectorHeader(), body)
	assertRejected(t, err, NotificationCertificate)
	var ci x509.CertificateInvalidError
	require.ErrorAs(t, err, &ci)
	assert.Equal(t, x509.Expired, ci.Reason)
}

// The companion invalid body is rejected before any certificate fetch.
func TestNotificationVerifyRealInvalidVector(t *testing.T) {
	v, srv := realVectorVerifier(t)
	body, err := os.ReadFile("testdata/notifications/sns/body-invalid.json")
	require.NoError(t, err)
	h := realVectorHeader()
	h.Del("X-Amz-Sns-Topic-Arn")
	_, err = v.Verify(context.Background(), h, body)
	assertRejected(t, err, NotificationCertURL)
	assert.Equal(t, 0, srv.total())
}

func assertRejected(t *testing.T, err error, reason NotificationErrorReason) *NotificationError {
	t.Helper()
	require.Error(t, err)
	var ne *NotificationError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, reason, ne.Reason, "error: %v", err)
	assert.ErrorIs(t, err, ErrNotificationRejected)
	return ne
}

func TestNotificationVerifySignatureVersions(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	for _, tc := range []struct {
		name    string
		version string
		subject bool
	}{{"v1 RSA-SHA1", "1", false}, {"v2 RSA-SHA256", "2", false}, {"v1 with Subject", "1", true}, {"v2 with Subject", "2", true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := standardServer(p)
			e := newTestEnv(t)
			e.version = tc.version
			if tc.subject {
				e.fields["Subject"] = "Amazon Pay"
			}
			n, err := testVerifier(p, srv, WithNotificationSellerIDs("A1SELLERTEST")).Verify(context.Background(), e.header, e.sign(t, p.leafKey))
			require.NoError(t, err)
			assert.Equal(t, NotificationTypePaymentAuthorize, n.NotificationType)
			require.NotNil(t, n.Authorization)
			assert.Equal(t, AuthorizationDeclined, n.Authorization.AuthorizationStatus.State)
			assert.Equal(t, 1, srv.total())
		})
	}
}

// Every forged or malformed variant is rejected with its own reason, and
// those that can be told without the certificate are rejected before any
// fetch.
func TestNotificationVerifyForgedVariants(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	good := func(t *testing.T) *testEnv { return newTestEnv(t) }
	type variant struct {
		name      string
		build     func(t *testing.T) (http.Header, []byte)
		opts      []NotificationOption
		pki       *testPKI // serves and trusts this PKI instead of p
		serve     func(*testPKI) *certServer
		reason    NotificationErrorReason
		fetches   int
		errorType func(t *testing.T, err error)
	}
	signed := func(mut func(*testEnv)) func(t *testing.T) (http.Header, []byte) {
		return func(t *testing.T) (http.Header, []byte) {
			e := good(t)
			mut(e)
			return e.header, e.sign(t, p.leafKey)
		}
	}
	tampered := func(field, value string) func(t *testing.T) (http.Header, []byte) {
		return func(t *testing.T) (http.Header, []byte) {
			e := good(t)
			return e.header, setJSON(t, e.sign(t, p.leafKey), field, value)
		}
	}
	certURL := func(u string) func(t *testing.T) (http.Header, []byte) {
		return signed(func(e *testEnv) { e.fields["SigningCertURL"] = u })
	}
	expiredPKI := newTestPKI(t, certSpec{notBefore: ipnNow.Add(-400 * 24 * time.Hour), notAfter: ipnNow.Add(-time.Hour)})
	untrustedPKI := newTestPKI(t, certSpec{rootKey: 4})
	wrongNamePKI := newTestPKI(t, certSpec{name: "sns.example.com"})

	variants := []variant{
		{name: "changed message", build: tampered("Message", ipnMessageJSON(t, "PaymentAuthorize",
			strings.Replace(ipnFixture(t, "PaymentAuthorize.xml"), "Declined", "Open", 1), nil)),
			reason: NotificationSignature, fetches: 1},
		{name: "changed message id", build: tampered("MessageId", "4f7c0d7e-0000-5000-8000-000000000002"), reason: NotificationSignature, fetches: 1},
		{name: "added subject", build: tampered("Subject", "hello"), reason: NotificationSignature, fetches: 1},
		{name: "changed signature", build: func(t *testing.T) (http.Header, []byte) {
			e := good(t)
			body := e.sign(t, p.leafKey)
			var sig string
			for _, line := range strings.Split(string(body), "\n") {
				if strings.Contains(line, `"Signature":`) {
					sig = strings.Split(line, `"`)[3]
				}
			}
			flipped := []byte(sig)
			if flipped[10] == 'A' {
				flipped[10] = 'B'
			} else {
				flipped[10] = 'A'
			}
			return e.header, setJSON(t, body, "Signature", string(flipped))
		}, reason: NotificationSignature, fetches: 1},
		{name: "signature not base64", build: tampered("Signature", "%%%"), reason: NotificationSignature, fetches: 1},
		{name: "wrong key", build: func(t *testing.T) (http.Header, []byte) {
			e := good(t)
			return e.header, e.sign(t, testKey(t, 3))
		}, reason: NotificationSignature, fetches: 1, errorType: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, rsa.ErrVerification)
		}},
		{name: "v1 signature declared as v2", build: tampered("SignatureVersion", "2"), reason: NotificationSignature, fetches: 1},
		{name: "cert URL host", build: certURL("https://sns.us-east-1.example.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL host suffix", build: certURL("https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL host prefix", build: certURL("https://sni.us-east-1.amazonaws.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL short region", build: certURL("https://sns.us.amazonaws.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL scheme", build: certURL("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL path", build: certURL("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.exe"), reason: NotificationCertURL},
		{name: "cert URL query", build: certURL("https://sns.foo.amazonaws.com/large.file?file=ddos.pem"), reason: NotificationCertURL},
		{name: "cert URL userinfo", build: certURL("https://sns.us-east-1.amazonaws.com@evil.example/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL userinfo on SNS host", build: certURL("https://user:pw@sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL port", build: certURL("https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem"), reason: NotificationCertURL},
		{name: "cert URL backslash trick", build: certURL("https://sns.us-east-1.amazonaws.com\\@evil.example/x.pem"), reason: NotificationCertURL},
		{name: "untrusted chain", build: signed(func(*testEnv) {}), pki: untrustedPKI, reason: NotificationCertificate, fetches: 1,
			errorType: func(t *testing.T, err error) {
				var ua x509.UnknownAuthorityError
				assert.ErrorAs(t, err, &ua)
			}},
		{name: "expired certificate", build: signed(func(*testEnv) {}), pki: expiredPKI, reason: NotificationCertificate, fetches: 1,
			errorType: func(t *testing.T, err error) {
				var ci x509.CertificateInvalidError
				require.ErrorAs(t, err, &ci)
				assert.Equal(t, x509.Expired, ci.Reason)
			}},
		{name: "certificate for another name", build: signed(func(*testEnv) {}), pki: wrongNamePKI, reason: NotificationCertificate, fetches: 1},
		{name: "leaf without its intermediate", build: signed(func(*testEnv) {}),
			serve:  func(p *testPKI) *certServer { return newCertServer(map[string][]byte{testCertURL: pemOf(p.leaf)}) },
			reason: NotificationCertificate, fetches: 1},
		{name: "not a certificate", build: signed(func(*testEnv) {}),
			serve: func(*testPKI) *certServer {
				return newCertServer(map[string][]byte{testCertURL: []byte("<html>hi</html>")})
			},
			reason: NotificationCertificate, fetches: 1},
		{name: "unknown signature version", build: signed(func(e *testEnv) { e.version = "3" }), reason: NotificationSignatureVersion},
		{name: "stale timestamp", build: signed(func(e *testEnv) { e.fields["Timestamp"] = "2026-11-22T10:59:59.000Z" }), reason: NotificationStale},
		{name: "future timestamp", build: signed(func(e *testEnv) { e.fields["Timestamp"] = "2026-11-22T12:30:00.000Z" }), reason: NotificationStale},
		{name: "timestamp not a time", build: signed(func(e *testEnv) { e.fields["Timestamp"] = "yesterday" }), reason: NotificationMalformed},
		{name: "wrong topic", build: signed(func(e *testEnv) {
			e.fields["TopicArn"] = "arn:aws:sns:eu-west-1:291180941288:A1PA6795UKMFR9A9OTHERSELLER"
			e.header.Set("X-Amz-Sns-Topic-Arn", e.fields["TopicArn"])
		}), opts: []NotificationOption{WithNotificationSellerIDs("A1SELLERTEST")}, reason: NotificationTopic},
		// SNS signs every account's topics with the same certificate: a topic
		// of the attacker's own account, named like the seller's, is rejected
		// with or without seller ids.
		{name: "topic of another AWS account", build: signed(func(e *testEnv) {
			e.fields["TopicArn"] = "arn:aws:sns:eu-west-1:666666666666:A1PA6795UKMFR9A1SELLERTEST"
			e.header.Set("X-Amz-Sns-Topic-Arn", e.fields["TopicArn"])
		}), opts: []NotificationOption{WithNotificationSellerIDs("A1SELLERTEST")}, reason: NotificationTopic},
		{name: "topic of another AWS account, no seller ids", build: signed(func(e *testEnv) {
			e.fields["TopicArn"] = "arn:aws:sns:eu-west-1:666666666666:evilA1SELLERTEST"
			e.header.Set("X-Amz-Sns-Topic-Arn", e.fields["TopicArn"])
		}), reason: NotificationTopic},
		{name: "topic ARN of another service", build: signed(func(e *testEnv) {
			e.fields["TopicArn"] = "arn:aws:sqs:eu-west-1:291180941288:A1PA6795UKMFR9A1SELLERTEST"
			e.header.Set("X-Amz-Sns-Topic-Arn", e.fields["TopicArn"])
		}), reason: NotificationTopic},
		{name: "topic is only the seller id", build: signed(func(e *testEnv) {
			e.fields["TopicArn"] = "arn:aws:sns:eu-west-1:291180941288:A1SELLERTEST"
			e.header.Set("X-Amz-Sns-Topic-Arn", e.fields["TopicArn"])
		}), opts: []NotificationOption{WithNotificationSellerIDs("A1SELLERTEST")}, reason: NotificationTopic},
		{name: "message of another seller", build: signed(func(e *testEnv) {
			e.fields["Message"] = ipnMessageJSON(t, "PaymentAuthorize", ipnFixture(t, "PaymentAuthorize.xml"), map[string]any{"SellerId": "A9OTHERSELLER"})
		}), opts: []NotificationOption{WithNotificationSellerIDs("A1SELLERTEST")}, reason: NotificationTopic, fetches: 1},
		{name: "topic header differs", build: signed(func(e *testEnv) { e.header.Set("X-Amz-Sns-Topic-Arn", "arn:aws:sns:eu-west-1:1:other") }), reason: NotificationMessageType},
		{name: "no message type header", build: signed(func(e *testEnv) { e.header.Del("X-Amz-Sns-Message-Type") }), reason: NotificationMessageType},
		{name: "message type header differs from Type", build: signed(func(e *testEnv) {
			e.header.Set("X-Amz-Sns-Message-Type", "SubscriptionConfirmation")
		}), reason: NotificationMessageType},
		{name: "unknown message type", build: signed(func(e *testEnv) {
			e.fields["Type"] = "Surprise"
			e.header.Set("X-Amz-Sns-Message-Type", "Surprise")
		}), reason: NotificationMessageType},
		{name: "missing signature", build: tampered("Signature", ""), reason: NotificationMalformed},
		{name: "not JSON", build: func(t *testing.T) (http.Header, []byte) { return good(t).header, []byte("Type=Notification") }, reason: NotificationMalformed},
		{name: "too large", build: func(t *testing.T) (http.Header, []byte) {
			return good(t).header, []byte(`{"Type":"Notification","Message":"` + strings.Repeat("x", MaxNotificationBytes) + `"}`)
		}, reason: NotificationTooLarge},
		{name: "signed message that is not JSON", build: signed(func(e *testEnv) { e.fields["Message"] = "hello" }), reason: NotificationMalformed, fetches: 1},
		{name: "signed unknown notification type", build: signed(func(e *testEnv) {
			e.fields["Message"] = ipnMessageJSON(t, "BlahBlah", "<x/>", nil)
		}), reason: NotificationMalformed, fetches: 1},
		{name: "signed data of another type", build: signed(func(e *testEnv) {
			e.fields["Message"] = ipnMessageJSON(t, "PaymentCapture", ipnFixture(t, "PaymentAuthorize.xml"), nil)
		}), reason: NotificationMalformed, fetches: 1},
	}
	for _, tc := range variants {
		t.Run(tc.name, func(t *testing.T) {
			pki := p
			if tc.pki != nil {
				pki = tc.pki
			}
			var srv *certServer
			if tc.serve != nil {
				srv = tc.serve(pki)
			} else {
				srv = standardServer(pki)
			}
			h, body := tc.build(t)
			if tc.pki != nil {
				// Sign with the variant PKI's leaf key (the same test key)
				// and trust only the good root.
				pki = &testPKI{roots: p.roots}
			}
			v := testVerifier(pki, srv, tc.opts...)
			n, err := v.Verify(context.Background(), h, body)
			assert.Nil(t, n)
			ne := assertRejected(t, err, tc.reason)
			assert.Equal(t, tc.fetches, srv.total(), "certificate fetches")
			assert.NotContains(t, err.Error(), "order-4711", "no buyer or order data in errors")
			assert.NotEmpty(t, ne.Field+ne.Detail)
			if tc.errorType != nil {
				tc.errorType(t, err)
			}
		})
	}
}

func TestNotificationCertURLRules(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-bb750dd426d95ee9390147a5624348ee.pem":    true,
		"https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-bb750dd426d95ee9390147a5624348ee.pem": true,
		"https://sns.eu-west-1.amazonaws.com/a/b.pem":                                                           true,
		"http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem":                                    false,
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.exe":                                   false,
		"https://sns.us-east-1.example.com/SimpleNotificationService-1.pem":                                     false,
		"https://sns.us-east-1.fakecert.com/SimpleNotificationService-1.pem":                                    false,
		"https://sni.us-east-1.amazonaws.com/SimpleNotificationService-1.pem":                                   false,
		"https://sns.us.amazonaws.com/SimpleNotificationService-1.pem":                                          false,
		"https://sns.us-east-1.amazonaws.com.com/SimpleNotificationService-1.pem":                               false,
		"https://sns.foo.amazon.com/large.file?file=ddos.pem":                                                   false,
		"https://invalid.us-east-1.amazonaws.com/SimpleNotificationService-1.pem":                               false,
		"https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-1.pem":                                   false,
		"https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-1.pem":                                false, // an S3 bucket named sns
		"https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-1.pem":                               false,
		"https://sns.execute-api.amazonaws.com/SimpleNotificationService-1.pem":                                 false,
		"https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-1.pem":                               true,
		"https://sns.us-east-1.amazonaws.com/x.pem?x=1":                                                         false,
		"https://sns.us-east-1.amazonaws.com/x.pem#frag":                                                        false,
		"https://sns.us-east-1.amazonaws.com/../x.pem":                                                          false,
		"https://sns.us-east-1.amazonaws.com:443/x.pem":                                                         false,
		"https://sns.us-east-1.amazonaws.com:/x.pem":                                                            false,
		"//sns.us-east-1.amazonaws.com/x.pem":                                                                   false,
		"https://sns.us-east-1.amazonaws.com./x.pem":                                                            false,
	} {
		err := checkCertURL(u)
		if ok {
			assert.Nil(t, err, u)
		} else if assert.NotNil(t, err, u) {
			assert.Equal(t, NotificationCertURL, err.Reason, u)
		}
	}
}

// Many notifications, concurrent or not, fetch the certificate once.
func TestNotificationCertFetchedOnceConcurrently(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	srv := standardServer(p)
	srv.gate = make(chan struct{})
	v := testVerifier(p, srv)
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)

	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := v.Verify(context.Background(), e.header, body)
			errs <- err
		}()
	}
	// Let the one fetch finish once it has started.
	require.Eventually(t, func() bool { return srv.total() >= 1 }, 10*time.Second, time.Millisecond)
	close(srv.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 1, srv.total())
	_, err := v.Verify(context.Background(), e.header, body)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.total())
}

// A waiting caller whose context ends stops waiting; the fetch goes on for
// the others.
func TestNotificationCertFetchCallerCancel(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	srv := standardServer(p)
	srv.gate = make(chan struct{})
	v := testVerifier(p, srv)
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := v.Verify(ctx, e.header, body)
		done <- err
	}()
	require.Eventually(t, func() bool { return srv.total() == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	err := <-done
	var ne *NotificationError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, NotificationCertificateUnavailable, ne.Reason)
	assert.NotErrorIs(t, err, ErrNotificationRejected)
	assert.ErrorIs(t, err, context.Canceled)
	close(srv.gate)
	_, err = v.Verify(context.Background(), e.header, body)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.total(), "the detached fetch served the next caller")
}

// A fetch that never answers (a cert HTTP client without a timeout) ends
// after the cache's load timeout: the next message fetches again instead of
// waiting for it until a restart.
func TestNotificationCertFetchThatHangs(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	srv := standardServer(p)
	srv.gate = make(chan struct{}) // never closed while the first fetch runs
	v := testVerifier(p, srv)
	v.certs.loadTimeout = 50 * time.Millisecond
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	_, err := v.Verify(context.Background(), e.header, body)
	var ne *NotificationError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, NotificationCertificateUnavailable, ne.Reason)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	srv.mu.Lock()
	srv.gate = nil // the certificate host answers again
	srv.mu.Unlock()
	_, err = v.Verify(context.Background(), e.header, body)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.total(), "fetched again")
}

// A certificate that cannot be fetched is no proof of forgery: the error
// does not wrap ErrNotificationRejected (the handler answers 503, SNS
// retries), and nothing is cached, so the next delivery fetches again.
func TestNotificationCertUnavailable(t *testing.T) {
	p := newTestPKI(t, certSpec{})
	srv := standardServer(p)
	srv.status = http.StatusInternalServerError
	v := testVerifier(p, srv)
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	_, err := v.Verify(context.Background(), e.header, body)
	var ne *NotificationError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, NotificationCertificateUnavailable, ne.Reason)
	assert.NotErrorIs(t, err, ErrNotificationRejected)
	assert.Equal(t, http.StatusServiceUnavailable, ne.httpStatus())

	srv.mu.Lock()
	srv.status = 0
	srv.mu.Unlock()
	_, err = v.Verify(context.Background(), e.header, body)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.total())
}

// A .pem holding the leaf alone: the intermediate comes from the leaf's AIA
// "CA Issuers" URL (plain http, DER), fetched once.
func TestNotificationCertIntermediateFromAIA(t *testing.T) {
	p := newTestPKI(t, certSpec{aia: true})
	srv := newCertServer(map[string][]byte{testCertURL: pemOf(p.leaf), testAIAURL: p.inter.Raw})
	v := testVerifier(p, srv)
	e := newTestEnv(t)
	_, err := v.Verify(context.Background(), e.header, e.sign(t, p.leafKey))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{testCertURL: 1, testAIAURL: 1}, srv.fetches)

	// An AIA URL serving another CA does not make the chain trusted.
	other := newTestPKI(t, certSpec{aia: true, rootKey: 4})
	srv2 := newCertServer(map[string][]byte{testCertURL: pemOf(other.leaf), testAIAURL: other.inter.Raw})
	_, err = testVerifier(p, srv2).Verify(context.Background(), e.header, e.sign(t, p.leafKey))
	assertRejected(t, err, NotificationCertificate)
}

// What a plain-http AIA URL answers is kept only once it built a verified
// chain: a garbled or wrong answer is rejected, and the next notification
// fetches again and succeeds, instead of every genuine notification being
// rejected (403, which SNS does not retry) until the cache expires.
func TestNotificationCertAIAAnswerNotKeptUnlessVerified(t *testing.T) {
	p := newTestPKI(t, certSpec{aia: true})
	other := newTestPKI(t, certSpec{rootKey: 4})
	srv := newCertServer(map[string][]byte{testCertURL: pemOf(p.leaf)})
	v := testVerifier(p, srv)
	e := newTestEnv(t)
	body := e.sign(t, p.leafKey)
	serveAIA := func(b []byte) {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		srv.files[testAIAURL] = b
	}

	serveAIA([]byte("<html>captive portal</html>"))
	_, err := v.Verify(context.Background(), e.header, body)
	assertRejected(t, err, NotificationCertificate)

	serveAIA(other.inter.Raw) // a certificate, but not the leaf's issuer
	_, err = v.Verify(context.Background(), e.header, body)
	assertRejected(t, err, NotificationCertificate)

	serveAIA(p.inter.Raw)
	_, err = v.Verify(context.Background(), e.header, body)
	require.NoError(t, err, "the wrong answer was not kept")
	_, err = v.Verify(context.Background(), e.header, body)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{testCertURL: 3, testAIAURL: 3}, srv.fetches, "the verified chain is kept")
}

// The cache holds a bounded number of certificates for a bounded time.
func TestNotificationCertCacheBounds(t *testing.T) {
	c := newCertCache(2, time.Hour)
	loads := 0
	load := func(v string) func(context.Context) (any, error) {
		return func(context.Context) (any, error) { loads++; return v, nil }
	}
	ctx := context.Background()
	t0 := ipnNow
	for i, k := range []string{"a", "b", "c"} {
		got, err := c.get(ctx, k, t0.Add(time.Duration(i)*time.Minute), load(k))
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	assert.Equal(t, 2, c.len())
	assert.Equal(t, 3, loads)
	_, _ = c.get(ctx, "c", t0.Add(3*time.Minute), load("c"))
	assert.Equal(t, 3, loads, "c is cached")
	_, _ = c.get(ctx, "a", t0.Add(3*time.Minute), load("a"))
	assert.Equal(t, 4, loads, "a, the oldest, was evicted")
	_, _ = c.get(ctx, "c", t0.Add(2*time.Hour+time.Second), load("c"))
	assert.Equal(t, 5, loads, "c expired after the TTL")

	failing := func(context.Context) (any, error) { loads++; return nil, errors.New("down") }
	_, err := c.get(ctx, "d", t0, failing)
	require.Error(t, err)
	_, err = c.get(ctx, "d", t0, failing)
	require.Error(t, err)
	assert.Equal(t, 7, loads, "failures are not cached")
}

// A cached certificate is not valid for a message outside its validity.
func TestNotificationCachedCertValidity(t *testing.T) {
	p := newTestPKI(t, certSpec{notAfter: ipnNow.Add(30 * time.Minute)})
	srv := standardServer(p)
	now := ipnNow
	v := testVerifier(p, srv, WithNotificationClock(func() time.Time { return now }))
	e := newTestEnv(t)
	_, err := v.Verify(context.Background(), e.header, e.sign(t, p.leafKey))
	require.NoError(t, err)
	now = ipnNow.Add(45 * time.Minute)
	e.fields["Timestamp"] = now.Add(-time.Second).Format("2006-01-02T15:04:05.000Z")
	_, err = v.Verify(context.Background(), e.header, e.sign(t, p.leafKey))
	assertRejected(t, err, NotificationCertificate)
	var ci x509.CertificateInvalidError
	require.ErrorAs(t, err, &ci)
	assert.Equal(t, x509.Expired, ci.Reason)
	assert.Equal(t, 1, srv.total())
}

func TestNotificationErrorStrings(t *testing.T) {
	err := reject(NotificationCertURL, "SigningCertURL", "scheme is not https", nil)
	assert.Equal(t, "amazonpay: notification rejected (CertURL): SigningCertURL: scheme is not https", err.Error())
	err = reject(NotificationCertificateUnavailable, "SigningCertURL", "fetch answered HTTP 500", nil)
	assert.Equal(t, "amazonpay: notification not verified (CertificateUnavailable): SigningCertURL: fetch answered HTTP 500", err.Error())
	assert.Equal(t, fmt.Sprint(http.StatusForbidden), fmt.Sprint(reject(NotificationSignature, "", "", nil).httpStatus()))
}
