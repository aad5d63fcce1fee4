package checkout

import (
	"context"
	"errors"
	"fmt"

	"github.com/amazonpay-go/amazonpay"
)

// Subscription is a billing agreement to confirm (the "subscribe" button).
type Subscription struct {
	// ID is the shop's id of the payment, unique among its payments.
	// Required.
	ID string
	// BillingAgreementID is the billing agreement of the Amazon Pay
	// widgets. Required.
	BillingAgreementID string
	// Type is the billing agreement's type; MerchantInitiatedTransaction
	// (a subscription the shop charges) when empty.
	Type amazonpay.BillingAgreementType
	// Amount is the SubscriptionAmount: set it only if every charge is
	// the same. ChargeSubscriptions charges it every period (FirstCharge
	// when it is nil).
	Amount *amazonpay.Price
	// FirstCharge is charged when the buyer returns from the Confirmation
	// Flow (AuthorizeOnBillingAgreement with CaptureNow); it is fixed at
	// the first ConfirmSubscription. Required.
	FirstCharge *amazonpay.Price
	// SellerOrderID, if set, is the SellerOrderId of the first charge.
	SellerOrderID string
}

// ConfirmSubscription is the "subscribe" AJAX endpoint: it records the
// subscription (or its next attempt) with a fresh nonce, sets the billing
// agreement's type and SubscriptionAmount while it is Draft
// (SetBillingAgreementDetails) and confirms it (ConfirmBillingAgreement)
// with the return URLs. Return then validates the agreement and makes the
// first charge. Errors and repeated calls behave as for Confirm.
func (p *Payments) ConfirmSubscription(ctx context.Context, in Subscription) (*Payment, error) {
	const op = "checkout.ConfirmSubscription"
	if err := checkID(op, "ID", in.ID); err != nil {
		return nil, err
	}
	if err := checkID(op, "BillingAgreementID", in.BillingAgreementID); err != nil {
		return nil, err
	}
	if err := checkPrice(op, "FirstCharge", in.FirstCharge); err != nil {
		return nil, err
	}
	if in.Amount != nil {
		if err := checkPrice(op, "Amount", in.Amount); err != nil {
			return nil, err
		}
	}
	typ := in.Type
	switch typ {
	case "":
		typ = amazonpay.MerchantInitiatedTransaction
	case amazonpay.MerchantInitiatedTransaction, amazonpay.CustomerInitiatedTransaction:
	default:
		return nil, &amazonpay.ValidationError{Operation: op, Field: "Type", Reason: fmt.Sprintf("unknown billing agreement type %q", typ)}
	}
	fresh := &Payment{ID: in.ID, Kind: KindSubscription, Total: *in.FirstCharge, BillingAgreementID: in.BillingAgreementID,
		SellerOrderID: in.SellerOrderID, CaptureNow: true, BillingAgreementType: typ}
	if in.Amount != nil {
		a := *in.Amount
		fresh.SubscriptionAmount = &a
	}
	pay, created, err := p.begin(ctx, op, fresh)
	if err != nil {
		return pay, err
	}
	draft := created
	if !created {
		got, err := p.client.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: pay.BillingAgreementID})
		if err != nil {
			return pay, err
		}
		switch st := got.BillingAgreementDetails.BillingAgreementStatus; st.State {
		case amazonpay.BillingAgreementDraft:
			draft = true
		case amazonpay.BillingAgreementCanceled, amazonpay.BillingAgreementClosed:
			pay, err = p.cancelNow(ctx, pay, "BillingAgreement"+string(st.State)+":"+string(st.ReasonCode))
			if err != nil {
				return pay, err
			}
			return pay, ErrFinal
		}
	}
	if draft {
		_, err := p.client.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
			AmazonBillingAgreementID: pay.BillingAgreementID,
			BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
				BillingAgreementType: pay.BillingAgreementType, SubscriptionAmount: pay.SubscriptionAmount,
			},
		})
		if err != nil {
			return pay, err
		}
	}
	ret := p.returnURL(pay)
	if _, err := p.client.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: pay.BillingAgreementID, SuccessURL: ret, FailureURL: ret,
	}); err != nil {
		return pay, err
	}
	return pay, nil
}

// ChargeReport is the outcome of ChargeSubscriptions.
type ChargeReport struct {
	Period string
	// Charged, Pending, Declined, NeedsBuyer and Failed count the
	// subscriptions by the outcome of this run (already charged ones
	// count as Charged, without a call).
	Charged, Pending, Declined, NeedsBuyer, Failed int
	// Errors are the failures to charge or to record a charge, by payment id.
	Errors map[string]error
}

// ChargeSubscriptions charges every Paid subscription for the billing
// period (e.g. "2026-12") through amazonpay's ChargeBillingAgreements:
// its Amount, or FirstCharge when it has none, captured at once. Each
// outcome is recorded on the subscription's Payment (Charges). The
// reference id of a charge is amazonpay.ChargeReferenceID(agreement,
// period), so running the same period again, after a crash or a failure,
// charges nobody twice: Amazon answers a repeat with the first result.
// Subscriptions already Charged for the period are skipped.
func (p *Payments) ChargeSubscriptions(ctx context.Context, period string) (*ChargeReport, error) {
	const op = "checkout.ChargeSubscriptions"
	if err := checkID(op, "period", period); err != nil {
		return nil, err
	}
	subs, err := p.store.List(ctx, []State{StatePaid}, 0)
	if err != nil {
		return nil, err
	}
	rep := &ChargeReport{Period: period, Errors: map[string]error{}}
	var charges []amazonpay.BillingAgreementCharge
	byBA := map[string]*Payment{}
	for _, s := range subs {
		// AmazonState carries the reason code ("Closed (BuyerCanceled)").
		if s.Kind != KindSubscription || objectEnded(s.AmazonState) {
			continue
		}
		if c := s.charge(period); c != nil && c.Outcome == amazonpay.ChargeCharged {
			rep.Charged++
			continue
		}
		amount := s.Total
		if s.SubscriptionAmount != nil {
			amount = *s.SubscriptionAmount
		}
		byBA[s.BillingAgreementID] = s
		charges = append(charges, amazonpay.BillingAgreementCharge{AmazonBillingAgreementID: s.BillingAgreementID,
			Amount: &amazonpay.Price{Amount: amount.Amount, CurrencyCode: amount.CurrencyCode}})
	}
	if len(charges) == 0 {
		return rep, nil
	}
	results, err := p.client.ChargeBillingAgreements(ctx, &amazonpay.ChargeBillingAgreementsInput{
		PeriodKey: period, Charges: charges, CaptureNow: true, TransactionTimeout: amazonpay.Int(0),
		SoftDescriptor: p.cfg.SoftDescriptor,
	})
	for i, r := range results {
		s := byBA[r.AmazonBillingAgreementID]
		switch r.Outcome {
		case amazonpay.ChargeCharged:
			rep.Charged++
		case amazonpay.ChargePending:
			rep.Pending++
		case amazonpay.ChargeDeclined:
			rep.Declined++
		case amazonpay.ChargeNeedsBuyer:
			rep.NeedsBuyer++
		default:
			rep.Failed++
			if r.Err != nil {
				rep.Errors[s.ID] = r.Err
			}
		}
		c := Charge{Period: period, AuthorizationReferenceID: r.AuthorizationReferenceID, Amount: *charges[i].Amount,
			Outcome: r.Outcome, ReasonCode: string(r.ReasonCode), AuthorizationID: r.AuthorizationDetails.AmazonAuthorizationID,
			OrderReferenceID: r.AmazonOrderReferenceID}
		if err := p.recordCharge(ctx, s, c); err != nil {
			rep.Errors[s.ID] = err
		}
	}
	return rep, err
}

// charge returns the recorded charge of period, or nil.
func (p *Payment) charge(period string) *Charge {
	for i := range p.Charges {
		if p.Charges[i].Period == period {
			return &p.Charges[i]
		}
	}
	return nil
}

// recordCharge stores c on the subscription, replacing the period's
// earlier record; an identical record is no change.
func (p *Payments) recordCharge(ctx context.Context, s *Payment, c Charge) error {
	for {
		if old := s.charge(c.Period); old != nil && *old == c {
			return nil
		}
		_, err := p.save(ctx, s, func(n *Payment) {
			if old := n.charge(c.Period); old != nil {
				*old = c
			} else {
				n.Charges = append(n.Charges, c)
			}
		})
		if !errors.Is(err, ErrConflict) {
			return err
		}
		if s, err = p.store.Get(ctx, s.ID); err != nil {
			return err
		}
	}
}
