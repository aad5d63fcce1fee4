package amazonpay

import (
	"fmt"
	"net/url"
	"testing"
)

// parsedReturnURLRule and parsedHTTPSURLRule are the URL rules as they were
// before plainURL: url.Parse on every value. The rules must give the same
// answer, word for word.
func parsedReturnURLRule(value string) string {
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

func parsedHTTPSURLRule(value string) string {
	u, err := url.Parse(value)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL", value)
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("%q must be an https URL", value)
	}
	return ""
}

var urlSeeds = []string{
	"", "https://", "http://", "https:", "https:/x", "//shop.example/a", "/amazon/ok", "shop.example/ok",
	"https://shop.example/amazon/ok?order=1001", "https://shop.example", "https://shop.example?x=1",
	"https://shop.example:8443/a", "https://shop.example:/a", "https://shop.example:84x/a", "https://a:1:2/",
	"https://user@shop.example/", "https://user:pw@shop.example/", "https://[::1]/", "https://[::1]:8443/",
	"https://shop.example/a%20b", "https://shop.example/a%zz", "https://shop.example/a#frag", "https://shop.example/a#%zz",
	"https://shop.example/a b", "https://shop example/", "https://shop_example/", "https://-/", "https://./",
	"https://shöp.example/", "https://shop.example/ö", "https://shop.example/a\x7f", "https://shop.example/\ta",
	"HTTPS://shop.example/", "Https://shop.example/", "ftp://shop.example/", "javascript:alert(1)",
	"http://localhost/ok", "http://LOCALHOST:3000/ok", "http://localhost.evil.example/", "http://127.0.0.1:8080/ok",
	"http://127.0.0.2/", "http://127.1/", "http://[::1]:9/ok", "http://10.0.0.1/", "http://shop.example/ok",
	"http://localhost", "http://127.0.0.1?x", "https://shop.example/a?b=%zz", "https://shop.example/?q=a\"b",
	"https://shop.example/a\\b", "https://shop.example\\b/", "https://%41/", "https://a%2Fb/", "http://ſocalhost/",
}

// TestPlainURLAgreesWithURLParse: for each seed, the rules with plainURL
// say what the url.Parse rules said; and the common shapes take the fast
// path.
func TestPlainURLAgreesWithURLParse(t *testing.T) {
	for _, s := range urlSeeds {
		checkURLRulesAgree(t, s)
	}
	for _, s := range []string{"https://shop.example/amazon/ok?order=1001", "https://shop.example:8443", "http://localhost:3000/ok"} {
		if _, _, ok := plainURL(s); !ok {
			t.Errorf("%q is not read by plainURL", s)
		}
	}
}

func checkURLRulesAgree(t *testing.T, s string) {
	t.Helper()
	if got, want := returnURLRule("SuccessUrl", s, nil), parsedReturnURLRule(s); got != want {
		t.Errorf("returnURLRule(%q) = %q, url.Parse's rule %q", s, got, want)
	}
	if got, want := httpsURLRule("NotificationUrl", s, nil), parsedHTTPSURLRule(s); got != want {
		t.Errorf("httpsURLRule(%q) = %q, url.Parse's rule %q", s, got, want)
	}
	if scheme, host, ok := plainURL(s); ok {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != scheme || u.Hostname() != host {
			t.Errorf("plainURL(%q) = %q %q; url.Parse: %v %v", s, scheme, host, u, err)
		}
	}
}

// FuzzURLRulesAgree: any text is judged by the URL rules as url.Parse
// judged it.
func FuzzURLRulesAgree(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkURLRulesAgree(t, s) })
}
