package checkout_test

import (
	"context"
	"database/sql"
	"log"
	"os"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// A shop keeps its payments in its own PostgreSQL database. The driver is
// the shop's choice and lives in its own module, for example
//
//	import _ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
//
// (the package checkout/sqltest runs the same against a real server and a
// SQLite file). Migrate at every start-up: it does nothing once the schema
// is up to date, and many processes may run it at once.
func ExampleNewSQLStore() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	store := checkout.NewSQLStore(db, checkout.PostgreSQL)
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	// store is the checkout.Store to give checkout.New.
	var _ checkout.Store = store
}

// Migrate on SQLite: a file in WAL mode with a busy timeout; with
// modernc.org/sqlite (which registers "sqlite"):
func ExampleSQLStore_Migrate() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:/var/lib/shop/shop.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	store := checkout.NewSQLStore(db, checkout.SQLite)
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
}
