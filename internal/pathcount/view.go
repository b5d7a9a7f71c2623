// Package pathcount counts the routes, directly-follows pairs, flows and
// loops of a journey log's customers. It reads the log through a View, the
// columns of one attribute (steps, channels or touchpoints), so that it
// sits below package journey: journey's deprecated path methods and
// package journey/paths share it.
package pathcount

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/parcours-go/parcours/internal/par"
)

// View is what the counters read of a log, for one attribute.
type View struct {
	// Offsets has one entry per customer and one more: customer c's
	// events are Offsets[c] to Offsets[c+1].
	Offsets []uint32
	Times   []int64  // Unix nanoseconds, one per event
	Syms    []uint32 // the attribute's name id of each event
	Names   []string // the names, by id
	// Skip is the id of the empty name, which paths by channel or
	// touchpoint leave out, when HasSkip.
	Skip    uint32
	HasSkip bool
	// Cut returns the index of customer c's first goal event in [lo, hi),
	// or hi; nil means no goal. It is called from several goroutines at
	// once.
	Cut func(c, lo, hi int) int
	// Ctx, when not nil, stops the counting early once it is done; the
	// counts are then partial and the caller returns Ctx.Err().
	Ctx context.Context
}

// Block is how many customers the counters read between two looks at
// Ctx.
const Block = 4096

// Done reports whether the counting should stop because Ctx is done.
func (v *View) Done() bool { return v.Ctx != nil && v.Ctx.Err() != nil }

// Stopped reports, for every Block-th customer c, whether the counting
// should stop because Ctx is done.
func (v *View) Stopped(c int) bool { return c%Block == 0 && v.Done() }

// Customers returns the number of customers.
func (v *View) Customers() int { return max(0, len(v.Offsets)-1) }

// Span returns the events [lo, hi) of customer c.
func (v *View) Span(c int) (lo, hi int) { return int(v.Offsets[c]), int(v.Offsets[c+1]) }

// Lookup returns the id of name.
func (v *View) Lookup(name string) (uint32, bool) {
	i := slices.Index(v.Names, name)
	return uint32(i), i >= 0
}

// cut returns the end of customer c's route: its first goal event, or hi.
func (v *View) cut(c, lo, hi int) int {
	if v.Cut == nil {
		return hi
	}
	return v.Cut(c, lo, hi)
}

// Shards splits the customers into at most n contiguous ranges holding
// about the same number of events: range i is customers [b[i], b[i+1]) of
// the returned bounds b; each bound is the customer boundary nearest to its
// share of the events, so a range may be empty when one customer holds
// more than a share. n ≤ 0 means runtime.GOMAXPROCS(0); there are never
// more ranges than customers, and at least one.
func Shards(offsets []uint32, n int) []int {
	c := max(0, len(offsets)-1)
	if c == 0 {
		return []int{0, 0}
	}
	n = par.Workers(n, c)
	bounds := make([]int, n+1)
	total := int(offsets[c])
	for w := 1; w < n; w++ {
		// The customer boundary nearest to w/n of the events.
		target := uint32(total * w / n)
		k, _ := slices.BinarySearch(offsets, target)
		if k > 0 && (k == len(offsets) || target-offsets[k-1] < offsets[k]-target) {
			k--
		}
		bounds[w] = min(max(k, bounds[w-1]), c)
	}
	bounds[n] = c
	return bounds
}

// shard runs f over the ranges of Shards(workers), one goroutine each,
// and returns the results in range order.
func shard[T any](v *View, workers int, f func(lo, hi int) T) []T {
	return par.Ranges(Shards(v.Offsets, workers), f)
}

// span returns the time from t0 to t1 (t1 >= t0), saturating at the
// largest Duration: two times of a Log can be further apart than a
// Duration holds.
func span(t0, t1 int64) time.Duration {
	if d := t1 - t0; d >= 0 {
		return time.Duration(d)
	}
	return math.MaxInt64
}

// Median returns the median of d, sorting it: the middle value, or for an
// even count the mean of the two middle values rounded down to the
// nanosecond. It returns 0 for no value.
func Median(d []time.Duration) time.Duration {
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

// Of returns the View of a *journey.Log by an attribute (a journey.By),
// with routes ending before the first event goal (a func(journey.Event)
// bool, or nil) is true of. Package journey sets it when it is initialised,
// so that packages above journey read its columns without journey
// exporting them.
var Of func(log any, by uint8, goal any) *View
