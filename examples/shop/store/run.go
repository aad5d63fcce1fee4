package store

import (
	"context"
	"time"
)

// housekeepingEvery is how often Run does its work.
const housekeepingEvery = time.Minute

// Run does the shop's background work until ctx ends: at once and then
// every minute it deletes the expired sessions (Sweep). Start it beside
// the HTTP server.
func (s *Shop) Run(ctx context.Context) {
	t := time.NewTicker(housekeepingEvery)
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
	_, _ = s.Sweep(ctx)
}
