package journey

import (
	"slices"

	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/par"
	"github.com/parcours-go/parcours/internal/routes"
)

// Variant is a distinct route through the journey and the number of
// customers who took exactly that route.
type Variant struct {
	Route     []string
	Customers int
}

// Variants returns the distinct routes customers took, read by step,
// channel or touchpoint: most customers first, ties broken by comparing
// routes element by element (slices.Compare). Consecutive repeats are kept:
// clean the log first (Clean) to collapse them. Read by channel or
// touchpoint, a customer none of whose events has one has the empty route.
//
// Variants takes O(n) time for n events; CountVariants spreads the work
// over several goroutines and gives the same answer.
func (l *Log) Variants(by By) []Variant {
	return l.CountVariants(by, 1).Variants()
}

// VariantCounts counts customers per route. The zero value is empty and
// ready to use. Counts from logs of disjoint customers merge (Merge) into
// exactly the counts of the whole, whatever the split.
//
// A VariantCounts is not safe for concurrent use.
type VariantCounts struct {
	tab   nametab.Table // the names route ids stand for
	parts []variantPart // routes, partitioned by partOf(hash, len(parts))
	seed  uint64
}

type variantPart struct {
	tab   *routes.Table
	count []int
}

// partOf spreads routes over n parts by the high bits of their hash (the
// low bits choose a slot inside a part's table).
func partOf(h uint64, n int) int { return int((h >> 40) % uint64(n)) }

func (v *VariantCounts) init() {
	if v.parts == nil {
		v.seed = routes.RandomSeed()
		v.parts = []variantPart{{tab: routes.New(v.seed, 0, 0)}}
	}
}

// add counts n customers on a route of v's ids.
func (v *VariantCounts) add(route []uint32, n int) {
	h := routes.Hash(v.seed, route)
	p := &v.parts[partOf(h, len(v.parts))]
	k, added := p.tab.InternHash(route, h)
	if added {
		p.count = append(p.count, 0)
	}
	p.count[k] += n
}

// Add counts n customers on route.
func (v *VariantCounts) Add(route []string, n int) {
	v.init()
	ids := make([]uint32, len(route))
	for i, s := range route {
		ids[i] = v.tab.ID(s)
	}
	v.add(ids, n)
}

// Merge adds the counts of o to v. It takes O(r) time for the r ids in
// o's routes.
func (v *VariantCounts) Merge(o *VariantCounts) {
	if len(o.parts) == 0 {
		return
	}
	if v.parts == nil {
		v.tab.Adopt(&o.tab)
	}
	v.init()
	trans := v.tab.Translate(&o.tab)
	var buf []uint32
	for _, p := range o.parts {
		for k := range p.tab.Len() {
			route := p.tab.Route(k)
			if trans != nil {
				buf = buf[:0]
				for _, id := range route {
					buf = append(buf, trans[id])
				}
				route = buf
			}
			v.add(route, p.count[k])
		}
	}
}

// Len returns the number of distinct routes.
func (v *VariantCounts) Len() int {
	n := 0
	for _, p := range v.parts {
		n += p.tab.Len()
	}
	return n
}

// Variants returns the routes, most customers first, ties by route
// compared element by element. It takes O(r log r) time for r routes; all
// routes share one allocation of strings.
func (v *VariantCounts) Variants() []Variant {
	rank := v.tab.Ranks()
	type entry struct {
		route []uint32
		n     int
	}
	entries := make([]entry, 0, v.Len())
	size := 0
	for _, p := range v.parts {
		for k := range p.tab.Len() {
			entries = append(entries, entry{p.tab.Route(k), p.count[k]})
		}
		size += p.tab.Size()
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return nametab.CompareRoutes(a.route, b.route, rank)
	})
	arena := make([]string, 0, size)
	out := make([]Variant, len(entries))
	for i, e := range entries {
		var route []string
		arena, route = v.tab.AppendRoute(arena, e.route)
		out[i] = Variant{Route: route, Customers: e.n}
	}
	return out
}

// CountVariants counts the routes of the log's customers, read by by, on
// workers goroutines (0 means runtime.GOMAXPROCS(0)). Each worker reads
// every path but counts only the routes of its share of the hash space, so
// the work of counting distinct routes divides between them without a merge.
// The result does not depend on workers.
func (l *Log) CountVariants(by By, workers int) *VariantCounts {
	by.valid()
	workers = par.Workers(workers, 0)
	v := &VariantCounts{tab: nametab.Borrow(l.dicts[by].names), seed: routes.RandomSeed()}
	v.parts = par.Each(workers, func(w int) variantPart {
		p := variantPart{tab: routes.New(v.seed, l.Customers()/workers/4, 0)}
		var buf []uint32
		for c := range l.customers {
			buf = l.appendRoute(buf[:0], by, c)
			h := routes.Hash(v.seed, buf)
			if partOf(h, workers) != w {
				continue
			}
			k, added := p.tab.InternHash(buf, h)
			if added {
				p.count = append(p.count, 0)
			}
			p.count[k]++
		}
		return p
	})
	return v
}

// appendRoute appends customer c's symbol ids, skipping the empty channel
// or touchpoint.
func (l *Log) appendRoute(buf []uint32, by By, c int) []uint32 {
	lo, hi := l.Span(c)
	syms := l.syms[by][lo:hi]
	skip, hasSkip := l.emptyID(by)
	if !hasSkip {
		return append(buf, syms...)
	}
	for _, s := range syms {
		if s != skip {
			buf = append(buf, s)
		}
	}
	return buf
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
func (l *Log) Shards(n int) []int {
	c := l.Customers()
	if c == 0 {
		return []int{0, 0}
	}
	n = par.Workers(n, c)
	bounds := make([]int, n+1)
	total := l.Len()
	for w := 1; w < n; w++ {
		// The customer boundary nearest to w/n of the events.
		target := uint32(total * w / n)
		k, _ := slices.BinarySearch(l.offsets, target)
		if k > 0 && (k == len(l.offsets) || target-l.offsets[k-1] < l.offsets[k]-target) {
			k--
		}
		bounds[w] = min(max(k, bounds[w-1]), c)
	}
	bounds[n] = c
	return bounds
}

// shard runs f over the ranges of l.Shards(workers), one goroutine each,
// and returns the results in range order.
func shard[T any](l *Log, workers int, f func(lo, hi int) T) []T {
	return par.Ranges(l.Shards(workers), f)
}
