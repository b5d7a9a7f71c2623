package simulate

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey/graph"
)

// The names of the outcomes of Replicate and Compare. Each is a mean over
// the customers of a replication.
const (
	// OutcomeConversion is the share of customers absorbed in
	// graph.Conversion.
	OutcomeConversion = "conversion"
	// OutcomeSteps is the mean number of events before the end event:
	// the states visited (at order k, the first state counts its parts).
	OutcomeSteps = "steps"
	// OutcomeValue is the mean total value of a customer's events; it is
	// reported when a model has values.
	OutcomeValue = "value"
	// OutcomeHours is the mean time from a customer's first event to its
	// end event, in hours; it is reported when a model has waiting times.
	OutcomeHours = "hours"
)

// ReachOutcome returns the name of the outcome "share of customers with
// at least one event at step": "reach " followed by the step.
func ReachOutcome(step string) string { return "reach " + step }

// ReplicateOptions say how to replicate a simulation. Options gives each
// replication's customers and times; its Seed is the study's: replication
// r simulates with ReplicationSeed(Seed, r).
type ReplicateOptions struct {
	Options
	// Replications is the number R of independent replications, at least
	// 2; 0 means 30.
	Replications int
	// Level is the confidence level of the intervals, in (0, 1); 0 means
	// 0.95.
	Level float64
	// Reach lists steps (or absorbing states) whose reach share is an
	// outcome (ReachOutcome).
	Reach []string
}

// Estimate is a mean over replications with its confidence interval.
type Estimate struct {
	Mean float64
	// StdErr is s/√R, s the standard deviation of the R replications'
	// figures (with R − 1 in its denominator).
	StdErr float64
	// Low and High are Mean ∓ t·StdErr, t the quantile of Student's t with
	// R − 1 degrees of freedom at (1 + Level)/2.
	Low, High float64
}

// Contains reports whether x lies in [Low, High].
func (e Estimate) Contains(x float64) bool { return e.Low <= x && x <= e.High }

// Summary is the result of Replicate.
type Summary struct {
	Replications, Customers int
	Level                   float64
	// Outcomes are the names of the outcomes: OutcomeConversion,
	// OutcomeSteps, then OutcomeValue and OutcomeHours when the model has
	// values and waits, then a ReachOutcome for each step of Reach.
	Outcomes []string
	// Runs[r][k] is outcome k in replication r.
	Runs [][]float64
	// Estimates[k] is the mean of outcome k over the replications.
	Estimates []Estimate
}

// Estimate returns the estimate of the outcome with the given name.
func (s *Summary) Estimate(name string) (Estimate, bool) {
	if k := slices.Index(s.Outcomes, name); k >= 0 {
		return s.Estimates[k], true
	}
	return Estimate{}, false
}

// Comparison is the result of Compare: for each outcome, the baseline's
// and the variant's estimates and that of their difference.
type Comparison struct {
	Replications, Customers int
	Level                   float64
	Outcomes                []Outcome
	// Baseline and Variant hold each arm's replications.
	Baseline, Variant *Summary
}

// Outcome compares one outcome of the two arms of a Comparison.
type Outcome struct {
	Name              string
	Baseline, Variant Estimate
	// Diff is the variant minus the baseline, paired by replication: its
	// Mean is the mean of the R differences D_r = Y_r − X_r, and its
	// interval D̄ ∓ t·s_D/√R.
	Diff Estimate
}

// Outcome returns the comparison of the outcome with the given name.
func (c *Comparison) Outcome(name string) (Outcome, bool) {
	for _, o := range c.Outcomes {
		if o.Name == name {
			return o, true
		}
	}
	return Outcome{}, false
}

// Replicate simulates R independent replications of opt.Customers
// customers, replication r with the seed ReplicationSeed(opt.Seed, r),
// and returns the outcomes of each and their means with confidence
// intervals: for figures x_1 … x_R, the mean x̄, s² = Σ(x_r − x̄)²/(R−1)
// and the interval x̄ ∓ t_{(1+Level)/2, R−1}·s/√R (the t-interval, exact
// for normal figures and close for means over many customers).
//
// Replications build no log: each customer's outcomes are added up as it
// is simulated, in blocks of 4096 customers summed in order, so the
// result does not depend on Workers, which share the blocks of every
// replication. The customers are those Run gives with the replication's
// seed. Replicate fails on bad options (ErrBadOption), on an unknown
// Reach step (ErrUnknownStep) and on the errors of Run. It takes
// O(R·e) time for e events per replication.
func Replicate(m *Model, opt ReplicateOptions) (*Summary, error) {
	st, err := newStudy([]*Model{m}, opt)
	if err != nil {
		return nil, err
	}
	if err := st.run(); err != nil {
		return nil, err
	}
	return st.summary(0), nil
}

// Compare simulates the baseline and the variant, a model derived from
// it by an intervention, over R replications and compares their outcomes.
// Both arms use the same seeds, replication by replication (common random
// numbers): customer i of replication r is the same persona in both arms,
// starts at the same time, and at its k-th transition draws the same
// number, so that the two arms differ only where the intervention makes
// them differ, and the differences D_r = Y_r − X_r vary much less than
// the figures themselves. Each outcome's difference is estimated by the
// paired t-interval D̄ ∓ t_{(1+Level)/2, R−1}·s_D/√R, s_D the standard
// deviation of the D_r. The outcomes are those of both arms (a reach step
// that one arm lacks has reach 0 there).
//
// Compare is deterministic for a seed. It fails as Replicate does, and
// takes about twice its time.
func Compare(baseline, variant *Model, opt ReplicateOptions) (*Comparison, error) {
	st, err := newStudy([]*Model{baseline, variant}, opt)
	if err != nil {
		return nil, err
	}
	if err := st.run(); err != nil {
		return nil, err
	}
	c := &Comparison{Replications: st.reps, Customers: st.r.Customers, Level: st.level,
		Baseline: st.summary(0), Variant: st.summary(1)}
	tq := tQuantile(st.level, st.reps-1)
	for k, name := range st.names {
		d := make([]float64, st.reps)
		for r := range d {
			d[r] = st.out[1][r][k] - st.out[0][r][k]
		}
		c.Outcomes = append(c.Outcomes, Outcome{Name: name,
			Baseline: c.Baseline.Estimates[k], Variant: c.Variant.Estimates[k], Diff: estimate(d, tq)})
	}
	return c, nil
}

// blockSize is the number of customers whose outcomes a worker adds up
// at a time, in order; blocks are then added up in order.
const blockSize = 4096

// study runs the replications of one or two arms.
type study struct {
	arms   []*Model
	r      resolved
	reps   int
	level  float64
	names  []string
	reach  [][]int32 // by arm: step id -> reach outcome index (-1 none)
	nreach int
	value  bool
	hours  bool
	out    [][][]float64 // by arm, replication, outcome
}

func newStudy(arms []*Model, opt ReplicateOptions) (*study, error) {
	var l verr.List
	r, err := opt.Options.resolve()
	l.Add("", err)
	st := &study{arms: arms, r: r, reps: opt.Replications, level: opt.Level}
	if st.reps == 0 {
		st.reps = 30
	}
	if st.reps < 2 {
		l.Addf("replications", "%w: %d, want at least 2", ErrBadOption, opt.Replications)
	}
	if st.level == 0 {
		st.level = 0.95
	}
	if !(st.level > 0 && st.level < 1) {
		l.Addf("level", "%w: %v is not in (0, 1)", ErrBadOption, opt.Level)
	}
	st.names = []string{OutcomeConversion, OutcomeSteps}
	for _, m := range arms {
		st.value = st.value || slices.Contains(m.valueSet, true)
		st.hours = st.hours || m.hasWait
	}
	if st.value {
		st.names = append(st.names, OutcomeValue)
	}
	if st.hours {
		st.names = append(st.names, OutcomeHours)
	}
	st.reach = make([][]int32, len(arms))
	for a, m := range arms {
		st.reach[a] = make([]int32, len(m.steps))
		for i := range st.reach[a] {
			st.reach[a][i] = -1
		}
	}
	for j, s := range opt.Reach {
		known := false
		for a, m := range arms {
			if id, ok := m.stepID[s]; ok && s != graph.Start {
				st.reach[a][id] = int32(j)
				known = true
			}
		}
		if !known {
			l.Add(verr.Item("reach", j, s), fmt.Errorf("%w %q", ErrUnknownStep, s))
		}
		st.names = append(st.names, ReachOutcome(s))
	}
	st.nreach = len(opt.Reach)
	if l.Len() > 0 {
		return nil, verr.Prefix("simulate", l.Err())
	}
	return st, nil
}

// blockStats are the sums of one block of customers.
type blockStats struct {
	conv, steps int64
	value, dur  float64
	reach       []int64
	err         error
}

// run simulates every (replication, arm, block) task, spread over the
// workers, then adds up each replication's blocks in order.
func (st *study) run() error {
	n := st.r.Customers
	blocks := (n + blockSize - 1) / blockSize
	arms := len(st.arms)
	tasks := st.reps * arms * blocks
	stats := make([]blockStats, tasks)
	keys := make([]keys, st.reps)
	for r := range keys {
		keys[r] = newKeys(ReplicationSeed(st.r.Seed, r))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(st.r.workers, tasks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			walkers := make([]*walker, arms)
			seen := make([][]bool, arms)
			for a, m := range st.arms {
				walkers[a] = newWalker(m, nil)
				seen[a] = make([]bool, st.nreach)
			}
			for {
				t := int(next.Add(1)) - 1
				if t >= tasks || ctxErr(st.r.Context) != nil {
					return
				}
				b := t % blocks
				a := t / blocks % arms
				rep := t / blocks / arms
				w := walkers[a]
				w.k = &keys[rep]
				st.block(w, a, seen[a], b*blockSize, min(n, (b+1)*blockSize), &stats[t])
			}
		}()
	}
	wg.Wait()
	if err := ctxErr(st.r.Context); err != nil {
		return err
	}
	st.out = make([][][]float64, arms)
	for a := range arms {
		st.out[a] = make([][]float64, st.reps)
		for rep := range st.reps {
			var sum blockStats
			sum.reach = make([]int64, st.nreach)
			for b := range blocks {
				s := &stats[(rep*arms+a)*blocks+b]
				if s.err != nil {
					return fmt.Errorf("simulate: replication %d: %w", rep, s.err)
				}
				sum.conv += s.conv
				sum.steps += s.steps
				sum.value += s.value
				sum.dur += s.dur
				for j, c := range s.reach {
					sum.reach[j] += c
				}
			}
			fn := float64(n)
			o := []float64{float64(sum.conv) / fn, float64(sum.steps) / fn}
			if st.value {
				o = append(o, sum.value/fn)
			}
			if st.hours {
				o = append(o, sum.dur/fn/float64(3600e9))
			}
			for _, c := range sum.reach {
				o = append(o, float64(c)/fn)
			}
			st.out[a][rep] = o
		}
	}
	return nil
}

// block simulates customers [lo, hi) of arm a into s.
func (st *study) block(w *walker, a int, seen []bool, lo, hi int, s *blockStats) {
	m := w.m
	reach := st.reach[a]
	s.reach = make([]int64, st.nreach)
	for i := lo; i < hi; i++ {
		if err := w.walk(i, &st.r); err != nil {
			s.err = fmt.Errorf("customer %d: %w", i, err)
			return
		}
		if w.end == m.cnv {
			s.conv++
		}
		s.steps += int64(len(w.buf) - 1)
		v := 0.0
		clear(seen)
		for _, e := range w.buf {
			v += e.v
			if j := reach[e.step]; j >= 0 && !seen[j] {
				seen[j] = true
				s.reach[j]++
			}
		}
		s.value += v
		s.dur += float64(w.buf[len(w.buf)-1].t - w.buf[0].t)
	}
}

// summary returns arm a's replications with their estimates.
func (st *study) summary(a int) *Summary {
	s := &Summary{Replications: st.reps, Customers: st.r.Customers, Level: st.level,
		Outcomes: slices.Clone(st.names), Runs: st.out[a]}
	tq := tQuantile(st.level, st.reps-1)
	x := make([]float64, st.reps)
	for k := range st.names {
		for r := range x {
			x[r] = st.out[a][r][k]
		}
		s.Estimates = append(s.Estimates, estimate(x, tq))
	}
	return s
}

// estimate returns the mean of x and its t-interval with factor tq.
func estimate(x []float64, tq float64) Estimate {
	n := float64(len(x))
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	mean := sum / n
	ss := 0.0
	for _, v := range x {
		d := v - mean
		ss += float64(d * d)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	half := float64(tq * se)
	return Estimate{Mean: mean, StdErr: se, Low: mean - half, High: mean + half}
}
