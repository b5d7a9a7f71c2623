package funnel

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// base is a Sunday, 23:30 UTC: Monday 00:30 in CET.
var base = time.Date(2025, 1, 5, 23, 30, 0, 0, time.UTC)

// ev is an event of customer c at minute m of base.
func ev(c string, m int, step string, ch touchpoint.Channel, props ...string) journey.Event {
	e := journey.Event{Customer: c, Time: base.Add(time.Duration(m) * time.Minute), Step: step, Channel: ch}
	for i := 0; i+1 < len(props); i += 2 {
		if e.Props == nil {
			e.Props = map[string]string{}
		}
		e.Props[props[i]] = props[i+1]
	}
	return e
}

func mustLog(t *testing.T, evs ...journey.Event) *journey.Log {
	t.Helper()
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// shopLog is the hand-worked example of the report tests (window 1h,
// funnel visit → cart → buy):
//
//	ann  visit 0 (email, mobile), review 20, cart 10 (web, desktop), buy 30   → 3
//	bob  visit −120 (social), review −65, cart −70 (web); buy −50 is 70 min after the visit → 2
//	cid  visit 0 (email), help 5                                                → 1
//	dan  cart 5                                                                 → 0, not in the funnel
//	eve  visit 0 (web), visit 20 (email), cart 30, review 35, buy 40           → 3, chain from 20
func shopLog(t testing.TB) *journey.Log { return mustLogTB(t, shopEvents()) }

func shopEvents() []journey.Event {
	return []journey.Event{
		ev("ann", 0, "visit", touchpoint.Email, "device", "mobile"),
		ev("ann", 10, "cart", touchpoint.Web, "device", "desktop"),
		ev("ann", 20, "review", touchpoint.Web),
		ev("ann", 30, "buy", touchpoint.Web),
		ev("bob", -120, "visit", touchpoint.Social),
		ev("bob", -70, "cart", touchpoint.Web),
		ev("bob", -65, "review", touchpoint.Web),
		ev("bob", -50, "buy", touchpoint.Web),
		ev("cid", 0, "visit", touchpoint.Email),
		ev("cid", 5, "help", touchpoint.Phone),
		ev("dan", 5, "cart", touchpoint.Web),
		ev("eve", 0, "visit", touchpoint.Web),
		ev("eve", 20, "visit", touchpoint.Email),
		ev("eve", 30, "cart", touchpoint.Web),
		ev("eve", 35, "review", touchpoint.Web),
		ev("eve", 40, "buy", touchpoint.Web),
	}
}

var shop = Funnel{Stages: []Stage{Step("visit"), Step("cart"), Step("buy")}, Window: time.Hour}

func mins(ms ...int) Durations {
	var s []int64
	for _, m := range ms {
		s = append(s, int64(time.Duration(m)*time.Minute))
	}
	return durationsOf(s)
}

func TestReportHandWorked(t *testing.T) {
	rep, err := shop.Analyze(shopLog(t), Options{ListCustomers: true})
	if err != nil {
		t.Fatal(err)
	}
	want := Stages{
		{Name: "visit", Reached: 4, Dropped: 1,
			Customers: []string{"ann", "bob", "cid", "eve"}, DroppedCustomers: []string{"cid"}},
		{Name: "cart", Reached: 3, Dropped: 1, FromPrevious: mins(10, 50, 10), FromFirst: mins(10, 50, 10),
			Customers: []string{"ann", "bob", "eve"}, DroppedCustomers: []string{"bob"}},
		{Name: "buy", Reached: 2, FromPrevious: mins(20, 10), FromFirst: mins(30, 20),
			Customers: []string{"ann", "eve"}},
	}
	if diff := cmp.Diff(want, rep.Stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	if rep.Customers != 5 || rep.Excluded != 0 {
		t.Errorf("customers %d, excluded %d; want 5, 0", rep.Customers, rep.Excluded)
	}
	got := []float64{rep.Stages.FromPrevious(0), rep.Stages.FromPrevious(1), rep.Stages.FromPrevious(2),
		rep.Stages.FromFirst(2), rep.Stages.DropOff(0), rep.Stages.DropOff(1)}
	if diff := cmp.Diff([]float64{1, 0.75, 2.0 / 3, 0.5, 0.25, 1.0 / 3}, got); diff != "" {
		t.Errorf("rates (-want +got):\n%s", diff)
	}
	cart := &rep.Stages[1].FromPrevious
	med := []time.Duration{cart.Median(), cart.P90(), cart.Min(), cart.Max(), cart.Mean()}
	if diff := cmp.Diff([]time.Duration{10 * time.Minute, 50 * time.Minute, 10 * time.Minute, 50 * time.Minute, 70 * time.Minute / 3}, med); diff != "" {
		t.Errorf("cart durations: median, p90, min, max, mean (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 2, 1, 0}, cart.Histogram([]time.Duration{time.Minute, 10 * time.Minute, time.Hour})); diff != "" {
		t.Errorf("histogram (-want +got):\n%s", diff)
	}
}

func TestBreakdowns(t *testing.T) {
	rules := persona.Rules{
		{Persona: "mobile", When: []persona.Condition{{Property: "device", Values: []string{"mobile"}}}},
		{Persona: "desktop", When: []persona.Condition{{Property: "device", Values: []string{"desktop"}}}},
	}
	type seg struct {
		Value   string
		Reached []int
	}
	for _, tc := range []struct {
		name   string
		reason string
		b      Breakdown
		want   []seg
	}{
		{name: "first-channel", reason: "each customer's first channel: ann and cid email, bob social, eve web",
			b:    Breakdown{By: ByChannel},
			want: []seg{{"email", []int{2, 1, 1}}, {"social", []int{1, 1, 0}}, {"web", []int{1, 1, 1}}}},
		{name: "last-channel", reason: "the last channel up to the chain's end: cid's is email, the others' web",
			b:    Breakdown{By: ByChannel, Attribution: LastTouch},
			want: []seg{{"web", []int{3, 3, 2}}, {"email", []int{1, 0, 0}}}},
		{name: "channel-at-entry", reason: "eve's chain starts at her second visit, by email",
			b:    Breakdown{By: ByChannel, Attribution: AtStage},
			want: []seg{{"email", []int{3, 2, 2}}, {"social", []int{1, 1, 0}}}},
		{name: "channel-at-stage-2", reason: "cid's chain does not reach the cart: empty value",
			b:    Breakdown{By: ByChannel, Attribution: AtStage, Stage: 1},
			want: []seg{{"web", []int{3, 3, 2}}, {"", []int{1, 0, 0}}}},
		{name: "prop-first", reason: "only ann has a device; the others have none",
			b:    Breakdown{By: ByProp, Prop: "device"},
			want: []seg{{"", []int{3, 2, 1}}, {"mobile", []int{1, 1, 1}}}},
		{name: "prop-last", reason: "ann's last device before her purchase is desktop",
			b:    Breakdown{By: ByProp, Prop: "device", Attribution: LastTouch},
			want: []seg{{"", []int{3, 2, 1}}, {"desktop", []int{1, 1, 1}}}},
		{name: "persona-first", reason: "the rules see ann's first device, mobile",
			b:    Breakdown{By: ByPersona, Personas: rules},
			want: []seg{{"", []int{3, 2, 1}}, {"mobile", []int{1, 1, 1}}}},
		{name: "persona-at-cart", reason: "at the cart, ann is on desktop",
			b:    Breakdown{By: ByPersona, Personas: rules, Attribution: AtStage, Stage: 1},
			want: []seg{{"", []int{3, 2, 1}}, {"desktop", []int{1, 1, 1}}}},
		{name: "step-at-entry", reason: "every chain starts with a visit",
			b:    Breakdown{By: ByStep, Attribution: AtStage},
			want: []seg{{"visit", []int{4, 3, 2}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := shop.Analyze(shopLog(t), Options{Breakdowns: []Breakdown{tc.b}})
			if err != nil {
				t.Fatal(err)
			}
			var got []seg
			for _, s := range rep.Breakdowns[0].Segments {
				var r []int
				for _, st := range s.Stages {
					r = append(r, st.Reached)
				}
				got = append(got, seg{s.Value, r})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("segments (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTrend(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name   string
		reason string
		period Period
		loc    *time.Location
		want   map[string][]int // bucket start → reached per stage
	}{
		{name: "week-utc", reason: "every chain starts on Sunday 5 January, UTC, in the week of Monday 30 December",
			period: Week, loc: nil, want: map[string][]int{"2024-12-30T00:00:00Z": {4, 3, 2}}},
		{name: "week-cet", reason: "in CET, bob's visit (Sunday 22:30) is in the week of 30 December, the others' (Monday 00:30 …) in the next",
			period: Week, loc: cet, want: map[string][]int{"2024-12-30T00:00:00+01:00": {1, 1, 0}, "2025-01-06T00:00:00+01:00": {3, 2, 2}}},
		{name: "day-cet", reason: "the same split by day",
			period: Day, loc: cet, want: map[string][]int{"2025-01-05T00:00:00+01:00": {1, 1, 0}, "2025-01-06T00:00:00+01:00": {3, 2, 2}}},
		{name: "month-utc", reason: "January 2025 in UTC",
			period: Month, loc: nil, want: map[string][]int{"2025-01-01T00:00:00Z": {4, 3, 2}}},
		{name: "month-cet", reason: "still January in CET", period: Month, loc: cet,
			want: map[string][]int{"2025-01-01T00:00:00+01:00": {4, 3, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := shop.Analyze(shopLog(t), Options{Trend: tc.period, Location: tc.loc})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]int{}
			for _, b := range rep.Trend {
				for _, s := range b.Stages {
					got[b.Start.Format(time.RFC3339)] = append(got[b.Start.Format(time.RFC3339)], s.Reached)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("buckets (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDrivers(t *testing.T) {
	rep, err := shop.Analyze(shopLog(t), Options{Drivers: &Drivers{Steps: true, Channels: true}})
	if err != nil {
		t.Fatal(err)
	}
	// Successes: ann (review at 20 before buying at 30) and eve (review at
	// 35, after her chain's start at 20). Failures: bob (review within his
	// window, before it ends at −60), cid (help at 5, phone).
	want := &DriverCounts{Success: 2, Failure: 2, Features: []FeatureCount{
		{Feature{Kind: "channel", Value: "phone"}, 0, 1},
		{Feature{Kind: "channel", Value: "web"}, 2, 1},
		{Feature{Kind: "step", Value: "help"}, 0, 1},
		{Feature{Kind: "step", Value: "review"}, 2, 1},
	}}
	if diff := cmp.Diff(want, rep.Drivers); diff != "" {
		t.Fatalf("drivers (-want +got):\n%s", diff)
	}
	got := rep.Drivers.Drivers(2)
	wantD := []Driver{
		{Feature{Kind: "channel", Value: "web"}, 2, 1, 3},
		{Feature{Kind: "step", Value: "review"}, 2, 1, 3},
	}
	if diff := cmp.Diff(wantD, got); diff != "" {
		t.Errorf("drivers (-want +got):\n%s", diff)
	}
	if r := OddsRatio(5, 1, 7, 11); r != 11 {
		t.Errorf("OddsRatio(5, 1, 7, 11) = %v, want (6·11)/(3·2) = 11", r)
	}
	if r := OddsRatio(0, 1, 2, 2); math.Abs(r-1.0/3) > 1e-12 {
		t.Errorf("OddsRatio(0, 1, 2, 2) = %v, want (1·2)/(3·2)", r)
	}
	if rep.Drivers.Skewed() || rep.Drivers.MinUnits() != 1 {
		t.Errorf("skewed %v, min units %d; want false, 1", rep.Drivers.Skewed(), rep.Drivers.MinUnits())
	}
}

func TestAttempts(t *testing.T) {
	l := mustLog(t,
		// fay: an attempt that expires (cart at 10, nothing by 60), then a
		// complete one.
		ev("fay", 0, "visit", ""), ev("fay", 10, "cart", ""),
		ev("fay", 100, "visit", ""), ev("fay", 110, "cart", ""), ev("fay", 120, "buy", ""), ev("fay", 130, "buy", ""),
		// gus: two complete attempts in a row; the second visit at 25
		// re-enters after the first completed.
		ev("gus", 0, "visit", ""), ev("gus", 10, "cart", ""), ev("gus", 20, "buy", ""),
		ev("gus", 25, "visit", ""), ev("gus", 30, "cart", ""), ev("gus", 35, "buy", ""),
		// hal: a restart within the window stays one attempt.
		ev("hal", 0, "visit", ""), ev("hal", 50, "visit", ""), ev("hal", 70, "cart", ""),
	)
	for _, tc := range []struct {
		name   string
		reason string
		count  Count
		f      Funnel
		want   []int
	}{
		{name: "customers", reason: "each customer once, at their best chain", count: Customers, f: shop, want: []int{3, 3, 2}},
		{name: "attempts", reason: "fay 2 attempts (one to the cart), gus 2 complete, hal 1 to the cart", count: Attempts, f: shop,
			want: []int{5, 5, 3}},
		{name: "attempts-unordered", reason: "fay: visit and cart (2), visit cart buy (3), then buy at 130 alone (1); gus: two complete; hal: visits (1), then the cart alone (1)",
			count: Attempts, f: Funnel{Stages: []Stage{Step("buy"), Step("cart"), Step("visit")}, Order: Unordered, Window: time.Hour}, want: []int{7, 4, 3}},
		{name: "customers-unordered", reason: "the best window of each customer", count: Customers,
			f: Funnel{Stages: []Stage{Step("buy"), Step("cart"), Step("visit")}, Order: Unordered, Window: time.Hour}, want: []int{3, 3, 2}},
		{name: "attempts-no-window", reason: "without a window an attempt ends only when complete: fay's first attempt completes at 120",
			count: Attempts, f: Funnel{Stages: shop.Stages}, want: []int{4, 4, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tc.f.Analyze(l, Options{Count: tc.count})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, s := range rep.Stages {
				got = append(got, s.Reached)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reached (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestAttemptsExcluded(t *testing.T) {
	// rex calls between cart and buy in his first attempt, not in his
	// second: one attempt excluded; as a customer he is not.
	l := mustLog(t, ev("rex", 0, "visit", ""), ev("rex", 10, "cart", ""), ev("rex", 15, "call", ""), ev("rex", 20, "buy", ""),
		ev("rex", 100, "visit", ""), ev("rex", 110, "cart", ""), ev("rex", 120, "buy", ""))
	f := shop
	f.Exclusions = []Exclusion{{Stage: Step("call"), From: 1, To: 2}}
	for count, want := range map[Count][]int{Customers: {0, 1, 1, 1}, Attempts: {1, 1, 1, 1}} {
		rep, err := f.Analyze(l, Options{Count: count})
		if err != nil {
			t.Fatal(err)
		}
		got := []int{rep.Excluded}
		for _, s := range rep.Stages {
			got = append(got, s.Reached)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v: excluded, reached (-want +got):\n%s", count, diff)
		}
	}
}

func TestAttemptsStrict(t *testing.T) {
	// pia's help at 2 stops her first attempt (visit, cart); her visit at
	// the same time, sorted after the stop, starts the second, which
	// completes. Counting customers, the stop is for good (ClickHouse).
	l := mustLog(t, ev("pia", 0, "visit", ""), ev("pia", 1, "cart", ""), ev("pia", 2, "help", ""),
		ev("pia", 2, "visit", ""), ev("pia", 3, "cart", ""), ev("pia", 4, "buy", ""))
	f := Funnel{Stages: shop.Stages, Window: time.Hour, Order: Strict}
	for count, want := range map[Count][]int{Customers: {1, 1, 0}, Attempts: {2, 2, 1}} {
		rep, err := f.Analyze(l, Options{Count: count})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, s := range rep.Stages {
			got = append(got, s.Reached)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v: reached (-want +got):\n%s", count, diff)
		}
	}
}

func TestExclusionsHandWorked(t *testing.T) {
	f := shop
	f.Exclusions = []Exclusion{{Stage: Step("call"), From: 1, To: 2}}
	l := mustLog(t,
		// hal: called between cart and buy: excluded.
		ev("hal", 0, "visit", ""), ev("hal", 10, "cart", ""), ev("hal", 15, "call", ""), ev("hal", 20, "buy", ""),
		// ivy: called, then went back to the cart and bought: her chain from
		// the second cart is clean.
		ev("ivy", 0, "visit", ""), ev("ivy", 10, "cart", ""), ev("ivy", 15, "call", ""), ev("ivy", 20, "cart", ""), ev("ivy", 30, "buy", ""),
		// jon: called after the cart and never bought, within the window:
		// excluded.
		ev("jon", 0, "visit", ""), ev("jon", 10, "cart", ""), ev("jon", 15, "call", ""),
		// kim: called before the cart: not between the stages.
		ev("kim", 0, "visit", ""), ev("kim", 5, "call", ""), ev("kim", 10, "cart", ""),
		// lea: called after her window ran out: too late to count.
		ev("lea", 0, "visit", ""), ev("lea", 10, "cart", ""), ev("lea", 100, "call", ""),
	)
	rep, err := f.Analyze(l, Options{ListCustomers: true})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{rep.Excluded, rep.Stages[0].Customers, rep.Stages[2].Customers}
	want := []any{2, []string{"ivy", "kim", "lea"}, []string{"ivy"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("excluded, entered, bought (-want +got):\n%s", diff)
	}
}

func TestOpenAndUnorderedReports(t *testing.T) {
	l := mustLog(t,
		// mia enters at the cart and buys; nia visits, then, much later,
		// goes to the cart (past the window: not a continuation).
		ev("mia", 0, "cart", ""), ev("mia", 5, "buy", ""),
		ev("nia", 0, "visit", ""), ev("nia", 90, "cart", ""),
		ev("ola", 0, "visit", ""), ev("ola", 20, "cart", ""), ev("ola", 30, "buy", ""),
	)
	open := shop
	open.Open = true
	rep, err := open.Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Stages{
		{Name: "visit", Reached: 2, Dropped: 1},
		{Name: "cart", Reached: 3, Dropped: 1, FromPrevious: mins(20)},
		{Name: "buy", Reached: 2, FromPrevious: mins(5, 10)},
	}
	if diff := cmp.Diff(want, rep.Stages); diff != "" {
		t.Errorf("open funnel (-want +got):\n%s", diff)
	}
	if r := rep.Stages.FromPrevious(1); r != 1.5 {
		t.Errorf("open FromPrevious(1) = %v, want 1.5 (more at the cart than at the visit)", r)
	}
	un := Funnel{Stages: []Stage{Step("buy"), Step("cart"), Step("visit")}, Order: Unordered, Window: time.Hour}
	rep, err = un.Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// mia did 2 stages within an hour, nia 1 (90 minutes apart), ola 3.
	want = Stages{
		{Name: "buy", Reached: 3, Dropped: 1},
		{Name: "cart", Reached: 2, Dropped: 1, FromPrevious: mins(5, 20), FromFirst: mins(5, 20)},
		{Name: "visit", Reached: 1, FromPrevious: mins(10), FromFirst: mins(30)},
	}
	if diff := cmp.Diff(want, rep.Stages); diff != "" {
		t.Errorf("unordered funnel (-want +got):\n%s", diff)
	}
}

func TestReportJSON(t *testing.T) {
	rep, err := shop.Analyze(shopLog(t), Options{ListCustomers: true, Trend: Week, Breakdowns: []Breakdown{{By: ByChannel}},
		Drivers: &Drivers{Steps: true}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	// The JSON form leaves the customer sample out (the binary one keeps it).
	if diff := cmp.Diff(rep, &back, cmpopts.IgnoreFields(Report{}, "Sample")); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if rep.Sample.Len() != 5 || back.Sample.Len() != 0 {
		t.Errorf("customer samples: %d before JSON, %d after, want 5 (ann … eve) and 0", rep.Sample.Len(), back.Sample.Len())
	}
	for _, tc := range []struct {
		name, reason, doc, want string
	}{
		{"unknown-field", "decoding is strict", `{"funnel":{"stages":[]},"stages":[],"colour":1}`, `colour`},
		{"bad-durations", "runs must increase", `{"funnel":{"stages":["a"]},"stages":[{"name":"a","reached":1,"dropped":0,"from_previous":[[5,1],[5,1]],"from_first":[]}]}`, "not above the previous"},
		{"bad-counts", "a stage cannot drop more than it reached", `{"funnel":{"stages":["a"]},"stages":[{"name":"a","reached":1,"dropped":2,"from_previous":[],"from_first":[]}]}`, "bad counts"},
		{"stage-count", "the stages must be the funnel's", `{"funnel":{"stages":["a","b"]},"stages":[]}`, "0 stages, the funnel has 2"},
		{"order", "enums are checked", `{"funnel":{"stages":[],"order":"sideways"},"stages":[]}`, `unknown name "sideways"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Report
			err := json.Unmarshal([]byte(tc.doc), &r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q (%s)", err, tc.want, tc.reason)
			}
		})
	}
}

func FuzzReportJSON(f *testing.F) {
	rep, err := shop.Analyze(mustLogTB(f, shopEvents()), Options{ListCustomers: true, Trend: Day,
		Breakdowns: []Breakdown{{By: ByProp, Prop: "device"}}, Drivers: &Drivers{Channels: true}})
	if err != nil {
		f.Fatal(err)
	}
	data, _ := json.Marshal(rep)
	f.Add(data)
	f.Add([]byte(`{"funnel":{"stages":["a"]},"stages":[{"name":"a","reached":1,"dropped":0,"from_previous":[[1,2]],"from_first":[]}]}`))
	f.Add([]byte(`{"stages":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		// A decoded report is consistent: every method works on it, it
		// merges with itself and round-trips.
		for k := range r.Stages {
			_ = r.Stages.FromPrevious(k) + r.Stages.FromFirst(k) + r.Stages.DropOff(k)
			_ = r.Stages[k].FromFirst.Median() + r.Stages[k].FromPrevious.P90()
			_ = r.Stages[k].FromPrevious.Histogram(DefaultBuckets)
		}
		if r.Drivers != nil {
			_ = r.Drivers.Drivers(0)
		}
		_ = r.String()
		twice := r
		if err := twice.Merge(&r); err != nil {
			t.Fatalf("a report does not merge with itself: %v", err)
		}
		again, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(again, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
	})
}

func mustLogTB(tb testing.TB, evs []journey.Event) *journey.Log {
	l, err := journey.NewLog(evs)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func TestMergeIncompatible(t *testing.T) {
	l := shopLog(t)
	a, _ := shop.Analyze(l, Options{})
	other := shop
	other.Window = 2 * time.Hour
	b, _ := other.Analyze(l, Options{})
	if err := a.Merge(b); !errors.Is(err, ErrIncompatible) {
		t.Errorf("merging reports of different windows: %v, want ErrIncompatible", err)
	}
	c, _ := shop.Analyze(l, Options{Count: Attempts})
	if err := a.Merge(c); !errors.Is(err, ErrIncompatible) {
		t.Errorf("merging customers and attempts: %v, want ErrIncompatible", err)
	}
}

func TestAnalyzeOptionErrors(t *testing.T) {
	if _, err := shop.Analyze(nil, Options{}); err == nil || err.Error() != "funnel: bad option: nil log" {
		t.Errorf("Analyze(nil) error %v, want funnel: bad option: nil log", err)
	}
	l := shopLog(t)
	for _, tc := range []struct {
		name, reason string
		f            Funnel
		opt          Options
		want         []string
	}{
		{name: "bad-funnel", reason: "the funnel is validated", f: Funnel{Stages: []Stage{Step("a"), {Name: "checkout"}}},
			want: []string{`funnel: stages[1] "checkout": nil Match`}},
		{name: "negative-workers", reason: "0 means GOMAXPROCS, negative is a mistake", f: shop, opt: Options{Workers: -1},
			want: []string{"funnel: options: workers: bad option: negative (-1)"}},
		{name: "open-attempts", reason: "an open funnel counts customers", f: Funnel{Stages: shop.Stages, Open: true}, opt: Options{Count: Attempts},
			want: []string{"funnel: options: count: conflicting options: an open funnel counts customers only"}},
		{name: "breakdown", reason: "a property breakdown needs its key, a stage attribution a stage",
			f: shop, opt: Options{Breakdowns: []Breakdown{{By: ByProp}, {By: ByChannel, Attribution: AtStage, Stage: 3}}},
			want: []string{
				"funnel: options: breakdowns[0]: prop: bad option: a property breakdown needs the property key",
				"funnel: options: breakdowns[1]: stage: bad option: stage 3, want 0 to 2",
			}},
		{name: "drivers", reason: "a driver analysis needs features", f: shop, opt: Options{Drivers: &Drivers{}},
			want: []string{"funnel: options: drivers: bad option: no feature to count (set Steps, Channels, Touchpoints or Props)"}},
		{name: "both", reason: "funnel and options problems are reported together",
			f: Funnel{}, opt: Options{Resolution: -1},
			want: []string{"funnel: stages: no stages", "funnel: options: resolution: bad option: negative (-1ns)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Analyze(l, tc.opt)
			if err == nil {
				t.Fatalf("no error (%s)", tc.reason)
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got) (%s):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestSamplesCompaction checks that folding durations into runs as they
// come (with a resolution) keeps exactly the same distribution.
func TestSamplesCompaction(t *testing.T) {
	var s samples
	var all []int64
	for i := range 50000 {
		d := int64((i*7919)%600) * int64(time.Second)
		all = append(all, d)
		s.add(d, true)
	}
	if s.runs.Len() == 0 || len(s.raw) >= 4096 {
		t.Fatalf("no compaction happened: %d runs, %d raw", s.runs.Len(), len(s.raw))
	}
	got := durationsOf(slices.Clone(s.raw))
	got.q.Merge(s.runs)
	if diff := cmp.Diff(durationsOf(all), got); diff != "" {
		t.Errorf("compacted distribution (-want +got):\n%s", diff)
	}
}

func TestOpenConsecutive(t *testing.T) {
	// The help at 5 breaks visit → cart; cart → buy is direct.
	l := mustLog(t, ev("qia", 0, "visit", ""), ev("qia", 5, "help", ""), ev("qia", 10, "cart", ""), ev("qia", 15, "buy", ""))
	f := Funnel{Stages: shop.Stages, Open: true, Order: Consecutive, Window: time.Hour}
	rep, err := f.Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Stages{
		{Name: "visit", Reached: 1, Dropped: 1},
		{Name: "cart", Reached: 1},
		{Name: "buy", Reached: 1, FromPrevious: mins(5)},
	}
	if diff := cmp.Diff(want, rep.Stages); diff != "" {
		t.Errorf("open consecutive funnel (-want +got):\n%s", diff)
	}
}

func TestEmpty(t *testing.T) {
	l := mustLog(t)
	rep, err := shop.Analyze(l, Options{Trend: Day, Breakdowns: []Breakdown{{By: ByStep}}, Drivers: &Drivers{Steps: true}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 0 || rep.Stages[0].Reached != 0 || len(rep.Trend) != 0 || len(rep.Breakdowns[0].Segments) != 0 {
		t.Errorf("report of an empty log: %+v", rep)
	}
	if got := rep.Stages.FromPrevious(1) + rep.Stages.FromFirst(2) + rep.Stages.DropOff(0); got != 0 {
		t.Errorf("rates of an empty report sum to %v, want 0", got)
	}
	if lv := shop.Level(nil); lv != 0 {
		t.Errorf("Level(nil) = %d, want 0", lv)
	}
	full, _ := shop.Analyze(shopLog(t), Options{Trend: Day, Breakdowns: []Breakdown{{By: ByStep}}, Drivers: &Drivers{Steps: true}})
	want, _ := shop.Analyze(shopLog(t), Options{Trend: Day, Breakdowns: []Breakdown{{By: ByStep}}, Drivers: &Drivers{Steps: true}})
	if err := rep.Merge(full); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("empty merged with full (-want +got):\n%s", diff)
	}
}
