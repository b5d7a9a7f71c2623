package markov

// CSR is a directed graph, or a sparse matrix, in compressed sparse row
// form: the edges out of node i go to Col[Off[i]:Off[i+1]] and, for a
// matrix, have the values Val[Off[i]:Off[i+1]]. Off has one more entry than
// there are nodes and Off[0] is 0. A graph may leave Val nil.
type CSR struct {
	Off []int32
	Col []int32
	Val []float64
}

// N returns the number of nodes (rows).
func (m *CSR) N() int { return max(0, len(m.Off)-1) }

// Row returns the columns and values of row i (values nil for a graph).
func (m *CSR) Row(i int) ([]int32, []float64) {
	lo, hi := m.Off[i], m.Off[i+1]
	if m.Val == nil {
		return m.Col[lo:hi], nil
	}
	return m.Col[lo:hi], m.Val[lo:hi]
}

// Transpose returns the transpose: an edge i→j becomes j→i with the same
// value. Rows of the result list their columns in increasing order. It
// takes O(n + m) time.
func (m *CSR) Transpose() CSR {
	n := m.N()
	off := make([]int32, n+1)
	for _, j := range m.Col {
		off[j+1]++
	}
	for i := range n {
		off[i+1] += off[i]
	}
	col := make([]int32, len(m.Col))
	var val []float64
	if m.Val != nil {
		val = make([]float64, len(m.Val))
	}
	next := make([]int32, n)
	copy(next, off[:n])
	for i := range n {
		for k := m.Off[i]; k < m.Off[i+1]; k++ {
			j := m.Col[k]
			p := next[j]
			next[j]++
			col[p] = int32(i)
			if val != nil {
				val[p] = m.Val[k]
			}
		}
	}
	return CSR{Off: off, Col: col, Val: val}
}
