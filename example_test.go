package amazonpay_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/amazonpay-go/amazonpay"
)

// exampleServer stands in for MWS in the examples: it answers each Action
// with testdata/responses/<Action>Response.xml. Real code talks to Amazon;
// tests of whole checkouts use the amazonpaytest sandbox.
func exampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		action := r.PostForm.Get("Action")
		if strings.ContainsAny(action, `/\.`) {
			http.Error(w, "bad action", http.StatusBadRequest)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", "responses", action+"Response.xml"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write(body)
	}))
}

// exampleClient returns a client of an EU sandbox merchant wired to srv.
func exampleClient(srv *httptest.Server) *amazonpay.Client {
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID:     "A1EXAMPLE",
		AccessKeyID:  "AKIAEXAMPLE",
		SecretKey:    "example-secret",
		Region:       amazonpay.RegionDE,
		Sandbox:      true,
		CurrencyCode: "EUR",
	}, amazonpay.WithHTTPClient(srv.Client()), amazonpay.WithEndpoint(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleNewClient() {
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID:    "A1EXAMPLE",
		AccessKeyID: "AKIAEXAMPLE",
		SecretKey:   "example-secret",
		Region:      amazonpay.RegionUK,
		Sandbox:     true,
	}, amazonpay.WithAppInfo("demo-shop", "1.2.0"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Endpoint())
	fmt.Println(c.Config().CurrencyCode)
	fmt.Println(c.Config()) // the secret key is never printed
	// Output:
	// https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01
	// GBP
	// {SellerID:A1EXAMPLE AccessKeyID:AKIAEXAMPLE SecretKey:REDACTED Region:uk Sandbox:true CurrencyCode:GBP PlatformID: ClientID:}
}

func ExampleClient_SetOrderAttributes() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.SetOrderAttributes(context.Background(), &amazonpay.SetOrderAttributesInput{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		OrderAttributes: &amazonpay.OrderAttributes{
			OrderTotal: &amazonpay.Price{Amount: "42.50"}, // currency from the config: EUR
			SellerOrderAttributes: &amazonpay.SellerOrderAttributes{
				SellerOrderID:       "order-1001",
				StoreName:           "Demo Shop",
				OrderItemCategories: []string{"Antiques", "Electronics"},
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.OrderReferenceDetails
	fmt.Println(d.OrderReferenceStatus.State, d.OrderTotal)
	for _, c := range d.Constraints {
		fmt.Println("constraint:", c.ConstraintID)
	}
	// Output:
	// Draft 42.50 EUR
	// constraint: PaymentPlanNotSet
}

func ExampleClient_ConfirmOrderReference() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	// EU/UK: start the Confirmation Flow. Authorize only once the buyer is
	// back on SuccessURL with AuthenticationStatus=Success.
	out, err := c.ConfirmOrderReference(context.Background(), &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       "S02-1234567-7654321",
		SuccessURL:                   "https://shop.example/amazon/ok",
		FailureURL:                   "https://shop.example/amazon/fail",
		AuthorizationAmount:          &amazonpay.Price{Amount: "10.50", CurrencyCode: "EUR"},
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("confirmed, request", out.RequestID)
	// Output: confirmed, request f1f52572-a347-4f7a-a630-be066f3ba827
}

func ExampleClient_SetBillingAgreementDetails() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.SetBillingAgreementDetails(context.Background(), &amazonpay.SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
			BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
			SubscriptionAmount:   &amazonpay.Price{Amount: "25.00", CurrencyCode: "GBP"},
			SellerBillingAgreementAttributes: &amazonpay.SellerBillingAgreementAttributes{
				SellerBillingAgreementID: "sub-42",
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	d := out.BillingAgreementDetails
	fmt.Println(d.BillingAgreementStatus.State, d.BillingAgreementType, d.SubscriptionAmount)
	// Output: Draft MerchantInitiatedTransaction 25.00 GBP
}

func ExampleClient_ConfirmBillingAgreement() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	_, err := c.ConfirmBillingAgreement(context.Background(), &amazonpay.ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
		SuccessURL:               "https://shop.example/subscribe/ok",
		FailureURL:               "https://shop.example/subscribe/fail",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("confirmation flow started")
	// Output: confirmation flow started
}

func ExampleClient_ValidateBillingAgreement() {
	srv := exampleServer()
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.ValidateBillingAgreement(context.Background(), &amazonpay.ValidateBillingAgreementInput{
		AmazonBillingAgreementID: "C02-5555555-6666666",
	})
	if err != nil {
		log.Fatal(err)
	}
	if out.ValidationResult != amazonpay.ValidationSuccess {
		fmt.Println("ask the buyer for another payment method:", out.FailureReasonCode)
		return
	}
	fmt.Println(out.ValidationResult, out.BillingAgreementStatus.State)
	// Output: Success Open
}

func ExampleParseConfirmationRedirect() {
	// In the handler of SuccessUrl and FailureUrl:
	//
	//	res, err := amazonpay.ParseConfirmationRedirect(r.URL.Query())
	//	lang := r.Header.Get("Accept-Language")
	for _, returnURL := range []string{
		"https://shop.example/amazon/ok?AuthenticationStatus=Success",
		"https://shop.example/amazon/fail?AuthenticationStatus=Abandoned",
		"https://shop.example/amazon/fail?AuthenticationStatus=Failure",
		"https://shop.example/amazon/fail?ErrorCode=InvalidIdStatus",
	} {
		u, _ := url.Parse(returnURL)
		res, err := amazonpay.ParseConfirmationRedirect(u.Query())
		if err != nil {
			log.Fatal(err)
		}
		switch {
		case res.Proceed():
			fmt.Println("authorize the payment now")
		case res.ErrorCode != "":
			fmt.Println(res.ErrorCode, "->", res.Action)
		default:
			fmt.Println(res.AuthenticationStatus, "->", res.Action, "|", res.BuyerMessage("de-DE,de;q=0.9,en;q=0.8"))
		}
	}
	// Output:
	// authorize the payment now
	// Abandoned -> ChooseAnotherPaymentMethod | Mit dieser Zahlungsart ist ein Problem aufgetreten. Um Ihre Bestellung abzuschließen, wählen Sie bitte eine andere aus.
	// Failure -> CancelAndReturnToCart | Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet.
	// InvalidIdStatus -> CheckStateAndRetry
}
