package journey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

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
