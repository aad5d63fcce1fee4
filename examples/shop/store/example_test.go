package store_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/examples/shop/store"
)

// The shop against the offline sandbox, as examples/shop runs it.
func ExampleNew() {
	sandbox := amazonpaytest.NewServer()
	defer sandbox.Close()
	shop, err := store.New(store.Config{
		Client:     sandbox.AmazonPay(),
		ClientID:   "amzn1.application-oa2-client.example",
		WidgetsURL: sandbox.WidgetsURL(), // Amazon's Widgets.js in production
	})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(shop)
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/cart")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	_, paid := shop.Order("order-1001")
	fmt.Println("paid:", paid)
	// Output:
	// 200 OK text/html; charset=utf-8
	// paid: false
}
