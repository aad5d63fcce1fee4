package amazonpaytest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// A whole EU checkout with Strong Customer Authentication: the buyer signs
// in, the shop confirms with the Confirmation Flow URLs, the buyer passes
// the card issuer's challenge, and the shop authorizes, captures, refunds
// and closes.
func Example() {
	srv := amazonpaytest.NewServer() // EU sandbox (RegionDE, EUR)
	defer srv.Close()
	c := srv.AmazonPay() // an *amazonpay.Client wired to srv and its clock
	ctx := context.Background()

	// The buyer signs in with Amazon Pay and picks a card that asks for SCA.
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	id := srv.CreateOrderReference(buyer)

	// The shop's backend sets the amount and confirms the order reference.
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal:            &amazonpay.Price{Amount: "42.00", CurrencyCode: "EUR"},
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "order-1001"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       id,
		SuccessURL:                   "https://shop.example/amazon/ok",
		FailureURL:                   "https://shop.example/amazon/fail",
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	})
	if err != nil {
		log.Fatal(err)
	}

	// The buyer goes through the Confirmation Flow and comes back.
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	if err != nil {
		log.Fatal(err)
	}
	res, err := amazonpay.ParseConfirmationRedirect(back.Query())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("back at", back.Path, "with", res.AuthenticationStatus)

	// Authorize and capture at once, synchronously.
	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: "order-1001-auth",
		AuthorizationAmount:      &amazonpay.Price{Amount: "42.00", CurrencyCode: "EUR"},
		TransactionTimeout:       amazonpay.Int(0),
		CaptureNow:               amazonpay.Bool(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	st := auth.AuthorizationDetails.AuthorizationStatus
	fmt.Println("authorization:", st.State, st.ReasonCode)
	captureID := auth.AuthorizationDetails.IDList.IDs()[0]

	// A partial refund completes later on the sandbox clock.
	refund, err := c.Refund(ctx, &amazonpay.RefundInput{
		AmazonCaptureID:   captureID,
		RefundReferenceID: "order-1001-refund",
		RefundAmount:      &amazonpay.Price{Amount: "2.00", CurrencyCode: "EUR"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refund:", refund.RefundDetails.RefundStatus.State)
	srv.Advance(time.Minute)
	fmt.Println("refund a minute later:", srv.State(refund.RefundDetails.AmazonRefundID))

	if _, err := c.CloseOrderReference(ctx, &amazonpay.CloseOrderReferenceInput{AmazonOrderReferenceID: id}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("order reference:", srv.State(id))
	fmt.Printf("%+v\n", srv.MoneyMovements())
	// Output:
	// back at /amazon/ok with Success
	// authorization: Closed MaxCapturesProcessed
	// refund: Pending
	// refund a minute later: Completed
	// order reference: Closed
	// {Authorizations:1 Captures:1 Refunds:1}
}

// A reply lost after the operation took effect: the client retries with
// the same reference id and gets the original authorization, not a second.
func ExampleHandler_InjectFault() {
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	c := srv.AmazonPay()
	ctx := context.Background()

	id := srv.CreateOrderReference(amazonpaytest.TestBuyer())
	if _, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"}},
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: id,
		SuccessURL: "https://shop.example/amazon/ok", FailureURL: "https://shop.example/amazon/fail"}); err != nil {
		log.Fatal(err)
	}
	if _, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id); err != nil { // the buyer's SCA page
		log.Fatal(err)
	}

	srv.InjectFault("Authorize", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	_, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: "ref-1",
		AuthorizationAmount:      &amazonpay.Price{Amount: "10.00", CurrencyCode: "EUR"},
		TransactionTimeout:       amazonpay.Int(0),
	})
	fmt.Println("error:", err)
	fmt.Println("attempts:", len(srv.RequestsFor("Authorize")))
	fmt.Println("authorizations:", srv.MoneyMovements().Authorizations)
	// Output:
	// error: <nil>
	// attempts: 2
	// authorizations: 1
}
