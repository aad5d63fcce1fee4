//go:build !race

package amazonpay

const raceEnabled = false
