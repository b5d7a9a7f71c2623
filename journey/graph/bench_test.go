package graph_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

var graphMu sync.Mutex

// orderThree returns an order-3 graph learned from random routes over
// symbols channels (cached): each route has 1 to 20 touches, uniformly
// drawn, and converts with probability 0.03 — about symbols³ states.
func orderThree(b *testing.B, symbols, routes int) *graph.Graph {
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
	c := graph.Counts{Order: 3}
	path := make([]string, 0, 20)
	for range routes {
		path = path[:0]
		for range 1 + r.IntN(20) {
			path = append(path, names[r.IntN(symbols)])
		}
		end := graph.Exit
		if r.Float64() < 0.03 {
			end = graph.Conversion
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

var graphCache = map[string]*graph.Graph{}

// BenchmarkAbsorbing times the absorbing-chain analysis of order-3 graphs
// of about 10³, 10⁴ and 10⁵ states (one large loop each): absorption into
// Conversion and into Exit, expected steps, and the expected visits from
// Start (each solved for every state at once), on a fresh copy of the
// graph each time so that nothing is cached; cpu-ms/op is the CPU time of
// those solves, which load from other processes does not raise.
// The target is 100 ms at 10⁴ states.
func BenchmarkAbsorbing(b *testing.B) {
	for _, tc := range []struct{ symbols, routes int }{{10, 20000}, {22, 200000}, {47, 1000000}} {
		g := orderThree(b, tc.symbols, tc.routes)
		b.Run(fmt.Sprintf("states=%d", g.NumStates()), func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				c := copyGraph(b, g)
				t0, _ := benchlog.CPUTime()
				c.Absorption(graph.Start, graph.Conversion)
				c.Absorption(graph.Start, graph.Exit)
				c.ExpectedSteps(graph.Start)
				c.ExpectedVisits(graph.Start, graph.Start)
				t1, _ := benchlog.CPUTime()
				cpu += t1 - t0
			}
			b.ReportMetric(float64(g.NumTransitions()), "transitions")
			if cpu > 0 {
				b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// copyGraph rebuilds g, untimed, so that no figure is cached.
func copyGraph(b *testing.B, g *graph.Graph) *graph.Graph {
	b.StopTimer()
	defer b.StartTimer()
	var gb graph.Builder
	for t := range g.Transitions() {
		gb.Add(t.From, t.To, g.Weight(t.From, t.To))
	}
	c, err := gb.Build()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkCountsBinary encodes and decodes the order-1 and order-3
// channel transition counts of 10^5 generated customers (10^6 events),
// reporting the encoded bytes per customer and MB/s (b.SetBytes is the
// encoding's size).
func BenchmarkCountsBinary(b *testing.B) {
	l := benchlog.Log(b, gen.Options{Customers: 1e5, Seed: 1})
	for _, order := range []int{1, 3} {
		c := l.CountTransitions(journey.LearnOptions{By: journey.ByChannel, Order: order, GoalSteps: []string{gen.Purchase}})
		enc, _ := c.MarshalBinary()
		b.Run(fmt.Sprintf("order=%d/encode", order), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				if _, err := c.MarshalBinary(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc))/float64(l.Customers()), "bytes/customer")
		})
		b.Run(fmt.Sprintf("order=%d/decode", order), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				var d graph.Counts
				if err := d.UnmarshalBinary(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc))/float64(l.Customers()), "bytes/customer")
		})
	}
}
