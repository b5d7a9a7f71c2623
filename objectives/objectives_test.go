package objectives

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		want   Objective
		reason string
	}{
		{"conversion", Conversion, "English name"},
		{"Connection", Connection, "case is ignored"},
		{"connexion", Connection, "French name from seed 001"},
		{"Considération", Consideration, "French name with accent"},
		{"CONSIDERATION", Consideration, "upper case without accent"},
		{"awareness", Consideration, "consideration includes awareness"},
		{"notoriété", Consideration, "French for awareness"},
		{"connaissance", Knowledge, "French name"},
		{" knowledge ", Knowledge, "surrounding space is ignored"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v (%s)", tt.in, got, err, tt.want, tt.reason)
		}
	}
	for _, bad := range []string{"", "sale", "conversions", "fidélisation"} {
		if _, err := Parse(bad); !errors.Is(err, ErrUnknownObjective) || !strings.Contains(err.Error(), bad) {
			t.Errorf("Parse(%q) error = %v; want ErrUnknownObjective naming the input", bad, err)
		}
	}
}

func TestObjectiveText(t *testing.T) {
	for _, o := range All {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Objective
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("round trip of %v gave %v, %v", o, back, err)
		}
	}
	if _, err := Objective(0).MarshalText(); err == nil {
		t.Error("the zero Objective must not marshal")
	}
	if got := Objective(9).String(); got != "Objective(9)" {
		t.Errorf("String of a bad value = %q", got)
	}
	if Objective(0).IsValid() || !Knowledge.IsValid() {
		t.Error("IsValid is wrong")
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse of a bad name must panic")
		}
	}()
	MustParse("nope")
}

func TestMix(t *testing.T) {
	m := Mix{Conversion: 2, Knowledge: 1, Connection: 1}
	n := m.Normalize()
	if diff := cmp.Diff(Mix{Conversion: 0.5, Connection: 0.25, Knowledge: 0.25}, n); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	if d, ok := m.Dominant(); !ok || d != Conversion {
		t.Errorf("Dominant = %v, %v", d, ok)
	}
	if d, ok := (Mix{Connection: 1, Knowledge: 1}).Dominant(); !ok || d != Connection {
		t.Errorf("a tie must go to the first objective in order, got %v", d)
	}
	if _, ok := (Mix{}).Dominant(); ok {
		t.Error("the zero mix has no dominant objective")
	}
	if (Mix{}).Normalize() != (Mix{}) {
		t.Error("normalising the zero mix must leave it zero")
	}
	if MixOf(Knowledge).Get(Knowledge) != 1 || MixOf(Knowledge).Total() != 1 {
		t.Error("MixOf")
	}
	if !(Mix{}).IsZero() || m.IsZero() {
		t.Error("IsZero")
	}
	if Mix.Get(m, 0) != 0 {
		t.Error("Get of a bad objective must be 0")
	}
}

func TestMixValidate(t *testing.T) {
	bad := Mix{Conversion: -1, Connection: math.NaN(), Consideration: math.Inf(1), Knowledge: 1}
	err := bad.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"conversion: weight -1", "connection: weight NaN", "consideration: weight +Inf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "knowledge") {
		t.Errorf("a good weight was reported: %v", err)
	}
}

func TestMixWithPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("With of a bad objective must panic")
		}
	}()
	Mix{}.With(0, 1)
}

func TestAttainment(t *testing.T) {
	higher := KPI{Name: "signups", Objective: Connection, Target: 200}
	lower := KPI{Name: "wait", Objective: Conversion, Target: 30, Better: LowerIsBetter, Unit: "s"}
	zero := KPI{Name: "complaints", Objective: Consideration, Target: 0, Better: LowerIsBetter}
	tests := []struct {
		kpi      KPI
		measured float64
		want     float64
		met      bool
		reason   string
	}{
		{higher, 150, 0.75, false, "150 of 200"},
		{higher, 200, 1, true, "on target"},
		{higher, 500, 1, true, "overachievement is capped at 1"},
		{higher, -5, 0, false, "a negative value reaches nothing"},
		{higher, math.NaN(), 0, false, "NaN reaches nothing"},
		{lower, 60, 0.5, false, "twice the allowed wait: 30/60"},
		{lower, 30, 1, true, "on target"},
		{lower, 0, 1, true, "no wait at all"},
		{zero, 0, 1, true, "zero complaints meets a zero target"},
		{zero, 4, 0, false, "any complaint misses a zero target entirely"},
		{KPI{Name: "x", Objective: Knowledge}, 0, 1, true, "a zero target is met by zero when higher is better"},
	}
	for _, tt := range tests {
		if got := tt.kpi.Attainment(tt.measured); got != tt.want {
			t.Errorf("%s.Attainment(%v) = %v, want %v (%s)", tt.kpi.Name, tt.measured, got, tt.want, tt.reason)
		}
		if got := tt.kpi.Met(tt.measured); got != tt.met {
			t.Errorf("%s.Met(%v) = %v, want %v (%s)", tt.kpi.Name, tt.measured, got, tt.met, tt.reason)
		}
	}
}

func TestKPIValidate(t *testing.T) {
	err := KPI{Target: -1, Better: 7}.Validate()
	for _, want := range []string{"name: empty", "objective: Objective(0) is not an objective", "target: -1", "better: Better(7)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	if err := (KPI{Name: "n", Objective: Conversion, Target: 3}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestScorecard(t *testing.T) {
	signups := KPI{Name: "signups", Objective: Connection, Target: 100}
	sales := KPI{Name: "sales", Objective: Conversion, Target: 50}
	wait := KPI{Name: "wait", Objective: Conversion, Target: 30, Better: LowerIsBetter}
	var s Scorecard
	s.Add("crm", signups, 80) // 0.8
	s.Add("eshop", sales, 60) // 1, met
	s.Add("care", wait, 40)   // 0.75
	s.Add("crm", sales, 25)   // 0.5
	byObj := s.ByObjective()
	want := map[Objective]Rollup{
		Connection: {KPIs: 1, Met: 0, Attainment: 0.8},
		Conversion: {KPIs: 3, Met: 1, Attainment: (1 + 0.75 + 0.5) / 3},
	}
	if diff := cmp.Diff(want, byObj, cmpApprox); diff != "" {
		t.Errorf("ByObjective (-want +got):\n%s", diff)
	}
	byOwner := s.ByOwner()
	wantOwner := map[string]Rollup{
		"crm":   {KPIs: 2, Met: 0, Attainment: 0.65},
		"eshop": {KPIs: 1, Met: 1, Attainment: 1},
		"care":  {KPIs: 1, Met: 0, Attainment: 0.75},
	}
	if diff := cmp.Diff(wantOwner, byOwner, cmpApprox); diff != "" {
		t.Errorf("ByOwner (-want +got):\n%s", diff)
	}
	crm := s.Owner("crm")
	if diff := cmp.Diff(map[Objective]Rollup{Connection: {1, 0, 0.8}, Conversion: {1, 0, 0.5}}, crm, cmpApprox); diff != "" {
		t.Errorf("Owner(crm) (-want +got):\n%s", diff)
	}
	if len((Scorecard{}).ByObjective()) != 0 {
		t.Error("the empty scorecard has no rollup")
	}
}

var cmpApprox = cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-12 })

func TestScorecardJSON(t *testing.T) {
	var s Scorecard
	s.Add("crm", KPI{Name: "signups", Objective: Connection, Unit: "count", Target: 100}, 80)
	s.Add("care", KPI{Name: "wait", Objective: Conversion, Target: 30, Better: LowerIsBetter}, 40)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"measurements":[{"owner":"crm","kpi":{"name":"signups","objective":"connection","unit":"count","target":100},"value":80},{"owner":"care","kpi":{"name":"wait","objective":"conversion","target":30,"better":"lower"},"value":40}]}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant\n%s", b, want)
	}
	var back Scorecard
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestScorecardJSONErrors(t *testing.T) {
	doc := `{"measurements":[{"owner":"a","kpi":{"name":"k","objective":"sales","target":1,"better":"up"},"value":"x"},{"ownr":"b"}]}`
	var s Scorecard
	err := json.Unmarshal([]byte(doc), &s)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`measurements[0].kpi.better: objectives: unknown KPI direction "up"`,
		`measurements[0].kpi.objective: objectives: unknown objective "sales"`,
		`measurements[0].value: got a string, want a number`,
		`measurements[1]: unknown field "ownr"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestScorecardValidate(t *testing.T) {
	s := Scorecard{Measurements: []Measurement{
		{Owner: "a", KPI: KPI{Name: "k", Objective: Conversion, Target: 1}, Value: math.Inf(1)},
		{Owner: "b", KPI: KPI{Objective: Conversion, Target: 1}, Value: 1},
	}}
	err := s.Validate()
	for _, want := range []string{`measurements[0] "k": value: +Inf is not a finite number`, `measurements[1]: kpi: name: empty`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func FuzzScorecardJSON(f *testing.F) {
	f.Add([]byte(`{"measurements":[{"owner":"crm","kpi":{"name":"signups","objective":"connexion","target":100},"value":80}]}`))
	f.Add([]byte(`{"measurements":[{"kpi":{"better":"lower","target":-1}}]}`))
	f.Add([]byte(`{"measurements":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scorecard
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		if s.Validate() != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("a valid scorecard does not marshal: %v", err)
		}
		var back Scorecard
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(s, back, cmpEmpty); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		_ = s.ByObjective()
		_ = s.ByOwner()
	})
}

// cmpEmpty treats nil and empty slices as equal: omitted JSON fields decode as nil.
var cmpEmpty = cmp.FilterValues(func(x, y []Measurement) bool { return len(x) == 0 && len(y) == 0 }, cmp.Ignore())
