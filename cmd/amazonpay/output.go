package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/amazonpay-go/amazonpay"
)

// emit prints v as indented JSON with --json, else calls text.
func (a *app) emit(v any, text func(w io.Writer)) error {
	if a.flags.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	text(a.stdout)
	return nil
}

// fields prints aligned "Name: value" lines, skipping empty values.
type fields struct {
	tw *tabwriter.Writer
}

func newFields(w io.Writer) *fields {
	return &fields{tw: tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)}
}

func (f *fields) add(name, value string) {
	if value == "" {
		return
	}
	_, _ = fmt.Fprintf(f.tw, "  %s:\t%s\n", name, value)
}

func (f *fields) flush() { _ = f.tw.Flush() }

// tsPtr is ts for JSON: nil for the zero time.
func tsPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := amazonpay.FormatTimestamp(t)
	return &s
}

func price(p *amazonpay.Price) string {
	if p == nil || p.Amount == "" {
		return ""
	}
	return strings.TrimSpace(p.Amount + " " + p.CurrencyCode)
}
