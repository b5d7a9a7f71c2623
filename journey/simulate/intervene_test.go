package simulate_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/touchpoint"
)

const (
	S = graph.Start
	C = graph.Conversion
	X = graph.Exit
)

// abChain: start → A; A → B .5, exit .5; B → conversion .4, A .2, exit
// .4. From A, P(conversion) = x solves x = .5(.4 + .2x): x = .2/.9.
func abChain(t testing.TB) *graph.Graph {
	return build(t,
		graph.Transition{From: S, To: "A", Probability: 1},
		graph.Transition{From: "A", To: "B", Probability: .5},
		graph.Transition{From: "A", To: X, Probability: .5},
		graph.Transition{From: "B", To: C, Probability: .4},
		graph.Transition{From: "B", To: "A", Probability: .2},
		graph.Transition{From: "B", To: X, Probability: .4},
	)
}

func TestScale(t *testing.T) {
	m := must(simulate.New(simulate.Spec{Graph: abChain(t)}))
	single := must(simulate.New(simulate.Spec{Graph: build(t,
		graph.Transition{From: S, To: "a", Probability: 1},
		graph.Transition{From: "a", To: "b", Probability: 1},
		graph.Transition{From: "b", To: C, Probability: 1},
	)}))
	rest := map[string]float64{S + " -> A": 1, "B -> " + C: .4, "B -> A": .2, "B -> " + X: .4}
	with := func(m map[string]float64, kv ...any) map[string]float64 {
		out := map[string]float64{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(float64)
		}
		return out
	}
	tests := []struct {
		name, reason string
		model        *simulate.Model
		from, to     string
		factor       float64
		want         map[string]float64
		conversion   float64
	}{
		{
			name: "raise", reason: "A → B .5·1.4 = .7; the exit gets (1 − .7)/.5 of its .5, .3",
			model: m, from: "A", to: "B", factor: 1.4,
			want:       with(rest, "A -> B", .7, "A -> "+X, .3),
			conversion: .28 / .86, // x = .7(.4 + .2x)
		},
		{
			name: "raise the conversion", reason: "B → conversion .8; A and exit share the .2 left in proportion to .2 and .4",
			model: m, from: "B", to: C, factor: 2,
			want:       with(rest, "A -> B", .5, "A -> "+X, .5, "B -> "+C, .8, "B -> A", .2/3, "B -> "+X, .4/3),
			conversion: .4 / (1 - .5*.2/3), // x = .5(.8 + x/15)
		},
		{
			name: "capped at 1", reason: ".5·3 is more than 1: A → B takes everything, the exit nothing (and is dropped)",
			model: m, from: "A", to: "B", factor: 3,
			want:       with(rest, "A -> B", 1.),
			conversion: .4 / .8, // x = .4 + .2x
		},
		{
			name: "cut", reason: "B → A to 0: conversion and exit share B's row, .5 each",
			model: m, from: "B", to: "A", factor: 0,
			want:       with(rest, "A -> B", .5, "A -> "+X, .5, "B -> "+C, .5, "B -> A", 0., "B -> "+X, .5),
			conversion: .25,
		},
		{
			name: "nothing else leaves", reason: "a → b was the only way on: what it loses goes to a new exit",
			model: single, from: "a", to: "b", factor: .6,
			want:       map[string]float64{S + " -> a": 1, "a -> b": .6, "a -> " + X: .4, "b -> " + C: 1},
			conversion: .6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.model.Scale(tt.from, tt.to, tt.factor)
			if err != nil {
				t.Fatal(err)
			}
			g, err := v.Graph("")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]float64{}
			for k, p := range tt.want {
				if p > 0 { // Graph leaves out transitions of probability 0
					want[k] = p
				}
			}
			if diff := cmp.Diff(want, transitions(g), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			got, err := v.ConversionRate()
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.conversion) > 1e-12 {
				t.Errorf("conversion rate %.15f, worked out by hand %.15f", got, tt.conversion)
			}
		})
	}
	if got := must(m.ConversionRate()); math.Abs(got-.2/.9) > 1e-12 {
		t.Errorf("Scale changed its receiver: conversion rate %v, want .2/.9", got)
	}
}

// TestCompareFindsTheExactEffect compares the chain with the chain whose
// A → B is 1.4 times as likely: the effect on the conversion rate is
// .28/.86 − .2/.9 exactly.
func TestCompareFindsTheExactEffect(t *testing.T) {
	base := must(simulate.New(simulate.Spec{Graph: abChain(t)}))
	variant := must(base.Scale("A", "B", 1.4))
	effect := .28/.86 - .2/.9
	c, err := simulate.Compare(base, variant, simulate.ReplicateOptions{
		Options:      simulate.Options{Customers: 20_000, Seed: 31},
		Replications: 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	o, ok := c.Outcome(simulate.OutcomeConversion)
	if !ok {
		t.Fatal("no conversion outcome")
	}
	t.Logf("effect %.5f, estimate %.5f [%.5f, %.5f], paired se %.5f, arms' se %.5f and %.5f",
		effect, o.Diff.Mean, o.Diff.Low, o.Diff.High, o.Diff.StdErr, o.Baseline.StdErr, o.Variant.StdErr)
	if !o.Diff.Contains(effect) {
		t.Errorf("the 95%% interval [%.5f, %.5f] misses the effect %.5f", o.Diff.Low, o.Diff.High, effect)
	}
	if !o.Baseline.Contains(.2/.9) || !o.Variant.Contains(.28/.86) {
		t.Errorf("an arm's interval misses its exact rate: baseline %+v, variant %+v", o.Baseline, o.Variant)
	}
	// Common random numbers: the paired differences vary less than two
	// independent arms would.
	if indep := math.Hypot(o.Baseline.StdErr, o.Variant.StdErr); !(o.Diff.StdErr < indep) {
		t.Errorf("paired standard error %.6f is not below that of independent arms, %.6f", o.Diff.StdErr, indep)
	}
	// The estimate is that of the mean over replications of each arm.
	if d := o.Variant.Mean - o.Baseline.Mean - o.Diff.Mean; math.Abs(d) > 1e-15 {
		t.Errorf("the mean difference %v differs from the difference of means by %v", o.Diff.Mean, d)
	}
}

// TestIntervalsCover runs 1000 small comparisons with different seeds:
// about 95% of their intervals must contain the exact effect. If the
// intervals are right the count is binomial(1000, .95), of mean 950 and
// standard deviation 6.9: outside [920, 980] happens with probability
// about 1e-5. Too few means intervals too narrow, too many too wide.
func TestIntervalsCover(t *testing.T) {
	base := must(simulate.New(simulate.Spec{Graph: abChain(t)}))
	variant := must(base.Scale("A", "B", 1.4))
	effect := .28/.86 - .2/.9
	const studies = 1000
	covered := 0
	for seed := range uint64(studies) {
		c, err := simulate.Compare(base, variant, simulate.ReplicateOptions{
			Options:      simulate.Options{Customers: 500, Seed: seed},
			Replications: 5,
		})
		if err != nil {
			t.Fatal(err)
		}
		if o, _ := c.Outcome(simulate.OutcomeConversion); o.Diff.Contains(effect) {
			covered++
		}
	}
	t.Logf("%d of %d intervals cover the effect", covered, studies)
	if covered < 920 || covered > 980 {
		t.Errorf("%d of %d 95%% intervals cover the effect: want about 950", covered, studies)
	}
}

func TestRemoveTouchpointsOfADepartment(t *testing.T) {
	base := salesModel(t)
	v, err := base.RemoveTouchpoints(func(tp touchpoint.Touchpoint) bool { return tp.Owner == "marketing" })
	if err != nil {
		t.Fatal(err)
	}
	// visit loses site and ad: it is removed, its inflow leaves. demo
	// keeps meeting (sales): the engineer's weight for it falls from 2
	// to 1. The engineer, who never phones, can no longer enter at all.
	want := map[string]map[string]float64{
		"buyer": { // weights: call .5, demo 1, quote 1.5, order 1
			S + " -> " + X: 14. / 17, S + " -> call": 3. / 17,
			"call -> demo": .5, "call -> " + X: .5,
			"demo -> quote": 9. / 13, "demo -> " + X: 4. / 13,
			"quote -> order": .5, "quote -> demo": .2, "quote -> " + X: .3,
			"order -> " + C: .9, "order -> " + X: .1,
		},
		"engineer": {S + " -> " + X: 1},
	}
	for p, w := range want {
		g := must(v.Graph(p))
		if diff := cmp.Diff(w, transitions(g), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", p, diff)
		}
	}
	buyer := must(v.Graph("buyer"))
	if got, want := must(v.ConversionRate()), .6*buyer.Absorption(S, C); math.Abs(got-want) > 1e-15 {
		t.Errorf("conversion rate %v, want .6 × the buyer's %v", got, want)
	}
	l, err := v.Run(simulate.Options{Customers: 2000, Seed: 32})
	if err != nil {
		t.Fatal(err)
	}
	for e := range l.All() {
		switch e.Touchpoint {
		case "site", "ad", "webinar":
			t.Fatalf("an event at the removed touchpoint %q", e.Touchpoint)
		}
		if e.Step == "visit" {
			t.Fatal("an event at the removed step visit")
		}
	}
}

func TestRemoveSteps(t *testing.T) {
	v, err := must(simulate.New(simulate.Spec{Graph: loopChain(t)})).RemoveSteps("b")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		S + " -> a": .6, S + " -> " + X: .4,
		"a -> a": .15, "a -> c": .25, "a -> " + X: .6,
		"c -> " + C: .35, "c -> d": .35, "c -> " + X: .3,
		"d -> c": .4, "d -> " + X: .6,
	}
	if diff := cmp.Diff(want, transitions(must(v.Graph(""))), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("b's inflow goes to the exit (-want +got):\n%s", diff)
	}
}
