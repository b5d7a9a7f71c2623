package journey

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/parcours-go/parcours/internal/graphcounts"
	"github.com/parcours-go/parcours/journey/graph"
)

// LearnOptions say how Learn reads paths into states. The zero value
// learns an order-1 graph of steps, collapsing repeats, with every path
// ending in Exit.
type LearnOptions struct {
	// By says what a state is: a step (the zero value), a channel or a
	// touchpoint. Read by channel or touchpoint, events with no channel
	// (touchpoint) are left out of the path.
	By By
	// Order is the Markov order k: a state is the last k steps of a path
	// (see graph.Graph). 0 means 1.
	Order int
	// Goal, if set, marks the goal events: the events of a path before its
	// first goal event are its states, and the path then moves to
	// Conversion; the goal event and the events after it are not states.
	// A path with no goal event ends in Exit. Goal sees every event of
	// the path, those left out by By included. With no Goal every path
	// ends in Exit. Goal is called from several goroutines at once when
	// Workers is not 1.
	Goal func(Event) bool
	// GoalSteps marks as goal events, besides those Goal marks, the
	// events whose step is one of these: the same as a Goal comparing
	// the step, but about ten times faster, since no Event is built.
	//
	// Whatever the goal, an event whose step is Conversion or Exit (the
	// markers a simulated log ends its paths with) ends the path as a
	// goal event does, in Conversion or in Exit.
	GoalSteps []string
	// KeepRepeats keeps consecutive repeats of a state as self-loops. By
	// default a state equal to the one before it is dropped; at order k
	// this compares tuples, so a step repeated fewer than k+1 times in a
	// row still changes the state (a, a, b at order 2 gives "a > a",
	// "a > b"), as ChannelAttribution does.
	KeepRepeats bool
	// Workers is the number of goroutines that count transitions, each
	// over a contiguous share of the customers; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Context, if not nil, cancels the counting: every worker checks it
	// every 4096 customers, and Learn then returns its error.
	Context context.Context
}

// cancelEvery is how many customers a count reads between two looks at
// its context.
const cancelEvery = 4096

func (o LearnOptions) order() int { return max(1, o.Order) }

// Learn learns a journey graph from the paths of a log: each customer's
// path, read as LearnOptions say, walks from Start through its states to
// Conversion or Exit, and each state's transition probabilities are the
// shares of the walks leaving it that went to each next state (maximum
// likelihood). Transition weights are the counts.
//
// At order k, the states of a path x1 … xL are the windows (x1 … xk),
// (x2 … xk+1) … (xL−k+1 … xL); Start moves straight to the first window,
// with no padding, and a path shorter than k is a single state holding the
// whole path, as ChannelAttribution (Altomare and Loris) builds its
// higher-order chains. A path with no state (every event left out, or a
// first event that is the goal) goes from Start straight to its end.
//
// Learn returns the graph of CountTransitions(opt). It fails with an
// error wrapping graph.ErrEmptyGraph on a log with no customer, and with
// opt.Context's error if it is cancelled. It takes O(n)
// time for n events, spread over Workers goroutines, plus O(s log s + m
// log m) to build the graph of s states and m transitions; see
// CountTransitions.
func Learn(l *Log, opt LearnOptions) (*graph.Graph, error) {
	c, err := l.countSyms(opt)
	if err != nil {
		return nil, err
	}
	return c.counts(l, opt.By, opt.KeepRepeats, nil, nil).Graph()
}

// CountTransitions counts the transitions of the log's paths read as opt
// says (its Workers goroutines each count a contiguous share of the
// customers, merged at the end): the mergeable aggregate behind Learn,
// whose Graph is Learn's result.
//
// At order 1 it counts on the log's symbol ids in a dense table when the
// log has at most 1021 names of the kind read, a hash table otherwise; at
// higher orders it interns each path's first tuple in a hash table and
// finds the next ones in a table of tuple × symbol (a hash table beyond
// 2²² entries), one lookup per event. With a Goal it builds each
// customer's events (without allocating, except for properties) and calls
// Goal on them in order until it is met; GoalSteps only looks up each
// event's step id. It takes O(n) time for n events plus O(s + m) to name
// the s states and m transitions, and panics if opt.By is not a By. If
// opt.Context is cancelled, the counts it returns hold what was counted
// and their Graph fails with the context's error.
//
// The counts also record how the log was read (By, Goal set or not,
// GoalSteps) and a sample of its customers, hashing each id once (O(c)
// for c customers), so that graph.Counts.Merge refuses counts read
// otherwise or of shards that share a customer.
func (l *Log) CountTransitions(opt LearnOptions) *graph.Counts {
	c, err := l.countSyms(opt)
	return c.counts(l, opt.By, opt.KeepRepeats, err, func(f graphcounts.Filler) {
		steps := slices.Clone(opt.GoalSteps)
		slices.Sort(steps)
		steps = slices.Compact(steps)
		f.Spec(fmt.Sprintf("by %v, goal %v, goal steps %q", opt.By, opt.Goal != nil, steps))
		for _, id := range l.customers {
			f.Customer(id)
		}
	})
}

// countSyms counts the transitions of the log's paths on symbol ids. It
// returns what it counted and opt.Context's error if it was cancelled.
func (l *Log) countSyms(opt LearnOptions) (*symCounts, error) {
	by := opt.By
	by.valid()
	k := opt.order()
	// ends[step id] says how an event with that step ends its path, if
	// it does: a goal step or the Conversion marker, or the Exit marker.
	var ends []pathEnd
	mark := func(step string, e pathEnd) {
		if id, ok := l.Lookup(ByStep, step); ok {
			if ends == nil {
				ends = make([]pathEnd, l.NumNames(ByStep))
			}
			ends[id] = e
		}
	}
	for _, s := range opt.GoalSteps {
		mark(s, endConversion)
	}
	mark(Conversion, endConversion)
	mark(Exit, endExit)
	parts := shard(l, opt.Workers, func(lo, hi int) *symCounts {
		c := newSymCounts(l.NumNames(by), k, opt.KeepRepeats)
		if opt.Context == nil {
			c.count(l, by, opt.Goal, ends, lo, hi)
			return c
		}
		for a := lo; a < hi && opt.Context.Err() == nil; a += cancelEvery {
			c.count(l, by, opt.Goal, ends, a, min(a+cancelEvery, hi))
		}
		return c
	})
	total := parts[0]
	for _, p := range parts[1:] {
		total.merge(p)
	}
	if opt.Context != nil {
		return total, opt.Context.Err()
	}
	return total, nil
}

// symCounts counts transitions over a log's symbol ids. Local state ids:
// at order 1, symbol s is state s, and Start, Conversion and Exit are S,
// S+1 and S+2 for S symbols; at higher orders states are interned tuples
// of ids, Start, Conversion and Exit being the first three.
type symCounts struct {
	syms, k int
	keep    bool
	// Order 1 with few symbols: a dense (S+3)² table.
	dense []int64
	// Otherwise: transitions by from<<32 | to.
	edges map[uint64]int64
	// Order > 1: tuples, and the transitions from a tuple to the tuple
	// shifted by one symbol, by from<<32 | symbol, so that each event
	// costs one lookup.
	tuples  map[string]int32 // key (4 bytes per id) -> state
	keys    []string         // state -> key
	shiftTo []int32          // shift transition -> its target
	shiftN  []int64          // shift transition -> count
	// The shift transition from state t by symbol s is at
	// table[t·S+s] (-1 if none yet) for the first tableRows states, in
	// shift[t<<32 | s] for the others.
	table     []int32
	tableRows int
	shift     map[uint64]int32
}

// maxShiftTable caps the dense table of shift transitions, in entries
// (16 MiB); states beyond it use a hash map.
const maxShiftTable = 1 << 22

// denseTransitions is the largest number of states (symbols plus the three
// special states) counted in a dense table: 8 MiB of counters.
const denseTransitions = 1024

func newSymCounts(syms, k int, keep bool) *symCounts {
	c := &symCounts{syms: syms, k: k, keep: keep}
	if k == 1 && syms+3 <= denseTransitions {
		c.dense = make([]int64, (syms+3)*(syms+3))
		return c
	}
	c.edges = make(map[uint64]int64)
	if k > 1 {
		c.tuples = make(map[string]int32)
		c.shift = make(map[uint64]int32)
		for _, s := range []string{"s", "c", "e"} { // Start, Conversion, Exit: not multiples of 4 bytes
			c.tuple([]byte(s)) // rows in the table too, never used, to keep ids and rows aligned
		}
	}
	return c
}

// special returns the local ids of Start, Conversion and Exit.
func (c *symCounts) special() (start, conv, exit int32) {
	if c.k == 1 {
		s := int32(c.syms)
		return s, s + 1, s + 2
	}
	return 0, 1, 2
}

func (c *symCounts) add(from, to int32, n int64) {
	if c.dense != nil {
		c.dense[int(from)*(c.syms+3)+int(to)] += n
		return
	}
	c.edges[uint64(from)<<32|uint64(to)] += n
}

// tuple returns the state of the tuple whose key is key, interning it.
func (c *symCounts) tuple(key []byte) int32 {
	if id, ok := c.tuples[string(key)]; ok {
		return id
	}
	id := int32(len(c.keys))
	c.keys = append(c.keys, string(key))
	c.tuples[c.keys[id]] = id
	if c.tableRows == int(id) && len(c.table)+c.syms <= maxShiftTable {
		for range c.syms {
			c.table = append(c.table, -1)
		}
		c.tableRows++
	}
	return id
}

// shiftOf returns the shift transition from state cur by symbol s,
// creating it if new.
func (c *symCounts) shiftOf(cur int32, s uint32, key []byte) ([]byte, int32) {
	var slot *int32
	if int(cur) < c.tableRows {
		slot = &c.table[int(cur)*c.syms+int(s)]
		if *slot >= 0 {
			return key, *slot
		}
	} else if e, ok := c.shift[uint64(cur)<<32|uint64(s)]; ok {
		return key, e
	}
	key = append(key[:0], c.keys[cur][4:]...)
	key = binary.LittleEndian.AppendUint32(key, s)
	next := c.tuple(key)
	e := int32(len(c.shiftTo))
	c.shiftTo = append(c.shiftTo, next)
	c.shiftN = append(c.shiftN, 0)
	if slot != nil {
		c.table[int(cur)*c.syms+int(s)] = e // c.table may have grown: index again
	} else {
		c.shift[uint64(cur)<<32|uint64(s)] = e
	}
	return key, e
}

// shifts calls f with the source, target and count of every shift
// transition counted.
func (c *symCounts) shifts(f func(from, to int32, n int64)) {
	for t := range c.tableRows {
		for _, e := range c.table[t*c.syms : (t+1)*c.syms] {
			if e >= 0 && c.shiftN[e] > 0 {
				f(int32(t), c.shiftTo[e], c.shiftN[e])
			}
		}
	}
	for sk, e := range c.shift {
		if c.shiftN[e] > 0 {
			f(int32(sk>>32), c.shiftTo[e], c.shiftN[e])
		}
	}
}

// pathEnd says whether an event ends its path, and where the path goes.
type pathEnd uint8

const (
	endNone pathEnd = iota
	endConversion
	endExit
)

// count counts the paths of customers [lo, hi). ends, if not nil, gives
// the events that end a path by their step id.
func (c *symCounts) count(l *Log, by By, goal func(Event) bool, ends []pathEnd, lo, hi int) {
	syms := l.syms[by]
	steps := l.syms[ByStep]
	skip, hasSkip := l.emptyID(by)
	start, conv, exit := c.special()
	var path []uint32
	var key []byte
	var evs []Event
	for cust := lo; cust < hi; cust++ {
		a, b := l.Span(cust)
		end := exit
		if goal != nil || ends != nil {
			if goal != nil {
				evs = l.events(evs[:0], cust, a, b)
			}
			for i := a; i < b; i++ {
				if ends != nil && ends[steps[i]] != endNone {
					if ends[steps[i]] == endConversion {
						end = conv
					}
					b = i
					break
				}
				if goal != nil && goal(evs[i-a]) {
					end, b = conv, i
					break
				}
			}
		}
		if c.dense != nil {
			// The hot loop: states are symbol ids.
			w := c.syms + 3
			prev := start
			for _, s := range syms[a:b] {
				if hasSkip && s == skip || !c.keep && int32(s) == prev {
					continue
				}
				c.dense[int(prev)*w+int(s)]++
				prev = int32(s)
			}
			c.dense[int(prev)*w+int(end)]++
			continue
		}
		path = path[:0]
		for _, s := range syms[a:b] {
			if !(hasSkip && s == skip) {
				path = append(path, s)
			}
		}
		prev := start
		switch {
		case c.k == 1:
			for _, s := range path {
				if !c.keep && int32(s) == prev {
					continue
				}
				c.add(prev, int32(s), 1)
				prev = int32(s)
			}
		case len(path) > 0:
			// The first window, or the whole path if shorter than k.
			key = key[:0]
			for _, s := range path[:min(c.k, len(path))] {
				key = binary.LittleEndian.AppendUint32(key, s)
			}
			cur := c.tuple(key)
			c.add(start, cur, 1)
			for _, s := range path[min(c.k, len(path)):] {
				var e int32
				key, e = c.shiftOf(cur, s, key)
				next := c.shiftTo[e]
				if !c.keep && next == cur { // a window equal to the one before
					continue
				}
				c.shiftN[e]++
				cur = next
			}
			prev = cur
		}
		c.add(prev, end, 1)
	}
}

// merge adds the counts of o, a shard of the same log, to c.
func (c *symCounts) merge(o *symCounts) {
	if c.dense != nil {
		for i, n := range o.dense {
			c.dense[i] += n
		}
		return
	}
	id := func(local int32) int32 { return local }
	if c.k > 1 {
		ids := make([]int32, len(o.keys))
		for i, key := range o.keys {
			ids[i] = c.tuple([]byte(key))
		}
		id = func(local int32) int32 { return ids[local] }
	}
	for k, n := range o.edges {
		c.add(id(int32(k>>32)), id(int32(uint32(k))), n)
	}
	o.shifts(func(from, to int32, n int64) { c.add(id(from), id(to), n) })
}

// counts names the states and returns the counts: each distinct state is
// named once, each transition added once. A non-nil failure is recorded
// in the counts, for their Graph to report.
func (c *symCounts) counts(l *Log, by By, keep bool, failure error, tag func(graphcounts.Filler)) *graph.Counts {
	v, t := graphcounts.New(c.k, keep)
	if tag != nil {
		tag(t)
	}
	if failure != nil {
		t.Fail(failure)
	}
	start, conv, exit := c.special()
	names := l.dicts[by].names
	state := make(map[int32]int32) // local -> t's state
	var parts []string
	stateOf := func(local int32) int32 {
		if id, ok := state[local]; ok {
			return id
		}
		var id int32
		switch local {
		case start:
			id = t.End(Start)
		case conv:
			id = t.End(Conversion)
		case exit:
			id = t.End(Exit)
		default:
			parts = parts[:0]
			if c.k == 1 {
				parts = append(parts, names[local])
			} else {
				k := c.keys[local]
				for i := 0; i < len(k); i += 4 {
					parts = append(parts, names[binary.LittleEndian.Uint32([]byte(k[i:i+4]))])
				}
			}
			id = t.Tuple(parts)
		}
		state[local] = id
		return id
	}
	c.edges64(func(from, to int32, n int64) { t.Add(stateOf(from), stateOf(to), float64(n)) })
	return v.(*graph.Counts)
}

// edges64 calls f with every transition counted, in a fixed order (so
// that the states are numbered alike whatever the map iteration order).
func (c *symCounts) edges64(f func(from, to int32, n int64)) {
	if c.dense != nil {
		w := c.syms + 3
		for i, n := range c.dense {
			if n > 0 {
				f(int32(i/w), int32(i%w), n)
			}
		}
		return
	}
	type edge struct {
		from, to int32
		n        int64
	}
	all := make([]edge, 0, len(c.edges)+len(c.shiftTo))
	for k, n := range c.edges {
		all = append(all, edge{int32(k >> 32), int32(uint32(k)), n})
	}
	c.shifts(func(from, to int32, n int64) { all = append(all, edge{from, to, n}) })
	slices.SortFunc(all, func(a, b edge) int {
		if a.from != b.from {
			return int(a.from - b.from)
		}
		return int(a.to - b.to)
	})
	for _, e := range all {
		f(e.from, e.to, e.n)
	}
}
