package journey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// benchWorkers runs a parallel path analysis at every size with 1 and 2
// workers, reporting events/s.
func benchWorkers(b *testing.B, run func(l *journey.Log, workers int)) {
	for _, n := range benchSizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("events=%d/workers=%d", n, workers), func(b *testing.B) {
				l := benchLog(b, n)
				perEvent(b, l.Len(), func() { run(l, workers) })
			})
		}
	}
}

// benchSequential runs a path transformation at every size.
func benchSequential(b *testing.B, run func(l *journey.Log)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), func() { run(l) })
		})
	}
}

func isGenPurchase(e journey.Event) bool { return e.Step == gen.Purchase }

// BenchmarkFlows counts the flow after the first cart, 5 levels deep:
// every event up to a path's first cart is scanned.
func BenchmarkFlows(b *testing.B) {
	opt := journey.FlowOptions{Anchor: "cart", Depth: 5}
	benchWorkers(b, func(l *journey.Log, w int) { l.CountFlows(opt, w) })
}

// BenchmarkFlowsBackward counts the flow by channel into the first email,
// 5 levels deep.
func BenchmarkFlowsBackward(b *testing.B) {
	opt := journey.FlowOptions{By: journey.ByChannel, Anchor: "email", Backward: true, Depth: 5}
	benchWorkers(b, func(l *journey.Log, w int) { l.CountFlows(opt, w) })
}

// BenchmarkFlowsList adds to the counting of BenchmarkFlows the making of
// the folded Flow.
func BenchmarkFlowsList(b *testing.B) {
	opt := journey.FlowOptions{Anchor: "cart", Depth: 5}
	benchSequential(b, func(l *journey.Log) { l.Flows(opt) })
}

func BenchmarkLoops(b *testing.B) {
	benchWorkers(b, func(l *journey.Log, w int) { l.CountLoops(journey.ByStep, w) })
}

// BenchmarkGoalVariants counts routes by channel towards a purchase. The
// goal function sees every event before a customer's first purchase.
func BenchmarkGoalVariants(b *testing.B) {
	benchWorkers(b, func(l *journey.Log, w int) { l.CountGoalVariants(journey.ByChannel, isGenPurchase, w) })
}

// BenchmarkGoalVariantsNoGoal counts routes by channel with their
// durations: the cost of the statistics over CountVariants.
func BenchmarkGoalVariantsNoGoal(b *testing.B) {
	benchWorkers(b, func(l *journey.Log, w int) { l.CountGoalVariants(journey.ByChannel, nil, w) })
}

// BenchmarkGoalVariantsList adds the sorting, the medians and the
// []GoalVariant result.
func BenchmarkGoalVariantsList(b *testing.B) {
	benchSequential(b, func(l *journey.Log) { l.GoalVariants(journey.ByChannel, isGenPurchase) })
}

// BenchmarkSplitGap splits on a gap of 3 days: no goal function to call.
func BenchmarkSplitGap(b *testing.B) {
	benchSequential(b, func(l *journey.Log) {
		if _, err := l.Split(journey.SplitOptions{Gap: 72 * time.Hour}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSplitGoal splits after each purchase: the goal function sees
// every event.
func BenchmarkSplitGoal(b *testing.B) {
	benchSequential(b, func(l *journey.Log) {
		if _, err := l.Split(journey.SplitOptions{Goal: isGenPurchase}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCleanCollapse collapses repeated channels: a third of the
// events go, so the log's columns are copied.
func BenchmarkCleanCollapse(b *testing.B) {
	opt := journey.CleanOptions{By: journey.ByChannel, Collapse: true}
	benchSequential(b, func(l *journey.Log) {
		if _, err := l.Clean(opt); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCleanRename maps several steps to one by pattern: no event
// goes, only the step column is new.
func BenchmarkCleanRename(b *testing.B) {
	opt := journey.CleanOptions{Patterns: []journey.RenamePattern{{Pattern: "(ad|social|paid|organic)-.*", To: "acquisition"}}}
	benchSequential(b, func(l *journey.Log) {
		if _, err := l.Clean(opt); err != nil {
			b.Fatal(err)
		}
	})
}
