package simulate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
)

// failProb is the probability, over seeds, that a statistical test of
// this file fails although the simulation is right: each test splits it
// over its checks (Bonferroni) and uses Bernstein's bound for each, so it
// fails with probability below failProb whatever the seed. The seeds are
// fixed, so the tests are deterministic.
const failProb = 1e-6

// checkRecovery checks that every transition of want appears in got with
// a probability within the Bernstein bound of its own, got's counts
// (Weight) giving the number of walks that left each state, and that got
// has no transition want lacks.
func checkRecovery(t *testing.T, want, got *graph.Graph) {
	t.Helper()
	out := map[string]float64{} // walks that left each state in got
	for tr := range got.Transitions() {
		out[tr.From] += got.Weight(tr.From, tr.To)
		if want.Probability(tr.From, tr.To) == 0 {
			t.Errorf("%s -> %s: observed %v times, but the chain has no such transition", tr.From, tr.To, got.Weight(tr.From, tr.To))
		}
	}
	delta := failProb / float64(want.NumTransitions())
	worst := 0.0
	for tr := range want.Transitions() {
		n := out[tr.From]
		if n == 0 {
			continue // a state no walk reached: nothing to check
		}
		p := tr.Probability
		phat := got.Weight(tr.From, tr.To) / n
		eps := bernstein(n, p, delta)
		if math.Abs(phat-p) > eps {
			t.Errorf("%s -> %s: learned %.5f from %v walks, chain %.5f: off by more than %.5f", tr.From, tr.To, phat, n, p, eps)
		}
		worst = max(worst, math.Abs(phat-p)/eps)
	}
	t.Logf("largest deviation: %.2f of its bound", worst)
}

func TestLearnRecoversTheChain(t *testing.T) {
	g := loopChain(t)
	const n = 200_000
	l, err := simulate.Run(g, simulate.Options{Customers: n, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	// KeepRepeats, since the chain loops on a.
	learned, err := journey.Learn(l, journey.LearnOptions{KeepRepeats: true})
	if err != nil {
		t.Fatal(err)
	}
	checkRecovery(t, g, learned)

	conv := 0
	for c := range l.Customers() {
		_, hi := l.Span(c)
		if l.Name(journey.ByStep, l.Symbol(journey.ByStep, hi-1)) == graph.Conversion {
			conv++
		}
	}
	p := g.Absorption(graph.Start, graph.Conversion)
	if d, eps := math.Abs(float64(conv)/n-p), bernstein(n, p, failProb); d > eps {
		t.Errorf("conversion rate %.5f, absorption probability %.5f: off by more than %.5f", float64(conv)/n, p, eps)
	}
}

func TestLearnRecoversAnOrder2Chain(t *testing.T) {
	// The chain of an order-2 graph learned from a generated log, with
	// its thousands of tuple states, most of them rare.
	src, err := journey.NewLogSeq(gen.Events(gen.Options{Customers: 3000, Seed: 5, MaxPath: 8}))
	if err != nil {
		t.Fatal(err)
	}
	opt := journey.LearnOptions{Order: 2, GoalSteps: []string{gen.Purchase}}
	g, err := journey.Learn(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	l, err := simulate.Run(g, simulate.Options{Customers: 100_000, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	learned, err := journey.Learn(l, journey.LearnOptions{Order: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d states, %d transitions", g.NumStates(), g.NumTransitions())
	checkRecovery(t, g, learned)
}

func TestPersonasWalkTheirOwnChains(t *testing.T) {
	m := salesModel(t)
	const n = 200_000
	l, err := m.Run(simulate.Options{Customers: n, Seed: 13})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Personas() {
		t.Run(p.ID, func(t *testing.T) {
			want, err := m.Graph(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			mine := l.FilterProp("persona", func(v string) bool { return v == p.ID })
			got, err := journey.Learn(mine, journey.LearnOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkRecovery(t, want, got)
		})
	}
	want, err := m.ConversionRate()
	if err != nil {
		t.Fatal(err)
	}
	conv := 0
	for c := range l.Customers() {
		_, hi := l.Span(c)
		if l.Name(journey.ByStep, l.Symbol(journey.ByStep, hi-1)) == graph.Conversion {
			conv++
		}
	}
	if d, eps := math.Abs(float64(conv)/n-want), bernstein(n, want, failProb); d > eps {
		t.Errorf("conversion rate %.5f, exact mixture %.5f: off by more than %.5f", float64(conv)/n, want, eps)
	}
}

// TestPersonasChooseTouchpoints checks the share of each touchpoint at
// each step, by persona, against the persona's channel weights.
func TestPersonasChooseTouchpoints(t *testing.T) {
	m := salesModel(t)
	l, err := m.Run(simulate.Options{Customers: 100_000, Seed: 14})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]float64{ // persona -> "step/touchpoint" -> probability
		"buyer": {
			"visit/site": .5, "visit/ad": .5, "call/switchboard": 1,
			"demo/meeting": .5, "demo/webinar": .5,
			"quote/quote-email": 2. / 3, "quote/quote-form": 1. / 3, "order/order-form": 1,
		},
		"engineer": {
			"visit/site": 2. / 3, "visit/ad": 1. / 3, // call: phone weighs 0, never reached
			"demo/meeting": .25, "demo/webinar": .75,
			"quote/quote-email": 1. / 3, "quote/quote-form": 2. / 3, "order/order-form": 1,
		},
	}
	count := map[string]map[string]float64{"buyer": {}, "engineer": {}}
	atStep := map[string]map[string]float64{"buyer": {}, "engineer": {}}
	for e := range l.All() {
		if e.Touchpoint == "" {
			continue
		}
		p := e.Props["persona"]
		count[p][e.Step+"/"+e.Touchpoint]++
		atStep[p][e.Step]++
	}
	delta := failProb / 16
	for p, shares := range want {
		for key, share := range shares {
			step, _, _ := strings.Cut(key, "/")
			n := atStep[p][step]
			if n == 0 {
				t.Errorf("%s: no event at %s", p, step)
				continue
			}
			got := count[p][key] / n
			if eps := bernstein(n, share, delta); math.Abs(got-share) > eps {
				t.Errorf("%s at %s: share %.4f of %v events, want %.4f ± %.4f", p, key, got, n, share, eps)
			}
		}
		for key := range count[p] {
			if _, ok := shares[key]; !ok {
				t.Errorf("%s: %v events at %s, which the persona should never meet", p, count[p][key], key)
			}
		}
	}
}

// TestReplicateMatchesExactFigures checks the estimates of Replicate
// against the exact figures of the chain: the conversion rate, the steps
// (ExpectedSteps from Start, less Start itself) and the reach of a step.
func TestReplicateMatchesExactFigures(t *testing.T) {
	g := loopChain(t)
	m, err := simulate.New(simulate.Spec{Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	s, err := simulate.Replicate(m, simulate.ReplicateOptions{
		Options:      simulate.Options{Customers: 20_000, Seed: 15},
		Replications: 20,
		Level:        0.999,
		Reach:        []string{"d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	reach, err := m.Reach("d")
	if err != nil {
		t.Fatal(err)
	}
	exact := map[string]float64{
		simulate.OutcomeConversion: g.Absorption(graph.Start, graph.Conversion),
		simulate.OutcomeSteps:      g.ExpectedSteps(graph.Start) - 1,
		simulate.ReachOutcome("d"): reach,
	}
	if len(s.Outcomes) != len(exact) {
		t.Errorf("outcomes %v, want %d", s.Outcomes, len(exact))
	}
	for name, want := range exact {
		e, ok := s.Estimate(name)
		if !ok {
			t.Errorf("no outcome %q", name)
			continue
		}
		t.Logf("%s: exact %.5f, estimate %.5f [%.5f, %.5f]", name, want, e.Mean, e.Low, e.High)
		if !e.Contains(want) {
			t.Errorf("%s: the %.1f%% interval [%.5f, %.5f] misses the exact %.5f", name, 100*s.Level, e.Low, e.High, want)
		}
	}
}
