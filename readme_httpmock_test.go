package amazonpay_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeHTTPMockRecipeStandsAlone: README's httpmock snippet, copied
// into a test file of its own with nothing but its imports, type-checks:
// every name it uses is declared in it or imported (issue 14 item 11).
func TestReadmeHTTPMockRecipeStandsAlone(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var recipe string
	for _, b := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(b[1], "httpmock.ActivateNonDefault") {
			recipe = b[1]
		}
	}
	if recipe == "" {
		t.Fatal("README has no httpmock recipe")
	}
	src := `package shop_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amazonpay-go/amazonpay"
	"github.com/jarcoal/httpmock"
)
` + recipe
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "recipe_test.go", src, 0)
	if err != nil {
		t.Fatalf("the recipe does not parse: %v", err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("shop_test", fset, []*ast.File{f}, nil); err != nil {
		t.Fatalf("README's httpmock recipe does not compile on its own: %v", err)
	}
}
