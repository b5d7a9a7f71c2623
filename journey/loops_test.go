package journey

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestLoopsByHand(t *testing.T) {
	l := pathsShopLog(t)
	want := []Loop{
		{Name: "buy", Visits: 4, Customers: 4},
		// bob's cart, cart.
		{Name: "cart", Visits: 3, Customers: 2, Repeaters: 1, SelfLoops: 1},
		{Name: "help", Visits: 1, Customers: 1},
		{Name: "search", Visits: 4, Customers: 4},
		// ann: visit@0; visit@2 after search and visit@100 after buy are
		// returns, visit@101 right after visit@100 a self-loop; bob, dan,
		// eve once each.
		{Name: "visit", Visits: 7, Customers: 4, Repeaters: 1, SelfLoops: 1, Returns: 2},
	}
	for _, w := range pathWorkers {
		c := l.CountLoops(ByStep, w)
		if diff := cmp.Diff(want, c.Loops()); diff != "" {
			t.Errorf("%d workers (-want +got):\n%s", w, diff)
		}
		// ann and bob repeat a step; the five others do not.
		if c.Customers() != 7 || c.Looping() != 2 || c.LoopRate() != 2.0/7 {
			t.Errorf("%d workers: %d looping of %d, rate %v; want 2 of 7", w, c.Looping(), c.Customers(), c.LoopRate())
		}
	}
	if diff := cmp.Diff(want, l.Loops(ByStep)); diff != "" {
		t.Errorf("Loops (-want +got):\n%s", diff)
	}
}

// TestLoopsByChannel: events with no channel are transparent, so web,
// (none), web is a self-loop, and a customer with no channel counts as a
// customer who does not loop.
func TestLoopsByChannel(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(0), Step: "x", Channel: touchpoint.Web},
		{Customer: "a", Time: at(1), Step: "y"},
		{Customer: "a", Time: at(2), Step: "z", Channel: touchpoint.Web},
		{Customer: "a", Time: at(3), Step: "z", Channel: touchpoint.Email},
		{Customer: "a", Time: at(4), Step: "z", Channel: touchpoint.Web},
		{Customer: "b", Time: at(0), Step: "x"},
	})
	want := []Loop{
		{Name: "email", Visits: 1, Customers: 1},
		{Name: "web", Visits: 3, Customers: 1, Repeaters: 1, SelfLoops: 1, Returns: 1},
	}
	c := l.CountLoops(ByChannel, 2)
	if diff := cmp.Diff(want, c.Loops()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c.Customers() != 2 || c.Looping() != 1 {
		t.Errorf("%d looping of %d, want 1 of 2", c.Looping(), c.Customers())
	}
}

// naiveLoops is the definition of the loop counts, on paths.
func naiveLoops(l *Log, by By) (loops []Loop, customers, looping int) {
	acc := map[string]*Loop{}
	for p := range l.Paths() {
		customers++
		route := naiveRoute(p.Events, by)
		seen := map[string]int{}
		for i, s := range route {
			if acc[s] == nil {
				acc[s] = &Loop{Name: s}
			}
			a := acc[s]
			a.Visits++
			seen[s]++
			switch {
			case seen[s] == 1:
				a.Customers++
			case route[i-1] == s:
				a.SelfLoops++
			default:
				a.Returns++
			}
			if seen[s] == 2 {
				a.Repeaters++
			}
		}
		for _, n := range seen {
			if n > 1 {
				looping++
				break
			}
		}
	}
	for _, a := range acc {
		loops = append(loops, *a)
	}
	slices.SortFunc(loops, func(a, b Loop) int { return strings.Compare(a.Name, b.Name) })
	return loops, customers, looping
}

func TestLoopsAgreeWithTheDefinition(t *testing.T) {
	for trial, l := range randomLogs(t, 51, 40) {
		for _, by := range []By{ByStep, ByChannel, ByTouchpoint} {
			want, customers, looping := naiveLoops(l, by)
			for _, w := range pathWorkers {
				c := l.CountLoops(by, w)
				if diff := cmp.Diff(want, c.Loops()); diff != "" {
					t.Fatalf("trial %d, by %v, %d workers (-want +got):\n%s", trial, by, w, diff)
				}
				if c.Customers() != customers || c.Looping() != looping {
					t.Fatalf("trial %d, by %v, %d workers: %d looping of %d, want %d of %d", trial, by, w, c.Looping(), c.Customers(), looping, customers)
				}
				for _, lp := range c.Loops() {
					if lp.Visits != lp.Customers+lp.SelfLoops+lp.Returns {
						t.Fatalf("%+v: Visits is not Customers + SelfLoops + Returns", lp)
					}
				}
			}
		}
	}
}

func TestLoopCountsAdd(t *testing.T) {
	var c LoopCounts
	c.Add([]string{"a", "b", "a", "a"}, 3)
	c.Add([]string{"b"}, 1)
	c.Add(nil, 2)
	c.Add([]string{"a", "a"}, 0) // nobody
	want := []Loop{
		{Name: "a", Visits: 9, Customers: 3, Repeaters: 3, SelfLoops: 3, Returns: 3},
		{Name: "b", Visits: 4, Customers: 4},
	}
	if diff := cmp.Diff(want, c.Loops()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c.Customers() != 6 || c.Looping() != 3 || c.LoopRate() != 0.5 {
		t.Errorf("%d looping of %d", c.Looping(), c.Customers())
	}
	// Merged into counts from a log, with other ids.
	l, _ := NewLog([]Event{{Customer: "x", Time: at(0), Step: "b"}, {Customer: "x", Time: at(1), Step: "c"}, {Customer: "x", Time: at(2), Step: "b"}})
	m := l.CountLoops(ByStep, 1)
	m.Merge(&c)
	m.Merge(&LoopCounts{})
	want = []Loop{
		{Name: "a", Visits: 9, Customers: 3, Repeaters: 3, SelfLoops: 3, Returns: 3},
		{Name: "b", Visits: 6, Customers: 5, Repeaters: 1, Returns: 1},
		{Name: "c", Visits: 1, Customers: 1},
	}
	if diff := cmp.Diff(want, m.Loops()); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	if m.Customers() != 7 || m.Looping() != 4 {
		t.Errorf("merged: %d looping of %d", m.Looping(), m.Customers())
	}
}
