package amazonpaytest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// The sandbox's test CA signs its notifications (notify.go): a root, an
// intermediate and a leaf for sns.amazonaws.com, with the leaf and the
// intermediate served at an https://sns.<region>.amazonaws.com/....pem URL
// by NotificationHTTPClient, in process.

// SigningCertURL returns the URL of the certificate the sandbox signs
// notifications with.
func (h *Handler) SigningCertURL() string { return h.notifyPKI().certURL }

// NotificationRoots returns a pool holding the root of the sandbox's test
// CA, for amazonpay.WithCertRoots.
func (h *Handler) NotificationRoots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(h.notifyPKI().root)
	return pool
}

// NotificationHTTPClient returns an *http.Client that answers, in process,
// the SNS URLs of the sandbox: the signing certificate (leaf and
// intermediate) at SigningCertURL, and SubscribeURL/UnsubscribeURL
// requests. Any other request fails: there is no network. Pass it to
// amazonpay.WithCertHTTPClient.
func (h *Handler) NotificationHTTPClient() *http.Client {
	return &http.Client{Transport: snsTransport{h.notifyPKI(), &h.notify}, Timeout: 10 * time.Second}
}

// NotificationVerifier returns a verifier for the sandbox's notifications:
// it trusts the sandbox CA, fetches through NotificationHTTPClient, runs on
// the sandbox clock and accepts the sandbox seller only, with a maximum
// message age of an hour. opts are applied after these.
//
// Advance delivers each notification at the sandbox time of its state
// change before moving the clock past it, so even a long Advance (say 31
// days) never makes a notification stale. A retry goes out at its own
// time, so it is as old as its retry delay.
func (h *Handler) NotificationVerifier(opts ...amazonpay.NotificationOption) *amazonpay.NotificationVerifier {
	base := []amazonpay.NotificationOption{
		amazonpay.WithCertRoots(h.NotificationRoots()),
		amazonpay.WithCertHTTPClient(h.NotificationHTTPClient()),
		amazonpay.WithNotificationClock(h.Now),
		amazonpay.WithMaxNotificationAge(time.Hour),
		amazonpay.WithNotificationSellerIDs(h.SellerID()),
	}
	return amazonpay.NewNotificationVerifier(append(base, opts...)...)
}

// notifyPKI is the sandbox's test CA and SNS signing certificate.
type notifyPKI struct {
	root, inter, leaf *x509.Certificate
	key               *crtKey
	region            string // the SNS region of the URLs, e.g. eu-west-1
	certURL           string
	certPEM           []byte // leaf and intermediate, as SNS serves them
}

// notifyPKI makes the CA on first use (an RSA key takes a moment, which
// sandboxes that send no notification should not pay), valid from a day
// before the sandbox's start for ten years.
func (h *Handler) notifyPKI() *notifyPKI {
	h.notify.mu.Lock()
	defer h.notify.mu.Unlock()
	if h.notify.pki == nil {
		p, err := newNotifyPKI(h.cfg.start, snsRegion(h.cfg.region))
		if err != nil {
			panic("amazonpaytest: test CA: " + err.Error())
		}
		h.notify.pki = p
	}
	return h.notify.pki
}

func snsRegion(r amazonpay.Region) string {
	switch r {
	case amazonpay.RegionUS, amazonpay.RegionNA:
		return "us-east-1"
	case amazonpay.RegionJP:
		return "ap-northeast-1"
	}
	return "eu-west-1"
}

// snsKeyBits is the size of the sandbox's SNS signing key.
const snsKeyBits = 1024

func newNotifyPKI(start time.Time, region string) (*notifyPKI, error) {
	notBefore, notAfter := start.Add(-24*time.Hour), start.Add(10*365*24*time.Hour)
	// The CA keys are ECDSA (quick to make); SNS signs with RSA.
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	interKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	// The leaf's key is 1024 bits of four primes: every notification is
	// signed with it, and a signature of SNS's own kind (2048 bits, two
	// primes) costs about eight times as much (BenchmarkSignSNS). Nothing
	// checks the size of SNS's key: the SDK's verifier (and crypto/rsa,
	// from 1024 bits) accepts it (TestNotificationKeyVerifiesThroughTheSDK);
	// it is a test key (notify_sign.go).
	leafKey, err := rsa.GenerateMultiPrimeKey(rand.Reader, snsPrimes, snsKeyBits)
	if err != nil {
		return nil, err
	}
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{Organization: []string{"amazonpaytest"}, CommonName: cn},
			NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
	}
	create := func(tmpl, parent *x509.Certificate, pub, priv any) (*x509.Certificate, error) {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	}
	p := &notifyPKI{key: newCRTKey(leafKey), region: region}
	rootT := ca(1, "amazonpaytest SNS Test Root CA")
	if p.root, err = create(rootT, rootT, &rootKey.PublicKey, rootKey); err != nil {
		return nil, err
	}
	if p.inter, err = create(ca(2, "amazonpaytest SNS Test Intermediate CA"), p.root, &interKey.PublicKey, rootKey); err != nil {
		return nil, err
	}
	leafT := &x509.Certificate{
		SerialNumber: big.NewInt(3),
		Subject:      pkix.Name{Country: []string{"US"}, Organization: []string{"amazonpaytest"}, CommonName: "sns.amazonaws.com"},
		DNSNames:     []string{"sns.amazonaws.com"},
		NotBefore:    notBefore, NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if p.leaf, err = create(leafT, p.inter, &leafKey.PublicKey, interKey); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(p.leaf.Raw)
	p.certURL = fmt.Sprintf("https://sns.%s.amazonaws.com/SimpleNotificationService-%x.pem", region, sum[:16])
	var b bytes.Buffer
	for _, c := range []*x509.Certificate{p.leaf, p.inter} {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}) // a bytes.Buffer does not fail
	}
	p.certPEM = b.Bytes()
	return p, nil
}

// snsTransport answers the sandbox's SNS URLs in process.
type snsTransport struct {
	p *notifyPKI
	n *notifier
}

var snsHostPattern = regexp.MustCompile(`^sns\.[a-z0-9-]+\.amazonaws\.com$`)

// RoundTrip answers the certificate, ConfirmSubscription and Unsubscribe URLs.
func (t snsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close() // a RoundTripper must close it; nothing was read
	}
	if r.URL.Scheme != "https" || !snsHostPattern.MatchString(r.URL.Host) {
		return nil, errors.New("amazonpaytest: NotificationHTTPClient reaches only the sandbox's SNS URLs, not " + r.URL.Redacted())
	}
	answer := func(status int, body []byte) (*http.Response, error) {
		return &http.Response{
			StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"text/plain"}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), Request: r,
		}, nil
	}
	switch {
	case r.Method == http.MethodGet && r.URL.String() == t.p.certURL:
		return answer(http.StatusOK, t.p.certPEM)
	case r.Method == http.MethodGet && r.URL.Path == "/" && r.URL.Query().Get("Action") == "ConfirmSubscription":
		if !t.n.confirm(r.URL.Query().Get("Token")) {
			return answer(http.StatusNotFound, []byte("unknown token"))
		}
		return answer(http.StatusOK, []byte(`<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"/>`))
	case r.Method == http.MethodGet && r.URL.Path == "/" && r.URL.Query().Get("Action") == "Unsubscribe":
		return answer(http.StatusOK, []byte(`<UnsubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"/>`))
	}
	return answer(http.StatusNotFound, []byte("not found"))
}
