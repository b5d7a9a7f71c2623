package journey

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mergeOrders are the ways the property tests combine three parts:
// left to right, in other orders, and as a tree ((c + a) + (b)).
var mergeOrders = [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}, {2, 0, 1}}

func TestMergedPathAggregatesEqualTheWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	goal := isStep("buy")
	for trial, l := range randomLogs(t, 13, 25) {
		parts := partsOf(r, l, 3)
		for _, by := range []By{ByStep, ByChannel} {
			wantV := l.GoalVariants(by, goal)
			wantL := l.CountLoops(by, 1)
			flowOpts := []FlowOptions{
				{By: by},
				{By: by, Anchor: l.Name(by, 0), Depth: 3},
				{By: by, Anchor: l.Name(by, 0), Backward: true, Depth: 4},
				{By: by, Backward: true, Depth: 2},
			}
			for _, order := range mergeOrders {
				// Sequential merges in this order.
				var v GoalVariantCounts
				var lc LoopCounts
				for _, k := range order {
					v.Merge(parts[k].CountGoalVariants(by, goal, 1))
					lc.Merge(parts[k].CountLoops(by, 2))
				}
				if diff := cmp.Diff(wantV, v.Variants(), equateEmptyProps); diff != "" {
					t.Fatalf("trial %d, by %v, order %v: goal variants (-want +got):\n%s", trial, by, order, diff)
				}
				if diff := cmp.Diff(wantL.Loops(), lc.Loops()); diff != "" || lc.Customers() != wantL.Customers() || lc.Looping() != wantL.Looping() {
					t.Fatalf("trial %d, by %v, order %v: loops %d/%d, want %d/%d (-want +got):\n%s", trial, by, order,
						lc.Looping(), lc.Customers(), wantL.Looping(), wantL.Customers(), diff)
				}
				// A tree: (last + first) + middle.
				var a, b GoalVariantCounts
				a.Merge(parts[order[2]].CountGoalVariants(by, goal, 2))
				a.Merge(parts[order[0]].CountGoalVariants(by, goal, 1))
				b.Merge(parts[order[1]].CountGoalVariants(by, goal, 3))
				b.Merge(&a)
				if diff := cmp.Diff(wantV, b.Variants(), equateEmptyProps); diff != "" {
					t.Fatalf("trial %d, by %v, tree %v: goal variants (-want +got):\n%s", trial, by, order, diff)
				}
				for _, opt := range flowOpts {
					var f FlowCounts
					for _, k := range order {
						if err := f.Merge(parts[k].CountFlows(opt, 2)); err != nil {
							t.Fatal(err)
						}
					}
					for _, top := range []int{-1, 1, 2} {
						if diff := cmp.Diff(l.CountFlows(opt, 1).Flow(top), f.Flow(top)); diff != "" {
							t.Fatalf("trial %d, %+v, top %d, order %v: flow (-want +got):\n%s", trial, opt, top, order, diff)
						}
					}
				}
			}
		}
	}
}

func TestEmptyLogPathAnalyses(t *testing.T) {
	l, err := NewLog(nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.Split(SplitOptions{Gap: time.Minute, Goal: isStep("x")})
	if err != nil || s.Len() != 0 || s.Customers() != 0 {
		t.Errorf("Split of an empty log: %v, %d events", err, s.Len())
	}
	c, err := l.Clean(CleanOptions{Rename: map[string]string{"a": "b"}, Drop: []string{"b"}, Collapse: true})
	if err != nil || c.Len() != 0 {
		t.Errorf("Clean of an empty log: %v, %d events", err, c.Len())
	}
	for _, w := range pathWorkers {
		if v := l.CountGoalVariants(ByStep, isStep("x"), w); v.Len() != 0 || len(v.Variants()) != 0 || v.Customers() != 0 {
			t.Errorf("%d workers: goal variants of nothing", w)
		}
		if f := l.CountFlows(FlowOptions{}, w).Flow(0); f.Customers != 0 || f.Nodes != nil || f.Links != nil {
			t.Errorf("%d workers: flow of nothing: %+v", w, f)
		}
		if lc := l.CountLoops(ByTouchpoint, w); lc.Loops() != nil || lc.Customers() != 0 || lc.LoopRate() != 0 {
			t.Errorf("%d workers: loops of nothing", w)
		}
	}
}

// TestSingleEventPaths: every path is one event. Nothing loops, every
// route has one name, flows end at level 2.
func TestSingleEventPaths(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(0), Step: "x"},
		{Customer: "b", Time: at(0), Step: "x"},
		{Customer: "c", Time: at(0), Step: "y"},
	})
	wantV := []GoalVariant{
		{Route: []string{"x"}, Customers: 2},
		{Route: []string{}, Customers: 1, Converted: 1, Rate: 1},
	}
	if diff := cmp.Diff(wantV, l.GoalVariants(ByStep, isStep("y"))); diff != "" {
		t.Errorf("goal variants (-want +got):\n%s", diff)
	}
	lc := l.CountLoops(ByStep, 2)
	if lc.Looping() != 0 || lc.Customers() != 3 {
		t.Errorf("loops: %d looping of %d", lc.Looping(), lc.Customers())
	}
	wantF := Flow{
		Customers: 3,
		Nodes: []FlowNode{
			{Level: 0, Name: "(start)", Kind: FlowStart, Count: 3},
			{Level: 1, Name: "x", Count: 2},
			{Level: 1, Name: "y", Count: 1},
		},
		Links: []FlowLink{{Source: 0, Target: 1, Count: 2}, {Source: 0, Target: 2, Count: 1}},
	}
	if diff := cmp.Diff(wantF, l.Flows(FlowOptions{})); diff != "" {
		t.Errorf("flow: the level after the last event is left out (-want +got):\n%s", diff)
	}
	s, _ := l.Split(SplitOptions{Gap: 1, Goal: isStep("x")})
	if got := s.Customers(); got != 3 {
		t.Errorf("split: %d journeys, want 3", got)
	}
}

// TestMillionEventPath runs every analysis on one path of 10^6 events;
// a quadratic step would not finish.
func TestMillionEventPath(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	const n = 1_000_000
	l := longPath(t, n, 7)
	s, err := l.Split(SplitOptions{Gap: 30 * time.Minute})
	if err != nil || s.Customers() != 1 {
		t.Fatalf("a path with no gap is one journey: %v, %d", err, s.Customers())
	}
	s, _ = l.Split(SplitOptions{Goal: isStep("s6")})
	if got, want := s.Customers(), n/7+1; got != want {
		t.Errorf("split after every s6: %d journeys, want %d", got, want)
	}
	v := l.GoalVariants(ByStep, isStep("s6"))
	if len(v) != 1 || len(v[0].Route) != 6 || v[0].Converted != 1 || v[0].Median != 6*time.Second {
		t.Errorf("goal variants: %+v", v)
	}
	v = l.GoalVariants(ByStep, nil)
	if len(v) != 1 || len(v[0].Route) != n || v[0].Median != (n-1)*time.Second {
		t.Errorf("goal variants without goal: %d routes", len(v))
	}
	loops := l.Loops(ByStep)
	if len(loops) != 7 || loops[0].Visits != n/7+1 || loops[0].Returns != n/7 {
		t.Errorf("loops: %+v", loops[0])
	}
	f := l.Flows(FlowOptions{Depth: n + 5, Top: -1})
	if len(f.Nodes) != n+1 || len(f.Links) != n || f.Links[n-1].Count != 1 {
		t.Errorf("deep flow: %d nodes, %d links", len(f.Nodes), len(f.Links))
	}
	c, err := l.Clean(CleanOptions{Patterns: []RenamePattern{{Pattern: "s[0-5]", To: "s"}}, Collapse: true})
	if err != nil || c.Len() != 2*(n/7)+1 {
		t.Errorf("clean: %v, %d events, want %d", err, c.Len(), 2*(n/7)+1)
	}
}

// TestManyDistinctSteps runs every analysis on 10^5 distinct steps: the
// dense counters must give way to sparse ones.
func TestManyDistinctSteps(t *testing.T) {
	const k = 100_000
	l := longPath(t, 2*k, k) // s0 … s99999 twice
	loops := l.Loops(ByStep)
	if len(loops) != k || loops[0] != (Loop{Name: "s0", Visits: 2, Customers: 1, Repeaters: 1, Returns: 1}) {
		t.Errorf("loops: %d names, first %+v", len(loops), loops[0])
	}
	f := l.Flows(FlowOptions{Anchor: "s5", Depth: 3})
	want := []string{"s5", "s6", "s7", "s8"}
	var got []string
	for _, nd := range f.Nodes {
		got = append(got, nd.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flow nodes (-want +got):\n%s", diff)
	}
	f = l.Flows(FlowOptions{Backward: true, Depth: 2})
	if len(f.Nodes) != 3 || f.Nodes[0].Name != fmt.Sprint("s", k-2) {
		t.Errorf("backward flow: %+v", f.Nodes)
	}
	v := l.CountGoalVariants(ByStep, isStep("s99999"), 2).Variants()
	if len(v) != 1 || len(v[0].Route) != k-1 || v[0].Converted != 1 {
		t.Errorf("goal variants: %d routes", len(v))
	}
	c, err := l.Clean(CleanOptions{Patterns: []RenamePattern{{Pattern: `s\d*[02468]`, To: "even"}}, Drop: []string{"even"}})
	if err != nil || c.Len() != k || c.NumNames(ByStep) != k/2+1 {
		t.Errorf("clean: %v, %d events, %d names", err, c.Len(), c.NumNames(ByStep))
	}
}
