package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
)

func TestJourneyReportSections(t *testing.T) {
	m := shoeShop(t)
	full := shoeShopResults(t, m)
	full.Extra = []render.Section{resultsSection(), {ID: "funnel", Title: "Another funnel"}}
	design := []string{"summary", "overview", "map-julie", "map-marc"}
	reference := []string{"contact-map", "routes", "personas", "departments", "sources"}
	tests := []struct {
		name, reason string
		res          render.Results
		want         []string
	}{
		{
			name: "everything", reason: "the design, then the analyses and the caller's sections, then the reference",
			res:  full,
			want: join(design, []string{"funnel", "top-routes", "path-flows", "journey-graph", "friction", "conformance", "attribution", "funnel-2"}, reference),
		},
		{
			name: "nothing", reason: "with no results the report is the map's, with its summary",
			want: join(design, reference),
		},
		{
			name: "routes only", reason: "each result brings its own section",
			res:  render.Results{GoalRoutes: full.GoalRoutes},
			want: join(design, []string{"top-routes"}, reference),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := render.JourneyReport(m, tt.res, render.JourneyReportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := render.HTML(&b, r); err != nil {
				t.Fatal(err)
			}
			got := sectionIDsOf(t, b.String())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sectionIDsOf returns the ids of the page's sections, in order.
func sectionIDsOf(t *testing.T, page string) []string {
	t.Helper()
	var ids []string
	for _, s := range parseXML(t, []byte(page)).findAll(func(e *element) bool { return e.Name.Local == "section" }) {
		ids = append(ids, s.attr("id"))
	}
	return ids
}

// TestSectionsWithoutData checks that each section says what it lacks
// rather than drawing empty tables.
func TestSectionsWithoutData(t *testing.T) {
	tests := []struct {
		name, reason string
		section      render.Section
		want         []string // the blocks, by type
	}{
		{"routes", "no variant gives no table", render.TopRoutesSection(nil, nil, render.SectionOptions{}), nil},
		{"friction", "no graph: a sentence says so", render.FrictionSection(nil, render.SectionOptions{}), []string{"render.Paragraph"}},
		{"conformance", "no check: a sentence says so", render.ConformanceSection(nil, render.SectionOptions{}), []string{"render.Paragraph"}},
		{"friction without emotions", "without a map there are no pain points, only the friction table",
			render.FrictionSection(smallGraph(t, 1), render.SectionOptions{}), []string{"render.Table"}},
		{"friction with emotions", "a map's emotions add the pain points, here none: the design has no negative emotion for these steps",
			render.FrictionSection(smallGraph(t, 1), render.SectionOptions{Map: &journey.Map{}}),
			[]string{"render.Table", "render.Heading", "render.Paragraph", "render.Paragraph"}},
	}
	for _, tt := range tests {
		var got []string
		for _, b := range tt.section.Blocks {
			got = append(got, fmt.Sprintf("%T", b))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", tt.name, tt.reason, diff)
		}
	}
}

// TestRoutesSection checks the tables of routes: names from the map,
// shares of all customers, long routes shortened; the routes to the goal
// that reached it, most conversions first, ties by customers, and the
// others summed up in one line (counts worked by hand below).
func TestTopRoutesSection(t *testing.T) {
	m := &journey.Map{Steps: []journey.Step{{ID: "a", Name: "Step A"}, {ID: "b"}}}
	long := strings.Split("a b a b a b a b a b a b a b", " ")
	variants := []paths.Variant{{Route: []string{"a", "b"}, Customers: 6}, {Route: long, Customers: 3}, {Route: nil, Customers: 1}}
	goals := []paths.GoalVariant{
		{Route: []string{"a"}, Customers: 4, Converted: 1, Rate: 0.25, MedianToGoal: 90 * time.Minute},
		{Route: []string{"b"}, Customers: 10},
		{Route: []string{"a", "b"}, Customers: 5, Converted: 3, Rate: 0.6, MedianToGoal: 2 * time.Hour},
		{Route: []string{"b", "a"}, Customers: 8, Converted: 1, Rate: 0.125, MedianToGoal: 30 * time.Minute},
		{Route: []string{"b", "b"}, Customers: 2},
	}
	s := render.TopRoutesSection(variants, goals, render.SectionOptions{Map: m, Top: 2, GoalName: "the sale", GoalEvents: "sales"})
	var rows [][]string
	for _, b := range s.Blocks {
		if tb, ok := b.(render.Table); ok {
			for _, r := range tb.Rows {
				var cells []string
				for _, c := range r {
					cells = append(cells, c.Text)
				}
				rows = append(rows, cells)
			}
			rows = append(rows, []string{tb.Note})
		}
	}
	// 29 customers, 5 sales. Shown: a→b (3 sales of 5: 60%), then b→a
	// (1 sale, 8 customers) before a (1 sale, 4 customers). Left out: a,
	// b and b→b, 4 + 10 + 2 = 16 customers, 1 sale.
	want := [][]string{
		{"1", "Step A → b", "6", "60%"},
		{"2", "Step A → b → Step A → b → Step A → … 4 more steps … → b → Step A → b → Step A → b", "3", "30%"},
		{"3 distinct routes among 10 customers; the 2 above cover 90% of them."},
		{"1", "Step A → b", "5", "3", "60%", "60%", "2 h"},
		{"2", "b → Step A", "8", "1", "20%", "12.5%", "30 min"},
		{"3 other routes, 16 customers, 1 sale."},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("routes tables (-want +got):\n%s", diff)
	}
	var para []string
	for _, b := range s.Blocks {
		if p, ok := b.(render.Paragraph); ok {
			para = append(para, string(p))
		}
	}
	if len(para) != 1 || !strings.HasSuffix(para[0], "5 of 29 customers (17.2%) reached the sale.") {
		t.Errorf("the routes' sentence is %q, want it to end with the 5 of 29 who reached the sale", para)
	}
}

// TestRoutesSectionNoSale checks that routes of which none reached the
// goal give a sentence, not an empty table.
func TestTopRoutesSectionNoSale(t *testing.T) {
	s := render.TopRoutesSection(nil, []paths.GoalVariant{{Route: []string{"a"}, Customers: 3}}, render.SectionOptions{})
	var got []string
	for _, b := range s.Blocks {
		got = append(got, fmt.Sprintf("%T", b))
	}
	if diff := cmp.Diff([]string{"render.Heading", "render.Paragraph", "render.Paragraph"}, got); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if p := s.Blocks[2].(render.Paragraph); p != "No route led to the goal." {
		t.Errorf("got %q", p)
	}
}

// TestDeprecatedResults checks that the deprecated Results fields and
// RoutesSection, fed what journey's path methods return, give the report
// the new fields give.
func TestDeprecatedResults(t *testing.T) {
	m := shoeShop(t)
	l := shoeShopLog(t, m, 500)
	purchase := func(e journey.Event) bool { return e.Step == "thank-you" }
	flow := l.Flows(journey.FlowOptions{Depth: 5, Top: 4})
	old := render.Results{Variants: l.Variants(journey.ByStep), GoalVariants: l.GoalVariants(journey.ByStep, purchase), Flow: &flow}
	v, _ := paths.CountVariants(l, paths.Options{})
	g, _ := paths.CountGoalVariants(l, purchase, paths.Options{})
	f, _ := paths.CountFlows(l, paths.FlowOptions{Depth: 5}, paths.Options{})
	pf := f.Flow(4)
	cur := render.Results{Routes: v.List(), GoalRoutes: g.List(), PathFlow: &pf}
	var a, b bytes.Buffer
	for _, x := range []struct {
		res render.Results
		w   *bytes.Buffer
	}{{old, &a}, {cur, &b}} {
		r, err := render.JourneyReport(m, x.res, render.JourneyReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := render.HTML(x.w, r); err != nil {
			t.Fatal(err)
		}
	}
	if a.String() != b.String() || !strings.Contains(a.String(), `id="path-flows"`) || !strings.Contains(a.String(), `id="top-routes"`) {
		t.Errorf("the deprecated fields give another report (%d and %d bytes)", a.Len(), b.Len())
	}
	so := render.SectionOptions{Map: m}
	if diff := cmp.Diff(render.TopRoutesSection(v.List(), g.List(), so), render.RoutesSection(old.Variants, old.GoalVariants, so)); diff != "" {
		t.Errorf("RoutesSection (-new +old):\n%s", diff)
	}
}
