package amazonpay

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfirmationRedirect(t *testing.T) {
	for _, tc := range []struct {
		query   string
		code    RedirectErrorCode
		status  AuthenticationStatus
		action  RecommendedAction
		proceed bool
	}{
		{"AuthenticationStatus=Success", "", AuthenticationSuccess, ActionProceed, true},
		{"status=success&AuthenticationStatus=Success", "", AuthenticationSuccess, ActionProceed, true},
		{"AuthenticationStatus=SUCCESS", "", AuthenticationSuccess, ActionProceed, true},
		{"AuthenticationStatus=Failure", "", AuthenticationFailure, ActionCancelAndReturnToCart, false},
		{"AuthenticationStatus=Abandoned", "", AuthenticationAbandoned, ActionChooseAnotherPaymentMethod, false},
		{"ErrorCode=InvalidSellerId", RedirectInvalidSellerID, "", ActionCheckSellerIDAndRetry, false},
		{"ErrorCode=InvalidIdStatus", RedirectInvalidIDStatus, "", ActionCheckStateAndRetry, false},
		{"ErrorCode=InternalServerError", RedirectInternalServerError, "", ActionRetry, false},
		// ErrorCode is read first: it wins over a Success.
		{"AuthenticationStatus=Success&ErrorCode=InternalServerError", RedirectInternalServerError, "", ActionRetry, false},
		// A repeated identical value is not ambiguous; blank ones are ignored.
		{"AuthenticationStatus=Abandoned&AuthenticationStatus=Abandoned&ErrorCode=", "", AuthenticationAbandoned, ActionChooseAnotherPaymentMethod, false},
		{"ErrorCode=+&ErrorCode=%09&AuthenticationStatus=Success", "", AuthenticationSuccess, ActionProceed, true},
		{"ErrorCode=+&ErrorCode=InvalidIdStatus&AuthenticationStatus=Success", RedirectInvalidIDStatus, "", ActionCheckStateAndRetry, false},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			res, err := ParseConfirmationRedirect(q)
			require.NoError(t, err)
			assert.Equal(t, tc.code, res.ErrorCode)
			assert.Equal(t, tc.status, res.AuthenticationStatus)
			assert.Equal(t, tc.action, res.Action)
			assert.Equal(t, tc.proceed, res.Proceed())
			assert.NotEmpty(t, res.Action.Description())
		})
	}
}

func TestParseConfirmationRedirectErrors(t *testing.T) {
	for query, field := range map[string]string{
		"":                            "AuthenticationStatus",
		"status=success":              "AuthenticationStatus",
		"AuthenticationStatus=":       "AuthenticationStatus",
		"AuthenticationStatus=%20":    "AuthenticationStatus",
		"AuthenticationStatus=Succes": "AuthenticationStatus",
		"AuthenticationStatus=Success&AuthenticationStatus=Failure": "AuthenticationStatus",
		"ErrorCode=Bogus&AuthenticationStatus=Success":              "ErrorCode",
		"ErrorCode=InvalidSellerId&ErrorCode=InternalServerError":   "ErrorCode",
	} {
		t.Run(query, func(t *testing.T) {
			q, err := url.ParseQuery(query)
			require.NoError(t, err)
			res, err := ParseConfirmationRedirect(q)
			require.Error(t, err)
			assert.Nil(t, res)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, field, ve.Field)
			assert.Equal(t, "ParseConfirmationRedirect", ve.Operation)
		})
	}
}

func TestBuyerMessages(t *testing.T) {
	abandoned := map[string]string{
		"en": "Something's wrong with your payment method. To place your order, try another.",
		"fr": "Un problème est survenu avec votre moyen de paiement. Pour passer votre commande, essayez un autre moyen de paiement.",
		"de": "Mit dieser Zahlungsart ist ein Problem aufgetreten. Um Ihre Bestellung abzuschließen, wählen Sie bitte eine andere aus.",
		"it": "Si è verificato un problema con il metodo di pagamento. Per effettuare l'ordine, prova con un altro metodo di pagamento.",
		"es": "Se ha producido un error con tu método de pago. Para confirmar tu pedido, prueba con otro método de pago.",
	}
	failure := map[string]string{
		"en": "There was a problem with your payment. Your order hasn't been placed, and you haven't been charged.",
		"fr": "Un problème s’est produit avec votre paiement. Votre commande n'a pas été passée et vous n'avez pas été débité.",
		"de": "Beim Zahlungsvorgang ist ein Problem aufgetreten. Ihre Bestellung wurde nicht aufgegeben und Ihr Konto nicht belastet.",
		"it": "Si è verificato un problema con il pagamento. L'ordine non è stato effettuato, pertanto non ti è stato addebitato alcun importo.",
		"es": "Se ha producido un problema con el pago. Tu pedido no se ha confirmado y no se te ha cargado ningún importe.",
	}
	for lang, want := range abandoned {
		assert.Equal(t, want, BuyerMessage(AuthenticationAbandoned, lang), lang)
		assert.Equal(t, failure[lang], BuyerMessage(AuthenticationFailure, lang), lang)
	}
	assert.Empty(t, BuyerMessage(AuthenticationSuccess, "de"))

	res, err := ParseConfirmationRedirect(url.Values{"AuthenticationStatus": {"Failure"}})
	require.NoError(t, err)
	assert.Equal(t, failure["de"], res.BuyerMessage("de-AT"))
	res, err = ParseConfirmationRedirect(url.Values{"ErrorCode": {"InternalServerError"}})
	require.NoError(t, err)
	assert.Empty(t, res.BuyerMessage("de"), "no buyer message is recommended for error codes")
}

func TestMessageLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "en",
		"de":                           "de",
		"DE":                           "de",
		"de-DE":                        "de",
		"de_CH":                        "de",
		"fr-CH":                        "fr",
		"it-IT":                        "it",
		"es-419":                       "es",
		"en-GB":                        "en",
		"nl-NL":                        "en",
		"pt-BR, es;q=0.5":              "es",
		"fr-CH, fr;q=0.9, en;q=0.8, *": "fr",
		"en;q=0.4, de;q=0.9":           "de",
		"de;q=0, it":                   "it",
		"it, de":                       "it",
		"de;q=abc":                     "de",
	} {
		assert.Equal(t, want, MessageLanguage(in), in)
	}
}
