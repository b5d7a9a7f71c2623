package graph

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/parcours-go/parcours/internal/verr"
)

// Graph is a journey graph: a discrete-time absorbing Markov chain whose
// states are steps, channels or touchpoints (or, at order k, k-tuples of
// them) plus the special states Start, Conversion and Exit. A state with no
// outgoing transition is absorbing; every other state is transient, and
// from each some walk reaches an absorbing state.
//
// A Graph is built by a Builder, from Counts (as journey.Learn learns one
// from a log), made from a designed map (journey.Map.Graph) or derived
// from another Graph (Remove, RemoveFunc, AbsorbAt); the zero Graph is not
// usable. A Graph is immutable and safe for concurrent use: the
// absorbing-chain figures (Absorption, ExpectedSteps, ExpectedVisits) are
// computed on first use for the whole graph and cached inside, so asking
// for them state by state costs one solve.
//
// States are indexed from 0 to NumStates()-1 in byte-wise order of their
// names; the index-based accessors (State, Index, IsAbsorbing, Successors,
// Sample) serve algorithms that walk the graph fast. Methods that take a
// state name return 0 (or nothing) for a name the graph does not have.
//
// # States of order k
//
// A state of a graph of order k > 1 is a tuple of up to k parts: the last k
// steps (channels, touchpoints) of a path, or a whole path shorter than k.
// Its name joins the parts with " > ", so ("web", "email") is "web > email";
// a part that is empty, starts with "(" or a double quote, or contains ">"
// is written as a Go string literal, so that names stay distinct and never
// clash with the special states. TupleName renders a name and Parts
// returns the parts of a state. Graphs of order 1 use the same rule, so a
// step of a log literally named "(exit)" becomes the state `"(exit)"`,
// not Exit. The special states have one part, their own name.
type Graph struct {
	order int
	names []string // sorted
	// Parts: state i has parts partNames[partIDs[partOff[i]:partOff[i+1]]];
	// when partOff is nil each state is its own single part (partNames is names).
	partOff   []int32
	partIDs   []int32
	partNames []string

	start, exit, conv int32 // -1 when absent

	off    []int32 // transitions out of state i: to[off[i]:off[i+1]], sorted
	to     []int32
	prob   []float64
	cum    []float64 // cumulative probabilities, the last of a row exactly 1
	weight []float64

	indexOnce sync.Once
	index     map[string]int32
	partOnce  sync.Once
	partIndex map[string]int32

	an analysis
}

// TupleName returns the name of the state of an order-k graph whose parts
// are parts (see Graph). A single part that needs no quoting is its own
// name. TupleName of nothing is the empty string.
func TupleName(parts ...string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return quotePart(parts[0])
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(" > ")
		}
		b.WriteString(quotePart(p))
	}
	return b.String()
}

func quotePart(p string) string {
	if p == "" || p[0] == '(' || p[0] == '"' || strings.IndexByte(p, '>') >= 0 {
		return strconv.Quote(p)
	}
	return p
}

// Order returns the Markov order of the graph: k for a graph learned at
// order k, 1 for other graphs.
func (g *Graph) Order() int { return g.order }

// NumStates returns the number of states.
func (g *Graph) NumStates() int { return len(g.names) }

// States returns the names of the states, indexed by state: in byte-wise
// order. The slice is new.
func (g *Graph) States() []string { return slices.Clone(g.names) }

// State returns the name of state i. It panics if i is out of range.
func (g *Graph) State(i int) string { return g.names[i] }

// Index returns the index of the state named name. It takes O(1) time
// after a first call that indexes every name.
func (g *Graph) Index(name string) (int, bool) {
	g.indexOnce.Do(func() {
		g.index = make(map[string]int32, len(g.names))
		for i, s := range g.names {
			g.index[s] = int32(i)
		}
	})
	i, ok := g.index[name]
	return int(i), ok
}

// Parts returns the parts of state i: its steps (channels, touchpoints) in
// path order for a state of an order-k graph, the name itself for other
// states. The slice is new. It panics if i is out of range.
func (g *Graph) Parts(i int) []string {
	if g.partOff == nil {
		return []string{g.names[i]}
	}
	ids := g.partIDs[g.partOff[i]:g.partOff[i+1]]
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = g.partNames[id]
	}
	return out
}

// lastPart returns the last part of state i.
func (g *Graph) lastPart(i int) string {
	if g.partOff == nil {
		return g.names[i]
	}
	return g.partNames[g.partIDs[g.partOff[i+1]-1]]
}

// IsAbsorbing reports whether state i has no outgoing transition. It
// panics if i is out of range.
func (g *Graph) IsAbsorbing(i int) bool { return g.off[i] == g.off[i+1] }

// Successors returns the transitions out of state i: each successor's
// index and probability, in index order. An absorbing state has none. It
// panics if i is out of range.
func (g *Graph) Successors(i int) iter.Seq2[int, float64] {
	lo, hi := g.off[i], g.off[i+1]
	return func(yield func(int, float64) bool) {
		for k := lo; k < hi; k++ {
			if !yield(int(g.to[k]), g.prob[k]) {
				return
			}
		}
	}
}

// Sample returns the state a walk at state i moves to when the uniform
// random number u in [0, 1) is drawn: successors take consecutive
// sub-intervals of [0, 1) as long as their probabilities, in index order.
// An absorbing state returns itself. Values of u outside [0, 1) are
// clamped. It takes O(log d) time for d successors and does not allocate;
// it panics if i is out of range.
func (g *Graph) Sample(i int, u float64) int {
	lo, hi := int(g.off[i]), int(g.off[i+1])
	if lo == hi {
		return i
	}
	if !(u >= 0) {
		u = 0
	}
	// The first successor whose cumulative probability exceeds u; a
	// successor of probability 0 never does first.
	cum := g.cum[lo:hi]
	k, _ := slices.BinarySearchFunc(cum, u, func(c, u float64) int {
		if c <= u {
			return -1
		}
		return 1
	})
	if k == len(cum) { // u ≥ 1: the last successor of positive probability
		k--
		for k > 0 && g.prob[lo+k] == 0 {
			k--
		}
	}
	return int(g.to[lo+k])
}

// edgeIndex returns the position of the transition from i to j, or -1.
func (g *Graph) edgeIndex(i, j int32) int {
	lo, hi := int(g.off[i]), int(g.off[i+1])
	k, ok := slices.BinarySearch(g.to[lo:hi], j)
	if !ok {
		return -1
	}
	return lo + k
}

// Probability returns the probability that a walk at from moves next to
// to. Absorbing states stay where they are: Probability(a, a) is 1 for an
// absorbing a. It returns 0 for unknown states. It takes O(log d) time.
func (g *Graph) Probability(from, to string) float64 {
	i, ok1 := g.Index(from)
	j, ok2 := g.Index(to)
	if !ok1 || !ok2 {
		return 0
	}
	if g.IsAbsorbing(i) {
		if i == j {
			return 1
		}
		return 0
	}
	if k := g.edgeIndex(int32(i), int32(j)); k >= 0 {
		return g.prob[k]
	}
	return 0
}

// Weight returns the weight accumulated on the transition from from to
// to: the number of times it was observed for a learned graph, the
// probability for a designed map's graph, the sum of the weights added for a
// built one. It returns 0 for unknown states and transitions.
func (g *Graph) Weight(from, to string) float64 {
	i, ok1 := g.Index(from)
	j, ok2 := g.Index(to)
	if !ok1 || !ok2 {
		return 0
	}
	if k := g.edgeIndex(int32(i), int32(j)); k >= 0 {
		return g.weight[k]
	}
	return 0
}

// Transitions returns every transition of the graph, by source then
// target state index, each with its probability (the effective one, never
// "not given" as in a journey map). Absorbing states have none. It takes O(1) per
// transition.
func (g *Graph) Transitions() iter.Seq[Transition] {
	return func(yield func(Transition) bool) {
		for i := range g.names {
			for k := g.off[i]; k < g.off[i+1]; k++ {
				if !yield(Transition{From: g.names[i], To: g.names[g.to[k]], Probability: g.prob[k]}) {
					return
				}
			}
		}
	}
}

// NumTransitions returns the number of transitions.
func (g *Graph) NumTransitions() int { return len(g.to) }

// Builder accumulates weighted transitions and builds a Graph. The
// zero value is ready to use. Build may be called more than once; each
// call sees every transition added so far. A Builder is not safe for
// concurrent use.
type Builder struct {
	ids   map[string]int32
	names []string
	edges map[uint64]float64 // from<<32 | to -> weight
	bad   problems
}

// AddState adds a state with no transition of its own (an absorbing one,
// unless a transition out of it is added too).
func (b *Builder) AddState(name string) { b.id(name) }

func (b *Builder) id(name string) int32 {
	if b.ids == nil {
		b.ids = make(map[string]int32)
		b.edges = make(map[uint64]float64)
	}
	if id, ok := b.ids[name]; ok {
		return id
	}
	id := int32(len(b.names))
	b.names = append(b.names, name)
	b.ids[name] = id
	return id
}

// Add adds weight to the transition from from to to (both states are
// created if new). The weight must be finite and not negative: Add cannot
// return an error, so a bad weight is recorded, the transition left
// unchanged, and Build reports every bad weight with the transition it was
// meant for. A zero weight creates the states but no transition.
func (b *Builder) Add(from, to string, weight float64) {
	f, t := b.id(from), b.id(to)
	if !(weight >= 0) || math.IsInf(weight, 1) {
		b.bad.add(verr.Prefix(transitionPath(from, to), fmt.Errorf("%w: %v is %s", ErrBadWeight, weight, badWhy(weight))))
		return
	}
	if weight == 0 {
		return
	}
	b.edges[uint64(f)<<32|uint64(t)] += weight
}

func badWhy(w float64) string {
	switch {
	case math.IsNaN(w):
		return "not a number"
	case math.IsInf(w, 0):
		return "infinite"
	}
	return "negative"
}

func transitionPath(from, to string) string {
	return "transition " + strconv.Quote(from) + " -> " + strconv.Quote(to)
}

// Build returns the graph of the transitions added so far. Each state's
// outgoing weights are divided by their sum to give its transition
// probabilities; a state with no outgoing weight is absorbing.
//
// Build fails, reporting every problem, each wrapping a sentinel, if a
// weight was bad (ErrBadWeight), if the graph has no transition
// (ErrEmptyGraph), if a transition leaves Exit or Conversion (ErrEndState),
// or if some state can reach no absorbing state (ErrNoWayOut): a state
// whose only transition is to itself, or a loop with no way out. It takes
// O(n log n + m log m) time for n states and m transitions.
func (b *Builder) Build() (*Graph, error) {
	if err := b.bad.err("graph", "bad weights"); err != nil {
		return nil, err
	}
	var l verr.List
	edges := make([]wedge, 0, len(b.edges))
	for k, w := range b.edges {
		e := wedge{from: int32(k >> 32), to: int32(uint32(k)), w: w}
		if math.IsInf(w, 0) {
			l.Add(transitionPath(b.names[e.from], b.names[e.to]), fmt.Errorf("%w: the weights added overflow to %v", ErrBadWeight, w))
		}
		edges = append(edges, e)
	}
	if l.Len() > 0 {
		return nil, verr.Prefix("graph", l.Err())
	}
	return newGraph(1, b.names, nil, edges)
}

// wedge is a weighted transition between states numbered by a constructor.
type wedge struct {
	from, to int32
	w        float64
}

// partTable gives the parts of the states a constructor numbers: state i
// has parts names[ids[off[i]:off[i+1]]]. A nil table makes each state its
// own single part.
type partTable struct {
	off   []int32
	ids   []int32
	names []string
}

// newGraph builds a graph from states named names (distinct), their parts
// and weighted transitions (each pair once, weights finite and positive).
// States are renumbered in name order.
func newGraph(order int, names []string, parts *partTable, edges []wedge) (*Graph, error) {
	n := len(names)
	if len(edges) == 0 {
		return nil, fmt.Errorf("graph: %w: no transition", ErrEmptyGraph)
	}
	perm := make([]int32, n) // new index -> old
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, b int32) int { return cmp.Compare(names[a], names[b]) })
	rank := make([]int32, n) // old -> new
	for i, p := range perm {
		rank[p] = int32(i)
	}
	g := &Graph{order: order, names: make([]string, n), start: -1, exit: -1, conv: -1}
	for i, p := range perm {
		g.names[i] = names[p]
	}
	if parts != nil {
		g.partOff = make([]int32, 1, n+1)
		g.partIDs = make([]int32, 0, len(parts.ids))
		g.partNames = parts.names
		for _, p := range perm {
			g.partIDs = append(g.partIDs, parts.ids[parts.off[p]:parts.off[p+1]]...)
			g.partOff = append(g.partOff, int32(len(g.partIDs)))
		}
	}
	// Transitions in CSR form, rows sorted by target.
	g.off = make([]int32, n+1)
	for _, e := range edges {
		g.off[rank[e.from]+1]++
	}
	for i := range n {
		g.off[i+1] += g.off[i]
	}
	g.to = make([]int32, len(edges))
	g.weight = make([]float64, len(edges))
	next := slices.Clone(g.off[:n])
	for _, e := range edges {
		f := rank[e.from]
		g.to[next[f]] = rank[e.to]
		g.weight[next[f]] = e.w
		next[f]++
	}
	for i := range n {
		lo, hi := g.off[i], g.off[i+1]
		if hi-lo > 1 {
			sortRow(g.to[lo:hi], g.weight[lo:hi])
		}
	}
	g.normalise()
	g.findSpecial()
	if err := g.check(); err != nil {
		return nil, err
	}
	return g, nil
}

// sortRow sorts a row's targets, carrying the weights along.
func sortRow(to []int32, w []float64) {
	if slices.IsSorted(to) {
		return
	}
	idx := make([]int, len(to))
	for k := range idx {
		idx[k] = k
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(to[a], to[b]) })
	t2, w2 := slices.Clone(to), slices.Clone(w)
	for k, p := range idx {
		to[k], w[k] = t2[p], w2[p]
	}
}

// normalise computes probabilities and cumulative probabilities from the
// weights, row by row, scaling by the largest weight first so that sums
// of huge weights do not overflow. A transition whose probability rounds
// to zero stays, with probability 0, and counts as no transition.
func (g *Graph) normalise() {
	g.prob = make([]float64, len(g.to))
	g.cum = make([]float64, len(g.to))
	for i := range g.names {
		lo, hi := g.off[i], g.off[i+1]
		if lo == hi {
			continue
		}
		big := 0.0
		for _, w := range g.weight[lo:hi] {
			big = max(big, w)
		}
		total := 0.0
		for _, w := range g.weight[lo:hi] {
			total += w / big
		}
		c := 0.0
		for k := lo; k < hi; k++ {
			p := g.weight[k] / big / total
			g.prob[k] = p
			c += p
			g.cum[k] = c
		}
		g.cum[hi-1] = 1
	}
}

func (g *Graph) findSpecial() {
	for _, s := range []struct {
		name string
		at   *int32
	}{{Start, &g.start}, {Exit, &g.exit}, {Conversion, &g.conv}} {
		if i, ok := slices.BinarySearch(g.names, s.name); ok {
			*s.at = int32(i)
		}
	}
}

// check reports transitions out of Exit or Conversion and states that
// reach no absorbing state along transitions of positive probability.
func (g *Graph) check() error {
	var l verr.List
	for _, e := range []int32{g.exit, g.conv} {
		if e >= 0 && !g.IsAbsorbing(int(e)) {
			t := g.to[g.off[e]]
			l.Add(transitionPath(g.names[e], g.names[t]), fmt.Errorf("%w: %s must stay absorbing", ErrEndState, g.names[e]))
		}
	}
	if l.Len() == 0 {
		out := g.canBeAbsorbed()
		bad := 0
		for i, ok := range out {
			if ok {
				continue
			}
			if bad < maxReported {
				l.Addf("state "+strconv.Quote(g.names[i]), "%w: no route from here reaches an absorbing state", ErrNoWayOut)
			}
			bad++
		}
		if bad > maxReported {
			l.Addf("", "… and %d more states with no way out", bad-maxReported)
		}
	}
	return verr.Prefix("graph", l.Err())
}

// canBeAbsorbed marks the states from which an absorbing state can be
// reached along transitions of positive probability.
func (g *Graph) canBeAbsorbed() []bool {
	n := len(g.names)
	// Predecessor lists along positive transitions.
	inOff := make([]int32, n+1)
	for k, t := range g.to {
		if g.prob[k] > 0 {
			inOff[t+1]++
		}
	}
	for i := range n {
		inOff[i+1] += inOff[i]
	}
	in := make([]int32, inOff[n])
	next := slices.Clone(inOff[:n])
	for i := range n {
		for k := g.off[i]; k < g.off[i+1]; k++ {
			if g.prob[k] > 0 {
				t := g.to[k]
				in[next[t]] = int32(i)
				next[t]++
			}
		}
	}
	out := make([]bool, n)
	var stack []int32
	for i := range n {
		if g.IsAbsorbing(i) {
			out[i] = true
			stack = append(stack, int32(i))
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range in[inOff[v]:inOff[v+1]] {
			if !out[u] {
				out[u] = true
				stack = append(stack, u)
			}
		}
	}
	return out
}

// problems collects the problems that a method which cannot return an
// error (Builder.Add, Counts.AddPath) finds, for a later call to report:
// the first maxReported of them, and how many there were.
type problems struct {
	kept []error
	n    int
}

func (p *problems) add(err error) {
	if len(p.kept) < maxReported {
		p.kept = append(p.kept, err)
	}
	p.n++
}

// merge adds the problems of o.
func (p *problems) merge(o *problems) {
	for _, e := range o.kept {
		p.add(e)
	}
	p.n += o.n - len(o.kept)
}

// err returns the problems as one error prefixed by prefix, the ones left
// out counted as "… and k more " + what; nil if there were none.
func (p *problems) err(prefix, what string) error {
	if p.n == 0 {
		return nil
	}
	var l verr.List
	for _, e := range p.kept {
		l.Add("", e)
	}
	if p.n > len(p.kept) {
		l.Addf("", "… and %d more %s", p.n-len(p.kept), what)
	}
	return verr.Prefix(prefix, l.Err())
}
