package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amazonpay-go/amazonpay/amazonpaytest"
	"github.com/amazonpay-go/amazonpay/checkout"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/shopproc"
	"github.com/amazonpay-go/amazonpay/examples/shop/internal/testdb"
)

// The kill test: the shop binary as a child process, on SQLite and on
// PostgreSQL, against the standalone sandbox (cmd/amazonpaytest, another
// process, which keeps its records while the shop dies), with its
// notifications verified and delivered to the shop. 200 checkouts and 20
// subscriptions run over HTTP as the pages do (killBuyers at once), and
// the shop gets SIGKILL at 50 seeded random moments: half of them while
// the sandbox delays the reply of a call it has applied (so the shop dies
// between "Amazon acted" and "the shop wrote it down"), the others
// wherever the buyers are; the sandbox also drops some replies after
// applying them. After each kill the shop starts again on the same
// database and port and reconciles. At the end the sandbox's own records
// are the judge (checkKill).
//
// KILL_SEED=n replays a plan (the interleaving of the buyers still varies).

const (
	killCheckouts     = 200
	killSubscriptions = 20
	killKills         = 50
	killBuyers        = 4
	// killDelay is how long the sandbox holds a reply the shop is killed
	// under: the kill comes as soon as the sandbox has the call, so this
	// only bounds a fault no call takes.
	killDelay = "60s"
)

func TestKillMidCheckout(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: the kill test builds and kills binaries (under CI=true it runs anyway)")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("KILL_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("KILL_SEED: %v", err)
		}
	}
	t.Logf("seed %d (KILL_SEED=%d go test -run TestKillMidCheckout replays the plan)", seed, seed)
	shopBin := shopproc.Build(t, shopproc.ShopPackage)
	sandboxBin := shopproc.Build(t, shopproc.SandboxPackage)

	t.Run("SQLite", func(t *testing.T) {
		path := testdb.SQLitePath(t)
		runKill(t, seed, shopBin, sandboxBin, path, func() (*killDB, error) {
			return openKillDB("file:"+path+testdb.SQLitePragmas, checkout.SQLite)
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		_, dsn := testdb.Postgres(t)
		runKill(t, seed, shopBin, sandboxBin, dsn, func() (*killDB, error) { return openKillDB(dsn, checkout.PostgreSQL) })
	})
}

// killRun is one pass of the kill test.
type killRun struct {
	t    *testing.T
	sb   *shopproc.Sandbox
	shop *shopproc.Shop
	gate *gate

	started atomic.Int64 // jobs started
	done    atomic.Bool  // every job ended

	requests, cutOff, unavailable, buyNowRetries, forged atomic.Int64

	kills, delayedKills, drops int
	downtime                   time.Duration
}

// killEvent is one planned moment: once `after` jobs have started, kill
// the shop (while the sandbox holds the reply of action, if set), or make
// the sandbox drop the replies of n calls of action after applying them.
type killEvent struct {
	after  int
	kill   bool
	action string
	n      int
}

// delayedActions are the money calls a kill lands under: Amazon has
// authorized (and captured) when the shop dies.
var delayedActions = []string{"Authorize", "Authorize", "Authorize", "AuthorizeOnBillingAgreement"}

// droppedActions are the calls whose replies the sandbox drops.
var droppedActions = []string{"Authorize", "AuthorizeOnBillingAgreement", "ConfirmOrderReference",
	"SetOrderAttributes", "ValidateBillingAgreement", "GetOrderReferenceDetails", "CancelOrderReference"}

func killPlan(rng *rand.Rand, jobs int) []killEvent {
	var events []killEvent
	for i := range killKills {
		e := killEvent{after: 1 + rng.IntN(jobs-killBuyers*2), kill: true}
		if i%2 == 0 {
			e.action = delayedActions[rng.IntN(len(delayedActions))]
		}
		events = append(events, e)
	}
	// Mostly one or two drops, which the client's retries absorb; now and
	// then all four tries, which leaves the outcome unknown to the shop.
	for _, n := range []int{1, 1, 1, 1, 2, 2, 2, 4, 4, 1} {
		events = append(events, killEvent{after: rng.IntN(jobs - killBuyers*2), action: droppedActions[rng.IntN(len(droppedActions))], n: n})
	}
	slices.SortStableFunc(events, func(a, b killEvent) int { return a.after - b.after })
	return events
}

func runKill(t *testing.T, seed uint64, shopBin, sandboxBin, dsn string, open func() (*killDB, error)) {
	ctx := context.Background()
	begin := time.Now()
	rng := rand.New(rand.NewPCG(seed, 1))
	jobs := plan(rng, killCheckouts, killSubscriptions)
	events := killPlan(rng, len(jobs))

	k := &killRun{t: t, gate: newGate()}
	k.sb = shopproc.StartSandbox(t, sandboxBin, "--region", "de")
	// The shop is down for a moment after each kill: SNS retries soon.
	must(t, k.sb.Control(ctx, "set-notification-retry-delays", map[string][]string{"delays": {"50ms", "100ms", "200ms", "400ms", "800ms", "1.6s", "3.2s"}}, nil))
	// AMAZON_PAY_SELLER_ID= keeps a developer's Amazon credentials out.
	k.shop = shopproc.StartShop(t, shopBin, []string{"AMAZON_PAY_SELLER_ID=", "AMAZON_PAY_SHOP_URL="},
		"-db", dsn, "-sandbox-url", k.sb.URL, "-sandbox-proxy", k.sb.Proxy)
	must(t, k.sb.Control(ctx, "add-notification-url", map[string]string{"url": k.shop.URL + "amazon/ipn"}, nil))

	var wg sync.WaitGroup
	next := make(chan int)
	for range killBuyers {
		wg.Go(func() {
			for i := range next {
				b := k.newBuyer()
				if err := b.run(ctx, jobs[i], rand.New(rand.NewPCG(seed, uint64(i)+2))); err != nil {
					t.Errorf("buyer %d (%s, seed %d): %v", i, jobs[i], seed, err)
				}
			}
		})
	}
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		k.killer(ctx, events)
	}()
	for i := range jobs {
		next <- i
		k.started.Add(1)
	}
	close(next)
	wg.Wait()
	k.done.Store(true)
	<-killerDone

	// The last word: a clean restart reconciles what the last kill left,
	// then the sandbox's notifications still under way arrive.
	must(t, k.sb.Control(ctx, "clear-faults", nil, nil))
	must(t, k.shop.Stop())
	must(t, k.shop.Restart())
	must(t, k.sb.Control(ctx, "wait-notifications", nil, nil))
	must(t, k.shop.Stop())

	db, err := open()
	must(t, err)
	defer db.sql.Close()
	c := k.check(ctx, db)
	t.Logf("%s: %d kills (%d while the sandbox held an applied call's reply; the shop was down %v in all), %d replies dropped after applying; "+
		"%d buyer requests (%d cut off by a kill and reloaded, %d answered 503), %d forged returns refused",
		t.Name(), k.kills, k.delayedKills, k.downtime.Round(time.Millisecond), k.drops, k.requests.Load(), k.cutOff.Load(), k.unavailable.Load(), k.forged.Load())
	t.Logf("%s: %d orders paid, %d subscriptions active, %d payments reconciled after a restart, %d captures, %s moved, "+
		"%d notifications verified and applied; %v", t.Name(), c.ordersPaid, c.subsActive, c.reconciled, c.captures, c.moved, c.notified,
		time.Since(begin).Round(100*time.Millisecond))
}

// killer runs the planned events as the jobs start.
func (k *killRun) killer(ctx context.Context, events []killEvent) {
	for _, e := range events {
		for k.started.Load() < int64(e.after) && !k.done.Load() {
			time.Sleep(time.Millisecond) // waiting for the buyers to get that far
		}
		switch {
		case !e.kill:
			k.drops += e.n
			k.fail(k.sb.Control(ctx, "inject-fault", map[string]any{"action": e.action, "n": e.n, "f": map[string]string{"Kind": "AppliedThenDropped"}}, nil))
		case e.action != "":
			if k.killUnderDelay(ctx, e.action) {
				k.delayedKills++
			}
		default:
			k.kill(ctx)
		}
	}
}

// killUnderDelay makes the sandbox hold the reply of the next call of
// action (a money call), waits until a call has it — the sandbox's count
// of authorizations moves, and its request log shows the held call — and
// kills the shop under it. If no call comes before the buyers are done, it
// kills anyway and reports false.
func (k *killRun) killUnderDelay(ctx context.Context, action string) bool {
	before := k.delayed(ctx, action)
	k.fail(k.sb.Control(ctx, "inject-fault", map[string]any{"action": action, "n": 1, "f": map[string]string{"Kind": "Delay", "Delay": killDelay}}, nil))
	held := false
	for moved := k.authorizations(ctx); !k.done.Load(); {
		if now := k.authorizations(ctx); now != moved {
			moved = now
			if held = k.delayed(ctx, action) > before; held {
				break
			}
		}
		time.Sleep(time.Millisecond) // asking the sandbox again
	}
	k.kill(ctx)
	return held
}

// authorizations is the sandbox's count of authorizations: a cheap
// question asked often.
func (k *killRun) authorizations(ctx context.Context) int {
	var mm struct{ Authorizations int }
	k.fail(k.sb.Control(ctx, "money-movements", nil, &mm))
	return mm.Authorizations
}

// delayed counts the calls of action the sandbox held with a Delay fault
// after applying them.
func (k *killRun) delayed(ctx context.Context, action string) int {
	var reqs []struct {
		Fault   json.RawMessage
		Applied bool
	}
	k.fail(k.sb.Control(ctx, "requests-for", map[string]string{"action": action}, &reqs))
	n := 0
	for _, r := range reqs {
		if r.Applied && string(r.Fault) == strconv.Itoa(int(amazonpaytest.FaultDelay)) {
			n++
		}
	}
	return n
}

// kill sends the shop SIGKILL and starts it again on the same database
// and port; the buyers wait for it meanwhile.
func (k *killRun) kill(ctx context.Context) {
	k.gate.close()
	defer k.gate.open()
	k.kills++
	t0 := time.Now()
	defer func() { k.downtime += time.Since(t0) }()
	k.fail(k.shop.Kill())
	// A fault not taken yet must not hold the start-up Reconcile.
	k.fail(k.sb.Control(ctx, "clear-faults", nil, nil))
	k.fail(k.shop.Restart())
}

func (k *killRun) fail(err error) {
	if err != nil {
		k.t.Errorf("%v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
