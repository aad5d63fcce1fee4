package sqltest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/checkout"
	_ "modernc.org/sqlite"
)

// A SQLStore on a SQLite file: Migrate at start-up (again is a no-op),
// then the store refuses a change made from a stale version.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "shop")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	store := checkout.NewSQLStore(db, checkout.SQLite)
	for range 2 {
		if err := store.Migrate(ctx); err != nil {
			log.Fatal(err)
		}
	}
	now := time.Now()
	p := &checkout.Payment{ID: "order-42", Kind: checkout.KindPurchase, State: "confirmed",
		OrderReferenceID: "S02-1234567-1234567", Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
		Attempt: 1, Version: 1, Created: now, Updated: now}
	if err := store.Create(ctx, p); err != nil {
		log.Fatal(err)
	}
	mine, _ := store.Get(ctx, "order-42")
	theirs, _ := store.Get(ctx, "order-42")
	mine.State, mine.Version = "authorizing", mine.Version+1
	theirs.State, theirs.Version = "canceled", theirs.Version+1
	fmt.Println(store.Update(ctx, mine))
	fmt.Println(errors.Is(store.Update(ctx, theirs), checkout.ErrConflict))
	got, _ := store.GetByAmazonID(ctx, "S02-1234567-1234567")
	fmt.Println(got.ID, got.State, got.Version)
	// Output:
	// <nil>
	// true
	// order-42 authorizing 2
}
