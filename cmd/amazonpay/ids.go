package main

import (
	"fmt"
	"regexp"
)

// idKind is what an Amazon Pay id names, told by its shape (spec §8.1):
// order references P/S0n-nnnnnnn-nnnnnnn (P live, S sandbox), billing
// agreements B/C0n-nnnnnnn-nnnnnnn (B live, C sandbox), authorizations,
// captures and refunds the order reference id with -A, -C or -R and six
// digits. Provider credits and their reversals, undocumented, take the
// capture or refund id with -P or -V and digits, as amazonpaytest makes them.
type idKind string

const (
	kindOrderReference         idKind = "OrderReference"
	kindBillingAgreement       idKind = "BillingAgreement"
	kindAuthorization          idKind = "Authorization"
	kindCapture                idKind = "Capture"
	kindRefund                 idKind = "Refund"
	kindProviderCredit         idKind = "ProviderCredit"
	kindProviderCreditReversal idKind = "ProviderCreditReversal"
)

var idShapes = []struct {
	re   *regexp.Regexp
	kind idKind
}{
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}$`), kindOrderReference},
	{regexp.MustCompile(`^[BC]0\d-\d{7}-\d{7}$`), kindBillingAgreement},
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-A\d{6}$`), kindAuthorization},
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-C\d{6}$`), kindCapture},
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-R\d{6}$`), kindRefund},
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-C\d{6}-P\d+$`), kindProviderCredit},
	{regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-R\d{6}-V\d+$`), kindProviderCreditReversal},
}

// kindOf returns the kind of id, or an error naming the shapes expected.
func kindOf(id string) (idKind, error) {
	for _, s := range idShapes {
		if s.re.MatchString(id) {
			return s.kind, nil
		}
	}
	return "", fmt.Errorf("invalid ID %q: not the shape of an order reference (S02-1234567-1234567), billing agreement (C02-1234567-1234567), authorization (…-A123456), capture (…-C123456), refund (…-R123456) or provider credit (…-C123456-P01)", truncate(id, 40))
}

// truncate shortens what the user typed before it goes into a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
