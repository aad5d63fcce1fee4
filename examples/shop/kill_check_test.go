package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// The kill test's judge: the sandbox's own records (its objects and their
// states) against the shop's database after the last restart.

// killDB is the shop's database, opened by the test once the shop has
// stopped.
type killDB struct {
	sql     *sql.DB
	dialect checkout.Dialect
}

func openKillDB(dsn string, dialect checkout.Dialect) (*killDB, error) {
	driver := map[checkout.Dialect]string{checkout.SQLite: "sqlite", checkout.PostgreSQL: "pgx"}[dialect]
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	return &killDB{sql: db, dialect: dialect}, nil
}

// killCounts are the figures a pass prints.
type killCounts struct {
	ordersPaid, subsActive, reconciled, captures, notified int
	moved                                                  string
}

var allStates = []checkout.State{checkout.StateConfirmed, checkout.StateDeclined, checkout.StateAuthorizing,
	checkout.StateCapturing, checkout.StateUnknown, checkout.StateCanceling, checkout.StatePaid, checkout.StateCanceled}

// reconciledLine is the shop's start-up line after a Reconcile that found
// payments with a call outstanding.
var reconciledLine = regexp.MustCompile(`^Reconciled at start: (\d+) with a call outstanding`)

// check fails the test on every violation of the invariants and returns
// the counts.
func (k *killRun) check(ctx context.Context, db *killDB) killCounts {
	t := k.t
	var c killCounts
	payments, err := checkout.NewSQLStore(db.sql, db.dialect).List(ctx, allStates, 0)
	must(t, err)
	quantity := map[string]int{} // the shop's orders: number → items
	rows, err := db.sql.QueryContext(ctx, `SELECT no, quantity FROM shop_orders`)
	must(t, err)
	for rows.Next() {
		var no string
		var q int
		must(t, rows.Scan(&no, &q))
		quantity[no] = q
	}
	must(t, rows.Err())
	rows.Close()

	byOrderRef, byAgreement := map[string]*checkout.Payment{}, map[string]*checkout.Payment{}
	for _, p := range payments {
		if p.State == checkout.StateAuthorizing || p.State == checkout.StateCapturing || p.State == checkout.StateUnknown || p.State == checkout.StateCanceling {
			t.Errorf("payment %s is still %s after the last restart's Reconcile", p.ID, p.State)
		}
		if p.Kind == checkout.KindSubscription {
			byAgreement[p.BillingAgreementID] = p
			continue
		}
		byOrderRef[p.OrderReferenceID] = p
		if _, ok := quantity[p.ID]; !ok {
			t.Errorf("payment %s has no order in shop_orders", p.ID)
		}
	}

	objects := map[string]object{}
	var captures, auths []object
	for _, kind := range []string{"OrderReference", "Authorization", "Capture", "BillingAgreement"} {
		var list []object
		must(t, k.sb.Control(ctx, "objects", map[string]string{"kind": kind}, &list))
		for _, o := range list {
			objects[o.ID] = o
		}
		switch kind {
		case "Capture":
			captures = list
		case "Authorization":
			auths = list
		}
	}
	// paymentOf finds the shop's payment of an authorization at Amazon: by
	// its order reference, or by the billing agreement that order
	// reference was made on (a subscription's first charge).
	paymentOf := func(auth object) *checkout.Payment {
		ref := objects[auth.Parent]
		if ref.Parent != "" {
			return byAgreement[ref.Parent]
		}
		return byOrderRef[ref.ID]
	}

	moved := new(big.Rat)
	capturesOf := map[string][]object{}
	for _, cp := range captures {
		c.captures++
		amount, ok := new(big.Rat).SetString(cp.Amount)
		if !ok {
			t.Errorf("capture %s has amount %q", cp.ID, cp.Amount)
			continue
		}
		moved.Add(moved, amount)
		auth := objects[cp.Parent]
		p := paymentOf(auth)
		if p == nil {
			t.Errorf("money moved with no payment in the shop: capture %s (%s %s) of %s", cp.ID, cp.Amount, cp.State, auth.Parent)
			continue
		}
		capturesOf[p.ID] = append(capturesOf[p.ID], cp)
		if p.State != checkout.StatePaid || p.CaptureID != cp.ID {
			t.Errorf("capture %s (%s) moved money for payment %s, which the shop holds as %s with capture %q", cp.ID, cp.Amount, p.ID, p.State, p.CaptureID)
		}
		if cp.Amount != p.Total.Amount {
			t.Errorf("capture %s of %s for payment %s, whose confirmed total is %s", cp.ID, cp.Amount, p.ID, p.Total.Amount)
		}
		if p.Kind == checkout.KindPurchase {
			if want := fmt.Sprintf("%d.%02d", quantity[p.ID]*productMinor/100, quantity[p.ID]*productMinor%100); cp.Amount != want {
				t.Errorf("capture %s of %s for order %s of %d items (%s)", cp.ID, cp.Amount, p.ID, quantity[p.ID], want)
			}
		}
	}
	for _, p := range payments {
		n := len(capturesOf[p.ID])
		switch {
		case n > 1:
			t.Errorf("payment %s has %d captures at Amazon", p.ID, n)
		case n == 0 && p.State == checkout.StatePaid:
			t.Errorf("payment %s is paid in the shop, but Amazon holds no capture for it", p.ID)
		}
		if p.State != checkout.StatePaid {
			continue
		}
		if p.Kind == checkout.KindPurchase {
			c.ordersPaid++
			continue
		}
		// A subscription whose first charge passed is active: paid, its
		// billing agreement open at Amazon and not closed in the shop.
		ba := objects[p.BillingAgreementID]
		if ba.State != "Open" || strings.HasPrefix(p.AmazonState, "Closed") || strings.HasPrefix(p.AmazonState, "Cancel") {
			t.Errorf("subscription %s is paid but not active: agreement %s %s at Amazon, %q in the shop", p.ID, ba.ID, ba.State, p.AmazonState)
			continue
		}
		c.subsActive++
	}
	for _, a := range auths {
		if a.State != "Open" && a.State != "Pending" {
			continue
		}
		if p := paymentOf(a); p == nil || p.State != checkout.StatePaid {
			t.Errorf("authorization %s is left %s at Amazon with no paid order (%v)", a.ID, a.State, p)
		}
	}
	for _, line := range k.shop.Lines("Reconciled at start: ") {
		if m := reconciledLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			c.reconciled += n
		}
	}
	var deliveries []struct{ Delivered bool }
	must(t, k.sb.Control(ctx, "notifications", nil, &deliveries))
	for _, d := range deliveries {
		if d.Delivered {
			c.notified++
		}
	}
	if c.notified == 0 {
		t.Errorf("the shop accepted none of the sandbox's %d notifications", len(deliveries))
	}
	c.moved = moved.FloatString(2) + " EUR"
	return c
}

// productMinor is the plush gopher's price in cents (store's catalogue).
const productMinor = 2125
