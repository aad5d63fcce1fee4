package amazonpaytest

import (
	"crypto/subtle"
	"fmt"
	"net/url"
)

// Delegated access (MWSAuthToken): a seller can authorise a developer, such
// as a solution provider, to call MWS on its behalf. The developer signs
// with its own access key and sends the seller's id in SellerId and the
// token the seller was given in MWSAuthToken.
//
// The sandbox's developer is the owner of its access key; its own seller
// (WithSellerID) needs no token. WithDelegatedSeller registers the other
// sellers it may act for. Every order reference and billing agreement
// belongs to the seller whose buyer made it, and so do its
// authorizations, captures and refunds: another seller gets the not-found
// error of the operation (InvalidOrderReferenceId, InvalidBillingAgreementId,
// InvalidTransactionId) for them. Reference ids, NextPageTokens and
// throttling quotas are per seller too.

// WithDelegatedSeller registers a seller that has delegated access to the
// sandbox's developer with mwsAuthToken. Calls with that SellerId must carry
// that MWSAuthToken: without one they get 400 MissingAuthenticationToken,
// with another 401 UnauthorizedAccess. The sandbox's own seller cannot be
// registered: it never needs a token, and a call for it that carries one
// gets 401 UnauthorizedAccess.
func WithDelegatedSeller(sellerID, mwsAuthToken string) Option {
	return func(c *config) {
		if c.delegated == nil {
			c.delegated = map[string]string{}
		}
		c.delegated[sellerID] = mwsAuthToken
	}
}

// knownSeller reports whether the sandbox holds objects for id: its own
// seller and the delegated ones.
func (h *Handler) knownSeller(id string) bool {
	if id == h.cfg.sellerID {
		return true
	}
	_, ok := h.cfg.delegated[id]
	return ok
}

// authorizeSeller checks the SellerId and MWSAuthToken of a call and
// returns the seller it acts for. GetServiceStatus may leave SellerId out;
// it then acts for the sandbox's own seller.
func (h *Handler) authorizeSeller(action string, form url.Values) (string, *apiError) {
	seller, token := form.Get("SellerId"), form.Get("MWSAuthToken")
	denied := &apiError{401, "Sender", "UnauthorizedAccess", fmt.Sprintf(
		"Access to the seller %s is denied for the access key %s.", seller, h.cfg.accessKey)}
	switch want, delegated := h.cfg.delegated[seller]; {
	case seller == "" && action == "GetServiceStatus":
		if token != "" {
			return "", denied
		}
		return h.cfg.sellerID, nil
	case seller == "":
		return "", missingErr("SellerId")
	case h.revoked[seller] && token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.revokedTokens[seller])) == 1:
		return "", &apiError{401, "Sender", "AccessDenied", fmt.Sprintf(
			"The seller %s has revoked the access of the access key %s.", seller, h.cfg.accessKey)}
	case !delegated && seller != h.cfg.sellerID && action == "GetMerchantAccountStatus":
		// A solution provider asking about a seller that has not delegated
		// access to it (the official SDKs' fixture).
		return "", &apiError{401, "Sender", "UnauthorizedSolutionProvider", fmt.Sprintf(
			"The access key %s is not authorized to act for the seller %s.", h.cfg.accessKey, seller)}
	case seller == h.cfg.sellerID:
		if token != "" {
			return "", &apiError{401, "Sender", "UnauthorizedAccess", fmt.Sprintf(
				"The MWSAuthToken is not valid for the seller %s, which needs none with the access key %s.", seller, h.cfg.accessKey)}
		}
	case !delegated:
		return "", denied
	case token == "":
		return "", &apiError{400, "Sender", "MissingAuthenticationToken", fmt.Sprintf(
			"The seller %s has delegated access: the request must contain its MWSAuthToken.", seller)}
	case subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1:
		return "", &apiError{401, "Sender", "UnauthorizedAccess", fmt.Sprintf(
			"The MWSAuthToken is not valid for the seller %s and the access key %s.", seller, h.cfg.accessKey)}
	}
	return seller, nil
}

// RevokeDelegation is the delegated seller sellerID revoking the sandbox
// developer's access in Seller Central: calls for it with the token it had
// given are then 401 AccessDenied (others stay UnauthorizedAccess or
// MissingAuthenticationToken).
func (h *Handler) RevokeDelegation(sellerID string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	tok, ok := h.cfg.delegated[sellerID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownSeller, sellerID)
	}
	delete(h.cfg.delegated, sellerID)
	h.revoked[sellerID], h.revokedTokens[sellerID] = true, tok
	return nil
}

// ownerOf returns the seller an object belongs to, "" for an unknown id.
// The caller holds h.mu.
func (h *Handler) ownerOf(id string) string {
	switch {
	case h.oros[id] != nil:
		return h.oros[id].seller
	case h.auths[id] != nil:
		return h.auths[id].oro.seller
	case h.caps[id] != nil:
		return h.caps[id].auth.oro.seller
	case h.refunds[id] != nil:
		return h.refunds[id].capture.auth.oro.seller
	case h.bas[id] != nil:
		return h.bas[id].seller
	}
	return ""
}
