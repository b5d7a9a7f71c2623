package attribution

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parcours-go/parcours/internal/markov"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// MarkovOptions say which Markov chain the Markov models learn. The zero
// value is ChannelAttribution's default: order 1, consecutive repeats
// collapsed.
type MarkovOptions struct {
	// Order is the Markov order k: a state is a window of k consecutive
	// touches (see MarkovChain). 0 means 1.
	Order int
	// KeepRepeats keeps consecutive repeats of a state as self-loops. By
	// default a state equal to the one before it is dropped, as
	// ChannelAttribution does; at order k this compares windows, so a
	// touch repeated fewer than k+1 times in a row still changes the
	// state.
	KeepRepeats bool
	// Workers is the number of goroutines that compute removal effects;
	// 0 means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Context, if not nil, stops the learning and the removal effects
	// when it is done: the function returns its Err. A MarkovChain keeps
	// the Context it was learned with for its Result and RemovalEffect.
	// Nil means context.Background().
	Context context.Context
}

func (o MarkovOptions) check() error {
	switch {
	case o.Order < 0:
		return fmt.Errorf("attribution: markov: %w: negative Order %d", ErrBadOption, o.Order)
	case o.Workers < 0:
		return fmt.Errorf("attribution: markov: %w: negative Workers %d", ErrBadOption, o.Workers)
	}
	return nil
}

// MarkovChain is the absorbing Markov chain of a route table that the
// Markov models of Anderl, Becker, von Wangenheim and Schumann (2016,
// "Mapping the customer journey", IJRM 33(3)) and of ChannelAttribution
// (Altomare and Loris) attribute conversions with.
//
// Its transient states are Start and the windows of the routes: at order
// k, the windows of k consecutive touches of a route, Start moving
// straight to the first with no padding, a route shorter than k being a
// single state that holds the whole route, and a window equal to the one
// before it dropped unless KeepRepeats. Those are the conventions of
// journey.Learn and graph.PathStates, and States names the windows as
// graph.TupleName does. Its absorbing states are conversion and null.
// Each route taken by c customers who converted and n who did not adds c
// + n to each transition along its states, c to the transition from its
// last state to conversion and n to the one to null; a state's transition
// probabilities are its weights over their sum.
//
// A MarkovChain is immutable and safe for concurrent use. It is made by
// NewMarkovChain from a route table or by Table.MarkovChain from a counted
// one; the zero MarkovChain is not usable. Its Result and RemovalEffect
// stop, returning the Context's Err, when the Context of the MarkovOptions
// it was learned with is done.
type MarkovChain struct {
	order   int
	workers int
	ctx     context.Context

	names []string // touches, sorted

	// State 0 is Start; state i has the touches parts[partOff[i]:partOff[i+1]].
	partOff []int32
	parts   []uint32
	// Transitions among transient states: to[off[i]:off[i+1]] with weights w.
	off []int32
	to  []int32
	w   []float64
	// Weights of the transitions to conversion and to null, and the value
	// of the conversions, by state.
	conv, nulls, value []float64

	rowSum                      []float64 // total weight out of each state
	journeys, conversions, sumV float64

	solver *markov.Solver
	bc, bv []float64 // direct probability of conversion, and value earned, by state
	hOnce  sync.Once
	h, hv  []float64 // P(conversion) and expected value from each state

	once     sync.Once
	predOff  []int32 // predecessors of state i: pred[predOff[i]:predOff[i+1]]
	pred     []int32
	touchOff []int32 // states containing touch c: touchSt[touchOff[c]:touchOff[c+1]]
	touchSt  []int32
	compSize []int32 // states of each component of the solver
}

// NewMarkovChain returns the chain learned from the route table rows (see
// MarkovChain), to query beyond the Markov model's Result: its states, the
// removal effect of any set of them. Rows with neither conversions nor
// nulls add nothing.
//
// It returns an error naming the first 20 bad rows (an empty route, a
// negative or NaN count: see Row), one wrapping ErrBadOption for a
// negative Order or Workers, and opt.Context's Err if it is done first. It
// takes O(t) time for the t touches of the table plus the time of one
// exact solve of the chain (see Markov).
func NewMarkovChain(rows []Row, opt MarkovOptions) (*MarkovChain, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if err := orBackground(opt.Context).Err(); err != nil {
		return nil, err
	}
	c, err := compile(rows, true)
	if err != nil {
		return nil, err
	}
	cc := newChainCounter(max(1, opt.Order), opt.KeepRepeats, c.numNames())
	for k := range c.rows() {
		cc.add(c.route(k), c.conv[k], c.nulls[k], dd{hi: c.value[k]})
	}
	return cc.chain(c.names, opt).solve()
}

// MarkovChain returns the chain learned from the routes counted in t (see
// MarkovChain): the chain NewMarkovChain learns from t.Rows(), without
// building the rows. From a large log, or from tables counted on shards
// and merged, CountLog, Table.MarkovChain and MarkovChain.Result are the
// way to the Markov model: at 10^6 customers, less than half the time of
// FromLog and Markov and a quarter of the memory, for the same result to
// rounding. The chain does not depend on how t was counted or merged.
//
// It returns an error wrapping ErrBadOption for a negative Order or
// Workers, and opt.Context's Err if it is done first. It takes O(t) time
// for the t touches of t's routes plus one exact solve of the chain.
func (t *Table) MarkovChain(opt MarkovOptions) (*MarkovChain, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	ctx := orBackground(opt.Context)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cc := newChainCounter(max(1, opt.Order), opt.KeepRepeats, len(t.tab.Names))
	for pi := range t.parts {
		p := &t.parts[pi]
		for k := range p.set.Len() {
			if k%checkEvery == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r := &p.sums[k]
			cc.add(p.set.Route(k), r.conv, r.nulls, r.value)
		}
	}
	return cc.chain(t.tab.Names, opt).solve()
}

// solve computes the weights' sums and, with one solve each, the
// probability of conversion and the expected value from every state.
func (m *MarkovChain) solve() (*MarkovChain, error) {
	if err := m.ctx.Err(); err != nil {
		return nil, err
	}
	n := len(m.conv)
	m.rowSum = make([]float64, n)
	var value dd
	for i := range n {
		s := m.conv[i] + m.nulls[i]
		for _, w := range m.w[m.off[i]:m.off[i+1]] {
			s += w
		}
		m.rowSum[i] = s
		m.conversions += m.conv[i]
		value.add(m.value[i])
	}
	m.sumV = value.sum()
	m.journeys = m.rowSum[0]
	if n == 1 { // no route: Start alone
		return m, nil
	}
	if math.IsInf(m.journeys, 0) || math.IsInf(m.sumV, 0) {
		return nil, fmt.Errorf("attribution: markov: %w: the counts or values of the table overflow", ErrBadCount)
	}
	q := markov.CSR{Off: m.off, Col: m.to, Val: make([]float64, len(m.w))}
	exit := make([]float64, n)
	bc := make([]float64, n)
	bv := make([]float64, n)
	for i := range n {
		for k := m.off[i]; k < m.off[i+1]; k++ {
			q.Val[k] = m.w[k] / m.rowSum[i]
		}
		exit[i] = (m.conv[i] + m.nulls[i]) / m.rowSum[i]
		bc[i] = m.conv[i] / m.rowSum[i]
		bv[i] = m.value[i] / m.rowSum[i]
	}
	s, err := markov.NewSolver(q, exit, markov.Options{})
	if err != nil {
		return nil, fmt.Errorf("attribution: markov: %w", err)
	}
	m.solver = s
	m.bc, m.bv = bc, bv
	return m, nil
}

// absorb computes, once, the probability of conversion and the expected
// value from every state: one solve each.
func (m *MarkovChain) absorb() {
	m.hOnce.Do(func() {
		m.h = m.solver.Solve(m.bc)
		m.hv = m.solver.Solve(m.bv)
		for i := range m.h {
			m.h[i] = min(1, max(0, m.h[i]))
			m.hv[i] = max(0, m.hv[i])
		}
		m.bc, m.bv = nil, nil
	})
}

// index builds, once, the predecessors of each state, the states that
// contain each touch and the sizes of the solver's components.
func (m *MarkovChain) index() {
	m.once.Do(func() {
		n := len(m.conv)
		m.predOff = make([]int32, n+1)
		for _, j := range m.to {
			m.predOff[j+1]++
		}
		for i := range n {
			m.predOff[i+1] += m.predOff[i]
		}
		m.pred = make([]int32, len(m.to))
		next := make([]int32, n)
		copy(next, m.predOff[:n])
		for i := range n {
			for _, j := range m.to[m.off[i]:m.off[i+1]] {
				m.pred[next[j]] = int32(i)
				next[j]++
			}
		}

		t := len(m.names)
		m.touchOff = make([]int32, t+1)
		seen := make([]int32, t) // 1 + the last state counted for each touch
		each := func(f func(c uint32, s int32)) {
			for s := 1; s < n; s++ {
				for _, c := range m.parts[m.partOff[s]:m.partOff[s+1]] {
					if seen[c] != int32(s)+1 {
						seen[c] = int32(s) + 1
						f(c, int32(s))
					}
				}
			}
		}
		each(func(c uint32, _ int32) { m.touchOff[c+1]++ })
		for c := range t {
			m.touchOff[c+1] += m.touchOff[c]
		}
		m.touchSt = make([]int32, m.touchOff[t])
		pos := make([]int32, t)
		copy(pos, m.touchOff[:t])
		clear(seen)
		each(func(c uint32, s int32) {
			m.touchSt[pos[c]] = s
			pos[c]++
		})

		if m.solver != nil {
			comps := m.solver.Components()
			m.compSize = make([]int32, comps.Len())
			for c := range comps.Len() {
				m.compSize[c] = int32(len(comps.Members(c)))
			}
		}
	})
}

// Order returns the Markov order of the chain.
func (m *MarkovChain) Order() int { return m.order }

// NumStates returns the number of transient states: Start and the
// windows.
func (m *MarkovChain) NumStates() int { return len(m.conv) }

// States returns the names of the windows, in the order of their touches,
// each named by graph.TupleName as journey.Learn names its states.
func (m *MarkovChain) States() []string {
	out := make([]string, 0, len(m.conv)-1)
	var parts []string
	for s := 1; s < len(m.conv); s++ {
		parts = parts[:0]
		for _, c := range m.parts[m.partOff[s]:m.partOff[s+1]] {
			parts = append(parts, m.names[c])
		}
		out = append(out, graph.TupleName(parts...))
	}
	return out
}

// Touches returns the touches of the chain's routes, sorted.
func (m *MarkovChain) Touches() []string { return append([]string(nil), m.names...) }

// Totals returns the journeys (customers), conversions and value of the
// routes the chain was learned from. The probability of conversion from
// Start is conversions / journeys: in a chain learned from routes, the
// flow through each state is the number of walks that pass there.
func (m *MarkovChain) Totals() (journeys, conversions, value float64) {
	return m.journeys, m.conversions, m.sumV
}

// Removal is what removing states from a Markov chain costs, each figure
// a relative drop in [0, 1]: 1 − P′/P, where P is the probability that a
// walk from Start converts, or its expected value, and P′ the same in the
// chain whose removed states send every walk that enters them to null.
// For a chain with no conversion (no value), the drop is 0.
type Removal struct {
	States      int     // transient states removed
	Conversions float64 // removal effect on conversions
	Value       float64 // removal effect on value
}

// RemovalEffect returns the removal effect of the states that contain one
// of sequences, each a run of consecutive touches of a window: a sequence
// of one touch removes every state with that touch (the removal of the
// Markov models), a sequence such as {"email", "web"} at order 2 or more
// removes the windows in which email is directly followed by web, and
// several sequences remove the union (all the touches of a department,
// say). Touches the chain does not have remove nothing.
//
// A sequence must have between 1 and Order touches, as no window holds
// more; otherwise RemovalEffect returns an error wrapping ErrBadOption. It
// returns the Err of the chain's Context if that is done.
//
// The effect is computed exactly, without simulation: a walk converts
// after its last visit to a removed state with the probability, in the
// chain without those states, of converting from where it goes next, and
// that is the only figure to solve for, on the states from which a walk
// can leave the removed states and come back to them (see Markov). It
// takes O(s + m) time for the s states and m transitions that can be
// reached from the removed states, plus one solve of the chain restricted
// to those that come back to them.
func (m *MarkovChain) RemovalEffect(sequences ...[]string) (Removal, error) {
	if err := m.ctx.Err(); err != nil {
		return Removal{}, err
	}
	for i, seq := range sequences {
		if len(seq) == 0 || len(seq) > m.order {
			return Removal{}, fmt.Errorf("attribution: markov: %w: sequences[%d] has %d touches, want 1 to the order %d",
				ErrBadOption, i, len(seq), m.order)
		}
	}
	m.index()
	ids := make(map[string]uint32, len(m.names))
	for i, s := range m.names {
		ids[s] = uint32(i)
	}
	mark := make([]bool, len(m.conv))
	var states []int32
	var want []uint32
	for _, seq := range sequences {
		want = want[:0]
		known := true
		for _, s := range seq {
			id, ok := ids[s]
			if !ok {
				known = false
				break
			}
			want = append(want, id)
		}
		if !known {
			continue
		}
		for _, s := range m.touchSt[m.touchOff[want[0]]:m.touchOff[want[0]+1]] {
			if !mark[s] && containsRun(m.parts[m.partOff[s]:m.partOff[s+1]], want) {
				mark[s] = true
				states = append(states, s)
			}
		}
	}
	if len(states) == 0 {
		return Removal{}, nil
	}
	slices.Sort(states)
	m.absorb()
	r := newRemover(m)
	conv, value, err := r.effect(states)
	if err != nil {
		return Removal{}, err
	}
	return Removal{States: len(states), Conversions: conv, Value: value}, nil
}

// containsRun reports whether seq occurs in parts as consecutive elements.
func containsRun(parts, seq []uint32) bool {
	for i := 0; i+len(seq) <= len(parts); i++ {
		ok := true
		for j, x := range seq {
			if parts[i+j] != x {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Markov returns the credit of each touch by the removal effects of the
// Markov chain of order k learned from the route table rows (see
// MarkovChain and MarkovOptions): the model of Anderl et al. (2016) that
// ChannelAttribution's markov_model estimates by simulation, computed
// here exactly. It is NewMarkovChain followed by MarkovChain.Result.
//
// The removal effect of a touch c is 1 − P₋c/P, P being the probability
// that a walk from Start converts and P₋c the same once every state that
// contains c sends the walks entering it to null; it is Credit.
// RemovalEffect. Touch c is then attributed the conversions of the table
// times RE(c) / Σ RE. Value is attributed the same way with the value
// removal effect, in which a walk that converts from a state earns the
// mean value of the conversions observed from that state (as
// ChannelAttribution draws values); see the package documentation for how
// that differs from sharing the value by the conversion removal effects.
// A table with no conversion gives an empty Result; otherwise the Result
// lists every touch on a route with conversions and every other touch
// that earns credit (its states lead on to conversions).
//
// Removal effects are computed exactly, by solving the absorbing chain
// (a sparse solver: a division per state outside loops, dense
// elimination for loops of up to 256 states, preconditioned GMRES beyond;
// accurate to about 1e-10 relative), never by simulation, so results do
// not drift from run to run. A touch whose states lie on no loop costs
// O(d) for the d transitions out of them, once the chain is solved. At
// order 1, a touch on a loop of s states costs one solve of the loop
// (O(s²) for a dense one); at higher orders, a touch whose states a walk
// can leave and come back to costs one solve of the states in between.
// When the total would exceed about 4·10⁹ operations — tens of
// thousands of touches on one loop, as route tables over very many
// touches form — Markov returns an error wrapping ErrTooLarge rather
// than run for hours: group the touches (by channel, say) or raise the
// order.
//
// Errors are those of NewMarkovChain, ErrTooLarge, and opt.Context's Err
// if it is done first (checked between touches).
func Markov(rows []Row, opt MarkovOptions) (Result, error) {
	m, err := NewMarkovChain(rows, opt)
	if err != nil {
		return nil, err
	}
	return m.Result()
}

// MarkovLog is Markov on the route table that FromLog would cut from l,
// learned from the counts without building the rows. It gives
// Markov(FromLog(l, from), opt) to rounding. Errors are those of CountLog
// and Markov.
//
// Deprecated: use CountLog, then Table.MarkovChain and its Result.
func MarkovLog(l *journey.Log, from FromLogOptions, opt MarkovOptions) (Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	t, err := CountLog(l, from)
	if err != nil {
		return nil, err
	}
	m, err := t.MarkovChain(opt)
	if err != nil {
		return nil, err
	}
	return m.Result()
}

// Result returns the credit of each touch: the chain's conversions and
// value attributed by the removal effect of each touch, as Markov
// attributes them. Its cost is that of Markov once the chain is learned.
// It returns an error wrapping ErrTooLarge when that would take too long
// (see Markov), and the Err of the chain's Context if that is done first.
func (m *MarkovChain) Result() (Result, error) {
	if err := m.ctx.Err(); err != nil {
		return nil, err
	}
	if !(m.conversions > 0) {
		return Result{}, nil
	}
	m.index()
	t := len(m.names)
	re := make([]float64, t)
	rv := make([]float64, t)
	var err error
	if m.order == 1 {
		err = m.removeEachOrder1(re, rv)
	} else {
		err = m.removeEach(re, rv)
	}
	if err != nil {
		return nil, err
	}
	var sumC, sumV float64
	for c := range t {
		sumC += re[c]
		sumV += rv[c]
	}
	if !(sumC > 0) {
		return nil, fmt.Errorf("attribution: markov: the removal effects underflow to 0")
	}
	res := make(Result, t)
	for c := range t {
		cr := Credit{RemovalEffect: re[c]}
		cr.Conversions = m.conversions * (re[c] / sumC)
		if sumV > 0 {
			cr.Value = m.sumV * (rv[c] / sumV)
		}
		if re[c] > 0 || rv[c] > 0 {
			res[m.names[c]] = cr
		}
	}
	return res, nil
}

// maxRemovalWork caps the estimated operations of the removal effects of
// every touch (about a few seconds on one core). Tests lower it.
var maxRemovalWork = 4e9

// removeEachOrder1 computes the removal effect of every touch at order 1,
// where touch c is state s: P(conversion, visit s) = f·h(s), f the
// probability of ever reaching s from Start and h(s) that of converting
// from s, and f = v(s)/N(s,s) with v(s) = rowSum(s)/journeys the expected
// visits to s and N(s,s) those from s itself. So RE(c) = rowSum(s)·h(s) /
// (N(s,s)·conversions); for a state on no loop N(s,s) = 1/(1 − q(s,s))
// and that is (conv(s) + Σ_{y≠s} w(s,y)·h(y)) / conversions, a sum with no
// cancellation. N(s,s) of a state on a loop is one solve of its loop.
func (m *MarkovChain) removeEachOrder1(re, rv []float64) error {
	comps := m.solver.Components()
	// The cost of the solves, before doing any.
	work := 0.0
	for c := range comps.Len() {
		s := float64(m.compSize[c])
		if s == 1 {
			continue
		}
		if s <= markov.DefaultDenseMax {
			work += s * s * s
			continue
		}
		nnz := 0.0
		for _, v := range comps.Members(c) {
			nnz += float64(m.off[v+1] - m.off[v])
		}
		work += s * gmresSweeps * (s + nnz)
	}
	if work > maxRemovalWork {
		return fmt.Errorf("attribution: markov: %w: removing each touch on its loop exactly would take about %.1g operations (the limit is %.1g)",
			ErrTooLarge, work, float64(maxRemovalWork))
	}
	m.absorb()
	return m.parallel(len(m.names), func(r *remover, c int) error {
		s := m.touchSt[m.touchOff[c]]
		if m.compSize[comps.Of[s]] == 1 {
			var err error
			re[c], rv[c], err = r.effect([]int32{s})
			return err
		}
		d := m.solver.Diagonal(int(s))
		f := m.rowSum[s] / d
		re[c] = clamp01(f * m.h[s] / m.conversions)
		if m.sumV > 0 {
			rv[c] = clamp01(f * m.hv[s] / m.sumV)
		}
		return nil
	})
}

// gmresSweeps estimates the passes over a loop's states and transitions
// that one preconditioned GMRES solve makes.
const gmresSweeps = 40

// removeEach computes the removal effect of every touch at order k > 1,
// each by remover.effect, after checking what that will cost.
func (m *MarkovChain) removeEach(re, rv []float64) error {
	t := len(m.names)
	var total atomic.Uint64 // in units of 1024 operations
	limit := uint64(maxRemovalWork / 1024)
	errTooLarge := fmt.Errorf("attribution: markov: %w: removing each touch exactly would take more than %.1g operations",
		ErrTooLarge, float64(maxRemovalWork))
	err := m.parallel(t, func(r *remover, c int) error {
		if total.Load() > limit {
			return errTooLarge
		}
		st := m.touchSt[m.touchOff[c]:m.touchOff[c+1]]
		zone, visited := r.zone(st)
		cost := float64(visited) + zoneCost(m, zone)
		if total.Add(uint64(cost/1024)+1) > limit {
			return errTooLarge
		}
		return nil
	})
	if err != nil {
		return err
	}
	m.absorb()
	return m.parallel(t, func(r *remover, c int) error {
		var err error
		re[c], rv[c], err = r.effect(m.touchSt[m.touchOff[c]:m.touchOff[c+1]])
		return err
	})
}

// zoneCost estimates the operations of solving the chain restricted to zone.
func zoneCost(m *MarkovChain, zone []int32) float64 {
	s := float64(len(zone))
	if s == 0 {
		return 0
	}
	if s <= markov.DefaultDenseMax {
		return s * s * s / 3
	}
	nnz := 0.0
	for _, v := range zone {
		nnz += float64(m.off[v+1] - m.off[v])
	}
	return gmresSweeps * (s + nnz)
}

// parallel calls f for each i in [0, n) on up to m.workers goroutines, each
// with its own remover, and returns the first error in order of i.
func (m *MarkovChain) parallel(n int, f func(r *remover, i int) error) error {
	workers := m.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n/64+1))
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRemover(m)
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if i%64 == 0 && m.ctx.Err() != nil {
					errs[i] = m.ctx.Err()
					failed.Store(true)
					return
				}
				if errs[i] = f(r, i); errs[i] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }
