package amazonpay_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/amazonpay-go/amazonpay"
)

func ExampleNewReferenceID() {
	// Keep the id with the order: a retry of the same charge must reuse it,
	// so that Amazon returns the first result instead of charging twice.
	id := amazonpay.NewReferenceID()
	fmt.Println(len(id) <= 32)
	// Output: true
}

func ExampleClient_Charge() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	// The order reference is Open already (after the Confirmation Flow), so
	// Charge goes straight to Authorize.
	out, err := c.Charge(context.Background(), &amazonpay.ChargeInput{
		AmazonReferenceID:        "S02-1234567-7654321",
		AuthorizationReferenceID: "order-1001-auth",
		Amount:                   &amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
		CaptureNow:               amazonpay.Bool(true),
		TransactionTimeout:       amazonpay.Int(0),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Steps)
	fmt.Println(out.AuthorizationDetails.AmazonAuthorizationID)
	// Output:
	// [GetOrderReferenceDetails Authorize]
	// S02-1234567-7654321-A000001
}

func ExampleClient_GetPaymentDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	pd, err := c.GetPaymentDetails(context.Background(), "S02-1234567-7654321")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pd.OrderReference.OrderReferenceStatus.State, len(pd.Authorizations), "authorizations")
	// Output: Open 2 authorizations
}

func ExampleClient_ListOrderReferenceAll() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	n := 0
	for oro, err := range c.ListOrderReferenceAll(context.Background(), &amazonpay.ListOrderReferenceInput{
		QueryID:     "order-1001",
		QueryIDType: amazonpay.QueryIDTypeSellerOrderID,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		_ = oro.AmazonOrderReferenceID
		n++
	}
	fmt.Println(n, "order references over two pages")
	// Output: 4 order references over two pages
}

func ExampleClient_UpdateBillingAgreements() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	results, err := c.UpdateBillingAgreements(context.Background(), &amazonpay.UpdateBillingAgreementsInput{
		AmazonBillingAgreementIDs: []string{"C02-5555555-6666666"},
		BillingAgreementType:      amazonpay.MerchantInitiatedTransaction,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.AmazonBillingAgreementID, r.Outcome, r.Err)
	}
	// Output: C02-5555555-6666666 Updated <nil>
}

func ExampleClient_GetUserInfo() {
	// A stand-in for the Login with Amazon API.
	lwa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth/o2/tokeninfo":
			io.WriteString(w, `{"aud":"amzn1.application-oa2-client.EXAMPLE","user_id":"amzn1.account.EXAMPLE"}`)
		case "/user/profile":
			io.WriteString(w, `{"user_id":"amzn1.account.EXAMPLE","name":"Test Buyer","email":"buyer@example.com"}`)
		}
	}))
	defer lwa.Close()

	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID:    "A1EXAMPLE",
		AccessKeyID: "AKIAEXAMPLE",
		SecretKey:   "example-secret",
		Region:      amazonpay.RegionDE,
		Sandbox:     true,
		ClientID:    "amzn1.application-oa2-client.EXAMPLE",
	}, amazonpay.WithHTTPClient(lwa.Client()), amazonpay.WithProfileEndpoint(lwa.URL))
	if err != nil {
		log.Fatal(err)
	}
	user, err := c.GetUserInfo(context.Background(), "Atza%7CEXAMPLE-TOKEN")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Name, user.Email)
	// Output: Test Buyer buyer@example.com
}

func ExamplePriceFromMinor() {
	// Shops often store amounts in cents: no float on the way to Amazon.
	fmt.Println(amazonpay.PriceFromMinor(1050, "EUR").Amount)
	fmt.Println(amazonpay.PriceFromMinor(5, "GBP").Amount)
	fmt.Println(amazonpay.PriceFromMinor(1050, "JPY").Amount)
	// Output:
	// 10.50
	// 0.05
	// 1050
}

func ExampleConfigFromEnv() {
	os.Setenv("AMAZON_PAY_SELLER_ID", "A1EXAMPLE")
	os.Setenv("AMAZON_PAY_ACCESS_KEY", "AKIAEXAMPLE")
	os.Setenv("AMAZON_PAY_SECRET_KEY", "example-secret")
	os.Setenv("AMAZON_PAY_REGION", "de")
	cfg, err := amazonpay.ConfigFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	c, err := amazonpay.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c) // the secret key is never printed
	// Output: amazonpay.Client{SellerID:A1EXAMPLE Region:de Sandbox:true Endpoint:https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01}
}
