package amazonpay

import (
	"encoding"
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
)

// The decoding tables: for each output type, built once from its struct
// tags, a tree of the element names it reads and what each one fills. The
// tree follows encoding/xml's rules for the tags the outputs use (a>b
// paths, embedded structs, field names for untagged fields, pointers
// allocated when their element comes, slices appended to, text only
// directly inside an element, unknown elements skipped), so a reply decodes
// to what xml.Unmarshal would make of it (FuzzDecodeDifferential).

// valueKind is how one Go value is read from its element.
type valueKind uint8

const (
	kindString valueKind = iota // the element's text
	kindBool                    // its text, as strconv.ParseBool after trimming
	kindText                    // its text, through encoding.TextUnmarshaler (time.Time)
	kindPtr                     // allocated when absent, then its pointee
	kindStruct                  // child elements by name
	kindSlice                   // one more item per element
	kindCustom                  // the type's own replyDecodable method
)

// valueCodec reads one Go type.
type valueCodec struct {
	kind valueKind
	elem *valueCodec  // kindPtr, kindSlice: the pointee or item
	typ  reflect.Type // kindPtr: the pointee type, for reflect.New
	node *elementNode // kindStruct: its children
}

// elementNode is an element whose children fill fields of one struct: the
// struct's own element, or an element of a path (the a of a>b).
type elementNode struct {
	children map[string]*childEdge
}

// childEdge is what one child element fills: a field (index, codec) or,
// for a path element, more of the same struct (path).
type childEdge struct {
	index []int
	codec *valueCodec
	path  *elementNode
}

// replyDecodable is implemented by the types with their own UnmarshalXML,
// which the table decoder cannot call: the same reading over its tokens.
type replyDecodable interface {
	decodeReply(d *replyDecoder) error
}

var (
	replyDecodableType    = reflect.TypeFor[replyDecodable]()
	xmlUnmarshalerType    = reflect.TypeFor[xml.Unmarshaler]()
	textUnmarshalerType   = reflect.TypeFor[encoding.TextUnmarshaler]()
	unsupportedTagOptions = ",attr,chardata,cdata,innerxml,comment,any,"
)

// codecBuilder builds codecs, one per type, shared within one output's tree.
type codecBuilder map[reflect.Type]*valueCodec

// codecOf returns the codec of t. An output type that the tables cannot
// read is a programming error, caught by the tests that decode every
// operation's fixture: it panics.
func (b codecBuilder) codecOf(t reflect.Type) *valueCodec {
	if c, ok := b[t]; ok {
		return c
	}
	c := &valueCodec{}
	b[t] = c
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(replyDecodableType):
		c.kind = kindCustom
		return c
	case pt.Implements(xmlUnmarshalerType):
		panic("amazonpay: " + t.String() + " has UnmarshalXML but no decodeReply")
	case pt.Implements(textUnmarshalerType):
		c.kind = kindText
		return c
	}
	switch t.Kind() {
	case reflect.String:
		c.kind = kindString
	case reflect.Bool:
		c.kind = kindBool
	case reflect.Pointer:
		c.kind, c.typ, c.elem = kindPtr, t.Elem(), b.codecOf(t.Elem())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			panic("amazonpay: no table decoding of []byte in " + t.String())
		}
		c.kind, c.elem = kindSlice, b.codecOf(t.Elem())
	case reflect.Struct:
		c.kind, c.node = kindStruct, &elementNode{children: map[string]*childEdge{}}
		b.addFields(c.node, t, nil)
	default:
		panic("amazonpay: no table decoding of " + t.String())
	}
	return c
}

// addFields adds the fields of struct t, found at index prefix, to node.
func (b codecBuilder) addFields(node *elementNode, t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && strings.Contains(unsupportedTagOptions, ","+opts+",") {
			panic(fmt.Sprintf("amazonpay: no table decoding of the xml tag option %q of %s.%s", opts, t, f.Name))
		}
		index := append(append([]int(nil), prefix...), i)
		if f.Anonymous && name == "" {
			if f.Type.Kind() != reflect.Struct {
				panic("amazonpay: no table decoding of the embedded " + f.Type.String())
			}
			b.addFields(node, f.Type, index)
			continue
		}
		if name == "" {
			name = f.Name
		}
		parents := strings.Split(name, ">")
		name, parents = parents[len(parents)-1], parents[:len(parents)-1]
		at := node
		for _, p := range parents {
			e := at.children[p]
			if e == nil {
				e = &childEdge{path: &elementNode{children: map[string]*childEdge{}}}
				at.children[p] = e
			}
			if e.path == nil {
				panic(fmt.Sprintf("amazonpay: %s.%s: <%s> is both a field and a path", t, f.Name, p))
			}
			at = e.path
		}
		if _, dup := at.children[name]; dup {
			panic(fmt.Sprintf("amazonpay: %s.%s: <%s> twice", t, f.Name, name))
		}
		at.children[name] = &childEdge{index: index, codec: b.codecOf(f.Type)}
	}
}

// decodeStruct reads the children of the element just opened into v (the
// struct of node), up to and including its end.
func (d *replyDecoder) decodeStruct(node *elementNode, v reflect.Value) error {
	for {
		tok, err := d.next()
		if err != nil {
			return err
		}
		switch tok.kind {
		case tokEnd:
			return nil
		case tokStart:
			e := node.children[string(tok.name)]
			switch {
			case e == nil:
				err = d.skip()
			case e.path != nil:
				err = d.decodeStruct(e.path, v)
			case len(e.index) == 1:
				err = d.decodeValue(e.codec, v.Field(e.index[0]))
			default:
				err = d.decodeValue(e.codec, v.FieldByIndex(e.index))
			}
			if err != nil {
				return err
			}
		}
	}
}

// decodeValue reads the element just opened into v.
func (d *replyDecoder) decodeValue(c *valueCodec, v reflect.Value) error {
	switch c.kind {
	case kindString:
		text, err := d.text()
		if err != nil {
			return err
		}
		v.SetString(string(text))
	case kindBool:
		text, err := d.text()
		if err != nil {
			return err
		}
		b, err := parseXMLBool(text)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case kindText:
		text, err := d.text()
		if err != nil {
			return err
		}
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(text)
	case kindPtr:
		if v.IsNil() {
			v.Set(reflect.New(c.typ))
		}
		return d.decodeValue(c.elem, v.Elem())
	case kindStruct:
		return d.decodeStruct(c.node, v)
	case kindSlice:
		n := v.Len()
		v.Grow(1)
		v.SetLen(n + 1)
		if err := d.decodeValue(c.elem, v.Index(n)); err != nil {
			v.SetLen(n)
			return err
		}
	case kindCustom:
		return v.Addr().Interface().(replyDecodable).decodeReply(d)
	}
	return nil
}

// text returns the text directly inside the element just opened (child
// elements are skipped), having read up to and including its end.
func (d *replyDecoder) text() ([]byte, error) {
	var text []byte
	pieces, depth := 0, 0
	for {
		tok, err := d.next()
		if err != nil {
			return nil, err
		}
		switch tok.kind {
		case tokText:
			if depth > 0 {
				continue
			}
			if pieces == 0 {
				text = tok.text // the source keeps it until the decoding ends
			} else {
				text = append(text[:len(text):len(text)], tok.text...)
			}
			pieces++
		case tokStart:
			depth++
		case tokEnd:
			if depth == 0 {
				return text, nil
			}
			depth--
		}
	}
}

// skip reads up to and including the end of the element just opened.
func (d *replyDecoder) skip() error {
	depth := 0
	for {
		tok, err := d.next()
		if err != nil {
			return err
		}
		switch tok.kind {
		case tokStart:
			depth++
		case tokEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}
