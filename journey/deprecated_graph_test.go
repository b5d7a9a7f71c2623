package journey_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// TestDeprecatedGraphNames builds the same graph through the names the
// graph had in package journey and through package graph, and checks
// that every name gives the same result.
func TestDeprecatedGraphNames(t *testing.T) {
	if journey.Start != graph.Start || journey.Conversion != graph.Conversion || journey.Exit != graph.Exit {
		t.Fatal("the special states differ")
	}
	for _, e := range []struct{ old, new error }{
		{journey.ErrEmptyGraph, graph.ErrEmptyGraph},
		{journey.ErrBadWeight, graph.ErrBadWeight},
		{journey.ErrEndState, graph.ErrEndState},
		{journey.ErrNoWayOut, graph.ErrNoWayOut},
	} {
		if !errors.Is(e.old, e.new) || !errors.Is(e.new, e.old) {
			t.Errorf("%v and %v are different errors", e.old, e.new)
		}
	}
	if got, want := journey.TupleName("web", "(x)"), graph.TupleName("web", "(x)"); got != want || want != `web > "(x)"` {
		t.Errorf("TupleName: old %q, new %q, want %q", got, want, `web > "(x)"`)
	}
	path := []string{"a", "a", "b", "c"}
	if diff := cmp.Diff(graph.PathStates(path, 2, false), journey.PathStates(path, 2, false)); diff != "" {
		t.Errorf("PathStates (-new +old):\n%s", diff)
	}

	var ob journey.GraphBuilder
	var nb graph.Builder
	for _, b := range []interface{ Add(string, string, float64) }{&ob, &nb} {
		b.Add(journey.Start, "a", 1)
		b.Add("a", "b", 1)
		b.Add("a", journey.Exit, 1)
		b.Add("b", "a", 2)
		b.Add("b", journey.Conversion, 3)
	}
	var og *journey.Graph
	og, err := ob.Build()
	if err != nil {
		t.Fatal(err)
	}
	ng, err := nb.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := og.Absorption(journey.Start, journey.Conversion), ng.Absorption(graph.Start, graph.Conversion); got != want || !(want > 0.374 && want < 0.376) {
		t.Errorf("Absorption: old %v, new %v, want 3/8", got, want)
	}
	var oldTr []journey.Transition
	for tr := range og.Transitions() {
		oldTr = append(oldTr, tr)
	}
	var newTr []graph.Transition
	for tr := range ng.Transitions() {
		newTr = append(newTr, tr)
	}
	if diff := cmp.Diff(newTr, oldTr); diff != "" || len(newTr) != 5 {
		t.Errorf("Transitions (-new +old):\n%s", diff)
	}
	var of []journey.Friction = og.Friction(journey.FrictionOptions{Top: 1})
	nf := ng.Friction(graph.FrictionOptions{Top: 1})
	if diff := cmp.Diff(nf, of); diff != "" || len(nf) != 1 || nf[0].State != "a" {
		t.Errorf("Friction (-new +old):\n%s", diff)
	}
	var or []journey.Route = og.Routes(journey.RouteOptions{Max: 2})
	nr := ng.Routes(graph.RouteOptions{Max: 2})
	if diff := cmp.Diff(nr, or); diff != "" || len(nr) != 2 {
		t.Errorf("Routes (-new +old):\n%s", diff)
	}

	oc := journey.TransitionCounts{Order: 2}
	nc := graph.Counts{Order: 2}
	for _, c := range []*graph.Counts{&oc, &nc} {
		c.AddPath([]string{"a", "b", "a"}, journey.Conversion, 2)
		c.AddPath([]string{"b"}, journey.Exit, 1)
	}
	if err := oc.Merge(&nc); err != nil {
		t.Fatal(err)
	}
	merged, err := oc.Graph()
	if err != nil {
		t.Fatal(err)
	}
	single, err := nc.Graph()
	if err != nil {
		t.Fatal(err)
	}
	// Doubling every count leaves the probabilities: 2/3 convert.
	if got, want := merged.Absorption(graph.Start, graph.Conversion), single.Absorption(graph.Start, graph.Conversion); got != want || !(want > 0.666 && want < 0.667) {
		t.Errorf("merged counts: P(conversion) %v, single %v, want 2/3", got, want)
	}
	if err := oc.Merge(&graph.Counts{Order: 1}); err == nil {
		t.Error("Merge of counts of another order: no error")
	}
}
