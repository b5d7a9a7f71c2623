package pathcount

import (
	"cmp"
	"slices"
)

// Edge is a directly-follows relation: how many times, within one
// customer's path, an event From was immediately followed by an event To.
type Edge struct {
	From, To string
	Count    int
}

// FollowCounts counts directly-follows pairs. The zero value is empty and
// ready to use. Counts from logs of disjoint customers merge (Merge) into
// exactly the counts of the whole.
//
// A FollowCounts is not safe for concurrent use.
type FollowCounts struct {
	pairs map[[2]string]int
}

// Add counts n occurrences of to directly following from. It does
// nothing if n is not positive.
func (f *FollowCounts) Add(from, to string, n int) {
	if n <= 0 {
		return
	}
	if f.pairs == nil {
		f.pairs = make(map[[2]string]int)
	}
	f.pairs[[2]string{from, to}] += n
}

// Merge adds the counts of o to f.
func (f *FollowCounts) Merge(o *FollowCounts) error {
	for k, n := range o.pairs {
		f.Add(k[0], k[1], n)
	}
	return nil
}

// Count returns how many times to directly followed from.
func (f *FollowCounts) Count(from, to string) int { return f.pairs[[2]string{from, to}] }

// Edges returns the pairs with their counts, sorted by From, then To.
func (f *FollowCounts) Edges() []Edge {
	out := make([]Edge, 0, len(f.pairs))
	for k, n := range f.pairs {
		out = append(out, Edge{From: k[0], To: k[1], Count: n})
	}
	slices.SortFunc(out, func(a, b Edge) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
	return out
}

// denseLimit is the largest number of names for which pairs are counted in
// a dense matrix (4 MiB of counters) rather than a map.
const denseLimit = 1024

// CountFollows counts directly-follows pairs on workers goroutines (0
// means runtime.GOMAXPROCS(0)). The result does not depend on workers.
func CountFollows(l *View, workers int) *FollowCounts {
	k := len(l.Names)
	skip, hasSkip := l.Skip, l.HasSkip
	type counts struct {
		dense  []int
		sparse map[uint64]int
	}
	parts := shard(l, workers, func(lo, hi int) counts {
		var c counts
		if k <= denseLimit {
			c.dense = make([]int, k*k)
		} else {
			c.sparse = make(map[uint64]int)
		}
		syms := l.Syms
		for b0 := lo; b0 < hi && !l.Done(); b0 += Block {
			for cust, end := b0, min(hi, b0+Block); cust < end; cust++ {
				a, b := l.Span(cust)
				prev, havePrev := uint32(0), false
				for _, s := range syms[a:b] {
					if hasSkip && s == skip {
						continue
					}
					if havePrev {
						if c.dense != nil {
							c.dense[int(prev)*k+int(s)]++
						} else {
							c.sparse[uint64(prev)<<32|uint64(s)]++
						}
					}
					prev, havePrev = s, true
				}
			}
		}
		return c
	})
	f := &FollowCounts{pairs: make(map[[2]string]int)}
	names := l.Names
	for _, c := range parts {
		for i, n := range c.dense {
			if n > 0 {
				f.pairs[[2]string{names[i/k], names[i%k]}] += n
			}
		}
		for key, n := range c.sparse {
			f.pairs[[2]string{names[key>>32], names[uint32(key)]}] += n
		}
	}
	return f
}
