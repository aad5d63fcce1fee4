// Package checkouttest holds test suites for package checkout that other
// modules run against their own setup, as testing/fstest does for file
// systems: a Store implementation proves itself with TestStore, and the
// checkout state machine is checked on a given store by the crash suites.
//
//   - TestStore: every guarantee of checkout.Store, as subtests: create
//     if absent by id and by Amazon id, compare-and-swap updates, List's
//     order and limit, RecordNotification's one transaction (kept,
//     applied, duplicate, conflict), PendingNotifications; concurrent
//     updates, creates and notifications (exactly one wins); returned
//     values are copies; every field of a Payment round-trips, including
//     fields added after this suite was written.
//   - TestCrashPoints: stops the Confirmation Flows at every crash point
//     (before and after each store write and Amazon call, a lost reply, a
//     failed write after Amazon's answer), then reconciles with a fresh
//     checkout.Payments on the same store and checks against the sandbox's
//     records that no order is lost and nothing is charged twice.
//     CrashPointTable runs the same and returns the table of what every
//     crash point did (checkout/CRASHPOINTS.md is the memory store's).
//   - TestConcurrentCheckouts: many goroutines drive many checkouts with
//     random faults, duplicated and reordered notifications and double
//     returns, with the same invariants.
//
// Each suite takes newStore, called for every (sub)test that needs a
// store: it must return a new, empty store, and release it with t.Cleanup.
// The SQL store runs all of them from the module checkout/sqltest, against
// a PostgreSQL server the tests start and a SQLite file.
package checkouttest
