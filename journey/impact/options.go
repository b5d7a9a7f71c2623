package impact

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
)

// More sentinel errors, wrapped by the errors of Score.
var (
	// ErrBadOptions: the options contradict each other or name what the
	// map does not have.
	ErrBadOptions = errors.New("bad options")
	// ErrNoBasis: every objective the priorities weigh has no goal and no
	// touchpoint serving it, so there is nothing to rank by.
	ErrNoBasis = errors.New("no prioritised objective can be measured")
	// ErrEmptyLog: the log has no customer.
	ErrEmptyLog = errors.New("the log has no customer")
)

// Options say what Score measures and from what. The zero value scores the
// designed journey (the map's own graph) for Conversion only, each
// objective's goal being the map's steps whose Goals name it.
type Options struct {
	// Log, if not nil, is the observed (or simulated) journey: the
	// figures come from its customers' paths, read by step at order 1,
	// and the shares of the contacts at each step from its events'
	// touchpoints. At most one of Log and Graph may be set.
	Log *journey.Log
	// Graph, if not nil, is a learned or designed journey graph to score
	// instead of the map's own (journey.Learn, Map.Graph, or a built
	// one), of any order. GraphBy says what its states are.
	Graph *graph.Graph
	// GraphBy says whether Graph's states (their parts, at order k) are
	// steps (the zero value), channels or touchpoints.
	GraphBy journey.By

	// Priorities weigh the four Cs in the departments' scores; they are
	// normalised to sum to 1. The zero Mix means Conversion only.
	Priorities objectives.Mix

	// GoalSteps, where it has an entry for an objective, lists the steps
	// that achieve it, instead of the map's steps whose Goals name it
	// (an entry with no step: no goal step). GoalStages adds the steps of
	// the stages it lists: reaching the consideration stage, say, for
	// Consideration.
	GoalSteps  map[objectives.Objective][]string
	GoalStages map[objectives.Objective][]string
	// GoalProperty, if not empty, names an event property (of Log's
	// events) whose value names the objectives the event achieves, in
	// English or French, several separated by commas:
	// "objective": "connexion, knowledge". Such an event's step is
	// visited, then its objectives are achieved.
	GoalProperty string
	// ConversionGoal is the objective that reaching the graph's
	// graph.Conversion state achieves (and, in a log, an event whose
	// step is graph.Conversion, the end marker of simulated paths).
	// 0 means objectives.Conversion.
	ConversionGoal objectives.Objective

	// Scorecard, if not nil, holds KPI measurements; those whose owner is
	// a department or one of its touchpoints are rolled up in its report.
	Scorecard *objectives.Scorecard

	// Workers is the number of goroutines that read the log; 0 means
	// runtime.GOMAXPROCS(0). The report does not depend on it.
	Workers int
	// Context, when not nil, stops the reading of Log once it is done:
	// Score then returns Context.Err() and no report.
	Context context.Context
}

func (o *Options) convGoal() objectives.Objective {
	if o.ConversionGoal == 0 {
		return objectives.Conversion
	}
	return o.ConversionGoal
}

// validate reports every problem with the options.
func (o *Options) validate(m *journey.Map) error {
	var l verr.List
	if o.Log != nil && o.Graph != nil {
		l.Addf("", "%w: Log and Graph are both set", ErrBadOptions)
	}
	if o.Graph != nil && o.GraphBy > journey.ByTouchpoint {
		l.Addf("graph_by", "%w: %v is not a path attribute", ErrBadOptions, o.GraphBy)
	}
	if o.Log != nil && o.Log.Customers() == 0 {
		l.Add("log", ErrEmptyLog)
	}
	if o.ConversionGoal != 0 && !o.ConversionGoal.IsValid() {
		l.Addf("conversion_goal", "%w: %v is not an objective", ErrBadOptions, o.ConversionGoal)
	}
	l.Add("priorities", o.Priorities.Validate())
	for _, obj := range slices.Sorted(maps.Keys(o.GoalSteps)) {
		if !obj.IsValid() {
			l.Addf("goal_steps", "%w: %v is not an objective", ErrBadOptions, obj)
		}
	}
	for _, obj := range slices.Sorted(maps.Keys(o.GoalStages)) {
		if !obj.IsValid() {
			l.Addf("goal_stages", "%w: %v is not an objective", ErrBadOptions, obj)
		}
	}
	for _, obj := range objectives.All {
		for _, s := range o.GoalSteps[obj] {
			if !o.knownStep(m, s) {
				l.Addf("goal_steps["+obj.String()+"]", "%w %q", journey.ErrUnknownStep, s)
			}
		}
		for _, s := range o.GoalStages[obj] {
			if _, ok := m.Stage(s); !ok {
				l.Addf("goal_stages["+obj.String()+"]", "%w %q", journey.ErrUnknownStage, s)
			}
		}
	}
	if o.Scorecard != nil {
		l.Add("scorecard", o.Scorecard.Validate())
	}
	return verr.Prefix("impact: options", l.Err())
}

// knownStep reports whether s is a step of the map, of the log or of the
// graph's states.
func (o *Options) knownStep(m *journey.Map, s string) bool {
	if _, ok := m.Step(s); ok {
		return true
	}
	if o.Log != nil {
		_, ok := o.Log.Lookup(journey.ByStep, s)
		return ok
	}
	if o.Graph != nil {
		for i := range o.Graph.NumStates() {
			if p := o.Graph.Parts(i); p[len(p)-1] == s {
				return true
			}
		}
	}
	return false
}

// goalSteps returns each objective's goal steps, in objectives.All order:
// GoalSteps' entry or the map's steps whose Goals name it, then the steps
// of the GoalStages, each once.
func (o *Options) goalSteps(m *journey.Map) [len(objectives.All)][]string {
	var out [len(objectives.All)][]string
	for k, obj := range objectives.All {
		steps := attribution.StepsAchieving(m, obj)
		if v, ok := o.GoalSteps[obj]; ok {
			steps = slices.Clone(v)
		}
		for _, st := range o.GoalStages[obj] {
			for _, s := range m.StepsIn(st) {
				steps = append(steps, s.ID)
			}
		}
		seen := make(map[string]bool)
		for _, s := range steps {
			if !seen[s] {
				seen[s] = true
				out[k] = append(out[k], s)
			}
		}
	}
	return out
}

// source returns the report's source.
func (o *Options) source() Source {
	switch {
	case o.Log != nil:
		return FromLog
	case o.Graph != nil:
		return FromGraph
	}
	return FromDesign
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
