//go:build unix

package parcoursbeam_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, all threads: the
// local runner and its workers run in the test's process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
