package amazonpay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Reading and decoding replies. A 2xx reply is a success only when it is
// the operation's own document, whole: its result element, the id of the
// object it describes, no element twice that MWS sends once, nothing after
// the root element.

var errTooLarge = errors.New("response body exceeds the size cap")

// utf8BOM is the UTF-8 encoding of U+FEFF, the byte-order mark.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

var formContentType = []string{"application/x-www-form-urlencoded; charset=utf-8"}

// readBody reads at most limit bytes of resp's body, drains and closes it.
// A body shorter than its Content-Length is an error (io.ErrUnexpectedEOF).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }() // the body is read; a close error changes nothing
	// Only a positive Content-Length sizes the read: a response built by
	// hand in a test (or by a RoundTripper) leaves it 0 with a full body.
	if n := resp.ContentLength; n > 0 && n <= limit {
		// The common case: one exact allocation.
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, 4096))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // drained for the connection's reuse, at best
		return nil, &UnexpectedResponseError{StatusCode: resp.StatusCode, Body: buf.Bytes()[:limit], Err: errTooLarge}
	}
	return buf.Bytes(), nil
}

// newXMLDecoder returns a decoder of body that also reads the two
// single-byte encodings a reply may declare besides UTF-8.
func newXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charsetReader
	return d
}

// charsetReader converts US-ASCII and ISO-8859-1 (Latin-1) to UTF-8; the
// standard library reads only UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		// Every byte of both is the code point of the same value (a byte
		// over 0x7F in US-ASCII text is taken as Latin-1).
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", charset)
}

// decodeResponse turns a reply into out or into a typed error.
func decodeResponse(action string, status int, body []byte, out output) error {
	if status < 200 || status > 299 {
		if apiErr := parseAPIError(action, status, body); apiErr != nil {
			return apiErr
		}
		return unexpectedResponse(action, status, body, errors.New("no MWS ErrorResponse in the body"))
	}
	schema := schemaOf(out)
	d := decoderPool.Get().(*replyDecoder)
	defer d.release()
	// A UTF-8 byte-order mark, which some servers and proxies put first,
	// is no text before the root; RawXML and errors keep the body as sent.
	doc := bytes.TrimPrefix(body, utf8BOM)
	v := reflect.ValueOf(out).Elem()
	// The byte scanner reads the plain documents MWS sends; whatever it
	// does not know (another encoding, a comment, a character reference, a
	// fault of any kind) it hands to encoding/xml's tokenizer, which reads
	// the document again from the start and says what is wrong with it.
	d.scan.reset(doc)
	d.reset(&d.scan, schema)
	if d.decodeDocument(action, v) != nil {
		v.SetZero()
		d.xml.reset(doc)
		d.reset(&d.xml, schema)
		if err := d.decodeDocument(action, v); err != nil {
			if err == errErrorResponse {
				if apiErr := parseAPIError(action, status, body); apiErr != nil {
					return apiErr
				}
				err = fmt.Errorf("unexpected document <ErrorResponse>, want <%sResponse>", action)
			}
			return unexpectedResponse(action, status, body, err)
		}
	}
	m := out.metadata()
	m.RawXML = body
	if m.RequestID == "" {
		m.RequestID = scanRequestID(body)
	}
	return nil
}

// errErrorResponse is decodeDocument's answer to an ErrorResponse root.
var errErrorResponse = errors.New("ErrorResponse")

// decodeDocument reads the whole document into v, the output of action,
// and checks it.
func (d *replyDecoder) decodeDocument(action string, v reflect.Value) error {
	for {
		tok, err := d.next()
		if err != nil {
			return fmt.Errorf("no XML document: %w", err)
		}
		switch tok.kind {
		case tokText:
			if len(bytes.TrimSpace(tok.text)) > 0 {
				return errors.New("text before the root element")
			}
			continue
		case tokStart:
		default:
			continue // declaration, comment, doctype
		}
		if string(tok.name) != action+"Response" {
			if string(tok.name) == "ErrorResponse" {
				return errErrorResponse
			}
			return fmt.Errorf("unexpected document <%s>, want <%sResponse>", tok.name, action)
		}
		if err := d.decodeStruct(d.schema.root, v); err != nil {
			return d.where(err)
		}
		if err := d.rest(); err != nil {
			return err
		}
		return d.schema.check(action, v, d.sawResult)
	}
}

// replyDecoder reads one reply from a token source while it watches the
// document's shape: an element that the output type holds once must not
// come twice in one parent (encoding/xml would merge the two silently),
// and it notes whether the root held the operation's result element. It
// keeps the open elements, so an error can say where decoding stopped.
type replyDecoder struct {
	src    tokenSource
	schema *outputSchema
	// open holds the open elements; names holds, for each open element,
	// the names of the children it has had so far, from open[i].children on.
	open      []openElement
	names     [][]byte
	sawResult bool
	openBuf   [12]openElement
	namesBuf  [48][]byte
	scan      byteScanner
	xml       xmlTokens
}

// decoderPool keeps replyDecoders between replies, with room for the
// element stack of every MWS reply.
var decoderPool = sync.Pool{New: func() any { return new(replyDecoder) }}

func (d *replyDecoder) reset(src tokenSource, schema *outputSchema) {
	clear(d.namesBuf[:])
	clear(d.openBuf[:])
	d.src, d.schema, d.sawResult = src, schema, false
	d.open, d.names = d.openBuf[:0], d.namesBuf[:0]
}

// release empties d and returns it to the pool.
func (d *replyDecoder) release() {
	d.reset(nil, nil)
	d.open, d.names = nil, nil
	d.scan.reset(nil)
	d.xml.reset(nil)
	decoderPool.Put(d)
}

type openElement struct {
	name     []byte
	children int // index into names of this element's first child
}

// next returns the next token of the reply, after checking that it does
// not repeat a singleton element.
func (d *replyDecoder) next() (token, error) {
	tok, err := d.src.next()
	if err != nil {
		return tok, err
	}
	switch tok.kind {
	case tokStart:
		name := tok.name
		if n := len(d.open); n > 0 {
			for _, sib := range d.names[d.open[n-1].children:] {
				if bytes.Equal(sib, name) && !d.schema.repeatable[string(name)] {
					return token{}, fmt.Errorf("element <%s> twice in <%s>", name, d.open[n-1].name)
				}
			}
			d.names = append(d.names, name)
			if n == 1 && string(name) == d.schema.result {
				d.sawResult = true
			}
		}
		d.open = append(d.open, openElement{name: name, children: len(d.names)})
	case tokEnd:
		if n := len(d.open); n > 0 {
			d.names = d.names[:d.open[n-1].children]
			d.open = d.open[:n-1]
		}
	}
	return tok, nil
}

// where adds the path of the elements open when err happened: the place
// decoding stopped, by element names only.
func (d *replyDecoder) where(err error) error {
	if len(d.open) == 0 {
		return err
	}
	var path strings.Builder
	for _, e := range d.open {
		path.WriteString("<" + string(e.name) + ">")
	}
	return fmt.Errorf("%w, in %s", err, path.String())
}

// rest reads what follows the root element: only white space and comments
// may.
func (d *replyDecoder) rest() error {
	for {
		tok, err := d.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("after the root element: %w", err)
		}
		switch tok.kind {
		case tokComment:
		case tokText:
			if len(bytes.TrimSpace(tok.text)) > 0 {
				return errors.New("text after the root element")
			}
		case tokStart:
			return fmt.Errorf("element <%s> after the root element", tok.name)
		default:
			return fmt.Errorf("%T after the root element", tok.other)
		}
	}
}

// identified is implemented by the objects a reply describes: the id that
// every such reply carries, and its element name.
type identified interface {
	objectID() (element, id string)
}

// outputSchema is what decoding needs to know of an output type, read once
// from its struct tags.
type outputSchema struct {
	// result is the <ActionResult> element the output's fields live in;
	// empty for outputs with no result (ConfirmOrderReference, the closes).
	result string
	// repeatable holds the element names that the output holds in slices:
	// only these may come more than once in one parent.
	repeatable map[string]bool
	// objects are the indices of the fields whose type is identified.
	objects []int
	// root reads the children of the root element into the output.
	root *elementNode
}

var schemas sync.Map // reflect.Type → *outputSchema

func schemaOf(out output) *outputSchema {
	t := reflect.TypeOf(out).Elem()
	if s, ok := schemas.Load(t); ok {
		return s.(*outputSchema)
	}
	s := &outputSchema{repeatable: map[string]bool{"member": true}}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if first, _, _ := strings.Cut(tag, ">"); strings.HasSuffix(first, "Result") {
			s.result = first
		}
		if f.Type.Implements(reflect.TypeFor[identified]()) {
			s.objects = append(s.objects, i)
		}
	}
	collectRepeatable(t, s.repeatable, map[reflect.Type]bool{})
	s.root = codecBuilder{}.codecOf(t).node
	actual, _ := schemas.LoadOrStore(t, s)
	return actual.(*outputSchema)
}

// collectRepeatable adds to names the element name of every slice field
// of t and of the structs it holds.
func collectRepeatable(t reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			collectRepeatable(t.Elem(), names, seen)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
			if tag == "-" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 {
				name := tag[strings.LastIndex(tag, ">")+1:]
				if name == "" {
					name = f.Name
				}
				names[name] = true
			}
			collectRepeatable(ft, names, seen)
		}
	}
}

// check requires the result element and the id of every object of out.
func (s *outputSchema) check(action string, v reflect.Value, sawResult bool) error {
	if s.result != "" && !sawResult {
		return fmt.Errorf("no <%s> in <%sResponse>", s.result, action)
	}
	for _, i := range s.objects {
		// Through a pointer: the struct itself would be copied to the heap.
		if el, id := v.Field(i).Addr().Interface().(identified).objectID(); strings.TrimSpace(id) == "" {
			return fmt.Errorf("no <%s> in <%s>", el, s.result)
		}
	}
	return nil
}

// unexpectedResponse reports a reply that is not a well-formed MWS answer,
// keeping the request id if the body carries one.
func unexpectedResponse(action string, status int, body []byte, err error) *UnexpectedResponseError {
	return &UnexpectedResponseError{Operation: action, StatusCode: status, RequestID: scanRequestID(body),
		Body: body, Err: err}
}

// scanRequestID finds the text of the first RequestId element of body, or
// of a RequestID (capital D), which some endpoints send.
func scanRequestID(body []byte) string {
	for _, name := range []string{"RequestId", "RequestID"} {
		open, end := "<"+name+">", "</"+name+">"
		i := bytes.Index(body, []byte(open))
		if i < 0 {
			continue
		}
		rest := body[i+len(open):]
		j := bytes.Index(rest, []byte(end))
		if j < 0 {
			continue
		}
		if id := strings.TrimSpace(string(rest[:j])); id != "" {
			return id
		}
	}
	return ""
}
