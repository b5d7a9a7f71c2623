package journey

import (
	"runtime"
	"slices"
	"strings"

	"github.com/parcours-go/parcours/internal/par"
)

// How a log is built, by NewLog and LogBuilder.Build alike:
//
//  1. One pass over the events in input order checks them, interns the
//     customers (custTable) and the steps, channels and touchpoints (in
//     order of first sight, so that ids do not depend on anything else),
//     and counts the events of each customer. A LogBuilder also interns
//     each event's set of properties (propSets) and keeps the event as
//     one row (inRow), which step 4 reads in one place.
//  2. The customers are sorted (skipped when they came in increasing
//     order) and each gets its range of positions: a counting sort.
//  3. When the input is not grouped by customer, a pass writes, for each
//     position, the input index of the event that goes there (src):
//     each part of the input (one per core) fills positions from its own
//     cursor per customer, so src is the stable order whatever the
//     number of parts.
//  4. Each core takes a range of customers and gathers their events into
//     the columns, reading the input at src: writes are sequential and
//     reads independent of each other, which the processor overlaps.
//     A customer whose events are out of time order has its src range
//     sorted by (time, input index) first, which keeps equal times in
//     input order.
//
// The sparse columns are gathered per range and concatenated. NewLog
// interns properties after, in log order, a LogBuilder as they come, in
// input order: either way the result is the same on any number of cores.

// layout is where the customers' events go.
type layout struct {
	customers []string // sorted
	offsets   []uint32
	start     []uint32 // by customer id (first sight): its first position
}

// newLayout sorts the customers names (by id, with counts events each)
// and gives each its range of positions. sorted says names is already in
// increasing order.
func newLayout(names []string, counts []uint32, sorted bool, workers int) layout {
	var lay layout
	lay.offsets = make([]uint32, len(names)+1)
	if sorted {
		lay.customers = names
		pos := uint32(0)
		for c, k := range counts {
			lay.offsets[c] = pos
			pos += k
		}
		lay.offsets[len(names)] = pos
		return lay
	}
	order := sortedIDs(names, workers)
	lay.customers = make([]string, len(order))
	lay.start = make([]uint32, len(order))
	pos := uint32(0)
	for c, id := range order {
		lay.customers[c] = names[id]
		lay.offsets[c] = pos
		lay.start[id] = pos
		pos += counts[id]
	}
	lay.offsets[len(order)] = pos
	return lay
}

// sortedIDs returns the ids 0 … len(names)-1 in increasing order of their
// names, which are distinct, sorting parts on several goroutines and
// merging them. It sorts each id with the first eight bytes of its name
// as a number, comparing the names themselves only where those are equal:
// most comparisons read no name, so that they do not wait on memory.
func sortedIDs(names []string, workers int) []uint32 {
	keys := make([]prefixID, len(names))
	for id, s := range names {
		keys[id] = prefixID{prefix8(s), uint32(id)}
	}
	cmpKeys := func(a, b prefixID) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		return strings.Compare(names[a.id], names[b.id])
	}
	if len(names) < 1<<15 {
		workers = 1
	}
	parts := make([]int, workers+1)
	for w := range parts {
		parts[w] = w * len(keys) / workers
	}
	par.Ranges(parts, func(lo, hi int) struct{} {
		slices.SortFunc(keys[lo:hi], cmpKeys)
		return struct{}{}
	})
	if workers > 1 {
		buf := make([]prefixID, len(keys))
		for len(parts) > 2 {
			// Merge pairs of neighbouring parts into buf, then swap.
			var next []int
			var pairs [][3]int
			for k := 0; k+1 < len(parts); k += 2 {
				if k+2 < len(parts) {
					pairs = append(pairs, [3]int{parts[k], parts[k+1], parts[k+2]})
				} else {
					pairs = append(pairs, [3]int{parts[k], parts[k+1], -1})
				}
				next = append(next, parts[k])
			}
			next = append(next, len(keys))
			par.Each(len(pairs), func(p int) struct{} {
				lo, mid, hi := pairs[p][0], pairs[p][1], pairs[p][2]
				if hi < 0 {
					copy(buf[lo:mid], keys[lo:mid])
					return struct{}{}
				}
				i, j, k := lo, mid, lo
				for i < mid && j < hi {
					if cmpKeys(keys[i], keys[j]) < 0 {
						buf[k] = keys[i]
						i++
					} else {
						buf[k] = keys[j]
						j++
					}
					k++
				}
				k += copy(buf[k:], keys[i:mid])
				copy(buf[k:], keys[j:hi])
				return struct{}{}
			})
			keys, buf = buf, keys
			parts = next
		}
	}
	order := make([]uint32, len(keys))
	for i, k := range keys {
		order[i] = k.id
	}
	return order
}

// prefixID is an id with the first eight bytes of its name.
type prefixID struct {
	prefix uint64
	id     uint32
}

// prefix8 returns the first eight bytes of s as a big-endian number,
// padded with zeros: prefix8(a) < prefix8(b) implies a < b.
func prefix8(s string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(s) {
			p |= uint64(s[i])
		}
	}
	return p
}

// sources returns, for each position of the log, the input index of the
// event that goes there, given each event's customer id. Events of one
// customer keep their input order. The input is split into parts, one
// per worker, each filling its customers' positions from its own cursors.
func sources(cust []uint32, lay layout, workers int) []uint32 {
	n := len(cust)
	src := make([]uint32, n)
	if n < 1<<16 {
		workers = 1
	}
	bounds := make([]int, workers+1)
	for w := range bounds {
		bounds[w] = w * n / workers
	}
	// next[w][id] is where part w puts its next event of customer id.
	next := make([][]uint32, workers)
	next[0] = lay.start
	if workers > 1 {
		counts := par.Ranges(bounds[:workers], func(lo, hi int) []uint32 {
			k := make([]uint32, len(lay.start))
			for _, id := range cust[lo:hi] {
				k[id]++
			}
			return k
		})
		for w := 1; w < workers; w++ {
			nw := slices.Clone(next[w-1])
			for id, k := range counts[w-1] {
				nw[id] += k
			}
			next[w] = nw
		}
	}
	sinks := par.Each(workers, func(w int) uint32 {
		nw := next[w]
		var touch uint32
		for base := bounds[w]; base < bounds[w+1]; base += 64 {
			ids := cust[base:min(base+64, bounds[w+1])]
			// Read the cursors at once, then the places they point to
			// (places this part writes next) at once, then write.
			for _, id := range ids {
				touch ^= nw[id]
			}
			for _, id := range ids {
				touch ^= src[nw[id]]
			}
			for k, id := range ids {
				src[nw[id]] = uint32(base + k)
				nw[id]++
			}
		}
		return touch
	})
	_ = sinks
	return src
}

// customerRanges splits the customers into up to workers ranges of about
// equal numbers of events, as bounds of customer indexes.
func customerRanges(offsets []uint32, workers int) []int {
	customers := len(offsets) - 1
	n := int(offsets[customers])
	if n < 1<<15 {
		workers = 1
	}
	workers = max(1, min(workers, customers))
	bounds := []int{0}
	for w := 1; w < workers; w++ {
		c, _ := slices.BinarySearch(offsets, uint32(w*n/workers))
		if c > bounds[len(bounds)-1] && c < customers {
			bounds = append(bounds, c)
		}
	}
	return append(bounds, customers)
}

// sortByTime sorts times and src together by (time, src).
func sortByTime(times []int64, src []uint32) {
	if len(times) <= 24 {
		for i := 1; i < len(times); i++ {
			t, s := times[i], src[i]
			j := i
			for ; j > 0 && (times[j-1] > t || times[j-1] == t && src[j-1] > s); j-- {
				times[j], src[j] = times[j-1], src[j-1]
			}
			times[j], src[j] = t, s
		}
		return
	}
	type pair struct {
		t int64
		s uint32
	}
	ps := make([]pair, len(times))
	for i := range ps {
		ps[i] = pair{times[i], src[i]}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if a.t != b.t {
			if a.t < b.t {
				return -1
			}
			return 1
		}
		return int(a.s) - int(b.s)
	})
	for i, p := range ps {
		times[i], src[i] = p.t, p.s
	}
}

// sparse holds the sparse entries a range of customers gathers.
type sparse struct {
	valIdx  []uint32
	vals    []float64
	propIdx []uint32 // positions with properties (NewLog)
	propRef []uint32 // their input index (NewLog)
	sets    int      // the count of positions with properties (LogBuilder)
	sink    byte     // what the gather read ahead, so that the reads stay
}

// blockEnd returns the customer after those from c (up to c1) whose
// events, about 64, a gather reads ahead at once.
func blockEnd(offsets []uint32, c, c1 int) int {
	next := c + 1
	for next < c1 && offsets[next]-offsets[c] < 64 {
		next++
	}
	return next
}

// joinSparse sets the log's value column from the parts, in order, and
// returns the positions with properties and the input index of each, for
// NewLog (a LogBuilder places its sets of properties itself).
func (l *Log) joinSparse(parts []sparse) (propIdx, propRef []uint32) {
	nv, np := 0, 0
	for _, p := range parts {
		nv += len(p.valIdx)
		np += len(p.propIdx)
	}
	if nv > 0 {
		l.valIdx = make([]uint32, 0, nv)
		l.vals = make([]float64, 0, nv)
	}
	if np > 0 {
		propIdx = make([]uint32, 0, np)
		propRef = make([]uint32, 0, np)
	}
	for _, p := range parts {
		l.valIdx = append(l.valIdx, p.valIdx...)
		l.vals = append(l.vals, p.vals...)
		propIdx = append(propIdx, p.propIdx...)
		propRef = append(propRef, p.propRef...)
	}
	return propIdx, propRef
}

// buildWorkers is the number of goroutines a build uses.
func buildWorkers() int { return runtime.GOMAXPROCS(0) }

// sortSpan sorts times, those of the events lo to hi taken in the order s
// (nil for lo, lo+1, …), stably by time, permuting s alike, and returns
// the order; ident is scratch for the identity order when s is nil.
func sortSpan(times []int64, s, ident []uint32, lo, hi int) (order, scratch []uint32) {
	if slices.IsSorted(times) {
		return s, ident
	}
	if s == nil {
		ident = ident[:0]
		for i := lo; i < hi; i++ {
			ident = append(ident, uint32(i))
		}
		s = ident
	}
	sortByTime(times, s)
	return s, ident
}
