package graph

import (
	"math"
	"testing"
)

var fuzzNames = []string{Start, Exit, Conversion, "a", "b", "c", "d", "(x)", "", "a > b"}

func fuzzWeight(c byte) float64 {
	switch c % 16 {
	case 0:
		return 0
	case 1:
		return -1
	case 2:
		return math.NaN()
	case 3:
		return math.Inf(1)
	case 4:
		return math.MaxFloat64
	case 5:
		return 5e-324
	}
	return float64(c) / 16
}

// FuzzBuilder adds the transitions the bytes describe (three bytes
// each: from, to, weight, over a few names including the special states
// and bad weights), builds, and if that succeeds queries everything: no
// input may panic, and the figures must hold together.
func FuzzBuilder(f *testing.F) {
	f.Add([]byte{0, 3, 16, 3, 4, 16, 4, 3, 32, 4, 2, 48, 3, 1, 16})
	f.Add([]byte{0, 3, 16, 3, 3, 16})
	f.Add([]byte{0, 3, 2, 3, 1, 4})
	f.Add([]byte{1, 3, 16, 3, 1, 16})
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Builder
		for i := 0; i+2 < len(data); i += 3 {
			b.Add(fuzzNames[int(data[i])%len(fuzzNames)], fuzzNames[int(data[i+1])%len(fuzzNames)], fuzzWeight(data[i+2]))
		}
		g, err := b.Build()
		if err != nil {
			if g != nil {
				t.Fatal("Build returned a graph and an error")
			}
			return
		}
		checkGraph(t, g)
		for _, s := range fuzzNames {
			checkGraph(t, g.Remove(s))
			checkGraph(t, g.AbsorbAt(s))
		}
	})
}

// FuzzCounts adds paths the bytes describe at an order the first
// byte gives, then queries the graph.
func FuzzCounts(f *testing.F) {
	f.Add([]byte{2, 3, 4, 5, 255, 3, 3, 254, 6, 7, 6, 255})
	f.Add([]byte{1, 255})
	f.Add([]byte{3, 3, 4, 3, 4, 3, 254})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		c := Counts{Order: int(data[0] % 5), KeepRepeats: data[0]&8 != 0}
		var path []string
		for _, x := range data[1:] {
			switch x {
			case 255:
				c.AddPath(path, Conversion, 1)
				path = path[:0]
			case 254:
				c.AddPath(path, Exit, 2)
				path = path[:0]
			case 253:
				c.AddPath(path, "bad", 1)
				path = path[:0]
			default:
				path = append(path, fuzzNames[int(x)%len(fuzzNames)])
			}
		}
		g, err := c.Graph()
		if err != nil {
			return
		}
		checkGraph(t, g)
		for i := range g.NumStates() {
			for _, p := range g.Parts(i) {
				checkGraph(t, g.Remove(p))
			}
		}
	})
}

// checkGraph queries every figure of g and checks the invariants.
func checkGraph(t *testing.T, g *Graph) {
	t.Helper()
	n := g.NumStates()
	// Probabilities near the bottom of the float64 range make figures
	// overflow (a loop left with probability 1e-320 is visited 1e320
	// times): the invariants are checked on the other graphs only.
	degenerate := g.prepare().solver == nil
	for tr := range g.Transitions() {
		if tr.Probability > 0 && tr.Probability < 1e-290 {
			degenerate = true
		}
	}
	for i := range n {
		s := g.State(i)
		if j, ok := g.Index(s); !ok || j != i {
			t.Fatalf("Index(%q) = %d, %v", s, j, ok)
		}
		if g.IsAbsorbing(i) {
			if g.Probability(s, s) != 1 || g.Sample(i, 0.5) != i {
				t.Fatalf("absorbing %q does not stay", s)
			}
			continue
		}
		sum := 0.0
		for _, p := range g.Successors(i) {
			sum += p
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("probabilities out of %q sum to %v", s, sum)
		}
		g.Sample(i, 0.3)
		if degenerate {
			g.Absorption(s, Exit)
			g.ExpectedSteps(s)
			g.ExpectedVisits(s, s)
			continue
		}
		total := 0.0
		for j := range n {
			if g.IsAbsorbing(j) {
				p := g.Absorption(s, g.State(j))
				if !(p >= 0 && p <= 1) {
					t.Fatalf("Absorption(%q, %q) = %v", s, g.State(j), p)
				}
				total += p
			} else if v := g.ExpectedVisits(s, g.State(j)); !(v >= 0) || math.IsInf(v, 0) {
				t.Fatalf("ExpectedVisits(%q, %q) = %v", s, g.State(j), v)
			}
		}
		if math.Abs(total-1) > 1e-6 {
			t.Fatalf("absorption from %q sums to %v", s, total)
		}
		if steps := g.ExpectedSteps(s); !(steps >= 1) || math.IsInf(steps, 0) {
			t.Fatalf("ExpectedSteps(%q) = %v", s, steps)
		}
	}
	g.Routes(RouteOptions{Max: 5, Share: 0.5})
	g.Friction(FrictionOptions{Top: 3})
	g.Dominators(Conversion)
	g.MustPass(Conversion)
	g.Loops()
	for range g.Transitions() {
	}
}
