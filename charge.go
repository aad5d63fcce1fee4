package amazonpay

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// NewReferenceID returns a new unique merchant reference id for Authorize,
// Capture, Refund or AuthorizeOnBillingAgreement: 22 characters of
// A-Z a-z 0-9 _ - (128 random bits). Keep it with the order and reuse it
// when retrying the same charge: MWS then returns the first result instead
// of charging twice.
func NewReferenceID() string {
	var b [16]byte
	rand.Read(b[:]) // never returns an error since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// StateError reports that an object is not in a state an operation of a
// convenience flow needs.
type StateError struct {
	Operation string // "Charge"
	ID        string // the order reference or billing agreement id
	State     string // its state
	Reason    string
}

// Error describes the state problem.
func (e *StateError) Error() string {
	return fmt.Sprintf("amazonpay: %s: %s is %s: %s", e.Operation, e.ID, e.State, e.Reason)
}

// ChargeInput is the input of Charge.
type ChargeInput struct {
	// AmazonReferenceID is an order reference id (P… or S…) or a billing
	// agreement id (B… or C…). Required.
	AmazonReferenceID string
	// AuthorizationReferenceID is the merchant's unique id of the
	// authorization (see NewReferenceID). Required.
	AuthorizationReferenceID string
	// Amount is the order total and the authorization amount. Required.
	Amount *Price
	// SellerNote, SellerOrderID, StoreName and CustomInformation are set on a
	// Draft object (and on the order reference of a billing agreement charge).
	SellerNote        string
	SellerOrderID     string
	StoreName         string
	CustomInformation string
	// SellerAuthorizationNote, TransactionTimeout, CaptureNow and
	// SoftDescriptor go to the authorization; nil pointers are not sent.
	SellerAuthorizationNote string
	TransactionTimeout      *int
	CaptureNow              *bool
	SoftDescriptor          string
}

// ChargeOutput is the output of Charge.
type ChargeOutput struct {
	// AuthorizationDetails is the authorization made.
	AuthorizationDetails AuthorizationDetails
	// AmazonOrderReferenceID is the order reference charged: the given one,
	// or the one Amazon created for a billing agreement charge.
	AmazonOrderReferenceID string
	// Steps lists the operations called, in order.
	Steps []string
}

// Charge sets, confirms and authorizes in one call, as the official SDKs'
// charge does, but only where the state allows it:
//
//   - order reference (P…/S…): GetOrderReferenceDetails; if Draft,
//     SetOrderReferenceDetails and ConfirmOrderReference, then
//     GetOrderReferenceDetails again; if Open, Authorize. Any other state is
//     a *StateError and nothing is authorized.
//   - billing agreement (B…/C…): GetBillingAgreementDetails; if Draft,
//     SetBillingAgreementDetails (only when SellerNote, SellerOrderID,
//     StoreName or CustomInformation gives it something to set; SellerOrderID
//     becomes the SellerBillingAgreementId) and ConfirmBillingAgreement, then
//     GetBillingAgreementDetails again; if Open, AuthorizeOnBillingAgreement.
//     Any other state is a *StateError.
//
// Charge confirms without SuccessUrl/FailureUrl, so with Strong Customer
// Authentication (EU/UK) run the Confirmation Flow first: on an Open order
// reference Charge goes straight to Authorize.
func (c *Client) Charge(ctx context.Context, in *ChargeInput, opts ...CallOption) (*ChargeOutput, error) {
	const op = "Charge"
	if in == nil {
		return nil, &ValidationError{Operation: op, Field: "input", Reason: "is nil"}
	}
	v := validator{op: op}
	v.required("AuthorizationReferenceID", in.AuthorizationReferenceID)
	v.present("Amount", in.Amount != nil)
	if v.err != nil {
		return nil, v.err
	}
	switch prefix := firstByte(in.AmazonReferenceID); prefix {
	case 'P', 'S':
		return c.chargeOrderReference(ctx, in, opts)
	case 'B', 'C':
		return c.chargeBillingAgreement(ctx, in, opts)
	default:
		return nil, &ValidationError{Operation: op, Field: "AmazonReferenceID",
			Reason: fmt.Sprintf("%q is neither an order reference id (P…, S…) nor a billing agreement id (B…, C…)", in.AmazonReferenceID)}
	}
}

func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

func (in *ChargeInput) sellerOrderAttributes() *SellerOrderAttributes {
	a := SellerOrderAttributes{SellerOrderID: in.SellerOrderID, StoreName: in.StoreName, CustomInformation: in.CustomInformation}
	if a.SellerOrderID == "" && a.StoreName == "" && a.CustomInformation == "" {
		return nil
	}
	return &a
}

// readyToCharge is the state logic Charge shares between order references
// and billing agreements: read the state; a Draft object is prepared (set
// and confirmed) and read again; then it must be Open, or nothing is charged.
func readyToCharge[S ~string](id string, draft, open S, reason string, get func() (S, error), prepare func() error) error {
	state, err := get()
	if err != nil {
		return err
	}
	if state == draft {
		if err := prepare(); err != nil {
			return err
		}
		if state, err = get(); err != nil {
			return err
		}
	}
	if state != open {
		return &StateError{Operation: "Charge", ID: id, State: string(state), Reason: reason}
	}
	return nil
}

func (out *ChargeOutput) step(name string) { out.Steps = append(out.Steps, name) }

func (c *Client) chargeOrderReference(ctx context.Context, in *ChargeInput, opts []CallOption) (*ChargeOutput, error) {
	id := in.AmazonReferenceID
	out := &ChargeOutput{AmazonOrderReferenceID: id}
	get := func() (OrderReferenceState, error) {
		out.step("GetOrderReferenceDetails")
		d, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id}, opts...)
		if err != nil {
			return "", err
		}
		return d.OrderReferenceDetails.OrderReferenceStatus.State, nil
	}
	prepare := func() error {
		out.step("SetOrderReferenceDetails")
		if _, err := c.SetOrderReferenceDetails(ctx, &SetOrderReferenceDetailsInput{
			AmazonOrderReferenceID: id,
			OrderReferenceAttributes: &OrderReferenceAttributes{
				OrderTotal:            in.Amount,
				SellerNote:            in.SellerNote,
				SellerOrderAttributes: in.sellerOrderAttributes(),
			},
		}, opts...); err != nil {
			return err
		}
		out.step("ConfirmOrderReference")
		_, err := c.ConfirmOrderReference(ctx, &ConfirmOrderReferenceInput{AmazonOrderReferenceID: id}, opts...)
		return err
	}
	if err := readyToCharge(id, OrderReferenceDraft, OrderReferenceOpen,
		"only an Open order reference can be authorized", get, prepare); err != nil {
		return nil, err
	}
	out.step("Authorize")
	auth, err := c.Authorize(ctx, &AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: in.AuthorizationReferenceID,
		AuthorizationAmount:      in.Amount,
		SellerAuthorizationNote:  in.SellerAuthorizationNote,
		TransactionTimeout:       in.TransactionTimeout,
		CaptureNow:               in.CaptureNow,
		SoftDescriptor:           in.SoftDescriptor,
	}, opts...)
	if err != nil {
		return nil, err
	}
	out.AuthorizationDetails = auth.AuthorizationDetails
	return out, nil
}

func (c *Client) chargeBillingAgreement(ctx context.Context, in *ChargeInput, opts []CallOption) (*ChargeOutput, error) {
	id := in.AmazonReferenceID
	out := &ChargeOutput{}
	get := func() (BillingAgreementState, error) {
		out.step("GetBillingAgreementDetails")
		d, err := c.GetBillingAgreementDetails(ctx, &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id}, opts...)
		if err != nil {
			return "", err
		}
		return d.BillingAgreementDetails.BillingAgreementStatus.State, nil
	}
	prepare := func() error {
		attrs := &BillingAgreementAttributes{SellerNote: in.SellerNote}
		if in.SellerOrderID != "" || in.StoreName != "" || in.CustomInformation != "" {
			attrs.SellerBillingAgreementAttributes = &SellerBillingAgreementAttributes{
				SellerBillingAgreementID: in.SellerOrderID, StoreName: in.StoreName, CustomInformation: in.CustomInformation}
		}
		if *attrs != (BillingAgreementAttributes{}) {
			out.step("SetBillingAgreementDetails")
			if _, err := c.SetBillingAgreementDetails(ctx, &SetBillingAgreementDetailsInput{
				AmazonBillingAgreementID: id, BillingAgreementAttributes: attrs}, opts...); err != nil {
				return err
			}
		}
		out.step("ConfirmBillingAgreement")
		_, err := c.ConfirmBillingAgreement(ctx, &ConfirmBillingAgreementInput{AmazonBillingAgreementID: id}, opts...)
		return err
	}
	if err := readyToCharge(id, BillingAgreementDraft, BillingAgreementOpen,
		"only an Open billing agreement can be charged", get, prepare); err != nil {
		return nil, err
	}
	out.step("AuthorizeOnBillingAgreement")
	auth, err := c.AuthorizeOnBillingAgreement(ctx, &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: id,
		AuthorizationReferenceID: in.AuthorizationReferenceID,
		AuthorizationAmount:      in.Amount,
		SellerAuthorizationNote:  in.SellerAuthorizationNote,
		TransactionTimeout:       in.TransactionTimeout,
		CaptureNow:               in.CaptureNow,
		SoftDescriptor:           in.SoftDescriptor,
		SellerNote:               in.SellerNote,
		SellerOrderAttributes:    in.sellerOrderAttributes(),
	}, opts...)
	if err != nil {
		return nil, err
	}
	out.AuthorizationDetails = auth.AuthorizationDetails
	out.AmazonOrderReferenceID = auth.AmazonOrderReferenceID
	return out, nil
}

// PaymentDetails is an order reference with every authorization, capture
// and refund under it.
type PaymentDetails struct {
	OrderReference OrderReferenceDetails
	Authorizations []AuthorizationDetails // in the order of the order reference's IdList
	Captures       []CaptureDetails       // of every authorization, in order
	Refunds        []RefundDetails        // of every capture, in order
}

// GetPaymentDetails fetches an order reference, then every authorization in
// its IdList, every capture of each authorization and every refund of each
// capture; none is skipped. It stops at the first error.
func (c *Client) GetPaymentDetails(ctx context.Context, amazonOrderReferenceID string, opts ...CallOption) (*PaymentDetails, error) {
	oro, err := c.GetOrderReferenceDetails(ctx, &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: amazonOrderReferenceID}, opts...)
	if err != nil {
		return nil, err
	}
	pd := &PaymentDetails{OrderReference: oro.OrderReferenceDetails}
	for _, authID := range oro.OrderReferenceDetails.IDList.IDs() {
		auth, err := c.GetAuthorizationDetails(ctx, &GetAuthorizationDetailsInput{AmazonAuthorizationID: authID}, opts...)
		if err != nil {
			return nil, err
		}
		pd.Authorizations = append(pd.Authorizations, auth.AuthorizationDetails)
		for _, captureID := range auth.AuthorizationDetails.IDList.IDs() {
			capture, err := c.GetCaptureDetails(ctx, &GetCaptureDetailsInput{AmazonCaptureID: captureID}, opts...)
			if err != nil {
				return nil, err
			}
			pd.Captures = append(pd.Captures, capture.CaptureDetails)
			for _, refundID := range capture.CaptureDetails.IDList.IDs() {
				refund, err := c.GetRefundDetails(ctx, &GetRefundDetailsInput{AmazonRefundID: refundID}, opts...)
				if err != nil {
					return nil, err
				}
				pd.Refunds = append(pd.Refunds, refund.RefundDetails)
			}
		}
	}
	return pd, nil
}
