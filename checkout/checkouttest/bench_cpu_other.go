//go:build !unix

package checkouttest

// processCPU reports no CPU time where getrusage is missing.
func processCPU() (ns int64, ok bool) { return 0, false }
