//go:build crashsuite

package sqltest_test

import (
	"testing"

	"github.com/amazonpay-go/amazonpay/checkout/checkouttest"
)

// The crash suites of the Confirmation Flows, on both SQL stores.

func TestCrashPointsPostgreSQL(t *testing.T) {
	checkouttest.TestCrashPoints(t, newPostgresStore)
}

func TestCrashPointsSQLite(t *testing.T) {
	checkouttest.TestCrashPoints(t, newSQLiteStore)
}

func TestConcurrentCheckoutsPostgreSQL(t *testing.T) {
	checkouttest.TestConcurrentCheckouts(t, newPostgresStore, 500, 64)
}

func TestConcurrentCheckoutsSQLite(t *testing.T) {
	checkouttest.TestConcurrentCheckouts(t, newSQLiteStore, 500, 64)
}
