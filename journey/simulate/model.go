package simulate

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// Sentinel errors, wrapped by the errors of this package for callers that
// branch with errors.Is. Unknown steps and personas wrap the sentinels of
// packages journey and persona.
var (
	ErrBadOption         = errors.New("bad option")
	ErrNilGraph          = errors.New("nil graph")
	ErrNoStart           = errors.New("no start")
	ErrBadDist           = errors.New("bad distribution")
	ErrUnknownTransition = errors.New("unknown transition")
	ErrNoMatch           = errors.New("nothing matches")
	ErrTimeRange         = errors.New("time out of range")
	ErrUnknownStep       = journey.ErrUnknownStep
	ErrUnknownPersona    = persona.ErrUnknownPersona
)

// Spec describes a Model: the chain the customers walk and what turns a
// walk into events. Only Graph is required; New checks the rest. A Spec is
// a plain value: FromMap fills one from a designed journey, to be adjusted
// before New.
type Spec struct {
	// Graph is the chain: its states are steps (or, at order k, tuples of
	// steps whose last part is the step; see Model), from graph.Start to
	// absorbing states such as graph.Conversion and graph.Exit.
	Graph *graph.Graph
	// Touchpoints is the contact map: for a step, the touchpoints a
	// customer can meet it through, in order. Each event at the step gets
	// the id and channel of one of them, drawn with probability
	// proportional to the persona's weight for its channel (uniformly
	// without personas). Events at steps not listed have no channel and no
	// touchpoint.
	Touchpoints map[string][]touchpoint.Touchpoint
	// Personas make up the population, each customer being one persona
	// drawn by share (persona.Weights: shares normalised; equal shares if
	// none is given). A persona's channel weights multiply the odds of the
	// transitions into the steps of those channels (see Model). With no
	// persona, every customer walks the chain as it is.
	Personas []persona.Persona
	// PersonaProp is the event property that records each customer's
	// persona, on all of its events; "" means "persona". Without
	// personas, events have no property.
	PersonaProp string
	// Wait is the time a customer spends at a step before the next event,
	// in nanoseconds, for the steps Waits does not list. The zero Dist
	// waits no time.
	Wait Dist
	// Waits are the waiting times at particular steps.
	Waits map[string]Dist
	// Values give the value of the events at a step (an order's amount);
	// a key may be an absorbing state such as graph.Conversion, whose
	// event ends a converting walk. Events at other steps have no value.
	Values map[string]Dist
}

// FromMap returns the Spec of a designed journey: its Graph (Map.Graph:
// states are step ids), the touchpoints of each step from the map's
// catalog, and its personas. Waits and values are left for the caller. It
// returns the error of m.Validate for an invalid map. It takes O(s·t) time
// for s steps and t transitions.
func FromMap(m *journey.Map) (Spec, error) {
	g, err := m.Graph()
	if err != nil {
		return Spec{}, err
	}
	_, index := m.Catalog.Index()
	tps := make(map[string][]touchpoint.Touchpoint)
	for _, s := range m.Steps {
		for _, id := range s.Touchpoints {
			tps[s.ID] = append(tps[s.ID], m.Catalog.Touchpoints[index[id]])
		}
	}
	return Spec{Graph: g, Touchpoints: tps, Personas: slices.Clone(m.Personas)}, nil
}

// Model is a compiled, immutable simulation model: a chain over steps,
// the touchpoints of each step, a population of personas, waiting times
// and values. New builds one from a Spec; Scale, RemoveSteps,
// RemoveTouchpoints, WithWait and WithValue derive modified models for
// interventions, leaving the original unchanged. A Model is safe for
// concurrent use.
//
// # Steps of a state
//
// The step of a state is its last part (Graph.Parts): the state itself at
// order 1, the most recent step of the tuple at order k. Touchpoints,
// waits, values, persona weights and the from and to of Scale all refer to
// steps.
//
// # Personas
//
// The weight of a step for a persona is the mean of the persona's channel
// weights (persona.Persona.ChannelWeight) over the step's touchpoints:
//
//	w(s) = (1/|T(s)|) · Σ_{t ∈ T(s)} ChannelWeight(channel(t))
//
// and 1 for a step with no touchpoint and for absorbing states. A persona
// at state i moves to successor j with probability
//
//	p'(i→j) = p(i→j)·w(j) / Σ_k p(i→k)·w(k)
//
// where w(j) is the weight of j's step: the odds of any two successors are
// multiplied by the ratio of their weights, and the row still sums to 1.
// If every successor has weight 0 the persona leaves (moves to Exit). At
// a step, the persona meets touchpoint t with probability proportional to
// ChannelWeight(channel(t)) (uniformly if all are 0).
type Model struct {
	order            int
	names            []string // state names; a missing Exit is appended
	start, exit, cnv int32    // cnv is -1 without a Conversion state
	absorbing        []bool
	off, to          []int32 // the base chain in CSR form, rows by target index
	prob             []float64
	partOff, parts   []int32 // the step ids of each state's parts

	steps    []string // step table: every part and absorbing state name
	stepID   map[string]int32
	contacts [][]touchpoint.Touchpoint // by step
	removed  []bool                    // by state: taken out by an intervention

	wait     Dist
	waits    []Dist // by step
	waitSet  []bool
	hasWait  bool
	values   []Dist
	valueSet []bool

	personas []persona.Persona
	shares   []float64 // persona.Weights
	shareCum []float64
	prop     string

	tabs []table // by persona, or one for the chain as it is
	syms symbols
}

// symbols are the names a simulated log can hold, by table (steps,
// channels, touchpoints, properties), and the ids of each step's
// touchpoints and of each persona's property value in them.
type symbols struct {
	names   [numTables][]string
	touch   [][][2]uint32 // by step, by touchpoint: channel and touchpoint ids
	persona []uint32      // by persona: the id of its id; the key is id 0
}

// symbols fills m.syms. Channels and touchpoints start with the empty
// name, that of events with no touchpoint.
func (m *Model) symbols() {
	var y symbols
	y.names[tabSteps] = m.steps
	index := func(t int, name string, ids map[string]uint32) uint32 {
		if id, ok := ids[name]; ok {
			return id
		}
		id := uint32(len(y.names[t]))
		y.names[t] = append(y.names[t], name)
		ids[name] = id
		return id
	}
	chans := make(map[string]uint32)
	tps := make(map[string]uint32)
	index(tabChannels, "", chans)
	index(tabTouchpoints, "", tps)
	y.touch = make([][][2]uint32, len(m.steps))
	for id, list := range m.contacts {
		for _, tp := range list {
			y.touch[id] = append(y.touch[id], [2]uint32{index(tabChannels, string(tp.Channel), chans), index(tabTouchpoints, tp.ID, tps)})
		}
	}
	if len(m.personas) > 0 {
		props := make(map[string]uint32)
		index(tabProps, m.prop, props)
		for _, p := range m.personas {
			y.persona = append(y.persona, index(tabProps, p.ID, props))
		}
	}
	m.syms = y
}

// table is what one persona samples from.
type table struct {
	cum   []float64   // by edge: cumulative probability within the row
	dead  []bool      // by state: every successor has weight 0 (nil if none)
	tpCum [][]float64 // by step: cumulative touchpoint probabilities
	// weight by step, for Graph.
	weight []float64
}

// New checks a Spec and compiles it into a Model. It fails, listing
// every problem with its path and prefixed "simulate: ", if the graph is
// nil (ErrNilGraph) or has no transient Start state (ErrNoStart), if a
// step of Touchpoints, Waits or Values is not a step of the graph
// (ErrUnknownStep), if a touchpoint or persona is invalid, or if a
// distribution is (ErrBadDist). It takes O(n + m·P) time for n states, m
// transitions and P personas.
func New(s Spec) (*Model, error) {
	m, err := newModel(s)
	if err != nil {
		return nil, verr.Prefix("simulate", err)
	}
	return m, nil
}

func newModel(s Spec) (*Model, error) {
	g := s.Graph
	if g == nil {
		return nil, fmt.Errorf("graph: %w", ErrNilGraph)
	}
	m := &Model{order: g.Order(), start: -1, exit: -1, cnv: -1, stepID: make(map[string]int32)}
	n := g.NumStates()
	m.names = make([]string, n, n+1)
	m.absorbing = make([]bool, n, n+1)
	m.off = make([]int32, 1, n+2)
	m.partOff = make([]int32, 1, n+2)
	for i := range n {
		m.names[i] = g.State(i)
		m.absorbing[i] = g.IsAbsorbing(i)
		for j, p := range g.Successors(i) {
			m.to = append(m.to, int32(j))
			m.prob = append(m.prob, p)
		}
		m.off = append(m.off, int32(len(m.to)))
		for _, p := range g.Parts(i) {
			m.parts = append(m.parts, m.step(p))
		}
		m.partOff = append(m.partOff, int32(len(m.parts)))
	}
	if i, ok := g.Index(graph.Start); ok {
		m.start = int32(i)
	}
	switch {
	case m.start < 0:
		return nil, fmt.Errorf("graph: %w: it has no %s state", ErrNoStart, graph.Start)
	case m.absorbing[m.start]:
		return nil, fmt.Errorf("graph: %w: %s has no transition", ErrNoStart, graph.Start)
	}
	if i, ok := g.Index(graph.Exit); ok && m.absorbing[i] {
		m.exit = int32(i)
	} else if !ok {
		m.exit = int32(len(m.names))
		m.names = append(m.names, graph.Exit)
		m.absorbing = append(m.absorbing, true)
		m.off = append(m.off, m.off[len(m.off)-1])
		m.parts = append(m.parts, m.step(graph.Exit))
		m.partOff = append(m.partOff, int32(len(m.parts)))
	} else {
		// A graph built with transitions out of a state named (exit)
		// cannot exist: Build rejects them. Keep the check for safety.
		return nil, fmt.Errorf("graph: %s is not absorbing", graph.Exit)
	}
	if i, ok := g.Index(graph.Conversion); ok && m.absorbing[i] {
		m.cnv = int32(i)
	}
	m.removed = make([]bool, len(m.names))
	if _, ok := m.stepID[""]; ok {
		return nil, fmt.Errorf("graph: a state has an empty name, which no event's step can have")
	}

	var l verr.List
	ns := len(m.steps)
	m.contacts = make([][]touchpoint.Touchpoint, ns)
	for _, step := range slices.Sorted(maps.Keys(s.Touchpoints)) {
		path := "touchpoints[" + strconv.Quote(step) + "]"
		id, ok := m.stepID[step]
		if !ok || special(step) {
			l.Add(path, fmt.Errorf("%w %q: the graph has no such step", ErrUnknownStep, step))
			continue
		}
		seen := make(map[string]bool)
		for j, t := range s.Touchpoints[step] {
			tp := verr.Item(path, j, t.ID)
			l.Add(tp, t.Validate())
			if t.ID != "" && seen[t.ID] {
				l.Addf(tp, "%w touchpoint %q", touchpoint.ErrDuplicate, t.ID)
			}
			seen[t.ID] = true
		}
		m.contacts[id] = slices.Clone(s.Touchpoints[step])
	}
	m.wait = s.Wait
	l.Add("wait", s.Wait.Validate())
	m.waits = make([]Dist, ns)
	m.waitSet = make([]bool, ns)
	m.values = make([]Dist, ns)
	m.valueSet = make([]bool, ns)
	for _, step := range slices.Sorted(maps.Keys(s.Waits)) {
		path := "waits[" + strconv.Quote(step) + "]"
		id, ok := m.stepID[step]
		if !ok || special(step) {
			l.Add(path, fmt.Errorf("%w %q: the graph has no such step", ErrUnknownStep, step))
			continue
		}
		l.Add(path, s.Waits[step].Validate())
		m.waits[id], m.waitSet[id] = s.Waits[step], true
	}
	for _, step := range slices.Sorted(maps.Keys(s.Values)) {
		path := "values[" + strconv.Quote(step) + "]"
		id, ok := m.stepID[step]
		if !ok || step == graph.Start {
			l.Add(path, fmt.Errorf("%w %q: the graph has no such step or end", ErrUnknownStep, step))
			continue
		}
		l.Add(path, s.Values[step].Validate())
		m.values[id], m.valueSet[id] = s.Values[step], true
	}
	l.Add("", persona.ValidateAll(s.Personas))
	if l.Len() > 0 {
		return nil, l.Err()
	}
	m.resolveWaits()
	m.personas = slices.Clone(s.Personas)
	for i := range m.personas {
		m.personas[i].Channels = maps.Clone(m.personas[i].Channels)
	}
	m.prop = s.PersonaProp
	if m.prop == "" {
		m.prop = "persona"
	}
	m.setPersonas()
	m.compile()
	m.symbols()
	return m, nil
}

// special reports whether a step name is one of the special states.
func special(s string) bool {
	return s == graph.Start || s == graph.Exit || s == graph.Conversion
}

// step returns the id of a step name in the step table, adding it.
func (m *Model) step(name string) int32 {
	if id, ok := m.stepID[name]; ok {
		return id
	}
	id := int32(len(m.steps))
	m.steps = append(m.steps, name)
	m.stepID[name] = id
	return id
}

// stepOf returns the step id of state i: its last part.
func (m *Model) stepOf(i int32) int32 { return m.parts[m.partOff[i+1]-1] }

// resolveWaits fills the waits of the steps with no wait of their own
// with the default one.
func (m *Model) resolveWaits() {
	m.hasWait = !m.wait.IsZero()
	for id := range m.waits {
		if !m.waitSet[id] {
			m.waits[id] = m.wait
		}
		if !m.waits[id].IsZero() {
			m.hasWait = true
		}
	}
}

// setPersonas computes the shares of the personas.
func (m *Model) setPersonas() {
	m.shares = persona.Weights(m.personas)
	m.shareCum = make([]float64, len(m.shares))
	c := 0.0
	for i, w := range m.shares {
		c += w
		m.shareCum[i] = c
	}
	// The last persona with a share, and those after it, end at exactly 1,
	// so that a draw below 1 never picks a persona without a share.
	for i := len(m.shares) - 1; i >= 0; i-- {
		m.shareCum[i] = 1
		if m.shares[i] > 0 {
			break
		}
	}
}

// compile builds the sampling table of each persona (or of the chain as
// it is, without personas).
func (m *Model) compile() {
	if len(m.personas) == 0 {
		m.tabs = []table{m.table(nil)}
		return
	}
	m.tabs = make([]table, len(m.personas))
	for i := range m.personas {
		m.tabs[i] = m.table(&m.personas[i])
	}
}

// table computes the sampling table of persona p (nil: no persona).
func (m *Model) table(p *persona.Persona) table {
	ns := len(m.steps)
	t := table{weight: make([]float64, ns), tpCum: make([][]float64, ns)}
	for id, tps := range m.contacts {
		t.weight[id] = 1
		if len(tps) == 0 {
			continue
		}
		cum := make([]float64, len(tps))
		total := 0.0
		for k, tp := range tps {
			w := 1.0
			if p != nil {
				w = p.ChannelWeight(tp.Channel)
			}
			total += w
			cum[k] = total
		}
		t.weight[id] = total / float64(len(tps))
		if total == 0 { // the persona uses none of them: uniform
			for k := range cum {
				cum[k] = float64(k + 1)
			}
			total = float64(len(cum))
		}
		for k := range cum {
			cum[k] /= total
		}
		t.tpCum[id] = cum
	}
	t.cum = make([]float64, len(m.to))
	for i := range m.names {
		lo, hi := m.off[i], m.off[i+1]
		if lo == hi {
			continue
		}
		total := 0.0
		for k := lo; k < hi; k++ {
			total += m.edgeWeight(&t, k)
		}
		if total == 0 {
			if t.dead == nil {
				t.dead = make([]bool, len(m.names))
			}
			t.dead[i] = true
			continue
		}
		c := 0.0
		for k := lo; k < hi; k++ {
			c += m.edgeWeight(&t, k)
			t.cum[k] = c / total
		}
	}
	return t
}

// edgeWeight returns the base probability of edge k times the weight of
// its target's step (1 for absorbing targets).
func (m *Model) edgeWeight(t *table, k int32) float64 {
	j := m.to[k]
	if m.absorbing[j] {
		return m.prob[k]
	}
	return float64(m.prob[k] * t.weight[m.stepOf(j)])
}

// personaIndex returns the index of the persona with the given id.
func (m *Model) personaIndex(id string) (int, error) {
	for i, p := range m.personas {
		if p.ID == id {
			return i, nil
		}
	}
	return 0, fmt.Errorf("simulate: %w %q", ErrUnknownPersona, id)
}

// Personas returns a copy of the model's personas.
func (m *Model) Personas() []persona.Persona { return slices.Clone(m.personas) }

// Shares returns the share of each persona in the population, in the
// order of Personas: persona.Weights of the personas.
func (m *Model) Shares() []float64 { return slices.Clone(m.shares) }

// Graph returns the chain a customer of the persona with the given id
// walks: the model's states reachable from Start, with the transition
// probabilities of the Model's persona formula ("" for the chain without
// persona weights). States removed by an intervention are gone. Its
// absorbing-chain figures are the exact counterparts of what simulation
// estimates: Absorption(Start, Conversion) is the persona's conversion
// rate when no walk reaches MaxSteps. State names are those of the
// model's graph; at order k the result is an order-1 graph whose states
// are named by the tuples. It fails for an unknown persona. It takes
// O(n + m) time plus the building of the graph.
func (m *Model) Graph(personaID string) (*graph.Graph, error) {
	t := m.base()
	if personaID != "" {
		p, err := m.personaIndex(personaID)
		if err != nil {
			return nil, err
		}
		t = &m.tabs[p]
	}
	var b graph.Builder
	seen := make([]bool, len(m.names))
	seen[m.start] = true
	queue := []int32{m.start}
	b.AddState(graph.Start)
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		r := m.row(t, i)
		for _, j := range sortedIDs(r) {
			b.Add(m.names[i], m.names[j], r[j])
			if !seen[j] {
				seen[j] = true
				queue = append(queue, j)
			}
		}
	}
	return b.Build()
}

// base returns a table without persona weights.
func (m *Model) base() *table {
	if len(m.personas) == 0 {
		return &m.tabs[0]
	}
	t := m.table(nil)
	return &t
}

// row returns the probabilities of the transitions out of state i under
// table t, as a persona walks them, by target.
func (m *Model) row(t *table, i int32) map[int32]float64 {
	out := make(map[int32]float64)
	if t.dead != nil && t.dead[i] {
		out[m.exit] = 1
		return out
	}
	total := 0.0
	for k := m.off[i]; k < m.off[i+1]; k++ {
		total += m.edgeWeight(t, k)
	}
	for k := m.off[i]; k < m.off[i+1]; k++ {
		if w := m.edgeWeight(t, k); w > 0 {
			out[m.to[k]] += w / total
		}
	}
	return out
}

// ConversionRate returns the probability that a simulated customer
// converts, computed exactly: Σ_p share(p) · Absorption(Start,
// Conversion) of persona p's Graph, or the Absorption of the chain itself
// without personas; 0 if the model has no Conversion state. Simulation
// estimates it (OutcomeConversion), up to the walks MaxSteps cuts short.
// It solves one sparse linear system per persona.
func (m *Model) ConversionRate() (float64, error) {
	if m.cnv < 0 {
		return 0, nil
	}
	return m.mixture(func(g *graph.Graph) float64 {
		return g.Absorption(graph.Start, graph.Conversion)
	})
}

// Reach returns the probability that a simulated customer has an event at
// step (a step, or an absorbing state), computed exactly: Σ_p share(p) ·
// Reach(step) from Start in persona p's Graph (see graph.Graph.Reach),
// or that of the chain itself without personas. Simulation estimates it
// (ReachOutcome), up to the walks MaxSteps cuts short. It fails with
// ErrUnknownStep for a name that is not a step of the model. It solves
// one sparse linear system per persona.
func (m *Model) Reach(step string) (float64, error) {
	if _, ok := m.stepID[step]; !ok || step == graph.Start {
		return 0, fmt.Errorf("simulate: reach: %w %q", ErrUnknownStep, step)
	}
	return m.mixture(func(g *graph.Graph) float64 {
		i, ok := g.Index(graph.Start)
		if !ok {
			return 0
		}
		return g.Reach(step)[i]
	})
}

// mixture returns Σ_p share(p)·f(Graph(p)), or f(Graph("")) without
// personas.
func (m *Model) mixture(f func(g *graph.Graph) float64) (float64, error) {
	if len(m.personas) == 0 {
		g, err := m.Graph("")
		if err != nil {
			return 0, err
		}
		return f(g), nil
	}
	total := 0.0
	for i, p := range m.personas {
		if m.shares[i] == 0 {
			continue
		}
		g, err := m.Graph(p.ID)
		if err != nil {
			return 0, err
		}
		total += float64(m.shares[i] * f(g))
	}
	return total, nil
}

// sortedIDs returns the keys of a map of state ids, sorted.
func sortedIDs(r map[int32]float64) []int32 {
	ids := slices.Collect(maps.Keys(r))
	slices.SortFunc(ids, func(a, b int32) int { return cmp.Compare(a, b) })
	return ids
}
