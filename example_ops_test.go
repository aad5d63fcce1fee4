package amazonpay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

func ExampleClient_GetOrderReferenceDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetOrderReferenceDetails(context.Background(), &amazonpay.GetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		AccessToken:            "Atza|IwEBIExampleAccessToken", // from the buyer's Login with Amazon session
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.OrderReferenceDetails
	fmt.Println(d.OrderReferenceStatus.State, d.OrderTotal)
	fmt.Println(d.Destination.PhysicalDestination.City, d.Destination.PhysicalDestination.CountryCode)
	fmt.Println("authorizations:", d.IDList.IDs())
	// Output:
	// Open 42.50 EUR
	// Berlin DE
	// authorizations: [S02-1234567-7654321-A000001 S02-1234567-7654321-A000002]
}

func ExampleClient_SetOrderReferenceDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.SetOrderReferenceDetails(context.Background(), &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal: &amazonpay.Price{Amount: "42.50"}, // EUR, the client's currency
			SellerNote: "Thank you for your order",
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{
				SellerOrderID: "order-1001",
				StoreName:     "Demo Shop",
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.OrderReferenceDetails
	fmt.Println(d.OrderReferenceStatus.State, d.OrderTotal, d.SellerOrderAttributes.SellerOrderID)
	// Output: Draft 42.50 EUR order-1001
}

func ExampleClient_CancelOrderReference() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	_, err := c.CancelOrderReference(context.Background(), &amazonpay.CancelOrderReferenceInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		CancelationReason:      "Out of stock",
	})
	var apiErr *amazonpay.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == amazonpay.ErrorInvalidCancelAttempt:
		fmt.Println("already captured: close it instead")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("canceled")
	}
	// Output: canceled
}

func ExampleClient_CloseOrderReference() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.CloseOrderReference(context.Background(), &amazonpay.CloseOrderReferenceInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		ClosureReason:          "Order shipped",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("closed, request", out.RequestID)
	// Output: closed, request 5f20169b-7ab2-11df-bcef-d35615e2b002
}

func ExampleClient_CreateOrderReferenceForId() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.CreateOrderReferenceForId(context.Background(), &amazonpay.CreateOrderReferenceForIdInput{
		ID:         "C02-5555555-6666666",
		IDType:     amazonpay.IDTypeBillingAgreement,
		ConfirmNow: amazonpay.Bool(true),
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{
			OrderTotal:            &amazonpay.Price{Amount: "25.00"},
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: "sub-42-2026-12"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.OrderReferenceDetails
	fmt.Println(d.AmazonOrderReferenceID, d.OrderReferenceStatus.State)
	fmt.Println("parent:", d.ParentDetails.Type, d.ParentDetails.ID)
	// Output:
	// S02-7777777-8888888 Open
	// parent: BillingAgreement C02-5555555-6666666
}

func ExampleClient_ListOrderReference() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)
	ctx := context.Background()

	out, err := c.ListOrderReference(ctx, &amazonpay.ListOrderReferenceInput{
		QueryID:     "order-1001",
		QueryIDType: amazonpay.QueryIDTypeSellerOrderID,
		SortOrder:   amazonpay.SortDescending,
		CreatedTimeRange: &amazonpay.TimeRange{
			StartTime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	page, next := out.OrderReferences, out.NextPageToken
	for {
		for _, o := range page {
			fmt.Println(o.AmazonOrderReferenceID, o.OrderReferenceStatus.State)
		}
		if next == "" {
			break
		}
		more, err := c.ListOrderReferenceByNextToken(ctx, &amazonpay.ListOrderReferenceByNextTokenInput{NextPageToken: next})
		if err != nil {
			log.Fatal(err)
		}
		page, next = more.OrderReferences, more.NextPageToken
	}
	// Output:
	// S02-1234567-7654321 Open
	// S02-3139477-8890805 Canceled
	// S02-2222222-3333333 Closed
	// S02-4444444-5555555 Canceled
}

func ExampleClient_ListOrderReferenceByNextToken() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.ListOrderReferenceByNextToken(context.Background(), &amazonpay.ListOrderReferenceByNextTokenInput{
		NextPageToken: "eyJuZXh0UGFnZVRva2VuIjoiQUFBQUFBQUFBQUZoeS84eVBPTyIsIm1hcmtldHBsYWNlSWQiOiJBMVBBNkhPU1pHUlpNWCJ9",
	})
	if err != nil {
		log.Fatal(err)
	}
	o := out.OrderReferences[0]
	fmt.Println(len(out.OrderReferences), o.AmazonOrderReferenceID, o.OrderReferenceStatus.State, o.OrderReferenceStatus.ReasonCode)
	fmt.Println("last page:", out.NextPageToken == "")
	// Output:
	// 1 S02-4444444-5555555 Canceled Stale
	// last page: true
}

func ExampleClient_Authorize() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.Authorize(context.Background(), &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   "S02-1234567-7654321",
		AuthorizationReferenceID: "auth-1001-1",
		AuthorizationAmount:      &amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
		TransactionTimeout:       amazonpay.Int(0), // synchronous: Open or Declined at once
		CaptureNow:               amazonpay.Bool(true),
		SoftDescriptor:           "Demo Shop",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.AuthorizationDetails
	switch st := d.AuthorizationStatus; {
	case st.State == amazonpay.AuthorizationDeclined && d.SoftDecline:
		fmt.Println("declined, may retry:", st.ReasonCode)
	case st.State == amazonpay.AuthorizationDeclined:
		fmt.Println("declined, ask for another payment method:", st.ReasonCode)
	default:
		fmt.Println(d.AmazonAuthorizationID, st.State, st.ReasonCode)
		fmt.Println("captured as", d.IDList.IDs()[0])
	}
	// Output:
	// S02-1234567-7654321-A000001 Closed MaxCapturesProcessed
	// captured as S02-1234567-7654321-C000001
}

func ExampleClient_GetAuthorizationDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetAuthorizationDetails(context.Background(), &amazonpay.GetAuthorizationDetailsInput{
		AmazonAuthorizationID: "S02-1234567-7654321-A000001",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.AuthorizationDetails
	fmt.Println(d.AuthorizationStatus.State, d.AuthorizationAmount, "expires", d.ExpirationTimestamp.Format(time.DateOnly))
	// Output: Open 42.50 EUR expires 2026-12-22
}

func ExampleClient_CloseAuthorization() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	_, err := c.CloseAuthorization(context.Background(), &amazonpay.CloseAuthorizationInput{
		AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		ClosureReason:         "Item no longer available",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorization closed")
	// Output: authorization closed
}

func ExampleClient_Capture() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.Capture(context.Background(), &amazonpay.CaptureInput{
		AmazonAuthorizationID: "S02-1234567-7654321-A000001",
		CaptureReferenceID:    "cap-1001-1",
		CaptureAmount:         &amazonpay.Price{Amount: "42.50"},
		SellerCaptureNote:     "Shipped",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.CaptureDetails
	fmt.Println(d.AmazonCaptureID, d.CaptureStatus.State, d.CaptureAmount)
	// Output: S02-1234567-7654321-C000001 Completed 42.50 EUR
}

func ExampleClient_GetCaptureDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetCaptureDetails(context.Background(), &amazonpay.GetCaptureDetailsInput{
		AmazonCaptureID: "S02-1234567-7654321-C000001",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.CaptureDetails
	fmt.Println(d.CaptureStatus.State, "refunded", d.RefundedAmount, "of", d.CaptureAmount)
	fmt.Println("refunds:", d.IDList.IDs())
	// Output:
	// Completed refunded 10.00 EUR of 42.50 EUR
	// refunds: [S02-1234567-7654321-R000001]
}

func ExampleClient_Refund() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.Refund(context.Background(), &amazonpay.RefundInput{
		AmazonCaptureID:   "S02-1234567-7654321-C000001",
		RefundReferenceID: "ref-1001-1",
		RefundAmount:      &amazonpay.Price{Amount: "10.00"},
		SellerRefundNote:  "Returned item",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.RefundDetails
	// A refund is Pending at first; GetRefundDetails or the notification tells the outcome.
	fmt.Println(d.AmazonRefundID, d.RefundStatus.State, d.RefundType, d.RefundAmount)
	// Output: S02-1234567-7654321-R000001 Pending SellerInitiated 10.00 EUR
}

func ExampleClient_GetRefundDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetRefundDetails(context.Background(), &amazonpay.GetRefundDetailsInput{
		AmazonRefundID: "S02-1234567-7654321-R000001",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.RefundDetails
	fmt.Println(d.RefundStatus.State, d.RefundAmount, "fee refunded", d.FeeRefunded)
	// Output: Completed 10.00 EUR fee refunded 0.29 EUR
}

func ExampleClient_GetBillingAgreementDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetBillingAgreementDetails(context.Background(), &amazonpay.GetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.BillingAgreementDetails
	fmt.Println(d.BillingAgreementStatus.State, d.BillingAgreementType, "consent:", d.BillingAgreementConsent)
	fmt.Println("remaining this period:", d.BillingAgreementLimits.CurrentRemainingBalance)
	// Output:
	// Open MerchantInitiatedTransaction consent: true
	// remaining this period: 475.00 EUR
}

func ExampleClient_AuthorizeOnBillingAgreement() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.AuthorizeOnBillingAgreement(context.Background(), &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		AuthorizationReferenceID: "sub-42-2026-12",
		AuthorizationAmount:      &amazonpay.Price{Amount: "25.00"},
		TransactionTimeout:       amazonpay.Int(0),
		SellerOrderAttributes:    &amazonpay.SellerOrderAttributes{SellerOrderID: "sub-42-2026-12"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("order reference", out.AmazonOrderReferenceID)
	fmt.Println(out.AuthorizationDetails.AmazonAuthorizationID, out.AuthorizationDetails.AuthorizationStatus.State)
	// Output:
	// order reference S02-7777777-8888888
	// S02-7777777-8888888-A000001 Open
}

func ExampleClient_CloseBillingAgreement() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	_, err := c.CloseBillingAgreement(context.Background(), &amazonpay.CloseBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		ClosureReason:            "Subscription canceled by the buyer",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("billing agreement closed")
	// Output: billing agreement closed
}

func ExampleClient_GetServiceStatus() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetServiceStatus(context.Background(), &amazonpay.GetServiceStatusInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Status, amazonpay.FormatTimestamp(out.Timestamp))
	for _, m := range out.Messages {
		if m.Locale == "en_US" {
			fmt.Println(m.Text)
		}
	}
	// Output:
	// GREEN_I 2026-11-22T09:55:30Z
	// We are experiencing elevated latency in the EU sandbox.
}

func ExampleClient_GetMerchantAccountStatus() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	// A solution provider asks on behalf of a merchant who delegated access.
	out, err := c.GetMerchantAccountStatus(context.Background(), &amazonpay.GetMerchantAccountStatusInput{},
		amazonpay.WithSellerID("A2OTHERSELLER"), amazonpay.WithMWSAuthToken("amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.AccountStatus, out.AccountStatus == amazonpay.AccountActive)
	// Output: ACTIVE true
}

func ExampleClient_GetProviderCreditDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetProviderCreditDetails(context.Background(), &amazonpay.GetProviderCreditDetailsInput{
		AmazonProviderCreditID: "S02-1234567-7654321-P000001",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.ProviderCreditDetails
	fmt.Println(d.CreditStatus.State, d.CreditStatus.ReasonCode, d.CreditAmount, "reversed", d.CreditReversalAmount)
	fmt.Println("reversals:", d.CreditReversalIDList.IDs())
	// Output:
	// Closed MaxAmountReversed 1.00 EUR reversed 1.00 EUR
	// reversals: [S02-1234567-7654321-Q000001 S02-1234567-7654321-Q000002]
}

func ExampleClient_GetProviderCreditReversalDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetProviderCreditReversalDetails(context.Background(), &amazonpay.GetProviderCreditReversalDetailsInput{
		AmazonProviderCreditReversalID: "S02-1234567-7654321-Q000001",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.ProviderCreditReversalDetails
	fmt.Println(d.CreditReversalReferenceID, d.CreditReversalStatus.State, d.CreditReversalAmount)
	// Output: reversal-1001-1 Completed 0.50 EUR
}

func ExampleClient_ReverseProviderCredit() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.ReverseProviderCredit(context.Background(), &amazonpay.ReverseProviderCreditInput{
		AmazonProviderCreditID:    "S02-1234567-7654321-P000001",
		CreditReversalReferenceID: "reversal-1001-2",
		CreditReversalAmount:      &amazonpay.Price{Amount: "0.50"},
		CreditReversalNote:        "Goodwill",
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.ProviderCreditReversalDetails
	fmt.Println(d.AmazonProviderCreditReversalID, d.CreditReversalStatus.State)
	// Output: S02-1234567-7654321-Q000002 Completed
}

func ExampleClient_GetMerchantNotificationConfiguration() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.GetMerchantNotificationConfiguration(context.Background(), &amazonpay.GetMerchantNotificationConfigurationInput{})
	if err != nil {
		log.Fatal(err)
	}
	for _, nc := range out.NotificationConfigurationList {
		fmt.Println(nc.NotificationURL, nc.EventTypes)
	}
	// Output:
	// https://shop.example/amazon/ipn [PAYMENT_CAPTURE]
	// https://ops.shop.example/amazon/ipn [ORDER_REFERENCE PAYMENT_AUTHORIZE PAYMENT_REFUND]
}

func ExampleClient_SetMerchantNotificationConfiguration() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	_, err := c.SetMerchantNotificationConfiguration(context.Background(), &amazonpay.SetMerchantNotificationConfigurationInput{
		NotificationConfigurationList: amazonpay.NotificationConfigurationList{
			{
				NotificationURL: "https://shop.example/amazon/ipn",
				EventTypes:      amazonpay.EventTypes{amazonpay.EventTypePaymentAuthorize, amazonpay.EventTypePaymentCapture},
			},
			{
				NotificationURL: "https://ops.shop.example/amazon/ipn",
				EventTypes:      amazonpay.EventTypes{amazonpay.EventTypeAll},
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("notification URLs set")
	// Output: notification URLs set
}
