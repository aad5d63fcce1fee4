package amazonpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 14 item 10: a result logged with log/slog (JSON or text) or
// printed with fmt never shows the buyer's name, e-mail, phone or street,
// nor the reply's raw XML, and keeps what support needs.

// piiFields are, by type, the fields that identify a buyer: the test's own
// list, independent of the library's tags.
var piiFields = map[string][]string{
	"Buyer":            {"Name", "Email", "Phone"},
	"Address":          {"Name", "AddressLine1", "AddressLine2", "AddressLine3", "Phone"},
	"UserInfo":         {"Name", "Email"},
	"ResponseMetadata": {"RawXML"}, // the whole reply, buyer data included
}

// notPII are fields whose names look like buyer data but are not:
// PaymentDescriptor.Name names the payment method (e.g. "Visa").
var notPII = map[string]bool{"PaymentDescriptor.Name": true}

func isPII(t reflect.Type, field string) bool { return slices.Contains(piiFields[t.Name()], field) }

// resultTypes returns the struct types that *Client's methods return,
// besides errors: through pointers, slices and iter.Seq2.
func resultTypes(t *testing.T) []reflect.Type {
	var out []reflect.Type
	ct := reflect.TypeFor[*Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i).Type
		for j := range m.NumOut() {
			rt := m.Out(j)
			if rt.Kind() == reflect.Func && rt.NumIn() == 1 { // iter.Seq2[V, error]
				rt = rt.In(0).In(0)
			}
			for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
				rt = rt.Elem()
			}
			if rt.Kind() == reflect.Struct && rt.PkgPath() == reflect.TypeFor[Client]().PkgPath() && rt.Name() != "Client" &&
				!slices.Contains(out, rt) {
				out = append(out, rt)
			}
		}
	}
	require.Contains(t, out, reflect.TypeFor[GetOrderReferenceDetailsOutput]())
	require.Contains(t, out, reflect.TypeFor[UserInfo]())
	require.Contains(t, out, reflect.TypeFor[OrderReference]()) // from ListOrderReferenceAll's iterator
	return out
}

// holdsPII reports whether t holds a buyer data field, at any depth; it
// records in seen every struct type of this package it meets.
func holdsPII(t reflect.Type, seen map[reflect.Type]bool, memo map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[Client]().PkgPath() {
		return false
	}
	if v, ok := memo[t]; ok {
		return v
	}
	memo[t] = false
	seen[t] = true
	has := false
	for i := range t.NumField() {
		f := t.Field(i)
		if isPII(t, f.Name) {
			has = true
		}
		if holdsPII(f.Type, seen, memo) {
			has = true
		}
	}
	memo[t] = has
	return has
}

// fill sets every field of v: buyer data to planted values that start with
// "PII-", everything else to values that start with "keep-", and returns
// in keep the "keep-" strings planted and in planted the "PII-" strings.
func fill(v reflect.Value, owner reflect.Type, field string, keep, planted *[]string, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), owner, field, keep, planted, depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fill(v.Field(i), v.Type(), f.Name, keep, planted, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte("<Buyer><Name>PII-raw-name</Name></Buyer>"))
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), owner, field, keep, planted, depth+1)
		}
		v.Set(s)
	case reflect.String:
		if isPII(owner, field) {
			v.SetString("PII-" + owner.Name() + "-" + field)
			*planted = append(*planted, v.String())
			return
		}
		s := "keep-" + owner.Name() + "-" + field
		v.SetString(s)
		*keep = append(*keep, s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Interface:
		if v.Type() == reflect.TypeFor[error]() {
			v.Set(reflect.ValueOf(&APIError{Operation: "Authorize", Code: "keep-code", RawXML: []byte("<Name>PII-in-error</Name>")}))
		}
	}
}

func TestResultsHideBuyerDataInLogsAndFmt(t *testing.T) {
	t.Parallel()
	seen, memo := map[reflect.Type]bool{}, map[reflect.Type]bool{}
	roots := resultTypes(t)
	for _, rt := range roots {
		holdsPII(rt, seen, memo)
	}
	// Every field that looks like buyer data is in the test's list.
	for st := range seen {
		for i := range st.NumField() {
			f := st.Field(i)
			looks := strings.Contains(f.Name, "Email") || strings.Contains(f.Name, "Phone") || strings.HasPrefix(f.Name, "AddressLine") || f.Name == "Name"
			if looks && !isPII(st, f.Name) && !notPII[st.Name()+"."+f.Name] {
				t.Errorf("%s.%s looks like buyer data: add it to piiFields or notPII", st.Name(), f.Name)
			}
		}
	}
	var carriers []reflect.Type
	for st := range seen {
		if memo[st] {
			carriers = append(carriers, st)
		}
	}
	slices.SortFunc(carriers, func(a, b reflect.Type) int { return strings.Compare(a.Name(), b.Name()) })
	for _, name := range []string{"Buyer", "Address", "Destination", "BillingAddress", "OrderReferenceDetails", "BillingAgreementDetails",
		"AuthorizationDetails", "UserInfo", "GetOrderReferenceDetailsOutput", "CaptureOutput", "PaymentDetails", "ChargeOutput"} {
		assert.True(t, slices.ContainsFunc(carriers, func(t reflect.Type) bool { return t.Name() == name }), "the walk finds %s", name)
	}

	for _, st := range carriers {
		t.Run(st.Name(), func(t *testing.T) {
			t.Parallel()
			require.True(t, st.Implements(reflect.TypeFor[slog.LogValuer]()), "%s holds buyer data: it needs LogValue", st)
			require.True(t, st.Implements(reflect.TypeFor[fmt.Formatter]()), "%s holds buyer data: it needs Format", st)
			ptr := reflect.New(st)
			var keep, planted []string
			fill(ptr.Elem(), st, "", &keep, &planted, 0)
			require.True(t, len(keep) > 0 || st.Name() == "Buyer", "nothing planted")

			printed := map[string]string{}
			for _, h := range []struct {
				name string
				new  func(*bytes.Buffer) slog.Handler
			}{
				{"slog JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
				{"slog text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
			} {
				var pb, vb bytes.Buffer
				slog.New(h.new(&pb)).Info("result", "out", ptr.Interface())
				slog.New(h.new(&vb)).Info("result", slog.Any("out", ptr.Elem().Interface()))
				printed[h.name+" of a pointer"], printed[h.name+" of a value"] = pb.String(), vb.String()
			}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				printed["fmt "+verb+" of a pointer"] = fmt.Sprintf(verb, ptr.Interface())
				printed["fmt "+verb+" of a value"] = fmt.Sprintf(verb, ptr.Elem().Interface())
			}
			printed["fmt Sprint in a slice"] = fmt.Sprint([]any{ptr.Interface()})
			for how, text := range printed {
				assert.NotContains(t, text, "PII-", "%s shows buyer data:\n%s", how, text)
				assert.NotContains(t, text, "!PANIC", how)
				if strings.HasSuffix(how, "in a slice") || strings.HasPrefix(how, "fmt %s") {
					continue // %s of a bool is %!s(bool=true), as fmt prints it
				}
				assert.NotContains(t, text, "%!", "%s: a bad verb:\n%s", how, text)
				for _, k := range keep {
					if !strings.Contains(text, k) {
						t.Errorf("%s lost %s:\n%s", how, k, text)
						break
					}
				}
			}
			// What support needs, where the type holds an address.
			for _, want := range []string{"keep-Address-City", "keep-Address-PostalCode", "keep-Address-CountryCode", "keep-Address-StateOrRegion"} {
				if slices.Contains(keep, want) {
					assert.Contains(t, printed["slog JSON of a pointer"], want)
					assert.Contains(t, printed["fmt %+v of a pointer"], want)
				}
			}
			// The data itself is untouched, and json.Marshal (for storing or
			// serving it, not for logs) keeps it whole.
			b, err := json.Marshal(ptr.Interface())
			require.NoError(t, err)
			for _, pii := range planted {
				assert.Contains(t, string(b), pii, "json.Marshal is the data, whole")
			}
		})
	}
}

func TestRedactedFieldsStayReadable(t *testing.T) {
	t.Parallel()
	out := &GetOrderReferenceDetailsOutput{OrderReferenceDetails: OrderReferenceDetails{
		AmazonOrderReferenceID: "S02-1234567-7654321",
		Buyer:                  &Buyer{Name: "Jane Roe", Email: "jane@example.com", Phone: "+49 30 1234"},
		Destination: &Destination{DestinationType: "Physical", PhysicalDestination: &Address{Name: "Jane Roe",
			AddressLine1: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", CountryCode: "DE"}},
	}}
	assert.Equal(t, "Jane Roe", out.OrderReferenceDetails.Buyer.Name)
	assert.Equal(t, "Hauptstr. 1", out.OrderReferenceDetails.Destination.PhysicalDestination.AddressLine1)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("order", "details", out)
	var rec struct {
		Details map[string]any `json:"details"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	oro := rec.Details["OrderReferenceDetails"].(map[string]any)
	assert.Equal(t, "S02-1234567-7654321", oro["AmazonOrderReferenceID"])
	assert.Equal(t, map[string]any{"Name": "[redacted]", "Email": "[redacted]", "Phone": "[redacted]"}, oro["Buyer"])
	dest := oro["Destination"].(map[string]any)["PhysicalDestination"]
	assert.Equal(t, map[string]any{"Name": "[redacted]", "AddressLine1": "[redacted]", "City": "Berlin", "PostalCode": "10115",
		"CountryCode": "DE"}, dest, "empty fields are left out")
	assert.Equal(t, "{Name:[redacted] Email:[redacted] Phone:[redacted]}", fmt.Sprintf("%+v", out.OrderReferenceDetails.Buyer))
	assert.Equal(t, `amazonpay.Address{Name:"[redacted]", AddressLine1:"[redacted]", AddressLine2:"", AddressLine3:"", City:"Berlin", `+
		`County:"", District:"", StateOrRegion:"", PostalCode:"10115", CountryCode:"DE", Phone:""}`,
		fmt.Sprintf("%#v", *out.OrderReferenceDetails.Destination.PhysicalDestination))
}

// BenchmarkLogRedactedResult: a GetOrderReferenceDetails result through
// slog's JSON handler, redacted (the shipped LogValue), against the same
// struct logged by json.Marshal without redaction (baseline).
func BenchmarkLogRedactedResult(b *testing.B) {
	body, err := readFixture("GetOrderReferenceDetailsResponse.xml")
	require.NoError(b, err)
	var out GetOrderReferenceDetailsOutput
	require.NoError(b, decodeResponse("GetOrderReferenceDetails", 200, body, &out))
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	b.Run("redacted", func(b *testing.B) {
		for b.Loop() {
			logger.Info("result", "out", &out)
		}
	})
	b.Run("baseline-json", func(b *testing.B) {
		for b.Loop() {
			logger.Info("result", "out", json.RawMessage(must(json.Marshal(out.OrderReferenceDetails))))
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
