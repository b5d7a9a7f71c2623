package markov

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactSolve solves (I − Q)x = b, or its transpose, by Gaussian
// elimination in 256-bit floating point: a reference accurate to far more
// digits than float64, so that the solver's own error shows.
func exactSolve(c chain, b []float64, trans bool) []float64 {
	const prec = 256
	n := c.q.N()
	newF := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	a := make([][]*big.Float, n)
	for i := range a {
		a[i] = make([]*big.Float, n+1)
		for j := range a[i] {
			a[i][j] = newF(0)
		}
		a[i][i].SetFloat64(1)
		a[i][n].SetFloat64(b[i])
	}
	for i := range n {
		cols, vals := c.q.Row(i)
		for k, j := range cols {
			r, col := i, int(j)
			if trans {
				r, col = col, r
			}
			a[r][col].Sub(a[r][col], newF(vals[k]))
		}
	}
	// I − Q is a nonsingular M-matrix: elimination needs no pivoting.
	tmp := newF(0)
	for k := range n {
		for i := k + 1; i < n; i++ {
			if a[i][k].Sign() == 0 {
				continue
			}
			f := new(big.Float).SetPrec(prec).Quo(a[i][k], a[k][k])
			for j := k; j <= n; j++ {
				tmp.Mul(f, a[k][j])
				a[i][j].Sub(a[i][j], tmp)
			}
		}
	}
	x := make([]*big.Float, n)
	out := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		sum := new(big.Float).SetPrec(prec).Set(a[i][n])
		for j := i + 1; j < n; j++ {
			tmp.Mul(a[i][j], x[j])
			sum.Sub(sum, tmp)
		}
		x[i] = sum.Quo(sum, a[i][i])
		out[i], _ = x[i].Float64()
	}
	return out
}

// TestSolverAccuracy measures the solver against the 256-bit reference:
// dense components are accurate to 1e-12 relative in every entry, however
// small; GMRES components to 1e-10 of the largest entry.
func TestSolverAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tt := range []struct {
		denseMax  int
		loopiness float64
	}{{0, 0}, {0, 0.99}, {-1, 0}, {-1, 0.99}} {
		worstRel, worstNorm := 0.0, 0.0
		for range 4 {
			c := randomChain(r, 60, 4, tt.loopiness)
			s, err := NewSolver(c.q, c.exit, Options{DenseMax: tt.denseMax})
			if err != nil {
				t.Fatal(err)
			}
			unit := make([]float64, c.q.N())
			unit[r.IntN(len(unit))] = 1
			for _, trans := range []bool{false, true} {
				for _, b := range [][]float64{c.exit, unit} {
					want := exactSolve(c, b, trans)
					var got []float64
					if trans {
						got = s.SolveT(b)
					} else {
						got = s.Solve(b)
					}
					scale := maxAbsRef(want)
					for i := range want {
						d := math.Abs(got[i] - want[i])
						if want[i] != 0 {
							worstRel = max(worstRel, d/math.Abs(want[i]))
						}
						worstNorm = max(worstNorm, d/scale)
					}
				}
			}
		}
		t.Logf("DenseMax %d, loopiness %g: worst relative error %.3g, worst error relative to the largest entry %.3g", tt.denseMax, tt.loopiness, worstRel, worstNorm)
		if tt.denseMax == 0 && worstRel > 1e-12 {
			t.Errorf("DenseMax %d, loopiness %g: worst relative error %.3g, want ≤ 1e-12", tt.denseMax, tt.loopiness, worstRel)
		}
		if worstNorm > 1e-10 {
			t.Errorf("DenseMax %d, loopiness %g: worst error %.3g of the largest entry, want ≤ 1e-10", tt.denseMax, tt.loopiness, worstNorm)
		}
	}
}
