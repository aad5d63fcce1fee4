package checkout

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Errors of Payments; test them with errors.Is.
var (
	// ErrForgedReturn: a return whose payment id is unknown or whose
	// nonce is not the current attempt's. Nothing was changed and nothing
	// was sent to Amazon.
	ErrForgedReturn = errors.New("checkout: return URL not issued for the current attempt")
	// ErrFinal: Confirm for a payment that is already Paid or Canceled.
	ErrFinal = errors.New("checkout: payment is final")
	// ErrInProgress: Confirm while a money call of the payment is in
	// flight or its outcome is unknown; Return or Reconcile settles it.
	ErrInProgress = errors.New("checkout: payment has a money call in progress")
)

// Config configures Payments.
type Config struct {
	// ReturnURL is the shop's return handler, absolute (https in
	// production): the SuccessUrl and FailureUrl of every confirmation.
	// Payments adds the query parameters "payment" (the payment id) and
	// "nonce" (the attempt's secret). Required.
	ReturnURL string
	// CaptureNow: one-time purchases capture with the authorization.
	// Without it Return captures the total in a second call right after
	// the authorization. The value at a payment's first Confirm holds for
	// that payment.
	CaptureNow bool
	// SoftDescriptor, if set, appears on the buyer's statement ("AMZ*
	// <text>", at most 16 characters).
	SoftDescriptor string
	// Now is the clock for Created and Updated; time.Now if nil.
	Now func() time.Time
}

// Payments runs the server side of the Confirmation Flows, one-time
// purchases and subscriptions, durably on a Store. It is safe for
// concurrent use, by many goroutines and many processes sharing a store.
type Payments struct {
	client *amazonpay.Client
	store  Store
	cfg    Config
	ret    *url.URL
	now    func() time.Time
}

// New returns Payments calling Amazon Pay through client and keeping its
// state in store. A bad cfg is a *amazonpay.ValidationError.
func New(client *amazonpay.Client, store Store, cfg Config) (*Payments, error) {
	const op = "checkout.New"
	if client == nil {
		return nil, &amazonpay.ValidationError{Operation: op, Field: "client", Reason: "is nil"}
	}
	if store == nil {
		return nil, &amazonpay.ValidationError{Operation: op, Field: "store", Reason: "is nil"}
	}
	u, err := url.Parse(cfg.ReturnURL)
	if err != nil || cfg.ReturnURL == "" || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Fragment != "" {
		return nil, &amazonpay.ValidationError{Operation: op, Field: "ReturnURL", Reason: "must be an absolute http(s) URL without fragment"}
	}
	if q := u.Query(); q.Has(paramPayment) || q.Has(paramNonce) {
		return nil, &amazonpay.ValidationError{Operation: op, Field: "ReturnURL", Reason: "must not carry the parameters payment or nonce"}
	}
	if len(cfg.SoftDescriptor) > 16 {
		return nil, &amazonpay.ValidationError{Operation: op, Field: "SoftDescriptor", Reason: "is longer than 16 characters"}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Payments{client: client, store: store, cfg: cfg, ret: u, now: now}, nil
}

// Get returns the payment with the shop's id, or an error wrapping
// ErrNotFound.
func (p *Payments) Get(ctx context.Context, id string) (*Payment, error) {
	if err := checkID("checkout.Get", "ID", id); err != nil {
		return nil, err
	}
	return p.store.Get(ctx, id)
}

// The return URL's parameters.
const (
	paramPayment = "payment"
	paramNonce   = "nonce"
	nonceLen     = 32 // hex digits of 16 random bytes
	maxIDLen     = 128
)

// checkID refuses an empty, too long or non-printable id before any I/O.
func checkID(op, field, id string) error {
	switch {
	case id == "":
		return &amazonpay.ValidationError{Operation: op, Field: field, Reason: "is required"}
	case len(id) > maxIDLen:
		return &amazonpay.ValidationError{Operation: op, Field: field, Reason: fmt.Sprintf("is longer than %d bytes", maxIDLen)}
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f {
			return &amazonpay.ValidationError{Operation: op, Field: field, Reason: "must be printable ASCII without spaces"}
		}
	}
	return nil
}

// checkPrice refuses a missing or malformed amount before any I/O.
func checkPrice(op, field string, pr *amazonpay.Price) error {
	if pr == nil || pr.Amount == "" {
		return &amazonpay.ValidationError{Operation: op, Field: field + ".Amount", Reason: "is required"}
	}
	f, err := strconv.ParseFloat(pr.Amount, 64)
	if err != nil || f <= 0 || strings.ContainsAny(pr.Amount, "eE+-_ ") {
		return &amazonpay.ValidationError{Operation: op, Field: field + ".Amount", Reason: "must be a positive decimal"}
	}
	if len(pr.CurrencyCode) != 3 {
		return &amazonpay.ValidationError{Operation: op, Field: field + ".CurrencyCode", Reason: "must be an ISO 4217 code"}
	}
	return nil
}

// sameAmount compares decimal amounts ("10.5" equals "10.50").
func sameAmount(a, b amazonpay.Price) bool {
	if a.CurrencyCode != b.CurrencyCode {
		return false
	}
	return normAmount(a.Amount) == normAmount(b.Amount)
}

func normAmount(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	s = strings.TrimLeft(s, "0")
	if s == "" || s[0] == '.' {
		s = "0" + s
	}
	return s
}

// newNonce returns a fresh secret for a return URL.
func newNonce() string {
	var b [nonceLen / 2]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("checkout: crypto/rand failed: " + err.Error()) // never on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// referenceID derives the reference id of a money call from the payment
// id, the attempt and the call: 24 characters of A-Z a-z 0-9 _ -, the same
// on every retry and reconciliation of the attempt.
func referenceID(paymentID string, attempt int, call string) string {
	sum := sha256.Sum256([]byte(paymentID + "\x00" + strconv.Itoa(attempt) + "\x00" + call))
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

// returnURL is the SuccessUrl and FailureUrl of pay's current attempt.
func (p *Payments) returnURL(pay *Payment) string {
	u := *p.ret
	q := u.Query()
	q.Set(paramPayment, pay.ID)
	q.Set(paramNonce, pay.Nonce)
	u.RawQuery = q.Encode()
	return u.String()
}

// save stores pay, changed by change from its stored version: the version
// goes up by one. It returns ErrConflict (wrapped) when someone else
// changed the payment first.
func (p *Payments) save(ctx context.Context, pay *Payment, change func(*Payment)) (*Payment, error) {
	next := pay.clone()
	change(next)
	next.Version = pay.Version + 1
	next.Updated = p.now().UTC()
	if err := p.store.Update(ctx, next); err != nil {
		return pay, err
	}
	return next, nil
}

// ambiguous reports whether a failed call may have been acted on by
// Amazon: anything but a refusal. A *amazonpay.ValidationError was never
// sent; a non-temporary *amazonpay.APIError is Amazon's refusal, which
// with reference-id idempotency also means no earlier attempt of the same
// request took effect.
func ambiguous(err error) bool {
	var ve *amazonpay.ValidationError
	if errors.As(err, &ve) {
		return false
	}
	var ae *amazonpay.APIError
	if errors.As(err, &ae) && !ae.Temporary() {
		return false
	}
	var re *amazonpay.RequestError
	if errors.As(err, &re) && re.Attempts == 0 && re.Last == nil {
		return false // the context ended before the first attempt
	}
	return true
}

// apiCode is the MWS error code of err, or "".
func apiCode(err error) string {
	var ae *amazonpay.APIError
	if errors.As(err, &ae) {
		return string(ae.Code)
	}
	return ""
}
