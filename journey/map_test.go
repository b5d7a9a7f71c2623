package journey

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// tinyMap is a small non-linear journey: two entries, a loop between browse
// and search, a skip from ad to cart, and two routes to checkout.
func tinyMap() Map {
	return Map{
		Name:   "tiny",
		Stages: []Stage{{ID: "aware"}, {ID: "buy"}},
		Steps: []Step{
			{ID: "ad", Stage: "aware", Touchpoints: []string{"banner"}},
			{ID: "browse", Stage: "aware", Touchpoints: []string{"site"}},
			{ID: "search", Stage: "aware", Touchpoints: []string{"site"}},
			{ID: "cart", Stage: "buy", Touchpoints: []string{"site"}},
			{ID: "checkout", Stage: "buy", Goals: []objectives.Objective{objectives.Conversion}, Emotion: 1},
		},
		Transitions: []Transition{
			{From: Start, To: "ad", Probability: 0.7},
			{From: Start, To: "browse", Probability: 0.3},
			{From: "ad", To: "browse", Probability: 0.5},
			{From: "ad", To: "cart", Probability: 0.2},
			{From: "browse", To: "search"},
			{From: "browse", To: "cart"},
			{From: "search", To: "browse", Probability: 0.4},
			{From: "search", To: "cart", Probability: 0.4},
			{From: "cart", To: "checkout", Probability: 0.6},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{{ID: "web", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web}}},
			Touchpoints: []touchpoint.Touchpoint{
				{ID: "banner", Channel: touchpoint.Ads},
				{ID: "site", Channel: touchpoint.Web, Owner: "web"},
			},
		},
	}
}

func TestMapValid(t *testing.T) {
	m := tinyMap()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestMapNext(t *testing.T) {
	m := tinyMap()
	tests := []struct {
		from   string
		want   []Transition
		reason string
	}{
		{Start, []Transition{{From: Start, To: "ad", Probability: 0.7}, {From: Start, To: "browse", Probability: 0.3}}, "given probabilities sum to 1"},
		{"ad", []Transition{{From: "ad", To: "browse", Probability: 0.5}, {From: "ad", To: "cart", Probability: 0.2}, {From: "ad", To: Exit, Probability: 0.3}}, "the rest leaves"},
		{"browse", []Transition{{From: "browse", To: "search", Probability: 0.5}, {From: "browse", To: "cart", Probability: 0.5}}, "unset probabilities share 1 equally"},
		{"checkout", []Transition{{From: "checkout", To: Exit, Probability: 1}}, "a step with no route out ends the journey"},
		{Exit, nil, "absorbing states have no routes"},
		{"nope", nil, "unknown step"},
	}
	for _, tt := range tests {
		got := m.Next(tt.from)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("Next(%q) (%s) (-want +got):\n%s", tt.from, tt.reason, diff)
		}
	}

	mixed := Map{Steps: []Step{{ID: "a"}, {ID: "b"}, {ID: "c"}}, Transitions: []Transition{
		{From: "a", To: "b", Probability: 0.4}, {From: "a", To: "c"}, {From: "a", To: Exit},
	}}
	want := []Transition{{From: "a", To: "b", Probability: 0.4}, {From: "a", To: "c", Probability: 0.3}, {From: "a", To: Exit, Probability: 0.3}}
	if diff := cmp.Diff(want, mixed.Next("a"), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("given and unset probabilities mixed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Transition{{From: Start, To: "a", Probability: 1}}, mixed.Next(Start)); diff != "" {
		t.Errorf("a map with no entry enters at its first step (-want +got):\n%s", diff)
	}
	over := Map{Steps: []Step{{ID: "a"}, {ID: "b"}}, Transitions: []Transition{{From: "a", To: "b", Probability: 0.8}, {From: "a", To: Exit, Probability: 0.8}}}
	if diff := cmp.Diff([]Transition{{From: "a", To: "b", Probability: 0.5}, {From: "a", To: Exit, Probability: 0.5}}, over.Next("a")); diff != "" {
		t.Errorf("an invalid map is clamped (-want +got):\n%s", diff)
	}
	if (&Map{}).Next(Start) != nil {
		t.Error("an empty map has no entry")
	}
}

func TestMapLookups(t *testing.T) {
	m := tinyMap()
	m.Personas = []persona.Persona{{ID: "p"}}
	if s, ok := m.Step("cart"); !ok || s.Stage != "buy" {
		t.Errorf("Step(cart) = %+v, %v", s, ok)
	}
	if _, ok := m.Step("x"); ok {
		t.Error("Step(x)")
	}
	if s, ok := m.Stage("buy"); !ok || s.ID != "buy" {
		t.Error("Stage(buy)")
	}
	if _, ok := m.Stage("x"); ok {
		t.Error("Stage(x)")
	}
	if got := m.StepsIn("buy"); len(got) != 2 || got[1].ID != "checkout" {
		t.Errorf("StepsIn(buy) = %v", got)
	}
	if p, ok := m.Persona("p"); !ok || p.ID != "p" {
		t.Error("Persona(p)")
	}
	if _, ok := m.Persona("q"); ok {
		t.Error("Persona(q)")
	}
	s, _ := m.Step("checkout")
	if !s.HasGoal(objectives.Conversion) || s.HasGoal(objectives.Knowledge) {
		t.Error("HasGoal")
	}
}

func TestMapValidateReportsEverything(t *testing.T) {
	m := tinyMap()
	m.Stages = append(m.Stages, Stage{ID: "aware"}, Stage{})
	m.Steps = append(m.Steps,
		Step{ID: "cart", Stage: "buy"},
		Step{ID: "(exit)", Stage: "buy"},
		Step{ID: "", Stage: "ship", Touchpoints: []string{"truck", "site", "site"}, Goals: []objectives.Objective{0}, Emotion: 4},
		Step{ID: "orphan", Direction: 7},
	)
	m.Transitions = append(m.Transitions,
		Transition{From: "cart", To: "checkout", Probability: 0.2},
		Transition{From: "nowhere", To: "cart"},
		Transition{From: "cart", To: "limbo", Probability: 1.5},
		Transition{From: Start, To: Exit},
	)
	m.Catalog.Departments = append(m.Catalog.Departments, touchpoint.Department{ID: "logistics", Stages: []string{"ship"}})
	m.Catalog.Touchpoints = append(m.Catalog.Touchpoints, touchpoint.Touchpoint{ID: "parcel", Channel: touchpoint.Packaging, Owner: "ops"})
	m.Personas = []persona.Persona{{ID: "julie", Empathy: []persona.Empathy{{Step: "fitting"}}}}
	m.Rules = persona.Rules{{Persona: "marc"}}
	err := m.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`map "tiny": stages[2] "aware": duplicate stage id "aware"`,
		`map "tiny": stages[3]: id: empty`,
		`map "tiny": steps[5] "cart": duplicate step id "cart"`,
		`map "tiny": steps[6] "(exit)": id: "(exit)" is reserved: step ids must not start with "("`,
		`map "tiny": steps[7]: id: empty`,
		`map "tiny": steps[7]: stage: unknown stage "ship"`,
		`map "tiny": steps[7]: touchpoints[0]: unknown touchpoint "truck"`,
		`map "tiny": steps[7]: touchpoints[2]: duplicate touchpoint "site"`,
		`map "tiny": steps[7]: goals[0]: Objective(0) is not an objective`,
		`map "tiny": steps[7]: emotion: 4 is off the scale [-2, 2]`,
		`map "tiny": steps[8] "orphan": stage: empty: the map has stages, so every step needs one`,
		`map "tiny": steps[8] "orphan": direction: Direction(7) is not a direction`,
		`map "tiny": transitions[9] "cart" -> "checkout": duplicate transition`,
		`map "tiny": transitions[10] "nowhere" -> "cart": from: unknown step "nowhere"`,
		`map "tiny": transitions[11] "cart" -> "limbo": to: unknown step "limbo"`,
		`map "tiny": transitions[11] "cart" -> "limbo": probability: 1.5 is outside [0, 1]`,
		`map "tiny": transitions[12] "(start)" -> "(exit)": a journey cannot end before its first step`,
		`map "tiny": transitions from "(start)": probabilities given sum to 1, leaving nothing for the 1 transition(s) without one`,
		`map "tiny": transitions from "cart": probabilities sum to 2.3, more than 1`,
		`map "tiny": catalog: touchpoints[2] "parcel": owner: unknown department "ops"`,
		`map "tiny": catalog: departments[1] "logistics": stages[0]: unknown stage "ship"`,
		`map "tiny": personas[0] "julie": empathy[0] "fitting": step: unknown step "fitting"`,
		`map "tiny": rules[0] "marc": persona: unknown persona "marc"`,
	}
	got := strings.Split(err.Error(), "\n")
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	for _, sentinel := range []error{ErrUnknownStep, ErrUnknownStage, ErrDuplicate, touchpoint.ErrUnknownTouchpoint, touchpoint.ErrUnknownDepartment, persona.ErrUnknownPersona} {
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(err, %v) = false", sentinel)
		}
	}
}

func TestMapValidateReach(t *testing.T) {
	m := Map{
		Steps: []Step{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "island"}, {ID: "trap1"}, {ID: "trap2"}},
		Transitions: []Transition{
			{From: Start, To: "a"},
			{From: "a", To: "b", Probability: 0.5},
			{From: "a", To: "trap1", Probability: 0.5},
			{From: "b", To: "c"},
			{From: "trap1", To: "trap2", Probability: 1},
			{From: "trap2", To: "trap1", Probability: 1},
			{From: "island", To: "c"},
		},
	}
	err := m.Validate()
	want := []string{
		`map: steps[3] "island": unreachable: no route from (start) leads here`,
		`map: steps[4] "trap1": no way out: no route from here reaches (exit) or (conversion)`,
		`map: steps[5] "trap2": no way out: no route from here reaches (exit) or (conversion)`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, ErrNoWayOut) {
		t.Error("sentinels")
	}
	if err := (&Map{}).Validate(); !errors.Is(err, ErrEmptyMap) {
		t.Errorf("empty map: %v", err)
	}
	conv := Map{Steps: []Step{{ID: "a"}}, Transitions: []Transition{{From: "a", To: Conversion, Probability: 1}}}
	if err := conv.Validate(); err != nil {
		t.Errorf("a route to Conversion is a way out: %v", err)
	}
}

func TestMapJSON(t *testing.T) {
	m := tinyMap()
	m.Personas = []persona.Persona{{ID: "julie", Share: 1, Empathy: []persona.Empathy{{Step: "cart", Emotion: -1}}}}
	m.Rules = persona.Rules{{Persona: "julie"}}
	b, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadMap(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, *got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, f := range []string{`"from": "(start)"`, `"goals": [`, `"conversion"`, `"catalog": {`, `"stage": "buy"`} {
		if !strings.Contains(string(b), f) {
			t.Errorf("JSON lacks %s", f)
		}
	}
}

func TestReadMapErrors(t *testing.T) {
	_, err := ReadMap(strings.NewReader(`{"name":"x","steps":[{"id":"a","stag":"s","goals":["sale"]}],"catalog":{"touchpoints":[{"id":"t","chanel":"web"}]}}`))
	for _, want := range []string{
		`journey: reading map: steps[0]: unknown field "stag"`,
		`journey: reading map: steps[0].goals[0]: objectives: unknown objective "sale"`,
		`journey: reading map: catalog.touchpoints[0]: unknown field "chanel"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
	_, err = ReadMap(strings.NewReader(`{"name":"x","steps":[{"id":"a","stage":"s"}]}`))
	if !errors.Is(err, ErrUnknownStage) {
		t.Errorf("a map that decodes is validated: %v", err)
	}
	if _, err = ReadMap(strings.NewReader(`{"steps": [`)); err == nil || !strings.Contains(err.Error(), "unexpected end") {
		t.Errorf("syntax: %v", err)
	}
}

func FuzzMapJSON(f *testing.F) {
	m := tinyMap()
	b, _ := json.Marshal(&m)
	f.Add(b)
	f.Add([]byte(`{"steps":[{"id":"a"},{"id":"b"}],"transitions":[{"from":"a","to":"b","probability":0.5},{"from":"b","to":"a","probability":1}]}`))
	f.Add([]byte(`{"steps":[{"id":"a","emotion":-2,"goals":["connexion"]}],"transitions":[{"from":"(start)","to":"a"},{"from":"a","to":"(conversion)"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Map
		if err := json.Unmarshal(data, &m); err != nil {
			return
		}
		for _, s := range m.Steps {
			_ = m.Next(s.ID) // must not panic, valid or not
		}
		if m.Validate() != nil {
			return
		}
		for _, s := range append([]string{Start}, stepIDs(m.Steps)...) {
			sum := 0.0
			for _, t := range m.Next(s) {
				sum += t.Probability
			}
			if sum < 1-1e-9 || sum > 1+1e-9 {
				t.Fatalf("Next(%q) of a valid map sums to %v", s, sum)
			}
		}
		out, err := json.Marshal(&m)
		if err != nil {
			t.Fatalf("a valid map does not marshal: %v", err)
		}
		var back Map
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if diff := cmp.Diff(m, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
