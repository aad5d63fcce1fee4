package amazonpaytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// The sandbox verifies Signature Version 2 with code of its own rather
// than the root package's signer, so that a signer bug in the SDK cannot
// hide behind the same code on both sides. It works from the decoded form,
// as MWS does: the body may encode a space as + or %20, put Signature
// anywhere and order the parameters any way; what is signed is
//
//	"POST\n" + lower-case Host header + "\n" + path + "\n" + canonical form
//
// where the canonical form is every parameter but Signature, sorted by
// name in byte order, name=value with each percent-encoded per RFC 3986
// (only A-Z a-z 0-9 - _ . ~ left as they are, upper-case hex), joined by &.

// expectedSignature returns the base64 HMAC-SHA256 signature of form for
// a POST to host and path with secret.
func expectedSignature(secret, host, path string, form url.Values) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign(host, path, form)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func stringToSign(host, path string, form url.Values) string {
	if path == "" {
		path = "/"
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // byte order
	var b strings.Builder
	b.WriteString("POST\n")
	b.WriteString(strings.ToLower(host))
	b.WriteString("\n")
	b.WriteString(path)
	b.WriteString("\n")
	first := true
	for _, k := range keys {
		for _, v := range form[k] {
			if !first {
				b.WriteByte('&')
			}
			first = false
			b.WriteString(rfc3986(k))
			b.WriteByte('=')
			b.WriteString(rfc3986(v))
		}
	}
	return b.String()
}

// rfc3986 percent-encodes every byte of s but the unreserved characters.
func rfc3986(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// signatureMatches reports whether the form's Signature is the one the
// sandbox computes, comparing in constant time.
func (h *Handler) signatureMatches(host, path string, form url.Values) bool {
	sig := form.Get("Signature")
	if sig == "" || len(form["Signature"]) != 1 {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(expectedSignature(h.cfg.secret, host, path, form)))
}
