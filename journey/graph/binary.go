package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/parcours-go/parcours/internal/wire"
)

// MarshalBinary implements encoding.BinaryMarshaler: a compact, canonical
// encoding of the counts (equal counts give equal bytes whatever the
// merges that made them), so that counts made on shards of customers can
// travel and be merged elsewhere. It never fails.
//
// Layout, after the header "pcT" and version 1: the Order as set (0 means 1),
// KeepRepeats, how a log was read ("" for counts made by AddPath), the
// customer sample (count, then ascending hashes as varint deltas), the
// names of the states' parts as a sorted string table, the end states
// (Start, Conversion, Exit …) as sorted name indexes, the tuple states
// sorted and front-coded (prefix shared with the previous tuple, further
// parts), then the transitions sorted by from, then to (states numbered
// ends first, then tuples): the increment of from, to (its increment
// beyond the previous to, minus one, when from repeats) and the count (a
// whole count up to 2^53 as one varint, another as 8 bytes), and last the
// problems recorded by AddPath: their number, then the kept ones, sorted,
// each as a kind and a message. Counts are unsigned varints. A format that
// changes gets a new version; UnmarshalBinary rejects others.
//
// Its size is about one byte per part of each state plus 3 to 5 bytes per
// transition: an order-1 graph of 50 steps with 1,000 transitions takes
// about 5 KB, whatever the number of customers.
func (t *Counts) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	w.Header(wire.TagCounts)
	w.Int(max(0, t.Order))
	w.Bool(t.KeepRepeats)
	w.String(t.spec)
	w.Sample(&t.sample)

	// The names, then the canonical numbering of the states.
	var names []string
	for _, s := range t.states {
		if s.parts == nil {
			names = append(names, s.name)
		} else {
			names = append(names, s.parts...)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	idx := func(s string) uint32 {
		i, _ := slices.BinarySearch(names, s)
		return uint32(i)
	}
	type state struct {
		old   int32
		end   bool
		parts []uint32
	}
	states := make([]state, len(t.states))
	for i, s := range t.states {
		st := state{old: int32(i), end: s.parts == nil}
		if st.end {
			st.parts = []uint32{idx(s.name)}
		} else {
			for _, p := range s.parts {
				st.parts = append(st.parts, idx(p))
			}
		}
		states[i] = st
	}
	slices.SortFunc(states, func(a, b state) int {
		if a.end != b.end {
			if a.end {
				return -1
			}
			return 1
		}
		return slices.Compare(a.parts, b.parts)
	})
	ends := 0
	for ends < len(states) && states[ends].end {
		ends++
	}
	renum := make([]uint32, len(states))
	for i, s := range states {
		renum[s.old] = uint32(i)
	}
	w.Strings(names)
	w.Int(ends)
	for _, s := range states[:ends] {
		w.Uvarint(uint64(s.parts[0]))
	}
	w.Int(len(states) - ends)
	for i, s := range states[ends:] {
		var prev []uint32
		if i > 0 {
			prev = states[ends+i-1].parts
		}
		w.Route(prev, s.parts, i == 0)
	}

	type edge struct {
		from, to uint32
		n        float64
	}
	edges := make([]edge, 0, len(t.edges))
	for k, n := range t.edges {
		edges = append(edges, edge{renum[k>>32], renum[uint32(k)], n})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.from, b.from); c != 0 {
			return c
		}
		return cmp.Compare(a.to, b.to)
	})
	w.Int(len(edges))
	var pf, pt uint32
	for i, e := range edges {
		switch {
		case i == 0:
			w.Uvarint(uint64(e.from))
			w.Uvarint(uint64(e.to))
		case e.from == pf:
			w.Uvarint(0)
			w.Uvarint(uint64(e.to - pt - 1))
		default:
			w.Uvarint(uint64(e.from - pf))
			w.Uvarint(uint64(e.to))
		}
		w.Float(e.n)
		pf, pt = e.from, e.to
	}

	w.Int(t.bad.n)
	kept := make([]wireProblem, len(t.bad.kept))
	for i, err := range t.bad.kept {
		kept[i] = wireProblem{kindOf(err), err.Error()}
	}
	slices.SortFunc(kept, func(a, b wireProblem) int {
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		return cmp.Compare(a.msg, b.msg)
	})
	w.Int(len(kept))
	for _, p := range kept {
		w.Uvarint(uint64(p.kind))
		w.String(p.msg)
	}
	return w.B, nil
}

// A problem travels as its message and the sentinel it wraps, so that
// errors.Is still finds ErrBadWeight, ErrEndState or a context's error in
// the decoded counts' Graph error.
type wireProblem struct {
	kind uint8
	msg  string
}

var problemKinds = []error{nil, ErrBadWeight, ErrEndState, context.Canceled, context.DeadlineExceeded}

func kindOf(err error) uint8 {
	for k, target := range problemKinds[1:] {
		if errors.Is(err, target) {
			return uint8(k + 1)
		}
	}
	return 0
}

// decodedProblem is a problem read back: its message, wrapping its kind.
type decodedProblem struct {
	msg string
	is  error
}

func (e *decodedProblem) Error() string { return e.msg }
func (e *decodedProblem) Unwrap() error { return e.is }

// UnmarshalBinary implements encoding.BinaryUnmarshaler, reading what
// MarshalBinary writes, strictly: it fails with an error wrapping
// ErrFormat (of package graph's callers: errors.Is(err, ErrFormat)) on any
// other bytes, a version it does not know, trailing bytes, unsorted or
// repeated states or transitions, leaving t unchanged. It allocates at
// most a small multiple of len(data).
func (t *Counts) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(wire.TagCounts)
	c := &Counts{Order: r.Int(), KeepRepeats: r.Bool()}
	if r.Err() == nil && c.Order > 1<<20 {
		r.Fail("order %d", c.Order)
	}
	c.init()
	c.spec = r.String()
	c.sample = r.Sample()
	names := r.Strings()
	nends := r.Len(1)
	for i := range nends {
		id := r.ID(len(names))
		if r.Err() != nil {
			break
		}
		name := names[id]
		if !reserved(name) || i > 0 && name <= c.states[i-1].name {
			r.Fail("end state %q not in parentheses or not sorted", name)
			break
		}
		c.endState(name)
	}
	ntuples := r.Len(2)
	var arena, prev []uint32
	var key []byte
	parts := make([]string, 0, 8)
	for i := range ntuples {
		arena, prev = r.Route(arena[:0:0], prev, i == 0, len(names))
		if r.Err() == nil && (len(prev) == 0 || len(prev) > max(1, c.Order)) {
			r.Fail("state of %d parts at order %d", len(prev), max(1, c.Order))
		}
		if r.Err() != nil {
			break
		}
		parts = parts[:0]
		for _, id := range prev {
			parts = append(parts, names[id])
		}
		key = appendTupleKey(key[:0], parts)
		c.tupleState(string(key), parts)
	}
	n := uint64(len(c.states))
	nedges := r.Len(3)
	var pf, pt uint64
	for i := range nedges {
		df, dt := r.Uvarint(), r.Uvarint()
		w := r.Float()
		if r.Err() != nil {
			break
		}
		var from, to uint64
		switch {
		case df >= n || dt >= n:
			r.Fail("transition out of range")
		case i == 0:
			from, to = df, dt
		case df == 0:
			from, to = pf, pt+1+dt
		default:
			from, to = pf+df, dt
		}
		if r.Err() == nil && (from >= n || to >= n || !(w > 0)) {
			r.Fail("transition %d out of range, or of count %v", i, w)
		}
		if r.Err() != nil {
			break
		}
		c.addEdge(int32(from), int32(to), w)
		pf, pt = from, to
	}
	c.bad.n = r.Int()
	nkept := r.Len(2)
	if r.Err() == nil && (nkept > maxReported || nkept > c.bad.n) {
		r.Fail("%d problems kept of %d", nkept, c.bad.n)
	}
	var last wireProblem
	for i := 0; i < nkept && r.Err() == nil; i++ {
		k := r.Uvarint()
		msg := r.String()
		if r.Err() != nil {
			break
		}
		p := wireProblem{uint8(k), msg}
		if k >= uint64(len(problemKinds)) || i > 0 && (p.kind < last.kind || p.kind == last.kind && p.msg < last.msg) {
			r.Fail("bad or unsorted problem")
			break
		}
		c.bad.kept = append(c.bad.kept, &decodedProblem{msg, problemKinds[k]})
		last = p
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("graph: counts: %w", err)
	}
	*t = *c
	return nil
}

// ErrFormat is wrapped by the errors of Counts.UnmarshalBinary for bytes
// that are not an encoding of counts, or of a version this package does
// not read.
var ErrFormat = wire.ErrFormat
