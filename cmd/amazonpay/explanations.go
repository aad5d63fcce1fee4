package main

import (
	"github.com/amazonpay-go/amazonpay"
)

// The kinds of code explain knows.
const (
	kindErrorCode     = "error code"
	kindReasonCode    = "reason code"
	kindConstraint    = "constraint"
	kindAuthStatus    = "authentication status"
	kindRedirectError = "confirmation error code"
)

// Whether the same call again can succeed.
const (
	retryYes   = "yes: the same call again, after a wait (the client retries these itself)"
	retryNo    = "no: the same call fails again"
	retryAfter = "only after the cause is fixed"
)

// explanation is what explain prints for one code.
type explanation struct {
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Meaning string `json:"meaning"`
	Retry   string `json:"retry"`
	Action  string `json:"action"`
	// BuyerMessage is Amazon's recommended message for the buyer, in the
	// language asked for; authentication statuses only.
	BuyerMessage string `json:"buyer_message,omitempty"`
}

type entry struct{ meaning, retry, action string }

// errorCodes explains every amazonpay.ErrorCode (a test checks that none is
// missing).
var errorCodes = map[amazonpay.ErrorCode]entry{
	amazonpay.ErrorAccessDenied:                      {"The access key is not allowed to call this operation for this seller.", retryAfter, "Check the seller id and that the MWS keys belong to it (Seller Central, Integration, MWS Access Key); for another seller, pass --mws-auth-token."},
	amazonpay.ErrorAmbiguousToken:                    {"Both an AccessToken and an AddressConsentToken were sent.", retryNo, "Send only the AccessToken."},
	amazonpay.ErrorBillingAgreementConstraintsExist:  {"The billing agreement has constraints (the message names them) and cannot be confirmed or charged.", retryAfter, "Resolve each constraint (amazonpay explain CONSTRAINT): usually the buyer must choose a payment method or give consent; then confirm or charge again."},
	amazonpay.ErrorBillingAgreementNotModifiable:     {"SetBillingAgreementDetails on a billing agreement that is no longer Draft.", retryNo, "Only a Draft billing agreement can be changed; the PSD2 migration's BillingAgreementType and SubscriptionAmount are the exception Amazon allows on Open ones."},
	amazonpay.ErrorCaptureNotRefundable:              {"Refund of a capture that is not Completed (Pending, Declined or Closed).", retryAfter, "Refund only a Completed capture: wait for a Pending one (amazonpay get CAPTURE_ID); a Closed one cannot be refunded further."},
	amazonpay.ErrorConstraintsExist:                  {"ConfirmOrderReference while the order reference has constraints (the message names them).", retryAfter, "Resolve each constraint (amazonpay explain CONSTRAINT), e.g. set the amount or let the buyer choose a payment method, then confirm again."},
	amazonpay.ErrorCurrencyMismatch:                  {"The amount's currency differs from the order reference's.", retryAfter, "Send the amount in the order's currency (see OrderTotal in amazonpay get ID)."},
	amazonpay.ErrorCurrencyUnsupported:               {"The currency is not supported for this seller or region.", retryAfter, "Use the region's currency (or one enabled for multi-currency in Seller Central)."},
	amazonpay.ErrorDuplicateReferenceID:              {"The reference id was already used by another request (another kind, or another object).", retryNo, "Use a new reference id for a new request; reuse one only to repeat the very same request."},
	amazonpay.ErrorDuplicateRequest:                  {"The reference id was already used with different parameters (e.g. another amount).", retryNo, "Repeat a request only with identical parameters; for a different one use a new reference id."},
	amazonpay.ErrorInternalServerError:               {"Amazon Pay had an internal error (also seen when a sandbox request reaches production or the reverse).", retryYes, "Retry later; if it persists, check that sandbox ids go to the sandbox (--sandbox) and live ids to production (--live)."},
	amazonpay.ErrorInvalidAccessKeyID:                {"The access key id is unknown.", retryAfter, "Check AMAZON_PAY_ACCESS_KEY (or --access-key) and the region."},
	amazonpay.ErrorInvalidAccountStatus:              {"The seller account is suspended or not fully registered.", retryAfter, "Check the account in Seller Central (amazonpay status shows its status)."},
	amazonpay.ErrorInvalidAddress:                    {"The URL names an invalid section or version.", retryNo, "Check the endpoint (--sandbox-url) and the sandbox/live choice."},
	amazonpay.ErrorInvalidAddressConsentToken:        {"The AccessToken or AddressConsentToken is invalid, expired or another buyer's.", retryAfter, "Get a fresh access token from the buyer's Login with Amazon session."},
	amazonpay.ErrorInvalidAuthorizationStatus:        {"Capture or CloseAuthorization on an authorization that is not Open.", retryNo, "Check the authorization's state (amazonpay get AUTH_ID); a Closed or Declined one cannot be captured: authorize again."},
	amazonpay.ErrorInvalidBillingAgreementID:         {"The billing agreement id is unknown or malformed.", retryNo, "Check the id (B…/C…-…-…) and the sandbox/live choice (C ids are sandbox, B ids live)."},
	amazonpay.ErrorInvalidBillingAgreementStatus:     {"The operation is not allowed in the billing agreement's state (e.g. a charge on a Suspended or Closed one).", retryAfter, "Check its state (amazonpay get ID) and follow the recommended action."},
	amazonpay.ErrorInvalidCancelAttempt:              {"CancelOrderReference on an order reference with pending, completed or closed captures.", retryNo, "Close it instead (amazonpay close ID), and refund captures as needed."},
	amazonpay.ErrorInvalidCloseAttempt:               {"Close is not allowed in the object's state (e.g. Draft or Canceled).", retryNo, "Nothing to close: a Draft object expires on its own; a Canceled one is final."},
	amazonpay.ErrorInvalidOrderReferenceID:           {"The order reference id is unknown or malformed.", retryNo, "Check the id (P…/S…-…-…) and the sandbox/live choice (S ids are sandbox, P ids live)."},
	amazonpay.ErrorInvalidOrderReferenceStatus:       {"The operation is not allowed in the order reference's state (e.g. Authorize on a Suspended one).", retryAfter, "Check its state (amazonpay get ID) and follow the recommended action."},
	amazonpay.ErrorInvalidParameterValue:             {"A parameter has an invalid value (amount format, length, id, timestamp).", retryNo, "The message names the parameter: correct it."},
	amazonpay.ErrorInvalidSandboxSimulationSpecified: {"The SandboxSimulation string names an invalid state or reason code, or one not allowed here.", retryNo, "Correct the simulation string (sandbox only)."},
	amazonpay.ErrorInvalidTransactionID:              {"The authorization, capture or refund id is unknown.", retryNo, "Check the id and the sandbox/live choice."},
	amazonpay.ErrorMissingAuthenticationToken:        {"The request carries no credentials, or an MWSAuthToken is missing for delegated access.", retryAfter, "Pass --mws-auth-token when acting for another seller."},
	amazonpay.ErrorMissingParameter:                  {"A required parameter is missing.", retryNo, "The message names the parameter: send it."},
	amazonpay.ErrorOrderReferenceCountExceeded:       {"A Draft billing agreement can have only one order reference.", retryNo, "Confirm the billing agreement first."},
	amazonpay.ErrorOrderReferenceNotModifiable:       {"SetOrderReferenceDetails on an order reference that is no longer Draft.", retryNo, "After confirmation use SetOrderAttributes for the fields that may still change."},
	amazonpay.ErrorPaymentMethodNotAllowed:           {"The buyer's payment method is not allowed for this order.", retryAfter, "Let the buyer choose another payment method in the Wallet widget."},
	amazonpay.ErrorPaymentMethodNotUpdated:           {"The buyer did not update the payment method.", retryAfter, "Ask the buyer to choose a payment method, then confirm again."},
	amazonpay.ErrorPeriodicAmountExceeded:            {"The charge exceeds the billing agreement's limit for the period (BillingAgreementLimits).", retryAfter, "Charge less this period, or wait for the next one; amazonpay get BA_ID shows the remaining balance."},
	amazonpay.ErrorRequestThrottled:                  {"The operation's request quota is used up.", retryYes, "Slow down: the batch commands pace by the quotas; raise the pace only with quotas Amazon granted (--quota)."},
	amazonpay.ErrorServiceUnavailable:                {"Amazon Pay is temporarily unavailable.", retryYes, "Retry later; amazonpay status shows the service's health."},
	amazonpay.ErrorSignatureDoesNotMatch:             {"The request signature does not match: a wrong secret key, or the request was changed on the way.", retryAfter, "Check AMAZON_PAY_SECRET_KEY belongs to the access key, and the endpoint's host."},
	amazonpay.ErrorTransactionAmountExceeded:         {"The amount exceeds what is allowed (the order total plus the lesser of 15 % and 75, the authorization for a capture, the capture for a refund).", retryNo, "Send a smaller amount; amazonpay get ID shows what is left."},
	amazonpay.ErrorTransactionCountExceeded:          {"Too many transactions on the object (e.g. more than 10 authorizations or 10 refunds).", retryNo, "Use a new order reference, or refund by other means."},
	amazonpay.ErrorUnauthorizedAccess:                {"The seller is not authorised for this object (another seller's id, or a wrong SellerId).", retryAfter, "Check --seller-id, and --mws-auth-token for delegated access."},
	amazonpay.ErrorUnauthorizedSolutionProvider:      {"The solution provider is not authorised for this seller.", retryAfter, "Check the PlatformId (AMAZON_PAY_PLATFORM_ID) and the seller's delegation."},
}

// reasonCodes explains every amazonpay.ReasonCode.
var reasonCodes = map[amazonpay.ReasonCode]entry{
	amazonpay.ReasonStale:                        {"The object was not confirmed within 3 hours of creation and was canceled.", retryNo, "Start a new checkout: the buyer signs in again."},
	amazonpay.ReasonSellerCanceled:               {"The merchant canceled the order reference (CancelOrderReference).", retryNo, "Nothing to do; it is final."},
	amazonpay.ReasonAmazonCanceled:               {"Amazon canceled the object.", retryNo, "Contact Amazon Pay merchant support for the reason; do not ship."},
	amazonpay.ReasonBuyerCanceled:                {"The buyer canceled the billing agreement in their Amazon account.", retryNo, "Stop charging it; ask the buyer to subscribe again."},
	amazonpay.ReasonInvalidPaymentMethod:         {"The payment method was declined or is no longer usable (soft decline when SoftDecline is true).", retryAfter, "Ask the buyer to choose another payment method (Wallet widget), then authorize again; after a hard decline, cancel the order."},
	amazonpay.ReasonPaymentAuthorizationRequired: {"Strong Customer Authentication is required: the buyer has not passed (or abandoned) the Confirmation Flow.", retryAfter, "The buyer must pass the Confirmation Flow again: confirm with SuccessUrl and FailureUrl, send the buyer through it, then authorize."},
	amazonpay.ReasonExpired:                      {"The object expired (an order reference after 180 days, or the ExpectImmediateAuthorization window passed without an authorization).", retryNo, "Open authorizations may still be captured and captures refunded; for a new charge create a new order reference."},
	amazonpay.ReasonMaxAmountCharged:             {"The order reference was charged its total plus the allowed excess.", retryNo, "Nothing more can be charged on it."},
	amazonpay.ReasonMaxAuthorizationsCaptured:    {"Ten authorizations of the order reference were captured.", retryNo, "Nothing more can be charged on it; use a new order reference."},
	amazonpay.ReasonMaxAuthorizationsProcessed:   {"The order reference reached its authorizations (a billing agreement's child order reference is closed so after its one charge).", retryNo, "Nothing to do: this is how a billing agreement charge ends."},
	amazonpay.ReasonSellerClosed:                 {"The merchant closed the object.", retryNo, "Nothing to do; refunds of completed captures remain possible."},
	amazonpay.ReasonAmazonClosed:                 {"Amazon closed the object (e.g. an account problem or a rejected authorization).", retryNo, "Do not ship; contact Amazon Pay merchant support if unexpected."},
	amazonpay.ReasonAmazonRejected:               {"Amazon rejected the transaction (hard decline); an order reference is closed.", retryNo, "Cancel the order and ask the buyer to pay another way."},
	amazonpay.ReasonProcessingFailure:            {"Amazon could not process the transaction (internal error).", retryAfter, "Retry if the order reference (or authorization) is still Open; otherwise ask the buyer for another payment method."},
	amazonpay.ReasonTransactionTimedOut:          {"The authorization was not processed in time (8 s synchronous, or TransactionTimeout asynchronous).", retryAfter, "Authorize again, preferably asynchronously, or cancel the order."},
	amazonpay.ReasonExpiredUnused:                {"The authorization was not captured within its lifetime (30 days live, 2 days in the sandbox).", retryNo, "Authorize again if the order reference is still Open."},
	amazonpay.ReasonMaxCapturesProcessed:         {"The authorization was captured (one capture per authorization).", retryNo, "Nothing to do: it closed after its capture."},
	amazonpay.ReasonOrderReferenceCanceled:       {"The order reference was canceled, which closed its authorizations.", retryNo, "Nothing more can be captured."},
	amazonpay.ReasonStopShipmentAtypicalAuth:     {"Amazon saw signs of unusual activity on this payment.", retryNo, "Do not ship; wait for Amazon's notification, or cancel the order."},
	amazonpay.ReasonMaxAmountRefunded:            {"The capture was refunded in full (plus the allowed excess).", retryNo, "Nothing more can be refunded."},
	amazonpay.ReasonMaxRefundsProcessed:          {"The capture had ten refunds, the maximum.", retryNo, "Refund any further amount by other means."},
	amazonpay.ReasonMaxAmountReversed:            {"The provider credit was reversed in full.", retryNo, "Nothing more can be reversed."},
}

// constraints explains every amazonpay.ConstraintID.
var constraints = map[amazonpay.ConstraintID]entry{
	amazonpay.ConstraintAmountNotSet:                 {"The order reference has no OrderTotal.", retryAfter, "Call SetOrderReferenceDetails with the OrderTotal, then confirm."},
	amazonpay.ConstraintBuyerEqualsSeller:            {"The buyer is the seller: one cannot buy from one's own shop.", retryNo, "Use another buyer account."},
	amazonpay.ConstraintCurrencyMismatch:             {"The buyer's presentment currency differs from the OrderTotal's.", retryAfter, "Set the OrderTotal in the currency the buyer sees."},
	amazonpay.ConstraintPaymentMethodNotAllowed:      {"The chosen payment method is not allowed for this order.", retryAfter, "Let the buyer choose another payment method in the Wallet widget."},
	amazonpay.ConstraintPaymentPlanNotSet:            {"The buyer has not chosen a payment method.", retryAfter, "Show the Wallet widget so that the buyer chooses one."},
	amazonpay.ConstraintShippingAddressNotSet:        {"The buyer has not chosen a shipping address.", retryAfter, "Show the AddressBook widget so that the buyer chooses one."},
	amazonpay.ConstraintBuyerConsentNotSet:           {"The buyer has not given consent to the billing agreement.", retryAfter, "Show the Consent widget so that the buyer consents."},
	amazonpay.ConstraintBillingAgreementLimitsNotSet: {"The billing agreement has no limits set.", retryAfter, "Set the limits (BillingAgreementLimits) and confirm again."},
	amazonpay.ConstraintBillingAddressDeleted:        {"The buyer deleted the billing address of the chosen payment method; the billing agreement is Suspended.", retryAfter, "Ask the buyer to choose a payment method again, then confirm the billing agreement again."},
}

// authStatuses explains every amazonpay.AuthenticationStatus.
var authStatuses = map[amazonpay.AuthenticationStatus]entry{
	amazonpay.AuthenticationSuccess:   {"The buyer passed the Confirmation Flow (or no challenge was needed).", "not needed", amazonpay.ActionProceed.Description()},
	amazonpay.AuthenticationFailure:   {"The buyer failed the authentication challenge.", retryNo, amazonpay.ActionCancelAndReturnToCart.Description()},
	amazonpay.AuthenticationAbandoned: {"The buyer closed the authentication challenge without finishing it.", retryAfter, amazonpay.ActionChooseAnotherPaymentMethod.Description()},
}

// redirectErrors explains every amazonpay.RedirectErrorCode.
var redirectErrors = map[amazonpay.RedirectErrorCode]entry{
	amazonpay.RedirectInvalidSellerID:     {"The Confirmation Flow was started with a SellerId Amazon does not know.", retryAfter, amazonpay.ActionCheckSellerIDAndRetry.Description()},
	amazonpay.RedirectInvalidIDStatus:     {"The order reference or billing agreement was not in a state the Confirmation Flow accepts.", retryAfter, amazonpay.ActionCheckStateAndRetry.Description()},
	amazonpay.RedirectInternalServerError: {"Amazon Pay had an internal error during the Confirmation Flow.", retryYes, amazonpay.ActionRetry.Description()},
}

// explanations returns every explanation of code (a code can be of several
// kinds: CurrencyMismatch is an error code and a constraint), or of the
// one kind asked for. The buyer message is in lang.
func explanations(code, kind, lang string) []explanation {
	var out []explanation
	add := func(k string, e entry, ok bool) {
		if ok && (kind == "" || kind == k) {
			out = append(out, explanation{Kind: k, Code: code, Meaning: e.meaning, Retry: e.retry, Action: e.action})
		}
	}
	e, ok := errorCodes[amazonpay.ErrorCode(code)]
	add(kindErrorCode, e, ok)
	e, ok = reasonCodes[amazonpay.ReasonCode(code)]
	add(kindReasonCode, e, ok)
	e, ok = constraints[amazonpay.ConstraintID(code)]
	add(kindConstraint, e, ok)
	e, ok = redirectErrors[amazonpay.RedirectErrorCode(code)]
	add(kindRedirectError, e, ok)
	if e, ok = authStatuses[amazonpay.AuthenticationStatus(code)]; ok && (kind == "" || kind == kindAuthStatus) {
		out = append(out, explanation{Kind: kindAuthStatus, Code: code, Meaning: e.meaning, Retry: e.retry, Action: e.action,
			BuyerMessage: amazonpay.BuyerMessage(amazonpay.AuthenticationStatus(code), lang)})
	}
	return out
}
