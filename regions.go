package amazonpay

import (
	"fmt"
	"strings"
)

// Region selects the MWS endpoint, the default currency and the Login with
// Amazon host of a client.
type Region string

// The regions the official SDKs accept. RegionNA is an alias of RegionUS and
// RegionEU an alias of RegionDE: they share a host and a default currency.
const (
	RegionUS Region = "us"
	RegionNA Region = "na"
	RegionUK Region = "uk"
	RegionDE Region = "de"
	RegionEU Region = "eu"
	RegionJP Region = "jp"
)

// APIVersion is the MWS API version every request carries.
const APIVersion = "2013-01-01"

const (
	sandboxPath = "/OffAmazonPayments_Sandbox/" + APIVersion
	livePath    = "/OffAmazonPayments/" + APIVersion
)

type regionInfo struct {
	host          string // MWS host
	currency      string // default currency code
	paymentDomain string // ListOrderReference PaymentDomain
	lwaDomain     string // Login with Amazon API domain
}

var regions = map[Region]regionInfo{
	RegionUS: {"mws.amazonservices.com", "USD", "NA_USD", "amazon.com"},
	RegionNA: {"mws.amazonservices.com", "USD", "NA_USD", "amazon.com"},
	RegionUK: {"mws-eu.amazonservices.com", "GBP", "EU_GBP", "amazon.co.uk"},
	RegionDE: {"mws-eu.amazonservices.com", "EUR", "EU_EUR", "amazon.de"},
	RegionEU: {"mws-eu.amazonservices.com", "EUR", "EU_EUR", "amazon.co.uk"},
	RegionJP: {"mws.amazonservices.jp", "JPY", "FE_JPY", "amazon.co.jp"},
}

// ParseRegion turns a region key such as "de", "DE" or " uk " into a Region.
// It accepts exactly the keys of the Region constants, in any case.
func ParseRegion(s string) (Region, error) {
	r := Region(asciiLower(strings.TrimSpace(s)))
	if _, ok := regions[r]; !ok {
		return "", fmt.Errorf("amazonpay: unknown region %q (want one of us, na, uk, de, eu, jp)", s)
	}
	return r, nil
}

// Valid reports whether r is one of the Region constants.
func (r Region) Valid() bool {
	_, ok := regions[r]
	return ok
}

// Host returns the MWS host of the region, e.g. "mws-eu.amazonservices.com".
func (r Region) Host() string { return regions[r].host }

// Endpoint returns the full MWS URL of the region in the sandbox or live environment.
func (r Region) Endpoint(sandbox bool) string { return "https://" + r.Host() + sectionPath(sandbox) }

// DefaultCurrency returns the currency amounts default to in the region:
// USD, GBP, EUR or JPY.
func (r Region) DefaultCurrency() string { return regions[r].currency }

// PaymentDomain returns the ListOrderReference payment domain of the region:
// NA_USD, EU_EUR, EU_GBP or FE_JPY.
func (r Region) PaymentDomain() string { return regions[r].paymentDomain }

// SCARequired reports whether Strong Customer Authentication (the
// Confirmation Flow with SuccessUrl and FailureUrl) applies in the region:
// it does in the EU and the UK only.
func (r Region) SCARequired() bool { return regions[r].host == "mws-eu.amazonservices.com" }

// ProfileEndpoint returns the Login with Amazon API base URL of the region:
// https://api.amazon.de live, https://api.sandbox.amazon.de in the sandbox.
func (r Region) ProfileEndpoint(sandbox bool) string {
	if sandbox {
		return "https://api.sandbox." + regions[r].lwaDomain
	}
	return "https://api." + regions[r].lwaDomain
}

func sectionPath(sandbox bool) string {
	if sandbox {
		return sandboxPath
	}
	return livePath
}
