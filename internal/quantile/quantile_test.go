package quantile

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuantile(t *testing.T) {
	e := FromSamples([]int64{5, 1, 3, 3, 9, 7, 3, 1, 10, 2})
	// sorted: 1 1 2 3 3 3 5 7 9 10
	for _, tc := range []struct {
		name   string
		reason string
		q      float64
		want   int64
	}{
		{"min", "rank 1 for q ≤ 0", 0, 1},
		{"median", "rank ⌈0.5·10⌉ = 5: the lower middle sample", 0.5, 3},
		{"p90", "rank ⌈0.9·10⌉ = 9, although 0.9·10 rounds above 9 in float64", 0.9, 9},
		{"p91", "rank ⌈9.1⌉ = 10", 0.91, 10},
		{"max", "rank 10", 1, 10},
		{"p10", "rank 1", 0.1, 1},
		{"p11", "rank 2", 0.11, 1},
		{"p21", "rank 3", 0.21, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := e.Quantile(tc.q); !ok || got != tc.want {
				t.Errorf("Quantile(%v) = %d, %v; want %d (%s)", tc.q, got, ok, tc.want, tc.reason)
			}
		})
	}
	if _, ok := (&Exact{}).Quantile(0.5); ok {
		t.Error("an empty summary has no quantile")
	}
	if diff := cmp.Diff([]int64{2, 4, 2, 2}, e.Histogram([]int64{1, 3, 7})); diff != "" {
		t.Errorf("Histogram (-want +got):\n%s", diff)
	}
	if m, _ := e.Mean(); m != 4.4 {
		t.Errorf("Mean = %v, want 4.4", m)
	}
}

func TestMergeEqualsPooled(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		var all []int64
		var merged Exact
		for range 1 + r.IntN(5) {
			var part []int64
			for range r.IntN(30) {
				part = append(part, r.Int64N(20))
			}
			all = append(all, part...)
			merged.Merge(FromSamples(slices.Clone(part)))
		}
		want := FromSamples(all)
		if !want.Equal(&merged) {
			t.Fatalf("merged %v, pooled %v", merged.Runs(), want.Runs())
		}
		for _, q := range []float64{0, 0.25, 0.5, 0.9, 1} {
			a, _ := want.Quantile(q)
			b, _ := merged.Quantile(q)
			if a != b {
				t.Fatalf("quantile %v: %d vs %d", q, a, b)
			}
		}
	}
}

func TestFromRuns(t *testing.T) {
	e, err := FromRuns([]Run{{1, 2}, {4, 1}})
	if err != nil || e.Count() != 3 {
		t.Fatalf("FromRuns = %v, %v", e.Runs(), err)
	}
	for _, runs := range [][]Run{{{1, 0}}, {{2, 1}, {2, 1}}, {{3, 1}, {1, 1}}, {{1, 1 << 62}, {2, 1 << 62}}} {
		if _, err := FromRuns(runs); !errors.Is(err, ErrBadRuns) {
			t.Errorf("FromRuns(%v) = %v, want ErrBadRuns", runs, err)
		}
	}
}

func TestSortSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, n := range []int{0, 5, 1023, 1024, 5000} {
		for _, bound := range []int64{3, 1 << 20, 1 << 62} {
			s := make([]int64, n)
			for i := range s {
				s[i] = r.Int64N(bound)
			}
			want := slices.Clone(s)
			slices.Sort(want)
			sortSamples(s)
			if !slices.Equal(want, s) {
				t.Fatalf("n=%d bound=%d: not sorted", n, bound)
			}
		}
	}
	neg := []int64{5, -3, 2}
	sortSamples(neg)
	if !slices.Equal(neg, []int64{-3, 2, 5}) {
		t.Errorf("negative samples: %v", neg)
	}
}
