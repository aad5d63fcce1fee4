package amazonpay

import (
	"regexp"
	"testing"
)

// The regexps the hand-written matchers replace, kept here as the
// reference they must agree with.
var referencePatterns = []struct {
	name  string
	re    *regexp.Regexp
	match func(string) bool
}{
	{"order reference", regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}$`), isOrderReferenceID},
	{"billing agreement", regexp.MustCompile(`^[BC]0\d-\d{7}-\d{7}$`), isBillingAgreementID},
	{"authorization", regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-A\d{6}$`), isAuthorizationID},
	{"capture", regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-C\d{6}$`), isCaptureID},
	{"refund", regexp.MustCompile(`^[PS]0\d-\d{7}-\d{7}-R\d{6}$`), isRefundID},
	{"reference", regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`), isReferenceID},
	{"amount", regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`), isPlainAmount},
}

var matcherSeeds = []string{
	"", "0", "00", "01", "1", "10.50", "0.0", "1.", ".5", "1..2", "-1", "+1", "1e3", "1,5", " 1", "1 ", "٣",
	"S02-1234567-1234567", "P01-1234567-1234567", "B02-1234567-1234567", "C09-0000000-0000000",
	"S02-1234567-123456", "S12-1234567-1234567", "s02-1234567-1234567", "S02-1234567-1234567\n",
	"S02-1234567-1234567-A123456", "S02-1234567-1234567-C123456", "S02-1234567-1234567-R123456",
	"S02-1234567-1234567-X123456", "S02-1234567-1234567-A12345", "S02-1234567-1234567A123456",
	"ref_1-A", "abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz0123456", "a b", "é",
}

// matcherInputs are the seeds and, from each, every text one edit away:
// each byte replaced by, or preceded by, one of a few telling characters,
// or deleted.
func matcherInputs() []string {
	inputs := append([]string(nil), matcherSeeds...)
	for _, s := range matcherSeeds {
		for i := 0; i <= len(s); i++ {
			for _, c := range []string{"0", "9", "a", "Z", "-", "_", ".", "A", "C", "R", "S", "B", " ", "\x00", "é"} {
				inputs = append(inputs, s[:i]+c+s[i:])
				if i < len(s) {
					inputs = append(inputs, s[:i]+c+s[i+1:])
				}
			}
			if i < len(s) {
				inputs = append(inputs, s[:i]+s[i+1:])
			}
		}
	}
	return inputs
}

// TestIDMatchersAgreeWithPatterns: thousands of texts near the seeds,
// through every matcher and its regexp.
func TestIDMatchersAgreeWithPatterns(t *testing.T) {
	inputs := matcherInputs()
	if len(inputs) < 5000 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for _, s := range inputs {
		for _, p := range referencePatterns {
			if got, want := p.match(s), p.re.MatchString(s); got != want {
				t.Errorf("%s %q: matcher %v, regexp %v", p.name, s, got, want)
			}
		}
	}
}

// FuzzIDMatchersAgreeWithPatterns: any text is accepted by a hand-written
// matcher exactly when its regexp accepts it.
func FuzzIDMatchersAgreeWithPatterns(f *testing.F) {
	for _, s := range matcherSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range referencePatterns {
			if got, want := p.match(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s %q: matcher %v, regexp %v", p.name, s, got, want)
			}
		}
	})
}
