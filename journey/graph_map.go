package journey

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/persona"
)

// Graph returns the designed journey as a chain: its states are Start,
// every step, Exit, and Conversion if some transition leads there; its
// transitions are those of Next, with the probabilities Next gives
// (probabilities not given share what the given ones leave, the rest goes
// to Exit, a step with no way out goes to Exit, a map with no transition
// from Start enters at its first step). Weights are the probabilities.
//
// It returns the error of Validate if the map is invalid. It takes O(s·t)
// time for s steps and t transitions.
func (m *Map) Graph() (*graph.Graph, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var b graph.Builder
	b.AddState(Start)
	b.AddState(Exit)
	for _, s := range m.Steps {
		b.AddState(s.ID)
	}
	for _, from := range append([]string{Start}, stepIDs(m.Steps)...) {
		for _, t := range m.Next(from) {
			if t.Probability > 0 {
				b.Add(t.From, t.To, t.Probability)
			}
		}
	}
	return b.Build()
}

// Emotions returns the emotion at each step of the map for the persona
// with the given id: its empathy map's entry where it has one, the step's
// own Emotion otherwise (0, neutral, when not given). An empty or unknown
// persona id gives the steps' own emotions. Pass the result to
// graph.FrictionOptions.Emotions.
func (m *Map) Emotions(personaID string) map[string]persona.Emotion {
	p, _ := m.Persona(personaID)
	out := make(map[string]persona.Emotion, len(m.Steps))
	for _, s := range m.Steps {
		e := s.Emotion
		if p != nil {
			if em, ok := p.At(s.ID); ok {
				e = em.Emotion
			}
		}
		out[s.ID] = e
	}
	return out
}

// ConformanceOptions say how Map.Conformance reads the log's paths. The
// zero value collapses repeats and ends every path in Exit.
type ConformanceOptions struct {
	// Goal marks goal events as in LearnOptions: a path moves to
	// Conversion at its first goal event. Leave it nil when the map
	// models conversion as a step rather than as transitions to
	// Conversion.
	Goal func(Event) bool
	// KeepRepeats counts a step repeated in a row as a transition from
	// the step to itself, which a map rarely designs.
	KeepRepeats bool
	// Workers as in LearnOptions.
	Workers int
	// Context, if not nil, cancels the check as in LearnOptions.
	Context context.Context
}

// ConformanceEdge is one transition seen in the log or designed in the
// map, or both.
type ConformanceEdge struct {
	From, To string
	// Count is the number of times customers took the transition.
	Count int
	// Share is Count divided by the number of observed transitions out
	// of From (0 if none).
	Share float64
	// Designed reports whether the map has the transition (Map.Next gives
	// it a positive probability), and Probability is that probability.
	Designed    bool
	Probability float64
}

// Conformance compares the paths of a log with a designed map, as process
// mining checks a model against a log (W. M. P. van der Aalst, Process
// Mining, 2nd ed., Springer 2016, ch. 8): every observed transition
// (Start to a path's first step, step to step, the last step to Exit or,
// with a Goal, to Conversion) is allowed by the map or not.
type Conformance struct {
	// Fitness is the share of observed transitions that the map allows,
	// each counted as often as customers took it; 1 when nothing was
	// observed.
	Fitness float64
	// Observed is the number of transitions observed, Allowed the number
	// of those the map has.
	Observed, Allowed int
	// Edges lists every designed or observed transition, sorted by From,
	// then To.
	Edges []ConformanceEdge
}

// stepKey is how Conformance matches the state of a step named name with
// a map's ids: the step itself, unless it is shaped like a special state,
// which no map step can be, and is then quoted as its state's name.
func stepKey(name string) string {
	if reserved(name) {
		return strconv.Quote(name)
	}
	return name
}

// Undesigned returns the observed transitions the map does not have, most
// taken first (ties by From, To).
func (c *Conformance) Undesigned() []ConformanceEdge {
	var out []ConformanceEdge
	for _, e := range c.Edges {
		if !e.Designed {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b ConformanceEdge) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// Unobserved returns the designed transitions nobody took, in Edges order.
func (c *Conformance) Unobserved() []ConformanceEdge {
	var out []ConformanceEdge
	for _, e := range c.Edges {
		if e.Designed && e.Count == 0 {
			out = append(out, e)
		}
	}
	return out
}

// Conformance checks the log's paths, read by step at order 1 as Learn
// reads them (see ConformanceOptions), against the map's transitions. A
// step of the log that the map does not have makes every transition
// into or out of it undesigned. It returns the error of Validate for an
// invalid map, and opt.Context's error if it is cancelled. It takes O(n)
// time for n events plus O(s·t) for the map.
func (m *Map) Conformance(l *Log, opt ConformanceOptions) (*Conformance, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	counts, err := l.countSyms(LearnOptions{Goal: opt.Goal, KeepRepeats: opt.KeepRepeats, Workers: opt.Workers, Context: opt.Context})
	if err != nil {
		return nil, err
	}
	names := l.dicts[ByStep].names
	start, conv, exit := counts.special()
	name := func(local int32) string {
		switch local {
		case start:
			return Start
		case conv:
			return Conversion
		case exit:
			return Exit
		}
		return stepKey(names[local])
	}
	type key struct{ from, to string }
	edges := make(map[key]*ConformanceEdge)
	out := make(map[string]int)
	c := &Conformance{}
	counts.edges64(func(from, to int32, n int64) {
		e := key{name(from), name(to)}
		edges[e] = &ConformanceEdge{From: e.from, To: e.to, Count: int(n)}
		out[e.from] += int(n)
		c.Observed += int(n)
	})
	for _, from := range append([]string{Start}, stepIDs(m.Steps)...) {
		for _, t := range m.Next(from) {
			if !(t.Probability > 0) {
				continue
			}
			e, ok := edges[key{t.From, t.To}]
			if !ok {
				e = &ConformanceEdge{From: t.From, To: t.To}
				edges[key{t.From, t.To}] = e
			}
			e.Designed, e.Probability = true, t.Probability
			c.Allowed += e.Count
		}
	}
	for _, e := range edges {
		if n := out[e.From]; n > 0 {
			e.Share = float64(e.Count) / float64(n)
		}
		c.Edges = append(c.Edges, *e)
	}
	slices.SortFunc(c.Edges, func(a, b ConformanceEdge) int {
		if r := cmp.Compare(a.From, b.From); r != 0 {
			return r
		}
		return cmp.Compare(a.To, b.To)
	})
	c.Fitness = 1
	if c.Observed > 0 {
		c.Fitness = float64(c.Allowed) / float64(c.Observed)
	}
	return c, nil
}
