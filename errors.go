package amazonpay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrorCode is an MWS error code, as in ErrorResponse/Error/Code. It
// implements error so that errors.Is(err, amazonpay.ErrorRequestThrottled)
// matches an *APIError with that code.
type ErrorCode string

// Error returns the code itself.
func (c ErrorCode) Error() string { return string(c) }

// The error codes the MWS Amazon Pay documentation and SDK fixtures name.
const (
	ErrorAccessDenied                      ErrorCode = "AccessDenied"
	ErrorAmbiguousToken                    ErrorCode = "AmbiguousToken"
	ErrorBillingAgreementConstraintsExist  ErrorCode = "BillingAgreementConstraintsExist"
	ErrorBillingAgreementNotModifiable     ErrorCode = "BillingAgreementNotModifiable"
	ErrorCaptureNotRefundable              ErrorCode = "CaptureNotRefundable"
	ErrorConstraintsExist                  ErrorCode = "ConstraintsExist"
	ErrorCurrencyMismatch                  ErrorCode = "CurrencyMismatch"
	ErrorCurrencyUnsupported               ErrorCode = "CurrencyUnsupported"
	ErrorDuplicateReferenceID              ErrorCode = "DuplicateReferenceId"
	ErrorDuplicateRequest                  ErrorCode = "DuplicateRequest"
	ErrorInternalServerError               ErrorCode = "InternalServerError"
	ErrorInvalidAccessKeyID                ErrorCode = "InvalidAccessKeyId"
	ErrorInvalidAccountStatus              ErrorCode = "InvalidAccountStatus"
	ErrorInvalidAddress                    ErrorCode = "InvalidAddress"
	ErrorInvalidAddressConsentToken        ErrorCode = "InvalidAddressConsentToken"
	ErrorInvalidAuthorizationStatus        ErrorCode = "InvalidAuthorizationStatus"
	ErrorInvalidBillingAgreementID         ErrorCode = "InvalidBillingAgreementId"
	ErrorInvalidBillingAgreementStatus     ErrorCode = "InvalidBillingAgreementStatus"
	ErrorInvalidCancelAttempt              ErrorCode = "InvalidCancelAttempt"
	ErrorInvalidCloseAttempt               ErrorCode = "InvalidCloseAttempt"
	ErrorInvalidOrderReferenceID           ErrorCode = "InvalidOrderReferenceId"
	ErrorInvalidOrderReferenceStatus       ErrorCode = "InvalidOrderReferenceStatus"
	ErrorInvalidParameterValue             ErrorCode = "InvalidParameterValue"
	ErrorInvalidSandboxSimulationSpecified ErrorCode = "InvalidSandboxSimulationSpecified"
	ErrorInvalidTransactionID              ErrorCode = "InvalidTransactionId"
	ErrorMissingAuthenticationToken        ErrorCode = "MissingAuthenticationToken"
	ErrorMissingParameter                  ErrorCode = "MissingParameter"
	ErrorOrderReferenceCountExceeded       ErrorCode = "OrderReferenceCountExceeded"
	ErrorOrderReferenceNotModifiable       ErrorCode = "OrderReferenceNotModifiable"
	ErrorPaymentMethodNotAllowed           ErrorCode = "PaymentMethodNotAllowed"
	ErrorPaymentMethodNotUpdated           ErrorCode = "PaymentMethodNotUpdated"
	ErrorPeriodicAmountExceeded            ErrorCode = "PeriodicAmountExceeded"
	ErrorRequestThrottled                  ErrorCode = "RequestThrottled"
	ErrorServiceUnavailable                ErrorCode = "ServiceUnavailable"
	ErrorSignatureDoesNotMatch             ErrorCode = "SignatureDoesNotMatch"
	ErrorTransactionAmountExceeded         ErrorCode = "TransactionAmountExceeded"
	ErrorTransactionCountExceeded          ErrorCode = "TransactionCountExceeded"
	ErrorUnauthorizedAccess                ErrorCode = "UnauthorizedAccess"
	ErrorUnauthorizedSolutionProvider      ErrorCode = "UnauthorizedSolutionProvider"
)

// APIError is an ErrorResponse from MWS: the call reached Amazon and was
// refused. Switch on Code, or use errors.Is with an ErrorCode.
type APIError struct {
	Operation  string    // the MWS Action, e.g. "Authorize"
	StatusCode int       // HTTP status, e.g. 400 or 503
	Type       string    // "Sender" or "Receiver"; empty when throttled
	Code       ErrorCode // e.g. ErrorInvalidOrderReferenceStatus
	Message    string    // Amazon's text
	RequestID  string    // the RequestId (or RequestID) of the response
	RawXML     []byte    // the response body
}

// Error gives the operation, code, status, request id and Amazon's message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "amazonpay: %s: %s (HTTP %d", e.Operation, e.Code, e.StatusCode)
	if e.RequestID != "" {
		b.WriteString(", request id " + e.RequestID)
	}
	b.WriteString(")")
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Is reports whether target is the ErrorCode of e.
func (e *APIError) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

// Temporary reports whether the failure is one that a later identical call
// may not meet: throttling, service unavailability and internal errors.
func (e *APIError) Temporary() bool {
	switch e.Code {
	case ErrorRequestThrottled, ErrorServiceUnavailable, ErrorInternalServerError:
		return true
	}
	return e.StatusCode == 500 || e.StatusCode == 503
}

// ValidationError reports input that the client refused to send: nothing
// went over the network. Field is the MWS parameter name (e.g.
// "AuthorizationAmount.Amount") or the Config field at fault.
type ValidationError struct {
	Operation string // the MWS Action, or "NewClient" for a Config problem
	Field     string
	Reason    string
}

// Error names the operation, the field and the reason.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("amazonpay: %s: invalid %s: %s", e.Operation, e.Field, e.Reason)
}

// UnexpectedResponseError reports a response that is not a well-formed MWS
// reply: an HTML error page from a proxy, a truncated or garbled body, a
// success status with an unexpected or incomplete document, a redirect. It
// never stands for success.
type UnexpectedResponseError struct {
	Operation  string
	StatusCode int
	// RequestID is the RequestId (or RequestID) found in the body, if any:
	// the reply came from MWS, which may have acted on the request.
	RequestID string
	// Body is the response body as read (up to the size cap). It may hold
	// the buyer's name, address or e-mail: Error never prints it, and the
	// client never logs it.
	Body []byte
	Err  error // what was wrong with it
}

// Error gives the status, the request id if any, the cause and the size and
// first element of the body, never its content.
func (e *UnexpectedResponseError) Error() string {
	id := ""
	if e.RequestID != "" {
		id = ", request id " + e.RequestID
	}
	return fmt.Sprintf("amazonpay: %s: unexpected response (HTTP %d%s): %v (%s)",
		e.Operation, e.StatusCode, id, e.Err, describeBody(e.Body))
}

// GoString is Error for %#v, which would otherwise print Body.
func (e *UnexpectedResponseError) GoString() string { return e.Error() }

// Unwrap returns the cause.
func (e *UnexpectedResponseError) Unwrap() error { return e.Err }

// describeBody names a body by its size and its first element (an XML or
// HTML tag name), which tells an HTML error page from an MWS document
// without quoting anything the buyer typed.
func describeBody(body []byte) string {
	if len(body) == 0 {
		return "empty body"
	}
	desc := fmt.Sprintf("body of %d bytes", len(body))
	rest := body
	for {
		i := bytes.IndexByte(rest, '<')
		if i < 0 || i+1 >= len(rest) {
			return desc
		}
		rest = rest[i+1:]
		if c := rest[0]; c == '?' || c == '!' {
			continue // declaration, comment or doctype
		}
		end := bytes.IndexFunc(rest, func(r rune) bool {
			return r != ':' && r != '-' && r != '_' && r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
		if end <= 0 {
			return desc
		}
		return desc + " starting <" + string(rest[:end]) + ">"
	}
}

// RequestError reports a call that got no complete HTTP response: the
// connection failed or was reset, the body was cut short, the attempt timed
// out, or the context ended. Err is the cause; errors.Is(err,
// context.Canceled) and the like see through it.
//
// When the context ends while the client waits to retry, Err is the
// context's error and Last the error of the last attempt, e.g. the
// *APIError of a 503: errors.Is(err, context.DeadlineExceeded) and
// errors.As(err, &apiErr) both hold. Check the context first: the call was
// abandoned, and the last attempt's error only says why it was being
// retried.
type RequestError struct {
	Operation string
	Attempts  int // how many attempts were made
	Err       error
	// Last is the error of the last attempt when the context ended during
	// a retry wait; nil otherwise.
	Last error
}

// Error gives the operation, the number of attempts and the cause, and the
// last attempt's error when there is one, on one line.
func (e *RequestError) Error() string {
	s := fmt.Sprintf("amazonpay: %s: request failed after %d attempt(s): %v", e.Operation, e.Attempts, e.Err)
	if e.Last != nil {
		last := strings.TrimPrefix(e.Last.Error(), "amazonpay: "+e.Operation+": ")
		s += "; last attempt: " + strings.ReplaceAll(last, "\n", " ")
	}
	return s
}

// Unwrap returns the cause, e.g. context.Canceled or a *net.OpError, and
// the last attempt's error when there is one.
func (e *RequestError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

// errorResponse is the MWS ErrorResponse document. The request id is a
// direct child, spelled RequestId, or RequestID when throttled.
type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Errors  []struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID    string `xml:"RequestId"`
	RequestIDAlt string `xml:"RequestID"`
}

// parseAPIError decodes an ErrorResponse body. It returns nil when body is
// not an ErrorResponse with an error code.
func parseAPIError(op string, status int, body []byte) *APIError {
	var er errorResponse
	if newXMLDecoder(bytes.NewReader(body)).Decode(&er) != nil || len(er.Errors) == 0 || er.Errors[0].Code == "" {
		return nil
	}
	first := er.Errors[0]
	id := er.RequestID
	if id == "" {
		id = er.RequestIDAlt
	}
	return &APIError{
		Operation:  op,
		StatusCode: status,
		Type:       strings.TrimSpace(first.Type),
		Code:       ErrorCode(strings.TrimSpace(first.Code)),
		Message:    strings.TrimSpace(first.Message),
		RequestID:  strings.TrimSpace(id),
		RawXML:     body,
	}
}

// ErrOutcomeUnknown is matched (errors.Is) by the error of a call that may
// have succeeded: a close or cancel whose earlier attempt's reply was lost,
// whose retry MWS refused because the object had left the state it needs,
// and whose follow-up Get*Details, which would have told whether the lost
// attempt was applied, failed too. errors.As still finds MWS's refusal
// (the *APIError) first, then the lost attempt's error and the read's.
// Read the object's state again later (or wait for its notification); do
// not treat the call as failed.
var ErrOutcomeUnknown = errors.New("amazonpay: outcome unknown")

// outcomeUnknownError is the ErrOutcomeUnknown error: MWS's refusal of
// the retry, the error of the attempt whose reply was lost, and the
// failure of the read that would have decided between them.
type outcomeUnknownError struct {
	Operation string
	Refused   error // the retry's *APIError
	Lost      error // the attempt that may have been applied
	Read      error // the Get*Details that failed
}

// Error says the outcome is unknown and gives the three errors, on one
// line with one prefix.
func (e *outcomeUnknownError) Error() string {
	own := "amazonpay: " + e.Operation + ": "
	short := func(err error) string {
		s := strings.TrimPrefix(err.Error(), own)
		return strings.ReplaceAll(strings.TrimPrefix(s, "amazonpay: "), "\n", " ")
	}
	return own + "outcome unknown: an attempt whose reply was lost may have been applied (" + short(e.Lost) +
		"); the retry was refused (" + short(e.Refused) + "); reading the state failed (" + short(e.Read) + ")"
}

// Unwrap returns ErrOutcomeUnknown, the refusal, the lost attempt's error
// and the read's, in that order: errors.As finds the refusal first.
func (e *outcomeUnknownError) Unwrap() []error {
	return []error{ErrOutcomeUnknown, e.Refused, e.Lost, e.Read}
}
