package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
)

// The buyers of the kill test: each job is one buyer with a fresh cookie
// jar who does over HTTP what the shop's pages and Amazon's widgets do —
// the cart, the Amazon Pay button (the sandbox's buyer side plays the
// widgets and Login with Amazon), "buy now" (the page's AJAX call), the
// Confirmation Flow (the sandbox answers the URL it sends the buyer back
// to) and the return. A request the shop could not answer because it was
// killed is made again once it is back, as a buyer reloads the page.

// script is what a buyer does.
type script int

const (
	payOK            script = iota // a card without surprises
	payChallenge                   // a challenge the buyer passes
	softDecline                    // InvalidPaymentMethod, then another card
	abandonRetry                   // walks away from the challenge, then another card
	abandonLeave                   // walks away from the challenge and leaves
	challengeFail                  // fails the challenge: back to the cart
	hardDecline                    // AmazonRejected: back to the cart
	doubleReturn                   // two tabs open the return URL at once
	forgedReturn                   // opens forged return URLs, then pays
	leaveAfterBuy                  // presses "buy now" and closes the tab
	subscribeOK                    // a subscription whose first charge passes
	subscribeAbandon               // walks away from the subscription's challenge, then another card
	subscribeInvalid               // a card Amazon refuses (AmazonRejected: validation fails), and leaves
	subscribeFail                  // fails the subscription's challenge: the agreement is closed
)

var scriptNames = [...]string{"payOK", "payChallenge", "softDecline", "abandonRetry", "abandonLeave",
	"challengeFail", "hardDecline", "doubleReturn", "forgedReturn", "leaveAfterBuy",
	"subscribeOK", "subscribeAbandon", "subscribeInvalid", "subscribeFail"}

func (s script) String() string { return scriptNames[s] }

// plan draws the buyers' scripts: checkouts purchases and subs
// subscriptions, in a seeded random order.
func plan(rng *rand.Rand, checkouts, subs int) []script {
	purchase := []script{payOK, payOK, payChallenge, payChallenge, softDecline, abandonRetry, abandonLeave,
		challengeFail, hardDecline, doubleReturn, forgedReturn, leaveAfterBuy}
	subscription := []script{subscribeOK, subscribeOK, subscribeOK, subscribeAbandon, subscribeInvalid, subscribeFail}
	jobs := make([]script, 0, checkouts+subs)
	for range checkouts {
		jobs = append(jobs, purchase[rng.IntN(len(purchase))])
	}
	for range subs {
		jobs = append(jobs, subscription[rng.IntN(len(subscription))])
	}
	rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	return jobs
}

// gate tells the buyers whether the shop is up: a kill closes it and the
// restart opens it again; gen counts the kills.
type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	down bool
	gen  int
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) close() {
	g.mu.Lock()
	g.down, g.gen = true, g.gen+1
	g.mu.Unlock()
}

func (g *gate) open() {
	g.mu.Lock()
	g.down = false
	g.mu.Unlock()
	g.cond.Broadcast()
}

// generation waits until the shop is up and returns the number of kills
// so far.
func (g *gate) generation() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.down {
		g.cond.Wait()
	}
	return g.gen
}

// buyer is one buyer's browser.
type buyer struct {
	k    *killRun
	hc   *http.Client
	lang string
}

func (k *killRun) newBuyer() *buyer {
	jar, _ := cookiejar.New(nil)
	return &buyer{k: k, hc: &http.Client{Jar: jar}, lang: "en-US"}
}

// page is what a request ended on (after redirects).
type page struct {
	status int
	path   string // path and query of the last URL
	body   string
}

// errShop is a request the shop answered wrongly: the test fails.
type errShop struct{ msg string }

func (e *errShop) Error() string { return e.msg }

// do sends a request to the shop, following redirects, and sends it again
// when a kill cut it off (the buyer reloads); 503 (the shop's database
// is busy) is also tried again, and counted.
func (b *buyer) do(method, rawURL, contentType, body string) (page, error) {
	for attempt := 0; ; attempt++ {
		gen := b.k.gate.generation()
		if strings.HasPrefix(rawURL, "/") {
			rawURL = strings.TrimSuffix(b.k.shop.URL, "/") + rawURL
		}
		req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
		if err != nil {
			return page{}, err
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept-Language", b.lang)
		b.k.requests.Add(1)
		resp, err := b.hc.Do(req)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err != nil {
			if b.k.gate.generation() != gen {
				b.k.cutOff.Add(1)
				continue // killed under the request: reload
			}
			return page{}, fmt.Errorf("%s %s: %w (no kill since it was sent)", method, rawURL, err)
		}
		if resp.StatusCode == http.StatusServiceUnavailable && attempt < 20 {
			b.k.unavailable.Add(1)
			continue
		}
		return page{status: resp.StatusCode, path: resp.Request.URL.RequestURI(), body: string(data)}, nil
	}
}

func (b *buyer) get(rawURL string) (page, error) { return b.do(http.MethodGet, rawURL, "", "") }

// ajax is the page's "buy now" or "subscribe" call.
func (b *buyer) ajax(path, id string) (page, error) {
	return b.do(http.MethodPost, path, "application/json", `{"id":"`+id+`"}`)
}

func (b *buyer) addToCart(n int) error {
	for range n {
		p, err := b.do(http.MethodPost, "/cart/add", "application/x-www-form-urlencoded", "")
		if err != nil {
			return err
		}
		if p.path != "/cart" || !strings.Contains(p.body, `id="cart-total"`) {
			return &errShop{fmt.Sprintf("add to cart ended on %s (%d)", p.path, p.status)}
		}
	}
	return nil
}

// signIn is the Amazon Pay button: the widgets make the order reference
// (or billing agreement) with the buyer's payment method, Login with
// Amazon gives an access token, and the browser opens the checkout page.
func (b *buyer) signIn(ctx context.Context, subscription bool, m amazonpaytest.PaymentMethod) (string, error) {
	endpoint, page := "create-order-reference", "/checkout"
	if subscription {
		endpoint, page = "create-billing-agreement", "/subscription/checkout"
	}
	var id, token string
	if err := b.k.sb.Control(ctx, endpoint, map[string]any{"b": map[string]any{"PaymentMethod": string(m)}}, &id); err != nil {
		return "", err
	}
	if err := b.k.sb.Control(ctx, "access-token", map[string]string{"id": id}, &token); err != nil {
		return "", err
	}
	p, err := b.get(page + "?access_token=" + url.QueryEscape(token))
	if err != nil {
		return "", err
	}
	if p.status != http.StatusOK {
		return "", &errShop{fmt.Sprintf("%s: %d", page, p.status)}
	}
	return id, nil
}

// buyNow is "buy now" (or "subscribe") until the shop answers 200: a
// buyer presses it again after "please try again".
func (b *buyer) buyNow(path, id string) error {
	for range 5 {
		p, err := b.ajax(path, id)
		if err != nil {
			return err
		}
		if p.status == http.StatusOK {
			return nil
		}
		var msg struct{ Message string }
		_ = json.Unmarshal([]byte(p.body), &msg)
		if p.status != http.StatusBadGateway && p.status != http.StatusConflict {
			return &errShop{fmt.Sprintf("%s answered %d: %s", path, p.status, msg.Message)}
		}
		b.k.buyNowRetries.Add(1)
	}
	return &errShop{path + " never answered 200 in 5 presses"}
}

// flow is the Confirmation Flow: the sandbox answers where it sends the
// buyer back (status "" lets the card decide), and the browser goes there.
func (b *buyer) flow(ctx context.Context, id, status string) (string, page, error) {
	var back string
	var err error
	if status == "" {
		err = b.k.sb.Control(ctx, "run-confirmation-flow", map[string]string{"sellerID": amazonpaytest.DefaultSellerID, "id": id}, &back)
	} else {
		err = b.k.sb.Control(ctx, "complete-confirmation-flow", map[string]string{"sellerID": amazonpaytest.DefaultSellerID, "id": id, "status": status}, &back)
	}
	if err != nil {
		return "", page{}, err
	}
	p, err := b.get(back)
	return back, p, err
}

// selectPaymentMethod is the buyer choosing another card in the Wallet.
func (b *buyer) selectPaymentMethod(ctx context.Context, id string, m amazonpaytest.PaymentMethod) error {
	return b.k.sb.Control(ctx, "select-payment-method", map[string]string{"id": id, "m": string(m)}, nil)
}

// expect checks that the buyer ended on a page whose path starts with one
// of prefixes.
func expect(what string, p page, prefixes ...string) error {
	for _, pre := range prefixes {
		if strings.HasPrefix(p.path, pre) {
			return nil
		}
	}
	return &errShop{fmt.Sprintf("%s: ended on %s (%d), want %q", what, p.path, p.status, prefixes)}
}

// paidOrPending: the order page, paid or "we are confirming your payment".
func paidOrPending(what string, p page) error {
	if err := expect(what, p, "/orders/", "/subscriptions/"); err != nil {
		return err
	}
	if p.status != http.StatusOK {
		return &errShop{fmt.Sprintf("%s: %s answered %d", what, p.path, p.status)}
	}
	return nil
}

// pendingPage reports whether p is an order or subscription page saying
// "we are confirming your payment": a money call's outcome was lost (all
// its replies dropped) and Reconcile will settle it. Such a buyer stops
// here; the final check judges the payment.
func pendingPage(p page) bool {
	return (strings.HasPrefix(p.path, "/orders/") || strings.HasPrefix(p.path, "/subscriptions/")) &&
		strings.Contains(p.body, "This page updates itself.")
}

// run plays one buyer's script.
func (b *buyer) run(ctx context.Context, s script, rng *rand.Rand) error {
	switch s {
	case subscribeOK, subscribeAbandon, subscribeInvalid, subscribeFail:
		return b.subscribe(ctx, s)
	}
	if err := b.addToCart(1 + rng.IntN(3)); err != nil {
		return err
	}
	first := map[script]amazonpaytest.PaymentMethod{
		payChallenge: amazonpaytest.PaymentMethodSCAPass, softDecline: amazonpaytest.PaymentMethodInvalid,
		abandonRetry: amazonpaytest.PaymentMethodSCAAbandon, abandonLeave: amazonpaytest.PaymentMethodSCAAbandon,
		challengeFail: amazonpaytest.PaymentMethodSCAFail, hardDecline: amazonpaytest.PaymentMethodRejected,
	}[s]
	if first == "" {
		first = amazonpaytest.PaymentMethodOK
	}
	id, err := b.signIn(ctx, false, first)
	if err != nil {
		return err
	}
	if s == forgedReturn {
		if err := b.forge(ctx, id, ""); err != nil {
			return err
		}
	}
	if err := b.buyNow("/checkout/confirm", id); err != nil {
		return err
	}
	if s == forgedReturn { // the payment now awaits the buyer's return
		if err := b.forge(ctx, id, ""); err != nil {
			return err
		}
	}
	if s == leaveAfterBuy {
		return nil
	}
	back, p, err := b.flow(ctx, id, "")
	if err != nil || pendingPage(p) {
		return err
	}
	switch s {
	case payOK, payChallenge:
		return paidOrPending(s.String(), p)
	case forgedReturn:
		if err := paidOrPending(s.String(), p); err != nil {
			return err
		}
		return b.forge(ctx, id, back)
	case doubleReturn:
		if err := paidOrPending(s.String(), p); err != nil {
			return err
		}
		var wg sync.WaitGroup
		pages, errs := make([]page, 2), make([]error, 2)
		for i := range 2 {
			wg.Go(func() { pages[i], errs[i] = b.get(back) })
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil {
				return errs[i]
			}
			if err := paidOrPending("a second tab's return", pages[i]); err != nil {
				return err
			}
		}
		return nil
	case challengeFail, hardDecline:
		return expect(s.String(), p, "/cart?payment=failed")
	case abandonLeave:
		return expect(s.String(), p, "/checkout?payment=abandoned")
	}
	// softDecline, abandonRetry: the wallet again, another card, buy now.
	if err := expect(s.String(), p, "/checkout?payment=abandoned"); err != nil {
		return err
	}
	return b.payWithAnotherCard(ctx, s, id, "/checkout/confirm")
}

// subscribe is a subscription's checkout.
func (b *buyer) subscribe(ctx context.Context, s script) error {
	first := map[script]amazonpaytest.PaymentMethod{subscribeOK: amazonpaytest.PaymentMethodOK,
		subscribeAbandon: amazonpaytest.PaymentMethodSCAAbandon, subscribeInvalid: amazonpaytest.PaymentMethodRejected,
		subscribeFail: amazonpaytest.PaymentMethodSCAFail}[s]
	id, err := b.signIn(ctx, true, first)
	if err != nil {
		return err
	}
	if err := b.buyNow("/subscription/confirm", id); err != nil {
		return err
	}
	_, p, err := b.flow(ctx, id, "")
	if err != nil || pendingPage(p) {
		return err
	}
	switch s {
	case subscribeOK:
		return paidOrPending(s.String(), p)
	case subscribeFail:
		return expect(s.String(), p, "/subscription?payment=failed")
	case subscribeInvalid:
		// The sandbox refuses this card at ValidateBillingAgreement: the
		// wallet again, and this buyer leaves.
		return expect(s.String(), p, "/subscription/checkout?payment=abandoned")
	}
	if err := expect(s.String(), p, "/subscription/checkout?payment=abandoned"); err != nil {
		return err
	}
	return b.payWithAnotherCard(ctx, s, id, "/subscription/confirm")
}

// payWithAnotherCard is the buyer back in the wallet: another card, the
// confirm endpoint confirmPath, the Confirmation Flow, paid (or pending).
func (b *buyer) payWithAnotherCard(ctx context.Context, s script, id, confirmPath string) error {
	if err := b.selectPaymentMethod(ctx, id, amazonpaytest.PaymentMethodOK); err != nil {
		return err
	}
	if err := b.buyNow(confirmPath, id); err != nil {
		return err
	}
	_, p, err := b.flow(ctx, id, "")
	if err != nil {
		return err
	}
	return paidOrPending(s.String()+" after another card", p)
}

// forge opens return URLs nobody was sent to: the bare
// ?AuthenticationStatus=Success, and (once the real one is known) the
// same URL with another nonce. The shop must refuse each with 400 and
// Amazon must see no call for the order reference id.
func (b *buyer) forge(ctx context.Context, id, real string) error {
	forged := []string{"/amazon/return?AuthenticationStatus=Success"}
	if real != "" {
		u, err := url.Parse(real)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Set("nonce", strings.Repeat("0", len(q.Get("nonce"))))
		u.RawQuery = q.Encode()
		forged = append(forged, u.String())
	}
	before, err := b.k.objectOf(ctx, id)
	if err != nil {
		return err
	}
	for _, f := range forged {
		p, err := b.get(f)
		if err != nil {
			return err
		}
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "This is not a return from Amazon Pay.") {
			return &errShop{fmt.Sprintf("forged return %s: %d %q", f, p.status, p.body)}
		}
	}
	after, err := b.k.objectOf(ctx, id)
	if err != nil {
		return err
	}
	if len(after.Children) != len(before.Children) || after.State != before.State {
		return &errShop{fmt.Sprintf("a forged return changed %s at Amazon: %+v → %+v", id, before, after)}
	}
	b.k.forged.Add(int64(len(forged)))
	return nil
}

// object is the part of the sandbox's object record the test reads.
type object struct {
	Kind, ID, State, ReasonCode, Amount, CurrencyCode, Parent, ReferenceID string
	Children                                                               []string
}

func (k *killRun) objectOf(ctx context.Context, id string) (object, error) {
	var o object
	err := k.sb.Control(ctx, "object", map[string]string{"id": id}, &o)
	return o, err
}
