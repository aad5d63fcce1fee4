package amazonpaytest

import "fmt"

// Order reference operations (spec §1.9 #1-6, §3.1, §4.1).

func (c *call) orderRef(name string) *orderRef {
	id := c.need(name, 64)
	o := c.h.oros[id]
	if o == nil || o.seller != c.seller {
		fail(404, "InvalidOrderReferenceId", "The OrderReference id %s is invalid.", id)
	}
	return o
}

func opGetOrderReferenceDetails(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	return &xResult{OrderReferenceDetails: c.h.xOrderRef(o, c.accessToken(o.userID))}
}

// orderAttrs are the attributes SetOrderReferenceDetails, SetOrderAttributes
// and CreateOrderReferenceForId set, read under a parameter prefix.
type orderAttrs struct {
	total                    *money
	platformID, note         string
	hasNote                  bool
	sim                      *simulation
	soa                      sellerOrderAttrs
	hasSOA, hasCats          bool
	rpa, hasRPA              bool
	psp                      *pspAttrs
	onlyAfterConfirmationSet bool // OrderTotal, PlatformId or categories given
}

func (c *call) orderAttrs(prefix string, totalRequired bool) orderAttrs {
	a := orderAttrs{
		total:      c.price(prefix+"OrderTotal", totalRequired),
		platformID: c.text(prefix+"PlatformId", 256),
		note:       c.text(prefix+"SellerNote", 1024),
		hasNote:    c.p.Has(prefix + "SellerNote"),
	}
	a.sim = c.simulation(simOrderNote, a.note)
	s := prefix + "SellerOrderAttributes."
	a.soa = sellerOrderAttrs{
		SellerOrderID:     c.text(s+"SellerOrderId", 256),
		StoreName:         c.text(s+"StoreName", 256),
		CustomInformation: c.text(s+"CustomInformation", 1024),
		SupplementaryData: c.jsonText(s+"SupplementaryData", 1024),
		Categories:        c.list(s+"OrderItemCategories.OrderItemCategory", 256),
	}
	if sd := c.jsonText(prefix+"SupplementaryData", 1024); sd != "" {
		a.soa.SupplementaryData = sd
	}
	a.hasSOA = c.prefixed(s)
	a.hasCats = len(a.soa.Categories) > 0
	if c.has(prefix + "RequestPaymentAuthorization") {
		a.rpa, a.hasRPA = c.flag(prefix+"RequestPaymentAuthorization", false), true
	}
	psp := prefix + "PaymentServiceProviderAttributes."
	if c.prefixed(psp) {
		a.psp = &pspAttrs{ID: c.text(psp+"PaymentServiceProviderId", 256), OrderID: c.text(psp+"PaymentServiceProviderOrderId", 256)}
	}
	a.onlyAfterConfirmationSet = a.total != nil || a.platformID != "" || a.hasCats
	return a
}

// apply sets the given attributes on o; absent ones keep their value.
func (a orderAttrs) apply(o *orderRef) {
	if a.total != nil {
		o.total = a.total
	}
	if a.platformID != "" {
		o.setEx().platformID = a.platformID
	}
	if a.hasNote {
		if a.note != "" || o.extra != nil {
			o.setEx().sellerNote = a.note
		}
		applyNoteSimulation(&o.buyerSide, a.sim)
	}
	if a.hasSOA {
		x := o.setEx()
		cats := x.soa.Categories
		x.soa = a.soa
		if !a.hasCats {
			x.soa.Categories = cats
		}
	}
	if a.hasRPA {
		o.rpa = a.rpa
	}
	if a.psp != nil {
		o.setEx().psp = a.psp
	}
}

func notModifiable(o *orderRef) {
	fail(405, "OrderReferenceNotModifiable",
		"OrderReference %s is not in draft state and cannot be modified with the request submitted by you.", o.id)
}

func opSetOrderReferenceDetails(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	a := c.orderAttrs("OrderReferenceAttributes.", true)
	if o.status.State != stDraft {
		notModifiable(o)
	}
	a.apply(o)
	return &xResult{OrderReferenceDetails: c.h.xOrderRef(o, false)}
}

func opSetOrderAttributes(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	if !c.prefixed("OrderAttributes.") {
		panic(missingErr("OrderAttributes"))
	}
	a := c.orderAttrs("OrderAttributes.", false)
	switch o.status.State {
	case stDraft:
	case stOpen, stSuspended:
		// After confirmation only the note, the seller's order data and the
		// payment service provider data can change.
		if a.onlyAfterConfirmationSet {
			fail(405, "OrderReferenceNotModifiable",
				"OrderReference %s is confirmed: OrderTotal, PlatformId and OrderItemCategories can no longer be modified.", o.id)
		}
	default:
		invalidORStatus(o)
	}
	a.apply(o)
	return &xResult{OrderReferenceDetails: c.h.xOrderRef(o, false)}
}

func invalidORStatus(o *orderRef) {
	fail(405, "InvalidOrderReferenceStatus", "OrderReference %s is in the %s state; the operation is not allowed in this state.", o.id, o.status.State)
}

func opConfirmOrderReference(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	success, failure := c.returnURLs(true)
	amount := c.price("AuthorizationAmount", false)
	eia := c.flag("ExpectImmediateAuthorization", false)
	switch o.status.State {
	case stDraft, stOpen, stSuspended:
	default:
		invalidORStatus(o)
	}
	if ids := o.constraints(); len(ids) > 0 {
		fail(400, "ConstraintsExist", "The OrderReference %s has constraints %s and cannot be confirmed.", o.id, joinConstraints(ids))
	}
	checkMethodUpdated(&o.buyerSide, o.status, "OrderReference", o.id)
	if amount != nil && amount.currency != o.total.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the OrderReference.", amount.currency, o.total.currency)
	}
	h := c.h
	if o.status.State != stOpen {
		h.setStatus(&o.status, stOpen, "", "")
	}
	if amount == nil {
		amount = o.total // shared: a money value is replaced, never changed
	}
	h.confirmBuyer(&o.buyerSide, success, failure, amount, eia)
	if eia {
		gen, n := o.confirm.gen, len(o.auths)
		h.schedule(h.now.Add(h.cfg.eiaWindow), func() {
			if o.confirm.gen == gen && len(o.auths) == n && (o.status.State == stOpen || o.status.State == stSuspended) {
				h.closeOrderRef(o, rcExpired, fmt.Sprintf(
					"No authorization was requested within %s of confirmation with ExpectImmediateAuthorization.", h.cfg.eiaWindow))
			}
		})
	}
	return &xResult{}
}

// returnURLs reads the Confirmation Flow's SuccessUrl and FailureUrl. In
// the EU and UK a SuccessUrl is required (the seeds): the issuer decides
// per payment whether to challenge, so every confirmation must be able to
// send the buyer through the flow; so is a FailureUrl when failureNeeded
// (ConfirmOrderReference). ConfirmBillingAgreement takes it as optional:
// "if not FailureUrl is set, the customer will also be redirected to this
// page [the SuccessUrl] if SCA was unsuccessful" (the billing agreement
// seed). Elsewhere both are optional, but a FailureUrl needs a SuccessUrl.
func (c *call) returnURLs(failureNeeded bool) (success, failure string) {
	success, failure = c.returnURL("SuccessUrl"), c.returnURL("FailureUrl")
	switch {
	case success == "" && (failure != "" || c.h.cfg.region.SCARequired()):
		panic(missingErr("SuccessUrl"))
	case failure == "" && failureNeeded && c.h.cfg.region.SCARequired():
		panic(missingErr("FailureUrl"))
	}
	return success, failure
}

// confirmBuyer records a confirmation. With a SuccessUrl it (re)starts the
// Confirmation Flow, since a new confirmation needs a new authentication.
func (h *Handler) confirmBuyer(b *buyerSide, success, failure string, amount *money, eia bool) {
	b.confirmCount++
	b.confirm = &confirmation{successURL: success, failureURL: failure, amount: amount,
		expectImmediate: eia, gen: b.confirmCount}
	if success != "" {
		b.authn = authnPending
	} else if b.authn != authnPassed {
		b.authn = authnNone
	}
}

func opCancelOrderReference(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	reason := c.text("CancelationReason", 1024)
	switch o.status.State {
	case stOpen, stSuspended: // a Canceled one is refused like any other state (spec §3.1)
	default:
		invalidORStatus(o)
	}
	for _, a := range o.auths {
		for _, cp := range a.captures {
			if cp.status.State != stDeclined {
				fail(400, "InvalidCancelAttempt", "OrderReference %s has captures and cannot be canceled; close it instead.", o.id)
			}
		}
	}
	c.h.cancelOrderRef(o, rcSellerCanceled, reason)
	return &xResult{}
}

// cancelOrderRef cancels o and closes its Open and Pending authorizations
// with OrderReferenceCanceled. The caller holds h.mu.
func (h *Handler) cancelOrderRef(o *orderRef, reason, desc string) {
	h.setStatus(&o.status, stCanceled, reason, desc)
	for _, a := range o.auths {
		if a.status.State == stOpen || a.status.State == stPending {
			h.setStatus(&a.status, stClosed, rcOrderReferenceCanceled, "")
		}
	}
}

func opCloseOrderReference(c *call) *xResult {
	o := c.orderRef("AmazonOrderReferenceId")
	// Closing a Closed order reference again succeeds (spec §3.1).
	return c.closeObject(&o.status, "OrderReference", o.id, true, func() { invalidORStatus(o) })
}

// maxClosureReason is the length ClosureReason may have, as
// ReasonDescription, where Amazon shows it.
const maxClosureReason = 255

// closeObject closes an Open or Suspended order reference or billing
// agreement with the call's ClosureReason (Amazon's reason when a closure
// simulation asks for it). A Draft or Canceled object is an
// InvalidCloseAttempt; a Closed one succeeds again when closedOK, else
// gets closed's error.
func (c *call) closeObject(st *status, kind, id string, closedOK bool, closed func()) *xResult {
	reason := c.text("ClosureReason", maxClosureReason)
	sim := c.simulation(simClosure, reason)
	switch st.State {
	case stClosed:
		if closedOK {
			return &xResult{}
		}
		closed()
	case stOpen, stSuspended:
	default:
		fail(400, "InvalidCloseAttempt", "%s %s is in the %s state and cannot be closed.", kind, id, st.State)
	}
	if sim != nil {
		c.h.setStatus(st, stClosed, rcAmazonClosed, "")
	} else {
		c.h.setStatus(st, stClosed, rcSellerClosed, reason)
	}
	return &xResult{}
}
