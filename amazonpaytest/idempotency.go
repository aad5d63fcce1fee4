package amazonpaytest

import (
	"crypto/sha256"
	"net/url"
	"slices"
	"strings"

	"github.com/amazonpay-go/amazonpay"
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

// refKey is a hash of the seller, the kind and the reference id: the
// sandbox keeps one record per reference id ever used, so the key is
// kept small (a collision of 128-bit hashes does not happen).
type refKey [16]byte

func newRefKey(seller string, kind refKind, id string) refKey {
	sum := sha256.Sum256([]byte(seller + "\x00" + string(kind) + "\x00" + id))
	return refKey(sum[:16])
}

// paramsHash is the hash of canonical(p): a retry has the same.
func paramsHash(p url.Values) [16]byte {
	sum := sha256.Sum256([]byte(canonical(p)))
	return [16]byte(sum[:16])
}

// refRecord remembers the request that first used a reference id and the
// result it got.
type refRecord struct {
	action, target string
	params         [16]byte // paramsHash
	reply          replay
}

// replay is how a refRecord answers a retry with the original result
// without keeping the whole reply: what of the object can change later
// (its status, the amount captured or refunded, its children, its soft
// decline, the buyer's billing address) as it was then, and the object
// for everything else, which never changes once the reply is made.
// Results of other kinds (credit reversals, rare) are kept whole.
type replay struct {
	obj            any         // *authorization, *capture or *refund; or the whole *xResult
	text           *statusText // the status then
	updated        int64
	units          int64 // captured (authorization) or refunded (capture)
	softDecline    *bool
	billing        *amazonpay.Address // the allow-listed AuthorizationBillingAddress's source
	children       int32              // captures or refunds
	orderReference bool               // the result names the order reference (AuthorizeOnBillingAgreement)
}

// replayOf records what the reply about obj says now; res is a whole
// result for a kind replay does not rebuild. The caller holds h.mu.
func (h *Handler) replayOf(obj any, res *xResult) replay {
	var s status
	r := replay{obj: obj}
	switch o := obj.(type) {
	case *authorization:
		s, r.units, r.children, r.softDecline = o.status, o.captured, int32(len(o.captures)), o.softDecline
		r.billing = o.oro.billingAddress()
	case *capture:
		s, r.units, r.children = o.status, o.refunded, int32(len(o.refunds))
	case *refund:
		s = o.status
	default:
		return replay{obj: res}
	}
	r.text, r.updated = s.statusText, s.updated
	return r
}

// result renders the reply r recorded.
func (h *Handler) result(r replay) *xResult {
	if whole, ok := r.obj.(*xResult); ok {
		return whole
	}
	then := xStatusOf(status{statusText: r.text, updated: r.updated})
	switch o := r.obj.(type) {
	case *authorization:
		x := h.xAuthorization(o)
		x.AuthorizationStatus, x.CapturedAmount, x.SoftDecline = then, zeroOr(r.units, o.amount.currency), r.softDecline
		x.IDList.Member = firstIDs(x.IDList.Member, r.children)
		if h.cfg.allowListed {
			x.AuthorizationBillingAddress = xAddressOf(r.billing)
		}
		res := &xResult{AuthorizationDetails: x}
		if r.orderReference {
			res.AmazonOrderReferenceID = o.oro.id
		}
		return res
	case *capture:
		x := h.xCapture(o)
		x.CaptureStatus, x.RefundedAmount = then, zeroOr(r.units, o.amount.currency)
		x.IDList.Member = firstIDs(x.IDList.Member, r.children)
		return &xResult{CaptureDetails: x}
	case *refund:
		x := h.xRefund(o)
		x.RefundStatus = then
		return &xResult{RefundDetails: x}
	}
	panic("amazonpaytest: replay of an unknown kind")
}

// firstIDs is the IdList as it was when it had n members: ids are only
// ever appended.
func firstIDs(ids []string, n int32) []string {
	if n == 0 {
		return nil
	}
	return ids[:n]
}

// reuse returns the original result of an earlier call with the same
// reference id, nil if the reference id is new, and fails if the reference
// id was used for another kind of request or target (DuplicateReferenceId)
// or with other parameters (DuplicateRequest).
func (c *call) reuse(kind refKind, ref, target string) *xResult {
	rec := c.h.refs[newRefKey(c.seller, kind, ref)]
	if rec == nil {
		return nil
	}
	if rec.action != c.action || rec.target != target {
		fail(400, "DuplicateReferenceId", "The %s %s has already been used in another request.", kind, ref)
	}
	if rec.params != paramsHash(c.p) {
		fail(400, "DuplicateRequest", "A request with the %s %s and different parameters has already been processed.", kind, ref)
	}
	return c.h.result(rec.reply)
}

// remember records the reference id of a call that took effect, with the
// reply r it answers, and returns that reply's result.
func (c *call) remember(kind refKind, ref, target string, r replay) *xResult {
	c.h.refs[newRefKey(c.seller, kind, ref)] = &refRecord{action: c.action, target: target, params: paramsHash(c.p), reply: r}
	return c.h.result(r)
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
