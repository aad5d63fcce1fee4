package sqltest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// BenchmarkStore is the store's part of one checkout, as Payments makes
// it: Create, Get, three compare-and-swap Updates (the attempt written
// ahead, the authorization, the capture) and the capture's notification
// recorded with its update. One op is one checkout.
func BenchmarkStore(b *testing.B) {
	for _, d := range []struct {
		name  string
		store func(b *testing.B) checkout.Store
	}{
		{"SQLite", func(b *testing.B) checkout.Store {
			return migrated(b, sqliteDB(b, sqliteRecommended), checkout.SQLite)
		}},
		{"PostgreSQL", func(b *testing.B) checkout.Store {
			return migrated(b, postgresDB(b), checkout.PostgreSQL)
		}},
	} {
		b.Run(d.name, func(b *testing.B) {
			s := d.store(b)
			ctx := b.Context()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				p := examplePayment(fmt.Sprintf("order-%d", n))
				must(b, s.Create(ctx, p))
				p, err := s.Get(ctx, p.ID)
				must(b, err)
				for _, state := range []checkout.State{"authorizing", "authorized", "capturing"} {
					p.State, p.Version, p.Updated = state, p.Version+1, p.Updated.Add(time.Second)
					must(b, s.Update(ctx, p))
				}
				p.State, p.Version = "paid", p.Version+1
				must(b, s.RecordNotification(ctx, &checkout.StoredNotification{
					ID: "n-" + p.ID, AmazonID: p.OrderReferenceID, Type: "PaymentCapture",
					Timestamp: p.Updated, Data: []byte("<CaptureNotification/>"),
				}, p))
			}
		})
	}
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}
