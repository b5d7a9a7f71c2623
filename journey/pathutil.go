package journey

import (
	"math"
	"slices"
	"time"
)

// span returns the time from t0 to t1 (t1 >= t0), saturating at the
// largest Duration: two times of a Log can be further apart than a
// Duration holds.
func span(t0, t1 int64) time.Duration {
	if d := t1 - t0; d >= 0 {
		return time.Duration(d)
	}
	return math.MaxInt64
}

// median returns the median of d, sorting it: the middle value, or for an
// even count the mean of the two middle values rounded down to the
// nanosecond. It returns 0 for no value.
func median(d []time.Duration) time.Duration {
	n := len(d)
	if n == 0 {
		return 0
	}
	slices.Sort(d)
	if n%2 == 1 {
		return d[n/2]
	}
	a, b := d[n/2-1], d[n/2]
	return a>>1 + b>>1 + a&b&1 // ⌊(a+b)/2⌋ without overflow
}

// firstGoal returns the index of the first event in [lo, hi) of customer
// c for which goal is true, or hi. A nil goal is never true.
func (l *Log) firstGoal(goal func(Event) bool, r *eventReader, c, lo, hi int) int {
	if goal == nil {
		return hi
	}
	r.reset(l, c, lo)
	for i := lo; i < hi; i++ {
		if r.test(goal, i) {
			return i
		}
	}
	return hi
}
