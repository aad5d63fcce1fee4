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
