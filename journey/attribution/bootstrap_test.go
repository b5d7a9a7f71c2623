package attribution

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func workedTable() []Row {
	return []Row{
		{Touches: []string{"A", "B"}, Conversions: 3, Nulls: 1, Value: 30},
		{Touches: []string{"A", "A", "C"}, Conversions: 1, Nulls: 1, Value: 20},
		{Touches: []string{"B"}, Conversions: 1, Nulls: 3, Value: 5},
		{Touches: []string{"C", "B"}, Conversions: 1, Nulls: 1, Value: 15},
	}
}

func TestBootstrapIsReproducible(t *testing.T) {
	js := workedTable()
	shapley := func(js []Row) (Result, error) { return Shapley(js, ShapleyOptions{}) }
	var first Intervals
	for _, workers := range []int{1, 2, 5} {
		got, err := Bootstrap(js, shapley, BootstrapOptions{Replications: 300, Seed: 42, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			continue
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("workers %d differ from workers 1 (-1 +%d):\n%s", workers, workers, diff)
		}
	}
	other, err := Bootstrap(js, shapley, BootstrapOptions{Replications: 300, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(first, other) {
		t.Error("seeds 42 and 43 gave the same intervals")
	}
}

// TestBootstrapMoments checks the resampling against the multinomial it
// must be: over many replications, a route's resampled converters have
// mean n·p and variance n·p(1−p), and the touches' credits have means near
// the model's result and intervals around it.
func TestBootstrapMoments(t *testing.T) {
	js := []Row{
		{Touches: []string{"a"}, Conversions: 30, Nulls: 70, Value: 300},
		{Touches: []string{"b"}, Conversions: 10, Nulls: 390, Value: 50},
	}
	const reps = 4000
	got, err := Bootstrap(js, LastTouch, BootstrapOptions{Replications: reps, Seed: 1, Level: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	n := 500.0
	for _, tt := range []struct {
		touch string
		conv  float64
		value float64
	}{{"a", 30, 300}, {"b", 10, 50}} {
		p := tt.conv / n
		sd := math.Sqrt(n * p * (1 - p))
		c := got[tt.touch].Conversions
		if math.Abs(c.Mean-tt.conv) > 4*sd/math.Sqrt(reps) {
			t.Errorf("%s: mean %v, want %v ± %v", tt.touch, c.Mean, tt.conv, 4*sd/math.Sqrt(reps))
		}
		if math.Abs(c.StdDev-sd) > 0.1*sd {
			t.Errorf("%s: standard deviation %v, want about %v", tt.touch, c.StdDev, sd)
		}
		// A 90% interval of a near-normal count is about ±1.645 sd.
		if math.Abs(c.Hi-c.Lo-2*1.645*sd) > 0.25*sd || c.Lo > tt.conv || c.Hi < tt.conv {
			t.Errorf("%s: interval [%v, %v], want about %v ± %v", tt.touch, c.Lo, c.Hi, tt.conv, 1.645*sd)
		}
		v := got[tt.touch].Value
		if math.Abs(v.Mean/c.Mean-tt.value/tt.conv) > 1e-9 {
			t.Errorf("%s: value per conversion %v, want the route's mean %v", tt.touch, v.Mean/c.Mean, tt.value/tt.conv)
		}
	}
}

func TestBootstrapErrors(t *testing.T) {
	js := workedTable()
	tests := []struct {
		name   string
		reason string
		js     []Row
		opt    BootstrapOptions
		model  Model
		want   error
	}{
		{"fractional count", "customers are resampled whole", []Row{{Touches: []string{"a"}, Conversions: 0.5}}, BootstrapOptions{}, Linear, ErrNotWhole},
		{"bad journey", "the table is checked", []Row{{Conversions: 1}}, BootstrapOptions{}, Linear, ErrEmptyRoute},
		{"level 1", "a level is below 1", js, BootstrapOptions{Level: 1}, Linear, ErrBadOption},
		{"NaN level", "NaN is not a level", js, BootstrapOptions{Level: math.NaN()}, Linear, ErrBadOption},
		{"negative replications", "replications are counted", js, BootstrapOptions{Replications: -1}, Linear, ErrBadOption},
		{"model error", "the model's errors come through", js, BootstrapOptions{Replications: 10}, func([]Row) (Result, error) {
			return nil, ErrBadOption
		}, ErrBadOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Bootstrap(tt.js, tt.model, tt.opt); !errors.Is(err, tt.want) {
				t.Errorf("%s: error %v, want %v", tt.reason, err, tt.want)
			}
		})
	}
}

func TestBootstrapNoConversion(t *testing.T) {
	got, err := Bootstrap([]Row{{Touches: []string{"a"}, Nulls: 3}}, Linear, BootstrapOptions{Replications: 20})
	if err != nil || len(got) != 0 {
		t.Errorf("no conversion: %v, %v", got, err)
	}
	got, err = Bootstrap(nil, Linear, BootstrapOptions{Replications: 20})
	if err != nil || len(got) != 0 {
		t.Errorf("empty table: %v, %v", got, err)
	}
}

// TestAliasIsExact enumerates every (column, threshold) pair of small
// alias tables: each category must be drawn by exactly weight·k of the
// k·total equally likely pairs.
func TestAliasIsExact(t *testing.T) {
	for _, weights := range [][]uint64{
		{1}, {3, 0, 1}, {0, 0, 5}, {1, 1, 1, 1}, {7, 2, 9, 1, 0, 4}, {1, 1000},
	} {
		a, err := newAlias(weights)
		if err != nil {
			t.Fatal(err)
		}
		hits := make([]uint64, len(weights))
		for j := range a.k {
			for u := range a.total {
				if u < uint64(a.cols[j].cut) {
					hits[j]++
				} else {
					hits[a.cols[j].alias]++
				}
			}
		}
		for c, w := range weights {
			if hits[c] != w*a.k {
				t.Errorf("weights %v: category %d drawn by %d pairs, want %d", weights, c, hits[c], w*a.k)
			}
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5}
	for _, tt := range []struct{ p, want float64 }{{0, 1}, {0.25, 2}, {0.5, 3}, {0.1, 1.4}, {1, 5}} {
		if got := quantile(xs, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
}
