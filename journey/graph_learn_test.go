package journey

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/touchpoint"
)

// shopLog is a small log worked by hand (one event a minute):
//
//	c1: visit, product, cart, purchase
//	c2: visit, visit, product
//	c3: ad, visit, product, purchase
//	c4: visit, cart, visit, cart, purchase
func shopLog(t testing.TB) *Log {
	t.Helper()
	paths := map[string][]string{
		"c1": {"visit", "product", "cart", "purchase"},
		"c2": {"visit", "visit", "product"},
		"c3": {"ad", "visit", "product", "purchase"},
		"c4": {"visit", "cart", "visit", "cart", "purchase"},
	}
	var evs []Event
	for c, steps := range paths {
		for i, s := range steps {
			evs = append(evs, Event{Customer: c, Time: at(i), Step: s, Channel: touchpoint.Web})
		}
	}
	l, err := NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func isPurchase(e Event) bool { return e.Step == "purchase" }

// approx compares floats to 1e-12 relative (or absolute near 0).
var approx = cmpopts.EquateApprox(1e-12, 1e-12)

// relClose reports whether got is within tol of want, relative to want.
func relClose(got, want, tol float64) bool {
	if want == 0 {
		return math.Abs(got) <= tol
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// indexOf returns the index of the state named name in g.
func indexOf(g *graph.Graph, name string) int {
	i, _ := g.Index(name)
	return i
}

// edgeList renders a graph's transitions with their weights and
// probabilities, for comparison.
func edgeList(g *graph.Graph) []string {
	var out []string
	for tr := range g.Transitions() {
		out = append(out, fmt.Sprintf("%s -> %s %.10g %.6f", tr.From, tr.To, g.Weight(tr.From, tr.To), tr.Probability))
	}
	return out
}

func TestLearnHandWorked(t *testing.T) {
	l := shopLog(t)
	tests := []struct {
		name   string
		opt    LearnOptions
		want   []string
		conv   float64 // P(Start → Conversion)
		reason string
	}{
		{"order 1", LearnOptions{Goal: isPurchase}, []string{
			"(start) -> ad 1 0.250000",
			"(start) -> visit 3 0.750000",
			"ad -> visit 1 1.000000",
			"cart -> (conversion) 2 0.666667",
			"cart -> visit 1 0.333333",
			"product -> (conversion) 1 0.333333",
			"product -> (exit) 1 0.333333",
			"product -> cart 1 0.333333",
			"visit -> cart 2 0.400000",
			"visit -> product 3 0.600000",
		}, 0.75, "c2's repeated visit collapses; h(visit) = 3/5·h(product) + 2/5·h(cart) solves to 3/4"},
		{"order 1, repeats kept", LearnOptions{Goal: isPurchase, KeepRepeats: true}, []string{
			"(start) -> ad 1 0.250000",
			"(start) -> visit 3 0.750000",
			"ad -> visit 1 1.000000",
			"cart -> (conversion) 2 0.666667",
			"cart -> visit 1 0.333333",
			"product -> (conversion) 1 0.333333",
			"product -> (exit) 1 0.333333",
			"product -> cart 1 0.333333",
			"visit -> cart 2 0.333333",
			"visit -> product 3 0.500000",
			"visit -> visit 1 0.166667",
		}, 0.75, "a self-loop on visit, which changes no absorption probability"},
		{"order 2", LearnOptions{Order: 2, Goal: isPurchase}, []string{
			"(start) -> ad > visit 1 0.250000",
			"(start) -> visit > cart 1 0.250000",
			"(start) -> visit > product 1 0.250000",
			"(start) -> visit > visit 1 0.250000",
			"ad > visit -> visit > product 1 1.000000",
			"cart > visit -> visit > cart 1 1.000000",
			"product > cart -> (conversion) 1 1.000000",
			"visit > cart -> (conversion) 1 0.500000",
			"visit > cart -> cart > visit 1 0.500000",
			"visit > product -> (conversion) 1 0.333333",
			"visit > product -> (exit) 1 0.333333",
			"visit > product -> product > cart 1 0.333333",
			"visit > visit -> visit > product 1 1.000000",
		}, 0.75, "Start moves straight to the first pair; h(visit > product) = 2/3, the visit ⇄ cart loop converts surely"},
		{"no goal", LearnOptions{}, []string{
			"(start) -> ad 1 0.250000",
			"(start) -> visit 3 0.750000",
			"ad -> visit 1 1.000000",
			"cart -> purchase 2 0.666667",
			"cart -> visit 1 0.333333",
			"product -> (exit) 1 0.333333",
			"product -> cart 1 0.333333",
			"product -> purchase 1 0.333333",
			"purchase -> (exit) 3 1.000000",
			"visit -> cart 2 0.400000",
			"visit -> product 3 0.600000",
		}, 0, "every path ends in Exit; purchase is a state like any other"},
		{"by channel", LearnOptions{By: ByChannel, Goal: isPurchase}, []string{
			"(start) -> web 4 1.000000",
			"web -> (conversion) 3 0.750000",
			"web -> (exit) 1 0.250000",
		}, 0.75, "every event is on the web: one state"},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 3} {
			opt := tt.opt
			opt.Workers = workers
			g, err := Learn(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, edgeList(g)); diff != "" {
				t.Errorf("%s, %d workers (%s) (-want +got):\n%s", tt.name, workers, tt.reason, diff)
			}
			if got := g.Absorption(Start, Conversion); !relClose(got, tt.conv, 1e-12) {
				t.Errorf("%s: P(conversion) = %v, want %v", tt.name, got, tt.conv)
			}
			if g.Order() != opt.order() {
				t.Errorf("%s: Order = %d", tt.name, g.Order())
			}
		}
	}
	// The same with GoalSteps instead of a Goal function.
	for _, order := range []int{1, 2} {
		g1, _ := Learn(l, LearnOptions{Order: order, Goal: isPurchase})
		g2, _ := Learn(l, LearnOptions{Order: order, GoalSteps: []string{"purchase", "no-such-step"}})
		if diff := cmp.Diff(edgeList(g1), edgeList(g2)); diff != "" {
			t.Errorf("order %d: GoalSteps differs from Goal (-Goal +GoalSteps):\n%s", order, diff)
		}
	}
	// Hand-worked absorption probabilities of the order-1 graph.
	g, _ := Learn(l, LearnOptions{Goal: isPurchase})
	for s, want := range map[string]float64{"visit": 3.0 / 4, "cart": 11.0 / 12, "product": 23.0 / 36, "ad": 3.0 / 4} {
		if got := g.Absorption(s, Conversion); !relClose(got, want, 1e-12) {
			t.Errorf("order 1: P(conversion from %s) = %v, want %v", s, got, want)
		}
	}
}

// TestLearnEdgeCases covers paths with no state, skipped empty channels,
// tuples shorter than k, the end markers of simulated logs, and steps
// named like special states.
func TestLearnEdgeCases(t *testing.T) {
	evs := []Event{
		// a: web, (no channel), email, web → web, email, web
		{Customer: "a", Time: at(0), Step: "s1", Channel: touchpoint.Web},
		{Customer: "a", Time: at(1), Step: "s2"},
		{Customer: "a", Time: at(2), Step: "s3", Channel: touchpoint.Email},
		{Customer: "a", Time: at(3), Step: "s1", Channel: touchpoint.Web},
		// b: no channel at all → no state
		{Customer: "b", Time: at(0), Step: "s2"},
		// c: converts at once → no state, straight to Conversion
		{Customer: "c", Time: at(0), Step: "buy", Channel: touchpoint.Web},
		// d: an Exit marker first: the path ends before any state
		{Customer: "d", Time: at(0), Step: Exit},
		{Customer: "d", Time: at(1), Step: "s1", Channel: touchpoint.Web},
		// e: a step shaped like a special state, but none
		{Customer: "e", Time: at(0), Step: "(odd)", Channel: touchpoint.Phone},
		// f: email, then a Conversion marker: converts with no goal given
		{Customer: "f", Time: at(0), Step: "s3", Channel: touchpoint.Email},
		{Customer: "f", Time: at(1), Step: Conversion},
	}
	l, err := NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	buy := func(e Event) bool { return e.Step == "buy" }
	tests := []struct {
		name   string
		opt    LearnOptions
		want   []string
		reason string
	}{
		{"channels", LearnOptions{By: ByChannel, Goal: buy}, []string{
			"(start) -> (conversion) 1 0.166667",
			"(start) -> (exit) 2 0.333333",
			"(start) -> email 1 0.166667",
			"(start) -> phone 1 0.166667",
			"(start) -> web 1 0.166667",
			"email -> (conversion) 1 0.500000",
			"email -> web 1 0.500000",
			"phone -> (exit) 1 1.000000",
			"web -> (exit) 1 0.500000",
			"web -> email 1 0.500000",
		}, "b has no channel, c converts first and d leaves first: they go from Start to their end"},
		{"order 3", LearnOptions{By: ByChannel, Order: 3, Goal: buy}, []string{
			"(start) -> (conversion) 1 0.166667",
			"(start) -> (exit) 2 0.333333",
			"(start) -> email 1 0.166667",
			"(start) -> phone 1 0.166667",
			"(start) -> web > email > web 1 0.166667",
			"email -> (conversion) 1 1.000000",
			"phone -> (exit) 1 1.000000",
			"web > email > web -> (exit) 1 1.000000",
		}, "a path of one channel is a one-part state at order 3"},
	}
	for _, tt := range tests {
		g, err := Learn(l, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, edgeList(g)); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
	// By step, "(odd)" is a state of its own, quoted; the markers are not states.
	g, err := Learn(l, LearnOptions{Goal: buy})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`"(odd)"`, Conversion, Exit, Start, "s1", "s2", "s3"}, g.States()); diff != "" {
		t.Errorf("states by step (-want +got):\n%s", diff)
	}
	i := indexOf(g, `"(odd)"`)
	if diff := cmp.Diff([]string{"(odd)"}, g.Parts(i)); diff != "" {
		t.Errorf("Parts (-want +got):\n%s", diff)
	}
	if g.Probability(`"(odd)"`, Exit) != 1 || g.Probability("s3", Conversion) != 0.5 {
		t.Errorf("transitions by step: %q", edgeList(g))
	}
	// An empty log has no graph.
	empty, _ := NewLog(nil)
	if _, err := Learn(empty, LearnOptions{}); !errors.Is(err, graph.ErrEmptyGraph) {
		t.Errorf("Learn(empty log) = %v, want graph.ErrEmptyGraph", err)
	}
}

// genLog returns a random log of n customers over a few steps and
// channels, some events without a channel, some converting.
func genLog(t testing.TB, r *rand.Rand, n int) *Log {
	steps := []string{"visit", "search", "product", "cart", "call", "buy"}
	chans := []touchpoint.Channel{"", touchpoint.Web, touchpoint.Email, touchpoint.Phone}
	var evs []Event
	for c := range n {
		for i := range 1 + r.IntN(8) {
			s := steps[r.IntN(len(steps))]
			if r.IntN(3) == 0 && i > 0 {
				s = evs[len(evs)-1].Step // repeats
			}
			evs = append(evs, Event{Customer: fmt.Sprintf("c%04d", c), Time: at(i), Step: s,
				Channel: chans[r.IntN(len(chans))], Touchpoint: s + "@" + fmt.Sprint(r.IntN(2))})
		}
	}
	l, err := NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCountTransitionsMatchesPaths checks the counting on symbol ids
// against the same paths read as strings and added with AddPath, and the
// result against the worker count, for every order and option.
func TestCountTransitionsMatchesPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	l := genLog(t, r, 400)
	buy := func(e Event) bool { return e.Step == "buy" }
	for _, by := range []By{ByStep, ByChannel, ByTouchpoint} {
		for order := 1; order <= 3; order++ {
			for _, keep := range []bool{false, true} {
				for _, goal := range []func(Event) bool{nil, buy} {
					opt := LearnOptions{By: by, Order: order, KeepRepeats: keep, Goal: goal}
					ref := graph.Counts{Order: order, KeepRepeats: keep}
					for p := range l.Paths() {
						var path []string
						end := Exit
						for _, e := range p.Events {
							if goal != nil && goal(e) {
								end = Conversion
								break
							}
							var v string
							switch by {
							case ByStep:
								v = e.Step
							case ByChannel:
								v = string(e.Channel)
							case ByTouchpoint:
								v = e.Touchpoint
							}
							if v != "" {
								path = append(path, v)
							}
						}
						ref.AddPath(path, end, 1)
					}
					want, err := ref.Graph()
					if err != nil {
						t.Fatal(err)
					}
					for _, workers := range []int{1, 2, 7} {
						opt.Workers = workers
						got, err := Learn(l, opt)
						if err != nil {
							t.Fatal(err)
						}
						if diff := cmp.Diff(edgeList(want), edgeList(got)); diff != "" {
							t.Fatalf("by %v, order %d, keep %v, goal %v, %d workers (-AddPath +Learn):\n%s", by, order, keep, goal != nil, workers, diff)
						}
					}
				}
			}
		}
	}
}

// TestCountTransitionsMerge splits a log by customer into three logs and
// checks that merging their counts, in any grouping and order, gives the
// counts of the whole.
func TestCountTransitionsMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	whole := genLog(t, r, 300)
	var parts [3][]Event
	for e := range whole.All() {
		k := int(e.Customer[len(e.Customer)-1]-'0') % 3
		parts[k] = append(parts[k], e)
	}
	for _, order := range []int{1, 3} {
		opt := LearnOptions{Order: order, Goal: func(e Event) bool { return e.Step == "buy" }}
		var counts [3]*graph.Counts
		for k := range parts {
			l, err := NewLog(parts[k])
			if err != nil {
				t.Fatal(err)
			}
			counts[k] = l.CountTransitions(opt)
		}
		want, _ := whole.CountTransitions(opt).Graph()
		for _, perm := range [][3]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
			merge := func(into *graph.Counts, from ...*graph.Counts) {
				for _, c := range from {
					if err := into.Merge(c); err != nil {
						t.Fatal(err)
					}
				}
			}
			left := graph.Counts{Order: order} // (a + b) + c
			merge(&left, counts[perm[0]], counts[perm[1]], counts[perm[2]])
			bc := graph.Counts{Order: order} // a + (b + c)
			merge(&bc, counts[perm[1]], counts[perm[2]])
			right := graph.Counts{Order: order}
			merge(&right, counts[perm[0]], &bc)
			for name, c := range map[string]*graph.Counts{"left": &left, "right": &right} {
				got, err := c.Graph()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(edgeList(want), edgeList(got)); diff != "" {
					t.Errorf("order %d, %v %s (-whole +merged):\n%s", order, perm, name, diff)
				}
			}
		}
		var all graph.Counts
		all.Order = order
		for _, c := range counts {
			if err := all.Merge(c); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := all.Len(), whole.CountTransitions(opt).Len(); got != want {
			t.Errorf("order %d: merged Len = %d, whole %d", order, got, want)
		}
	}
}

// TestLearnCancelled checks that a cancelled context stops Learn,
// CountTransitions and Conformance with its error, and that a live one
// changes nothing.
func TestLearnCancelled(t *testing.T) {
	l := genLog(t, rand.New(rand.NewPCG(5, 5)), 10000)
	ctx, cancel := context.WithCancel(context.Background())
	live, err := Learn(l, LearnOptions{Order: 2, Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Learn(l, LearnOptions{Order: 2})
	if diff := cmp.Diff(edgeList(want), edgeList(live)); diff != "" {
		t.Errorf("a live context changed the graph (-without +with):\n%s", diff)
	}
	cancel()
	for _, workers := range []int{1, 2} {
		opt := LearnOptions{Order: 2, Context: ctx, Workers: workers}
		if g, err := Learn(l, opt); g != nil || err != context.Canceled {
			t.Errorf("%d workers: Learn with a cancelled context = %v, %v; want nil, context.Canceled", workers, g, err)
		}
		c := l.CountTransitions(opt)
		if c.Len() >= want.NumTransitions() {
			t.Errorf("%d workers: CountTransitions counted %d transitions of %d: it did not stop", workers, c.Len(), want.NumTransitions())
		}
		if _, err := c.Graph(); !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers: Graph of cancelled counts: %v, want context.Canceled", workers, err)
		}
	}
	m := &Map{Steps: []Step{{ID: "visit"}}}
	if _, err := m.Conformance(l, ConformanceOptions{Context: ctx}); err != context.Canceled {
		t.Errorf("Conformance with a cancelled context: %v, want context.Canceled", err)
	}
}
