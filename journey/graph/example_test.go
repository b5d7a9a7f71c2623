package graph_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// A route table's conversions and non-converting customers, counted into
// a graph: the probability of converting, the removal effect of a channel
// and the state that loses most customers.
func Example() {
	var c graph.Counts
	c.AddPath([]string{"search", "product"}, graph.Conversion, 30)
	c.AddPath([]string{"search", "product"}, graph.Exit, 70)
	c.AddPath([]string{"ad", "product"}, graph.Conversion, 10)
	c.AddPath([]string{"ad"}, graph.Exit, 90)
	g, err := c.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.Absorption(graph.Start, graph.Conversion)
	effect := 1 - g.Remove("ad").Absorption(graph.Start, graph.Conversion)/p
	worst := g.Friction(graph.FrictionOptions{Top: 1})[0]
	fmt.Printf("P(conversion) %.3f, removal effect of ad %.3f, most leave at %s (%.3f)\n", p, effect, worst.State, worst.Leaving)
	// Output:
	// P(conversion) 0.200, removal effect of ad 0.091, most leave at ad (0.450)
}

// The drunkard's walk of Grinstead and Snell, Introduction to Probability,
// §11.2: from 1, 2 or 3 a step left or right with even odds, until 0 or 4.
func ExampleBuilder() {
	var b graph.Builder
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

func ExampleBuilder_Build_errors() {
	var b graph.Builder
	b.Add(graph.Start, "browse", 1)
	b.Add("browse", "browse", -2)
	b.Add("browse", "search", 1)
	b.Add("search", "browse", 1)
	_, err := b.Build()
	fmt.Println(err)
	b = graph.Builder{}
	b.Add(graph.Start, "browse", 1)
	b.Add("browse", "search", 1)
	b.Add("search", "browse", 1)
	_, err = b.Build()
	fmt.Println(err)
	// Output:
	// graph: transition "browse" -> "browse": bad weight: -2 is negative
	// graph: state "(start)": no way out: no route from here reaches an absorbing state
	// graph: state "browse": no way out: no route from here reaches an absorbing state
	// graph: state "search": no way out: no route from here reaches an absorbing state
}

// Markov attribution's removal effect from a route table: how much of the
// conversion probability is lost when every state containing a channel is
// removed.
func ExampleGraph_Remove() {
	var c graph.Counts
	for _, r := range []struct {
		route       string
		conv, nulls float64
	}{{"A > B", 3, 1}, {"A > A > C", 1, 1}, {"B", 1, 3}, {"C > B", 1, 1}} {
		path := strings.Split(r.route, " > ")
		c.AddPath(path, graph.Conversion, r.conv)
		c.AddPath(path, graph.Exit, r.nulls)
	}
	g, err := c.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.Absorption(graph.Start, graph.Conversion)
	fmt.Printf("P(conversion) = %.4f\n", p)
	for _, ch := range []string{"A", "B", "C"} {
		without := g.Remove(ch).Absorption(graph.Start, graph.Conversion)
		fmt.Printf("without %s: %.4f, removal effect %.4f\n", ch, without, 1-without/p)
	}
	// Output:
	// P(conversion) = 0.5000
	// without A: 0.2500, removal effect 0.5000
	// without B: 0.0833, removal effect 0.8333
	// without C: 0.3333, removal effect 0.3333
}

func ExampleGraph_Routes() {
	var b graph.Builder
	b.Add(graph.Start, "browse", 1)
	b.Add("browse", "cart", 1)
	b.Add("browse", graph.Exit, 1)
	b.Add("cart", "browse", 2)
	b.Add("cart", graph.Conversion, 3)
	g, _ := b.Build()
	for _, r := range g.Routes(graph.RouteOptions{Into: []string{graph.Conversion}, Share: 0.9}) {
		fmt.Printf("%.3f %s\n", r.Probability, strings.Join(r.States, " > "))
	}
	// Output:
	// 0.300 (start) > browse > cart > (conversion)
	// 0.060 (start) > browse > cart > browse > cart > (conversion)
}

// readShoeShop reads the shoe buyer's journey shipped with the shoeshop
// example.
func readShoeShop() *journey.Map {
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
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

// Friction on the designed shoe journey: where do customers
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
	fmt.Printf("P(purchase) = %.3f; must pass: %s\n", g.Reach(goal...)[mustIndex(g, graph.Start)], strings.Join(g.MustPass("thank-you"), ", "))
	fmt.Println("state                     traffic  exit  leaving  loops  goal   drop")
	for _, f := range g.Friction(graph.FrictionOptions{Goal: goal, Top: 6}) {
		fmt.Printf("%-25s %7.3f %5.2f %8.3f %6.3f %5.3f %6.3f\n", f.State, f.Traffic, f.Exit, f.Leaving, f.LoopRate, f.Goal, f.Drop)
	}
	fmt.Println("pain points for Julie:")
	for _, f := range g.Friction(graph.FrictionOptions{Goal: goal, Emotions: m.Emotions("julie"), ByPain: true}) {
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

func mustIndex(g *graph.Graph, s string) int {
	i, ok := g.Index(s)
	if !ok {
		panic(s)
	}
	return i
}

// Counts of two sets of customers, counted apart (on two machines, say),
// merge into the counts of all of them; counts read at another order do
// not merge.
func ExampleCounts_Merge() {
	var monday, tuesday graph.Counts
	monday.AddPath([]string{"web", "email"}, graph.Conversion, 2)
	monday.AddPath([]string{"web"}, graph.Exit, 2)
	tuesday.AddPath([]string{"email"}, graph.Conversion, 1)
	tuesday.AddPath([]string{"web", "email"}, graph.Exit, 1)
	if err := monday.Merge(&tuesday); err != nil {
		fmt.Println(err)
		return
	}
	g, err := monday.Graph()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(web -> email) = %.2f, P(conversion) = %.2f\n", g.Probability("web", "email"), g.Absorption(graph.Start, graph.Conversion))
	pairs := graph.Counts{Order: 2}
	fmt.Println(pairs.Merge(&monday))
	// Output:
	// P(web -> email) = 0.60, P(conversion) = 0.50
	// graph: incompatible counts: cannot merge counts of order 1 (keep repeats false) into counts of order 2 (keep repeats false)
}
