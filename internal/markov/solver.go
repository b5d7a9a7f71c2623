package markov

import (
	"errors"
	"slices"
)

// ErrSingular is returned by NewSolver when some states can never leave a
// set of transient states, so that I − Q has no inverse.
var ErrSingular = errors.New("markov: some transient states are never absorbed")

// DefaultDenseMax is the largest strongly connected component solved by
// dense elimination when Options.DenseMax is 0.
const DefaultDenseMax = 256

// Options tune a Solver. The zero value gives the defaults.
type Options struct {
	// DenseMax is the largest component solved by dense elimination,
	// which costs O(s³) once and O(s²) per solve for s states; larger
	// components are solved by preconditioned GMRES. 0 means
	// DefaultDenseMax; a negative value sends every component of two or
	// more states to GMRES.
	DenseMax int
}

// Solver solves (I − Q)x = b and (I − Q)ᵀy = b for the transient block Q
// of an absorbing chain. It is immutable once built and safe for
// concurrent use.
type Solver struct {
	n      int
	q      CSR
	comps  Components
	pos    []int32 // position of each state within its component
	blocks []block
}

// block is the factorised diagonal block of one component.
type block struct {
	pivot float64 // a component of one state: 1 − q_ii
	d     *dense
	it    *iterative
}

// NewSolver prepares the solves for the chain whose transitions among
// transient states are q (rows are sources; a row lists each column once,
// in increasing order; self-loops allowed) and whose probabilities of moving directly to an
// absorbing state are exit. Each row of q plus its exit must sum to 1, up
// to rounding: NewSolver takes 1 − q_ii to be exit_i plus the other
// entries of row i, a sum without cancellation.
//
// It takes O(n + m) time plus, per component of s states, O(s³) for a
// dense one and about O(m_C) for an iterative one. It fails with
// ErrSingular if some component cannot be left.
func NewSolver(q CSR, exit []float64, opt Options) (*Solver, error) {
	denseMax := opt.DenseMax
	if denseMax == 0 {
		denseMax = DefaultDenseMax
	}
	n := q.N()
	s := &Solver{n: n, q: q, comps: SCC(&q), pos: make([]int32, n)}
	s.blocks = make([]block, s.comps.Len())
	for c := range s.comps.Len() {
		// Members in state order: rows of a block then list their
		// columns in order, as q's rows do, and stay close in memory.
		members := s.comps.Members(c)
		slices.Sort(members)
		for k, v := range members {
			s.pos[v] = int32(k)
		}
	}
	for c := range s.comps.Len() {
		b, err := s.factor(c, exit, denseMax)
		if err != nil {
			return nil, err
		}
		s.blocks[c] = b
	}
	return s, nil
}

// factor builds the diagonal block of component c.
func (s *Solver) factor(c int, exit []float64, denseMax int) (block, error) {
	members := s.comps.Members(c)
	size := len(members)
	// slack[k] is the probability of leaving the component from its k-th
	// state; inner[k] that of moving to another state of the component.
	slack := make([]float64, size)
	total := 0.0
	for k, v := range members {
		sl := exit[v]
		cols, vals := s.q.Row(int(v))
		for e, j := range cols {
			if s.comps.Of[j] != int32(c) {
				sl += vals[e]
			}
		}
		slack[k] = sl
		total += sl
	}
	if !(total > 0) {
		return block{}, ErrSingular
	}
	if size == 1 {
		return block{pivot: slack[0]}, nil
	}
	if size <= denseMax {
		a := make([]float64, size*size)
		for k, v := range members {
			cols, vals := s.q.Row(int(v))
			for e, j := range cols {
				if s.comps.Of[j] == int32(c) && j != v {
					a[k*size+int(s.pos[j])] += vals[e]
				}
			}
		}
		d, ok := factorDense(size, a, slack)
		if !ok {
			return block{}, ErrSingular
		}
		return block{d: d}, nil
	}
	// Local sparse block, diagonal 1 − q_ii = slack + inner. Members are
	// in state order, so q's sorted rows give sorted local rows.
	nnz := size
	for _, v := range members {
		nnz += int(s.q.Off[v+1] - s.q.Off[v])
	}
	a := CSR{Off: make([]int32, 1, size+1), Col: make([]int32, 0, nnz), Val: make([]float64, 0, nnz)}
	diag := make([]int32, size)
	for k, v := range members {
		d := slack[k]
		diag[k] = -1
		cols, vals := s.q.Row(int(v))
		for e, j := range cols {
			if s.comps.Of[j] != int32(c) || j == v {
				continue
			}
			lj := s.pos[j]
			if lj > int32(k) && diag[k] < 0 {
				diag[k] = int32(len(a.Col))
				a.Col = append(a.Col, int32(k))
				a.Val = append(a.Val, 0) // the diagonal, set below
			}
			a.Col = append(a.Col, lj)
			a.Val = append(a.Val, -vals[e])
			d += vals[e]
		}
		if diag[k] < 0 {
			diag[k] = int32(len(a.Col))
			a.Col = append(a.Col, int32(k))
			a.Val = append(a.Val, 0)
		}
		a.Val[diag[k]] = d
		a.Off = append(a.Off, int32(len(a.Col)))
	}
	return block{it: newIterative(a, diag, slack)}, nil
}

// N returns the number of transient states.
func (s *Solver) N() int { return s.n }

// Components returns the strongly connected components of the transient
// states, in reverse topological order. The caller must not modify them.
func (s *Solver) Components() *Components { return &s.comps }

// Solve returns x with (I − Q)x = b: with b the probabilities of moving
// directly into absorbing state a, x is the probability of absorption in
// a; with b all ones, the expected number of steps. It takes O(n + m)
// time plus the solves of the components (O(s²) each for dense ones).
func (s *Solver) Solve(b []float64) []float64 {
	x := make([]float64, s.n)
	var buf []float64
	for c := range s.comps.Len() { // sinks first
		members := s.comps.Members(c)
		buf = slices.Grow(buf[:0], len(members))[:len(members)]
		for k, v := range members {
			sum := b[v]
			cols, vals := s.q.Row(int(v))
			for e, j := range cols {
				if s.comps.Of[j] != int32(c) {
					sum += vals[e] * x[j]
				}
			}
			buf[k] = sum
		}
		s.blocks[c].solve(buf, false)
		for k, v := range members {
			x[v] = buf[k]
		}
	}
	return x
}

// SolveT returns y with (I − Q)ᵀy = b: with b the unit vector of state i,
// y is row i of the fundamental matrix, the expected visits to each state
// from i. It takes the same time as Solve.
func (s *Solver) SolveT(b []float64) []float64 {
	acc := slices.Clone(b)
	y := make([]float64, s.n)
	var buf []float64
	for c := s.comps.Len() - 1; c >= 0; c-- { // sources first
		members := s.comps.Members(c)
		buf = slices.Grow(buf[:0], len(members))[:len(members)]
		for k, v := range members {
			buf[k] = acc[v]
		}
		s.blocks[c].solve(buf, true)
		for k, v := range members {
			yv := buf[k]
			y[v] = yv
			if yv == 0 {
				continue
			}
			cols, vals := s.q.Row(int(v))
			for e, j := range cols {
				if s.comps.Of[j] != int32(c) {
					acc[j] += vals[e] * yv
				}
			}
		}
	}
	return y
}

func (b *block) solve(x []float64, trans bool) {
	switch {
	case b.d != nil:
		if trans {
			b.d.solveT(x)
		} else {
			b.d.solve(x)
		}
	case b.it != nil:
		b.it.solve(x, trans)
	default:
		x[0] /= b.pivot
	}
}

// Diagonal returns N[i][i] = [(I − Q)⁻¹]_ii, the expected number of visits
// to transient state i from itself (at least 1). Walks that leave i's
// component never return, so it solves within the component only: O(1)
// for a component of one state, O(s²) for a dense one, one GMRES solve of
// the component for a larger one.
func (s *Solver) Diagonal(i int) float64 {
	c := s.comps.Of[i]
	members := s.comps.Members(int(c))
	if len(members) == 1 {
		return 1 / s.blocks[c].pivot
	}
	e := make([]float64, len(members))
	e[s.pos[i]] = 1
	s.blocks[c].solve(e, false)
	return max(1, e[s.pos[i]])
}
