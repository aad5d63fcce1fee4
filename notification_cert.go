package amazonpay

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
)

const (
	// maxCertBytes caps a fetched certificate file: SNS's are about 2 KiB.
	maxCertBytes = 64 << 10
	// certCacheSize bounds the cached certificates: SNS uses a handful of
	// signing certificates at a time.
	certCacheSize = 32
	// certCacheTTL bounds how long a fetched certificate is trusted
	// without fetching it again.
	certCacheTTL = 24 * time.Hour
	// maxAIAFetches bounds the issuer URLs followed for one certificate.
	maxAIAFetches = 2
)

// signingCert is a signing certificate whose chain has been verified: its
// key, and the period in which the whole chain is valid.
type signingCert struct {
	leaf      *x509.Certificate
	key       *rsa.PublicKey
	notBefore time.Time
	notAfter  time.Time
}

// signingKey returns the verified key of the certificate at certURL,
// valid at the message time ts. A verified chain is cached by URL: it
// stays valid for any other time inside the chain's validity period.
func (v *NotificationVerifier) signingKey(ctx context.Context, certURL string, ts time.Time) (*rsa.PublicKey, error) {
	val, err := v.certs.get(ctx, "cert "+certURL, v.now(), func(ctx context.Context) (any, error) {
		return v.loadSigningCert(ctx, certURL, ts)
	})
	if err != nil {
		return nil, err
	}
	sc := val.(*signingCert)
	if ts.Before(sc.notBefore) || ts.After(sc.notAfter) {
		return nil, reject(NotificationCertificate, "SigningCertURL", "not valid at the message time",
			x509.CertificateInvalidError{Cert: sc.leaf, Reason: x509.Expired,
				Detail: fmt.Sprintf("message time %s is outside %s to %s", ts.UTC().Format(time.RFC3339),
					sc.notBefore.UTC().Format(time.RFC3339), sc.notAfter.UTC().Format(time.RFC3339))})
	}
	return sc.key, nil
}

func (v *NotificationVerifier) loadSigningCert(ctx context.Context, certURL string, ts time.Time) (*signingCert, error) {
	data, err := v.fetch(ctx, certURL)
	if err != nil {
		return nil, err
	}
	certs, err := parseCerts(data)
	if err != nil {
		return nil, reject(NotificationCertificate, "SigningCertURL", "not a certificate", err)
	}
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: inter,
		CurrentTime:   ts,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	chains, err := leaf.Verify(opts)
	var unknown x509.UnknownAuthorityError
	if err != nil && errors.As(err, &unknown) && len(certs) == 1 && len(leaf.IssuingCertificateURL) > 0 {
		// The file holds the leaf alone: take its issuer from the AIA
		// "CA Issuers" URL. Plain http is fine there, as the chain is
		// still verified to a trusted root.
		for i, u := range leaf.IssuingCertificateURL {
			if i == maxAIAFetches {
				break
			}
			issuers, ferr := v.issuers(ctx, u)
			if ferr != nil {
				return nil, ferr
			}
			for _, c := range issuers {
				inter.AddCert(c)
			}
		}
		chains, err = leaf.Verify(opts)
	}
	if err != nil {
		return nil, reject(NotificationCertificate, "SigningCertURL", "certificate not trusted", err)
	}
	if leaf.VerifyHostname(snsCertName) != nil && leaf.Subject.CommonName != snsCertName {
		return nil, reject(NotificationCertificate, "SigningCertURL", "certificate is not issued to "+snsCertName, nil)
	}
	key, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, reject(NotificationCertificate, "SigningCertURL", "certificate holds no RSA key", nil)
	}
	sc := &signingCert{leaf: leaf, key: key, notBefore: leaf.NotBefore, notAfter: leaf.NotAfter}
	for _, c := range chains[0] {
		if c.NotBefore.After(sc.notBefore) {
			sc.notBefore = c.NotBefore
		}
		if c.NotAfter.Before(sc.notAfter) {
			sc.notAfter = c.NotAfter
		}
	}
	if v.logger != nil {
		v.logger.LogAttrs(ctx, slog.LevelDebug, "amazonpay: notification signing certificate verified",
			slog.String("url", certURL), slog.Time("not_after", sc.notAfter))
	}
	return sc, nil
}

// issuers fetches the certificates at an AIA URL. They are not cached on
// their own: plain http may answer anything (a captive portal, a stale or
// tampered file), and only a chain verified with them is kept, as the
// signing certificate's cache entry.
func (v *NotificationVerifier) issuers(ctx context.Context, rawURL string) ([]*x509.Certificate, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, reject(NotificationCertificate, "SigningCertURL", "issuer URL is not http(s)", nil)
	}
	data, err := v.fetch(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	certs, err := parseCerts(data)
	if err != nil {
		return nil, reject(NotificationCertificate, "SigningCertURL", "issuer is not a certificate", err)
	}
	return certs, nil
}

// fetch GETs a certificate file, at most maxCertBytes of it.
func (v *NotificationVerifier) fetch(ctx context.Context, rawURL string) ([]byte, error) {
	unavailable := func(detail string, err error) error {
		return reject(NotificationCertificateUnavailable, "SigningCertURL", detail, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, unavailable("bad request", err)
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, unavailable("fetch failed", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxCertBytes))
		return nil, unavailable(fmt.Sprintf("fetch answered HTTP %d", resp.StatusCode), nil)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, unavailable("fetch failed", err)
	}
	if len(data) > maxCertBytes {
		return nil, reject(NotificationCertificate, "SigningCertURL", "certificate file too large", nil)
	}
	return data, nil
}

// certCache holds verified signing certificates by URL, at most max of
// them for at most ttl each. Concurrent requests for one key load it once;
// failures are not kept, so the next request tries again.
type certCache struct {
	mu          sync.Mutex
	max         int
	ttl         time.Duration
	loadTimeout time.Duration // certLoadTimeout
	m           map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{} // closed when val and err are set
	at   time.Time
	val  any
	err  error
}

func newCertCache(max int, ttl time.Duration) *certCache {
	return &certCache{max: max, ttl: ttl, loadTimeout: certLoadTimeout, m: make(map[string]*cacheEntry)}
}

func (e *cacheEntry) loaded() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// certLoadTimeout bounds one certificate load, whatever the HTTP client's
// own timeout: a load that never ends would leave its entry loading, and
// every later message with that SigningCertURL waiting, until a restart.
const certLoadTimeout = 30 * time.Second

// get returns the value for key, loading it if absent or expired. The load
// runs detached from the caller's cancellation (other callers may wait for
// it), bounded by certLoadTimeout, while each caller stops waiting when its
// own ctx ends.
func (c *certCache) get(ctx context.Context, key string, now time.Time, load func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	e := c.m[key]
	if e != nil && e.loaded() && now.Sub(e.at) > c.ttl {
		delete(c.m, key)
		e = nil
	}
	if e == nil {
		c.evict(now)
		e = &cacheEntry{done: make(chan struct{}), at: now}
		c.m[key] = e
		go func() {
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.loadTimeout)
			defer cancel()
			val, err := load(lctx)
			c.mu.Lock()
			e.val, e.err = val, err
			if err != nil && c.m[key] == e {
				delete(c.m, key)
			}
			c.mu.Unlock()
			close(e.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		return nil, reject(NotificationCertificateUnavailable, "SigningCertURL", "fetch not finished", ctx.Err())
	}
}

// evict makes room for one entry: expired entries go first, then the
// oldest loaded one. Entries being loaded stay. Called with c.mu held.
func (c *certCache) evict(now time.Time) {
	if len(c.m) < c.max {
		return
	}
	var oldestKey string
	var oldest *cacheEntry
	for k, e := range c.m {
		if !e.loaded() {
			continue
		}
		if now.Sub(e.at) > c.ttl {
			delete(c.m, k)
			continue
		}
		if oldest == nil || e.at.Before(oldest.at) {
			oldestKey, oldest = k, e
		}
	}
	if len(c.m) >= c.max && oldest != nil {
		delete(c.m, oldestKey)
	}
}

// len returns the number of cached entries (tests).
func (c *certCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
