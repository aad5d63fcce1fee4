package amazonpaytest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every exported method of *Handler is a control endpoint or excluded with
// a reason, so a new buyer-side or Amazon-side method without an endpoint
// fails here.
func TestControlTableCoversEveryExportedMethod(t *testing.T) {
	ht := reflect.TypeFor[*Handler]()
	for i := 0; i < ht.NumMethod(); i++ {
		name := ht.Method(i).Name
		_, served := controlParams[name]
		_, excluded := controlExcluded[name]
		assert.True(t, served != excluded, "method %s: add it to controlParams (control_table.go), or to controlExcluded with a reason", name)
	}
	for name := range controlParams {
		m, ok := ht.MethodByName(name)
		if assert.True(t, ok, "controlParams names %s, which *Handler does not have", name) {
			assert.Equal(t, m.Type.NumIn()-1, len(controlParams[name]), "parameters of %s", name)
		}
	}
	for name := range controlExcluded {
		_, ok := ht.MethodByName(name)
		assert.True(t, ok, "controlExcluded names %s, which *Handler does not have", name)
	}
	assert.Len(t, NewControlHandler(nil).(*controlAPI).endpoints, len(controlParams))
}

// The table's parameter names are the Go parameter names of the methods,
// read from this package's source.
func TestControlTableNamesMatchSource(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	seen := 0
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || !fd.Name.IsExported() || !isHandlerRecv(fd.Recv) {
					continue
				}
				want, ok := controlParams[fd.Name.Name]
				if !ok {
					continue
				}
				seen++
				var got []string
				for _, field := range fd.Type.Params.List {
					for _, n := range field.Names {
						got = append(got, n.Name)
					}
				}
				if len(got) == 0 {
					got = []string{}
				}
				assert.Equal(t, want, got, "parameter names of %s", fd.Name.Name)
			}
		}
	}
	assert.Equal(t, len(controlParams), seen, "methods of controlParams found in the source")
}

func isHandlerRecv(fl *ast.FieldList) bool {
	if len(fl.List) != 1 {
		return false
	}
	star, ok := fl.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Handler"
}

func TestKebabCase(t *testing.T) {
	for in, want := range map[string]string{
		"CreateOrderReference":              "create-order-reference",
		"SigningCertURL":                    "signing-cert-url",
		"AccessKeyID":                       "access-key-id",
		"AddNotificationURL":                "add-notification-url",
		"AmazonUnsetBillingAgreementLimits": "amazon-unset-billing-agreement-limits",
		"Now":                               "now",
		"RequestsFor":                       "requests-for",
	} {
		assert.Equal(t, want, kebabCase(in), in)
	}
}
