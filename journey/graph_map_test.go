package journey

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/persona"
)

func TestMapGraph(t *testing.T) {
	m := tinyMap()
	g, err := m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{Exit, Start, "ad", "browse", "cart", "checkout", "search"}, g.States()); diff != "" {
		t.Errorf("States: no Conversion, since no transition leads there (-want +got):\n%s", diff)
	}
	for _, from := range append([]string{Start}, stepIDs(m.Steps)...) {
		want := m.Next(from)
		var got []Transition
		for _, tr := range want {
			got = append(got, Transition{From: from, To: tr.To, Probability: g.Probability(from, tr.To)})
		}
		if diff := cmp.Diff(want, got, approx); diff != "" {
			t.Errorf("transitions from %s (-Next +Graph):\n%s", from, diff)
		}
	}
	// P(checkout) by hand: cart reaches it with 0.6; browse ⇄ search
	// loop: b = 0.5·s + 0.5·0.6, s = 0.4·b + 0.4·0.6 ⇒ 0.8·b = 0.42.
	b := 0.42 / 0.8
	want := 0.7*(0.5*b+0.2*0.6) + 0.3*b
	if got := g.Reach("checkout")[indexOf(g, Start)]; !relClose(got, want, 1e-12) {
		t.Errorf("P(reach checkout) = %v, want %v", got, want)
	}

	// A transition to Conversion brings the state in.
	m.Transitions = append(m.Transitions, Transition{From: "checkout", To: Conversion, Probability: 0.9})
	g, err = m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Absorption("checkout", Conversion); !relClose(got, 0.9, 1e-12) {
		t.Errorf("P(conversion from checkout) = %v, want 0.9", got)
	}
	if got := g.Absorption(Start, Conversion); !relClose(got, 0.9*want, 1e-12) {
		t.Errorf("P(conversion) = %v, want %v", got, 0.9*want)
	}

	// An invalid map gives Validate's error.
	bad := tinyMap()
	bad.Transitions = append(bad.Transitions, Transition{From: "cart", To: "nowhere"})
	if _, err := bad.Graph(); !errors.Is(err, ErrUnknownStep) || err.Error() != bad.Validate().Error() {
		t.Errorf("Graph of an invalid map: %v", err)
	}
}

func TestMapEmotions(t *testing.T) {
	m := tinyMap()
	m.Personas = []persona.Persona{{ID: "p", Share: 1, Empathy: []persona.Empathy{{Step: "cart", Emotion: -2}}}}
	want := map[string]persona.Emotion{"ad": 0, "browse": 0, "search": 0, "cart": -2, "checkout": 1}
	if diff := cmp.Diff(want, m.Emotions("p")); diff != "" {
		t.Errorf("Emotions(p) (-want +got):\n%s", diff)
	}
	want["cart"] = 0
	if diff := cmp.Diff(want, m.Emotions("")); diff != "" {
		t.Errorf("Emotions(\"\") (-want +got):\n%s", diff)
	}
}

// TestConformance checks the tiny map against four customers, worked by
// hand (repeats collapse):
//
//	c1: ad, cart, checkout      S→ad ✓ ad→cart ✓ cart→checkout ✓ checkout→exit ✓
//	c2: browse, browse, search, cart  S→browse ✓ browse→search ✓ search→cart ✓ cart→exit ✓
//	c3: ad, checkout            S→ad ✓ ad→checkout ✗ checkout→exit ✓
//	c4: search, browse          S→search ✗ search→browse ✓ browse→exit ✗
//
// 14 transitions, 11 allowed.
func TestConformance(t *testing.T) {
	l, err := NewLog(traces(map[string]int{
		"ad,cart,checkout":          1,
		"browse,browse,search,cart": 1,
		"ad,checkout":               1,
		"search,browse":             1,
	}))
	if err != nil {
		t.Fatal(err)
	}
	m := tinyMap()
	c, err := m.Conformance(l, ConformanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Observed != 14 || c.Allowed != 11 || !relClose(c.Fitness, 11.0/14, 1e-15) {
		t.Errorf("Observed %d, Allowed %d, Fitness %v; want 14, 11, 11/14", c.Observed, c.Allowed, c.Fitness)
	}
	want := []ConformanceEdge{
		{From: Start, To: "ad", Count: 2, Share: 0.5, Designed: true, Probability: 0.7},
		{From: Start, To: "browse", Count: 1, Share: 0.25, Designed: true, Probability: 0.3},
		{From: Start, To: "search", Count: 1, Share: 0.25},
		{From: "ad", To: Exit, Designed: true, Probability: 0.3},
		{From: "ad", To: "browse", Designed: true, Probability: 0.5},
		{From: "ad", To: "cart", Count: 1, Share: 0.5, Designed: true, Probability: 0.2},
		{From: "ad", To: "checkout", Count: 1, Share: 0.5},
		{From: "browse", To: Exit, Count: 1, Share: 0.5},
		{From: "browse", To: "cart", Designed: true, Probability: 0.5},
		{From: "browse", To: "search", Count: 1, Share: 0.5, Designed: true, Probability: 0.5},
		{From: "cart", To: Exit, Count: 1, Share: 0.5, Designed: true, Probability: 0.4},
		{From: "cart", To: "checkout", Count: 1, Share: 0.5, Designed: true, Probability: 0.6},
		{From: "checkout", To: Exit, Count: 2, Share: 1, Designed: true, Probability: 1},
		{From: "search", To: Exit, Designed: true, Probability: 0.2},
		{From: "search", To: "browse", Count: 1, Share: 0.5, Designed: true, Probability: 0.4},
		{From: "search", To: "cart", Count: 1, Share: 0.5, Designed: true, Probability: 0.4},
	}
	if diff := cmp.Diff(want, c.Edges, approx); diff != "" {
		t.Errorf("Edges (-want +got):\n%s", diff)
	}
	var undesigned, unobserved []string
	for _, e := range c.Undesigned() {
		undesigned = append(undesigned, e.From+" -> "+e.To)
	}
	for _, e := range c.Unobserved() {
		unobserved = append(unobserved, e.From+" -> "+e.To)
	}
	if diff := cmp.Diff([]string{"(start) -> search", "ad -> checkout", "browse -> (exit)"}, undesigned); diff != "" {
		t.Errorf("Undesigned (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ad -> (exit)", "ad -> browse", "browse -> cart", "search -> (exit)"}, unobserved); diff != "" {
		t.Errorf("Unobserved (-want +got):\n%s", diff)
	}
	// A goal sends the converting paths to Conversion, which this map
	// does not design; an empty log is vacuously fit.
	c, _ = m.Conformance(l, ConformanceOptions{Goal: func(e Event) bool { return e.Step == "checkout" }})
	if c.Observed != 12 || c.Allowed != 8 {
		t.Errorf("with a goal: Observed %d, Allowed %d; want 12, 8", c.Observed, c.Allowed)
	}
	empty, _ := NewLog(nil)
	if c, _ := m.Conformance(empty, ConformanceOptions{}); c.Fitness != 1 || c.Observed != 0 {
		t.Errorf("empty log: %+v", c)
	}
	bad := Map{}
	if _, err := bad.Conformance(l, ConformanceOptions{}); !errors.Is(err, ErrEmptyMap) {
		t.Errorf("invalid map: %v", err)
	}
}
