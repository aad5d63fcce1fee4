// Package amazonpay is a client for the Amazon Pay MWS API
// (OffAmazonPayments, version 2013-01-01), with first-class support for
// the PSD2 / Strong Customer Authentication (SCA) Confirmation Flow.
//
// # Configuration
//
// A Client is made once from a Config and shared; it is safe for
// concurrent use:
//
//	c, err := amazonpay.NewClient(amazonpay.Config{
//		SellerID:    "A1EXAMPLE",
//		AccessKeyID: os.Getenv("AMAZON_PAY_ACCESS_KEY"),
//		SecretKey:   os.Getenv("AMAZON_PAY_SECRET_KEY"),
//		Region:      amazonpay.RegionDE,
//		Sandbox:     true,
//	}, amazonpay.WithAppInfo("my-shop", "1.4.2"))
//
// Or from the AMAZON_PAY_* environment variables: ConfigFromEnv.
//
// NewClient refuses a missing seller id, access key or secret key and an
// unknown region with a *ValidationError. The secret key is never printed:
// Config's String, GoString, Format, LogValue, MarshalJSON and MarshalText
// redact it, so fmt, log/slog (text and JSON) and JSON loggers are safe.
// Results hide buyer data the same way from fmt and log/slog: the buyer's
// and an address's name, e-mail, phone and street lines and the raw reply
// show as [redacted], while ids, states, amounts, city, region, postal
// code and country code stay; the fields themselves stay readable, and
// json.Marshal, which serves storing the data rather than logging it,
// keeps them whole.
//
// Options: WithHTTPClient (proxies, TLS, timeouts, httpmock; redirects
// are never followed, whatever the client's CheckRedirect), WithEndpoint
// (another host, e.g. an amazonpaytest server), WithClock, WithRetryPolicy,
// WithLogger (log/slog), WithAppInfo (User-Agent), WithMaxResponseBytes,
// WithProfileEndpoint (Login with Amazon), WithRateLimiter (quota pacing).
// Per call: WithSellerID and WithMWSAuthToken, for solution providers.
//
// # Regions and sandbox
//
// RegionUS and RegionNA use mws.amazonservices.com; RegionUK, RegionDE and
// RegionEU use mws-eu.amazonservices.com; RegionJP uses
// mws.amazonservices.jp. Sandbox selects the OffAmazonPayments_Sandbox
// section on the same host. Amounts given without a currency take
// Config.CurrencyCode, or the region's currency (USD, GBP, EUR, JPY).
//
// # Operations
//
// Every MWS action is a method named after it, taking a context, an
// OpInput and call options and returning an OpOutput with the typed
// result, the RequestID and the raw XML. Amounts are decimal text in a
// Price, never floats (PriceFromMinor makes one from cents). Optional
// parameters are pointers (Bool, Int, Ptr) so that false and 0 can be sent
// on purpose; nil is not sent.
//
// Conveniences built on the operations: Charge (set, confirm and authorize
// where the state allows; in the EU and UK a Draft order reference needs the
// Confirmation Flow first), GetPaymentDetails (an order reference with every
// authorization, capture and refund), ListOrderReferenceAll (an iterator
// over every page), UpdateBillingAgreements (the PSD2 update of existing
// billing agreements), ChargeBillingAgreements (the monthly billing run:
// one idempotent AuthorizeOnBillingAgreement per agreement and period),
// GetUserInfo (the buyer's Login with Amazon profile) and NewReferenceID.
// Each checks the input of every call it will make before its first one.
//
// # The SCA flow for one-time purchases (EU/UK)
//
//  1. SetOrderAttributes (or SetOrderReferenceDetails) with the final
//     OrderTotal.
//  2. ConfirmOrderReference with SuccessURL and FailureURL, then let the
//     page call confirmationFlow.success(): Amazon shows the buyer the
//     card issuer's challenge if one is needed.
//  3. The buyer comes back to SuccessURL or FailureURL:
//     ParseConfirmationRedirect(r.URL.Query()) reads ErrorCode first, then
//     AuthenticationStatus, and says what to do (RecommendedAction) and
//     what to tell the buyer (BuyerMessage, in English, French, German,
//     Italian or Spanish). The redirect is unauthenticated: it says what
//     to do next, never that the order is paid.
//  4. On Proceed, Authorize (and Capture). The order is paid when the
//     authorization is Open (or Closed with CaptureNow).
//
// # The SCA flow for recurring payments
//
//  1. SetBillingAgreementDetails with BillingAgreementType
//     MerchantInitiatedTransaction (and a SubscriptionAmount if every
//     charge is the same).
//  2. ConfirmBillingAgreement with SuccessURL and FailureURL.
//  3. ParseConfirmationRedirect on the return; on Proceed,
//     ValidateBillingAgreement, then AuthorizeOnBillingAgreement for each
//     charge.
//
// # Errors
//
// Input is checked before any network I/O: bad input is a
// *ValidationError naming the MWS parameter (required fields, id shapes,
// decimal amounts and their caps, supported currencies, https return URLs,
// documented length limits, enum values, zero amounts, invalid UTF-8,
// control characters and what XML cannot carry). An ErrorResponse from
// Amazon is an *APIError with
// StatusCode, Type, Code, Message and RequestID; its Code is an ErrorCode,
// and errors.Is(err, amazonpay.ErrorRequestThrottled) works. A reply that
// is not the operation's whole, well-formed MWS document (an HTML 502 page,
// a truncated body, a success without its result element or object id, an
// element twice that MWS sends once, content after the root, a redirect)
// is an *UnexpectedResponseError with the status; the body is kept in its
// Body field and never quoted in the error text or a log, since it may hold
// buyer data. No reply at all is a *RequestError wrapping the cause. A
// non-2xx reply is never a success. A close or cancel that may have
// succeeded but could not be confirmed matches ErrOutcomeUnknown.
//
// Check errors in this order: *ValidationError (nothing was sent), then
// the context's errors (the call was abandoned; if the context ended while
// the client waited to retry, errors.As also finds the last attempt's
// *APIError, which only says why it was being retried), then *APIError.
//
// # Retries and throttling
//
// Retrying is on by default (DefaultRetryPolicy): after a 500 or 503
// (InternalServerError, ServiceUnavailable, RequestThrottled), a 502 or
// 504 gateway page, or a failed connection, the call waits 1 s, 4 s, 10 s
// with jitter (the wait ends at once when the context is done) and tries
// again, signing each attempt afresh with a new Timestamp. This is safe:
// the calls that move money carry the caller's reference id, and MWS
// answers a repeated reference id with the original result rather than
// charging twice. CreateOrderReferenceForId, which creates a new order
// reference on every call, is not repeated after a lost reply or a gateway
// page. A close or cancel retried after a lost reply, refused because the
// object is already closed or canceled, succeeds once the matching Get
// shows the target state. Errors of a transport that are not network
// failures (a mocked transport with no responder) are not retried. See
// RetryPolicy.
//
// Before every attempt the client waits for its RateLimiter. The default,
// NewAdaptiveLimiter, keeps one token bucket per seller and operation with
// the documented quotas (DefaultQuota) of the sandbox or production, and
// is adaptive as AWS SDK v2's adaptive retry mode: requests go at once
// until MWS answers RequestThrottled for a bucket; then that bucket paces
// at the quota until it has stayed full for one restore interval. A test
// with a mocked transport never waits. The batch conveniences
// (ChargeBillingAgreements, UpdateBillingAgreements, ListOrderReferenceAll)
// pace from their first call. NewLocalLimiter paces always; a fleet of
// processes sharing a seller's quota uses a shared limiter, e.g. the
// redisquota module on Redis. WithRateLimiter(nil) turns pacing off.
//
// # Instant Payment Notifications
//
// NewNotificationHandler is the shop's IPN endpoint: an http.Handler that
// verifies each Amazon SNS POST with a NotificationVerifier before reading
// it (body size, message type, a SigningCertURL on sns.<region>.amazonaws.com
// checked before any fetch, the certificate chain and name, the RSA
// signature of SignatureVersion 1 or 2, the message age, the seller's
// topic: the verifier must name the shop's seller id with
// WithNotificationSellerIDs, or a platform serving many sellers opt in with
// WithAnyNotificationSeller, else every notification is refused), then calls the shop's function with the typed Notification. It
// answers 200 when the function returns nil, 500 when it fails (SNS delivers
// again) and 4xx for anything forged or malformed; a rejection wraps
// ErrNotificationRejected. Notifications carry the API's own types
// (AuthorizationDetails, CaptureDetails, ...); apply each once, by its
// NotificationReferenceID.
//
// # Testing
//
// The package amazonpaytest is an offline Amazon Pay sandbox, shaped like
// net/http/httptest, that verifies signatures and runs the state machines,
// the Confirmation Flow and the sandbox simulations. For unit tests of
// single calls, inject a mocked transport with WithHTTPClient, e.g.
// httpmock.ActivateNonDefault(hc).
package amazonpay
