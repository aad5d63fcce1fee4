package amazonpaytest

import (
	"fmt"
	"slices"
	"time"
)

// Authorizations, captures and refunds (spec §1.9 #7-13, §3.2-3.4, §8.2, §8.4).

func (c *call) authorization(name string) *authorization {
	id := c.need(name, 64)
	a := c.h.auths[id]
	if a == nil || a.oro.seller != c.seller {
		fail(404, "InvalidTransactionId", "The AmazonAuthorizationId %s is invalid.", id)
	}
	return a
}

func (c *call) capture(name string) *capture {
	id := c.need(name, 64)
	cp := c.h.caps[id]
	if cp == nil || cp.auth.oro.seller != c.seller {
		fail(404, "InvalidTransactionId", "The AmazonCaptureId %s is invalid.", id)
	}
	return cp
}

// authRequest is what Authorize and AuthorizeOnBillingAgreement share.
type authRequest struct {
	ref        string
	amount     money
	note, soft string
	async      bool
	captureNow bool
	sim        *simulation
	credits    []providerCredit
}

func (c *call) authRequest() authRequest {
	r := authRequest{
		ref:        c.refID("AuthorizationReferenceId"),
		amount:     *c.price("AuthorizationAmount", true),
		note:       c.text("SellerAuthorizationNote", 255),
		soft:       c.text("SoftDescriptor", 16),
		captureNow: c.flag("CaptureNow", false),
	}
	// TransactionTimeout 0 is synchronous; MWS's default is 1440 minutes.
	r.credits = c.providerCredits("ProviderCreditList", "CreditAmount", r.amount.currency)
	r.async = c.number("TransactionTimeout", 1440, 0, 1440) > 0
	r.sim = c.simulation(simAuthNote, r.note)
	if r.sim != nil && r.sim.State == stPending && !r.async {
		panic(simError("a synchronous authorization (TransactionTimeout 0) is never Pending"))
	}
	return r
}

func opAuthorize(c *call) *xResult {
	h := c.h
	o := c.orderRef("AmazonOrderReferenceId")
	r := c.authRequest()
	if res := c.reuse(refAuthorization, r.ref, o.id); res != nil {
		return res
	}
	if o.status.State != stOpen || o.total == nil {
		invalidORStatus(o)
	}
	if r.amount.currency != o.total.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the OrderReference.", r.amount.currency, o.total.currency)
	}
	if slices.Contains(o.constraints(), "PaymentMethodNotAllowed") {
		// The buyer chose (or a simulation string set) a method not allowed
		// after the order reference was confirmed.
		fail(400, "PaymentMethodNotAllowed", "The payment method of OrderReference %s is not allowed for this transaction.", o.id)
	}
	var used int64
	made := 0 // successful authorizations: all but the declined ones
	for _, a := range o.auths {
		if a.status.State != stDeclined {
			made++
		}
		switch a.status.State {
		case stPending, stOpen:
			used += a.amount.units
		case stClosed:
			used += a.captured
		}
	}
	if made >= maxAuthorizations {
		fail(400, "TransactionCountExceeded", "OrderReference %s already has the maximum of %d authorizations.", o.id, maxAuthorizations)
	}
	if limit := o.total.units + overCharge(o.total.units, o.total.currency); used+r.amount.units > limit {
		fail(400, "TransactionAmountExceeded", "Authorizing %s would exceed the OrderReference total plus the allowed excess (%s).",
			r.amount, formatUnits(limit, o.total.currency))
	}
	a := h.createAuthorization(o, r, h.planAuthorization(&o.buyerSide, r.sim, r.amount))
	return c.remember(refAuthorization, r.ref, o.id, h.replayOf(a, nil))
}

// authPlan is the outcome an authorization will have.
type authPlan struct {
	state, reason string
	softDecline   *bool
	suspendReason string // for InvalidPaymentMethod declines
	desc          string // ReasonDescription
	updateMins    int
	expireMins    int
}

// planAuthorization decides the outcome of authorizing amount: a
// simulation string first, then a missing Strong Customer Authentication
// or one for a smaller amount, then the payment method.
func (h *Handler) planAuthorization(b *buyerSide, sim *simulation, amount money) authPlan {
	soft := func(v bool) *bool { return &v }
	if sim != nil {
		p := authPlan{state: sim.State, reason: sim.ReasonCode, softDecline: sim.SoftDecline,
			updateMins: sim.UpdateMins, expireMins: sim.ExpirationMins}
		if p.reason == rcInvalidPaymentMethod {
			p.suspendReason = rcInvalidPaymentMethod
			if p.softDecline == nil {
				p.softDecline = soft(true)
			}
		}
		return p
	}
	if h.needsAuthentication(b) && b.authn != authnPassed {
		if b.authn == authnFailed {
			return authPlan{state: stDeclined, reason: rcInvalidPaymentMethod, softDecline: soft(false), suspendReason: rcInvalidPaymentMethod}
		}
		return authPlan{state: stDeclined, reason: rcInvalidPaymentMethod, softDecline: soft(true), suspendReason: rcPaymentAuthorizationNeeded}
	}
	if a := b.authenticated; h.needsAuthentication(b) && a != nil && a.currency == amount.currency && amount.units > a.units {
		// The buyer authenticated a smaller amount: as if not authenticated.
		return authPlan{state: stDeclined, reason: rcInvalidPaymentMethod, softDecline: soft(true), suspendReason: rcPaymentAuthorizationNeeded,
			desc: fmt.Sprintf("The amount %s is more than the %s the buyer authenticated.", amount, a)}
	}
	switch reason := string(b.method.decline()); reason {
	case rcInvalidPaymentMethod:
		return authPlan{state: stDeclined, reason: reason, softDecline: soft(true), suspendReason: rcInvalidPaymentMethod}
	case rcAmazonRejected, rcTransactionTimedOut, rcProcessingFailure:
		return authPlan{state: stDeclined, reason: reason}
	}
	return authPlan{state: stOpen}
}

// createAuthorization makes an authorization of o. Asynchronous ones (and
// the Pending simulation) are Pending until the processing delay passes.
func (h *Handler) createAuthorization(o *orderRef, r authRequest, plan authPlan) *authorization {
	a := &authorization{
		id: o.id + "-A" + h.newSuffix(o, "A"), refID: r.ref, oro: o, note: r.note, soft: r.soft,
		amount: r.amount, created: h.now, captureNow: r.captureNow,
		credits: makeCredits(r.credits),
	}
	a.status = newStatus(a)
	h.auths[a.id] = a
	o.auths = append(o.auths, a)
	h.order = append(h.order, a.id)
	if !r.async {
		// The sandbox reopens the order reference after
		// PaymentMethodUpdateTimeInMins for asynchronous authorizations only.
		plan.updateMins = 0
		h.settleAuthorization(a, plan)
		return a
	}
	h.setStatus(&a.status, stPending, "", "")
	if plan.state == stPending {
		plan = authPlan{state: stOpen}
	}
	h.schedule(h.now.Add(h.cfg.processingDelay), func() {
		if a.status.State == stPending {
			h.settleAuthorization(a, plan)
		}
	})
	return a
}

// settleAuthorization gives a its outcome and applies the side effects on
// its order reference (or billing agreement).
func (h *Handler) settleAuthorization(a *authorization, plan authPlan) {
	o := a.oro
	if plan.state == stDeclined {
		h.setStatus(&a.status, stDeclined, plan.reason, plan.desc)
		if ba := o.ex().viaBA; ba != nil {
			ba.spent[periodKey(a.created)] -= a.amount.units
		}
		switch plan.reason {
		case rcInvalidPaymentMethod:
			a.softDecline = plan.softDecline
			st, b := &o.status, &o.buyerSide
			if ba := o.ex().viaBA; ba != nil {
				st, b = &ba.status, &ba.buyerSide
			}
			h.suspendForMethod(b, st, plan.suspendReason)
			if plan.updateMins > 0 {
				// The sandbox pretends the buyer picked another method.
				h.schedule(h.now.Add(time.Duration(plan.updateMins)*time.Minute), func() {
					if st.State == stSuspended {
						h.setStatus(st, stOpen, "", "")
						b.methodStale = false
					}
				})
			}
		case rcAmazonRejected:
			h.closeOrderRef(o, rcAmazonClosed, "")
		}
		return
	}
	h.setStatus(&a.status, stOpen, "", "")
	expireAt := a.created.Add(h.cfg.authLifetime) // ExpirationTimestamp says 30 days even in the sandbox
	if plan.state == stClosed && plan.reason == rcExpiredUnused {
		expireAt = h.now.Add(h.cfg.processingDelay)
		if plan.expireMins > 0 {
			expireAt = h.now.Add(time.Duration(plan.expireMins) * time.Minute)
		}
	}
	h.schedule(expireAt, func() {
		if a.status.State == stOpen {
			h.setStatus(&a.status, stClosed, rcExpiredUnused, "")
		}
	})
	if plan.state == stClosed && plan.reason == rcAmazonClosed {
		h.schedule(h.now.Add(h.cfg.processingDelay), func() {
			if a.status.State == stOpen {
				h.setStatus(&a.status, stClosed, rcAmazonClosed, "")
			}
		})
	}
	if a.captureNow {
		suffix := a.id[len(a.id)-6:]
		id := o.id + "-C" + suffix
		if h.kindOf(id) != "" {
			id = o.id + "-C" + h.newSuffix(o, "C")
		}
		cp := h.addCapture(a, id, a.refID, a.amount, "", a.soft, capPlan{state: stCompleted})
		cp.credits = makeCredits(numberCredits(cp.id, "P", a.credits.all()))
		h.addCredits(cp)
	}
}

func opGetAuthorizationDetails(c *call) *xResult {
	return &xResult{AuthorizationDetails: c.h.xAuthorization(c.authorization("AmazonAuthorizationId"))}
}

func opCloseAuthorization(c *call) *xResult {
	a := c.authorization("AmazonAuthorizationId")
	reason := c.text("ClosureReason", maxClosureReason)
	switch a.status.State {
	case stOpen: // a Closed one is refused like any other state (spec §3.2)
		c.h.setStatus(&a.status, stClosed, rcSellerClosed, reason)
		return &xResult{}
	}
	fail(405, "InvalidAuthorizationStatus", "Authorization %s is in the %s state and cannot be closed.", a.id, a.status.State)
	return nil
}

// capPlan is the outcome a capture will have.
type capPlan struct{ state, reason string }

func opCapture(c *call) *xResult {
	h := c.h
	a := c.authorization("AmazonAuthorizationId")
	ref := c.refID("CaptureReferenceId")
	amount := *c.price("CaptureAmount", true)
	note, soft := c.text("SellerCaptureNote", 255), c.text("SoftDescriptor", 16)
	sim := c.simulation(simCaptureNote, note)
	credits := c.providerCredits("ProviderCreditList", "CreditAmount", amount.currency)
	if res := c.reuse(refCapture, ref, a.id); res != nil {
		return res
	}
	if a.status.State != stOpen {
		fail(405, "InvalidAuthorizationStatus", "Authorization %s is in the %s state and cannot be captured.", a.id, a.status.State)
	}
	if amount.currency != a.amount.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the Authorization.", amount.currency, a.amount.currency)
	}
	if amount.units > a.amount.units {
		fail(400, "TransactionAmountExceeded", "The capture amount %s exceeds the authorized amount %s.", amount, a.amount)
	}
	if amount.units == 0 {
		panic(invalidErr("CaptureAmount.Amount", "must be more than zero"))
	}
	o := a.oro
	if o.total != nil && o.total.currency == amount.currency {
		if limit := o.total.units + overCharge(o.total.units, o.total.currency); o.captured+amount.units > limit {
			fail(400, "TransactionAmountExceeded", "Capturing %s would exceed the OrderReference total plus the allowed excess (%s).",
				amount, formatUnits(limit, amount.currency))
		}
	}
	plan := capPlan{state: stCompleted}
	if sim != nil {
		plan = capPlan{state: sim.State, reason: sim.ReasonCode}
	}
	cp := h.addCapture(a, o.id+"-C"+h.newSuffix(o, "C"), ref, amount, note, soft, plan)
	cp.credits = makeCredits(numberCredits(cp.id, "P", credits))
	h.addCredits(cp)
	return c.remember(refCapture, ref, a.id, h.replayOf(cp, nil))
}

// addCapture records a capture of a. A capture that is not declined
// closes a (one capture per authorization) and counts against the order
// reference's total.
func (h *Handler) addCapture(a *authorization, id, ref string, amount money, note, soft string, plan capPlan) *capture {
	cp := &capture{id: id, refID: ref, auth: a, note: note, soft: soft, amount: amount, created: h.now}
	cp.status = newStatus(cp)
	h.caps[id] = cp
	a.captures = append(a.captures, cp)
	h.order = append(h.order, id)
	switch plan.state {
	case stDeclined:
		h.setStatus(&cp.status, stDeclined, plan.reason, "")
		return cp // the authorization stays Open for another try
	case stPending:
		h.setStatus(&cp.status, stPending, "", "")
		h.schedule(h.now.Add(h.cfg.processingDelay), func() {
			if cp.status.State == stPending {
				h.setStatus(&cp.status, stCompleted, "", "")
			}
		})
	default:
		h.setStatus(&cp.status, stCompleted, "", "")
		if plan.state == stClosed {
			h.schedule(h.now.Add(h.cfg.processingDelay), func() {
				if cp.status.State == stCompleted {
					h.setStatus(&cp.status, stClosed, plan.reason, "")
				}
			})
		}
	}
	a.captured = amount.units
	h.setStatus(&a.status, stClosed, rcMaxCapturesProcessed, "")
	o := a.oro
	if p := o.ex().parent; p != nil && p.typ == "BillingAgreement" {
		if ba := h.bas[p.id]; ba != nil {
			h.captured(ba)
		}
	}
	o.captured += amount.units
	o.capAuths++
	switch {
	case o.total != nil && o.captured >= o.total.units+overCharge(o.total.units, o.total.currency):
		h.closeOrderRef(o, rcMaxAmountCharged, "")
	case o.capAuths >= maxCapturedAuths:
		h.closeOrderRef(o, rcMaxAuthorizationsCaptured, "")
	}
	return cp
}

func opGetCaptureDetails(c *call) *xResult {
	return &xResult{CaptureDetails: c.h.xCapture(c.capture("AmazonCaptureId"))}
}

func opRefund(c *call) *xResult {
	h := c.h
	cp := c.capture("AmazonCaptureId")
	ref := c.refID("RefundReferenceId")
	amount := *c.price("RefundAmount", true)
	note, soft := c.text("SellerRefundNote", 255), c.text("SoftDescriptor", 16)
	sim := c.simulation(simRefundNote, note)
	reversals := c.providerCredits("ProviderCreditReversalList", "CreditReversalAmount", amount.currency)
	reversed := make([]*provCredit, len(reversals))
	if res := c.reuse(refRefund, ref, cp.id); res != nil {
		return res
	}
	if len(cp.refunds) >= maxRefundsOfCapture {
		fail(400, "TransactionCountExceeded", "Capture %s already has the maximum of %d refunds.", cp.id, maxRefundsOfCapture)
	}
	if cp.status.State != stCompleted {
		fail(405, "CaptureNotRefundable", "Capture %s is in the %s state and cannot be refunded.", cp.id, cp.status.State)
	}
	if amount.currency != cp.amount.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the Capture.", amount.currency, cp.amount.currency)
	}
	if amount.units == 0 {
		panic(invalidErr("RefundAmount.Amount", "must be more than zero"))
	}
	var asked int64
	for _, r := range cp.refunds {
		if r.status.State != stDeclined {
			asked += r.amount.units
		}
	}
	if limit := cp.amount.units + overCharge(cp.amount.units, cp.amount.currency); asked+amount.units > limit {
		fail(400, "TransactionAmountExceeded", "Refunding %s would exceed the captured amount plus the allowed excess (%s).",
			amount, formatUnits(limit, amount.currency))
	}
	for i, pc := range reversals {
		if reversed[i] = h.creditOf(cp, pc.providerID); reversed[i] == nil {
			panic(invalidErr("ProviderCreditReversalList.member."+fmt.Sprint(i+1)+".ProviderId", "names no provider credited by the capture"))
		}
		checkReversal(reversed[i], pc.amount)
	}
	r := h.newRefund(cp, ref, amount, note, soft)
	r.sim = sim
	r.credits = makeCredits(numberCredits(r.id, "V", reversals))
	for i, pc := range r.credits.all() {
		h.addReversal(reversed[i], pc.id, ref, "", pc.amount)
	}
	return c.remember(refRefund, ref, cp.id, h.replayOf(r, nil))
}

// newRefund makes a Pending refund of cp, settled after the processing
// delay. The caller holds h.mu.
func (h *Handler) newRefund(cp *capture, ref string, amount money, note, soft string) *refund {
	o := cp.auth.oro
	r := &refund{id: o.id + "-R" + h.newSuffix(o, "R"), refID: ref, capture: cp, note: note, soft: soft, amount: amount,
		created: h.now, refundType: "SellerInitiated"}
	r.status = newStatus(r)
	h.refunds[r.id] = r
	cp.refunds = append(cp.refunds, r)
	h.order = append(h.order, r.id)
	// Refunds are always Pending first; the outcome comes later.
	h.setStatus(&r.status, stPending, "", "")
	h.schedule(h.now.Add(h.cfg.processingDelay), func() { h.settleRefund(r) })
	return r
}

func (h *Handler) settleRefund(r *refund) {
	if r.status.State != stPending {
		return
	}
	if r.sim != nil {
		h.setStatus(&r.status, stDeclined, r.sim.ReasonCode, "")
		return
	}
	h.setStatus(&r.status, stCompleted, "", "")
	cp := r.capture
	cp.refunded += r.amount.units
	completed := 0
	for _, x := range cp.refunds {
		if x.status.State == stCompleted {
			completed++
		}
	}
	if cp.status.State != stCompleted {
		return
	}
	switch {
	case cp.refunded >= cp.amount.units+overCharge(cp.amount.units, cp.amount.currency):
		h.setStatus(&cp.status, stClosed, rcMaxAmountRefunded, "")
	case completed >= maxRefundsOfCapture:
		h.setStatus(&cp.status, stClosed, rcMaxRefundsProcessed, "")
	}
}

func opGetRefundDetails(c *call) *xResult {
	id := c.need("AmazonRefundId", 64)
	r := c.h.refunds[id]
	if r == nil || r.capture.auth.oro.seller != c.seller {
		fail(404, "InvalidTransactionId", "The AmazonRefundId %s is invalid.", id)
	}
	return &xResult{RefundDetails: c.h.xRefund(r)}
}
