package amazonpay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// decodeResponse turns a reply into out or into a typed error.
func decodeResponseReflect(action string, status int, body []byte, out output) error {
	if status < 200 || status > 299 {
		if apiErr := parseAPIError(action, status, body); apiErr != nil {
			return apiErr
		}
		return unexpectedResponse(action, status, body, errors.New("no MWS ErrorResponse in the body"))
	}
	schema := schemaOf(out)
	st := reflectStrictPool.Get().(*reflectStrictTokens)
	defer st.release()
	// A UTF-8 byte-order mark, which some servers and proxies put first,
	// is no text before the root; RawXML and errors keep the body as sent.
	st.body.Reset(bytes.TrimPrefix(body, utf8BOM))
	st.d, st.schema = newXMLDecoder(&st.body), schema
	dec := xml.NewTokenDecoder(st)
	for {
		tok, err := dec.Token()
		if err != nil {
			return unexpectedResponse(action, status, body, fmt.Errorf("no XML document: %w", err))
		}
		var start xml.StartElement
		switch t := tok.(type) {
		case xml.StartElement:
			start = t
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return unexpectedResponse(action, status, body, errors.New("text before the root element"))
			}
			continue
		default:
			continue // declaration, comment, doctype
		}
		switch start.Name.Local {
		case action + "Response":
			if err := dec.DecodeElement(out, &start); err != nil {
				return unexpectedResponse(action, status, body, st.where(err))
			}
			if err := st.rest(dec); err != nil {
				return unexpectedResponse(action, status, body, err)
			}
			if err := schema.check(action, reflect.ValueOf(out).Elem(), st.sawResult); err != nil {
				return unexpectedResponse(action, status, body, err)
			}
			m := out.metadata()
			m.RawXML = body
			if m.RequestID == "" {
				m.RequestID = scanRequestID(body)
			}
			return nil
		case "ErrorResponse":
			if apiErr := parseAPIError(action, status, body); apiErr != nil {
				return apiErr
			}
		}
		return unexpectedResponse(action, status, body,
			fmt.Errorf("unexpected document <%s>, want <%sResponse>", start.Name.Local, action))
	}
}

// reflectStrictTokens passes a decoder's tokens on while it watches the document's
// shape: an element that the output type holds once must not come twice in
// one parent (encoding/xml would merge the two silently), and it notes
// whether the root held the operation's result element. It keeps the open
// elements, so an error can say where decoding stopped.
type reflectStrictTokens struct {
	d      *xml.Decoder
	schema *outputSchema
	// open holds the open elements; names holds, for each open element,
	// the names of the children it has had so far, from open[i].children on.
	open      []reflectOpenElement
	names     []string
	sawResult bool
	openBuf   [12]reflectOpenElement
	namesBuf  [48]string
	body      bytes.Reader
}

// reflectStrictPool keeps reflectStrictTokens between replies: one fewer allocation per
// call, with room for the element stack of every MWS reply.
var reflectStrictPool = sync.Pool{New: func() any { return new(reflectStrictTokens) }}

// release empties s and returns it to the pool.
func (s *reflectStrictTokens) release() {
	clear(s.namesBuf[:])
	clear(s.openBuf[:])
	s.body.Reset(nil)
	s.d, s.schema, s.open, s.names, s.sawResult = nil, nil, nil, nil, false
	reflectStrictPool.Put(s)
}

type reflectOpenElement struct {
	name     string
	children int // index into names of this element's first child
}

// Token returns the next raw token of the reply, after checking that it
// does not repeat a singleton element.
func (s *reflectStrictTokens) Token() (xml.Token, error) {
	if s.open == nil {
		s.open, s.names = s.openBuf[:0], s.namesBuf[:0]
	}
	// RawToken: the decoder reading from s translates name spaces and
	// checks that elements match, so s need not do it as well.
	tok, err := s.d.RawToken()
	if err != nil {
		return tok, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		name := t.Name.Local
		if n := len(s.open); n > 0 {
			siblings := s.names[s.open[n-1].children:]
			for _, sib := range siblings {
				if sib == name && !s.schema.repeatable[name] {
					return nil, fmt.Errorf("element <%s> twice in <%s>", name, s.open[n-1].name)
				}
			}
			s.names = append(s.names, name)
			if n == 1 && name == s.schema.result {
				s.sawResult = true
			}
		}
		s.open = append(s.open, reflectOpenElement{name: name, children: len(s.names)})
	case xml.EndElement:
		if n := len(s.open); n > 0 {
			s.names = s.names[:s.open[n-1].children]
			s.open = s.open[:n-1]
		}
	}
	return tok, nil
}

// where adds the path of the elements open when err happened: the place
// decoding stopped, by element names only.
func (s *reflectStrictTokens) where(err error) error {
	if len(s.open) == 0 {
		return err
	}
	var path strings.Builder
	for _, e := range s.open {
		path.WriteString("<" + e.name + ">")
	}
	return fmt.Errorf("%w, in %s", err, path.String())
}

// rest reads what follows the root element: only white space and comments
// may.
func (s *reflectStrictTokens) rest(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("after the root element: %w", err)
		}
		switch t := tok.(type) {
		case xml.Comment:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("text after the root element")
			}
		case xml.StartElement:
			return fmt.Errorf("element <%s> after the root element", t.Name.Local)
		default:
			return fmt.Errorf("%T after the root element", tok)
		}
	}
}
