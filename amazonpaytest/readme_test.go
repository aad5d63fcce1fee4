package amazonpaytest_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// TestCheckout is README's "With the offline sandbox" example, compiled and
// run; TestReadmeShowsTestCheckout keeps README's copy identical to it.
func TestCheckout(t *testing.T) {
	ctx := context.Background()
	srv := amazonpaytest.NewServer() // EU sandbox: RegionDE, EUR
	defer srv.Close()
	c := srv.AmazonPay() // an *amazonpay.Client wired to srv and its clock

	// The buyer's side: sign in with a card whose issuer asks for SCA.
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass // or SCAFail, SCAAbandon, Invalid, ...
	id := srv.CreateOrderReference(buyer)

	// Your checkout code sets the amount and confirms with the return URLs ...
	_, err := c.SetOrderReferenceDetails(ctx, &amazonpay.SetOrderReferenceDetailsInput{
		AmazonOrderReferenceID:   id,
		OrderReferenceAttributes: &amazonpay.OrderReferenceAttributes{OrderTotal: &amazonpay.Price{Amount: "42.50"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID: id,
		SuccessURL:             "https://shop.example/ok",
		FailureURL:             "https://shop.example/fail",
	})
	if err != nil {
		t.Fatal(err)
	}
	// ... then the buyer goes through the Confirmation Flow and comes back to
	// https://shop.example/ok?AuthenticationStatus=Success: your return handler.
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := amazonpay.ParseConfirmationRedirect(back.Query()); err != nil || !res.Proceed() {
		t.Fatalf("return to %v: %v, %v", back, res, err)
	}

	// Faults and proofs: the next Authorize takes effect but its reply is lost;
	// the client retries with the same reference id, and nothing is charged twice.
	srv.InjectFault("Authorize", 1, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	auth, err := c.Authorize(ctx, &amazonpay.AuthorizeInput{
		AmazonOrderReferenceID:   id,
		AuthorizationReferenceID: "order-1001-auth",
		AuthorizationAmount:      &amazonpay.Price{Amount: "42.50"},
		TransactionTimeout:       amazonpay.Int(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	sent, charged := len(srv.RequestsFor("Authorize")), srv.MoneyMovements().Authorizations
	if sent != 2 || charged != 1 {
		t.Fatalf("%d Authorize requests, %d authorizations; want 2 and 1", sent, charged)
	}

	// The sandbox clock: an authorization nobody captures closes after 2 days (30 live).
	srv.Advance(3 * 24 * time.Hour)
	if s := srv.State(auth.AuthorizationDetails.AmazonAuthorizationID); s != "Closed" {
		t.Fatalf("authorization is %s after 3 days, want Closed", s)
	}
}

// TestReadmeShowsTestCheckout: README's copy of TestCheckout is this file's,
// with gofmt's indentation tabs written as four spaces.
func TestReadmeShowsTestCheckout(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	want := funcText(t, string(source))
	var lines []string
	for _, line := range strings.Split(want, "\n") {
		indent := len(line) - len(strings.TrimLeft(line, "\t"))
		lines = append(lines, strings.Repeat("    ", indent)+line[indent:])
	}
	want = strings.Join(lines, "\n")
	if got := funcText(t, string(readme)); got != want {
		t.Errorf("README's TestCheckout differs from readme_test.go's; README has:\n%s\nwant:\n%s", got, want)
	}
}

// funcText returns the text of func TestCheckout, from its first line to the
// closing brace at the start of a line.
func funcText(t *testing.T, text string) string {
	t.Helper()
	start := strings.Index(text, "func TestCheckout(t *testing.T) {\n")
	if start < 0 {
		t.Fatal("no func TestCheckout")
	}
	end := strings.Index(text[start:], "\n}\n")
	if end < 0 {
		t.Fatal("func TestCheckout has no closing brace")
	}
	return text[start : start+end+2]
}
