package simulate

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/touchpoint"
)

// An intervention returns a new Model and leaves its receiver unchanged:
// the two can be simulated side by side (Compare). Interventions change
// the chain without persona weights; each persona's chain is derived from
// it again, by the formula of Model.

// edge is a transition of a row being rebuilt.
type edge struct {
	to int32
	p  float64
}

// clone returns a shallow copy of m: an intervention replaces the slices
// it changes, never writing into those it shares.
func (m *Model) clone() *Model {
	c := *m
	return &c
}

// rebuild replaces the chain with the rows f returns, in state order:
// each row sorted by target, with at most one edge per target.
func (m *Model) rebuild(f func(i int32) []edge) {
	off := make([]int32, 1, len(m.names)+1)
	var to []int32
	var prob []float64
	for i := range m.names {
		row := f(int32(i))
		slices.SortFunc(row, func(a, b edge) int { return cmp.Compare(a.to, b.to) })
		for _, e := range row {
			if n := len(to); n > int(off[i]) && to[n-1] == e.to {
				prob[n-1] += e.p
				continue
			}
			to = append(to, e.to)
			prob = append(prob, e.p)
		}
		off = append(off, int32(len(to)))
	}
	m.off, m.to, m.prob = off, to, prob
}

// rowOf returns the transitions out of state i of the chain.
func (m *Model) rowOf(i int32) []edge {
	row := make([]edge, 0, m.off[i+1]-m.off[i])
	for k := m.off[i]; k < m.off[i+1]; k++ {
		row = append(row, edge{m.to[k], m.prob[k]})
	}
	return row
}

// Scale returns the model in which the transitions from the states whose
// step is from to the states whose step is to are factor times as
// likely: "the hotline resolves 10% more returns" is
// Scale("calls-hotline", "returns", 1.1). In each such row, with S the
// probability of those transitions and O that of the others, the scaled
// ones get S' = min(1, factor·S), shared in proportion to their old
// probabilities, and the others O·(1 − S')/(1 − S), in proportion too, so
// that the row still sums to 1. When nothing else leaves the state, what
// the scaled transitions lose goes to Exit. from may be graph.Start and
// to an absorbing state such as graph.Conversion or graph.Exit.
//
// It fails with ErrUnknownStep for an unknown step, ErrUnknownTransition
// if no transition leads from from to to, and ErrBadOption for a factor
// that is negative, infinite or NaN. It takes O(n + m) time and O(m·P) to
// derive the P personas' chains.
func (m *Model) Scale(from, to string, factor float64) (*Model, error) {
	if !(factor >= 0) || math.IsInf(factor, 1) {
		return nil, fmt.Errorf("simulate: scale %q -> %q: %w: factor %v is not a finite non-negative number", from, to, ErrBadOption, factor)
	}
	fid, ok1 := m.stepID[from]
	tid, ok2 := m.stepID[to]
	switch {
	case !ok1:
		return nil, fmt.Errorf("simulate: scale %q -> %q: %w %q", from, to, ErrUnknownStep, from)
	case !ok2:
		return nil, fmt.Errorf("simulate: scale %q -> %q: %w %q", from, to, ErrUnknownStep, to)
	}
	found := false
	c := m.clone()
	c.rebuild(func(i int32) []edge {
		row := m.rowOf(i)
		if m.absorbing[i] || m.removed[i] || m.stepOf(i) != fid {
			return row
		}
		s, o := 0.0, 0.0
		for _, e := range row {
			if m.stepOf(e.to) == tid {
				s += e.p
			} else {
				o += e.p
			}
		}
		if s == 0 {
			return row
		}
		found = true
		s2 := min(1, float64(factor*s))
		rs := s2 / s
		ro := 0.0
		if o > 0 {
			ro = max(0, 1-s2) / o
		}
		for k, e := range row {
			if m.stepOf(e.to) == tid {
				row[k].p = float64(e.p * rs)
			} else {
				row[k].p = float64(e.p * ro)
			}
		}
		if o == 0 && s2 < s {
			row = append(row, edge{m.exit, s - s2})
		}
		return row
	})
	if !found {
		return nil, fmt.Errorf("simulate: scale %q -> %q: %w: no transition leads from %q to %q", from, to, ErrUnknownTransition, from, to)
	}
	c.compile()
	return c, nil
}

// RemoveSteps returns the model without the given steps: the states
// that have one of them among their parts are taken out, and the walks
// that would enter them leave instead (go to Exit), as Graph.Remove does
// for Markov attribution's removal effect. It fails with ErrUnknownStep
// for a name that is not a step of the model (Start and absorbing states
// cannot be removed). It takes O(n + m) time and O(m·P) for the personas.
func (m *Model) RemoveSteps(steps ...string) (*Model, error) {
	drop := make([]bool, len(m.steps))
	for _, s := range steps {
		id, ok := m.stepID[s]
		if !ok || special(s) || !m.isStep(id) {
			return nil, fmt.Errorf("simulate: remove steps: %w %q", ErrUnknownStep, s)
		}
		drop[id] = true
	}
	c := m.clone()
	c.remove(drop)
	c.compile()
	return c, nil
}

// isStep reports whether step id is a part of some transient state.
func (m *Model) isStep(id int32) bool {
	for i := range m.names {
		if m.absorbing[i] || int32(i) == m.start {
			continue
		}
		if slices.Contains(m.parts[m.partOff[i]:m.partOff[i+1]], id) {
			return true
		}
	}
	return false
}

// remove takes out the transient states (not Start) with a part marked
// in drop, sending their inflow to Exit.
func (m *Model) remove(drop []bool) {
	removed := slices.Clone(m.removed)
	for i := range m.names {
		if m.absorbing[i] || int32(i) == m.start {
			continue
		}
		for _, p := range m.parts[m.partOff[i]:m.partOff[i+1]] {
			if drop[p] {
				removed[i] = true
			}
		}
	}
	m.removed = removed
	old := *m
	m.rebuild(func(i int32) []edge {
		row := old.rowOf(i)
		for k, e := range row {
			if removed[e.to] {
				row[k].to = old.exit
			}
		}
		return row
	})
}

// RemoveTouchpoints returns the model without the touchpoints for which
// drop returns true: "what if the email department's touchpoints are
// removed" is RemoveTouchpoints(func(t touchpoint.Touchpoint) bool {
// return t.Owner == "crm" }). Events at a step meet only the touchpoints
// left; a step left with none (it had some) is removed as RemoveSteps
// removes it; the persona weights of the steps are those of the
// touchpoints left. It fails with ErrNoMatch if drop matches no
// touchpoint. It takes O(n + m + t) time for t touchpoints, and O(m·P)
// for the personas.
func (m *Model) RemoveTouchpoints(drop func(t touchpoint.Touchpoint) bool) (*Model, error) {
	contacts := make([][]touchpoint.Touchpoint, len(m.contacts))
	gone := make([]bool, len(m.steps))
	any := false
	for id, list := range m.contacts {
		for _, t := range list {
			if drop(t) {
				any = true
			} else {
				contacts[id] = append(contacts[id], t)
			}
		}
		gone[id] = len(list) > 0 && len(contacts[id]) == 0
	}
	if !any {
		return nil, fmt.Errorf("simulate: remove touchpoints: %w: no touchpoint of the model matches", ErrNoMatch)
	}
	c := m.clone()
	c.contacts = contacts
	c.remove(gone)
	c.symbols()
	c.compile()
	return c, nil
}

// WithWait returns the model in which the waiting time at step is d, or,
// for the empty step, in which d is the waiting time of every step that
// has none of its own. It fails with ErrUnknownStep for an unknown step
// and ErrBadDist for a bad d. It takes O(s) time for s steps.
func (m *Model) WithWait(step string, d Dist) (*Model, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("simulate: wait at %q: %w", step, err)
	}
	c := m.clone()
	c.waits = slices.Clone(m.waits)
	c.waitSet = slices.Clone(m.waitSet)
	if step == "" {
		c.wait = d
	} else {
		id, ok := m.stepID[step]
		if !ok || special(step) {
			return nil, fmt.Errorf("simulate: wait at %q: %w %q", step, ErrUnknownStep, step)
		}
		c.waits[id], c.waitSet[id] = d, true
	}
	c.resolveWaits()
	return c, nil
}

// WithValue returns the model in which the events at step (or the
// absorbing state's event, for graph.Conversion and the like) have
// values drawn from d. It fails with ErrUnknownStep for an unknown step
// and ErrBadDist for a bad d. It takes O(s) time for s steps.
func (m *Model) WithValue(step string, d Dist) (*Model, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("simulate: value at %q: %w", step, err)
	}
	id, ok := m.stepID[step]
	if !ok || step == graph.Start {
		return nil, fmt.Errorf("simulate: value at %q: %w %q", step, ErrUnknownStep, step)
	}
	c := m.clone()
	c.values = slices.Clone(m.values)
	c.valueSet = slices.Clone(m.valueSet)
	c.values[id], c.valueSet[id] = d, true
	return c, nil
}
