package impact_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// benchMap returns the journey of the benchmarks: five stages of four
// steps, 50 touchpoints on eight channels owned by ten departments (five
// channel-focused, four stage-focused, one support), goal steps for the
// four Cs, and routes from each step to the next two, back to the one
// before, and out (12%); a fifth of the customers start in the loyalty
// stage. Paths have about seven events.
func benchMap() *journey.Map {
	stages := []string{"awareness", "consideration", "purchase", "service", "loyalty"}
	chans := []touchpoint.Channel{touchpoint.Web, touchpoint.App, touchpoint.Email, touchpoint.SMS, touchpoint.Social, touchpoint.Phone, touchpoint.Ads, touchpoint.Store}
	m := &journey.Map{Name: "bench"}
	for _, s := range stages {
		m.Stages = append(m.Stages, journey.Stage{ID: s})
	}
	m.Catalog.Departments = []touchpoint.Department{
		{ID: "d0", Focus: touchpoint.ChannelFocus, Channels: chans[0:2]},
		{ID: "d1", Focus: touchpoint.ChannelFocus, Channels: chans[2:4]},
		{ID: "d2", Focus: touchpoint.ChannelFocus, Channels: chans[4:5]},
		{ID: "d3", Focus: touchpoint.ChannelFocus, Channels: chans[5:6]},
		{ID: "d4", Focus: touchpoint.ChannelFocus, Channels: chans[6:8]},
		{ID: "d5", Focus: touchpoint.StageFocus, Stages: stages[0:2]},
		{ID: "d6", Focus: touchpoint.StageFocus, Stages: stages[2:3]},
		{ID: "d7", Focus: touchpoint.StageFocus, Stages: stages[3:4]},
		{ID: "d8", Focus: touchpoint.StageFocus, Stages: stages[4:5]},
		{ID: "d9", Focus: touchpoint.SupportFocus},
	}
	for t := range 50 {
		mix := objectives.Mix{Conversion: float64(t % 3), Connection: float64(t % 2), Consideration: 1, Knowledge: float64(t % 4 / 3)}
		m.Catalog.Touchpoints = append(m.Catalog.Touchpoints, touchpoint.Touchpoint{
			ID: fmt.Sprintf("t%02d", t), Channel: chans[t%len(chans)], Owner: fmt.Sprintf("d%d", t*7%10), Objectives: mix,
		})
	}
	goals := map[int]objectives.Objective{5: objectives.Consideration, 9: objectives.Connection, 10: objectives.Conversion, 13: objectives.Knowledge, 18: objectives.Conversion}
	t := 0
	for i := range 20 {
		st := journey.Step{ID: fmt.Sprintf("s%02d", i), Stage: stages[i/4]}
		for range 2 + (i+1)%2 {
			st.Touchpoints = append(st.Touchpoints, fmt.Sprintf("t%02d", t))
			t++
		}
		if o, ok := goals[i]; ok {
			st.Goals = []objectives.Objective{o}
		}
		m.Steps = append(m.Steps, st)
	}
	m.Transitions = []graph.Transition{
		{From: graph.Start, To: "s00", Probability: 0.5},
		{From: graph.Start, To: "s01", Probability: 0.3},
		{From: graph.Start, To: "s16", Probability: 0.2},
	}
	for i := range 20 {
		from := fmt.Sprintf("s%02d", i)
		if i+1 < 20 {
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: fmt.Sprintf("s%02d", i+1), Probability: 0.5})
		}
		if i+2 < 20 {
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: fmt.Sprintf("s%02d", i+2), Probability: 0.25})
		}
		if i > 0 {
			m.Transitions = append(m.Transitions, graph.Transition{From: from, To: fmt.Sprintf("s%02d", i-1), Probability: 0.13})
		}
	}
	return m
}

// benchEvents walks n customers through the map's graph, one event an
// hour, each at a step through one of its touchpoints picked at random.
func benchEvents(m *journey.Map, n int, seed uint64) iter.Seq[journey.Event] {
	g, err := m.Graph()
	if err != nil {
		panic(err)
	}
	start, _ := g.Index(graph.Start)
	steps := make([]journey.Step, g.NumStates())
	chans := make(map[string]touchpoint.Channel)
	for _, tp := range m.Catalog.Touchpoints {
		chans[tp.ID] = tp.Channel
	}
	for i := range steps {
		steps[i], _ = m.Step(g.State(i))
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(yield func(journey.Event) bool) {
		r := rand.New(rand.NewPCG(seed, 2))
		for c := range n {
			cust := fmt.Sprintf("c%07d", c)
			i := g.Sample(start, r.Float64())
			for k := 0; !g.IsAbsorbing(i); k++ {
				st := &steps[i]
				tp := st.Touchpoints[r.IntN(len(st.Touchpoints))]
				if !yield(journey.Event{Customer: cust, Time: t0.Add(time.Duration(k) * time.Hour), Step: st.ID, Touchpoint: tp, Channel: chans[tp]}) {
					return
				}
				i = g.Sample(i, r.Float64())
			}
		}
	}
}

var (
	benchMu   sync.Mutex
	benchLogs = map[int]*journey.Log{}
)

// benchLog returns the log of n customers of benchMap (cached).
func benchLog(b *testing.B, m *journey.Map, n int) *journey.Log {
	benchMu.Lock()
	defer benchMu.Unlock()
	if l, ok := benchLogs[n]; ok {
		return l
	}
	l, err := journey.NewLogSeq(benchEvents(m, n, 1))
	if err != nil {
		b.Fatal(err)
	}
	benchLogs[n] = l
	return l
}

// BenchmarkScore scores a built log of 10^4, 10^5 and 10^6 customers
// (about seven events each) on one worker, with all four objectives
// weighed: what the 2-second target of one core at 10^6 customers is
// measured on. It reports the process CPU time per operation besides the
// wall time.
func BenchmarkScore(b *testing.B) {
	m := benchMap()
	for _, n := range []int{1e4, 1e5, 1e6} {
		l := benchLog(b, m, n)
		opt := impact.Options{Log: l, Workers: 1, Priorities: objectives.Mix{Conversion: 4, Connection: 2, Consideration: 1, Knowledge: 1}}
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := impact.Score(m, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(l.Len())/float64(n), "events/customer")
			if cpu0 >= 0 {
				b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkScoreDesign scores the designed journey alone: the cost of the
// chains, removals and stage analyses without a log.
func BenchmarkScoreDesign(b *testing.B) {
	m := benchMap()
	opt := impact.Options{Priorities: objectives.Mix{Conversion: 4, Connection: 2, Consideration: 1, Knowledge: 1}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := impact.Score(m, opt); err != nil {
			b.Fatal(err)
		}
	}
}
