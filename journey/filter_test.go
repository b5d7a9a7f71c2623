package journey

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

// TestWhere checks Where's preds by hand on a small log, alone and
// combined, and that the deprecated Filter methods give the same logs.
func TestWhere(t *testing.T) {
	l, _ := NewLog([]Event{
		{Customer: "a", Time: at(1), Step: "visit", Channel: touchpoint.Web, Props: map[string]string{"device": "app"}},
		{Customer: "a", Time: at(2), Step: "buy", Channel: touchpoint.Web, Value: 30},
		{Customer: "b", Time: at(3), Step: "visit", Channel: touchpoint.Email, Props: map[string]string{"device": "web"}},
		{Customer: "c", Time: at(4), Step: "call", Channel: touchpoint.Phone, Props: map[string]string{"campaign": "x"}},
	})
	steps := func(l *Log) []string {
		var s []string
		for e := range l.All() {
			s = append(s, e.Customer+":"+e.Step)
		}
		return s
	}
	visit := func(s string) bool { return s == "visit" }
	notA := func(c string) bool { return c != "a" }
	web := func(s string) bool { return s == "web" }
	paid := func(e Event) bool { return e.Value > 0 }
	tests := []struct {
		name      string
		got, same *Log
		want      []string
	}{
		{"nothing", l.Where(), l, []string{"a:visit", "a:buy", "b:visit", "c:call"}},
		{"time range [2, 4)", l.Where(During(at(2), at(4))), l.FilterTime(at(2), at(4)), []string{"a:buy", "b:visit"}},
		{"open end", l.Where(During(at(3), time.Time{})), l.FilterTime(at(3), time.Time{}), []string{"b:visit", "c:call"}},
		{"customers", l.Where(OfCustomers(notA)), l.FilterCustomers(notA), []string{"b:visit", "c:call"}},
		{"steps", l.Where(Named(ByStep, visit)), l.FilterSteps(visit), []string{"a:visit", "b:visit"}},
		{"channels", l.Where(Named(ByChannel, web)), l.FilterNames(ByChannel, web), []string{"a:visit", "a:buy"}},
		{"property", l.Where(WithProp("device", web)), l.FilterProp("device", web), []string{"b:visit"}},
		{"events", l.Where(Matching(paid)), l.Filter(paid), []string{"a:buy"}},
		// Combined preds keep the events all of them accept.
		{"visits of b and c", l.Where(OfCustomers(notA), Named(ByStep, visit)), l.FilterCustomers(notA).FilterSteps(visit), []string{"b:visit"}},
		{"web visits from 2", l.Where(During(at(2), time.Time{}), Named(ByChannel, web)), l.FilterTime(at(2), time.Time{}).FilterNames(ByChannel, web), []string{"a:buy"}},
		{"none", l.Where(Named(ByStep, visit), Matching(paid)), nil, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, steps(tt.got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if tt.same != nil {
			if diff := cmp.Diff(tt.same.Events(), tt.got.Events(), equateEmptyProps); diff != "" {
				t.Errorf("%s: Where and the deprecated filter differ (-filter +where):\n%s", tt.name, diff)
			}
		}
	}
	// A filtered log keeps the values and properties of the kept events.
	f := l.Where(During(at(2), time.Time{}))
	if f.Value(0) != 30 || f.Customers() != 3 {
		t.Errorf("filtered value %v, customers %d", f.Value(0), f.Customers())
	}
	if v, ok := f.Prop(2, "campaign"); !ok || v != "x" {
		t.Errorf("filtered prop %q %v", v, ok)
	}
}

// TestWhereMatchesTheDefinition checks Where on random logs against the
// events kept one by one.
func TestWhereMatchesTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := range 30 {
		l, err := NewLog(randomEvents(r, r.IntN(200), 1+r.IntN(20)))
		if err != nil {
			t.Fatal(err)
		}
		from, to := at(r.IntN(60)), at(30+r.IntN(60))
		step := func(s string) bool { return len(s)%2 == 0 }
		var want []Event
		for _, e := range l.Events() {
			if !e.Time.Before(from) && e.Time.Before(to) && step(e.Step) {
				want = append(want, e)
			}
		}
		got := l.Where(During(from, to), Named(ByStep, step)).Events()
		if diff := cmp.Diff(want, got, equateEmptyProps); diff != "" && len(want)+len(got) > 0 {
			t.Fatalf("trial %d (-want +got):\n%s", trial, diff)
		}
	}
}
