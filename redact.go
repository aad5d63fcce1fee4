package amazonpay

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// Buyer data in logs. The fields that identify a buyer (name, e-mail,
// phone, street lines) and the raw reply carry the tag log:"redact". The
// types that hold such a field, at any depth, log (slog.LogValuer) and
// print (fmt.Formatter, every verb) through the one reflective walk below,
// which shows a redacted field as "[redacted]" and everything else as
// usual: ids, states, amounts, city, postal code, region, country code.
// Unlike plain fmt it prints what nested pointers point to rather than
// their addresses, so a logged result is whole for support.
// The fields themselves stay readable in code, and json.Marshal keeps
// them: it serves storing and passing on the data, not logging.

// redacted stands for a non-empty redacted field.
const redacted = "[redacted]"

// redactPlan is what the walk needs to know of a struct type, read once.
type redactPlan struct {
	sensitive bool // the type holds a redacted field, at any depth
	fields    []redactField
}

type redactField struct {
	index     int
	name      string
	redact    bool
	embedded  bool
	sensitive bool // the field's type (through pointers and slices) is sensitive
}

var redactPlans sync.Map // reflect.Type → *redactPlan

var timeType = reflect.TypeFor[time.Time]()

// planOf returns the plan of struct type t; building is guarded against
// recursive types by visiting.
func planOf(t reflect.Type) *redactPlan {
	if p, ok := redactPlans.Load(t); ok {
		return p.(*redactPlan)
	}
	return buildPlan(t, map[reflect.Type]*redactPlan{})
}

func buildPlan(t reflect.Type, visiting map[reflect.Type]*redactPlan) *redactPlan {
	if p, ok := redactPlans.Load(t); ok {
		return p.(*redactPlan)
	}
	if p, ok := visiting[t]; ok {
		return p
	}
	p := &redactPlan{}
	visiting[t] = p
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		rf := redactField{index: i, name: f.Name, redact: f.Tag.Get("log") == "redact", embedded: f.Anonymous}
		if st := structUnder(f.Type); st != nil && st != timeType {
			rf.sensitive = buildPlan(st, visiting).sensitive
		}
		p.sensitive = p.sensitive || rf.redact || rf.sensitive
		p.fields = append(p.fields, rf)
	}
	actual, _ := redactPlans.LoadOrStore(t, p)
	return actual.(*redactPlan)
}

var (
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
)

// opaque reports whether the walk prints a struct type t as a whole, by
// its own methods: a time, a Price, anything with a String method and no
// buyer data.
func opaque(t reflect.Type) bool {
	return t == timeType || !planOf(t).sensitive && (t.Implements(stringerType) || t.Implements(formatterType))
}

// structUnder returns the struct type under t's pointers, slices and
// arrays, or nil.
func structUnder(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

// redactedLogValue is the LogValue of the types that hold buyer data: a
// group of the non-empty fields, redacted ones as "[redacted]".
func redactedLogValue(v any) slog.Value { return logValueOf(reflect.ValueOf(v)) }

func logValueOf(v reflect.Value) slog.Value {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return slog.Value{}
		}
		if err, ok := v.Interface().(error); ok {
			return slog.StringValue(err.Error())
		}
		return logValueOf(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return slog.TimeValue(v.Interface().(time.Time))
		}
		if opaque(v.Type()) {
			return slog.StringValue(fmt.Sprint(v.Interface()))
		}
		var attrs []slog.Attr
		for _, f := range planOf(v.Type()).fields {
			fv := v.Field(f.index)
			switch {
			case fv.IsZero():
			case f.redact:
				attrs = append(attrs, slog.String(f.name, redacted))
			case f.embedded:
				attrs = append(attrs, slog.Attr{Value: logValueOf(fv)}) // inlined
			default:
				attrs = append(attrs, slog.Attr{Key: f.name, Value: logValueOf(fv)})
			}
		}
		return slog.GroupValue(attrs...)
	case reflect.Slice, reflect.Array:
		if st := structUnder(v.Type()); st == nil || opaque(st) {
			return slog.AnyValue(v.Interface())
		}
		attrs := make([]slog.Attr, v.Len())
		for i := range v.Len() {
			attrs[i] = slog.Attr{Key: strconv.Itoa(i), Value: logValueOf(v.Index(i))}
		}
		return slog.GroupValue(attrs...)
	}
	if !v.IsValid() {
		return slog.Value{}
	}
	return slog.AnyValue(v.Interface())
}

// formatRedacted is the Format of the types that hold buyer data: what fmt
// would print for verb, redacted fields as [redacted].
func formatRedacted(f fmt.State, verb rune, v any) {
	w := redactWriter{f: f, verb: verb, format: fmt.FormatString(f, verb), gosyntax: verb == 'v' && f.Flag('#'),
		names: verb == 'v' && (f.Flag('+') || f.Flag('#'))}
	w.value(reflect.ValueOf(v))
}

type redactWriter struct {
	f               fmt.State
	verb            rune
	format          string
	gosyntax, names bool
}

func (w *redactWriter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if st := structUnder(v.Type()); v.IsNil() || st == nil || opaque(st) {
			break
		}
		w.put("&")
		w.value(v.Elem())
		return
	case reflect.Struct:
		if opaque(v.Type()) {
			break
		}
		w.fields(v)
		return
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			break
		}
		if st := structUnder(v.Type()); st == nil || opaque(st) {
			break
		}
		if w.gosyntax {
			w.put(v.Type().String() + "{")
		} else {
			w.put("[")
		}
		for i := range v.Len() {
			if i > 0 {
				w.put(w.sep())
			}
			w.value(v.Index(i))
		}
		w.put(map[bool]string{true: "}", false: "]"}[w.gosyntax])
		return
	case reflect.Interface:
		if !v.IsNil() {
			if err, ok := v.Interface().(error); ok {
				// An error's text, never its fields (an *APIError's RawXML).
				w.printf(map[bool]string{true: "%q", false: "%s"}[w.gosyntax], err.Error())
				return
			}
		}
	}
	if !v.IsValid() {
		w.put("<nil>")
		return
	}
	w.printf(w.format, v.Interface())
}

// put and printf write to the fmt.State, which has no way to report an
// error from Format.
func (w *redactWriter) put(s string) { _, _ = io.WriteString(w.f, s) }

func (w *redactWriter) printf(format string, args ...any) { _, _ = fmt.Fprintf(w.f, format, args...) }

func (w *redactWriter) sep() string {
	if w.gosyntax {
		return ", "
	}
	return " "
}

// fields writes a sensitive struct as fmt would, field by field.
func (w *redactWriter) fields(v reflect.Value) {
	if w.gosyntax {
		w.put(v.Type().String())
	}
	w.put("{")
	for i, f := range planOf(v.Type()).fields {
		if i > 0 {
			w.put(w.sep())
		}
		if w.names {
			w.put(f.name + ":")
		}
		fv := v.Field(f.index)
		switch {
		case f.redact && !fv.IsZero() && w.gosyntax:
			w.put(strconv.Quote(redacted))
		case f.redact && !fv.IsZero():
			w.put(redacted)
		default:
			w.value(fv)
		}
	}
	w.put("}")
}
