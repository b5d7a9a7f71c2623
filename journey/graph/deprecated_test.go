package graph

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/persona"
)

// TestDeprecatedForms checks that each deprecated spelling gives what its
// replacement gives, on the hand-worked graph (figures worked in
// TestGraphHandWorked) and on random ones.
func TestDeprecatedForms(t *testing.T) {
	g := handGraph(t)
	if diff := cmp.Diff([]float64{1, 0, 3.0 / 8, 3.0 / 8, 3.0 / 4}, g.AbsorptionVector(Conversion), approx); diff != "" {
		t.Errorf("AbsorptionVector (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{0, 0, 1, 5.0 / 4, 5.0 / 8}, g.VisitsFrom(Start), approx); diff != "" {
		t.Errorf("VisitsFrom (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{0, 0, 23.0 / 8, 15.0 / 8, 7.0 / 4}, g.ExpectedStepsVector(), approx); diff != "" {
		t.Errorf("ExpectedStepsVector (-want +got):\n%s", diff)
	}
	for name, v := range map[string][]float64{
		"AbsorptionVector of an unknown state": g.AbsorptionVector("nope"),
		"AbsorptionVector into a transient":    g.AbsorptionVector("a"),
		"VisitsFrom an unknown state":          g.VisitsFrom("nope"),
		"VisitsFrom an absorbing state":        g.VisitsFrom(Exit),
	} {
		if v != nil {
			t.Errorf("%s = %v, want nil", name, v)
		}
	}
	r := rand.New(rand.NewPCG(3, 5))
	painful := 0
	for trial := range 20 {
		g := randomGraph(t, r, 30, trial%2 == 0)
		abs, visits, steps := g.AbsorptionVector(Conversion), g.VisitsFrom(Start), g.ExpectedStepsVector()
		for i := range g.NumStates() {
			s := g.State(i)
			if abs[i] != g.Absorption(s, Conversion) || visits[i] != g.ExpectedVisits(Start, s) || steps[i] != g.ExpectedSteps(s) {
				t.Fatalf("trial %d, %s: vectors %v %v %v, scalars %v %v %v", trial, s, abs[i], visits[i], steps[i],
					g.Absorption(s, Conversion), g.ExpectedVisits(Start, s), g.ExpectedSteps(s))
			}
		}
		emotions := map[string]persona.Emotion{}
		for i := range g.NumStates() {
			emotions[g.State(i)] = persona.Emotion(i%5 - 2)
		}
		opt := FrictionOptions{Emotions: emotions, Top: 4}
		old := g.PainPoints(opt)
		opt.ByPain = true
		if diff := cmp.Diff(g.Friction(opt), old); diff != "" {
			t.Fatalf("trial %d: PainPoints and Friction with ByPain differ (-Friction +PainPoints):\n%s", trial, diff)
		}
		painful += len(old)
	}
	if painful == 0 {
		t.Error("no random graph had a pain point: the comparison tested nothing")
	}
}
