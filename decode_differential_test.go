package amazonpay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodedOperations are the operations whose replies are decoded, with a
// new output of each.
var decodedOperations = []struct {
	action string
	out    func() output
}{
	{"SetBillingAgreementDetails", func() output { return new(SetBillingAgreementDetailsOutput) }},
	{"ConfirmBillingAgreement", func() output { return new(ConfirmBillingAgreementOutput) }},
	{"ValidateBillingAgreement", func() output { return new(ValidateBillingAgreementOutput) }},
	{"GetBillingAgreementDetails", func() output { return new(GetBillingAgreementDetailsOutput) }},
	{"AuthorizeOnBillingAgreement", func() output { return new(AuthorizeOnBillingAgreementOutput) }},
	{"CloseBillingAgreement", func() output { return new(CloseBillingAgreementOutput) }},
	{"ListOrderReference", func() output { return new(ListOrderReferenceOutput) }},
	{"ListOrderReferenceByNextToken", func() output { return new(ListOrderReferenceByNextTokenOutput) }},
	{"GetServiceStatus", func() output { return new(GetServiceStatusOutput) }},
	{"GetMerchantAccountStatus", func() output { return new(GetMerchantAccountStatusOutput) }},
	{"GetMerchantNotificationConfiguration", func() output { return new(GetMerchantNotificationConfigurationOutput) }},
	{"SetMerchantNotificationConfiguration", func() output { return new(SetMerchantNotificationConfigurationOutput) }},
	{"SetOrderAttributes", func() output { return new(SetOrderAttributesOutput) }},
	{"ConfirmOrderReference", func() output { return new(ConfirmOrderReferenceOutput) }},
	{"GetOrderReferenceDetails", func() output { return new(GetOrderReferenceDetailsOutput) }},
	{"SetOrderReferenceDetails", func() output { return new(SetOrderReferenceDetailsOutput) }},
	{"CancelOrderReference", func() output { return new(CancelOrderReferenceOutput) }},
	{"CloseOrderReference", func() output { return new(CloseOrderReferenceOutput) }},
	{"CreateOrderReferenceForId", func() output { return new(CreateOrderReferenceForIdOutput) }},
	{"Authorize", func() output { return new(AuthorizeOutput) }},
	{"GetAuthorizationDetails", func() output { return new(GetAuthorizationDetailsOutput) }},
	{"CloseAuthorization", func() output { return new(CloseAuthorizationOutput) }},
	{"Capture", func() output { return new(CaptureOutput) }},
	{"GetCaptureDetails", func() output { return new(GetCaptureDetailsOutput) }},
	{"Refund", func() output { return new(RefundOutput) }},
	{"GetRefundDetails", func() output { return new(GetRefundDetailsOutput) }},
	{"GetProviderCreditDetails", func() output { return new(GetProviderCreditDetailsOutput) }},
	{"GetProviderCreditReversalDetails", func() output { return new(GetProviderCreditReversalDetailsOutput) }},
	{"ReverseProviderCredit", func() output { return new(ReverseProviderCreditOutput) }},
}

// operationOfFixture is the index in decodedOperations of the operation
// whose reply the fixture file name is, or -1.
func operationOfFixture(name string) int {
	base := filepath.Base(name)
	best := -1
	for i, op := range decodedOperations {
		if strings.HasPrefix(base, op.action) && (best < 0 || len(op.action) > len(decodedOperations[best].action)) {
			best = i
		}
	}
	return best
}

// sameDecoding fails t unless the table decoder and the reflection decoder
// it replaced agree on body: the same output, or both an error of the same
// type (an *APIError the same one).
func sameDecoding(t *testing.T, op int, status int, body []byte) {
	t.Helper()
	o := decodedOperations[op]
	got, want := o.out(), o.out()
	gotErr := decodeResponse(o.action, status, body, got)
	wantErr := decodeResponseReflect(o.action, status, body, want)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("%s: table decoder: %v; reflection decoder: %v\nbody %q", o.action, gotErr, wantErr, body)
	case gotErr != nil:
		if reflect.TypeOf(gotErr) != reflect.TypeOf(wantErr) {
			t.Fatalf("%s: table decoder: %T %v; reflection decoder: %T %v", o.action, gotErr, gotErr, wantErr, wantErr)
		}
		var a, b *APIError
		if errors.As(gotErr, &a) && errors.As(wantErr, &b) && !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: table decoder: %#v; reflection decoder: %#v", o.action, a, b)
		}
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%s: table decoder:\n%#v\nreflection decoder:\n%#v\nbody %q", o.action, got, want, body)
	}
}

func responseFixtures(tb testing.TB) map[string][]byte {
	names, err := filepath.Glob(filepath.Join("testdata", "responses", "*"))
	if err != nil || len(names) == 0 {
		tb.Fatal("no fixtures", err)
	}
	m := map[string][]byte{}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		m[name] = b
	}
	return m
}

// trickyReplies are edits of fixtures at the corners of encoding/xml's
// rules: text around child elements, trimmed booleans, empty and repeated
// elements, unknown elements, entities, name spaces.
var trickyReplies = []struct{ fixture, old, new string }{
	{"AuthorizeResponse.xml", "<CaptureNow>true</CaptureNow>", "<CaptureNow> true\n</CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>true</CaptureNow>", "<CaptureNow></CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>true</CaptureNow>", "<CaptureNow> </CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>true</CaptureNow>", "<CaptureNow>yes</CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>true</CaptureNow>", "<CaptureNow>t<x>false</x>rue</CaptureNow>"},
	{"AuthorizeResponse.xml", "<member>S02-1234567-7654321-C000001</member>", "<member>a<b>x</b>c</member><member/><member>&lt;&amp;&gt;</member>"},
	{"AuthorizeResponse.xml", "<member>S02-1234567-7654321-C000001</member>", "<member>é€😀</member><Id>1</Id><Id>2</Id>"},
	{"AuthorizeResponse.xml", "<CaptureNow>", "<Unknown a='1' b=\"2\"><Deep><Deeper/></Deep>text</Unknown><CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>", "<AuthorizationBillingAddress/><CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>", "<CreationTimestamp> 2026-01-01T00:00:00Z</CreationTimestamp><CaptureNow>"},
	{"AuthorizeResponse.xml", "<CaptureNow>", "<IdList><member>x</member></IdList><CaptureNow>"},
	{"AuthorizeResponse.xml", "<AuthorizeResult>", "<AuthorizeResult xmlns:p='urn:x'><p:Ignored/>"},
	{"AuthorizeResponse.xml", "<AuthorizeResponse", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AuthorizeResponse"},
	{"AuthorizeResponse.xml", "<AuthorizeResponse", "<?xml version='1.0'?><!DOCTYPE x><AuthorizeResponse"},
	{"AuthorizeResponse.xml", "<AuthorizeResponse", "\u00a0<AuthorizeResponse"},
	{"AuthorizeResponse.xml", "</AuthorizeResponse>", "</AuthorizeResponse >\n\t"},
	{"AuthorizeResponse.xml", "</AuthorizeResponse>", "</AuthorizeResponse><?pi x?>"},
	{"AuthorizeResponse.xml", "</AuthorizeResponse>", "</AuthorizeResponse></x>"},
	{"AuthorizeResponse.xml", "<State>", "<State a=\"&amp;\">"},
	{"AuthorizeResponse.xml", "<State>", "<State\ta=\"1\"\n>"},
	{"AuthorizeResponse.xml", "<State>", "<State a = \"1\">"},
	{"AuthorizeResponse.xml", "<State>", "<State a=\"1\"b=\"2\">"},
	{"AuthorizeResponse.xml", "<State>", "<State a>"},
	{"GetMerchantNotificationConfigurationResponse.xml", "<member>PAYMENT_REFUND</member>", "<member> , ,PAYMENT_REFUND ,</member><other>X</other>"},
	{"GetMerchantNotificationConfigurationResponse.xml", "</EventTypes>", "</EventTypes><EventTypes><member>A</member></EventTypes>"},
	{"GetOrderReferenceDetailsResponse.xml", "<Buyer>", "<Buyer><Name>x</Name></Buyer><Buyer>"},
	{"GetOrderReferenceDetailsResponse.xml", "<Buyer>", "<Constraints><Constraint/></Constraints><Constraints><Constraint><ConstraintID>x</ConstraintID></Constraint></Constraints><Buyer>"},
}

func trickyBody(tb testing.TB, fixtures map[string][]byte, r struct{ fixture, old, new string }) []byte {
	b := fixtures[filepath.Join("testdata", "responses", r.fixture)]
	if !bytes.Contains(b, []byte(r.old)) {
		tb.Fatalf("%s has no %q", r.fixture, r.old)
	}
	return bytes.Replace(b, []byte(r.old), []byte(r.new), 1)
}

func TestTrickyRepliesDecodeAlike(t *testing.T) {
	fixtures := responseFixtures(t)
	for _, r := range trickyReplies {
		sameDecoding(t, operationOfFixture(r.fixture), 200, trickyBody(t, fixtures, r))
	}
}

// FuzzDecodeDifferential: whatever the reply, the table decoder decodes it
// as the reflection decoder it replaced did.
func FuzzDecodeDifferential(f *testing.F) {
	for name, b := range responseFixtures(f) {
		if op := operationOfFixture(name); op >= 0 {
			f.Add(uint8(op), 200, b)
			f.Add(uint8(op), 200, append(append([]byte(nil), utf8BOM...), b...))
			f.Add(uint8(op), 400, b)
		}
	}
	fixtures := responseFixtures(f)
	for _, r := range trickyReplies {
		f.Add(uint8(operationOfFixture(r.fixture)), 200, trickyBody(f, fixtures, r))
	}
	f.Fuzz(func(t *testing.T, op uint8, status int, body []byte) {
		sameDecoding(t, int(op)%len(decodedOperations), status, body)
	})
}

// TestFixturesDecodeAlike runs every fixture, and variants of it that
// leave the byte scanner for encoding/xml, through both decoders.
func TestFixturesDecodeAlike(t *testing.T) {
	variants := []func([]byte) []byte{
		func(b []byte) []byte { return b },
		func(b []byte) []byte { return append(append([]byte(nil), utf8BOM...), b...) },
		func(b []byte) []byte { return append(b[:len(b):len(b)], "<!-- after -->"...) },
		func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) },
		func(b []byte) []byte { return bytes.Replace(b, []byte("</"), []byte("<!-- c --></"), 3) },
		func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("<"), []byte("<x:")) },
		func(b []byte) []byte { return bytes.Replace(b, []byte("e"), []byte("&#101;"), 5) },
		func(b []byte) []byte { return bytes.Replace(b, []byte(">"), []byte(">&amp;"), 8) },
		func(b []byte) []byte { return b[:len(b)/2] },
	}
	for name, b := range responseFixtures(t) {
		op := operationOfFixture(name)
		if op < 0 {
			continue
		}
		for i, v := range variants {
			t.Run(filepath.Base(name)+"/"+string(rune('a'+i)), func(t *testing.T) {
				for _, status := range []int{200, 400} {
					sameDecoding(t, op, status, v(b))
				}
			})
		}
	}
}

// TestByteScannerReadsEveryFixture: the fixtures, as MWS writes them, take
// the fast path (encoding/xml is only the fallback).
func TestByteScannerReadsEveryFixture(t *testing.T) {
	for name, b := range responseFixtures(t) {
		op := operationOfFixture(name)
		if op < 0 || !strings.HasSuffix(name, "Response.xml") {
			continue
		}
		o := decodedOperations[op]
		out := o.out()
		d := new(replyDecoder)
		d.scan.reset(bytes.TrimPrefix(b, utf8BOM))
		d.reset(&d.scan, schemaOf(out))
		if err := d.decodeDocument(o.action, reflect.ValueOf(out).Elem()); err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
		}
	}
}

// BenchmarkDecodeGetOrderReferenceDetails decodes a full
// GetOrderReferenceDetails reply with every check; compare with
// BenchmarkDecodeGetOrderReferenceDetailsUnmarshal, plain xml.Unmarshal
// into the same type.
func BenchmarkDecodeGetOrderReferenceDetails(b *testing.B) {
	body := mustFixtureB(b, "GetOrderReferenceDetailsResponse.xml")
	b.ReportAllocs()
	for b.Loop() {
		var out GetOrderReferenceDetailsOutput
		if err := decodeResponse("GetOrderReferenceDetails", 200, body, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeGetOrderReferenceDetailsUnmarshal(b *testing.B) {
	body := mustFixtureB(b, "GetOrderReferenceDetailsResponse.xml")
	b.ReportAllocs()
	for b.Loop() {
		var out GetOrderReferenceDetailsOutput
		if err := xml.Unmarshal(body, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func mustFixtureB(b *testing.B, name string) []byte {
	body, err := readFixture(name)
	if err != nil {
		b.Fatal(err)
	}
	return body
}
