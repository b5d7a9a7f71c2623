package attribution

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// BootstrapOptions say how Bootstrap resamples. The zero value draws 1000
// replications for 95% intervals, with seed 0, on GOMAXPROCS goroutines.
type BootstrapOptions struct {
	Replications int     // 0 means 1000
	Level        float64 // confidence level of the intervals, in (0, 1); 0 means 0.95
	Seed         uint64  // the same seed gives the same intervals
	Workers      int     // goroutines running replications; 0 means runtime.GOMAXPROCS(0)
	// Context, if not nil, stops the replications when it is done:
	// Bootstrap returns its Err. Nil means context.Background(). The
	// model sees only the rows: a model that takes a Context of its own
	// (Markov, Shapley) may be given the same one.
	Context context.Context
}

// Interval summarises a quantity over the bootstrap replications: their
// mean and standard deviation, and the percentile interval [Lo, Hi] at the
// requested level.
type Interval struct {
	Mean, StdDev, Lo, Hi float64
}

// CreditInterval is the bootstrap distribution of a Credit.
type CreditInterval struct {
	Conversions, Value, RemovalEffect Interval
}

// Intervals maps each touch to the bootstrap distribution of its credit.
type Intervals map[string]CreditInterval

// Bootstrap returns, for each touch, the bootstrap distribution of its
// credit under model: the sampling uncertainty of the model's result by
// the nonparametric bootstrap (Efron 1979). It resamples the customers
// behind the table, with replacement, runs the model on each resampled
// table and summarises each touch's credit over the replications, a touch
// absent from a replication's result counting as 0.
//
// A table of n = Σ (Conversions + Nulls) customers is resampled as the
// bootstrap resamples those customers: n draws with replacement, which
// makes the new counts of each route's converters and non-converters a
// multinomial with probabilities Conversions/n and Nulls/n. The table
// keeps only each route's total value, so a resampled converter carries
// its route's mean value, Value/Conversions. Lo and Hi are the quantiles
// (1−Level)/2 and (1+Level)/2 of the replications, interpolated between
// order statistics as R's default quantile (type 7) does.
//
// Replication i draws from a PCG generator seeded with (opt.Seed, i), and
// the results are summarised in replication order, so the same seed gives
// the same intervals on every platform, whatever opt.Workers.
//
// Counts must be whole numbers (ErrNotWhole), for at most 2^32−1
// customers in all; other bad rows, bad options (ErrBadOption), the
// model's own errors and opt.Context's Err (checked before each
// replication) are returned as errors. Each replication takes O(n + r)
// time for r rows plus the model's time; memory is O(r) per worker plus
// O(Replications × touches).
func Bootstrap(rows []Row, model Model, opt BootstrapOptions) (Intervals, error) {
	if opt.Replications == 0 {
		opt.Replications = 1000
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	switch {
	case opt.Replications < 0:
		return nil, fmt.Errorf("attribution: bootstrap: %w: negative Replications %d", ErrBadOption, opt.Replications)
	case !(opt.Level > 0 && opt.Level < 1):
		return nil, fmt.Errorf("attribution: bootstrap: %w: Level %v not in (0, 1)", ErrBadOption, opt.Level)
	case opt.Workers < 0:
		return nil, fmt.Errorf("attribution: bootstrap: %w: negative Workers %d", ErrBadOption, opt.Workers)
	}
	ctx := orBackground(opt.Context)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := validate(rows); err != nil {
		return nil, err
	}
	weights := make([]uint64, 2*len(rows)) // converters of row i at 2i, non-converters at 2i+1
	total := 0.0
	for i := range rows {
		c, n := rows[i].Conversions, rows[i].Nulls
		if c != math.Trunc(c) || n != math.Trunc(n) {
			return nil, fmt.Errorf("attribution: bootstrap: rows[%d]: %w: conversions %v, nulls %v", i, ErrNotWhole, c, n)
		}
		if total += c + n; total > maxCustomers {
			return nil, fmt.Errorf("attribution: bootstrap: %w: more than %d customers to resample", ErrBadOption, uint64(maxCustomers))
		}
		weights[2*i], weights[2*i+1] = uint64(c), uint64(n)
	}
	alias, err := newAlias(weights)
	if err != nil {
		return nil, err
	}

	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, opt.Replications))
	results := make([]Result, opt.Replications)
	errs := make([]error, opt.Replications)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sample := make([]Row, len(rows))
			counts := make([]uint32, len(weights))
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= opt.Replications {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
				r := rand.New(rand.NewPCG(opt.Seed, uint64(i)))
				clear(counts)
				alias.resample(r, counts)
				for k := range rows {
					c, n := counts[2*k], counts[2*k+1]
					sample[k] = Row{Touches: rows[k].Touches, Conversions: float64(c), Nulls: float64(n)}
					if c > 0 {
						sample[k].Value = rows[k].Value / rows[k].Conversions * float64(c)
					}
				}
				res, err := model(sample)
				if err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
				results[i] = res
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("attribution: bootstrap: replication %d: %w", i, err)
		}
	}
	return summarise(results, opt.Level), nil
}

// summarise turns per-replication results into intervals.
func summarise(results []Result, level float64) Intervals {
	touches := map[string]bool{}
	for _, r := range results {
		for k := range r {
			touches[k] = true
		}
	}
	out := make(Intervals, len(touches))
	conv := make([]float64, len(results))
	value := make([]float64, len(results))
	re := make([]float64, len(results))
	for k := range touches {
		for i, r := range results {
			c := r[k]
			conv[i], value[i], re[i] = c.Conversions, c.Value, c.RemovalEffect
		}
		out[k] = CreditInterval{
			Conversions:   interval(conv, level),
			Value:         interval(value, level),
			RemovalEffect: interval(re, level),
		}
	}
	return out
}

// interval summarises xs, which it sorts.
func interval(xs []float64, level float64) Interval {
	n := float64(len(xs))
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / n
	var ss float64
	for _, x := range xs {
		ss += float64((x - mean) * (x - mean))
	}
	sd := 0.0
	if len(xs) > 1 {
		sd = math.Sqrt(ss / (n - 1))
	}
	slices.Sort(xs)
	return Interval{Mean: mean, StdDev: sd, Lo: quantile(xs, (1-level)/2), Hi: quantile(xs, (1+level)/2)}
}

// quantile is the p-quantile of sorted xs, R's type 7: linear
// interpolation between the order statistics at (n−1)p.
func quantile(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + float64((h-lo)*(xs[i+1]-xs[i]))
}

// aliasTable draws category k with probability weights[k] / total, by
// Walker's alias method (Vose's construction) in integer arithmetic, so
// the probabilities are exact and the draws the same on every platform.
type aliasTable struct {
	total uint64 // Σ weights: the number of draws of a resample, below 2^32
	k     uint64 // number of categories, below 2^32
	cols  []aliasColumn
}

// aliasColumn is column j of an alias table: a draw (j, u), u uniform in
// [0, total), gives j if u < cut, else alias. Both in 8 bytes: one cache
// line per draw.
type aliasColumn struct {
	cut, alias uint32
}

// maxCustomers is the most customers Bootstrap resamples: counts are
// 32-bit.
const maxCustomers = 1<<32 - 1

func newAlias(weights []uint64) (*aliasTable, error) {
	a := &aliasTable{k: uint64(len(weights)), cols: make([]aliasColumn, len(weights))}
	for _, w := range weights {
		a.total += w
	}
	if a.total == 0 {
		return a, nil
	}
	if a.total > maxCustomers || a.k > maxCustomers {
		return nil, fmt.Errorf("attribution: bootstrap: %w: %d customers on %d routes are too many to resample", ErrBadOption, a.total, a.k/2)
	}
	// Column j holds total units; category j starts with weights[j]·k units.
	scaled := make([]uint64, len(weights))
	var small, large []uint32
	for j, w := range weights {
		scaled[j] = w * a.k
		if scaled[j] < a.total {
			small = append(small, uint32(j))
		} else {
			large = append(large, uint32(j))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		a.cols[s] = aliasColumn{cut: uint32(scaled[s]), alias: l}
		scaled[l] -= a.total - scaled[s]
		if scaled[l] < a.total {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, j := range large {
		a.cols[j].cut = uint32(a.total)
	}
	for _, j := range small { // only if the arithmetic left some: cannot happen with exact integers
		a.cols[j].cut = uint32(a.total)
	}
	return a, nil
}

// resample adds to counts the categories of total draws. Draws go in
// batches: first the columns of a batch, then its counts, so that the
// cache misses of a batch overlap.
func (a *aliasTable) resample(r *rand.Rand, counts []uint32) {
	const batch = 64
	var cats [batch]uint32
	for left := a.total; left > 0; {
		n := min(left, batch)
		left -= n
		for i := range n {
			j := r.Uint64N(a.k)
			u := r.Uint64N(a.total)
			c := a.cols[j]
			cat := uint32(j)
			if u >= uint64(c.cut) {
				cat = c.alias
			}
			cats[i] = cat
		}
		for _, cat := range cats[:n] {
			counts[cat]++
		}
	}
}
