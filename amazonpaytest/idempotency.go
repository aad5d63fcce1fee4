package amazonpaytest

import (
	"crypto/sha256"
	"net/url"
	"slices"
	"strings"
)

// Reference-id idempotency (spec §8.2): Authorize, Capture, Refund and
// AuthorizeOnBillingAgreement carry the merchant's reference id. A retry
// with the same reference id and the same parameters gets the original
// reply again (not the object's state now) and changes nothing; the same
// reference id with other parameters is DuplicateRequest; the same
// reference id for another kind of request or another target is
// DuplicateReferenceId.

// refKind is the namespace of a merchant reference id.
type refKind string

const (
	refAuthorization refKind = "AuthorizationReferenceId"
	refCapture       refKind = "CaptureReferenceId"
	refRefund        refKind = "RefundReferenceId"
)

type refKey struct {
	seller string
	kind   refKind
	id     string
}

// refRecord remembers the request that first used a reference id and the
// result it got.
type refRecord struct {
	action, target string
	params         [sha256.Size]byte // of canonical(p): a retry has the same
	// result is the original <Action>Result. It is built for this record
	// alone and never changed, so it can be marshalled again for a retry.
	result *xResult
}

// reuse returns the original result of an earlier call with the same
// reference id, nil if the reference id is new, and fails if the reference
// id was used for another kind of request or target (DuplicateReferenceId)
// or with other parameters (DuplicateRequest).
func (c *call) reuse(kind refKind, ref, target string) *xResult {
	rec := c.h.refs[refKey{c.seller, kind, ref}]
	if rec == nil {
		return nil
	}
	if rec.action != c.action || rec.target != target {
		fail(400, "DuplicateReferenceId", "The %s %s has already been used in another request.", kind, ref)
	}
	if rec.params != sha256.Sum256([]byte(canonical(c.p))) {
		fail(400, "DuplicateRequest", "A request with the %s %s and different parameters has already been processed.", kind, ref)
	}
	return rec.result
}

// remember records the reference id of a call that took effect, with the
// result it answers, and returns that result.
func (c *call) remember(kind refKind, ref, target string, res *xResult) *xResult {
	c.h.refs[refKey{c.seller, kind, ref}] = &refRecord{action: c.action, target: target, params: sha256.Sum256([]byte(canonical(c.p))), result: res}
	return res
}

// canonical returns the operation's own parameters in a stable form, to
// tell a retry (same parameters) from a different request with the same
// reference id. Amounts are compared as decimals: "10.5" and "10.50" are
// the same amount.
func canonical(p url.Values) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if !slices.Contains(commonParams, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range p[k] {
			if strings.HasSuffix(k, ".Amount") {
				v = normalAmount(v)
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v) + "&")
		}
	}
	return b.String()
}

// normalAmount writes a decimal amount without the trailing zeros of its
// fraction ("10.50" and "10.5" → "10.5", "2.00" → "2"). Text that is not
// a well-formed amount is returned as it is: such a call fails anyway.
func normalAmount(s string) string {
	if !amountPattern.MatchString(s) {
		return s
	}
	whole, frac, ok := strings.Cut(s, ".")
	if !ok {
		return s
	}
	if frac = strings.TrimRight(frac, "0"); frac == "" {
		return whole
	}
	return whole + "." + frac
}
