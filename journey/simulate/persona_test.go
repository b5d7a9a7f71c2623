package simulate_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// transitions returns a graph's transitions as "from -> to": probability.
func transitions(g *graph.Graph) map[string]float64 {
	out := map[string]float64{}
	for tr := range g.Transitions() {
		out[tr.From+" -> "+tr.To] = tr.Probability
	}
	return out
}

// TestPersonaOdds checks each persona's chain against probabilities
// worked out by hand with the formula p'(i→j) = p(i→j)·w(j) / Σ_k
// p(i→k)·w(k), w a step's mean channel weight over its touchpoints.
func TestPersonaOdds(t *testing.T) {
	m := salesModel(t)
	const (
		S = graph.Start
		C = graph.Conversion
		X = graph.Exit
	)
	tests := []struct {
		name, persona, reason string
		want                  map[string]float64
	}{
		{
			name: "no persona", persona: "",
			reason: "the map's own probabilities, as Map.Next gives them",
			want: map[string]float64{
				S + " -> visit": .7, S + " -> call": .3,
				"visit -> call": .2, "visit -> demo": .4, "visit -> " + X: .4,
				"call -> demo": .5, "call -> visit": .2, "call -> " + X: .3,
				"demo -> quote": .6, "demo -> visit": .1, "demo -> " + X: .3,
				"quote -> order": .5, "quote -> demo": .2, "quote -> " + X: .3,
				"order -> " + C: .9, "order -> " + X: .1,
			},
		},
		{
			name: "buyer", persona: "buyer",
			reason: "weights visit 1, call .5 (phone .5), demo 1, quote (2+1)/2 = 1.5 (email 2, web 1), order 1, ends 1: " +
				"from start .7 and .15 of .85; from visit .1, .4, .4 of .9; from demo .9, .1, .3 of 1.3",
			want: map[string]float64{
				S + " -> visit": 14. / 17, S + " -> call": 3. / 17,
				"visit -> call": 1. / 9, "visit -> demo": 4. / 9, "visit -> " + X: 4. / 9,
				"call -> demo": .5, "call -> visit": .2, "call -> " + X: .3,
				"demo -> quote": 9. / 13, "demo -> visit": 1. / 13, "demo -> " + X: 3. / 13,
				"quote -> order": .5, "quote -> demo": .2, "quote -> " + X: .3,
				"order -> " + C: .9, "order -> " + X: .1,
			},
		},
		{
			name: "engineer", persona: "engineer",
			reason: "weights visit (2+1)/2 = 1.5, call 0 (phone 0: never entered, so absent), demo (1+3)/2 = 2, quote (1+2)/2 = 1.5, order 2: " +
				"from visit .8 and .4 of 1.2; from demo .9, .15, .3 of 1.35; from quote 1, .4, .3 of 1.7",
			want: map[string]float64{
				S + " -> visit": 1,
				"visit -> demo": 2. / 3, "visit -> " + X: 1. / 3,
				"demo -> quote": 2. / 3, "demo -> visit": 1. / 9, "demo -> " + X: 2. / 9,
				"quote -> order": 10. / 17, "quote -> demo": 4. / 17, "quote -> " + X: 3. / 17,
				"order -> " + C: .9, "order -> " + X: .1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := m.Graph(tt.persona)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, transitions(g), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("%s\ntransitions (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestPersonaEdgeCases(t *testing.T) {
	// start -> a (web) -> b (phone) -> conversion, a -> c (phone) .5
	g := build(t,
		graph.Transition{From: graph.Start, To: "a", Probability: 1},
		graph.Transition{From: "a", To: "b", Probability: .5},
		graph.Transition{From: "a", To: "c", Probability: .5},
		graph.Transition{From: "b", To: graph.Conversion, Probability: 1},
		graph.Transition{From: "c", To: graph.Conversion, Probability: 1},
	)
	tps := map[string][]touchpoint.Touchpoint{
		"a": {{ID: "site", Channel: touchpoint.Web}},
		"b": {{ID: "hotline", Channel: touchpoint.Phone}},
		"c": {{ID: "desk", Channel: touchpoint.Phone}},
	}
	tests := []struct {
		name, reason string
		personas     []persona.Persona
		want         map[string]map[string]float64 // persona -> transitions
	}{
		{
			name:     "every way on weighs 0",
			reason:   "a persona that never phones leaves at a, whose successors are all phone steps",
			personas: []persona.Persona{{ID: "silent", Channels: map[touchpoint.Channel]float64{touchpoint.Phone: 0}}},
			want: map[string]map[string]float64{"silent": {
				graph.Start + " -> a": 1, "a -> " + graph.Exit: 1,
			}},
		},
		{
			name:   "a persona without share",
			reason: "shares .7 and 0: the chains are still defined, and Shares gives 1 and 0",
			personas: []persona.Persona{
				{ID: "caller", Share: .7, Channels: map[touchpoint.Channel]float64{touchpoint.Phone: 3}},
				{ID: "ghost", Share: 0},
			},
			want: map[string]map[string]float64{
				"caller": {graph.Start + " -> a": 1, "a -> b": .5, "a -> c": .5, "b -> " + graph.Conversion: 1, "c -> " + graph.Conversion: 1},
				"ghost":  {graph.Start + " -> a": 1, "a -> b": .5, "a -> c": .5, "b -> " + graph.Conversion: 1, "c -> " + graph.Conversion: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := simulate.New(simulate.Spec{Graph: g, Touchpoints: tps, Personas: tt.personas})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]map[string]float64{}
			for _, p := range tt.personas {
				pg, err := m.Graph(p.ID)
				if err != nil {
					t.Fatal(err)
				}
				got[p.ID] = transitions(pg)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			l, err := m.Run(simulate.Options{Customers: 2000, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for e := range l.All() {
				if e.Step == graph.Start {
					t.Fatal("an event at the start state")
				}
				seen[e.Props["persona"]]++
			}
			for _, p := range tt.personas {
				if p.Share == 0 && len(tt.personas) > 1 && seen[p.ID] > 0 {
					t.Errorf("persona %q without share has %d events", p.ID, seen[p.ID])
				}
			}
		})
	}
}
