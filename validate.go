package amazonpay

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Every input is checked before any network I/O in two passes: the input's
// own validate method (required parameters, rules across fields), then the
// rules below on every encoded parameter, chosen by the last segment of its
// wire name. One table serves every operation.

type validator struct {
	op  string
	err *ValidationError
}

func (v *validator) fail(field, format string, args ...any) {
	if v.err == nil {
		v.err = &ValidationError{Operation: v.op, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
}

// required fails unless s has non-blank text.
func (v *validator) required(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "is required")
	}
}

// positive fails when p's amount is zero. MWS moves no money of zero; the
// one documented zero charge, the placeholder AuthorizeOnBillingAgreement
// of 0.00 that keeps a billing agreement's authentication alive, does not
// call this.
func (v *validator) positive(field string, p *Price) {
	if p != nil && isPlainAmount(p.Amount) && strings.Trim(p.Amount, "0.") == "" {
		v.fail(field, "%q is zero: the amount must be more than 0", p.Amount)
	}
}

// maxLen fails when s is longer than n characters: for limits that depend
// on the operation, not only on the parameter's name.
func (v *validator) maxLen(field, s string, n int) {
	if l := utf8.RuneCountInString(s); l > n {
		v.fail(field, "is %d characters long, more than the maximum of %d", l, n)
	}
}

// asciiLower lowers A-Z only. Unicode case mapping would let look-alikes
// through: strings.EqualFold("ſuccess", "Success") is true.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// asciiUpper raises a-z only (see asciiLower).
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// asciiEqualFold is strings.EqualFold for ASCII letters only.
func asciiEqualFold(a, b string) bool {
	return len(a) == len(b) && asciiLower(a) == asciiLower(b)
}

// present fails if ok is false.
func (v *validator) present(field string, ok bool) {
	if !ok {
		v.fail(field, "is required")
	}
}

// oneOf fails unless s is empty or one of allowed.
func oneOf[S ~string](v *validator, field string, s S, allowed ...S) {
	if s != "" && !slices.Contains(allowed, s) {
		v.fail(field, "%q is not one of %v", string(s), allowed)
	}
}

// isDigits reports whether s is non-empty ASCII decimal digits only.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// objectIDMatcher returns a matcher of ^[first]0\d-\d{7}-\d{7}$, followed,
// when kind is not 0, by -<kind>\d{6} (an authorization, capture or refund).
func objectIDMatcher(first string, kind byte) func(string) bool {
	return func(s string) bool {
		n := 19
		if kind != 0 {
			n = 27
		}
		if len(s) != n || strings.IndexByte(first, s[0]) < 0 || s[1] != '0' || !isDigits(s[2:3]) ||
			s[3] != '-' || !isDigits(s[4:11]) || s[11] != '-' || !isDigits(s[12:19]) {
			return false
		}
		return kind == 0 || s[19] == '-' && s[20] == kind && isDigits(s[21:])
	}
}

var (
	isOrderReferenceID   = objectIDMatcher("PS", 0)
	isBillingAgreementID = objectIDMatcher("BC", 0)
	isAuthorizationID    = objectIDMatcher("PS", 'A')
	isCaptureID          = objectIDMatcher("PS", 'C')
	isRefundID           = objectIDMatcher("PS", 'R')
)

// isReferenceID matches ^[A-Za-z0-9_-]{1,32}$.
func isReferenceID(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') { //nolint:staticcheck // a character class reads best as a negated set
			return false
		}
	}
	return true
}

// isPlainAmount matches ^(0|[1-9][0-9]*)(\.[0-9]+)?$: no sign, exponent,
// comma, space or leading zero.
func isPlainAmount(s string) bool {
	whole, frac, dot := strings.Cut(s, ".")
	if !isDigits(whole) || len(whole) > 1 && whole[0] == '0' {
		return false
	}
	return !dot || isDigits(frac)
}

// supportedCurrencies are the presentment currencies MWS accepts.
var supportedCurrencies = []string{"USD", "EUR", "GBP", "JPY", "AUD", "ZAR", "CHF", "NOK", "DKK", "SEK", "NZD", "HKD"}

func supportedCurrency(code string) bool { return slices.Contains(supportedCurrencies, code) }

// amountCaps are the documented per-transaction maxima (whole units).
var amountCaps = map[string]int{"USD": 150000, "EUR": 150000, "GBP": 150000}

// textLimits are the documented maximum lengths, in characters.
var textLimits = map[string]int{
	"SellerNote":              1024,
	"CancelationReason":       1024,
	"ClosureReason":           1024,
	"CustomInformation":       1024,
	"SellerAuthorizationNote": 255,
	"SellerCaptureNote":       255,
	"SellerRefundNote":        255,
	"CreditReversalNote":      255,
	"SoftDescriptor":          16,
}

type paramRule func(field, value string, values url.Values) string

// paramRules maps the last segment of a wire name to its rule. A rule
// returns the reason the value is invalid, or "".
var paramRules = map[string]paramRule{
	"AmazonOrderReferenceId":    idRule(isOrderReferenceID, "an order reference id like S02-1234567-1234567"),
	"AmazonBillingAgreementId":  idRule(isBillingAgreementID, "a billing agreement id like C02-1234567-1234567"),
	"AmazonAuthorizationId":     idRule(isAuthorizationID, "an authorization id like S02-1234567-1234567-A123456"),
	"AmazonCaptureId":           idRule(isCaptureID, "a capture id like S02-1234567-1234567-C123456"),
	"AmazonRefundId":            idRule(isRefundID, "a refund id like S02-1234567-1234567-R123456"),
	"AuthorizationReferenceId":  idRule(isReferenceID, "1 to 32 characters of A-Z a-z 0-9 _ -"),
	"CaptureReferenceId":        idRule(isReferenceID, "1 to 32 characters of A-Z a-z 0-9 _ -"),
	"RefundReferenceId":         idRule(isReferenceID, "1 to 32 characters of A-Z a-z 0-9 _ -"),
	"CreditReversalReferenceId": idRule(isReferenceID, "1 to 32 characters of A-Z a-z 0-9 _ -"),
	"Amount":                    amountRule,
	"CurrencyCode":              currencyRule,
	"SuccessUrl":                returnURLRule,
	"FailureUrl":                returnURLRule,
	"SupplementaryData":         jsonRule,

	"AmazonProviderCreditId":         requiredRule,
	"AmazonProviderCreditReversalId": requiredRule,
	"ProviderId":                     requiredRule,
	"QueryId":                        requiredRule,
	"NextPageToken":                  requiredRule,
	"TransactionTimeout":             intRule(0, 1440, "minutes from 0 (synchronous) to 1440"),
	"PageSize":                       intRule(1, 0, "a whole number of at least 1"),
	"SortOrder":                      enumRule("Ascending", "Descending"),
	"IdType":                         enumRule(string(IDTypeBillingAgreement), string(IDTypeOrderReference)),
	"QueryIdType":                    enumRule(string(QueryIDTypeSellerOrderID)),
	"NotificationUrl":                httpsURLRule,
}

// requiredRule accepts any text but none.
func requiredRule(_, value string, _ url.Values) string {
	if strings.TrimSpace(value) == "" {
		return "is required"
	}
	return ""
}

// intRule accepts decimal integers from lo to hi; hi 0 means no maximum.
func intRule(lo, hi int, want string) paramRule {
	return func(_, value string, _ url.Values) string {
		n, err := strconv.Atoi(value)
		if err != nil || n < lo || hi > 0 && n > hi {
			return fmt.Sprintf("%q is not %s", value, want)
		}
		return ""
	}
}

// enumRule accepts exactly one of allowed (MWS enumerations are case-sensitive).
func enumRule(allowed ...string) paramRule {
	return func(_, value string, _ url.Values) string {
		if value == "" {
			return "is required"
		}
		if !slices.Contains(allowed, value) {
			return fmt.Sprintf("%q is not one of %v", value, allowed)
		}
		return ""
	}
}

// httpsURLRule accepts absolute https URLs only: Amazon delivers
// notifications over TLS, to hosts it can reach.
func httpsURLRule(_, value string, _ url.Values) string {
	if scheme, _, ok := plainURL(value); ok && scheme == "https" {
		return ""
	}
	u, err := url.Parse(value)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", value)
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("%q must be an https URL", value)
	}
	return ""
}

// plainURL reads the URLs that shops send, without url.Parse: a lowercase
// http or https scheme, a host of ASCII letters, digits, dots and hyphens
// with an optional numeric port, then a path and query of printable ASCII
// without % or #. It returns the scheme and host; ok false means the value
// is not of that shape, not that it is wrong: url.Parse decides then. Every
// URL it accepts, url.Parse accepts with the same scheme and host
// (TestPlainURLAgreesWithURLParse, FuzzURLRulesAgree).
func plainURL(s string) (scheme, host string, ok bool) {
	switch {
	case strings.HasPrefix(s, "https://"):
		scheme, s = "https", s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		scheme, s = "http", s[len("http://"):]
	default:
		return "", "", false
	}
	end := len(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '%' || c == '#' {
			return "", "", false
		}
		if (c == '/' || c == '?') && end == len(s) {
			end = i
		}
	}
	host, port, hasPort := strings.Cut(s[:end], ":")
	if host == "" || hasPort && !isDigits(port) {
		return "", "", false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') { //nolint:staticcheck // a character class reads best as a negated set
			return "", "", false
		}
	}
	return scheme, host, true
}

func idRule(match func(string) bool, want string) paramRule {
	return func(_, value string, _ url.Values) string {
		if value == "" {
			return "is required"
		}
		if !match(value) {
			return fmt.Sprintf("%q is not %s", value, want)
		}
		return ""
	}
}

func amountRule(field, value string, values url.Values) string {
	if value == "" {
		return "is required"
	}
	if !isPlainAmount(value) {
		return fmt.Sprintf("%q is not a plain decimal amount such as 10.50 (no sign, exponent, comma or space)", value)
	}
	currency := values.Get(strings.TrimSuffix(field, "Amount") + "CurrencyCode")
	whole, frac, _ := strings.Cut(value, ".")
	maxDecimals := 2
	if currency == "JPY" {
		maxDecimals = 0
	}
	if len(frac) > maxDecimals {
		return fmt.Sprintf("%q has more than %d decimal places for %s", value, maxDecimals, currency)
	}
	if limit, ok := amountCaps[currency]; ok {
		n, err := strconv.Atoi(whole)
		over := err != nil || n > limit || n == limit && strings.Trim(frac, "0") != ""
		if over {
			return fmt.Sprintf("%q exceeds the maximum of %d %s", value, limit, currency)
		}
	}
	return ""
}

func currencyRule(_, value string, _ url.Values) string {
	if !supportedCurrency(value) {
		return fmt.Sprintf("%q is not a supported currency (%s)", value, strings.Join(supportedCurrencies, ", "))
	}
	return ""
}

// returnURLRule accepts absolute https URLs, and http URLs for loopback
// hosts only (local development and tests).
func returnURLRule(_, value string, _ url.Values) string {
	if scheme, host, ok := plainURL(value); ok && (scheme == "https" || host == "127.0.0.1" || asciiEqualFold(host, "localhost")) {
		return ""
	}
	u, err := url.Parse(value)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", value)
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if isLoopback(u.Hostname()) {
			return ""
		}
	}
	return fmt.Sprintf("%q must be an https URL (http only for loopback hosts)", value)
}

func isLoopback(host string) bool {
	if asciiEqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func jsonRule(_, value string, _ url.Values) string {
	if !json.Valid([]byte(value)) {
		return "is not valid JSON"
	}
	return ""
}

// checkText rejects invalid UTF-8, control characters other than tab, line
// feed and carriage return, and U+FFFE and U+FFFF: what XML 1.0 cannot
// carry, MWS cannot store or return faithfully.
func checkText(op, field, value string) error {
	ascii := true
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return &ValidationError{Operation: op, Field: field, Reason: fmt.Sprintf("contains the control character %U", rune(c))}
		}
	}
	if ascii {
		return nil
	}
	if !utf8.ValidString(value) {
		return &ValidationError{Operation: op, Field: field, Reason: "is not valid UTF-8"}
	}
	for _, r := range value {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || 0x80 <= r && r < 0xa0 {
			return &ValidationError{Operation: op, Field: field, Reason: fmt.Sprintf("contains the control character %U", r)}
		}
		if r == 0xFFFE || r == 0xFFFF {
			return &ValidationError{Operation: op, Field: field, Reason: fmt.Sprintf("contains %U, which XML cannot carry", r)}
		}
	}
	return nil
}

// checkParams applies the generic rules to every parameter, in sorted
// order so that the first problem reported is deterministic. values holds
// the same parameters by name, for rules that look at a sibling.
func checkParams(op string, params []param, values url.Values) error {
	for _, p := range params {
		if err := checkText(op, p.key, p.value); err != nil {
			return err
		}
		check, ok := paramChecks[p.key[strings.LastIndexByte(p.key, '.')+1:]]
		if !ok {
			continue
		}
		if check.rule != nil {
			if reason := check.rule(p.key, p.value, values); reason != "" {
				return &ValidationError{Operation: op, Field: p.key, Reason: reason}
			}
		}
		if check.maxLen > 0 {
			if n := utf8.RuneCountInString(p.value); n > check.maxLen {
				return &ValidationError{Operation: op, Field: p.key,
					Reason: fmt.Sprintf("is %d characters long, more than the maximum of %d", n, check.maxLen)}
			}
		}
	}
	return nil
}

// paramCheck is what applies to one wire-name segment: a rule, a length
// limit, or both.
type paramCheck struct {
	rule   paramRule
	maxLen int
}

// paramChecks joins paramRules and textLimits, so that each parameter
// costs one lookup.
var paramChecks = func() map[string]paramCheck {
	m := make(map[string]paramCheck, len(paramRules)+len(textLimits))
	for k, r := range paramRules {
		m[k] = paramCheck{rule: r}
	}
	for k, n := range textLimits {
		c := m[k]
		c.maxLen = n
		m[k] = c
	}
	return m
}()
