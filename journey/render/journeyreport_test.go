package render_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/journey"
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
			want: join(design, []string{"funnel", "top-routes", "journey-graph", "friction", "conformance", "attribution", "funnel-2"}, reference),
		},
		{
			name: "nothing", reason: "with no results the report is the map's, with its summary",
			want: join(design, reference),
		},
		{
			name: "routes only", reason: "each result brings its own section",
			res:  render.Results{GoalVariants: full.GoalVariants},
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
		{"routes", "no variant gives no table", render.RoutesSection(nil, nil, render.SectionOptions{}), nil},
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
// shares of all customers, long routes shortened, conversion rates.
func TestRoutesSection(t *testing.T) {
	m := &journey.Map{Steps: []journey.Step{{ID: "a", Name: "Step A"}, {ID: "b"}}}
	long := strings.Split("a b a b a b a b a b a b a b", " ")
	variants := []journey.Variant{{Route: []string{"a", "b"}, Customers: 6}, {Route: long, Customers: 3}, {Route: nil, Customers: 1}}
	goals := []journey.GoalVariant{{Route: []string{"a"}, Customers: 4, Converted: 1, Rate: 0.25, MedianToGoal: 90 * time.Minute}}
	s := render.RoutesSection(variants, goals, render.SectionOptions{Map: m, Top: 2, GoalName: "the sale"})
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
	want := [][]string{
		{"1", "Step A → b", "6", "60%"},
		{"2", "Step A → b → Step A → b → Step A → … 4 more steps … → b → Step A → b → Step A → b", "3", "30%"},
		{"3 distinct routes among 10 customers; the 2 above cover 90% of them."},
		{"1", "Step A", "4", "1", "25%", "1 h 30 min"},
		{""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("routes tables (-want +got):\n%s", diff)
	}
}
