package checkout_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// BenchmarkCheckout is a whole EU purchase through Payments on the memory
// store beside the same checkout written with bare client calls, in one
// run (checkouttest.BenchmarkCheckout says which calls each side makes).
// checkout/sqltest runs the same with the SQL stores.
func BenchmarkCheckout(b *testing.B) {
	checkouttest.BenchmarkCheckout(b, checkouttest.BenchStore{
		Name: "memory", NewStore: func(*testing.B) checkout.Store { return checkout.NewMemoryStore() },
	})
}
