package simulate_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// Walk a small chain: every customer visits the site, some ask for a
// quote, some of those order.
func ExampleRun() {
	var b graph.Builder
	b.Add(graph.Start, "site", 1)
	b.Add("site", "quote", .5)
	b.Add("site", graph.Exit, .5)
	b.Add("quote", graph.Conversion, .6)
	b.Add("quote", graph.Exit, .4)
	g, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	l, err := simulate.Run(g, simulate.Options{Customers: 4, Seed: 7})
	if err != nil {
		log.Fatal(err)
	}
	if err := eventio.WriteCSV(os.Stdout, l, eventio.WriteOptions{}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// customer,time,step,channel,touchpoint,value
	// c0,2025-01-01T00:00:00Z,site,,,
	// c0,2025-01-01T00:00:00Z,(exit),,,
	// c1,2025-01-01T00:00:00Z,site,,,
	// c1,2025-01-01T00:00:00Z,quote,,,
	// c1,2025-01-01T00:00:00Z,(exit),,,
	// c2,2025-01-01T00:00:00Z,site,,,
	// c2,2025-01-01T00:00:00Z,quote,,,
	// c2,2025-01-01T00:00:00Z,(exit),,,
	// c3,2025-01-01T00:00:00Z,site,,,
	// c3,2025-01-01T00:00:00Z,quote,,,
	// c3,2025-01-01T00:00:00Z,(conversion),,,
}

// Build a model from a designed journey with two personas and waiting
// times, then simulate a week of customers.
func ExampleFromMap() {
	m := &journey.Map{
		Name:  "quotes",
		Steps: []journey.Step{{ID: "site", Touchpoints: []string{"web-form"}}, {ID: "call", Touchpoints: []string{"hotline"}}},
		Transitions: []graph.Transition{
			{From: graph.Start, To: "site", Probability: .5},
			{From: graph.Start, To: "call", Probability: .5},
			{From: "site", To: graph.Conversion, Probability: .3},
			{From: "call", To: graph.Conversion, Probability: .4},
		},
		Catalog: touchpoint.Catalog{Touchpoints: []touchpoint.Touchpoint{
			{ID: "web-form", Channel: touchpoint.Web},
			{ID: "hotline", Channel: touchpoint.Phone},
		}},
		Personas: []persona.Persona{
			{ID: "caller", Share: .5, Channels: map[touchpoint.Channel]float64{touchpoint.Phone: 3}},
			{ID: "clicker", Share: .5, Channels: map[touchpoint.Channel]float64{touchpoint.Phone: 0}},
		},
	}
	spec, err := simulate.FromMap(m)
	if err != nil {
		log.Fatal(err)
	}
	spec.Wait = simulate.Exponential(simulate.Hours(4))
	model, err := simulate.New(spec)
	if err != nil {
		log.Fatal(err)
	}
	// The caller enters by phone with odds 3:1 (.5·3 against .5·1).
	g, err := model.Graph("caller")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("caller: P(start → call) = %.2f\n", g.Probability(graph.Start, "call"))
	rate, err := model.ConversionRate()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exact conversion rate: %.4f\n", rate)

	l, err := model.Run(simulate.Options{Customers: 100_000, Seed: 1, Period: 7 * 24 * time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	conv := 0
	for c := range l.Customers() {
		_, hi := l.Span(c)
		if l.Name(journey.ByStep, l.Symbol(journey.ByStep, hi-1)) == graph.Conversion {
			conv++
		}
	}
	fmt.Printf("simulated: %d customers, %d events, conversion rate %.3f\n", l.Customers(), l.Len(), float64(conv)/float64(l.Customers()))
	fmt.Println("first event:", l.Event(0).Step, l.Event(0).Channel, l.Event(0).Props["persona"])
	// Output:
	// caller: P(start → call) = 0.75
	// exact conversion rate: 0.3375
	// simulated: 100000 customers, 200000 events, conversion rate 0.335
	// first event: call phone caller
}

// Compare a chain with the chain in which the sales team answers more
// quote requests: the effect on the conversion rate is known exactly
// (.6·.7 − .6·.5 = .12, and .2 on the steps and on the reach of quote),
// and the intervals over 20 replications cover it.
func ExampleCompare() {
	var b graph.Builder
	b.Add(graph.Start, "request", 1)
	b.Add("request", "quote", .5)
	b.Add("request", graph.Exit, .5)
	b.Add("quote", graph.Conversion, .6)
	b.Add("quote", graph.Exit, .4)
	g, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	base, err := simulate.New(simulate.Spec{Graph: g})
	if err != nil {
		log.Fatal(err)
	}
	faster, err := base.Scale("request", "quote", 1.4) // .5 → .7
	if err != nil {
		log.Fatal(err)
	}
	c, err := simulate.Compare(base, faster, simulate.ReplicateOptions{
		Options:      simulate.Options{Customers: 10_000, Seed: 3},
		Replications: 20,
		Reach:        []string{"quote"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range c.Outcomes {
		fmt.Printf("%-13s %.3f → %.3f  %+.3f [%+.3f, %+.3f]\n", o.Name, o.Baseline.Mean, o.Variant.Mean, o.Diff.Mean, o.Diff.Low, o.Diff.High)
	}
	// Output:
	// conversion    0.301 → 0.420  +0.119 [+0.117, +0.121]
	// steps         1.500 → 1.699  +0.199 [+0.197, +0.201]
	// reach quote   0.500 → 0.699  +0.199 [+0.197, +0.201]
}
