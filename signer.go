package amazonpay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Signature Version 2 (HmacSHA256), as MWS verifies it:
//
//	StringToSign = "POST\n" + host + "\n" + path + "\n" + CanonicalQuery
//	CanonicalQuery = the parameters except Signature, sorted by name in byte
//	                 order, each enc(name) "=" enc(value), joined with "&"
//	Signature = base64(HMAC-SHA256(secret key, StringToSign))
//
// enc percent-encodes the UTF-8 bytes of a value, keeping only A-Z a-z 0-9 - _ . ~
// and using upper-case hex (so space is %20, never +).

const (
	signatureMethod  = "HmacSHA256"
	signatureVersion = "2"
	// timestampLayout is UTC with whole seconds; MWS accepts any ISO 8601
	// form but rejects requests more than 15 minutes off its clock.
	timestampLayout = "2006-01-02T15:04:05Z"
)

// param is one request parameter, unencoded.
type param struct{ key, value string }

// FormatTimestamp formats t as MWS expects the Timestamp parameter: UTC,
// whole seconds, e.g. "2015-12-31T23:59:58Z".
func FormatTimestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// unreservedBytes marks the bytes that Signature Version 2 leaves as they are.
var unreservedBytes = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

// appendEscaped appends the RFC 3986 encoding of s that Signature Version 2
// uses, copying runs of unreserved bytes at once.
func appendEscaped[S ~string | ~[]byte](dst []byte, s S) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedBytes[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// escapeGrowth is how many bytes escaping adds to each byte: 0 or 2.
var escapeGrowth = func() (t [256]uint8) {
	for c := range t {
		if !unreservedBytes[c] {
			t[c] = 2
		}
	}
	return t
}()

func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		n += int(escapeGrowth[s[i]]) // no branch: this runs over every byte signed
	}
	return n
}

// appendCanonical appends the canonical query of params, which must be
// sorted by key and must not contain Signature. It returns the offset at
// which a Signature parameter would stand in sorted order.
func appendCanonical(dst []byte, params []param) (out []byte, sigAt int) {
	sigAt = -1
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		if sigAt < 0 && p.key > "Signature" {
			sigAt = len(dst)
		}
		dst = appendEscaped(dst, p.key)
		dst = append(dst, '=')
		dst = appendEscaped(dst, p.value)
	}
	if sigAt < 0 {
		sigAt = len(dst)
	}
	return dst, sigAt
}

func stringToSignPrefix(dst []byte, host, path string) []byte {
	dst = append(dst, "POST\n"...)
	dst = append(dst, strings.ToLower(host)...)
	dst = append(dst, '\n')
	dst = append(dst, path...)
	return append(dst, '\n')
}

// signedBody returns the form body of a request: every parameter of params
// (sorted by key, without Signature) plus Signature at its sorted position,
// all encoded as in the string to sign. mac must be an HMAC-SHA256 keyed with
// the secret key; it is reset before use.
func signedBody(mac *signingMAC, host, path string, params []param) []byte {
	size := len("POST\n\n\n") + len(host) + len(path) + len("&Signature=") + 3*base64.StdEncoding.EncodedLen(sha256.Size)
	for _, p := range params {
		size += escapedLen(p.key) + escapedLen(p.value) + 2
	}
	buf := stringToSignPrefix(make([]byte, 0, size), host, path)
	start := len(buf)
	buf, sigAt := appendCanonical(buf, params)

	mac.Reset()
	mac.Write(buf)
	var sig [44]byte // base64 of 32 bytes
	base64.StdEncoding.Encode(sig[:], mac.Sum(mac.sum[:0]))

	// Insert "Signature=<enc(sig)>" with its '&' at sigAt, in place.
	var ins [len("&Signature=&") + 3*len(sig)]byte
	n := 0
	atEnd := sigAt == len(buf)
	if atEnd && sigAt > start {
		ins[n] = '&'
		n++
	}
	n += copy(ins[n:], "Signature=")
	n = len(appendEscaped(ins[:n], sig[:]))
	if !atEnd {
		ins[n] = '&'
		n++
	}
	old := len(buf)
	buf = append(buf, ins[:n]...)
	copy(buf[sigAt+n:], buf[sigAt:old])
	copy(buf[sigAt:], ins[:n])
	return buf[start:]
}

// signingMAC is an HMAC-SHA256 keyed with the secret key, with room for its
// sum so that signing allocates nothing for it. Clients pool them.
type signingMAC struct {
	hash.Hash
	sum [sha256.Size]byte
}

func newMAC(secretKey string) *signingMAC {
	return &signingMAC{Hash: hmac.New(sha256.New, []byte(secretKey))}
}

// sortedParams turns url.Values into params sorted by key, leaving out
// Signature. A key with several values yields one param per value.
func sortedParams(values url.Values) []param {
	params := unsortedParams(values, 0)
	sortParams(params)
	return params
}

// unsortedParams turns url.Values into params with room for extra more.
func unsortedParams(values url.Values, extra int) []param {
	params := make([]param, 0, len(values)+extra)
	for k, vs := range values {
		if k == "Signature" {
			continue
		}
		for _, v := range vs {
			params = append(params, param{k, v})
		}
	}
	return params
}

// sortParams sorts by key in byte order, keeping the order of equal keys.
func sortParams(params []param) {
	slices.SortStableFunc(params, func(a, b param) int { return strings.Compare(a.key, b.key) })
}

// StringToSign returns the Signature Version 2 string to sign for a POST of
// params to host (host[:port] as in the Host header) and path. A Signature
// parameter in params is ignored. It is exported for servers that verify
// requests, such as amazonpaytest.
func StringToSign(host, path string, params url.Values) string {
	buf := stringToSignPrefix(nil, host, path)
	buf, _ = appendCanonical(buf, sortedParams(params))
	return string(buf)
}

// Sign returns the base64 HmacSHA256 Signature Version 2 signature of params
// for a POST to host and path, keyed with secretKey.
func Sign(secretKey, host, path string, params url.Values) string {
	mac := newMAC(secretKey)
	mac.Write([]byte(StringToSign(host, path, params)))
	return b64(mac.Sum(nil))
}

func b64(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }
