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

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

const upperHex = "0123456789ABCDEF"

// appendEscaped appends the RFC 3986 encoding of s that Signature Version 2 uses.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n += 2
		}
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
func signedBody(mac hash.Hash, host, path string, params []param) []byte {
	size := len("POST\n\n\n") + len(host) + len(path) + len("&Signature=") + 3*base64.StdEncoding.EncodedLen(sha256.Size)
	for _, p := range params {
		size += escapedLen(p.key) + escapedLen(p.value) + 2
	}
	buf := stringToSignPrefix(make([]byte, 0, size), host, path)
	start := len(buf)
	buf, sigAt := appendCanonical(buf, params)

	mac.Reset()
	mac.Write(buf)
	var sum [sha256.Size]byte
	var sig [44]byte // base64 of 32 bytes
	base64.StdEncoding.Encode(sig[:], mac.Sum(sum[:0]))

	// Insert "Signature=<enc(sig)>" with its '&' at sigAt, in place.
	var ins [len("&Signature=&") + 3*len(sig)]byte
	n := 0
	atEnd := sigAt == len(buf)
	if atEnd && sigAt > start {
		ins[n] = '&'
		n++
	}
	n += copy(ins[n:], "Signature=")
	n = len(appendEscaped(ins[:n], string(sig[:])))
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

func newMAC(secretKey string) hash.Hash { return hmac.New(sha256.New, []byte(secretKey)) }

// sortedParams turns url.Values into params sorted by key, leaving out
// Signature. A key with several values yields one param per value.
func sortedParams(values url.Values) []param {
	params := make([]param, 0, len(values))
	for k, vs := range values {
		if k == "Signature" {
			continue
		}
		for _, v := range vs {
			params = append(params, param{k, v})
		}
	}
	slices.SortStableFunc(params, func(a, b param) int { return strings.Compare(a.key, b.key) })
	return params
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
