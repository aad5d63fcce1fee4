package sqltest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// The crash suite of the Confirmation Flows, on both SQL stores: every
// crash point of the four flows, a fresh Payments on the same database
// afterwards, checked against the sandbox's records. Each store must also
// give the table the memory store gave, ../CRASHPOINTS.md: the same
// state after every crash, Reconcile and next step.

func TestCrashPointsPostgreSQL(t *testing.T) {
	checkCrashPointTable(t, checkouttest.CrashPointTable(t, newPostgresStore))
}

func TestCrashPointsSQLite(t *testing.T) {
	checkCrashPointTable(t, checkouttest.CrashPointTable(t, newSQLiteStore))
}

func checkCrashPointTable(t *testing.T, table string) {
	t.Helper()
	file, err := os.ReadFile(filepath.Join("..", "CRASHPOINTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(file), table) {
		t.Errorf("the crash points on this store differ from ../CRASHPOINTS.md (the memory store's); this store's table:\n%s", table)
	}
}

func TestConcurrentCheckoutsPostgreSQL(t *testing.T) {
	checkouttest.TestConcurrentCheckouts(t, newPostgresStore, 500, 64)
}

// On SQLite the 64 goroutines' writes queue for the one write lock; before
// SQLStore's writers took turns, a BEGIN IMMEDIATE starved in the driver's
// busy handler failed with SQLITE_BUSY after the 5 s busy timeout (2 of 5
// runs under -race).
func TestConcurrentCheckoutsSQLite(t *testing.T) {
	checkouttest.TestConcurrentCheckouts(t, newSQLiteStore, 500, 64)
}
