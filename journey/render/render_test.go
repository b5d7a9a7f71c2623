package render_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/persona"
)

func TestErrors(t *testing.T) {
	m := trickyMap()
	tests := []struct {
		name, reason string
		run          func(w io.Writer) error
		want         []string // substrings of the error
	}{
		{"journey nil map", "a nil map is an error, not a panic",
			func(w io.Writer) error { return render.MermaidJourney(w, nil, nil, render.JourneyOptions{}) },
			[]string{"render: nil map"}},
		{"svg nil map", "a nil map is an error, not a panic",
			func(w io.Writer) error { return render.SVGMap(w, nil, nil, render.MapOptions{}) },
			[]string{"render: nil map"}},
		{"report nil map", "a nil map is an error, not a panic",
			func(w io.Writer) error { _, err := render.MapReport(nil, render.MapReportOptions{}); return err },
			[]string{"render: nil map"}},
		{"unknown persona", "the report names the persona it cannot find",
			func(w io.Writer) error {
				_, err := render.MapReport(m, render.MapReportOptions{Personas: []string{"nobody"}})
				return err
			},
			[]string{`render: report: unknown persona "nobody"`}},
		{"bad rows", "every bad row is reported",
			func(w io.Writer) error {
				return render.SVGMap(w, m, nil, render.MapOptions{Rows: []render.Row{"steps", "feelings", "steps"}})
			},
			[]string{`rows[1]: unknown row "feelings"`, `rows[2]: row "steps" repeated`}},
		{"narrow column", "a column must hold a few characters",
			func(w io.Writer) error { return render.SVGMap(w, m, nil, render.MapOptions{ColumnWidth: 30}) },
			[]string{"column width 30 is outside [72, 5000]"}},
		{"bad font size", "NaN is not a size",
			func(w io.Writer) error { return render.SVGMap(w, m, nil, render.MapOptions{FontSize: math.NaN()}) },
			[]string{"font size NaN"}},
		{"bad flow graph", "every problem of the graph, with its path",
			func(w io.Writer) error {
				g := render.FlowGraph{
					Groups: []render.Group{{ID: "a"}, {ID: "a"}},
					Nodes:  []render.Node{{ID: "x", Group: "b"}, {ID: "x"}, {ID: ""}},
					Edges:  []render.Edge{{From: "x", To: "y", Probability: 1.5}},
				}
				return render.MermaidFlowchart(w, g, render.GraphOptions{})
			},
			[]string{`groups[1] "a": duplicate group id`, `nodes[0] "x": group: unknown group "b"`, `nodes[1] "x": duplicate node id`,
				"nodes[2]: id: empty", `edges[0] "x" -> "y": to: unknown node "y"`, "probability: 1.5 is outside [0, 1]"}},
		{"bad flow graph in DOT", "DOT validates the same way",
			func(w io.Writer) error {
				return render.DOT(w, render.FlowGraph{Edges: []render.Edge{{From: "a", To: "b"}}}, render.GraphOptions{})
			},
			[]string{`render: flow graph: edges[0] "a" -> "b": from: unknown node "a"`}},
		{"sankey loop", "a sankey cannot draw a cycle",
			func(w io.Writer) error {
				return render.MermaidSankey(w, []render.Flow{{"a", "b", 1}, {"b", "c", 1}, {"c", "a", 1}})
			},
			[]string{"render: sankey: flows: they loop (a -> b -> c -> a)"}},
		{"sankey self-loop, empty name, bad values", "every bad row is reported",
			func(w io.Writer) error {
				return render.MermaidSankey(w, []render.Flow{{"a", "a", 1}, {"", "b", 1}, {"b", "c", -1}, {"b", "d", math.Inf(1)}})
			},
			[]string{`flows[0]: "a" flows into itself`, "flows[1]: source: empty name", "flows[2]: value: -1 is not a positive", "flows[3]: value: +Inf"}},
		{"sankey names that collide", "two names spelt alike in ASCII would merge two nodes",
			func(w io.Writer) error {
				return render.MermaidSankey(w, []render.Flow{{"Été", "x", 1}, {"Ete", "y", 1}})
			},
			[]string{`"Été" and "Ete" would both be written Ete`}},
		{"picture with a script", "the report stays free of scripts",
			func(w io.Writer) error {
				return render.HTML(w, picture(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
			},
			[]string{"<script> is not allowed"}},
		{"picture with an external image", "the report stays offline",
			func(w io.Writer) error {
				return render.HTML(w, picture(`<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/">x</a></svg>`))
			},
			[]string{"only links inside the picture"}},
		{"picture with an external url()", "no style reaches outside",
			func(w io.Writer) error {
				return render.HTML(w, picture(`<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x/y#p)"/></svg>`))
			},
			[]string{"only url(#…) references"}},
		{"picture with a handler", "event handlers are scripts",
			func(w io.Writer) error {
				return render.HTML(w, picture(`<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>`))
			},
			[]string{"no scripts"}},
		{"picture that is not SVG", "only SVG pictures",
			func(w io.Writer) error { return render.HTML(w, picture(`<html/>`)) },
			[]string{"the root element is <html>"}},
		{"picture that is not XML", "malformed markup is caught",
			func(w io.Writer) error { return render.HTML(w, picture(`<svg><g></svg>`)) },
			[]string{"picture: XML syntax error"}},
		{"table too wide, bad bar", "rows must fit the columns, bars lie in [0, 1]",
			func(w io.Writer) error {
				return render.HTML(w, render.Report{Sections: []render.Section{{Blocks: []render.Block{render.Table{
					Columns: []render.Column{{Title: "a"}},
					Rows:    [][]render.Cell{{{Text: "1"}, {Text: "2"}}, {{Text: "x", Bar: 2}}},
				}}}}})
			},
			[]string{"rows[0]: 2 cells for 1 columns", "rows[1][0]: bar 2 is outside [0, 1]"}},
		{"funnel nil report", "a nil report is an error, not a panic",
			func(w io.Writer) error { return render.SVGFunnel(w, nil, render.FunnelOptions{}) },
			[]string{"render: nil funnel report"}},
		{"funnel without stages", "there is nothing to draw",
			func(w io.Writer) error { return render.SVGFunnel(w, &funnel.Report{}, render.FunnelOptions{}) },
			[]string{"render: funnel: the report has no stage"}},
		{"funnel counts that cannot be", "every impossible count is reported with its stage",
			func(w io.Writer) error {
				return render.SVGFunnel(w, &funnel.Report{Stages: funnel.Stages{{Name: "a", Reached: -1}, {Name: "b", Reached: 2, Dropped: 3}}}, render.FunnelOptions{})
			},
			[]string{`stages[0] "a": reached -1 is negative`, `stages[1] "b": dropped 3 is outside [0, reached 2]`}},
		{"funnel font size", "NaN is not a size",
			func(w io.Writer) error {
				return render.SVGFunnel(w, &funnel.Report{Stages: funnel.Stages{{Name: "a"}}}, render.FunnelOptions{FontSize: math.NaN()})
			},
			[]string{"render: funnel: font size NaN"}},
		{"funnel section", "the section returns the chart's errors",
			func(w io.Writer) error { _, err := render.FunnelSection(nil, render.FunnelOptions{}); return err },
			[]string{"render: nil funnel report"}},
		{"graph section nil graph", "a nil graph is an error, not a panic",
			func(w io.Writer) error { _, err := render.GraphSection(nil, render.SectionOptions{}); return err },
			[]string{"render: nil journey graph"}},
		{"journey report nil map", "the report is about a designed journey",
			func(w io.Writer) error {
				_, err := render.JourneyReport(nil, render.Results{}, render.JourneyReportOptions{})
				return err
			},
			[]string{"render: nil map"}},
		{"journey report bad funnel", "the funnel's errors reach the caller",
			func(w io.Writer) error {
				_, err := render.JourneyReport(m, render.Results{Funnel: &funnel.Report{}}, render.JourneyReportOptions{})
				return err
			},
			[]string{"render: funnel: the report has no stage"}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := tt.run(&b)
		if err == nil {
			t.Errorf("%s: %s: no error", tt.name, tt.reason)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %s: error %q lacks %q", tt.name, tt.reason, err, w)
			}
		}
		if strings.HasPrefix(tt.name, "picture") || strings.HasPrefix(tt.name, "table") || strings.HasPrefix(tt.name, "funnel") {
			if b.Len() != 0 {
				t.Errorf("%s: wrote %d bytes despite the error", tt.name, b.Len())
			}
		}
	}
}

func picture(svg string) render.Report {
	return render.Report{Sections: []render.Section{{Title: "x", Blocks: []render.Block{render.Picture{SVG: []byte(svg)}}}}}
}

// TestMapFlowProbabilities checks that MapFlow keeps the map's routes:
// out of the start and every step, probabilities sum to 1.
func TestMapFlowProbabilities(t *testing.T) {
	for _, m := range []*journey.Map{shoeShop(t), trickyMap()} {
		g := render.MapFlow(m)
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, e := range g.Edges {
			out[e.From] += e.Probability
		}
		for _, n := range g.Nodes {
			if n.Kind == render.ExitNode || n.Kind == render.ConversionNode {
				if _, ok := out[n.ID]; ok {
					t.Errorf("%s: absorbing state %s has edges out", m.Name, n.ID)
				}
				continue
			}
			if math.Abs(out[n.ID]-1) > 1e-9 {
				t.Errorf("%s: edges out of %s sum to %v", m.Name, n.ID, out[n.ID])
			}
		}
		if got, want := len(g.Nodes), len(m.Steps)+2; got < want {
			t.Errorf("%s: %d nodes, want at least %d (steps, start, exit)", m.Name, got, want)
		}
	}
}

// TestInvalidMapsStillDraw gives every renderer a map whose references do
// not resolve: they draw the ids instead, and do not fail.
func TestInvalidMapsStillDraw(t *testing.T) {
	m := &journey.Map{
		Stages: []journey.Stage{{ID: "s"}, {ID: "s"}},
		Steps: []journey.Step{
			{ID: "a", Stage: "nowhere", Touchpoints: []string{"ghost"}, Emotion: 9},
			{ID: "a"},
			{ID: "b", Stage: "s"},
		},
		Transitions: []graph.Transition{{From: "a", To: "missing", Probability: 2}, {From: "b", To: "a"}},
	}
	if m.Validate() == nil {
		t.Fatal("the map is valid: the test needs an invalid one")
	}
	p := &persona.Persona{ID: "p", Empathy: []persona.Empathy{{Step: "zzz", Emotion: -7}}}
	var b bytes.Buffer
	for name, run := range map[string]func() error{
		"journey": func() error { return render.MermaidJourney(&b, m, p, render.JourneyOptions{}) },
		"flow":    func() error { return render.MermaidFlowchart(&b, render.MapFlow(m), render.GraphOptions{}) },
		"dot":     func() error { return render.DOT(&b, render.MapFlow(m), render.GraphOptions{}) },
		"svg":     func() error { return render.SVGMap(&b, m, p, render.MapOptions{}) },
	} {
		b.Reset()
		if err := run(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.Contains(b.String(), "a") {
			t.Errorf("%s: step a is not drawn:\n%s", name, b.String())
		}
	}
	b.Reset()
	render.MermaidJourney(&b, m, p, render.JourneyOptions{})
	if !strings.Contains(b.String(), "a: 5") {
		t.Errorf("an emotion off the scale is not clamped to 5:\n%s", b.String())
	}
}

func TestSectionIDs(t *testing.T) {
	r := render.Report{Sections: []render.Section{
		{Title: "Journey map: Julie"}, {Title: "Journey map: Julie"}, {ID: "Été 2024!"}, {}, {Title: "***"},
	}}
	var b bytes.Buffer
	if err := render.HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	var got []string
	d := xml.NewDecoder(&b)
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Local == "section" {
			got = append(got, s.Attr[0].Value)
		}
	}
	want := []string{"journey-map-julie", "journey-map-julie-2", "ete-2024", "section", "section-2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("section ids: slugs of the ID or title, made unique (-want +got):\n%s", diff)
	}
}

func FuzzSVGMap(f *testing.F) {
	f.Add("Title deed: sign; pay #5", "Été", `Zoë "Z" <O'Neil>`, "ops & co", int8(2))
	f.Add("Kundenzufriedenheitsbefragungsergebnisauswertungsbericht", "\x00\xff", "", "", int8(-9))
	f.Fuzz(func(t *testing.T, step, stage, who, dept string, emotion int8) {
		m := trickyMap()
		m.Steps[0].Name = step
		m.Steps[0].Emotion = persona.Emotion(emotion)
		m.Stages[1].Name = stage
		m.Catalog.Departments[0].Name = dept
		m.Personas[0].Name = who
		var b bytes.Buffer
		if err := render.SVGMap(&b, m, &m.Personas[0], render.MapOptions{Rows: []render.Row{render.RowSteps, render.RowDepartments, render.RowEmpathy, render.RowEmotion}}); err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(&b)
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("not XML: %v", err)
			}
		}
		var j bytes.Buffer
		if err := render.MermaidJourney(&j, m, &m.Personas[0], render.JourneyOptions{}); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(j.String(), "\n"); lines != 2+len(m.Stages)+len(m.Steps) {
			t.Errorf("journey has %d lines, want one per title, section and task:\n%s", lines, j.String())
		}
	})
}
