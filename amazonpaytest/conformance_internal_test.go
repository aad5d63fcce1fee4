package amazonpaytest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// conformanceTypes are the root package's types whose values the
// conformance table must cover: states, reason codes, constraints, error
// codes and the other documented enumerations the sandbox produces.
var conformanceTypes = map[string]bool{
	"OrderReferenceState": true, "AuthorizationState": true, "CaptureState": true, "RefundState": true,
	"BillingAgreementState": true, "ProviderCreditState": true, "ReasonCode": true, "ConstraintID": true,
	"ErrorCode": true, "RefundType": true, "FailureReasonCode": true, "RedirectErrorCode": true,
	"AuthenticationStatus": true, "ServiceStatus": true, "AccountStatus": true, "BillingAgreementType": true,
	"PaymentAuthenticationState": true, "ReleaseEnvironment": true,
}

// rootValues returns the string constants of conformanceTypes declared in
// the root package's non-test files.
func rootValues(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../*.go")
	require.NoError(t, err)
	out := map[string]string{} // value → const name
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok || !conformanceTypes[id.Name] {
					continue
				}
				for i, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, err := strconv.Unquote(lit.Value)
						require.NoError(t, err)
						out[s] = vs.Names[i].Name
					}
				}
			}
		}
	}
	require.Greater(t, len(out), 80, "the root package's documented values")
	return out
}

// testBodies maps each Test and Example function of the package to its source.
func testBodies(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	out := map[string]string{}
	name := regexp.MustCompile(`^((?:Test|Example)\w*)\(`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, part := range strings.Split(string(b), "\nfunc ") {
			if m := name.FindStringSubmatch(part); m != nil {
				out[m[1]] = part
			}
		}
	}
	return out
}

type tableRow struct {
	section, key, line string
	tests              []string
}

var (
	backticked = regexp.MustCompile("`([^`]+)`")
	testName   = regexp.MustCompile(`\bTest\w+`)
	jsonValue  = regexp.MustCompile(`:"([^"]+)"`)
	countsLine = regexp.MustCompile(`(\d+) ([a-z ]+?)(?: \(by object\))?[,.]`)
)

func readTable(t *testing.T) (rows []tableRow, counts map[string]int) {
	t.Helper()
	b, err := os.ReadFile("CONFORMANCE.md")
	require.NoError(t, err)
	section := ""
	counts = map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "Counts:"):
			for _, m := range countsLine.FindAllStringSubmatch(line, -1) {
				n, _ := strconv.Atoi(m[1])
				counts[strings.TrimSpace(m[2])] = n
			}
		case strings.HasPrefix(line, "## "):
			section = strings.TrimPrefix(line, "## ")
		case strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "|---"):
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			k := backticked.FindStringSubmatch(line)
			if k == nil {
				continue // a header row
			}
			rows = append(rows, tableRow{section: section, key: k[1], line: line,
				tests: testName.FindAllString(cells[len(cells)-1], -1)})
		}
	}
	return rows, counts
}

// TestConformanceTable checks CONFORMANCE.md: every documented value has a
// row, every row names tests that exist and mention the row's value, and
// the counts in its introduction are the rows'.
func TestConformanceTable(t *testing.T) {
	rows, counts := readTable(t)
	bodies := testBodies(t)
	values := rootValues(t)
	keys := map[string]bool{}
	perSection := map[string]int{}
	for _, r := range rows {
		keys[r.key] = true
		perSection[r.section]++
		if !assert.NotEmpty(t, r.tests, "row without a test: %s", r.line) {
			continue
		}
		// The value a test must mention: the key (or the root package's
		// constant for it), or each value of a simulation string.
		want := []string{r.key}
		if name, ok := values[r.key]; ok {
			want = []string{r.key + "|" + name}
		}
		if strings.HasPrefix(r.key, "{") {
			want = nil
			for _, m := range jsonValue.FindAllStringSubmatch(r.key, -1) {
				want = append(want, m[1])
			}
		}
		mentioned := false
		for _, name := range r.tests {
			body, ok := bodies[name]
			if !assert.True(t, ok, "row names %s, which does not exist: %s", name, r.line) {
				continue
			}
			all := true
			for _, w := range want {
				one := false
				for _, alt := range strings.Split(w, "|") {
					one = one || strings.Contains(strings.ToLower(body), strings.ToLower(alt))
				}
				all = all && one
			}
			mentioned = mentioned || all
		}
		assert.True(t, mentioned, "no test of the row mentions %v: %s", want, r.line)
	}

	for value, name := range values {
		assert.True(t, keys[value], "amazonpay.%s (%q) has no row in CONFORMANCE.md", name, value)
	}

	// Every simulation string the sandbox accepts has a row.
	for _, pairs := range validPairs {
		for _, p := range pairs {
			state, reason, _ := strings.Cut(p, "/")
			s := fmt.Sprintf(`{"SandboxSimulation":{"State":%q,"ReasonCode":%q}}`, state, reason)
			if reason == "" {
				s = fmt.Sprintf(`{"SandboxSimulation":{"State":%q}}`, state)
			}
			assert.True(t, keys[s], "no row for the simulation string %s", s)
		}
	}
	for _, s := range []string{`{"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}`,
		`{"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"Failure"}}}`,
		`{"SandboxSimulation":{"PaymentAuthenticationStatus":{"State":"Abandoned"}}}`} {
		assert.True(t, keys[s], "no row for the simulation string %s", s)
	}
	for id := range constraintText {
		assert.True(t, keys[id], "no row for the constraint %s", id)
	}

	// The counts the introduction gives.
	for label, section := range map[string]string{"states": "States", "reason codes": "Reason codes",
		"simulation strings": "Sandbox simulation strings", "constraints": "Constraints",
		"error codes": "Error codes", "other documented values": "Other documented values"} {
		assert.Equal(t, perSection[section], counts[label], "the count of %s", label)
	}
}
