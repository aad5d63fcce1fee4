package amazonpaytest

import (
	"fmt"
	"strings"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// The states of the five kinds of objects (spec §3).
const (
	stDraft     = "Draft"
	stOpen      = "Open"
	stSuspended = "Suspended"
	stCanceled  = "Canceled"
	stClosed    = "Closed"
	stPending   = "Pending"
	stDeclined  = "Declined"
	stCompleted = "Completed"
)

// Reason codes the sandbox sets.
const (
	rcStale                      = "Stale"
	rcSellerCanceled             = "SellerCanceled"
	rcAmazonCanceled             = "AmazonCanceled"
	rcBuyerCanceled              = "BuyerCanceled"
	rcInvalidPaymentMethod       = "InvalidPaymentMethod"
	rcPaymentAuthorizationNeeded = "PaymentAuthorizationRequired"
	rcExpired                    = "Expired"
	rcMaxAmountCharged           = "MaxAmountCharged"
	rcMaxAuthorizationsCaptured  = "MaxAuthorizationsCaptured"
	rcMaxAuthorizationsProcessed = "MaxAuthorizationsProcessed"
	rcSellerClosed               = "SellerClosed"
	rcAmazonClosed               = "AmazonClosed"
	rcAmazonRejected             = "AmazonRejected"
	rcProcessingFailure          = "ProcessingFailure"
	rcTransactionTimedOut        = "TransactionTimedOut"
	rcExpiredUnused              = "ExpiredUnused"
	rcMaxCapturesProcessed       = "MaxCapturesProcessed"
	rcOrderReferenceCanceled     = "OrderReferenceCanceled"
	rcMaxAmountRefunded          = "MaxAmountRefunded"
	rcMaxRefundsProcessed        = "MaxRefundsProcessed"
	rcStopShipmentAtypicalAuth   = "StopShipmentAtypicalAuth"
)

const (
	draftLifetime       = 3 * time.Hour
	orderRefLifetime    = 180 * 24 * time.Hour
	maxCapturedAuths    = 10 // captured authorizations close an order reference
	maxAuthorizations   = 10 // successful authorizations of an order reference
	maxRefundsOfCapture = 10
	defaultBALimit      = 500 * 100
)

// status is the state of an object and why. Its text (state, reason,
// description) is one of few, so objects share it (interner.status);
// the time is kept as Unix nanoseconds. Every object's status has its
// text from the start (newStatus): the zero status has none.
type status struct {
	*statusText
	updated int64 // UnixNano of the last change
	// owner is the object whose status this is (*orderRef, *authorization,
	// *capture, *refund, *billingAgreement), for its notifications.
	owner any
}

// statusText is what a status says; never changed once made.
type statusText struct {
	State  string
	Reason string
	Desc   string
}

// noStatus is the text of an object before its first state.
var noStatus = &statusText{}

// newStatus is the status of owner before its first state.
func newStatus(owner any) status { return status{statusText: noStatus, owner: owner} }

// Updated is when the status last changed.
func (s status) Updated() time.Time { return time.Unix(0, s.updated).UTC() }

func (h *Handler) setStatus(s *status, state, reason, desc string) {
	if s.statusText == nil { // an object made without newStatus
		s.statusText = noStatus
	}
	defer h.statusChanged(s, s.State) // notifies the change (notify.go)
	*s = status{statusText: h.strs.status(statusText{State: state, Reason: reason, Desc: desc}), updated: h.now.UnixNano(), owner: s.owner}
}

// authn is where an object stands in the Confirmation Flow.
type authn uint8

const (
	authnNone      authn = iota // no flow started since the last confirmation
	authnPending                // confirmed with a SuccessUrl, buyer not back yet
	authnPassed                 // AuthenticationStatus=Success
	authnFailed                 // AuthenticationStatus=Failure
	authnAbandoned              // AuthenticationStatus=Abandoned
)

// confirmation is what the last Confirm call asked for.
type confirmation struct {
	successURL, failureURL string
	// amount is what the buyer authenticates in the flow: the
	// AuthorizationAmount, or the OrderTotal at confirmation.
	amount          *money
	expectImmediate bool
	gen             int // counts confirmations, to void stale timers
}

// buyerSide is what the buyer chose in the widgets, shared by order
// references and billing agreements.
type buyerSide struct {
	*buyerIdentity // shared by every object of the same buyer (interner.identity)
	address        *amazonpay.Address
	billing        *amazonpay.Address // the payment method's billing address; nil: address
	method         PaymentMethod
	language       string
	simAuthn       string // SandboxSimulation PaymentAuthenticationStatus State
	confirm        *confirmation
	// authenticated is the amount of the last passed Confirmation Flow.
	authenticated *money
	confirmCount  int
	// presentment is the currency the buyer chose in the widget (empty:
	// the order total's); another one raises CurrencyMismatch.
	presentment string
	// The small fields together, so that they share one word.
	authn       authn
	digital     bool
	isSeller    bool
	simNotAllow bool // SandboxSimulation Constraint PaymentMethodNotAllowed
	// methodStale: suspended for InvalidPaymentMethod and the buyer has
	// not chosen a payment method since (PaymentMethodNotUpdated).
	methodStale bool
}

// buyerIdentity is who the buyer is: never changed once made.
type buyerIdentity struct {
	buyer  amazonpay.Buyer
	userID string // Login with Amazon user id
}

type orderRef struct {
	buyerSide
	seller   string // the seller it belongs to
	id       string
	created  time.Time
	status   status
	total    *money
	rpa      bool
	auths    []*authorization
	captured int64 // captured amount, all captures that are not declined
	capAuths int   // authorizations with a capture
	// extra holds what most order references never get; nil until then.
	extra *orderExtra
}

// orderExtra is the part of an order reference that a shop sets only
// sometimes, or that only some order references have: kept apart, so
// that an order reference without it is small (BenchmarkSandboxGrowth).
type orderExtra struct {
	sellerNote string
	platformID string
	soa        sellerOrderAttrs
	psp        *pspAttrs
	parent     *parentRef
	viaBA      *billingAgreement // set for the child of AuthorizeOnBillingAgreement
}

// noOrderExtra is what ex reads when an order reference has no extra.
var noOrderExtra orderExtra

// ex returns o's extra for reading (a zero one if it has none): never
// write through it; set goes through setEx.
func (o *orderRef) ex() *orderExtra {
	if o.extra == nil {
		return &noOrderExtra
	}
	return o.extra
}

// setEx returns o's extra for writing, making it on first use.
func (o *orderRef) setEx() *orderExtra {
	if o.extra == nil {
		o.extra = &orderExtra{}
	}
	return o.extra
}

// creditList is a ProviderCreditList (or ProviderCreditReversalList),
// nil when empty as for most payments: one word per object instead of a
// slice's three.
type creditList struct{ p *[]providerCredit }

func makeCredits(pcs []providerCredit) creditList {
	if len(pcs) == 0 {
		return creditList{}
	}
	return creditList{&pcs}
}

// all returns the credits, nil for none.
func (l creditList) all() []providerCredit {
	if l.p == nil {
		return nil
	}
	return *l.p
}

type sellerOrderAttrs struct {
	SellerOrderID, StoreName, CustomInformation, SupplementaryData string
	Categories                                                     []string
}

type pspAttrs struct{ ID, OrderID string }

type parentRef struct{ id, typ string }

type authorization struct {
	id, refID   string
	oro         *orderRef
	note, soft  string
	amount      money
	captured    int64
	captures    []*capture
	created     time.Time // ExpirationTimestamp is 30 days later
	status      status
	captureNow  bool
	softDecline *bool
	credits     creditList // ProviderCreditList, for the CaptureNow capture
}

type capture struct {
	credits    creditList // ProviderCreditList
	id, refID  string
	auth       *authorization
	note, soft string
	amount     money
	refunded   int64 // completed refunds
	refunds    []*refund
	created    time.Time
	status     status
}

type refund struct {
	id, refID  string
	capture    *capture
	note, soft string
	amount     money
	created    time.Time
	status     status
	refundType string      // SellerInitiated, or an Amazon-initiated type
	credits    creditList  // ProviderCreditReversalList
	sim        *simulation // the SellerRefundNote simulation, if any
}

type billingAgreement struct {
	buyerSide
	seller       string // the seller it belongs to
	id           string
	created      time.Time
	status       status
	consent      bool
	sellerNote   string
	platformID   string
	sba          sellerBAAttrs
	baType       string
	subscription *money
	currency     string
	spent        map[string]int64 // by period (month) key
	children     []*orderRef
	// The seeds' 30-day rule (EU/UK): the buyer's authentication expires
	// unless a charge is captured within 30 days of it.
	limitsNotSet   bool      // AmazonUnsetBillingAgreementLimits
	addressDeleted bool      // DeleteBillingAddress: BillingAddressDeleted
	authnAt        time.Time // when the buyer last passed the Confirmation Flow
	authnGen       int       // counts passed flows, to void stale timers
	keptAlive      bool      // a capture within 30 days of authnAt
}

// baAuthenticationWindow is the seeds' "make the Capture within 30 days"
// rule for billing agreements in the EU and UK.
const baAuthenticationWindow = 30 * 24 * time.Hour

// authenticated records a passed Confirmation Flow of ba and starts the
// 30-day window in which a capture keeps the authentication. The caller
// holds h.mu.
func (h *Handler) authenticated(ba *billingAgreement) {
	ba.authnAt, ba.keptAlive = h.now, false
	ba.authnGen++
	if !h.cfg.region.SCARequired() {
		return
	}
	gen := ba.authnGen
	h.schedule(h.now.Add(baAuthenticationWindow), func() {
		if ba.authnGen == gen && !ba.keptAlive && ba.authn == authnPassed {
			ba.authn = authnNone // the buyer must authenticate again
		}
	})
}

// captured records a capture on a child order reference of ba.
func (h *Handler) captured(ba *billingAgreement) {
	if ba.authn == authnPassed && !h.now.After(ba.authnAt.Add(baAuthenticationWindow)) {
		ba.keptAlive = true
	}
}

type sellerBAAttrs struct{ SellerBillingAgreementID, StoreName, CustomInformation string }

// idDigit is the two-digit marketplace part of ids (spec §8.1).
func (h *Handler) idDigits() string {
	switch h.cfg.region {
	case amazonpay.RegionUS, amazonpay.RegionNA:
		return "01"
	case amazonpay.RegionJP:
		return "03"
	}
	return "02"
}

func (h *Handler) newID(letter string) string {
	for {
		id := fmt.Sprintf("%s%s-%07d-%07d", letter, h.idDigits(), h.rng.IntN(1e7), h.rng.IntN(1e7))
		if _, dup := h.oros[id]; dup {
			continue
		}
		if _, dup := h.bas[id]; dup {
			continue
		}
		return id
	}
}

func (h *Handler) newOrderRefID() string {
	if h.cfg.live {
		return h.newID("P")
	}
	return h.newID("S")
}

func (h *Handler) newBillingAgreementID() string {
	if h.cfg.live {
		return h.newID("B")
	}
	return h.newID("C")
}

// newSuffix returns a fresh 6-digit suffix for an authorization, capture or
// refund id of o (spec §8.1: <OROid>-A123456). The ids of the objects
// themselves tell which are taken: an order reference keeps no set of its own.
func (h *Handler) newSuffix(o *orderRef, letter string) string {
	for {
		s := fmt.Sprintf("%06d", h.rng.IntN(1e6))
		if h.kindOf(o.id+"-"+letter+s) == "" {
			return s
		}
	}
}

func (h *Handler) language() string {
	switch h.cfg.region {
	case amazonpay.RegionUK, amazonpay.RegionEU:
		return "en-GB"
	case amazonpay.RegionUS, amazonpay.RegionNA:
		return "en-US"
	case amazonpay.RegionJP:
		return "ja-JP"
	}
	return "de-DE"
}

func (h *Handler) newOrderRef(seller string, b buyerSide) *orderRef {
	if b.language == "" {
		b.language = h.language()
	}
	o := &orderRef{buyerSide: b, seller: seller, id: h.newOrderRefID(), created: h.now}
	o.status = newStatus(o)
	h.setStatus(&o.status, stDraft, "", "")
	h.oros[o.id] = o
	h.order = append(h.order, o.id)
	h.schedule(o.created.Add(draftLifetime), func() {
		if o.status.State == stDraft {
			h.setStatus(&o.status, stCanceled, rcStale, "The order reference was not confirmed within three hours.")
		}
	})
	h.schedule(o.created.Add(orderRefLifetime), func() {
		if o.status.State == stOpen || o.status.State == stSuspended {
			h.setStatus(&o.status, stClosed, rcExpired, "The order reference expired after 180 days.")
		}
	})
	return o
}

func (h *Handler) newBillingAgreement(seller string, b buyerSide, consent bool) *billingAgreement {
	if b.language == "" {
		b.language = h.language()
	}
	ba := &billingAgreement{buyerSide: b, seller: seller, id: h.newBillingAgreementID(), created: h.now, consent: consent,
		currency: h.cfg.region.DefaultCurrency(), spent: map[string]int64{}}
	ba.status = newStatus(ba)
	h.setStatus(&ba.status, stDraft, "", "")
	h.bas[ba.id] = ba
	h.order = append(h.order, ba.id)
	h.schedule(ba.created.Add(draftLifetime), func() {
		if ba.status.State == stDraft {
			h.cancelBillingAgreement(ba, rcStale, "The billing agreement was not confirmed within three hours.")
		}
	})
	return ba
}

// cancelBillingAgreement cancels ba and, with it, its Open and Suspended
// child order references: Amazon cancels them (AmazonCanceled, a choice:
// the documentation names no reason for them).
func (h *Handler) cancelBillingAgreement(ba *billingAgreement, reason, desc string) {
	h.setStatus(&ba.status, stCanceled, reason, desc)
	for _, o := range ba.children {
		if o.status.State == stOpen || o.status.State == stSuspended {
			h.cancelOrderRef(o, rcAmazonCanceled, "The billing agreement "+ba.id+" was canceled.")
		}
	}
}

// constraint descriptions, as Amazon words them.
var constraintText = map[string]string{
	"AmountNotSet":                 "The seller has not set the amount for the Order Reference.",
	"BillingAddressDeleted":        "The buyer has deleted the billing address of the selected payment method.",
	"BillingAgreementLimitsNotSet": "The limits of the billing agreement are not set.",
	"CurrencyMismatch":             "The currency of the order total does not match the currency the buyer chose.",
	"BuyerConsentNotSet":           "The buyer has not given consent for this billing agreement.",
	"BuyerEqualsSeller":            "The buyer is the seller. A seller cannot buy from its own store.",
	"PaymentMethodNotAllowed":      "The payment method selected by the buyer is not allowed for this transaction.",
	"PaymentPlanNotSet":            "The buyer has not been able to select a Payment method for the given Order Reference.",
	"ShippingAddressNotSet":        "The buyer has not been able to select the Shipping address from the Address Book widget.",
}

// buyerConstraints are the constraints the buyer's choices raise.
func (b *buyerSide) buyerConstraints() []string {
	var out []string
	if b.isSeller {
		out = append(out, "BuyerEqualsSeller")
	}
	if b.method == "" {
		out = append(out, "PaymentPlanNotSet")
	} else if b.method.notAllowed() || b.simNotAllow {
		out = append(out, "PaymentMethodNotAllowed")
	}
	if b.address == nil && !b.digital {
		out = append(out, "ShippingAddressNotSet")
	}
	return out
}

// constraints of an order reference (spec §4.1); none once it is Canceled
// or Closed.
func (o *orderRef) constraints() []string {
	if o.status.State == stCanceled || o.status.State == stClosed {
		return nil
	}
	var out []string
	if o.total == nil {
		out = append(out, "AmountNotSet")
	} else if o.presentment != "" && o.presentment != o.total.currency {
		out = append(out, "CurrencyMismatch")
	}
	return append(out, o.buyerConstraints()...)
}

// constraints of a billing agreement (spec §4.2).
func (ba *billingAgreement) constraints() []string {
	if ba.status.State == stCanceled || ba.status.State == stClosed {
		return nil
	}
	var out []string
	if !ba.consent {
		out = append(out, "BuyerConsentNotSet")
	}
	if ba.limitsNotSet {
		out = append(out, "BillingAgreementLimitsNotSet")
	}
	if ba.addressDeleted {
		out = append(out, "BillingAddressDeleted")
	}
	return append(out, ba.buyerConstraints()...)
}

// needsAuthentication reports whether the buyer must pass the Confirmation
// Flow before a charge: always in the EU and UK, where the issuer decides
// per payment whether to challenge (so a shop must never rely on a card
// not needing it), elsewhere only with a PaymentAuthenticationStatus
// simulation string.
func (h *Handler) needsAuthentication(b *buyerSide) bool {
	return b.simAuthn != "" || h.cfg.region.SCARequired()
}

// flowOutcome is the AuthenticationStatus the buyer will come back with.
func (h *Handler) flowOutcome(b *buyerSide) string {
	if b.simAuthn != "" {
		return b.simAuthn
	}
	if h.cfg.region.SCARequired() {
		switch b.method.challenge() {
		case challengeFail:
			return "Failure"
		case challengeAbandon:
			return "Abandoned"
		}
	}
	return "Success"
}

func joinConstraints(ids []string) string {
	return strings.Join(ids, " and ")
}

// periodKey and periodBounds: billing agreement limits run per calendar
// month (UTC) of the sandbox clock.
func periodBounds(now time.Time) (start, end time.Time) {
	start = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 1, 0)
}

func periodKey(now time.Time) string { return now.UTC().Format("2006-01") }

func (ba *billingAgreement) remaining(now time.Time) int64 {
	return defaultBALimit - ba.spent[periodKey(now)]
}

// closeOrderRef closes o unless it already is Closed or Canceled.
func (h *Handler) closeOrderRef(o *orderRef, reason, desc string) {
	if o.status.State == stClosed || o.status.State == stCanceled {
		return
	}
	h.setStatus(&o.status, stClosed, reason, desc)
}

// suspend moves an Open order reference or billing agreement to Suspended.
func (h *Handler) suspend(s *status, reason string) {
	if s.State == stOpen {
		h.setStatus(s, stSuspended, reason, "")
	}
}

// suspendForMethod suspends an Open order reference or billing agreement
// for reason; with InvalidPaymentMethod the buyer must choose another
// payment method before it is confirmed again (PaymentMethodNotUpdated).
func (h *Handler) suspendForMethod(b *buyerSide, s *status, reason string) {
	if s.State != stOpen {
		return
	}
	h.suspend(s, reason)
	if reason == rcInvalidPaymentMethod {
		b.methodStale = true
	}
}

// checkMethodUpdated refuses to confirm again an object suspended for its
// payment method before the buyer chose another one.
func checkMethodUpdated(b *buyerSide, s status, kind, id string) {
	if s.State == stSuspended && b.methodStale {
		fail(400, "PaymentMethodNotUpdated", "The buyer has not updated the payment method of %s %s since it was declined.", kind, id)
	}
}

// object looks up any object by id for the inspection API.
func (h *Handler) kindOf(id string) Kind {
	switch {
	case h.oros[id] != nil:
		return KindOrderReference
	case h.auths[id] != nil:
		return KindAuthorization
	case h.caps[id] != nil:
		return KindCapture
	case h.refunds[id] != nil:
		return KindRefund
	case h.bas[id] != nil:
		return KindBillingAgreement
	}
	return ""
}
