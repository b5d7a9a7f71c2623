package impact

import (
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// contact is one way a state's contacts happen: at a step (an index into
// world.steps, -1 for none), through a touchpoint (an index into
// world.tps, -1 for none), with a weight; a state's contacts weigh 1 in
// all.
type contact struct {
	step, tp int32
	w        float64
}

type tpInfo struct {
	id      string
	owner   int // department index; world.nobody for none
	channel touchpoint.Channel
	mix     objectives.Mix // normalised
	known   bool           // in the catalog
}

type stepInfo struct {
	id    string
	stage int // index into world.stages, -1 for none
}

// world is the catalog and the map, indexed: who owns which touchpoint,
// which touchpoints each step offers, which stage each step is in.
type world struct {
	m        *journey.Map
	depts    []touchpoint.Department
	deptIdx  map[string]int
	nobody   int
	tps      []tpInfo
	tpIdx    map[string]int
	steps    []stepInfo
	stepIdx  map[string]int
	stages   []string
	stageIdx map[string]int
	// designed[x]: the contacts of map step x as designed, each of its
	// touchpoints taking an equal share.
	designed [][]contact
	// observed[x], when a log gives them: the contacts at step x, each
	// touchpoint's weight its share of the step's events that name a
	// touchpoint; nil where no such event was seen.
	observed [][]contact
	// byTouchpoint and byChannel cache the contacts of a graph state that
	// is a touchpoint or a channel.
	byTouchpoint map[string][]contact
	byChannel    map[string][]contact
}

func newWorld(m *journey.Map) *world {
	w := &world{
		m:        m,
		depts:    m.Catalog.Departments,
		deptIdx:  make(map[string]int),
		tpIdx:    make(map[string]int),
		stepIdx:  make(map[string]int),
		stageIdx: make(map[string]int),
	}
	w.nobody = len(w.depts)
	for i, d := range w.depts {
		w.deptIdx[d.ID] = i
	}
	for _, t := range m.Catalog.Touchpoints {
		owner, ok := w.deptIdx[t.Owner]
		if !ok {
			owner = w.nobody
		}
		w.tpIdx[t.ID] = len(w.tps)
		w.tps = append(w.tps, tpInfo{id: t.ID, owner: owner, channel: t.Channel, mix: t.Objectives.Normalize(), known: true})
	}
	for _, s := range m.Stages {
		w.stageIdx[s.ID] = len(w.stages)
		w.stages = append(w.stages, s.ID)
	}
	for _, s := range m.Steps {
		stage, ok := w.stageIdx[s.Stage]
		if !ok {
			stage = -1
		}
		x := int32(len(w.steps))
		w.stepIdx[s.ID] = int(x)
		w.steps = append(w.steps, stepInfo{id: s.ID, stage: stage})
		var cs []contact
		for _, id := range s.Touchpoints {
			cs = append(cs, contact{step: x, tp: int32(w.tpIdx[id]), w: 1 / float64(len(s.Touchpoints))})
		}
		if len(cs) == 0 {
			cs = []contact{{step: x, tp: -1, w: 1}}
		}
		w.designed = append(w.designed, cs)
	}
	return w
}

// step returns the index of the step named id, adding it (with no stage
// and no designed touchpoint) if the map does not have it.
func (w *world) step(id string) int {
	if x, ok := w.stepIdx[id]; ok {
		return x
	}
	x := len(w.steps)
	w.stepIdx[id] = x
	w.steps = append(w.steps, stepInfo{id: id, stage: -1})
	w.designed = append(w.designed, []contact{{step: int32(x), tp: -1, w: 1}})
	return x
}

// touchpoint returns the index of the touchpoint named id, adding it with
// no owner if the catalog does not have it.
func (w *world) touchpoint(id string) int {
	if t, ok := w.tpIdx[id]; ok {
		return t
	}
	t := len(w.tps)
	w.tpIdx[id] = t
	w.tps = append(w.tps, tpInfo{id: id, owner: w.nobody})
	return t
}

// owner returns the department of a contact, w.nobody for none.
func (w *world) owner(c contact) int {
	if c.tp < 0 {
		return w.nobody
	}
	return w.tps[c.tp].owner
}

// stageOf returns the stage of a contact's step, -1 for none.
func (w *world) stageOf(c contact) int {
	if c.step < 0 {
		return -1
	}
	return w.steps[c.step].stage
}

// stepContacts returns the contacts at step x: observed if a log gave
// some, designed otherwise.
func (w *world) stepContacts(x int) []contact {
	if x < len(w.observed) && w.observed[x] != nil {
		return w.observed[x]
	}
	return w.designed[x]
}

// partContacts returns the contacts of one part of a graph state: a step,
// a touchpoint or a channel, as by says.
func (w *world) partContacts(part string, by journey.By) []contact {
	switch by {
	case journey.ByTouchpoint:
		if cs, ok := w.byTouchpoint[part]; ok {
			return cs
		}
		t := int32(w.touchpoint(part))
		var at []int32
		for x := range w.m.Steps {
			for _, id := range w.m.Steps[x].Touchpoints {
				if id == part {
					at = append(at, int32(x))
				}
			}
		}
		cs := []contact{{step: -1, tp: t, w: 1}}
		if len(at) > 0 {
			cs = cs[:0]
			for _, x := range at {
				cs = append(cs, contact{step: x, tp: t, w: 1 / float64(len(at))})
			}
		}
		if w.byTouchpoint == nil {
			w.byTouchpoint = make(map[string][]contact)
		}
		w.byTouchpoint[part] = cs
		return cs
	case journey.ByChannel:
		if cs, ok := w.byChannel[part]; ok {
			return cs
		}
		var cs []contact
		for x := range w.m.Steps {
			for _, id := range w.m.Steps[x].Touchpoints {
				if t := w.tpIdx[id]; string(w.tps[t].channel) == part {
					cs = append(cs, contact{step: int32(x), tp: int32(t)})
				}
			}
		}
		for k := range cs {
			cs[k].w = 1 / float64(len(cs))
		}
		if len(cs) == 0 {
			cs = []contact{{step: -1, tp: -1, w: 1}}
		}
		if w.byChannel == nil {
			w.byChannel = make(map[string][]contact)
		}
		w.byChannel[part] = cs
		return cs
	}
	return w.stepContacts(w.step(part))
}

// states holds the contacts of every state of a graph: those of its last
// part (the contact the walk makes on entering it) and, for the states of
// an order-k graph, those of each part.
type states struct {
	g     *graph.Graph
	last  [][]contact   // by state; nil for the special states
	parts [][][]contact // by state, by part; nil at order 1
}

func (w *world) statesOf(g *graph.Graph, by journey.By) *states {
	n := g.NumStates()
	s := &states{g: g, last: make([][]contact, n)}
	if g.Order() > 1 {
		s.parts = make([][][]contact, n)
	}
	for i := range n {
		if special(g.State(i)) {
			continue
		}
		ps := g.Parts(i)
		s.last[i] = w.partContacts(ps[len(ps)-1], by)
		if s.parts != nil {
			s.parts[i] = make([][]contact, len(ps))
			for k, p := range ps {
				s.parts[i][k] = w.partContacts(p, by)
			}
		}
	}
	return s
}

// shares returns, for a set of contacts chosen by removed, the share of
// each state's entering contacts in the set (share) and, at order k, the
// share of walks whose first state holds a contact in the set (first:
// 1 − Π over the parts of 1 − the part's share; nil at order 1).
func (s *states) shares(removed func(contact) bool) (share, first []float64) {
	n := len(s.last)
	share = make([]float64, n)
	for i, cs := range s.last {
		for _, c := range cs {
			if removed(c) {
				share[i] += c.w
			}
		}
	}
	if s.parts == nil {
		return share, nil
	}
	first = make([]float64, n)
	for i, ps := range s.parts {
		keep := 1.0
		for _, cs := range ps {
			sh := 0.0
			for _, c := range cs {
				if removed(c) {
					sh += c.w
				}
			}
			keep *= 1 - min(1, sh)
		}
		first[i] = 1 - keep
	}
	return share, first
}

// removalEffect returns the share of c's goal lost when the contacts
// chosen by removed disappear; it reports false if nothing is removed.
func (s *states) removalEffect(c *Chain, removed func(contact) bool) (float64, bool) {
	share, first := s.shares(removed)
	any := false
	for i, v := range share {
		if v > 0 || first != nil && first[i] > 0 {
			any = true
			break
		}
	}
	if !any || !(c.reach > 0) {
		return 0, any
	}
	at := func(a []float64) func(int) float64 {
		if a == nil {
			return nil
		}
		return func(j int) float64 { return a[j] }
	}
	p := c.without(at(share), at(first))
	return clamp01(1 - p/c.reach), true
}
