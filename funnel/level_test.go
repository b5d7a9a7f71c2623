package funnel

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
)

// The cases of this file use the notation of the research notes: an event
// t:{i,j} happens at second t and satisfies conditions (stages) i and j,
// numbered from 1; t:{} satisfies none. parseEvents turns such a string
// into events whose Step lists the conditions ("1,3", or "-").

func parseEvents(t testing.TB, s string) []journey.Event {
	t.Helper()
	var out []journey.Event
	for _, f := range strings.Fields(s) {
		ts, set, ok := strings.Cut(f, ":")
		if !ok || !strings.HasPrefix(set, "{") || !strings.HasSuffix(set, "}") {
			t.Fatalf("bad event %q", f)
		}
		sec, err := strconv.Atoi(ts)
		if err != nil {
			t.Fatalf("bad time in %q", f)
		}
		step := strings.Trim(set, "{}")
		if step == "" {
			step = "-"
		}
		out = append(out, journey.Event{Customer: "c", Time: time.Unix(int64(sec), 0).UTC(), Step: step})
	}
	return out
}

// condStages returns n stages; stage i (from 1) matches events whose step
// lists i.
func condStages(n int) []Stage {
	out := make([]Stage, n)
	for i := range out {
		want := strconv.Itoa(i + 1)
		out[i] = Stage{Name: "c" + want, Match: func(e journey.Event) bool {
			return slices.Contains(strings.Split(e.Step, ","), want)
		}}
	}
	return out
}

// mode flags, in the notes' names.
type modes struct {
	order                          Order
	dedup, increase, once, reentry bool
}

var (
	none     = modes{}
	dedup    = modes{dedup: true}
	strict   = modes{order: Strict}
	increase = modes{increase: true}
	once     = modes{once: true}
)

func (m modes) funnel(n int, w int64) Funnel {
	return Funnel{Stages: condStages(n), Window: time.Duration(w) * time.Second, Order: m.order,
		StrictDedup: m.dedup, StrictIncrease: m.increase, StrictOnce: m.once, AllowReentry: m.reentry}
}

type levelCase struct {
	name   string
	reason string
	source string // "" for hand-walked cases
	events string
	n      int   // stages
	w      int64 // window in seconds
	m      modes
	want   int
}

const (
	t1  = "ClickHouse tests/queries/0_stateless/00632_aggregation_window_funnel.sql"
	t2  = "ClickHouse tests/queries/0_stateless/01646_fix_window_funnel_inconistency.sql"
	t3  = "ClickHouse test_windowfunnel_strict_dedup (issue #37177)"
	big = 1 << 30 // seconds: about 34 years
)

// clickHouseCases are the notes' section 3 cases. source names the
// ClickHouse test whose reference file confirms the expected level; the
// others were walked by hand through ClickHouse's algorithm.
var clickHouseCases = []levelCase{
	// No mode.
	{name: "D1/W=2", source: t1 + ` windowFunnel(2) on funnel_test`, reason: "chain 3,4,5; 6 is past 3+2",
		events: "0:{} 1:{} 2:{} 3:{1} 4:{2} 5:{3} 6:{4} 7:{5} 8:{}", n: 5, w: 2, want: 3},
	{name: "D1/W=3", source: t1 + ` windowFunnel(3) on funnel_test`, reason: "6 ≤ 3+3",
		events: "0:{} 1:{} 2:{} 3:{1} 4:{2} 5:{3} 6:{4} 7:{5} 8:{}", n: 5, w: 3, want: 4},
	{name: "D1/W=4", source: t1 + ` windowFunnel(4) on funnel_test`, reason: "the window is inclusive: 7 ≤ 3+4",
		events: "0:{} 1:{} 2:{} 3:{1} 4:{2} 5:{3} 6:{4} 7:{5} 8:{}", n: 5, w: 4, want: 5},
	{name: "D2", source: t1 + ` windowFunnel(10000) on funnel_test2 (1008, 1001)`, reason: "stage 2 happens only before stage 1",
		events: "1:{2} 2:{} 3:{} 4:{} 5:{} 6:{} 7:{} 8:{1}", n: 2, w: 10000, want: 1},
	{name: "D3", source: t1 + ` overlapping conditions (e<=1007, e>=1002, e<=1006, e>=1004), W=4`,
		reason: "at t=4 one event fills stages 1 to 4 in sorted order",
		events: "1:{1,3} 2:{1,2,3} 3:{1,2,3} 4:{1,2,3,4} 5:{1,2,3,4} 6:{1,2,3,4} 7:{1,2,4} 8:{2,4}", n: 4, w: 4, want: 4},
	{name: "D4", source: t2, reason: "d0's stage 3 has no predecessor; at d1 stage 1 sorts before stage 2",
		events: "0:{3} 1:{2} 1:{1}", n: 3, w: big, want: 2},
	{name: "D4/other-row-order", source: t2, reason: "the result does not depend on row order",
		events: "0:{3} 1:{1} 1:{2}", n: 3, w: big, want: 2},
	{name: "D5", source: t1 + ` funnel_test_strict_increase, windowFunnel(big)`, reason: "equal timestamps chain",
		events: "0:{1} 1:{2} 1:{3} 1:{4} 2:{5}", n: 5, w: big, want: 5},
	{name: "D6", source: t1 + ` funnel_test_strict_increase (1004,1004,1004)`, reason: "one event fills all three stages",
		events: "2:{1,2,3}", n: 3, w: big, want: 3},
	{name: "D7", reason: "the restart at 5 leaves the chain 0,1 at stage 2, which 9 extends (9 ≤ 0+10)",
		events: "0:{1} 1:{2} 5:{1} 9:{3}", n: 3, w: 10, want: 3},
	{name: "D8", reason: "the restart at 8 completes at 15 ≤ 18; the first start alone would not",
		events: "0:{1} 8:{1} 9:{2} 15:{3}", n: 3, w: 10, want: 3},
	{name: "D9", reason: "the window is measured from the first stage: 12 > 0+10",
		events: "0:{1} 6:{2} 12:{3}", n: 3, w: 10, want: 2},
	{name: "D10/W=10", reason: "inclusive boundary", events: "0:{1} 10:{2}", n: 2, w: 10, want: 2},
	{name: "D10/W=9", reason: "one past the boundary", events: "0:{1} 10:{2}", n: 2, w: 9, want: 1},
	{name: "D12", source: t3, reason: "the chain restarted at 25 completes at 40 ≤ 85",
		events: "0:{1} 5:{2} 10:{3} 15:{1} 20:{2} 25:{1} 30:{2} 35:{3} 40:{4}", n: 4, w: 60, want: 4},
	// strict_deduplication
	{name: "DD1", source: t1 + ` windowFunnel(big, 'strict_deduplication')`, reason: "the second stage 6 at 51 finds level 6 reached",
		events: "0:{1} 10:{2} 20:{3} 30:{4} 40:{5} 50:{6} 51:{6} 60:{7}", n: 7, w: big, m: dedup, want: 6},
	{name: "DD1/no-mode", source: t1 + ` windowFunnel(big)`, reason: "without dedup the repeat is harmless",
		events: "0:{1} 10:{2} 20:{3} 30:{4} 40:{5} 50:{6} 51:{6} 60:{7}", n: 7, w: big, want: 7},
	{name: "DD2", source: t1 + ` issue #27469`, reason: "b repeats after level 3",
		events: "1:{1} 2:{2} 3:{3} 4:{2} 5:{4}", n: 4, w: big, m: dedup, want: 3},
	{name: "DD3", source: t3, reason: "the second stage-2 event finds level 2 reached: return the level, 3 (not the pre-fix 1)",
		events: "0:{1} 5:{2} 10:{3} 15:{1} 20:{2} 25:{1} 30:{2} 35:{3} 40:{4}", n: 4, w: 60, m: dedup, want: 3},
	{name: "DD4", reason: "issue #40263: d has no predecessor and does not stop; the second b does (pre-fix ClickHouse said 4)",
		events: "0:{1} 600:{2} 1800:{4} 2400:{2}", n: 4, w: 1800, m: dedup, want: 2},
	{name: "DD5", reason: "dedup ignores the window: the first chain expired long ago",
		events: "0:{1} 1:{2} 100:{1} 101:{2} 102:{3}", n: 3, w: 10, m: dedup, want: 2},
	{name: "DD5/no-mode", reason: "the restart at 100 completes",
		events: "0:{1} 1:{2} 100:{1} 101:{2} 102:{3}", n: 3, w: 10, want: 3},
	{name: "DD6", reason: "a repeated first stage only restarts the chain",
		events: "0:{1} 1:{1} 2:{2} 3:{3}", n: 3, w: big, m: dedup, want: 3},
	// strict_order
	{name: "O2", source: t1 + ` funnel_test_strict_order user 7`, reason: "c comes while b's level is empty: stop at 1",
		events: "1:{1} 2:{3} 3:{2}", n: 3, w: 10, m: strict, want: 1},
	{name: "O3", reason: "the other event stops the scan for good; the later complete attempt is never seen",
		events: "0:{1} 1:{2} 2:{} 3:{1} 4:{2} 5:{3}", n: 3, w: big, m: strict, want: 2},
	{name: "O4", reason: "other events before the first stage-1 event are ignored",
		events: "0:{} 1:{1} 2:{2} 3:{3}", n: 3, w: big, m: strict, want: 3},
	{name: "O5/strict", source: t1 + ` funnel_test_non_null user 4, strict_order`, reason: "the other event at 2 stops",
		events: "1:{1} 2:{} 3:{1,2}", n: 2, w: big, m: strict, want: 1},
	{name: "O5/no-mode", source: t1 + ` funnel_test_non_null user 4`, reason: "without strict order, 3 fills both",
		events: "1:{1} 2:{} 3:{1,2}", n: 2, w: big, want: 2},
	{name: "O6/strict", reason: "stage 2 out of the window fails silently; stage 3 then has no predecessor and stops",
		events: "0:{1} 100:{2} 101:{3}", n: 3, w: 10, m: strict, want: 1},
	{name: "O6/no-mode", reason: "stage 3 has nothing to extend", events: "0:{1} 100:{2} 101:{3}", n: 3, w: 10, want: 1},
	{name: "O7", reason: "a sentinel sorts before stage 1 at the same time, before any start, so it is skipped",
		events: "1:{} 1:{1} 2:{2}", n: 2, w: big, m: strict, want: 2},
	{name: "O8", reason: "the sentinel at 2 sorts before stage 2 at 2 and stops",
		events: "1:{1} 2:{} 2:{2}", n: 2, w: big, m: strict, want: 1},
	// allow_reentry
	{name: "R1/strict", reason: "funnel (a,b,a,c): the a at 1 is also stage 3, whose predecessor is empty: stop",
		events: "1:{1,3} 2:{2} 3:{1,3} 4:{4}", n: 4, w: big, m: strict, want: 1},
	{name: "R1/reentry", reason: "the early stage 3 is skipped; a at 3 restarts and extends stage 2",
		events: "1:{1,3} 2:{2} 3:{1,3} 4:{4}", n: 4, w: big, m: modes{order: Strict, reentry: true}, want: 4},
	{name: "R2/strict", reason: "c before b stops", events: "1:{1} 2:{3} 3:{2} 4:{3}", n: 3, w: big, m: strict, want: 1},
	{name: "R2/reentry", reason: "the early c is skipped", events: "1:{1} 2:{3} 3:{2} 4:{3}", n: 3, w: big, m: modes{order: Strict, reentry: true}, want: 3},
	{name: "R3/strict", reason: "the other event stops", events: "1:{1} 2:{2} 3:{} 4:{3}", n: 3, w: big, m: strict, want: 2},
	{name: "R3/reentry", reason: "allow_reentry does not excuse other events", events: "1:{1} 2:{2} 3:{} 4:{3}", n: 3, w: big, m: modes{order: Strict, reentry: true}, want: 2},
	// strict_increase
	{name: "I1", source: t1 + ` windowFunnel(big, 'strict_increase')`, reason: "stage 3 at 1 needs a stage 2 before 1",
		events: "0:{1} 1:{2} 1:{3} 1:{4} 2:{5}", n: 5, w: big, m: increase, want: 2},
	{name: "I2", source: t1 + ` windowFunnel(big, 'strict_increase') (1004,1004,1004)`, reason: "one time cannot fill two stages",
		events: "2:{1,2,3}", n: 3, w: big, m: increase, want: 1},
	{name: "I3", reason: "strictly increasing times chain", events: "0:{1} 1:{2} 2:{3}", n: 3, w: big, m: increase, want: 3},
	{name: "I4", reason: "defect #52844 (ClickHouse says 1): parcours extends from the chain kept before the time 1, giving 0→1",
		events: "0:{1} 1:{1} 1:{2}", n: 2, w: big, m: increase, want: 2},
	{name: "I5", reason: "issue #52844's sequence (ClickHouse says 2): 1→2→3→4 with strictly increasing times",
		events: "1:{1} 2:{2} 2:{3} 2:{4} 3:{2} 3:{3} 3:{4} 4:{2} 4:{3} 4:{4}", n: 4, w: big, m: increase, want: 4},
	{name: "OI1/strict", reason: "stage 2 at 1 is not extended; stage 3 then finds stage 2 empty and stops",
		events: "1:{1} 1:{2} 2:{3}", n: 3, w: big, m: modes{order: Strict, increase: true}, want: 1},
	{name: "OI1/increase", reason: "stage 3 has nothing to extend", events: "1:{1} 1:{2} 2:{3}", n: 3, w: big, m: increase, want: 1},
	// strict_once
	{name: "SO1", source: t1 + ` windowFunnel(big, 'strict_once') (1004,1004,1004)`, reason: "one row cannot be used twice in a chain",
		events: "2:{1,2,3}", n: 3, w: big, m: once, want: 1},
	{name: "SO2/123", reason: "funnel_test2 (F,F,S), W=200", events: "180:{1,2} 220:{1,2} 250:{3}", n: 3, w: 200, m: once, want: 3},
	{name: "SO2/234", reason: "two failures fill stages 1 and 2", events: "100:{1,2} 250:{1,2}", n: 3, w: 200, m: once, want: 2},
	{name: "SO2/345", reason: "the one failure can fill stage 1 or 2, not both", events: "200:{3} 210:{1,2} 230:{3}", n: 3, w: 200, m: once, want: 1},
	{name: "SO2/345-no-mode", reason: "without strict_once the failure at 210 fills stages 1 and 2", events: "200:{3} 210:{1,2} 230:{3}", n: 3, w: 200, want: 3},
	{name: "SO2/123-increase", reason: "once and increase", events: "180:{1,2} 220:{1,2} 250:{3}", n: 3, w: 200, m: modes{once: true, increase: true}, want: 3},
	{name: "SO2/345-dedup", reason: "once and dedup", events: "200:{3} 210:{1,2} 230:{3}", n: 3, w: 200, m: modes{once: true, dedup: true}, want: 1},
	{name: "SO3/two-rows", reason: "two rows at one time fill two stages", events: "5:{1} 5:{2}", n: 2, w: big, m: once, want: 2},
	{name: "SO3/one-row", reason: "one row fills one stage", events: "5:{1,2}", n: 2, w: big, m: once, want: 1},
	{name: "SO4", reason: "with dedup, the result follows the order of events at one time (ClickHouse: arrival order; parcours: log order)",
		events: "2:{2} 2:{1,2,3} 3:{3}", n: 3, w: big, m: modes{once: true, dedup: true}, want: 2},
	{name: "SO4/swapped", reason: "the other order of the two rows at 2", events: "2:{1,2,3} 2:{2} 3:{3}", n: 3, w: big, m: modes{once: true, dedup: true}, want: 3},
	{name: "SO5", reason: "once keeps the chain from 0, so the overwrite defect of I4 does not occur",
		events: "0:{1} 1:{1} 1:{2}", n: 2, w: big, m: modes{once: true, increase: true}, want: 2},
}

// d11Users are ClickHouse's funnel_test_strict_order users, conditions (a,b,c):
// d is an other event.
var d11Users = []string{"a b c", "a d b c", "a a b b c c", "a a a a b b c c", "a a b b d c c", "c c b b a a"}

func d11Events(t testing.TB, user string) string {
	var b strings.Builder
	for i, s := range strings.Fields(user) {
		c := map[string]string{"a": "1", "b": "2", "c": "3", "d": ""}[s]
		b.WriteString(strconv.Itoa(i+1) + ":{" + c + "} ")
	}
	return b.String()
}

func TestLevelClickHouse(t *testing.T) {
	cases := slices.Clone(clickHouseCases)
	for _, tc := range []struct {
		name string
		m    modes
		want []int
	}{
		{"D11", none, []int{3, 3, 3, 3, 3, 1}},
		{"O1", strict, []int{3, 1, 3, 3, 2, 1}},
		{"DD7", modes{order: Strict, dedup: true}, []int{3, 1, 2, 2, 2, 1}},
	} {
		for i, u := range d11Users {
			cases = append(cases, levelCase{name: tc.name + "/user" + strconv.Itoa(i+1),
				source: t1 + " funnel_test_strict_order", reason: "first block of the reference",
				events: d11Events(t, u), n: 3, w: 86400, m: tc.m, want: tc.want[i]})
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.m.funnel(tc.n, tc.w)
			if got := f.Level(parseEvents(t, tc.events)); got != tc.want {
				t.Errorf("Level(%s) = %d, want %d (%s)", tc.events, got, tc.want, tc.reason)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := condStages(3)
	x := func(from, to int) []Exclusion { return []Exclusion{{Stage: Step("x"), From: from, To: to}} }
	for _, tc := range []struct {
		name   string
		reason string
		f      Funnel
		want   []string
		is     error
	}{
		{name: "ok", reason: "a plain funnel is valid", f: Funnel{Stages: good}},
		{name: "no-stages", reason: "nothing to reach", f: Funnel{}, want: []string{"funnel: stages: no stages"}, is: ErrNoStages},
		{name: "nil-match", reason: "every stage needs a Match",
			f:    Funnel{Stages: []Stage{Step("a"), Step("b"), {Name: "checkout"}}},
			want: []string{`funnel: stages[2] "checkout": nil Match`}, is: ErrNilMatch},
		{name: "negative-window", reason: "a window cannot be negative", f: Funnel{Stages: good, Window: -time.Hour},
			want: []string{"funnel: window: bad window: negative (-1h0m0s)"}, is: ErrBadWindow},
		{name: "reentry-without-strict", reason: "ClickHouse rejects allow_reentry without strict_order",
			f:    Funnel{Stages: good, AllowReentry: true},
			want: []string{"funnel: allow reentry: conflicting options: needs the strict order (ClickHouse rejects it too)"}, is: ErrConflict},
		{name: "several", reason: "every problem is reported at once",
			f: Funnel{Stages: []Stage{{Name: "a"}, Step(), {Name: "c", Match: good[0].Match, Optional: true}}, Window: -1},
			want: []string{
				"funnel: window: bad window: negative (-1ns)",
				`funnel: stages[0] "a": nil Match`,
				`funnel: stages[1]: bad stage: Step needs at least one name`,
				`funnel: stages[2] "c": optional: bad stage: the last stage cannot be optional`,
			}},
		{name: "first-optional", reason: "a chain starts at the first stage",
			f:    Funnel{Stages: []Stage{{Name: "a", Match: good[0].Match, Optional: true}, good[1]}},
			want: []string{`funnel: stages[0] "a": optional: bad stage: the first stage cannot be optional`}},
		{name: "first-within", reason: "the first stage has no previous stage",
			f:    Funnel{Stages: []Stage{{Name: "a", Match: good[0].Match, Within: time.Hour}, good[1]}},
			want: []string{`funnel: stages[0] "a": within: bad stage: the first stage has no previous stage`}},
		{name: "unordered-increase", reason: "strict increase orders stages", f: Funnel{Stages: good, Order: Unordered, StrictIncrease: true},
			want: []string{"funnel: strict increase: conflicting options: not defined for an unordered funnel"}},
		{name: "unordered-partial-exclusion", reason: "PostHog: an unordered funnel's exclusions span it whole",
			f:    Funnel{Stages: good, Order: Unordered, Exclusions: x(0, 1)},
			want: []string{`funnel: exclusions[0] "x": bad stage range: an unordered funnel's exclusions span the whole funnel (from 0 to 0)`}},
		{name: "exclusion-range", reason: "from must come before to",
			f:    Funnel{Stages: good, Exclusions: x(2, 1)},
			want: []string{`funnel: exclusions[0] "x": bad stage range: from 2 to 1, want 0 ≤ from < to ≤ 2 (to 0 is the last stage)`}, is: ErrBadRange},
		{name: "open-strict", reason: "the strict order's stop is defined from the first stage",
			f:    Funnel{Stages: good, Open: true, Order: Strict},
			want: []string{"funnel: open: conflicting options: an open funnel cannot have the strict order, whose stop needs a first stage"}},
		{name: "open-exclusions", reason: "open funnels have no exclusions",
			f:    Funnel{Stages: good, Open: true, Exclusions: x(0, 0)},
			want: []string{"funnel: open: conflicting options: an open funnel has no exclusions"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Validate()
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate (-want +got) (%s):\n%s", tc.reason, diff)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error does not wrap %v", tc.is)
			}
		})
	}
}

// ruleCase is a hand-worked case of a parcours rule (the package
// documentation's worked examples).
type ruleCase struct {
	name, reason string
	events       string
	f            func(Funnel) Funnel // adjusts a 3-stage funnel of condStages
	want         int
}

func xStep(name string, from, to int) Exclusion {
	return Exclusion{Stage: Stage{Name: name, Match: func(e journey.Event) bool { return e.Step == name }}, From: from, To: to}
}

var ruleCases = []ruleCase{
	// Consecutive
	{name: "consecutive/later-attempt", reason: "the other event breaks the first attempt; the second counts (Strict says 2)",
		events: "0:{1} 1:{2} 2:{} 3:{1} 4:{2} 5:{3}", f: func(f Funnel) Funnel { f.Order = Consecutive; return f }, want: 3},
	{name: "consecutive/broken", reason: "an event between stages 1 and 2 breaks the chain",
		events: "0:{1} 1:{} 2:{2}", f: func(f Funnel) Funnel { f.Order = Consecutive; return f }, want: 1},
	{name: "consecutive/simultaneous-other", reason: "an event at the same time as stage 2 is not between the stages",
		events: "0:{1} 1:{} 1:{2}", f: func(f Funnel) Funnel { f.Order = Consecutive; return f }, want: 2},
	{name: "strict/simultaneous-other", reason: "Strict sorts the other event first and stops (ClickHouse)",
		events: "0:{1} 1:{} 1:{2}", f: func(f Funnel) Funnel { f.Order = Strict; return f }, want: 1},
	// Unordered
	{name: "unordered/any-order", reason: "three stages in reverse order",
		events: "0:{3} 1:{2} 2:{1}", f: func(f Funnel) Funnel { f.Order = Unordered; return f }, want: 3},
	{name: "unordered/window", reason: "the best window starts at 3 and holds stages 2 and 3",
		events: "0:{1} 3:{2} 4:{3}", f: func(f Funnel) Funnel { f.Order = Unordered; f.Window = 2 * time.Second; return f }, want: 2},
	{name: "unordered/multi-match", reason: "an event counts for every stage it matches",
		events: "5:{1,2}", f: func(f Funnel) Funnel { f.Order = Unordered; return f }, want: 2},
	{name: "unordered/once", reason: "with StrictOnce an event counts for one stage",
		events: "5:{1,2}", f: func(f Funnel) Funnel { f.Order = Unordered; f.StrictOnce = true; return f }, want: 1},
	{name: "unordered/once-matching", reason: "the event at 0 counts for stage 2, the one at 1 for stage 1",
		events: "0:{1,2} 1:{1}", f: func(f Funnel) Funnel { f.Order = Unordered; f.StrictOnce = true; return f }, want: 2},
	// Optional stages
	{name: "optional/skipped", reason: "stage 2 is optional: 1 → 3 reaches 3",
		events: "0:{1} 1:{3}", f: func(f Funnel) Funnel { f.Stages[1].Optional = true; return f }, want: 3},
	{name: "optional/taken", reason: "taking it is fine too", events: "0:{1} 1:{2} 2:{3}",
		f: func(f Funnel) Funnel { f.Stages[1].Optional = true; return f }, want: 3},
	{name: "optional/stopped-there", reason: "a chain may stop at an optional stage", events: "0:{1} 1:{2}",
		f: func(f Funnel) Funnel { f.Stages[1].Optional = true; return f }, want: 2},
	{name: "optional/required", reason: "without the flag, 1 → 3 stops at 1", events: "0:{1} 1:{3}",
		f: func(f Funnel) Funnel { return f }, want: 1},
	// Per-stage windows
	{name: "within/too-late", reason: "stage 2 must come within 5s of stage 1", events: "0:{1} 6:{2}",
		f: func(f Funnel) Funnel { f.Stages[1].Within = 5 * time.Second; return f }, want: 1},
	{name: "within/inclusive", reason: "the bound is inclusive", events: "0:{1} 5:{2}",
		f: func(f Funnel) Funnel { f.Stages[1].Within = 5 * time.Second; return f }, want: 2},
	{name: "within/from-previous", reason: "measured from the previous stage, not the first: 1→6, 6→11 are both 5s",
		events: "0:{1} 5:{2} 10:{3}", f: func(f Funnel) Funnel {
			f.Stages[1].Within, f.Stages[2].Within = 5*time.Second, 5*time.Second
			return f
		}, want: 3},
	{name: "within/skip", reason: "with stage 2 skipped, stage 3's window runs from stage 1's event",
		events: "0:{1} 4:{3}", f: func(f Funnel) Funnel {
			f.Stages[1].Optional, f.Stages[2].Within = true, 3*time.Second
			return f
		}, want: 1},
	// Exclusions, between stages 2 and 3 (indexes 1 and 2)
	{name: "exclusion/between", reason: "the call between cart and purchase voids the only chain that got there: excluded",
		events: "0:{1} 1:{2} 2:{x} 3:{3}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 1, 2)}; return f }, want: -1},
	{name: "exclusion/clean-later", reason: "the chain through the second stage-2 event does not have it between",
		events: "0:{1} 1:{2} 2:{x} 3:{2} 4:{3}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 1, 2)}; return f }, want: 3},
	{name: "exclusion/before", reason: "before stage 2, the excluded event is not between the stages",
		events: "0:{1} 1:{x} 2:{2} 3:{3}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 1, 2)}; return f }, want: 3},
	{name: "exclusion/incomplete", reason: "the chain stopped at stage 2 and the excluded event followed: excluded",
		events: "0:{1} 1:{2} 2:{x}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 1, 2)}; return f }, want: -1},
	{name: "exclusion/too-late", reason: "after the window of the latest first-stage event, an excluded event does not count",
		events: "0:{1} 1:{2} 20:{x}", f: func(f Funnel) Funnel {
			f.Exclusions, f.Window = []Exclusion{xStep("x", 1, 2)}, 10*time.Second
			return f
		}, want: 2},
	{name: "exclusion/simultaneous", reason: "at the same time as stage 2's event it is not strictly after it",
		events: "0:{1} 1:{2} 1:{x} 2:{3}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 1, 2)}; return f }, want: 3},
	{name: "exclusion/shallower-valid", reason: "the only chain to stage 2 is voided, the later start at 5 is not: excluded all the same",
		events: "0:{1} 1:{x} 2:{2} 5:{1}", f: func(f Funnel) Funnel { f.Exclusions = []Exclusion{xStep("x", 0, 1)}; return f }, want: -1},
	// Combinations
	{name: "consecutive+increase", reason: "stage 2 at the time of stage 1 is refused; the other event at 1 then breaks the chain",
		events: "0:{1} 0:{2} 1:{} 2:{3}", f: func(f Funnel) Funnel { f.Order, f.StrictIncrease = Consecutive, true; return f }, want: 1},
	{name: "consecutive-alone", reason: "without StrictIncrease, 1 and 2 at 0; the other event at 1 is between 2 and 3",
		events: "0:{1} 0:{2} 1:{} 2:{3}", f: func(f Funnel) Funnel { f.Order = Consecutive; return f }, want: 2},
	{name: "exclusion+optional/skip", reason: "skipping the optional stage 2, the chain enters the guarded stages at 3, after the excluded event",
		events: "0:{1} 1:{2} 2:{x} 3:{3}", f: func(f Funnel) Funnel {
			f.Stages[1].Optional, f.Exclusions = true, []Exclusion{xStep("x", 1, 2)}
			return f
		}, want: 3},
	{name: "unordered+exclusion/between", reason: "the window from 0 completes at 3 with the excluded event between; the window from 2 is clean but shallower",
		events: "0:{1} 1:{x} 2:{2} 3:{3}", f: func(f Funnel) Funnel {
			f.Order, f.Exclusions = Unordered, []Exclusion{xStep("x", 0, 0)}
			return f
		}, want: -1},
	{name: "unordered+exclusion/after", reason: "after completion, the excluded event does not count",
		events: "0:{1} 1:{2} 2:{3} 3:{x}", f: func(f Funnel) Funnel {
			f.Order, f.Exclusions = Unordered, []Exclusion{xStep("x", 0, 0)}
			return f
		}, want: 3},
	// Open funnels
	{name: "open/enter-later", reason: "an open funnel is entered at any stage; the level is the furthest stage reached",
		events: "0:{2} 1:{3}", f: func(f Funnel) Funnel { f.Open = true; return f }, want: 3},
	{name: "closed/enter-later", reason: "a closed funnel is entered at stage 1 only", events: "0:{2} 1:{3}",
		f: func(f Funnel) Funnel { return f }, want: 0},
}

func TestLevelRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f(Funnel{Stages: condStages(3)})
			evs := parseEvents(t, tc.events)
			if got := f.Level(evs); got != tc.want {
				t.Errorf("Level(%s) = %d, want %d (%s)", tc.events, got, tc.want, tc.reason)
			}
			if got := bruteLevel(f, evs); got != tc.want {
				t.Errorf("the reference says %d, want %d: the case or the reference is wrong", got, tc.want)
			}
		})
	}
}

func TestLevelUnsorted(t *testing.T) {
	f := Funnel{Stages: condStages(3), Window: 10 * time.Second}
	sorted := parseEvents(t, "0:{1} 1:{2} 2:{} 5:{1} 9:{3}")
	shuffled := []journey.Event{sorted[4], sorted[2], sorted[0], sorted[3], sorted[1]}
	keep := slices.Clone(shuffled)
	if got, want := f.Level(shuffled), f.Level(sorted); got != want || want != 3 {
		t.Errorf("Level(shuffled) = %d, Level(sorted) = %d, want 3 for both", got, want)
	}
	if diff := cmp.Diff(keep, shuffled); diff != "" {
		t.Errorf("Level changed its input (-before +after):\n%s", diff)
	}
	// Events at one time keep their given order: it decides StrictOnce
	// with dedup (case SO4).
	g := modes{once: true, dedup: true}.funnel(3, big)
	evs := parseEvents(t, "2:{2} 2:{1,2,3} 3:{3}")
	if got := g.Level([]journey.Event{evs[2], evs[0], evs[1]}); got != 2 {
		t.Errorf("Level = %d, want 2: sorting must be stable", got)
	}
}

func TestLevelPanicsOnInvalid(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "nil Match") {
			t.Errorf("recovered %v, want a panic about the nil Match", r)
		}
	}()
	Funnel{Stages: []Stage{{Name: "a"}}}.Level(nil)
}
