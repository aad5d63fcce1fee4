package checkout

import (
	"context"
	"errors"

	"github.com/amazonpay-go/amazonpay"
)

// Purchase is a one-time purchase to confirm (the "buy now" button).
type Purchase struct {
	// ID is the shop's id of the payment, unique among its payments:
	// 1 to 128 printable ASCII characters without spaces. Required.
	ID string
	// OrderReferenceID is the order reference of the Amazon Pay widgets.
	// Required.
	OrderReferenceID string
	// Total is what the buyer pays. It is fixed at the first Confirm: a
	// later Confirm of the same payment with another total is refused.
	Total amazonpay.Price
	// SellerOrderID, if set, is sent as the order reference's
	// SellerOrderId.
	SellerOrderID string
}

// Confirm is the "buy now" AJAX endpoint of a one-time purchase: it
// records the payment (or the next attempt of it) with a fresh nonce, sets
// the order total while the order reference is Draft (SetOrderAttributes)
// and confirms it (ConfirmOrderReference) with the return URLs, the total
// as AuthorizationAmount and ExpectImmediateAuthorization. Answer the
// page 200 when err is nil (it calls confirmationFlow.success()),
// otherwise an error status (confirmationFlow.error()).
//
// Confirming again is safe: after a decline or an abandoned challenge it
// starts the next attempt (a new reference id); in any case it issues a
// new nonce, so the return URLs of earlier attempts are dead. A payment
// that is Paid or Canceled is ErrFinal; one with a money call in flight is
// ErrInProgress. Bad input (a missing id, a total other than the one of
// the first Confirm) is a *amazonpay.ValidationError, before any call.
func (p *Payments) Confirm(ctx context.Context, in Purchase) (*Payment, error) {
	const op = "checkout.Confirm"
	if err := checkID(op, "ID", in.ID); err != nil {
		return nil, err
	}
	if err := checkID(op, "OrderReferenceID", in.OrderReferenceID); err != nil {
		return nil, err
	}
	if err := checkPrice(op, "Total", &in.Total); err != nil {
		return nil, err
	}
	fresh := &Payment{ID: in.ID, Kind: KindPurchase, Total: in.Total, OrderReferenceID: in.OrderReferenceID,
		SellerOrderID: in.SellerOrderID, CaptureNow: p.cfg.CaptureNow}
	pay, created, err := p.begin(ctx, op, fresh)
	if err != nil {
		return pay, err
	}
	draft := created
	if !created {
		got, err := p.client.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: pay.OrderReferenceID})
		if err != nil {
			return pay, err
		}
		switch st := got.OrderReferenceDetails.OrderReferenceStatus; st.State {
		case amazonpay.OrderReferenceDraft:
			draft = true
		case amazonpay.OrderReferenceCanceled, amazonpay.OrderReferenceClosed:
			pay, err = p.cancelNow(ctx, pay, "OrderReference"+string(st.State)+":"+string(st.ReasonCode))
			if err != nil {
				return pay, err
			}
			return pay, ErrFinal
		}
	}
	if draft {
		_, err := p.client.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{
			AmazonOrderReferenceID: pay.OrderReferenceID,
			OrderAttributes: &amazonpay.OrderAttributes{
				OrderTotal:            &amazonpay.Price{Amount: pay.Total.Amount, CurrencyCode: pay.Total.CurrencyCode},
				SellerOrderAttributes: sellerOrder(pay.SellerOrderID),
			},
		})
		if err != nil {
			return pay, err
		}
	}
	ret := p.returnURL(pay)
	_, err = p.client.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: pay.OrderReferenceID, SuccessURL: ret, FailureURL: ret,
		AuthorizationAmount:          &amazonpay.Price{Amount: pay.Total.Amount, CurrencyCode: pay.Total.CurrencyCode},
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	})
	if err != nil {
		return pay, err
	}
	return pay, nil
}

func sellerOrder(id string) *amazonpay.SellerOrderAttributes {
	if id == "" {
		return nil
	}
	return &amazonpay.SellerOrderAttributes{SellerOrderID: id}
}

// begin stores fresh as a new payment, or starts the next confirmation of
// the stored one: a new nonce, and a new attempt after a Declined one. It
// reports whether the payment was created now, in which case its kept
// notifications are applied.
func (p *Payments) begin(ctx context.Context, op string, fresh *Payment) (*Payment, bool, error) {
	for {
		old, err := p.store.Get(ctx, fresh.ID)
		if errors.Is(err, ErrNotFound) {
			now := p.now().UTC()
			pay := fresh.clone()
			pay.State, pay.Attempt, pay.Version, pay.Nonce, pay.Created, pay.Updated = StateConfirmed, 1, 1, newNonce(), now, now
			err = p.store.Create(ctx, pay)
			if errors.Is(err, ErrExists) {
				if _, gerr := p.store.Get(ctx, fresh.ID); gerr == nil {
					continue // a concurrent Confirm created it
				}
				return nil, false, &amazonpay.ValidationError{Operation: op, Field: "AmazonID", Reason: "belongs to another payment"}
			}
			if err != nil {
				return nil, false, err
			}
			pay, err = p.applyPending(ctx, pay)
			if err != nil {
				return pay, false, err
			}
			if pay.State.Final() {
				return pay, false, ErrFinal
			}
			return pay, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		if err := sameRequest(op, old, fresh); err != nil {
			return nil, false, err
		}
		switch {
		case old.State.Final() || old.State == StateCanceling:
			return old, false, ErrFinal
		case old.State.inFlight():
			return old, false, ErrInProgress
		}
		pay, err := p.save(ctx, old, func(n *Payment) {
			if n.State == StateDeclined {
				n.Attempt++
				n.AuthorizationReferenceID, n.AuthorizationID, n.CaptureReferenceID, n.CaptureID = "", "", "", ""
				n.ChargeOrderReferenceID, n.Reason = "", ""
			}
			n.State, n.Nonce = StateConfirmed, newNonce()
		})
		if errors.Is(err, ErrConflict) {
			continue
		}
		return pay, false, err
	}
}

// sameRequest refuses a confirmation that differs from the first one in
// what the first one fixed.
func sameRequest(op string, old, fresh *Payment) error {
	field := ""
	switch {
	case old.Kind != fresh.Kind:
		field = "ID"
	case old.OrderReferenceID != fresh.OrderReferenceID:
		field = "OrderReferenceID"
	case old.BillingAgreementID != fresh.BillingAgreementID:
		field = "BillingAgreementID"
	case !sameAmount(old.Total, fresh.Total):
		field = "Total"
		if old.Kind == KindSubscription {
			field = "FirstCharge"
		}
	}
	if field != "" {
		return &amazonpay.ValidationError{Operation: op, Field: field, Reason: "differs from the payment's first confirmation, which fixed it"}
	}
	return nil
}
