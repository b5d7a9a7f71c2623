package pathcount

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

// Add counts n customers on route. It does nothing if n is not positive.
func (v *VariantCounts) Add(route []string, n int) {
	if n <= 0 {
		return
	}
	v.init()
	ids := make([]uint32, len(route))
	for i, s := range route {
		ids[i] = v.tab.ID(s)
	}
	v.add(ids, n)
}

// Merge adds the counts of o to v. It takes O(r) time for the r ids in
// o's routes.
func (v *VariantCounts) Merge(o *VariantCounts) error {
	if len(o.parts) == 0 {
		return nil
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
	return nil
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
func CountVariants(l *View, workers int) *VariantCounts {
	workers = par.Workers(workers, 0)
	v := &VariantCounts{tab: nametab.Borrow(l.Names), seed: routes.RandomSeed()}
	v.parts = par.Each(workers, func(w int) variantPart {
		p := variantPart{tab: routes.New(v.seed, l.Customers()/workers/4, 0)}
		var buf []uint32
		for c := range l.Customers() {
			if l.Stopped(c) {
				break
			}
			buf = l.appendRoute(buf[:0], c)
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
func (l *View) appendRoute(buf []uint32, c int) []uint32 {
	lo, hi := l.Span(c)
	syms := l.Syms[lo:hi]
	if !l.HasSkip {
		return append(buf, syms...)
	}
	for _, s := range syms {
		if s != l.Skip {
			buf = append(buf, s)
		}
	}
	return buf
}
