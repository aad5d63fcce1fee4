package amazonpaytest

import (
	"fmt"
	"time"
)

// Provider credits (solution providers): a Capture (or an Authorize with
// CaptureNow) with a ProviderCreditList credits each provider part of the
// capture; a Refund with a ProviderCreditReversalList, or
// ReverseProviderCredit, gives some of it back. Credits and reversals are
// Pending and complete after the processing delay; a credit fully
// reversed is Closed with MaxAmountReversed. GetProviderCreditDetails and
// GetProviderCreditReversalDetails show them to the seller they belong to
// and to the provider.

const (
	rcMaxAmountReversed         = "MaxAmountReversed"
	refCreditReversal   refKind = "CreditReversalReferenceId"
)

type provCredit struct {
	id, seller, providerID, refID string
	amount                        money
	reversed                      int64 // completed reversals
	asked                         int64 // reversals not declined
	reversals                     []*provReversal
	created                       time.Time
	status                        status
}

type provReversal struct {
	id, providerID, refID, note string
	credit                      *provCredit
	amount                      money
	created                     time.Time
	status                      status
}

// addCredits makes the provider credits of a capture that is not declined.
// The caller holds h.mu.
func (h *Handler) addCredits(cp *capture) {
	if cp.status.State == stDeclined {
		return
	}
	for _, pc := range cp.credits.all() {
		cr := &provCredit{id: pc.id, seller: cp.auth.oro.seller, providerID: pc.providerID, refID: cp.refID,
			amount: pc.amount, created: h.now}
		h.setStatus(&cr.status, stPending, "", "")
		h.pcs[cr.id] = cr
		h.schedule(h.now.Add(h.cfg.processingDelay), func() {
			if cr.status.State == stPending {
				h.setStatus(&cr.status, stCompleted, "", "")
			}
		})
	}
}

// creditOf returns the capture's credit to provider.
func (h *Handler) creditOf(cp *capture, provider string) *provCredit {
	for _, pc := range cp.credits.all() {
		if cr := h.pcs[pc.id]; cr != nil && cr.providerID == provider {
			return cr
		}
	}
	return nil
}

// checkReversal fails unless amount can be reversed from cr.
func checkReversal(cr *provCredit, amount money) {
	if amount.currency != cr.amount.currency {
		fail(400, "CurrencyMismatch", "The currency %s does not match the currency %s of the provider credit.", amount.currency, cr.amount.currency)
	}
	if cr.status.State != stCompleted {
		fail(400, "InvalidParameterValue", "The provider credit %s is %s; only a Completed credit can be reversed.", cr.id, cr.status.State)
	}
	if cr.asked+amount.units > cr.amount.units {
		fail(400, "TransactionAmountExceeded", "Reversing %s would exceed the provider credit %s.", amount, cr.amount)
	}
}

// addReversal makes a Pending reversal of cr. The caller holds h.mu.
func (h *Handler) addReversal(cr *provCredit, id, ref, note string, amount money) *provReversal {
	r := &provReversal{id: id, providerID: cr.providerID, refID: ref, note: note, credit: cr, amount: amount, created: h.now}
	h.setStatus(&r.status, stPending, "", "")
	cr.reversals = append(cr.reversals, r)
	cr.asked += amount.units
	h.pcrs[r.id] = r
	h.schedule(h.now.Add(h.cfg.processingDelay), func() {
		if r.status.State != stPending {
			return
		}
		h.setStatus(&r.status, stCompleted, "", "")
		cr.reversed += r.amount.units
		if cr.reversed >= cr.amount.units && cr.status.State == stCompleted {
			h.setStatus(&cr.status, stClosed, rcMaxAmountReversed, "")
		}
	})
	return r
}

// visible reports whether the caller may see a credit: its seller or its provider.
func (c *call) visible(seller, provider string) bool {
	return c.seller == seller || c.seller == provider
}

func (c *call) providerCredit(name string) *provCredit {
	id := c.need(name, 64)
	cr := c.h.pcs[id]
	if cr == nil || !c.visible(cr.seller, cr.providerID) {
		fail(404, "InvalidTransactionId", "The AmazonProviderCreditId %s is invalid.", id)
	}
	return cr
}

func opGetProviderCreditDetails(c *call) *xResult {
	return &xResult{ProviderCreditDetails: c.h.xProviderCredit(c.providerCredit("AmazonProviderCreditId"))}
}

func opGetProviderCreditReversalDetails(c *call) *xResult {
	id := c.need("AmazonProviderCreditReversalId", 64)
	r := c.h.pcrs[id]
	if r == nil || !c.visible(r.credit.seller, r.providerID) {
		fail(404, "InvalidTransactionId", "The AmazonProviderCreditReversalId %s is invalid.", id)
	}
	return &xResult{ProviderCreditReversalDetails: c.h.xProviderCreditReversal(r)}
}

func opReverseProviderCredit(c *call) *xResult {
	cr := c.providerCredit("AmazonProviderCreditId")
	ref := c.refID("CreditReversalReferenceId")
	amount := *c.price("CreditReversalAmount", true)
	note := c.text("CreditReversalNote", 255)
	if res := c.reuse(refCreditReversal, ref, cr.id); res != nil {
		return res
	}
	if amount.units == 0 {
		panic(invalidErr("CreditReversalAmount.Amount", "must be more than zero"))
	}
	checkReversal(cr, amount)
	r := c.h.addReversal(cr, fmt.Sprintf("%s-V%02d", cr.id, len(cr.reversals)+1), ref, note, amount)
	return c.remember(refCreditReversal, ref, cr.id, c.h.replayOf(r, &xResult{ProviderCreditReversalDetails: c.h.xProviderCreditReversal(r)}))
}

// AmazonDeclineProviderCredit is Amazon declining a Pending provider credit
// or provider credit reversal (ProcessingFailure, a choice: no reason is
// documented).
func (h *Handler) AmazonDeclineProviderCredit(id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var st *status
	if cr := h.pcs[id]; cr != nil {
		st = &cr.status
	} else if r := h.pcrs[id]; r != nil {
		st = &r.status
		if st.State == stPending {
			r.credit.asked -= r.amount.units
		}
	} else {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if st.State != stPending {
		return fmt.Errorf("%w: %s is %s", ErrState, id, st.State)
	}
	h.setStatus(st, stDeclined, rcProcessingFailure, "")
	return nil
}

type xProviderCreditDetails struct {
	AmazonProviderCreditID string  `xml:"AmazonProviderCreditId"`
	SellerID               string  `xml:"SellerId"`
	ProviderID             string  `xml:"ProviderId"`
	CreditReferenceID      string  `xml:"CreditReferenceId"`
	CreditAmount           xPrice  `xml:"CreditAmount"`
	CreditReversalAmount   xPrice  `xml:"CreditReversalAmount"`
	CreditReversalIDList   xIDList `xml:"CreditReversalIdList"`
	CreationTimestamp      string  `xml:"CreationTimestamp"`
	CreditStatus           xStatus `xml:"CreditStatus"`
}

type xProviderCreditReversalDetails struct {
	AmazonProviderCreditReversalID string  `xml:"AmazonProviderCreditReversalId"`
	SellerID                       string  `xml:"SellerId"`
	ProviderID                     string  `xml:"ProviderId"`
	CreditReversalReferenceID      string  `xml:"CreditReversalReferenceId"`
	CreditReversalAmount           xPrice  `xml:"CreditReversalAmount"`
	CreditReversalNote             string  `xml:"CreditReversalNote,omitempty"`
	CreationTimestamp              string  `xml:"CreationTimestamp"`
	CreditReversalStatus           xStatus `xml:"CreditReversalStatus"`
}

func (h *Handler) xProviderCredit(cr *provCredit) *xProviderCreditDetails {
	x := &xProviderCreditDetails{
		AmazonProviderCreditID: cr.id, SellerID: cr.seller, ProviderID: cr.providerID, CreditReferenceID: cr.refID,
		CreditAmount:         price(cr.amount.units, cr.amount.currency),
		CreditReversalAmount: zeroOr(cr.reversed, cr.amount.currency),
		CreationTimestamp:    formatTime(cr.created),
		CreditStatus:         xStatusOf(cr.status),
	}
	for _, r := range cr.reversals {
		x.CreditReversalIDList.Member = append(x.CreditReversalIDList.Member, r.id)
	}
	return x
}

func (h *Handler) xProviderCreditReversal(r *provReversal) *xProviderCreditReversalDetails {
	return &xProviderCreditReversalDetails{
		AmazonProviderCreditReversalID: r.id, SellerID: r.credit.seller, ProviderID: r.providerID,
		CreditReversalReferenceID: r.refID,
		CreditReversalAmount:      price(r.amount.units, r.amount.currency),
		CreditReversalNote:        r.note,
		CreationTimestamp:         formatTime(r.created),
		CreditReversalStatus:      xStatusOf(r.status),
	}
}
