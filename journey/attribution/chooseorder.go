package attribution

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// ChooseOrderOptions say how ChooseOrder compares Markov orders. The zero
// value compares orders 1 to 10 on 30% of the customers held out (seed
// 0), with 100 points on each ROC curve.
type ChooseOrderOptions struct {
	// MaxOrder is the highest order compared, at most 1000; 0 means 10,
	// as ChannelAttribution's choose_order.
	MaxOrder int
	// Holdout is the share of the customers held out to test the chains
	// learned from the others, in (0, 1); 0 means 0.3.
	Holdout float64
	// InSample tests the chains on the customers they are learned from,
	// as ChannelAttribution does; Holdout and Seed are then not used.
	InSample bool
	// Seed chooses the customers held out: the same seed and table give
	// the same choice.
	Seed uint64
	// Thresholds is the number of points of each ROC curve (roc_npt);
	// 0 means 100. It must be at least 2.
	Thresholds int
	// Context, if not nil, stops the comparison when it is done:
	// ChooseOrder returns its Err. Nil means context.Background().
	Context context.Context
}

// OrderScore is how well the chain of one order predicts conversions.
type OrderScore struct {
	Order int
	// Evaluated is false when the order has at least as many possible
	// states, C(n+k−1, k) for n touches, as the table has routes: such an
	// order is skipped, as ChannelAttribution skips it, and its AUCs are 0.
	Evaluated bool
	// AUC is the area under the ROC curve of the predictions of the
	// customers tested; PenalisedAUC corrects it for the number of
	// possible states (see ChooseOrder).
	AUC, PenalisedAUC float64
}

// OrderChoice is what ChooseOrder found: the score of each order from 1
// to MaxOrder, and the order to use.
type OrderChoice struct {
	Orders []OrderScore
	// Recommended is the first order with the highest penalised AUC, or 1
	// if no order was evaluated.
	Recommended int
	// AtLimit reports that Recommended is the highest order evaluated, so
	// that a higher MaxOrder might do better (ChannelAttribution says
	// "Suggested order not found").
	AtLimit bool
}

// ChooseOrder returns how well the Markov chains of orders 1 to MaxOrder
// learned from a route table predict conversions, and the order to use, as
// ChannelAttribution's choose_order compares them, but on customers held
// out.
//
// The customers behind the table (its conversions and nulls, which must
// then be whole numbers: ErrNotWhole) are split at random, each held out
// with probability Holdout, by a PCG generator seeded with Seed; the
// chains are learned from the others. With InSample, every customer is
// both learned from and tested, as ChannelAttribution does.
//
// For each order k, each tested route is predicted to convert with the
// share of conversions among the learning customers whose route ends in
// the same state (its last k touches, or the whole route if shorter),
// ChannelAttribution's prediction; a state no learning customer ended in
// predicts 0. The ROC curve has Thresholds points, evenly spaced from the
// highest prediction down to the lowest, a route being predicted to
// convert when its prediction is at least the threshold; each point
// counts the tested conversions (true positives) and nulls (false
// positives) so predicted. Its area is summed by trapezoids from (0, 0)
// through the points to (1, 1), and penalised for the number of possible
// states c = C(n+k−1, k) of n touches as adjusted R² is:
//
//	penalised AUC = 1 − (1 − AUC)·(N − 1)/(N − c − 1),
//
// N being the number of customers tested; a penalised AUC outside [0, 1]
// counts as 0. An order with c at least the number of routes is not
// evaluated.
//
// ChooseOrder returns an error for a bad row, a bad option
// (ErrBadOption), counts that are not whole with a hold-out (ErrNotWhole),
// more than 2^32−1 customers, when the customers tested include no
// conversion or no null, which leaves the ROC curve undefined, and
// opt.Context's Err if it is done first (checked every few thousand rows
// and at each order). It takes O(N) time to split N customers, plus
// O(r log r + Thresholds) per order for r routes (orders beyond the
// longest route cost O(1)).
func ChooseOrder(rows []Row, opt ChooseOrderOptions) (OrderChoice, error) {
	if opt.MaxOrder == 0 {
		opt.MaxOrder = 10
	}
	if opt.Holdout == 0 {
		opt.Holdout = 0.3
	}
	if opt.Thresholds == 0 {
		opt.Thresholds = 100
	}
	switch {
	case opt.MaxOrder < 0 || opt.MaxOrder > maxChooseOrder:
		return OrderChoice{}, fmt.Errorf("attribution: choose order: %w: MaxOrder %d not in [1, %d]", ErrBadOption, opt.MaxOrder, maxChooseOrder)
	case !(opt.Holdout > 0 && opt.Holdout < 1):
		return OrderChoice{}, fmt.Errorf("attribution: choose order: %w: Holdout %v not in (0, 1)", ErrBadOption, opt.Holdout)
	case opt.Thresholds < 2:
		return OrderChoice{}, fmt.Errorf("attribution: choose order: %w: %d Thresholds, want at least 2", ErrBadOption, opt.Thresholds)
	}
	ctx := orBackground(opt.Context)
	if err := ctx.Err(); err != nil {
		return OrderChoice{}, err
	}
	c, err := compile(rows, true)
	if err != nil {
		return OrderChoice{}, err
	}
	nrows := c.rows()
	learn := make([][2]float64, nrows) // conversions, nulls
	test := make([][2]float64, nrows)
	if opt.InSample {
		for k := range nrows {
			learn[k] = [2]float64{c.conv[k], c.nulls[k]}
		}
		copy(test, learn)
	} else {
		total := 0.0
		for i := range rows {
			cv, nl := rows[i].Conversions, rows[i].Nulls
			if cv != math.Trunc(cv) || nl != math.Trunc(nl) {
				return OrderChoice{}, fmt.Errorf("attribution: choose order: rows[%d]: %w: conversions %v, nulls %v (customers can be held out of whole counts only; or use InSample)",
					i, ErrNotWhole, cv, nl)
			}
			if total += cv + nl; total > maxCustomers {
				return OrderChoice{}, fmt.Errorf("attribution: choose order: %w: more than %d customers to split", ErrBadOption, uint64(maxCustomers))
			}
		}
		if err := split(ctx, c, opt, learn, test); err != nil {
			return OrderChoice{}, err
		}
	}
	var pos, neg float64
	for k := range nrows {
		pos += test[k][0]
		neg += test[k][1]
	}
	if !(pos > 0 && neg > 0) {
		return OrderChoice{}, fmt.Errorf("attribution: choose order: the customers tested have %v conversions and %v nulls: an ROC curve needs both", pos, neg)
	}

	out := OrderChoice{Orders: make([]OrderScore, opt.MaxOrder), Recommended: 1}
	n := c.numNames()
	best, lastEvaluated := 0.0, 0
	longest := 0
	for r := range nrows {
		longest = max(longest, len(c.route(r)))
	}
	last := lastStates{state: make([]int32, nrows)}
	auc, aucOK := 0.0, false
	for k := 1; k <= opt.MaxOrder; k++ {
		if err := ctx.Err(); err != nil {
			return OrderChoice{}, err
		}
		// Beyond the longest route, every route is its own last state:
		// the predictions, and so the AUC, stay those of order longest.
		if k <= longest {
			last.next(c, k)
			aucOK = false
		}
		sc := OrderScore{Order: k}
		if states := multisets(n, k); states < float64(nrows) {
			sc.Evaluated = true
			lastEvaluated = k
			if !aucOK {
				auc, aucOK = rocAUC(last.predict(learn), test, pos, neg, opt.Thresholds), true
			}
			sc.AUC = auc
			tested := pos + neg
			pauc := 1 - (1-sc.AUC)*(tested-1)/(tested-states-1)
			if pauc >= 0 && pauc <= 1 {
				sc.PenalisedAUC = pauc
			}
			if sc.PenalisedAUC > best {
				best, out.Recommended = sc.PenalisedAUC, k
			}
		}
		out.Orders[k-1] = sc
	}
	out.AtLimit = lastEvaluated > 0 && out.Recommended == lastEvaluated
	return out, nil
}

// split draws which customers of each row are held out, in row order. It
// returns ctx.Err() if ctx is done before it has finished.
func split(ctx context.Context, c *compiled, opt ChooseOrderOptions, learn, test [][2]float64) error {
	r := rand.New(rand.NewPCG(opt.Seed, 0))
	out := uint64(opt.Holdout * (1 << 53))
	for k := range c.rows() {
		if k%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for j, x := range [2]float64{c.conv[k], c.nulls[k]} {
			held := 0.0
			for range uint64(x) {
				if r.Uint64()>>11 < out {
					held++
				}
			}
			learn[k][j], test[k][j] = x-held, held
		}
	}
	return nil
}

// maxChooseOrder is the highest MaxOrder ChooseOrder takes.
const maxChooseOrder = 1000

// multisets returns C(n+k−1, k), the number of multisets of k of n
// touches, which ChannelAttribution takes for the number of states of
// order k; exact while below 2^53.
func multisets(n, k int) float64 {
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-1+i) / float64(i)
	}
	return c
}

// lastStates numbers the last state of each row at successive orders:
// at order k, the row's last k touches, or the whole route if shorter.
// The state at order k is the pair of the state at order k−1 and the
// touch before it (or an end mark), interned: no key is built.
type lastStates struct {
	state []int32 // by row
	n     int     // states at the current order
}

// next moves to order k, from k−1.
func (l *lastStates) next(c *compiled, k int) {
	const end = math.MaxUint32
	ids := make(map[[2]uint32]int32)
	for r := range c.rows() {
		route := c.route(r)
		key := [2]uint32{uint32(l.state[r]), end}
		if k == 1 {
			key[0] = end
		}
		if len(route) >= k {
			key[1] = route[len(route)-k]
		}
		id, ok := ids[key]
		if !ok {
			id = int32(len(ids))
			ids[key] = id
		}
		l.state[r] = id
	}
	l.n = len(ids)
}

// predict returns, for each row, the share of conversions among the
// learning customers whose route ends in the same state as the row's, or
// 0.
func (l *lastStates) predict(learn [][2]float64) []float64 {
	sums := make([][2]float64, l.n)
	for r, s := range l.state {
		sums[s][0] += learn[r][0]
		sums[s][1] += learn[r][1]
	}
	p := make([]float64, len(l.state))
	for r, s := range l.state {
		if d := sums[s][0] + sums[s][1]; d > 0 {
			p[r] = sums[s][0] / d
		}
	}
	return p
}

// rocAUC returns the trapezoid area under the ROC curve of predictions p
// of the tested conversions and nulls, at npt thresholds from the highest
// prediction down to the lowest, from (0, 0) to (1, 1).
func rocAUC(p []float64, test [][2]float64, pos, neg float64, npt int) float64 {
	idx := make([]int, 0, len(p))
	for r := range p {
		if test[r][0]+test[r][1] > 0 {
			idx = append(idx, r)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p[b], p[a]) }) // highest first
	lo, hi := p[idx[len(idx)-1]], p[idx[0]]
	auc, f0, t0 := 0.0, 0.0, 0.0
	var tp, fp float64
	next := 0
	for j := range npt {
		// Thresholds from hi (j = 0) down to lo (j = npt−1), both exact.
		thr := lo + (hi-lo)*float64(npt-1-j)/float64(npt-1)
		for next < len(idx) && p[idx[next]] >= thr {
			tp += test[idx[next]][0]
			fp += test[idx[next]][1]
			next++
		}
		f, t := fp/neg, tp/pos
		auc += (f-f0)*t0 + (f-f0)*(t-t0)/2
		f0, t0 = f, t
	}
	auc += (1-f0)*t0 + (1-f0)*(1-t0)/2
	return auc
}
