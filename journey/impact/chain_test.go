package impact_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
)

// randomGraph returns a random journey graph of n step states s00, s01 …:
// a few entries from Start, one to four successors per state (self-loops
// and loops back allowed), and exits to Exit and Conversion. Every state
// with no exit has a route to a later state, and the last one exits, so
// that every walk ends.
func randomGraph(r *rand.Rand, n int) *graph.Graph {
	name := func(i int) string { return fmt.Sprintf("s%02d", i) }
	var b graph.Builder
	for range 1 + r.IntN(3) {
		b.Add(graph.Start, name(r.IntN(n)), 0.1+r.Float64())
	}
	for i := range n {
		for range 1 + r.IntN(4) {
			b.Add(name(i), name(r.IntN(n)), 0.1+r.Float64())
		}
		ends := false
		if r.Float64() < 0.8 || i == n-1 {
			b.Add(name(i), graph.Exit, 0.05+r.Float64())
			ends = true
		}
		if r.Float64() < 0.3 {
			b.Add(name(i), graph.Conversion, 0.05+r.Float64())
			ends = true
		}
		if !ends {
			b.Add(name(i), name(i+1+r.IntN(n-1-i)), 0.1+r.Float64())
		}
	}
	g, err := b.Build()
	if err != nil {
		panic(err)
	}
	return g
}

// randomGoals returns Conversion and some states of g as a goal.
func randomGoals(r *rand.Rand, g *graph.Graph) []string {
	goals := []string{graph.Conversion}
	for i := range g.NumStates() {
		if s := g.State(i); s[0] != '(' && r.Float64() < 0.15 {
			goals = append(goals, s)
		}
	}
	return goals
}

// rebuilt returns g with each row's probabilities changed by f, as a new
// graph built from scratch: f gets the source state and its transitions,
// and returns the weights to add.
func rebuilt(t *testing.T, g *graph.Graph, f func(from string, next map[string]float64) map[string]float64) *graph.Graph {
	t.Helper()
	rows := make(map[string]map[string]float64)
	var order []string
	for tr := range g.Transitions() {
		if rows[tr.From] == nil {
			rows[tr.From] = make(map[string]float64)
			order = append(order, tr.From)
		}
		rows[tr.From][tr.To] = tr.Probability
	}
	var b graph.Builder
	for i := range g.NumStates() {
		b.AddState(g.State(i))
	}
	for _, from := range order {
		for to, p := range f(from, rows[from]) {
			b.Add(from, to, p)
		}
	}
	h, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// reach returns the probability of reaching the goal from Start in g,
// solved by graph.Graph itself.
func reach(g *graph.Graph, goals []string) float64 {
	s, ok := g.Index(graph.Start)
	if !ok {
		return 0
	}
	return g.Reach(goals...)[s]
}

// perturbed returns g with the exit probability of each state in scale
// multiplied by (1 − ε·scale[state]), the other routes of the state
// scaled up in proportion to keep the row summing to 1 (absolute: exit
// lowered by ε·scale instead).
func perturbed(t *testing.T, g *graph.Graph, scale map[string]float64, eps float64, absolute bool) *graph.Graph {
	return rebuilt(t, g, func(from string, next map[string]float64) map[string]float64 {
		s, ok := scale[from]
		e := next[graph.Exit]
		if !ok || e == 0 || e == 1 {
			return next
		}
		e2 := e * (1 - eps*s)
		if absolute {
			e2 = e - eps*s
		}
		out := make(map[string]float64, len(next))
		for to, p := range next {
			if to == graph.Exit {
				out[to] = e2
			} else {
				out[to] = p * (1 - e2) / (1 - e)
			}
		}
		return out
	})
}

// The closed forms of Recoverable and Leverage are the derivatives of the
// goal probability under the perturbations they describe: checked against
// central differences, step h = 1e-5, on random graphs. The central
// difference errs by O(h²)·|P”'| plus rounding O(1e-16/h); the bound
// asked is 1e-7 relative to max(|derivative|, 1e-3).
func TestRecoverableIsTheDerivative(t *testing.T) {
	const h, tol = 1e-5, 1e-7
	r := rand.New(rand.NewPCG(7, 7))
	worst := 0.0
	checked := 0
	for trial := range 60 {
		g := randomGraph(r, 3+r.IntN(25))
		goals := randomGoals(r, g)
		c, err := impact.NewChain(g, goals...)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Reach(), reach(g, goals); math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: Reach = %v, graph.Graph.Reach = %v", trial, got, want)
		}
		for _, f := range c.States() {
			if f.State == graph.Start || f.Exit == 0 || f.Exit == 1 || f.Exit < 2*h {
				continue
			}
			for _, absolute := range []bool{false, true} {
				one := map[string]float64{f.State: 1}
				up := reach(perturbed(t, g, one, h, absolute), goals)
				down := reach(perturbed(t, g, one, -h, absolute), goals)
				fd := (up - down) / (2 * h)
				want, what := f.Recoverable, "recoverable"
				if absolute {
					want, what = f.Leverage, "leverage"
				}
				e := math.Abs(fd-want) / max(math.Abs(want), 1e-3)
				worst = max(worst, e)
				if e > tol {
					t.Errorf("trial %d, state %s: %s %.12g, central difference %.12g (relative error %.2g)", trial, f.State, what, want, fd, e)
				}
				checked++
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d derivatives checked", checked)
	}
	t.Logf("%d derivatives, worst relative error %.2g", checked, worst)
}

// A department's recoverable is the derivative when every state it has a
// share s of keeps the share ε·s of the walks lost there: the sum of
// s × recoverable over its states.
func TestDepartmentRecoverableIsTheDerivative(t *testing.T) {
	const h, tol = 1e-5, 1e-7
	r := rand.New(rand.NewPCG(8, 8))
	for trial := range 40 {
		g := randomGraph(r, 3+r.IntN(25))
		goals := randomGoals(r, g)
		c, err := impact.NewChain(g, goals...)
		if err != nil {
			t.Fatal(err)
		}
		share := make(map[string]float64)
		want, wantS := 0.0, 0.0
		for _, f := range c.States() {
			if f.State == graph.Start || f.Exit < 2*h || r.Float64() < 0.5 {
				continue
			}
			s := []float64{1, 0.5, 0.25, r.Float64()}[r.IntN(4)]
			share[f.State] = s
			want += s * f.Recoverable
			wantS += s * f.Leverage
		}
		for _, absolute := range []bool{false, true} {
			fd := (reach(perturbed(t, g, share, h, absolute), goals) - reach(perturbed(t, g, share, -h, absolute), goals)) / (2 * h)
			w := want
			if absolute {
				w = wantS
			}
			if e := math.Abs(fd-w) / max(math.Abs(w), 1e-3); e > tol {
				t.Errorf("trial %d (absolute %v): department figure %.12g, central difference %.12g (relative error %.2g)", trial, absolute, w, fd, e)
			}
		}
	}
}

// Removal against brute force: the graph rebuilt without the department's
// states (graph.Graph.Remove) for whole states, and rebuilt with each
// transition into a state split between it and Exit for shares.
func TestRemovalAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for trial := range 80 {
		g := randomGraph(r, 3+r.IntN(25))
		goals := randomGoals(r, g)
		c, err := impact.NewChain(g, goals...)
		if err != nil {
			t.Fatal(err)
		}
		base := reach(g, goals)
		if !(base > 0) {
			continue
		}
		// Whole states: Remove.
		var gone []string
		whole := make(map[int]bool)
		for i := range g.NumStates() {
			if s := g.State(i); s[0] != '(' && r.Float64() < 0.3 {
				gone = append(gone, s)
				whole[i] = true
			}
		}
		got := c.RemovalEffect(func(j int) float64 {
			if whole[j] {
				return 1
			}
			return 0
		})
		want := 1 - reach(g.Remove(gone...), goals)/base
		if math.Abs(got-want) > 1e-10 {
			t.Errorf("trial %d: removing %v: effect %.12g, brute force %.12g", trial, gone, got, want)
		}
		// Shares.
		share := make([]float64, g.NumStates())
		byName := make(map[string]float64)
		for i := range share {
			if s := g.State(i); s[0] != '(' && r.Float64() < 0.5 {
				share[i] = []float64{1, 0.5, 1.0 / 3, r.Float64()}[r.IntN(4)]
				byName[s] = share[i]
			}
		}
		split := rebuilt(t, g, func(from string, next map[string]float64) map[string]float64 {
			out := make(map[string]float64)
			for to, p := range next {
				out[to] += p * (1 - byName[to])
				out[graph.Exit] += p * byName[to]
			}
			return out
		})
		got = c.RemovalEffect(func(j int) float64 { return share[j] })
		want = 1 - reach(split, goals)/base
		if math.Abs(got-want) > 1e-10 {
			t.Errorf("trial %d: shares %v: effect %.12g, brute force %.12g", trial, byName, got, want)
		}
		if w := c.Without(func(int) float64 { return 0 }); math.Abs(w-base) > 1e-12 {
			t.Errorf("trial %d: removing nothing gives %v, want %v", trial, w, base)
		}
	}
}

func TestNewChainErrors(t *testing.T) {
	var b graph.Builder
	b.Add("a", graph.Exit, 1)
	noStart, _ := b.Build()
	b.Add(graph.Start, "a", 1)
	g, _ := b.Build()
	tests := []struct {
		name   string
		g      *graph.Graph
		goals  []string
		reason string
	}{
		{"no start", noStart, nil, "no walk begins"},
		{"start as goal", g, []string{graph.Start}, "Start cannot be a goal"},
		{"exit as goal", g, []string{"a", graph.Exit}, "recoverable keeps walks from Exit, so Exit cannot be a goal"},
	}
	for _, tt := range tests {
		if _, err := impact.NewChain(tt.g, tt.goals...); err == nil {
			t.Errorf("%s: no error (%s)", tt.name, tt.reason)
		}
	}
	c, err := impact.NewChain(g, "nowhere")
	if err != nil {
		t.Fatal(err)
	}
	if c.HasGoal() || c.Reach() != 0 || c.RemovalEffect(func(int) float64 { return 1 }) != 0 {
		t.Error("a goal no state carries must be unreachable, with no removal effect")
	}
}
