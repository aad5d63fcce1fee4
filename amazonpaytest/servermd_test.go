package amazonpaytest

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	serverMDBegin = "<!-- BEGIN control endpoints -->\n"
	serverMDEnd   = "<!-- END control endpoints -->\n"
)

// serverMDTable is SERVER.md's endpoint table, made from the control
// table.
func serverMDTable() string {
	var b strings.Builder
	b.WriteString("| Endpoint | Go method | Arguments |\n|---|---|---|\n")
	eps := NewControlHandler(nil).(*controlAPI).endpoints
	for _, e := range ControlEndpoints() {
		var args []string
		for i, p := range e.Params {
			if eps[strings.TrimPrefix(e.Path, ControlPath)].method.Type.In(i+1) != contextType { // the request's own context
				args = append(args, "`"+p+"`")
			}
		}
		cell := " "
		if len(args) > 0 {
			cell = " " + strings.Join(args, ", ") + " "
		}
		fmt.Fprintf(&b, "| `%s` | `%s` |%s|\n", e.Path, e.Method, cell)
	}
	return b.String()
}

// SERVER.md's endpoint table is the control API's: UPDATE_SERVER_MD=1
// rewrites it.
func TestServerMDEndpointTable(t *testing.T) {
	raw, err := os.ReadFile("SERVER.md")
	require.NoError(t, err)
	doc := string(raw)
	before, rest, ok := strings.Cut(doc, serverMDBegin)
	require.True(t, ok, "SERVER.md has no %q", serverMDBegin)
	table, after, ok := strings.Cut(rest, serverMDEnd)
	require.True(t, ok, "SERVER.md has no %q", serverMDEnd)
	want := serverMDTable()
	if os.Getenv("UPDATE_SERVER_MD") == "1" && table != want {
		require.NoError(t, os.WriteFile("SERVER.md", []byte(before+serverMDBegin+want+serverMDEnd+after), 0o644))
		return
	}
	assert.Equal(t, want, table, "SERVER.md's endpoint table; UPDATE_SERVER_MD=1 go test -run TestServerMDEndpointTable . rewrites it")
}

var serverMDCurl = regexp.MustCompile(`(?m)^curl -s \$SANDBOX` + regexp.QuoteMeta(ControlPath) + `([a-z0-9-]*)(?: -X POST| -d '(.*)')?$`)

// SERVER.md's endpoint sections have exactly one curl example of every
// endpoint, and none of an endpoint that does not exist; each example's JSON names the
// method's parameters, gives every required one, and decodes into the
// method's types as the control API decodes it.
func TestServerMDHasACurlExamplePerEndpoint(t *testing.T) {
	raw, err := os.ReadFile("SERVER.md")
	require.NoError(t, err)
	_, sections, ok := strings.Cut(string(raw), "### Endpoints\n")
	require.True(t, ok, "SERVER.md has no section Endpoints")
	seen := map[string]int{}
	for _, m := range serverMDCurl.FindAllStringSubmatch(sections, -1) {
		name, body := m[1], m[2]
		seen[name]++
		ep, ok := NewControlHandler(nil).(*controlAPI).endpoints[name]
		if !assert.True(t, ok, "SERVER.md: curl of %q, which is no endpoint", name) {
			continue
		}
		args := map[string]json.RawMessage{}
		if body != "" {
			if !assert.NoError(t, json.Unmarshal([]byte(body), &args), "SERVER.md: %s's JSON", name) {
				continue
			}
		}
		for k, v := range args {
			i := slices.Index(ep.params, k)
			if !assert.True(t, i >= 0, "SERVER.md: %s has no argument %q (%v)", name, k, ep.params) {
				continue
			}
			_, err := decodeArgument(v, ep.method.Type.In(i+1))
			assert.NoError(t, err, "SERVER.md: %s's argument %q", name, k)
		}
		for i, p := range ep.params {
			typ := ep.method.Type.In(i + 1)
			optional := typ == contextType || typ == buyerType || i == len(ep.params)-1 && ep.method.Type.IsVariadic()
			_, given := args[p]
			assert.True(t, optional || given, "SERVER.md: %s needs the argument %q", name, p)
		}
	}
	for _, e := range ControlEndpoints() {
		name := strings.TrimPrefix(e.Path, ControlPath)
		assert.Equal(t, 1, seen[name], "SERVER.md: curl examples of %s", name)
	}
	for name := range controlExcluded {
		assert.Contains(t, string(raw), "`"+name+"`", "SERVER.md names the excluded method %s", name)
	}
}
