package sqltest_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// The crash suite of the Confirmation Flows, on both SQL stores: every
// crash point of the four flows, a fresh Payments on the same database
// afterwards, checked against the sandbox's records.

func TestCrashPointsPostgreSQL(t *testing.T) {
	checkouttest.TestCrashPoints(t, newPostgresStore)
}

func TestCrashPointsSQLite(t *testing.T) {
	checkouttest.TestCrashPoints(t, newSQLiteStore)
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
