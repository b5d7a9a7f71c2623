//go:build !unix

package funnel_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
