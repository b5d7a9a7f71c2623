package journey

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

// journeys lists a log's paths as "key: step step …".
func journeys(l *Log) []string {
	var out []string
	for p := range l.Paths() {
		var steps []string
		for _, e := range p.Events {
			steps = append(steps, e.Step)
		}
		out = append(out, p.Customer+": "+strings.Join(steps, " "))
	}
	return out
}

func TestSplitByHand(t *testing.T) {
	shop := shopEvents()
	tests := []struct {
		name   string
		reason string
		events []Event
		opt    SplitOptions
		want   []string
	}{
		{
			name:   "nothing to split on",
			reason: "the zero options make one journey per customer, still numbered",
			events: shop,
			want: []string{
				"ann#1: visit search visit cart buy visit visit", "bob#1: visit cart cart help", "cid#1: search buy",
				"dan#1: visit", "eve#1: buy visit", "fay#1: search buy", "gil#1: search",
			},
		},
		{
			name:   "gap",
			reason: "ann waits 96 minutes after her buy and eve 50 after hers: more than 30; bob's 5 minutes are not",
			events: shop,
			opt:    SplitOptions{Gap: 30 * time.Minute},
			want: []string{
				"ann#1: visit search visit cart buy", "ann#2: visit visit", "bob#1: visit cart cart help", "cid#1: search buy",
				"dan#1: visit", "eve#1: buy", "eve#2: visit", "fay#1: search buy", "gil#1: search",
			},
		},
		{
			name:   "gap equal to the limit",
			reason: "a gap of exactly Gap does not split; bob's 5-minute gap is the largest under 96",
			events: shop,
			opt:    SplitOptions{Gap: 5 * time.Minute},
			want: []string{
				"ann#1: visit search visit cart buy", "ann#2: visit visit", "bob#1: visit cart cart help", "cid#1: search buy",
				"dan#1: visit", "eve#1: buy", "eve#2: visit", "fay#1: search buy", "gil#1: search",
			},
		},
		{
			name:   "gap just under",
			reason: "a 4m59s gap splits bob's visit from his cart",
			events: shop,
			opt:    SplitOptions{Gap: 5*time.Minute - time.Second},
			want: []string{
				"ann#1: visit search visit cart buy", "ann#2: visit visit", "bob#1: visit", "bob#2: cart cart help", "cid#1: search buy",
				"dan#1: visit", "eve#1: buy", "eve#2: visit", "fay#1: search buy", "gil#1: search",
			},
		},
		{
			name:   "goal",
			reason: "a buy is the last event of its journey; a buy that is already last (cid, fay) opens nothing",
			events: shop,
			opt:    SplitOptions{Goal: isStep("buy"), Sep: "/"},
			want: []string{
				"ann/1: visit search visit cart buy", "ann/2: visit visit", "bob/1: visit cart cart help", "cid/1: search buy",
				"dan/1: visit", "eve/1: buy", "eve/2: visit", "fay/1: search buy", "gil/1: search",
			},
		},
		{
			name:   "goals in a row",
			reason: "each goal event is a journey of its own when goals follow each other",
			events: []Event{
				{Customer: "h", Time: at(0), Step: "buy"}, {Customer: "h", Time: at(0), Step: "buy"},
				{Customer: "h", Time: at(1), Step: "visit"}, {Customer: "h", Time: at(2), Step: "buy"},
			},
			opt:  SplitOptions{Goal: isStep("buy")},
			want: []string{"h#1: buy", "h#2: buy", "h#3: visit buy"},
		},
		{
			name:   "gap and goal",
			reason: "either rule starts a journey; both at once start only one",
			events: []Event{
				{Customer: "k", Time: at(0), Step: "a"}, {Customer: "k", Time: at(60), Step: "b"},
				{Customer: "k", Time: at(61), Step: "buy"}, {Customer: "k", Time: at(200), Step: "c"},
				{Customer: "k", Time: at(201), Step: "d"},
			},
			opt:  SplitOptions{Gap: 10 * time.Minute, Goal: isStep("buy")},
			want: []string{"k#1: a", "k#2: b buy", "k#3: c d"},
		},
		{
			name:   "ten journeys and more",
			reason: "keys sort byte-wise, so z#10 and z#11 come before z#2",
			events: func() []Event {
				var evs []Event
				for i := range 11 {
					evs = append(evs, Event{Customer: "z", Time: at(i * 60), Step: fmt.Sprint("s", i+1)})
				}
				return evs
			}(),
			opt: SplitOptions{Gap: time.Minute},
			want: []string{
				"z#1: s1", "z#10: s10", "z#11: s11", "z#2: s2", "z#3: s3", "z#4: s4",
				"z#5: s5", "z#6: s6", "z#7: s7", "z#8: s8", "z#9: s9",
			},
		},
		{
			name:   "a customer id that is a prefix of another",
			reason: `"a" < "a!" but "a!#1" < "a#1": the journeys must be reordered`,
			events: []Event{
				{Customer: "a", Time: at(0), Step: "x"}, {Customer: "a!", Time: at(0), Step: "y"},
			},
			want: []string{"a!#1: y", "a#1: x"},
		},
		{
			name:   "separator inside ids",
			reason: `"a#1" journey 1 is "a#1#1", distinct from "a" journey 1, "a#1"`,
			events: []Event{
				{Customer: "a", Time: at(0), Step: "x"}, {Customer: "a#1", Time: at(0), Step: "y"},
			},
			want: []string{"a#1: x", "a#1#1: y"},
		},
	}
	for _, tt := range tests {
		l, err := NewLog(tt.events)
		if err != nil {
			t.Fatal(err)
		}
		s, err := l.Split(tt.opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, journeys(s)); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

// TestSplitKeepsEventData: values and properties follow their events,
// also when journeys are reordered, and the customer index works.
func TestSplitKeepsEventData(t *testing.T) {
	var evs []Event
	for i := range 12 {
		e := Event{Customer: "a", Time: at(i * 60), Step: fmt.Sprint("s", i), Channel: touchpoint.Web, Touchpoint: fmt.Sprint("t", i%3)}
		if i%2 == 0 {
			e.Value = float64(i)
		}
		if i%3 == 0 {
			e.Props = map[string]string{"n": fmt.Sprint(i)}
		}
		evs = append(evs, e, Event{Customer: "a!", Time: at(i), Step: "b", Value: 1, Props: map[string]string{"k": "v"}})
	}
	l, _ := NewLog(evs)
	s, err := l.Split(SplitOptions{Gap: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var want []Event
	for p := range l.Paths() {
		j := 0
		for i, e := range p.Events {
			if i == 0 || e.Time.Sub(p.Events[i-1].Time) > time.Minute {
				j++
			}
			e.Customer = fmt.Sprint(p.Customer, "#", j)
			want = append(want, e)
		}
	}
	if diff := cmp.Diff(naiveSort(want), s.Events(), equateEmptyProps); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c, ok := s.CustomerIndex("a#12"); !ok || s.Customer(c) != "a#12" {
		t.Error("CustomerIndex on a split log")
	}
	if p, ok := s.Path("a#7"); !ok || len(p.Events) != 1 || p.Events[0].Value != 6 || p.Events[0].Props["n"] != "6" {
		t.Errorf("Path(a#7) = %+v", p)
	}
}

// naiveSplit is the definition of Split, on paths.
func naiveSplit(l *Log, opt SplitOptions) []Event {
	sep := opt.Sep
	if sep == "" {
		sep = "#"
	}
	var out []Event
	for p := range l.Paths() {
		j := 0
		for i, e := range p.Events {
			if i == 0 || opt.Gap > 0 && e.Time.Sub(p.Events[i-1].Time) > opt.Gap || opt.Goal != nil && opt.Goal(p.Events[i-1]) {
				j++
			}
			e.Customer = fmt.Sprint(p.Customer, sep, j)
			out = append(out, e)
		}
	}
	return naiveSort(out)
}

func TestSplitAgreesWithTheDefinition(t *testing.T) {
	opts := []SplitOptions{
		{},
		{Gap: 2 * time.Minute},
		{Gap: time.Nanosecond, Sep: "-j"},
		{Goal: isStep("buy")},
		{Gap: 3 * time.Minute, Goal: func(e Event) bool { return e.Value > 10 }, Sep: "/"},
		{Gap: -time.Minute},
	}
	for trial, l := range randomLogs(t, 31, 40) {
		for _, opt := range opts {
			s, err := l.Split(opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(naiveSplit(l, opt), s.Events(), equateEmptyProps); diff != "" {
				t.Fatalf("trial %d, %+v (-want +got):\n%s", trial, opt, diff)
			}
			if !slices.IsSorted(s.customers) {
				t.Fatalf("trial %d: split customers out of order", trial)
			}
			for c := range s.Customers() {
				cust, j, ok := SplitCustomer(s.Customer(c), opt.Sep)
				if _, known := l.CustomerIndex(cust); !ok || !known || j < 1 {
					t.Fatalf("SplitCustomer(%q) = %q, %d, %v", s.Customer(c), cust, j, ok)
				}
			}
		}
	}
}

func TestSplitSeparator(t *testing.T) {
	l := pathsShopLog(t)
	if _, err := l.Split(SplitOptions{Sep: "-7"}); err == nil || !strings.HasPrefix(err.Error(), "journey: ") {
		t.Errorf("a separator ending with a digit: %v", err)
	}
	tests := []struct {
		name, reason string
		key, sep     string
		cust         string
		journey      int
		ok           bool
	}{
		{"default", "the default separator is #", "ann#2", "", "ann", 2, true},
		{"id with separator", "the last separator splits", "a#b#12", "#", "a#b", 12, true},
		{"long separator", "separators may be longer than one byte", "ann--3", "--", "ann", 3, true},
		{"empty id", "an empty id cannot come from a log but reads back", "#1", "#", "", 1, true},
		{"no number", "a key must end with the journey number", "ann#", "#", "", 0, false},
		{"zero", "journeys count from 1", "ann#0", "#", "", 0, false},
		{"leading zero", "numbers are written without leading zeros", "ann#01", "#", "", 0, false},
		{"no separator", "the number must follow the separator", "ann2", "#", "", 0, false},
		{"digit separator", "a separator ending with a digit is refused", "ann12", "1", "", 0, false},
		{"overflow", "a number too large for an int", "a#99999999999999999999", "#", "", 0, false},
	}
	for _, tt := range tests {
		cust, j, ok := SplitCustomer(tt.key, tt.sep)
		if cust != tt.cust || j != tt.journey || ok != tt.ok {
			t.Errorf("%s: SplitCustomer(%q, %q) = %q, %d, %v; want %q, %d, %v (%s)", tt.name, tt.key, tt.sep, cust, j, ok, tt.cust, tt.journey, tt.ok, tt.reason)
		}
	}
}

// TestSplitSharesColumns: when the keys keep the log's order, Split
// copies no event column.
func TestSplitSharesColumns(t *testing.T) {
	l := pathsShopLog(t)
	s, _ := l.Split(SplitOptions{Gap: time.Hour})
	if &s.times[0] != &l.times[0] || &s.syms[ByStep][0] != &l.syms[ByStep][0] || s.dicts != l.dicts {
		t.Error("Split copied columns it could share")
	}
}
