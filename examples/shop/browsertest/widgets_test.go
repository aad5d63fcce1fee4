package browsertest

import (
	"testing"

	"github.com/amazonpay-go/amazonpay/examples/shop/store"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// amazon.Login.authorize sends the buyer only to an http(s) URL of the
// shop's own origin, as Amazon redirects only to the return URLs
// registered for the client id: a javascript: URL and another site's URL
// are refused with Login with Amazon's error, before any sign-in, and the
// page stays where it is.
func TestBrowserLoginRefusesForeignRedirects(t *testing.T) {
	s := newScenario(t, "en-US", store.Config{})
	s.run("open the cart", chromedp.Navigate(s.url+"/cart"), visible("#cart-empty"))
	s.waitJS(`typeof amazon === 'object' && typeof amazon.Login.authorize === 'function'`)
	s.run("authorize with foreign URLs", chromedp.Evaluate[chromedp.Void](`
		window.pwned = 0;
		window.requests = [
			amazon.Login.authorize({ scope: 'profile payments:widget', onError: function (e) { window.onErrorCode = e.getErrorCode(); } },
				'javascript:window.pwned=1;//'),
			amazon.Login.authorize({ scope: 'profile' }, 'https://attacker.example/steal'),
			amazon.Login.authorize({ scope: 'profile' }, '//attacker.example/steal'),
			amazon.Login.authorize({ scope: 'profile' }, 'data:text/html,<script>alert(1)</script>')
		];`))
	s.waitJS(`window.requests.every(function (r) { return r.status === 'complete'; })`)

	got := value(s, "read the requests", chromedp.Evaluate[[]map[string]string](
		`window.requests.map(function (r) { return { status: r.status, error: r.error || '', error_description: r.error_description || '' }; })`))
	want := map[string]string{"status": "complete", "error": "invalid_request",
		"error_description": "The redirect URI you provided has not been whitelisted for your application."}
	assert.Equal(t, []map[string]string{want, want, want, want}, got)
	assert.Equal(t, "invalid_request", value(s, "read onError", chromedp.Evaluate[string](`window.onErrorCode`)))
	assert.Equal(t, "/cart", s.location(), "no navigation")
	assert.Equal(t, 0, value(s, "read pwned", chromedp.Evaluate[int](`window.pwned`)), "the javascript: URL never ran")
	cookies := value(s, "read the cookies", chromedp.Evaluate[string](`document.cookie`))
	assert.NotContains(t, cookies, "amazon_Login_accessToken", "nobody was signed in")

	// The shop's own origin, relative or absolute, is followed.
	s.run("authorize with the shop's URL", chromedp.Evaluate[chromedp.Void](`amazon.Login.authorize({ scope: 'profile' }, '/subscription'); undefined`))
	s.waitJS(`window.location.pathname === '/subscription'`)
	assert.Contains(t, s.location(), "/subscription?access_token=Atza%7C")
}
