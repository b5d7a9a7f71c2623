package graph

import (
	"encoding/binary"
	"fmt"
	"github.com/parcours-go/parcours/internal/wire"
	"math"
	"slices"
	"strconv"
)

// Counts counts the walks of an order-k journey graph, transition by
// transition: the mergeable aggregate behind a learned graph. Paths are
// added with AddPath (journey.Log.CountTransitions counts a whole log);
// counts of disjoint sets of customers merge into exactly the counts of
// the whole, whatever the split; Graph turns them into the maximum
// likelihood Graph. Counts are float64 so that weighted paths (a route
// table's conversions) can be added; integer counts stay exact up to 2⁵³.
//
// The zero value counts order-1 transitions, collapsing repeats; set Order
// and KeepRepeats before the first AddPath. A Counts is not safe for
// concurrent use.
type Counts struct {
	// Order is the Markov order k: a state is the last k steps of a path
	// (see Graph). 0 means 1.
	Order int
	// KeepRepeats keeps consecutive repeats of a state as self-loops. By
	// default a state equal to the one before it is dropped; at order k
	// this compares tuples, so a step repeated fewer than k+1 times in a
	// row still changes the state (a, a, b at order 2 gives "a > a",
	// "a > b").
	KeepRepeats bool

	tuples map[string]int32 // encoded parts -> state
	ends   map[string]int32 // Start and end states -> state
	states []tcState
	edges  map[uint64]float64 // from<<32 | to -> count
	bad    problems
	spec   string      // how a log was read, when counted from one
	sample wire.Sample // of the customers of the log, when counted from one
}

type tcState struct {
	parts []string // nil for Start and ends
	name  string
}

func (t *Counts) init() {
	if t.edges != nil {
		return
	}
	t.tuples = make(map[string]int32)
	t.ends = make(map[string]int32)
	t.edges = make(map[uint64]float64)
}

func (t *Counts) endState(name string) int32 {
	if id, ok := t.ends[name]; ok {
		return id
	}
	id := int32(len(t.states))
	t.states = append(t.states, tcState{name: name})
	t.ends[name] = id
	return id
}

// tupleState returns the state of the tuple whose encoding is key,
// creating it with parts (copied) if new.
func (t *Counts) tupleState(key string, parts []string) int32 {
	if id, ok := t.tuples[key]; ok {
		return id
	}
	id := int32(len(t.states))
	t.states = append(t.states, tcState{parts: slices.Clone(parts), name: TupleName(parts...)})
	t.tuples[key] = id
	return id
}

func (t *Counts) addEdge(from, to int32, n float64) {
	t.edges[uint64(from)<<32|uint64(to)] += n
}

// AddPath counts n walks that go from Start through the states of path
// and end in end: Conversion, Exit, or another name in parentheses such
// as "(signup)". At order k the states of a path x1 … xL are its windows
// (x1 … xk), (x2 … xk+1) … (xL−k+1 … xL), each a state once in a row
// unless KeepRepeats; Start moves straight to the first window, with no
// padding, and a path shorter than k is a single state holding the whole
// path, as ChannelAttribution (Altomare and Loris) builds its
// higher-order chains; an empty path goes from Start straight to end
// (PathStates gives the names of a path's states).
//
// A route table row with c conversions and m non-converting customers is
// AddPath(route, Conversion, c) and AddPath(route, Exit, m). n must be
// finite and not negative; AddPath cannot return an error, so a bad n or
// end is recorded and reported by Graph. It takes O(L·k) time.
func (t *Counts) AddPath(path []string, end string, n float64) {
	t.init()
	switch {
	case !(n >= 0) || math.IsInf(n, 1):
		t.bad.add(fmt.Errorf("path %s: %w: %v is %s", routeString(path), ErrBadWeight, n, badWhy(n)))
		return
	case !reserved(end) || end == Start:
		t.bad.add(fmt.Errorf("path %s: %w: %q is not an end state in parentheses such as %s", routeString(path), ErrEndState, end, Exit))
		return
	case n == 0:
		return
	}
	prev := t.endState(Start)
	var key []byte
	windows(path, max(1, t.Order), t.KeepRepeats, func(w []string) {
		key = appendTupleKey(key[:0], w)
		s := t.tupleState(string(key), w)
		t.addEdge(prev, s, n)
		prev = s
	})
	t.addEdge(prev, t.endState(end), n)
}

// routeString writes a path for an error message.
func routeString(path []string) string {
	if len(path) == 0 {
		return "(empty)"
	}
	return strconv.Quote(TupleName(path...))
}

// appendTupleKey encodes parts, each with its length in front, so that
// distinct tuples get distinct keys.
func appendTupleKey(b []byte, parts []string) []byte {
	for _, p := range parts {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	return b
}

// Merge adds the counts of o to t, problems recorded by AddPath
// included; o is unchanged. Merges are associative and commutative: the
// merged counts do not depend on their order nor on how the customers
// were split, so Graph of the merged counts is Learn's graph of the whole
// log. It takes O(s + m) time for the s states and m transitions of o.
//
// It returns an error wrapping ErrIncompatible, and changes nothing, if
// the two read paths differently: another Order or KeepRepeats, or, for
// counts both made by journey.Log.CountTransitions, another By, Goal (set
// or not: functions cannot be compared) or GoalSteps. Counts made by
// AddPath merge with any of the same order.
//
// The zero value (Order 0, KeepRepeats false, nothing counted) takes the
// Order and KeepRepeats of the first counts merged into it, so that it can
// start a fold, and merges into any counts as nothing.
//
// Shards must partition the customers, each customer's events all in one
// shard. Counts made by CountTransitions keep a sample of their customers
// (the 64 smallest 64-bit hashes of their ids, 64×8 bytes): Merge returns
// an error wrapping ErrSharedCustomers, and changes nothing, when the two
// samples share a hash, a customer counted in both. The detection is
// probabilistic: a customer shared by shards of n and m customers is seen
// with probability about 64/max(n, m) (certainly below 64 customers), so
// shards sharing a share f of their customers are caught with probability
// about 1 − e^(−64f), 99.8 % for f = 10 %.
func (t *Counts) Merge(o *Counts) error {
	if o.Order == 0 && !o.KeepRepeats && o.empty() {
		return nil // the zero value adds nothing
	}
	if t.Order == 0 && !t.KeepRepeats && t.empty() {
		// The zero value takes the options of the first counts merged in.
		t.Order, t.KeepRepeats = o.Order, o.KeepRepeats
	}
	if max(1, t.Order) != max(1, o.Order) || t.KeepRepeats != o.KeepRepeats {
		return fmt.Errorf("graph: %w: cannot merge counts of order %d (keep repeats %v) into counts of order %d (keep repeats %v)",
			ErrIncompatible, max(1, o.Order), o.KeepRepeats, max(1, t.Order), t.KeepRepeats)
	}
	if t.spec != "" && o.spec != "" && t.spec != o.spec {
		return fmt.Errorf("graph: %w: counts read as %s and as %s", ErrIncompatible, o.spec, t.spec)
	}
	if err := t.sample.Check("graph", &o.sample); err != nil {
		return err
	}
	if t.spec == "" {
		t.spec = o.spec
	}
	t.sample.Merge(&o.sample)
	t.init()
	ids := make([]int32, len(o.states))
	var key []byte
	for i, s := range o.states {
		if s.parts == nil {
			ids[i] = t.endState(s.name)
		} else {
			key = appendTupleKey(key[:0], s.parts)
			ids[i] = t.tupleState(string(key), s.parts)
		}
	}
	for k, n := range o.edges {
		t.addEdge(ids[k>>32], ids[uint32(k)], n)
	}
	t.bad.merge(&o.bad)
	return nil
}

// empty reports whether nothing was counted nor merged into t.
func (t *Counts) empty() bool {
	return len(t.edges) == 0 && len(t.states) == 0 && t.bad.n == 0 && t.spec == "" && t.sample.Len() == 0
}

// Len returns the number of distinct transitions counted, in O(1).
func (t *Counts) Len() int { return len(t.edges) }

// Graph returns the journey graph of the counts, of order Order: each
// state's transition probabilities are its counts divided by their sum
// (maximum likelihood), and transition weights are the counts. It fails,
// with an error wrapping ErrBadWeight or ErrEndState, if a bad count or
// end was added, and with ErrEmptyGraph if nothing was counted. It takes
// O(n log n + m log m) time for n states and m transitions.
func (t *Counts) Graph() (*Graph, error) {
	if err := t.bad.err("graph: counts", "bad paths"); err != nil {
		return nil, err
	}
	names := make([]string, len(t.states))
	parts := &partTable{off: make([]int32, 1, len(t.states)+1)}
	partID := make(map[string]int32)
	idOf := func(p string) int32 {
		id, ok := partID[p]
		if !ok {
			id = int32(len(parts.names))
			parts.names = append(parts.names, p)
			partID[p] = id
		}
		return id
	}
	for i, s := range t.states {
		names[i] = s.name
		if s.parts == nil {
			parts.ids = append(parts.ids, idOf(s.name))
		} else {
			for _, p := range s.parts {
				parts.ids = append(parts.ids, idOf(p))
			}
		}
		parts.off = append(parts.off, int32(len(parts.ids)))
	}
	edges := make([]wedge, 0, len(t.edges))
	for k, n := range t.edges {
		if math.IsInf(n, 0) {
			return nil, fmt.Errorf("graph: counts: %s: %w: the counts overflow", transitionPath(names[k>>32], names[uint32(k)]), ErrBadWeight)
		}
		edges = append(edges, wedge{from: int32(k >> 32), to: int32(uint32(k)), w: n})
	}
	return newGraph(max(1, t.Order), names, parts, edges)
}

// windows calls emit with the states of path at order k, as AddPath
// defines them: the windows of k consecutive elements, or the whole path if it is
// shorter than k (nothing for an empty path), a window equal to the one
// before it skipped unless keep. The slice passed to emit is only valid
// during the call.
func windows[T comparable](path []T, k int, keep bool, emit func(w []T)) {
	if len(path) == 0 {
		return
	}
	if len(path) < k {
		emit(path)
		return
	}
	var prev []T
	for j := 0; j+k <= len(path); j++ {
		w := path[j : j+k]
		if !keep && prev != nil && slices.Equal(prev, w) {
			continue
		}
		emit(w)
		prev = w
	}
}

// PathStates returns the names of the states a path visits in a graph of
// the given order (0 means 1), as AddPath reads paths, between Start and
// its end: what a route of steps (channels, touchpoints) becomes. It takes
// O(L·k) time for a path of L steps.
func PathStates(path []string, order int, keepRepeats bool) []string {
	var out []string
	windows(path, max(1, order), keepRepeats, func(w []string) { out = append(out, TupleName(w...)) })
	return out
}
