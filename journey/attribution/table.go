package attribution

import (
	"fmt"
	"github.com/parcours-go/parcours/internal/wire"
	"math/bits"
	"slices"
	"strings"
	"time"

	nametab "github.com/parcours-go/parcours/internal/names"

	"github.com/parcours-go/parcours/internal/routes"
	"github.com/parcours-go/parcours/journey"
)

// Table is a route table being counted: for each distinct route, the
// conversions, the nulls (customers who did not convert) and the value of
// the conversions of the rows added to it. It is the mergeable aggregate
// of this package, behind FromLog: tables counted by CountLog from logs of
// disjoint customers (or from disjoint sets of rows, by Add) merge into
// exactly the table of the whole, whatever the split and the order of the
// merges. A customer must not be split between two logs: the journeys of
// its two halves would be cut apart.
//
// Rows gives the []Row that every model reads; MarkovChain learns the
// Markov chain straight from the counts, the fast way to the Markov models
// on a large log (see MarkovChain).
//
// Conversions and nulls are added as float64, exact for whole numbers up
// to 2^53. Values are added in double-double precision (about 106 bits),
// so that sums do not depend on the order of addition: they are exact, and
// therefore the same whatever the split, whenever a route's total value is
// less than 2^105 times the smallest unit of its values (for values in
// cents, any total below 10^13).
//
// The zero value is an empty table ready to use. A Table is not safe for
// concurrent use.
type Table struct {
	tab     nametab.Table // touch names; borrowed from a log until a new one comes
	key     uint64
	parts   []tablePart
	cut     cut
	dropped struct {
		conv, nulls float64
		value       dd
	}
	sample wire.Sample // of the customers of the logs counted by CountLog
}

// cut records how CountLog cut a log into rows, so that Merge can refuse
// tables cut otherwise. The goal predicate cannot be compared: only its
// presence is.
type cut struct {
	counted        bool // by CountLog; a table made by Add alone has no cut
	by             journey.By
	goalSteps      string // sorted, distinct, NUL-separated
	goalFunc       bool
	everyGoal      bool
	lookback       time.Duration
	emptyRoute     string
	convertingOnly bool
}

func cutOf(opt FromLogOptions) cut {
	steps := slices.Clone(opt.GoalSteps)
	slices.Sort(steps)
	steps = slices.Compact(steps)
	return cut{
		counted: true, by: opt.By, goalSteps: strings.Join(steps, "\x00"), goalFunc: opt.Goal != nil,
		everyGoal: opt.EveryGoal, lookback: opt.Lookback, emptyRoute: opt.EmptyRoute,
		convertingOnly: opt.ConvertingOnly,
	}
}

// tablePart holds the routes of one share of the hash space, with their sums.
type tablePart struct {
	set  *routes.Table
	sums []rowSum // by route index
}

// rowSum is what a route's journeys add up to. Keeping the three together
// costs one cache line per route when they are read in another order.
type rowSum struct {
	conv, nulls float64
	value       dd
}

func newPart(key uint64, hint, dataHint int) tablePart {
	return tablePart{set: routes.New(key, hint, dataHint), sums: make([]rowSum, 0, hint)}
}

// partOf spreads routes over n parts by the high half of their hash (the
// low half chooses a slot in a part's route set).
func partOf(h uint64, n int) int { return int(((h >> 32) * uint64(n)) >> 32) }

// add counts a journey on the route of p's k-th entry.
func (p *tablePart) add(k int, added bool, conv, nulls float64, value dd) {
	if added {
		p.sums = append(p.sums, rowSum{})
	}
	r := &p.sums[k]
	r.conv += conv
	r.nulls += nulls
	r.value.merge(value)
}

func (t *Table) init() {
	if t.parts == nil {
		t.key = routes.RandomSeed()
		t.parts = []tablePart{newPart(t.key, 16, 0)}
	}
}

// addRoute counts a journey on a route of t's name ids.
func (t *Table) addRoute(route []uint32, conv, nulls float64, value dd) {
	h := routes.Hash(t.key, route)
	p := &t.parts[partOf(h, len(t.parts))]
	k, added := p.set.InternHash(route, h)
	p.add(k, added, conv, nulls, value)
}

// Add counts row j. It returns an error, and counts nothing, if j has no
// touch or a bad count (see Row). It takes O(len(j.Touches)) time.
func (t *Table) Add(j Row) error {
	if err := checkRow(&j); err != nil {
		return fmt.Errorf("attribution: %w", err)
	}
	t.init()
	ids := make([]uint32, len(j.Touches))
	for i, s := range j.Touches {
		ids[i] = t.tab.ID(s)
	}
	t.addRoute(ids, j.Conversions, j.Nulls, dd{hi: j.Value})
	return nil
}

// Merge adds the counts of o to t; o is unchanged. Merges are associative
// and commutative: the rows of the merged table do not depend on their
// order, nor on how the customers were split.
//
// It returns an error wrapping ErrIncompatible, and changes nothing, if t
// and o were both counted by CountLog with different options (By,
// GoalSteps, whether a Goal was given, EveryGoal, Lookback, EmptyRoute or
// ConvertingOnly): their rows would not mean the same. A table made by Add
// alone merges with any. Merge takes O(r) time for the r touches of o's
// routes.
//
// Shards must partition the customers, each customer's events all in one
// shard. Tables counted by CountLog keep a sample of their customers (the
// 64 smallest 64-bit hashes of their ids, 64×8 bytes): Merge returns an
// error wrapping ErrSharedCustomers, and changes nothing, when the two
// samples share a hash, a customer counted in both. The detection is
// probabilistic: a customer shared by shards of n and m customers is seen
// with probability about 64/max(n, m) (certainly below 64 customers), so
// shards sharing a share f of their customers are caught with probability
// about 1 − e^(−64f), 99.8 % for f = 10 %.
func (t *Table) Merge(o *Table) error {
	if t.cut.counted && o.cut.counted && t.cut != o.cut {
		return fmt.Errorf("attribution: %w: the tables were counted from logs with different FromLogOptions", ErrIncompatible)
	}
	if err := t.sample.Check("attribution", &o.sample); err != nil {
		return err
	}
	t.sample.Merge(&o.sample)
	if !t.cut.counted {
		t.cut = o.cut
	}
	t.dropped.conv += o.dropped.conv
	t.dropped.nulls += o.dropped.nulls
	t.dropped.value.merge(o.dropped.value)
	if len(o.parts) == 0 {
		return nil
	}
	t.init()
	if t.Len() == 0 {
		t.tab.Adopt(&o.tab)
	}
	trans := t.tab.Translate(&o.tab) // nil when both share their names
	var buf []uint32
	for pi := range o.parts {
		p := &o.parts[pi]
		for k := range p.set.Len() {
			buf = buf[:0]
			route := p.set.Route(k)
			if trans != nil {
				for _, id := range route {
					buf = append(buf, trans[id])
				}
				route = buf
			}
			r := &p.sums[k]
			t.addRoute(route, r.conv, r.nulls, r.value)
		}
	}
	return nil
}

// Len returns the number of distinct routes, the length of Rows, in O(w)
// time for the w workers that counted t.
func (t *Table) Len() int {
	n := 0
	for i := range t.parts {
		n += t.parts[i].set.Len()
	}
	return n
}

// Total returns the conversions, nulls and value of all the routes: what
// the credits of every model of the table add up to (nulls aside). Like
// the table's sums, it does not depend on how the table was split. It
// takes O(r) time for r routes.
func (t *Table) Total() (conversions, nulls, value float64) {
	var c, n, v dd
	for i := range t.parts {
		p := &t.parts[i]
		for k := range p.sums {
			c.add(p.sums[k].conv)
			n.add(p.sums[k].nulls)
			v.merge(p.sums[k].value)
		}
	}
	return c.sum(), n.sum(), v.sum()
}

// Dropped returns the conversions, nulls and value of the journeys
// CountLog left out because they had no touch (see
// FromLogOptions.EmptyRoute). Attribution models never see them.
func (t *Table) Dropped() (conversions, nulls, value float64) {
	return t.dropped.conv, t.dropped.nulls, t.dropped.value.sum()
}

// Rows returns the route table: one Row per distinct route, sorted by
// route (touch by touch in string order, a route before its extensions),
// as every model reads it. All routes share one allocation of strings; the
// caller may keep and change them. t is unchanged.
//
// It takes O(r + t) time for r routes of t touches in all: routes are
// ordered by a radix sort of keys packing their first touches, and only
// routes that share those are compared touch by touch. The rows take 16
// bytes a touch, as strings: for the Markov models, MarkovChain reads the
// counts without them.
func (t *Table) Rows() []Row { return t.rows(false) }

// Journeys is the former name of Rows.
//
// Deprecated: use Rows.
func (t *Table) Journeys() []Journey { return t.Rows() }

// rows is Rows; with release, it drops t's routes once it has read them,
// before it allocates the strings, so that a table no one else holds can
// be collected while the result is built. t is then empty.
func (t *Table) rows(release bool) []Row {
	n := t.Len()
	if n == 0 {
		return []Row{}
	}
	// rank[id] orders ids as their names order; order is its inverse.
	rank := t.tab.Ranks()
	order := make([]uint32, len(rank))
	for id, r := range rank {
		order[r] = uint32(id)
	}

	// Each route becomes a key: its first touches' ranks+1, packed from the
	// top bits down, 0 marking the end; keys compare as the routes do on
	// those touches.
	width := bits.Len(uint(len(t.tab.Names)))
	perKey := 64 / width
	ents := make([]sortEntry, 0, n)
	size, longs, longSize := 0, 0, 0
	for pi := range t.parts {
		set := t.parts[pi].set
		for k := range set.Len() {
			r := set.Route(k)
			size += len(r)
			if len(r) >= perKey {
				longs++
				longSize += len(r)
			}
			var key uint64
			for i := range perKey {
				key <<= width
				if i < len(r) {
					key |= uint64(rank[r[i]] + 1)
				}
			}
			ents = append(ents, sortEntry{key: key, part: uint32(pi), k: uint32(k)})
		}
	}
	ents = radixSort(ents)
	// Equal keys: routes that share their first perKey touches.
	cmpRest := func(a, b sortEntry) int {
		ra := t.parts[a.part].set.Route(int(a.k))[perKey:]
		rb := t.parts[b.part].set.Route(int(b.k))[perKey:]
		for i := range min(len(ra), len(rb)) {
			if x, y := rank[ra[i]], rank[rb[i]]; x != y {
				return int(x) - int(y)
			}
		}
		return len(ra) - len(rb)
	}
	for lo := 0; lo < len(ents); {
		hi := lo + 1
		for hi < len(ents) && ents[hi].key == ents[lo].key {
			hi++
		}
		if hi-lo > 1 {
			slices.SortFunc(ents[lo:hi], cmpRest)
		}
		lo = hi
	}

	// Gather, in sorted order, what the entries point to: the sums, and the
	// routes the keys do not hold whole. Each gather is a tight loop of
	// independent loads, so that their cache misses overlap.
	mask := uint64(1)<<width - 1
	out := make([]Row, n)
	for i, e := range ents {
		r := &t.parts[e.part].sums[e.k]
		out[i] = Row{Conversions: r.conv, Nulls: r.nulls, Value: r.value.sum()}
	}
	long := make([]uint32, 0, longSize) // the long routes, in order
	ends := make([]int, 0, longs)       // where each ends in long
	for _, e := range ents {
		if e.key&mask != 0 {
			long = append(long, t.parts[e.part].set.Route(int(e.k))...)
			ends = append(ends, len(long))
		}
	}

	names := t.tab.Names
	if release {
		t.parts, t.tab = nil, nametab.Table{}
	}
	arena := make([]string, 0, size)
	j, next := 0, 0
	for i, e := range ents {
		lo := len(arena)
		if e.key&mask == 0 {
			// The whole route is in the key.
			for s := 0; s < perKey; s++ {
				d := e.key >> (uint(perKey-1-s) * uint(width)) & mask
				if d == 0 {
					break
				}
				arena = append(arena, names[order[d-1]])
			}
		} else {
			for _, id := range long[next:ends[j]] {
				arena = append(arena, names[id])
			}
			next = ends[j]
			j++
		}
		out[i].Touches = arena[lo:len(arena):len(arena)]
	}
	return out
}

type sortEntry struct {
	key     uint64
	part, k uint32
}

// radixSort sorts entries by key, stably, with a least-significant-digit
// radix sort on 11-bit digits, skipping the digits all keys share. It
// returns the sorted slice, which may be a new one.
func radixSort(a []sortEntry) []sortEntry {
	if len(a) < 256 {
		slices.SortStableFunc(a, func(x, y sortEntry) int {
			switch {
			case x.key < y.key:
				return -1
			case x.key > y.key:
				return 1
			}
			return 0
		})
		return a
	}
	const digitBits = 11
	const passes = (64 + digitBits - 1) / digitBits
	var counts [passes][1 << digitBits]int
	for _, e := range a {
		for p := range passes {
			counts[p][e.key>>(p*digitBits)&(1<<digitBits-1)]++
		}
	}
	b := make([]sortEntry, len(a))
	for p := range passes {
		c := &counts[p]
		if c[a[0].key>>(p*digitBits)&(1<<digitBits-1)] == len(a) {
			continue // every key has this digit
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, e := range a {
			d := e.key >> (p * digitBits) & (1<<digitBits - 1)
			b[c[d]] = e
			c[d]++
		}
		a, b = b, a
	}
	return a
}

// dd is a double-double accumulator: hi + lo holds a sum to about 106
// bits, so that sums of ordinary values are exact and do not depend on
// the order of addition.
type dd struct{ hi, lo float64 }

// add adds x, with Knuth's two-sum for the rounding error of hi + x.
func (a *dd) add(x float64) {
	s := a.hi + x
	bp := s - a.hi
	e := (a.hi - (s - bp)) + (x - bp)
	t := a.lo + e
	a.hi = s + t
	a.lo = t - (a.hi - s)
}

// merge adds b.
func (a *dd) merge(b dd) {
	s := a.hi + b.hi
	bp := s - a.hi
	e := (a.hi - (s - bp)) + (b.hi - bp)
	t := a.lo + b.lo + e
	a.hi = s + t
	a.lo = t - (a.hi - s)
}

// sum returns the sum rounded to a float64.
func (a dd) sum() float64 { return a.hi + a.lo }
