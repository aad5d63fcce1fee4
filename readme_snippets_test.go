package amazonpay_test

// README's Go snippets, verbatim (gofmt's tabs for README's four spaces),
// so that they compile; TestReadmeGoSnippetsAreCompiled finds every README
// snippet in a test file. The shop around the return handler is below.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/jarcoal/httpmock"
)

func newAmazonPay() (*amazonpay.Client, error) {
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID:     "A1EXAMPLE",
		AccessKeyID:  os.Getenv("AMAZON_PAY_ACCESS_KEY"),
		SecretKey:    os.Getenv("AMAZON_PAY_SECRET_KEY"),
		Region:       amazonpay.RegionDE, // RegionUS, RegionNA, RegionUK, RegionDE, RegionEU, RegionJP
		Sandbox:      true,
		CurrencyCode: "EUR", // for amounts given without a currency
	}, amazonpay.WithAppInfo("my-shop", "1.0"))
	if err != nil {
		return nil, err // *amazonpay.ValidationError: missing credentials, unknown region, ...
	}
	return c, nil
}

func newAmazonPayFromEnv() (*amazonpay.Client, error) {
	cfg, err := amazonpay.ConfigFromEnv() // *amazonpay.ValidationError naming a missing variable
	if err != nil {
		return nil, err
	}
	return amazonpay.NewClient(cfg)
}

// checkout is what the shop keeps in the buyer's session.
type checkout struct {
	OrderReferenceID string // from the Amazon Pay widgets
	OrderID          string // the shop's own order id
	Total            *amazonpay.Price
	Attempt          int // confirmations so far: each authorizes with its own AuthorizationReferenceId
}

func confirmOrder(ctx context.Context, c *amazonpay.Client, co *checkout) error {
	d, err := c.GetOrderReferenceDetails(ctx, &amazonpay.GetOrderReferenceDetailsInput{AmazonOrderReferenceID: co.OrderReferenceID})
	if err != nil {
		return err
	}
	// Only while Draft: "buy now" pressed again after a decline or an abandoned
	// challenge finds it confirmed, and SetOrderAttributes would be refused.
	if d.OrderReferenceDetails.OrderReferenceStatus.State == amazonpay.OrderReferenceDraft {
		_, err = c.SetOrderAttributes(ctx, &amazonpay.SetOrderAttributesInput{
			AmazonOrderReferenceID: co.OrderReferenceID,
			OrderAttributes: &amazonpay.OrderAttributes{
				OrderTotal:            co.Total,
				SellerOrderAttributes: &amazonpay.SellerOrderAttributes{SellerOrderID: co.OrderID},
			},
		})
		if err != nil {
			return err
		}
	}
	co.Attempt++ // a new attempt, a new AuthorizationReferenceId (keep co in the session)
	_, err = c.ConfirmOrderReference(ctx, &amazonpay.ConfirmOrderReferenceInput{
		AmazonOrderReferenceID:       co.OrderReferenceID,
		SuccessURL:                   "https://shop.example/amazon/return",
		FailureURL:                   "https://shop.example/amazon/return",
		ExpectImmediateAuthorization: amazonpay.Bool(true),
	})
	return err // nil: answer 200, the page calls confirmationFlow.success() and Amazon shows the challenge
}

func (s *shop) amazonReturn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	co := s.checkoutOf(r) // from the buyer's session, never from the URL
	if co == nil {
		http.Error(w, "no checkout in progress", http.StatusBadRequest)
		return
	}
	res, err := amazonpay.ParseConfirmationRedirect(r.URL.Query())
	if err != nil { // missing or unknown values: never treated as success
		http.Error(w, "unexpected return from Amazon Pay", http.StatusBadRequest)
		return
	}
	switch res.Action {
	case amazonpay.ActionProceed:
		if _, paid := s.paid[co.OrderID]; paid { // a double click, a reload
			http.Redirect(w, r, "/orders/"+co.OrderID, http.StatusSeeOther)
			return
		}
		out, err := s.pay.Authorize(ctx, &amazonpay.AuthorizeInput{
			AmazonOrderReferenceID:   co.OrderReferenceID,
			AuthorizationReferenceID: fmt.Sprintf("%s-%d", co.OrderID, co.Attempt), // the attempt's own: a retry of it gets its answer again
			AuthorizationAmount:      co.Total,
			TransactionTimeout:       amazonpay.Int(0), // synchronous
		})
		if err != nil || out.AuthorizationDetails.AuthorizationStatus.State != amazonpay.AuthorizationOpen {
			// Declined (or unknown: package checkout reconciles that case). The
			// buyer picks another method and presses "buy now": a new attempt.
			s.showWallet(w, "Your payment method was declined. Please choose another one.")
			return
		}
		s.markPaid(co, out.AuthorizationDetails.AmazonAuthorizationID) // only now
		http.Redirect(w, r, "/orders/"+co.OrderID, http.StatusSeeOther)
	case amazonpay.ActionCancelAndReturnToCart: // AuthenticationStatus=Failure
		_, err := s.pay.CancelOrderReference(ctx, &amazonpay.CancelOrderReferenceInput{AmazonOrderReferenceID: co.OrderReferenceID})
		if err != nil { // nothing was charged; the buyer still goes back to the cart
			s.log.Error("cancel order reference", "order_id", co.OrderID, "error", err)
		}
		s.showCart(w, res.BuyerMessage(r.Header.Get("Accept-Language")))
	case amazonpay.ActionChooseAnotherPaymentMethod: // AuthenticationStatus=Abandoned
		s.showWallet(w, res.BuyerMessage(r.Header.Get("Accept-Language")))
	default: // ErrorCode=InvalidSellerId | InvalidIdStatus | InternalServerError
		s.log.Error("confirmation flow", "error_code", res.ErrorCode, "action", res.Action.Description())
		http.Error(w, "Amazon Pay is not available right now", http.StatusBadGateway)
	}
}

func subscribe(ctx context.Context, c *amazonpay.Client, baID string) error {
	_, err := c.SetBillingAgreementDetails(ctx, &amazonpay.SetBillingAgreementDetailsInput{
		AmazonBillingAgreementID: baID,
		BillingAgreementAttributes: &amazonpay.BillingAgreementAttributes{
			BillingAgreementType: amazonpay.MerchantInitiatedTransaction,
			SubscriptionAmount:   &amazonpay.Price{Amount: "9.99", CurrencyCode: "EUR"}, // only if every charge is the same
		},
	})
	if err != nil {
		return err
	}
	_, err = c.ConfirmBillingAgreement(ctx, &amazonpay.ConfirmBillingAgreementInput{
		AmazonBillingAgreementID: baID,
		SuccessURL:               "https://shop.example/subscribe/ok",
		FailureURL:               "https://shop.example/subscribe/fail",
	})
	return err
}

// firstCharge runs on the return, after ParseConfirmationRedirect said Proceed.
func firstCharge(ctx context.Context, c *amazonpay.Client, baID string) (*amazonpay.AuthorizeOnBillingAgreementOutput, error) {
	v, err := c.ValidateBillingAgreement(ctx, &amazonpay.ValidateBillingAgreementInput{AmazonBillingAgreementID: baID})
	if err != nil {
		return nil, err
	}
	if v.ValidationResult != amazonpay.ValidationSuccess {
		return nil, fmt.Errorf("billing agreement not valid: %s", v.FailureReasonCode)
	}
	return c.AuthorizeOnBillingAgreement(ctx, &amazonpay.AuthorizeOnBillingAgreementInput{
		AmazonBillingAgreementID: baID,
		AuthorizationReferenceID: "sub-42-2026-11",
		AuthorizationAmount:      &amazonpay.Price{Amount: "9.99"},
		CaptureNow:               amazonpay.Bool(true),
	})
}

func capture(ctx context.Context, c *amazonpay.Client, in *amazonpay.CaptureInput) error {
	_, err := c.Capture(ctx, in)
	var ve *amazonpay.ValidationError
	var apiErr *amazonpay.APIError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return fmt.Errorf("bad %s: %s", ve.Field, ve.Reason) // nothing was sent
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err // abandoned: retry later with the same CaptureReferenceId
	case errors.Is(err, amazonpay.ErrorRequestThrottled):
		return err // still throttled after the retries
	case errors.As(err, &apiErr) && apiErr.Code == amazonpay.ErrorInvalidAuthorizationStatus:
		return err // the authorization is no longer Open
	default:
		return err // *amazonpay.APIError, *amazonpay.UnexpectedResponseError, *amazonpay.RequestError
	}
}

// The reply MWS sends to ConfirmOrderReference. Replies of every operation, as MWS sends
// them, are in this repository's testdata/responses/.
const confirmOrderReferenceResponseXML = `<ConfirmOrderReferenceResponse xmlns="http://mws.amazonservices.com/schema/OffAmazonPayments/2013-01-01">
  <ResponseMetadata><RequestId>5f20169b-7ab2-11df-bcef-d35615e2b044</RequestId></ResponseMetadata>
</ConfirmOrderReferenceResponse>`

func TestConfirm(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder("POST",
		"https://mws-eu.amazonservices.com/OffAmazonPayments_Sandbox/2013-01-01",
		httpmock.NewStringResponder(200, confirmOrderReferenceResponseXML))

	cfg := amazonpay.Config{SellerID: "A1EXAMPLE", AccessKeyID: "AKIAEXAMPLE", SecretKey: "test-secret",
		Region: amazonpay.RegionDE, Sandbox: true} // the sandbox endpoint registered above
	c, err := amazonpay.NewClient(cfg,
		amazonpay.WithHTTPClient(hc),
		amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{})) // no retries in tests
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ConfirmOrderReference(context.Background(),
		&amazonpay.ConfirmOrderReferenceInput{AmazonOrderReferenceID: "S02-1234567-1234567"})
	if err != nil {
		t.Fatal(err)
	}
}

// shop is the little web shop README's return handler belongs to.
type shop struct {
	pay       *amazonpay.Client
	log       *slog.Logger
	checkouts map[string]*checkout // by session cookie
	paid      map[string]string    // order id → authorization id
	page      string               // what the buyer was shown
}

func (s *shop) checkoutOf(r *http.Request) *checkout {
	cookie, err := r.Cookie("session")
	if err != nil {
		return nil
	}
	return s.checkouts[cookie.Value]
}

func (s *shop) markPaid(co *checkout, authorizationID string) { s.paid[co.OrderID] = authorizationID }
func (s *shop) showWallet(w http.ResponseWriter, msg string)  { s.page = "wallet: " + msg }
func (s *shop) showCart(w http.ResponseWriter, msg string)    { s.page = "cart: " + msg }

// TestReadmeGoSnippetsAreCompiled: every ```go block of README.md stands in
// a test file of this repository (white space aside), so README shows only
// code that compiles.
func TestReadmeGoSnippetsAreCompiled(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sources = append(sources, normalizeCode(string(b)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 8 {
		t.Fatalf("README has %d Go snippets, want at least 8", len(blocks))
	}
	for _, b := range blocks {
		snippet := normalizeCode(b[1])
		found := false
		for _, src := range sources {
			if strings.Contains(src, snippet) {
				found = true
				break
			}
		}
		if !found {
			first, _, _ := strings.Cut(strings.TrimSpace(b[1]), "\n")
			t.Errorf("README snippet starting %q is in no test file: copy it into one, verbatim", first)
		}
	}
}

// normalizeCode drops blank lines and folds each line's white space, so that
// README's spaces and gofmt's tabs and alignment compare equal.
func normalizeCode(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			b.WriteString(strings.Join(f, " ") + "\n")
		}
	}
	return b.String()
}

// TestReadmeReturnHandler runs README's checkout code against the sandbox:
// the buyer passes the challenge and the order is paid; a forged Success
// redirect on an order whose payment method is declined pays nothing.
func TestReadmeReturnHandler(t *testing.T) {
	ctx := context.Background()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	s := &shop{pay: srv.AmazonPay(), log: slog.New(slog.DiscardHandler), checkouts: map[string]*checkout{}, paid: map[string]string{}}
	returnTo := func(session string, query string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "https://shop.example/amazon/return?"+query, nil)
		r.AddCookie(&http.Cookie{Name: "session", Value: session})
		r.Header.Set("Accept-Language", "de-DE")
		w := httptest.NewRecorder()
		s.amazonReturn(w, r)
		return w
	}

	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	co := &checkout{OrderReferenceID: srv.CreateOrderReference(buyer), OrderID: "order-1001", Total: amazonpay.PriceFromMinor(4250, "EUR")}
	s.checkouts["sess-1"] = co
	if err := confirmOrder(ctx, s.pay, co); err != nil {
		t.Fatal(err)
	}
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), co.OrderReferenceID)
	if err != nil {
		t.Fatal(err)
	}
	w := returnTo("sess-1", back.RawQuery)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/orders/order-1001" {
		t.Fatalf("return: %d %q, page %q", w.Code, w.Header().Get("Location"), s.page)
	}
	if s.paid["order-1001"] == "" {
		t.Fatal("the order was not marked paid")
	}

	// Someone types the Success URL for an order whose payment fails.
	buyer.PaymentMethod = amazonpaytest.PaymentMethodInvalid
	forged := &checkout{OrderReferenceID: srv.CreateOrderReference(buyer), OrderID: "order-1002", Total: amazonpay.PriceFromMinor(999, "EUR")}
	s.checkouts["sess-2"] = forged
	if err := confirmOrder(ctx, s.pay, forged); err != nil {
		t.Fatal(err)
	}
	returnTo("sess-2", "AuthenticationStatus=Success")
	if _, paid := s.paid["order-1002"]; paid {
		t.Fatal("a forged redirect marked the order paid")
	}
	if !strings.HasPrefix(s.page, "wallet: ") {
		t.Fatalf("buyer sees %q, want the wallet", s.page)
	}

	// Failure: the order reference is canceled, the cart shows Amazon's German message.
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAFail
	failed := &checkout{OrderReferenceID: srv.CreateOrderReference(buyer), OrderID: "order-1003", Total: amazonpay.PriceFromMinor(100, "EUR")}
	s.checkouts["sess-3"] = failed
	if err := confirmOrder(ctx, s.pay, failed); err != nil {
		t.Fatal(err)
	}
	returnTo("sess-3", "AuthenticationStatus=Failure")
	if want := "cart: " + amazonpay.BuyerMessage(amazonpay.AuthenticationFailure, "de"); s.page != want {
		t.Fatalf("buyer sees %q, want %q", s.page, want)
	}
	if st := srv.State(failed.OrderReferenceID); st != "Canceled" {
		t.Fatalf("order reference is %s after a failed challenge, want Canceled", st)
	}
	// No session: no checkout.
	if w := returnTo("nobody", "AuthenticationStatus=Success"); w.Code != http.StatusBadRequest {
		t.Fatalf("no session: %d", w.Code)
	}
}

// README's recipes after a decline: the buyer opens the Success URL before
// the challenge (or is declined), picks another card, confirms again and
// pays. The second confirmation does not set the order attributes again
// (the order reference is no longer Draft), and the second authorization
// has its own AuthorizationReferenceId, so Amazon does not answer it with
// the first one's decline.
func TestReadmeRecipesPayAfterADecline(t *testing.T) {
	ctx := context.Background()
	srv := amazonpaytest.NewServer()
	defer srv.Close()
	s := &shop{pay: srv.AmazonPay(), log: slog.New(slog.DiscardHandler), checkouts: map[string]*checkout{}, paid: map[string]string{}}
	returnTo := func(query string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "https://shop.example/amazon/return?"+query, nil)
		r.AddCookie(&http.Cookie{Name: "session", Value: "sess-1"})
		w := httptest.NewRecorder()
		s.amazonReturn(w, r)
		return w
	}
	buyer := amazonpaytest.TestBuyer()
	buyer.PaymentMethod = amazonpaytest.PaymentMethodSCAPass
	co := &checkout{OrderReferenceID: srv.CreateOrderReference(buyer), OrderID: "order-1001", Total: amazonpay.PriceFromMinor(4250, "EUR")}
	s.checkouts["sess-1"] = co
	if err := confirmOrder(ctx, s.pay, co); err != nil {
		t.Fatal(err)
	}
	returnTo("AuthenticationStatus=Success") // before the challenge: declined
	if _, paid := s.paid["order-1001"]; paid {
		t.Fatal("paid before the challenge")
	}
	if err := confirmOrder(ctx, s.pay, co); err != nil { // "buy now" again
		t.Fatalf("second confirmation: %v", err)
	}
	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), co.OrderReferenceID)
	if err != nil {
		t.Fatal(err)
	}
	if w := returnTo(back.RawQuery); w.Header().Get("Location") != "/orders/order-1001" {
		t.Fatalf("the real return: %d %q, page %q", w.Code, w.Header().Get("Location"), s.page)
	}
	if n := len(srv.RequestsFor("SetOrderAttributes")); n != 1 {
		t.Fatalf("SetOrderAttributes sent %d times, want once (only while Draft)", n)
	}
	auths := srv.RequestsFor("Authorize")
	if len(auths) != 2 || auths[0].Params.Get("AuthorizationReferenceId") == auths[1].Params.Get("AuthorizationReferenceId") {
		t.Fatalf("authorizations: %d, want 2 with their own reference ids", len(auths))
	}
	if mm := srv.MoneyMovements(); mm.Captures != 0 || s.paid["order-1001"] == "" {
		t.Fatalf("money %+v, paid %q", mm, s.paid["order-1001"])
	}
}
