package impact

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/parcours-go/parcours/internal/fold"
	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// Source says what a report's figures were computed from.
type Source uint8

const (
	// FromDesign: the designed journey, the Map's own graph (Map.Graph).
	FromDesign Source = iota
	// FromLog: the paths of an observed (or simulated) log.
	FromLog
	// FromGraph: a learned or designed graph given in Options.Graph.
	FromGraph
)

var sourceNames = [...]string{"design", "log", "graph"}

// String returns "design", "log" or "graph".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (s Source) MarshalText() ([]byte, error) {
	if int(s) >= len(sourceNames) {
		return nil, fmt.Errorf("impact: cannot marshal %v", s)
	}
	return []byte(s.String()), nil
}

// ErrUnknownEnum is wrapped by the errors of the UnmarshalText methods of
// Source and Basis.
var ErrUnknownEnum = errors.New("unknown value")

// UnmarshalText implements encoding.TextUnmarshaler, ignoring case.
func (s *Source) UnmarshalText(b []byte) error {
	for i, n := range sourceNames {
		if fold.Key(string(b)) == n {
			*s = Source(i)
			return nil
		}
	}
	return fmt.Errorf("impact: %w %q for a source (want design, log or graph)", ErrUnknownEnum, b)
}

// Basis says what an objective's ranking shares rest on.
type Basis uint8

const (
	// NoBasis: the objective has no goal and no touchpoint serves it; it
	// takes no part in the ranking.
	NoBasis Basis = iota
	// GoalBasis: the objective's goal states, from which the chain gives
	// dependence, leverage and the recoverable goal probability; shares
	// are shares of what is recoverable.
	GoalBasis
	// MixBasis: there is no usable goal (none is given, none is reached,
	// or no walk is lost before it); the designed objective mix of the
	// touchpoints, weighted by their traffic, stands in.
	MixBasis
)

var basisNames = [...]string{"none", "goal", "mix"}

// String returns "none", "goal" or "mix".
func (b Basis) String() string {
	if int(b) < len(basisNames) {
		return basisNames[b]
	}
	return "Basis(" + strconv.Itoa(int(b)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (b Basis) MarshalText() ([]byte, error) {
	if int(b) >= len(basisNames) {
		return nil, fmt.Errorf("impact: cannot marshal %v", b)
	}
	return []byte(b.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, ignoring case.
func (b *Basis) UnmarshalText(text []byte) error {
	for i, n := range basisNames {
		if fold.Key(string(text)) == n {
			*b = Basis(i)
			return nil
		}
	}
	return fmt.Errorf("impact: %w %q for a basis (want none, goal or mix)", ErrUnknownEnum, text)
}

// Report is what Score finds: the company's objectives, every department
// ranked by its score, and the assumptions the figures rest on. All
// figures are per customer (per walk from Start) unless said otherwise.
//
// A Report is a plain value. It reads and writes JSON with the field names
// below; decoding is strict (every unknown field and every value of the
// wrong type is reported with its path). Explain words a department's
// figures from the report alone, so it works on a decoded report too.
type Report struct {
	Map    string `json:"map,omitempty"` // the map's name
	Source Source `json:"source"`
	// Customers is the number of customers of the log (FromLog only).
	Customers int `json:"customers,omitempty"`
	// Priorities are the company's priorities over the four Cs, as given
	// and normalised to sum to 1 (Conversion only by default).
	Priorities objectives.Mix `json:"priorities"`
	// Objectives are the four Cs, in order, with what each rests on.
	Objectives []ObjectiveReport `json:"objectives"`
	// Departments are every department of the catalog, best score first.
	Departments []DepartmentReport `json:"departments"`
	// Assumptions lists, in plain sentences, every assumption the figures
	// rest on and every part of the input they could not use.
	Assumptions []string `json:"assumptions"`
}

// ObjectiveReport is one of the four Cs as the report measures it.
type ObjectiveReport struct {
	Objective objectives.Objective `json:"objective"`
	// Weight is the objective's part in the departments' scores: its
	// priority, renormalised over the objectives that have a basis.
	Weight float64 `json:"weight"`
	Basis  Basis   `json:"basis"`
	// Goals are the states that achieve the objective (steps, or
	// "(conversion)" for goal events and conversion markers); empty if
	// it has none.
	Goals []string `json:"goals,omitempty"`
	// Reach is the probability that a customer achieves the objective
	// (for a log: the share of its customers who did).
	Reach float64 `json:"reach"`
	// Recoverable is the recoverable goal probability of every state
	// summed: the goal probability gained, to first order, per unit share
	// of the walks lost anywhere before the goal that are kept.
	Recoverable float64 `json:"recoverable"`
	// Mix is the traffic-weighted designed mix of the objective: the
	// expected contacts per customer times the weight of the objective in
	// each contact's touchpoint's normalised mix, summed.
	Mix float64 `json:"mix"`
	// Unowned is the share of the ranking basis (recoverable or mix) held by
	// contacts that no department owns.
	Unowned float64 `json:"unowned"`
}

// DepartmentReport is one department's impact.
type DepartmentReport struct {
	ID    string           `json:"id"`
	Name  string           `json:"name,omitempty"`
	Focus touchpoint.Focus `json:"focus"`
	// Rank is the department's place in the ranking, from 1.
	Rank int `json:"rank"`
	// Score is Σ Weight × Share over the objectives: the department's
	// share of the company's priority-weighted recoverable (or designed mix
	// where it stands in), in [0, 1].
	Score float64 `json:"score"`
	// Touchpoints are the ids of the touchpoints it owns, in catalog order.
	Touchpoints []string `json:"touchpoints,omitempty"`
	// Channels are its channels (a channel-focused department's).
	Channels []touchpoint.Channel `json:"channels,omitempty"`
	// Objectives are its figures for each of the four Cs, in order.
	Objectives []DepartmentObjective `json:"objectives"`
	// Steps are the steps where it has contacts, highest score first.
	Steps []StepImpact `json:"steps,omitempty"`
	// Stages are the stages where it has contacts (every stage for a
	// channel-focused department), highest score first.
	Stages []StageImpact `json:"stages,omitempty"`
	// Focus stages are a stage-focused department's stages, in its order.
	FocusStages []FocusStage `json:"focus_stages,omitempty"`
	// KPIs roll up the scorecard's measurements of the department and of
	// its touchpoints; nil when none was given.
	KPIs *KPIReport `json:"kpis,omitempty"`
	// Notes are assumptions and remarks about this department.
	Notes []string `json:"notes,omitempty"`
}

// DepartmentObjective is a department's figures for one objective.
type DepartmentObjective struct {
	Objective objectives.Objective `json:"objective"`
	// Dependence is the share of the objective's reach lost without the
	// department's touchpoints (their removal effect), in [0, 1]; 0 when
	// the objective has no goal.
	Dependence float64 `json:"dependence"`
	// Recoverable is Σ share × recoverable over the states where the
	// department has contacts: the goal probability gained, to first
	// order, per unit share of the walks lost there that its touchpoints
	// keep (leverage × exit rate, state by state).
	Recoverable float64 `json:"recoverable"`
	// Leverage is Σ share × leverage: the goal probability gained per
	// unit of exit probability removed at its contacts (expected visits ×
	// goal probability ÷ (1 − exit probability), state by state).
	Leverage float64 `json:"leverage"`
	// Mix is the department's share of the objective's traffic-weighted
	// designed mix.
	Mix float64 `json:"mix"`
	// Share is the department's share of the objective's ranking basis:
	// of its recoverable (GoalBasis) or of its designed mix (MixBasis).
	Share float64 `json:"share"`
}

// StepImpact is a department's impact at one step. Per-objective figures
// are those of the objective's chain, before its goal is reached.
type StepImpact struct {
	Step  string `json:"step"`
	Stage string `json:"stage,omitempty"`
	// Share is the department's share of the contacts at the step.
	Share float64 `json:"share"`
	// Visits is the expected number of visits to the step per customer
	// over the whole journey.
	Visits float64 `json:"visits"`
	// Score is the department's priority-weighted share of the company's
	// basis held at this step; a department's step scores sum to its score.
	Score      float64         `json:"score"`
	Objectives []StepObjective `json:"objectives,omitempty"`
}

// StepObjective is one objective's figures at a step, for one department:
// Recoverable = Share × Visits × Exit × Goal at a step that is one state.
type StepObjective struct {
	Objective objectives.Objective `json:"objective"`
	// Visits before the goal, per customer.
	Visits float64 `json:"visits"`
	// Exit is the share of those visits that leave the journey from here.
	Exit float64 `json:"exit"`
	// Goal is the goal probability of the walks that go on by another
	// route.
	Goal float64 `json:"goal"`
	// Recoverable and Leverage are the department's, here.
	Recoverable float64 `json:"recoverable"`
	Leverage    float64 `json:"leverage"`
}

// StageImpact is a department's impact at one stage.
type StageImpact struct {
	Stage string `json:"stage"`
	// Share is the department's share of the contacts at the stage, over
	// the whole journey.
	Share float64 `json:"share"`
	// Channel is, for a channel-focused department, the share of the
	// contacts at the stage that go through its channels; nil otherwise,
	// and when the stage has no contact.
	Channel *float64 `json:"channel,omitempty"`
	// Score is the sum of the scores of the department's steps in the stage.
	Score float64 `json:"score"`
	// Recoverable is the department's recoverable goal probability in the
	// stage, per objective.
	Recoverable []ObjectiveValue `json:"recoverable,omitempty"`
	// Leverage is the department's leverage in the stage, per objective:
	// the sum of its leverage at the stage's steps.
	Leverage []ObjectiveValue `json:"leverage,omitempty"`
}

// ObjectiveValue is a figure for one objective.
type ObjectiveValue struct {
	Objective objectives.Objective `json:"objective"`
	Value     float64              `json:"value"`
}

// FocusStage is what a stage-focused department learns about one of its
// stages.
type FocusStage struct {
	Stage string `json:"stage"`
	// Pass is, over the whole journey, the probability that a customer
	// who enters the stage reaches a later stage afterwards; nil for the
	// last stage and for a stage nobody enters.
	Pass *float64 `json:"pass,omitempty"`
	// Funnel is, for a log, the observed conversion from this stage to
	// the next of the map's window funnel (funnel.FromMap, no window):
	// the share of the customers who reached the stage, in order, that
	// reached the next one; nil otherwise.
	Funnel *float64 `json:"funnel,omitempty"`
	// Friction lists the states of the stage that lose customers, most
	// first (see graph.Graph.Friction).
	Friction []FrictionPoint `json:"friction,omitempty"`
	// DependsOn lists the touchpoints of other departments (and those of
	// nobody) at the stage whose removal there loses some of an
	// objective, the most damaging first.
	DependsOn []Dependency `json:"depends_on,omitempty"`
}

// FrictionPoint is a state that holds customers back, per customer over
// the whole journey.
type FrictionPoint struct {
	State   string  `json:"state"`
	Traffic float64 `json:"traffic"` // expected visits
	Exit    float64 `json:"exit"`    // probability of leaving from it
	Leaving float64 `json:"leaving"` // Traffic × Exit
	Drop    float64 `json:"drop"`    // goal probability lost against the best alternative
}

// Dependency is the removal effect of one touchpoint within a stage.
type Dependency struct {
	Touchpoint string `json:"touchpoint"`
	Owner      string `json:"owner,omitempty"`
	// Score is Σ Weight × Dependence over the objectives.
	Score float64 `json:"score"`
	// Dependence is the share of each objective lost without the
	// touchpoint's contacts at the stage.
	Dependence []ObjectiveValue `json:"dependence"`
}

// KPIReport rolls up the scorecard measurements of a department and of its
// touchpoints.
type KPIReport struct {
	Total       objectives.Rollup `json:"total"`
	ByObjective []KPIObjective    `json:"by_objective,omitempty"`
}

// KPIObjective is the rollup of one objective's KPIs.
type KPIObjective struct {
	Objective  objectives.Objective `json:"objective"`
	KPIs       int                  `json:"kpis"`       // measurements
	Met        int                  `json:"met"`        // of which reached their target
	Attainment float64              `json:"attainment"` // mean attainment, in [0, 1]
}

// UnmarshalJSON decodes a report strictly: every unknown field and every
// value of the wrong type is reported, each with its JSON path, prefixed
// with "impact: report". It takes O(n) in the size of the document.
func (r *Report) UnmarshalJSON(data []byte) error {
	type plain Report
	var p plain
	if err := jsonstrict.Decode(data, &p); err != nil {
		return verr.Prefix("impact: report", err)
	}
	*r = Report(p)
	return nil
}

// Department returns the report of the department with the given id. It
// takes O(d) for d departments.
func (r *Report) Department(id string) (*DepartmentReport, bool) {
	for i := range r.Departments {
		if r.Departments[i].ID == id {
			return &r.Departments[i], true
		}
	}
	return nil, false
}

// Objective returns the report of objective o. It takes O(1): a report
// has at most four.
func (r *Report) Objective(o objectives.Objective) (*ObjectiveReport, bool) {
	for i := range r.Objectives {
		if r.Objectives[i].Objective == o {
			return &r.Objectives[i], true
		}
	}
	return nil, false
}

// Objective returns the department's figures for objective o, in O(1).
func (d *DepartmentReport) Objective(o objectives.Objective) (*DepartmentObjective, bool) {
	for i := range d.Objectives {
		if d.Objectives[i].Objective == o {
			return &d.Objectives[i], true
		}
	}
	return nil, false
}
