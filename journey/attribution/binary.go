package attribution

import (
	"fmt"
	"slices"
	"strings"
	"time"

	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/wire"
	"github.com/parcours-go/parcours/journey"
)

// MarshalBinary implements encoding.BinaryMarshaler: a compact, canonical
// encoding of the table (equal tables give equal bytes whatever the
// merges that made them), so that tables counted on shards of customers
// can travel and be merged elsewhere. It never fails.
//
// Layout, after the header "pcA" and version 1: how CountLog cut the log
// (counted flag, By, sorted goal steps joined by NUL, goal-function flag,
// EveryGoal, Lookback in nanoseconds, EmptyRoute, ConvertingOnly; all zero
// for a table made by Add), the customer sample (count, then ascending
// hashes as varint deltas), the dropped conversions, nulls and value, the
// touch names as a sorted string table, the number of routes, then each
// route in ascending order, front-coded (prefix shared with the previous
// route, number of further touches, their indexes), and its conversions,
// nulls and value. A number is one varint for a whole number up to 2^53,
// else 8 bytes; a value is two numbers, the high and low halves of its
// double-double sum (the low half is 0, one byte, for ordinary values).
// A format that changes gets a new version; UnmarshalBinary rejects
// others.
//
// A table of r routes of t touches in all takes about t + 4r bytes plus
// its names, and 9 more a route with a value that is not whole.
func (t *Table) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	w.Header(wire.TagTable)
	c := t.cut
	w.Bool(c.counted)
	w.Uvarint(uint64(c.by))
	w.String(c.goalSteps)
	w.Bool(c.goalFunc)
	w.Bool(c.everyGoal)
	w.Varint(int64(c.lookback))
	w.String(c.emptyRoute)
	w.Bool(c.convertingOnly)
	w.Sample(&t.sample)
	w.Float(t.dropped.conv)
	w.Float(t.dropped.nulls)
	w.Float(t.dropped.value.hi)
	w.Float(t.dropped.value.lo)

	used := make([]bool, len(t.tab.Names))
	for i := range t.parts {
		set := t.parts[i].set
		for k := range set.Len() {
			for _, id := range set.Route(k) {
				used[id] = true
			}
		}
	}
	var names []string
	for id, u := range used {
		if u {
			names = append(names, t.tab.Names[id])
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	idx := make([]uint32, len(used))
	for id, u := range used {
		if u {
			i, _ := slices.BinarySearch(names, t.tab.Names[id])
			idx[id] = uint32(i)
		}
	}
	type ent struct {
		route []uint32
		sum   rowSum
	}
	ents := make([]ent, 0, t.Len())
	for i := range t.parts {
		p := &t.parts[i]
		for k := range p.set.Len() {
			in := p.set.Route(k)
			r := make([]uint32, len(in))
			for j, id := range in {
				r[j] = idx[id]
			}
			ents = append(ents, ent{r, p.sums[k]})
		}
	}
	slices.SortFunc(ents, func(a, b ent) int { return slices.Compare(a.route, b.route) })
	out := ents[:0]
	for _, e := range ents {
		if m := len(out) - 1; m >= 0 && slices.Equal(out[m].route, e.route) {
			s := &out[m].sum
			s.conv += e.sum.conv
			s.nulls += e.sum.nulls
			s.value.merge(e.sum.value)
			continue
		}
		out = append(out, e)
	}
	w.Strings(names)
	w.Int(len(out))
	for i, e := range out {
		var prev []uint32
		if i > 0 {
			prev = out[i-1].route
		}
		w.Route(prev, e.route, i == 0)
		w.Float(e.sum.conv)
		w.Float(e.sum.nulls)
		w.Float(e.sum.value.hi)
		w.Float(e.sum.value.lo)
	}
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, reading what
// MarshalBinary writes, strictly: it fails with an error wrapping
// ErrFormat on any other bytes, a version it does not know, trailing
// bytes, unsorted or repeated routes, bad counts (see Row), leaving t
// unchanged. It allocates at most a small multiple of len(data).
func (t *Table) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(wire.TagTable)
	var c cut
	c.counted = r.Bool()
	by := r.Uvarint()
	c.by = journey.By(by)
	c.goalSteps = r.String()
	c.goalFunc = r.Bool()
	c.everyGoal = r.Bool()
	c.lookback = time.Duration(r.Varint())
	c.emptyRoute = r.String()
	c.convertingOnly = r.Bool()
	if r.Err() == nil {
		steps := strings.Split(c.goalSteps, "\x00")
		switch {
		case by > uint64(journey.ByTouchpoint):
			r.Fail("bad by %d", by)
		case !c.counted && c != cut{}:
			r.Fail("cut options without a log")
		case c.lookback < 0:
			r.Fail("negative lookback")
		case c.goalSteps != "" && (!slices.IsSorted(steps) || len(slices.Compact(slices.Clone(steps))) != len(steps)):
			r.Fail("goal steps not sorted and distinct")
		}
	}
	nt := &Table{cut: c}
	nt.sample = r.Sample()
	nt.dropped.conv = r.Float()
	nt.dropped.nulls = r.Float()
	dv := dd{r.Float(), r.Float()}
	nt.dropped.value.merge(dv)
	if r.Err() == nil && (nt.dropped.value != dv || checkCounts(nt.dropped.conv, nt.dropped.nulls, 0) != nil) {
		r.Fail("bad dropped counts")
	}
	names := r.Strings()
	n := r.Len(7)
	var tab nametab.Table
	for _, s := range names {
		tab.ID(s)
	}
	nt.tab = tab
	nt.init()
	used := make([]bool, len(names))
	var arena, prev []uint32
	for i := range n {
		arena, prev = r.Route(arena[:0:0], prev, i == 0, len(names))
		conv, nulls := r.Float(), r.Float()
		v := dd{r.Float(), r.Float()}
		if r.Err() != nil {
			break
		}
		var norm dd
		norm.merge(v)
		if len(prev) == 0 || norm != v || checkCounts(conv, nulls, 0) != nil {
			r.Fail("route %d: empty, or bad counts", i)
			break
		}
		for _, id := range prev {
			used[id] = true
		}
		nt.addRoute(prev, conv, nulls, v)
	}
	if r.Err() == nil {
		r.AllUsed(used)
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("attribution: table: %w", err)
	}
	*t = *nt
	return nil
}
