//go:build !unix

package impact_test

// cpuTime is not measured on this platform.
func cpuTime() int64 { return -1 }
