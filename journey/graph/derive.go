package graph

import (
	"slices"
)

// Remove returns the graph without the states that have one of names
// among their parts: at order 1 (and in built and designed graphs) the
// states so named, at order k every tuple that contains one of them.
// Transitions into a removed state go to Exit instead, which is added if
// the graph had none; Start and absorbing states are never removed.
// Unknown names are ignored, and if nothing is removed Remove returns g.
//
// This is the removal of Markov attribution (Anderl et al. 2016): the
// relative drop 1 − P'/P of the probability P = g.Absorption(Start,
// Conversion) when P' is that of the graph without a channel is the
// channel's removal effect. The new graph keeps the probabilities of the
// transitions that remain, shares nothing mutable with g and computes its
// own figures. Remove takes O(n + m) time and no solve.
func (g *Graph) Remove(names ...string) *Graph {
	ids := g.partIDsOf(names)
	if len(ids) == 0 {
		return g
	}
	return g.RemoveFunc(func(i int) bool {
		if g.partOff == nil {
			return ids[int32(i)]
		}
		for _, p := range g.partIDs[g.partOff[i]:g.partOff[i+1]] {
			if ids[p] {
				return true
			}
		}
		return false
	})
}

// RemoveFunc returns the graph without the states i for which remove(i)
// is true, as Remove does: Start and absorbing states are kept whatever
// remove says, and transitions into removed states go to Exit. It calls
// remove once per transient state other than Start.
func (g *Graph) RemoveFunc(remove func(i int) bool) *Graph {
	n := len(g.names)
	drop := make([]bool, n)
	any := false
	for i := range n {
		if int32(i) != g.start && !g.IsAbsorbing(i) && remove(i) {
			drop[i] = true
			any = true
		}
	}
	if !any {
		return g
	}
	return g.derive(drop, nil)
}

// AbsorbAt returns the graph in which every state whose last part is one
// of names (the state itself at order 1) is absorbing: the walks stop
// there. In it, Absorption(from, s) is the probability that a walk from
// from reaches s before any other such state or an end. The states and
// their indexes are those of g. If no state changes, AbsorbAt returns g.
// It takes O(n + m) time.
func (g *Graph) AbsorbAt(names ...string) *Graph {
	stop := g.endingIn(names)
	any := false
	for i, s := range stop {
		if s && !g.IsAbsorbing(i) {
			any = true
		}
	}
	if !any {
		return g
	}
	return g.derive(nil, stop)
}

// endingIn marks the states whose last part is one of names.
func (g *Graph) endingIn(names []string) []bool {
	ids := g.partIDsOf(names)
	out := make([]bool, len(g.names))
	for i := range out {
		if g.partOff == nil {
			out[i] = ids[int32(i)]
		} else {
			out[i] = ids[g.partIDs[g.partOff[i+1]-1]]
		}
	}
	return out
}

// partIDsOf returns the part ids of the given names that the graph knows.
func (g *Graph) partIDsOf(names []string) map[int32]bool {
	g.partOnce.Do(func() {
		pn := g.partNames
		if g.partOff == nil {
			pn = g.names
		}
		g.partIndex = make(map[string]int32, len(pn))
		for i, s := range pn {
			g.partIndex[s] = int32(i)
		}
	})
	ids := make(map[int32]bool, len(names))
	for _, s := range names {
		if id, ok := g.partIndex[s]; ok {
			ids[id] = true
		}
	}
	return ids
}

// derive returns g without the states marked in drop (their inflow sent
// to Exit) and with the states marked in stop made absorbing. Either mask
// may be nil.
func (g *Graph) derive(drop, stop []bool) *Graph {
	n := len(g.names)
	// Does some kept transition lead into a dropped state?
	needExit := false
	if drop != nil && g.exit < 0 {
		for i := 0; i < n && !needExit; i++ {
			if drop[i] || stop != nil && stop[i] {
				continue
			}
			for k := g.off[i]; k < g.off[i+1]; k++ {
				if drop[g.to[k]] {
					needExit = true
					break
				}
			}
		}
	}
	// New indexes: kept states in order, with Exit slotted in by name.
	newIdx := make([]int32, n)
	h := &Graph{order: g.order, start: -1, exit: -1, conv: -1}
	exitAt, _ := slices.BinarySearch(g.names, Exit)
	var exitPart int32 = -1
	if g.partOff != nil {
		h.partNames = g.partNames
		h.partOff = []int32{0}
		if needExit {
			if k := slices.Index(g.partNames, Exit); k >= 0 {
				exitPart = int32(k)
			} else {
				h.partNames = append(slices.Clip(g.partNames), Exit)
				exitPart = int32(len(h.partNames) - 1)
			}
		}
	}
	addExit := func() {
		h.exit = int32(len(h.names))
		h.names = append(h.names, Exit)
		if h.partOff != nil {
			h.partIDs = append(h.partIDs, exitPart)
			h.partOff = append(h.partOff, int32(len(h.partIDs)))
		}
	}
	for i := range n {
		if needExit && i == exitAt {
			addExit()
		}
		if drop != nil && drop[i] {
			newIdx[i] = -1
			continue
		}
		newIdx[i] = int32(len(h.names))
		h.names = append(h.names, g.names[i])
		if h.partOff != nil {
			h.partIDs = append(h.partIDs, g.partIDs[g.partOff[i]:g.partOff[i+1]]...)
			h.partOff = append(h.partOff, int32(len(h.partIDs)))
		}
	}
	if needExit && exitAt == n {
		addExit()
	}
	if !needExit && g.exit >= 0 {
		h.exit = newIdx[g.exit]
	}
	if g.start >= 0 {
		h.start = newIdx[g.start]
	}
	if g.conv >= 0 {
		h.conv = newIdx[g.conv]
	}
	// Transitions: kept ones as they are; those into dropped states
	// merged into one to Exit, whose place in the row follows its index.
	h.off = make([]int32, 1, len(h.names)+1)
	h.to = make([]int32, 0, len(g.to))
	h.prob = make([]float64, 0, len(g.to))
	h.weight = make([]float64, 0, len(g.to))
	for i := range n {
		if needExit && i == exitAt {
			h.off = append(h.off, int32(len(h.to))) // Exit: absorbing
		}
		if drop != nil && drop[i] {
			continue
		}
		if stop == nil || !stop[i] {
			lost, lostW := 0.0, 0.0
			rowStart := len(h.to)
			for k := g.off[i]; k < g.off[i+1]; k++ {
				j := g.to[k]
				if drop != nil && drop[j] {
					lost += g.prob[k]
					lostW += g.weight[k]
					continue
				}
				h.to = append(h.to, newIdx[j])
				h.prob = append(h.prob, g.prob[k])
				h.weight = append(h.weight, g.weight[k])
			}
			if lostW > 0 || lost > 0 {
				h.addToExit(rowStart, lost, lostW)
			}
		}
		h.off = append(h.off, int32(len(h.to)))
	}
	if needExit && exitAt == n {
		h.off = append(h.off, int32(len(h.to)))
	}
	h.cum = make([]float64, len(h.to))
	for i := range h.names {
		lo, hi := h.off[i], h.off[i+1]
		c := 0.0
		for k := lo; k < hi; k++ {
			c += h.prob[k]
			h.cum[k] = c
		}
		if hi > lo {
			h.cum[hi-1] = 1
		}
	}
	return h
}

// addToExit adds probability p (weight w) to the transition to Exit of the
// row being built from rowStart, creating it in its sorted place.
func (h *Graph) addToExit(rowStart int, p, w float64) {
	row := h.to[rowStart:]
	k, found := slices.BinarySearch(row, h.exit)
	if found {
		h.prob[rowStart+k] += p
		h.weight[rowStart+k] += w
		return
	}
	at := rowStart + k
	h.to = slices.Insert(h.to, at, h.exit)
	h.prob = slices.Insert(h.prob, at, p)
	h.weight = slices.Insert(h.weight, at, w)
}

// Reach returns, for every state (by index), the probability that a walk
// from it enters a state whose last part is one of names (at order 1, one
// of the states so named) before it is absorbed elsewhere; a state that is
// one of them has 1. With names the absorbing states of a goal it is their
// total absorption probability. It solves one linear system, as
// Absorption does, on g.AbsorbAt(names...), and is not cached.
func (g *Graph) Reach(names ...string) []float64 {
	target := g.endingIn(names)
	h := g.AbsorbAt(names...)
	return h.absorptionInto(target)
}

// absorptionInto returns, by state, the probability of absorption in any
// of the absorbing states marked in target (not cached).
func (g *Graph) absorptionInto(target []bool) []float64 {
	a := g.prepare()
	n := len(g.names)
	out := make([]float64, n)
	for i := range n {
		if target[i] && g.IsAbsorbing(i) {
			out[i] = 1
		}
	}
	if a.solver == nil {
		for _, s := range a.states {
			out[s] = nanVec(1)[0]
		}
		return out
	}
	b := make([]float64, len(a.states))
	any := false
	for ti, s := range a.states {
		for k := g.off[s]; k < g.off[s+1]; k++ {
			if t := g.to[k]; target[t] && g.IsAbsorbing(int(t)) {
				b[ti] += g.prob[k]
				any = true
			}
		}
	}
	if !any {
		return out
	}
	x := a.solver.Solve(b)
	for ti, s := range a.states {
		out[s] = min(1, max(0, x[ti]))
	}
	return out
}
