package checkout_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// The memory store keeps every guarantee of the Store interface.
func TestMemoryStore(t *testing.T) {
	checkouttest.TestStore(t, func(*testing.T) checkout.Store { return checkout.NewMemoryStore() })
}

// 64 goroutines drive 500 checkouts with faults, double returns and
// notifications applied twice in a shuffled order.
func TestMemoryStoreConcurrentCheckouts(t *testing.T) {
	checkouttest.TestConcurrentCheckouts(t, func(*testing.T) checkout.Store { return checkout.NewMemoryStore() }, 500, 64)
}

// A canceled context ends every method of the memory store with its
// error, as a database's would, and changes nothing.
func TestMemoryStoreCanceledContext(t *testing.T) {
	s := checkout.NewMemoryStore()
	p := &checkout.Payment{ID: "order-1", State: checkout.StateConfirmed, OrderReferenceID: "S02-1", Version: 1}
	require.NoError(t, s.Create(ctx, p))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	next := *p
	next.Version = 2
	_, errGet := s.Get(canceled, "order-1")
	_, errByAmazon := s.GetByAmazonID(canceled, "S02-1")
	_, errList := s.List(canceled, []checkout.State{checkout.StateConfirmed}, 0)
	_, errPending := s.PendingNotifications(canceled, "S02-1")
	for name, err := range map[string]error{
		"Create": s.Create(canceled, &checkout.Payment{ID: "order-2", Version: 1}), "Update": s.Update(canceled, &next),
		"Get": errGet, "GetByAmazonID": errByAmazon, "List": errList, "PendingNotifications": errPending,
		"RecordNotification": s.RecordNotification(canceled, &checkout.StoredNotification{ID: "n-1", AmazonID: "S02-1"}, &next),
	} {
		assert.ErrorIs(t, err, context.Canceled, name)
	}
	got, err := s.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version)
	_, err = s.Get(ctx, "order-2")
	assert.ErrorIs(t, err, checkout.ErrNotFound)
	pending, err := s.PendingNotifications(ctx, "S02-1")
	require.NoError(t, err)
	assert.Empty(t, pending)
}

// Payments and notifications of the same time are listed by id, so that
// Reconcile and the kept notifications go in one order every time.
func TestMemoryStoreTiesByID(t *testing.T) {
	s := checkout.NewMemoryStore()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, id := range []string{"c", "a", "b"} {
		require.NoError(t, s.Create(ctx, &checkout.Payment{ID: id, State: checkout.StateUnknown, OrderReferenceID: "S02-" + id, Version: 1, Updated: at}))
		require.NoError(t, s.RecordNotification(ctx, &checkout.StoredNotification{ID: "n-" + id, AmazonID: "S02-x", Timestamp: at}, nil))
	}
	list, err := s.List(ctx, []checkout.State{checkout.StateUnknown}, 0)
	require.NoError(t, err)
	var ids []string
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	pending, err := s.PendingNotifications(ctx, "S02-x")
	require.NoError(t, err)
	ids = ids[:0]
	for _, n := range pending {
		ids = append(ids, n.ID)
	}
	assert.Equal(t, []string{"n-a", "n-b", "n-c"}, ids)
}

// An Update may not take another payment's Amazon id.
func TestMemoryStoreUpdateToAnothersAmazonID(t *testing.T) {
	s := checkout.NewMemoryStore()
	require.NoError(t, s.Create(ctx, &checkout.Payment{ID: "a", OrderReferenceID: "S02-a", Version: 1}))
	require.NoError(t, s.Create(ctx, &checkout.Payment{ID: "b", OrderReferenceID: "S02-b", Version: 1}))
	err := s.Update(ctx, &checkout.Payment{ID: "b", OrderReferenceID: "S02-a", Version: 2})
	assert.ErrorIs(t, err, checkout.ErrExists)
	got, err := s.GetByAmazonID(ctx, "S02-a")
	require.NoError(t, err)
	assert.Equal(t, "a", got.ID)
}
