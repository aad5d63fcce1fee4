package amazonpay

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
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
	// Err is the kind of problem, when it has a name:
	// ErrConfirmationFlowRequired.
	Err error
}

// ErrConfirmationFlowRequired is the cause of the *StateError that Charge
// returns for a Draft order reference in the EU or UK: there a one-time
// purchase is confirmed with return URLs and authenticated by the buyer in
// the Confirmation Flow before it can be authorized.
var ErrConfirmationFlowRequired = errors.New("amazonpay: the Confirmation Flow is required")

// Error describes the state problem.
func (e *StateError) Error() string {
	return fmt.Sprintf("amazonpay: %s: %s is %s: %s", e.Operation, e.ID, e.State, e.Reason)
}

// Unwrap returns Err.
func (e *StateError) Unwrap() error { return e.Err }

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
// Every step's input is validated before the first call: bad input is a
// *ValidationError naming the step's operation and field, and nothing is
// sent.
//
// Charge confirms without SuccessUrl/FailureUrl, which Strong Customer
// Authentication (EU/UK) does not allow for one-time purchases: there a
// Draft order reference is a *StateError wrapping
// ErrConfirmationFlowRequired, and nothing is set, confirmed or
// authorized. Run the Confirmation Flow first; on the Open order reference
// Charge goes straight to Authorize. Billing agreements are charged
// merchant-initiated in every region.
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

// check validates in as the pipeline would before sending it, without
// sending anything: a convenience checks every step before its first call.
func (c *Client) check(action string, in input, opts []CallOption) error {
	_, err := c.buildParams(action, in, opts)
	return err
}

// checkAll runs check on each step in order and returns the first error.
func (c *Client) checkAll(opts []CallOption, steps ...step) error {
	for _, s := range steps {
		if err := c.check(s.action, s.in, opts); err != nil {
			return err
		}
	}
	return nil
}

type step struct {
	action string
	in     input
}

func (c *Client) chargeOrderReference(ctx context.Context, in *ChargeInput, opts []CallOption) (*ChargeOutput, error) {
	id := in.AmazonReferenceID
	get := &GetOrderReferenceDetailsInput{AmazonOrderReferenceID: id}
	set := &SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &OrderReferenceAttributes{
			OrderTotal:            in.Amount,
			SellerNote:            in.SellerNote,
			SellerOrderAttributes: in.sellerOrderAttributes(),
		},
	}
	confirm := &ConfirmOrderReferenceInput{AmazonOrderReferenceID: id}
	authorize := &AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: in.AuthorizationReferenceID,
		AuthorizationAmount:      in.Amount,
		SellerAuthorizationNote:  in.SellerAuthorizationNote,
		TransactionTimeout:       in.TransactionTimeout,
		CaptureNow:               in.CaptureNow,
		SoftDescriptor:           in.SoftDescriptor,
	}
	if err := c.checkAll(opts, step{"GetOrderReferenceDetails", get}, step{"SetOrderReferenceDetails", set},
		step{"ConfirmOrderReference", confirm}, step{"Authorize", authorize}); err != nil {
		return nil, err
	}
	out := &ChargeOutput{AmazonOrderReferenceID: id}
	getState := func() (OrderReferenceState, error) {
		out.step("GetOrderReferenceDetails")
		d, err := c.GetOrderReferenceDetails(ctx, get, opts...)
		if err != nil {
			return "", err
		}
		return d.OrderReferenceDetails.OrderReferenceStatus.State, nil
	}
	prepare := func() error {
		if c.cfg.Region.SCARequired() {
			// Confirming without return URLs would skip the buyer's
			// authentication: the issuer declines, the order is Suspended.
			return &StateError{Operation: "Charge", ID: id, State: string(OrderReferenceDraft), Err: ErrConfirmationFlowRequired,
				Reason: "in the EU and UK a one-time purchase goes through the Confirmation Flow: ConfirmOrderReference with " +
					"SuccessURL and FailureURL, the buyer's redirect (ParseConfirmationRedirect), then Authorize or Charge on the Open order reference"}
		}
		out.step("SetOrderReferenceDetails")
		if _, err := c.SetOrderReferenceDetails(ctx, set, opts...); err != nil {
			return err
		}
		out.step("ConfirmOrderReference")
		_, err := c.ConfirmOrderReference(ctx, confirm, opts...)
		return err
	}
	if err := readyToCharge(id, OrderReferenceDraft, OrderReferenceOpen,
		"only an Open order reference can be authorized", getState, prepare); err != nil {
		return nil, err
	}
	out.step("Authorize")
	auth, err := c.Authorize(ctx, authorize, opts...)
	if err != nil {
		return nil, err
	}
	out.AuthorizationDetails = auth.AuthorizationDetails
	return out, nil
}

func (c *Client) chargeBillingAgreement(ctx context.Context, in *ChargeInput, opts []CallOption) (*ChargeOutput, error) {
	id := in.AmazonReferenceID
	get := &GetBillingAgreementDetailsInput{AmazonBillingAgreementID: id}
	attrs := &BillingAgreementAttributes{SellerNote: in.SellerNote}
	if in.SellerOrderID != "" || in.StoreName != "" || in.CustomInformation != "" {
		attrs.SellerBillingAgreementAttributes = &SellerBillingAgreementAttributes{
			SellerBillingAgreementID: in.SellerOrderID, StoreName: in.StoreName, CustomInformation: in.CustomInformation}
	}
	var set *SetBillingAgreementDetailsInput // only when there is something to set
	if *attrs != (BillingAgreementAttributes{}) {
		set = &SetBillingAgreementDetailsInput{AmazonBillingAgreementID: id, BillingAgreementAttributes: attrs}
	}
	confirm := &ConfirmBillingAgreementInput{AmazonBillingAgreementID: id}
	authorize := &AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: id,
		AuthorizationReferenceID: in.AuthorizationReferenceID,
		AuthorizationAmount:      in.Amount,
		SellerAuthorizationNote:  in.SellerAuthorizationNote,
		TransactionTimeout:       in.TransactionTimeout,
		CaptureNow:               in.CaptureNow,
		SoftDescriptor:           in.SoftDescriptor,
		SellerNote:               in.SellerNote,
		SellerOrderAttributes:    in.sellerOrderAttributes(),
	}
	steps := []step{{"GetBillingAgreementDetails", get}}
	if set != nil {
		steps = append(steps, step{"SetBillingAgreementDetails", set})
	}
	steps = append(steps, step{"ConfirmBillingAgreement", confirm}, step{"AuthorizeOnBillingAgreement", authorize})
	if err := c.checkAll(opts, steps...); err != nil {
		return nil, err
	}
	out := &ChargeOutput{}
	getState := func() (BillingAgreementState, error) {
		out.step("GetBillingAgreementDetails")
		d, err := c.GetBillingAgreementDetails(ctx, get, opts...)
		if err != nil {
			return "", err
		}
		return d.BillingAgreementDetails.BillingAgreementStatus.State, nil
	}
	prepare := func() error {
		if set != nil {
			out.step("SetBillingAgreementDetails")
			if _, err := c.SetBillingAgreementDetails(ctx, set, opts...); err != nil {
				return err
			}
		}
		out.step("ConfirmBillingAgreement")
		_, err := c.ConfirmBillingAgreement(ctx, confirm, opts...)
		return err
	}
	if err := readyToCharge(id, BillingAgreementDraft, BillingAgreementOpen,
		"only an Open billing agreement can be charged", getState, prepare); err != nil {
		return nil, err
	}
	out.step("AuthorizeOnBillingAgreement")
	auth, err := c.AuthorizeOnBillingAgreement(ctx, authorize, opts...)
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
