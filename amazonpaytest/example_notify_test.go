package amazonpaytest_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// The sandbox sends signed notifications to the shop's IPN endpoint on
// every state change; the SDK's handler verifies them against the
// sandbox's test CA (NotificationVerifier), offline.
func ExampleHandler_AddNotificationURL() {
	ctx := context.Background()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	shop := httptest.NewServer(amazonpay.NewNotificationHandler(srv.NotificationVerifier(),
		func(ctx context.Context, n *amazonpay.Notification) error {
			status := n.OrderReference.OrderReferenceStatus
			fmt.Printf("IPN: %s %s, reason %q\n", n.NotificationType, status.State, status.ReasonCode)
			return nil
		}))
	defer shop.Close()
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")

	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "19.99", CurrencyCode: "EUR"}},
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail",
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: id}); err != nil {
		log.Fatal(err)
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		log.Fatal(err)
	}
	for _, d := range srv.Notifications() {
		fmt.Println("delivered:", d.NotificationType, d.State, d.Attempts[0].Status)
	}
	// Output:
	// IPN: OrderReferenceNotification Open, reason ""
	// IPN: OrderReferenceNotification Canceled, reason "SellerCanceled"
	// delivered: OrderReferenceNotification Open 200
	// delivered: OrderReferenceNotification Canceled 200
}

// A notification resent as SNS redelivers it: the same message, which a
// shop's handler with WithDuplicateSuppression answers 200 without acting
// twice.
func ExampleHandler_ResendNotification() {
	ctx := context.Background()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	shop := httptest.NewServer(amazonpay.NewNotificationHandler(srv.NotificationVerifier(),
		func(ctx context.Context, n *amazonpay.Notification) error {
			fmt.Println("IPN:", n.NotificationType, n.OrderReference.OrderReferenceStatus.State)
			return nil
		}, amazonpay.WithDuplicateSuppression(100)))
	defer shop.Close()
	srv.AddNotificationURL(shop.URL + "/amazon/ipn")

	c := srv.AmazonPay()
	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "19.99", CurrencyCode: "EUR"}},
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id, SuccessURL: "https://shop.example/ok", FailureURL: "https://shop.example/fail",
	}); err != nil {
		log.Fatal(err)
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		log.Fatal(err)
	}
	first := srv.Notifications()[0]
	if err := srv.ResendNotification(first.MessageID); err != nil {
		log.Fatal(err)
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		log.Fatal(err)
	}
	for _, a := range srv.Notifications()[0].Attempts {
		fmt.Println("attempt answered", a.Status)
	}
	// Output:
	// IPN: OrderReferenceNotification Open
	// attempt answered 200
	// attempt answered 200
}
