package journey_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
)

// The drunkard's walk of Grinstead and Snell, Introduction to Probability,
// §11.2: from 1, 2 or 3 a step left or right with even odds, until 0 or 4.
func ExampleGraphBuilder() {
	var b journey.GraphBuilder
	for _, i := range []int{1, 2, 3} {
		b.Add(fmt.Sprint(i), fmt.Sprint(i-1), 1)
		b.Add(fmt.Sprint(i), fmt.Sprint(i+1), 1)
	}
	g, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []string{"1", "2", "3"} {
		fmt.Printf("from %s: home (4) %.2f, steps %.0f, visits to 2 %.0f\n",
			s, g.Absorption(s, "4"), g.ExpectedSteps(s), g.ExpectedVisits(s, "2"))
	}
	// Output:
	// from 1: home (4) 0.25, steps 3, visits to 2 1
	// from 2: home (4) 0.50, steps 4, visits to 2 2
	// from 3: home (4) 0.75, steps 3, visits to 2 1
}

func ExampleGraphBuilder_Build_errors() {
	var b journey.GraphBuilder
	b.Add(journey.Start, "browse", 1)
	b.Add("browse", "browse", -2)
	b.Add("browse", "search", 1)
	b.Add("search", "browse", 1)
	_, err := b.Build()
	fmt.Println(err)
	b = journey.GraphBuilder{}
	b.Add(journey.Start, "browse", 1)
	b.Add("browse", "search", 1)
	b.Add("search", "browse", 1)
	_, err = b.Build()
	fmt.Println(err)
	// Output:
	// journey: graph: transition "browse" -> "browse": bad weight: -2 is negative
	// journey: graph: state "(start)": no way out: no route from here reaches an absorbing state
	// journey: graph: state "browse": no way out: no route from here reaches an absorbing state
	// journey: graph: state "search": no way out: no route from here reaches an absorbing state
}

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
		g.Absorption(journey.Start, journey.Conversion), g.Absorption("product", journey.Conversion))
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

// Markov attribution's removal effect: how much of the conversion
// probability is lost when every state containing a channel is removed.
func ExampleGraph_Remove() {
	var c journey.TransitionCounts
	for _, r := range []struct {
		route       string
		conv, nulls float64
	}{{"A > B", 3, 1}, {"A > A > C", 1, 1}, {"B", 1, 3}, {"C > B", 1, 1}} {
		path := strings.Split(r.route, " > ")
		c.AddPath(path, journey.Conversion, r.conv)
		c.AddPath(path, journey.Exit, r.nulls)
	}
	g, err := c.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.Absorption(journey.Start, journey.Conversion)
	fmt.Printf("P(conversion) = %.4f\n", p)
	for _, ch := range []string{"A", "B", "C"} {
		without := g.Remove(ch).Absorption(journey.Start, journey.Conversion)
		fmt.Printf("without %s: %.4f, removal effect %.4f\n", ch, without, 1-without/p)
	}
	// Output:
	// P(conversion) = 0.5000
	// without A: 0.2500, removal effect 0.5000
	// without B: 0.0833, removal effect 0.8333
	// without C: 0.3333, removal effect 0.3333
}

func ExampleGraph_Routes() {
	var b journey.GraphBuilder
	b.Add(journey.Start, "browse", 1)
	b.Add("browse", "cart", 1)
	b.Add("browse", journey.Exit, 1)
	b.Add("cart", "browse", 2)
	b.Add("cart", journey.Conversion, 3)
	g, _ := b.Build()
	for _, r := range g.Routes(journey.RouteOptions{Into: []string{journey.Conversion}, Share: 0.9}) {
		fmt.Printf("%.3f %s\n", r.Probability, strings.Join(r.States, " > "))
	}
	// Output:
	// 0.300 (start) > browse > cart > (conversion)
	// 0.060 (start) > browse > cart > browse > cart > (conversion)
}

// readShoeShop reads the shoe buyer's journey of seed 003, shipped with
// the shoeshop example.
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

// Friction on the designed shoe journey of seed 003: where do customers
// leave, loop, or turn away from the purchase (reaching the thank-you
// page)? And, weighing Julie's emotions, which steps hurt most?
func ExampleGraph_Friction() {
	m := readShoeShop()
	g, err := m.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	goal := []string{"thank-you"}
	fmt.Printf("P(purchase) = %.3f; must pass: %s\n", g.Reach(goal...)[mustIndex(g, journey.Start)], strings.Join(g.MustPass("thank-you"), ", "))
	fmt.Println("state                     traffic  exit  leaving  loops  goal   drop")
	for _, f := range g.Friction(journey.FrictionOptions{Goal: goal, Top: 6}) {
		fmt.Printf("%-25s %7.3f %5.2f %8.3f %6.3f %5.3f %6.3f\n", f.State, f.Traffic, f.Exit, f.Leaving, f.LoopRate, f.Goal, f.Drop)
	}
	fmt.Println("pain points for Julie:")
	for _, f := range g.PainPoints(journey.FrictionOptions{Goal: goal, Emotions: m.Emotions("julie")}) {
		fmt.Printf("%-25s emotion %+d, leaving %.3f, pain %.3f\n", f.State, f.Emotion, f.Leaving, f.Pain)
	}
	// Output:
	// P(purchase) = 0.200; must pass: browses-eshop, checkout
	// state                     traffic  exit  leaving  loops  goal   drop
	// browses-eshop               0.855  0.55    0.470  0.206 0.295  0.063
	// clicks-ad                   0.798  0.30    0.239  0.117 0.206  0.138
	// wants-shoes                 0.600  0.20    0.120  0.000 0.196  0.010
	// gets-review-newsletter      0.190  0.30    0.057  0.201 0.264  0.000
	// rates                       0.076  0.50    0.038  0.091 0.264  0.264
	// tries-shoes                 0.244  0.10    0.024  0.212 0.203  0.000
	// pain points for Julie:
	// tries-shoes               emotion -1, leaving 0.024, pain 0.012
	// awaits-credit             emotion -1, leaving 0.019, pain 0.009
	// wants-return              emotion -2, leaving 0.007, pain 0.007
	// calls-hotline             emotion -1, leaving 0.010, pain 0.005
}

func mustIndex(g *journey.Graph, s string) int {
	i, ok := g.Index(s)
	if !ok {
		panic(s)
	}
	return i
}

// Conformance of observed shoe buyers to the designed journey of seed
// 003: which observed transitions the design does not foresee, and which
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
