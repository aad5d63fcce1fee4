package amazonpaytest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// Default credentials of a sandbox made without WithSellerID or WithCredentials.
const (
	DefaultSellerID    = "A1SANDBOXSELLER"
	DefaultAccessKeyID = "AKIASANDBOXKEY"
	DefaultSecretKey   = "amazonpaytest-secret-key"
)

// Namespace is the XML namespace of every API response.
const Namespace = "http://mws.amazonservices.com/schema/OffAmazonPayments/2013-01-01"

const (
	sandboxPath = "/OffAmazonPayments_Sandbox/" + amazonpay.APIVersion
	livePath    = "/OffAmazonPayments/" + amazonpay.APIVersion
	// timestampWindow is how far a request's Timestamp may be from the
	// sandbox clock, as MWS allows.
	timestampWindow = 15 * time.Minute
	maxFormBytes    = 1 << 20
)

type config struct {
	sellerID, accessKey, secret string
	region                      amazonpay.Region
	live                        bool
	start                       time.Time
	frozen                      bool
	eiaWindow                   time.Duration
	processingDelay             time.Duration
	authLifetime                time.Duration
	throttle                    ThrottleMode
	quotas                      map[string]Quota
	throttleClock               func() time.Time
	seed                        uint64
	seeded                      bool
	delegated                   map[string]string // seller id → MWSAuthToken
	clientID                    string            // Login with Amazon client id
	allowListed                 bool              // WithAllowListed
	keep                        int               // WithKeep
	wallTimestamps              bool              // WithWallClockTimestampWindow (timestampwindow.go)
}

// Option configures a Handler or Server.
type Option func(*config)

// WithSellerID sets the merchant id requests must carry (default DefaultSellerID).
func WithSellerID(id string) Option { return func(c *config) { c.sellerID = id } }

// WithCredentials sets the MWS access key id and secret key requests must be
// signed with (defaults DefaultAccessKeyID and DefaultSecretKey).
func WithCredentials(accessKeyID, secretKey string) Option {
	return func(c *config) { c.accessKey, c.secret = accessKeyID, secretKey }
}

// WithRegion sets the marketplace (default amazonpay.RegionDE): the digit of
// the ids (01 US, 02 EU/UK, 03 JP), the currency of billing agreements, the
// order language, and whether Strong Customer Authentication applies (EU and
// UK only).
func WithRegion(r amazonpay.Region) Option { return func(c *config) { c.region = r } }

// WithLive makes the sandbox behave as the production section: ids start
// with P and B, ReleaseEnvironment is Live, requests go to
// /OffAmazonPayments/2013-01-01 and simulation strings are plain text.
func WithLive() Option { return func(c *config) { c.live = true } }

// WithStartTime sets the initial time of the sandbox clock (default: the
// wall clock when the sandbox is made). From there the clock follows the
// wall clock (plus Advance), or stands still with WithFrozenClock.
func WithStartTime(t time.Time) Option { return func(c *config) { c.start = t.UTC() } }

// WithImmediateAuthorizationWindow sets how long after a confirmation with
// ExpectImmediateAuthorization=true an order reference waits for an
// Authorize before it is closed (default 50 minutes, the seeds' figure).
func WithImmediateAuthorizationWindow(d time.Duration) Option {
	return func(c *config) { c.eiaWindow = d }
}

// WithProcessingDelay sets how long asynchronous work takes on the sandbox
// clock (default 30 s): asynchronous authorizations leaving Pending, pending
// captures completing, refunds completing or being declined, and the
// delayed outcomes of simulation strings without their own time.
func WithProcessingDelay(d time.Duration) Option {
	return func(c *config) { c.processingDelay = d }
}

// Authorization lifetimes: Amazon's sandbox closes an Open authorization
// with ExpiredUnused after 2 days, production after 30 days. Both report
// ExpirationTimestamp as creation + 30 days.
const (
	SandboxAuthorizationLifetime    = 2 * 24 * time.Hour
	ProductionAuthorizationLifetime = 30 * 24 * time.Hour
)

// WithAuthorizationLifetime sets when an Open authorization closes with
// ExpiredUnused: by default SandboxAuthorizationLifetime, or
// ProductionAuthorizationLifetime with WithLive. ExpirationTimestamp stays
// creation + 30 days, as Amazon reports it.
func WithAuthorizationLifetime(d time.Duration) Option {
	return func(c *config) { c.authLifetime = d }
}

// DefaultStoreName is the seller's store name in the default soft
// descriptor (AMZ*AmazonPayTest) of authorizations, captures and refunds
// sent without a SoftDescriptor.
const DefaultStoreName = "AmazonPayTest"

// WithSeed makes the generated object ids reproducible.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed, c.seeded = seed, true } }

// Handler is the offline Amazon Pay sandbox as an http.Handler: the MWS API
// at /OffAmazonPayments_Sandbox/2013-01-01 (POST) and the Confirmation Flow
// page at ConfirmationFlowPath (GET). Its methods are the buyer's side, the
// clock, fault injection and inspection. It is safe for concurrent use; all
// state is guarded by one mutex.
type Handler struct {
	cfg config

	mu     sync.Mutex
	now    time.Time     // the clock as last read; never goes back
	made   time.Time     // wall clock (monotonic) when the handler was made
	offset time.Duration // the sum of Advance
	// advancing serialises Advance, which releases mu while notifications
	// are delivered.
	advancing sync.Mutex
	events    eventQueue
	seq       uint64
	rng       *rand.Rand
	oros      map[string]*orderRef
	auths     map[string]*authorization
	caps      map[string]*capture
	refunds   map[string]*refund
	bas       map[string]*billingAgreement
	order     []string // every object id, in creation order
	refs      map[refKey]*refRecord
	pages     map[string]*listCursor // by NextPageToken
	buckets   map[string]*bucket
	faults    map[string][]*faultEntry
	log       ring[loggedRequest]
	status    string // GetServiceStatus Status
	tokens    map[string]*accessToken
	// suspendedSellers are the sellers SuspendSeller suspended.
	suspendedSellers map[string]bool
	// revoked are the delegated sellers that revoked access, with the
	// token they had given.
	pcs           map[string]*provCredit   // provider credits
	pcrs          map[string]*provReversal // provider credit reversals
	revoked       map[string]bool
	revokedTokens map[string]string
	strs          interner  // one copy of repeated text (intern.go)
	pairs         pairTable // the recurring parameters of the request log (ring.go)

	notify notifier // Instant Payment Notifications (notify.go)
}

// NewHandler returns a sandbox configured by opts.
func NewHandler(opts ...Option) *Handler {
	cfg := config{
		sellerID:        DefaultSellerID,
		clientID:        DefaultClientID,
		accessKey:       DefaultAccessKeyID,
		secret:          DefaultSecretKey,
		region:          amazonpay.RegionDE,
		eiaWindow:       50 * time.Minute,
		processingDelay: 30 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.authLifetime <= 0 {
		cfg.authLifetime = SandboxAuthorizationLifetime
		if cfg.live {
			cfg.authLifetime = ProductionAuthorizationLifetime
		}
	}
	delete(cfg.delegated, cfg.sellerID)
	if !cfg.region.Valid() {
		cfg.region = amazonpay.RegionDE
	}
	if cfg.keep <= 0 {
		cfg.keep = DefaultKeep
	}
	if cfg.start.IsZero() {
		cfg.start = time.Now().UTC().Truncate(time.Second)
	}
	seed := cfg.seed
	if !cfg.seeded {
		seed = rand.Uint64()
	}
	h := &Handler{
		cfg:     cfg,
		now:     cfg.start,
		made:    time.Now(),
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		oros:    map[string]*orderRef{},
		auths:   map[string]*authorization{},
		caps:    map[string]*capture{},
		refunds: map[string]*refund{},
		bas:     map[string]*billingAgreement{},
		refs:    map[refKey]*refRecord{},
		pages:   map[string]*listCursor{},
		buckets: map[string]*bucket{},
		faults:  map[string][]*faultEntry{},
		status:  "GREEN",
		log:     ring[loggedRequest]{max: cfg.keep},
		tokens:  map[string]*accessToken{},

		suspendedSellers: map[string]bool{},
		revoked:          map[string]bool{},
		pcs:              map[string]*provCredit{},
		pcrs:             map[string]*provReversal{},
		revokedTokens:    map[string]string{},
	}
	h.notify.deliveries.max = cfg.keep
	h.notify.maxQueued = cfg.keep
	return h
}

// SellerID returns the merchant id the sandbox accepts.
func (h *Handler) SellerID() string { return h.cfg.sellerID }

// AccessKeyID returns the access key id the sandbox accepts.
func (h *Handler) AccessKeyID() string { return h.cfg.accessKey }

// SecretKey returns the secret key requests must be signed with.
func (h *Handler) SecretKey() string { return h.cfg.secret }

// Region returns the sandbox's region.
func (h *Handler) Region() amazonpay.Region { return h.cfg.region }

// Sandbox reports whether the handler acts as the sandbox section (true
// unless WithLive).
func (h *Handler) Sandbox() bool { return !h.cfg.live }

// Path returns the API path: /OffAmazonPayments_Sandbox/2013-01-01, or
// /OffAmazonPayments/2013-01-01 with WithLive.
func (h *Handler) Path() string {
	if h.cfg.live {
		return livePath
	}
	return sandboxPath
}

// SetServiceStatus sets what GetServiceStatus reports: GREEN (the
// default), GREEN_I, YELLOW or RED.
func (h *Handler) SetServiceStatus(status string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = status
}

// ServeHTTP answers MWS API calls and Confirmation Flow page visits.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.Contains(r.URL.Path, WidgetsPath):
		h.serveWidgets(w, r) // the fake Widgets.js and its hosted page: widgets.go
		return
	case strings.HasSuffix(r.URL.Path, ConfirmationFlowPath):
		h.serveConfirmationFlow(w, r)
		return
	case strings.HasSuffix(r.URL.Path, "/auth/o2/tokeninfo"), strings.HasSuffix(r.URL.Path, "/user/profile"):
		h.serveLoginWithAmazon(w, r, strings.HasSuffix(r.URL.Path, "/user/profile"))
		return
	}
	if r.Body == nil { // a server request always has one; a handler called directly may not
		r.Body = http.NoBody
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	perr := r.ParseForm()
	rep := h.handleAPI(r, perr)
	h.notify.waitRoom(r.Context())
	h.deliver(w, r, rep)
}

// reply is what an API call answers, decided under the lock and written
// after it is released.
type reply struct {
	status    int
	body      []byte
	html      bool
	requestID string
	reset     bool          // drop the connection instead of answering
	delay     time.Duration // wait before answering
}

// opFunc runs one operation. It reports failures by panicking with an
// *apiError (see fail), which invoke recovers; it must check everything
// before it changes any state.
type opFunc func(c *call) *xResult

// ops is the dispatch table: one handler per MWS Action.
var ops = map[string]opFunc{
	"GetOrderReferenceDetails":      opGetOrderReferenceDetails,
	"SetOrderReferenceDetails":      opSetOrderReferenceDetails,
	"SetOrderAttributes":            opSetOrderAttributes,
	"ConfirmOrderReference":         opConfirmOrderReference,
	"CancelOrderReference":          opCancelOrderReference,
	"CloseOrderReference":           opCloseOrderReference,
	"Authorize":                     opAuthorize,
	"GetAuthorizationDetails":       opGetAuthorizationDetails,
	"CloseAuthorization":            opCloseAuthorization,
	"Capture":                       opCapture,
	"GetCaptureDetails":             opGetCaptureDetails,
	"Refund":                        opRefund,
	"GetRefundDetails":              opGetRefundDetails,
	"GetBillingAgreementDetails":    opGetBillingAgreementDetails,
	"SetBillingAgreementDetails":    opSetBillingAgreementDetails,
	"ConfirmBillingAgreement":       opConfirmBillingAgreement,
	"ValidateBillingAgreement":      opValidateBillingAgreement,
	"AuthorizeOnBillingAgreement":   opAuthorizeOnBillingAgreement,
	"CloseBillingAgreement":         opCloseBillingAgreement,
	"CreateOrderReferenceForId":     opCreateOrderReferenceForID,
	"GetServiceStatus":              opGetServiceStatus,
	"GetMerchantAccountStatus":      opGetMerchantAccountStatus,
	"ListOrderReference":            opListOrderReference,
	"ListOrderReferenceByNextToken": opListOrderReferenceByNextToken,

	"GetProviderCreditDetails":         opGetProviderCreditDetails,
	"GetProviderCreditReversalDetails": opGetProviderCreditReversalDetails,
	"ReverseProviderCredit":            opReverseProviderCredit,
}

// Operations returns the MWS Actions the sandbox implements.
func Operations() []string {
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sortStrings(names)
	return names
}

// commonParams are sent with every call and are not part of an
// operation's own parameters.
var commonParams = []string{"AWSAccessKeyId", "Action", "SellerId", "Signature",
	"SignatureMethod", "SignatureVersion", "Timestamp", "Version", "MWSAuthToken"}

func (h *Handler) handleAPI(r *http.Request, perr error) reply {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	form := r.PostForm
	if form == nil {
		form = url.Values{}
	}
	h.strs.form(form) // a value the sandbox keeps must not keep the body
	rec := Request{
		Time:      h.now,
		Action:    form.Get("Action"),
		Params:    form,
		RequestID: newRequestID(h.rng),
	}
	rec.SignatureValid = h.signatureMatches(r.Host, r.URL.Path, form)
	rep, applied := h.process(r, perr, form, &rec)
	rep.requestID = rec.RequestID
	rec.Status = rep.status
	rec.Applied = applied
	if rep.reset {
		rec.Status = 0
	}
	h.logRequest(rec)
	return rep
}

// process authenticates the call, applies throttling and faults, and runs
// the operation. applied reports whether the operation took effect.
func (h *Handler) process(r *http.Request, perr error, form url.Values, rec *Request) (rep reply, applied bool) {
	fail := func(e *apiError) (reply, bool) {
		rec.ErrorCode = e.code
		return h.errorReply(e, rec.RequestID), false
	}
	seller, e := h.authenticate(r, perr, form, rec)
	if e != nil {
		return fail(e)
	}
	action := rec.Action
	if e := h.throttle(seller, action); e != nil {
		return fail(e)
	}
	if e := h.accountStatus(seller, action); e != nil {
		return fail(e)
	}
	f := h.takeFault(action)
	if f != nil {
		rec.Fault = f.Kind
		switch f.Kind {
		case FaultInternalError:
			return fail(&apiError{500, "Receiver", "InternalServerError", "There was an internal error. Please retry the request."})
		case FaultServiceUnavailable:
			return fail(&apiError{503, "Receiver", "ServiceUnavailable", "The service is temporarily unavailable. Please retry the request."})
		case FaultBadGateway:
			return reply{status: http.StatusBadGateway, html: true, body: []byte(badGatewayPage)}, false
		case FaultConnectionReset:
			return reply{reset: true}, false
		}
	}
	c := &call{h: h, action: action, seller: seller, p: form, now: h.now}
	res, e := invoke(ops[action], c)
	if e != nil {
		rep, applied = fail(e)
	} else {
		res.XMLName.Local = action + "Result"
		rep, applied = reply{status: http.StatusOK, body: marshalResponse(action, res, rec.RequestID)}, true
	}
	if f != nil {
		// The remaining kinds spoil whatever reply the call got.
		rep = applyFault(rep, f, action)
	}
	return rep, applied
}

// authenticate checks a call as MWS does before running it: method, path,
// common parameters, access key, signature, timestamp, version, action and
// seller id with its MWSAuthToken. It returns the seller the call acts for.
func (h *Handler) authenticate(r *http.Request, perr error, form url.Values, rec *Request) (string, *apiError) {
	if e := h.checkRequest(r, perr, form, rec); e != nil {
		return "", e
	}
	return h.authorizeSeller(rec.Action, form)
}

// checkRequest checks everything but the seller.
func (h *Handler) checkRequest(r *http.Request, perr error, form url.Values, rec *Request) *apiError {
	if r.Method != http.MethodPost {
		return &apiError{405, "Sender", "InvalidParameterValue", "MWS requests must be sent with POST."}
	}
	path := r.URL.Path
	switch {
	case strings.HasSuffix(path, h.Path()):
	case strings.HasSuffix(path, livePath) || strings.HasSuffix(path, sandboxPath):
		// A sandbox request sent to production (or the reverse) gets an
		// internal error from MWS.
		return &apiError{500, "Receiver", "InternalServerError", "The request was sent to the wrong environment section."}
	default:
		return &apiError{400, "Sender", "InvalidAddress", fmt.Sprintf("The address %s is not valid for this endpoint.", path)}
	}
	if perr != nil {
		return &apiError{400, "Sender", "InvalidParameterValue", "The request body is not a valid form."}
	}
	for _, k := range []string{"AWSAccessKeyId", "Action", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"} {
		if form.Get(k) == "" {
			return missingErr(k)
		}
	}
	if form.Get("AWSAccessKeyId") != h.cfg.accessKey {
		return &apiError{403, "Sender", "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."}
	}
	if form.Get("SignatureVersion") != "2" {
		return invalidErr("SignatureVersion", "must be 2")
	}
	if form.Get("SignatureMethod") != "HmacSHA256" {
		return invalidErr("SignatureMethod", "must be HmacSHA256")
	}
	if !rec.SignatureValid {
		return &apiError{403, "Sender", "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	}
	if e := h.checkTimestamp(form.Get("Timestamp")); e != nil {
		return e
	}
	if form.Get("Version") != amazonpay.APIVersion {
		return invalidErr("Version", "must be "+amazonpay.APIVersion)
	}
	if _, ok := ops[rec.Action]; !ok {
		return &apiError{400, "Sender", "InvalidParameterValue", fmt.Sprintf("The action %s is not valid for this endpoint.", rec.Action)}
	}
	return nil
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad timestamp %q", s)
}

// invoke runs op, turning a failure raised with fail into an error.
func invoke(op opFunc, c *call) (res *xResult, err *apiError) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*apiError)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	return op(c), nil
}

func (h *Handler) errorReply(e *apiError, requestID string) reply {
	return reply{status: e.status, body: marshalError(e, requestID)}
}

// deliver writes rep, or drops the connection, after the lock is released.
func (h *Handler) deliver(w http.ResponseWriter, r *http.Request, rep reply) {
	if rep.delay > 0 {
		t := time.NewTimer(rep.delay)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the caller gave up; nobody is listening
			t.Stop()
			return
		}
	}
	if rep.reset {
		dropConnection(w)
		return
	}
	if rep.html {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("x-mws-request-id", rep.requestID)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body) // a client gone away is its own failure
}

// Server is a Handler listening on a loopback port, like httptest.Server,
// that Go code in the same process can also reach without a socket
// (InProcessClient, which AmazonPay uses).
type Server struct {
	// Handler is the sandbox; its methods are promoted to Server.
	*Handler
	// URL is the base URL of the server, e.g. http://127.0.0.1:34567.
	URL       string
	ts        *httptest.Server
	inProcess *inProcessTransport
}

// NewServer starts a sandbox on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	return serve(h, httptest.NewServer(h))
}

// serve makes a Server of h listening on ts.
func serve(h *Handler, ts *httptest.Server) *Server {
	return &Server{Handler: h, URL: ts.URL, ts: ts, inProcess: newInProcessTransport(h, ts)}
}

// Client returns an *http.Client that reaches the server over loopback
// HTTP (as httptest.Server.Client): for tests of what only a socket has —
// a transport or proxy of their own, a connection really reset, timeouts
// of the network stack. InProcessClient reaches it without one.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close shuts the server down and blocks until its requests, over
// loopback and in process, are done, then stops the notification sender
// as Handler.Close does.
func (s *Server) Close() {
	s.inProcess.close()
	s.ts.Close()
	s.Handler.Close()
}

// Endpoint returns the full API URL, e.g.
// http://127.0.0.1:34567/OffAmazonPayments_Sandbox/2013-01-01.
func (s *Server) Endpoint() string { return s.URL + s.Path() }

// AmazonPay returns an *amazonpay.Client wired to the server: its
// credentials, Login with Amazon client id and profile endpoint, region and
// section, InProcessClient as its *http.Client, its URL, the sandbox clock
// (so Timestamps match), a retry policy with millisecond waits, and no
// client-side pacing: the sandbox's quotas run on its own clock, which
// Advance moves (pass amazonpay.WithRateLimiter to pace anyway).
// opts are applied after these and may override them. It panics if
// amazonpay.NewClient fails, which only a bad option can cause.
//
// The client reaches the sandbox in process by default because a Go test
// loses nothing by it — every request is signed, sent to the server's
// URL and Host, limited, verified and answered by the same Handler with
// the same status codes, headers and bodies, and ends with its context —
// while a checkout costs less than half the time and a long suite leaves
// no sockets in TIME_WAIT (BENCHMARKS.md). For loopback HTTP, pass
// amazonpay.WithHTTPClient(s.Client()).
func (s *Server) AmazonPay(opts ...amazonpay.Option) *amazonpay.Client {
	base := []amazonpay.Option{
		amazonpay.WithHTTPClient(s.InProcessClient()),
		amazonpay.WithEndpoint(s.URL),
		amazonpay.WithProfileEndpoint(s.URL),
		amazonpay.WithClock(s.Now),
		amazonpay.WithRetryPolicy(amazonpay.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}),
		amazonpay.WithRateLimiter(nil),
	}
	c, err := amazonpay.NewClient(amazonpay.Config{
		SellerID:    s.cfg.sellerID,
		AccessKeyID: s.cfg.accessKey,
		SecretKey:   s.cfg.secret,
		ClientID:    s.cfg.clientID,
		Region:      s.cfg.region,
		Sandbox:     !s.cfg.live,
	}, append(base, opts...)...)
	if err != nil {
		panic("amazonpaytest: " + err.Error())
	}
	return c
}
