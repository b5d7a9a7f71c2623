package funnel

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/parcours-go/parcours/internal/jsonstrict"
	"github.com/parcours-go/parcours/internal/quantile"
)

// Durations is an exact distribution of times to convert: every duration
// observed, kept as sorted (duration, count) runs. Its quantiles are exact
// (nearest rank: always an observed duration) and two Durations merge into
// exactly the distribution of the pooled observations, so reports of a log
// split by customer merge into the report of the whole.
//
// It holds one run per distinct duration; Options.Resolution truncates
// durations (to the second, say) to bound that, keeping every statistic
// exact for the truncated durations. The zero value is empty.
//
// # Error bound and size
//
// Durations is the time-to-convert summary of mergeable reports, and it
// is exact: its error bound is 0, for quantiles, histograms and means
// alike, before and after any merges. Its size is what pays: one run (16
// bytes in memory, 2 to 4 encoded at a resolution of a second, see
// MarshalBinary) per distinct duration, so at most window / Resolution +
// 1 runs per stage whatever the number of customers: with Resolution =
// time.Second and a 30-day window, at most 2,592,001 runs, about 41 MB
// in memory and 5 to 10 MB encoded per stage in the worst case, and in
// practice far fewer (durations cluster). An approximate sketch (KLL,
// t-digest) would be smaller but would make merged quantiles differ from
// the whole log's; the exact runs with a Resolution were kept for that.
type Durations struct {
	q quantile.Exact
}

// durationsOf returns the distribution of samples, in nanoseconds; samples
// is sorted in place.
func durationsOf(samples []int64) Durations { return Durations{quantile.FromSamples(samples)} }

// Count returns the number of durations.
func (d *Durations) Count() int { return int(d.q.Count()) }

// Quantile returns the nearest-rank q-quantile (0 ≤ q ≤ 1): the smallest
// observed duration such that a share q of them are at most it. It returns
// 0 when there is none.
func (d *Durations) Quantile(q float64) time.Duration {
	v, _ := d.q.Quantile(q)
	return time.Duration(v)
}

// Median returns Quantile(0.5): for an even count, the lower middle duration.
func (d *Durations) Median() time.Duration { return d.Quantile(0.5) }

// P90 returns Quantile(0.9).
func (d *Durations) P90() time.Duration { return d.Quantile(0.9) }

// Min returns the shortest duration (0 if none).
func (d *Durations) Min() time.Duration { v, _ := d.q.Min(); return time.Duration(v) }

// Max returns the longest duration (0 if none).
func (d *Durations) Max() time.Duration { v, _ := d.q.Max(); return time.Duration(v) }

// Mean returns the mean duration, rounded to the nanosecond (0 if none).
func (d *Durations) Mean() time.Duration {
	m, _ := d.q.Mean()
	if m = math.Round(m); m >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(m)
}

// DefaultBuckets are the histogram bounds a report's consumers may use:
// a minute, ten minutes, an hour, six hours, a day, three days, a week and
// thirty days.
var DefaultBuckets = []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour,
	24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// Histogram counts the durations in the buckets bounded by bounds, sorted
// ascending: len(bounds)+1 exact counts, for (-∞, bounds[0]],
// (bounds[0], bounds[1]], …, (bounds[last], +∞). Any bounds may be asked
// of the same Durations. It takes O(r + b) time for r runs and b bounds.
func (d *Durations) Histogram(bounds []time.Duration) []int {
	b := make([]int64, len(bounds))
	for i, x := range bounds {
		b[i] = int64(x)
	}
	h := d.q.Histogram(b)
	out := make([]int, len(h))
	for i, c := range h {
		out[i] = int(c)
	}
	return out
}

// All yields each distinct duration with how many times it was observed,
// shortest first.
func (d *Durations) All() iter.Seq2[time.Duration, int] {
	return func(yield func(time.Duration, int) bool) {
		for _, r := range d.q.Runs() {
			if !yield(time.Duration(r.Value), int(r.Count)) {
				return
			}
		}
	}
}

// Merge adds the durations of o to d, exactly, in O(r + s) time for r and
// s runs; o is unchanged. Merges are associative and commutative. It
// always returns nil: Durations carry no options (Report.Merge checks the
// Resolution and the rest of the spec, and the customers of the shards).
func (d *Durations) Merge(o *Durations) error {
	d.q.Merge(o.q)
	return nil
}

// Equal reports whether d and o hold the same durations.
func (d Durations) Equal(o Durations) bool { return d.q.Equal(&o.q) }

// MarshalJSON writes the runs as [[nanoseconds, count], …], shortest first.
func (d Durations) MarshalJSON() ([]byte, error) {
	runs := d.q.Runs()
	out := make([][2]int64, len(runs))
	for i, r := range runs {
		out[i] = [2]int64{r.Value, r.Count}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes, strictly: durations must be
// non-negative and strictly increasing, counts positive.
func (d *Durations) UnmarshalJSON(data []byte) error {
	var pairs [][2]int64
	if err := jsonstrict.Decode(data, &pairs); err != nil {
		return err
	}
	runs := make([]quantile.Run, len(pairs))
	for i, p := range pairs {
		if p[0] < 0 {
			return fmt.Errorf("[%d]: negative duration %d", i, p[0])
		}
		runs[i] = quantile.Run{Value: p[0], Count: p[1]}
	}
	q, err := quantile.FromRuns(runs)
	if err != nil {
		return err
	}
	d.q = q
	return nil
}
