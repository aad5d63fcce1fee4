package checkout

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Apply moves the payment a verified Instant Payment Notification is about
// to what Amazon reports (feed amazonpay.NewNotificationHandler's function
// into it):
//
//   - an order reference or billing agreement Canceled or Closed by Amazon
//     cancels a payment with no call outstanding that is not Paid (no money
//     moved and none will), and is recorded on a paid one (a subscription
//     whose agreement Amazon closed is charged no more);
//   - an authorization or a capture of the current attempt whose outcome
//     the payment still awaits settles it as its reply would have: a capture
//     Completed pays, a decline follows the same reason-code rules as
//     Return;
//   - a refund of a paid payment is recorded (Refunds).
//
// Apply is idempotent by NotificationReferenceId: the notification's id is
// recorded in the same store transaction as the change it causes, and a
// repeat changes nothing. It never moves a payment backwards: a
// notification older than the state the payment holds (a late Open after
// the capture, an earlier state of the order reference) changes nothing.
// A notification about a payment the store does not know yet (it can come
// before Confirm's write is visible) is kept and applied when the payment
// is created. Notifications about no payment at all (a chargeback, a
// provider credit, a subscription's later charges) are acknowledged and
// not kept.
//
// Apply does not call Amazon: a payment it leaves with a call to make
// (a capture after an Open authorization, a cancelation) is finished by
// the Return in progress or by the next Reconcile. A nil notification or
// one without a NotificationReferenceId is a *amazonpay.ValidationError.
func (p *Payments) Apply(ctx context.Context, n *amazonpay.Notification) error {
	const op = "checkout.Apply"
	if n == nil {
		return &amazonpay.ValidationError{Operation: op, Field: "Notification", Reason: "is nil"}
	}
	if n.NotificationReferenceID == "" {
		return &amazonpay.ValidationError{Operation: op, Field: "NotificationReferenceId", Reason: "is required"}
	}
	aid := amazonIDOf(n)
	if aid == "" {
		return nil
	}
	sn := &StoredNotification{ID: n.NotificationReferenceID, AmazonID: aid, Type: string(n.NotificationType),
		Timestamp: n.Timestamp.UTC(), Data: []byte(n.NotificationData)}
	for {
		pay, err := p.store.GetByAmazonID(ctx, aid)
		if errors.Is(err, ErrNotFound) {
			return p.keep(ctx, sn)
		}
		if err != nil {
			return err
		}
		_, err = p.applyTo(ctx, pay, sn, n)
		switch {
		case errors.Is(err, ErrConflict):
			continue // someone changed the payment meanwhile: judge again
		case errors.Is(err, ErrDuplicateNotification):
			return nil
		}
		return err
	}
}

// keep stores a notification about a payment not created yet. A Confirm
// that created the payment meanwhile may have looked for kept ones before
// this one was stored: look again and apply it then.
func (p *Payments) keep(ctx context.Context, sn *StoredNotification) error {
	err := p.store.RecordNotification(ctx, sn, nil)
	if errors.Is(err, ErrDuplicateNotification) {
		return nil
	}
	if err != nil {
		return err
	}
	pay, err := p.store.GetByAmazonID(ctx, sn.AmazonID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = p.applyPending(ctx, pay)
	return err
}

// applyPending applies the notifications kept for pay's Amazon object,
// oldest first, and returns the payment as it is then.
func (p *Payments) applyPending(ctx context.Context, pay *Payment) (*Payment, error) {
	kept, err := p.store.PendingNotifications(ctx, pay.AmazonID())
	if err != nil {
		return pay, err
	}
	for _, sn := range kept {
		n, err := amazonpay.ParseNotificationData(amazonpay.NotificationType(sn.Type), sn.Data)
		if err != nil {
			continue // it parsed when it came; a store that mangles data loses only this
		}
		n.NotificationReferenceID, n.Timestamp = sn.ID, sn.Timestamp
		for {
			next, err := p.applyTo(ctx, pay, sn, n)
			if errors.Is(err, ErrConflict) {
				if pay, err = p.store.Get(ctx, pay.ID); err != nil {
					return pay, err
				}
				continue
			}
			if err != nil && !errors.Is(err, ErrDuplicateNotification) {
				return pay, err
			}
			pay = next
			break
		}
	}
	return pay, nil
}

// applyTo records n on pay, with the change it causes, in one store
// transaction. A notification that changes nothing is not stored (judging
// it again gives the same answer, so a repeat stays harmless).
func (p *Payments) applyTo(ctx context.Context, pay *Payment, sn *StoredNotification, n *amazonpay.Notification) (*Payment, error) {
	next := pay.clone()
	if !notified(next, n) {
		return pay, nil
	}
	next.Version = pay.Version + 1
	next.Updated = p.now().UTC()
	if err := p.store.RecordNotification(ctx, sn, next); err != nil {
		return pay, err
	}
	return next, nil
}

// amazonIDOf is the order reference or billing agreement a notification is
// about: the object's id, or the first 19 characters of an authorization's,
// capture's or refund's id (S02-1234567-1234567-A012345), which are its
// order reference's.
func amazonIDOf(n *amazonpay.Notification) string {
	var id string
	switch {
	case n.OrderReference != nil:
		return n.OrderReference.AmazonOrderReferenceID
	case n.BillingAgreement != nil:
		return n.BillingAgreement.AmazonBillingAgreementID
	case n.Authorization != nil:
		id = n.Authorization.AmazonAuthorizationID
	case n.Capture != nil:
		id = n.Capture.AmazonCaptureID
	case n.Refund != nil:
		id = n.Refund.AmazonRefundID
	}
	if len(id) > orderReferenceIDLen && id[orderReferenceIDLen] == '-' {
		return id[:orderReferenceIDLen]
	}
	return ""
}

// orderReferenceIDLen is the length of an order reference id,
// S02-1234567-1234567.
const orderReferenceIDLen = 19

// notified changes n as the notification says, and reports whether it
// changed anything.
func notified(pay *Payment, n *amazonpay.Notification) bool {
	before := pay.clone()
	switch {
	case n.OrderReference != nil:
		st := n.OrderReference.OrderReferenceStatus
		amazonObject(pay, string(st.State), string(st.ReasonCode), at(st.LastUpdateTimestamp, n.Timestamp),
			st.State == amazonpay.OrderReferenceCanceled || st.State == amazonpay.OrderReferenceClosed)
	case n.BillingAgreement != nil:
		st := n.BillingAgreement.BillingAgreementStatus
		amazonObject(pay, string(st.State), string(st.ReasonCode), at(st.UpdatedAt(), n.Timestamp),
			st.State == amazonpay.BillingAgreementCanceled || st.State == amazonpay.BillingAgreementClosed)
	case n.Authorization != nil:
		d := n.Authorization
		if awaitsAuthorization(pay) && (d.AuthorizationReferenceID == pay.AuthorizationReferenceID || d.AmazonAuthorizationID == pay.AuthorizationID) {
			if d.AuthorizationStatus.State == amazonpay.AuthorizationOpen && pay.CaptureNow && len(d.IDList.IDs()) == 0 {
				break // says nothing yet about the capture CaptureNow makes
			}
			authorized(pay, *d, "")
		}
	case n.Capture != nil:
		d := n.Capture
		if awaitsCapture(pay) && d.CaptureReferenceID != "" &&
			(d.CaptureReferenceID == pay.CaptureReferenceID || pay.CaptureNow && d.CaptureReferenceID == pay.AuthorizationReferenceID) {
			captured(pay, *d)
		}
	case n.Refund != nil && pay.State == StatePaid:
		refunded(pay, n.Refund)
	}
	return !samePayment(before, pay)
}

// at is when a status changed: its LastUpdateTimestamp, else the
// notification's time.
func at(updated, notified time.Time) time.Time {
	if updated.IsZero() {
		return notified.UTC()
	}
	return updated.UTC()
}

// amazonObject records the state Amazon reports for the order reference
// or billing agreement, unless an equally new or newer one is recorded,
// and cancels the payment when the object ended while the payment is
// unpaid with no call outstanding.
func amazonObject(pay *Payment, state, reason string, t time.Time, ended bool) {
	if last := pay.AmazonStateTime; !last.IsZero() && (t.Before(last) || t.Equal(last) && objectEnded(pay.AmazonState) && !ended) {
		return
	}
	pay.AmazonState, pay.AmazonStateTime = stateText(state, reason), t
	if ended && (pay.State == StateConfirmed || pay.State == StateDeclined) {
		pay.State, pay.Reason = StateCanceled, state+":"+reason
	}
}

// objectEnded reports whether a recorded order reference or billing
// agreement state is one it never leaves.
func objectEnded(text string) bool {
	return strings.HasPrefix(text, "Canceled") || strings.HasPrefix(text, "Closed")
}

func stateText(state, reason string) string {
	if reason == "" {
		return state
	}
	return state + " (" + reason + ")"
}

// awaitsAuthorization reports whether the current attempt's authorization
// was sent and its outcome is not recorded.
func awaitsAuthorization(pay *Payment) bool {
	return pay.AuthorizationReferenceID != "" && (pay.State == StateAuthorizing || pay.State == StateUnknown && pay.CaptureReferenceID == "")
}

// awaitsCapture reports whether the current attempt's capture (its own
// call, or the one CaptureNow makes with the authorization) was sent and
// its outcome is not recorded.
func awaitsCapture(pay *Payment) bool {
	switch pay.State {
	case StateCapturing:
		return true
	case StateAuthorizing, StateUnknown:
		return pay.CaptureNow || pay.CaptureReferenceID != ""
	}
	return false
}

// refunded records a refund, or a later state of a recorded one; a
// refund's state never goes back to Pending.
func refunded(pay *Payment, r *amazonpay.RefundDetails) {
	rf := Refund{ID: r.AmazonRefundID, Amount: r.RefundAmount, State: string(r.RefundStatus.State)}
	for i := range pay.Refunds {
		if pay.Refunds[i].ID == rf.ID {
			if pay.Refunds[i].State != string(amazonpay.RefundPending) || rf.State == string(amazonpay.RefundPending) {
				return
			}
			pay.Refunds[i] = rf
			return
		}
	}
	pay.Refunds = append(pay.Refunds, rf)
}

// samePayment compares the fields a notification can change.
func samePayment(a, b *Payment) bool {
	if a.State != b.State || a.Reason != b.Reason || a.AuthorizationID != b.AuthorizationID || a.CaptureID != b.CaptureID ||
		a.CaptureReferenceID != b.CaptureReferenceID || a.AmazonState != b.AmazonState ||
		!a.AmazonStateTime.Equal(b.AmazonStateTime) || len(a.Refunds) != len(b.Refunds) {
		return false
	}
	for i := range a.Refunds {
		if a.Refunds[i] != b.Refunds[i] {
			return false
		}
	}
	return true
}
