package markov

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// chain is a random absorbing chain: q among t transient states, exit the
// probability of moving from each straight to an absorbing state.
type chain struct {
	q    CSR
	exit []float64
}

// randomChain draws a chain of t transient states whose rows have up to
// degree successors; loopiness in [0, 1) shrinks the exit probabilities,
// so that walks stay long. Every state can be absorbed.
func randomChain(r *rand.Rand, t, degree int, loopiness float64) chain {
	rows := make([]map[int32]float64, t)
	exitW := make([]float64, t)
	for i := range t {
		rows[i] = map[int32]float64{}
		for range 1 + r.IntN(degree) {
			rows[i][int32(r.IntN(t))] += r.Float64() + 0.01
		}
		if r.Float64() < 0.5 {
			exitW[i] = r.Float64() * (1 - loopiness)
		}
	}
	// Every state must reach an exit: give one to states that cannot.
	for {
		c := toChain(rows, exitW)
		can := canExit(c)
		fixed := true
		for i, ok := range can {
			if !ok {
				exitW[i] = 0.1 * (1 - loopiness)
				fixed = false
				break
			}
		}
		if fixed {
			return c
		}
	}
}

func toChain(rows []map[int32]float64, exitW []float64) chain {
	t := len(rows)
	c := chain{q: CSR{Off: make([]int32, 1, t+1)}, exit: make([]float64, t)}
	for i, row := range rows {
		total := exitW[i]
		cols := make([]int32, 0, len(row))
		for j, w := range row {
			total += w
			cols = append(cols, j)
		}
		slices.Sort(cols)
		for _, j := range cols {
			c.q.Col = append(c.q.Col, j)
			c.q.Val = append(c.q.Val, row[j]/total)
		}
		c.q.Off = append(c.q.Off, int32(len(c.q.Col)))
		c.exit[i] = exitW[i] / total
	}
	return c
}

// canExit reports which states can reach a state with a positive exit.
func canExit(c chain) []bool {
	rev := c.q.Transpose()
	var src []int32
	for i, e := range c.exit {
		if e > 0 {
			src = append(src, int32(i))
		}
	}
	return Reach(&rev, src, nil)
}

// denseSolve solves (I − Q)x = b, or its transpose, by plain Gaussian
// elimination with partial pivoting on the dense matrix: the independent
// reference the sparse solver must agree with.
func denseSolve(c chain, b []float64, trans bool) []float64 {
	return denseSolveAll(c, [][]float64{b}, trans)[0]
}

// denseSolveAll is denseSolve for several right-hand sides at once.
func denseSolveAll(c chain, bs [][]float64, trans bool) [][]float64 {
	n, k := c.q.N(), len(bs)
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n+k)
		a[i][i] = 1
		for r, b := range bs {
			a[i][n+r] = b[i]
		}
	}
	for i := range n {
		cols, vals := c.q.Row(i)
		for e, j := range cols {
			if trans {
				a[j][i] -= vals[e]
			} else {
				a[i][j] -= vals[e]
			}
		}
	}
	for p := range n {
		m := p
		for i := p + 1; i < n; i++ {
			if math.Abs(a[i][p]) > math.Abs(a[m][p]) {
				m = i
			}
		}
		a[p], a[m] = a[m], a[p]
		for i := p + 1; i < n; i++ {
			f := a[i][p] / a[p][p]
			if f == 0 {
				continue
			}
			for j := p; j < n+k; j++ {
				a[i][j] -= f * a[p][j]
			}
		}
	}
	out := make([][]float64, k)
	for r := range k {
		x := make([]float64, n)
		for i := n - 1; i >= 0; i-- {
			sum := a[i][n+r]
			for j := i + 1; j < n; j++ {
				sum -= a[i][j] * x[j]
			}
			x[i] = sum / a[i][i]
		}
		out[r] = x
	}
	return out
}

// close reports whether got agrees with want to tol relative to want, or
// to tol relative to scale when want is tiny beside the other entries.
func close(got, want, scale, tol float64) bool {
	return math.Abs(got-want) <= tol*max(math.Abs(want), 1e-6*scale)
}

func maxAbsRef(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

func TestSolverAgreesWithDenseElimination(t *testing.T) {
	tests := []struct {
		name      string
		t, degree int
		loopiness float64
		denseMax  int
		reason    string
	}{
		{"small-dense", 40, 4, 0, 0, "every component is dense"},
		{"small-gmres", 40, 4, 0, -1, "every component of two or more states goes to GMRES"},
		{"loopy-dense", 120, 5, 0.99, 0, "long walks: exits 100 times rarer"},
		{"loopy-gmres", 120, 5, 0.99, -1, "long walks solved iteratively"},
		{"sparse-dag-ish", 200, 1, 0, 0, "one successor per state: many small components"},
		{"mixed", 300, 3, 0.5, 16, "components above 16 states iterative, the rest dense"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(tt.t)))
			for trial := range 5 {
				c := randomChain(r, tt.t, tt.degree, tt.loopiness)
				s, err := NewSolver(c.q, c.exit, Options{DenseMax: tt.denseMax})
				if err != nil {
					t.Fatal(err)
				}
				ones := make([]float64, tt.t)
				for i := range ones {
					ones[i] = 1
				}
				unit := make([]float64, tt.t)
				unit[r.IntN(tt.t)] = 1
				for _, rhs := range []struct {
					name  string
					b     []float64
					trans bool
				}{
					{"absorption", c.exit, false},
					{"steps", ones, false},
					{"visits row", unit, true},
					{"visits column", unit, false},
				} {
					want := denseSolve(c, rhs.b, rhs.trans)
					var got []float64
					if rhs.trans {
						got = s.SolveT(rhs.b)
					} else {
						got = s.Solve(rhs.b)
					}
					scale := maxAbsRef(want)
					for i := range want {
						if !close(got[i], want[i], scale, 1e-9) {
							t.Fatalf("trial %d, %s (%s): x[%d] = %.17g, dense solve %.17g", trial, rhs.name, tt.reason, i, got[i], want[i])
						}
					}
				}
				// Every state is absorbed: absorption probabilities are 1.
				for i, p := range s.Solve(c.exit) {
					if math.Abs(p-1) > 1e-12 {
						t.Fatalf("trial %d: absorption from %d = %.17g, want 1", trial, i, p)
					}
				}
			}
		})
	}
}

// TestSolverStiffLoop checks a loop that walks leave with probability
// 1e-9 per step: the subtraction-free elimination still gives the exact
// expected time, 1e9 steps per state, where 1 − q_ii would lose digits.
func TestSolverStiffLoop(t *testing.T) {
	const eps = 1e-9
	// a ⇄ b, each leaving with probability eps; expected steps from a
	// solve t = 1 + (1−eps) t, so t = 1/eps.
	c := chain{
		q:    CSR{Off: []int32{0, 1, 2}, Col: []int32{1, 0}, Val: []float64{1 - eps, 1 - eps}},
		exit: []float64{eps, eps},
	}
	for _, denseMax := range []int{0, -1} {
		s, err := NewSolver(c.q, c.exit, Options{DenseMax: denseMax})
		if err != nil {
			t.Fatal(err)
		}
		got := s.Solve([]float64{1, 1})
		for i, v := range got {
			if !close(v, 1/eps, 0, 1e-9) {
				t.Errorf("DenseMax %d: steps from %d = %.17g, want %g", denseMax, i, v, 1/eps)
			}
		}
	}
}

func TestSolverSingular(t *testing.T) {
	// a → b → a with no way out.
	q := CSR{Off: []int32{0, 1, 2}, Col: []int32{1, 0}, Val: []float64{1, 1}}
	for _, denseMax := range []int{0, -1} {
		if _, err := NewSolver(q, []float64{0, 0}, Options{DenseMax: denseMax}); err != ErrSingular {
			t.Errorf("DenseMax %d: err = %v, want ErrSingular", denseMax, err)
		}
	}
	// A self-loop only.
	q = CSR{Off: []int32{0, 1}, Col: []int32{0}, Val: []float64{1}}
	if _, err := NewSolver(q, []float64{0}, Options{}); err != ErrSingular {
		t.Errorf("self-loop: err = %v, want ErrSingular", err)
	}
}

// graphOf builds a CSR graph from adjacency lists.
func graphOf(adj [][]int32) CSR {
	g := CSR{Off: []int32{0}}
	for _, row := range adj {
		g.Col = append(g.Col, row...)
		g.Off = append(g.Off, int32(len(g.Col)))
	}
	return g
}

func TestSCC(t *testing.T) {
	tests := []struct {
		name   string
		adj    [][]int32
		want   [][]int32 // components, members sorted, in the order SCC lists them
		reason string
	}{
		{"empty", nil, [][]int32{}, "no node"},
		{"chain", [][]int32{{1}, {2}, {}}, [][]int32{{2}, {1}, {0}}, "a path: sinks first"},
		{"cycle", [][]int32{{1}, {2}, {0}}, [][]int32{{0, 1, 2}}, "one cycle"},
		{"two loops", [][]int32{{1}, {0, 2}, {3}, {2, 4}, {}}, [][]int32{{4}, {2, 3}, {0, 1}}, "0⇄1 → 2⇄3 → 4"},
		{"self-loop", [][]int32{{0, 1}, {}}, [][]int32{{1}, {0}}, "a self-loop is a component of one"},
	}
	for _, tt := range tests {
		g := graphOf(tt.adj)
		c := SCC(&g)
		got := [][]int32{}
		for i := range c.Len() {
			m := slices.Clone(c.Members(i))
			slices.Sort(m)
			got = append(got, m)
			for _, v := range m {
				if c.Of[v] != int32(i) {
					t.Errorf("%s: Of[%d] = %d, want %d", tt.name, v, c.Of[v], i)
				}
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (%s): components (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

// TestSCCReverseTopological checks on random graphs that every edge
// between components goes to one listed earlier, and that two nodes share
// a component exactly when each reaches the other.
func TestSCCReverseTopological(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 1 + r.IntN(30)
		adj := make([][]int32, n)
		for i := range adj {
			for range r.IntN(3) {
				adj[i] = append(adj[i], int32(r.IntN(n)))
			}
		}
		g := graphOf(adj)
		c := SCC(&g)
		reach := make([][]bool, n)
		for i := range n {
			reach[i] = Reach(&g, []int32{int32(i)}, nil)
		}
		for i := range n {
			for _, j := range adj[i] {
				if c.Of[j] > c.Of[i] {
					t.Fatalf("trial %d: edge %d→%d goes from component %d to later %d", trial, i, j, c.Of[i], c.Of[j])
				}
			}
			for j := range n {
				same := reach[i][j] && reach[j][i]
				if same != (c.Of[i] == c.Of[j]) {
					t.Fatalf("trial %d: nodes %d, %d: mutually reachable %v, same component %v", trial, i, j, same, c.Of[i] == c.Of[j])
				}
			}
		}
	}
}

// TestDominators compares the immediate dominators with the definition:
// d dominates v when v cannot be reached from the root once d is removed.
func TestDominators(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 100 {
		n := 1 + r.IntN(25)
		adj := make([][]int32, n)
		for i := range adj {
			for range r.IntN(3) {
				adj[i] = append(adj[i], int32(r.IntN(n)))
			}
		}
		g := graphOf(adj)
		idom := Dominators(&g, 0)
		reach := Reach(&g, []int32{0}, nil)
		for v := range n {
			if !reach[v] {
				if idom[v] != -1 {
					t.Fatalf("trial %d: unreachable %d has idom %d", trial, v, idom[v])
				}
				continue
			}
			// The dominators of v by the definition.
			var doms []int32
			for d := range n {
				if d == v {
					continue
				}
				if d == 0 {
					doms = append(doms, 0)
					continue
				}
				without := Reach(&g, []int32{0}, func(k int32) bool { return g.Col[k] != int32(d) })
				if !without[v] {
					doms = append(doms, int32(d))
				}
			}
			// Walking up the idom chain from v gives exactly doms.
			var chain []int32
			for u := v; u != 0; u = int(idom[u]) {
				chain = append(chain, idom[u])
			}
			slices.Sort(chain)
			if v == 0 {
				doms = nil
			}
			if diff := cmp.Diff(doms, chain); diff != "" {
				t.Fatalf("trial %d: dominators of %d (-definition +idom chain):\n%s\n%s", trial, v, diff, fmt.Sprint(adj))
			}
		}
	}
}

// TestSolverLargeLoops runs components too large for the dense path, with
// walks that stay up to a million steps, both directions. The first two
// must be solved by GMRES; the last is too stiff for its forward error
// bound and must fall back to dense elimination.
func TestSolverLargeLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, tt := range []struct {
		loopiness float64
		fallback  bool
	}{{0.9, false}, {0.999, false}, {0.999999, true}} {
		loopiness := tt.loopiness
		c := randomChain(r, 400, 6, loopiness)
		s, err := NewSolver(c.q, c.exit, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var it *iterative
		for _, b := range s.blocks {
			if b.it != nil {
				it = b.it
			}
		}
		if it == nil {
			t.Fatal("the chain has no component for GMRES: the test tests nothing")
		}
		ones := make([]float64, c.q.N())
		for i := range ones {
			ones[i] = 1
		}
		unit := make([]float64, c.q.N())
		unit[0] = 1
		for _, trans := range []bool{false, true} {
			bs := [][]float64{c.exit, ones, unit}
			wants := denseSolveAll(c, bs, trans)
			for k, b := range bs {
				want := wants[k]
				var got []float64
				if trans {
					got = s.SolveT(b)
				} else {
					got = s.Solve(b)
				}
				scale := maxAbsRef(want)
				for i := range want {
					if !close(got[i], want[i], scale, 1e-9) {
						t.Fatalf("loopiness %g, trans %v: x[%d] = %.17g, dense solve %.17g", loopiness, trans, i, got[i], want[i])
					}
				}
			}
		}
		if fell := it.fb.Load() != nil; fell != tt.fallback {
			t.Errorf("loopiness %g: fell back to dense elimination: %v, want %v", loopiness, fell, tt.fallback)
		}
	}
}

func TestSolverDiagonal(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, denseMax := range []int{0, -1} {
		c := randomChain(r, 80, 3, 0.5)
		s, err := NewSolver(c.q, c.exit, Options{DenseMax: denseMax})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.q.N() {
			unit := make([]float64, c.q.N())
			unit[i] = 1
			want := denseSolve(c, unit, false)[i]
			if got := s.Diagonal(i); !close(got, want, 0, 1e-9) {
				t.Errorf("DenseMax %d: N[%d][%d] = %.17g, dense solve %.17g", denseMax, i, i, got, want)
			}
		}
	}
}
