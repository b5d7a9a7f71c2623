package markov

// dense is the LU factorisation of a block A = I − Q_CC of s states,
// computed by Gaussian elimination without pivoting in the subtraction-free
// form of W. K. Grassmann, M. I. Taksar and D. P. Heyman, "Regenerative
// analysis and steady state distributions for Markov chains", Operations
// Research 33(5), 1985.
//
// A is an M-matrix whose rows sum to the probability of leaving the block
// (its slack), which is never negative. Elimination keeps both properties,
// and the slack of each row can be updated by additions only; the pivot is
// then recomputed as slack plus the off-diagonal magnitudes instead of
// being obtained by subtraction. Every quantity is a sum of non-negative
// terms, so for a non-negative right-hand side the solution carries a
// small relative error in every entry, however small the entry.
//
// lu holds, row-major, the magnitudes of the multipliers below the
// diagonal, the pivots on it and the magnitudes of U's off-diagonal
// entries above it (the actual entries are their negatives).
type dense struct {
	s  int
	lu []float64
}

// factorDense factors the block whose off-diagonal magnitudes a (s×s,
// row-major; the diagonal is ignored and a is overwritten) and row slacks
// slack (overwritten) are given. It fails if a pivot vanishes, which
// happens only when the block cannot be left.
func factorDense(s int, a, slack []float64) (*dense, bool) {
	for k := range s {
		rowK := a[k*s : (k+1)*s]
		d := slack[k]
		for j := k + 1; j < s; j++ {
			d += rowK[j]
		}
		if !(d > 0) {
			return nil, false
		}
		rowK[k] = d
		for i := k + 1; i < s; i++ {
			rowI := a[i*s : (i+1)*s]
			if rowI[k] == 0 {
				continue
			}
			l := rowI[k] / d
			rowI[k] = l
			for j := k + 1; j < s; j++ {
				rowI[j] += l * rowK[j]
			}
			slack[i] += l * slack[k]
		}
	}
	return &dense{s: s, lu: a}, true
}

// solve overwrites x, the right-hand side, with the solution of A x = b.
func (f *dense) solve(x []float64) {
	s, lu := f.s, f.lu
	for i := range s { // L y = b, L unit lower with entries −l
		row := lu[i*s : i*s+i]
		sum := x[i]
		for k, l := range row {
			sum += l * x[k]
		}
		x[i] = sum
	}
	for i := s - 1; i >= 0; i-- { // U x = y
		row := lu[i*s : (i+1)*s]
		sum := x[i]
		for j := i + 1; j < s; j++ {
			sum += row[j] * x[j]
		}
		x[i] = sum / row[i]
	}
}

// solveT overwrites x with the solution of Aᵀ x = b.
func (f *dense) solveT(x []float64) {
	s, lu := f.s, f.lu
	for j := range s { // Uᵀ z = b: column j of U is row j of Uᵀ
		sum := x[j]
		for i := range j {
			sum += lu[i*s+j] * x[i]
		}
		x[j] = sum / lu[j*s+j]
	}
	for k := s - 1; k >= 0; k-- { // Lᵀ x = z
		sum := x[k]
		for i := k + 1; i < s; i++ {
			sum += lu[i*s+k] * x[i]
		}
		x[k] = sum
	}
}
