package attribution_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
)

func TestMarkovWorkedExample(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		opt    attribution.MarkovOptions
		js     []attribution.Row
		want   attribution.Result
	}{
		{
			name:   "order 1",
			reason: "notes §6.2: RE 1/2, 5/6, 1/3 share 6 conversions as 9/5, 3, 6/5; value removal effects 1/2, 5/7, 3/7 share 70 as 490/23, 700/23, 420/23",
			opt:    attribution.MarkovOptions{},
			js:     worked(),
			want: attribution.Result{
				"A": {Conversions: 9.0 / 5, Value: 490.0 / 23, RemovalEffect: 1.0 / 2},
				"B": {Conversions: 3, Value: 700.0 / 23, RemovalEffect: 5.0 / 6},
				"C": {Conversions: 6.0 / 5, Value: 420.0 / 23, RemovalEffect: 1.0 / 3},
			},
		},
		{
			name:   "order 1 keeping repeats",
			reason: "A > A > C adds a self-loop at A, which changes no absorption probability, so nothing changes",
			opt:    attribution.MarkovOptions{KeepRepeats: true},
			js:     worked(),
			want: attribution.Result{
				"A": {Conversions: 9.0 / 5, Value: 490.0 / 23, RemovalEffect: 1.0 / 2},
				"B": {Conversions: 3, Value: 700.0 / 23, RemovalEffect: 5.0 / 6},
				"C": {Conversions: 6.0 / 5, Value: 420.0 / 23, RemovalEffect: 1.0 / 3},
			},
		},
		{
			name: "order 2",
			reason: "notes §6.3: no route shares a state, so RE is the share of conversions whose route has the touch " +
				"(4/6, 5/6, 2/6 → 24/11, 30/11, 12/11) and the value removal effect that of value (50/70, 50/70, 35/70 → 700/27, 700/27, 490/27)",
			opt: attribution.MarkovOptions{Order: 2},
			js:  worked(),
			want: attribution.Result{
				"A": {Conversions: 24.0 / 11, Value: 700.0 / 27, RemovalEffect: 2.0 / 3},
				"B": {Conversions: 30.0 / 11, Value: 700.0 / 27, RemovalEffect: 5.0 / 6},
				"C": {Conversions: 12.0 / 11, Value: 490.0 / 27, RemovalEffect: 1.0 / 3},
			},
		},
		{
			name:   "order 3",
			reason: "each route is one state or a straight line of its own, as at order 2",
			opt:    attribution.MarkovOptions{Order: 3},
			js:     worked(),
			want: attribution.Result{
				"A": {Conversions: 24.0 / 11, Value: 700.0 / 27, RemovalEffect: 2.0 / 3},
				"B": {Conversions: 30.0 / 11, Value: 700.0 / 27, RemovalEffect: 5.0 / 6},
				"C": {Conversions: 12.0 / 11, Value: 490.0 / 27, RemovalEffect: 1.0 / 3},
			},
		},
		{
			name: "a touch only on a route that never converts",
			reason: "x > a (2 nulls) and a (1 conversion worth 9, 1 null): x's walks go on to a, where a quarter convert, " +
				"so RE(x) = 1/2, RE(a) = 1 and x earns a third, though no customer who saw x converted",
			opt: attribution.MarkovOptions{},
			js: []attribution.Row{
				{Touches: []string{"x", "a"}, Nulls: 2},
				{Touches: []string{"a"}, Conversions: 1, Nulls: 1, Value: 9},
			},
			want: attribution.Result{
				"x": {Conversions: 1.0 / 3, Value: 3, RemovalEffect: 1.0 / 2},
				"a": {Conversions: 2.0 / 3, Value: 6, RemovalEffect: 1},
			},
		},
		{
			name:   "a dead end",
			reason: "y > z never converts and its states lead nowhere that does: y and z earn nothing and are not listed",
			opt:    attribution.MarkovOptions{},
			js: []attribution.Row{
				{Touches: []string{"y", "z"}, Nulls: 5},
				{Touches: []string{"a"}, Conversions: 2, Nulls: 1, Value: 4},
			},
			want: attribution.Result{"a": {Conversions: 2, Value: 4, RemovalEffect: 1}},
		},
		{
			name: "a loop",
			reason: "a > b > a > b converts once (worth 10) and b alone is left once: walks from b convert a third of the time " +
				"and go back to a a third, h(a) = h(b) = 1/2, and P(visit a, convert) = 1/2·1/2 + 1/2·1/3·1/2 = 1/3, " +
				"so RE(a) = 2/3, RE(b) = 1",
			opt: attribution.MarkovOptions{},
			js: []attribution.Row{
				{Touches: []string{"a", "b", "a", "b"}, Conversions: 1, Value: 10},
				{Touches: []string{"b"}, Nulls: 1},
			},
			want: attribution.Result{
				"a": {Conversions: 2.0 / 5, Value: 4, RemovalEffect: 2.0 / 3},
				"b": {Conversions: 3.0 / 5, Value: 6, RemovalEffect: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attribution.Markov(tt.js, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestMarkovRemovalEffectOfSequences(t *testing.T) {
	m, err := attribution.NewMarkovChain(worked(), attribution.MarkovOptions{Order: 2})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		reason    string
		sequences [][]string
		want      attribution.Removal
	}{
		{
			name:      "A > B",
			reason:    "removes [A B] alone: the 3 conversions worth 30 of route A > B are lost",
			sequences: [][]string{{"A", "B"}},
			want:      attribution.Removal{States: 1, Conversions: 3.0 / 6, Value: 30.0 / 70},
		},
		{
			name:      "A > A",
			reason:    "removes [A A], the first state of A > A > C: its conversion worth 20 is lost",
			sequences: [][]string{{"A", "A"}},
			want:      attribution.Removal{States: 1, Conversions: 1.0 / 6, Value: 20.0 / 70},
		},
		{
			name:      "A > B or C",
			reason:    "the union of [A B] and the states with C ([A C], [C B]): only route B's conversion worth 5 survives",
			sequences: [][]string{{"A", "B"}, {"C"}},
			want:      attribution.Removal{States: 3, Conversions: 5.0 / 6, Value: 65.0 / 70},
		},
		{
			name:      "a touch",
			reason:    "a sequence of one touch is the touch's removal effect",
			sequences: [][]string{{"B"}},
			want:      attribution.Removal{States: 3, Conversions: 5.0 / 6, Value: 50.0 / 70},
		},
		{
			name:      "B > A",
			reason:    "no window holds B then A: nothing is removed",
			sequences: [][]string{{"B", "A"}},
			want:      attribution.Removal{},
		},
		{
			name:      "unknown touch",
			reason:    "a touch the chain does not have removes nothing",
			sequences: [][]string{{"email"}},
			want:      attribution.Removal{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.RemovalEffect(tt.sequences...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
	for _, bad := range [][][]string{{{}}, {{"A", "B", "C"}}} {
		if _, err := m.RemovalEffect(bad...); !errors.Is(err, attribution.ErrBadOption) {
			t.Errorf("RemovalEffect(%q) at order 2: error %v, want ErrBadOption", bad, err)
		}
	}
}

// closeCredits compares two results touch by touch, a touch absent from
// one counting as the zero Credit, to 1e-9 relative to the totals.
func closeCredits(t *testing.T, what string, want, got attribution.Result, conv, value float64) {
	t.Helper()
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	for k := range keys {
		w, g := want[k], got[k]
		if math.Abs(w.Conversions-g.Conversions) > 1e-9*math.Max(1, conv) ||
			math.Abs(w.Value-g.Value) > 1e-9*math.Max(1, value) ||
			math.Abs(w.RemovalEffect-g.RemovalEffect) > 1e-9 {
			t.Errorf("%s: touch %q: dense %+v, Markov %+v", what, k, w, g)
		}
	}
}

// TestMarkovAgreesWithDenseSolve compares Markov with the dense chain on
// random tables with loops and repeats, at orders 1 to 3, and the removal
// effects of random sequences and unions of them.
func TestMarkovAgreesWithDenseSolve(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 90 {
		order := 1 + trial%3
		keep := trial%2 == 1
		js := randomTable(r, 1+r.IntN(25), 1+r.IntN(7), 1+r.IntN(7))
		var conv, value float64
		for _, j := range js {
			conv += j.Conversions
			value += j.Value
		}
		what := fmt.Sprintf("trial %d, order %d, keep repeats %v", trial, order, keep)
		opt := attribution.MarkovOptions{Order: order, KeepRepeats: keep}
		got, err := attribution.Markov(js, opt)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		closeCredits(t, what, denseMarkov(js, order, keep), got, conv, value)

		d := newDenseChain(js, order, keep)
		if d == nil {
			continue
		}
		m, err := attribution.NewMarkovChain(js, opt)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			// One to three sequences of 1 to order touches, from the states.
			var seqs [][]string
			for range 1 + r.IntN(3) {
				p := d.parts[1+r.IntN(len(d.parts)-1)]
				lo := r.IntN(len(p))
				hi := lo + 1 + r.IntN(min(order, len(p)-lo))
				seqs = append(seqs, p[lo:hi])
			}
			want := d.removal(seqs...)
			got, err := m.RemovalEffect(seqs...)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if diff := cmp.Diff(want, got, cmpApprox9); diff != "" {
				t.Errorf("%s: removing %q (-dense +Markov):\n%s", what, seqs, diff)
			}
		}
	}
}

// TestMarkovLargeLoop checks removal effects on loops of more than 256
// states, which the solver iterates on (GMRES) rather than eliminates,
// against the dense chain for a few touches: at order 1 (400 touches,
// one loop of 400 states) and at order 2 (20 touches whose pairs form a
// loop of about 400 states).
func TestMarkovLargeLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	tests := []struct {
		order     int
		js        []attribution.Row
		sequences [][]string
	}{
		{1, randomTable(r, 3000, 400, 6), [][]string{{"t0"}, {"t7"}, {"t123"}, {"t399"}}},
		{2, randomTable(r, 3000, 20, 10), [][]string{{"t0"}, {"t7"}, {"t19"}, {"t3", "t4"}}},
	}
	for _, tt := range tests {
		opt := attribution.MarkovOptions{Order: tt.order}
		got, err := attribution.Markov(tt.js, opt)
		if err != nil {
			t.Fatal(err)
		}
		m, err := attribution.NewMarkovChain(tt.js, opt)
		if err != nil {
			t.Fatal(err)
		}
		d := newDenseChain(tt.js, tt.order, false)
		if n := len(d.states); n < 300 {
			t.Fatalf("order %d: only %d states", tt.order, n)
		}
		for _, seq := range tt.sequences {
			want := d.removal(seq)
			if len(seq) == 1 {
				if diff := cmp.Diff(want.Conversions, got[seq[0]].RemovalEffect, cmpApprox9); diff != "" {
					t.Errorf("order %d: Result: removal effect of %s (-dense +Markov):\n%s", tt.order, seq[0], diff)
				}
			}
			rm, err := m.RemovalEffect(seq)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rm, cmpApprox9); diff != "" {
				t.Errorf("order %d: RemovalEffect(%q) (-dense +Markov):\n%s", tt.order, seq, diff)
			}
		}
	}
}

// TestMarkovStatesAreJourneys checks that the chain's states are those
// journey.Learn would learn from the same routes, named alike.
func TestMarkovStatesAreJourneys(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for trial := range 30 {
		order := 1 + trial%4
		keep := trial%3 == 0
		js := randomTable(r, 1+r.IntN(30), 1+r.IntN(5), 1+r.IntN(8))
		// A touch that needs quoting in a state name.
		js = append(js, attribution.Row{Touches: []string{"a > b", "(exit)", ""}, Conversions: 1})
		m, err := attribution.NewMarkovChain(js, attribution.MarkovOptions{Order: order, KeepRepeats: keep})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, j := range js {
			if j.Conversions+j.Nulls > 0 {
				for _, s := range graph.PathStates(j.Touches, order, keep) {
					want[s] = true
				}
			}
		}
		got := map[string]bool{}
		for _, s := range m.States() {
			got[s] = true
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("trial %d, order %d: states (-graph.PathStates +chain):\n%s", trial, order, diff)
		}
		if m.NumStates() != len(got)+1 {
			t.Errorf("NumStates %d, want %d windows and Start", m.NumStates(), len(got))
		}
	}
}

// TestMarkovAgreesWithJourneyGraph compares removal effects with those of
// graph.Graph.Remove on the graph journey.Learn's counts give.
func TestMarkovAgreesWithJourneyGraph(t *testing.T) {
	l := benchlog.Log(t, gen.Options{Customers: 3000, Seed: 2})
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}}
	js, err := attribution.FromLog(l, from)
	if err != nil {
		t.Fatal(err)
	}
	for _, order := range []int{1, 2} {
		tc := &graph.Counts{Order: order}
		for _, j := range js {
			tc.AddPath(j.Touches, graph.Conversion, j.Conversions)
			tc.AddPath(j.Touches, graph.Exit, j.Nulls)
		}
		g, err := tc.Graph()
		if err != nil {
			t.Fatal(err)
		}
		p := g.Absorption(graph.Start, graph.Conversion)
		got, err := markovOfCounts(l, from, attribution.MarkovOptions{Order: order})
		if err != nil {
			t.Fatal(err)
		}
		for _, touch := range got.Touches() {
			want := 1 - g.Remove(touch).Absorption(graph.Start, graph.Conversion)/p
			if diff := cmp.Diff(want, got[touch].RemovalEffect, cmpApprox9); diff != "" {
				t.Errorf("order %d, %s: removal effect (-journey graph +Markov):\n%s", order, touch, diff)
			}
		}
	}
}

// markovOfCounts is the Markov model of a log the fast way: CountLog,
// Table.MarkovChain and MarkovChain.Result.
func markovOfCounts(l *journey.Log, from attribution.FromLogOptions, opt attribution.MarkovOptions) (attribution.Result, error) {
	tb, err := attribution.CountLog(l, from)
	if err != nil {
		return nil, err
	}
	m, err := tb.MarkovChain(opt)
	if err != nil {
		return nil, err
	}
	return m.Result()
}

// TestMarkovOfCountsIsMarkovOfFromLog checks that the chain learned from
// the counted Table gives Markov on the table FromLog builds, and that
// neither depends on the number of workers.
func TestMarkovOfCountsIsMarkovOfFromLog(t *testing.T) {
	l := benchlog.Log(t, gen.Options{Customers: 5000, Seed: 3})
	for _, order := range []int{1, 2, 3} {
		from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Workers: 1}
		opt := attribution.MarkovOptions{Order: order, Workers: 1}
		js, err := attribution.FromLog(l, from)
		if err != nil {
			t.Fatal(err)
		}
		want, err := attribution.Markov(js, opt)
		if err != nil {
			t.Fatal(err)
		}
		var first attribution.Result
		for _, workers := range []int{1, 2, 3, 8} {
			from.Workers, opt.Workers = workers, workers
			got, err := markovOfCounts(l, from, opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, approx); diff != "" {
				t.Errorf("order %d, %d workers (-Markov(FromLog) +Table.MarkovChain):\n%s", order, workers, diff)
			}
			if first == nil {
				first = got
			} else if diff := cmp.Diff(first, got); diff != "" {
				t.Errorf("order %d: %d workers differ from 1, bit for bit (-1 +%d):\n%s", order, workers, workers, diff)
			}
		}
	}
}

// TestMarkovDeterminism runs Markov many times on one table, with
// various worker counts, and wants the same bits every time.
func TestMarkovDeterminism(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	js := randomTable(r, 2000, 300, 8) // a loop of a few hundred states at order 1
	for _, order := range []int{1, 2, 3} {
		var first attribution.Result
		for run, workers := range []int{1, 2, 3, 8, 1, 2} {
			got, err := attribution.Markov(js, attribution.MarkovOptions{Order: order, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if run == 0 {
				first = got
				continue
			}
			if diff := cmp.Diff(first, got); diff != "" {
				t.Errorf("order %d, run %d with %d workers differs from the first (-first +run):\n%s", order, run, workers, diff)
			}
		}
		// The order of the rows does not matter either.
		shuffled := slices.Clone(js)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := attribution.Markov(shuffled, attribution.MarkovOptions{Order: order})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("order %d: shuffled rows give other bits (-first +shuffled):\n%s", order, diff)
		}
	}
}

func TestMarkovBadOptions(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		opt    attribution.MarkovOptions
	}{
		{"negative order", "orders start at 1 (0 means 1)", attribution.MarkovOptions{Order: -1}},
		{"negative workers", "0 means GOMAXPROCS; below is an error", attribution.MarkovOptions{Workers: -2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := attribution.Markov(worked(), tt.opt); !errors.Is(err, attribution.ErrBadOption) {
				t.Errorf("%s: Markov error %v, want ErrBadOption", tt.reason, err)
			}
			var tb attribution.Table
			if _, err := tb.MarkovChain(tt.opt); !errors.Is(err, attribution.ErrBadOption) {
				t.Errorf("%s: Table.MarkovChain error %v, want ErrBadOption", tt.reason, err)
			}
		})
	}
}

func TestMarkovChainTotals(t *testing.T) {
	m, err := attribution.NewMarkovChain(worked(), attribution.MarkovOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, c, v := m.Totals()
	if n != 12 || c != 6 || v != 70 {
		t.Errorf("Totals() = %v, %v, %v, want 12, 6, 70", n, c, v)
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, m.Touches()); diff != "" {
		t.Errorf("Touches (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, m.States()); diff != "" {
		t.Errorf("States (-want +got):\n%s", diff)
	}
	if m.Order() != 1 || m.NumStates() != 4 {
		t.Errorf("Order %d, NumStates %d, want 1 and 4", m.Order(), m.NumStates())
	}
	empty, err := attribution.NewMarkovChain(nil, attribution.MarkovOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := empty.Result(); err != nil || len(r) != 0 {
		t.Errorf("empty chain: Result %v, %v, want an empty result", r, err)
	}
	if rm, err := empty.RemovalEffect([]string{"A"}); err != nil || rm != (attribution.Removal{}) {
		t.Errorf("empty chain: RemovalEffect %+v, %v, want nothing", rm, err)
	}
	var table attribution.Table // the zero Table is empty
	fromTable, err := table.MarkovChain(attribution.MarkovOptions{Order: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := fromTable.Result(); err != nil || len(r) != 0 || fromTable.NumStates() != 1 {
		t.Errorf("empty table: Result %v, %v with %d states, want an empty result and Start alone", r, err, fromTable.NumStates())
	}
}

// TestMarkovTooLarge lowers the work limit so that both ways of removing
// every touch hit it.
func TestMarkovTooLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	js := randomTable(r, 2000, 300, 8)
	for _, order := range []int{1, 2} {
		restore := attribution.SetMaxRemovalWork(1e4)
		_, err := attribution.Markov(js, attribution.MarkovOptions{Order: order})
		restore()
		if !errors.Is(err, attribution.ErrTooLarge) {
			t.Errorf("order %d: error %v, want ErrTooLarge", order, err)
		}
		if _, err := attribution.Markov(js, attribution.MarkovOptions{Order: order}); err != nil {
			t.Errorf("order %d with the limit restored: %v", order, err)
		}
	}
}

// TestMarkovManyTouchesOnSmallLoops has 10^5 distinct touches (an ad
// each customer clicked) before a few channels that loop among
// themselves: order 1 removes each touch exactly, most with no solve.
func TestMarkovManyTouchesOnSmallLoops(t *testing.T) {
	const n = 100000
	channels := []string{"web", "email", "app", "store"}
	r := rand.New(rand.NewPCG(21, 22))
	js := make([]attribution.Row, 0, n)
	for i := range n {
		route := []string{"ad" + strconv.Itoa(i)}
		for range r.IntN(5) {
			route = append(route, channels[r.IntN(len(channels))])
		}
		conv := float64(r.IntN(2))
		js = append(js, attribution.Row{Touches: route, Conversions: conv, Nulls: 1 - conv, Value: 10 * conv})
	}
	var conv float64
	for _, j := range js {
		conv += j.Conversions
	}
	res, err := attribution.Markov(js, attribution.MarkovOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, "10^5 ads", res, conv, 10*conv)
	// An ad is the first state of its customer's walk alone: its removal
	// effect is that walk's probability of converting over P(conversion).
	m, err := attribution.NewMarkovChain(js, attribution.MarkovOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 4711, n - 1} {
		ad := "ad" + strconv.Itoa(i)
		rm, err := m.RemovalEffect([]string{ad})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(rm.Conversions, res[ad].RemovalEffect, cmpApprox9); diff != "" {
			t.Errorf("%s: removal effect (-RemovalEffect +Result):\n%s", ad, diff)
		}
	}
}
