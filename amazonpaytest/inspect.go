package amazonpaytest

import (
	"net/url"
	"time"
)

// Request is one call the sandbox received, as the request log keeps it.
type Request struct {
	Time           time.Time  // sandbox time of arrival
	Action         string     // the MWS Action, or ConfirmationFlow for the page
	Params         url.Values // every parameter as received, Signature included
	SignatureValid bool       // the Signature matched (always true for the page)
	Status         int        // HTTP status of the reply; 0 when the connection was dropped
	ErrorCode      string     // the ErrorResponse code, or the page's ErrorCode
	RequestID      string     // the RequestId of the reply
	Fault          FaultKind  // the injected fault, if any
	Applied        bool       // the operation took effect (even if the reply was lost)
}

// Requests returns a copy of the request log, oldest first: the last
// WithKeep requests (default DefaultKeep).
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Request, 0, h.log.len())
	h.log.each(func(l loggedRequest) { out = append(out, h.request(l)) })
	return out
}

// RequestsFor returns the logged calls of one action, oldest first.
func (h *Handler) RequestsFor(action string) []Request {
	var out []Request
	for _, r := range h.Requests() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// Kind is the kind of a sandbox object.
type Kind string

// Object kinds.
const (
	KindOrderReference   Kind = "OrderReference"
	KindAuthorization    Kind = "Authorization"
	KindCapture          Kind = "Capture"
	KindRefund           Kind = "Refund"
	KindBillingAgreement Kind = "BillingAgreement"
)

// Object is a snapshot of a sandbox object.
type Object struct {
	Kind              Kind
	ID                string
	SellerID          string // the seller the object belongs to
	State             string // e.g. "Open"
	ReasonCode        string
	ReasonDescription string
	LastUpdate        time.Time
	// ReferenceID is the merchant's reference id (authorizations, captures, refunds).
	ReferenceID string
	// Amount and CurrencyCode: the order total, the authorized, captured or
	// refunded amount; empty for billing agreements and unset totals.
	Amount       string
	CurrencyCode string
	// Parent is the order reference of an authorization, the authorization
	// of a capture, the capture of a refund, the billing agreement of a
	// child order reference.
	Parent string
	// Children is the IdList: authorizations of an order reference,
	// captures of an authorization, refunds of a capture, order references
	// of a billing agreement.
	Children    []string
	Constraints []string
	// Authentication is the Confirmation Flow outcome of an order reference
	// or billing agreement: "", "Pending", "Success", "Failure" or "Abandoned".
	Authentication string
	// PaymentMethod is the buyer's chosen method (order references and
	// billing agreements).
	PaymentMethod PaymentMethod
}

var authnNames = map[authn]string{authnPending: "Pending", authnPassed: "Success", authnFailed: "Failure", authnAbandoned: "Abandoned"}

// Object returns a snapshot of the object with the given id.
func (h *Handler) Object(id string) (Object, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	return h.object(id)
}

func objectStatus(k Kind, id string, s status) Object {
	return Object{Kind: k, ID: id, State: s.State, ReasonCode: s.Reason, ReasonDescription: s.Desc, LastUpdate: s.Updated()}
}

func (h *Handler) object(id string) (Object, bool) {
	var obj Object
	switch h.kindOf(id) {
	case KindOrderReference:
		o := h.oros[id]
		obj = objectStatus(KindOrderReference, id, o.status)
		if o.total != nil {
			obj.Amount, obj.CurrencyCode = formatUnits(o.total.units, o.total.currency), o.total.currency
		}
		if p := o.ex().parent; p != nil {
			obj.Parent = p.id
		}
		for _, a := range o.auths {
			obj.Children = append(obj.Children, a.id)
		}
		obj.Constraints = o.constraints()
		obj.Authentication, obj.PaymentMethod = authnNames[o.authn], o.method
	case KindAuthorization:
		a := h.auths[id]
		obj = objectStatus(KindAuthorization, id, a.status)
		obj.ReferenceID, obj.Parent = a.refID, a.oro.id
		obj.Amount, obj.CurrencyCode = formatUnits(a.amount.units, a.amount.currency), a.amount.currency
		for _, c := range a.captures {
			obj.Children = append(obj.Children, c.id)
		}
	case KindCapture:
		c := h.caps[id]
		obj = objectStatus(KindCapture, id, c.status)
		obj.ReferenceID, obj.Parent = c.refID, c.auth.id
		obj.Amount, obj.CurrencyCode = formatUnits(c.amount.units, c.amount.currency), c.amount.currency
		for _, r := range c.refunds {
			obj.Children = append(obj.Children, r.id)
		}
	case KindRefund:
		r := h.refunds[id]
		obj = objectStatus(KindRefund, id, r.status)
		obj.ReferenceID, obj.Parent = r.refID, r.capture.id
		obj.Amount, obj.CurrencyCode = formatUnits(r.amount.units, r.amount.currency), r.amount.currency
	case KindBillingAgreement:
		ba := h.bas[id]
		obj = objectStatus(KindBillingAgreement, id, ba.status)
		for _, o := range ba.children {
			obj.Children = append(obj.Children, o.id)
		}
		obj.Constraints = ba.constraints()
		obj.Authentication, obj.PaymentMethod = authnNames[ba.authn], ba.method
	default:
		return Object{}, false
	}
	obj.SellerID = h.ownerOf(id)
	return obj, true
}

// Objects returns snapshots of every object of kind ("" for all kinds), in
// creation order.
func (h *Handler) Objects(kind Kind) []Object {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var out []Object
	for _, id := range h.order {
		if obj, ok := h.object(id); ok && (kind == "" || obj.Kind == kind) {
			out = append(out, obj)
		}
	}
	return out
}

// State returns the state of the object with the given id, "" if unknown.
func (h *Handler) State(id string) string {
	obj, _ := h.Object(id)
	return obj.State
}

// MoneyMovements counts the objects that move money, whatever their state,
// so a test can prove that a retried call did not charge twice.
type MoneyMovements struct {
	Authorizations int
	Captures       int
	Refunds        int
}

// MoneyMovements returns how many authorizations, captures and refunds
// exist.
func (h *Handler) MoneyMovements() MoneyMovements {
	h.mu.Lock()
	defer h.mu.Unlock()
	return MoneyMovements{Authorizations: len(h.auths), Captures: len(h.caps), Refunds: len(h.refunds)}
}
