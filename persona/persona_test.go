package persona

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/touchpoint"
)

func buyer() Persona {
	return Persona{
		ID: "claire", Name: "Claire, purchasing manager", Segment: B2B, Market: "France", Share: 0.6,
		Age: Range{Min: 35, Max: 50}, Gender: "female", Occupation: "purchasing manager", Responsibility: "decision maker",
		Budget: Range{Min: 10000, Max: 50000}, Currency: "EUR",
		Needs: []string{"reliable supplier"}, Goals: []string{"cut costs 5%"},
		Behaviours: []string{"compares three quotes"}, Motivations: []string{"price"}, Brakes: []string{"switching cost"},
		Channels: map[touchpoint.Channel]float64{touchpoint.Email: 2, touchpoint.Sales: 3, touchpoint.Social: 0.5},
		Empathy: []Empathy{
			{Step: "contact", Thinks: []string{"is this supplier serious?"}, Emotion: 0},
			{Step: "quote", Feels: []string{"pressure"}, Pains: []string{"slow answer"}, Gains: []string{"clear price"}, Emotion: -1},
		},
	}
}

func TestPersonaBasics(t *testing.T) {
	p := buyer()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if w := p.ChannelWeight(touchpoint.Sales); w != 3 {
		t.Errorf("listed weight = %v", w)
	}
	if w := p.ChannelWeight(touchpoint.Web); w != 1 {
		t.Errorf("an unlisted channel must be neutral (1), got %v", w)
	}
	if e, ok := p.At("quote"); !ok || e.Emotion != -1 {
		t.Errorf("At(quote) = %+v, %v", e, ok)
	}
	if _, ok := p.At("nowhere"); ok {
		t.Error("At of an unknown step")
	}
	if !(Range{}).Contains(99) || !(Range{Min: 65}).Contains(90) || (Range{Min: 18, Max: 25}).Contains(30) {
		t.Error("Range.Contains")
	}
}

func TestEmotion(t *testing.T) {
	for e, want := range map[Emotion]int{MinEmotion: 1, -1: 2, 0: 3, 1: 4, MaxEmotion: 5} {
		if got := e.Score5(); got != want {
			t.Errorf("Score5(%d) = %d, want %d", e, got, want)
		}
	}
	if Emotion(3).IsValid() || !Emotion(-2).IsValid() {
		t.Error("IsValid")
	}
}

func TestPersonaValidate(t *testing.T) {
	p := Persona{
		Share:    1.5,
		Segment:  9,
		Age:      Range{Min: 50, Max: 30},
		Income:   Range{Min: -1},
		Channels: map[touchpoint.Channel]float64{"": 1, touchpoint.Email: -2, touchpoint.Web: math.NaN()},
		Empathy:  []Empathy{{Step: "a", Emotion: 5}, {Step: ""}, {Step: "a"}},
	}
	err := p.Validate()
	want := []string{
		`id: empty`,
		`segment: Segment(9) is not a segment`,
		`share: 1.5 is outside [0, 1]`,
		`age: max 30 is below min 50`,
		`income: min: -1 is not a finite non-negative number`,
		`channels[""]: touchpoint: bad channel: empty`,
		`channels["email"]: weight -2 is not a finite non-negative number`,
		`channels["web"]: weight NaN is not a finite non-negative number`,
		`empathy[0] "a": emotion: 5 is off the scale [-2, 2]`,
		`empathy[1]: step: empty`,
		`empathy[2] "a": duplicate empathy entry for step "a"`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(err.Error(), "\n")
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestValidateAllAndWeights(t *testing.T) {
	a, b := buyer(), buyer()
	b.ID, b.Share = "marc", 0.3
	if err := ValidateAll([]Persona{a, b}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{2.0 / 3, 1.0 / 3}, Weights([]Persona{a, b}), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Weights (-want +got):\n%s", diff)
	}
	b.ID, b.Share = "claire", 0.6
	err := ValidateAll([]Persona{a, b})
	if !errors.Is(err, ErrDuplicate) || !strings.Contains(err.Error(), "shares sum to 1.2") {
		t.Errorf("ValidateAll = %v", err)
	}
	a.Share, b.Share = 0, 0
	if diff := cmp.Diff([]float64{0.5, 0.5}, Weights([]Persona{a, b})); diff != "" {
		t.Errorf("with no shares every persona is equally likely (-want +got):\n%s", diff)
	}
	if Weights(nil) != nil {
		t.Error("Weights(nil)")
	}
}

func TestSegmentAndOpText(t *testing.T) {
	for in, want := range map[string]Segment{"B2B": B2B, "BtoC": B2C, "": Unspecified, "professionnel": B2B} {
		if got, err := ParseSegment(in); err != nil || got != want {
			t.Errorf("ParseSegment(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseSegment("b2g"); !errors.Is(err, ErrUnknownSegment) {
		t.Error(err)
	}
	for in, want := range map[string]Op{"is": Is, "IS NOT": IsNot, "is_not": IsNot, ">=": GreaterEq, "lt": Less, "Missing": Missing} {
		if got, err := ParseOp(in); err != nil || got != want {
			t.Errorf("ParseOp(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseOp("like"); !errors.Is(err, ErrUnknownOp) {
		t.Error(err)
	}
	for o := Is; o <= GreaterEq; o++ {
		b, err := o.MarshalText()
		var back Op
		if err != nil || back.UnmarshalText(b) != nil || back != o {
			t.Errorf("op %v does not round-trip", o)
		}
	}
	if _, err := Op(99).MarshalText(); err == nil {
		t.Error("bad op marshals")
	}
	if _, err := Segment(9).MarshalText(); err == nil {
		t.Error("bad segment marshals")
	}
}

func TestConditionHolds(t *testing.T) {
	props := map[string]string{"segment": "B2B", "country": "France", "employees": "250", "source": "google / cpc"}
	tests := []struct {
		c      Condition
		want   bool
		reason string
	}{
		{Condition{"segment", Is, []string{"b2b"}}, true, "is ignores case"},
		{Condition{"segment", Is, []string{"b2c", "b2b"}}, true, "is matches any value"},
		{Condition{"segment", IsNot, []string{"b2c"}}, true, "is_not"},
		{Condition{"segment", IsNot, []string{"B2B"}}, false, "is_not of the value"},
		{Condition{"age", IsNot, []string{"30"}}, false, "is_not needs the property set"},
		{Condition{"country", Exists, nil}, true, "exists"},
		{Condition{"age", Missing, nil}, true, "missing"},
		{Condition{"source", Contains, []string{"CPC"}}, true, "contains ignores case"},
		{Condition{"source", Prefix, []string{"google"}}, true, "prefix"},
		{Condition{"source", Prefix, []string{"cpc"}}, false, "not a prefix"},
		{Condition{"employees", Greater, []string{"200"}}, true, "numeric greater"},
		{Condition{"employees", LessEq, []string{"250"}}, true, "numeric le at the bound"},
		{Condition{"employees", Less, []string{"250"}}, false, "numeric lt at the bound"},
		{Condition{"employees", GreaterEq, []string{"1e3"}}, false, "exponent form"},
		{Condition{"country", Greater, []string{"1"}}, false, "a non-number never compares"},
		{Condition{"age", Less, []string{"1"}}, false, "a missing property never compares"},
		{Condition{"segment", Op(99), nil}, false, "an unknown operator never holds"},
	}
	for _, tt := range tests {
		if got := tt.c.Holds(props); got != tt.want {
			t.Errorf("%+v.Holds = %v, want %v (%s)", tt.c, got, tt.want, tt.reason)
		}
	}
}

func TestRules(t *testing.T) {
	ps := []Persona{{ID: "big"}, {ID: "small"}, {ID: "other"}}
	rs := Rules{
		{Persona: "big", When: []Condition{{Property: "segment", Values: []string{"b2b"}}, {Property: "employees", Op: GreaterEq, Values: []string{"250"}}}},
		{Persona: "small", When: []Condition{{Property: "segment", Values: []string{"b2b"}}}},
		{Persona: "other"},
	}
	if err := rs.Validate(ps); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"segment": "b2b", "employees": "300"}, "big"},
		{map[string]string{"segment": "b2b", "employees": "10"}, "small"},
		{map[string]string{"segment": "b2c"}, "other"},
		{nil, "other"},
	} {
		if got, ok := rs.Assign(tt.props); !ok || got != tt.want {
			t.Errorf("Assign(%v) = %q, %v; want %q", tt.props, got, ok, tt.want)
		}
	}
	if _, ok := rs[:2].Assign(nil); ok {
		t.Error("no rule matches, so Assign must say false")
	}
	bad := Rules{{Persona: "ghost", When: []Condition{{Op: Exists, Values: []string{"x"}}, {Property: "n", Op: Less, Values: []string{"ten"}}, {Property: "s"}}}}
	err := bad.Validate(ps)
	for _, want := range []string{
		`rules[0] "ghost": persona: unknown persona "ghost"`,
		`rules[0] "ghost": when[0]: property: empty`,
		`rules[0] "ghost": when[0]: values: exists takes no values`,
		`rules[0] "ghost": when[1] "n": values[0]: "ten" is not a number`,
		`rules[0] "ghost": when[2] "s": values: is needs at least one value`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
	if !errors.Is(err, ErrUnknownPersona) {
		t.Error("ErrUnknownPersona")
	}
}

func TestPersonaJSON(t *testing.T) {
	p := buyer()
	b, err := json.Marshal(&p)
	if err != nil {
		t.Fatal(err)
	}
	var back Persona
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, f := range []string{`"segment":"b2b"`, `"channels":{"email":2,"sales":3,"social":0.5}`, `"age":{"min":35,"max":50}`, `"emotion":-1`} {
		if !strings.Contains(string(b), f) {
			t.Errorf("JSON lacks %s: %s", f, b)
		}
	}
	err = json.Unmarshal([]byte(`{"id":"x","segment":"b2g","agge":{"min":1},"empathy":[{"step":"s","emotion":"sad"}]}`), &back)
	for _, want := range []string{`segment: persona: unknown segment "b2g"`, `(root): unknown field "agge"`, `empathy[0].emotion: got a string, want an integer`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func FuzzPersonaJSON(f *testing.F) {
	p := buyer()
	b, _ := json.Marshal(&p)
	f.Add(b)
	f.Add([]byte(`{"id":"a","channels":{"Courriel":2},"empathy":[{"step":"s","emotion":-2}]}`))
	f.Add([]byte(`{"id":"a","age":{"min":5,"max":1},"share":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Persona
		if err := json.Unmarshal(data, &p); err != nil {
			return
		}
		if p.Validate() != nil {
			return
		}
		out, err := json.Marshal(&p)
		if err != nil {
			t.Fatalf("a valid persona does not marshal: %v", err)
		}
		var back Persona
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if diff := cmp.Diff(p, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

func FuzzRulesJSON(f *testing.F) {
	f.Add([]byte(`[{"persona":"a","when":[{"property":"segment","op":"is","values":["b2b"]}]}]`), "segment", "B2B")
	f.Add([]byte(`[{"persona":"a","when":[{"property":"n","op":">=","values":["1e3"]}]}]`), "n", "NaN")
	f.Fuzz(func(t *testing.T, data []byte, key, value string) {
		var rs Rules
		if err := json.Unmarshal(data, &rs); err != nil {
			return
		}
		_ = rs.Validate([]Persona{{ID: "a"}})
		_, _ = rs.Assign(map[string]string{key: value}) // must not panic on any rule, valid or not
	})
}

func TestRulesJSONStrict(t *testing.T) {
	var rs Rules
	err := json.Unmarshal([]byte(`[{"persona":"a","when":[{"prop":"x","op":"like"}]}]`), &rs)
	for _, want := range []string{`[0].when[0]: unknown field "prop"`, `[0].when[0].op: persona: unknown operator "like"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
