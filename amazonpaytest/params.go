package amazonpaytest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// apiError is an MWS ErrorResponse to be sent.
type apiError struct {
	status int
	typ    string // Sender, Receiver, or empty when throttled
	code   string
	msg    string
}

// fail aborts the running operation with an ErrorResponse. Operations check
// all their preconditions before changing state, so nothing is half done.
func fail(status int, code, format string, args ...any) {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	panic(&apiError{status, typ, code, fmt.Sprintf(format, args...)})
}

func missingErr(name string) *apiError {
	return &apiError{400, "Sender", "MissingParameter", fmt.Sprintf("The request must contain the parameter %s.", name)}
}

func invalidErr(name, reason string) *apiError {
	return &apiError{400, "Sender", "InvalidParameterValue", fmt.Sprintf("The value of the parameter %s is invalid: it %s.", name, reason)}
}

// call is one API call being run.
type call struct {
	h      *Handler
	action string
	seller string // the seller the call acts for (SellerId)
	p      url.Values
	now    time.Time
}

func (c *call) has(name string) bool { return c.p.Get(name) != "" }

// text returns an optional text parameter of at most max characters.
func (c *call) text(name string, max int) string {
	v := c.p.Get(name)
	if !utf8.ValidString(v) {
		panic(invalidErr(name, "is not valid UTF-8"))
	}
	for _, r := range v {
		if !xmlChar(r) {
			panic(invalidErr(name, "contains a control character or another character XML cannot carry"))
		}
	}
	if n := utf8.RuneCountInString(v); n > max {
		panic(invalidErr(name, fmt.Sprintf("is %d characters long, more than the maximum of %d", n, max)))
	}
	return v
}

// xmlChar reports whether XML 1.0 can carry r (its Char production): the
// text of a reply must come back as it was sent, and encoding/xml would
// silently replace any other character with U+FFFD.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// need returns a required text parameter.
func (c *call) need(name string, max int) string {
	v := c.text(name, max)
	if strings.TrimSpace(v) == "" {
		panic(missingErr(name))
	}
	return v
}

var referenceIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// refID returns a required merchant reference id (≤ 32 of A-Z a-z 0-9 _ -).
func (c *call) refID(name string) string {
	v := c.need(name, 1000)
	if !referenceIDPattern.MatchString(v) {
		panic(invalidErr(name, "must be 1 to 32 characters of A-Z a-z 0-9 _ -"))
	}
	return v
}

// flag returns a boolean parameter: "true", "false" or absent (def).
func (c *call) flag(name string, def bool) bool {
	switch c.p.Get(name) {
	case "":
		return def
	case "true":
		return true
	case "false":
		return false
	}
	panic(invalidErr(name, "must be true or false"))
}

// number returns an integer parameter in [lo, hi], or def when absent.
func (c *call) number(name string, def, lo, hi int) int {
	s := c.p.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		panic(invalidErr(name, fmt.Sprintf("must be a whole number from %d to %d", lo, hi)))
	}
	return n
}

// returnURL returns an optional absolute http(s) URL parameter.
func (c *call) returnURL(name string) string {
	v := c.text(name, 2048)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		panic(invalidErr(name, "must be an absolute http(s) URL"))
	}
	return v
}

// jsonText returns an optional parameter that must hold JSON.
func (c *call) jsonText(name string, max int) string {
	v := c.text(name, max)
	if v != "" && !json.Valid([]byte(v)) {
		panic(invalidErr(name, "is not valid JSON"))
	}
	return v
}

// prefixed reports whether any parameter starts with prefix.
func (c *call) prefixed(prefix string) bool {
	for k, vs := range c.p {
		if strings.HasPrefix(k, prefix) && len(vs) > 0 {
			return true
		}
	}
	return false
}

// list returns name.1, name.2, ... (1-based, contiguous).
func (c *call) list(name string, max int) []string {
	var out []string
	for i := 1; ; i++ {
		key := name + "." + strconv.Itoa(i)
		if !c.has(key) {
			return out
		}
		out = append(out, c.text(key, max))
	}
}

// money is an amount in hundredths of a currency unit.
type money struct {
	units    int64
	currency string
}

var (
	amountPattern   = regexp.MustCompile(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	// multiCurrency are the presentment currencies of EU and UK merchants.
	multiCurrency = []string{"AUD", "GBP", "DKK", "EUR", "HKD", "JPY", "NZD", "NOK", "ZAR", "SEK", "CHF", "USD"}
)

// price reads prefix.Amount and prefix.CurrencyCode. It returns nil when
// both are absent and the price is optional.
func (c *call) price(prefix string, required bool) *money {
	a, cur := c.p.Get(prefix+".Amount"), c.p.Get(prefix+".CurrencyCode")
	if a == "" && cur == "" && !required {
		return nil
	}
	if a == "" {
		panic(missingErr(prefix + ".Amount"))
	}
	if cur == "" {
		panic(missingErr(prefix + ".CurrencyCode"))
	}
	if !currencyPattern.MatchString(cur) {
		panic(invalidErr(prefix+".CurrencyCode", "is not an ISO 4217 currency code"))
	}
	if !c.h.currencySupported(cur) {
		fail(400, "CurrencyUnsupported", "The currency %s is not supported for this seller.", cur)
	}
	if !amountPattern.MatchString(a) {
		panic(invalidErr(prefix+".Amount", "is not a decimal amount with at most two decimals"))
	}
	m, ok := parseAmount(a, cur)
	if !ok {
		panic(invalidErr(prefix+".Amount", "has decimals, which JPY does not allow"))
	}
	if cur == "USD" || cur == "EUR" || cur == "GBP" {
		if m.units > 150000*100 {
			fail(400, "TransactionAmountExceeded", "The amount %s %s exceeds the maximum of 150000 %s per transaction.", a, cur, cur)
		}
	}
	return &m
}

// parseAmount reads a decimal amount with at most two decimals (none for
// JPY) in currency.
func parseAmount(a, currency string) (money, bool) {
	if !amountPattern.MatchString(a) {
		return money{}, false
	}
	whole, frac, _ := strings.Cut(a, ".")
	if currency == "JPY" && strings.Trim(frac, "0") != "" {
		return money{}, false
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return money{units: n*100 + f, currency: currency}, true
}

func (h *Handler) currencySupported(cur string) bool {
	if h.cfg.region.SCARequired() {
		return slices.Contains(multiCurrency, cur)
	}
	return cur == h.cfg.region.DefaultCurrency()
}

// formatUnits formats hundredths as MWS writes amounts: "10.50", or whole
// yen for JPY.
func formatUnits(units int64, currency string) string {
	if currency == "JPY" {
		return strconv.FormatInt(units/100, 10)
	}
	return fmt.Sprintf("%d.%02d", units/100, units%100)
}

// String is the amount and its currency, e.g. "10.50 EUR".
func (m money) String() string { return formatUnits(m.units, m.currency) + " " + m.currency }

// overCharge is min(15 %, 75 units) of base: how far captures may exceed an
// order total and refunds a capture (8,400 JPY for yen).
func overCharge(base int64, currency string) int64 {
	limit := int64(75 * 100)
	if currency == "JPY" {
		limit = 8400 * 100
	}
	return min(base*15/100, limit)
}

func sortStrings(s []string) { slices.Sort(s) }
