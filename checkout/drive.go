package checkout

import (
	"context"
	"errors"

	"github.com/amazonpay-go/amazonpay"
)

// drive sends the call a payment's state commits it to, records Amazon's
// answer, and goes on until the payment is in a state without a call
// (settled, declined, or unknown). A version conflict means someone else
// recorded something first: drive reads the payment again and goes on from
// there; a repeated call carries the same reference id, so Amazon answers
// it with the first result.
func (p *Payments) drive(ctx context.Context, pay *Payment) (*Payment, error) {
	for range 8 {
		var next *Payment
		var err error
		switch pay.State {
		case StateAuthorizing:
			next, err = p.authorize(ctx, pay)
		case StateCapturing:
			next, err = p.capture(ctx, pay)
		case StateCanceling:
			next, err = p.cancel(ctx, pay)
		default:
			return pay, nil
		}
		if errors.Is(err, ErrConflict) {
			cur, gerr := p.store.Get(ctx, pay.ID)
			if gerr != nil {
				return pay, gerr
			}
			pay = cur
			continue
		}
		if err != nil {
			return pay, err
		}
		pay = next
	}
	return pay, nil
}

// settle claims an Unknown payment (so that of concurrent Returns one
// repeats the call) and drives it.
func (p *Payments) settle(ctx context.Context, pay *Payment) (*Payment, error) {
	claimed, err := p.save(ctx, pay, func(n *Payment) {
		n.State = StateAuthorizing
		if n.CaptureReferenceID != "" {
			n.State = StateCapturing
		}
	})
	if err != nil {
		return pay, err
	}
	return p.drive(ctx, claimed)
}

// record stores the answer of a call sent for pay. When the store finds
// another version and it still awaits the same call (only something
// beside it changed: a notification recorded the order reference's
// state), the answer is applied to that version; otherwise the conflict
// is returned and drive reads the payment again. Repeating the call
// instead would be safe (same reference id) but sends it for nothing.
func (p *Payments) record(ctx context.Context, pay *Payment, change func(*Payment)) (*Payment, error) {
	next, err := p.save(ctx, pay, change)
	for tries := 0; errors.Is(err, ErrConflict) && tries < 8; tries++ {
		cur, gerr := p.store.Get(ctx, pay.ID)
		if gerr != nil || !sameCall(cur, pay) {
			return pay, err
		}
		pay = cur
		next, err = p.save(ctx, pay, change)
	}
	return next, err
}

// sameCall reports whether a and b await the same call.
func sameCall(a, b *Payment) bool {
	return a.State == b.State && a.Attempt == b.Attempt && a.AuthorizationReferenceID == b.AuthorizationReferenceID &&
		a.AuthorizationID == b.AuthorizationID && a.CaptureReferenceID == b.CaptureReferenceID && a.CaptureID == b.CaptureID
}

// unknown records that the outcome of the call in flight is not known.
func (p *Payments) unknown(ctx context.Context, pay *Payment) (*Payment, error) {
	return p.record(ctx, pay, func(n *Payment) { n.State = StateUnknown })
}

// authorize sends (or repeats) the attempt's authorization, or reads it
// when its id is already known, and records the outcome.
func (p *Payments) authorize(ctx context.Context, pay *Payment) (*Payment, error) {
	var d amazonpay.AuthorizationDetails
	child := ""
	amount := &amazonpay.Price{Amount: pay.Total.Amount, CurrencyCode: pay.Total.CurrencyCode}
	var err error
	switch {
	case pay.AuthorizationID != "":
		var out *amazonpay.GetAuthorizationDetailsOutput
		if out, err = p.client.GetAuthorizationDetails(ctx, &amazonpay.GetAuthorizationDetailsInput{AmazonAuthorizationID: pay.AuthorizationID}); err == nil {
			d = out.AuthorizationDetails
		}
	case pay.Kind == KindSubscription:
		var out *amazonpay.AuthorizeOnBillingAgreementOutput
		out, err = p.client.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
			AmazonBillingAgreementID: pay.BillingAgreementID, AuthorizationReferenceID: pay.AuthorizationReferenceID,
			AuthorizationAmount: amount, TransactionTimeout: amazonpay.Int(0), CaptureNow: amazonpay.Bool(true),
			SoftDescriptor: p.cfg.SoftDescriptor, SellerOrderAttributes: sellerOrder(pay.SellerOrderID),
		})
		if err == nil {
			d, child = out.AuthorizationDetails, out.AmazonOrderReferenceID
		}
	default:
		in := &amazonpay.AuthorizeInput{
			AmazonOrderReferenceID: pay.OrderReferenceID, AuthorizationReferenceID: pay.AuthorizationReferenceID,
			AuthorizationAmount: amount, TransactionTimeout: amazonpay.Int(0), SoftDescriptor: p.cfg.SoftDescriptor,
		}
		if pay.CaptureNow {
			in.CaptureNow = amazonpay.Bool(true)
		}
		var out *amazonpay.AuthorizeOutput
		if out, err = p.client.Authorize(ctx, in); err == nil {
			d = out.AuthorizationDetails
		}
	}
	if err != nil {
		if ambiguous(err) {
			return p.unknown(ctx, pay)
		}
		code := apiCode(err)
		if errors.Is(err, amazonpay.ErrorInvalidOrderReferenceStatus) || errors.Is(err, amazonpay.ErrorInvalidBillingAgreementStatus) {
			return p.refusedByState(ctx, pay, code)
		}
		return p.record(ctx, pay, func(n *Payment) { refused(n, code) })
	}
	return p.record(ctx, pay, func(n *Payment) { authorized(n, d, child) })
}

// refusedByState ends the attempt whose authorization Amazon refused for
// the state of the order reference or billing agreement, as that state
// says: Canceled or Closed cancel the payment (no money moved, none
// will); Suspended is the buyer's to resolve with another payment method.
// When the state cannot be read the attempt ends with the refusal's code.
func (p *Payments) refusedByState(ctx context.Context, pay *Payment, code string) (*Payment, error) {
	state, reason, err := p.objectState(ctx, pay)
	return p.record(ctx, pay, func(n *Payment) {
		switch {
		case err != nil:
			refused(n, code)
		case state == "Canceled" || state == "Closed":
			n.State, n.Reason = StateCanceled, state+":"+reason
		case state == "Suspended":
			n.State, n.Reason = StateDeclined, string(amazonpay.ReasonInvalidPaymentMethod)
		default:
			refused(n, code)
		}
	})
}

// objectState reads the state of the payment's order reference or
// billing agreement.
func (p *Payments) objectState(ctx context.Context, pay *Payment) (state, reason string, err error) {
	if pay.Kind == KindSubscription {
		out, err := p.client.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: pay.BillingAgreementID})
		if err != nil {
			return "", "", err
		}
		st := out.BillingAgreementDetails.BillingAgreementStatus
		return string(st.State), string(st.ReasonCode), nil
	}
	out, err := p.client.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: pay.OrderReferenceID})
	if err != nil {
		return "", "", err
	}
	st := out.OrderReferenceDetails.OrderReferenceStatus
	return string(st.State), string(st.ReasonCode), nil
}

// refused ends the attempt after Amazon refused its money call: nothing
// was created (reference-id idempotency answers a repeat of an applied
// call with its result, never with a refusal).
func refused(n *Payment, code string) {
	if code == "" {
		code = "Refused"
	}
	n.State, n.Reason = StateDeclined, code
}

// authorized applies an authorization's state to the payment: the one
// transition shared by Return, Reconcile and Apply.
func authorized(n *Payment, d amazonpay.AuthorizationDetails, child string) {
	n.AuthorizationID = d.AmazonAuthorizationID
	if child != "" {
		n.ChargeOrderReferenceID = child
	}
	st := d.AuthorizationStatus
	ids := d.IDList.IDs()
	switch st.State {
	case amazonpay.AuthorizationOpen:
		if !n.CaptureNow {
			n.State, n.CaptureReferenceID = StateCapturing, referenceID(n.ID, n.Attempt, "capture")
			return
		}
		fallthrough
	case amazonpay.AuthorizationClosed:
		if len(ids) > 0 {
			// CaptureNow made the capture: its own state says whether
			// money moved (a capture can be Pending, or Declined).
			n.State, n.CaptureID = StateCapturing, ids[0]
			return
		}
		if st.State == amazonpay.AuthorizationOpen || st.ReasonCode == amazonpay.ReasonMaxCapturesProcessed {
			n.State = StateUnknown // a capture exists or will: read the authorization again
			return
		}
		// Closed without a capture (expired, closed by Amazon, its order
		// reference canceled): no money will move.
		n.State, n.Reason = StateCanceling, string(st.ReasonCode)
	case amazonpay.AuthorizationDeclined:
		n.Reason = string(st.ReasonCode)
		switch st.ReasonCode {
		case amazonpay.ReasonAmazonRejected, amazonpay.ReasonTransactionTimedOut:
			// AmazonRejected: do not retry; Amazon closed the order
			// reference. TransactionTimedOut on a synchronous
			// authorization: the package does not retry asynchronously
			// (the buyer is waiting), so it cancels, as Amazon recommends
			// for that choice, and the buyer starts over from the cart.
			n.State = StateCanceling
		default:
			// InvalidPaymentMethod and PaymentAuthorizationRequired: the
			// buyer picks another method; ProcessingFailure: retry later.
			n.State = StateDeclined
		}
	default: // Pending: only asynchronous, read it later
		n.State = StateUnknown
	}
}

// capture sends (or repeats) the capture of an Open authorization, or
// reads it when its id is known, and records the outcome.
func (p *Payments) capture(ctx context.Context, pay *Payment) (*Payment, error) {
	var d amazonpay.CaptureDetails
	var err error
	if pay.CaptureID != "" {
		var out *amazonpay.GetCaptureDetailsOutput
		if out, err = p.client.GetCaptureDetails(ctx, &amazonpay.GetCaptureDetailsInput{AmazonCaptureID: pay.CaptureID}); err == nil {
			d = out.CaptureDetails
		}
	} else {
		var out *amazonpay.CaptureOutput
		if out, err = p.client.Capture(ctx, &amazonpay.CaptureInput{
			AmazonAuthorizationID: pay.AuthorizationID, CaptureReferenceID: pay.CaptureReferenceID,
			CaptureAmount:  &amazonpay.Price{Amount: pay.Total.Amount, CurrencyCode: pay.Total.CurrencyCode},
			SoftDescriptor: p.cfg.SoftDescriptor,
		}); err == nil {
			d = out.CaptureDetails
		}
	}
	if err != nil {
		if ambiguous(err) {
			return p.unknown(ctx, pay)
		}
		code := apiCode(err)
		// The authorization cannot be captured (expired, closed): cancel,
		// which closes it.
		return p.record(ctx, pay, func(n *Payment) { n.State, n.Reason = StateCanceling, code })
	}
	return p.record(ctx, pay, func(n *Payment) { captured(n, d) })
}

// captured applies a capture's state to the payment.
func captured(n *Payment, d amazonpay.CaptureDetails) {
	n.CaptureID = d.AmazonCaptureID
	switch d.CaptureStatus.State {
	case amazonpay.CaptureCompleted, amazonpay.CaptureClosed:
		n.State = StatePaid
	case amazonpay.CaptureDeclined:
		n.State, n.Reason = StateCanceling, string(d.CaptureStatus.ReasonCode)
	default: // Pending: read it later
		n.State = StateUnknown
	}
}

// cancel cancels the order reference (purchases) or closes the billing
// agreement (subscriptions) and records the payment Canceled. An object
// that is already canceled or closed counts as done.
func (p *Payments) cancel(ctx context.Context, pay *Payment) (*Payment, error) {
	var err error
	if pay.Kind == KindSubscription {
		_, err = p.client.CloseBillingAgreement(ctx, &amazonpay.CloseBillingAgreementInput{AmazonBillingAgreementID: pay.BillingAgreementID, ClosureReason: "payment canceled"})
		if errors.Is(err, amazonpay.ErrorInvalidBillingAgreementStatus) {
			var out *amazonpay.GetBillingAgreementDetailsOutput
			if out, err = p.client.GetBillingAgreementDetails(ctx, &amazonpay.GetBillingAgreementDetailsInput{AmazonBillingAgreementID: pay.BillingAgreementID}); err == nil {
				if s := out.BillingAgreementDetails.BillingAgreementStatus.State; s != amazonpay.BillingAgreementClosed && s != amazonpay.BillingAgreementCanceled {
					err = errors.New("checkout: billing agreement cannot be closed in state " + string(s))
				}
			}
		}
	} else {
		_, err = p.client.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: pay.OrderReferenceID, CancelationReason: "payment canceled"})
		if errors.Is(err, amazonpay.ErrorInvalidOrderReferenceStatus) {
			var out *amazonpay.GetOrderReferenceDetailsOutput
			if out, err = p.client.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: pay.OrderReferenceID}); err == nil {
				if s := out.OrderReferenceDetails.OrderReferenceStatus.State; s != amazonpay.OrderReferenceCanceled && s != amazonpay.OrderReferenceClosed {
					err = errors.New("checkout: order reference cannot be canceled in state " + string(s))
				}
			}
		}
	}
	if err != nil {
		return pay, err
	}
	return p.record(ctx, pay, func(n *Payment) { n.State = StateCanceled })
}

// cancelNow records a payment Canceled whose Amazon object is already
// canceled or closed.
func (p *Payments) cancelNow(ctx context.Context, pay *Payment, reason string) (*Payment, error) {
	return p.save(ctx, pay, func(n *Payment) { n.State, n.Reason = StateCanceled, reason })
}

// ReconcileReport is what Reconcile found and did.
type ReconcileReport struct {
	// Checked is how many payments had a call outstanding.
	Checked int
	// Settled counts them by the state they are in now.
	Settled map[State]int
	// Errors are the payments Reconcile could not settle this time, by
	// id; the next Reconcile tries again.
	Errors map[string]error
}

// Reconcile settles every payment whose last call's outcome is not known:
// those a crash, a lost reply or a failed store write left Authorizing,
// Capturing, Unknown or Canceling. It repeats the same call with the same
// reference id (Amazon answers a repeat with the first result) or reads
// Get*Details when Amazon's id is known; it never starts a new attempt.
// Run it at start-up and periodically (every few minutes). It is safe
// alongside Returns and other Reconciles: a repeat is idempotent and every
// write is compare-and-swap. The error is non-nil only when the store
// cannot list the payments.
func (p *Payments) Reconcile(ctx context.Context) (*ReconcileReport, error) {
	list, err := p.store.List(ctx, []State{StateAuthorizing, StateCapturing, StateUnknown, StateCanceling}, 0)
	if err != nil {
		return nil, err
	}
	rep := &ReconcileReport{Checked: len(list), Settled: map[State]int{}, Errors: map[string]error{}}
	for _, pay := range list {
		if ctx.Err() != nil {
			rep.Errors[pay.ID] = ctx.Err()
			continue
		}
		if pay.State == StateUnknown {
			pay, err = p.settle(ctx, pay)
		} else {
			pay, err = p.drive(ctx, pay)
		}
		if errors.Is(err, ErrConflict) {
			pay, err = p.store.Get(ctx, pay.ID)
		}
		if err != nil {
			rep.Errors[pay.ID] = err
			continue
		}
		rep.Settled[pay.State]++
	}
	return rep, nil
}
