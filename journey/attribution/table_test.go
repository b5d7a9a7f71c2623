package attribution

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// shards splits l's customers into n logs by a hash of their ids.
func shards(t *testing.T, l *journey.Log, n int) []*journey.Log {
	t.Helper()
	out := make([]*journey.Log, n)
	for k := range out {
		out[k] = l.Where(journey.OfCustomers(func(c string) bool {
			h := fnv.New32a()
			h.Write([]byte(c))
			return int(h.Sum32()%uint32(n)) == k
		}))
	}
	return out
}

// mustMerge merges o into t and fails the test on an error.
func mustMerge(tb testing.TB, t, o *Table) {
	tb.Helper()
	if err := t.Merge(o); err != nil {
		tb.Fatal(err)
	}
}

// TestMergeIncompatible checks that tables counted with other options do
// not merge, and leave the receiver as it was, while tables made by Add
// merge with any.
func TestMergeIncompatible(t *testing.T) {
	l := benchlog.Log(t, gen.Options{Customers: 300, Seed: 5})
	base := FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}}
	tests := []struct {
		name, reason string
		change       func(o *FromLogOptions)
	}{
		{"by", "touches by step and by channel are different touches", func(o *FromLogOptions) { o.By = journey.ByStep }},
		{"goal steps", "another goal cuts other journeys", func(o *FromLogOptions) { o.GoalSteps = []string{"cart"} }},
		{"goal func", "a predicate may add goals", func(o *FromLogOptions) { o.Goal = func(journey.Event) bool { return false } }},
		{"every goal", "journeys cut at every goal are not first-goal journeys", func(o *FromLogOptions) { o.EveryGoal = true }},
		{"lookback", "a lookback shortens routes", func(o *FromLogOptions) { o.Lookback = time.Hour }},
		{"empty route", "empty journeys are named or dropped", func(o *FromLogOptions) { o.EmptyRoute = "(none)" }},
		{"converting only", "a table without nulls is not a full table", func(o *FromLogOptions) { o.ConvertingOnly = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := CountLog(l, base)
			if err != nil {
				t.Fatal(err)
			}
			other := base
			tt.change(&other)
			b, err := CountLog(l, other)
			if err != nil {
				t.Fatal(err)
			}
			before := a.Rows()
			if err := a.Merge(b); !errors.Is(err, ErrIncompatible) {
				t.Errorf("%s: Merge: %v, want ErrIncompatible", tt.reason, err)
			}
			if diff := cmp.Diff(before, a.Rows()); diff != "" {
				t.Errorf("a refused Merge changed the table (-before +after):\n%s", diff)
			}
		})
	}
	// The same goal steps in another order and repeated are the same goal
	// (counted on two halves of the customers: tables of one log share
	// them).
	halves := shards(t, l, 2)
	a, _ := CountLog(halves[0], base)
	same := base
	same.GoalSteps = []string{gen.Purchase, gen.Purchase}
	b, _ := CountLog(halves[1], same)
	if err := a.Merge(b); err != nil {
		t.Errorf("the same goal steps twice: %v", err)
	}
	// A table made by Add merges with a counted one, either way round.
	var added Table
	if err := added.Add(Row{Touches: []string{"x"}, Conversions: 1}); err != nil {
		t.Fatal(err)
	}
	if err := added.Merge(b); err != nil {
		t.Errorf("Add table, then counted: %v", err)
	}
	var added2 Table
	if err := added2.Add(Row{Touches: []string{"x"}, Conversions: 1}); err != nil {
		t.Fatal(err)
	}
	if err := b.Merge(&added2); err != nil {
		t.Errorf("counted table, then Add table: %v", err)
	}
	// Having taken b's options, added refuses a table counted otherwise.
	other := base
	other.By = journey.ByStep
	c, _ := CountLog(l, other)
	if err := added.Merge(c); !errors.Is(err, ErrIncompatible) {
		t.Errorf("after taking a counted table's options: %v, want ErrIncompatible", err)
	}
}

func TestMergeGivesTheWhole(t *testing.T) {
	l := genLog(t, 4000, 11)
	opt := FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Workers: 2}
	whole, err := CountLog(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := whole.Rows()
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{2, 3, 7} {
		parts := shards(t, l, n)
		tables := make([]*Table, n)
		for k, p := range parts {
			opt.Workers = 1 + k%3
			if tables[k], err = CountLog(p, opt); err != nil {
				t.Fatal(err)
			}
		}
		for trial := range 3 {
			r.Shuffle(n, func(i, j int) { tables[i], tables[j] = tables[j], tables[i] })
			var merged Table // the zero Table is ready to use
			if trial == 2 {
				// Associativity: fold the tail first, then merge it in.
				var tail Table
				for _, tb := range tables[1:] {
					mustMerge(t, &tail, tb)
				}
				mustMerge(t, &merged, tables[0])
				mustMerge(t, &merged, &tail)
			} else {
				for _, tb := range tables {
					mustMerge(t, &merged, tb)
				}
			}
			if diff := cmp.Diff(want, merged.Rows()); diff != "" {
				t.Fatalf("%d shards, trial %d: merged differs from the whole (-whole +merged):\n%s", n, trial, diff)
			}
			wc, wn, wv := whole.Total()
			mc, mn, mv := merged.Total()
			if wc != mc || wn != mn || wv != mv {
				t.Errorf("Total: whole %v %v %v, merged %v %v %v", wc, wn, wv, mc, mn, mv)
			}
		}
	}
}

func TestTableAdd(t *testing.T) {
	var tb Table
	if got := tb.Rows(); len(got) != 0 || tb.Len() != 0 {
		t.Errorf("zero table: %v", got)
	}
	rows := []Row{
		{Touches: []string{"b"}, Conversions: 1, Value: 0.1},
		{Touches: []string{"a", "b"}, Nulls: 2},
		{Touches: []string{"b"}, Conversions: 2, Nulls: 1, Value: 0.2},
		{Touches: []string{"a"}, Conversions: 1, Value: 3},
	}
	for _, j := range rows {
		if err := tb.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	want := []Row{
		{Touches: []string{"a"}, Conversions: 1, Value: 3},
		{Touches: []string{"a", "b"}, Nulls: 2},
		{Touches: []string{"b"}, Conversions: 3, Nulls: 1, Value: 0.30000000000000004},
	}
	if diff := cmp.Diff(want, tb.Rows()); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
	if err := tb.Add(Row{Conversions: 1}); !errors.Is(err, ErrEmptyRoute) {
		t.Errorf("Add of an empty route: %v, want ErrEmptyRoute", err)
	}
	if err := tb.Add(Row{Touches: []string{"a"}, Nulls: -1}); !errors.Is(err, ErrBadCount) {
		t.Errorf("Add of a negative count: %v, want ErrBadCount", err)
	}
	if tb.Len() != 3 {
		t.Errorf("Len %d after bad adds, want 3", tb.Len())
	}
}

// TestRowsOrder checks the radix order against a plain sort, with
// enough names and long routes that keys tie and the tie-break runs.
func TestRowsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, names := range []int{1, 3, 15, 16, 300, 70000} {
		var tb Table
		for range 3000 {
			route := make([]string, 1+r.IntN(30))
			prefix := r.IntN(3) // shared prefixes make keys tie
			for k := range route {
				if k < 20 && prefix == 0 {
					route[k] = "p"
				} else {
					route[k] = "n" + string(rune('a'+r.IntN(names)%26)) + string(rune('a'+r.IntN(names)/26%26)) + string(rune('0'+r.IntN(names)/676))
				}
			}
			if err := tb.Add(Row{Touches: route, Nulls: 1}); err != nil {
				t.Fatal(err)
			}
		}
		got := tb.Rows()
		want := append([]Row(nil), got...)
		sortRows(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d names: order differs from a plain sort (-want +got):\n%s", names, diff)
		}
	}
}

func TestDroppedAndEmptyRoute(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	ev := func(c string, min int, step, channel string, value float64) journey.Event {
		return journey.Event{Customer: c, Time: t0.Add(time.Duration(min) * time.Minute), Step: step,
			Channel: touchpoint.Channel(channel), Value: value}
	}
	l, err := journey.NewLog([]journey.Event{
		ev("a", 0, "buy", "web", 10),                            // converts at once: no touch
		ev("b", 0, "visit", "", 0), ev("b", 1, "buy", "web", 5), // touches without a channel
		ev("c", 0, "visit", "", 0), // no channel, no conversion
		ev("d", 0, "visit", "web", 0), ev("d", 1, "buy", "web", 7),
	})
	if err != nil {
		t.Fatal(err)
	}
	opt := FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"buy"}}
	tb, err := CountLog(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	if c, n, v := tb.Dropped(); c != 2 || n != 1 || v != 15 {
		t.Errorf("Dropped = %v, %v, %v; want 2, 1, 15", c, n, v)
	}
	if diff := cmp.Diff([]Row{{Touches: []string{"web"}, Conversions: 1, Value: 7}}, tb.Rows()); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
	opt.EmptyRoute = "(direct)"
	got, err := FromLog(l, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Touches: []string{"(direct)"}, Conversions: 2, Nulls: 1, Value: 15},
		{Touches: []string{"web"}, Conversions: 1, Value: 7},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with EmptyRoute (-want +got):\n%s", diff)
	}
}

func TestFromLogOptionErrors(t *testing.T) {
	l := genLog(t, 10, 1)
	tests := []struct {
		name   string
		reason string
		opt    FromLogOptions
		want   error
	}{
		{"no goal", "a journey ends at a goal", FromLogOptions{}, ErrNoGoal},
		{"bad By", "there are three attributes", FromLogOptions{By: 7, GoalSteps: []string{"x"}}, ErrBadOption},
		{"negative lookback", "a window has a length", FromLogOptions{GoalSteps: []string{"x"}, Lookback: -time.Hour}, ErrBadOption},
		{"negative workers", "workers are counted", FromLogOptions{GoalSteps: []string{"x"}, Workers: -1}, ErrBadOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FromLog(l, tt.opt); !errors.Is(err, tt.want) {
				t.Errorf("FromLog: %s: error %v, want %v", tt.reason, err, tt.want)
			}
			if _, err := TimeDecay(l, TimeDecayOptions{FromLogOptions: tt.opt}); !errors.Is(err, tt.want) {
				t.Errorf("TimeDecay: %s: error %v, want %v", tt.reason, err, tt.want)
			}
		})
	}
	if _, err := TimeDecay(l, TimeDecayOptions{FromLogOptions: FromLogOptions{GoalSteps: []string{"x"}}, HalfLife: -1}); !errors.Is(err, ErrBadOption) {
		t.Errorf("negative half-life: %v, want ErrBadOption", err)
	}
}

func TestFromLogEmptyLog(t *testing.T) {
	l, err := journey.NewLog(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromLog(l, FromLogOptions{GoalSteps: []string{"buy"}})
	if err != nil || len(got) != 0 {
		t.Errorf("empty log: %v, %v", got, err)
	}
}

func TestStepsAchieving(t *testing.T) {
	m := &journey.Map{Steps: []journey.Step{
		{ID: "browse"},
		{ID: "newsletter-signup", Goals: []objectives.Objective{objectives.Connection}},
		{ID: "checkout", Goals: []objectives.Objective{objectives.Conversion}},
		{ID: "account", Goals: []objectives.Objective{objectives.Connection, objectives.Knowledge}},
	}}
	if diff := cmp.Diff([]string{"newsletter-signup", "account"}, StepsAchieving(m, objectives.Connection)); diff != "" {
		t.Errorf("Connection steps (-want +got):\n%s", diff)
	}
	if got := StepsAchieving(m, objectives.Consideration); got != nil {
		t.Errorf("Consideration steps: %v, want none", got)
	}
}

// TestTimeDecayWorkedExample is the notes' §4.2 example: touches 14, 7 and
// 0 days before the conversion, half-life 7 days, give weights 1/4, 1/2, 1.
func TestTimeDecayWorkedExample(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	l, err := journey.NewLog([]journey.Event{
		{Customer: "x", Time: t0, Step: "ad", Channel: "A"},
		{Customer: "x", Time: t0.Add(7 * day), Step: "ad", Channel: "A"},
		{Customer: "x", Time: t0.Add(14 * day), Step: "mail", Channel: "C"},
		{Customer: "x", Time: t0.Add(14 * day), Step: "buy", Channel: "web", Value: 70},
		{Customer: "y", Time: t0, Step: "ad", Channel: "A"}, // never converts
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := TimeDecay(l, TimeDecayOptions{FromLogOptions: FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"buy"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := Result{"A": {Conversions: 3.0 / 7, Value: 30}, "C": {Conversions: 4.0 / 7, Value: 40}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-12)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestTimeDecayLimits: a very long half-life gives Linear, a very short one
// LastTouch, on the same journeys.
func TestTimeDecayLimits(t *testing.T) {
	l := genLog(t, 3000, 5)
	fo := FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Lookback: 40 * time.Hour}
	js, err := FromLog(l, fo)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		halfLife time.Duration
		model    func([]Row) (Result, error)
		tol      float64
	}{
		{"long half-life is linear", 100 * 365 * 24 * time.Hour, Linear, 1e-5},
		{"short half-life is last touch", time.Nanosecond, LastTouch, 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := tt.model(js)
			if err != nil {
				t.Fatal(err)
			}
			got, err := TimeDecay(l, TimeDecayOptions{FromLogOptions: fo, HalfLife: tt.halfLife})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(tt.tol, 1e-9)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimeDecayAttributesEveryConversion(t *testing.T) {
	l := genLog(t, 3000, 6)
	for _, every := range []bool{false, true} {
		fo := FromLogOptions{By: journey.ByTouchpoint, GoalSteps: []string{gen.Purchase, "cart"}, EveryGoal: every, EmptyRoute: "(none)"}
		tb, err := CountLog(l, fo)
		if err != nil {
			t.Fatal(err)
		}
		conv, _, value := tb.Total()
		got, err := TimeDecay(l, TimeDecayOptions{FromLogOptions: fo, HalfLife: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		total := got.Total()
		if math.Abs(total.Conversions-conv) > 1e-9*conv || math.Abs(total.Value-value) > 1e-9*value {
			t.Errorf("every goal %v: attributed %v worth %v, want %v worth %v", every, total.Conversions, total.Value, conv, value)
		}
	}
}

func sortRows(js []Row) {
	slices.SortFunc(js, func(a, b Row) int { return slices.Compare(a.Touches, b.Touches) })
}

// TestFromLogManyTouches reads 10^5 distinct touchpoints from a log.
func TestFromLogManyTouches(t *testing.T) {
	const n = 100000
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	events := make([]journey.Event, 0, 3*n)
	for i := range n {
		c := fmt.Sprintf("c%06d", i)
		events = append(events,
			journey.Event{Customer: c, Time: t0, Step: "see", Touchpoint: fmt.Sprintf("tp%d", i)},
			journey.Event{Customer: c, Time: t0.Add(time.Minute), Step: "see", Touchpoint: fmt.Sprintf("tp%d", (i*7919)%n)})
		if i%3 == 0 {
			events = append(events, journey.Event{Customer: c, Time: t0.Add(time.Hour), Step: "buy", Value: 2})
		}
	}
	l, err := journey.NewLog(events)
	if err != nil {
		t.Fatal(err)
	}
	js, err := FromLog(l, FromLogOptions{By: journey.ByTouchpoint, GoalSteps: []string{"buy"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != n {
		t.Errorf("%d routes, want %d", len(js), n)
	}
	conv := float64((n + 2) / 3)
	for _, model := range []Model{FirstTouch, Linear} {
		r, err := model(js)
		if err != nil {
			t.Fatal(err)
		}
		if total := r.Total(); total.Conversions != conv || total.Value != 2*conv {
			t.Errorf("attributed %+v, want %v conversions worth %v", total, conv, 2*conv)
		}
	}
}
