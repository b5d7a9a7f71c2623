package funnel

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

func TestStageConstructors(t *testing.T) {
	e := journey.Event{Customer: "c", Time: base, Step: "product", Channel: touchpoint.App, Touchpoint: "app-product",
		Props: map[string]string{"device": "mobile", "campaign": "spring"}}
	for _, tc := range []struct {
		name   string
		reason string
		s      Stage
		fast   bool
		want   bool
		stage  string
	}{
		{name: "step", reason: "one of the steps", s: Step("cart", "product"), fast: true, want: true, stage: "cart|product"},
		{name: "step-no", reason: "not one of them", s: Step("cart"), fast: true, want: false, stage: "cart"},
		{name: "channel", reason: "the app", s: Channel(touchpoint.App), fast: true, want: true, stage: "app"},
		{name: "touchpoint", reason: "by id", s: Touchpoint("app-product"), fast: true, want: true, stage: "app-product"},
		{name: "prop", reason: "device is mobile", s: Prop("device", "mobile", "tablet"), fast: true, want: true, stage: "device=mobile|tablet"},
		{name: "prop-any", reason: "has a campaign", s: Prop("campaign"), fast: true, want: true, stage: "campaign"},
		{name: "prop-missing", reason: "no coupon", s: Prop("coupon"), fast: true, want: false, stage: "coupon"},
		{name: "all", reason: "product on the app", s: All(Step("product"), Channel(touchpoint.App)), fast: true, want: true, stage: "product & app"},
		{name: "all-no", reason: "product on the web", s: All(Step("product"), Channel(touchpoint.Web)), fast: true, want: false, stage: "product & web"},
		{name: "all-intersect", reason: "two step sets intersect", s: All(Step("product", "cart"), Step("product")), fast: true, want: true},
		{name: "any-same-dim", reason: "steps unite", s: AnyOf(Step("cart"), Step("product")), fast: true, want: true, stage: "cart | product"},
		{name: "any-same-prop", reason: "values of one property unite", s: AnyOf(Prop("device", "tablet"), Prop("device", "mobile")), fast: true, want: true},
		{name: "any-mixed", reason: "a step or a channel: no fast path, but the same answer", s: AnyOf(Step("cart"), Channel(touchpoint.App)), fast: false, want: true},
		{name: "all-with-func", reason: "a part with its own Match: no fast path",
			s: All(Step("product"), Stage{Name: "f", Match: func(journey.Event) bool { return true }}), fast: false, want: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Match(e); got != tc.want {
				t.Errorf("Match = %v, want %v (%s)", got, tc.want, tc.reason)
			}
			if got := tc.s.ours(); got != tc.fast {
				t.Errorf("fast path %v, want %v", got, tc.fast)
			}
			if tc.fast && tc.s.c.eval(&e) != tc.want {
				t.Errorf("the description disagrees with Match (%s)", tc.s.c.describe())
			}
			if tc.stage != "" && tc.s.Name != tc.stage {
				t.Errorf("name %q, want %q", tc.s.Name, tc.stage)
			}
		})
	}
}

func TestReplacedMatchIsCalled(t *testing.T) {
	s := Step("cart")
	if !s.ours() {
		t.Fatal("a constructed stage has the fast path")
	}
	s.Match = func(e journey.Event) bool { return e.Step == "visit" }
	if s.ours() {
		t.Fatal("a replaced Match must turn the fast path off")
	}
	s.Match = Step("visit").Match // another constructor's closure
	if s.ours() {
		t.Fatal("another stage's Match must turn the fast path off")
	}
	l := shopLog(t)
	f := Funnel{Stages: []Stage{s, Step("cart")}}
	rep, err := f.Analyze(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stages[0].Reached != 4 {
		t.Errorf("stage 0 reached by %d, want the 4 visitors (Match, not the description, decides)", rep.Stages[0].Reached)
	}
	panicky := Step("cart")
	panicky.Match = func(e journey.Event) bool {
		if e.Props == nil {
			panic("no props")
		}
		return false
	}
	if panicky.ours() {
		t.Error("a Match that panics on the probe is not the constructor's")
	}
}

// TestFastPathAgrees runs each constructed stage through Analyze twice:
// as constructed (evaluated on symbols) and wrapped in a plain func
// (Match called on Events); the reports must be equal.
func TestFastPathAgrees(t *testing.T) {
	l, err := journey.NewLog(gen.Slice(gen.Options{Events: 20000, Seed: 5, Props: true}))
	if err != nil {
		t.Fatal(err)
	}
	slow := func(s Stage) Stage { m := s.Match; return Stage{Name: s.Name, Match: m} }
	sets := map[string][]Stage{
		"steps":      {Step("visit", "search"), Step("product"), Step("cart"), Step(gen.Purchase)},
		"channels":   {Channel(touchpoint.Ads, touchpoint.Social), Channel(touchpoint.Web), Channel(touchpoint.Email)},
		"touchpoint": {Touchpoint("web-visit"), Touchpoint("web-product", "app-product"), Touchpoint("web-checkout")},
		"props":      {Prop("campaign"), Prop("device", "desktop"), All(Prop("device", "mobile"), Step("cart"))},
		"mixed":      {AnyOf(Step("visit"), Channel(touchpoint.App)), All(Step("product"), Channel(touchpoint.Web)), AnyOf(Prop("device", "tablet"), Prop("device", "mobile"))},
	}
	for name, stages := range sets {
		t.Run(name, func(t *testing.T) {
			var plain []Stage
			for _, s := range stages {
				plain = append(plain, slow(s))
			}
			x := []Exclusion{{Stage: Channel(touchpoint.Phone), From: 0, To: 0}}
			xs := []Exclusion{{Stage: slow(x[0].Stage)}}
			opt := Options{Workers: 2, Breakdowns: []Breakdown{{By: ByChannel}}}
			fast, err := Funnel{Stages: stages, Window: 10 * 24 * time.Hour, Exclusions: x}.Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := Funnel{Stages: plain, Window: 10 * 24 * time.Hour, Exclusions: xs}.Analyze(l, opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ref, fast); diff != "" {
				t.Errorf("fast path (-func +fast):\n%s", diff)
			}
			if fast.Stages[0].Reached == 0 {
				t.Error("nobody entered: the test funnel is wrong")
			}
		})
	}
}

// TestManyStages checks funnels of more than 64 stages (several mask
// words): a chain through 70 stages, each its own step.
func TestManyStages(t *testing.T) {
	const n = 70
	var stages []Stage
	var evs []journey.Event
	for i := range n {
		step := "s" + strconv.Itoa(i)
		stages = append(stages, Step(step))
		evs = append(evs, journey.Event{Customer: "a", Time: base.Add(time.Duration(i) * time.Second), Step: step})
		if i < 40 {
			evs = append(evs, journey.Event{Customer: "b", Time: base.Add(time.Duration(i) * time.Second), Step: step})
		}
	}
	evs = append(evs, journey.Event{Customer: "c", Time: base, Step: "s0"}, journey.Event{Customer: "c", Time: base, Step: "s69"})
	f := Funnel{Stages: stages}
	rep, err := f.Analyze(mustLog(t, evs...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := []int{rep.Stages[0].Reached, rep.Stages[39].Reached, rep.Stages[40].Reached, rep.Stages[69].Reached, rep.Stages[39].Dropped, rep.Stages[0].Dropped}
	if diff := cmp.Diff([]int{3, 2, 1, 1, 1, 1}, got); diff != "" {
		t.Errorf("reached at 0, 39, 40, 69; dropped at 39, 0 (-want +got):\n%s", diff)
	}
	var a []journey.Event
	for _, e := range evs {
		if e.Customer == "a" {
			a = append(a, e)
		}
	}
	if lv := f.Level(a); lv != n {
		t.Errorf("Level = %d, want %d", lv, n)
	}
}
