package graph

import (
	"cmp"
	"slices"

	"github.com/parcours-go/parcours/internal/markov"
	"github.com/parcours-go/parcours/persona"
)

// FrictionOptions say what Friction measures against. The zero value
// measures the goal as Conversion, with no emotions, for every state.
type FrictionOptions struct {
	// Goal names the goal: the states whose last part is one of these
	// names (see AbsorbAt), such as Conversion or a checkout step. nil
	// means Conversion.
	Goal []string
	// Emotions gives the customers' emotion at each step (channel,
	// touchpoint), such as journey.Map.Emotions returns; a state takes the
	// emotion of its last part. States with no entry have no emotion and
	// no pain.
	Emotions map[string]persona.Emotion
	// ByPain ranks the states by Pain instead, most first, ties by state
	// name, and keeps only those with some pain: the pain-point ranking of
	// a journey map, weighing emotion × traffic × drop-off.
	ByPain bool
	// Top, if positive, keeps only the first Top states of the ranking,
	// and computes loop rates for those only: on a graph with large
	// loops, each loop rate costs a solve.
	Top int
}

// Friction describes how a state of a journey graph holds customers back.
// All figures are per walk from Start (per customer).
type Friction struct {
	State string
	// Traffic is the expected number of visits to the state: the
	// fundamental-matrix entry N[Start][state].
	Traffic float64
	// Exit is the probability of moving from the state straight to Exit.
	Exit float64
	// Leaving is Traffic × Exit, the expected number of walks that leave
	// the journey at this state. Leaving summed over all states is the
	// probability of ending in Exit.
	Leaving float64
	// LoopRate is the probability that a walk at the state comes back to
	// it before being absorbed: 1 − 1/N[state][state]. It is 0 for a state
	// on no loop.
	LoopRate float64
	// Goal is the probability that a walk at the state reaches the goal.
	Goal float64
	// Drop compares the state with the best alternative its customers
	// had: for each transition p → state, the best alternative is the
	// successor of p (the state included, absorbing successors counting 1
	// if a goal, 0 if not) most likely to reach the goal; Drop is the mean
	// of (best alternative's Goal − Goal) over the transitions into the
	// state, each weighted by the traffic it carries, N[Start][p]·P(p →
	// state). It is 0 for a state no walk from Start enters.
	Drop float64
	// Lost is the traffic-weighted sum behind Drop, Σ N[Start][p]·P(p →
	// state)·(best alternative's Goal − Goal): the goal probability given
	// up, summed over every entry of a walk into the state, against
	// taking the best alternative at that point instead.
	Lost float64
	// Emotion is the emotion at the state, if FrictionOptions.Emotions
	// gives one (HasEmotion).
	Emotion    persona.Emotion
	HasEmotion bool
	// Pain weighs emotion × traffic × drop-off: the negativity of the
	// emotion, max(0, −Emotion)/2 in [0, 1] (MinEmotion counts 1), times
	// Leaving. Neutral and positive emotions give no pain.
	Pain float64
}

// Friction ranks the transient states other than Start by the walks they
// lose: most Leaving first, ties by Lost, then by state name (by Pain with
// FrictionOptions.ByPain). Friction points are states many customers leave
// from (Leaving), loop back to (LoopRate) or enter instead of a better
// route (Drop, Lost).
//
// It returns nil for a graph without Start. It costs one solve for the
// traffic, one for the goal probabilities (on g.AbsorbAt(goal...)) and,
// for each reported state on a loop, a solve within its strongly
// connected component; see Absorption for the cost of a solve.
func (g *Graph) Friction(opt FrictionOptions) []Friction {
	out := g.frictions(opt)
	if opt.ByPain {
		out = slices.DeleteFunc(out, func(f Friction) bool { return !(f.Pain > 0) })
		slices.SortFunc(out, func(a, b Friction) int {
			if c := cmp.Compare(b.Pain, a.Pain); c != 0 {
				return c
			}
			return cmp.Compare(a.State, b.State)
		})
	} else {
		slices.SortFunc(out, func(a, b Friction) int {
			if c := cmp.Compare(b.Leaving, a.Leaving); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Lost, a.Lost); c != 0 {
				return c
			}
			return cmp.Compare(a.State, b.State)
		})
	}
	if opt.Top > 0 && len(out) > opt.Top {
		out = out[:opt.Top]
	}
	g.loopRates(out)
	return out
}

// frictions returns the Friction of every transient state other than
// Start, in index order, without loop rates.
func (g *Graph) frictions(opt FrictionOptions) []Friction {
	if g.start < 0 || g.IsAbsorbing(int(g.start)) {
		return nil
	}
	goalNames := opt.Goal
	if goalNames == nil {
		goalNames = []string{Conversion}
	}
	isGoal := g.endingIn(goalNames)
	h := g.Reach(goalNames...)
	traffic := g.visits(g.start)
	// The goal probability of the best successor of each state.
	best := make([]float64, len(g.names))
	for p := range g.names {
		for k := g.off[p]; k < g.off[p+1]; k++ {
			if g.prob[k] > 0 {
				best[p] = max(best[p], h[g.to[k]])
			}
		}
	}
	lost := make([]float64, len(g.names))
	inflow := make([]float64, len(g.names))
	for p := range g.names {
		if traffic[p] == 0 {
			continue
		}
		for k := g.off[p]; k < g.off[p+1]; k++ {
			s := g.to[k]
			flow := traffic[p] * g.prob[k]
			inflow[s] += flow
			lost[s] += flow * (best[p] - h[s])
		}
	}
	out := make([]Friction, 0, len(g.names))
	for i := range g.names {
		if int32(i) == g.start || g.IsAbsorbing(i) {
			continue
		}
		f := Friction{State: g.names[i], Traffic: traffic[i], Goal: h[i], Lost: max(0, lost[i])}
		if isGoal[i] {
			f.Goal = 1
		}
		if g.exit >= 0 {
			if k := g.edgeIndex(int32(i), g.exit); k >= 0 {
				f.Exit = g.prob[k]
			}
		}
		f.Leaving = f.Traffic * f.Exit
		if inflow[i] > 0 {
			f.Drop = f.Lost / inflow[i]
		}
		if e, ok := opt.Emotions[g.lastPart(i)]; ok {
			f.Emotion, f.HasEmotion = e, true
			f.Pain = float64(max(0, -e)) / float64(-persona.MinEmotion) * f.Leaving
		}
		out = append(out, f)
	}
	return out
}

// loopRates sets the LoopRate of each state of fs that lies on a loop,
// solving within its strongly connected component.
func (g *Graph) loopRates(fs []Friction) {
	a := g.prepare()
	if a.solver == nil {
		return
	}
	comps := a.solver.Components()
	for k := range fs {
		i, _ := g.Index(fs[k].State)
		ti := a.tidx[i]
		if len(comps.Members(int(comps.Of[ti]))) == 1 && g.edgeIndex(int32(i), int32(i)) < 0 {
			continue // on no loop
		}
		fs[k].LoopRate = max(0, 1-1/a.solver.Diagonal(int(ti)))
	}
}

// positive returns the graph of the transitions of positive probability.
func (g *Graph) positive() markov.CSR {
	c := markov.CSR{Off: make([]int32, 1, len(g.names)+1)}
	for i := range g.names {
		for k := g.off[i]; k < g.off[i+1]; k++ {
			if g.prob[k] > 0 {
				c.Col = append(c.Col, g.to[k])
			}
		}
		c.Off = append(c.Off, int32(len(c.Col)))
	}
	return c
}

// MustPass returns the parts (steps, channels, touchpoints) that every
// route from Start to into goes through in some state, in the order a
// shortest such route meets them, the parts of Start and into left out;
// nil if into cannot be reached from Start. At order 1 these are the
// dominators of into in the graph rooted at Start. It tests the parts of
// one shortest route, each by a search that avoids the states containing
// it: O(k·L·(n + m)) time for a route of L states at order k.
func (g *Graph) MustPass(into string) []string {
	j, ok := g.Index(into)
	if !ok || g.start < 0 || int32(j) == g.start {
		return nil
	}
	pos := g.positive()
	// A shortest route, by breadth-first search.
	parent := make([]int32, len(g.names))
	for i := range parent {
		parent[i] = -1
	}
	parent[g.start] = g.start
	queue := []int32{g.start}
	for len(queue) > 0 && parent[j] < 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range pos.Col[pos.Off[v]:pos.Off[v+1]] {
			if parent[w] < 0 {
				parent[w] = v
				queue = append(queue, w)
			}
		}
	}
	if parent[j] < 0 {
		return nil
	}
	var route []int32
	for v := parent[j]; v != g.start; v = parent[v] {
		route = append(route, v)
	}
	slices.Reverse(route)
	skip := map[string]bool{g.names[g.start]: true}
	for _, p := range g.Parts(j) {
		skip[p] = true
	}
	var out []string
	for _, v := range route {
		for _, p := range g.Parts(int(v)) {
			if skip[p] {
				continue
			}
			skip[p] = true
			ids := g.partIDsOf([]string{p})
			avoid := func(k int32) bool {
				w := pos.Col[k]
				if g.partOff == nil {
					return !ids[w]
				}
				for _, id := range g.partIDs[g.partOff[w]:g.partOff[w+1]] {
					if ids[id] {
						return false
					}
				}
				return true
			}
			if !markov.Reach(&pos, []int32{g.start}, avoid)[j] {
				out = append(out, p)
			}
		}
	}
	return out
}

// Loops returns the loops of the journey: the strongly connected
// components of its transient states that hold a cycle (two or more
// states, or one with a transition to itself), found by Tarjan's
// algorithm (R. E. Tarjan, SIAM J. Comput. 1(2), 1972) in O(n + m) time.
// Each loop lists its states in index order; the largest loops come
// first, ties by their first state.
func (g *Graph) Loops() [][]string {
	pos := g.positive()
	comps := markov.SCC(&pos)
	var out [][]string
	for c := range comps.Len() {
		members := slices.Clone(comps.Members(c))
		v := members[0]
		if g.IsAbsorbing(int(v)) {
			continue
		}
		if len(members) == 1 && g.edgeIndex(v, v) < 0 {
			continue
		}
		slices.Sort(members)
		loop := make([]string, len(members))
		for k, m := range members {
			loop[k] = g.names[m]
		}
		out = append(out, loop)
	}
	slices.SortFunc(out, func(a, b []string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	return out
}
