package journey

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// Sentinel errors wrapped by Map.Validate, for callers that branch with errors.Is.
var (
	ErrUnknownStep  = errors.New("unknown step")
	ErrUnknownStage = errors.New("unknown stage")
	ErrUnreachable  = errors.New("unreachable")
	// ErrNoWayOut is the same error as graph.ErrNoWayOut.
	ErrNoWayOut = graph.ErrNoWayOut
	ErrEmptyMap = errors.New("empty map")
	// ErrDuplicate is the same error as touchpoint.ErrDuplicate and
	// persona.ErrDuplicate, so one errors.Is catches every repeated id.
	ErrDuplicate = touchpoint.ErrDuplicate
)

// probTolerance is how far over 1 the probabilities out of a step may sum
// before Validate reports them: room for decimal fractions like 0.1+0.2+0.7.
const probTolerance = 1e-9

// Stage is a broad phase of the journey, such as a funnel stage: awareness,
// consideration, purchase, loyalty. Stages order the steps of a Map.
type Stage struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// Step is a concrete moment of interaction in the designed journey: "visits
// the site", "adds to cart", "calls the hotline".
type Step struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Stage string `json:"stage,omitempty"` // the id of the stage it belongs to
	// Direction says who starts the interaction at this step.
	Direction touchpoint.Direction `json:"direction,omitempty"`
	// Touchpoints are the catalog ids of the touchpoints available at this
	// step: the step's row of the contact map.
	Touchpoints []string `json:"touchpoints,omitempty"`
	// Goals are the objectives achieved when a customer reaches this step:
	// checkout achieves Conversion, a newsletter sign-up Connection.
	Goals []objectives.Objective `json:"goals,omitempty"`
	// Pains and Opportunities are what the designers know goes wrong here,
	// and what could be done about it.
	Pains         []string `json:"pains,omitempty"`
	Opportunities []string `json:"opportunities,omitempty"`
	// Emotion is the customers' designed or average emotion at this step;
	// a persona's empathy map may refine it.
	Emotion persona.Emotion `json:"emotion,omitempty"`
}

// HasGoal reports whether reaching the step achieves objective o.
func (s *Step) HasGoal(o objectives.Objective) bool {
	for _, g := range s.Goals {
		if g == o {
			return true
		}
	}
	return false
}

// Map is a company's designed customer journey: its stages, the concrete
// steps in each, the routes between steps (loops, skips and several routes
// to purchase allowed), the touchpoints available at each step, and the
// catalog, personas and persona rules it uses.
//
// A Map is a plain value, built as a literal or read from JSON with ReadMap.
// Validate reports every problem at once.
//
// Walks enter the map through the transitions from Start; a map with no such
// transition enters at its first step. A step with no outgoing transition
// ends the journey there (it goes to Exit).
type Map struct {
	Name        string             `json:"name,omitempty"`
	Description string             `json:"description,omitempty"`
	Stages      []Stage            `json:"stages,omitempty"`
	Steps       []Step             `json:"steps"`
	Transitions []graph.Transition `json:"transitions,omitempty"`
	Catalog     touchpoint.Catalog `json:"catalog,omitzero"`
	Personas    []persona.Persona  `json:"personas,omitempty"`
	Rules       persona.Rules      `json:"rules,omitempty"`
}

// Step returns the step with the given id.
func (m *Map) Step(id string) (Step, bool) {
	for _, s := range m.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// Stage returns the stage with the given id.
func (m *Map) Stage(id string) (Stage, bool) {
	for _, s := range m.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// StepsIn returns the steps of stage id, in map order.
func (m *Map) StepsIn(stage string) []Step {
	var out []Step
	for _, s := range m.Steps {
		if s.Stage == stage {
			out = append(out, s)
		}
	}
	return out
}

// Persona returns the persona with the given id.
func (m *Map) Persona(id string) (*persona.Persona, bool) {
	for i := range m.Personas {
		if m.Personas[i].ID == id {
			return &m.Personas[i], true
		}
	}
	return nil, false
}

// Next returns the routes out of from (a step id or Start) with their
// effective probabilities, following the rules of Transition: probabilities
// not given share what the given ones leave, and what remains goes to Exit
// (as a last transition to Exit, merged with any designed one). A step with
// no outgoing transition goes to Exit with probability 1; a map with no
// transition from Start enters at its first step. Next returns nil for
// Exit, Conversion and unknown ids.
//
// On an invalid map (probabilities over 1) the result is clamped so that
// probabilities stay in [0, 1] and sum to 1.
func (m *Map) Next(from string) []graph.Transition {
	if from != Start {
		if _, ok := m.Step(from); !ok {
			return nil
		}
	}
	var out []graph.Transition
	given, unset := 0.0, 0
	for _, t := range m.Transitions {
		if t.From != from {
			continue
		}
		out = append(out, t)
		if t.Probability > 0 && !math.IsInf(t.Probability, 0) {
			given += t.Probability
		} else {
			unset++
		}
	}
	if len(out) == 0 {
		if from == Start {
			if len(m.Steps) == 0 {
				return nil
			}
			return []graph.Transition{{From: Start, To: m.Steps[0].ID, Probability: 1}}
		}
		return []graph.Transition{{From: from, To: Exit, Probability: 1}}
	}
	scale := 1.0
	if given > 1 {
		scale = 1 / given
		given = 1
	}
	rest := max(0, 1-given)
	share := 0.0
	if unset > 0 {
		share = rest / float64(unset)
		rest = 0
	}
	exitAt := -1
	for i := range out {
		p := out[i].Probability
		if p > 0 && !math.IsInf(p, 0) {
			out[i].Probability = p * scale
		} else {
			out[i].Probability = share
		}
		if out[i].To == Exit {
			exitAt = i
		}
	}
	if rest > probTolerance {
		if exitAt >= 0 {
			out[exitAt].Probability += rest
		} else {
			out = append(out, graph.Transition{From: from, To: Exit, Probability: rest})
		}
	}
	return out
}

// Validate reports every problem in the map, each with the path to the bad
// field, prefixed with the map's name:
//
//	map "shoes": steps[3] "checkout": touchpoints[0]: unknown touchpoint "cart"
//
// It checks that the map has steps; that ids are present and unique and
// step ids do not start with "("; that every reference resolves (a step's
// stage and touchpoints, a transition's ends, a department's stages, a
// persona's empathy steps, a rule's persona); that probabilities lie in
// [0, 1] and sum to at most 1 out of each step; that every step can be
// reached from an entry; and that from every reachable step some route leads
// out of the journey (to Exit or Conversion). It also validates the catalog,
// the personas and the rules.
func (m *Map) Validate() error {
	var l verr.List
	if len(m.Steps) == 0 {
		l.Add("steps", ErrEmptyMap)
	}
	stages := make(map[string]bool, len(m.Stages))
	for i, s := range m.Stages {
		p := verr.Item("stages", i, s.ID)
		switch {
		case s.ID == "":
			l.Addf(p+": id", "empty")
		case stages[s.ID]:
			l.Addf(p, "%w stage id %q", ErrDuplicate, s.ID)
		}
		stages[s.ID] = true
	}
	_, tps := m.Catalog.Index()
	steps := make(map[string]bool, len(m.Steps))
	for i, s := range m.Steps {
		p := verr.Item("steps", i, s.ID)
		switch {
		case s.ID == "":
			l.Addf(p+": id", "empty")
		case reserved(s.ID):
			l.Addf(p+": id", "%q is reserved: step ids must not start with \"(\"", s.ID)
		case steps[s.ID]:
			l.Addf(p, "%w step id %q", ErrDuplicate, s.ID)
		}
		steps[s.ID] = true
		if s.Stage != "" && !stages[s.Stage] {
			l.Add(p+": stage", fmt.Errorf("%w %q", ErrUnknownStage, s.Stage))
		} else if s.Stage == "" && len(m.Stages) > 0 {
			l.Addf(p+": stage", "empty: the map has stages, so every step needs one")
		}
		if s.Direction > touchpoint.Outbound {
			l.Addf(p+": direction", "%v is not a direction", s.Direction)
		}
		seen := make(map[string]bool)
		for j, tp := range s.Touchpoints {
			tpath := p + ": " + verr.Item("touchpoints", j, "")
			if _, ok := tps[tp]; !ok {
				l.Add(tpath, fmt.Errorf("%w %q", touchpoint.ErrUnknownTouchpoint, tp))
			} else if seen[tp] {
				l.Addf(tpath, "%w touchpoint %q", ErrDuplicate, tp)
			}
			seen[tp] = true
		}
		for j, g := range s.Goals {
			if !g.IsValid() {
				l.Addf(p+": "+verr.Item("goals", j, ""), "%v is not an objective", g)
			}
		}
		if !s.Emotion.IsValid() {
			l.Addf(p+": emotion", "%d is off the scale [%d, %d]", s.Emotion, persona.MinEmotion, persona.MaxEmotion)
		}
	}
	m.validateTransitions(&l, steps)
	if l.Len() == 0 {
		m.validateReach(&l)
	}

	l.Add("catalog", m.Catalog.Validate())
	for i, d := range m.Catalog.Departments {
		for j, s := range d.Stages {
			if !stages[s] {
				l.Add("catalog: "+verr.Item("departments", i, d.ID)+": "+verr.Item("stages", j, ""), fmt.Errorf("%w %q", ErrUnknownStage, s))
			}
		}
	}
	l.Add("", persona.ValidateAll(m.Personas))
	for i, p := range m.Personas {
		for j, e := range p.Empathy {
			if e.Step != "" && !steps[e.Step] {
				l.Add(verr.Item("personas", i, p.ID)+": "+verr.Item("empathy", j, e.Step)+": step", fmt.Errorf("%w %q", ErrUnknownStep, e.Step))
			}
		}
	}
	l.Add("", m.Rules.Validate(m.Personas))

	name := "map"
	if m.Name != "" {
		name += " " + strconv.Quote(m.Name)
	}
	return verr.Prefix(name, l.Err())
}

func (m *Map) validateTransitions(l *verr.List, steps map[string]bool) {
	type edge struct{ from, to string }
	seen := make(map[edge]bool)
	given := make(map[string]float64)
	unset := make(map[string]int)
	for i, t := range m.Transitions {
		p := "transitions[" + strconv.Itoa(i) + "] " + strconv.Quote(t.From) + " -> " + strconv.Quote(t.To)
		if t.From != Start && !steps[t.From] {
			l.Add(p+": from", fmt.Errorf("%w %q", ErrUnknownStep, t.From))
		}
		if t.To != Exit && t.To != Conversion && !steps[t.To] {
			l.Add(p+": to", fmt.Errorf("%w %q", ErrUnknownStep, t.To))
		}
		if t.From == Start && (t.To == Exit || t.To == Conversion) {
			l.Addf(p, "a journey cannot end before its first step")
		}
		if !(t.Probability >= 0 && t.Probability <= 1) {
			l.Addf(p+": probability", "%v is outside [0, 1]", t.Probability)
		}
		e := edge{t.From, t.To}
		if seen[e] {
			l.Addf(p, "%w transition", ErrDuplicate)
		}
		seen[e] = true
		if t.Probability > 0 {
			given[t.From] += t.Probability
		} else {
			unset[t.From]++
		}
	}
	checked := make(map[string]bool)
	for _, from := range append([]string{Start}, stepIDs(m.Steps)...) {
		if checked[from] {
			continue // a repeated step id, reported above
		}
		checked[from] = true
		g := given[from]
		p := "transitions from " + strconv.Quote(from)
		switch {
		case g > 1+probTolerance:
			l.Addf(p, "probabilities sum to %v, more than 1", g)
		case g >= 1-probTolerance && unset[from] > 0:
			l.Addf(p, "probabilities given sum to 1, leaving nothing for the %d transition(s) without one", unset[from])
		}
	}
}

// validateReach reports steps no walk can reach and reachable steps from
// which no walk can leave. It runs on a map whose references all resolve.
func (m *Map) validateReach(l *verr.List) {
	// Forward: from Start along routes of positive probability.
	reached := map[string]bool{Start: true}
	queue := []string{Start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range m.Next(s) {
			if t.Probability > 0 && !reached[t.To] {
				reached[t.To] = true
				queue = append(queue, t.To)
			}
		}
	}
	// Backward: which states can reach Exit or Conversion.
	into := make(map[string][]string)
	for _, s := range append([]string{Start}, stepIDs(m.Steps)...) {
		for _, t := range m.Next(s) {
			if t.Probability > 0 {
				into[t.To] = append(into[t.To], s)
			}
		}
	}
	out := map[string]bool{Exit: true, Conversion: true}
	queue = []string{Exit, Conversion}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, f := range into[s] {
			if !out[f] {
				out[f] = true
				queue = append(queue, f)
			}
		}
	}
	for i, s := range m.Steps {
		p := verr.Item("steps", i, s.ID)
		if !reached[s.ID] {
			l.Addf(p, "%w: no route from %s leads here", ErrUnreachable, Start)
		} else if !out[s.ID] {
			l.Addf(p, "%w: no route from here reaches %s or %s", ErrNoWayOut, Exit, Conversion)
		}
	}
}

func stepIDs(steps []Step) []string {
	ids := make([]string, len(steps))
	for i, s := range steps {
		ids[i] = s.ID
	}
	return ids
}

// UnmarshalJSON decodes a map strictly: every unknown field and every value
// of the wrong type is reported, each with its JSON path. It does not call
// Validate; ReadMap does both.
func (m *Map) UnmarshalJSON(data []byte) error {
	type plain Map
	var p plain
	if err := jsonstrict.Decode(data, &p); err != nil {
		return err
	}
	*m = Map(p)
	return nil
}

// ReadMap reads a map from its JSON form and validates it. The error lists
// every problem: decoding problems with their JSON paths, or, if the
// document decodes, every validation problem.
func ReadMap(r io.Reader) (*Map, error) {
	var m Map
	if err := jsonstrict.ReadAll(r, &m); err != nil {
		return nil, verr.Prefix("journey: reading map", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}
