package journey

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/touchpoint"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// traces turns a process-mining log (variant → count) into events: one
// customer per case, one event a minute.
func traces(variants map[string]int) []Event {
	var keys []string
	for k := range variants {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var evs []Event
	n := 0
	for _, k := range keys {
		for range variants[k] {
			n++
			for j, step := range strings.Split(k, ",") {
				evs = append(evs, Event{Customer: fmt.Sprintf("case%02d", n), Time: at(j), Step: step})
			}
		}
	}
	return evs
}

// TestProcessMiningL1 checks variants and the directly-follows graph of the
// log L1 = [<a,b,c,d>^3, <a,c,b,d>^2, <a,e,d>] of W. M. P. van der Aalst,
// Process Mining: Discovery, Conformance and Enhancement of Business
// Processes, Springer 2011, §5.2.1, p. 129 (the footprint of Table 5.1, p.
// 130, lists the same directly-follows pairs). Expected counts are worked
// out by hand from the traces.
func TestProcessMiningL1(t *testing.T) {
	l, err := NewLog(traces(map[string]int{"a,b,c,d": 3, "a,c,b,d": 2, "a,e,d": 1}))
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 23 || l.Customers() != 6 {
		t.Fatalf("Len, Customers = %d, %d; want 23, 6", l.Len(), l.Customers())
	}
	wantV := []Variant{
		{Route: []string{"a", "b", "c", "d"}, Customers: 3},
		{Route: []string{"a", "c", "b", "d"}, Customers: 2},
		{Route: []string{"a", "e", "d"}, Customers: 1},
	}
	if diff := cmp.Diff(wantV, l.Variants(ByStep)); diff != "" {
		t.Errorf("Variants (-want +got):\n%s", diff)
	}
	wantE := []Edge{
		{From: "a", To: "b", Count: 3}, {From: "a", To: "c", Count: 2}, {From: "a", To: "e", Count: 1},
		{From: "b", To: "c", Count: 3}, {From: "b", To: "d", Count: 2},
		{From: "c", To: "b", Count: 2}, {From: "c", To: "d", Count: 3},
		{From: "e", To: "d", Count: 1},
	}
	if diff := cmp.Diff(wantE, l.DirectlyFollows(ByStep)); diff != "" {
		t.Errorf("DirectlyFollows (-want +got):\n%s", diff)
	}
}

// TestProcessMiningRepeats uses the log of D. Fahland, "Extracting and
// Pre-Processing Event Logs", arXiv:2211.04338, §1: [<A,B,C,D>^10,
// <A,C,B,D>^5, <A,B,A,D>^3, <A,E,D>], where A repeats inside a trace.
func TestProcessMiningRepeats(t *testing.T) {
	l, err := NewLog(traces(map[string]int{"A,B,C,D": 10, "A,C,B,D": 5, "A,B,A,D": 3, "A,E,D": 1}))
	if err != nil {
		t.Fatal(err)
	}
	wantV := []Variant{
		{Route: []string{"A", "B", "C", "D"}, Customers: 10},
		{Route: []string{"A", "C", "B", "D"}, Customers: 5},
		{Route: []string{"A", "B", "A", "D"}, Customers: 3},
		{Route: []string{"A", "E", "D"}, Customers: 1},
	}
	if diff := cmp.Diff(wantV, l.Variants(ByStep)); diff != "" {
		t.Errorf("Variants (-want +got):\n%s", diff)
	}
	wantE := []Edge{
		{From: "A", To: "B", Count: 13}, {From: "A", To: "C", Count: 5}, {From: "A", To: "D", Count: 3}, {From: "A", To: "E", Count: 1},
		{From: "B", To: "A", Count: 3}, {From: "B", To: "C", Count: 10}, {From: "B", To: "D", Count: 5},
		{From: "C", To: "B", Count: 5}, {From: "C", To: "D", Count: 10},
		{From: "E", To: "D", Count: 1},
	}
	if diff := cmp.Diff(wantE, l.DirectlyFollows(ByStep)); diff != "" {
		t.Errorf("DirectlyFollows (-want +got):\n%s", diff)
	}
	total := 0
	for _, e := range l.DirectlyFollows(ByStep) {
		total += e.Count
	}
	if total != 56 {
		t.Errorf("%d pairs, want 56 = 3·10 + 3·5 + 3·3 + 2·1", total)
	}
}

func TestNewLogSortsAndKeepsInputOrderOfEqualTimes(t *testing.T) {
	evs := []Event{
		{Customer: "bob", Time: at(5), Step: "late"},
		{Customer: "alice", Time: at(2), Step: "second", Value: 9.5},
		{Customer: "bob", Time: at(1), Step: "early", Channel: touchpoint.Email, Props: map[string]string{"campaign": "spring"}},
		{Customer: "alice", Time: at(1), Step: "first", Props: map[string]string{"device": "app", "os": "ios"}},
		{Customer: "alice", Time: at(2), Step: "tie-a", Touchpoint: "cart"},
		{Customer: "alice", Time: at(2), Step: "tie-b", Value: -1},
		{Customer: "bob", Time: at(5), Step: "late-dup"},
	}
	l, err := NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e := range l.All() {
		got = append(got, e.Customer+":"+e.Step)
	}
	want := []string{"alice:first", "alice:second", "alice:tie-a", "alice:tie-b", "bob:early", "bob:late", "bob:late-dup"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// Values and properties followed their events through both sorts.
	wantEvents := []Event{
		{Customer: "alice", Time: at(1), Step: "first", Props: map[string]string{"device": "app", "os": "ios"}},
		{Customer: "alice", Time: at(2), Step: "second", Value: 9.5},
		{Customer: "alice", Time: at(2), Step: "tie-a", Touchpoint: "cart"},
		{Customer: "alice", Time: at(2), Step: "tie-b", Value: -1},
		{Customer: "bob", Time: at(1), Step: "early", Channel: touchpoint.Email, Props: map[string]string{"campaign": "spring"}},
		{Customer: "bob", Time: at(5), Step: "late"},
		{Customer: "bob", Time: at(5), Step: "late-dup"},
	}
	if diff := cmp.Diff(wantEvents, l.Events()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for i, w := range wantEvents {
		if diff := cmp.Diff(w, l.Event(i)); diff != "" {
			t.Errorf("Event(%d) (-want +got):\n%s", i, diff)
		}
		if l.Value(i) != w.Value {
			t.Errorf("Value(%d) = %v", i, l.Value(i))
		}
	}
	if v, ok := l.Prop(0, "os"); !ok || v != "ios" {
		t.Errorf("Prop(0, os) = %q, %v", v, ok)
	}
	if _, ok := l.Prop(0, "campaign"); ok {
		t.Error("Prop of a key the event lacks")
	}
	if _, ok := l.Prop(1, "os"); ok {
		t.Error("Prop of an event without properties")
	}
	if _, ok := l.Prop(0, "never-seen"); ok {
		t.Error("Prop of an unknown key")
	}
	if !l.HasValues() || !l.HasProps() {
		t.Error("HasValues/HasProps")
	}
	// Input not retained.
	evs[2].Props["campaign"] = "changed"
	if v, _ := l.Prop(4, "campaign"); v != "spring" {
		t.Error("the log kept a reference to the input's Props")
	}
}

func TestLogAccessors(t *testing.T) {
	l, err := NewLog([]Event{
		{Customer: "c2", Time: at(3), Step: "buy", Channel: touchpoint.Web, Touchpoint: "cart"},
		{Customer: "c1", Time: at(1), Step: "visit", Channel: touchpoint.Web},
		{Customer: "c1", Time: at(2), Step: "buy", Channel: touchpoint.Web, Touchpoint: "cart"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.Customer(0) != "c1" || l.Customer(1) != "c2" {
		t.Errorf("customer order: %q %q", l.Customer(0), l.Customer(1))
	}
	if lo, hi := l.Span(1); lo != 2 || hi != 3 {
		t.Errorf("Span(1) = %d, %d", lo, hi)
	}
	if c, ok := l.CustomerIndex("c2"); !ok || c != 1 {
		t.Error("CustomerIndex(c2)")
	}
	if _, ok := l.CustomerIndex("c9"); ok {
		t.Error("CustomerIndex(c9)")
	}
	if l.UnixNano(0) != at(1).UnixNano() || !l.Time(0).Equal(at(1)) || l.Time(0).Location() != time.UTC {
		t.Error("times")
	}
	buy, ok := l.Lookup(ByStep, "buy")
	if !ok || l.Symbol(ByStep, 1) != buy || l.Name(ByStep, buy) != "buy" {
		t.Error("Lookup/Symbol/Name")
	}
	if l.NumNames(ByStep) != 2 || l.NumNames(ByChannel) != 1 || l.NumNames(ByTouchpoint) != 2 {
		t.Errorf("NumNames = %d %d %d", l.NumNames(ByStep), l.NumNames(ByChannel), l.NumNames(ByTouchpoint))
	}
	names := l.Names(ByStep)
	names[0] = "mutated"
	if l.Name(ByStep, 0) == "mutated" {
		t.Error("Names must return a copy")
	}
	p, ok := l.Path("c1")
	if !ok || len(p.Events) != 2 || p.Events[1].Step != "buy" {
		t.Errorf("Path(c1) = %+v", p)
	}
	if _, ok := l.Path("zz"); ok {
		t.Error("Path of an unknown customer")
	}
	var custs []string
	for p := range l.Paths() {
		custs = append(custs, p.Customer)
		if len(custs) == 1 {
			break // early stop is honoured
		}
	}
	if len(custs) != 1 {
		t.Error("Paths ignored an early stop")
	}
	first, last := l.TimeRange()
	if !first.Equal(at(1)) || !last.Equal(at(3)) {
		t.Errorf("TimeRange = %v %v", first, last)
	}
	// Read by touchpoint, an event with no touchpoint is left out.
	want := []Variant{{Route: []string{"cart"}, Customers: 2}}
	if diff := cmp.Diff(want, l.Variants(ByTouchpoint)); diff != "" {
		t.Errorf("Variants by touchpoint (-want +got):\n%s", diff)
	}
	if got := l.DirectlyFollows(ByTouchpoint); len(got) != 0 {
		t.Errorf("a single touchpoint per path has no pairs, got %v", got)
	}
}

func TestEmptyLog(t *testing.T) {
	for name, build := range map[string]func() (*Log, error){
		"NewLog(nil)": func() (*Log, error) { return NewLog(nil) },
		"NewLogSeq":   func() (*Log, error) { return NewLogSeq(func(func(Event) bool) {}) },
		"LogBuilder":  func() (*Log, error) { var b LogBuilder; return b.Build() },
		"Merge()":     func() (*Log, error) { return Merge() },
		"filtered away": func() (*Log, error) {
			l, _ := NewLog(traces(map[string]int{"a": 1}))
			return l.FilterSteps(func(string) bool { return false }), nil
		},
	} {
		l, err := build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if l.Len() != 0 || l.Customers() != 0 || len(l.Variants(ByStep)) != 0 || len(l.DirectlyFollows(ByChannel)) != 0 || len(l.Events()) != 0 {
			t.Errorf("%s is not empty", name)
		}
		for range l.Paths() {
			t.Errorf("%s has a path", name)
		}
		if f, la := l.TimeRange(); !f.IsZero() || !la.IsZero() {
			t.Errorf("%s has a time range", name)
		}
		if len(l.CountVariants(ByStep, 4).Variants()) != 0 {
			t.Errorf("%s: parallel variants of nothing", name)
		}
	}
}

func TestNewLogBadEvents(t *testing.T) {
	evs := []Event{
		{Customer: "a", Time: at(0), Step: "ok"},
		{Time: at(0), Step: "s"},
		{Customer: "a", Step: "s"},
		{Customer: "a", Time: at(0)},
		{Customer: "a", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), Step: "s"},
		{Customer: "a", Time: at(0), Step: "s", Value: math.NaN()},
		{Customer: "a", Time: at(0), Step: "s", Value: math.Inf(-1)},
	}
	_, err := NewLog(evs)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		"events[1]: missing customer",
		"events[2]: missing time",
		"events[3]: missing step",
		"events[4]: time out of range: 3000-01-01 00:00:00 +0000 UTC (the log holds years 1678 to 2262)",
		"events[5]: value is not a finite number: NaN",
		"events[6]: value is not a finite number: -Inf",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, s := range []error{ErrMissingCustomer, ErrMissingTime, ErrMissingStep, ErrBadTime, ErrBadValue} {
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(%v) = false", s)
		}
	}
	many := make([]Event, 50)
	_, err = NewLog(many)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxReported+1 || lines[maxReported] != "… and 30 more bad events" {
		t.Errorf("the error must list %d events and count the rest, got %d lines, last %q", maxReported, len(lines), lines[len(lines)-1])
	}
	_, err = NewLogSeq(slices.Values(many))
	if err == nil || !strings.HasSuffix(err.Error(), "… and 30 more bad events") {
		t.Errorf("NewLogSeq: %v", err)
	}
	var b LogBuilder
	if err := b.Add(Event{Customer: "x"}); !errors.Is(err, ErrMissingTime) || b.Len() != 0 {
		t.Errorf("LogBuilder.Add of a bad event: %v, Len %d", err, b.Len())
	}
}

// randomEvents returns n events of up to customers customers, with random
// times (many equal), steps, channels, touchpoints, values and properties,
// in random order.
func randomEvents(r *rand.Rand, n, customers int) []Event {
	steps := []string{"visit", "search", "cart", "buy", "call", "return"}
	chans := []touchpoint.Channel{"", touchpoint.Web, touchpoint.Email, touchpoint.Phone}
	tps := []string{"", "home", "cart", "mail-1"}
	evs := make([]Event, n)
	for i := range evs {
		e := Event{
			Customer:   fmt.Sprintf("c%03d", r.IntN(customers)),
			Time:       at(r.IntN(20)),
			Step:       steps[r.IntN(len(steps))],
			Channel:    chans[r.IntN(len(chans))],
			Touchpoint: tps[r.IntN(len(tps))],
		}
		if r.IntN(4) == 0 {
			e.Value = float64(r.IntN(100)) / 4
		}
		if r.IntN(5) == 0 {
			e.Props = map[string]string{"device": []string{"app", "web"}[r.IntN(2)]}
			if r.IntN(2) == 0 {
				e.Props["campaign"] = fmt.Sprint("c", r.IntN(3))
			}
		}
		evs[i] = e
	}
	return evs
}

// naiveSort is the obvious definition of the log's order.
func naiveSort(evs []Event) []Event {
	out := slices.Clone(evs)
	slices.SortStableFunc(out, func(a, b Event) int {
		if c := strings.Compare(a.Customer, b.Customer); c != 0 {
			return c
		}
		return a.Time.Compare(b.Time)
	})
	for i := range out {
		out[i].Time = out[i].Time.UTC()
	}
	return out
}

var equateEmptyProps = cmpopts.EquateEmpty()

func TestBuildersAgreeWithTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		evs := randomEvents(r, r.IntN(200), 1+r.IntN(30))
		want := naiveSort(evs)
		l1, err := NewLog(evs)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := NewLogSeq(slices.Values(evs))
		if err != nil {
			t.Fatal(err)
		}
		l3 := builderLog(t, evs)
		for name, l := range map[string]*Log{"NewLog": l1, "NewLogSeq": l2, "LogBuilder": l3} {
			if diff := cmp.Diff(want, l.Events(), equateEmptyProps); diff != "" {
				t.Fatalf("trial %d: %s (-want +got):\n%s", trial, name, diff)
			}
		}
	}
}

// naiveVariants and naiveFollows are the obvious definitions, on paths.
func naiveVariants(l *Log, by By) []Variant {
	counts := map[string]int{}
	routes := map[string][]string{}
	for p := range l.Paths() {
		route := []string{}
		for _, e := range p.Events {
			if s := attr(e, by); s != "" {
				route = append(route, s)
			}
		}
		k := fmt.Sprintf("%q", route)
		counts[k]++
		routes[k] = route
	}
	var out []Variant
	for k, n := range counts {
		out = append(out, Variant{Route: routes[k], Customers: n})
	}
	slices.SortFunc(out, func(a, b Variant) int {
		if a.Customers != b.Customers {
			return b.Customers - a.Customers
		}
		return slices.Compare(a.Route, b.Route)
	})
	return out
}

func naiveFollows(l *Log, by By) []Edge {
	counts := map[[2]string]int{}
	for p := range l.Paths() {
		prev := ""
		for _, e := range p.Events {
			s := attr(e, by)
			if s == "" {
				continue
			}
			if prev != "" {
				counts[[2]string{prev, s}]++
			}
			prev = s
		}
	}
	var out []Edge
	for k, n := range counts {
		out = append(out, Edge{From: k[0], To: k[1], Count: n})
	}
	slices.SortFunc(out, func(a, b Edge) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	return out
}

func attr(e Event, by By) string {
	switch by {
	case ByChannel:
		return string(e.Channel)
	case ByTouchpoint:
		return e.Touchpoint
	}
	return e.Step
}

func TestAnalysesAgreeWithTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 40 {
		l, err := NewLog(randomEvents(r, r.IntN(300), 1+r.IntN(40)))
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range []By{ByStep, ByChannel, ByTouchpoint} {
			want := naiveVariants(l, by)
			for _, w := range []int{0, 1, 2, 3, 7} {
				if diff := cmp.Diff(want, l.CountVariants(by, w).Variants(), equateEmptyProps); diff != "" {
					t.Fatalf("trial %d, by %v, %d workers: variants (-want +got):\n%s", trial, by, w, diff)
				}
			}
			wantE := naiveFollows(l, by)
			for _, w := range []int{0, 1, 2, 5} {
				if diff := cmp.Diff(wantE, l.CountFollows(by, w).Edges(), equateEmptyProps); diff != "" {
					t.Fatalf("trial %d, by %v, %d workers: follows (-want +got):\n%s", trial, by, w, diff)
				}
			}
		}
	}
}

func TestFollowsSparseAboveTheDenseLimit(t *testing.T) {
	var evs []Event
	for i := range 1024 + 10 { // the dense counters hold 1,024 names
		evs = append(evs, Event{Customer: "c", Time: at(i), Step: fmt.Sprint("s", i)})
	}
	l, _ := NewLog(evs)
	got := l.DirectlyFollows(ByStep)
	if diff := cmp.Diff(naiveFollows(l, ByStep), got); diff != "" || len(got) != 1024+9 {
		t.Errorf("%d edges (-want +got):\n%s", len(got), diff)
	}
}

func TestMergeEqualsTheWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 30 {
		evs := randomEvents(r, r.IntN(300), 1+r.IntN(30))
		whole, _ := NewLog(evs)
		// Split at random, customers shared between parts: Merge must equal
		// the log of the concatenation, parts in order.
		k := 1 + r.IntN(4)
		var parts []*Log
		var concat []Event
		rest := evs
		for i := range k {
			n := len(rest)
			if i < k-1 {
				n = r.IntN(len(rest) + 1)
			}
			p, _ := NewLog(rest[:n])
			parts = append(parts, p)
			concat = append(concat, naiveSort(rest[:n])...)
			rest = rest[n:]
		}
		merged, err := Merge(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(naiveSort(concat), merged.Events(), equateEmptyProps); diff != "" {
			t.Fatalf("trial %d: Merge (-want +got):\n%s", trial, diff)
		}
		if merged.Len() != whole.Len() || merged.Customers() != whole.Customers() {
			t.Fatalf("trial %d: merged %d/%d, whole %d/%d", trial, merged.Len(), merged.Customers(), whole.Len(), whole.Customers())
		}
	}
}

func TestAggregatesMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	l, _ := NewLog(randomEvents(r, 500, 60))
	// Split by customer into three parts; the merged counts equal the whole,
	// in any merge order (associative and commutative).
	var parts []*Log
	for k := range 3 {
		parts = append(parts, l.FilterCustomers(func(c string) bool { return int(c[len(c)-1])%3 == k }))
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 0, 1}, {1, 2, 0}} {
		var v VariantCounts
		var f FollowCounts
		for _, k := range order {
			v.Merge(parts[k].CountVariants(ByChannel, 1))
			f.Merge(parts[k].CountFollows(ByChannel, 1))
		}
		if diff := cmp.Diff(l.Variants(ByChannel), v.Variants(), equateEmptyProps); diff != "" {
			t.Errorf("merged variants (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(l.DirectlyFollows(ByChannel), f.Edges()); diff != "" {
			t.Errorf("merged follows (-want +got):\n%s", diff)
		}
	}
	var v VariantCounts
	v.Add([]string{"a", "b"}, 2)
	v.Add([]string{"a\x00", "b"}, 1) // names with any bytes stay distinct
	v.Add(nil, 1)
	want := []Variant{{Route: []string{"a", "b"}, Customers: 2}, {Route: []string{}, Customers: 1}, {Route: []string{"a\x00", "b"}, Customers: 1}}
	if diff := cmp.Diff(want, v.Variants()); diff != "" || v.Len() != 3 {
		t.Errorf("VariantCounts (-want +got):\n%s", diff)
	}
	var f FollowCounts
	f.Add("a", "b", 2)
	if f.Count("a", "b") != 2 || f.Count("b", "a") != 0 {
		t.Error("FollowCounts.Count")
	}
}

func TestByText(t *testing.T) {
	for _, b := range []By{ByStep, ByChannel, ByTouchpoint} {
		text, err := b.MarshalText()
		var back By
		if err != nil || back.UnmarshalText(text) != nil || back != b {
			t.Errorf("%v does not round-trip", b)
		}
	}
	if b, err := ParseBy("Canal"); err != nil || b != ByChannel {
		t.Error("French canal")
	}
	if _, err := ParseBy("time"); !errors.Is(err, ErrUnknownBy) {
		t.Error(err)
	}
	if _, err := By(9).MarshalText(); err == nil || By(9).String() != "By(9)" {
		t.Error("bad By")
	}
	defer func() {
		if recover() == nil {
			t.Error("Variants(By(9)) must panic: a bad By is a programming error")
		}
	}()
	l, _ := NewLog(nil)
	l.Variants(By(9))
}

func TestShards(t *testing.T) {
	// Customers with 1, 1, 1, 1, 96 events: two shards split the events,
	// not the customers, so the big customer stands alone.
	var evs []Event
	for c, n := range []int{1, 1, 1, 1, 96} {
		for i := range n {
			evs = append(evs, Event{Customer: fmt.Sprint("c", c), Time: at(i), Step: "s"})
		}
	}
	l, _ := NewLog(evs)
	tests := []struct {
		n      int
		want   []int
		reason string
	}{
		{1, []int{0, 5}, "one range holds everyone"},
		{2, []int{0, 4, 5}, "half the events start at the big customer"},
		{3, []int{0, 4, 5, 5}, "a third of the events is nearest the start of the big customer, two thirds its end: the last range is empty"},
		{9, nil, "more ranges than customers is capped at the customers"},
	}
	for _, tt := range tests {
		got := l.Shards(tt.n)
		if tt.n > l.Customers() {
			if len(got) != l.Customers()+1 || got[0] != 0 || got[len(got)-1] != 5 {
				t.Errorf("Shards(%d) = %v (%s)", tt.n, got, tt.reason)
			}
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Shards(%d) (%s) (-want +got):\n%s", tt.n, tt.reason, diff)
		}
	}
	empty, _ := NewLog(nil)
	if got := empty.Shards(4); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("Shards of an empty log = %v", got)
	}
}
