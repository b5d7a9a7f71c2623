package impact_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// smallMap is a four-step journey: visit (web, owned by web), compare
// (web and email), buy (the cart, eshop's; Conversion), newsletter
// (email, crm's; Connection).
func smallMap() *journey.Map {
	return &journey.Map{
		Name:   "small",
		Stages: []journey.Stage{{ID: "discover"}, {ID: "decide"}, {ID: "stay"}},
		Steps: []journey.Step{
			{ID: "visit", Stage: "discover", Touchpoints: []string{"home"}},
			{ID: "compare", Stage: "decide", Touchpoints: []string{"compare-page", "reminder"}},
			{ID: "buy", Stage: "decide", Touchpoints: []string{"cart"}, Goals: []objectives.Objective{objectives.Conversion}},
			{ID: "newsletter", Stage: "stay", Touchpoints: []string{"news"}, Goals: []objectives.Objective{objectives.Connection}},
		},
		Transitions: []graph.Transition{
			{From: graph.Start, To: "visit"},
			{From: "visit", To: "compare", Probability: 0.6},
			{From: "visit", To: "newsletter", Probability: 0.1},
			{From: "compare", To: "buy", Probability: 0.4},
			{From: "compare", To: "visit", Probability: 0.2},
			{From: "newsletter", To: "compare", Probability: 0.5},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{
				{ID: "web", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web}},
				{ID: "crm", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Email}},
				{ID: "eshop", Focus: touchpoint.StageFocus, Stages: []string{"decide"}},
			},
			Touchpoints: []touchpoint.Touchpoint{
				{ID: "home", Channel: touchpoint.Web, Owner: "web", Objectives: objectives.Mix{Consideration: 1}},
				{ID: "compare-page", Channel: touchpoint.Web, Owner: "web", Objectives: objectives.Mix{Consideration: 1, Conversion: 1}},
				{ID: "reminder", Channel: touchpoint.Email, Owner: "crm", Objectives: objectives.Mix{Conversion: 1}},
				{ID: "cart", Channel: touchpoint.Web, Owner: "eshop", Objectives: objectives.Mix{Conversion: 1}},
				{ID: "news", Channel: touchpoint.Email, Owner: "crm", Objectives: objectives.Mix{Connection: 2, Knowledge: 1}},
			},
		},
	}
}

func TestScoreErrors(t *testing.T) {
	empty, _ := journey.NewLog(nil)
	var b graph.Builder
	b.Add("visit", graph.Exit, 1)
	noStart, _ := b.Build()
	g, _ := smallMap().Graph()
	tests := []struct {
		name   string
		m      func() *journey.Map
		opt    impact.Options
		is     error
		text   string
		reason string
	}{
		{"nil map", func() *journey.Map { return nil }, impact.Options{}, impact.ErrBadOptions, "no map", "the map is required"},
		{"invalid map", func() *journey.Map {
			m := smallMap()
			m.Steps[0].Touchpoints = []string{"homepage"}
			return m
		}, impact.Options{}, touchpoint.ErrUnknownTouchpoint, `impact: map "small": steps[0] "visit": touchpoints[0]`, "the map's own validation, prefixed"},
		{"log and graph", smallMap, impact.Options{Log: empty, Graph: g}, impact.ErrBadOptions, "Log and Graph are both set", "one source at a time"},
		{"empty log", smallMap, impact.Options{Log: empty}, impact.ErrEmptyLog, "log: the log has no customer", "no customer, no figure"},
		{"negative priority", smallMap, impact.Options{Priorities: objectives.Mix{Conversion: -1}}, nil, "priorities: conversion: weight -1", "priorities are weights"},
		{"unknown goal step", smallMap, impact.Options{GoalSteps: map[objectives.Objective][]string{objectives.Knowledge: {"signup"}}}, journey.ErrUnknownStep, `goal_steps[knowledge]: unknown step "signup"`, "a goal must be a step"},
		{"unknown goal stage", smallMap, impact.Options{GoalStages: map[objectives.Objective][]string{objectives.Consideration: {"think"}}}, journey.ErrUnknownStage, `unknown stage "think"`, "a goal stage must be a stage"},
		{"bad objective key", smallMap, impact.Options{GoalSteps: map[objectives.Objective][]string{9: {"visit"}}}, impact.ErrBadOptions, "Objective(9) is not an objective", "keys are objectives"},
		{"bad conversion goal", smallMap, impact.Options{ConversionGoal: 7}, impact.ErrBadOptions, "conversion_goal", "the Conversion state stands for an objective"},
		{"bad graph_by", smallMap, impact.Options{Graph: g, GraphBy: 5}, impact.ErrBadOptions, "graph_by", "states are steps, channels or touchpoints"},
		{"nothing measurable", func() *journey.Map {
			m := smallMap()
			for i := range m.Catalog.Touchpoints {
				m.Catalog.Touchpoints[i].Objectives.Knowledge = 0
			}
			return m
		}, impact.Options{Priorities: objectives.Mix{Knowledge: 1}}, impact.ErrNoBasis, "knowledge (it has no goal and no touchpoint serves it)", "knowledge is the only priority, with no goal and no touchpoint serving it"},
		{"no start", smallMap, impact.Options{Graph: noStart}, impact.ErrNoStart, "graph has no start state", "walks begin at Start"},
		{"bad scorecard", smallMap, impact.Options{Scorecard: &objectives.Scorecard{Measurements: []objectives.Measurement{{Owner: "web", KPI: objectives.KPI{Name: "visits", Objective: objectives.Consideration, Target: 1}, Value: math.NaN()}}}}, nil, `scorecard: measurements[0] "visits": value: NaN`, "a measurement must be a number"},
	}
	for _, tt := range tests {
		_, err := impact.Score(tt.m(), tt.opt)
		if err == nil {
			t.Errorf("%s: no error (%s)", tt.name, tt.reason)
			continue
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: error %q does not wrap %v (%s)", tt.name, err, tt.is, tt.reason)
		}
		if !strings.HasPrefix(err.Error(), "impact: ") || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: error %q, want it prefixed with impact: and to contain %q (%s)", tt.name, err, tt.text, tt.reason)
		}
	}
}

// Bad data short of an error gives a report that says what it assumed.
func TestScoreBadData(t *testing.T) {
	unreachable := func() *graph.Graph {
		var b graph.Builder
		b.Add(graph.Start, "visit", 1)
		b.Add("visit", "compare", 1)
		b.Add("visit", graph.Exit, 1)
		b.Add("compare", graph.Exit, 1)
		b.Add("buy", graph.Conversion, 1) // nobody gets to buy
		g, err := b.Build()
		if err != nil {
			panic(err)
		}
		return g
	}
	tests := []struct {
		name   string
		m      func(*journey.Map)
		opt    impact.Options
		check  func(*impact.Report) string
		reason string
	}{
		{
			name:   "touchpoint with no owner",
			m:      func(m *journey.Map) { m.Catalog.Touchpoints[2].Owner = "" },
			reason: "the reminder's share of compare belongs to nobody",
			check: func(r *impact.Report) string {
				o, _ := r.Objective(objectives.Conversion)
				if !(o.Unowned > 0) {
					return fmt.Sprintf("unowned share %v, want positive", o.Unowned)
				}
				return want(r.Assumptions, "Touchpoints with no owner count for no department: reminder.")
			},
		},
		{
			name: "department that owns nothing",
			m: func(m *journey.Map) {
				m.Catalog.Departments = append(m.Catalog.Departments, touchpoint.Department{ID: "legal", Focus: touchpoint.SupportFocus})
			},
			reason: "legal scores 0, ranks last and says why",
			check: func(r *impact.Report) string {
				d, _ := r.Department("legal")
				if d.Score != 0 || d.Rank != len(r.Departments) {
					return fmt.Sprintf("legal: score %v, rank %d", d.Score, d.Rank)
				}
				return want(append(d.Notes, r.Assumptions...),
					"It owns no touchpoint of the catalog: nothing in the journey depends on it.",
					"Departments that own no touchpoint have nothing in the journey to score: legal.")
			},
		},
		{
			name:   "objective with no goal, with a designed mix",
			opt:    impact.Options{Priorities: objectives.Mix{Conversion: 1, Knowledge: 1}},
			reason: "knowledge has no goal step: the touchpoints' mix weighted by traffic stands in",
			check: func(r *impact.Report) string {
				o, _ := r.Objective(objectives.Knowledge)
				crm, _ := r.Department("crm")
				k, _ := crm.Objective(objectives.Knowledge)
				if o.Basis != impact.MixBasis || k.Share != 1 || k.Mix != 1 || k.Dependence != 0 {
					return fmt.Sprintf("knowledge: basis %v; crm share %v, mix %v, dependence %v; want mix, 1, 1, 0", o.Basis, k.Share, k.Mix, k.Dependence)
				}
				return want(r.Assumptions, "Knowledge has no goal (no step achieves it and no event marks it): the designed objective mix of the touchpoints, weighted by their traffic, stands in, and its dependence, leverage and recoverable goal probability are 0.")
			},
		},
		{
			name: "objective with no goal and no mix",
			m: func(m *journey.Map) {
				for i := range m.Catalog.Touchpoints {
					m.Catalog.Touchpoints[i].Objectives.Knowledge = 0
				}
			},
			opt:    impact.Options{Priorities: objectives.Mix{Conversion: 3, Knowledge: 1}},
			reason: "knowledge cannot be measured: its priority goes to conversion, and the report says so",
			check: func(r *impact.Report) string {
				o, _ := r.Objective(objectives.Knowledge)
				c, _ := r.Objective(objectives.Conversion)
				if o.Basis != impact.NoBasis || o.Weight != 0 || c.Weight != 1 {
					return fmt.Sprintf("knowledge basis %v weight %v, conversion weight %v", o.Basis, o.Weight, c.Weight)
				}
				return want(r.Assumptions,
					"Knowledge has no goal and no touchpoint serves it: it takes no part in the ranking.",
					"The priority of knowledge, which cannot be measured, is shared among the other objectives in proportion to theirs.")
			},
		},
		{
			name:   "goal nobody reaches",
			opt:    impact.Options{Graph: unreachable()},
			reason: "conversion's goal is out of reach: its figures are 0 and the designed mix ranks",
			check: func(r *impact.Report) string {
				o, _ := r.Objective(objectives.Conversion)
				if o.Reach != 0 || o.Basis != impact.MixBasis {
					return fmt.Sprintf("reach %v, basis %v", o.Reach, o.Basis)
				}
				return want(append(r.Assumptions, r.Explain("web")...),
					"Conversion is achieved at (conversion), buy, but no customer reaches its goal: the designed objective mix of the touchpoints, weighted by their traffic, stands in for the ranking.",
					"Conversion is never achieved: its goal ((conversion), buy) is out of every customer's reach, so its dependence, leverage and recoverable goal probability are 0.")
			},
		},
		{
			name:   "goal stage",
			opt:    impact.Options{Priorities: objectives.Mix{Consideration: 1}, GoalStages: map[objectives.Objective][]string{objectives.Consideration: {"decide"}}},
			reason: "reaching the decide stage is the consideration goal",
			check: func(r *impact.Report) string {
				o, _ := r.Objective(objectives.Consideration)
				if diff := cmp.Diff([]string{"buy", "compare"}, o.Goals); diff != "" {
					return "goals (-want +got):\n" + diff
				}
				return ""
			},
		},
	}
	for _, tt := range tests {
		m := smallMap()
		if tt.m != nil {
			tt.m(m)
		}
		r, err := impact.Score(m, tt.opt)
		if err != nil {
			t.Errorf("%s: %v (%s)", tt.name, err, tt.reason)
			continue
		}
		if msg := tt.check(r); msg != "" {
			t.Errorf("%s: %s (%s)", tt.name, msg, tt.reason)
		}
		checkInvariants(t, tt.name, r)
	}
}

// want returns a message naming the sentences missing from got.
func want(got []string, sentences ...string) string {
	var missing []string
	for _, s := range sentences {
		if !slices.Contains(got, s) {
			missing = append(missing, fmt.Sprintf("%q", s))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "missing " + strings.Join(missing, ", ") + " in\n" + strings.Join(got, "\n")
}

// Goal events: a property naming objectives, and the conversion marker
// of simulated logs, each achieve their objective at the event's step.
func TestScoreGoalEvents(t *testing.T) {
	m := smallMap()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	add := func(c int, steps ...string) {
		for k, s := range steps {
			e := journey.Event{Customer: fmt.Sprintf("c%03d", c), Time: t0.Add(time.Duration(k) * time.Minute), Step: s, Touchpoint: "home", Channel: touchpoint.Web}
			if s == "compare" && c%4 == 0 {
				e.Props = map[string]string{"objective": "Connexion, knowledge"}
			}
			if s == "visit" && c%5 == 0 {
				e.Props = map[string]string{"objective": "sale"}
			}
			evs = append(evs, e)
		}
	}
	for c := range 100 {
		switch c % 3 {
		case 0:
			add(c, "visit", "compare", graph.Conversion)
		case 1:
			add(c, "visit", "compare", "buy")
		default:
			add(c, "visit")
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := impact.Score(m, impact.Options{Log: l, GoalProperty: "objective", Priorities: objectives.Mix{Conversion: 1, Connection: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// Conversion: every customer who reaches compare, by buy or by the
	// marker: c%3 != 2, 67 of 100. Connection and Knowledge: those at
	// compare with c%4 == 0 (17 of them), or at newsletter (nobody).
	got := map[objectives.Objective]float64{}
	for _, o := range r.Objectives {
		got[o.Objective] = o.Reach
	}
	wantReach := map[objectives.Objective]float64{objectives.Conversion: 0.67, objectives.Connection: 0.17, objectives.Consideration: 0, objectives.Knowledge: 0.17}
	if diff := cmp.Diff(wantReach, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })); diff != "" {
		t.Errorf("reach (-want +got):\n%s", diff)
	}
	if msg := want(r.Assumptions, `Values of the goal property "objective" that name no objective are ignored: sale.`); msg != "" {
		t.Error(msg)
	}
}

func TestScoreKPIs(t *testing.T) {
	var sc objectives.Scorecard
	sc.Add("news", objectives.KPI{Name: "open rate", Objective: objectives.Connection, Target: 0.25}, 0.2)
	sc.Add("crm", objectives.KPI{Name: "sign-ups", Objective: objectives.Connection, Target: 100}, 120)
	sc.Add("reminder", objectives.KPI{Name: "clicks", Objective: objectives.Conversion, Target: 50}, 25)
	sc.Add("ops", objectives.KPI{Name: "tickets", Objective: objectives.Conversion, Target: 5}, 4)
	r, err := impact.Score(smallMap(), impact.Options{Scorecard: &sc})
	if err != nil {
		t.Fatal(err)
	}
	crm, _ := r.Department("crm")
	wantKPIs := &impact.KPIReport{
		Total: objectives.Rollup{KPIs: 3, Met: 1, Attainment: (0.8 + 1 + 0.5) / 3},
		ByObjective: []impact.KPIObjective{
			{Objective: objectives.Conversion, KPIs: 1, Met: 0, Attainment: 0.5},
			{Objective: objectives.Connection, KPIs: 2, Met: 1, Attainment: 0.9},
		},
	}
	if diff := cmp.Diff(wantKPIs, crm.KPIs, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })); diff != "" {
		t.Errorf("crm's KPIs (-want +got):\n%s", diff)
	}
	web, _ := r.Department("web")
	if web.KPIs == nil || web.KPIs.Total.KPIs != 0 {
		t.Errorf("web's KPIs = %+v, want an empty rollup", web.KPIs)
	}
	if msg := want(r.Explain("web"), "No KPI measurement was given for it or its touchpoints."); msg != "" {
		t.Error(msg)
	}
	if msg := want(r.Explain("crm"), "KPIs: 3 measured for it and its touchpoints, 1 met, mean attainment 0.77 (conversion 0.50, connection 0.90)."); msg != "" {
		t.Error(msg)
	}
	if msg := want(r.Assumptions, "Scorecard measurements whose owner is neither a department nor a touchpoint of the catalog are ignored: ops."); msg != "" {
		t.Error(msg)
	}
	if r.Explain("nobody") != nil {
		t.Error("Explain of an unknown department must be nil")
	}
}

// Graphs of channels and of touchpoints score without error, and every
// report keeps its invariants.
func TestScoreGraphKinds(t *testing.T) {
	m := smallMap()
	g, _ := m.Graph()
	l := sampleLog(t, m, g, 500, 1)
	for _, by := range []journey.By{journey.ByStep, journey.ByChannel, journey.ByTouchpoint} {
		for _, order := range []int{1, 3} {
			lg, err := journey.Learn(l, journey.LearnOptions{By: by, Order: order, GoalSteps: []string{"buy"}})
			if err != nil {
				t.Fatal(err)
			}
			r, err := impact.Score(m, impact.Options{Graph: lg, GraphBy: by})
			if err != nil {
				t.Errorf("by %v, order %d: %v", by, order, err)
				continue
			}
			checkInvariants(t, fmt.Sprintf("by %v, order %d", by, order), r)
			if o, _ := r.Objective(objectives.Conversion); math.Abs(o.Reach-lg.Absorption(graph.Start, graph.Conversion)) > 1e-12 {
				t.Errorf("by %v, order %d: reach %v, graph's %v", by, order, o.Reach, lg.Absorption(graph.Start, graph.Conversion))
			}
		}
	}
}

// The stage figures of a stage-focused department, worked by hand on
// smallMap. eshop serves decide (compare, buy); every walk enters decide
// at compare, and reaches stay (newsletter) from there with probability
// h_c = 0.2·h_v, h_v = 0.6·h_c + 0.1, so h_c = 0.02/0.88 = 1/44. The
// conversion probability is 0.65·0.4/0.87; without compare-page (half of
// compare's contacts), 0.325·0.4/0.935.
func TestFocusStage(t *testing.T) {
	m := smallMap()
	r, err := impact.Score(m, impact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eshop, _ := r.Department("eshop")
	if len(eshop.FocusStages) != 1 {
		t.Fatalf("focus stages %+v", eshop.FocusStages)
	}
	fs := eshop.FocusStages[0]
	approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })
	dep := 1 - (0.325*0.4/0.935)/(0.65*0.4/0.87)
	// Connection (newsletter): h_v = 0.1 + 0.6·h_c, h_c = 0.2·h_v, so
	// h_v = 0.1/0.88; without compare-page, 0.1/0.94.
	conn := 1 - 0.88/0.94
	deps := []impact.ObjectiveValue{{Objective: objectives.Conversion, Value: dep}, {Objective: objectives.Connection, Value: conn}}
	wantDeps := []impact.Dependency{
		{Touchpoint: "compare-page", Owner: "web", Score: dep, Dependence: deps},
		{Touchpoint: "reminder", Owner: "crm", Score: dep, Dependence: deps},
	}
	if diff := cmp.Diff(wantDeps, fs.DependsOn, approx); diff != "" {
		t.Errorf("depends on (-want +got):\n%s", diff)
	}
	if fs.Pass == nil || math.Abs(*fs.Pass-1.0/44) > 1e-12 {
		t.Errorf("pass = %v, want 1/44", fs.Pass)
	}
	if fs.Funnel != nil {
		t.Error("a designed journey has no observed funnel")
	}
	if len(fs.Friction) != 1 || fs.Friction[0].State != "compare" {
		t.Errorf("friction %+v, want compare alone: buy is the goal, where the journey ends achieved", fs.Friction)
	}

	// From a log, the funnel figure is the share of the customers who
	// went discover → decide, in order, who then reached stay.
	g, _ := m.Graph()
	l := sampleLog(t, m, g, 4000, 9)
	r, err = impact.Score(m, impact.Options{Log: l})
	if err != nil {
		t.Fatal(err)
	}
	eshop, _ = r.Department("eshop")
	stageOf := map[string]int{"visit": 0, "compare": 1, "buy": 1, "newsletter": 2}
	reached, passed := 0, 0
	for p := range l.Paths() {
		level := 0
		for _, e := range p.Events {
			if stageOf[e.Step] == level && level < 3 {
				level++
			}
		}
		if level >= 2 {
			reached++
		}
		if level == 3 {
			passed++
		}
	}
	if f := eshop.FocusStages[0].Funnel; f == nil || math.Abs(*f-float64(passed)/float64(reached)) > 1e-12 {
		t.Errorf("funnel = %v, want %d/%d", f, passed, reached)
	}
}

// Goal steps, touchpoints and channels that the data does not have are
// named in the assumptions.
func TestScoreStrangers(t *testing.T) {
	m := smallMap()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c := range 20 {
		for k, s := range []string{"visit", "compare", "checkout"} {
			tp := map[string]string{"visit": "home", "compare": "chatbot", "checkout": ""}[s]
			evs = append(evs, journey.Event{Customer: fmt.Sprintf("c%02d", c), Time: t0.Add(time.Duration(k) * time.Minute), Step: s, Touchpoint: tp})
		}
	}
	l, _ := journey.NewLog(evs)
	r, err := impact.Score(m, impact.Options{Log: l, Priorities: objectives.Mix{Conversion: 1, Consideration: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if msg := want(r.Assumptions,
		"Conversion is achieved at buy, which no customer of the log reaches, and no touchpoint serves it: it takes no part in the ranking.",
		"The priority of conversion, which cannot be measured, is shared among the other objectives in proportion to theirs.",
		"Touchpoints of the log that the catalog does not have are nobody's: chatbot.",
		"Steps of the log that the map does not have are in no stage, and their contacts are nobody's unless their events name a catalog touchpoint: checkout.",
		"20 events name no touchpoint; they count in the paths but not in the shares of the contacts.",
	); msg != "" {
		t.Error(msg)
	}
	checkInvariants(t, "strangers", r)

	var b graph.Builder
	b.Add(graph.Start, "web", 1)
	b.Add("web", "fax", 1)
	b.Add("web", graph.Exit, 1)
	b.Add("fax", graph.Conversion, 1)
	g, _ := b.Build()
	r, err = impact.Score(m, impact.Options{Graph: g, GraphBy: journey.ByChannel})
	if err != nil {
		t.Fatal(err)
	}
	if msg := want(r.Assumptions, "Channels of the graph that no touchpoint of the map uses are nobody's: fax."); msg != "" {
		t.Error(msg)
	}
	// All the recoverable is at the web state, whose contacts are the map's
	// three web touchpoints: two of the web department's, eshop's cart.
	web, _ := r.Department("web")
	if c, _ := web.Objective(objectives.Conversion); math.Abs(c.Share-2.0/3) > 1e-12 {
		t.Errorf("the web department's share of the conversion recoverable is %v, want 2/3", c.Share)
	}
}
