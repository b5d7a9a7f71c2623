package paths_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/touchpoint"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// shopLog is the log the analyses are worked out on by hand (times in
// minutes):
//
//	ann: visit@0 search@1 visit@2 cart@3 buy@4 visit@100 visit@101
//	bob: visit@0 cart@5 cart@6 help@7
//	cid: search@0 buy@1
//	dan: visit@0
//	eve: buy@0 visit@50
//	fay: search@0 buy@3
//	gil: search@0
func shopLog(t testing.TB) *journey.Log {
	t.Helper()
	var evs []journey.Event
	add := func(cust string, steps ...any) {
		for i := 0; i < len(steps); i += 2 {
			at := t0.Add(time.Duration(steps[i+1].(int)) * time.Minute)
			evs = append(evs, journey.Event{Customer: cust, Time: at, Step: steps[i].(string)})
		}
	}
	add("ann", "visit", 0, "search", 1, "visit", 2, "cart", 3, "buy", 4, "visit", 100, "visit", 101)
	add("bob", "visit", 0, "cart", 5, "cart", 6, "help", 7)
	add("cid", "search", 0, "buy", 1)
	add("dan", "visit", 0)
	add("eve", "buy", 0, "visit", 50)
	add("fay", "search", 0, "buy", 3)
	add("gil", "search", 0)
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func isBuy(e journey.Event) bool { return e.Step == "buy" }

func TestByHand(t *testing.T) {
	l := shopLog(t)
	v, err := paths.CountVariants(l, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// cid and fay searched and bought; everyone else took a route of
	// their own, listed by route compared element by element.
	wantV := []paths.Variant{
		{Route: []string{"search", "buy"}, Customers: 2},
		{Route: []string{"buy", "visit"}, Customers: 1},
		{Route: []string{"search"}, Customers: 1},
		{Route: []string{"visit"}, Customers: 1},
		{Route: []string{"visit", "cart", "cart", "help"}, Customers: 1},
		{Route: []string{"visit", "search", "visit", "cart", "buy", "visit", "visit"}, Customers: 1},
	}
	if diff := cmp.Diff(wantV, v.List()); diff != "" || v.Len() != 6 {
		t.Errorf("variants, %d routes (-want +got):\n%s", v.Len(), diff)
	}

	g, err := paths.CountGoalVariants(l, isBuy, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Routes before the first buy: cid (1 min) and fay (3 min) bought
	// after a search, gil searched and left at once; eve bought first.
	wantG := []paths.GoalVariant{
		{Route: []string{"search"}, Customers: 3, Converted: 2, Rate: 2.0 / 3, Median: time.Minute, MedianToGoal: 2 * time.Minute},
		{Route: []string{}, Customers: 1, Converted: 1, Rate: 1},
		{Route: []string{"visit"}, Customers: 1},
		{Route: []string{"visit", "cart", "cart", "help"}, Customers: 1, Median: 7 * time.Minute},
		{Route: []string{"visit", "search", "visit", "cart"}, Customers: 1, Converted: 1, Rate: 1, Median: 4 * time.Minute, MedianToGoal: 4 * time.Minute},
	}
	if diff := cmp.Diff(wantG, g.List()); diff != "" || g.Customers() != 7 {
		t.Errorf("goal variants of %d customers (-want +got):\n%s", g.Customers(), diff)
	}

	f, err := paths.CountFollows(l, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantE := []paths.Edge{
		{From: "buy", To: "visit", Count: 2}, // ann, eve
		{From: "cart", To: "buy", Count: 1},
		{From: "cart", To: "cart", Count: 1},
		{From: "cart", To: "help", Count: 1},
		{From: "search", To: "buy", Count: 2}, // cid, fay
		{From: "search", To: "visit", Count: 1},
		{From: "visit", To: "cart", Count: 2}, // ann, bob
		{From: "visit", To: "search", Count: 1},
		{From: "visit", To: "visit", Count: 1},
	}
	if diff := cmp.Diff(wantE, f.List()); diff != "" || f.Count("visit", "cart") != 2 || f.Count("help", "visit") != 0 {
		t.Errorf("directly follows (-want +got):\n%s", diff)
	}

	lc, err := paths.CountLoops(l, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// ann visits four times: back after search and after buy (returns),
	// then once right after (a self-loop); bob's cart, cart is a self-loop.
	wantL := []paths.Loop{
		{Name: "buy", Visits: 4, Customers: 4},
		{Name: "cart", Visits: 3, Customers: 2, Repeaters: 1, SelfLoops: 1},
		{Name: "help", Visits: 1, Customers: 1},
		{Name: "search", Visits: 4, Customers: 4},
		{Name: "visit", Visits: 7, Customers: 4, Repeaters: 1, SelfLoops: 1, Returns: 2},
	}
	if diff := cmp.Diff(wantL, lc.List()); diff != "" || lc.Looping() != 2 || lc.Customers() != 7 {
		t.Errorf("loops, %d of %d looping (-want +got):\n%s", lc.Looping(), lc.Customers(), diff)
	}

	fl, err := paths.CountFlows(l, paths.FlowOptions{Anchor: "visit", Depth: 2, Top: -1}, paths.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// ann, bob, dan and eve have a visit; after it ann searches and
	// visits, bob goes to cart twice, dan and eve stop.
	wantF := paths.Flow{
		Customers: 4,
		Nodes: []paths.FlowNode{
			{Level: 0, Name: "visit", Kind: paths.FlowName, Count: 4},
			{Level: 1, Name: "cart", Kind: paths.FlowName, Count: 1}, {Level: 1, Name: "search", Kind: paths.FlowName, Count: 1}, {Level: 1, Name: "(end)", Kind: paths.FlowEnd, Count: 2},
			{Level: 2, Name: "cart", Kind: paths.FlowName, Count: 1}, {Level: 2, Name: "visit", Kind: paths.FlowName, Count: 1}, {Level: 2, Name: "(end)", Kind: paths.FlowEnd, Count: 2},
		},
		Links: []paths.FlowLink{
			{Source: 0, Target: 1, Count: 1}, {Source: 0, Target: 2, Count: 1}, {Source: 0, Target: 3, Count: 2},
			{Source: 1, Target: 4, Count: 1}, {Source: 2, Target: 5, Count: 1}, {Source: 3, Target: 6, Count: 2},
		},
	}
	if diff := cmp.Diff(wantF, fl.Flow(0)); diff != "" || fl.Customers() != 4 {
		t.Errorf("flow after visit (-want +got):\n%s", diff)
	}
}

// randomLog is a seeded log of up to a few hundred events, with ties in
// time and events without channel.
func randomLog(t testing.TB, r *rand.Rand) *journey.Log {
	t.Helper()
	steps := []string{"visit", "search", "cart", "buy", "help"}
	channels := []touchpoint.Channel{"", "web", "email", "store"}
	var evs []journey.Event
	for range r.IntN(300) {
		evs = append(evs, journey.Event{
			Customer: fmt.Sprint("c", r.IntN(40)),
			Time:     t0.Add(time.Duration(r.IntN(50)) * time.Minute),
			Step:     steps[r.IntN(len(steps))],
			Channel:  channels[r.IntN(len(channels))],
		})
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// split returns l's customers dealt at random into k logs.
func split(r *rand.Rand, l *journey.Log, k int) []*journey.Log {
	owner := map[string]int{}
	for c := range l.Customers() {
		owner[l.Customer(c)] = r.IntN(k)
	}
	parts := make([]*journey.Log, k)
	for i := range parts {
		parts[i] = l.Where(journey.OfCustomers(func(c string) bool { return owner[c] == i }))
	}
	return parts
}

// TestMergedPartsEqualTheWhole checks, on random logs, that each
// aggregate counted on parts of the customers and merged in any order
// equals the aggregate of the whole log, and the same whatever the number
// of workers.
func TestMergedPartsEqualTheWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 30 {
		l := randomLog(t, r)
		parts := split(r, l, 3)
		for _, by := range []journey.By{journey.ByStep, journey.ByChannel} {
			opt := paths.Options{By: by, Workers: 1 + r.IntN(3)}
			flow := paths.FlowOptions{Anchor: "search", Depth: 3, Top: -1}
			wantV, _ := paths.CountVariants(l, opt)
			wantG, _ := paths.CountGoalVariants(l, isBuy, opt)
			wantF, _ := paths.CountFollows(l, opt)
			wantL, _ := paths.CountLoops(l, opt)
			wantFl, _ := paths.CountFlows(l, flow, opt)
			var v paths.Variants
			var g paths.GoalVariants
			var f paths.Follows
			var lc paths.Loops
			var fl paths.Flows
			for _, k := range r.Perm(3) {
				p := parts[k]
				pv, _ := paths.CountVariants(p, paths.Options{By: by})
				pg, _ := paths.CountGoalVariants(p, isBuy, paths.Options{By: by})
				pf, _ := paths.CountFollows(p, paths.Options{By: by})
				pl, _ := paths.CountLoops(p, paths.Options{By: by})
				pfl, _ := paths.CountFlows(p, flow, paths.Options{By: by})
				for _, err := range []error{v.Merge(pv), g.Merge(pg), f.Merge(pf), lc.Merge(pl), fl.Merge(pfl)} {
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			for name, d := range map[string]string{
				"variants":      cmp.Diff(wantV.List(), v.List()),
				"goal variants": cmp.Diff(wantG.List(), g.List()),
				"follows":       cmp.Diff(wantF.List(), f.List()),
				"loops":         cmp.Diff(wantL.List(), lc.List()),
				"flows":         cmp.Diff(wantFl.Flow(0), fl.Flow(0)),
			} {
				if d != "" {
					t.Fatalf("trial %d, by %v: merged %s differ from the whole (-whole +merged):\n%s", trial, by, name, d)
				}
			}
		}
	}
}

// TestSameAsTheDeprecatedMethods checks that the journey.Log methods this
// package replaces give the same answers.
func TestSameAsTheDeprecatedMethods(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 10 {
		l := randomLog(t, r)
		for _, by := range []journey.By{journey.ByStep, journey.ByChannel, journey.ByTouchpoint} {
			opt := paths.Options{By: by}
			v, _ := paths.CountVariants(l, opt)
			g, _ := paths.CountGoalVariants(l, isBuy, opt)
			f, _ := paths.CountFollows(l, opt)
			lc, _ := paths.CountLoops(l, opt)
			fl, _ := paths.CountFlows(l, paths.FlowOptions{Depth: 2}, opt)
			var oldV []paths.Variant
			for _, x := range l.Variants(by) {
				oldV = append(oldV, paths.Variant(x))
			}
			var oldG []paths.GoalVariant
			for _, x := range l.GoalVariants(by, isBuy) {
				oldG = append(oldG, paths.GoalVariant(x))
			}
			var oldE []paths.Edge
			for _, x := range l.DirectlyFollows(by) {
				oldE = append(oldE, paths.Edge(x))
			}
			var oldL []paths.Loop
			for _, x := range l.Loops(by) {
				oldL = append(oldL, paths.Loop(x))
			}
			oldF := l.Flows(journey.FlowOptions{By: by, Depth: 2})
			if d := cmp.Diff(oldV, v.List(), cmp.Comparer(sameRoute)); d != "" {
				t.Errorf("by %v: variants (-old +new):\n%s", by, d)
			}
			if d := cmp.Diff(oldG, g.List(), cmp.Comparer(sameRoute)); d != "" {
				t.Errorf("by %v: goal variants (-old +new):\n%s", by, d)
			}
			if d := cmp.Diff(oldE, f.List()); d != "" && len(oldE)+len(f.List()) > 0 {
				t.Errorf("by %v: follows (-old +new):\n%s", by, d)
			}
			if d := cmp.Diff(oldL, lc.List()); d != "" && len(oldL)+len(lc.List()) > 0 {
				t.Errorf("by %v: loops (-old +new):\n%s", by, d)
			}
			newF := fl.Flow(0)
			if oldF.Customers != newF.Customers || len(oldF.Nodes) != len(newF.Nodes) || len(oldF.Links) != len(newF.Links) {
				t.Fatalf("by %v: flows differ: %+v and %+v", by, oldF, newF)
			}
			for i, n := range oldF.Nodes {
				if m := newF.Nodes[i]; n.Level != m.Level || n.Name != m.Name || n.Kind.String() != m.Kind || n.Count != m.Count {
					t.Errorf("by %v: flow node %d: %+v and %+v", by, i, n, m)
				}
			}
			for i, k := range oldF.Links {
				if paths.FlowLink(k) != newF.Links[i] {
					t.Errorf("by %v: flow link %d: %+v and %+v", by, i, k, newF.Links[i])
				}
			}
		}
	}
}

func sameRoute(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) }

func TestErrors(t *testing.T) {
	l := shopLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := paths.Options{Context: ctx}
	bad := paths.Options{By: journey.ByTouchpoint + 1}
	for name, count := range map[string]func(paths.Options) error{
		"variants":      func(o paths.Options) error { _, err := paths.CountVariants(l, o); return err },
		"goal variants": func(o paths.Options) error { _, err := paths.CountGoalVariants(l, isBuy, o); return err },
		"follows":       func(o paths.Options) error { _, err := paths.CountFollows(l, o); return err },
		"loops":         func(o paths.Options) error { _, err := paths.CountLoops(l, o); return err },
		"flows":         func(o paths.Options) error { _, err := paths.CountFlows(l, paths.FlowOptions{}, o); return err },
	} {
		if err := count(done); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
		}
		if err := count(bad); !errors.Is(err, journey.ErrUnknownBy) {
			t.Errorf("%s by an unknown attribute: %v, want ErrUnknownBy", name, err)
		}
		if err := count(paths.Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Counts of different flows do not merge, and a refused merge adds
	// nothing.
	a, _ := paths.CountFlows(l, paths.FlowOptions{Anchor: "visit"}, paths.Options{})
	b, _ := paths.CountFlows(l, paths.FlowOptions{Anchor: "cart"}, paths.Options{})
	if err := a.Merge(b); err == nil || a.Customers() != 4 {
		t.Errorf("merging flows of two anchors: %v, %d customers", err, a.Customers())
	}
	if err := a.Merge(paths.NewFlows(journey.ByChannel, paths.FlowOptions{Anchor: "visit"})); err == nil {
		t.Error("merging flows by step and by channel: no error")
	}
}
