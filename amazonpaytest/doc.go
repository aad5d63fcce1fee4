// Package amazonpaytest is an offline fake of the MWS Amazon Pay sandbox
// (OffAmazonPayments_Sandbox, version 2013-01-01), in the manner of
// net/http/httptest: start one per test, point an *amazonpay.Client at it,
// and run a shop's checkout code end to end without the network.
//
//	srv := amazonpaytest.NewServer()
//	defer srv.Close()
//	c := srv.AmazonPay() // an *amazonpay.Client wired to srv
//	id := srv.CreateOrderReference(amazonpaytest.TestBuyer()) // the buyer signs in
//	// ... the shop calls SetOrderReferenceDetails, ConfirmOrderReference ...
//	back, err := srv.FollowConfirmationFlow(ctx, srv.SellerID(), id) // the buyer's SCA page
//	// back is SuccessUrl?AuthenticationStatus=Success; the shop authorizes
//
// # What it checks
//
// Every call is checked as MWS checks it: the POST path, the common
// parameters, the access key (InvalidAccessKeyId), the Signature Version 2
// signature over the posted form, r.Host and r.URL.Path
// (SignatureDoesNotMatch), a Timestamp within 15 minutes of the sandbox
// clock, the Version, the seller id, and each operation's required and
// well-formed parameters (MissingParameter, InvalidParameterValue). Replies
// are XML in the documented namespace and element order; errors are
// ErrorResponse documents with a RequestId (RequestID when throttled).
//
// # The model
//
// Order references, authorizations, captures, refunds and billing
// agreements follow the state machines and constraints of the MWS
// documentation: which operation is allowed in which state and the error
// otherwise, reference-id idempotency (the same reference id with the same
// parameters returns the original object; other parameters give
// DuplicateRequest; another target gives DuplicateReferenceId), the amount
// rules (captures up to the authorization, the order total plus
// min(15 %, 75) in all, refunds up to the capture plus the same excess, ten
// refunds per capture), and AuthorizeOnBillingAgreement's child order
// reference (confirmed, authorized, then closed with
// MaxAuthorizationsProcessed).
//
// The buyer's side is Go calls: CreateOrderReference and
// CreateBillingAgreement with a Buyer (address, PaymentMethod, consent),
// SelectPaymentMethod, SelectAddress and GiveConsent. The Confirmation Flow
// page at ConfirmationFlowPath redirects to the SuccessUrl or FailureUrl of
// the last confirmation; FollowConfirmationFlow and RunConfirmationFlow
// play the buyer's visit.
//
// Choices where Amazon's documentation is silent, so tests can rely on them:
//
//   - An SCA challenge is needed in the EU and UK for the PaymentMethodSCA*
//     methods, or with a PaymentAuthenticationStatus simulation string.
//     While it is needed and not passed, an order reference shows
//     PaymentAuthenticationStatus REQUIRED, and Authorize is Declined with
//     InvalidPaymentMethod: soft, and the order reference Suspended with
//     PaymentAuthorizationRequired, when the buyer has not passed the flow;
//     hard, and Suspended with InvalidPaymentMethod, after Failure.
//   - Abandoned leaves the object Suspended with PaymentAuthorizationRequired;
//     Failure leaves it Open (the merchant is told to cancel it).
//   - Without an Authorize within the ExpectImmediateAuthorization window
//     an order reference is Closed with ReasonCode Expired.
//   - CancelOrderReference, CloseOrderReference, CloseAuthorization and
//     CloseBillingAgreement of an object already in the target state
//     succeed, so that retried calls are harmless.
//   - A SellerId other than the sandbox's gets 401 UnauthorizedAccess;
//     MWSAuthToken is accepted but not checked.
//   - SetBillingAgreementDetails may set BillingAgreementType and
//     SubscriptionAmount of an Open agreement (the seeds' SCA upgrade);
//     everything else only in Draft.
//   - Asynchronous authorizations (TransactionTimeout > 0, MWS's default),
//     refunds and simulated Pending captures complete after the processing
//     delay (WithProcessingDelay) on the sandbox clock.
//
// # Sandbox simulations
//
// The simulation strings of the MWS documentation work in the notes where
// Amazon reads them: the State/ReasonCode strings in
// SellerAuthorizationNote, SellerCaptureNote, SellerRefundNote and
// ClosureReason, {"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}
// and {"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"Failure"}}}
// (or "Abandoned") in the SellerNote of SetOrderReferenceDetails,
// SetOrderAttributes and SetBillingAgreementDetails. Other combinations are
// refused with InvalidSandboxSimulationSpecified.
//
// # Time, throttling and faults
//
// The sandbox clock stands still until Advance moves it; Draft objects go
// stale after 3 hours, authorizations expire after 30 days, and delayed
// outcomes happen as the clock passes them. WithThrottling enforces the
// documented quotas as token buckets on that clock. InjectFault makes the
// next calls of an operation fail: 500, 503, an HTML 502 page, a truncated
// or malformed body, a reset connection, a delay, or an operation that is
// applied before the connection drops.
//
// # Inspection
//
// Requests is the request log (action, parameters, whether the signature
// matched, status, injected fault); Object and Objects snapshot states; and
// MoneyMovements counts authorizations, captures and refunds so a test can
// prove that nothing happened twice.
package amazonpaytest
