package journey_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// graphLogs caches generated logs across the graph benchmarks: about n
// events each, as bench_test.go generates them.
var (
	graphMu   sync.Mutex
	graphLogs = map[int]*journey.Log{}
)

func graphLog(b *testing.B, n int) *journey.Log {
	b.Helper()
	graphMu.Lock()
	defer graphMu.Unlock()
	if l, ok := graphLogs[n]; ok {
		return l
	}
	l, err := journey.NewLog(gen.Slice(gen.Options{Events: n, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	graphLogs[n] = l
	runtime.GC() // the generated events are garbage: collect them before timing
	return l
}

// reportEvents reports events/s for a loop body that reads n events.
func reportEvents(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

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
					l := graphLog(b, n)
					opt := tc.opt
					opt.Workers = workers
					b.ResetTimer()
					for b.Loop() {
						if _, err := journey.Learn(l, opt); err != nil {
							b.Fatal(err)
						}
					}
					reportEvents(b, l.Len())
				})
			}
		}
	}
}

// orderThree returns an order-3 graph learned from random routes over
// symbols channels (cached): each route has 1 to 20 touches, uniformly
// drawn, and converts with probability 0.03 — about symbols³ states.
func orderThree(b *testing.B, symbols, routes int) *journey.Graph {
	b.Helper()
	key := fmt.Sprint(symbols, routes)
	graphMu.Lock()
	defer graphMu.Unlock()
	if g, ok := graphCache[key]; ok {
		return g
	}
	r := rand.New(rand.NewPCG(uint64(symbols), uint64(routes)))
	names := make([]string, symbols)
	for i := range names {
		names[i] = fmt.Sprintf("ch%02d", i)
	}
	c := journey.TransitionCounts{Order: 3}
	path := make([]string, 0, 20)
	for range routes {
		path = path[:0]
		for range 1 + r.IntN(20) {
			path = append(path, names[r.IntN(symbols)])
		}
		end := journey.Exit
		if r.Float64() < 0.03 {
			end = journey.Conversion
		}
		c.AddPath(path, end, 1)
	}
	g, err := c.Graph()
	if err != nil {
		b.Fatal(err)
	}
	graphCache[key] = g
	return g
}

var graphCache = map[string]*journey.Graph{}

// BenchmarkAbsorbing times the absorbing-chain analysis of order-3 graphs
// of about 10³, 10⁴ and 10⁵ states (one large loop each): absorption into
// Conversion and into Exit, expected steps, and the expected visits from
// Start, on a fresh copy of the graph each time so that nothing is cached.
// The target is 100 ms at 10⁴ states.
func BenchmarkAbsorbing(b *testing.B) {
	for _, tc := range []struct{ symbols, routes int }{{10, 20000}, {22, 200000}, {47, 1000000}} {
		g := orderThree(b, tc.symbols, tc.routes)
		b.Run(fmt.Sprintf("states=%d", g.NumStates()), func(b *testing.B) {
			for b.Loop() {
				c := copyGraph(b, g)
				c.AbsorptionVector(journey.Conversion)
				c.AbsorptionVector(journey.Exit)
				c.ExpectedStepsVector()
				c.VisitsFrom(journey.Start)
			}
			b.ReportMetric(float64(g.NumTransitions()), "transitions")
		})
	}
}

// copyGraph rebuilds g, untimed, so that no figure is cached.
func copyGraph(b *testing.B, g *journey.Graph) *journey.Graph {
	b.StopTimer()
	defer b.StartTimer()
	var gb journey.GraphBuilder
	for t := range g.Transitions() {
		gb.Add(t.From, t.To, g.Weight(t.From, t.To))
	}
	c, err := gb.Build()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkRemovalEffects times what Markov attribution does with a log of
// 10^6 generated events by channel: learn the graph, then the probability
// of conversion with each of the ten channels removed.
func BenchmarkRemovalEffects(b *testing.B) {
	l := graphLog(b, 1e6)
	for _, order := range []int{1, 3} {
		b.Run(fmt.Sprintf("order=%d/events=%d", order, l.Len()), func(b *testing.B) {
			for b.Loop() {
				g, err := journey.Learn(l, journey.LearnOptions{By: journey.ByChannel, Order: order,
					GoalSteps: []string{gen.Purchase}, Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				p := g.Absorption(journey.Start, journey.Conversion)
				for _, ch := range gen.Channels {
					if g.Remove(string(ch)).Absorption(journey.Start, journey.Conversion) > p {
						b.Fatal("removing a channel raised the conversion probability")
					}
				}
			}
			reportEvents(b, l.Len())
		})
	}
}
