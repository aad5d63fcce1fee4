package checkout

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// NewMemoryStore returns a Store that keeps everything in memory, for
// tests and demos: it honours every guarantee of the Store interface,
// is safe for concurrent use, and hands out copies, never its own records.
// Its contents die with the process.
func NewMemoryStore() Store {
	return &memoryStore{
		payments: map[string]*Payment{},
		byAmazon: map[string]string{},
		notes:    map[string]*StoredNotification{},
	}
}

type memoryStore struct {
	mu       sync.Mutex
	payments map[string]*Payment            // by id
	byAmazon map[string]string              // Amazon id → payment id
	notes    map[string]*StoredNotification // by notification id
}

func (s *memoryStore) Create(ctx context.Context, p *Payment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.Version != 1 {
		return fmt.Errorf("checkout: memory store: Create with version %d, want 1", p.Version)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.payments[p.ID]; ok {
		return fmt.Errorf("%w: id %q", ErrExists, p.ID)
	}
	aid := p.AmazonID()
	if _, ok := s.byAmazon[aid]; ok && aid != "" {
		return fmt.Errorf("%w: Amazon id %q", ErrExists, aid)
	}
	s.payments[p.ID] = p.clone()
	if aid != "" {
		s.byAmazon[aid] = p.ID
	}
	return nil
}

func (s *memoryStore) Get(ctx context.Context, id string) (*Payment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return nil, fmt.Errorf("%w: id %q", ErrNotFound, id)
	}
	return p.clone(), nil
}

func (s *memoryStore) GetByAmazonID(ctx context.Context, amazonID string) (*Payment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byAmazon[amazonID]
	if !ok || amazonID == "" {
		return nil, fmt.Errorf("%w: Amazon id %q", ErrNotFound, amazonID)
	}
	return s.payments[id].clone(), nil
}

// update stores p in place of its stored version-1. The caller holds s.mu.
func (s *memoryStore) update(p *Payment) error {
	old, ok := s.payments[p.ID]
	if !ok {
		return fmt.Errorf("%w: id %q", ErrNotFound, p.ID)
	}
	if old.Version != p.Version-1 {
		return fmt.Errorf("%w: %q is at version %d, the change was made from %d", ErrConflict, p.ID, old.Version, p.Version-1)
	}
	if aid := p.AmazonID(); aid != old.AmazonID() {
		if other, ok := s.byAmazon[aid]; ok && other != p.ID {
			return fmt.Errorf("%w: Amazon id %q", ErrExists, aid)
		}
		delete(s.byAmazon, old.AmazonID())
		if aid != "" {
			s.byAmazon[aid] = p.ID
		}
	}
	s.payments[p.ID] = p.clone()
	return nil
}

func (s *memoryStore) Update(ctx context.Context, p *Payment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.update(p)
}

func (s *memoryStore) List(ctx context.Context, states []State, limit int) ([]*Payment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var out []*Payment
	for _, p := range s.payments {
		if slices.Contains(states, p.State) {
			out = append(out, p.clone())
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b *Payment) int {
		if c := a.Updated.Compare(b.Updated); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func copyNotification(n *StoredNotification) *StoredNotification {
	c := *n
	c.Data = append([]byte(nil), n.Data...)
	return &c
}

func (s *memoryStore) RecordNotification(ctx context.Context, n *StoredNotification, p *Payment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.notes[n.ID]; ok && old.Applied {
		return fmt.Errorf("%w: %q", ErrDuplicateNotification, n.ID)
	}
	c := copyNotification(n)
	if p == nil {
		if _, ok := s.notes[n.ID]; !ok {
			c.Applied = false
			s.notes[n.ID] = c
		}
		return nil
	}
	if err := s.update(p); err != nil {
		return err
	}
	c.Applied = true
	s.notes[n.ID] = c
	return nil
}

func (s *memoryStore) PendingNotifications(ctx context.Context, amazonID string) ([]*StoredNotification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	var out []*StoredNotification
	for _, n := range s.notes {
		if !n.Applied && n.AmazonID == amazonID {
			out = append(out, copyNotification(n))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b *StoredNotification) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	return out, nil
}
