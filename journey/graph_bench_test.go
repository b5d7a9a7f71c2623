package journey_test

import (
	"fmt"
	"testing"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// BenchmarkLearn learns graphs of steps from generated logs; the target is
// order 1 on 10^7 events in under a second on one core.
func BenchmarkLearn(b *testing.B) {
	isPurchase := func(e journey.Event) bool { return e.Step == gen.Purchase }
	purchase := []string{gen.Purchase}
	for _, tc := range []struct {
		name string
		opt  journey.LearnOptions
	}{
		{"order=1", journey.LearnOptions{}},
		{"order=1/goal", journey.LearnOptions{Goal: isPurchase}},
		{"order=1/goalsteps", journey.LearnOptions{GoalSteps: purchase}},
		{"order=3/goalsteps", journey.LearnOptions{Order: 3, GoalSteps: purchase}},
	} {
		for _, n := range []int{1e5, 1e6, 1e7} {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/events=%d/workers=%d", tc.name, n, workers), func(b *testing.B) {
					l := benchlog.Events(b, n)
					opt := tc.opt
					opt.Workers = workers
					benchlog.PerEvent(b, l.Len(), func() {
						if _, err := journey.Learn(l, opt); err != nil {
							b.Fatal(err)
						}
					})
				})
			}
		}
	}
}

// BenchmarkRemovalEffects times what Markov attribution does with a log of
// 10^6 generated events by channel: learn the graph, then the probability
// of conversion with each of the ten channels removed.
func BenchmarkRemovalEffects(b *testing.B) {
	l := benchlog.Events(b, 1e6)
	for _, order := range []int{1, 3} {
		b.Run(fmt.Sprintf("order=%d/events=%d", order, l.Len()), func(b *testing.B) {
			benchlog.PerEvent(b, l.Len(), func() {
				g, err := journey.Learn(l, journey.LearnOptions{By: journey.ByChannel, Order: order,
					GoalSteps: []string{gen.Purchase}, Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				p := g.Absorption(graph.Start, graph.Conversion)
				for _, ch := range gen.Channels {
					if g.Remove(string(ch)).Absorption(graph.Start, graph.Conversion) > p {
						b.Fatal("removing a channel raised the conversion probability")
					}
				}
			})
		})
	}
}
