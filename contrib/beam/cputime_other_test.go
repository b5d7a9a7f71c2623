//go:build !unix

package parcoursbeam_test

import "time"

// cpuTime is not measured here: events/cpu-s is then not reported.
func cpuTime() time.Duration { return 0 }
