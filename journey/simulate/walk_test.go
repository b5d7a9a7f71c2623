package simulate_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/touchpoint"
)

// line: start → a → b → conversion, no choice.
func line(t testing.TB) *graph.Graph {
	return build(t,
		graph.Transition{From: S, To: "a", Probability: 1},
		graph.Transition{From: "a", To: "b", Probability: 1},
		graph.Transition{From: "b", To: C, Probability: 1},
	)
}

func TestEventsOfAWalk(t *testing.T) {
	start := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	m := must(simulate.New(simulate.Spec{
		Graph:       line(t),
		Touchpoints: map[string][]touchpoint.Touchpoint{"b": {{ID: "shop", Channel: touchpoint.Store}}},
		Wait:        simulate.Fixed(float64(time.Hour)),
		Values:      map[string]simulate.Dist{C: simulate.Fixed(5)},
	}))
	m = must(m.WithWait("b", simulate.Fixed(float64(30*time.Minute+7))))
	m = must(m.WithValue("a", simulate.Fixed(.25)))
	l, err := m.Run(simulate.Options{Customers: 2, Seed: 1, Start: start, Prefix: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var want []journey.Event
	for _, c := range []string{"x0", "x1"} {
		want = append(want,
			journey.Event{Customer: c, Time: start, Step: "a", Value: .25},
			journey.Event{Customer: c, Time: start.Add(time.Hour), Step: "b", Channel: touchpoint.Store, Touchpoint: "shop"},
			journey.Event{Customer: c, Time: start.Add(90*time.Minute + 7), Step: C, Value: 5},
		)
	}
	if diff := cmp.Diff(want, l.Events()); diff != "" {
		t.Errorf("the states visited, not the start, then the end; each event the previous step's wait after the one before, to the nanosecond (-want +got):\n%s", diff)
	}
}

func TestMaxSteps(t *testing.T) {
	// a ⇄ b, leaving from a once in a thousand times.
	g := build(t,
		graph.Transition{From: S, To: "a", Probability: 1},
		graph.Transition{From: "a", To: "b", Probability: .999},
		graph.Transition{From: "a", To: X, Probability: .001},
		graph.Transition{From: "b", To: "a", Probability: 1},
	)
	tests := []struct {
		name, reason string
		max, want    int // the cap, and the most step events a walk has
	}{
		{"three", "walks still going after 3 states end in an exit", 3, 3},
		{"default", "0 means 1000", 0, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := simulate.Run(g, simulate.Options{Customers: 200, Seed: 41, MaxSteps: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			longest, capped := 0, 0
			for p := range l.Paths() {
				n := len(p.Events) - 1
				longest = max(longest, n)
				if end := p.Events[n].Step; end != X {
					t.Fatalf("a walk ends in %q", end)
				}
				if n == tt.want {
					capped++
				}
			}
			if longest != tt.want || capped == 0 {
				t.Errorf("%s: longest walk %d steps (%d at the cap), want %d", tt.reason, longest, capped, tt.want)
			}
		})
	}
}

// TestOrder2Events learns an order-2 chain from three paths and checks
// that simulated paths spell whole paths: the first state gives its two
// steps, later states their last.
func TestOrder2Events(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for i, path := range [][]string{{"x", "y", "z"}, {"x", "y"}, {"w"}, {"x", "y", "z"}} {
		for k, s := range path {
			evs = append(evs, journey.Event{Customer: string(rune('p' + i)), Time: t0.Add(time.Duration(k) * time.Minute), Step: s})
		}
	}
	src := must(journey.NewLog(evs))
	g := must(journey.Learn(src, journey.LearnOptions{Order: 2}))
	l, err := simulate.Run(g, simulate.Options{Customers: 3000, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for p := range l.Paths() {
		var steps []string
		for _, e := range p.Events {
			steps = append(steps, e.Step)
		}
		seen[strings.Join(steps, " ")]++
	}
	want := []string{"w (exit)", "x y (exit)", "x y z (exit)"}
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range seen {
			if !yield(k) {
				return
			}
		}
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	// Learn at order 2 reads back the chain's states.
	back := must(journey.Learn(l, journey.LearnOptions{Order: 2}))
	if diff := cmp.Diff(g.States(), back.States()); diff != "" {
		t.Errorf("states learned back (-want +got):\n%s", diff)
	}
}

func TestStartTimes(t *testing.T) {
	start := time.Date(2024, 2, 28, 12, 0, 0, 0, time.FixedZone("Paris", 3600))
	const period = 48 * time.Hour
	const n = 20000
	l, err := simulate.Run(loopChain(t), simulate.Options{Customers: n, Seed: 43, Start: start, Period: period})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for c := range l.Customers() {
		lo, hi := l.Span(c)
		first := l.Time(lo)
		if first.Before(start) || !first.Before(start.Add(period)) {
			t.Fatalf("customer %s starts at %v, outside [%v, %v)", l.Customer(c), first, start, start.Add(period))
		}
		if last := l.Time(hi - 1); !last.Equal(first) {
			t.Fatalf("customer %s: events at %v and %v without waits", l.Customer(c), first, last)
		}
		sum += float64(first.Sub(start))
	}
	// Uniform over the period: mean period/2, standard deviation
	// period/√12; 6 standard errors.
	mean, bound := float64(period)/2, 6*float64(period)/math.Sqrt(12*n)
	if got := sum / n; math.Abs(got-mean) > bound {
		t.Errorf("mean start offset %v, want %v ± %v", time.Duration(got), time.Duration(mean), time.Duration(bound))
	}
	zero, err := simulate.Run(loopChain(t), simulate.Options{Customers: 1, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := zero.Time(0), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("the zero Start starts at %v, want %v", got, want)
	}
}
