package pathcount

import (
	"slices"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	const maxD = time.Duration(1<<63 - 1)
	tests := []struct {
		name   string
		reason string
		in     []time.Duration
		want   time.Duration
	}{
		{"none", "an empty set has median 0", nil, 0},
		{"odd", "the middle value once sorted", []time.Duration{5, 1, 3}, 3},
		{"even", "the mean of the two middle values", []time.Duration{4, 1, 2, 9}, 3},
		{"even, rounded down", "(2+3)/2 rounds down to 2", []time.Duration{3, 2}, 2},
		{"negative, rounded down", "(-3-2)/2 rounds down to -3", []time.Duration{-3, -2}, -3},
		{"huge", "the mean of two huge durations does not overflow", []time.Duration{maxD, maxD - 2}, maxD - 1},
	}
	for _, tt := range tests {
		if got := Median(slices.Clone(tt.in)); got != tt.want {
			t.Errorf("%s: Median(%v) = %v, want %v (%s)", tt.name, tt.in, got, tt.want, tt.reason)
		}
	}
	if got := span(-1<<63, 1<<63-1); got != maxD {
		t.Errorf("span of the whole range = %v, want it saturated", got)
	}
}
