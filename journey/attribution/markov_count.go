package attribution

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
)

// chainCounter counts the transitions of an order-k chain from weighted
// routes of touch ids, as journey.Learn reads paths: the states of a route
// are its windows of k consecutive touches (the whole route if shorter),
// Start moving straight to the first one, and a window equal to the one
// before it is skipped unless keep.
//
// State 0 is Start; other states are interned by a key of 4 bytes per
// touch id. The transition from a full window by one more touch (a
// shift) is found in a table of state × touch, or a map beyond
// maxShiftTable entries, so that each touch costs one lookup.
type chainCounter struct {
	k    int
	keep bool
	syms int

	keys   []string // state -> key
	tuples map[string]int32
	single []int32 // touch id -> state of the route of that touch alone, or -1

	// The shift of state t by touch s: for the first tableRows states,
	// the next state at table[t*syms+s] (-1 if not yet known) and the
	// transition's weight at tableW[t*syms+s]; for the others, an index
	// into shiftTo and shiftW, found in the map shift by t<<32 | s.
	table     []int32
	tableW    []float64
	tableRows int
	shift     map[uint64]int32
	shiftTo   []int32
	shiftW    []float64

	first []float64 // state -> weight from Start
	conv  []float64 // state -> weight to conversion
	nulls []float64 // state -> weight to null
	value []dd      // state -> value of the conversions from it

	key []byte
}

// maxShiftTable caps the table of shift transitions, in entries (16 MiB).
const maxShiftTable = 1 << 22

func newChainCounter(k int, keep bool, syms int) *chainCounter {
	c := &chainCounter{
		k: k, keep: keep, syms: syms,
		tuples: make(map[string]int32),
		single: make([]int32, syms),
		shift:  make(map[uint64]int32),
	}
	for i := range c.single {
		c.single[i] = -1
	}
	c.newState("") // Start
	return c
}

func (c *chainCounter) newState(key string) int32 {
	id := int32(len(c.keys))
	c.keys = append(c.keys, key)
	c.first = append(c.first, 0)
	c.conv = append(c.conv, 0)
	c.nulls = append(c.nulls, 0)
	c.value = append(c.value, dd{})
	if c.tableRows == int(id) && len(c.table)+c.syms <= maxShiftTable {
		for range c.syms {
			c.table = append(c.table, -1)
			c.tableW = append(c.tableW, 0)
		}
		c.tableRows++
	}
	return id
}

// tuple returns the state of the window whose key is key, interning it.
func (c *chainCounter) tuple(key []byte) int32 {
	if id, ok := c.tuples[string(key)]; ok {
		return id
	}
	s := string(key)
	id := c.newState(s)
	c.tuples[s] = id
	return id
}

// window returns the state of the window w.
func (c *chainCounter) window(w []uint32) int32 {
	if len(w) == 1 {
		if st := c.single[w[0]]; st >= 0 {
			return st
		}
		c.key = binary.LittleEndian.AppendUint32(c.key[:0], w[0])
		st := c.tuple(c.key)
		c.single[w[0]] = st
		return st
	}
	c.key = c.key[:0]
	for _, id := range w {
		c.key = binary.LittleEndian.AppendUint32(c.key, id)
	}
	return c.tuple(c.key)
}

// shifted returns the state of the full window cur shifted by touch s,
// interning it.
func (c *chainCounter) shifted(cur int32, s uint32) int32 {
	if c.k == 1 {
		return c.window([]uint32{s})
	}
	c.key = append(c.key[:0], c.keys[cur][4:]...)
	c.key = binary.LittleEndian.AppendUint32(c.key, s)
	return c.tuple(c.key)
}

// shiftOf returns the index in shiftTo and shiftW of the shift of cur, a
// state beyond the table, by touch s, creating it if new.
func (c *chainCounter) shiftOf(cur int32, s uint32) int32 {
	if e, ok := c.shift[uint64(cur)<<32|uint64(s)]; ok {
		return e
	}
	next := c.shifted(cur, s)
	e := int32(len(c.shiftTo))
	c.shiftTo = append(c.shiftTo, next)
	c.shiftW = append(c.shiftW, 0)
	c.shift[uint64(cur)<<32|uint64(s)] = e
	return e
}

// add counts a route taken by conv + nulls customers, conv of whom
// converted with value value. Routes without customers add nothing; a
// route must have a touch.
func (c *chainCounter) add(route []uint32, conv, nulls float64, value dd) {
	w := conv + nulls
	if !(w > 0) {
		return
	}
	var cur int32
	if len(route) <= c.k {
		cur = c.window(route)
	} else {
		cur = c.window(route[:c.k])
	}
	c.first[cur] += w
	if len(route) > c.k {
		for _, s := range route[c.k:] {
			var next int32
			var weight *float64
			if int(cur) < c.tableRows {
				slot := int(cur)*c.syms + int(s)
				if next = c.table[slot]; next < 0 {
					next = c.shifted(cur, s) // may grow the table
					c.table[slot] = next
				}
				weight = &c.tableW[slot]
			} else {
				e := c.shiftOf(cur, s)
				next, weight = c.shiftTo[e], &c.shiftW[e]
			}
			if next == cur && !c.keep {
				continue // a window equal to the one before it
			}
			*weight += w
			cur = next
		}
	}
	c.conv[cur] += conv
	c.nulls[cur] += nulls
	c.value[cur].merge(value)
}

// chain numbers the touches used by name and the states by their touches,
// so that the chain does not depend on the order the routes came in, and
// returns it, not yet solved. names gives the touch of each id.
func (c *chainCounter) chain(names []string, opt MarkovOptions) *MarkovChain {
	// The touches of the states, in name order.
	used := make([]bool, c.syms)
	for _, key := range c.keys[1:] {
		for i := 0; i < len(key); i += 4 {
			used[binary.LittleEndian.Uint32([]byte(key[i:]))] = true
		}
	}
	var ids []uint32
	for id, u := range used {
		if u {
			ids = append(ids, uint32(id))
		}
	}
	slices.SortFunc(ids, func(a, b uint32) int {
		if x := strings.Compare(names[a], names[b]); x != 0 {
			return x
		}
		return cmp.Compare(a, b)
	})
	newID := make([]uint32, c.syms)
	m := &MarkovChain{order: c.k, workers: opt.Workers, ctx: orBackground(opt.Context), names: make([]string, len(ids))}
	for i, id := range ids {
		newID[id] = uint32(i)
		m.names[i] = names[id]
	}

	// States in order of their touches, a window before its extensions;
	// Start (no touch) first.
	n := len(c.keys)
	partOff := make([]int32, n+1)
	for s := 1; s < n; s++ {
		partOff[s+1] = partOff[s] + int32(len(c.keys[s])/4)
	}
	parts := make([]uint32, partOff[n])
	for s := 1; s < n; s++ {
		p := parts[partOff[s]:partOff[s+1]]
		for i := range p {
			p[i] = newID[binary.LittleEndian.Uint32([]byte(c.keys[s][4*i:]))]
		}
	}
	order := make([]int32, n) // new index -> old state
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order[1:], func(a, b int32) int {
		return slices.Compare(parts[partOff[a]:partOff[a+1]], parts[partOff[b]:partOff[b+1]])
	})
	rank := make([]int32, n) // old state -> new index
	for i, s := range order {
		rank[s] = int32(i)
	}
	m.partOff = make([]int32, 1, n+1)
	m.parts = make([]uint32, 0, len(parts))
	m.conv = make([]float64, n)
	m.nulls = make([]float64, n)
	m.value = make([]float64, n)
	for i, s := range order {
		m.parts = append(m.parts, parts[partOff[s]:partOff[s+1]]...)
		m.partOff = append(m.partOff, int32(len(m.parts)))
		m.conv[i], m.nulls[i], m.value[i] = c.conv[s], c.nulls[s], c.value[s].sum()
	}

	// Transitions, sorted by source then target.
	type edge struct {
		from, to int32
		w        float64
	}
	var edges []edge
	for s, w := range c.first {
		if w > 0 {
			edges = append(edges, edge{0, rank[s], w})
		}
	}
	for slot, next := range c.table {
		if next >= 0 && c.tableW[slot] > 0 {
			edges = append(edges, edge{rank[slot/c.syms], rank[next], c.tableW[slot]})
		}
	}
	for k, e := range c.shift {
		if c.shiftW[e] > 0 {
			edges = append(edges, edge{rank[k>>32], rank[c.shiftTo[e]], c.shiftW[e]})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.from != b.from {
			return cmp.Compare(a.from, b.from)
		}
		return cmp.Compare(a.to, b.to)
	})
	m.off = make([]int32, n+1)
	m.to = make([]int32, len(edges))
	m.w = make([]float64, len(edges))
	for i, e := range edges {
		m.off[e.from+1]++
		m.to[i], m.w[i] = e.to, e.w
	}
	for i := range n {
		m.off[i+1] += m.off[i]
	}
	return m
}
