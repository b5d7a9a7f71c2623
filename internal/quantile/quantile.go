// Package quantile keeps exact, mergeable summaries of integer samples
// (durations in nanoseconds, counts): a sorted multiset stored as runs of
// equal values. Quantiles and histograms read from it are exact, and
// merging two summaries gives exactly the summary of the pooled samples,
// whatever the split.
//
// The cost is memory: a summary holds one run per distinct value. Callers
// that need a bound round their samples first (to the second, say), which
// bounds the distinct values while keeping every statistic exact for the
// rounded samples.
package quantile

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Run is Count samples equal to Value.
type Run struct {
	Value int64
	Count int64
}

// Exact is a multiset of int64 samples, kept as runs sorted by value with
// distinct values and positive counts. The zero value is empty and ready
// to use. An Exact is not safe for concurrent use.
type Exact struct {
	runs []Run
	n    int64
}

// FromSamples returns the summary of samples; samples is sorted in place.
// It takes O(n log n) time.
func FromSamples(samples []int64) Exact {
	sortSamples(samples)
	distinct := 0
	for i := range samples {
		if i == 0 || samples[i] != samples[i-1] {
			distinct++
		}
	}
	e := Exact{runs: make([]Run, 0, distinct), n: int64(len(samples))}
	for i := 0; i < len(samples); {
		j := i + 1
		for j < len(samples) && samples[j] == samples[i] {
			j++
		}
		e.runs = append(e.runs, Run{samples[i], int64(j - i)})
		i = j
	}
	return e
}

// sortSamples sorts s: by radix (LSD, a byte at a time, skipping the
// bytes all samples share) when it is long and not negative, else with
// slices.Sort.
func sortSamples(s []int64) {
	if len(s) < 1024 || slices.Min(s) < 0 {
		slices.Sort(s)
		return
	}
	buf := make([]int64, len(s))
	src, dst := s, buf
	for shift := uint(0); shift < 64; shift += 8 {
		var count [256]int
		for _, v := range src {
			count[byte(uint64(v)>>shift)]++
		}
		if count[byte(uint64(src[0])>>shift)] == len(src) {
			continue // every sample has this byte
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for _, v := range src {
			b := byte(uint64(v) >> shift)
			dst[count[b]] = v
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &s[0] {
		copy(s, src)
	}
}

// ErrBadRuns is wrapped by the error of FromRuns.
var ErrBadRuns = errors.New("bad runs")

// FromRuns returns the summary with the given runs, which must have
// strictly increasing values and positive counts whose sum fits an int64.
// The runs are copied.
func FromRuns(runs []Run) (Exact, error) {
	var n int64
	for i, r := range runs {
		if r.Count <= 0 {
			return Exact{}, fmt.Errorf("%w: run %d has count %d, want at least 1", ErrBadRuns, i, r.Count)
		}
		if i > 0 && r.Value <= runs[i-1].Value {
			return Exact{}, fmt.Errorf("%w: run %d has value %d, not above the previous %d", ErrBadRuns, i, r.Value, runs[i-1].Value)
		}
		if n > math.MaxInt64-r.Count {
			return Exact{}, fmt.Errorf("%w: more than %d samples", ErrBadRuns, int64(math.MaxInt64))
		}
		n += r.Count
	}
	return Exact{runs: slices.Clone(runs), n: n}, nil
}

// Runs returns the runs, sorted by value. The slice is a copy.
func (e *Exact) Runs() []Run { return slices.Clone(e.runs) }

// Len returns the number of runs: the distinct samples.
func (e *Exact) Len() int { return len(e.runs) }

// Count returns the number of samples.
func (e *Exact) Count() int64 { return e.n }

// Merge adds the samples of o to e. It takes O(r + s) time for r and s runs.
func (e *Exact) Merge(o Exact) {
	if o.n == 0 {
		return
	}
	if e.n == 0 {
		e.runs, e.n = slices.Clone(o.runs), o.n
		return
	}
	out := make([]Run, 0, len(e.runs)+len(o.runs))
	i, j := 0, 0
	for i < len(e.runs) || j < len(o.runs) {
		switch {
		case j == len(o.runs) || i < len(e.runs) && e.runs[i].Value < o.runs[j].Value:
			out = append(out, e.runs[i])
			i++
		case i == len(e.runs) || o.runs[j].Value < e.runs[i].Value:
			out = append(out, o.runs[j])
			j++
		default:
			out = append(out, Run{e.runs[i].Value, e.runs[i].Count + o.runs[j].Count})
			i++
			j++
		}
	}
	e.runs = out
	e.n += o.n
}

// Rank returns the sample of rank k (1-based) in sorted order; it panics if
// k is not between 1 and Count.
func (e *Exact) Rank(k int64) int64 {
	if k < 1 || k > e.n {
		panic(fmt.Sprintf("quantile: rank %d out of [1, %d]", k, e.n))
	}
	for _, r := range e.runs {
		if k <= r.Count {
			return r.Value
		}
		k -= r.Count
	}
	panic("unreachable")
}

// Quantile returns the nearest-rank q-quantile: the smallest sample v such
// that at least a share q of the samples are at most v, that is the sample
// of rank ⌈q·n⌉ (rank 1 for q ≤ 0). It is always an observed sample, so it
// is exact and merges exactly. The median is Quantile(0.5): for an even
// count, the lower of the two middle samples. It returns false when there
// is no sample or q is NaN.
func (e *Exact) Quantile(q float64) (int64, bool) {
	if e.n == 0 || math.IsNaN(q) {
		return 0, false
	}
	// A relative tolerance keeps float rounding (0.9·10 computed as
	// 9.000000000000002) from moving the rank up by one.
	x := q * float64(e.n)
	k := int64(math.Ceil(x - math.Abs(x)*1e-12))
	return e.Rank(min(max(k, 1), e.n)), true
}

// Min and Max return the smallest and the largest sample (false if none).
func (e *Exact) Min() (int64, bool) {
	if e.n == 0 {
		return 0, false
	}
	return e.runs[0].Value, true
}

func (e *Exact) Max() (int64, bool) {
	if e.n == 0 {
		return 0, false
	}
	return e.runs[len(e.runs)-1].Value, true
}

// Mean returns the arithmetic mean of the samples (false if none), computed
// in float64.
func (e *Exact) Mean() (float64, bool) {
	if e.n == 0 {
		return 0, false
	}
	var s float64
	for _, r := range e.runs {
		s += float64(r.Value) * float64(r.Count)
	}
	return s / float64(e.n), true
}

// Histogram counts the samples in the buckets bounded by bounds, which
// must be sorted ascending: the result has len(bounds)+1 counts, for
// (-∞, bounds[0]], (bounds[0], bounds[1]], …, (bounds[last], +∞). Each
// bucket includes its upper bound. It takes O(r + b) time.
func (e *Exact) Histogram(bounds []int64) []int64 {
	out := make([]int64, len(bounds)+1)
	b := 0
	for _, r := range e.runs {
		for b < len(bounds) && r.Value > bounds[b] {
			b++
		}
		out[b] += r.Count
	}
	return out
}

// Equal reports whether e and o hold the same samples.
func (e *Exact) Equal(o *Exact) bool { return e.n == o.n && slices.Equal(e.runs, o.runs) }
