package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/spf13/cobra"
)

// objectView is what get prints of any object: never the buyer's name,
// e-mail or address.
type objectView struct {
	Kind              idKind         `json:"kind"`
	ID                string         `json:"id"`
	State             string         `json:"state"`
	ReasonCode        string         `json:"reason_code,omitempty"`
	ReasonDescription string         `json:"reason_description,omitempty"`
	LastUpdate        *string        `json:"last_update,omitempty"`
	Created           *string        `json:"created,omitempty"`
	Expires           *string        `json:"expires,omitempty"`
	ReferenceID       string         `json:"reference_id,omitempty"`
	Amounts           []namedAmount  `json:"amounts"`
	Type              string         `json:"type,omitempty"` // billing agreement type, refund type
	Authentication    string         `json:"payment_authentication,omitempty"`
	Parent            string         `json:"parent,omitempty"`
	ChildKind         string         `json:"child_kind,omitempty"`
	Children          []string       `json:"children"`
	Constraints       []constraintVw `json:"constraints,omitempty"`
	Action            string         `json:"recommended_action"`
	// Details are the children's views (get ORDER_REFERENCE_ID --tree).
	Details []objectView `json:"details,omitempty"`
}

type namedAmount struct {
	Name   string `json:"name"`
	Amount string `json:"amount"`
}

type constraintVw struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

func (v *objectView) amount(name string, p *amazonpay.Price) {
	if s := price(p); s != "" {
		v.Amounts = append(v.Amounts, namedAmount{name, s})
	}
}

func (v *objectView) status(state string, reason amazonpay.ReasonCode, desc string, updated time.Time) {
	v.State, v.ReasonCode, v.ReasonDescription, v.LastUpdate = state, string(reason), desc, tsPtr(updated)
}

func (a *app) getCommand() *cobra.Command {
	var tree bool
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show an object's state, reason, amounts, children and what to do next",
		Long: `get shows an order reference, billing agreement, authorization, capture,
refund or provider credit, told by the shape of its id: its state and reason
code, its amounts, the ids of its children, and the recommended action for
its state. With --tree, an order reference comes with every authorization,
capture and refund under it (GetPaymentDetails).`,
		Example: `  amazonpay get S02-1234567-1234567
  amazonpay get S02-1234567-1234567 --tree --json
  amazonpay get C02-1234567-1234567
  amazonpay get S02-1234567-1234567-A000001`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.TrimSpace(args[0])
			kind, err := kindOf(id)
			if err != nil {
				return inputErr(err)
			}
			c, err := a.client(false)
			if err != nil {
				return err
			}
			v, err := a.fetch(cmd.Context(), c, kind, id, tree)
			if err != nil {
				return err
			}
			return a.emit(v, func(w io.Writer) { printObject(w, v, "") })
		},
	}
	cmd.Flags().BoolVar(&tree, "tree", false, "with an order reference: every authorization, capture and refund under it")
	return cmd
}

// fetch gets one object by kind.
func (a *app) fetch(ctx context.Context, c *amazonpay.Client, kind idKind, id string, tree bool) (*objectView, error) {
	opts := a.callOptions()
	switch kind {
	case kindOrderReference:
		if tree {
			pd, err := c.GetPaymentDetails(ctx, id, opts...)
			if err != nil {
				return nil, err
			}
			v := orderReferenceView(&pd.OrderReference)
			for i := range pd.Authorizations {
				v.Details = append(v.Details, *authorizationView(&pd.Authorizations[i]))
			}
			for i := range pd.Captures {
				v.Details = append(v.Details, *captureView(&pd.Captures[i]))
			}
			for i := range pd.Refunds {
				v.Details = append(v.Details, *refundView(&pd.Refunds[i]))
			}
			return v, nil
		}
		out, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id}, opts...)
		if err != nil {
			return nil, err
		}
		return orderReferenceView(&out.OrderReferenceDetails), nil
	case kindBillingAgreement:
		out, err := c.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id}, opts...)
		if err != nil {
			return nil, err
		}
		return billingAgreementView(&out.BillingAgreementDetails), nil
	case kindAuthorization:
		out, err := c.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: id}, opts...)
		if err != nil {
			return nil, err
		}
		return authorizationView(&out.AuthorizationDetails), nil
	case kindCapture:
		out, err := c.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: id}, opts...)
		if err != nil {
			return nil, err
		}
		return captureView(&out.CaptureDetails), nil
	case kindRefund:
		out, err := c.GetRefundDetails(ctx, &amazonpay.GetRefundDetailsInput{AmazonRefundID: id}, opts...)
		if err != nil {
			return nil, err
		}
		return refundView(&out.RefundDetails), nil
	case kindProviderCredit:
		out, err := c.GetProviderCreditDetails(ctx, &amazonpay.GetProviderCreditDetailsInput{AmazonProviderCreditID: id}, opts...)
		if err != nil {
			return nil, err
		}
		d := &out.ProviderCreditDetails
		v := &objectView{Kind: kind, ID: d.AmazonProviderCreditID, ReferenceID: d.CreditReferenceID, Created: tsPtr(d.CreationTimestamp),
			ChildKind: "reversals", Children: nonNil(d.CreditReversalIDList.IDs())}
		v.status(string(d.CreditStatus.State), d.CreditStatus.ReasonCode, d.CreditStatus.ReasonDescription, d.CreditStatus.LastUpdateTimestamp)
		v.amount("CreditAmount", &d.CreditAmount)
		v.amount("CreditReversalAmount", &d.CreditReversalAmount)
		v.Action = advise(v)
		return v, nil
	default: // kindProviderCreditReversal
		out, err := c.GetProviderCreditReversalDetails(ctx, &amazonpay.GetProviderCreditReversalDetailsInput{AmazonProviderCreditReversalID: id}, opts...)
		if err != nil {
			return nil, err
		}
		d := &out.ProviderCreditReversalDetails
		v := &objectView{Kind: kind, ID: d.AmazonProviderCreditReversalID, ReferenceID: d.CreditReversalReferenceID,
			Created: tsPtr(d.CreationTimestamp), Children: []string{}}
		v.status(string(d.CreditReversalStatus.State), d.CreditReversalStatus.ReasonCode, d.CreditReversalStatus.ReasonDescription, d.CreditReversalStatus.LastUpdateTimestamp)
		v.amount("CreditReversalAmount", &d.CreditReversalAmount)
		v.Action = advise(v)
		return v, nil
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orderReferenceView(d *amazonpay.OrderReferenceDetails) *objectView {
	st := d.OrderReferenceStatus
	v := &objectView{Kind: kindOrderReference, ID: d.AmazonOrderReferenceID, Created: tsPtr(d.CreationTimestamp),
		Expires: tsPtr(d.ExpirationTimestamp), ChildKind: "authorizations", Children: nonNil(d.IDList.IDs())}
	v.status(string(st.State), st.ReasonCode, st.ReasonDescription, st.LastUpdateTimestamp)
	v.amount("OrderTotal", d.OrderTotal)
	if d.ParentDetails != nil {
		v.Parent = d.ParentDetails.ID
	}
	if d.PaymentAuthenticationStatus != nil {
		v.Authentication = string(d.PaymentAuthenticationStatus.State)
	}
	v.Constraints = constraintViews(d.Constraints)
	v.Action = advise(v)
	return v
}

func billingAgreementView(d *amazonpay.BillingAgreementDetails) *objectView {
	st := d.BillingAgreementStatus
	v := &objectView{Kind: kindBillingAgreement, ID: d.AmazonBillingAgreementID, Created: tsPtr(d.CreationTimestamp),
		Expires: tsPtr(d.ExpirationTimestamp), Type: string(d.BillingAgreementType), Children: []string{}}
	v.status(string(st.State), st.ReasonCode, st.ReasonDescription, st.UpdatedAt())
	v.amount("SubscriptionAmount", d.SubscriptionAmount)
	if l := d.BillingAgreementLimits; l != nil {
		v.amount("AmountLimitPerTimePeriod", &l.AmountLimitPerTimePeriod)
		v.amount("CurrentRemainingBalance", &l.CurrentRemainingBalance)
	}
	v.Constraints = constraintViews(d.Constraints)
	v.Action = advise(v)
	return v
}

func authorizationView(d *amazonpay.AuthorizationDetails) *objectView {
	st := d.AuthorizationStatus
	v := &objectView{Kind: kindAuthorization, ID: d.AmazonAuthorizationID, ReferenceID: d.AuthorizationReferenceID,
		Created: tsPtr(d.CreationTimestamp), Expires: tsPtr(d.ExpirationTimestamp), ChildKind: "captures", Children: nonNil(d.IDList.IDs())}
	v.status(string(st.State), st.ReasonCode, st.ReasonDescription, st.LastUpdateTimestamp)
	v.amount("AuthorizationAmount", &d.AuthorizationAmount)
	v.amount("CapturedAmount", &d.CapturedAmount)
	v.amount("AuthorizationFee", &d.AuthorizationFee)
	v.Action = advise(v)
	if st.State == amazonpay.AuthorizationDeclined && st.ReasonCode == amazonpay.ReasonInvalidPaymentMethod && !d.SoftDecline {
		v.Action = "Hard decline: cancel the order (amazonpay cancel ORDER_REFERENCE_ID) and ask the buyer to pay another way."
	}
	return v
}

func captureView(d *amazonpay.CaptureDetails) *objectView {
	st := d.CaptureStatus
	v := &objectView{Kind: kindCapture, ID: d.AmazonCaptureID, ReferenceID: d.CaptureReferenceID,
		Created: tsPtr(d.CreationTimestamp), ChildKind: "refunds", Children: nonNil(d.IDList.IDs())}
	v.status(string(st.State), st.ReasonCode, st.ReasonDescription, st.LastUpdateTimestamp)
	v.amount("CaptureAmount", &d.CaptureAmount)
	v.amount("RefundedAmount", &d.RefundedAmount)
	v.amount("CaptureFee", &d.CaptureFee)
	v.Action = advise(v)
	return v
}

func refundView(d *amazonpay.RefundDetails) *objectView {
	st := d.RefundStatus
	v := &objectView{Kind: kindRefund, ID: d.AmazonRefundID, ReferenceID: d.RefundReferenceID, Type: string(d.RefundType),
		Created: tsPtr(d.CreationTimestamp), Children: []string{}}
	v.status(string(st.State), st.ReasonCode, st.ReasonDescription, st.LastUpdateTimestamp)
	v.amount("RefundAmount", &d.RefundAmount)
	v.amount("FeeRefunded", &d.FeeRefunded)
	v.Action = advise(v)
	return v
}

func constraintViews(cs []amazonpay.Constraint) []constraintVw {
	var out []constraintVw
	for _, c := range cs {
		out = append(out, constraintVw{string(c.ConstraintID), c.Description})
	}
	return out
}

// printObject prints v as text, its details indented below it.
func printObject(w io.Writer, v *objectView, indent string) {
	_, _ = fmt.Fprintf(w, "%s%s %s\n", indent, spaced(string(v.Kind)), v.ID)
	f := newFields(w)
	state := v.State
	if v.ReasonCode != "" {
		state += " (" + v.ReasonCode + ")"
	}
	f.add(indent+"State", state)
	f.add(indent+"Reason", v.ReasonDescription)
	f.add(indent+"Updated", deref(v.LastUpdate))
	f.add(indent+"Created", deref(v.Created))
	f.add(indent+"Expires", deref(v.Expires))
	f.add(indent+"Reference id", v.ReferenceID)
	f.add(indent+"Type", v.Type)
	for _, am := range v.Amounts {
		f.add(indent+am.Name, am.Amount)
	}
	f.add(indent+"Authentication", v.Authentication)
	f.add(indent+"Parent", v.Parent)
	if v.ChildKind != "" {
		children := strings.Join(v.Children, ", ")
		if children == "" {
			children = "none"
		}
		f.add(indent+strings.ToUpper(v.ChildKind[:1])+v.ChildKind[1:], children)
	}
	for _, c := range v.Constraints {
		f.add(indent+"Constraint", c.ID+": "+c.Description)
	}
	f.add(indent+"Action", v.Action)
	f.flush()
	for i := range v.Details {
		printObject(w, &v.Details[i], indent+"  ")
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// spaced turns "OrderReference" into "Order reference".
func spaced(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
