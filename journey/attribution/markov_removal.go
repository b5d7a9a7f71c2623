package attribution

import (
	"fmt"
	"slices"

	"github.com/parcours-go/parcours/internal/markov"
)

// remover computes removal effects on a solved chain. It holds marks over
// the states, stamped so that each removal need not clear them; it is not
// safe for concurrent use.
//
// The removal effect of a set R of states rests on the last visit to R: a
// walk that visits R and converts leaves R a last time, from some r ∈ R,
// either straight to conversion or to a state y ∉ R from which it
// converts without entering R again. The expected visits to r from Start
// are rowSum(r)/journeys (in a chain learned from routes the flow through
// a state is the walks that pass there), so
//
//	P(convert, visit R) = Σ_{r∈R} (conv(r) + Σ_{y∉R} w(r,y)·h₋R(y)) / journeys
//
// and, as P(convert) = conversions/journeys, the removal effect is that
// sum over conversions. h₋R, the probability of converting from y in the
// chain without R, equals h(y) unless y can reach R; the states that can
// both be reached from R (not through R) and reach it back — the zone —
// are the only ones to solve for. Value is the same with the expected
// value of a walk in place of the probability of converting.
type remover struct {
	m             *MarkovChain
	stamp         uint32
	inR, inF, inZ []uint32
	pos           []int32
	f, z          []int32
}

func newRemover(m *MarkovChain) *remover {
	n := len(m.conv)
	return &remover{m: m, inR: make([]uint32, n), inF: make([]uint32, n), inZ: make([]uint32, n), pos: make([]int32, n)}
}

// zone marks the states of R (sorted) and returns the zone of R: the
// states not in R that a walk can reach from R without passing through R
// and from which it can reach R. It also returns the states and
// transitions it visited. The zone is valid until the next call.
func (r *remover) zone(R []int32) (zone []int32, visited int) {
	m := r.m
	r.stamp++
	if r.stamp == 0 {
		clear(r.inR)
		clear(r.inF)
		clear(r.inZ)
		r.stamp = 1
	}
	st := r.stamp
	comps := m.solver.Components()
	// A state reaches R only if its component comes no earlier than some
	// component of R in the solver's order (sinks first).
	minC := int32(len(m.compSize))
	for _, s := range R {
		r.inR[s] = st
		minC = min(minC, comps.Of[s])
	}
	f := r.f[:0]
	forward := func(x int32) {
		for _, y := range m.to[m.off[x]:m.off[x+1]] {
			if r.inR[y] != st && r.inF[y] != st && comps.Of[y] >= minC {
				r.inF[y] = st
				f = append(f, y)
			}
		}
		visited += int(m.off[x+1]-m.off[x]) + 1
	}
	for _, s := range R {
		forward(s)
	}
	for i := 0; i < len(f); i++ {
		forward(f[i])
	}
	z := r.z[:0]
	if len(f) > 0 {
		back := func(x int32) {
			for _, p := range m.pred[m.predOff[x]:m.predOff[x+1]] {
				if r.inF[p] == st && r.inZ[p] != st {
					r.inZ[p] = st
					z = append(z, p)
				}
			}
			visited += int(m.predOff[x+1]-m.predOff[x]) + 1
		}
		for _, s := range R {
			back(s)
		}
		for i := 0; i < len(z); i++ {
			back(z[i])
		}
		slices.Sort(z)
	}
	r.f, r.z = f, z
	return z, visited
}

// effect returns the removal effects of the states R (sorted, Start not
// among them) on conversions and on value.
func (r *remover) effect(R []int32) (conv, value float64, err error) {
	m := r.m
	if m.solver == nil {
		return 0, 0, nil
	}
	zone, _ := r.zone(R)
	st := r.stamp
	var hz, hvz []float64
	if len(zone) > 0 {
		if hz, hvz, err = r.solveZone(zone); err != nil {
			return 0, 0, err
		}
	}
	var num, numV float64
	for _, s := range R {
		a, av := m.conv[s], m.value[s]
		for e := m.off[s]; e < m.off[s+1]; e++ {
			y := m.to[e]
			switch {
			case r.inR[y] == st:
			case r.inZ[y] == st:
				a += float64(m.w[e] * hz[r.pos[y]])
				av += float64(m.w[e] * hvz[r.pos[y]])
			default:
				a += float64(m.w[e] * m.h[y])
				av += float64(m.w[e] * m.hv[y])
			}
		}
		num += a
		numV += av
	}
	if m.conversions > 0 {
		conv = clamp01(num / m.conversions)
	}
	if m.sumV > 0 {
		value = clamp01(numV / m.sumV)
	}
	return conv, value, nil
}

// solveZone returns the probability of converting and the expected value
// from each state of the zone (marked by the last call to zone) in the
// chain without the states of R.
func (r *remover) solveZone(zone []int32) (h, hv []float64, err error) {
	m := r.m
	st := r.stamp
	for i, z := range zone {
		r.pos[z] = int32(i)
	}
	q := markov.CSR{Off: make([]int32, 1, len(zone)+1)}
	exit := make([]float64, len(zone))
	bc := make([]float64, len(zone))
	bv := make([]float64, len(zone))
	for i, z := range zone {
		rs := m.rowSum[z]
		out := m.conv[z] + m.nulls[z]
		b, bval := m.conv[z], m.value[z]
		for e := m.off[z]; e < m.off[z+1]; e++ {
			y := m.to[e]
			if r.inZ[y] == st {
				q.Col = append(q.Col, r.pos[y])
				q.Val = append(q.Val, m.w[e]/rs)
				continue
			}
			out += m.w[e]
			if r.inR[y] != st {
				b += float64(m.w[e] * m.h[y])
				bval += float64(m.w[e] * m.hv[y])
			}
		}
		q.Off = append(q.Off, int32(len(q.Col)))
		exit[i], bc[i], bv[i] = out/rs, b/rs, bval/rs
	}
	s, err := markov.NewSolver(q, exit, markov.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("attribution: markov: %w", err)
	}
	h, hv = s.Solve(bc), s.Solve(bv)
	for i := range h {
		h[i] = min(1, max(0, h[i]))
		hv[i] = max(0, hv[i])
	}
	return h, hv, nil
}
