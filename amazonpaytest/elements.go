package amazonpaytest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strconv"

	"github.com/amazonpay-go/amazonpay"
)

// Elements of the replies that only some merchants or some payments get:
// the billing address and payment reference of allow-listed merchants,
// provider credit summaries of solution providers, and the converted
// amount of multi-currency payments.

// WithAllowListed makes the sandbox's sellers allow-listed for the
// buyer's billing address: GetOrderReferenceDetails and
// GetBillingAgreementDetails with the buyer's valid access token show
// BillingAddress (and, for an order reference, PaymentReference with an
// opaque StaticToken of the payment method), and authorizations carry
// AuthorizationBillingAddress. Without it these elements never appear, as
// for most merchants.
func WithAllowListed() Option { return func(c *config) { c.allowListed = true } }

type xBillingAddress struct {
	AddressType     string    `xml:"AddressType"`
	PhysicalAddress *xAddress `xml:"PhysicalAddress"`
}

type xPaymentReference struct {
	StaticToken string `xml:"StaticToken"`
}

type xProviderCreditSummary struct {
	ProviderID       string `xml:"ProviderId"`
	ProviderCreditID string `xml:"ProviderCreditId"`
}

type xProviderCreditReversalSummary struct {
	ProviderID               string `xml:"ProviderId"`
	ProviderCreditReversalID string `xml:"ProviderCreditReversalId"`
}

// billingAddressOf is the billing address of the buyer's payment method:
// Buyer.BillingAddress, or else the shipping address.
func (b *buyerSide) billingAddressOf() *xAddress { return xAddressOf(b.billingAddress()) }

// billingAddress is Buyer.BillingAddress, or else the shipping address.
func (b *buyerSide) billingAddress() *amazonpay.Address {
	if b.billing != nil {
		return b.billing
	}
	return b.address
}

// xAddressOf is a in full, nil for none.
func xAddressOf(a *amazonpay.Address) *xAddress {
	if a == nil {
		return nil
	}
	return xDestinationOf(a, true).PhysicalDestination
}

func (h *Handler) xBillingAddressOf(b *buyerSide, token bool) *xBillingAddress {
	if !h.cfg.allowListed || !token {
		return nil
	}
	if a := b.billingAddressOf(); a != nil {
		return &xBillingAddress{AddressType: "Physical", PhysicalAddress: a}
	}
	return nil
}

// xPaymentReferenceOf is an opaque, stable token of the buyer's payment
// method.
func (h *Handler) xPaymentReferenceOf(b *buyerSide, token bool) *xPaymentReference {
	if !h.cfg.allowListed || !token || b.method == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(b.userID + "|" + string(b.method)))
	return &xPaymentReference{StaticToken: base64.StdEncoding.EncodeToString(sum[:18])}
}

// providerCredit is a credit to a solution provider made with a capture,
// or a reversal of one made with a refund.
type providerCredit struct {
	providerID, id string
	amount         money
}

// providerCredits reads name.member.N.ProviderId and
// name.member.N.<amountName>.* (N from 1). Each needs a ProviderId and an
// amount in currency.
func (c *call) providerCredits(name, amountName, currency string) []providerCredit {
	var out []providerCredit
	for i := 1; ; i++ {
		p := name + ".member." + strconv.Itoa(i) + "."
		if !c.prefixed(p) {
			return out
		}
		pc := providerCredit{providerID: c.need(p+"ProviderId", 64), amount: *c.price(p+amountName, true)}
		if pc.amount.currency != currency {
			fail(400, "CurrencyMismatch", "The currency %s of %s does not match %s.", pc.amount.currency, p+amountName, currency)
		}
		out = append(out, pc)
	}
}

// numberCredits gives the credits of object id their ids.
func numberCredits(id, letter string, pcs []providerCredit) []providerCredit {
	for i := range pcs {
		pcs[i].id = fmt.Sprintf("%s-%s%02d", id, letter, i+1)
	}
	return pcs
}

type xCreditSummaryList struct {
	Member []xProviderCreditSummary `xml:"member"`
}

type xReversalSummaryList struct {
	Member []xProviderCreditReversalSummary `xml:"member"`
}

// xCreditSummaries is the ProviderCreditSummaryList, nil (left out) when
// there is none.
func xCreditSummaries(pcs []providerCredit) *xCreditSummaryList {
	if len(pcs) == 0 {
		return nil
	}
	out := &xCreditSummaryList{}
	for _, pc := range pcs {
		out.Member = append(out.Member, xProviderCreditSummary{ProviderID: pc.providerID, ProviderCreditID: pc.id})
	}
	return out
}

// xReversalSummaries is the ProviderCreditReversalSummaryList, nil when
// there is none.
func xReversalSummaries(pcs []providerCredit) *xReversalSummaryList {
	if len(pcs) == 0 {
		return nil
	}
	out := &xReversalSummaryList{}
	for _, pc := range pcs {
		out.Member = append(out.Member, xProviderCreditReversalSummary{ProviderID: pc.providerID, ProviderCreditReversalID: pc.id})
	}
	return out
}

// toEUR are the sandbox's fixed conversion rates of the multi-currency
// presentment currencies into EUR (made up, stable, so tests can assert
// exact ConvertedAmounts).
var toEUR = map[string]string{
	"EUR": "1", "USD": "0.92", "GBP": "1.17", "JPY": "0.0062", "CHF": "1.04", "AUD": "0.61",
	"DKK": "0.134", "HKD": "0.118", "NZD": "0.56", "NOK": "0.086", "ZAR": "0.05", "SEK": "0.087",
}

// conversion returns the ConvertedAmount (in the region's ledger
// currency) and ConversionRate of m, for multi-currency payments: EU and
// UK merchants charging in another currency than their ledger's. ok is
// false when there is nothing to convert.
func (h *Handler) conversion(m money) (converted *xPrice, rate string, ok bool) {
	ledger := h.cfg.region.DefaultCurrency()
	if !h.cfg.region.SCARequired() || m.currency == ledger || toEUR[m.currency] == "" {
		return nil, "", false
	}
	from, _ := new(big.Rat).SetString(toEUR[m.currency])
	to, _ := new(big.Rat).SetString(toEUR[ledger])
	r := new(big.Rat).Quo(from, to)
	// Amounts are hundredths of a unit (JPY too), so a rounded product is
	// hundredths of the ledger currency.
	units := new(big.Rat).Mul(r, new(big.Rat).SetInt64(m.units))
	n := new(big.Int).Quo(new(big.Int).Add(new(big.Int).Mul(units.Num(), big.NewInt(2)), units.Denom()), new(big.Int).Mul(units.Denom(), big.NewInt(2)))
	p := price(n.Int64(), ledger)
	return &p, r.FloatString(10), true
}
