package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// The batch commands (billing-agreements update, billing-run) share one
// mechanism: read and check every row of the input CSV before the first
// call, skip the rows a results file from an earlier run says are done,
// work through the rest a few at a time (the client's limiter paces them),
// journal each row to the results file as it starts and ends, show
// progress, and on Ctrl-C stop feeding rows, let the calls in flight end,
// and say how to resume.

// inputRow is one data row of the input CSV.
type inputRow struct {
	line   int               // 1-based line number in the file
	id     string            // the billing agreement id
	fields map[string]string // by canonical column name
}

// column is an input column: its canonical name and the header spellings
// accepted for it.
type column struct {
	name     string
	aliases  []string
	required bool
}

// readInput reads the CSV at path, whose header names the columns (in any
// order, any case). The first column listed is the row's id.
func readInput(path string, columns []column) ([]inputRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErr(fmt.Errorf("--csv %s cannot be read", path))
	}
	defer func() { _ = f.Close() }()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, inputErr(fmt.Errorf("--csv %s: line 1: no header row", path))
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for _, c := range columns {
			for _, alias := range append([]string{c.name}, c.aliases...) {
				if h == strings.ToLower(alias) {
					index[c.name] = i
				}
			}
		}
	}
	for _, c := range columns {
		if _, ok := index[c.name]; c.required && !ok {
			return nil, inputErr(fmt.Errorf("--csv %s: line 1: the header has no %s column (columns: %s)", path, c.name, columnNames(columns)))
		}
	}
	var rows []inputRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, inputErr(fmt.Errorf("--csv %s: line %d: %v", path, pe.Line, pe.Err))
			}
			return nil, inputErr(fmt.Errorf("--csv %s: %v", path, err))
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		row := inputRow{line: line, fields: map[string]string{}}
		for name, i := range index {
			if i < len(rec) {
				row.fields[name] = strings.TrimSpace(rec[i])
			}
		}
		row.id = row.fields[columns[0].name]
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, inputErr(fmt.Errorf("--csv %s has no rows", path))
	}
	return rows, nil
}

func columnNames(cs []column) string {
	var names []string
	for _, c := range cs {
		n := c.name
		if !c.required {
			n += " (optional)"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

// rowProblem is a row that cannot be sent.
type rowProblem struct {
	Line   int    `json:"line"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// checkRows runs check on every row and reports duplicate ids; it returns
// the problems in line order.
func checkRows(rows []inputRow, check func(r inputRow) string) []rowProblem {
	var out []rowProblem
	seen := map[string]int{}
	for _, r := range rows {
		if first, dup := seen[r.id]; dup && r.id != "" {
			out = append(out, rowProblem{r.line, r.id, fmt.Sprintf("repeats the billing agreement of line %d", first)})
			continue
		}
		seen[r.id] = r.line
		if reason := check(r); reason != "" {
			out = append(out, rowProblem{r.line, r.id, reason})
		}
	}
	return out
}

// journal is the results file: a CSV with a header, one record per event
// of a row (started, then its outcome), appended as they happen so that a
// killed run loses nothing. The last record of an id wins; a finished run
// rewrites the file with one record per id, in input order.
type journal struct {
	path   string
	header []string
	mu     sync.Mutex
	f      *os.File
	w      *csv.Writer
	last   map[string][]string // by id: the last record
	seen   map[string][]string // by id: every outcome recorded (for "was this step ever done")
}

// openJournal opens (or creates) the results file and reads what an
// earlier run recorded.
func openJournal(path string, header []string) (*journal, error) {
	j := &journal{path: path, header: header, last: map[string][]string{}, seen: map[string][]string{}}
	if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
		r := csv.NewReader(strings.NewReader(string(data)))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil && len(recs) == 0 {
			return nil, inputErr(fmt.Errorf("--results %s is not a results CSV: %v", path, err))
		}
		if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(header, ",") {
			return nil, inputErr(fmt.Errorf("--results %s is not a results file of this command (its header differs): choose another --results", path))
		}
		for _, rec := range recs[1:] {
			if len(rec) != len(header) {
				continue // a record cut short by a kill
			}
			j.last[rec[0]] = rec
			j.seen[rec[0]] = append(j.seen[rec[0]], rec[1])
		}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, inputErr(fmt.Errorf("--results %s cannot be read", path))
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, inputErr(fmt.Errorf("--results %s cannot be written", path))
	}
	j.f, j.w = f, csv.NewWriter(f)
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		if err := j.write(header); err != nil {
			return nil, err
		}
	} else if err == nil {
		// A record cut short by a kill leaves no newline: end it, so that
		// the next record starts on a line of its own.
		if data, _ := os.ReadFile(path); len(data) > 0 && data[len(data)-1] != '\n' {
			if _, err := f.WriteString("\n"); err != nil {
				return nil, err
			}
		}
	}
	return j, nil
}

func (j *journal) write(rec []string) error {
	if err := j.w.Write(rec); err != nil {
		return err
	}
	j.w.Flush()
	return j.w.Error()
}

// record appends rec (whose first field is the id, the second the outcome).
func (j *journal) record(rec []string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.last[rec[0]] = rec
	j.seen[rec[0]] = append(j.seen[rec[0]], rec[1])
	return j.write(rec)
}

// previous returns the last record of id, nil if none.
func (j *journal) previous(id string) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.last[id]
}

// ever reports whether outcome was ever recorded for id.
func (j *journal) ever(id, outcome string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, o := range j.seen[id] {
		if o == outcome {
			return true
		}
	}
	return false
}

// compact rewrites the file with the last record of each id of rows, in
// their order (atomically: a temporary file renamed over it).
func (j *journal) compact(rows []inputRow) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.f.Close(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), ".results-*.csv")
	if err != nil {
		return err
	}
	w := csv.NewWriter(tmp)
	_ = w.Write(j.header)
	for _, r := range rows {
		if rec, ok := j.last[r.id]; ok {
			_ = w.Write(rec)
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), tmp.Close()); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), j.path)
}

func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Close()
}

// progress reports rows as they finish: a bar on a terminal, else a line
// at every tenth of the work and at the end.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	bar    *progressbar.ProgressBar
	total  int
	done   int
	every  int
	counts map[string]int
	hook   func(done int)
}

func (a *app) newProgress(total int, what string) *progress {
	p := &progress{w: a.stderr, total: total, every: max(1, total/10), counts: map[string]int{}, hook: a.rowHook}
	if a.terminal(a.stderr) && !a.flags.json {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr), progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { _, _ = fmt.Fprintln(a.stderr) }))
	}
	return p
}

func (p *progress) finished(outcome string) {
	p.mu.Lock()
	p.done++
	p.counts[outcome]++
	done := p.done
	if p.bar != nil {
		_ = p.bar.Add(1)
	} else if done%p.every == 0 || done == p.total {
		_, _ = fmt.Fprintf(p.w, "progress: %d/%d (%d%%) %s\n", done, p.total, done*100/p.total, formatCounts(p.counts))
	}
	p.mu.Unlock()
	if p.hook != nil {
		p.hook(done)
	}
}

func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// work calls do for every row, on workers goroutines. When ctx ends it
// starts no more rows; the calls of the rows already started run to their
// end (do gets a context that is not canceled), so that every row's
// outcome is known and recorded. It reports whether ctx ended first.
func work(ctx context.Context, rows []inputRow, workers int, do func(ctx context.Context, r inputRow)) (interrupted bool) {
	calls := context.WithoutCancel(ctx)
	next := make(chan inputRow)
	var wg sync.WaitGroup
	for range min(workers, len(rows)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				do(calls, r)
			}
		}()
	}
feed:
	for _, r := range rows {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		select {
		case next <- r:
		case <-ctx.Done():
			interrupted = true
			break feed
		}
	}
	close(next)
	wg.Wait()
	return interrupted
}

// batchSummary is what a batch command prints at its end.
type batchSummary struct {
	Rows        int            `json:"rows"`
	Outcomes    map[string]int `json:"outcomes"`
	DoneBefore  int            `json:"done_before"` // skipped: done by an earlier run
	Invalid     []rowProblem   `json:"invalid,omitempty"`
	Throttled   int64          `json:"http_503_answers"`
	Seconds     float64        `json:"seconds"`
	Interrupted bool           `json:"interrupted"`
	Results     string         `json:"results"`
	Resume      string         `json:"resume,omitempty"`
}

func (a *app) printSummary(s *batchSummary) error {
	return a.emit(s, func(w io.Writer) {
		f := newFields(w)
		f.add("Rows", fmt.Sprint(s.Rows))
		f.add("Outcomes", formatCounts(s.Outcomes))
		f.add("Done before", fmt.Sprint(s.DoneBefore))
		if len(s.Invalid) > 0 {
			f.add("Invalid (skipped)", fmt.Sprint(len(s.Invalid)))
		}
		f.add("HTTP 503 answers", fmt.Sprint(s.Throttled))
		f.add("Time", (time.Duration(s.Seconds * float64(time.Second))).Round(time.Millisecond).String())
		f.add("Results", s.Results)
		f.flush()
		if s.Interrupted {
			_, _ = fmt.Fprintf(w, "Interrupted: the calls in flight finished and are recorded. To resume: %s\n", s.Resume)
		}
	})
}

// reportInvalid prints the bad rows and, unless skipInvalid, fails with
// exit 2 before anything is sent.
func (a *app) reportInvalid(problems []rowProblem, path string, skipInvalid bool) error {
	if len(problems) == 0 {
		return nil
	}
	shown := problems
	if len(shown) > 50 {
		shown = shown[:50]
	}
	for _, p := range shown {
		_, _ = fmt.Fprintf(a.stderr, "%s: line %d: %s\n", path, p.Line, p.Reason)
	}
	if len(problems) > len(shown) {
		_, _ = fmt.Fprintf(a.stderr, "%s: … and %d more bad rows\n", path, len(problems)-len(shown))
	}
	if skipInvalid {
		_, _ = fmt.Fprintf(a.stderr, "%d bad row(s) skipped (--skip-invalid)\n", len(problems))
		return nil
	}
	if a.flags.json {
		_ = a.emit(struct {
			Invalid []rowProblem `json:"invalid"`
			Sent    bool         `json:"sent"`
		}{problems, false}, nil)
	}
	return inputErr(fmt.Errorf("%s: %d bad row(s); nothing was sent: fix them, or pass --skip-invalid", path, len(problems)))
}

// defaultResults is the results file beside the input: in.csv → in.results.csv.
func defaultResults(input string) string {
	ext := filepath.Ext(input)
	return strings.TrimSuffix(input, ext) + ".results.csv"
}

// without returns rows minus the problem lines.
func without(rows []inputRow, problems []rowProblem) []inputRow {
	bad := map[int]bool{}
	for _, p := range problems {
		bad[p.Line] = true
	}
	var out []inputRow
	for _, r := range rows {
		if !bad[r.line] {
			out = append(out, r)
		}
	}
	return out
}

// firstError keeps the first error set from several goroutines.
type firstError struct {
	mu  sync.Mutex
	err error
}

func (e *firstError) set(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
}

func (e *firstError) get() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}
