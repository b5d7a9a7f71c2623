package graph

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/internal/markov"
)

// approx compares floats to 1e-12 relative (or absolute near 0).
var approx = cmpopts.EquateApprox(1e-12, 1e-12)

// relClose reports whether got is within tol of want, relative to want.
func relClose(got, want, tol float64) bool {
	if want == 0 {
		return math.Abs(got) <= tol
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

func mustBuild(t testing.TB, edges ...any) *Graph {
	t.Helper()
	var b Builder
	for i := 0; i+2 < len(edges)+1; i += 3 {
		b.Add(edges[i].(string), edges[i+1].(string), toFloat(edges[i+2]))
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("weight %v", v))
}

// drunkard returns the drunkard's walk on 0 … n: from each inner state a
// step left or right with probability 1/2, 0 and n absorbing.
func drunkard(t testing.TB, n int) *Graph {
	var b Builder
	for i := 1; i < n; i++ {
		b.Add(fmt.Sprint(i), fmt.Sprint(i-1), 1)
		b.Add(fmt.Sprint(i), fmt.Sprint(i+1), 1)
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestDrunkardsWalk checks the drunkard's walk of C. M. Grinstead and J. L.
// Snell, Introduction to Probability, 2nd ed., AMS 1997, §11.2 (the walk on
// 0 … 4 with p = 1/2): its fundamental matrix, absorption probabilities
// and expected times, as printed there, and for longer walks the closed
// forms of the same section's exercises (gambler's ruin): from i, the walk
// ends at n with probability i/n after i(n−i) steps on average, and visits
// j on average 2·min(i,j)·(n−max(i,j))/n times. The walk on 0 … 1000 is one
// loop of 999 states, solved iteratively.
func TestDrunkardsWalk(t *testing.T) {
	g := drunkard(t, 4)
	wantN := [][]float64{{1.5, 1, 0.5}, {1, 2, 1}, {0.5, 1, 1.5}}
	wantT := []float64{3, 4, 3}
	wantB := [][]float64{{0.75, 0.25}, {0.5, 0.5}, {0.25, 0.75}} // into 0, into 4
	for i := 1; i <= 3; i++ {
		s := fmt.Sprint(i)
		var gotN []float64
		for j := 1; j <= 3; j++ {
			gotN = append(gotN, g.ExpectedVisits(s, fmt.Sprint(j)))
		}
		if diff := cmp.Diff(wantN[i-1], gotN, approx); diff != "" {
			t.Errorf("N row %d (-want +got):\n%s", i, diff)
		}
		if got := g.ExpectedSteps(s); !relClose(got, wantT[i-1], 1e-12) {
			t.Errorf("ExpectedSteps(%d) = %v, want %v", i, got, wantT[i-1])
		}
		gotB := []float64{g.Absorption(s, "0"), g.Absorption(s, "4")}
		if diff := cmp.Diff(wantB[i-1], gotB, approx); diff != "" {
			t.Errorf("B row %d (-want +got):\n%s", i, diff)
		}
	}
	for _, n := range []int{10, 300, 1000} {
		g := drunkard(t, n)
		for _, i := range []int{1, n / 3, n / 2, n - 1} {
			s := fmt.Sprint(i)
			if got, want := g.Absorption(s, fmt.Sprint(n)), float64(i)/float64(n); !relClose(got, want, 1e-9) {
				t.Errorf("n=%d: Absorption(%d, %d) = %.15g, want %.15g", n, i, n, got, want)
			}
			if got, want := g.ExpectedSteps(s), float64(i*(n-i)); !relClose(got, want, 1e-9) {
				t.Errorf("n=%d: ExpectedSteps(%d) = %.15g, want %.15g", n, i, got, want)
			}
			for _, j := range []int{1, n / 2, n - 1} {
				want := 2 * float64(min(i, j)) * float64(n-max(i, j)) / float64(n)
				if got := g.ExpectedVisits(s, fmt.Sprint(j)); !relClose(got, want, 1e-9) {
					t.Errorf("n=%d: ExpectedVisits(%d, %d) = %.15g, want %.15g", n, i, j, got, want)
				}
			}
		}
	}
}

// handGraph is a small journey worked by hand: Start → a; a → b or leave,
// even odds (weights 1, 1); b → back to a (weight 2) or convert (3).
//
//	h(b) = 0.4·h(a) + 0.6, h(a) = 0.5·h(b)      ⇒ h(a) = 3/8, h(b) = 3/4
//	t(a) = 1 + 0.5·t(b), t(b) = 1 + 0.4·t(a)     ⇒ t(a) = 15/8, t(b) = 7/4
//	a returns to a with probability 0.5·0.4 = 0.2 ⇒ N[a][a] = N[S][a] = 5/4,
//	N[S][b] = 0.5·5/4 = 5/8, N[b][b] = 5/4, N[b][a] = 0.4·5/4 = 1/2
func handGraph(t testing.TB) *Graph {
	return mustBuild(t,
		Start, "a", 1,
		"a", "b", 1, "a", Exit, 1,
		"b", "a", 2, "b", Conversion, 3)
}

func TestGraphHandWorked(t *testing.T) {
	g := handGraph(t)
	if diff := cmp.Diff([]string{Conversion, Exit, Start, "a", "b"}, g.States()); diff != "" {
		t.Errorf("States (-want +got):\n%s", diff)
	}
	tests := []struct {
		name   string
		got    float64
		want   float64
		reason string
	}{
		{"P(b→a)", g.Probability("b", "a"), 0.4, "weights 2 and 3 normalise to 0.4 and 0.6"},
		{"P(a→exit)", g.Probability("a", Exit), 0.5, ""},
		{"P(exit→exit)", g.Probability(Exit, Exit), 1, "an absorbing state stays"},
		{"P(a→a)", g.Probability("a", "a"), 0, "no such transition"},
		{"weight(b→conv)", g.Weight("b", Conversion), 3, "weights are kept"},
		{"h(start)", g.Absorption(Start, Conversion), 3.0 / 8, "Start moves to a surely"},
		{"h(a)", g.Absorption("a", Conversion), 3.0 / 8, ""},
		{"h(b)", g.Absorption("b", Conversion), 3.0 / 4, ""},
		{"exit(b)", g.Absorption("b", Exit), 1.0 / 4, "absorption probabilities sum to 1"},
		{"h(conv)", g.Absorption(Conversion, Conversion), 1, "absorbing into itself"},
		{"h(exit→conv)", g.Absorption(Exit, Conversion), 0, "another absorbing state"},
		{"into transient", g.Absorption("a", "b"), 0, "b is not absorbing"},
		{"t(start)", g.ExpectedSteps(Start), 1 + 15.0/8, ""},
		{"t(a)", g.ExpectedSteps("a"), 15.0 / 8, ""},
		{"t(b)", g.ExpectedSteps("b"), 7.0 / 4, ""},
		{"t(exit)", g.ExpectedSteps(Exit), 0, "absorbed already"},
		{"N[S][S]", g.ExpectedVisits(Start, Start), 1, "the first state counts"},
		{"N[S][a]", g.ExpectedVisits(Start, "a"), 5.0 / 4, ""},
		{"N[S][b]", g.ExpectedVisits(Start, "b"), 5.0 / 8, ""},
		{"N[a][a]", g.ExpectedVisits("a", "a"), 5.0 / 4, ""},
		{"N[b][a]", g.ExpectedVisits("b", "a"), 1.0 / 2, ""},
		{"N[b][b]", g.ExpectedVisits("b", "b"), 5.0 / 4, ""},
		{"N[a][S]", g.ExpectedVisits("a", Start), 0, "nothing leads back to Start"},
		{"N[a][exit]", g.ExpectedVisits("a", Exit), 0, "absorbing states are not visited in N"},
	}
	for _, tt := range tests {
		if !relClose(tt.got, tt.want, 1e-12) {
			t.Errorf("%s = %.17g, want %.17g (%s)", tt.name, tt.got, tt.want, tt.reason)
		}
	}
	// Every state at once, by index: (conversion), (exit), (start), a, b.
	for i, want := range [][3]float64{{1, 0, 0}, {0, 0, 0}, {3.0 / 8, 23.0 / 8, 1}, {3.0 / 8, 15.0 / 8, 5.0 / 4}, {3.0 / 4, 7.0 / 4, 5.0 / 8}} {
		s := g.State(i)
		got := [3]float64{g.Absorption(s, Conversion), g.ExpectedSteps(s), g.ExpectedVisits(Start, s)}
		if diff := cmp.Diff(want, got, approx); diff != "" {
			t.Errorf("%s: absorption, steps, visits from Start (-want +got):\n%s", s, diff)
		}
	}
}

func TestGraphUnknownStates(t *testing.T) {
	g := handGraph(t)
	for name, got := range map[string]float64{
		"Probability from":    g.Probability("nope", "a"),
		"Probability to":      g.Probability("a", "nope"),
		"Weight":              g.Weight("nope", "a"),
		"Absorption from":     g.Absorption("nope", Conversion),
		"Absorption into":     g.Absorption("a", "nope"),
		"ExpectedSteps":       g.ExpectedSteps("nope"),
		"ExpectedVisits from": g.ExpectedVisits("nope", "a"),
		"ExpectedVisits to":   g.ExpectedVisits("a", "nope"),
	} {
		if got != 0 {
			t.Errorf("%s of an unknown state = %v, want 0", name, got)
		}
	}
	if _, ok := g.Index("nope"); ok {
		t.Error("Index found an unknown state")
	}
}

func TestGraphBuilderErrors(t *testing.T) {
	tests := []struct {
		name   string
		add    func(b *Builder)
		is     error
		msgs   []string
		reason string
	}{
		{"empty", func(b *Builder) {}, ErrEmptyGraph, []string{"graph: empty graph: no transition"}, "nothing added"},
		{"zero weights", func(b *Builder) { b.Add("a", "b", 0) }, ErrEmptyGraph, nil, "a zero weight is no transition"},
		{"negative", func(b *Builder) { b.Add("a", "b", -1); b.Add("a", "c", 1) }, ErrBadWeight,
			[]string{`graph: transition "a" -> "b": bad weight: -1 is negative`}, "named with its transition"},
		{"all bad weights", func(b *Builder) {
			b.Add("a", "b", math.NaN())
			b.Add("a", "c", math.Inf(1))
			b.Add("c", "d", math.Inf(-1))
		}, ErrBadWeight, []string{
			`graph: transition "a" -> "b": bad weight: NaN is not a number`,
			`graph: transition "a" -> "c": bad weight: +Inf is infinite`,
			`graph: transition "c" -> "d": bad weight: -Inf is infinite`,
		}, "every bad weight is reported"},
		{"overflow", func(b *Builder) { b.Add("a", "b", math.MaxFloat64); b.Add("a", "b", math.MaxFloat64) }, ErrBadWeight,
			[]string{`graph: transition "a" -> "b": bad weight: the weights added overflow to +Inf`}, "finite weights whose sum is not"},
		{"self-loop only", func(b *Builder) { b.Add(Start, "a", 1); b.Add("a", "a", 1) }, ErrNoWayOut,
			[]string{`graph: state "(start)": no way out: no route from here reaches an absorbing state`,
				`graph: state "a": no way out: no route from here reaches an absorbing state`}, "a walk in a stays there forever"},
		{"closed loop", func(b *Builder) { b.Add("a", "b", 1); b.Add("b", "a", 1); b.Add("c", Exit, 1) }, ErrNoWayOut,
			[]string{`graph: state "a": no way out: no route from here reaches an absorbing state`,
				`graph: state "b": no way out: no route from here reaches an absorbing state`}, "a loop without a way out"},
		{"from exit", func(b *Builder) { b.Add("a", Exit, 1); b.Add(Exit, "a", 1) }, ErrEndState,
			[]string{`graph: transition "(exit)" -> "a": bad end state: (exit) must stay absorbing`}, "Exit is absorbing by definition"},
		{"from conversion", func(b *Builder) { b.Add("a", Conversion, 1); b.Add(Conversion, Conversion, 1) }, ErrEndState, nil,
			"even a self-loop makes Conversion transient"},
	}
	for _, tt := range tests {
		var b Builder
		tt.add(&b)
		g, err := b.Build()
		if g != nil || !errors.Is(err, tt.is) {
			t.Errorf("%s (%s): Build = %v, %v; want an error wrapping %v", tt.name, tt.reason, g, err, tt.is)
			continue
		}
		if tt.msgs != nil {
			if diff := cmp.Diff(tt.msgs, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("%s: error lines (-want +got):\n%s", tt.name, diff)
			}
		}
	}
	// Many bad weights are capped.
	var b Builder
	for i := range 30 {
		b.Add("a", fmt.Sprint(i), -1)
	}
	_, err := b.Build()
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxReported+1 || lines[maxReported] != "graph: … and 10 more bad weights" {
		t.Errorf("30 bad weights: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// TestGraphBuilderAccumulates checks that weights add up and that Build can
// be called again after more Adds.
func TestGraphBuilderAccumulates(t *testing.T) {
	var b Builder
	b.Add("a", "b", 1)
	b.Add("a", "c", 1)
	g1, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	b.Add("a", "b", 2)
	b.AddState("lonely")
	g2, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if p := g1.Probability("a", "b"); p != 0.5 {
		t.Errorf("first build: P(a→b) = %v, want 0.5", p)
	}
	if p := g2.Probability("a", "b"); p != 0.75 {
		t.Errorf("second build: P(a→b) = %v, want 0.75 (weights 1+2 of 4)", p)
	}
	if _, ok := g2.Index("lonely"); !ok || !g2.IsAbsorbing(g2.indexOf("lonely")) {
		t.Error("AddState should add an absorbing state")
	}
	// Huge weights normalise without overflow.
	g3 := mustBuild(t, "a", "b", math.MaxFloat64, "a", "c", math.MaxFloat64/2)
	if p := g3.Probability("a", "b"); !relClose(p, 2.0/3, 1e-15) {
		t.Errorf("huge weights: P(a→b) = %v, want 2/3", p)
	}
}

func (g *Graph) indexOf(name string) int {
	i, _ := g.Index(name)
	return i
}

func TestTupleName(t *testing.T) {
	tests := []struct {
		parts  []string
		want   string
		reason string
	}{
		{nil, "", "nothing"},
		{[]string{"web"}, "web", "a plain part is itself"},
		{[]string{"web", "email"}, "web > email", "parts joined"},
		{[]string{"(exit)"}, `"(exit)"`, "a step shaped like a special state is quoted"},
		{[]string{"a > b", "c"}, `"a > b" > c`, "a part holding the separator is quoted"},
		{[]string{"a>b"}, `"a>b"`, "any '>' is quoted"},
		{[]string{""}, `""`, "the empty part"},
		{[]string{`"q"`, "x y"}, `"\"q\"" > x y`, "a part starting with a quote; spaces are fine"},
	}
	for _, tt := range tests {
		if got := TupleName(tt.parts...); got != tt.want {
			t.Errorf("TupleName(%q) = %q, want %q (%s)", tt.parts, got, tt.want, tt.reason)
		}
	}
}

// TestTupleNamesDistinct checks on random tuples of tricky parts that
// distinct tuples get distinct names.
func TestTupleNamesDistinct(t *testing.T) {
	alphabet := []string{"a", "b", " ", ">", "(", `"`, "a >", "> b", " > ", ""}
	r := rand.New(rand.NewPCG(1, 1))
	seen := map[string][]string{}
	for range 20000 {
		n := 1 + r.IntN(3)
		var parts []string
		for range n {
			var sb strings.Builder
			for range r.IntN(3) {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			parts = append(parts, sb.String())
		}
		name := TupleName(parts...)
		if old, ok := seen[name]; ok && !slices.Equal(old, parts) {
			t.Fatalf("TupleName(%q) = TupleName(%q) = %q", old, parts, name)
		}
		seen[name] = parts
		if reserved(name) {
			t.Fatalf("TupleName(%q) = %q looks like a special state", parts, name)
		}
	}
}

// denseFigures computes every absorbing-chain figure of g by plain dense
// Gaussian elimination with partial pivoting on I − Q: the independent
// reference of the property tests. It returns N (by transient order), and
// the transient states in index order.
func denseFigures(g *Graph) (n [][]float64, trans []int) {
	for i := range g.NumStates() {
		if !g.IsAbsorbing(i) {
			trans = append(trans, i)
		}
	}
	t := len(trans)
	pos := map[int]int{}
	for k, i := range trans {
		pos[i] = k
	}
	// Invert I − Q column by column: [I − Q | I].
	a := make([][]float64, t)
	for k, i := range trans {
		a[k] = make([]float64, 2*t)
		a[k][k] = 1
		a[k][t+k] = 1
		for j, p := range g.Successors(i) {
			if m, ok := pos[j]; ok {
				a[k][m] -= p
			}
		}
	}
	for k := range t {
		p := k
		for i := k + 1; i < t; i++ {
			if math.Abs(a[i][k]) > math.Abs(a[p][k]) {
				p = i
			}
		}
		a[k], a[p] = a[p], a[k]
		for i := range t {
			if i == k || a[i][k] == 0 {
				continue
			}
			f := a[i][k] / a[k][k]
			for j := k; j < 2*t; j++ {
				a[i][j] -= f * a[k][j]
			}
		}
	}
	n = make([][]float64, t)
	for k := range t {
		n[k] = make([]float64, t)
		for j := range t {
			n[k][j] = a[k][t+j] / a[k][k]
		}
	}
	return n, trans
}

// randomGraph builds a random absorbing chain of about n transient states
// over a few absorbing ones; loopy makes walks long.
func randomGraph(t testing.TB, r *rand.Rand, n int, loopy bool) *Graph {
	var b Builder
	name := func(i int) string { return fmt.Sprintf("s%03d", i) }
	ends := []string{Conversion, Exit, "(other)"}
	b.Add(Start, name(0), 1)
	for i := range n {
		for range 1 + r.IntN(4) {
			b.Add(name(i), name(r.IntN(n)), r.Float64()+0.01)
		}
		if r.IntN(3) == 0 || i == n-1 {
			w := r.Float64() + 0.01
			if loopy {
				w /= 200
			}
			b.Add(name(i), ends[r.IntN(len(ends))], w)
		}
	}
	g, err := b.Build()
	for errors.Is(err, ErrNoWayOut) { // give the stuck states a way out
		for i := range n {
			b.Add(name(i), Exit, 0.001)
		}
		g, err = b.Build()
	}
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// agree reports whether a figure agrees with the dense reference to 1e-9
// relative; a reference of rounding noise (below 1e-13) where the exact
// figure is 0 is not held against the graph's exact 0.
func agree(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Abs(want) || math.Abs(got-want) <= 1e-13
}

// TestGraphAgreesWithDenseSolve is the property test: on random chains,
// absorption probabilities from every state sum to 1, and every figure
// agrees with a dense Gaussian-elimination solve to 1e-9 relative. The
// chains of 300 states have loops too large for dense elimination inside
// the graph, which then solves them by GMRES.
func TestGraphAgreesWithDenseSolve(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 5))
	for _, tc := range []struct {
		n     int
		loopy bool
		count int
	}{{5, false, 40}, {30, false, 20}, {30, true, 10}, {300, false, 1}, {300, true, 1}} {
		for trial := range tc.count {
			g := randomGraph(t, r, tc.n, tc.loopy)
			n, trans := denseFigures(g)
			where := fmt.Sprintf("n=%d loopy=%v trial %d", tc.n, tc.loopy, trial)
			if tc.n > markov.DefaultDenseMax && largestLoop(g) <= markov.DefaultDenseMax {
				t.Fatalf("%s: the largest loop has %d states: GMRES is not exercised", where, largestLoop(g))
			}
			var absorbing []int
			for i := range g.NumStates() {
				if g.IsAbsorbing(i) {
					absorbing = append(absorbing, i)
				}
			}
			for k, i := range trans {
				from := g.State(i)
				steps, sum := 0.0, 0.0
				for m, j := range trans {
					steps += n[k][m]
					if got := g.ExpectedVisits(from, g.State(j)); !agree(got, n[k][m]) {
						t.Fatalf("%s: ExpectedVisits(%s, %s) = %.17g, dense %.17g", where, from, g.State(j), got, n[k][m])
					}
				}
				if got := g.ExpectedSteps(from); !agree(got, steps) {
					t.Fatalf("%s: ExpectedSteps(%s) = %.17g, dense %.17g", where, from, got, steps)
				}
				for _, a := range absorbing {
					want := 0.0
					for m, j := range trans {
						want += n[k][m] * g.Probability(g.State(j), g.State(a))
					}
					got := g.Absorption(from, g.State(a))
					sum += got
					if !agree(got, want) {
						t.Fatalf("%s: Absorption(%s, %s) = %.17g, dense %.17g", where, from, g.State(a), got, want)
					}
				}
				if !relClose(sum, 1, 1e-12) {
					t.Fatalf("%s: absorption probabilities from %s sum to %.17g", where, from, sum)
				}
			}
			if trial == 0 && tc.n > 100 && tc.count > 0 {
				// Visiting every row above went past the row cache: the
				// figures stayed right.
				if len(g.an.rows) > maxCachedRows {
					t.Errorf("%s: %d rows cached, want at most %d", where, len(g.an.rows), maxCachedRows)
				}
			}
		}
	}
}

// largestLoop returns the size of the largest strongly connected
// component of transient states.
func largestLoop(g *Graph) int {
	a := g.prepare()
	c := a.solver.Components()
	m := 0
	for i := range c.Len() {
		m = max(m, len(c.Members(i)))
	}
	return m
}

// TestGraphConcurrent queries one graph from many goroutines at once; run
// with -race. Every goroutine must see the same figures.
func TestGraphConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	g := randomGraph(t, r, 300, false)
	want := map[string]float64{}
	ref := randomGraphCopy(t, g)
	for _, s := range ref.States() {
		want["h "+s] = ref.Absorption(s, Conversion)
		want["t "+s] = ref.ExpectedSteps(s)
		want["v "+s] = ref.ExpectedVisits(Start, s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			states := g.States()
			for k := range states {
				s := states[(k+w*37)%len(states)]
				for key, got := range map[string]float64{
					"h " + s: g.Absorption(s, Conversion),
					"t " + s: g.ExpectedSteps(s),
					"v " + s: g.ExpectedVisits(Start, s),
				} {
					if got != want[key] {
						errs <- fmt.Sprintf("%s = %v, want %v", key, got, want[key])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// randomGraphCopy rebuilds g, so that its figures are computed afresh.
func randomGraphCopy(t testing.TB, g *Graph) *Graph {
	var b Builder
	for tr := range g.Transitions() {
		b.Add(tr.From, tr.To, g.Weight(tr.From, tr.To))
	}
	c, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSample(t *testing.T) {
	g := mustBuild(t, "a", "x", 1, "a", "y", 2, "a", "z", 1)
	x, y, z := g.indexOf("x"), g.indexOf("y"), g.indexOf("z")
	a := g.indexOf("a")
	tests := []struct {
		u      float64
		want   int
		reason string
	}{
		{0, x, "x holds [0, 0.25)"},
		{0.2499, x, ""},
		{0.25, y, "y holds [0.25, 0.75)"},
		{0.7499, y, ""},
		{0.75, z, "z holds [0.75, 1)"},
		{0.9999999, z, ""},
		{1, z, "clamped"},
		{-3, x, "clamped"},
		{math.NaN(), x, "NaN lands somewhere valid"},
	}
	for _, tt := range tests {
		if got := g.Sample(a, tt.u); got != tt.want {
			t.Errorf("Sample(a, %v) = %s, want %s (%s)", tt.u, g.State(got), g.State(tt.want), tt.reason)
		}
	}
	// A transition whose probability underflows to 0 is never sampled.
	tiny := mustBuild(t, "a", "x", 5e-324, "a", "y", math.MaxFloat64)
	if p := tiny.Probability("a", "x"); p != 0 {
		t.Fatalf("P(a→x) = %v, want 0", p)
	}
	for _, u := range []float64{-1, 0, 0.5, 1} {
		if got := tiny.Sample(tiny.indexOf("a"), u); got != tiny.indexOf("y") {
			t.Errorf("Sample(a, %v) = %s, want y", u, tiny.State(got))
		}
	}
	if got := g.Sample(x, 0.5); got != x {
		t.Errorf("Sample of an absorbing state = %d, want itself", got)
	}
	if allocs := testing.AllocsPerRun(100, func() { g.Sample(a, 0.6) }); allocs != 0 {
		t.Errorf("Sample allocates %v times", allocs)
	}
	var succ []string
	for j, p := range g.Successors(a) {
		succ = append(succ, fmt.Sprintf("%s %.2f", g.State(j), p))
	}
	if diff := cmp.Diff([]string{"x 0.25", "y 0.50", "z 0.25"}, succ); diff != "" {
		t.Errorf("Successors (-want +got):\n%s", diff)
	}
}
