package journey

import (
	"github.com/parcours-go/parcours/internal/par"
	"github.com/parcours-go/parcours/internal/pathcount"
)

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

// emptyID returns the id of the empty name for channels and touchpoints,
// whose events a path by that attribute leaves out.
func (l *Log) emptyID(by By) (uint32, bool) {
	if by == ByStep {
		return 0, false
	}
	return l.dicts[by].lookup("")
}

// Shards splits the log's customers into at most n contiguous ranges
// holding about the same number of events, for analyses that spread their
// work over n goroutines: range i is customers [b[i], b[i+1]) of the
// returned bounds b; each bound is the customer boundary nearest to its
// share of the events, so a range may be empty when one customer holds
// more than a share. n ≤ 0 means runtime.GOMAXPROCS(0); there are never
// more ranges than customers, and at least one. It takes O(n log c) time.
func (l *Log) Shards(n int) []int { return pathcount.Shards(l.offsets, n) }

// shard runs f over the ranges of l.Shards(workers), one goroutine each,
// and returns the results in range order.
func shard[T any](l *Log, workers int, f func(lo, hi int) T) []T {
	return par.Ranges(l.Shards(workers), f)
}

// pathView returns the columns path analysis reads by by, with the route
// of each customer ending before its first goal event when goal is not nil.
func (l *Log) pathView(by By, goal func(Event) bool) *pathcount.View {
	by.valid()
	v := &pathcount.View{
		Offsets: l.offsets,
		Times:   l.times,
		Syms:    l.syms[by],
		Names:   l.dicts[by].names,
	}
	v.Skip, v.HasSkip = l.emptyID(by)
	if goal != nil {
		v.Cut = func(c, lo, hi int) int {
			var r eventReader
			return l.firstGoal(goal, &r, c, lo, hi)
		}
	}
	return v
}
