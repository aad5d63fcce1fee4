package checkout_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
)

// exampleShop is a shop on an offline sandbox with a memory store, and
// the order reference its widgets made for a buyer paying with m.
func exampleShop(m amazonpaytest.PaymentMethod) (*amazonpaytest.Server, *checkout.Payments, string) {
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	p, err := checkout.New(sb.AmazonPay(), checkout.NewMemoryStore(), checkout.Config{
		ReturnURL:  "https://shop.example/amazon/return",
		CaptureNow: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = m
	return sb, p, sb.CreateOrderReference(b)
}

// buyerReturns plays the buyer at Amazon's Confirmation Flow page: the
// query the shop's return URL is opened with.
func buyerReturns(sb *amazonpaytest.Server, id string) url.Values {
	u, err := sb.RunConfirmationFlow(amazonpaytest.DefaultSellerID, id)
	if err != nil {
		log.Fatal(err)
	}
	return u.Query()
}

// A whole one-time purchase: the "buy now" endpoint confirms, the buyer
// passes the challenge, the return handler authorizes and captures.
func Example() {
	ctx := context.Background()
	sb, p, oro := exampleShop(amazonpaytest.PaymentMethodSCAPass)
	defer sb.Close()

	if _, err := p.Confirm(ctx, checkout.Purchase{
		ID: "order-42", OrderReferenceID: oro,
		Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"},
	}); err != nil {
		log.Fatal(err)
	}
	out, err := p.Return(ctx, buyerReturns(sb, oro))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Next, out.Payment.State, out.Payment.Total.Amount)
	fmt.Println("captures at Amazon:", sb.MoneyMovements().Captures)
	// Output:
	// paid paid 42.50
	// captures at Amazon: 1
}

// New checks its configuration before any call.
func ExampleNew() {
	sb := amazonpaytest.NewServer()
	defer sb.Close()
	_, err := checkout.New(sb.AmazonPay(), checkout.NewMemoryStore(), checkout.Config{ReturnURL: "/amazon/return"})
	var ve *amazonpay.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true ReturnURL
}

// The "buy now" AJAX endpoint: 200 lets the page call
// confirmationFlow.success(), any other status confirmationFlow.error().
func ExamplePayments_Confirm() {
	sb, p, oro := exampleShop(amazonpaytest.PaymentMethodSCAPass)
	defer sb.Close()

	buyNow := func(w http.ResponseWriter, r *http.Request) {
		_, err := p.Confirm(r.Context(), checkout.Purchase{
			ID: "order-42", OrderReferenceID: r.FormValue("orderReferenceId"),
			Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}, // from the shop's cart, never the form
		})
		var ve *amazonpay.ValidationError
		switch {
		case errors.As(err, &ve):
			http.Error(w, "bad request", http.StatusBadRequest)
		case err != nil:
			http.Error(w, "try again", http.StatusServiceUnavailable)
		}
	}
	pay, _ := p.Get(context.Background(), "order-42")
	fmt.Println(pay == nil)
	_ = buyNow
	_, err := p.Confirm(context.Background(), checkout.Purchase{ID: "order-42", OrderReferenceID: oro,
		Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}})
	fmt.Println(err)
	pay, _ = p.Get(context.Background(), "order-42")
	fmt.Println(pay.State, pay.Attempt)
	// Output:
	// true
	// <nil>
	// confirmed 1
}

// The return handler renders the next step.
func ExamplePayments_Return() {
	ctx := context.Background()
	sb, p, oro := exampleShop(amazonpaytest.PaymentMethodInvalid) // the issuer declines this card
	defer sb.Close()
	if _, err := p.Confirm(ctx, checkout.Purchase{ID: "order-42", OrderReferenceID: oro,
		Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}}); err != nil {
		log.Fatal(err)
	}
	out, err := p.Return(ctx, buyerReturns(sb, oro))
	if err != nil { // a forged or malformed return: answer 400, change nothing
		log.Fatal(err)
	}
	switch out.Next {
	case checkout.NextPaid:
		fmt.Println("order page")
	case checkout.NextChooseAnotherPaymentMethod:
		fmt.Println("wallet:", out.BuyerMessage("en-GB"))
	case checkout.NextBackToCart:
		fmt.Println("cart:", out.BuyerMessage("en-GB"))
	case checkout.NextPending:
		fmt.Println("we are confirming your payment")
	case checkout.NextRetryLater:
		fmt.Println("try again in a moment")
	}
	// Output: wallet: Something's wrong with your payment method. To place your order, try another.
}

// A subscription: the billing agreement is confirmed, then the return
// validates it and charges the first month.
func ExamplePayments_ConfirmSubscription() {
	ctx := context.Background()
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	defer sb.Close()
	p, err := checkout.New(sb.AmazonPay(), checkout.NewMemoryStore(), checkout.Config{ReturnURL: "https://shop.example/amazon/return"})
	if err != nil {
		log.Fatal(err)
	}
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := sb.CreateBillingAgreement(b)

	monthly := amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}
	if _, err := p.ConfirmSubscription(ctx, checkout.Subscription{
		ID: "sub-7", BillingAgreementID: ba, Amount: &monthly, FirstCharge: &monthly,
	}); err != nil {
		log.Fatal(err)
	}
	out, err := p.Return(ctx, buyerReturns(sb, ba))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Next, out.Payment.Kind)
	// Output: paid subscription
}

// The IPN endpoint: the SDK's handler verifies the notification, Apply
// records what it says.
func ExamplePayments_Apply() {
	sb, p, _ := exampleShop(amazonpaytest.PaymentMethodSCAPass)
	defer sb.Close()
	http.Handle("/amazon/ipn", amazonpay.NewNotificationHandler(sb.NotificationVerifier(), p.Apply))

	// Apply refuses what is no notification.
	err := p.Apply(context.Background(), &amazonpay.Notification{})
	var ve *amazonpay.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true NotificationReferenceId
}

// At start-up (and every few minutes) Reconcile settles what a crash or a
// lost reply left open: here the authorization was applied at Amazon but
// its reply lost on every retry.
func ExamplePayments_Reconcile() {
	ctx := context.Background()
	sb, p, oro := exampleShop(amazonpaytest.PaymentMethodSCAPass)
	defer sb.Close()
	if _, err := p.Confirm(ctx, checkout.Purchase{ID: "order-42", OrderReferenceID: oro,
		Total: amazonpay.Price{Amount: "42.50", CurrencyCode: "EUR"}}); err != nil {
		log.Fatal(err)
	}
	q := buyerReturns(sb, oro)
	sb.InjectFault("Authorize", 4, amazonpaytest.Fault{Kind: amazonpaytest.FaultAppliedThenDropped})
	out, _ := p.Return(ctx, q)
	fmt.Println(out.Next)

	rep, err := p.Reconcile(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Checked, rep.Settled[checkout.StatePaid])
	fmt.Println("captures at Amazon:", sb.MoneyMovements().Captures)
	// Output:
	// pending
	// 1 1
	// captures at Amazon: 1
}

// Get reads a payment by the shop's id.
func ExamplePayments_Get() {
	sb, p, _ := exampleShop(amazonpaytest.PaymentMethodSCAPass)
	defer sb.Close()
	_, err := p.Get(context.Background(), "order-1")
	fmt.Println(errors.Is(err, checkout.ErrNotFound))
	// Output: true
}

// The monthly run charges every active subscription once per period,
// however often it runs.
func ExamplePayments_ChargeSubscriptions() {
	ctx := context.Background()
	sb := amazonpaytest.NewServer(amazonpaytest.WithRegion(amazonpay.RegionDE))
	defer sb.Close()
	p, err := checkout.New(sb.AmazonPay(), checkout.NewMemoryStore(), checkout.Config{ReturnURL: "https://shop.example/amazon/return"})
	if err != nil {
		log.Fatal(err)
	}
	b := amazonpaytest.TestBuyer()
	b.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	ba := sb.CreateBillingAgreement(b)
	monthly := amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}
	if _, err := p.ConfirmSubscription(ctx, checkout.Subscription{ID: "sub-7", BillingAgreementID: ba, Amount: &monthly, FirstCharge: &monthly}); err != nil {
		log.Fatal(err)
	}
	if _, err := p.Return(ctx, buyerReturns(sb, ba)); err != nil {
		log.Fatal(err)
	}
	for range 2 {
		rep, err := p.ChargeSubscriptions(ctx, "2027-01")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("charged:", rep.Charged)
	}
	fmt.Println("captures at Amazon:", sb.MoneyMovements().Captures)
	// Output:
	// charged: 1
	// charged: 1
	// captures at Amazon: 2
}

// The memory store keeps every Store guarantee, for tests.
func ExampleNewMemoryStore() {
	store := checkout.NewMemoryStore()
	_, err := store.Get(context.Background(), "order-1")
	fmt.Println(errors.Is(err, checkout.ErrNotFound))
	// Output: true
}
