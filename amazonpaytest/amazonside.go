package amazonpaytest

import (
	"fmt"
	"slices"

	"github.com/amazonpay-go/amazonpay"
)

// Amazon's side: what Amazon (or the buyer, in their Amazon account) does
// to a seller's objects without a call of the seller, for outcomes that
// no documented simulation string reaches. Each method acts at once on the
// sandbox clock and returns ErrNotFound for an unknown id, ErrState when
// the object's state does not allow it.

// AmazonCancel is Amazon canceling an order reference (Draft, Open or
// Suspended) or a billing agreement (Draft, Open or Suspended): Canceled
// with ReasonCode AmazonCanceled. An order reference's open authorizations
// close with OrderReferenceCanceled; a billing agreement's Open and
// Suspended child order references are canceled with it.
func (h *Handler) AmazonCancel(id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	const desc = "Amazon canceled it."
	if o := h.oros[id]; o != nil {
		if o.status.State == stCanceled || o.status.State == stClosed {
			return fmt.Errorf("%w: %s is %s", ErrState, id, o.status.State)
		}
		h.cancelOrderRef(o, rcAmazonCanceled, desc)
		return nil
	}
	if ba := h.bas[id]; ba != nil {
		if ba.status.State == stCanceled || ba.status.State == stClosed {
			return fmt.Errorf("%w: %s is %s", ErrState, id, ba.status.State)
		}
		h.cancelBillingAgreement(ba, rcAmazonCanceled, desc)
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotFound, id)
}

// BuyerCancelBillingAgreement is the buyer canceling an Open or Suspended
// billing agreement in their Amazon account: Closed with ReasonCode
// BuyerCanceled (spec §3.5).
func (h *Handler) BuyerCancelBillingAgreement(id string) error {
	return h.changeBillingAgreement(id, []string{stOpen, stSuspended}, func(ba *billingAgreement) {
		h.setStatus(&ba.status, stClosed, rcBuyerCanceled, "The buyer canceled the billing agreement.")
	})
}

// changeBillingAgreement is what every buyer- or Amazon-side change of a
// billing agreement shares: under the lock and after due work, the
// agreement must exist (ErrNotFound) and be in one of states (ErrState);
// then change applies.
func (h *Handler) changeBillingAgreement(id string, states []string, change func(*billingAgreement)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	ba := h.bas[id]
	if ba == nil {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if !slices.Contains(states, ba.status.State) {
		return fmt.Errorf("%w: %s is %s", ErrState, id, ba.status.State)
	}
	change(ba)
	return nil
}

// AmazonFlagAtypical is Amazon seeing signs of unusual activity on a
// Pending or Open authorization or a Pending or Completed capture: its
// state stays, with ReasonCode StopShipmentAtypicalAuth (do not ship).
func (h *Handler) AmazonFlagAtypical(id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var st *status
	switch {
	case h.auths[id] != nil:
		st = &h.auths[id].status
		if st.State != stPending && st.State != stOpen {
			return fmt.Errorf("%w: %s is %s", ErrState, id, st.State)
		}
	case h.caps[id] != nil:
		st = &h.caps[id].status
		if st.State != stPending && st.State != stCompleted {
			return fmt.Errorf("%w: %s is %s", ErrState, id, st.State)
		}
	default:
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	h.setStatus(st, st.State, rcStopShipmentAtypicalAuth, "Amazon has seen signs of unusual activity: do not ship.")
	return nil
}

// AmazonDeclineRefund is Amazon declining a Pending refund with reason
// AmazonRejected or ProcessingFailure (the sandbox's refund simulation
// string reaches AmazonRejected only).
func (h *Handler) AmazonDeclineRefund(id string, reason amazonpay.ReasonCode) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	r := h.refunds[id]
	if r == nil {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if reason != rcAmazonRejected && reason != rcProcessingFailure {
		return fmt.Errorf("amazonpaytest: a refund is declined with AmazonRejected or ProcessingFailure, not %q", reason)
	}
	if r.status.State != stPending {
		return fmt.Errorf("%w: %s is %s", ErrState, id, r.status.State)
	}
	h.setStatus(&r.status, stDeclined, string(reason), "")
	return nil
}

// AmazonRefund is Amazon refunding the buyer from a Completed capture on
// its own: an A-to-z Guarantee claim (AmazonA-ZRefund, AmazonA-ZGuarantee,
// AmazonA-ZCancel) or a chargeback (Chargeback). The refund, with that
// RefundType and no RefundReferenceId, is Pending and completes after the
// processing delay like the seller's. It returns the refund's id.
func (h *Handler) AmazonRefund(captureID, amount string, typ amazonpay.RefundType) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	cp := h.caps[captureID]
	if cp == nil {
		return "", fmt.Errorf("%w: %s", ErrNotFound, captureID)
	}
	switch typ {
	case amazonpay.RefundTypeAmazonAZRefund, amazonpay.RefundTypeAmazonAZGuarantee, amazonpay.RefundTypeAmazonAZCancel, amazonpay.RefundTypeChargeback:
	default:
		return "", fmt.Errorf("amazonpaytest: %q is not an Amazon-initiated RefundType", typ)
	}
	if cp.status.State != stCompleted {
		return "", fmt.Errorf("%w: %s is %s", ErrState, captureID, cp.status.State)
	}
	var asked int64 // refunds not declined, the seller's and Amazon's
	for _, r := range cp.refunds {
		if r.status.State != stDeclined {
			asked += r.amount.units
		}
	}
	m, ok := parseAmount(amount, cp.amount.currency)
	if !ok || m.units <= 0 || m.units > cp.amount.units-asked {
		return "", fmt.Errorf("amazonpaytest: %q is not an amount from 0.01 to what is left of the capture", amount)
	}
	r := h.newRefund(cp, "", m, "", "")
	r.refundType = string(typ)
	return r.id, nil
}

// SuspendSeller is Amazon suspending the account of sellerID (the
// sandbox's own or a delegated one): every call for it is then 403
// InvalidAccountStatus, but GetServiceStatus, and GetMerchantAccountStatus,
// which answers INACTIVE. ReactivateSeller lifts it.
func (h *Handler) SuspendSeller(sellerID string) error {
	return h.setSellerSuspended(sellerID, true)
}

// ReactivateSeller lifts SuspendSeller.
func (h *Handler) ReactivateSeller(sellerID string) error {
	return h.setSellerSuspended(sellerID, false)
}

func (h *Handler) setSellerSuspended(sellerID string, suspended bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.knownSeller(sellerID) {
		return fmt.Errorf("%w: %s", ErrUnknownSeller, sellerID)
	}
	if suspended {
		h.suspendedSellers[sellerID] = true
	} else {
		delete(h.suspendedSellers, sellerID)
	}
	return nil
}

// accountStatus refuses calls of a suspended seller.
func (h *Handler) accountStatus(seller, action string) *apiError {
	if !h.suspendedSellers[seller] || action == "GetServiceStatus" || action == "GetMerchantAccountStatus" {
		return nil
	}
	return &apiError{403, "Sender", "InvalidAccountStatus",
		"Your account is not in an appropriate state to execute this request: it has been suspended."}
}

// AmazonUnsetBillingAgreementLimits is Amazon withholding the limits of a
// Draft, Open or Suspended billing agreement: it gets the constraint
// BillingAgreementLimitsNotSet, so it cannot be confirmed or charged
// (BillingAgreementConstraintsExist) until AmazonSetBillingAgreementLimits.
func (h *Handler) AmazonUnsetBillingAgreementLimits(id string) error {
	return h.setLimits(id, true)
}

// AmazonSetBillingAgreementLimits gives the billing agreement its limits
// again.
func (h *Handler) AmazonSetBillingAgreementLimits(id string) error {
	return h.setLimits(id, false)
}

func (h *Handler) setLimits(id string, unset bool) error {
	return h.changeBillingAgreement(id, []string{stDraft, stOpen, stSuspended}, func(ba *billingAgreement) {
		ba.limitsNotSet = unset
	})
}
