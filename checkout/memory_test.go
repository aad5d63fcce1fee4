package checkout_test

import (
	"testing"

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
