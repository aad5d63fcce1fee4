package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	_ "modernc.org/sqlite"
)

// The shop against the offline sandbox on a SQLite file, as examples/shop
// runs it.
func ExampleNew() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "shop-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	// checkout's tables, then the shop's own.
	if err := checkout.NewSQLStore(db, checkout.SQLite).Migrate(ctx); err != nil {
		panic(err)
	}
	if err := store.Migrate(ctx, db, checkout.SQLite); err != nil {
		panic(err)
	}

	sandbox := amazonpaytest.NewServer()
	defer sandbox.Close()
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	defer ts.Close()
	shop, err := store.New(store.Config{
		Client:     sandbox.AmazonPay(),
		ClientID:   "amzn1.application-oa2-client.example",
		WidgetsURL: sandbox.WidgetsURL(), // Amazon's Widgets.js in production
		BaseURL:    ts.URL,               // the return URLs of the Confirmation Flow
		DB:         db,
		Dialect:    checkout.SQLite,
	})
	if err != nil {
		panic(err)
	}
	mux.Handle("/", shop)

	resp, err := http.Get(ts.URL + "/cart")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	fmt.Println("session cookie:", resp.Header.Get("Set-Cookie") != "")
	// Output:
	// 200 OK text/html; charset=utf-8
	// session cookie: false
}
