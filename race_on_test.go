//go:build race

package amazonpay

// raceEnabled: the race detector changes allocation counts.
const raceEnabled = true
