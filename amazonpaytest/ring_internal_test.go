package amazonpaytest

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The request log's coding of parameters gives back exactly what it was
// given: pairs numbered, pairs kept as text, escaped bytes, an empty
// query, and once the table is full.
func TestPairTableRoundTrip(t *testing.T) {
	var tab pairTable
	queries := []url.Values{
		{},
		{"Action": {"Capture"}, "Signature": {"a+b/c="}, "SellerId": {"A1"}, "CaptureAmount.Amount": {"1.00"}},
		{"Action": {"Capture"}, "SellerNote": {"\x00\x01&="}, "AmazonOrderReferenceId": {"S02-1"}, "K": {"", "x y"}},
	}
	for i := range maxInterned + 10 {
		queries = append(queries, url.Values{"Action": {fmt.Sprint("A", i)}, "Timestamp": {"t"}})
	}
	for _, q := range queries {
		enc := q.Encode()
		got := tab.decode(tab.encode(enc))
		assert.Equal(t, enc, got)
	}
	require.Len(t, tab.pairs, maxInterned, "the table stops growing")
	assert.Less(t, len(tab.encode(queries[1].Encode())), len(queries[1].Encode()))
}

// A request id survives the log's 16-byte form; another text does not pass
// for one.
func TestRequestIDBytes(t *testing.T) {
	h := NewHandler(WithSeed(1))
	id := newRequestID(h.rng)
	b, ok := parseRequestID(id)
	require.True(t, ok)
	assert.Equal(t, id, formatRequestID(b))
	for _, bad := range []string{"", "x", id[:35] + "G", id[:8] + "x" + id[9:], "ABCDEF01-2345-4678-8abc-def012345678"} {
		_, ok := parseRequestID(bad)
		assert.False(t, ok, bad)
	}
}
