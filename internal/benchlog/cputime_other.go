//go:build !unix

package benchlog

import "time"

func CPUTime() (time.Duration, bool) { return 0, false }
