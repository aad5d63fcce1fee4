package amazonpaytest

import (
	"errors"
	"fmt"
)

// errSenderClosed is ResendNotification's answer after Close.
var errSenderClosed = errors.New("amazonpaytest: the notification sender is closed")

// ResendNotification posts the notification whose SNS MessageId is
// messageID (Delivery.MessageID) once more to each URL it went to, with the
// same body and signature, as SNS redelivers a message: so a test sees
// its endpoint take a duplicate calmly. The attempts join the delivery's
// in Notifications; one not answered with 2xx is retried as any delivery
// is. The error wraps ErrNotFound when no kept delivery (WithKeep) has that
// id.
func (h *Handler) ResendNotification(messageID string) error {
	n := &h.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errSenderClosed
	}
	var ds []*Delivery
	n.deliveries.each(func(d *Delivery) {
		if d.MessageID == messageID {
			ds = append(ds, d)
		}
	})
	if len(ds) == 0 {
		return fmt.Errorf("%w: no notification with MessageId %q is kept", ErrNotFound, messageID)
	}
	// The queue is in order, so a first attempt still queued is signed
	// (its Body set) before this one is posted.
	for _, d := range ds {
		n.enqueue(h, &queued{d: d})
	}
	return nil
}
