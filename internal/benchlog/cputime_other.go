//go:build !unix

package benchlog

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
