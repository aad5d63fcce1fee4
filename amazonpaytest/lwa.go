package amazonpaytest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Login with Amazon: when the buyer signs in with the Amazon Pay button,
// the page gets an access token. The shop sends it as AccessToken (or the
// legacy AddressConsentToken) to see the buyer's name and full address
// before confirmation, and reads the buyer's profile with it
// (amazonpay.Client.GetUserInfo). The sandbox issues such tokens
// (AccessToken, SignIn), valid for AccessTokenLifetime on the sandbox
// clock, and answers InvalidAddressConsentToken (404, as Amazon's error
// table says) for one that is unknown, expired or another buyer's. It serves the two Login with Amazon
// endpoints GetUserInfo calls, /auth/o2/tokeninfo and /user/profile, with
// the same tokens.

// AccessTokenLifetime is how long a Login with Amazon access token is
// valid: one hour, as Amazon's.
const AccessTokenLifetime = time.Hour

// DefaultClientID is the Login with Amazon client id of a sandbox made
// without WithClientID: the audience of the tokens it issues.
const DefaultClientID = "amzn1.application-oa2-client.amazonpaytest"

// WithClientID sets the Login with Amazon client id the sandbox's tokens
// are issued to (default DefaultClientID).
func WithClientID(id string) Option { return func(c *config) { c.clientID = id } }

// ClientID returns the Login with Amazon client id the sandbox's tokens
// are issued to.
func (h *Handler) ClientID() string { return h.cfg.clientID }

// accessToken is an issued token.
type accessToken struct {
	user    lwaUser
	expires time.Time
}

// lwaUser is a buyer's Login with Amazon profile.
type lwaUser struct {
	ID, Name, Email, PostalCode string
}

// userID is the buyer's stable Login with Amazon id, derived from the
// email (or the name): the same buyer in two checkouts is one user.
func userID(name, email string) string {
	key := strings.ToLower(email)
	if key == "" {
		key = "name:" + name
	}
	sum := sha256.Sum256([]byte(key))
	return "amzn1.account." + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16])
}

func (b *buyerSide) lwaUser() lwaUser {
	u := lwaUser{ID: b.userID, Name: b.buyer.Name, Email: b.buyer.Email}
	if b.address != nil {
		u.PostalCode = b.address.PostalCode
	}
	return u
}

// issueToken makes a token for u. The caller holds h.mu.
func (h *Handler) issueToken(u lwaUser) string {
	var b [32]byte
	for i := range b {
		b[i] = byte(h.rng.UintN(256))
	}
	tok := "Atza|" + base64.RawURLEncoding.EncodeToString(b[:])
	h.tokens[tok] = &accessToken{user: u, expires: h.now.Add(AccessTokenLifetime)}
	return tok
}

// AccessToken is the buyer of the order reference or billing agreement id
// signing in again: it returns a new Login with Amazon access token of
// that buyer, valid for AccessTokenLifetime from now on the sandbox clock.
func (h *Handler) AccessToken(id string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	var b *buyerSide
	if o := h.oros[id]; o != nil {
		b = &o.buyerSide
	} else if ba := h.bas[id]; ba != nil {
		b = &ba.buyerSide
	} else {
		return "", fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return h.issueToken(b.lwaUser()), nil
}

// SignIn is buyer signing in with Login with Amazon without starting a
// checkout: it returns an access token for GetUserInfo.
func (h *Handler) SignIn(buyer Buyer) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runDue()
	b := buyer.side(&h.strs)
	return h.issueToken(b.lwaUser())
}

// validToken returns the user of a token that is known and not expired.
// The caller holds h.mu.
func (h *Handler) validToken(tok string) (lwaUser, bool) {
	t := h.tokens[tok]
	if t == nil || !h.now.Before(t.expires) {
		return lwaUser{}, false
	}
	return t.user, true
}

// accessToken reports whether the call carries an access token, which
// must then be the buyer's (owner is the object's buyer): both kinds at
// once are AmbiguousToken, a token that is unknown, expired or another
// buyer's is InvalidAddressConsentToken.
func (c *call) accessToken(owner string) bool {
	at, act := c.text("AccessToken", 4096), c.text("AddressConsentToken", 4096)
	if at != "" && act != "" {
		fail(400, "AmbiguousToken", "Both AccessToken and AddressConsentToken were given; send one.")
	}
	tok := at + act
	if tok == "" {
		return false
	}
	if u, ok := c.h.validToken(tok); !ok || u.ID != owner {
		fail(404, "InvalidAddressConsentToken", "The AccessToken is not valid: it is unknown, has expired or belongs to another buyer.")
	}
	return true
}

// serveLoginWithAmazon answers /auth/o2/tokeninfo and /user/profile.
func (h *Handler) serveLoginWithAmazon(w http.ResponseWriter, r *http.Request, profile bool) {
	tok := r.Header.Get("x-amz-access-token")
	if tok == "" {
		tok = r.URL.Query().Get("access_token")
	}
	if a := r.Header.Get("Authorization"); tok == "" && len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		tok = a[7:] // RFC 6750, as the npm package amazon-payments sends it
	}
	h.mu.Lock()
	h.runDue()
	u, ok := h.validToken(tok)
	exp := 0
	if ok {
		exp = int(h.tokens[tok].expires.Sub(h.now) / time.Second)
	}
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	var body any
	switch {
	case r.Method != http.MethodGet:
		w.WriteHeader(http.StatusMethodNotAllowed)
		body = map[string]string{"error": "invalid_request", "error_description": "Use GET."}
	case !ok:
		status := http.StatusBadRequest // tokeninfo
		if profile {
			status = http.StatusUnauthorized
		}
		w.WriteHeader(status)
		body = map[string]string{"error": "invalid_token", "error_description": "The access token is unknown or has expired."}
	case profile:
		body = map[string]string{"user_id": u.ID, "name": u.Name, "email": u.Email, "postal_code": u.PostalCode}
	default:
		body = map[string]any{"iss": "https://www.amazon.com", "user_id": u.ID, "aud": h.cfg.clientID,
			"app_id": "amzn1.application.amazonpaytest", "exp": exp}
	}
	_ = json.NewEncoder(w).Encode(body) // a client gone away is its own failure
}
