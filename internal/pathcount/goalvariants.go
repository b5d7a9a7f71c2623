package pathcount

import (
	"runtime"
	"slices"
	"time"

	"github.com/parcours-go/parcours/internal/par"

	nametab "github.com/parcours-go/parcours/internal/names"

	"github.com/parcours-go/parcours/internal/routes"
)

// GoalVariant is a distinct route towards a goal: the customers who took
// it, how many of them reached the goal, and how long they took.
type GoalVariant struct {
	// Route is what the customers did before their first goal event (the
	// whole path for those who never reached it).
	Route []string
	// Customers took exactly this route; Converted of them then reached
	// the goal; Rate is Converted / Customers.
	Customers, Converted int
	Rate                 float64
	// Median is the median duration of the route's customers: from the
	// first event of a path to its first goal event if it converted, else
	// to its last event. MedianToGoal is the median over the converted
	// customers only (0 if none). For an even count a median is the mean
	// of the two middle durations, rounded down to the nanosecond.
	Median, MedianToGoal time.Duration
}

// GoalVariantCounts counts customers per route towards a goal, with their
// conversions and durations. It keeps every customer's duration, 16 bytes
// each, so that medians are exact. The zero value is empty and ready to
// use. Counts from logs of disjoint customers merge (Merge) into exactly
// the counts of the whole, medians included, whatever the split and the
// order of the merges.
//
// A GoalVariantCounts is not safe for concurrent use.
type GoalVariantCounts struct {
	tab   nametab.Table
	parts []goalPart // routes, partitioned by partOf(hash, len(parts))
	seed  uint64
}

type goalPart struct {
	tab  *routes.Table
	recs []goalRec // one per customer
}

// goalRec is one customer: its route in the part's table, whether it
// converted and its duration.
type goalRec struct {
	route uint32
	conv  bool
	d     time.Duration
}

func (v *GoalVariantCounts) init() {
	if v.parts == nil {
		v.seed = routes.RandomSeed()
		v.parts = []goalPart{{tab: routes.New(v.seed, 0, 0)}}
	}
}

// intern returns the part and index of route, a route of v's ids.
func (v *GoalVariantCounts) intern(route []uint32) (int, uint32) {
	h := routes.Hash(v.seed, route)
	p := partOf(h, len(v.parts))
	k, _ := v.parts[p].tab.InternHash(route, h)
	return p, uint32(k)
}

// Add counts one customer on route, who converted or not, with duration d.
func (v *GoalVariantCounts) Add(route []string, converted bool, d time.Duration) {
	v.init()
	ids := make([]uint32, len(route))
	for i, s := range route {
		ids[i] = v.tab.ID(s)
	}
	p, k := v.intern(ids)
	v.parts[p].recs = append(v.parts[p].recs, goalRec{k, converted, d})
}

// Merge adds the counts of o to v. It takes O(r + c) time for the r ids
// in o's routes and its c customers.
func (v *GoalVariantCounts) Merge(o *GoalVariantCounts) error {
	if len(o.parts) == 0 {
		return nil
	}
	if v.parts == nil {
		v.tab.Adopt(&o.tab)
	}
	v.init()
	trans := v.tab.Translate(&o.tab)
	var buf []uint32
	type place struct {
		p int
		k uint32
	}
	var where []place
	for _, op := range o.parts {
		where = where[:0]
		for k := range op.tab.Len() {
			route := op.tab.Route(k)
			if trans != nil {
				buf = buf[:0]
				for _, id := range route {
					buf = append(buf, trans[id])
				}
				route = buf
			}
			p, nk := v.intern(route)
			where = append(where, place{p, nk})
		}
		for _, r := range op.recs {
			w := where[r.route]
			v.parts[w.p].recs = append(v.parts[w.p].recs, goalRec{w.k, r.conv, r.d})
		}
	}
	return nil
}

// Len returns the number of distinct routes.
func (v *GoalVariantCounts) Len() int {
	n := 0
	for _, p := range v.parts {
		n += p.tab.Len()
	}
	return n
}

// Customers returns the number of customers counted.
func (v *GoalVariantCounts) Customers() int {
	n := 0
	for _, p := range v.parts {
		n += len(p.recs)
	}
	return n
}

// Variants returns the routes with their statistics, most customers first,
// ties by route compared element by element. It takes O(r log r) time for
// r routes plus O(c log c) for the medians of c customers.
func (v *GoalVariantCounts) Variants() []GoalVariant {
	rank := v.tab.Ranks()
	type entry struct {
		route []uint32
		GoalVariant
	}
	entries := make([]entry, 0, v.Len())
	size := 0
	var durs, convDurs []time.Duration
	for _, p := range v.parts {
		r := p.tab.Len()
		// Group the customers' durations by route: off[k] is where route
		// k's start, convOff[k] the same for converted customers.
		off := make([]int, r+1)
		convOff := make([]int, r+1)
		for _, rec := range p.recs {
			off[rec.route+1]++
			if rec.conv {
				convOff[rec.route+1]++
			}
		}
		for k := range r {
			off[k+1] += off[k]
			convOff[k+1] += convOff[k]
		}
		durs = slices.Grow(durs[:0], len(p.recs))[:len(p.recs)]
		convDurs = slices.Grow(convDurs[:0], convOff[r])[:convOff[r]]
		next := slices.Clone(off[:r])
		convNext := slices.Clone(convOff[:r])
		for _, rec := range p.recs {
			durs[next[rec.route]] = rec.d
			next[rec.route]++
			if rec.conv {
				convDurs[convNext[rec.route]] = rec.d
				convNext[rec.route]++
			}
		}
		for k := range r {
			n, conv := off[k+1]-off[k], convOff[k+1]-convOff[k] // n > 0: a route is added with a customer
			entries = append(entries, entry{p.tab.Route(k), GoalVariant{
				Customers:    n,
				Converted:    conv,
				Rate:         float64(conv) / float64(n),
				Median:       Median(durs[off[k]:off[k+1]]),
				MedianToGoal: Median(convDurs[convOff[k]:convOff[k+1]]),
			}})
		}
		size += p.tab.Size()
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.Customers != b.Customers {
			return b.Customers - a.Customers
		}
		return nametab.CompareRoutes(a.route, b.route, rank)
	})
	arena := make([]string, 0, size)
	out := make([]GoalVariant, len(entries))
	for i, e := range entries {
		out[i] = e.GoalVariant
		arena, out[i].Route = v.tab.AppendRoute(arena, e.route)
	}
	return out
}

// CountGoalVariants counts the routes towards goal of the log's customers,
// read by by, as GoalVariants defines them, on workers goroutines (0 means
// runtime.GOMAXPROCS(0)). A first pass over contiguous shares of the
// customers finds each one's goal event, duration and route hash; a second
// lets each worker count the routes of its share of the hash space, as
// CountVariants does. goal is called once per event it needs, from several
// goroutines at once when workers is not 1. The result does not depend on
// workers.
func CountGoalVariants(l *View, workers int) *GoalVariantCounts {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	v := &GoalVariantCounts{tab: nametab.Borrow(l.Names), seed: routes.RandomSeed()}
	v.parts = make([]goalPart, max(1, workers))
	skip, hasSkip, syms := l.Skip, l.HasSkip, l.Syms
	route := func(buf []uint32, lo, cut int) []uint32 {
		for _, s := range syms[lo:cut] {
			if !hasSkip || s != skip {
				buf = append(buf, s)
			}
		}
		return buf
	}
	if len(v.parts) == 1 {
		p := goalPart{tab: routes.New(v.seed, 0, 0), recs: make([]goalRec, 0, l.Customers())}
		var buf []uint32
		for c := range l.Customers() {
			if l.Stopped(c) {
				break
			}
			lo, hi := l.Span(c)
			cut := l.cut(c, lo, hi)
			buf = route(buf[:0], lo, cut)
			k, _ := p.tab.InternHash(buf, routes.Hash(v.seed, buf))
			end := min(cut, hi-1)
			p.recs = append(p.recs, goalRec{uint32(k), cut < hi, span(l.Times[lo], l.Times[end])})
		}
		v.parts[0] = p
		return v
	}

	// Pass 1: each customer's goal event, duration and route hash.
	type custInfo struct {
		h   uint64
		d   time.Duration
		cut uint32
	}
	info := make([]custInfo, l.Customers())
	shard(l, workers, func(clo, chi int) struct{} {
		var buf []uint32
		for c := clo; c < chi && !l.Stopped(c); c++ {
			lo, hi := l.Span(c)
			cut := l.cut(c, lo, hi)
			buf = route(buf[:0], lo, cut)
			info[c] = custInfo{routes.Hash(v.seed, buf), span(l.Times[lo], l.Times[min(cut, hi-1)]), uint32(cut)}
		}
		return struct{}{}
	})
	// Pass 2: each worker counts the routes of its share of the hashes.
	v.parts = par.Each(len(v.parts), func(w int) goalPart {
		p := goalPart{tab: routes.New(v.seed, 0, 0)}
		var buf []uint32
		for c := range info {
			if l.Stopped(c) {
				break
			}
			in := &info[c]
			if partOf(in.h, len(v.parts)) != w {
				continue
			}
			lo, hi := l.Span(c)
			buf = route(buf[:0], lo, int(in.cut))
			k, _ := p.tab.InternHash(buf, in.h)
			p.recs = append(p.recs, goalRec{uint32(k), int(in.cut) < hi, in.d})
		}
		return p
	})
	return v
}
