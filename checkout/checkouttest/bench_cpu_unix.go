//go:build unix

package checkouttest

import "syscall"

// processCPU returns the CPU time the process has used (user and system,
// every thread), and whether the platform reports it.
func processCPU() (ns int64, ok bool) {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0, false
	}
	return u.Utime.Nano() + u.Stime.Nano(), true
}
