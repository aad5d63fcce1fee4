package amazonpay

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// After ConfirmOrderReference or ConfirmBillingAgreement with SuccessUrl and
// FailureUrl (EU/UK, Strong Customer Authentication), Amazon Pay sends the
// buyer through the Confirmation Flow and back to one of the URLs with
// either ErrorCode (a technical failure) or AuthenticationStatus (the
// outcome of the challenge). ErrorCode is read first, as Amazon's
// integration guide says.

// AuthenticationStatus is the outcome of the buyer's authentication
// challenge, as returned to SuccessUrl or FailureUrl.
type AuthenticationStatus string

// The documented authentication outcomes.
const (
	AuthenticationSuccess   AuthenticationStatus = "Success"   // passed or not needed: go on
	AuthenticationFailure   AuthenticationStatus = "Failure"   // the buyer failed the challenge
	AuthenticationAbandoned AuthenticationStatus = "Abandoned" // the buyer closed the challenge
)

// RedirectErrorCode is a technical failure of the Confirmation Flow,
// returned to FailureUrl as ErrorCode.
type RedirectErrorCode string

// The documented Confirmation Flow error codes.
const (
	RedirectInvalidSellerID     RedirectErrorCode = "InvalidSellerId"
	RedirectInvalidIDStatus     RedirectErrorCode = "InvalidIdStatus"
	RedirectInternalServerError RedirectErrorCode = "InternalServerError"
)

// RecommendedAction is what Amazon's integration guide recommends after a
// Confirmation Flow outcome.
type RecommendedAction string

// The recommended actions, one per outcome.
const (
	// ActionProceed: call Authorize (order reference) or
	// ValidateBillingAgreement (billing agreement).
	ActionProceed RecommendedAction = "Proceed"
	// ActionCancelAndReturnToCart: log the buyer out of Amazon Pay, send them
	// back to the cart, cancel the order reference (CancelOrderReference)
	// and show BuyerMessage. Do not try again with the same payment method.
	ActionCancelAndReturnToCart RecommendedAction = "CancelAndReturnToCart"
	// ActionChooseAnotherPaymentMethod: handle like an authorization declined
	// with InvalidPaymentMethod: show BuyerMessage and let the buyer pick
	// another payment method in the Wallet widget, then confirm again.
	ActionChooseAnotherPaymentMethod RecommendedAction = "ChooseAnotherPaymentMethod"
	// ActionCheckSellerIDAndRetry: the SellerId given to initConfirmationFlow
	// and ConfirmOrderReference is wrong; correct it and retry.
	ActionCheckSellerIDAndRetry RecommendedAction = "CheckSellerIDAndRetry"
	// ActionCheckStateAndRetry: the object was not Open when Amazon Pay
	// processed the flow (ConfirmOrderReference failed or was late); make
	// sure it is Open (GetOrderReferenceDetails) and retry.
	ActionCheckStateAndRetry RecommendedAction = "CheckStateAndRetry"
	// ActionRetry: Amazon Pay had an internal error; try again.
	ActionRetry RecommendedAction = "Retry"
)

// Description returns the guide's recommendation in a sentence.
func (a RecommendedAction) Description() string {
	switch a {
	case ActionProceed:
		return "Authentication succeeded or was not needed: call Authorize for an order reference, ValidateBillingAgreement for a billing agreement."
	case ActionCancelAndReturnToCart:
		return "The buyer failed the authentication challenge: log the buyer out of Amazon Pay, redirect them to the cart, call CancelOrderReference for an order reference, and show the failure message."
	case ActionChooseAnotherPaymentMethod:
		return "The buyer abandoned the authentication challenge: handle it like an InvalidPaymentMethod decline, show the message and let the buyer choose another payment method."
	case ActionCheckSellerIDAndRetry:
		return "The SellerId is not valid: verify the SellerId parameter value and retry."
	case ActionCheckStateAndRetry:
		return "The object was not Open when Amazon Pay processed the request: make sure ConfirmOrderReference succeeded and the state is Open, then retry."
	case ActionRetry:
		return "Amazon Pay encountered an internal error: try again."
	}
	return ""
}

// ConfirmationResult is the buyer's return from the Confirmation Flow.
// Exactly one of ErrorCode and AuthenticationStatus is set.
type ConfirmationResult struct {
	ErrorCode            RedirectErrorCode
	AuthenticationStatus AuthenticationStatus
	// Action is the recommended next step.
	Action RecommendedAction
}

// Proceed reports whether authentication succeeded, so that the merchant
// should now call Authorize (order reference) or ValidateBillingAgreement
// (billing agreement).
func (r *ConfirmationResult) Proceed() bool { return r.Action == ActionProceed }

// BuyerMessage returns the message Amazon recommends showing the buyer, in
// the best language of languages (a tag like "de", "fr-CH" or "es_ES", or
// an Accept-Language header value), falling back to English. It is empty
// for outcomes with no recommended message (success and error codes).
func (r *ConfirmationResult) BuyerMessage(languages string) string {
	if r.ErrorCode != "" {
		return ""
	}
	return BuyerMessage(r.AuthenticationStatus, languages)
}

// ParseConfirmationRedirect reads the query of the buyer's return to
// SuccessUrl or FailureUrl. It reads ErrorCode first, then
// AuthenticationStatus. Blank values (empty or white space only) are
// ignored; values compare without regard to ASCII case only, so no Unicode
// look-alike ("ſuccess") passes. A missing, ambiguously repeated or unknown
// value is an error (*ValidationError naming the parameter), never a
// success.
//
// The redirect is unauthenticated input: anyone can open the SuccessUrl
// with AuthenticationStatus=Success. It tells the shop what to do next, not
// that the order is paid. Take the order reference id from the buyer's
// session, not from the URL, and mark the order paid only when Authorize
// says so (an Open authorization, or Closed with CaptureNow).
func ParseConfirmationRedirect(query url.Values) (*ConfirmationResult, error) {
	const op = "ParseConfirmationRedirect"
	if code, ok, err := singleParam(op, query, "ErrorCode"); err != nil {
		return nil, err
	} else if ok {
		var action RecommendedAction
		switch RedirectErrorCode(code) {
		case RedirectInvalidSellerID:
			action = ActionCheckSellerIDAndRetry
		case RedirectInvalidIDStatus:
			action = ActionCheckStateAndRetry
		case RedirectInternalServerError:
			action = ActionRetry
		default:
			return nil, &ValidationError{Operation: op, Field: "ErrorCode", Reason: fmt.Sprintf("unknown error code %q", code)}
		}
		return &ConfirmationResult{ErrorCode: RedirectErrorCode(code), Action: action}, nil
	}
	status, ok, err := singleParam(op, query, "AuthenticationStatus")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &ValidationError{Operation: op, Field: "AuthenticationStatus", Reason: "is missing, and so is ErrorCode"}
	}
	res := &ConfirmationResult{}
	switch {
	case asciiEqualFold(status, string(AuthenticationSuccess)):
		res.AuthenticationStatus, res.Action = AuthenticationSuccess, ActionProceed
	case asciiEqualFold(status, string(AuthenticationFailure)):
		res.AuthenticationStatus, res.Action = AuthenticationFailure, ActionCancelAndReturnToCart
	case asciiEqualFold(status, string(AuthenticationAbandoned)):
		res.AuthenticationStatus, res.Action = AuthenticationAbandoned, ActionChooseAnotherPaymentMethod
	default:
		return nil, &ValidationError{Operation: op, Field: "AuthenticationStatus", Reason: fmt.Sprintf("unknown status %q", status)}
	}
	return res, nil
}

// singleParam returns the one non-blank value of name. Several different
// values are an error: the outcome would be ambiguous.
func singleParam(op string, query url.Values, name string) (string, bool, error) {
	var found string
	for _, v := range query[name] {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if found != "" && v != found {
			return "", false, &ValidationError{Operation: op, Field: name, Reason: "has several different values"}
		}
		found = v
	}
	return found, found != "", nil
}

// buyerMessages are Amazon's recommended messages, word for word, by
// outcome and language.
var buyerMessages = map[AuthenticationStatus]map[string]string{
	AuthenticationAbandoned: {
		"en": "Something's wrong with your payment method. To place your order, try another.",
		"fr": "Un problème est survenu avec votre moyen de paiement. Pour passer votre commande, essayez un autre moyen de paiement.",
		"de": "Mit dieser Zahlungsart ist ein Problem aufgetreten. Um Ihre Bestellung abzuschließen, wählen Sie bitte eine andere aus.",
		"it": "Si è verificato un problema con il metodo di pagamento. Per effettuare l'ordine, prova con un altro metodo di pagamento.",
		"es": "Se ha producido un error con tu método de pago. Para confirmar tu pedido, prueba con otro método de pago.",
	},
	AuthenticationFailure: {
		"en": "There was a problem with your payment. Your order hasn't been placed, and you haven't been charged.",
		"fr": "Un problème s’est produit avec votre paiement. Votre commande n'a pas été passée et vous n'avez pas été débité.",
		"de": "Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet.",
		"it": "Si è verificato un problema con il pagamento. L'ordine non è stato effettuato, pertanto non ti è stato addebitato alcun importo.",
		"es": "Se ha producido un problema con el pago. Tu pedido no se ha confirmado y no se te ha cargado ningún importe.",
	},
}

// BuyerMessage returns Amazon's recommended buyer message for a Failure or
// Abandoned authentication in the best of languages (English, French,
// German, Italian or Spanish; see ConfirmationResult.BuyerMessage), or ""
// for other statuses.
func BuyerMessage(status AuthenticationStatus, languages string) string {
	msgs, ok := buyerMessages[status]
	if !ok {
		return ""
	}
	return msgs[MessageLanguage(languages)]
}

// MessageLanguage picks the language of the buyer messages for a language
// tag ("de", "de-DE", "fr_CH") or an Accept-Language value
// ("fr-CH, fr;q=0.9, en;q=0.8"): the supported primary language with the
// highest weight, or "en".
func MessageLanguage(languages string) string {
	best, bestQ := "en", 0.0
	for _, part := range strings.Split(languages, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"), "-")
		primary = asciiLower(primary)
		// Earlier entries win ties, as in Accept-Language.
		if slices.Contains([]string{"en", "fr", "de", "it", "es"}, primary) && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
