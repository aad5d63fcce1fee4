package amazonpay

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// Config holds what identifies a merchant to MWS. Its String, GoString,
// Format, LogValue, MarshalJSON and MarshalText methods never print the
// SecretKey. fmt cannot call them on a Config held in an unexported struct
// field, which prints whole: keep the *Client rather than the Config.
type Config struct {
	SellerID    string // the merchant (seller) id, e.g. "A1EXAMPLE"; required
	AccessKeyID string // the MWS access key id; required
	SecretKey   string // the MWS secret key; required, never printed or logged
	Region      Region // RegionUS, RegionNA, RegionUK, RegionDE, RegionEU or RegionJP; required
	Sandbox     bool   // true: the OffAmazonPayments_Sandbox section
	// CurrencyCode fills the currency of every amount given without one.
	// Empty means the region's default currency.
	CurrencyCode string
	// PlatformID, the solution provider id, fills the PlatformId parameter of
	// the operations that have one when the call leaves it empty
	// (SetOrderReferenceDetails, CreateOrderReferenceForId,
	// SetBillingAgreementDetails, AuthorizeOnBillingAgreement, and
	// SetOrderAttributes only together with an OrderTotal, since the
	// platform id cannot change after confirmation).
	PlatformID string
	// ClientID is the Login with Amazon client id; GetUserInfo checks that
	// access tokens were issued to it.
	ClientID string
}

// String describes c with the secret key redacted.
func (c Config) String() string {
	secret := ""
	if c.SecretKey != "" {
		secret = "REDACTED"
	}
	return fmt.Sprintf("{SellerID:%s AccessKeyID:%s SecretKey:%s Region:%s Sandbox:%t CurrencyCode:%s PlatformID:%s ClientID:%s}",
		c.SellerID, c.AccessKeyID, secret, c.Region, c.Sandbox, c.CurrencyCode, c.PlatformID, c.ClientID)
}

// GoString is String for %#v.
func (c Config) GoString() string { return "amazonpay.Config" + c.String() }

// Format prints c as String does, whatever the verb, so that no format
// string can reveal the secret key.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString()) // Format cannot return an error
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue keeps the secret key out of log/slog output.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON encodes c with the secret key redacted, so that JSON loggers
// (slog's JSONHandler, zap, zerolog) and structs holding a Config never
// reveal it.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config // without methods: no recursion
	p := plain(c)
	if p.SecretKey != "" {
		p.SecretKey = "REDACTED"
	}
	return json.Marshal(p)
}

// MarshalText is String, for encoders that use encoding.TextMarshaler.
func (c Config) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// The environment variables ConfigFromEnv reads.
const (
	EnvSellerID    = "AMAZON_PAY_SELLER_ID"   // required
	EnvAccessKeyID = "AMAZON_PAY_ACCESS_KEY"  // required
	EnvSecretKey   = "AMAZON_PAY_SECRET_KEY"  // required
	EnvRegion      = "AMAZON_PAY_REGION"      // required: us, na, uk, de, eu or jp
	EnvSandbox     = "AMAZON_PAY_SANDBOX"     // "false" (any false value of strconv.ParseBool) for live; unset or anything else: sandbox
	EnvCurrency    = "AMAZON_PAY_CURRENCY"    // optional, e.g. EUR
	EnvPlatformID  = "AMAZON_PAY_PLATFORM_ID" // optional
	EnvClientID    = "AMAZON_PAY_CLIENT_ID"   // optional: Login with Amazon client id
)

// ConfigFromEnv reads a Config from the AMAZON_PAY_* environment variables
// (the Env constants). A missing required variable or an unknown region is a
// *ValidationError naming the variable. The sandbox is on unless
// AMAZON_PAY_SANDBOX is one of strconv.ParseBool's false values ("false",
// "0", "f", "F", "FALSE", "False"), so that a missing or mistyped variable
// never moves real money.
func ConfigFromEnv() (Config, error) { return configFromEnv(os.Getenv) }

func configFromEnv(getenv func(string) string) (Config, error) {
	const op = "ConfigFromEnv"
	for _, name := range []string{EnvSellerID, EnvAccessKeyID, EnvSecretKey, EnvRegion} {
		if strings.TrimSpace(getenv(name)) == "" {
			return Config{}, &ValidationError{Operation: op, Field: name, Reason: "is not set"}
		}
	}
	region, err := ParseRegion(getenv(EnvRegion))
	if err != nil {
		return Config{}, &ValidationError{Operation: op, Field: EnvRegion, Reason: "is not one of us, na, uk, de, eu, jp"}
	}
	sandbox := true
	if v := strings.TrimSpace(getenv(EnvSandbox)); v != "" {
		if b, err := strconv.ParseBool(v); err == nil {
			sandbox = b
		}
	}
	return Config{
		SellerID:     strings.TrimSpace(getenv(EnvSellerID)),
		AccessKeyID:  strings.TrimSpace(getenv(EnvAccessKeyID)),
		SecretKey:    strings.TrimSpace(getenv(EnvSecretKey)),
		Region:       region,
		Sandbox:      sandbox,
		CurrencyCode: strings.TrimSpace(getenv(EnvCurrency)),
		PlatformID:   strings.TrimSpace(getenv(EnvPlatformID)),
		ClientID:     strings.TrimSpace(getenv(EnvClientID)),
	}, nil
}
