package render_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// goldenCase is one picture written to a golden file.
type goldenCase struct {
	name   string
	reason string
	file   string // under testdata/
	render func(t *testing.T, w io.Writer) error
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{
			name:   "shoe shop journey for Julie",
			reason: "the journey diagram of the shipped map: sections are stages, scores Julie's emotions, actors the owning departments",
			file:   "shoeshop-journey-julie.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				p, _ := m.Persona("julie")
				return render.MermaidJourney(w, m, p, render.JourneyOptions{})
			},
		},
		{
			name:   "shoe shop journey for Marc, persona as actor",
			reason: "PersonaActors names the persona at every task; Marc's empathy map overrides other steps than Julie's",
			file:   "shoeshop-journey-marc.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				p, _ := m.Persona("marc")
				return render.MermaidJourney(w, m, p, render.JourneyOptions{Actors: render.PersonaActors, Title: "Marc buys shoes"})
			},
		},
		{
			name:   "shoe shop designed journey",
			reason: "without a persona the scores are the steps' designed emotions; NoActors leaves tasks bare",
			file:   "shoeshop-journey-designed.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidJourney(w, shoeShop(t), nil, render.JourneyOptions{Actors: render.NoActors})
			},
		},
		{
			name:   "shoe shop flowchart",
			reason: "steps grouped by stage, effective probabilities (implicit exits included) on the edges",
			file:   "shoeshop-flowchart.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidFlowchart(w, render.MapFlow(shoeShop(t)), render.GraphOptions{})
			},
		},
		{
			name:   "shoe shop flowchart with friction, no exits",
			reason: "friction nodes and edges, notes, top-to-bottom layout and OmitExits, as the journey graph will use them",
			file:   "shoeshop-flowchart-friction.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidFlowchart(w, frictionFlow(shoeShop(t)), render.GraphOptions{Direction: render.TopToBottom, OmitExits: true})
			},
		},
		{
			name:   "shoe shop sankey",
			reason: "the designed routes unrolled over four steps, as a path-flow report would give them",
			file:   "shoeshop-sankey.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidSankey(w, levelFlows(shoeShop(t), 4, 1000))
			},
		},
		{
			name:   "shoe shop DOT",
			reason: "clusters per stage, start and exit shaped as states, probabilities as labels",
			file:   "shoeshop.dot",
			render: func(t *testing.T, w io.Writer) error {
				return render.DOT(w, render.MapFlow(shoeShop(t)), render.GraphOptions{})
			},
		},
		{
			name:   "shoe shop DOT with friction",
			reason: "friction points and edges styled, exits left out, top to bottom",
			file:   "shoeshop-friction.dot",
			render: func(t *testing.T, w io.Writer) error {
				return render.DOT(w, frictionFlow(shoeShop(t)), render.GraphOptions{Direction: render.TopToBottom, OmitExits: true})
			},
		},
		{
			name:   "shoe shop map for Julie",
			reason: "the SVG journey map with every default row and Julie's emotion curve",
			file:   "shoeshop-map-julie.svg",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				p, _ := m.Persona("julie")
				return render.SVGMap(w, m, p, render.MapOptions{})
			},
		},
		{
			name:   "shoe shop designed map, every row",
			reason: "every row, a narrower column and larger font force more wrapping",
			file:   "shoeshop-map-designed.svg",
			render: func(t *testing.T, w io.Writer) error {
				return render.SVGMap(w, shoeShop(t), nil, render.MapOptions{
					Rows:        []render.Row{render.RowEmotion, render.RowSteps, render.RowGoals, render.RowTouchpoints, render.RowChannels, render.RowDepartments, render.RowPains, render.RowOpportunities, render.RowEmpathy},
					ColumnWidth: 110, FontSize: 13, Title: "The shoe shop, as designed",
				})
			},
		},
		{
			name:   "shoe shop report",
			reason: "the HTML report the browser check renders: both personas' maps, contact map, routes, personas, departments, sources, and a results table of the kind later sections add",
			file:   "shoeshop-report.html",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				r, err := render.MapReport(m, render.MapReportOptions{})
				if err != nil {
					return err
				}
				r.Sections = append(r.Sections, resultsSection())
				return render.HTML(w, r)
			},
		},
		{
			name:   "shoe shop designed graph",
			reason: "the journey graph of the map: stages as groups, goal steps, the three states losing most customers before the purchase marked with their exit and loop rates",
			file:   "shoeshop-graph-flowchart.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidFlowchart(w, shoeShopGraphFlow(t), render.GraphOptions{})
			},
		},
		{
			name:   "shoe shop designed graph in DOT",
			reason: "the same graph for Graphviz, top to bottom",
			file:   "shoeshop-graph.dot",
			render: func(t *testing.T, w io.Writer) error {
				return render.DOT(w, shoeShopGraphFlow(t), render.GraphOptions{Direction: render.TopToBottom})
			},
		},
		{
			name:   "small learned graph",
			reason: "a graph learned from ten customers: no map, so state names; counts on the edges; Conversion and Exit",
			file:   "learned-flowchart.mmd",
			render: func(t *testing.T, w io.Writer) error {
				g := render.GraphFlow(smallGraph(t, 1), render.GraphFlowOptions{Title: "Learned from ten customers", Counts: true})
				return render.MermaidFlowchart(w, g, render.GraphOptions{})
			},
		},
		{
			name:   "small learned graph of order 2",
			reason: "tuple states labelled as arrows; transitions under 20% hidden but the most likely of each state; two friction points",
			file:   "learned-order2-flowchart.mmd",
			render: func(t *testing.T, w io.Writer) error {
				g := render.GraphFlow(smallGraph(t, 2), render.GraphFlowOptions{MinProbability: 0.2, FrictionPoints: 2})
				return render.MermaidFlowchart(w, g, render.GraphOptions{})
			},
		},
		{
			name:   "small learned graph of order 2 in DOT",
			reason: "the same graph for Graphviz, every transition, exits left out",
			file:   "learned-order2.dot",
			render: func(t *testing.T, w io.Writer) error {
				g := render.GraphFlow(smallGraph(t, 2), render.GraphFlowOptions{Title: "Order 2"})
				return render.DOT(w, g, render.GraphOptions{OmitExits: true})
			},
		},
		{
			name:   "shoe shop path flow",
			reason: "the first five steps of the simulated log's paths: names qualified by level, (other) kept, every ended path into one (end)",
			file:   "shoeshop-flows-sankey.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				return render.MermaidSankey(w, render.SankeyOf(shoeShopFlow(t, shoeShopLog(t, m, 2000)), render.SankeyOptions{Map: m}))
			},
		},
		{
			name:   "shoe shop path flow to the checkout",
			reason: "a backward flow: negative levels, the anchor by its name alone, paths not yet begun from one (start)",
			file:   "shoeshop-flows-backward-sankey.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				f, err := paths.CountFlows(shoeShopLog(t, m, 2000), paths.FlowOptions{Anchor: "checkout", Backward: true, Depth: 3}, paths.Options{})
				if err != nil {
					return err
				}
				return render.MermaidSankey(w, render.SankeyOf(f.Flow(4), render.SankeyOptions{}))
			},
		},
		{
			name:   "shoe shop funnel",
			reason: "the map's funnel over the simulated log: stage names from the map, conversion, drop-off and median times",
			file:   "shoeshop-funnel.svg",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				return render.SVGFunnel(w, shoeShopFunnel(t, m, shoeShopLog(t, m, 2000)), render.FunnelOptions{Map: m})
			},
		},
		{
			name:   "tricky funnel",
			reason: "hostile and long stage names, an optional stage, attempts, exclusions, a stage nobody reached, a larger font, no times",
			file:   "tricky-funnel.svg",
			render: func(t *testing.T, w io.Writer) error {
				return render.SVGFunnel(w, trickyFunnel(), render.FunnelOptions{Title: `Funnel "A" <b>&amp;</b>`, FontSize: 14, ID: "tricky-funnel", HideTimes: true})
			},
		},
		{
			name: "shoe shop journey report",
			reason: "the one page of the shoe shop example: summary, maps, funnel, top routes, journey graph, friction and pain points, " +
				"conformance, a caller's table, and the reference sections",
			file: "shoeshop-journey-report.html",
			render: func(t *testing.T, w io.Writer) error {
				m := shoeShop(t)
				res := shoeShopResults(t, m)
				res.Extra = []render.Section{resultsSection()}
				r, err := render.JourneyReport(m, res, render.JourneyReportOptions{
					Sections: render.SectionOptions{Goal: []string{"thank-you"}, GoalName: "the purchase", GoalEvents: "purchases", Persona: "julie", MinProbability: 0.05},
				})
				if err != nil {
					return err
				}
				return render.HTML(w, r)
			},
		},
		{
			name:   "tricky journey",
			reason: "keywords, colons, semicolons, hashes, %%, <br>, commas in actors, Mermaid's placeholder characters",
			file:   "tricky-journey.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := trickyMap()
				return render.MermaidJourney(w, m, &m.Personas[0], render.JourneyOptions{})
			},
		},
		{
			name:   "tricky journey, persona actor",
			reason: "a persona name with a comma, a colon and a percent sign as the actor",
			file:   "tricky-journey-persona.mmd",
			render: func(t *testing.T, w io.Writer) error {
				m := trickyMap()
				return render.MermaidJourney(w, m, &m.Personas[0], render.JourneyOptions{Actors: render.PersonaActors})
			},
		},
		{
			name:   "tricky flowchart",
			reason: "quotes, HTML, backquotes, entity-like text and a conversion state in labels; a tiny probability",
			file:   "tricky-flowchart.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidFlowchart(w, render.MapFlow(trickyMap()), render.GraphOptions{})
			},
		},
		{
			name:   "tricky sankey",
			reason: "CSV quoting of commas and quotes, accents spelt in ASCII, %% and #word; defused",
			file:   "tricky-sankey.mmd",
			render: func(t *testing.T, w io.Writer) error {
				return render.MermaidSankey(w, levelFlows(trickyMap(), 6, 100))
			},
		},
		{
			name:   "tricky DOT",
			reason: "backslashes and quotes escaped in IDs and labels",
			file:   "tricky.dot",
			render: func(t *testing.T, w io.Writer) error {
				return render.DOT(w, render.MapFlow(trickyMap()), render.GraphOptions{})
			},
		},
		{
			name:   "tricky map",
			reason: "XML escaping, wrapping of a word wider than its box, CJK and emoji widths, the empathy row",
			file:   "tricky-map.svg",
			render: func(t *testing.T, w io.Writer) error {
				m := trickyMap()
				rows := append(slices.Clone(render.DefaultRows), render.RowEmpathy, render.RowGoals)
				return render.SVGMap(w, m, &m.Personas[0], render.MapOptions{Rows: rows, ColumnWidth: 100})
			},
		},
		{
			name:   "tricky report",
			reason: "every block type with hostile text",
			file:   "tricky-report.html",
			render: func(t *testing.T, w io.Writer) error {
				r, err := render.MapReport(trickyMap(), render.MapReportOptions{})
				if err != nil {
					return err
				}
				r.Sections = append(r.Sections, resultsSection(), render.Section{
					Title: `Notes & "quotes" <script>alert(1)</script>`,
					Blocks: []render.Block{
						render.Paragraph("a < b && c > d"),
						render.List{"one", "two & three"},
						render.Code{Caption: "</pre> trap", Text: "<script>\n  x && y\n</script>"},
					},
				})
				return render.HTML(w, r)
			},
		},
	}
}

// frictionFlow is the shoe shop's flow graph with the return steps marked
// as friction points, as the journey graph's friction ranking will mark them.
func frictionFlow(m *journey.Map) render.FlowGraph {
	g := render.MapFlow(m)
	for i, n := range g.Nodes {
		switch n.ID {
		case "wants-return", "calls-hotline":
			g.Nodes[i].Friction = true
			g.Nodes[i].Note = "friction: exit 10–15%"
		}
	}
	for i, e := range g.Edges {
		if e.From == "wants-return" && e.To == "calls-hotline" {
			g.Edges[i].Friction = true
			g.Edges[i].Label = "60% · the main detour"
		}
	}
	return g
}

// shoeShopGraphFlow is the flow graph of the shoe shop's designed journey
// graph, friction measured against the purchase (the thank-you page).
func shoeShopGraphFlow(t *testing.T) render.FlowGraph {
	m := shoeShop(t)
	g, err := m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	return render.GraphFlow(g, render.GraphFlowOptions{
		Title: "The shoe shop's designed journey graph", Map: m,
		Friction: graph.FrictionOptions{Goal: []string{"thank-you"}},
	})
}

// trickyFunnel is a hand-made funnel report whose stage names hold what
// XML reserves, accents, CJK and a word too long for its box.
func trickyFunnel() *funnel.Report {
	return &funnel.Report{
		Funnel:    funnel.Spec{Count: funnel.Attempts, Window: 90 * time.Minute, Optional: []int{2}},
		Customers: 7, Excluded: 2,
		Stages: funnel.Stages{
			{Name: `Title "deed": <sign> & pay #5`, Reached: 1234567, Dropped: 1000000},
			{Name: "Kundenzufriedenheitsbefragungsergebnisauswertungsbericht", Reached: 234567, Dropped: 234000},
			{Name: "Été ☕ 日本 — l'école", Optional: true, Reached: 1, Dropped: 0},
			{Name: " ", Reached: 0},
		},
	}
}

// resultsSection is a section of the kind the attribution and impact
// reports will add: a table of results with bars.
func resultsSection() render.Section {
	return render.Section{
		ID:    "attribution",
		Title: "Attribution by channel (sample figures)",
		Intro: "A results table of the kind later analyses add to the report.",
		Blocks: []render.Block{render.Table{
			Caption: "Share of conversions",
			Columns: []render.Column{{Title: "Channel"}, {Title: "Conversions", Numeric: true}, {Title: "Share", Numeric: true}},
			Rows: [][]render.Cell{
				{{Text: "web"}, {Text: "412"}, {Text: "41.2%", Bar: 0.412}},
				{{Text: "email"}, {Text: "305"}, {Text: "30.5%", Bar: 0.305}},
				{{Text: "ads"}, {Text: "283"}, {Text: "28.3%", Bar: 0.283}},
			},
			Note: "Figures for illustration.",
		}},
	}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.render(t, &b); err != nil {
				t.Fatalf("%s: %v", c.reason, err)
			}
			path := filepath.Join("testdata", c.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s: output differs from %s (-want +got):\n%s", c.reason, path, diff)
			}
		})
	}
}

// TestGoldenFilesHaveCases keeps testdata/ free of golden files no case
// writes any more, which CI's Mermaid check would still read.
func TestGoldenFilesHaveCases(t *testing.T) {
	var want []string
	for _, c := range goldenCases() {
		want = append(want, c.file)
	}
	slices.Sort(want)
	var got []string
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			got = append(got, e.Name())
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testdata/ files and golden cases differ (-cases +files):\n%s", diff)
	}
}

// TestGoldenWellFormed parses every SVG and HTML golden file as XML, and
// checks what makes the pictures self-contained and checkable.
func TestGoldenWellFormed(t *testing.T) {
	checked := 0
	for _, c := range goldenCases() {
		ext := filepath.Ext(c.file)
		if ext != ".svg" && ext != ".html" {
			continue
		}
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			doc := parseXML(t, data)
			switch ext {
			case ".svg":
				if doc.Name.Local != "svg" || doc.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root element is %v, want svg in the SVG namespace", doc.Name)
				}
			case ".html":
				if doc.Name.Local != "html" {
					t.Errorf("root element is %v, want html", doc.Name)
				}
				if !bytes.HasPrefix(data, []byte("<!DOCTYPE html>\n")) {
					t.Error("no <!DOCTYPE html> first")
				}
			}
			checkSelfContained(t, doc)
			cells := doc.findAll(func(e *element) bool { return e.attr("class") == "cell" })
			if len(cells) == 0 {
				t.Error("no journey map cell")
			}
			for _, cell := range cells {
				if len(cell.children) == 0 || cell.children[0].Name.Local != "rect" {
					t.Errorf("cell %v does not start with its rect", cell.Attr)
				}
			}
			checked++
		})
	}
	if checked == 0 {
		t.Fatal("no SVG or HTML golden file")
	}
}

// element is a parsed XML element.
type element struct {
	xml.StartElement
	children []*element
	text     string
}

func (e *element) attr(name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (e *element) findAll(match func(*element) bool) []*element {
	var out []*element
	var walk func(*element)
	walk = func(e *element) {
		if match(e) {
			out = append(out, e)
		}
		for _, c := range e.children {
			walk(c)
		}
	}
	walk(e)
	return out
}

// parseXML parses data strictly and returns its root element.
func parseXML(t *testing.T, data []byte) *element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var root *element
	var stack []*element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := &element{StartElement: x.Copy()}
			if len(stack) == 0 {
				if root != nil {
					t.Fatal("two root elements")
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(x)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

var externalURL = regexp.MustCompile(`(?i)(https?:|//|data:|file:)`)

// checkSelfContained reports scripts, external references and web fonts.
func checkSelfContained(t *testing.T, doc *element) {
	t.Helper()
	for _, e := range doc.findAll(func(*element) bool { return true }) {
		switch strings.ToLower(e.Name.Local) {
		case "script", "link", "img", "iframe", "image", "foreignobject":
			t.Errorf("<%s> in a self-contained picture", e.Name.Local)
		case "style":
			if strings.Contains(e.text, "@import") || strings.Contains(e.text, "@font-face") || strings.Contains(e.text, "url(") {
				t.Error("the style sheet loads something")
			}
		}
		for _, a := range e.Attr {
			if a.Name.Local == "xmlns" || a.Name.Space == "xmlns" {
				continue
			}
			if (a.Name.Local == "href" || a.Name.Local == "src") && !strings.HasPrefix(a.Value, "#") {
				t.Errorf("<%s %s=%q> points outside the document", e.Name.Local, a.Name.Local, a.Value)
			}
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
				t.Errorf("<%s %s> is an event handler", e.Name.Local, a.Name.Local)
			}
			// data-* and aria-* attributes hold text (a node's name, a
			// label), which a browser never fetches.
			text := strings.HasPrefix(a.Name.Local, "data-") || strings.HasPrefix(a.Name.Local, "aria-")
			if !text && externalURL.MatchString(a.Value) {
				t.Errorf("<%s %s=%q> names an external resource", e.Name.Local, a.Name.Local, a.Value)
			}
		}
	}
}
