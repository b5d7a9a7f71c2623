package journey

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// shopEvents is the small log the path analyses are worked out on by
// hand: one event a minute unless said otherwise (times in minutes).
//
//	ann: visit@0 search@1 visit@2 cart@3 buy@4 visit@100 visit@101
//	bob: visit@0 cart@5 cart@6 help@7
//	cid: search@0 buy@1
//	dan: visit@0
//	eve: buy@0 visit@50
//	fay: search@0 buy@3
//	gil: search@0
func shopEvents() []Event {
	var evs []Event
	add := func(cust string, steps ...any) {
		for i := 0; i < len(steps); i += 2 {
			evs = append(evs, Event{Customer: cust, Time: at(steps[i+1].(int)), Step: steps[i].(string)})
		}
	}
	add("ann", "visit", 0, "search", 1, "visit", 2, "cart", 3, "buy", 4, "visit", 100, "visit", 101)
	add("bob", "visit", 0, "cart", 5, "cart", 6, "help", 7)
	add("cid", "search", 0, "buy", 1)
	add("dan", "visit", 0)
	add("eve", "buy", 0, "visit", 50)
	add("fay", "search", 0, "buy", 3)
	add("gil", "search", 0)
	return evs
}

func pathsShopLog(t testing.TB) *Log {
	t.Helper()
	l, err := NewLog(shopEvents())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func isStep(step string) func(Event) bool {
	return func(e Event) bool { return e.Step == step }
}

// pathWorkers are the worker counts every parallel path analysis is
// checked with: 0 is GOMAXPROCS; more workers than customers is allowed.
var pathWorkers = []int{0, 1, 2, 3, 8}

// randomLogs returns seeded random logs, from empty to a few hundred
// events, with ties in time, empty channels and touchpoints.
func randomLogs(t *testing.T, seed uint64, n int) []*Log {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	var out []*Log
	for range n {
		l, err := NewLog(randomEvents(r, r.IntN(300), 1+r.IntN(40)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// partsOf splits l by customer into k parts at random (some may be
// empty), either sharing l's names or, at random, each with its own.
func partsOf(r *rand.Rand, l *Log, k int) []*Log {
	owner := map[string]int{}
	for c := range l.Customers() {
		owner[l.Customer(c)] = r.IntN(k)
	}
	parts := make([]*Log, k)
	fresh := r.IntN(2) == 0
	for i := range parts {
		parts[i] = l.FilterCustomers(func(c string) bool { return owner[c] == i })
		if fresh {
			// A log of its own, whose names have other ids.
			p, err := NewLog(parts[i].Events())
			if err != nil {
				panic(err)
			}
			parts[i] = p
		}
	}
	return parts
}

// longPath is one customer's path of n events, one a second, cycling
// through k steps.
func longPath(t testing.TB, n, k int) *Log {
	t.Helper()
	var b LogBuilder
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprint("s", i)
	}
	for i := range n {
		if err := b.Add(Event{Customer: "long", Time: t0.Add(time.Duration(i) * time.Second), Step: names[i%k]}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// naiveRoute is a path read by by, the obvious way.
func naiveRoute(events []Event, by By) []string {
	route := []string{}
	for _, e := range events {
		if s := attr(e, by); s != "" {
			route = append(route, s)
		}
	}
	return route
}

func routeKey(route []string) string { return fmt.Sprintf("%q", route) }
