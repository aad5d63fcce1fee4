package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesTheShopOffline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out, []string{"-listen", "127.0.0.1:0"}, noEnv, ready) }()
	url := <-ready
	assert.Contains(t, out.String(), "Amazon Pay offline sandbox at http://127.0.0.1:")
	assert.Contains(t, out.String(), "Gopher Shop: open "+url+" in a browser")

	resp, err := http.Get(url + "cart")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	// The page loads the offline sandbox's Widgets.js.
	sandbox := strings.TrimPrefix(strings.SplitN(out.String(), "\n", 2)[0], "Amazon Pay offline sandbox at ")
	sandbox = strings.Fields(sandbox)[0]
	assert.Contains(t, string(body), `<script async src="`+sandbox+`/widgets/Widgets.js"></script>`)

	// The IPN endpoint the sandbox sends to: POST only.
	assert.Contains(t, out.String(), "Instant Payment Notifications: the sandbox sends them to "+url+"amazon/ipn\n")
	resp, err = http.Get(url + "amazon/ipn")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	cancel()
	require.NoError(t, <-done)
}

func TestRunErrors(t *testing.T) {
	var out bytes.Buffer
	assert.Error(t, run(context.Background(), &out, []string{"-bogus"}, noEnv, nil))
	assert.ErrorContains(t, run(context.Background(), &out, []string{"extra"}, noEnv, nil), "unexpected arguments")
	env := map[string]string{"AMAZON_PAY_SELLER_ID": "A1SELLER", "AMAZON_PAY_REGION": "mars"}
	assert.ErrorContains(t, run(context.Background(), &out, nil, func(k string) string { return env[k] }, nil), "AMAZON_PAY_REGION")
	env["AMAZON_PAY_REGION"] = "de" // no keys: NewClient refuses
	assert.ErrorContains(t, run(context.Background(), &out, nil, func(k string) string { return env[k] }, nil), "AccessKeyID")
}
