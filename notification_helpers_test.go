package amazonpay

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Keys are made once per test binary: RSA key generation is slow.
var (
	testKeysOnce sync.Once
	testKeys     [5]*rsa.PrivateKey // root, intermediate, leaf, other leaf, other root
)

func testKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	testKeysOnce.Do(func() {
		for j := range testKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys[j] = k
		}
	})
	return testKeys[i]
}

// ipnNow is the clock of the notification tests.
var ipnNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const (
	testCertURL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem"
	testAIAURL  = "http://pki.test.example/intermediate.der"
	testTopic   = "arn:aws:sns:eu-west-1:291180941288:A1PA6795UKMFR9A1SELLERTEST"
)

// testPKI is a root, an intermediate and an sns.amazonaws.com leaf.
type testPKI struct {
	root, inter, leaf *x509.Certificate
	leafKey           *rsa.PrivateKey
	roots             *x509.CertPool
}

type certSpec struct {
	name      string // DNS name and CN of the leaf
	notBefore time.Time
	notAfter  time.Time
	aia       bool // name testAIAURL as the leaf's issuer URL
	rootKey   int  // which test key signs the root (0, or 4 for an untrusted one)
}

func makeCert(t testing.TB, tmpl, parent *x509.Certificate, pub *rsa.PublicKey, signer *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func newTestPKI(t testing.TB, spec certSpec) *testPKI {
	t.Helper()
	if spec.name == "" {
		spec.name = "sns.amazonaws.com"
	}
	if spec.notBefore.IsZero() {
		spec.notBefore = ipnNow.Add(-30 * 24 * time.Hour)
	}
	if spec.notAfter.IsZero() {
		spec.notAfter = ipnNow.Add(300 * 24 * time.Hour)
	}
	rootKey, interKey, leafKey := testKey(t, spec.rootKey), testKey(t, 1), testKey(t, 2)
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: ipnNow.Add(-365 * 24 * time.Hour), NotAfter: ipnNow.Add(3650 * 24 * time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		}
	}
	p := &testPKI{leafKey: leafKey}
	rootT := ca(1, "Test Root CA")
	p.root = makeCert(t, rootT, rootT, &rootKey.PublicKey, rootKey)
	p.inter = makeCert(t, ca(2, "Test Intermediate CA"), p.root, &interKey.PublicKey, rootKey)
	leafT := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: spec.name}, DNSNames: []string{spec.name},
		NotBefore: spec.notBefore, NotAfter: spec.notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if spec.aia {
		leafT.IssuingCertificateURL = []string{testAIAURL}
	}
	p.leaf = makeCert(t, leafT, p.inter, &leafKey.PublicKey, interKey)
	p.roots = x509.NewCertPool()
	if spec.rootKey == 0 {
		p.roots.AddCert(p.root)
	} else {
		// The chain's own root is not trusted: trust the real test root.
		trusted := newTestPKI(t, certSpec{})
		p.roots = trusted.roots
	}
	return p
}

func pemOf(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

// certServer is an http.RoundTripper serving files by URL; no network.
type certServer struct {
	mu      sync.Mutex
	files   map[string][]byte
	status  int           // if set, every answer has it
	gate    chan struct{} // if set, answers wait for it to close
	fetches map[string]int
}

func newCertServer(files map[string][]byte) *certServer {
	return &certServer{files: files, fetches: map[string]int{}}
}

func (s *certServer) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.fetches[r.URL.String()]++
	body, ok := s.files[r.URL.String()]
	status, gate := s.status, s.gate
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	if status == 0 {
		status = http.StatusOK
		if !ok {
			status = http.StatusNotFound
		}
	}
	return &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body)), Header: http.Header{}, Request: r}, nil
}

func (s *certServer) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.fetches {
		n += c
	}
	return n
}

func (s *certServer) client() *http.Client { return &http.Client{Transport: s} }

// testEnv is an SNS envelope under construction; its body is signed by sign.
type testEnv struct {
	fields  map[string]string
	header  http.Header
	version string
}

// ipnMessageJSON builds the Message of an Amazon Pay notification.
func ipnMessageJSON(t testing.TB, typ, data string, extra map[string]any) string {
	t.Helper()
	m := map[string]any{
		"NotificationReferenceId": "a1b2c3d4-0000-4000-8000-000000000001",
		"MarketplaceID":           "A1PA6795UKMFR9",
		"NotificationType":        typ,
		"SellerId":                "A1SELLERTEST",
		"ReleaseEnvironment":      "Sandbox",
		"Version":                 "2013-01-01",
		"Timestamp":               "2026-11-22T11:59:59.500Z",
		"NotificationData":        data,
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func ipnFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/notifications/" + name)
	require.NoError(t, err)
	return string(b)
}

// newTestEnv is a Notification carrying the authorization fixture.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return &testEnv{
		fields: map[string]string{
			"Type":           "Notification",
			"MessageId":      "4f7c0d7e-0000-5000-8000-000000000001",
			"TopicArn":       testTopic,
			"Message":        ipnMessageJSON(t, "PaymentAuthorize", ipnFixture(t, "PaymentAuthorize.xml"), nil),
			"Timestamp":      "2026-11-22T11:59:59.812Z",
			"SigningCertURL": testCertURL,
			"UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + testTopic + ":1",
		},
		header: http.Header{
			"X-Amz-Sns-Message-Type": {"Notification"},
			"X-Amz-Sns-Topic-Arn":    {testTopic},
			"User-Agent":             {"Amazon Simple Notification Service Agent"},
		},
		version: "1",
	}
}

// sign signs the fields with key as SNS does and returns the body.
func (e *testEnv) sign(t testing.TB, key *rsa.PrivateKey) []byte {
	t.Helper()
	env := &snsEnvelope{
		Type: e.fields["Type"], MessageID: e.fields["MessageId"], TopicArn: e.fields["TopicArn"],
		Message: e.fields["Message"], Timestamp: e.fields["Timestamp"], Token: e.fields["Token"],
		SubscribeURL: e.fields["SubscribeURL"],
	}
	if s, ok := e.fields["Subject"]; ok {
		env.Subject = &s
	}
	var sig []byte
	var err error
	if e.version == "2" {
		sum := sha256.Sum256(env.stringToSign())
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	} else {
		sum := sha1.Sum(env.stringToSign())
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, sum[:])
	}
	require.NoError(t, err)
	out := map[string]string{"SignatureVersion": e.version, "Signature": base64.StdEncoding.EncodeToString(sig)}
	for k, v := range e.fields {
		out[k] = v
	}
	b, err := json.MarshalIndent(out, "", "  ")
	require.NoError(t, err)
	return b
}

// setJSON replaces one field of a signed body, keeping the rest.
func setJSON(t testing.TB, body []byte, key, value string) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	m[key] = value
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// testVerifier trusts p's root, fetches from srv and accepts the test
// seller, A1SELLERTEST (opts may name others).
func testVerifier(p *testPKI, srv *certServer, opts ...NotificationOption) *NotificationVerifier {
	return unconfiguredVerifier(p, srv, append([]NotificationOption{WithNotificationSellerIDs("A1SELLERTEST")}, opts...)...)
}

// standardServer serves leaf+intermediate at testCertURL.
func standardServer(p *testPKI) *certServer {
	return newCertServer(map[string][]byte{testCertURL: pemOf(p.leaf, p.inter)})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
