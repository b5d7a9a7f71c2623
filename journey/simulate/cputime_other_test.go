//go:build !unix

package simulate_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
