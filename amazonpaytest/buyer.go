package amazonpaytest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/amazonpay-go/amazonpay"
)

// PaymentMethod is a payment instrument in the buyer's sandbox wallet. The
// constants behave like the sandbox's test instruments (marked * in the
// Wallet widget); any other value is a card that always works.
type PaymentMethod string

// The sandbox wallet. Challenges are raised in the EU and UK only, where
// Strong Customer Authentication applies; there every payment method goes
// through the Confirmation Flow, and these decide how it ends.
const (
	// PaymentMethodOK is a card without surprises: never declined, no
	// challenge of its own. In the EU and UK it still needs the
	// Confirmation Flow (which it passes), as every payment method does.
	PaymentMethodOK PaymentMethod = "Visa **1111"
	// PaymentMethodSCAPass raises an SCA challenge that the buyer passes.
	PaymentMethodSCAPass PaymentMethod = "Mastercard **5100"
	// PaymentMethodSCAFail raises an SCA challenge that the buyer fails
	// (AuthenticationStatus=Failure).
	PaymentMethodSCAFail PaymentMethod = "Visa **8320"
	// PaymentMethodSCAAbandon raises an SCA challenge that the buyer walks
	// away from (AuthenticationStatus=Abandoned).
	PaymentMethodSCAAbandon PaymentMethod = "Visa **4440"
	// PaymentMethodNotAllowed raises the constraint PaymentMethodNotAllowed.
	PaymentMethodNotAllowed PaymentMethod = "Visa **4545"
	// PaymentMethodInvalid is declined with InvalidPaymentMethod (soft decline).
	PaymentMethodInvalid PaymentMethod = "Visa **3434"
	// PaymentMethodRejected is declined with AmazonRejected.
	PaymentMethodRejected PaymentMethod = "Visa **2323"
	// PaymentMethodTimedOut is declined with TransactionTimedOut.
	PaymentMethodTimedOut PaymentMethod = "Visa **5656"
)

type challenge int

const (
	challengeNone challenge = iota
	challengePass
	challengeFail
	challengeAbandon
)

func (m PaymentMethod) challenge() challenge {
	switch m {
	case PaymentMethodSCAPass:
		return challengePass
	case PaymentMethodSCAFail:
		return challengeFail
	case PaymentMethodSCAAbandon:
		return challengeAbandon
	}
	return challengeNone
}

func (m PaymentMethod) decline() amazonpay.ReasonCode {
	switch m {
	case PaymentMethodInvalid:
		return amazonpay.ReasonInvalidPaymentMethod
	case PaymentMethodRejected:
		return amazonpay.ReasonAmazonRejected
	case PaymentMethodTimedOut:
		return amazonpay.ReasonTransactionTimedOut
	}
	return ""
}

func (m PaymentMethod) notAllowed() bool { return m == PaymentMethodNotAllowed }

// Buyer is what a buyer does in the Amazon Pay widgets before the merchant's
// backend takes over: sign in, pick an address and a payment method, and
// (for billing agreements) consent.
type Buyer struct {
	Name, Email, Phone string
	// Address is the shipping address chosen in the AddressBook widget. Nil
	// raises ShippingAddressNotSet unless DigitalGoods.
	Address *amazonpay.Address
	// DigitalGoods: no AddressBook widget, so no address is needed.
	DigitalGoods bool
	// PaymentMethod chosen in the Wallet widget; empty raises PaymentPlanNotSet.
	PaymentMethod PaymentMethod
	// Consent is the billing agreement consent box; false raises BuyerConsentNotSet.
	Consent bool
	// IsSeller makes the buyer the merchant itself (BuyerEqualsSeller, never clears).
	IsSeller bool
	// Language is the OrderLanguage; empty means the region's (e.g. de-DE).
	Language string
	// BillingAddress is the billing address of the payment method, shown to
	// allow-listed merchants (WithAllowListed); nil means Address.
	BillingAddress *amazonpay.Address
}

// TestBuyer returns a buyer in Berlin with PaymentMethodOK who consents.
func TestBuyer() Buyer {
	return Buyer{
		Name: "Test Buyer", Email: "buyer@example.com", Phone: "+49 30 1234567",
		Address: &amazonpay.Address{Name: "Test Buyer", AddressLine1: "Teststr. 1", City: "Berlin",
			PostalCode: "10115", CountryCode: "DE", Phone: "+49 30 1234567"},
		PaymentMethod: PaymentMethodOK,
		Consent:       true,
	}
}

func (b Buyer) side(in *interner) buyerSide {
	return buyerSide{
		buyerIdentity: in.identity(amazonpay.Buyer{Name: b.Name, Email: b.Email, Phone: b.Phone}),
		digital:       b.DigitalGoods,
		isSeller:      b.IsSeller,
		method:        PaymentMethod(in.str(string(b.PaymentMethod))),
		language:      in.str(b.Language),
		address:       in.addr(b.Address),
		billing:       in.addr(b.BillingAddress),
	}
}

// ErrNotFound is returned for an id the sandbox does not know.
var ErrNotFound = errors.New("amazonpaytest: no such object")

// ErrState is returned when the buyer cannot act on an object in its state.
var ErrState = errors.New("amazonpaytest: not possible in the object's state")

// ErrUnknownSeller is returned for a seller id that is neither the
// sandbox's own nor registered with WithDelegatedSeller.
var ErrUnknownSeller = errors.New("amazonpaytest: unknown seller")

// CreateOrderReference is the buyer signing in with the Amazon Pay button
// of the sandbox's own seller: it returns the id of a new Draft order
// reference.
func (h *Handler) CreateOrderReference(b Buyer) string {
	id, _ := h.CreateOrderReferenceFor(h.cfg.sellerID, b)
	return id
}

// CreateOrderReferenceFor is CreateOrderReference on the shop of sellerID,
// the sandbox's own seller or a delegated one (WithDelegatedSeller).
func (h *Handler) CreateOrderReferenceFor(sellerID string, b Buyer) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.knownSeller(sellerID) {
		return "", fmt.Errorf("%w: %s", ErrUnknownSeller, sellerID)
	}
	h.runDue()
	return h.newOrderRef(h.strs.str(sellerID), b.side(&h.strs)).id, nil
}

// CreateBillingAgreement is the buyer signing in for a subscription with
// the sandbox's own seller: it returns the id of a new Draft billing
// agreement.
func (h *Handler) CreateBillingAgreement(b Buyer) string {
	id, _ := h.CreateBillingAgreementFor(h.cfg.sellerID, b)
	return id
}

// CreateBillingAgreementFor is CreateBillingAgreement on the shop of
// sellerID, the sandbox's own seller or a delegated one.
func (h *Handler) CreateBillingAgreementFor(sellerID string, b Buyer) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.knownSeller(sellerID) {
		return "", fmt.Errorf("%w: %s", ErrUnknownSeller, sellerID)
	}
	h.runDue()
	return h.newBillingAgreement(h.strs.str(sellerID), b.side(&h.strs), b.Consent).id, nil
}

// buyerObject finds the buyer's side of an order reference or billing
// agreement that the buyer can still change. The caller holds h.mu.
func (h *Handler) buyerObject(id string) (*buyerSide, *status, error) {
	var b *buyerSide
	var st *status
	if o := h.oros[id]; o != nil {
		b, st = &o.buyerSide, &o.status
	} else if ba := h.bas[id]; ba != nil {
		b, st = &ba.buyerSide, &ba.status
	} else {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if st.State == stCanceled || st.State == stClosed {
		return nil, nil, fmt.Errorf("%w: %s is %s", ErrState, id, st.State)
	}
	return b, st, nil
}

// SelectPaymentMethod is the buyer picking another payment method in the
// Wallet widget. A new method needs a new authentication. A Suspended
// order reference becomes Open again; a Suspended billing agreement waits
// for the merchant to confirm it again.
func (h *Handler) SelectPaymentMethod(id string, m PaymentMethod) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	b, st, err := h.buyerObject(id)
	if err != nil {
		return err
	}
	b.method, b.methodStale = m, false
	if b.authn != authnNone {
		b.authn = authnNone
	}
	if ba := h.bas[id]; ba != nil {
		ba.addressDeleted = false // the new method has its billing address
	}
	if o := h.oros[id]; o != nil && st.State == stSuspended && len(o.constraints()) == 0 {
		h.setStatus(st, stOpen, "", "")
	}
	return nil
}

// SelectAddress is the buyer picking a shipping address in the AddressBook widget.
func (h *Handler) SelectAddress(id string, a amazonpay.Address) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	b, _, err := h.buyerObject(id)
	if err != nil {
		return err
	}
	b.address = h.strs.addr(&a)
	return nil
}

// SelectCurrency is the buyer choosing the currency to pay in, in the
// widgets of an EU or UK merchant (multi-currency). While it differs from
// the currency of the order total the order reference has the constraint
// CurrencyMismatch.
func (h *Handler) SelectCurrency(id, currency string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	if !h.currencySupported(currency) {
		return fmt.Errorf("amazonpaytest: the currency %q is not offered in region %s", currency, h.cfg.region)
	}
	b, _, err := h.buyerObject(id)
	if err != nil {
		return err
	}
	b.presentment = currency
	return nil
}

// DeleteBillingAddress is the buyer deleting, in their Amazon account, the
// billing address of the payment method of an Open or Suspended billing
// agreement: it gets the constraint BillingAddressDeleted and is Suspended
// with InvalidPaymentMethod until the buyer chooses a payment method again
// (SelectPaymentMethod) and the merchant confirms it again.
func (h *Handler) DeleteBillingAddress(id string) error {
	return h.changeBillingAgreement(id, []string{stOpen, stSuspended}, func(ba *billingAgreement) {
		ba.addressDeleted = true
		if ba.status.State == stOpen {
			h.setStatus(&ba.status, stSuspended, rcInvalidPaymentMethod, "")
		}
	})
}

// GiveConsent is the buyer ticking the consent box of a billing agreement.
func (h *Handler) GiveConsent(id string) error {
	return h.changeBillingAgreement(id, []string{stDraft, stOpen, stSuspended}, func(ba *billingAgreement) {
		ba.consent = true
	})
}

// ConfirmationFlowPath is the path of the Confirmation Flow page, the page
// OffAmazonPayments.initConfirmationFlow sends the buyer to. It takes the
// GET parameters sellerId and amazonPaymentContractId (the order reference
// or billing agreement id) and answers 302 to the merchant's SuccessUrl or
// FailureUrl:
//
//	SuccessUrl?AuthenticationStatus=Success
//	FailureUrl?AuthenticationStatus=Failure   (challenge failed)
//	FailureUrl?AuthenticationStatus=Abandoned (challenge abandoned; the object is Suspended, PaymentAuthorizationRequired)
//	FailureUrl?ErrorCode=InvalidSellerId|InvalidIdStatus|InternalServerError
//
// Without a FailureUrl failures go to the SuccessUrl. An unknown id, or an
// object never confirmed with a SuccessUrl, gets a 400 page: there is
// nowhere to send the buyer.
const ConfirmationFlowPath = "/confirmation-flow"

// withQuery appends key=value to a URL that may already have a query or a
// fragment.
func withQuery(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	kv := url.QueryEscape(key) + "=" + url.QueryEscape(value)
	if u.RawQuery == "" {
		u.RawQuery = kv
	} else {
		u.RawQuery = escapeQuery(u.RawQuery) + "&" + kv
	}
	return u.String() // String escapes the path and fragment; the query is ours
}

// escapeQuery percent-encodes what may not stand in the query of a URI
// (RFC 3986 §3.4): raw spaces, UTF-8 and other octets a shop's SuccessUrl
// may carry, so the Location header is a valid URI. Existing escapes and
// the query's delimiters are kept.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0:
			b.WriteByte(c)
		case c == '%' && i+2 < len(q) && isHex(q[i+1]) && isHex(q[i+2]):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func (h *Handler) serveConfirmationFlow(w http.ResponseWriter, r *http.Request) {
	location, status, msg, drop := h.confirmationFlow(r)
	if drop {
		dropConnection(w)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if location != "" {
		w.Header().Set("Location", location)
		w.WriteHeader(http.StatusFound)
		_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html><body><a href=\"%s\">Return to the shop</a></body></html>\n", html.EscapeString(location))
		return
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html><body><h1>Hmmm...that didn't work</h1><p>%s</p></body></html>\n", html.EscapeString(msg))
}

// confirmationFlow decides where the buyer goes and records the outcome.
func (h *Handler) confirmationFlow(r *http.Request) (location string, code int, msg string, drop bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	q := r.URL.Query()
	seller, id := q.Get("sellerId"), q.Get("amazonPaymentContractId")
	rec := Request{Time: h.now, Action: ConfirmationFlow, Params: q, SignatureValid: true, RequestID: newRequestID(h.rng)}
	defer func() {
		rec.Status = code
		if location != "" {
			rec.Status = http.StatusFound
		}
		if drop {
			rec.Status = 0
		}
		h.logRequest(rec)
	}()
	if r.Method != http.MethodGet {
		return "", http.StatusMethodNotAllowed, "The Confirmation Flow page is opened with GET.", false
	}
	var b *buyerSide
	var st *status
	if o := h.oros[id]; o != nil {
		b, st = &o.buyerSide, &o.status
	} else if ba := h.bas[id]; ba != nil {
		b, st = &ba.buyerSide, &ba.status
	}
	if b == nil || b.confirm == nil || b.confirm.successURL == "" {
		return "", http.StatusBadRequest, "No confirmed order reference or billing agreement with a SuccessUrl has this id.", false
	}
	success, failure := b.confirm.successURL, b.confirm.failureURL
	if failure == "" {
		failure = success
	}
	fault := h.takeFault(ConfirmationFlow)
	if fault != nil {
		rec.Fault = fault.Kind
		switch fault.Kind {
		case FaultInternalError:
			rec.ErrorCode = "InternalServerError"
			return withQuery(failure, "ErrorCode", "InternalServerError"), 0, "", false
		case FaultServiceUnavailable, FaultBadGateway:
			return "", http.StatusBadGateway, "The page is temporarily unavailable.", false
		case FaultConnectionReset:
			return "", 0, "", true
		}
	}
	if seller != h.ownerOf(id) {
		rec.ErrorCode = "InvalidSellerId"
		return withQuery(failure, "ErrorCode", "InvalidSellerId"), 0, "", false
	}
	if st.State != stOpen {
		rec.ErrorCode = "InvalidIdStatus"
		return withQuery(failure, "ErrorCode", "InvalidIdStatus"), 0, "", false
	}
	rec.Applied = true
	outcome := h.flowOutcome(b)
	switch outcome {
	case "Success":
		b.authn, b.authenticated = authnPassed, b.confirm.amount
		if ba := h.bas[id]; ba != nil {
			h.authenticated(ba)
		}
		location = withQuery(success, "AuthenticationStatus", "Success")
	case "Failure":
		b.authn = authnFailed
		location = withQuery(failure, "AuthenticationStatus", "Failure")
	default:
		b.authn = authnAbandoned
		h.suspend(st, rcPaymentAuthorizationNeeded)
		location = withQuery(failure, "AuthenticationStatus", "Abandoned")
	}
	if fault != nil && fault.Kind == FaultAppliedThenDropped {
		return "", 0, "", true
	}
	return location, 0, "", false
}

// ErrNoRedirect is returned by the Confirmation Flow helpers when the page
// did not send the buyer back to the shop.
var ErrNoRedirect = errors.New("amazonpaytest: the Confirmation Flow did not redirect")

// ConfirmationFlowURL returns the address of the Confirmation Flow page of
// the object id for sellerID under base (a server URL).
func ConfirmationFlowURL(base, sellerID, id string) string {
	q := url.Values{"sellerId": {sellerID}, "amazonPaymentContractId": {id}}
	return strings.TrimSuffix(base, "/") + ConfirmationFlowPath + "?" + q.Encode()
}

// RunConfirmationFlow plays the buyer's visit to the Confirmation Flow page
// in-process (no network) and returns the URL the buyer is sent back to.
// Parse its query with amazonpay.ParseConfirmationRedirect.
func (h *Handler) RunConfirmationFlow(sellerID, id string) (u *url.URL, err error) {
	req := httptest.NewRequest(http.MethodGet, ConfirmationFlowURL("http://sandbox.invalid", sellerID, id), nil)
	rec := httptest.NewRecorder()
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			u, err = nil, fmt.Errorf("%w: the connection was dropped", ErrNoRedirect)
		}
	}()
	h.ServeHTTP(rec, req)
	return redirectOf(rec.Result())
}

func redirectOf(resp *http.Response) (*url.URL, error) {
	defer func() { _ = resp.Body.Close() }() // only the headers matter
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("%w: HTTP %d", ErrNoRedirect, resp.StatusCode)
	}
	return url.Parse(resp.Header.Get("Location"))
}

// ConfirmationFlowURL returns the server address of the Confirmation Flow
// page for the object id, with the id of the seller it belongs to (the
// sandbox's own seller for an unknown id).
func (s *Server) ConfirmationFlowURL(id string) string {
	s.mu.Lock()
	seller := s.ownerOf(id)
	s.mu.Unlock()
	if seller == "" {
		seller = s.cfg.sellerID
	}
	return ConfirmationFlowURL(s.URL, seller, id)
}

// FollowConfirmationFlow opens the Confirmation Flow page of id as a
// browser would (an HTTP GET, served in process through InProcessClient),
// with sellerID as given to initConfirmationFlow, and returns the URL the
// buyer is redirected to, without following it.
func (s *Server) FollowConfirmationFlow(ctx context.Context, sellerID, id string) (*url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ConfirmationFlowURL(s.URL, sellerID, id), nil)
	if err != nil {
		return nil, err
	}
	hc := s.InProcessClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoRedirect, err)
	}
	return redirectOf(resp)
}
