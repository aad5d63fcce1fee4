package amazonpaytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ControlPath is the prefix of the control API (SERVER.md): a versioned
// JSON API that plays the buyer's and Amazon's parts, moves the clock,
// injects faults and inspects the sandbox, for clients in any language.
const ControlPath = "/_sandbox/v1/"

// maxControlBody bounds a control request's JSON body.
const maxControlBody = 1 << 20

// NewControlHandler returns the control API of h, to be served at
// ControlPath. Every method of *Handler in the control table is
// POST ControlPath + its name in kebab case (CreateOrderReference is
// create-order-reference), with a JSON object of its arguments by their Go
// parameter names; durations are Go duration strings ("20m"), times RFC
// 3339, a Buyer starts as TestBuyer and the fields given replace TestBuyer's,
// a Fault's Kind is its name ("Delay"). The answer is {"result": …} (null
// for none, an array for several results, a URL as a string) or
// {"error": "…"} with 404 for an unknown object or method, 409 for an
// object in the wrong state and 400 otherwise. GET ControlPath lists the
// endpoints and their parameters.
func NewControlHandler(h *Handler) http.Handler {
	c := &controlAPI{h: reflect.ValueOf(h), endpoints: map[string]controlEndpoint{}}
	t := reflect.TypeOf(h)
	for name, params := range controlParams {
		m, ok := t.MethodByName(name)
		if !ok || m.Type.NumIn()-1 != len(params) {
			continue // the control table test reports it
		}
		c.endpoints[kebabCase(name)] = controlEndpoint{name: name, method: m, params: params}
	}
	return c
}

type controlAPI struct {
	h         reflect.Value
	endpoints map[string]controlEndpoint
}

type controlEndpoint struct {
	name   string
	method reflect.Method
	params []string
}

// controlError is an answer with an error status.
type controlError struct {
	status int
	msg    string
}

func (e *controlError) Error() string { return e.msg }

func badArgument(format string, args ...any) *controlError {
	return &controlError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// ServeHTTP answers the control API.
func (c *controlAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _ := strings.CutPrefix(r.URL.Path, ControlPath)
	if name == "" && r.Method == http.MethodGet {
		writeControl(w, http.StatusOK, map[string]any{"result": c.index()})
		return
	}
	ep, ok := c.endpoints[name]
	if !ok {
		writeControl(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no control endpoint %q; GET %s lists them", name, ControlPath)})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeControl(w, http.StatusMethodNotAllowed, map[string]string{"error": "control endpoints are POST"})
		return
	}
	result, err := c.call(r, ep)
	if err != nil {
		var ce *controlError
		if !errors.As(err, &ce) {
			ce = &controlError{errorStatus(err), err.Error()}
		}
		writeControl(w, ce.status, map[string]string{"error": ce.msg})
		return
	}
	writeControl(w, http.StatusOK, map[string]any{"result": result})
}

// ControlEndpoint describes one endpoint of the control API.
type ControlEndpoint struct {
	Path   string   `json:"path"`   // e.g. /_sandbox/v1/select-payment-method
	Method string   `json:"method"` // the *Handler method, e.g. SelectPaymentMethod
	Params []string `json:"params"` // its Go parameter names: the JSON object's keys
}

// ControlEndpoints returns the endpoints of the control API, sorted by path.
func ControlEndpoints() []ControlEndpoint {
	return NewControlHandler(nil).(*controlAPI).index()
}

func (c *controlAPI) index() []ControlEndpoint {
	out := make([]ControlEndpoint, 0, len(c.endpoints))
	for path, ep := range c.endpoints {
		out = append(out, ControlEndpoint{Path: ControlPath + path, Method: ep.name, Params: ep.params})
	}
	slices.SortFunc(out, func(a, b ControlEndpoint) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// call decodes the arguments, calls the method and shapes its results.
func (c *controlAPI) call(r *http.Request, ep controlEndpoint) (any, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxControlBody))
	if err != nil {
		return nil, badArgument("reading the body: %v", err)
	}
	args := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &args); err != nil {
			return nil, badArgument("the body must be a JSON object of arguments: %v", err)
		}
	}
	for k := range args {
		if !slices.Contains(ep.params, k) || ep.method.Type.In(1+slices.Index(ep.params, k)) == contextType {
			return nil, badArgument("%s takes no argument %q (its arguments: %s)", ep.name, k, strings.Join(ep.params, ", "))
		}
	}
	mt := ep.method.Type
	in := []reflect.Value{c.h}
	for i, p := range ep.params {
		t := mt.In(i + 1)
		last := i == len(ep.params)-1 && mt.IsVariadic()
		raw, given := args[p]
		switch {
		case t == contextType:
			in = append(in, reflect.ValueOf(r.Context()))
			continue
		case !given && t == buyerType:
			in = append(in, reflect.ValueOf(TestBuyer()))
			continue
		case !given && last:
			in = append(in, reflect.MakeSlice(t, 0, 0))
			continue
		case !given:
			return nil, badArgument("%s needs the argument %q (its arguments: %s)", ep.name, p, strings.Join(ep.params, ", "))
		}
		v, err := decodeArgument(raw, t)
		if err != nil {
			return nil, badArgument("argument %q: %v", p, err)
		}
		in = append(in, v)
	}
	var out []reflect.Value
	if mt.IsVariadic() {
		out = ep.method.Func.CallSlice(in)
	} else {
		out = ep.method.Func.Call(in)
	}
	return controlResults(ep.name, out)
}

var (
	contextType   = reflect.TypeFor[context.Context]()
	durationType  = reflect.TypeFor[time.Duration]()
	buyerType     = reflect.TypeFor[Buyer]()
	faultType     = reflect.TypeFor[Fault]()
	faultKindType = reflect.TypeFor[FaultKind]()
	errorType     = reflect.TypeFor[error]()
	urlType       = reflect.TypeFor[*url.URL]()
)

// decodeArgument decodes one JSON argument of type t, with the control
// API's forms for durations, buyers and faults.
func decodeArgument(raw json.RawMessage, t reflect.Type) (reflect.Value, error) {
	switch t {
	case durationType:
		d, err := parseControlDuration(raw)
		return reflect.ValueOf(d), err
	case faultKindType:
		k, err := parseFaultKind(raw)
		return reflect.ValueOf(k), err
	case faultType:
		var f struct {
			Kind  json.RawMessage
			Delay json.RawMessage
		}
		if err := strictJSON(raw, &f); err != nil {
			return reflect.Value{}, err
		}
		k, err := parseFaultKind(f.Kind)
		if err != nil {
			return reflect.Value{}, err
		}
		fault := Fault{Kind: k}
		if len(f.Delay) > 0 {
			if fault.Delay, err = parseControlDuration(f.Delay); err != nil {
				return reflect.Value{}, err
			}
		}
		return reflect.ValueOf(fault), nil
	case buyerType:
		b := TestBuyer()
		err := strictJSON(raw, &b)
		return reflect.ValueOf(b), err
	}
	if t.Kind() == reflect.Slice && t.Elem() == durationType {
		var ss []json.RawMessage
		if err := json.Unmarshal(raw, &ss); err != nil {
			return reflect.Value{}, fmt.Errorf("want an array of durations: %v", err)
		}
		ds := make([]time.Duration, len(ss))
		for i, s := range ss {
			d, err := parseControlDuration(s)
			if err != nil {
				return reflect.Value{}, err
			}
			ds[i] = d
		}
		return reflect.ValueOf(ds), nil
	}
	v := reflect.New(t)
	if err := strictJSON(raw, v.Interface()); err != nil {
		return reflect.Value{}, err
	}
	return v.Elem(), nil
}

// strictJSON decodes raw into v, refusing unknown fields (a misspelt
// field would otherwise be dropped without a word).
func strictJSON(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func parseControlDuration(raw json.RawMessage) (time.Duration, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("want a Go duration string such as \"20m\" or \"1h30m\"")
	}
	return time.ParseDuration(s)
}

func parseFaultKind(raw json.RawMessage) (FaultKind, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		for k, name := range faultNames {
			if name == s {
				return k, nil
			}
		}
	}
	names := make([]string, 0, len(faultNames))
	for _, name := range faultNames {
		names = append(names, name)
	}
	slices.Sort(names)
	return 0, fmt.Errorf("want a fault kind, one of %s", strings.Join(names, ", "))
}

// controlResults shapes a method's results: an error result becomes the
// answer's error, a (value, ok) pair with ok false is 404, a URL is a
// string, several results are an array.
func controlResults(name string, out []reflect.Value) (any, error) {
	if n := len(out); n > 0 && out[n-1].Type() == errorType {
		if err, _ := out[n-1].Interface().(error); err != nil {
			return nil, err
		}
		out = out[:n-1]
	}
	if n := len(out); n == 2 && out[1].Kind() == reflect.Bool {
		if !out[1].Bool() {
			return nil, &controlError{http.StatusNotFound, fmt.Sprintf("%s: %v", name, ErrNotFound)}
		}
		out = out[:1]
	}
	vals := make([]any, len(out))
	for i, v := range out {
		vals[i] = v.Interface()
		if v.Type() == urlType && !v.IsNil() {
			vals[i] = v.Interface().(*url.URL).String()
		}
	}
	switch len(vals) {
	case 0:
		return nil, nil
	case 1:
		return vals[0], nil
	}
	return vals, nil
}

// errorStatus maps the sandbox's errors to HTTP statuses.
func errorStatus(err error) int {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrUnknownSeller):
		return http.StatusNotFound
	case errors.Is(err, ErrState):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

func writeControl(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(body)
}

// kebabCase turns a Go method name into an endpoint name:
// CreateOrderReference → create-order-reference, SigningCertURL →
// signing-cert-url, AccessKeyID → access-key-id.
func kebabCase(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || unicode.IsUpper(rs[i-1]) && nextLower {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
