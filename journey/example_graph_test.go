package journey_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// logOf turns routes (one customer each, one event a minute) into a log.
func logOf(routes ...string) *journey.Log {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c, r := range routes {
		for i, step := range strings.Split(r, " > ") {
			evs = append(evs, journey.Event{Customer: fmt.Sprintf("c%02d", c), Time: t0.Add(time.Duration(i) * time.Minute), Step: step})
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		panic(err)
	}
	return l
}

func ExampleLearn() {
	l := logOf(
		"visit > product > cart > purchase",
		"visit > visit > product",
		"ad > visit > product > purchase",
		"visit > cart > visit > cart > purchase",
	)
	g, err := journey.Learn(l, journey.LearnOptions{GoalSteps: []string{"purchase"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := range g.Transitions() {
		fmt.Printf("%-9s -> %-12s %.2f\n", t.From, t.To, t.Probability)
	}
	fmt.Printf("P(conversion) = %.2f, from product %.3f\n",
		g.Absorption(graph.Start, graph.Conversion), g.Absorption("product", graph.Conversion))
	// Output:
	// (start)   -> ad           0.25
	// (start)   -> visit        0.75
	// ad        -> visit        1.00
	// cart      -> (conversion) 0.67
	// cart      -> visit        0.33
	// product   -> (conversion) 0.33
	// product   -> (exit)       0.33
	// product   -> cart         0.33
	// visit     -> cart         0.40
	// visit     -> product      0.60
	// P(conversion) = 0.75, from product 0.639
}

func ExampleLearn_order2() {
	l := logOf("web > email > web > buy", "email > web", "web > web > email")
	g, err := journey.Learn(l, journey.LearnOptions{Order: 2, GoalSteps: []string{"buy"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range g.NumStates() {
		fmt.Printf("%-12s parts %q\n", g.State(i), g.Parts(i))
	}
	// Output:
	// (conversion) parts ["(conversion)"]
	// (exit)       parts ["(exit)"]
	// (start)      parts ["(start)"]
	// email > web  parts ["email" "web"]
	// web > email  parts ["web" "email"]
	// web > web    parts ["web" "web"]
}

// readShoeShop reads the shoe buyer's journey shipped with the shoeshop
// example.
func readShoeShop() *journey.Map {
	f, err := os.Open("../examples/shoeshop/shoeshop.json")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		panic(err)
	}
	return m
}

// The designed shoe journey as a chain: how many buyers reach the
// thank-you page, and in how many steps a walk ends.
func ExampleMap_Graph() {
	m := readShoeShop()
	g, err := m.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	start, _ := g.Index(graph.Start)
	fmt.Printf("%d states, P(thank-you) = %.3f, %.1f steps on average\n",
		g.NumStates(), g.Reach("thank-you")[start], g.ExpectedSteps(graph.Start))
	// Output:
	// 18 states, P(thank-you) = 0.200, 5.2 steps on average
}

// Conformance of observed shoe buyers to the designed shoe journey: which observed transitions the design does not foresee, and which
// designed ones nobody took.
func ExampleMap_Conformance() {
	m := readShoeShop()
	l := logOf(
		"wants-shoes > browses-eshop > checkout > thank-you > awaits-parcel > receives-parcel > tries-shoes > gets-review-newsletter",
		"clicks-ad > browses-eshop > checkout > thank-you > awaits-parcel > receives-parcel > tries-shoes > wants-return > calls-hotline > returns",
		"wants-shoes > clicks-ad > browses-eshop > browses-eshop > checkout > browses-eshop",
		"clicks-ad > checkout > thank-you",
		"wants-shoes > browses-eshop > calls-hotline",
	)
	c, err := m.Conformance(l, journey.ConformanceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("fitness %.3f: %d of %d transitions designed\n", c.Fitness, c.Allowed, c.Observed)
	fmt.Println("observed but not designed:")
	for _, e := range c.Undesigned() {
		fmt.Printf("  %s -> %s (%d)\n", e.From, e.To, e.Count)
	}
	unobserved := c.Unobserved()
	fmt.Printf("designed but not observed: %d transitions, such as\n", len(unobserved))
	for _, e := range unobserved[:3] {
		fmt.Printf("  %s -> %s (designed %.2f)\n", e.From, e.To, e.Probability)
	}
	// Output:
	// fitness 0.882: 30 of 34 transitions designed
	// observed but not designed:
	//   browses-eshop -> calls-hotline (1)
	//   clicks-ad -> checkout (1)
	//   returns -> (exit) (1)
	//   thank-you -> (exit) (1)
	// designed but not observed: 20 transitions, such as
	//   awaits-credit -> (exit) (designed 0.30)
	//   awaits-credit -> gets-review-newsletter (designed 0.70)
	//   awaits-parcel -> calls-hotline (designed 0.05)
}
