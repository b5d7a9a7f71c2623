package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/persona"
)

func TestRoutes(t *testing.T) {
	g := handGraph(t)
	tests := []struct {
		name   string
		opt    RouteOptions
		want   []Route
		reason string
	}{
		{"most likely", RouteOptions{Max: 4}, []Route{
			{[]string{Start, "a", Exit}, 0.5},
			{[]string{Start, "a", "b", Conversion}, 0.3},
			{[]string{Start, "a", "b", "a", Exit}, 0.1},
			{[]string{Start, "a", "b", "a", "b", Conversion}, 0.06},
		}, "walks may loop: each turn of the loop is another route"},
		{"conversions, 90%", RouteOptions{Into: []string{Conversion}, Share: 0.9}, []Route{
			{[]string{Start, "a", "b", Conversion}, 0.3},
			{[]string{Start, "a", "b", "a", "b", Conversion}, 0.06},
		}, "0.36 of P(conversion) = 0.375 is 96%, past 90%"},
		{"from b", RouteOptions{From: "b", Max: 2}, []Route{
			{[]string{"b", Conversion}, 0.6},
			{[]string{"b", "a", Exit}, 0.2},
		}, ""},
		{"from an absorbing state", RouteOptions{From: Exit}, []Route{{[]string{Exit}, 1}}, "the empty walk"},
		{"into a transient state", RouteOptions{Into: []string{"a"}}, nil, "routes end in absorbing states"},
	}
	for _, tt := range tests {
		got := g.Routes(tt.opt)
		if diff := cmp.Diff(tt.want, got, approx); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
	if n := len(g.Routes(RouteOptions{})); n != 10 {
		t.Errorf("default Max: %d routes, want 10", n)
	}
}

// TestRoutesProperties checks on random graphs that routes come most
// likely first, are distinct walks whose probability is the product of
// their transitions, and that on acyclic graphs all routes together carry
// probability 1.
func TestRoutesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	for trial := range 20 {
		var b Builder
		n := 8
		b.Add(Start, "s0", 1)
		for i := range n {
			for range 1 + r.IntN(3) {
				if j := i + 1 + r.IntN(n-i); j < n {
					b.Add(fmt.Sprint("s", i), fmt.Sprint("s", j), r.Float64()+0.1)
				}
			}
			b.Add(fmt.Sprint("s", i), []string{Exit, Conversion}[r.IntN(2)], r.Float64()+0.1)
		}
		g, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		routes := g.Routes(RouteOptions{Max: 1 << 20, Share: 1})
		total := 0.0
		seen := map[string]bool{}
		for k, rt := range routes {
			p := 1.0
			for i := 0; i+1 < len(rt.States); i++ {
				p *= g.Probability(rt.States[i], rt.States[i+1])
			}
			if !relClose(rt.Probability, p, 1e-12) {
				t.Fatalf("trial %d: route %q has probability %v, its transitions give %v", trial, rt.States, rt.Probability, p)
			}
			if k > 0 && rt.Probability > routes[k-1].Probability {
				t.Fatalf("trial %d: routes out of order at %d", trial, k)
			}
			key := fmt.Sprint(rt.States)
			if seen[key] {
				t.Fatalf("trial %d: route %s twice", trial, key)
			}
			seen[key] = true
			total += rt.Probability
		}
		if !relClose(total, 1, 1e-9) {
			t.Fatalf("trial %d: the routes of an acyclic graph carry %v, want 1", trial, total)
		}
		conv := g.Routes(RouteOptions{Into: []string{Conversion}, Max: 1 << 20, Share: 0.5})
		carried := 0.0
		for _, rt := range conv {
			carried += rt.Probability
		}
		if want := g.Absorption(Start, Conversion); carried < 0.5*want*(1-1e-9) || len(conv) > 0 && carried-conv[len(conv)-1].Probability >= 0.5*want {
			t.Fatalf("trial %d: conversion routes carry %v of %v: not the fewest that reach half", trial, carried, want)
		}
	}
}

func TestDominatorsAndMustPass(t *testing.T) {
	diamond := mustBuild(t, Start, "a", 1, "a", "b", 1, "a", "c", 1, "b", "d", 1, "c", "d", 1, "d", Conversion, 1, "c", Exit, 1)
	tests := []struct {
		name   string
		g      *Graph
		into   string
		want   []string
		reason string
	}{
		{"hand", handGraph(t), Conversion, []string{"a", "b"}, "every converting walk goes a, b"},
		{"diamond", diamond, Conversion, []string{"a", "d"}, "b and c are alternatives"},
		{"diamond to c", diamond, "c", []string{"a"}, "a transient target"},
		{"start", diamond, Start, nil, "nothing before Start"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.g.Dominators(tt.into)); diff != "" {
			t.Errorf("%s: Dominators (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
		if diff := cmp.Diff(tt.want, tt.g.MustPass(tt.into)); diff != "" {
			t.Errorf("%s: MustPass (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
	unreachable := mustBuild(t, Start, "a", 1, "a", Exit, 1, "b", Conversion, 1)
	if d, m := unreachable.Dominators(Conversion), unreachable.MustPass(Conversion); d != nil || m != nil {
		t.Errorf("an unreachable target: Dominators %q, MustPass %q; want nil", d, m)
	}
	// Order 2: x a y and z a w both convert; no pair dominates, but a
	// is in every converting route.
	var c Counts
	c.Order = 2
	c.AddPath([]string{"x", "a", "y"}, Conversion, 1)
	c.AddPath([]string{"z", "a", "w"}, Conversion, 1)
	c.AddPath([]string{"z"}, Exit, 1)
	g2, err := c.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if d := g2.Dominators(Conversion); d != nil {
		t.Errorf("order 2: Dominators = %q, want none", d)
	}
	if diff := cmp.Diff([]string{"a"}, g2.MustPass(Conversion)); diff != "" {
		t.Errorf("order 2: MustPass (-want +got):\n%s", diff)
	}
	// On random order-1 graphs MustPass (by searches that avoid each
	// step) agrees with Dominators (Cooper, Harvey and Kennedy).
	r := rand.New(rand.NewPCG(5, 5))
	for trial := range 100 {
		g := randomGraph(t, r, 12, false)
		for _, into := range []string{Conversion, Exit, "s005"} {
			d, m := g.Dominators(into), g.MustPass(into)
			if !slices.Equal(d, m) {
				t.Fatalf("trial %d, into %s: Dominators %q, MustPass %q", trial, into, d, m)
			}
		}
	}
}

func TestLoops(t *testing.T) {
	tests := []struct {
		name   string
		g      *Graph
		want   [][]string
		reason string
	}{
		{"hand", handGraph(t), [][]string{{"a", "b"}}, "a ⇄ b"},
		{"none", mustBuild(t, Start, "a", 1, "a", Exit, 1), nil, "a chain"},
		{"two", mustBuild(t, Start, "a", 1, "a", "b", 1, "b", "c", 1, "c", "a", 1, "c", "d", 1, "d", "d", 1, "d", Exit, 1),
			[][]string{{"a", "b", "c"}, {"d"}}, "larger loops first; a self-loop is a loop"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.g.Loops()); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

// TestFriction checks the hand graph worked in handGraph's comment:
//
//	Traffic a = 5/4, b = 5/8; Exit a = 1/2, b = 0; Leaving a = 5/8
//	LoopRate a = b = 1 − 1/(5/4) = 1/5
//	Goal a = 3/8, b = 3/4
//	best alternative at Start 3/8 (a), at a 3/4 (b), at b 1 (Conversion)
//	Lost a = 1·(3/8 − 3/8) + (5/8·0.4)·(1 − 3/8) = 5/32, over inflow 5/4: Drop 1/8
//	Lost b = (5/4·0.5)·(3/4 − 3/4) = 0
func TestFriction(t *testing.T) {
	g := handGraph(t)
	emotions := map[string]persona.Emotion{"a": -2, "b": -1}
	got := g.Friction(FrictionOptions{Emotions: emotions})
	want := []Friction{
		{State: "a", Traffic: 5.0 / 4, Exit: 0.5, Leaving: 5.0 / 8, LoopRate: 0.2, Goal: 3.0 / 8, Drop: 1.0 / 8, Lost: 5.0 / 32,
			Emotion: -2, HasEmotion: true, Pain: 5.0 / 8},
		{State: "b", Traffic: 5.0 / 8, LoopRate: 0.2, Goal: 3.0 / 4, Emotion: -1, HasEmotion: true},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Friction (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:1], g.Friction(FrictionOptions{Emotions: emotions, ByPain: true}), approx); diff != "" {
		t.Errorf("ByPain: only the states with pain (-want +got):\n%s", diff)
	}
	// Ranked by pain, not by walks lost: a loses 1/2 of the walks with
	// emotion −1 (pain 1/2 · 1/2), b loses 1/2 · 3/4 with emotion −2
	// (pain 1 · 3/8).
	g2 := mustBuild(t, Start, "a", 1, "a", "b", 1, "a", Exit, 1, "b", Exit, 3, "b", Conversion, 1)
	em2 := map[string]persona.Emotion{"a": -1, "b": -2}
	var byLeaving, byPain []string
	for _, f := range g2.Friction(FrictionOptions{Emotions: em2}) {
		byLeaving = append(byLeaving, fmt.Sprintf("%s %.4f", f.State, f.Leaving))
	}
	for _, f := range g2.Friction(FrictionOptions{Emotions: em2, ByPain: true}) {
		byPain = append(byPain, fmt.Sprintf("%s %.4f", f.State, f.Pain))
	}
	if diff := cmp.Diff([]string{"a 0.5000", "b 0.3750"}, byLeaving); diff != "" {
		t.Errorf("by leaving (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b 0.3750", "a 0.2500"}, byPain); diff != "" {
		t.Errorf("by pain (-want +got):\n%s", diff)
	}
	if got := g2.Friction(FrictionOptions{Emotions: em2, ByPain: true, Top: 1}); len(got) != 1 || got[0].State != "b" {
		t.Errorf("ByPain, Top 1: %+v, want b", got)
	}
	if got := g.Friction(FrictionOptions{Top: 1}); len(got) != 1 || got[0].State != "a" || got[0].HasEmotion {
		t.Errorf("Top 1: %+v", got)
	}
	// With b as the goal: a reaches it with probability 1/2.
	gb := g.Friction(FrictionOptions{Goal: []string{"b"}})
	if !relClose(gb[0].Goal, 0.5, 1e-12) || gb[1].Goal != 1 {
		t.Errorf("goal b: Goal of a, b = %v, %v; want 1/2, 1", gb[0].Goal, gb[1].Goal)
	}
	if f := mustBuild(t, "a", Exit, 1).Friction(FrictionOptions{}); f != nil {
		t.Errorf("no Start: %v, want nil", f)
	}
	// Leaving sums to the probability of ending in Exit.
	r := rand.New(rand.NewPCG(1, 7))
	for range 10 {
		g := randomGraph(t, r, 25, false)
		sum := 0.0
		for _, f := range g.Friction(FrictionOptions{}) {
			sum += f.Leaving
		}
		if want := g.Absorption(Start, Exit); !relClose(sum, want, 1e-9) {
			t.Errorf("Leaving sums to %v, P(exit) = %v", sum, want)
		}
	}
}
