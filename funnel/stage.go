package funnel

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// Stage is one stage of a funnel: the events that count as reaching it.
//
// Match may be any function. Stages made by [Step], [Channel],
// [Touchpoint], [Prop], [All] and [AnyOf] also carry a description of what
// they match, which [Funnel.Analyze] evaluates once per distinct step,
// channel or touchpoint of the log instead of calling Match for every event
// (see "Fast path and cost" in the package documentation). Assigning
// another function to Match turns that off for the stage: the new Match is
// called (a function that only forwards to the constructor's Match is
// still recognised, and then not called).
//
// Optional and Within refine the stage's place in a chain; see the package
// documentation ("Optional stages", "Windows").
type Stage struct {
	Name  string
	Match func(journey.Event) bool

	// Optional stages may be skipped: the chain goes on from the stage
	// before them. Neither the first nor the last stage may be optional.
	Optional bool
	// Within, if positive, is the longest time from the event of the
	// previous stage reached in the chain to the event of this stage,
	// inclusive. Zero means no limit; the first stage has none.
	Within time.Duration

	c *cond // set by the constructors; nil for a literal stage
}

// Named returns s with the given name.
func (s Stage) Named(name string) Stage {
	s.Name = name
	return s
}

// cond describes what a constructed stage matches: every set it has must
// hold (a nil set holds for anything).
type cond struct {
	token string                   // identifies this cond's Match (see ours)
	sets  [numDims]map[string]bool // step, channel, touchpoint names; nil: any
	props []propCond               // each must hold
	err   string                   // a construction problem, reported by Validate
}

// The dimensions a cond constrains by interned symbol; they are the
// journey.By values.
const numDims = 3

// propCond holds when the event has property key, with one of values (any
// value if values is nil).
type propCond struct {
	key    string
	values map[string]bool
}

var tokens atomic.Uint64

func newCond() *cond {
	return &cond{token: strconv.FormatUint(tokens.Add(1), 36)}
}

// probeCustomer and probeKey mark the event with which Analyze asks a
// stage's Match whether it is still the one its constructor made.
const (
	probeCustomer = "\x00funnel probe"
	probeKey      = "\x00funnel token"
)

// eval reports whether e satisfies c.
func (c *cond) eval(e *journey.Event) bool {
	vals := [numDims]string{e.Step, string(e.Channel), e.Touchpoint}
	for d, set := range c.sets {
		if set != nil && !set[vals[d]] {
			return false
		}
	}
	for _, p := range c.props {
		v, ok := e.Props[p.key]
		if !ok || p.values != nil && !p.values[v] {
			return false
		}
	}
	return true
}

// stage returns a stage named name whose Match evaluates c.
func (c *cond) stage(name string) Stage {
	return Stage{Name: name, c: c, Match: func(e journey.Event) bool {
		if e.Customer == probeCustomer {
			if tok, ok := e.Props[probeKey]; ok {
				return tok == c.token
			}
		}
		return c.eval(&e)
	}}
}

// ours reports whether s.Match is still the function that s's constructor
// made, so that Analyze may evaluate s.c instead of calling it. A Match
// that panics on the probe is treated as not ours.
func (s *Stage) ours() (ok bool) {
	if s.c == nil || s.Match == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	probe := func(tok string) journey.Event {
		return journey.Event{Customer: probeCustomer, Props: map[string]string{probeKey: tok}}
	}
	return s.Match(probe(s.c.token)) && !s.Match(probe(s.c.token+"/other"))
}

func nameSet[T ~string](names []T) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[string(n)] = true
	}
	return set
}

func symbolStage[T ~string](d journey.By, fn string, names []T) Stage {
	c := newCond()
	c.sets[d] = nameSet(names)
	if len(names) == 0 {
		c.err = fn + " needs at least one name"
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return c.stage(strings.Join(parts, "|"))
}

// Step returns a stage reached by an event whose step is one of steps. It
// is named after its steps, joined by "|"; rename it with [Stage.Named].
func Step(steps ...string) Stage { return symbolStage(journey.ByStep, "Step", steps) }

// Channel returns a stage reached by an event through one of channels.
func Channel(channels ...touchpoint.Channel) Stage {
	return symbolStage(journey.ByChannel, "Channel", channels)
}

// Touchpoint returns a stage reached by an event at one of touchpoints.
func Touchpoint(touchpoints ...string) Stage {
	return symbolStage(journey.ByTouchpoint, "Touchpoint", touchpoints)
}

// Prop returns a stage reached by an event whose property key has one of
// values; with no values, by an event that has the property at all. It is
// named key=value|value, or key.
func Prop(key string, values ...string) Stage {
	c := newCond()
	p := propCond{key: key}
	name := key
	if len(values) > 0 {
		p.values = nameSet(values)
		name += "=" + strings.Join(values, "|")
	}
	c.props = []propCond{p}
	if key == "" {
		c.err = "Prop needs a property key"
	}
	return c.stage(name)
}

// All returns a stage reached by an event that reaches every one of
// stages ("the product step on the app": All(Step("product"),
// Channel(touchpoint.App))). It is named after its parts joined by " & ".
// If every part comes from a constructor, so does the result (it keeps the
// fast path); otherwise its Match calls the parts' Match in turn. The
// parts' Optional and Within are ignored.
func All(stages ...Stage) Stage {
	name := joinNames(stages, " & ")
	if c, ok := allConds(stages); ok {
		return c.stage(name)
	}
	matches := matchers(stages)
	return Stage{Name: name, Match: func(e journey.Event) bool {
		for _, m := range matches {
			if m == nil || !m(e) {
				return false
			}
		}
		return true
	}}
}

// AnyOf returns a stage reached by an event that reaches at least one of
// stages. It is named after its parts joined by " | ". It keeps the fast
// path when every part comes from a constructor and all constrain the same
// one attribute (AnyOf(Step("a"), Step("b")) is Step("a", "b")); otherwise
// its Match calls the parts' Match in turn.
func AnyOf(stages ...Stage) Stage {
	name := joinNames(stages, " | ")
	if c, ok := anyConds(stages); ok {
		return c.stage(name)
	}
	matches := matchers(stages)
	return Stage{Name: name, Match: func(e journey.Event) bool {
		for _, m := range matches {
			if m != nil && m(e) {
				return true
			}
		}
		return false
	}}
}

func joinNames(stages []Stage, sep string) string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.Name
	}
	return strings.Join(names, sep)
}

func matchers(stages []Stage) []func(journey.Event) bool {
	out := make([]func(journey.Event) bool, len(stages))
	for i, s := range stages {
		out[i] = s.Match
	}
	return out
}

// allConds intersects the conds of stages, if every stage has its own.
func allConds(stages []Stage) (*cond, bool) {
	c := newCond()
	if len(stages) == 0 {
		c.err = "All needs at least one stage"
	}
	for _, s := range stages {
		if !s.ours() {
			return nil, false
		}
		if s.c.err != "" && c.err == "" {
			c.err = s.c.err
		}
		for d, set := range s.c.sets {
			switch {
			case set == nil:
			case c.sets[d] == nil:
				c.sets[d] = set
			default:
				both := make(map[string]bool)
				for n := range set {
					if c.sets[d][n] {
						both[n] = true
					}
				}
				c.sets[d] = both
			}
		}
		c.props = append(c.props, s.c.props...)
	}
	return c, true
}

// anyConds unites the conds of stages, if every stage has its own and all
// constrain the same single symbol set or the same single property.
func anyConds(stages []Stage) (*cond, bool) {
	if len(stages) == 0 {
		c := newCond()
		c.err = "AnyOf needs at least one stage"
		return c, true
	}
	dim, key := -1, ""
	for i, s := range stages {
		if !s.ours() {
			return nil, false
		}
		d, k, ok := s.c.single()
		if !ok || i > 0 && (d != dim || k != key) {
			return nil, false
		}
		dim, key = d, k
	}
	c := newCond()
	if dim >= 0 {
		c.sets[dim] = map[string]bool{}
	} else {
		c.props = []propCond{{key: key, values: map[string]bool{}}}
	}
	for _, s := range stages {
		if s.c.err != "" && c.err == "" {
			c.err = s.c.err
		}
		if dim >= 0 {
			for n := range s.c.sets[dim] {
				c.sets[dim][n] = true
			}
			continue
		}
		if s.c.props[0].values == nil {
			c.props[0].values = nil // "has the property" absorbs any value list
		}
		if c.props[0].values != nil {
			for v := range s.c.props[0].values {
				c.props[0].values[v] = true
			}
		}
	}
	return c, true
}

// single reports the one thing c constrains: a symbol dimension (d ≥ 0) or
// a property key (d = -1).
func (c *cond) single() (d int, key string, ok bool) {
	d, n := -1, 0
	for i, set := range c.sets {
		if set != nil {
			d, n = i, n+1
		}
	}
	if len(c.props) > 0 {
		n += len(c.props)
		key = c.props[0].key
	}
	return d, key, n == 1
}

// describe returns what c matches, for error messages and tests.
func (c *cond) describe() string {
	var parts []string
	for d, set := range c.sets {
		if set != nil {
			names := make([]string, 0, len(set))
			for n := range set {
				names = append(names, n)
			}
			slices.Sort(names)
			parts = append(parts, fmt.Sprintf("%v in %q", journey.By(d), names))
		}
	}
	for _, p := range c.props {
		if p.values == nil {
			parts = append(parts, fmt.Sprintf("has %q", p.key))
			continue
		}
		vals := make([]string, 0, len(p.values))
		for v := range p.values {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		parts = append(parts, fmt.Sprintf("%q in %q", p.key, vals))
	}
	return strings.Join(parts, " and ")
}
