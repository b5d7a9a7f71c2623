package graph

import (
	"slices"

	"github.com/parcours-go/parcours/internal/markov"
)

// AbsorptionVector returns Absorption(s, into) for every state s, by
// index; nil if into is unknown or not absorbing. The slice is new.
//
// Deprecated: use Absorption.
func (g *Graph) AbsorptionVector(into string) []float64 {
	if j, ok := g.Index(into); !ok || !g.IsAbsorbing(j) {
		return nil
	}
	return g.byState(func(s string) float64 { return g.Absorption(s, into) })
}

// ExpectedStepsVector returns ExpectedSteps(s) for every state s, by
// index. The slice is new.
//
// Deprecated: use ExpectedSteps.
func (g *Graph) ExpectedStepsVector() []float64 { return g.byState(g.ExpectedSteps) }

// VisitsFrom returns ExpectedVisits(from, s) for every state s, by index;
// nil if from is unknown or absorbing. The slice is new.
//
// Deprecated: use ExpectedVisits.
func (g *Graph) VisitsFrom(from string) []float64 {
	if i, ok := g.Index(from); !ok || g.IsAbsorbing(i) {
		return nil
	}
	return g.byState(func(s string) float64 { return g.ExpectedVisits(from, s) })
}

// byState returns f of every state's name, by index.
func (g *Graph) byState(f func(string) float64) []float64 {
	out := make([]float64, len(g.names))
	for i, s := range g.names {
		out[i] = f(s)
	}
	return out
}

// PainPoints returns Friction(opt) ranked by pain (opt.ByPain set).
//
// Deprecated: use Friction with FrictionOptions.ByPain.
func (g *Graph) PainPoints(opt FrictionOptions) []Friction {
	opt.ByPain = true
	return g.Friction(opt)
}

// Dominators returns the states every route from Start to into goes
// through (the dominators of into in the graph rooted at Start), nearest
// to Start first, Start and into left out; nil if into cannot be reached
// from Start or either is missing. At order 1 these are MustPass(into);
// at order k they are tuples, and whether a walk must pass one state s is
// whether g.RemoveFunc of s leaves into unreachable. It uses the iterative
// algorithm of K. D. Cooper, T. J. Harvey and K. Kennedy, "A Simple, Fast
// Dominance Algorithm", 2001.
//
// Deprecated: use MustPass.
func (g *Graph) Dominators(into string) []string {
	j, ok := g.Index(into)
	if !ok || g.start < 0 {
		return nil
	}
	pos := g.positive()
	idom := markov.Dominators(&pos, int(g.start))
	if idom[j] < 0 || int32(j) == g.start {
		return nil
	}
	var out []string
	for v := idom[j]; v != g.start; v = idom[v] {
		out = append(out, g.names[v])
	}
	slices.Reverse(out)
	return out
}
