package journey

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestGoalVariantsByHand(t *testing.T) {
	l := pathsShopLog(t)
	tests := []struct {
		name   string
		reason string
		by     By
		goal   func(Event) bool
		want   []GoalVariant
	}{
		{
			name: "buy",
			reason: "routes stop before the first buy: cid and fay converted on [search] after 1 and 3 minutes, " +
				"gil did not after 0, so the median of {0, 1, 3} is 1 and of {1, 3} is 2; eve's first event is the buy; " +
				"ann's visits after her buy are not in her route; bob sorts before ann by cart < search",
			by:   ByStep,
			goal: isStep("buy"),
			want: []GoalVariant{
				{Route: []string{"search"}, Customers: 3, Converted: 2, Rate: 2.0 / 3, Median: time.Minute, MedianToGoal: 2 * time.Minute},
				{Route: []string{}, Customers: 1, Converted: 1, Rate: 1},
				{Route: []string{"visit"}, Customers: 1},
				{Route: []string{"visit", "cart", "cart", "help"}, Customers: 1, Median: 7 * time.Minute},
				{Route: []string{"visit", "search", "visit", "cart"}, Customers: 1, Converted: 1, Rate: 1, Median: 4 * time.Minute, MedianToGoal: 4 * time.Minute},
			},
		},
		{
			name:   "no goal",
			reason: "nobody converts; durations run to the last event: ann's is 101 minutes, eve's 50",
			by:     ByStep,
			want: []GoalVariant{
				{Route: []string{"search", "buy"}, Customers: 2, Median: 2 * time.Minute},
				{Route: []string{"buy", "visit"}, Customers: 1, Median: 50 * time.Minute},
				{Route: []string{"search"}, Customers: 1},
				{Route: []string{"visit"}, Customers: 1},
				{Route: []string{"visit", "cart", "cart", "help"}, Customers: 1, Median: 7 * time.Minute},
				{Route: []string{"visit", "search", "visit", "cart", "buy", "visit", "visit"}, Customers: 1, Median: 101 * time.Minute},
			},
		},
		{
			name:   "goal nobody reaches",
			reason: "a goal that is never true is the same as no goal",
			by:     ByStep,
			goal:   isStep("refund"),
			want: []GoalVariant{
				{Route: []string{"search", "buy"}, Customers: 2, Median: 2 * time.Minute},
				{Route: []string{"buy", "visit"}, Customers: 1, Median: 50 * time.Minute},
				{Route: []string{"search"}, Customers: 1},
				{Route: []string{"visit"}, Customers: 1},
				{Route: []string{"visit", "cart", "cart", "help"}, Customers: 1, Median: 7 * time.Minute},
				{Route: []string{"visit", "search", "visit", "cart", "buy", "visit", "visit"}, Customers: 1, Median: 101 * time.Minute},
			},
		},
		{
			name:   "goal on the first event",
			reason: "every customer converts on the empty route at once",
			by:     ByChannel,
			goal:   func(Event) bool { return true },
			want:   []GoalVariant{{Route: []string{}, Customers: 7, Converted: 7, Rate: 1}},
		},
	}
	for _, tt := range tests {
		for _, w := range pathWorkers {
			got := l.CountGoalVariants(tt.by, tt.goal, w).Variants()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s, %d workers (%s) (-want +got):\n%s", tt.name, w, tt.reason, diff)
			}
		}
	}
}

// TestGoalVariantsByChannel: the route leaves out events with no channel,
// but the goal sees them, and the duration starts at the path's first
// event whatever its channel.
func TestGoalVariantsByChannel(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(0), Step: "call"},
		{Customer: "a", Time: at(2), Step: "visit", Channel: touchpoint.Web},
		{Customer: "a", Time: at(3), Step: "sms", Channel: touchpoint.SMS},
		{Customer: "a", Time: at(10), Step: "buy"},
		{Customer: "a", Time: at(12), Step: "visit", Channel: touchpoint.Web},
		{Customer: "b", Time: at(0), Step: "visit", Channel: touchpoint.Web},
		{Customer: "b", Time: at(6), Step: "sms", Channel: touchpoint.SMS},
		{Customer: "b", Time: at(7), Step: "buy"},
		{Customer: "c", Time: at(0), Step: "visit", Channel: touchpoint.Web},
		{Customer: "c", Time: at(30), Step: "sms", Channel: touchpoint.SMS},
	})
	want := []GoalVariant{
		{Route: []string{"web", "sms"}, Customers: 3, Converted: 2, Rate: 2.0 / 3, Median: 10 * time.Minute, MedianToGoal: 8*time.Minute + 30*time.Second},
	}
	if diff := cmp.Diff(want, l.GoalVariants(ByChannel, isStep("buy"))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// naiveGoalVariants is the definition of GoalVariants, on paths.
func naiveGoalVariants(l *Log, by By, goal func(Event) bool) []GoalVariant {
	type acc struct {
		route      []string
		durs, conv []time.Duration
	}
	accs := map[string]*acc{}
	for p := range l.Paths() {
		cut := len(p.Events)
		for i, e := range p.Events {
			if goal != nil && goal(e) {
				cut = i
				break
			}
		}
		route := naiveRoute(p.Events[:cut], by)
		end := p.Events[len(p.Events)-1].Time
		if cut < len(p.Events) {
			end = p.Events[cut].Time
		}
		d := end.Sub(p.Events[0].Time)
		a := accs[routeKey(route)]
		if a == nil {
			a = &acc{route: route}
			accs[routeKey(route)] = a
		}
		a.durs = append(a.durs, d)
		if cut < len(p.Events) {
			a.conv = append(a.conv, d)
		}
	}
	med := func(d []time.Duration) time.Duration {
		if len(d) == 0 {
			return 0
		}
		d = slices.Sorted(slices.Values(d))
		if len(d)%2 == 1 {
			return d[len(d)/2]
		}
		return (d[len(d)/2-1] + d[len(d)/2]) / 2 // small durations: no overflow
	}
	var out []GoalVariant
	for _, a := range accs {
		out = append(out, GoalVariant{
			Route: a.route, Customers: len(a.durs), Converted: len(a.conv),
			Rate:   float64(len(a.conv)) / float64(len(a.durs)),
			Median: med(a.durs), MedianToGoal: med(a.conv),
		})
	}
	slices.SortFunc(out, func(a, b GoalVariant) int {
		if a.Customers != b.Customers {
			return b.Customers - a.Customers
		}
		return slices.Compare(a.Route, b.Route)
	})
	return out
}

func TestGoalVariantsAgreeWithTheDefinition(t *testing.T) {
	goals := map[string]func(Event) bool{
		"nil":   nil,
		"buy":   isStep("buy"),
		"value": func(e Event) bool { return e.Value > 20 },
		"email": func(e Event) bool { return e.Channel == touchpoint.Email },
	}
	for trial, l := range randomLogs(t, 21, 40) {
		for _, by := range []By{ByStep, ByChannel, ByTouchpoint} {
			for gname, goal := range goals {
				want := naiveGoalVariants(l, by, goal)
				for _, w := range pathWorkers {
					if diff := cmp.Diff(want, l.CountGoalVariants(by, goal, w).Variants(), equateEmptyProps); diff != "" {
						t.Fatalf("trial %d, by %v, goal %s, %d workers (-want +got):\n%s", trial, by, gname, w, diff)
					}
				}
			}
			// Without a goal, routes and counts are those of Variants.
			var plain []Variant
			for _, v := range l.GoalVariants(by, nil) {
				plain = append(plain, Variant{Route: v.Route, Customers: v.Customers})
			}
			if diff := cmp.Diff(l.Variants(by), plain, equateEmptyProps); diff != "" {
				t.Fatalf("trial %d, by %v: no goal differs from Variants (-want +got):\n%s", trial, by, diff)
			}
		}
	}
}

func TestGoalVariantCountsAdd(t *testing.T) {
	var v GoalVariantCounts
	v.Add([]string{"a", "b"}, true, 4*time.Second)
	v.Add([]string{"a", "b"}, false, 1*time.Second)
	v.Add([]string{"a", "b"}, true, 2*time.Second)
	v.Add([]string{"a", "b"}, false, 9*time.Second)
	v.Add(nil, false, -time.Second)
	want := []GoalVariant{
		{Route: []string{"a", "b"}, Customers: 4, Converted: 2, Rate: 0.5, Median: 3 * time.Second, MedianToGoal: 3 * time.Second},
		{Route: []string{}, Customers: 1, Median: -time.Second},
	}
	if diff := cmp.Diff(want, v.Variants()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if v.Len() != 2 || v.Customers() != 5 {
		t.Errorf("Len, Customers = %d, %d", v.Len(), v.Customers())
	}
	// Merging into counts made by a log translates names.
	l, _ := NewLog([]Event{{Customer: "x", Time: at(0), Step: "b"}, {Customer: "x", Time: at(1), Step: "a"}})
	w := l.CountGoalVariants(ByStep, nil, 2)
	w.Merge(&v)
	w.Merge(&GoalVariantCounts{})
	want = []GoalVariant{
		{Route: []string{"a", "b"}, Customers: 4, Converted: 2, Rate: 0.5, Median: 3 * time.Second, MedianToGoal: 3 * time.Second},
		{Route: []string{}, Customers: 1, Median: -time.Second},
		{Route: []string{"b", "a"}, Customers: 1, Median: time.Minute},
	}
	if diff := cmp.Diff(want, w.Variants()); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
}
