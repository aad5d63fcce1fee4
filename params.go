package amazonpay

import (
	"net/url"
	"strconv"

	"github.com/google/go-querystring/query"
)

// MWS names nested parameters "Prefix.Field" and list items
// "List.member.N" (or "List.Item.N"), counting from 1. go-querystring's own
// nesting is "a[b]", so every nested wire type implements query.Encoder and
// emits MWS notation through the helpers below.

// encodeNested adds the url-tagged fields of v (a struct or pointer to one)
// under key, as "key.Field".
func encodeNested(key string, v any, dst *url.Values) error {
	vals, err := query.Values(v)
	if err != nil {
		return err
	}
	for k, vs := range vals {
		(*dst)[key+"."+k] = append((*dst)[key+"."+k], vs...)
	}
	return nil
}

// itemKey returns "key.elem.N" for the i-th (0-based) item of a list.
func itemKey(key, elem string, i int) string {
	return key + "." + elem + "." + strconv.Itoa(i+1)
}

// encodeStrings adds items as "key.elem.1", "key.elem.2", ...
func encodeStrings[S ~string](key, elem string, items []S, dst *url.Values) {
	for i, s := range items {
		dst.Set(itemKey(key, elem, i), string(s))
	}
}

// encodeStructs adds each item's fields under "key.elem.N".
func encodeStructs[T any](key, elem string, items []T, dst *url.Values) error {
	for i := range items {
		if err := encodeNested(itemKey(key, elem, i), &items[i], dst); err != nil {
			return err
		}
	}
	return nil
}

// Bool returns a pointer to v, for optional boolean parameters: a nil
// pointer is not sent, a pointer to false sends "false".
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v, for optional integer parameters such as
// TransactionTimeout, where 0 is a meaningful value.
func Int(v int) *int { return &v }

// Ptr returns a pointer to v, for any optional parameter.
func Ptr[T any](v T) *T { return &v }
