package simulate_test

import (
	"math"
	"os"
	"testing"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// salesMap is a small B2B journey whose persona effects are easy to work
// out by hand:
//
//	(start) → visit .7, call .3
//	visit → call .2, demo .4, (exit) .4
//	call → demo .5, visit .2, (exit) .3
//	demo → quote .6, visit .1, (exit) .3
//	quote → order .5, demo .2, (exit) .3
//	order → (conversion) .9, (exit) .1
//
// visit has the touchpoints site (web) and ad (ads); call switchboard
// (phone); demo meeting (sales) and webinar (event); quote quote-email
// (email) and quote-form (web); order order-form (web). The buyer (share
// .6) weighs email 2 and phone .5; the engineer (.4) web 2, event 3 and
// phone 0.
func salesMap() *journey.Map {
	return &journey.Map{
		Name:   "sales",
		Stages: []journey.Stage{{ID: "contact"}, {ID: "prospecting"}, {ID: "purchase"}},
		Steps: []journey.Step{
			{ID: "visit", Stage: "contact", Touchpoints: []string{"site", "ad"}},
			{ID: "call", Stage: "contact", Touchpoints: []string{"switchboard"}},
			{ID: "demo", Stage: "prospecting", Touchpoints: []string{"meeting", "webinar"}},
			{ID: "quote", Stage: "purchase", Touchpoints: []string{"quote-email", "quote-form"}},
			{ID: "order", Stage: "purchase", Touchpoints: []string{"order-form"}, Goals: []objectives.Objective{objectives.Conversion}},
		},
		Transitions: []graph.Transition{
			{From: graph.Start, To: "visit", Probability: .7},
			{From: graph.Start, To: "call", Probability: .3},
			{From: "visit", To: "call", Probability: .2},
			{From: "visit", To: "demo", Probability: .4},
			{From: "call", To: "demo", Probability: .5},
			{From: "call", To: "visit", Probability: .2},
			{From: "demo", To: "quote", Probability: .6},
			{From: "demo", To: "visit", Probability: .1},
			{From: "quote", To: "order", Probability: .5},
			{From: "quote", To: "demo", Probability: .2},
			{From: "order", To: graph.Conversion, Probability: .9},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{
				{ID: "marketing", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web, touchpoint.Ads, touchpoint.Event}},
				{ID: "sales", Focus: touchpoint.StageFocus, Stages: []string{"prospecting", "purchase"}},
			},
			Touchpoints: []touchpoint.Touchpoint{
				{ID: "site", Channel: touchpoint.Web, Owner: "marketing"},
				{ID: "ad", Channel: touchpoint.Ads, Owner: "marketing"},
				{ID: "switchboard", Channel: touchpoint.Phone, Owner: "sales"},
				{ID: "meeting", Channel: touchpoint.Sales, Owner: "sales"},
				{ID: "webinar", Channel: touchpoint.Event, Owner: "marketing"},
				{ID: "quote-email", Channel: touchpoint.Email, Owner: "sales"},
				{ID: "quote-form", Channel: touchpoint.Web, Owner: "sales"},
				{ID: "order-form", Channel: touchpoint.Web, Owner: "sales"},
			},
		},
		Personas: []persona.Persona{
			{ID: "buyer", Segment: persona.B2B, Share: .6, Channels: map[touchpoint.Channel]float64{touchpoint.Email: 2, touchpoint.Phone: .5}},
			{ID: "engineer", Segment: persona.B2B, Share: .4, Channels: map[touchpoint.Channel]float64{touchpoint.Web: 2, touchpoint.Event: 3, touchpoint.Phone: 0}},
		},
	}
}

// salesModel is the model of salesMap, with waits and values.
func salesModel(t testing.TB) *simulate.Model {
	t.Helper()
	sp, err := simulate.FromMap(salesMap())
	if err != nil {
		t.Fatal(err)
	}
	sp.Wait = simulate.Exponential(simulate.Hours(30))
	sp.Waits = map[string]simulate.Dist{
		"demo":  simulate.LogNormal(simulate.Hours(48), 0.8),
		"quote": simulate.Uniform(simulate.Hours(2), simulate.Hours(100)),
		"order": simulate.Fixed(simulate.Hours(1)),
	}
	sp.Values = map[string]simulate.Dist{
		"order":          simulate.LogNormal(12000, 0.5),
		graph.Conversion: simulate.Fixed(100),
	}
	m, err := simulate.New(sp)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// build returns the graph of the weighted transitions, failing the test
// on error.
func build(t testing.TB, edges ...graph.Transition) *graph.Graph {
	t.Helper()
	var b graph.Builder
	for _, e := range edges {
		b.Add(e.From, e.To, e.Probability)
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// loopChain is a chain with a self-loop, a two-state loop and both ends.
func loopChain(t testing.TB) *graph.Graph {
	return build(t,
		graph.Transition{From: graph.Start, To: "a", Probability: .6},
		graph.Transition{From: graph.Start, To: "b", Probability: .4},
		graph.Transition{From: "a", To: "a", Probability: .15},
		graph.Transition{From: "a", To: "b", Probability: .45},
		graph.Transition{From: "a", To: "c", Probability: .25},
		graph.Transition{From: "a", To: graph.Exit, Probability: .15},
		graph.Transition{From: "b", To: "a", Probability: .3},
		graph.Transition{From: "b", To: "d", Probability: .5},
		graph.Transition{From: "b", To: graph.Exit, Probability: .2},
		graph.Transition{From: "c", To: graph.Conversion, Probability: .35},
		graph.Transition{From: "c", To: "d", Probability: .35},
		graph.Transition{From: "c", To: graph.Exit, Probability: .3},
		graph.Transition{From: "d", To: "c", Probability: .4},
		graph.Transition{From: "d", To: graph.Exit, Probability: .6},
	)
}

// shoeshop reads the shipped shoe shop map.
func shoeshop(t testing.TB) *journey.Map {
	t.Helper()
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// bernstein returns the half-width ε such that the mean of n independent
// Bernoulli(p) draws lies within ε of p with probability at least 1 − δ:
// by Bernstein's inequality, P(|p̂ − p| ≥ ε) ≤ 2·exp(−nε² / (2p(1−p) +
// 2ε/3)), whose right side is δ for
//
//	ε = (2L/3 + √((2L/3)² + 8nL·p(1−p))) / (2n),  L = ln(2/δ).
//
// Unlike a normal approximation it holds for every n and p, rare
// transitions included.
func bernstein(n, p, delta float64) float64 {
	l := math.Log(2 / delta)
	a := 2 * l / 3
	return (a + math.Sqrt(a*a+8*n*l*p*(1-p))) / (2 * n)
}
