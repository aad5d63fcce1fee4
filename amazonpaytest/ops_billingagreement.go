package amazonpaytest

// Billing agreement operations (spec §1.9 #14-19, §3.5, §4.2, §6.2),
// CreateOrderReferenceForId and the status operations.

func (c *call) billingAgreement(name string) *billingAgreement {
	id := c.need(name, 64)
	ba := c.h.bas[id]
	if ba == nil || ba.seller != c.seller {
		fail(404, "InvalidBillingAgreementId", "The BillingAgreement id %s is invalid.", id)
	}
	return ba
}

func invalidBAStatus(ba *billingAgreement) {
	fail(400, "InvalidBillingAgreementStatus", "BillingAgreement %s is in the %s state; the operation is not allowed in this state.", ba.id, ba.status.State)
}

func opGetBillingAgreementDetails(c *call) *xResult {
	ba := c.billingAgreement("AmazonBillingAgreementId")
	return &xResult{BillingAgreementDetails: c.h.xBillingAgreement(ba, c.accessToken(ba.userID))}
}

func opSetBillingAgreementDetails(c *call) *xResult {
	ba := c.billingAgreement("AmazonBillingAgreementId")
	const p = "BillingAgreementAttributes."
	if !c.prefixed(p) {
		panic(missingErr("BillingAgreementAttributes"))
	}
	platform := c.text(p+"PlatformId", 256)
	note, hasNote := c.text(p+"SellerNote", 1024), c.p.Has(p+"SellerNote")
	sim := c.simulation(simBANote, note)
	const s = p + "SellerBillingAgreementAttributes."
	sba := sellerBAAttrs{
		SellerBillingAgreementID: c.text(s+"SellerBillingAgreementId", 256),
		StoreName:                c.text(s+"StoreName", 256),
		CustomInformation:        c.text(s+"CustomInformation", 1024),
	}
	baType := c.text(p+"BillingAgreementType", 64)
	if baType != "" && baType != "CustomerInitiatedTransaction" && baType != "MerchantInitiatedTransaction" {
		panic(invalidErr(p+"BillingAgreementType", "must be CustomerInitiatedTransaction or MerchantInitiatedTransaction"))
	}
	sub := c.price(p+"SubscriptionAmount", false)
	if sub != nil && sub.currency != ba.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the BillingAgreement.", sub.currency, ba.currency)
	}
	switch ba.status.State {
	case stDraft:
	case stOpen, stSuspended:
		// The seeds' SCA upgrade sets the type and the subscription amount
		// of agreements that are already Open; nothing else may change.
		if platform != "" || hasNote || c.prefixed(s) {
			fail(405, "BillingAgreementNotModifiable", "BillingAgreement %s is not in draft state; only BillingAgreementType and SubscriptionAmount can be set.", ba.id)
		}
	default:
		fail(405, "BillingAgreementNotModifiable", "BillingAgreement %s is in the %s state and cannot be modified.", ba.id, ba.status.State)
	}
	if platform != "" {
		ba.platformID = platform
	}
	if hasNote {
		ba.sellerNote = note
		applyNoteSimulation(&ba.buyerSide, sim)
	}
	if c.prefixed(s) {
		ba.sba = sba
	}
	if baType != "" {
		ba.baType = baType
	}
	if sub != nil {
		ba.subscription = sub
	}
	return &xResult{BillingAgreementDetails: c.h.xBillingAgreement(ba, false)}
}

func opConfirmBillingAgreement(c *call) *xResult {
	ba := c.billingAgreement("AmazonBillingAgreementId")
	success, failure := c.returnURLs(false)
	switch ba.status.State {
	case stDraft, stOpen, stSuspended:
	default:
		invalidBAStatus(ba)
	}
	if ids := ba.constraints(); len(ids) > 0 {
		fail(400, "BillingAgreementConstraintsExist", "BillingAgreement %s has constraints %s and cannot be confirmed.", ba.id, joinConstraints(ids))
	}
	checkMethodUpdated(&ba.buyerSide, ba.status, "BillingAgreement", ba.id)
	if ba.status.State != stOpen {
		c.h.setStatus(&ba.status, stOpen, "", "")
	}
	c.h.confirmBuyer(&ba.buyerSide, success, failure, nil, false)
	return &xResult{}
}

func opValidateBillingAgreement(c *call) *xResult {
	h := c.h
	ba := c.billingAgreement("AmazonBillingAgreementId")
	switch ba.status.State {
	case stOpen, stSuspended:
	default:
		invalidBAStatus(ba)
	}
	res := &xResult{ValidationResult: "Success"}
	failed := func(code, suspendReason string) {
		res.ValidationResult, res.FailureReasonCode = "Failure", code
		if suspendReason != "" {
			h.suspendForMethod(&ba.buyerSide, &ba.status, suspendReason)
		}
	}
	switch {
	case ba.status.State == stSuspended:
		failed(rcInvalidPaymentMethod, "")
	case h.needsAuthentication(&ba.buyerSide) && ba.authn != authnPassed:
		reason := rcPaymentAuthorizationNeeded
		if ba.authn == authnFailed {
			reason = rcInvalidPaymentMethod
		}
		failed(rcInvalidPaymentMethod, reason)
	case ba.method.decline() == rcInvalidPaymentMethod || ba.method.decline() == rcAmazonRejected:
		failed(rcInvalidPaymentMethod, rcInvalidPaymentMethod)
	case ba.method.decline() == rcTransactionTimedOut:
		failed("ValidationTimedOut", "")
	}
	st := xBAStatusOf(ba.status)
	res.BillingAgreementStatus = &st
	return res
}

func opAuthorizeOnBillingAgreement(c *call) *xResult {
	h := c.h
	ba := c.billingAgreement("AmazonBillingAgreementId")
	r := c.authRequest()
	note := c.text("SellerNote", 1024)
	platform := c.text("PlatformId", 256)
	soa := sellerOrderAttrs{
		SellerOrderID:     c.text("SellerOrderAttributes.SellerOrderId", 256),
		StoreName:         c.text("SellerOrderAttributes.StoreName", 256),
		CustomInformation: c.text("SellerOrderAttributes.CustomInformation", 1024),
		SupplementaryData: c.jsonText("SellerOrderAttributes.SupplementaryData", 1024),
	}
	inherit := c.flag("InheritShippingAddress", true)
	if res := c.reuse(refAuthorization, r.ref, ba.id); res != nil {
		return res
	}
	if ba.status.State != stOpen {
		invalidBAStatus(ba)
	}
	if ids := ba.constraints(); len(ids) > 0 {
		fail(400, "BillingAgreementConstraintsExist", "BillingAgreement %s has constraints %s.", ba.id, joinConstraints(ids))
	}
	if r.amount.currency != ba.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the BillingAgreement.", r.amount.currency, ba.currency)
	}
	if left := ba.remaining(h.now); r.amount.units > left {
		fail(400, "PeriodicAmountExceeded", "The amount %s exceeds the remaining balance %s of the BillingAgreement for this period.",
			r.amount, formatUnits(left, ba.currency))
	}
	// Amazon creates, confirms, authorizes and closes a child order
	// reference on the merchant's behalf.
	b := ba.buyerSide
	b.confirm, b.authn, b.simNotAllow, b.simAuthn = nil, authnNone, false, ""
	if !inherit {
		b.address, b.digital = nil, true
	}
	o := h.newOrderRef(ba.seller, b)
	total := r.amount
	o.total = &total
	o.extra = &orderExtra{sellerNote: note, platformID: platform, soa: soa, parent: &parentRef{id: ba.id, typ: "BillingAgreement"}, viaBA: ba}
	ba.children = append(ba.children, o)
	h.setStatus(&o.status, stOpen, "", "")
	ba.spent[periodKey(h.now)] += r.amount.units
	a := h.createAuthorization(o, r, h.planAuthorization(&ba.buyerSide, r.sim, r.amount))
	h.closeOrderRef(o, rcMaxAuthorizationsProcessed, "")
	rp := h.replayOf(a, nil)
	rp.orderReference = true
	return c.remember(refAuthorization, r.ref, ba.id, rp)
}

func opCloseBillingAgreement(c *call) *xResult {
	ba := c.billingAgreement("AmazonBillingAgreementId")
	// Closing a Closed agreement again is refused: the spec is silent, the
	// stricter answer is chosen (doc.go).
	return c.closeObject(&ba.status, "BillingAgreement", ba.id, false, func() { invalidBAStatus(ba) })
}

func opCreateOrderReferenceForID(c *call) *xResult {
	h := c.h
	id := c.need("Id", 64)
	idType := c.need("IdType", 64)
	if idType != "BillingAgreement" && idType != "OrderReference" {
		panic(invalidErr("IdType", "must be BillingAgreement or OrderReference"))
	}
	inherit := c.flag("InheritShippingAddress", true)
	confirmNow := c.flag("ConfirmNow", false)
	attrs := c.orderAttrs("OrderReferenceAttributes.", false)
	var b buyerSide
	var ba *billingAgreement
	if idType == "BillingAgreement" {
		if ba = h.bas[id]; ba == nil || ba.seller != c.seller {
			fail(404, "InvalidBillingAgreementId", "The BillingAgreement id %s is invalid.", id)
		}
		switch ba.status.State {
		case stOpen:
		case stDraft:
			if len(ba.children) > 0 {
				fail(400, "OrderReferenceCountExceeded", "BillingAgreement %s is in draft state and already has an OrderReference.", ba.id)
			}
		default:
			invalidBAStatus(ba)
		}
		b = ba.buyerSide
	} else {
		parent := h.oros[id]
		if parent == nil || parent.seller != c.seller {
			fail(404, "InvalidOrderReferenceId", "The OrderReference id %s is invalid.", id)
		}
		if parent.status.State != stOpen && parent.status.State != stClosed {
			invalidORStatus(parent)
		}
		b = parent.buyerSide
	}
	b.confirm, b.authn, b.simNotAllow, b.simAuthn = nil, authnNone, false, ""
	if !inherit {
		b.address, b.digital = nil, true
	}
	probe := &orderRef{buyerSide: b, status: status{statusText: &statusText{State: stDraft}}}
	attrs.apply(probe)
	if ids := probe.constraints(); confirmNow && len(ids) > 0 {
		fail(400, "ConstraintsExist", "The new OrderReference would have constraints %s and cannot be confirmed.", joinConstraints(ids))
	}
	o := h.newOrderRef(c.seller, b)
	attrs.apply(o)
	o.setEx().parent = &parentRef{id: id, typ: idType}
	if ba != nil {
		ba.children = append(ba.children, o)
	}
	if confirmNow {
		h.setStatus(&o.status, stOpen, "", "")
		h.confirmBuyer(&o.buyerSide, "", "", nil, false)
	}
	return &xResult{OrderReferenceDetails: h.xOrderRef(o, false)}
}

func opGetServiceStatus(c *call) *xResult {
	return &xResult{Status: c.h.status, Timestamp: formatTime(c.now)}
}

func opGetMerchantAccountStatus(c *call) *xResult {
	if c.h.suspendedSellers[c.seller] {
		return &xResult{AccountStatus: "INACTIVE"}
	}
	return &xResult{AccountStatus: "ACTIVE"}
}
