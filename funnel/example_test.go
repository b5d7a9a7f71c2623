package funnel_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/touchpoint"
)

func ExampleJourneyMap() {
	m := funnel.JourneyMap().Map("shoes")
	m.Steps = []journey.Step{
		{ID: "sees-ad", Stage: "awareness"},
		{ID: "checkout", Stage: "acquisition"},
	}
	m.Transitions = []graph.Transition{{From: graph.Start, To: "sees-ad"}, {From: "sees-ad", To: "checkout", Probability: 0.1}}
	fmt.Println(funnel.JourneyMap().StageIDs())
	fmt.Println("valid:", m.Validate() == nil)
	// Output:
	// [awareness consideration acquisition service loyalty]
	// valid: true
}

// at returns an event of customer c at minute m of a day.
func at(c string, m int, step string, ch touchpoint.Channel) journey.Event {
	return journey.Event{Customer: c, Time: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute), Step: step, Channel: ch}
}

func exampleLog() *journey.Log {
	l, err := journey.NewLog([]journey.Event{
		at("ann", 0, "visit", touchpoint.Email), at("ann", 10, "cart", touchpoint.Web), at("ann", 30, "buy", touchpoint.Web),
		at("bob", 0, "visit", touchpoint.Social), at("bob", 50, "cart", touchpoint.Web), at("bob", 70, "buy", touchpoint.Web),
		at("cid", 0, "visit", touchpoint.Email), at("cid", 5, "help", touchpoint.Phone),
		at("dan", 5, "cart", touchpoint.Web),
		at("eve", 0, "visit", touchpoint.Web), at("eve", 20, "visit", touchpoint.Email), at("eve", 30, "cart", touchpoint.Web), at("eve", 40, "buy", touchpoint.Web),
	})
	if err != nil {
		panic(err)
	}
	return l
}

func ExampleFunnel_Analyze() {
	f := funnel.Funnel{
		Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("buy")},
		Window: time.Hour,
	}
	rep, err := f.Analyze(exampleLog(), funnel.Options{ListCustomers: true})
	if err != nil {
		panic(err)
	}
	for k, s := range rep.Stages {
		fmt.Printf("%-5s %d reached (%.0f%% of the previous), median %v from the previous, dropped: %v\n",
			s.Name, s.Reached, 100*rep.Stages.FromPrevious(k), s.FromPrevious.Median(), s.DroppedCustomers)
	}
	// Output:
	// visit 4 reached (100% of the previous), median 0s from the previous, dropped: [cid]
	// cart  3 reached (75% of the previous), median 10m0s from the previous, dropped: [bob]
	// buy   2 reached (67% of the previous), median 10m0s from the previous, dropped: []
}

func ExampleFunnel_Level() {
	// ClickHouse's windowFunnel: a later start (8) completes within the
	// window of 10 although the first start (0) does not.
	f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("a"), funnel.Step("b"), funnel.Step("c")}, Window: 10 * time.Second}
	ev := func(sec int, step string) journey.Event {
		return journey.Event{Customer: "x", Time: time.Unix(int64(sec), 0), Step: step}
	}
	fmt.Println(f.Level([]journey.Event{ev(0, "a"), ev(8, "a"), ev(9, "b"), ev(15, "c")}))
	// Output:
	// 3
}

func ExampleOrder() {
	// A, B, another event, then A, B, C: ClickHouse's strict order stops at
	// the other event; PostHog's strict (Consecutive) counts the second try.
	ev := func(sec int, step string) journey.Event {
		return journey.Event{Customer: "x", Time: time.Unix(int64(sec), 0), Step: step}
	}
	events := []journey.Event{ev(0, "a"), ev(1, "b"), ev(2, "other"), ev(3, "a"), ev(4, "b"), ev(5, "c")}
	for _, o := range []funnel.Order{funnel.Ordered, funnel.Strict, funnel.Consecutive, funnel.Unordered} {
		f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("a"), funnel.Step("b"), funnel.Step("c")}, Order: o}
		fmt.Println(o, f.Level(events))
	}
	// Output:
	// ordered 3
	// strict 2
	// consecutive 3
	// unordered 3
}

func ExampleBreakdown() {
	f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("buy")}, Window: time.Hour}
	rep, err := f.Analyze(exampleLog(), funnel.Options{Breakdowns: []funnel.Breakdown{
		{By: funnel.ByChannel}, // the first channel
		{By: funnel.ByChannel, Attribution: funnel.AtStage, Stage: 0}, // the channel of the chain's visit
	}})
	if err != nil {
		panic(err)
	}
	for _, b := range rep.Breakdowns {
		fmt.Println(b.Breakdown.Attribution)
		for _, s := range b.Segments {
			fmt.Printf("  %-6s %d → %d → %d\n", s.Value, s.Stages[0].Reached, s.Stages[1].Reached, s.Stages[2].Reached)
		}
	}
	// Output:
	// first_touch
	//   email  2 → 1 → 1
	//   social 1 → 1 → 0
	//   web    1 → 1 → 1
	// at_stage
	//   email  3 → 2 → 2
	//   social 1 → 1 → 0
}

func ExampleDriverCounts_Drivers() {
	f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("buy")}, Window: time.Hour}
	rep, err := f.Analyze(exampleLog(), funnel.Options{Drivers: &funnel.Drivers{Channels: true}})
	if err != nil {
		panic(err)
	}
	d := rep.Drivers
	fmt.Printf("%d converted, %d did not\n", d.Success, d.Failure)
	for _, dr := range d.Drivers(1) {
		fmt.Printf("%v: %d/%d, odds ratio %.2f\n", dr.Feature, dr.Success, dr.Failure, dr.OddsRatio)
	}
	// Output:
	// 2 converted, 2 did not
	// channel=phone: 0/1, odds ratio 0.33
}

func ExampleReport_Merge() {
	f := funnel.Funnel{Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("cart"), funnel.Step("buy")}, Window: time.Hour}
	l := exampleLog()
	whole, _ := f.Analyze(l, funnel.Options{})
	// Analyse two halves of the customers apart (on two machines, say),
	// then merge: the result is the whole's report.
	a, _ := f.Analyze(l.FilterCustomers(func(c string) bool { return c < "c" }), funnel.Options{})
	b, _ := f.Analyze(l.FilterCustomers(func(c string) bool { return c >= "c" }), funnel.Options{})
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(whole)
	fmt.Println(string(x) == string(y))
	// Output:
	// true
}

func ExamplePreset_Funnel() {
	f, err := funnel.Buyer().Funnel(map[string][]string{
		"trigger":            {"sees-ad"},
		"information-search": {"search", "compare"},
		"evaluation":         {"reads-reviews"},
		"decision":           {"adds-to-cart"},
		"purchase":           {"checkout"},
	})
	if err != nil {
		panic(err)
	}
	f.Window = 30 * 24 * time.Hour
	for _, s := range f.Stages {
		fmt.Println(s.Name)
	}
	// Output:
	// trigger
	// information-search
	// evaluation
	// decision
	// purchase
}
