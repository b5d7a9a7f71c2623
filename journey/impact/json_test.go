package impact_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
)

// shoeReport scores the seed-003 shoe journey with every C weighed.
func shoeReport(t testing.TB) *impact.Report {
	t.Helper()
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		t.Fatal(err)
	}
	var sc objectives.Scorecard
	sc.Add("hotline-employee", objectives.KPI{Name: "waiting time", Objective: objectives.Consideration, Unit: "s", Target: 60, Better: objectives.LowerIsBetter}, 90)
	r, err := impact.Score(m, impact.Options{Priorities: objectives.Mix{Conversion: 2, Connection: 1, Consideration: 1, Knowledge: 1}, Scorecard: &sc})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportJSONRoundTrip(t *testing.T) {
	r := shoeReport(t)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back impact.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(r.Explain("customer-care"), back.Explain("customer-care")); diff != "" {
		t.Errorf("Explain of the decoded report (-want +got):\n%s", diff)
	}
	for _, field := range []string{`"source":"design"`, `"priorities":{"conversion":0.4`, `"basis":"goal"`, `"focus":"stage"`, `"focus_stages":[`, `"depends_on":[`, `"kpis":{"total":{"kpis":1,"met":0,"attainment":0.6666`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("the JSON lacks %s", field)
		}
	}
}

func TestReportJSONStrict(t *testing.T) {
	doc := `{"source":"guess","priorities":{"conversion":"all"},"objectives":[{"objective":"sales","basis":"goal"}],"departments":[{"id":"x","rank":"first","focuss":"stage"}],"assumptions":[]}`
	var r impact.Report
	err := json.Unmarshal([]byte(doc), &r)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`impact: report:`,
		`source: impact: unknown value "guess" for a source`,
		`priorities.conversion: got a string, want a number`,
		`objectives[0].objective: objectives: unknown objective "sales"`,
		`impact: report: departments[0].rank: got a string, want an integer`,
		`departments[0]: unknown field "focuss"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func FuzzReportJSON(f *testing.F) {
	small, err := impact.Score(smallMap(), impact.Options{Priorities: objectives.Mix{Conversion: 1, Knowledge: 1}})
	if err != nil {
		f.Fatal(err)
	}
	b, err := json.Marshal(small)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"source":"log","customers":3,"priorities":{},"objectives":null,"departments":[{"id":"a","focus":"channel","stages":[{"stage":"s","share":1,"channel":0.5,"score":0}]}],"assumptions":["x"]}`))
	f.Add([]byte(`{"departments":[{"focus_stages":[{"stage":"s","pass":null,"friction":[{"state":"a"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r impact.Report
		if err := json.Unmarshal(data, &r); err != nil {
			var syntax *json.SyntaxError
			if !errors.As(err, &syntax) && !strings.HasPrefix(err.Error(), "impact: report: ") {
				t.Fatalf("error not prefixed: %v", err)
			}
			return
		}
		b, err := json.Marshal(&r)
		if err != nil {
			return // a value the decoder took but no report holds, such as an invalid focus
		}
		var back impact.Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(r, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		for _, d := range r.Departments {
			_ = r.Explain(d.ID)
		}
	})
}
