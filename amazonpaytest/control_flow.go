package amazonpaytest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/amazonpay-go/amazonpay"
)

// CompleteConfirmationFlow plays the buyer's visit to the Amazon-hosted
// Confirmation Flow page in-process, answering the issuer's challenge
// with status (Success, Failure or Abandoned) when the page asks for one,
// as the buttons of the fake widgets' page do, and returns the URL the
// buyer is sent back to. When no challenge is due (a card whose issuer
// does not challenge, an object not waiting for authentication) the page
// ends as RunConfirmationFlow's does, whatever status says.
func (h *Handler) CompleteConfirmationFlow(sellerID, id string, status amazonpay.AuthenticationStatus) (u *url.URL, err error) {
	switch status {
	case amazonpay.AuthenticationSuccess, amazonpay.AuthenticationFailure, amazonpay.AuthenticationAbandoned:
	default:
		return nil, fmt.Errorf("amazonpaytest: status %q is not Success, Failure or Abandoned", status)
	}
	form := url.Values{"sellerId": {sellerID}, "amazonPaymentContractId": {id}, "AuthenticationStatus": {string(status)}}
	req := httptest.NewRequest(http.MethodPost, "http://sandbox.invalid"+ChallengePath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			u, err = nil, fmt.Errorf("%w: the connection was dropped", ErrNoRedirect)
		}
	}()
	h.ServeHTTP(rec, req)
	return redirectOf(rec.Result())
}
