package checkout

import (
	"context"
	"errors"
	"time"
)

// The Store keeps Payments and the notifications applied to them. It is
// deliberately small, so that a shop can put it on its own database: the
// checkout package holds every rule of the state machine, the store only
// guarantees that a change is made once.
//
// A store keeps each Payment as an opaque record: its id, the Amazon object
// it belongs to (the order reference or billing agreement id), its state,
// its version and the rest of its fields as the JSON that MarshalJSON gives
// (the SQL store keeps that in one column). New fields of Payment therefore
// need no schema change.

// Errors a Store returns; callers test them with errors.Is.
var (
	// ErrNotFound: no payment has that id (or Amazon id).
	ErrNotFound = errors.New("checkout: payment not found")
	// ErrExists: Create found a payment with that id, or with that
	// Amazon id, already stored.
	ErrExists = errors.New("checkout: payment already exists")
	// ErrConflict: Update or RecordNotification found another version than
	// the one the change was made from: someone else changed the payment
	// first. Read it again and decide again.
	ErrConflict = errors.New("checkout: payment changed concurrently")
	// ErrDuplicateNotification: RecordNotification found that notification
	// already applied.
	ErrDuplicateNotification = errors.New("checkout: notification already applied")
)

// Store is where a Payments keeps its state. Implementations must be safe
// for concurrent use by many goroutines and many processes sharing one
// database. NewMemoryStore and NewSQLStore are the two provided.
type Store interface {
	// Create stores p if no payment with p.ID, and none with p's Amazon id
	// (p.AmazonID()), exists; else it returns an error wrapping ErrExists
	// and stores nothing. p.Version must be 1.
	Create(ctx context.Context, p *Payment) error

	// Get returns the payment with that id, or an error wrapping
	// ErrNotFound.
	Get(ctx context.Context, id string) (*Payment, error)

	// GetByAmazonID returns the payment whose order reference or billing
	// agreement id is amazonID, or an error wrapping ErrNotFound.
	GetByAmazonID(ctx context.Context, amazonID string) (*Payment, error)

	// Update stores p in place of the stored payment with p.ID if the stored
	// one has version p.Version-1 (compare-and-swap); else it returns an
	// error wrapping ErrConflict (or ErrNotFound) and stores nothing. The
	// caller increments p.Version before calling.
	Update(ctx context.Context, p *Payment) error

	// List returns the payments in any of states, oldest Updated first, at
	// most limit of them (limit <= 0: all). Reconcile uses it to find the
	// payments whose last call's outcome is not known.
	List(ctx context.Context, states []State, limit int) ([]*Payment, error)

	// RecordNotification records n, and with it, in one transaction, the
	// change to p when p is not nil (the same compare-and-swap as Update).
	//
	//   - n.ID already recorded as applied: ErrDuplicateNotification,
	//     nothing changes.
	//   - p == nil: n is kept unapplied (n.Applied false), to be found by
	//     PendingNotifications for n.AmazonID; recording the same unapplied
	//     n again is not an error and changes nothing.
	//   - p != nil: n is recorded as applied (a kept unapplied n becomes
	//     applied) and p is stored; a version conflict stores neither and
	//     returns ErrConflict.
	RecordNotification(ctx context.Context, n *StoredNotification, p *Payment) error

	// PendingNotifications returns the kept, unapplied notifications for
	// amazonID (an order reference or billing agreement id), oldest
	// Timestamp first.
	PendingNotifications(ctx context.Context, amazonID string) ([]*StoredNotification, error)
}

// StoredNotification is an Instant Payment Notification as the store keeps
// it: enough to apply it later, when the payment it belongs to appears.
type StoredNotification struct {
	// ID is the notification's NotificationReferenceId.
	ID string
	// AmazonID is the order reference or billing agreement the
	// notification belongs to.
	AmazonID string
	// Type is the notification's NotificationType.
	Type string
	// Timestamp is when Amazon Pay made the notification.
	Timestamp time.Time
	// Data is the notification's NotificationData XML, as received.
	Data []byte
	// Applied reports whether the notification changed (or was judged
	// against) its payment.
	Applied bool
}
