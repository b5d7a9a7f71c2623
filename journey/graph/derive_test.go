package graph

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// routeTable is the worked example of Markov attribution in the project's
// research notes (after ChannelAttribution's input format): routes with
// their conversions and non-converting customers.
var routeTable = []struct {
	route       string
	conv, nulls float64
}{
	{"A > B", 3, 1},
	{"A > A > C", 1, 1},
	{"B", 1, 3},
	{"C > B", 1, 1},
}

func routeGraph(t testing.TB, order int) *Graph {
	t.Helper()
	c := Counts{Order: order}
	for _, r := range routeTable {
		path := strings.Split(r.route, " > ")
		c.AddPath(path, Conversion, r.conv)
		c.AddPath(path, Exit, r.nulls)
	}
	g, err := c.Graph()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestRemoveAttributionExample checks removal on the worked example: at
// order 1, P(conversion) = 1/2, and without A, B or C it is 1/4, 1/12 and
// 1/3 (removal effects 1/2, 5/6, 1/3); at order 2 no state is shared
// between routes, so removing a channel keeps exactly the conversions of
// the routes without it: 2/12, 1/12 and 4/12.
func TestRemoveAttributionExample(t *testing.T) {
	tests := []struct {
		order int
		want  map[string]float64
	}{
		{1, map[string]float64{"": 1.0 / 2, "A": 1.0 / 4, "B": 1.0 / 12, "C": 1.0 / 3}},
		{2, map[string]float64{"": 1.0 / 2, "A": 2.0 / 12, "B": 1.0 / 12, "C": 4.0 / 12}},
	}
	for _, tt := range tests {
		g := routeGraph(t, tt.order)
		for ch, want := range tt.want {
			h := g
			if ch != "" {
				h = g.Remove(ch)
			}
			if got := h.Absorption(Start, Conversion); !relClose(got, want, 1e-12) {
				t.Errorf("order %d: P(conversion) without %q = %.15g, want %.15g", tt.order, ch, got, want)
			}
		}
	}
	g := routeGraph(t, 2)
	h := g.Remove("A")
	for _, s := range h.States() {
		if strings.Contains(s, "A") {
			t.Errorf("order 2 without A still has state %q", s)
		}
	}
	if h.Probability(Start, Exit) != 0.5 {
		t.Errorf("the walks that entered a state with A now leave at once: P(start → exit) = %v, want 6/12", h.Probability(Start, Exit))
	}
}

// TestRemoveMatchesRebuild compares Remove on random graphs with the graph
// rebuilt by hand, every transition into a removed state sent to Exit.
func TestRemoveMatchesRebuild(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for trial := range 30 {
		g := randomGraph(t, r, 20, false)
		var removed []string
		for _, s := range g.States() {
			if strings.HasPrefix(s, "s") && r.IntN(4) == 0 {
				removed = append(removed, s)
			}
		}
		got := g.Remove(removed...)
		var b Builder
		b.AddState(Exit)
		for tr := range g.Transitions() {
			if slices.Contains(removed, tr.From) {
				continue
			}
			to := tr.To
			if slices.Contains(removed, to) {
				to = Exit
			}
			b.Add(tr.From, to, g.Weight(tr.From, tr.To))
		}
		for _, s := range g.States() {
			if !slices.Contains(removed, s) {
				b.AddState(s)
			}
		}
		want, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(edgeList(want), edgeList(got)); diff != "" {
			t.Fatalf("trial %d: removing %q (-rebuilt +Remove):\n%s", trial, removed, diff)
		}
		if diff := cmp.Diff(want.States(), got.States()); diff != "" {
			t.Fatalf("trial %d: states (-rebuilt +Remove):\n%s", trial, diff)
		}
		for _, s := range want.States() {
			if !agree(got.Absorption(s, Conversion), want.Absorption(s, Conversion)) || !agree(got.ExpectedSteps(s), want.ExpectedSteps(s)) {
				t.Fatalf("trial %d: figures of %s differ", trial, s)
			}
		}
		// Sampling on the derived graph follows its own probabilities.
		for i := range got.NumStates() {
			if !got.IsAbsorbing(i) {
				last := -1
				for j := range got.Successors(i) {
					last = j
				}
				if s := got.Sample(i, 0.9999999999); s != last {
					t.Fatalf("trial %d: Sample near 1 from %s = %s, want the last successor %s", trial, got.State(i), got.State(s), got.State(last))
				}
			}
		}
	}
}

func TestRemoveRules(t *testing.T) {
	g := mustBuild(t, Start, "a", 1, "a", "b", 1, "b", Conversion, 1)
	h := g.Remove("b")
	if diff := cmp.Diff([]string{"(start) -> a 1 1.000000", "a -> (exit) 1 1.000000"}, edgeList(h)); diff != "" {
		t.Errorf("Exit is added when the graph had none (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{Conversion, Exit, Start, "a"}, h.States()); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	if h.Absorption("b", Conversion) != 0 || h.ExpectedSteps("b") != 0 {
		t.Error("a removed state is unknown")
	}
	for _, keep := range [][]string{{Start}, {Conversion}, {"nope"}, nil} {
		if g.Remove(keep...) != g {
			t.Errorf("Remove(%q) should return the graph itself", keep)
		}
	}
	if got := g.RemoveFunc(func(i int) bool { return true }); !slices.Equal(got.States(), []string{Conversion, Exit, Start}) {
		t.Errorf("RemoveFunc(all): states %q, want Start and the absorbing states", got.States())
	}
	// Order 2: removing a step removes every pair that contains it.
	g2 := shopGraph(t, 2)
	var left []string
	for _, s := range g2.Remove("cart").States() {
		left = append(left, s)
	}
	if diff := cmp.Diff([]string{Conversion, Exit, Start, "ad > visit", "visit > product", "visit > visit"}, left); diff != "" {
		t.Errorf("order 2 without cart (-want +got):\n%s", diff)
	}
}

func TestAbsorbAtAndReach(t *testing.T) {
	g := handGraph(t)
	h := g.AbsorbAt("b")
	if !slices.Equal(h.States(), g.States()) {
		t.Fatal("AbsorbAt must keep the states and their indexes")
	}
	if got := h.Absorption(Start, "b"); !relClose(got, 0.5, 1e-12) {
		t.Errorf("P(reach b) = %v, want 0.5", got)
	}
	if g.AbsorbAt(Exit, "nope") != g {
		t.Error("AbsorbAt of absorbing or unknown states should return the graph itself")
	}
	reach := g.Reach("b")
	want := []float64{0, 0, 0.5, 0.5, 1} // (conversion), (exit), (start), a, b
	if diff := cmp.Diff(want, reach, approx); diff != "" {
		t.Errorf("Reach(b) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(g.AbsorptionVector(Conversion), g.Reach(Conversion), approx); diff != "" {
		t.Errorf("Reach of an absorbing state is its absorption (-want +got):\n%s", diff)
	}
	// Order 2: reaching a step means entering a state that ends with it.
	g2 := shopGraph(t, 2)
	s, _ := g2.Index(Start)
	// From Start: "visit > cart" (1/4) ends in cart; "visit > product"
	// reaches "product > cart" with 1/3, and is entered with 3/4.
	if got, want := g2.Reach("cart")[s], 0.25+0.75/3; !relClose(got, want, 1e-12) {
		t.Errorf("order 2: P(reach cart) = %v, want %v", got, want)
	}
}
