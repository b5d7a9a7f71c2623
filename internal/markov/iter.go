package markov

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// iterative solves a large block A = I − Q_CC by restarted GMRES (Y. Saad
// and M. H. Schultz, "GMRES: a generalized minimal residual algorithm for
// solving nonsymmetric linear systems", SIAM J. Sci. Stat. Comput. 7(3),
// 1986) with right preconditioning by ILU(0), the incomplete LU
// factorisation on A's own sparsity pattern (Y. Saad, Iterative Methods
// for Sparse Linear Systems, 2nd ed., 2003, §10.3). A is a nonsingular
// M-matrix, for which ILU(0) exists with positive pivots (J. A.
// Meijerink and H. A. van der Vorst, Math. Comp. 31, 1977).
//
// Each restart computes the true residual r = b − Ax; for A itself it is
// computed as slack_i x_i + Σ q_ij (x_i − x_j), which keeps its accuracy
// when walks rarely leave the block. Since A⁻¹ ≥ 0, ‖A⁻¹‖∞ is exactly the
// largest entry of A⁻¹·1, found once by a first solve; iteration stops when
// the forward error bound ‖A⁻¹‖∞‖r‖∞ falls below forwardTol‖x‖∞. Should
// GMRES stagnate first, a block of up to fallbackMax states is solved
// densely instead.
type iterative struct {
	s     int
	a     CSR       // the block, columns sorted, diagonal present
	diag  []int32   // position of the diagonal entry of each row in a
	slack []float64 // probability of leaving the block from each state
	f     []float64 // ILU(0) factors in a's pattern: L (unit, below) and U
	normA float64   // ∞-norm of A

	invOnce [2]sync.Once
	invNorm [2]float64 // ‖A⁻¹‖∞ and ‖A⁻ᵀ‖∞

	fbMu      sync.Mutex
	fb        atomic.Pointer[dense]
	fbFailed  bool
	restart   int
	maxCycles int
}

const (
	// GMRES aims for a forward error bound of aimFactor·tol, goes on until
	// the residual reaches its rounding floor or stagnates, and then
	// accepts a bound of tol.
	aimFactor   = 1e-3
	floorFactor = 16
	epsilon     = 0x1p-52
	forwardTol  = 1e-10 // relative forward error bound required
	estimateTol = 1e-2  // accuracy enough for the norm estimates
	fallbackMax = 3000
)

func newIterative(a CSR, diag []int32, slack []float64) *iterative {
	it := &iterative{s: a.N(), a: a, diag: diag, slack: slack, restart: 30, maxCycles: 200}
	it.restart = min(it.restart, it.s)
	for i := range it.s {
		_, v := a.Row(i)
		sum := 0.0
		for _, x := range v {
			sum += math.Abs(x)
		}
		it.normA = max(it.normA, sum)
	}
	it.f = ilu0(a, diag)
	return it
}

// ilu0 returns the ILU(0) factors of a, computed row by row (the IKJ
// variant). Should a pivot fail to be positive through rounding, the
// factorisation falls back to A's diagonal (Jacobi), still a valid
// preconditioner.
func ilu0(a CSR, diag []int32) []float64 {
	n := a.N()
	f := slices.Clone(a.Val)
	where := make([]int32, n) // column -> position in the current row, or -1
	for i := range where {
		where[i] = -1
	}
	for i := range n {
		lo, hi := a.Off[i], a.Off[i+1]
		for p := lo; p < hi; p++ {
			where[a.Col[p]] = p
		}
		for p := lo; p < diag[i]; p++ {
			k := a.Col[p]
			piv := f[diag[k]]
			if !(piv > 0) {
				return jacobi(a, diag)
			}
			f[p] /= piv
			lik := f[p]
			for q := diag[k] + 1; q < a.Off[k+1]; q++ {
				if w := where[a.Col[q]]; w >= 0 {
					f[w] -= lik * f[q]
				}
			}
		}
		for p := lo; p < hi; p++ {
			where[a.Col[p]] = -1
		}
		if !(f[diag[i]] > 0) {
			return jacobi(a, diag)
		}
	}
	return f
}

// jacobi returns "factors" whose L is the identity and U is A's diagonal.
func jacobi(a CSR, diag []int32) []float64 {
	f := make([]float64, len(a.Val))
	for _, p := range diag {
		f[p] = a.Val[p]
	}
	return f
}

// mul sets y = A x, or y = Aᵀ x.
func (it *iterative) mul(y, x []float64, trans bool) {
	a := &it.a
	if !trans {
		for i := range it.s {
			cols, vals := a.Col[a.Off[i]:a.Off[i+1]], a.Val[a.Off[i]:a.Off[i+1]]
			vals = vals[:len(cols)]
			sum := 0.0
			for k, j := range cols {
				sum += vals[k] * x[j]
			}
			y[i] = sum
		}
		return
	}
	clear(y)
	for i := range it.s {
		xi := x[i]
		if xi == 0 {
			continue
		}
		cols, vals := a.Col[a.Off[i]:a.Off[i+1]], a.Val[a.Off[i]:a.Off[i+1]]
		vals = vals[:len(cols)]
		for k, j := range cols {
			y[j] += vals[k] * xi
		}
	}
}

// precond overwrites v with M⁻¹v, or M⁻ᵀv, where M = LU. Row i of L is
// f[Off[i]:diag[i]], its diagonal entry in U f[diag[i]] and the rest of
// its row of U f[diag[i]+1:Off[i+1]].
func (it *iterative) precond(v []float64, trans bool) {
	a, f, diag := &it.a, it.f, it.diag
	lower := func(i int) ([]int32, []float64) {
		cols, vals := a.Col[a.Off[i]:diag[i]], f[a.Off[i]:diag[i]]
		return cols, vals[:len(cols)]
	}
	upper := func(i int) ([]int32, []float64) {
		cols, vals := a.Col[diag[i]+1:a.Off[i+1]], f[diag[i]+1:a.Off[i+1]]
		return cols, vals[:len(cols)]
	}
	if !trans {
		for i := range it.s { // L y = v
			cols, vals := lower(i)
			sum := v[i]
			for k, j := range cols {
				sum -= vals[k] * v[j]
			}
			v[i] = sum
		}
		for i := it.s - 1; i >= 0; i-- { // U x = y
			cols, vals := upper(i)
			sum := v[i]
			for k, j := range cols {
				sum -= vals[k] * v[j]
			}
			v[i] = sum / f[diag[i]]
		}
		return
	}
	for i := range it.s { // Uᵀ z = v, by columns of U
		v[i] /= f[diag[i]]
		zi := v[i]
		cols, vals := upper(i)
		for k, j := range cols {
			v[j] -= vals[k] * zi
		}
	}
	for i := it.s - 1; i >= 0; i-- { // Lᵀ x = z, by columns of L
		xi := v[i]
		cols, vals := lower(i)
		for k, j := range cols {
			v[j] -= vals[k] * xi
		}
	}
}

// solve overwrites b with the solution of A x = b (or Aᵀ x = b).
func (it *iterative) solve(b []float64, trans bool) {
	fb := it.fb.Load()
	if fb == nil {
		x, ok := it.gmres(b, trans, forwardTol, it.inverseNorm(trans), aimFactor)
		if ok || it.s > fallbackMax {
			copy(b, x)
			return
		}
		if fb = it.dense(); fb == nil {
			copy(b, x)
			return
		}
	}
	if trans {
		fb.solveT(b)
	} else {
		fb.solve(b)
	}
}

// inverseNorm returns ‖A⁻¹‖∞ (or ‖A⁻ᵀ‖∞), the largest entry of A⁻¹·1,
// computed once to a few digits.
func (it *iterative) inverseNorm(trans bool) float64 {
	k := 0
	if trans {
		k = 1
	}
	it.invOnce[k].Do(func() {
		ones := make([]float64, it.s)
		for i := range ones {
			ones[i] = 1
		}
		// With b = 1, ‖x‖∞ is the norm sought, so the bound is
		// ‖x‖∞‖r‖∞ ≤ tol‖x‖∞: a residual of tol in absolute terms. Two
		// digits are enough.
		x, _ := it.gmres(ones, trans, estimateTol, 0, 1)
		it.invNorm[k] = max(1, maxAbs(x))
	})
	return it.invNorm[k]
}

// dense factors the block densely, once, for the solves GMRES could not
// finish.
func (it *iterative) dense() *dense {
	it.fbMu.Lock()
	defer it.fbMu.Unlock()
	if fb := it.fb.Load(); fb != nil || it.fbFailed {
		return fb
	}
	s := it.s
	a := make([]float64, s*s)
	for i := range s {
		cols, vals := it.a.Row(i)
		for k, j := range cols {
			if int(j) != i {
				a[i*s+int(j)] = -vals[k]
			}
		}
	}
	fb, ok := factorDense(s, a, slices.Clone(it.slack))
	if !ok {
		it.fbFailed = true
		return nil
	}
	it.fb.Store(fb)
	return fb
}

// residual sets r = b − A x (or b − Aᵀx). For A it uses the form
// slack_i x_i + Σ_j q_ij (x_i − x_j) of (Ax)_i, free of the cancellation
// between the diagonal and the rest of the row.
func (it *iterative) residual(r, b, x []float64, trans bool) {
	if trans {
		it.mul(r, x, true)
		for i := range r {
			r[i] = b[i] - r[i]
		}
		return
	}
	a := &it.a
	for i := range it.s {
		xi := x[i]
		sum := it.slack[i] * xi
		cols, vals := a.Col[a.Off[i]:a.Off[i+1]], a.Val[a.Off[i]:a.Off[i+1]]
		vals = vals[:len(cols)]
		for k, j := range cols {
			if int(j) != i {
				sum -= vals[k] * (xi - x[j]) // vals are −q_ij
			}
		}
		r[i] = b[i] - sum
	}
}

// gmres returns the solution of A x = b (or Aᵀ x = b) and whether its
// forward error bound invNorm·‖r‖∞ met tol·‖x‖∞. It aims for aim·tol and
// settles for tol once the residual stops falling. An invNorm of 0 stands
// for the current ‖x‖∞, which is ‖A⁻¹‖∞ when b = 1.
func (it *iterative) gmres(b []float64, trans bool, tol, invNorm, aim float64) ([]float64, bool) {
	s, m := it.s, it.restart
	x := make([]float64, s)
	bnormInf := maxAbs(b)
	if bnormInf == 0 {
		return x, true
	}
	v := make([][]float64, m+1)
	for i := range v {
		v[i] = make([]float64, s)
	}
	w := make([]float64, s)
	h := make([]float64, (m+1)*m) // h[i*m+j]
	cs, sn := make([]float64, m), make([]float64, m)
	g := make([]float64, m+1)
	y := make([]float64, m)
	r := make([]float64, s)
	best := math.Inf(1)
	stagnant := 0
	for range it.maxCycles {
		it.residual(r, b, x, trans)
		// ‖x‖ is at least ‖b‖/‖A‖; use that bound before x exists.
		xnorm := max(maxAbs(x), bnormInf/it.normA)
		rnorm := maxAbs(r)
		inv := invNorm
		if inv == 0 {
			inv = xnorm
		}
		if inv*rnorm <= tol*xnorm*aim {
			return x, true
		}
		// At the rounding floor of the residual, or stagnating: no more
		// accuracy to gain. Accept if the bound meets tol.
		floor := rnorm <= floorFactor*epsilon*(it.normA*xnorm+bnormInf)
		if rnorm > 0.5*best {
			stagnant++
		} else {
			stagnant = 0
		}
		if floor || stagnant >= 2 {
			return x, inv*rnorm <= tol*xnorm
		}
		best = min(best, rnorm)
		beta := norm2(r)
		// Stop the cycle once the 2-norm residual (which bounds the
		// ∞-norm) meets the bound; rounding may leave it above, and the
		// next restart checks the true residual.
		target := tol * aim * xnorm / inv
		for i := range r {
			v[0][i] = r[i] / beta
		}
		clear(g)
		g[0] = beta
		k := 0
		for j := range m {
			copy(w, v[j])
			it.precond(w, trans)
			it.mul(v[j+1], w, trans)
			wj := v[j+1]
			before := norm2(wj)
			for i := 0; i <= j; i++ {
				d := dot(wj, v[i])
				h[i*m+j] = d
				axpy(-d, v[i], wj)
			}
			after := norm2(wj)
			if after < 0.7*before { // reorthogonalise once ("twice is enough")
				for i := 0; i <= j; i++ {
					d := dot(wj, v[i])
					h[i*m+j] += d
					axpy(-d, v[i], wj)
				}
				after = norm2(wj)
			}
			h[(j+1)*m+j] = after
			if after != 0 {
				for i := range wj {
					wj[i] /= after
				}
			}
			for i := range j { // apply the earlier rotations to column j
				a, c := h[i*m+j], h[(i+1)*m+j]
				h[i*m+j] = cs[i]*a + sn[i]*c
				h[(i+1)*m+j] = -sn[i]*a + cs[i]*c
			}
			a, c := h[j*m+j], h[(j+1)*m+j]
			rho := math.Hypot(a, c)
			if rho == 0 {
				cs[j], sn[j] = 1, 0
			} else {
				cs[j], sn[j] = a/rho, c/rho
			}
			h[j*m+j] = rho
			h[(j+1)*m+j] = 0
			g[j+1] = -sn[j] * g[j]
			g[j] = cs[j] * g[j]
			k = j + 1
			if math.Abs(g[j+1]) <= target || after == 0 {
				break
			}
		}
		// Solve the k×k triangular system H y = g, then x += M⁻¹ V y.
		for i := k - 1; i >= 0; i-- {
			sum := g[i]
			for j := i + 1; j < k; j++ {
				sum -= h[i*m+j] * y[j]
			}
			if h[i*m+i] == 0 {
				y[i] = 0
			} else {
				y[i] = sum / h[i*m+i]
			}
		}
		clear(w)
		for i := range k {
			axpy(y[i], v[i], w)
		}
		it.precond(w, trans)
		for i := range x {
			x[i] += w[i]
		}
	}
	it.residual(r, b, x, trans)
	xnorm := max(maxAbs(x), maxAbs(b)/it.normA)
	if invNorm == 0 {
		return x, maxAbs(r) <= tol
	}
	return x, invNorm*maxAbs(r) <= tol*xnorm
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

func dot(a, b []float64) float64 {
	sum := 0.0
	for i, x := range a {
		sum += x * b[i]
	}
	return sum
}

func axpy(alpha float64, x, y []float64) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

func norm2(x []float64) float64 { return math.Sqrt(dot(x, x)) }
