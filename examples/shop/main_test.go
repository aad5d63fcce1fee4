package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/examples/shop/internal/shopproc"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/testdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

func TestMain(m *testing.M) {
	code := m.Run()
	testdb.Stop()
	os.Exit(code)
}

// startRun runs the shop in process until the test ends and returns its
// URL and what it printed so far.
func startRun(t *testing.T, args []string, getenv func(string) string) (string, *shopproc.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out shopproc.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out, args, getenv, ready) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return url, &out
}

func TestRunServesTheShopOffline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "my-shop.db")
	url, out := startRun(t, []string{"-listen", "127.0.0.1:0", "-db", path}, noEnv)
	assert.Contains(t, out.String(), "Amazon Pay offline sandbox at http://127.0.0.1:")
	assert.Contains(t, out.String(), "Database: SQLite file "+path+"\n")
	_, err := os.Stat(path)
	assert.NoError(t, err, "the SQLite file is created")
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
}

// Without -db or DATABASE_URL the shop creates amazonpay-shop.db in the
// system's temporary directory, as README says, and says so.
func TestRunDefaultDatabaseIsInTheTempDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	_, out := startRun(t, []string{"-listen", "127.0.0.1:0"}, noEnv)
	path := filepath.Join(tmp, "amazonpay-shop.db")
	assert.Contains(t, out.String(), "Database: SQLite file "+path+"\n")
	_, err := os.Stat(path)
	assert.NoError(t, err, "the SQLite file is created")
}

// -db postgres://… and DATABASE_URL use PostgreSQL; the printed line hides
// the password.
func TestRunOnPostgreSQL(t *testing.T) {
	_, dsn := testdb.Postgres(t)
	withPassword := strings.Replace(dsn, "postgres@", "postgres:hunter2@", 1) // trust auth ignores it
	_, out := startRun(t, []string{"-listen", "127.0.0.1:0", "-db", withPassword}, noEnv)
	assert.Contains(t, out.String(), "Database: PostgreSQL at "+strings.Replace(dsn, "postgres@", "postgres:xxxxx@", 1)+"\n")
	assert.NotContains(t, out.String(), "hunter2")

	env := map[string]string{"DATABASE_URL": dsn}
	_, out = startRun(t, []string{"-listen", "127.0.0.1:0"}, func(k string) string { return env[k] })
	assert.Contains(t, out.String(), "Database: PostgreSQL at "+dsn+"\n")
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
