package store

import (
	"context"
	"time"
)

// Run does the shop's background work until ctx ends: at once and then
// every Config.ReconcileEvery (a minute) it reconciles the payments whose
// last call's outcome is unknown (a crash, a lost reply: checkout's
// Reconcile repeats the call with its reference id) and deletes the
// expired sessions (Sweep). Start it beside the HTTP server.
func (s *Shop) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.ReconcileEvery)
	defer t.Stop()
	for {
		s.housekeeping(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// housekeeping is one round of Run. A failure (the database is down) is
// tried again at the next round.
func (s *Shop) housekeeping(ctx context.Context) {
	_, _ = s.payments.Reconcile(ctx) // what it could not settle, it tries next time
	_, _ = s.Sweep(ctx)
}
