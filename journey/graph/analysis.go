package graph

import (
	"math"
	"sync"

	"github.com/parcours-go/parcours/internal/markov"
)

// analysis holds the absorbing-chain figures of a Graph, each computed on
// first use.
type analysis struct {
	once   sync.Once
	solver *markov.Solver // nil if the chain is numerically degenerate
	tidx   []int32        // state -> transient index, -1 for absorbing states
	states []int32        // transient index -> state

	mu      sync.Mutex
	absorb  map[int32]*lazyVec // by absorbing state
	steps   lazyVec
	rows    map[int32]*lazyVec // rows of N, by transient state
	rowKeys []int32            // rows in the order they were cached
}

type lazyVec struct {
	once sync.Once
	v    []float64 // by state index
}

// maxCachedRows bounds how many rows of the fundamental matrix a Graph
// keeps; beyond it, the row cached first is dropped.
const maxCachedRows = 64

// prepare splits the states into transient and absorbing and factors
// I − Q.
func (g *Graph) prepare() *analysis {
	a := &g.an
	a.once.Do(func() {
		n := len(g.names)
		a.tidx = make([]int32, n)
		for i := range n {
			if g.IsAbsorbing(i) {
				a.tidx[i] = -1
			} else {
				a.tidx[i] = int32(len(a.states))
				a.states = append(a.states, int32(i))
			}
		}
		t := len(a.states)
		q := markov.CSR{Off: make([]int32, 1, t+1), Col: make([]int32, 0, len(g.to)), Val: make([]float64, 0, len(g.to))}
		exit := make([]float64, t)
		for ti, s := range a.states {
			for k := g.off[s]; k < g.off[s+1]; k++ {
				if j := a.tidx[g.to[k]]; j >= 0 {
					q.Col = append(q.Col, j)
					q.Val = append(q.Val, g.prob[k])
				} else {
					exit[ti] += g.prob[k]
				}
			}
			q.Off = append(q.Off, int32(len(q.Col)))
		}
		a.solver, _ = markov.NewSolver(q, exit, markov.Options{})
		a.absorb = make(map[int32]*lazyVec)
		a.rows = make(map[int32]*lazyVec)
	})
	return a
}

// entry returns the cached vector for key in m, creating it if new.
func (a *analysis) entry(m map[int32]*lazyVec, key int32) *lazyVec {
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := m[key]; ok {
		return e
	}
	e := new(lazyVec)
	m[key] = e
	return e
}

// row returns the cached row of N from state key, creating it if new and
// dropping the oldest row if the cache is full.
func (a *analysis) row(key int32) *lazyVec {
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.rows[key]; ok {
		return e
	}
	if len(a.rowKeys) >= maxCachedRows {
		delete(a.rows, a.rowKeys[0])
		a.rowKeys = a.rowKeys[1:]
	}
	e := new(lazyVec)
	a.rows[key] = e
	a.rowKeys = append(a.rowKeys, key)
	return e
}

// nanVec is what figures are when the solver could not be built: only for
// chains with probabilities so small that elimination underflows.
func nanVec(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// absorption returns, by state, the probability of absorption in the
// absorbing state into. The slice is shared: callers must not modify it.
func (g *Graph) absorption(into int32) []float64 {
	a := g.prepare()
	e := a.entry(a.absorb, into)
	e.once.Do(func() {
		n := len(g.names)
		if a.solver == nil {
			e.v = nanVec(n)
			e.v[into] = 1
			return
		}
		b := make([]float64, len(a.states))
		for ti, s := range a.states {
			if k := g.edgeIndex(s, into); k >= 0 {
				b[ti] = g.prob[k]
			}
		}
		x := a.solver.Solve(b)
		e.v = make([]float64, n)
		for ti, s := range a.states {
			e.v[s] = min(1, max(0, x[ti]))
		}
		e.v[into] = 1
	})
	return e.v
}

// steps returns, by state, the expected number of steps before absorption.
func (g *Graph) steps() []float64 {
	a := g.prepare()
	a.steps.once.Do(func() {
		n := len(g.names)
		if a.solver == nil {
			a.steps.v = nanVec(n)
			return
		}
		b := make([]float64, len(a.states))
		for i := range b {
			b[i] = 1
		}
		x := a.solver.Solve(b)
		a.steps.v = make([]float64, n)
		for ti, s := range a.states {
			a.steps.v[s] = max(1, x[ti])
		}
	})
	return a.steps.v
}

// visits returns row from of the fundamental matrix, by state: the
// expected number of visits to each state from transient state from.
func (g *Graph) visits(from int32) []float64 {
	a := g.prepare()
	ti := a.tidx[from]
	e := a.row(from)
	e.once.Do(func() {
		n := len(g.names)
		if a.solver == nil {
			e.v = nanVec(n)
			return
		}
		b := make([]float64, len(a.states))
		b[ti] = 1
		y := a.solver.SolveT(b)
		e.v = make([]float64, n)
		for tj, s := range a.states {
			e.v[s] = max(0, y[tj])
		}
		e.v[from] = max(1, e.v[from])
	})
	return e.v
}

// Absorption returns the probability that a walk from from ends in the
// absorbing state into: for an absorbing from, 1 if it is into and 0
// otherwise. It returns 0 if into is not absorbing or either state is
// unknown.
//
// The first call for a given into solves (I − Q)x = r_into, where Q
// holds the transitions among transient states and r_into those into
// into, for every from at once; later calls for that into take O(1), so
// asking state by state costs one solve. The solve takes
// O(n + m) time over the strongly connected components of the transient
// states, plus O(s²) per component of s ≤ 256 states (after a one-time
// O(s³) factorisation) and a few preconditioned GMRES iterations of O(m_C)
// each for a larger one. See the package documentation for the accuracy.
func (g *Graph) Absorption(from, into string) float64 {
	i, ok1 := g.Index(from)
	j, ok2 := g.Index(into)
	if !ok1 || !ok2 || !g.IsAbsorbing(j) {
		return 0
	}
	return g.absorption(int32(j))[i]
}

// ExpectedSteps returns the expected number of transitions a walk from
// from makes before it is absorbed: the sum of row from of the
// fundamental matrix N = (I − Q)⁻¹. It is 0 for an absorbing or unknown
// state and at least 1 for a transient one. The first call solves
// (I − Q)t = 1, as Absorption solves; later calls take O(1).
func (g *Graph) ExpectedSteps(from string) float64 {
	i, ok := g.Index(from)
	if !ok {
		return 0
	}
	return g.steps()[i]
}

// ExpectedVisits returns the fundamental-matrix entry N[from][to]: the
// expected number of times a walk from from is in state to before it is
// absorbed, its first state counting as a visit (so N[i][i] ≥ 1). It is 0
// if either state is absorbing or unknown. ExpectedVisits(Start, s) is the
// traffic of s per walk.
//
// The first call for a given from solves (I − Q)ᵀy = e_from for the whole
// row, at the cost of one Absorption solve; the graph keeps the rows of
// the last 64 distinct from states asked for, so later calls for them
// take O(1).
func (g *Graph) ExpectedVisits(from, to string) float64 {
	i, ok1 := g.Index(from)
	j, ok2 := g.Index(to)
	if !ok1 || !ok2 || g.IsAbsorbing(i) || g.IsAbsorbing(j) {
		return 0
	}
	return g.visits(int32(i))[j]
}
