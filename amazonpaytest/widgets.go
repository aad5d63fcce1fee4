package amazonpaytest

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/amazonpay-go/amazonpay"
)

// The fake Login and Pay with Amazon widgets: a Widgets.js that a shop's
// pages load instead of Amazon's, the small JSON endpoints behind it, and
// the Amazon-hosted Confirmation Flow page with the issuer's challenge.
//
// Widgets.js implements this subset of Amazon's front-end API, with the
// real names and call shapes:
//
//   - window.onAmazonLoginReady and window.onAmazonPaymentsReady, called
//     once the script and the page are loaded;
//   - amazon.Login.setClientId, getClientId, authorize(options, next) with
//     next a redirect URL (gets ?access_token=…&token_type=bearer&expires_in=3600&scope=…)
//     or a function (gets {access_token, token_type, expires_in, scope}, or
//     {error, error_description}), and logout; the token is also kept in
//     the amazon_Login_accessToken cookie as Amazon's script does. A
//     redirect URL that is not http(s) on the page's own origin (Amazon
//     redirects only to the return URLs registered for the client id) is
//     refused before the sign-in: no navigation, the returned request has
//     error "invalid_request" and its error_description, and options.onError
//     (or the console) gets the same;
//   - OffAmazonPayments.Button(divId, sellerId, {type, color, size,
//     authorization, onError});
//   - OffAmazonPayments.Widgets.AddressBook and .Wallet with sellerId,
//     amazonOrderReferenceId or (with agreementType: 'BillingAgreement')
//     amazonBillingAgreementId, onOrderReferenceCreate, onReady,
//     onAddressSelect, onPaymentSelect, onError and bind(divId). Widgets of
//     one page share the object the first of them created, as Amazon's do;
//   - OffAmazonPayments.Widgets.Consent with amazonBillingAgreementId,
//     onReady and onConsent, whose argument's getConsentStatus() returns
//     "true" or "false" (a string);
//   - OffAmazonPayments.initConfirmationFlow(sellerId, id, callback) with
//     confirmationFlow.success() (to the hosted page) and error() (abort).
//
// Errors reach onError as an object with getErrorCode() and
// getErrorMessage(): BuyerSessionExpired (nobody signed in),
// InvalidSellerId, InvalidOrderReferenceId, InvalidBillingAgreementId,
// InvalidParameterValue, PaymentMethodNotModifiable (a Canceled or Closed
// object) and UnknownError (the sandbox cannot be reached).
//
// What is faked: the sign-in is the sandbox's test buyer (TestBuyer)
// without a password or a popup; the access token is an opaque string
// (the JSON endpoints take any non-empty one as signed in); the
// widgets render plain HTML lists (no iframes, no design options, no
// collapsible mobile layout, no Redirect Authentication); the Wallet lists
// the sandbox's payment methods (PaymentMethodOK and the others) and the
// AddressBook two German addresses. The hosted page asks for a challenge
// only when the sandbox wants one (a PaymentMethodSCA* method in the EU or
// UK, or a PaymentAuthenticationStatus simulation string);
// there the buyer passes, fails or cancels it with a button, whatever the
// method (the method's own outcome is marked as the expected one and is
// what FollowConfirmationFlow does without a browser). Otherwise the page
// sends the buyer on at once, as ConfirmationFlowPath does.
//
// The paths below are under the sandbox's URL.
const (
	// WidgetsPath is the prefix of everything the widgets serve.
	WidgetsPath = "/widgets/"
	// WidgetsJSPath is the path of the fake Widgets.js.
	WidgetsJSPath = WidgetsPath + "Widgets.js"
	// ChallengePath is the Amazon-hosted Confirmation Flow page that
	// confirmationFlow.success() opens, with the GET parameters sellerId and
	// amazonPaymentContractId. It shows the issuer's challenge when one is
	// needed and otherwise redirects to ConfirmationFlowPath.
	ChallengePath = WidgetsPath + "challenge"
	widgetsAPI    = WidgetsPath + "v1/"
)

// WidgetsURL returns the address of the fake Widgets.js, for the shop's
// <script src="…"> in place of Amazon's.
func (s *Server) WidgetsURL() string { return s.URL + WidgetsJSPath }

//go:embed static/Widgets.js static/challenge.html
var static embed.FS

var challengePage = template.Must(template.ParseFS(static, "static/challenge.html"))

// widgetAddresses is the test buyer's address book; the first is
// TestBuyer's.
func widgetAddresses() []amazonpay.Address {
	munich := *TestBuyer().Address
	munich.AddressLine1, munich.City, munich.PostalCode = "Marienplatz 8", "München", "80331"
	return []amazonpay.Address{*TestBuyer().Address, munich}
}

// widgetMethods is the test buyer's wallet as the Wallet widget lists it,
// with what each method does in the sandbox.
var widgetMethods = []struct {
	Method PaymentMethod
	Note   string
}{
	{PaymentMethodOK, "no challenge, never declined"},
	{PaymentMethodSCAPass, "* the issuer asks for authentication: passes"},
	{PaymentMethodSCAFail, "* the issuer asks for authentication: fails"},
	{PaymentMethodSCAAbandon, "* the issuer asks for authentication: abandoned"},
	{PaymentMethodNotAllowed, "constraint PaymentMethodNotAllowed"},
	{PaymentMethodInvalid, "declined: InvalidPaymentMethod"},
	{PaymentMethodRejected, "declined: AmazonRejected"},
	{PaymentMethodTimedOut, "declined: TransactionTimedOut"},
}

// widgetError is an error the widgets hand to onError.
type widgetError struct {
	status  int
	Code    string `json:"errorCode"`
	Message string `json:"errorMessage"`
}

// Error gives the widget error code and message.
func (e *widgetError) Error() string { return e.Code + ": " + e.Message }

func badWidgetParam(format string, args ...any) *widgetError {
	return &widgetError{http.StatusBadRequest, "InvalidParameterValue", fmt.Sprintf(format, args...)}
}

// serveWidgets answers everything under WidgetsPath.
func (h *Handler) serveWidgets(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path[strings.Index(r.URL.Path, WidgetsPath):]
	switch {
	case path == WidgetsJSPath:
		js, _ := static.ReadFile("static/Widgets.js")
		w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(js) // a browser gone away is its own failure
	case path == ChallengePath:
		h.serveChallenge(w, r)
	case strings.HasPrefix(path, widgetsAPI):
		h.serveWidgetAPI(w, r, strings.TrimPrefix(path, widgetsAPI))
	default:
		http.NotFound(w, r)
	}
}

// widgetRequest is the JSON body of every widget call.
type widgetRequest struct {
	SellerID      string `json:"sellerId"`
	ID            string `json:"id"`
	ClientID      string `json:"clientId"`
	Scope         string `json:"scope"`
	AccessToken   string `json:"accessToken"`
	AddressIndex  *int   `json:"addressIndex"`
	PaymentMethod string `json:"paymentMethod"`
	Consent       *bool  `json:"consent"`
}

// serveWidgetAPI answers the JSON calls of Widgets.js. The shop's pages
// come from another origin, so the answers allow any (no credentials are
// involved: the sign-in travels in the body).
func (h *Handler) serveWidgetAPI(w http.ResponseWriter, r *http.Request, op string) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	out, err := h.widgetCall(r, op)
	if err != nil {
		var we *widgetError
		if !errors.As(err, &we) {
			we = &widgetError{http.StatusInternalServerError, "UnknownError", err.Error()}
		}
		w.WriteHeader(we.status)
		_ = json.NewEncoder(w).Encode(we)
		return
	}
	_ = json.NewEncoder(w).Encode(out) // a browser gone away is its own failure
}

func (h *Handler) widgetCall(r *http.Request, op string) (any, error) {
	if r.Method != http.MethodPost {
		return nil, &widgetError{http.StatusMethodNotAllowed, "InvalidParameterValue", "widget calls are POST"}
	}
	var req widgetRequest
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, badWidgetParam("the body is not a widget request: %v", err)
	}
	if op == "login" {
		return h.widgetLogin(req)
	}
	if req.AccessToken == "" {
		return nil, &widgetError{http.StatusUnauthorized, "BuyerSessionExpired", "The buyer is not signed in: call amazon.Login.authorize first."}
	}
	if req.SellerID == "" {
		return nil, &widgetError{http.StatusBadRequest, "MissingParameter", "sellerId is missing."}
	}
	switch op {
	case "order-reference":
		id, err := h.CreateOrderReferenceFor(req.SellerID, TestBuyer())
		if err != nil {
			return nil, invalidSeller(req.SellerID)
		}
		return h.walletView(req.SellerID, id)
	case "billing-agreement":
		b := TestBuyer()
		b.Consent = false // the Consent widget asks for it
		id, err := h.CreateBillingAgreementFor(req.SellerID, b)
		if err != nil {
			return nil, invalidSeller(req.SellerID)
		}
		return h.walletView(req.SellerID, id)
	case "wallet":
		return h.walletView(req.SellerID, req.ID)
	case "select-address":
		addrs := widgetAddresses()
		if req.AddressIndex == nil || *req.AddressIndex < 0 || *req.AddressIndex >= len(addrs) {
			return nil, badWidgetParam("addressIndex must be 0 to %d", len(addrs)-1)
		}
		return h.widgetChange(req, func() error { return h.SelectAddress(req.ID, addrs[*req.AddressIndex]) })
	case "select-payment-method":
		if !knownWidgetMethod(PaymentMethod(req.PaymentMethod)) {
			return nil, badWidgetParam("paymentMethod %q is not in the wallet", req.PaymentMethod)
		}
		return h.widgetChange(req, func() error { return h.SelectPaymentMethod(req.ID, PaymentMethod(req.PaymentMethod)) })
	case "consent":
		if req.Consent == nil {
			return nil, badWidgetParam("consent must be true or false")
		}
		return h.widgetChange(req, func() error { return h.setConsent(req.ID, *req.Consent) })
	}
	return nil, &widgetError{http.StatusNotFound, "InvalidParameterValue", "no widget call " + op}
}

func invalidSeller(id string) *widgetError {
	return &widgetError{http.StatusBadRequest, "InvalidSellerId", fmt.Sprintf("The seller id %q is not valid.", id)}
}

func knownWidgetMethod(m PaymentMethod) bool {
	for _, wm := range widgetMethods {
		if wm.Method == m {
			return true
		}
	}
	return false
}

// loginReply is Login with Amazon's answer to amazon.Login.authorize.
type loginReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// widgetLogin signs the test buyer in.
func (h *Handler) widgetLogin(req widgetRequest) (any, error) {
	if req.ClientID == "" {
		return nil, &widgetError{http.StatusBadRequest, "invalid_request", "amazon.Login.setClientId was not called."}
	}
	h.mu.Lock()
	token := fmt.Sprintf("Atza|amazonpaytest.%016x%016x", h.rng.Uint64(), h.rng.Uint64())
	h.mu.Unlock()
	return loginReply{AccessToken: token, TokenType: "bearer", ExpiresIn: 3600, Scope: req.Scope}, nil
}

// widgetChange runs a buyer's change on an object of the request's seller
// and answers the object's new view.
func (h *Handler) widgetChange(req widgetRequest, change func() error) (any, error) {
	if _, err := h.walletView(req.SellerID, req.ID); err != nil {
		return nil, err
	}
	if err := change(); err != nil {
		if errors.Is(err, ErrState) {
			return nil, &widgetError{http.StatusConflict, "PaymentMethodNotModifiable", fmt.Sprintf("%s can no longer be changed.", req.ID)}
		}
		return nil, err
	}
	return h.walletView(req.SellerID, req.ID)
}

// setConsent is the buyer ticking or clearing the Consent widget's box.
func (h *Handler) setConsent(id string, consent bool) error {
	if consent {
		return h.GiveConsent(id)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ba := h.bas[id]
	if ba == nil {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if ba.status.State != stDraft {
		return fmt.Errorf("%w: %s is %s", ErrState, id, ba.status.State)
	}
	ba.consent = false
	return nil
}

// walletView is what the AddressBook, Wallet and Consent widgets show of
// an object.
type walletView struct {
	ID             string          `json:"id"`
	Kind           Kind            `json:"kind"`
	State          string          `json:"state"`
	Addresses      []widgetAddress `json:"addresses"`
	PaymentMethods []widgetMethod  `json:"paymentMethods"`
	Consent        bool            `json:"consent"`
}

type widgetAddress struct {
	Index    int    `json:"index"`
	Label    string `json:"label"`
	Selected bool   `json:"selected"`
}

type widgetMethod struct {
	Method   PaymentMethod `json:"method"`
	Note     string        `json:"note"`
	Selected bool          `json:"selected"`
}

func (h *Handler) walletView(seller, id string) (*walletView, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var b *buyerSide
	v := &walletView{ID: id}
	switch {
	case h.oros[id] != nil:
		o := h.oros[id]
		b, v.Kind, v.State = &o.buyerSide, KindOrderReference, o.status.State
	case h.bas[id] != nil:
		ba := h.bas[id]
		b, v.Kind, v.State, v.Consent = &ba.buyerSide, KindBillingAgreement, ba.status.State, ba.consent
	case strings.HasPrefix(id, "B") || strings.HasPrefix(id, "C"):
		return nil, &widgetError{http.StatusNotFound, "InvalidBillingAgreementId", fmt.Sprintf("The billing agreement %q is not valid.", id)}
	default:
		return nil, &widgetError{http.StatusNotFound, "InvalidOrderReferenceId", fmt.Sprintf("The order reference %q is not valid.", id)}
	}
	if h.ownerOf(id) != seller {
		return nil, invalidSeller(seller)
	}
	for i, a := range widgetAddresses() {
		sel := b.address != nil && b.address.AddressLine1 == a.AddressLine1 && b.address.PostalCode == a.PostalCode
		v.Addresses = append(v.Addresses, widgetAddress{Index: i, Selected: sel,
			Label: fmt.Sprintf("%s, %s, %s %s, %s", a.Name, a.AddressLine1, a.PostalCode, a.City, a.CountryCode)})
	}
	for _, m := range widgetMethods {
		v.PaymentMethods = append(v.PaymentMethods, widgetMethod{Method: m.Method, Note: m.Note, Selected: b.method == m.Method})
	}
	return v, nil
}

// challengeView is what the hosted page shows.
type challengeView struct {
	SellerID, ID, Method, Amount, Expected string
}

// serveChallenge is the hosted Confirmation Flow page. GET shows the
// issuer's challenge when one is due, else redirects to
// ConfirmationFlowPath, which decides and records where the buyer goes;
// POST is the buyer's answer to the challenge.
func (h *Handler) serveChallenge(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		h.answerChallenge(w, r)
		return
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "The Confirmation Flow page is opened with GET.", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	view, ok := h.challengeDue(q.Get("sellerId"), q.Get("amazonPaymentContractId"))
	if !ok {
		http.Redirect(w, r, ConfirmationFlowPath+"?"+flowQuery(q).Encode(), http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = challengePage.Execute(w, view) // the template is tested; a failed write is the browser's
}

// flowQuery keeps the parameters of the Confirmation Flow page.
func flowQuery(q url.Values) url.Values {
	return url.Values{"sellerId": {q.Get("sellerId")}, "amazonPaymentContractId": {q.Get("amazonPaymentContractId")}}
}

// challengeDue reports whether the buyer of id faces a challenge now: the
// object is the seller's, Open, confirmed with a SuccessUrl, and needs
// authentication that has not happened since.
func (h *Handler) challengeDue(seller, id string) (challengeView, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var b *buyerSide
	var st *status
	if o := h.oros[id]; o != nil {
		b, st = &o.buyerSide, &o.status
	} else if ba := h.bas[id]; ba != nil {
		b, st = &ba.buyerSide, &ba.status
	}
	if b == nil || h.ownerOf(id) != seller || st.State != stOpen || b.confirm == nil ||
		b.confirm.successURL == "" || b.authn != authnPending || !h.needsAuthentication(b) ||
		b.simAuthn == "" && b.method.challenge() == challengeNone {
		// No challenge due: in the EU every payment goes through the flow,
		// but a card whose issuer does not challenge passes it unseen.
		return challengeView{}, false
	}
	v := challengeView{SellerID: seller, ID: id, Method: string(b.method), Expected: h.flowOutcome(b)}
	a := b.confirm.amount
	if ba := h.bas[id]; ba != nil && a == nil {
		a = ba.subscription // a billing agreement is confirmed without an amount
	}
	if a != nil {
		v.Amount = formatUnits(a.units, a.currency) + " " + a.currency
	}
	return v, true
}

// answerChallenge applies the buyer's answer. The outcome is the one
// button pressed: it stands in for the flow's own outcome while
// ConfirmationFlowPath records it, so the page and the Go helpers share
// one implementation of the flow.
func (h *Handler) answerChallenge(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	outcome := r.PostForm.Get("AuthenticationStatus")
	switch amazonpay.AuthenticationStatus(outcome) {
	case amazonpay.AuthenticationSuccess, amazonpay.AuthenticationFailure, amazonpay.AuthenticationAbandoned:
	default:
		http.Error(w, "AuthenticationStatus must be Success, Failure or Abandoned", http.StatusBadRequest)
		return
	}
	q := flowQuery(r.PostForm)
	seller, id := q.Get("sellerId"), q.Get("amazonPaymentContractId")
	restore := func() {}
	if _, due := h.challengeDue(seller, id); due {
		h.mu.Lock()
		b := h.buyerSideOf(id)
		prev := b.simAuthn
		b.simAuthn = outcome
		h.mu.Unlock()
		restore = func() {
			h.mu.Lock()
			if b.simAuthn == outcome {
				b.simAuthn = prev
			}
			h.mu.Unlock()
		}
	}
	flow := r.Clone(r.Context())
	flow.Method, flow.Body, flow.Form, flow.PostForm = http.MethodGet, http.NoBody, nil, nil
	flow.URL.Path, flow.URL.RawQuery = ConfirmationFlowPath, q.Encode()
	defer restore()
	h.serveConfirmationFlow(w, flow)
}

// buyerSideOf finds the buyer's side of an order reference or billing
// agreement. The caller holds h.mu.
func (h *Handler) buyerSideOf(id string) *buyerSide {
	if o := h.oros[id]; o != nil {
		return &o.buyerSide
	}
	if ba := h.bas[id]; ba != nil {
		return &ba.buyerSide
	}
	return nil
}
