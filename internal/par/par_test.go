package par

import (
	"runtime"
	"slices"
	"testing"
)

func TestWorkers(t *testing.T) {
	g := runtime.GOMAXPROCS(0)
	for _, tt := range []struct{ w, n, want int }{
		{0, 1000, min(g, 1000)}, {-1, 1000, min(g, 1000)}, {3, 2, 2}, {3, 0, 3}, {5, 100, 5}, {0, 0, g},
	} {
		if got := Workers(tt.w, tt.n); got != tt.want {
			t.Errorf("Workers(%d, %d) = %d, want %d", tt.w, tt.n, got, tt.want)
		}
	}
}

func TestRangesKeepOrder(t *testing.T) {
	got := Ranges([]int{0, 3, 3, 10}, func(lo, hi int) [2]int { return [2]int{lo, hi} })
	if !slices.Equal(got, [][2]int{{0, 3}, {3, 3}, {3, 10}}) {
		t.Errorf("Ranges = %v", got)
	}
	if got := Each(1, func(i int) int { return i + 7 }); !slices.Equal(got, []int{7}) {
		t.Errorf("Each(1) = %v", got)
	}
}
