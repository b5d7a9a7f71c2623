package attribution_test

import (
	"math"
	"slices"

	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
)

// denseChain is the Markov chain of a route table built the plain way, to
// check Markov against: package journey's TransitionCounts reads the
// routes (so the states follow journey.Learn's conventions), and every
// probability sits in a dense matrix solved by Gaussian elimination.
type denseChain struct {
	states []string   // transient states; 0 is Start
	parts  [][]string // touches of each state
	q      [][]float64
	conv   []float64 // probability of moving to conversion
	value  []float64 // expected value earned on moving to conversion
}

func newDenseChain(js []attribution.Row, order int, keep bool) *denseChain {
	tc := &graph.Counts{Order: order, KeepRepeats: keep}
	valueAt := map[string]float64{} // by last state
	for _, j := range js {
		tc.AddPath(j.Touches, graph.Conversion, j.Conversions)
		tc.AddPath(j.Touches, graph.Exit, j.Nulls)
		if j.Conversions > 0 {
			st := graph.PathStates(j.Touches, order, keep)
			valueAt[st[len(st)-1]] += j.Value
		}
	}
	g, err := tc.Graph()
	if err != nil {
		return nil // no journey with customers
	}
	d := &denseChain{}
	index := map[string]int{}
	add := func(i int) {
		index[g.State(i)] = len(d.states)
		d.states = append(d.states, g.State(i))
		d.parts = append(d.parts, g.Parts(i))
	}
	start, _ := g.Index(graph.Start)
	add(start)
	for i := range g.NumStates() {
		if i != start && !g.IsAbsorbing(i) {
			add(i)
		}
	}
	n := len(d.states)
	d.q = make([][]float64, n)
	d.conv = make([]float64, n)
	d.value = make([]float64, n)
	for k, name := range d.states {
		d.q[k] = make([]float64, n)
		i, _ := g.Index(name)
		rowSum := 0.0
		for j, p := range g.Successors(i) {
			rowSum += g.Weight(name, g.State(j))
			switch to := g.State(j); {
			case to == graph.Conversion:
				d.conv[k] = p
			case g.IsAbsorbing(j):
			default:
				d.q[k][index[to]] = p
			}
		}
		d.value[k] = valueAt[name] / rowSum
	}
	return d
}

// solve returns, for Start, the probability of conversion and the
// expected value in the chain without the states removed says.
func (d *denseChain) solve(removed func(k int) bool) (conv, value float64) {
	n := len(d.states)
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n+2)
		if removed(i) {
			a[i][i] = 1 // a removed state is null: it converts nothing
			continue
		}
		for j := range n {
			a[i][j] = -d.q[i][j]
		}
		a[i][i]++
		a[i][n], a[i][n+1] = d.conv[i], d.value[i]
	}
	// Gaussian elimination with partial pivoting, on both right sides.
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			if f == 0 {
				continue
			}
			for k := c; k < n+2; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	x := make([][2]float64, n)
	for i := n - 1; i >= 0; i-- {
		for s := range 2 {
			v := a[i][n+s]
			for k := i + 1; k < n; k++ {
				v -= a[i][k] * x[k][s]
			}
			x[i][s] = v / a[i][i]
		}
	}
	return x[0][0], x[0][1]
}

// removal returns the removal effects of the states that contain one of
// sequences as consecutive touches.
func (d *denseChain) removal(sequences ...[]string) attribution.Removal {
	removed := make([]bool, len(d.states))
	count := 0
	for k := 1; k < len(d.states); k++ {
		for _, seq := range sequences {
			if containsSeq(d.parts[k], seq) {
				removed[k] = true
				count++
				break
			}
		}
	}
	p, v := d.solve(func(int) bool { return false })
	pr, vr := d.solve(func(k int) bool { return removed[k] })
	out := attribution.Removal{States: count}
	if p > 0 {
		out.Conversions = 1 - pr/p
	}
	if v > 0 {
		out.Value = 1 - vr/v
	}
	return out
}

func containsSeq(parts, seq []string) bool {
	for i := 0; i+len(seq) <= len(parts); i++ {
		if slices.Equal(parts[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

// denseMarkov is the Markov model computed on the dense chain: removal
// effects by elimination, shares normalised over the touches.
func denseMarkov(js []attribution.Row, order int, keep bool) attribution.Result {
	d := newDenseChain(js, order, keep)
	out := attribution.Result{}
	if d == nil {
		return out
	}
	var conv, value float64
	for _, j := range js {
		conv += j.Conversions
		value += j.Value
	}
	if conv == 0 {
		return out
	}
	touches := map[string]bool{}
	for _, p := range d.parts[1:] {
		for _, s := range p {
			touches[s] = true
		}
	}
	var sumC, sumV float64
	res := map[string]attribution.Removal{}
	for s := range touches {
		r := d.removal([]string{s})
		res[s] = r
		sumC += r.Conversions
		sumV += r.Value
	}
	for s, r := range res {
		if r.Conversions == 0 && r.Value == 0 {
			continue
		}
		c := attribution.Credit{RemovalEffect: r.Conversions, Conversions: conv * r.Conversions / sumC}
		if sumV > 0 {
			c.Value = value * r.Value / sumV
		}
		out[s] = c
	}
	return out
}
