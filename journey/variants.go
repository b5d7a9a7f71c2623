package journey

import (
	"runtime"
	"slices"
	"strings"
	"sync"

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
	names []string          // the names route ids stand for
	ids   map[string]uint32 // names to ids; nil while names is borrowed from a log
	parts []variantPart     // routes, partitioned by partOf(hash, len(parts))
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

// own makes v's names its own, so that new names can be added.
func (v *VariantCounts) own() {
	if v.ids != nil {
		return
	}
	v.names = slices.Clone(v.names)
	v.ids = make(map[string]uint32, len(v.names))
	for id, s := range v.names {
		v.ids[s] = uint32(id)
	}
}

func (v *VariantCounts) nameID(s string) uint32 {
	v.own()
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := uint32(len(v.names))
	v.names = append(v.names, s)
	v.ids[s] = id
	return id
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
		ids[i] = v.nameID(s)
	}
	v.add(ids, n)
}

// Merge adds the counts of o to v. It takes O(r) time for the r ids in
// o's routes.
func (v *VariantCounts) Merge(o *VariantCounts) {
	if len(o.parts) == 0 {
		return
	}
	if v.parts == nil && len(o.names) > 0 {
		v.names = o.names // borrowed until a new name comes
		v.ids = nil
		if o.ids != nil {
			v.own()
		}
	}
	v.init()
	sameNames := len(v.names) >= len(o.names) && (len(o.names) == 0 || &v.names[0] == &o.names[0])
	var trans []uint32
	if !sameNames {
		trans = make([]uint32, len(o.names))
		for id, s := range o.names {
			trans[id] = v.nameID(s)
		}
	}
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
	// rank[id] orders ids as their names order, so that routes compare as
	// integer sequences.
	order := make([]uint32, len(v.names))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(v.names[a], v.names[b]) })
	rank := make([]uint32, len(v.names))
	for r, id := range order {
		rank[id] = uint32(r)
	}
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
		for i := range min(len(a.route), len(b.route)) {
			if ra, rb := rank[a.route[i]], rank[b.route[i]]; ra != rb {
				return int(ra) - int(rb)
			}
		}
		return len(a.route) - len(b.route)
	})
	arena := make([]string, 0, size)
	out := make([]Variant, len(entries))
	for i, e := range entries {
		lo := len(arena)
		for _, id := range e.route {
			arena = append(arena, v.names[id])
		}
		out[i] = Variant{Route: arena[lo:len(arena):len(arena)], Customers: e.n}
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
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	v := &VariantCounts{names: l.dicts[by].names, seed: routes.RandomSeed()}
	v.parts = make([]variantPart, max(1, workers))
	var wg sync.WaitGroup
	for w := range v.parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := variantPart{tab: routes.New(v.seed, l.Customers()/len(v.parts)/4, 0)}
			var buf []uint32
			for c := range l.customers {
				buf = l.appendRoute(buf[:0], by, c)
				h := routes.Hash(v.seed, buf)
				if partOf(h, len(v.parts)) != w {
					continue
				}
				k, added := p.tab.InternHash(buf, h)
				if added {
					p.count = append(p.count, 0)
				}
				p.count[k]++
			}
			v.parts[w] = p
		}()
	}
	wg.Wait()
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

// shard runs f over contiguous ranges of customers on workers goroutines
// (0 means GOMAXPROCS) and returns the results in range order. Ranges hold
// about the same number of events.
func shard[T any](l *Log, workers int, f func(lo, hi int) T) []T {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := l.Customers()
	workers = max(1, min(workers, n))
	if workers == 1 {
		return []T{f(0, n)}
	}
	bounds := make([]int, workers+1)
	total := l.Len()
	for w := 1; w < workers; w++ {
		// The first customer whose events start at or after w/workers of the log.
		target := uint32(total * w / workers)
		c, _ := slices.BinarySearch(l.offsets[:n], target)
		bounds[w] = max(c, bounds[w-1])
	}
	bounds[workers] = n
	out := make([]T, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[w] = f(bounds[w], bounds[w+1])
		}()
	}
	wg.Wait()
	return out
}
