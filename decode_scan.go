package amazonpay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// The two token sources of the table decoder: a byte scanner for the plain
// documents MWS sends, and encoding/xml's tokenizer for everything else.
// The scanner never reports what is wrong with a document: on anything it
// does not know it gives up (errNotPlain) and the reply is read again by
// encoding/xml, whose checks and messages decide.

type tokenKind uint8

const (
	tokStart   tokenKind = iota + 1 // <name ...>, and the start of <name/>
	tokEnd                          // </name>, and the end of <name/>
	tokText                         // character data, unescaped
	tokComment                      // <!-- -->
	tokOther                        // a processing instruction or directive
)

// token is one piece of a document. name and text stay valid until the
// decoding of the reply ends.
type token struct {
	kind  tokenKind
	name  []byte    // tokStart: the local name
	text  []byte    // tokText
	other xml.Token // tokOther, for messages
}

type tokenSource interface {
	// next returns the next token, io.EOF at the end of the document.
	next() (token, error)
}

// xmlTokens is encoding/xml's tokenizer as a token source: name spaces
// translated, elements checked to match, encodings read.
type xmlTokens struct{ d *xml.Decoder }

func (s *xmlTokens) reset(doc []byte) {
	s.d = nil
	if doc != nil {
		s.d = newXMLDecoder(bytes.NewReader(doc))
	}
}

func (s *xmlTokens) next() (token, error) {
	t, err := s.d.Token()
	if err != nil {
		return token{}, err
	}
	switch t := t.(type) {
	case xml.StartElement:
		return token{kind: tokStart, name: []byte(t.Name.Local)}, nil
	case xml.EndElement:
		return token{kind: tokEnd}, nil
	case xml.CharData:
		return token{kind: tokText, text: bytes.Clone(t)}, nil // the decoder reuses its buffer
	case xml.Comment:
		return token{kind: tokComment}, nil
	default:
		return token{kind: tokOther, other: t}, nil
	}
}

// errNotPlain is the byte scanner giving up.
var errNotPlain = errors.New("not a plain document")

// byteScanner reads the XML that MWS writes: an optional UTF-8 declaration,
// elements without name space prefixes whose attributes hold plain ASCII,
// text in UTF-8 with the five predefined entities. Names and text are
// slices of the document (text with an entity is a copy).
type byteScanner struct {
	b       []byte
	i       int
	stack   [][]byte // the open elements, to match their ends
	buf     [16][]byte
	endNext bool // the start just returned was <name/>
	started bool // the root has begun
}

func (s *byteScanner) reset(doc []byte) {
	*s = byteScanner{b: doc}
	s.stack = s.buf[:0]
}

// The declarations the scanner knows; any other is left to encoding/xml.
var plainDeclarations = [][]byte{
	[]byte(`<?xml version="1.0" encoding="UTF-8"?>`),
	[]byte(`<?xml version="1.0" encoding="utf-8"?>`),
	[]byte(`<?xml version="1.0"?>`),
}

func (s *byteScanner) next() (token, error) {
	if s.endNext {
		s.endNext = false
		s.stack = s.stack[:len(s.stack)-1]
		return token{kind: tokEnd}, nil
	}
	if s.i == len(s.b) {
		if len(s.stack) > 0 {
			return token{}, errNotPlain
		}
		return token{}, io.EOF
	}
	if s.b[s.i] != '<' {
		return s.text()
	}
	if s.i+1 == len(s.b) {
		return token{}, errNotPlain
	}
	switch s.b[s.i+1] {
	case '/':
		return s.end()
	case '?':
		if !s.started {
			for _, d := range plainDeclarations {
				if bytes.HasPrefix(s.b[s.i:], d) {
					s.i += len(d)
					return s.next()
				}
			}
		}
		return token{}, errNotPlain
	case '!':
		return token{}, errNotPlain
	}
	return s.start()
}

// name reads a name from s.i: ASCII letters, digits, _ . - and no colon.
func (s *byteScanner) name() []byte {
	j := s.i
	for ; j < len(s.b); j++ {
		c := s.b[j]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' ||
			j > s.i && ('0' <= c && c <= '9' || c == '.' || c == '-') {
			continue
		}
		break
	}
	name := s.b[s.i:j]
	s.i = j
	return name
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *byteScanner) space() {
	for s.i < len(s.b) && isXMLSpace(s.b[s.i]) {
		s.i++
	}
}

func (s *byteScanner) start() (token, error) {
	s.i++ // <
	name := s.name()
	if len(name) == 0 {
		return token{}, errNotPlain
	}
	for {
		spaced := s.i < len(s.b) && isXMLSpace(s.b[s.i])
		s.space()
		if s.i == len(s.b) {
			return token{}, errNotPlain
		}
		switch s.b[s.i] {
		case '>':
			s.i++
		case '/':
			if s.i+1 == len(s.b) || s.b[s.i+1] != '>' {
				return token{}, errNotPlain
			}
			s.i += 2
			s.endNext = true
		default:
			if !spaced || !s.attribute() {
				return token{}, errNotPlain
			}
			continue
		}
		s.started = true
		s.stack = append(s.stack, name)
		return token{kind: tokStart, name: name}, nil
	}
}

// attribute skips name="value" (or 'value') with a value of printable
// ASCII other than < and &.
func (s *byteScanner) attribute() bool {
	j := s.i
	for j < len(s.b) && s.b[j] != '=' {
		c := s.b[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':' || //nolint:staticcheck // a character class reads best as a negated set
			j > s.i && ('0' <= c && c <= '9' || c == '.' || c == '-')) {
			return false
		}
		j++
	}
	if j == s.i || j+1 >= len(s.b) {
		return false
	}
	quote := s.b[j+1]
	if quote != '"' && quote != '\'' {
		return false
	}
	for j += 2; j < len(s.b) && s.b[j] != quote; j++ {
		if c := s.b[j]; c < 0x20 || c > 0x7e || c == '<' || c == '&' {
			return false
		}
	}
	if j == len(s.b) {
		return false
	}
	s.i = j + 1
	return true
}

func (s *byteScanner) end() (token, error) {
	s.i += 2 // </
	name := s.name()
	s.space()
	n := len(s.stack)
	if n == 0 || !bytes.Equal(name, s.stack[n-1]) || s.i == len(s.b) || s.b[s.i] != '>' {
		return token{}, errNotPlain
	}
	s.i++
	s.stack = s.stack[:n-1]
	return token{kind: tokEnd}, nil
}

// text reads character data up to the next <, refusing what encoding/xml
// would rewrite or refuse: a carriage return (rewritten to a line feed),
// characters XML does not allow, invalid UTF-8, entities other than the
// five predefined ones.
func (s *byteScanner) text() (token, error) {
	start := s.i
	var out []byte // the unescaped text, once an entity has come
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '<':
			return s.textToken(start, out), nil
		case c == '&':
			r, n := predefinedEntity(s.b[s.i:])
			if n == 0 {
				return token{}, errNotPlain
			}
			if out == nil {
				out = make([]byte, 0, len(s.b)-start)
			}
			out = append(out, s.b[start:s.i]...)
			out = append(out, r)
			s.i += n
			start = s.i
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && n == 1 || !(r <= 0xD7FF || 0xE000 <= r && r <= 0xFFFD || 0x10000 <= r) { //nolint:staticcheck // a character class reads best as a negated set
				return token{}, errNotPlain
			}
			s.i += n
		case c < 0x20 && c != '\t' && c != '\n':
			return token{}, errNotPlain
		default:
			s.i++
		}
	}
	return s.textToken(start, out), nil
}

func (s *byteScanner) textToken(start int, out []byte) token {
	if out == nil {
		return token{kind: tokText, text: s.b[start:s.i]}
	}
	return token{kind: tokText, text: append(out, s.b[start:s.i]...)}
}

// predefinedEntity reads &amp; &lt; &gt; &quot; or &apos; at the start of
// b: the character and the length; 0 for anything else.
func predefinedEntity(b []byte) (byte, int) {
	for _, e := range [...]struct {
		text string
		char byte
	}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}} {
		if len(b) >= len(e.text) && string(b[:len(e.text)]) == e.text {
			return e.char, len(e.text)
		}
	}
	return 0, 0
}

// parseXMLBool reads a boolean as encoding/xml does: empty is false,
// otherwise strconv.ParseBool of the trimmed text.
func parseXMLBool(text []byte) (bool, error) {
	if len(text) == 0 {
		return false, nil
	}
	switch t := bytes.TrimSpace(text); string(t) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return strconv.ParseBool(string(t))
	}
}
