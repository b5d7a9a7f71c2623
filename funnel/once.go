package funnel

import "slices"

// This file handles StrictOnce when several events share one time: a chain
// may pass several stages at that time, each with a different event, so
// finding the best chain ending with a given event is a bipartite matching
// of stages to the group's other events.

// matching is a small bipartite matcher (Kuhn's augmenting paths) of
// stages to the events of one group.
type matching struct {
	stages []int   // stages to cover
	evOf   []int32 // evOf[i]: event matched to stages[i]
	owner  []int   // owner[q-gi]: index in stages of the stage event q covers, or -1
	seen   []bool
}

// cover reports whether every stage in stages can be given a distinct event
// of the group [gi, gj) other than skip that reaches it; if so, m.evOf holds
// the events. It takes O(s·e) time per stage for s stages and e events.
func (m *matching) cover(sq *seq, stages []int, gi, gj int, skip int32) bool {
	m.stages = stages
	m.evOf = grow(m.evOf, len(stages))
	m.owner = grow(m.owner, gj-gi)
	m.seen = grow(m.seen, gj-gi)
	for i := range m.owner {
		m.owner[i] = -1
	}
	for i := range stages {
		clear(m.seen)
		if !m.augment(sq, i, gi, gj, skip) {
			return false
		}
	}
	for q, s := range m.owner {
		if s >= 0 {
			m.evOf[s] = int32(gi + q)
		}
	}
	return true
}

func (m *matching) augment(sq *seq, i, gi, gj int, skip int32) bool {
	for q := gi; q < gj; q++ {
		if int32(q) == skip || m.seen[q-gi] || !sq.has(q, m.stages[i]) {
			continue
		}
		m.seen[q-gi] = true
		if m.owner[q-gi] < 0 || m.augment(sq, m.owner[q-gi], gi, gj, skip) {
			m.owner[q-gi] = i
			return true
		}
	}
	return false
}

// onceCand is a chain from which an event may be reached under StrictOnce:
// a chain kept at stage o before the group, or a chain to be started in the
// group (o = -1).
type onceCand struct {
	c chain
	o int
}

// onceSource returns the best chain ending with event ev of stage st, in a
// group [gi, gj) of several events at time t, under StrictOnce: a chain of
// arr kept before the group (at any stage below st), or one started in the
// group, led to st through the stages in between by distinct other events
// of the group. Optional stages in between are taken only as the first
// stage after the kept chain (when that helps a per-stage window); the
// others are skipped.
func (r *runner) onceSource(arr []slot, st int, ev int32, t int64, gi, gj int) (chain, bool) {
	p := r.p
	cands := r.onceCands[:0]
	if !p.open {
		cands = append(cands, onceCand{chain{first: t, last: t, node: -1, origin: -1}, -1})
	}
	for o := 0; o < st; o++ {
		c := r.read(&arr[o], true)
		if !c.ok() {
			continue
		}
		if p.window > 0 && t > addSat(c.first, p.window) {
			continue
		}
		if p.order == Consecutive && !(r.hasPrev && c.last == r.prevT) {
			continue
		}
		cands = append(cands, onceCand{c, o})
	}
	slices.SortStableFunc(cands, func(a, b onceCand) int {
		if a.o < 0 || b.o < 0 {
			return compareInt64(int64(a.o), int64(b.o)) // the new start first
		}
		return -r.cmpSource(&a.c, a.o, &b.c, b.o, t)
	})
	r.onceCands = cands
	for _, cd := range cands {
		// The first required stage after o: the chain must take it, or st.
		req := st
		for k := cd.o + 1; k < st; k++ {
			if !p.optional[k] {
				req = k
				break
			}
		}
		for j1 := cd.o + 1; j1 <= req; j1++ {
			if cd.o >= 0 && p.within[j1] > 0 && t > addSat(cd.c.last, p.within[j1]) {
				continue
			}
			need := r.onceNeed[:0]
			if j1 < st {
				need = append(need, j1)
				for k := j1 + 1; k < st; k++ {
					if !p.optional[k] {
						need = append(need, k)
					}
				}
			}
			r.onceNeed = need
			if !r.match.cover(r.sq, need, gi, gj, ev) {
				continue
			}
			parent := int32(-1)
			first := t
			if cd.o >= 0 {
				parent, first = cd.c.node, cd.c.first
			}
			for i, k := range need {
				parent = r.newNode(r.match.evOf[i], int32(k), parent)
			}
			return chain{first: first, last: t, node: r.newNode(ev, int32(st), parent), origin: int32(cd.o)}, true
		}
	}
	return noChain, false
}
