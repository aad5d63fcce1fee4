package amazonpay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Login with Amazon: the buyer's profile, read with the access token the
// Amazon Pay button hands the page.

// UserInfo is a buyer's Login with Amazon profile.
type UserInfo struct {
	UserID     string `json:"user_id"`            // e.g. amzn1.account.AF5W6J2OG52NKFJGEN52GEZ5CWFQ
	Name       string `json:"name" log:"redact"`  // with the "profile" scope
	Email      string `json:"email" log:"redact"` // with the "profile" scope
	PostalCode string `json:"postal_code"`        // with the "postal_code" scope
}

// LoginError is an error answer of the Login with Amazon API, such as
// invalid_token, or a token issued to another client.
type LoginError struct {
	StatusCode  int
	Code        string // e.g. "invalid_token"
	Description string
}

// Error gives the Login with Amazon error code and description.
func (e *LoginError) Error() string {
	return fmt.Sprintf("amazonpay: GetUserInfo: %s (HTTP %d): %s", e.Code, e.StatusCode, e.Description)
}

// WithProfileEndpoint sends Login with Amazon calls to rawURL instead of the
// region's api.amazon.* (or api.sandbox.amazon.*) host, e.g. a test server.
func WithProfileEndpoint(rawURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("WithProfileEndpoint: %q is not an absolute http(s) URL", rawURL)
		}
		c.profileAPI = strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/")
		return nil
	}
}

// GetUserInfo checks accessToken with /auth/o2/tokeninfo, requires that it
// was issued to Config.ClientID, then reads /user/profile. The token is
// sent in the x-amz-access-token header, never in a URL, URL-decoded first
// since pages often pass it encoded (Atza%7C…).
func (c *Client) GetUserInfo(ctx context.Context, accessToken string) (*UserInfo, error) {
	const op = "GetUserInfo"
	if c.cfg.ClientID == "" {
		return nil, &ValidationError{Operation: op, Field: "Config.ClientID", Reason: "is required to check the token's audience"}
	}
	token := strings.TrimSpace(accessToken)
	if decoded, err := url.QueryUnescape(token); err == nil {
		token = strings.TrimSpace(decoded)
	}
	if token == "" {
		return nil, &ValidationError{Operation: op, Field: "accessToken", Reason: "is required"}
	}
	if err := checkText(op, "accessToken", token); err != nil {
		return nil, err
	}
	// The token goes into a header: no line break or control character may
	// split it (checkText lets tab, CR and LF through for notes).
	if i := strings.IndexFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
		return nil, &ValidationError{Operation: op, Field: "accessToken",
			Reason: fmt.Sprintf("contains the control character %U, which a header cannot carry", rune(token[i]))}
	}
	var info struct {
		Audience string `json:"aud"`
		UserID   string `json:"user_id"`
	}
	if err := c.getProfileJSON(ctx, "/auth/o2/tokeninfo", token, &info); err != nil {
		return nil, err
	}
	if info.Audience != c.cfg.ClientID {
		return nil, &LoginError{StatusCode: http.StatusOK, Code: "invalid_client",
			Description: fmt.Sprintf("the access token was issued to client %q, not to %q", info.Audience, c.cfg.ClientID)}
	}
	var user UserInfo
	if err := c.getProfileJSON(ctx, "/user/profile", token, &user); err != nil {
		return nil, err
	}
	if user.UserID == "" || info.UserID != "" && user.UserID != info.UserID {
		return nil, &LoginError{StatusCode: http.StatusOK, Code: "invalid_profile", Description: "the profile does not belong to the token's user"}
	}
	return &user, nil
}

// getProfileJSON GETs path with the token and decodes the JSON answer into
// out, or returns the API's error.
func (c *Client) getProfileJSON(ctx context.Context, path, token string, out any) error {
	const op = "GetUserInfo"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.profileAPI+path, nil)
	if err != nil {
		return &RequestError{Operation: op, Attempts: 1, Err: err}
	}
	req.Header = http.Header{"X-Amz-Access-Token": {token}, "User-Agent": c.userAgentHeader, "Accept": {"application/json"}}
	resp, err := c.hc.Do(req)
	if err != nil {
		return &RequestError{Operation: op, Attempts: 1, Err: err}
	}
	body, err := readBody(resp, c.maxBody)
	if err != nil {
		if ue, ok := err.(*UnexpectedResponseError); ok {
			ue.Operation = op
			return ue
		}
		return &RequestError{Operation: op, Attempts: 1, Err: err}
	}
	var apiErr struct {
		Code        string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &apiErr) == nil && apiErr.Code != "" {
		return &LoginError{StatusCode: resp.StatusCode, Code: apiErr.Code, Description: apiErr.Description}
	}
	if resp.StatusCode != http.StatusOK {
		return &UnexpectedResponseError{Operation: op, StatusCode: resp.StatusCode, Body: body,
			Err: fmt.Errorf("%s answered HTTP %d", path, resp.StatusCode)}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &UnexpectedResponseError{Operation: op, StatusCode: resp.StatusCode, Body: body, Err: err}
	}
	return nil
}
