package sqltest_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// BenchmarkCheckout is a whole EU purchase through Payments on the memory
// store, SQLite and PostgreSQL beside the same checkout written with bare
// client calls, in one run (checkouttest.BenchmarkCheckout says which
// calls each side makes). Each store sub-benchmark reports its extra time
// and allocations per checkout over the bare calls.
func BenchmarkCheckout(b *testing.B) {
	checkouttest.BenchmarkCheckout(b,
		checkouttest.BenchStore{Name: "memory", NewStore: func(*testing.B) checkout.Store { return checkout.NewMemoryStore() }},
		checkouttest.BenchStore{Name: "SQLite", NewStore: func(b *testing.B) checkout.Store {
			return migrated(b, sqliteDB(b, sqliteRecommended), checkout.SQLite)
		}},
		checkouttest.BenchStore{Name: "PostgreSQL", NewStore: func(b *testing.B) checkout.Store {
			return migrated(b, postgresDB(b), checkout.PostgreSQL)
		}},
	)
}
