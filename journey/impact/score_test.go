package impact_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

var channels = []touchpoint.Channel{touchpoint.Web, touchpoint.Email, touchpoint.Social}

// randomMap returns a valid random map: three stages, six to ten steps in
// stage order, each leading on to the next (so that every step is
// reached) and to a few others, every row leaving some walks to Exit;
// eight touchpoints on three channels owned by three departments (or,
// rarely, nobody), placed at random; goals for Conversion, Connection and
// Knowledge at random steps, and some transitions to Conversion.
func randomMap(r *rand.Rand) *journey.Map {
	m := &journey.Map{Name: "random", Stages: []journey.Stage{{ID: "first"}, {ID: "middle"}, {ID: "last"}}}
	m.Catalog.Departments = []touchpoint.Department{
		{ID: "web", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web}},
		{ID: "crm", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Email}},
		{ID: "ops", Focus: touchpoint.StageFocus, Stages: []string{"middle"}},
		{ID: "legal", Focus: touchpoint.SupportFocus},
	}
	owners := []string{"web", "crm", "ops", "web", "crm", "ops", ""}
	for t := range 8 {
		m.Catalog.Touchpoints = append(m.Catalog.Touchpoints, touchpoint.Touchpoint{
			ID: fmt.Sprintf("t%d", t), Channel: channels[r.IntN(len(channels))], Owner: owners[r.IntN(len(owners))],
			Objectives: objectives.Mix{Conversion: float64(r.IntN(3)), Connection: float64(r.IntN(2)), Consideration: float64(r.IntN(3))},
		})
	}
	n := 6 + r.IntN(5)
	for i := range n {
		st := journey.Step{ID: fmt.Sprintf("x%d", i), Stage: m.Stages[i*3/n].ID}
		for _, t := range r.Perm(8)[:r.IntN(4)] {
			st.Touchpoints = append(st.Touchpoints, fmt.Sprintf("t%d", t))
		}
		if i > 1 && r.Float64() < 0.25 {
			st.Goals = append(st.Goals, objectives.Conversion)
		}
		if i > 0 && r.Float64() < 0.2 {
			st.Goals = append(st.Goals, objectives.Connection)
		}
		if r.Float64() < 0.1 {
			st.Goals = append(st.Goals, objectives.Knowledge)
		}
		m.Steps = append(m.Steps, st)
	}
	m.Transitions = append(m.Transitions, graph.Transition{From: graph.Start, To: "x0", Probability: 0.7}, graph.Transition{From: graph.Start, To: fmt.Sprintf("x%d", 1+r.IntN(n-1)), Probability: 0.3})
	for i := range n {
		from := fmt.Sprintf("x%d", i)
		budget := 0.9
		if i+1 < n {
			p := 0.2 + 0.5*r.Float64()
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: fmt.Sprintf("x%d", i+1), Probability: p})
			budget -= p
		}
		seen := map[int]bool{i + 1: true}
		for range r.IntN(3) {
			j := r.IntN(n)
			if seen[j] || budget < 0.05 {
				continue
			}
			seen[j] = true
			p := budget * r.Float64()
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: fmt.Sprintf("x%d", j), Probability: p})
			budget -= p
		}
		if r.Float64() < 0.2 && budget > 0.05 {
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: graph.Conversion, Probability: budget / 2})
		}
	}
	if err := m.Validate(); err != nil {
		panic(err)
	}
	return m
}

// stepShares returns, for each step of m, the share of its touchpoints
// that department dept owns.
func stepShares(m *journey.Map, dept string) map[string]float64 {
	out := make(map[string]float64)
	for _, st := range m.Steps {
		for _, id := range st.Touchpoints {
			if t, _ := m.Catalog.Touchpoint(id); t.Owner == dept {
				out[st.ID] += 1 / float64(len(st.Touchpoints))
			}
		}
	}
	return out
}

// Score's figures on designed maps against brute force: the dependence
// of each department and objective against the map's graph rebuilt with
// each transition into a step split between the step (the other
// departments' share of its touchpoints) and Exit, solved by
// graph.Graph; the recoverable against Σ share × recoverable of the states.
func TestScoreAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	checked := 0
	for trial := range 60 {
		m := randomMap(r)
		rep, err := impact.Score(m, impact.Options{Priorities: objectives.Mix{Conversion: 1, Connection: 1, Consideration: 1, Knowledge: 1}})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		g, err := m.Graph()
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objectives.All {
			goals := attribution.StepsAchieving(m, o)
			if o == objectives.Conversion {
				goals = append(goals, graph.Conversion)
			}
			base := reach(g, goals)
			orep, _ := rep.Objective(o)
			if math.Abs(orep.Reach-base) > 1e-12 {
				t.Errorf("trial %d, %v: reach %v, want %v", trial, o, orep.Reach, base)
			}
			var states []impact.StateFigures
			if len(goals) > 0 { // NewChain with no goal would aim at Conversion
				c, err := impact.NewChain(g, goals...)
				if err != nil {
					t.Fatal(err)
				}
				states = c.States()
			}
			for _, d := range m.Catalog.Departments {
				share := stepShares(m, d.ID)
				dr, _ := rep.Department(d.ID)
				got, _ := dr.Objective(o)
				wantDep := 0.0
				if base > 0 {
					split := rebuilt(t, g, func(from string, next map[string]float64) map[string]float64 {
						out := make(map[string]float64)
						for to, p := range next {
							out[to] += p * (1 - share[to])
							out[graph.Exit] += p * share[to]
						}
						return out
					})
					wantDep = 1 - reach(split, goals)/base
				}
				wantLev, wantSens := 0.0, 0.0
				for _, f := range states {
					wantLev += share[f.State] * f.Recoverable
					wantSens += share[f.State] * f.Leverage
				}
				if math.Abs(got.Dependence-wantDep) > 1e-10 || math.Abs(got.Recoverable-wantLev) > 1e-12 || math.Abs(got.Leverage-wantSens) > 1e-12 {
					t.Errorf("trial %d, %s, %v: dependence %.12g, recoverable %.12g, leverage %.12g; want %.12g, %.12g, %.12g",
						trial, d.ID, o, got.Dependence, got.Recoverable, got.Leverage, wantDep, wantLev, wantSens)
				}
				checked++
			}
		}
		checkInvariants(t, fmt.Sprintf("trial %d", trial), rep)
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// checkInvariants checks what every report promises: ranks in order,
// scores in [0, 1] summing with the unowned share to at most 1, shares
// of each basis summing to 1 with the unowned share, step scores summing
// to the department's score, and no NaN.
func checkInvariants(t *testing.T, what string, rep *impact.Report) {
	t.Helper()
	total := 0.0
	for i, d := range rep.Departments {
		if d.Rank != i+1 || i > 0 && d.Score > rep.Departments[i-1].Score {
			t.Errorf("%s: %s has rank %d, score %v, out of order", what, d.ID, d.Rank, d.Score)
		}
		if !(d.Score >= 0 && d.Score <= 1+1e-12) {
			t.Errorf("%s: %s has score %v", what, d.ID, d.Score)
		}
		total += d.Score
		steps := 0.0
		for _, s := range d.Steps {
			steps += s.Score
		}
		if math.Abs(steps-d.Score) > 1e-9 {
			t.Errorf("%s: %s: step scores sum to %v, score %v", what, d.ID, steps, d.Score)
		}
	}
	unowned := 0.0
	for k, o := range rep.Objectives {
		unowned += o.Weight * o.Unowned
		if o.Basis == impact.NoBasis {
			continue
		}
		s := o.Unowned
		for _, d := range rep.Departments {
			s += d.Objectives[k].Share
		}
		if math.Abs(s-1) > 1e-9 {
			t.Errorf("%s: %v: shares sum to %v", what, o.Objective, s)
		}
	}
	if math.Abs(total+unowned-1) > 1e-9 {
		t.Errorf("%s: scores sum to %v with the unowned %v", what, total, unowned)
	}
	if strings.Contains(fmt.Sprint(rep), "NaN") {
		t.Errorf("%s: NaN in the report", what)
	}
}

// sampleLog walks n customers through g (a map's graph), one event a
// minute, each event at a step through one of the step's touchpoints,
// picked with weights 1, 2, 3 … in the order the map lists them (so that
// observed shares differ from the designed equal ones), with that
// touchpoint's channel. A walk's events stop at its end state.
func sampleLog(t *testing.T, m *journey.Map, g *graph.Graph, n int, seed uint64) *journey.Log {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	start, _ := g.Index(graph.Start)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c := range n {
		cust := fmt.Sprintf("c%06d", c)
		i := g.Sample(start, r.Float64())
		for k := 0; !g.IsAbsorbing(i); k++ {
			st, _ := m.Step(g.State(i))
			e := journey.Event{Customer: cust, Time: t0.Add(time.Duration(k) * time.Minute), Step: st.ID}
			if len(st.Touchpoints) > 0 {
				tot := len(st.Touchpoints) * (len(st.Touchpoints) + 1) / 2
				u := r.IntN(tot)
				for j, id := range st.Touchpoints {
					if u -= j + 1; u < 0 {
						tp, _ := m.Catalog.Touchpoint(id)
						e.Touchpoint, e.Channel = id, tp.Channel
						break
					}
				}
			}
			evs = append(evs, e)
			i = g.Sample(i, r.Float64())
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// From a log, each objective's reach is exactly the share of the
// customers who achieved it, whatever the number of workers, and each
// department's dependence is the brute-force removal on the chain counted
// from the paths (by the test's own counting), with the observed shares.
func TestScoreFromLog(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	nonzero := 0
	defer func() {
		if nonzero < 10 {
			t.Errorf("only %d positive dependences compared", nonzero)
		}
	}()
	for trial := range 8 {
		m := randomMap(r)
		g, _ := m.Graph()
		l := sampleLog(t, m, g, 3000, uint64(trial))
		opt := impact.Options{Log: l, Workers: 1, Priorities: objectives.Mix{Conversion: 1, Connection: 1}}
		rep, err := impact.Score(m, opt)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		opt.Workers = 3
		rep3, err := impact.Score(m, opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(rep, rep3); diff != "" {
			t.Errorf("trial %d: the report depends on the workers (-1 +3):\n%s", trial, diff)
		}
		checkInvariants(t, fmt.Sprintf("trial %d", trial), rep)
		for _, o := range objectives.All {
			goals := attribution.StepsAchieving(m, o)
			orep, _ := rep.Objective(o)
			obs := observedReach(l, goals)
			if len(goals) > 0 && math.Abs(orep.Reach-obs) > 1e-12 {
				t.Errorf("trial %d, %v: reach %.15g, observed share %.15g", trial, o, orep.Reach, obs)
			}
			if len(goals) == 0 || !(obs > 0) {
				continue
			}
			for _, d := range m.Catalog.Departments {
				dr, _ := rep.Department(d.ID)
				got, _ := dr.Objective(o)
				want := bruteLogDependence(t, m, l, goals, d.ID)
				if want > 0 {
					nonzero++
				}
				if math.Abs(got.Dependence-want) > 1e-10 {
					t.Errorf("trial %d, %s, %v: dependence %.12g, brute force %.12g", trial, d.ID, o, got.Dependence, want)
				}
			}
		}
	}
}

// observedReach returns the share of the log's customers who visit one
// of the goal steps.
func observedReach(l *journey.Log, goals []string) float64 {
	n := 0
	for p := range l.Paths() {
		for _, e := range p.Events {
			if slices.Contains(goals, e.Step) {
				n++
				break
			}
		}
	}
	return float64(n) / float64(l.Customers())
}

// bruteLogDependence counts the log's paths up to their first goal step
// (a goal step being a state with no way on), the repeats of a step in a
// row collapsed, and the events per step and owner; splits each
// transition into a step between the step and Exit by the department's
// observed share there; and returns the relative drop of the goal
// probability solved by graph.Graph.
func bruteLogDependence(t *testing.T, m *journey.Map, l *journey.Log, goals []string, dept string) float64 {
	t.Helper()
	type edge struct{ from, to string }
	counts := make(map[edge]float64)
	events, owned := make(map[string]float64), make(map[string]float64)
	for p := range l.Paths() {
		prev, ended := graph.Start, false
		for _, e := range p.Events {
			if e.Touchpoint != "" {
				events[e.Step]++
				if tp, _ := m.Catalog.Touchpoint(e.Touchpoint); tp.Owner == dept {
					owned[e.Step]++
				}
			}
			if ended || e.Step == prev {
				continue
			}
			counts[edge{prev, e.Step}]++
			prev = e.Step
			if slices.Contains(goals, e.Step) {
				ended = true
			}
		}
		if !ended {
			counts[edge{prev, graph.Exit}]++
		}
	}
	share := func(s string) float64 {
		if events[s] == 0 {
			return stepShares(m, dept)[s]
		}
		return owned[s] / events[s]
	}
	var b, split graph.Builder
	for e, n := range counts {
		b.Add(e.from, e.to, n)
		split.Add(e.from, e.to, n*(1-share(e.to)))
		split.Add(e.from, graph.Exit, n*share(e.to))
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	h, err := split.Build()
	if err != nil {
		return 1 // every walk lost
	}
	return 1 - reach(h, goals)/reach(g, goals)
}

// A graph of touchpoints of order 2: a department's dependence is the
// removal effect of its touchpoints by graph.Graph.Remove, which drops
// every tuple holding one of them.
func TestScoreOrder2TouchpointGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	nonzero := 0
	defer func() {
		if nonzero < 5 {
			t.Errorf("only %d positive dependences compared", nonzero)
		}
	}()
	for trial := range 10 {
		m := randomMap(r)
		g, _ := m.Graph()
		l := sampleLog(t, m, g, 2000, uint64(100+trial))
		goal := attribution.StepsAchieving(m, objectives.Conversion)
		if len(goal) == 0 {
			continue
		}
		lg, err := journey.Learn(l, journey.LearnOptions{By: journey.ByTouchpoint, Order: 2, GoalSteps: goal})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := impact.Score(m, impact.Options{Graph: lg, GraphBy: journey.ByTouchpoint})
		if err != nil {
			t.Fatal(err)
		}
		base := lg.Absorption(graph.Start, graph.Conversion)
		for _, d := range m.Catalog.Departments {
			var tps []string
			for _, tp := range m.Catalog.OwnedBy(d.ID) {
				tps = append(tps, tp.ID)
			}
			want := 0.0
			if base > 0 {
				want = 1 - lg.Remove(tps...).Absorption(graph.Start, graph.Conversion)/base
			}
			dr, _ := rep.Department(d.ID)
			got, _ := dr.Objective(objectives.Conversion)
			if math.Abs(got.Dependence-want) > 1e-10 {
				t.Errorf("trial %d, %s: dependence %.12g, Remove gives %.12g", trial, d.ID, got.Dependence, want)
			}
			if want > 0 {
				nonzero++
			}
		}
		checkInvariants(t, fmt.Sprintf("trial %d", trial), rep)
	}
}
