package checkout

import (
	"context"
	"errors"
	"fmt"
)

// RecordNotification implements Store: with p, the notification's row and
// the payment's compare-and-swap are one transaction; without, the
// notification is kept by an insert-if-absent.
func (s *SQLStore) RecordNotification(ctx context.Context, n *StoredNotification, p *Payment) error {
	if s.err != nil {
		return s.err
	}
	if n == nil {
		return errors.New("checkout: nil *StoredNotification")
	}
	duplicate := fmt.Errorf("%w (notification %q)", ErrDuplicateNotification, n.ID)
	args := []any{n.ID, n.AmazonID, n.Type, s.timeParam(n.Timestamp), dataOrEmpty(n.Data), p != nil}
	if p == nil {
		return s.write(ctx, false, func(q querier) error {
			if _, err := q.ExecContext(ctx, s.q.keepNotification, args...); err != nil {
				return fmt.Errorf("checkout: keep notification %q: %w", n.ID, err)
			}
			// Inserted, or there before: applied decides.
			var applied bool
			if err := q.QueryRowContext(ctx, s.q.notificationApplied, n.ID).Scan(&applied); err != nil {
				return fmt.Errorf("checkout: keep notification %q: %w", n.ID, err)
			}
			if applied {
				return duplicate
			}
			return nil
		})
	}
	row, err := s.paymentRow(p)
	if err != nil {
		return err
	}
	return s.write(ctx, true, func(q querier) error {
		// On PostgreSQL a concurrent transaction applying the same n
		// holds its row until it ends; this statement then sees it
		// applied and changes nothing.
		res, err := q.ExecContext(ctx, s.q.applyNotification, args...)
		if err != nil {
			return fmt.Errorf("checkout: apply notification %q: %w", n.ID, err)
		}
		if count, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("checkout: apply notification %q: %w", n.ID, err)
		} else if count == 0 {
			return duplicate
		}
		return s.swap(ctx, q, row)
	})
}

// PendingNotifications implements Store.
func (s *SQLStore) PendingNotifications(ctx context.Context, amazonID string) ([]*StoredNotification, error) {
	if s.err != nil {
		return nil, s.err
	}
	var list []*StoredNotification
	err := s.read(ctx, func() error {
		list = list[:0]
		rows, err := s.db.QueryContext(ctx, s.q.pendingNotifications, amazonID)
		if err != nil {
			return err
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			n := new(StoredNotification)
			if err := rows.Scan(&n.ID, &n.AmazonID, &n.Type, timeColumn{&n.Timestamp}, &n.Data, &n.Applied); err != nil {
				return err
			}
			list = append(list, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("checkout: pending notifications of %q: %w", amazonID, err)
	}
	return list, nil
}

// dataOrEmpty keeps a nil Data from becoming NULL in a NOT NULL column.
func dataOrEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
