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
// signature over the decoded form, the Host header and r.URL.Path
// (SignatureDoesNotMatch; verified by the sandbox's own code, not the
// SDK's signer, so a signer bug cannot hide behind the same code on both
// sides), a Timestamp within 15 minutes of the sandbox clock, the
// Version, the seller id, and each operation's required and
// well-formed parameters (MissingParameter, InvalidParameterValue). Replies
// are XML in the documented namespace and element order; errors are
// ErrorResponse documents with a RequestId (RequestID when throttled).
//
// # The model
//
// CONFORMANCE.md (beside this file) lists every documented state, reason
// code, simulation string, constraint and error code, how a test reaches
// it and the test that drives it, and every choice made where Amazon's
// documentation is silent.
//
// Order references, authorizations, captures, refunds and billing
// agreements follow the state machines and constraints of the MWS
// documentation: which operation is allowed in which state and the error
// otherwise, reference-id idempotency (the same reference id with the same
// parameters answers the original reply again, as it was then, and changes
// nothing; amounts count as decimals, so "10.5" repeats "10.50"; other
// parameters give DuplicateRequest; another kind of request or another
// target gives DuplicateReferenceId), the amount rules (captures up to the
// authorization, the order total plus min(15 %, 75) in all, refunds up to
// the capture plus the same excess, ten refunds per capture), the count
// rules (ten successful authorizations per order reference, the eleventh is
// TransactionCountExceeded; ten captured ones close it with
// MaxAuthorizationsCaptured), and AuthorizeOnBillingAgreement's child order
// reference (confirmed, authorized, then closed with
// MaxAuthorizationsProcessed).
//
// GetProviderCreditDetails, GetProviderCreditReversalDetails and
// ReverseProviderCredit serve the provider credits that captures with a
// ProviderCreditList make (see providercredit.go).
//
// ListOrderReference and ListOrderReferenceByNextToken find a seller's
// order references by SellerOrderId, with the PaymentDomain of the
// sandbox's region, PageSize (1 to 100, default 100), CreatedTimeRange
// (inclusive), SortOrder (default Descending) and a status filter (state
// names in any case); see listorderreference.go for the details.
//
// Delegated access: WithDelegatedSeller registers sellers the sandbox's
// developer may act for with their MWSAuthToken. Objects belong to the
// seller whose buyer made them (CreateOrderReferenceFor,
// CreateBillingAgreementFor); reference ids, list tokens and quotas are per
// seller.
//
// Login with Amazon: the buyer's sign-in issues access tokens (AccessToken,
// SignIn), valid for AccessTokenLifetime on the sandbox clock. An
// AccessToken or AddressConsentToken that is unknown, expired or another
// buyer's is InvalidAddressConsentToken (404); a valid one shows the buyer
// and the full address before confirmation. The same tokens serve
// GetUserInfo: the handler answers /auth/o2/tokeninfo and /user/profile,
// and AmazonPay sets the client's ClientID and profile endpoint.
//
// The buyer's side is Go calls: CreateOrderReference and
// CreateBillingAgreement with a Buyer (address, PaymentMethod, consent),
// SelectPaymentMethod, SelectAddress, SelectCurrency, GiveConsent,
// DeleteBillingAddress and BuyerCancelBillingAgreement. The Confirmation Flow
// page at ConfirmationFlowPath redirects to the SuccessUrl or FailureUrl of
// the last confirmation; FollowConfirmationFlow and RunConfirmationFlow
// play the buyer's visit.
//
// Choices where Amazon's documentation is silent, so tests can rely on them:
//
//   - In the EU and UK the issuer decides per payment whether to
//     challenge, so a shop must never rely on a card not needing it:
//     ConfirmOrderReference and ConfirmBillingAgreement require both
//     SuccessUrl and FailureUrl (MissingParameter otherwise), and every
//     payment method needs the Confirmation Flow before a charge (the
//     PaymentMethodSCA* methods decide how the challenge ends; the others
//     pass it). Elsewhere a challenge is needed only with a
//     PaymentAuthenticationStatus simulation string. A child order
//     reference made with ConfirmNow has not been through the flow.
//     While it is needed and not passed, an order reference shows
//     PaymentAuthenticationStatus REQUIRED, and Authorize is Declined with
//     InvalidPaymentMethod: soft, and the order reference Suspended with
//     PaymentAuthorizationRequired, when the buyer has not passed the flow;
//     hard, and Suspended with InvalidPaymentMethod, after Failure.
//   - Where a challenge is needed, the buyer authenticates an amount: the
//     AuthorizationAmount of the ConfirmOrderReference that started the
//     flow, or else the OrderTotal then. An Authorize above it (each
//     Authorize on its own) is treated as one without authentication: a
//     soft InvalidPaymentMethod decline whose ReasonDescription names the
//     authenticated amount, and the order reference Suspended with
//     PaymentAuthorizationRequired, so the shop confirms the larger amount
//     and sends the buyer through the flow again.
//   - Abandoned leaves the object Suspended with PaymentAuthorizationRequired;
//     Failure leaves it Open (the merchant is told to cancel it).
//   - Without an Authorize within the ExpectImmediateAuthorization window
//     an order reference is Closed with ReasonCode Expired.
//   - CloseOrderReference of a Closed order reference succeeds (spec
//     §3.1); CloseBillingAgreement of a Closed billing agreement is refused
//     with InvalidBillingAgreementStatus (the stricter answer), as
//     CloseAuthorization of a Closed authorization (InvalidAuthorizationStatus)
//     and CancelOrderReference of a Canceled order reference
//     (InvalidOrderReferenceStatus) are. Closing a Draft or Canceled order
//     reference or billing agreement is InvalidCloseAttempt.
//   - ClosureReason is at most 255 characters (it becomes the
//     ReasonDescription); a synchronous Authorize with a Pending simulation
//     string is InvalidSandboxSimulationSpecified; simulation minutes are
//     1 to 43200 (30 days).
//   - A SellerId that is neither the sandbox's nor a delegated seller's gets
//     401 UnauthorizedAccess. For a delegated seller a missing MWSAuthToken
//     is 400 MissingAuthenticationToken and a wrong one 401
//     UnauthorizedAccess; an MWSAuthToken sent for the sandbox's own seller
//     is 401 UnauthorizedAccess too. Another seller's objects are not found
//     (404 InvalidOrderReferenceId, InvalidBillingAgreementId or
//     InvalidTransactionId), and the Confirmation Flow page answers
//     ErrorCode=InvalidSellerId unless sellerId is the object's seller.
//   - A billing agreement that is Canceled (Stale, or by Amazon) cancels its
//     Open and Suspended child order references with AmazonCanceled (the
//     documentation names no reason for them) and closes their open
//     authorizations with OrderReferenceCanceled.
//   - The seeds' 30-day rule for billing agreements (EU/UK): the window
//     starts when the buyer passes the Confirmation Flow (at creation, and
//     again after each new authentication); without a capture on any of
//     the agreement's child order references within it (a 0.00
//     AuthorizeOnBillingAgreement with CaptureNow counts), the
//     authentication expires: AuthorizeOnBillingAgreement is then a soft
//     InvalidPaymentMethod decline that suspends the agreement with
//     PaymentAuthorizationRequired, and ValidateBillingAgreement fails, until
//     the shop confirms again and the buyer passes the flow.
//   - An omitted BillingAgreementType is reported as
//     CustomerInitiatedTransaction (the seeds' default).
//   - Authorize on an Open order reference whose buyer has since chosen a
//     payment method that is not allowed is 400 PaymentMethodNotAllowed;
//     confirming again an order reference or billing agreement suspended
//     for InvalidPaymentMethod before the buyer chose another method is 400
//     PaymentMethodNotUpdated.
//   - A suspended seller (SuspendSeller) may still call GetServiceStatus
//     and GetMerchantAccountStatus (which answers INACTIVE).
//   - SetBillingAgreementDetails may set BillingAgreementType and
//     SubscriptionAmount of an Open agreement (the seeds' SCA upgrade);
//     everything else only in Draft.
//   - Amazon allows ten successful authorizations per order reference; the
//     sandbox refuses an eleventh (any not Declined, also Pending or Closed
//     ones) with 400 TransactionCountExceeded and leaves the order
//     reference Open.
//   - A retried call is answered with the original reply even when the
//     object has changed since (an authorization captured since is still
//     shown Open; a refund completed since still Pending): ask the Get
//     operation for the state now.
//   - Text parameters with characters XML 1.0 cannot carry (control
//     characters other than tab, line feed and carriage return, U+FFFE,
//     U+FFFF) are refused with InvalidParameterValue rather than changed.
//   - An object that went stale (Canceled, Stale) was never confirmed:
//     without an access token it shows no Buyer and only the City,
//     StateOrRegion, PostalCode and CountryCode of its address.
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
// # Elements for some merchants and payments
//
// WithAllowListed makes the sellers allow-listed: with the buyer's access
// token, order references show BillingAddress and PaymentReference and
// billing agreements BillingAddress (Buyer.BillingAddress, or else the
// shipping address), and authorizations carry AuthorizationBillingAddress.
// A ProviderCreditList on Capture (or Authorize with CaptureNow) and a
// ProviderCreditReversalList on Refund give ProviderCreditSummaryList and
// ProviderCreditReversalSummaryList (ids <capture id>-P01..., <refund
// id>-V01...). An EU or UK capture or refund in another currency than the
// region's ledger currency (EUR, GBP) carries ConvertedAmount and
// ConversionRate, at fixed made-up rates (USD 0.92 EUR, GBP 1.17 EUR, ...).
//
// # Amazon's side
//
// Outcomes that no documented simulation string reaches are driven by
// methods named for who acts: AmazonCancel (order reference or billing
// agreement Canceled/AmazonCanceled), BuyerCancelBillingAgreement
// (Closed/BuyerCanceled), AmazonFlagAtypical (StopShipmentAtypicalAuth),
// AmazonDeclineRefund (Declined/AmazonRejected or ProcessingFailure),
// AmazonRefund (A-to-z Guarantee and chargeback refunds), SuspendSeller
// (403 InvalidAccountStatus), RevokeDelegation (AccessDenied),
// AmazonDeclineProviderCredit, AmazonUnsetBillingAgreementLimits
// (BillingAgreementLimitsNotSet), and the buyer's SelectCurrency
// (CurrencyMismatch) and DeleteBillingAddress (BillingAddressDeleted).
// CONFORMANCE.md lists every documented state, reason code, simulation
// string, constraint and error code with the way a test reaches it.
//
// # Time, throttling and faults
//
// The sandbox clock follows the wall clock, as Amazon's does, so a sandbox
// left running keeps accepting clients that stamp real time; Advance adds
// an offset to it, and WithFrozenClock makes it stand still unless Advance
// moves it (for tests that assert exact times). Draft objects go
// stale after 3 hours, Open authorizations close with ExpiredUnused after 2
// days as in Amazon's sandbox (30 days with WithLive or
// WithAuthorizationLifetime(ProductionAuthorizationLifetime); either way
// ExpirationTimestamp says creation + 30 days, as Amazon's does), and delayed
// outcomes happen as the clock passes them. WithThrottling enforces the
// documented quotas as token buckets on that clock, one per seller and
// operation (operations without a documented quota, such as
// ListOrderReference, get the common one: 10 / 1 per s live, 2 / 1 per 2 s
// in the sandbox). InjectFault makes the
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
