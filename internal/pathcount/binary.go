package pathcount

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/wire"
)

// The bodies of the binary encodings; package paths writes the header,
// the options and the customer sample around them. Each body writes the
// names it uses as a sorted table and refers to them by index, so that
// equal counts encode to equal bytes whatever their ids.

// usedNames returns the sorted distinct names of the ids used and, for
// each id of tab, its index among them (only meaningful for used ids).
func usedNames(tab *nametab.Table, used []bool) ([]string, []uint32) {
	var names []string
	for id, u := range used {
		if u {
			names = append(names, tab.Names[id])
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	idx := make([]uint32, len(used))
	for id, u := range used {
		if u {
			i, _ := slices.BinarySearch(names, tab.Names[id])
			idx[id] = uint32(i)
		}
	}
	return names, idx
}

// ownTable returns a table owning names, whose ids are their indexes
// (names are distinct).
func ownTable(names []string) nametab.Table {
	var t nametab.Table
	for _, s := range names {
		t.ID(s)
	}
	return t
}

// routeEntry is a route in name indexes with what it carries.
type routeEntry[T any] struct {
	route []uint32
	x     T
}

// sortedRoutes maps every route of parts to name indexes, sorts them and
// merges equal ones with join.
func sortedRoutes[T any](tab *nametab.Table, n int, each func(yield func(route []uint32, x T)), join func(a, b T) T) ([]string, []routeEntry[T]) {
	used := make([]bool, len(tab.Names))
	each(func(route []uint32, _ T) {
		for _, id := range route {
			used[id] = true
		}
	})
	names, idx := usedNames(tab, used)
	ents := make([]routeEntry[T], 0, n)
	size := 0
	each(func(route []uint32, _ T) { size += len(route) })
	arena := make([]uint32, 0, size) // every route, in one allocation
	each(func(route []uint32, x T) {
		lo := len(arena)
		for _, id := range route {
			arena = append(arena, idx[id])
		}
		ents = append(ents, routeEntry[T]{arena[lo:len(arena):len(arena)], x})
	})
	sortRoutes(ents, len(names))
	out := ents[:0]
	for _, e := range ents {
		if m := len(out) - 1; m >= 0 && slices.Equal(out[m].route, e.route) {
			out[m].x = join(out[m].x, e.x)
			continue
		}
		out = append(out, e)
	}
	return names, out
}

// sortRoutes sorts routes of indexes below n as slices.Compare orders
// them. Each route gets a key packing its first indexes (+1, 0 marking the
// end) from the top bits down, so most comparisons are of two integers;
// routes whose keys tie are compared in full.
func sortRoutes[T any](ents []routeEntry[T], n int) {
	width := bits.Len(uint(n))
	per := 64 / max(width, 1)
	type keyed struct {
		key uint64
		i   int32
	}
	ks := make([]keyed, len(ents))
	for i, e := range ents {
		var key uint64
		for j := range per {
			key <<= width
			if j < len(e.route) {
				key |= uint64(e.route[j]) + 1
			}
		}
		ks[i] = keyed{key, int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return slices.Compare(ents[a.i].route, ents[b.i].route)
	})
	sorted := make([]routeEntry[T], len(ents))
	for i, k := range ks {
		sorted[i] = ents[k.i]
	}
	copy(ents, sorted)
}

// Encode writes the routes and counts: the names, the number of routes,
// then each route (wire.Writer.Route, in ascending order) and its count.
func (v *VariantCounts) Encode(w *wire.Writer) {
	names, ents := sortedRoutes(&v.tab, v.Len(), func(yield func([]uint32, int)) {
		for _, p := range v.parts {
			for k := range p.tab.Len() {
				yield(p.tab.Route(k), p.count[k])
			}
		}
	}, func(a, b int) int { return a + b })
	w.Strings(names)
	w.Int(len(ents))
	for i, e := range ents {
		var prev []uint32
		if i > 0 {
			prev = ents[i-1].route
		}
		w.Route(prev, e.route, i == 0)
		w.Int(e.x)
	}
}

// DecodeVariants reads what Encode writes.
func DecodeVariants(r *wire.Reader) *VariantCounts {
	names := r.Strings()
	n := r.Len(3)
	v := &VariantCounts{tab: ownTable(names)}
	v.init()
	used := make([]bool, len(names))
	var arena, prev []uint32
	for i := range n {
		arena, prev = r.Route(arena[:0:0], prev, i == 0, len(names))
		c := r.Int()
		if r.Err() != nil {
			return nil
		}
		if c == 0 {
			r.Fail("route with no customer")
			return nil
		}
		v.add(prev, c)
		markUsed(used, prev)
	}
	if r.AllUsed(used); r.Err() != nil {
		return nil
	}
	return v
}

func markUsed(used []bool, route []uint32) {
	for _, id := range route {
		used[id] = true
	}
}

// goalRecs are the customers of one route: durations of those who did not
// convert, then of those who did.
type goalRecs struct{ null, conv []time.Duration }

// Encode writes the routes and their customers: the names, the number of
// routes, then each route (ascending), the numbers of its customers who
// did not and did convert, and their durations, each group sorted, the
// first zigzag-encoded and the others as increments.
func (v *GoalVariantCounts) Encode(w *wire.Writer) {
	byPart := make([][]goalRecs, len(v.parts))
	for i, p := range v.parts {
		recs := make([]goalRecs, p.tab.Len())
		for _, rec := range p.recs {
			g := &recs[rec.route]
			if rec.conv {
				g.conv = append(g.conv, rec.d)
			} else {
				g.null = append(g.null, rec.d)
			}
		}
		byPart[i] = recs
	}
	names, ents := sortedRoutes(&v.tab, v.Len(), func(yield func([]uint32, *goalRecs)) {
		for i, p := range v.parts {
			for k := range p.tab.Len() {
				yield(p.tab.Route(k), &byPart[i][k])
			}
		}
	}, func(a, b *goalRecs) *goalRecs {
		a.null = append(a.null, b.null...)
		a.conv = append(a.conv, b.conv...)
		return a
	})
	w.Strings(names)
	w.Int(len(ents))
	durs := func(d []time.Duration) {
		slices.Sort(d)
		w.Int(len(d))
		for i, x := range d {
			if i == 0 {
				w.Varint(int64(x))
			} else {
				w.Uvarint(uint64(x - d[i-1]))
			}
		}
	}
	for i, e := range ents {
		var prev []uint32
		if i > 0 {
			prev = ents[i-1].route
		}
		w.Route(prev, e.route, i == 0)
		durs(e.x.null)
		durs(e.x.conv)
	}
}

// DecodeGoalVariants reads what Encode writes.
func DecodeGoalVariants(r *wire.Reader) *GoalVariantCounts {
	names := r.Strings()
	n := r.Len(4)
	v := &GoalVariantCounts{tab: ownTable(names)}
	v.init()
	used := make([]bool, len(names))
	var arena, prev []uint32
	durs := func(p *goalPart, k uint32, conv bool) int {
		m := r.Len(1)
		var last time.Duration
		for i := range m {
			var d time.Duration
			if i == 0 {
				d = time.Duration(r.Varint())
			} else {
				inc := r.Uvarint()
				if inc > uint64(math.MaxInt64)-uint64(last) {
					r.Fail("duration overflows")
				}
				d = last + time.Duration(inc)
			}
			if r.Err() != nil {
				return 0
			}
			p.recs = append(p.recs, goalRec{k, conv, d})
			last = d
		}
		return m
	}
	for i := range n {
		arena, prev = r.Route(arena[:0:0], prev, i == 0, len(names))
		if r.Err() != nil {
			return nil
		}
		markUsed(used, prev)
		pi, k := v.intern(prev)
		p := &v.parts[pi]
		if durs(p, k, false)+durs(p, k, true) == 0 && r.Err() == nil {
			r.Fail("route with no customer")
		}
		if r.Err() != nil {
			return nil
		}
	}
	if r.AllUsed(used); r.Err() != nil {
		return nil
	}
	return v
}

// Encode writes the pairs: the names, the number of pairs, then each pair
// sorted by from, then to: the increment of from, to (its increment
// beyond the previous to, minus one, when from repeats), and the count.
func (f *FollowCounts) Encode(w *wire.Writer) {
	var names []string
	for k := range f.pairs {
		names = append(names, k[0], k[1])
	}
	slices.Sort(names)
	names = slices.Compact(names)
	idx := func(s string) uint32 {
		i, _ := slices.BinarySearch(names, s)
		return uint32(i)
	}
	type pair struct {
		a, b uint32
		n    int
	}
	ps := make([]pair, 0, len(f.pairs))
	for k, n := range f.pairs {
		ps = append(ps, pair{idx(k[0]), idx(k[1]), n})
	}
	slices.SortFunc(ps, func(x, y pair) int {
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	w.Strings(names)
	w.Int(len(ps))
	var pa, pb uint32
	for i, p := range ps {
		switch {
		case i == 0:
			w.Uvarint(uint64(p.a))
			w.Uvarint(uint64(p.b))
		case p.a == pa:
			w.Uvarint(0)
			w.Uvarint(uint64(p.b - pb - 1))
		default:
			w.Uvarint(uint64(p.a - pa))
			w.Uvarint(uint64(p.b))
		}
		w.Int(p.n)
		pa, pb = p.a, p.b
	}
}

// DecodeFollows reads what Encode writes.
func DecodeFollows(r *wire.Reader) *FollowCounts {
	names := r.Strings()
	n := r.Len(3)
	if r.Err() != nil {
		return nil
	}
	f := &FollowCounts{pairs: make(map[[2]string]int, n)}
	used := make([]bool, len(names))
	var pa, pb uint64
	k := uint64(len(names))
	for i := range n {
		da, db := r.Uvarint(), r.Uvarint()
		var a, b uint64
		switch {
		case i == 0:
			a, b = da, db
		case da == 0:
			a, b = pa, pb+1+db
		default:
			a, b = pa+da, db
		}
		c := r.Int()
		if r.Err() != nil {
			return nil
		}
		if da >= k || db >= k || a >= k || b >= k {
			r.Fail("pair (%d, %d) out of range or order", a, b)
			return nil
		}
		if c == 0 {
			r.Fail("pair with a zero count")
			return nil
		}
		f.pairs[[2]string{names[a], names[b]}] = c
		used[a], used[b] = true, true
		pa, pb = a, b
	}
	if r.AllUsed(used); r.Err() != nil {
		return nil
	}
	return f
}

// Encode writes the counts: the customers, the looping customers, the
// names with a non-zero count, then for each its visits, customers,
// repeaters, self-loops and returns.
func (c *LoopCounts) Encode(w *wire.Writer) {
	type ent struct {
		name string
		s    loopStat
	}
	var ents []ent
	for id, s := range c.stats {
		if s != (loopStat{}) {
			ents = append(ents, ent{c.tab.Names[id], s})
		}
	}
	slices.SortFunc(ents, func(a, b ent) int { return cmp.Compare(a.name, b.name) })
	out := ents[:0]
	for _, e := range ents {
		if m := len(out) - 1; m >= 0 && out[m].name == e.name {
			out[m].s.add(&e.s, 1)
			continue
		}
		out = append(out, e)
	}
	w.Int(c.customers)
	w.Int(c.looping)
	names := make([]string, len(out))
	for i, e := range out {
		names[i] = e.name
	}
	w.Strings(names)
	for _, e := range out {
		w.Int(e.s.visits)
		w.Int(e.s.customers)
		w.Int(e.s.repeaters)
		w.Int(e.s.self)
		w.Int(e.s.returns)
	}
}

// DecodeLoops reads what Encode writes.
func DecodeLoops(r *wire.Reader) *LoopCounts {
	c := &LoopCounts{customers: r.Int(), looping: r.Int()}
	names := r.Strings()
	if r.Err() != nil {
		return nil
	}
	if r.Left() < 5*len(names) {
		r.Fail("%d names cannot fit in %d bytes", len(names), r.Left())
		return nil
	}
	c.tab = ownTable(names)
	c.stats = make([]loopStat, len(names))
	for i := range c.stats {
		s := &c.stats[i]
		*s = loopStat{r.Int(), r.Int(), r.Int(), r.Int(), r.Int()}
		if r.Err() == nil && *s == (loopStat{}) {
			r.Fail("name %q with no count", names[i])
		}
	}
	if r.Err() != nil {
		return nil
	}
	return c
}

// flowCode maps a node code to its encoding: 0, 1, 2 for end, start and
// other, 3 + the name's index for a name.
func flowCode(code uint32, idx []uint32) uint64 {
	switch code {
	case codeEnd:
		return 0
	case codeStart:
		return 1
	case codeOther:
		return 2
	}
	return 3 + uint64(idx[code])
}

// Encode writes the counts: whether they have options (the zero value has
// none, and nothing else is written), the options (By, Anchor, Backward,
// Depth), the customers, the reach, the names of the links, then the
// links sorted by level, near node, far node: the level's increment, the
// two node codes (0 end, 1 start, 2 other, 3 + name index) and the count.
func (f *FlowCounts) Encode(w *wire.Writer) {
	w.Bool(f.set)
	if !f.set {
		return // nothing counted: Add and Merge set the options first
	}
	w.Uvarint(uint64(f.opt.By))
	w.String(f.opt.Anchor)
	w.Bool(f.opt.Backward)
	w.Int(f.opt.depth())
	w.Int(f.customers)
	w.Int(f.reach)
	used := make([]bool, len(f.tab.Names))
	for k := range f.links {
		for _, c := range [2]uint32{k.near, k.far} {
			if c < codeOther {
				used[c] = true
			}
		}
	}
	names, idx := usedNames(&f.tab, used)
	type link struct {
		j, near, far uint64
		n            int
	}
	ls := make([]link, 0, len(f.links))
	for k, n := range f.links {
		ls = append(ls, link{uint64(k.j), flowCode(k.near, idx), flowCode(k.far, idx), n})
	}
	slices.SortFunc(ls, func(a, b link) int {
		if c := cmp.Compare(a.j, b.j); c != 0 {
			return c
		}
		if c := cmp.Compare(a.near, b.near); c != 0 {
			return c
		}
		return cmp.Compare(a.far, b.far)
	})
	out := ls[:0]
	for _, l := range ls {
		if m := len(out) - 1; m >= 0 && out[m].j == l.j && out[m].near == l.near && out[m].far == l.far {
			out[m].n += l.n
			continue
		}
		out = append(out, l)
	}
	w.Strings(names)
	w.Int(len(out))
	prev := uint64(0)
	for _, l := range out {
		w.Uvarint(l.j - prev)
		w.Uvarint(l.near)
		w.Uvarint(l.far)
		w.Int(l.n)
		prev = l.j
	}
}

// DecodeFlows reads what Encode writes.
func DecodeFlows(r *wire.Reader) *FlowCounts {
	if !r.Bool() {
		return &FlowCounts{}
	}
	var opt FlowOptions
	by := r.Uvarint()
	if by > 255 {
		r.Fail("bad by %d", by)
	}
	opt.By = uint8(by)
	opt.Anchor = r.String()
	opt.Backward = r.Bool()
	opt.Depth = r.Int()
	if r.Err() == nil && opt.Depth == 0 {
		r.Fail("flow of depth 0")
	}
	f := NewFlowCounts(opt)
	f.customers = r.Int()
	f.reach = r.Int()
	if r.Err() == nil && f.reach > opt.Depth {
		r.Fail("reach %d beyond depth %d", f.reach, opt.Depth)
	}
	names := r.Strings()
	n := r.Len(4)
	if r.Err() != nil {
		return nil
	}
	f.tab = ownTable(names)
	used := make([]bool, len(names))
	decode := func(x uint64) uint32 {
		switch {
		case x == 0:
			return codeEnd
		case x == 1:
			return codeStart
		case x == 2:
			return codeOther
		case x-3 < uint64(len(names)):
			used[x-3] = true
			return uint32(x - 3)
		}
		r.Fail("node code %d out of range", x)
		return 0
	}
	var pj, pn, pf uint64
	for i := range n {
		dj, near, far := r.Uvarint(), r.Uvarint(), r.Uvarint()
		c := r.Int()
		j := pj + dj
		if r.Err() == nil && (dj >= uint64(opt.Depth) || j >= uint64(opt.Depth) || c == 0 ||
			i > 0 && dj == 0 && (near < pn || near == pn && far <= pf)) {
			r.Fail("link %d out of range or order", i)
		}
		key := flowKey{uint32(j), decode(near), decode(far)}
		if r.Err() != nil {
			return nil
		}
		f.links[key] = c
		pj, pn, pf = j, near, far
	}
	if r.AllUsed(used); r.Err() != nil {
		return nil
	}
	return f
}
