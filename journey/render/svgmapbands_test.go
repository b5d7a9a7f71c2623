package render_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/render"
)

// TestMapBandsKeepEveryStep checks that a map drawn to fit a width wraps
// its steps onto bands and keeps every step, once in every row, with every
// cell inside the picture; and that a stage too long for a band goes on in
// the next under a continued header.
func TestMapBandsKeepEveryStep(t *testing.T) {
	m := shoeShop(t) // 16 steps; the Service stage has 8
	if len(m.Steps) != 16 {
		t.Fatalf("the shoe shop has %d steps, want 16", len(m.Steps))
	}
	rows := []render.Row{render.RowSteps, render.RowTouchpoints, render.RowEmotion}
	for _, width := range []float64{render.PageWidth, 800, 500} {
		t.Run(strconv.FormatFloat(width, 'f', -1, 64), func(t *testing.T) {
			var b bytes.Buffer
			p, _ := m.Persona("julie")
			if err := render.SVGMap(&b, m, p, render.MapOptions{Rows: rows, Width: width}); err != nil {
				t.Fatal(err)
			}
			doc := parseXML(t, b.Bytes())
			w, err := strconv.ParseFloat(doc.attr("width"), 64)
			if err != nil || w > width {
				t.Fatalf("picture width %q, want at most %v", doc.attr("width"), width)
			}
			seen := map[string]map[string]int{} // row -> step -> cells
			labels := 0
			for _, c := range doc.findAll(func(e *element) bool { return e.attr("class") == "cell" }) {
				rect := c.children[0]
				x, _ := strconv.ParseFloat(rect.attr("x"), 64)
				rw, _ := strconv.ParseFloat(rect.attr("width"), 64)
				if x < 0 || x+rw > w {
					t.Errorf("cell %v from %v to %v lies outside the picture's %v", c.Attr, x, x+rw, w)
				}
				row, step := c.attr("data-row"), c.attr("data-step")
				if c.attr("data-label") == "true" {
					labels++
					continue
				}
				if row == "stage" {
					continue
				}
				if seen[row] == nil {
					seen[row] = map[string]int{}
				}
				seen[row][step]++
			}
			for _, r := range rows {
				for _, s := range m.Steps {
					if n := seen[string(r)][s.ID]; n != 1 {
						t.Errorf("row %s, step %s: %d cells, want 1", r, s.ID, n)
					}
				}
			}
			// The number of bands shows in the rows' names, repeated.
			if labels%len(rows) != 0 || labels/len(rows) < 2 {
				t.Errorf("%d row names for %d rows: want at least two bands", labels, len(rows))
			}
			curves := doc.findAll(func(e *element) bool { return e.attr("class") == "emotion-curve" })
			if len(curves) != labels/len(rows) {
				t.Errorf("%d emotion curves for %d bands", len(curves), labels/len(rows))
			}
		})
	}
}

// TestMapBandsSplitLongStage checks the bands of a small map, worked by
// hand: stages A, B, C and D of 2, 3, 1 and 4 steps. In bands of 3
// columns, B does not fit beside A and starts a band, which it fills, so
// C starts the third; D does not fit beside C and starts the fourth, and
// is longer than a band: [a1 a2] [b1 b2 b3] [c1] [d1 d2 d3] [d4], its
// second part under "D (continued)". In bands of 2, B is cut and C fits
// beside its end: [a1 a2] [b1 b2] [b3 c1] [d1 d2] [d3 d4]. In bands of
// 6, A, B and C share one, and D has the next.
func TestMapBandsSplitLongStage(t *testing.T) {
	m := &journey.Map{
		Name:   "bands",
		Stages: []journey.Stage{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}, {ID: "d", Name: "D"}},
	}
	for _, s := range []struct{ id, stage string }{{"a1", "a"}, {"a2", "a"}, {"b1", "b"}, {"b2", "b"}, {"b3", "b"}, {"c1", "c"},
		{"d1", "d"}, {"d2", "d"}, {"d3", "d"}, {"d4", "d"}} {
		m.Steps = append(m.Steps, journey.Step{ID: s.id, Name: s.id, Stage: s.stage})
	}
	tests := []struct {
		columns int
		want    [][]string // per band, its stage headers' texts
	}{
		{3, [][]string{{"A"}, {"B"}, {"C"}, {"D"}, {"D (continued)"}}},
		{2, [][]string{{"A"}, {"B"}, {"B (continued)", "C"}, {"D"}, {"D (continued)"}}},
		{6, [][]string{{"A", "B", "C"}, {"D"}}},
	}
	for _, tt := range tests {
		// Width for exactly tt.columns columns of 150 pixels, 4 apart
		// (the gap at font size 12), beside the rows' names.
		var one bytes.Buffer
		if err := render.SVGMap(&one, m, nil, render.MapOptions{Rows: []render.Row{render.RowSteps}, ColumnWidth: 150}); err != nil {
			t.Fatal(err)
		}
		full, _ := strconv.ParseFloat(parseXML(t, one.Bytes()).attr("width"), 64)
		width := full - float64(10-tt.columns)*154
		var b bytes.Buffer
		if err := render.SVGMap(&b, m, nil, render.MapOptions{Rows: []render.Row{render.RowSteps}, ColumnWidth: 150, Width: width}); err != nil {
			t.Fatal(err)
		}
		var got [][]string
		lastY := ""
		for _, c := range parseXML(t, b.Bytes()).findAll(func(e *element) bool { return e.attr("data-row") == "stage" }) {
			y := c.children[0].attr("y")
			if y != lastY {
				got = append(got, nil)
				lastY = y
			}
			got[len(got)-1] = append(got[len(got)-1], textOf(c))
		}
		if len(got) != len(tt.want) {
			t.Errorf("%d columns: bands %q, want %q", tt.columns, got, tt.want)
			continue
		}
		for i := range got {
			if len(got[i]) != len(tt.want[i]) {
				t.Errorf("%d columns: bands %q, want %q", tt.columns, got, tt.want)
				break
			}
			for j := range got[i] {
				if got[i][j] != tt.want[i][j] {
					t.Errorf("%d columns: bands %q, want %q", tt.columns, got, tt.want)
				}
			}
		}
	}
}

// textOf returns the text of e and its descendants, lines joined by
// spaces.
func textOf(e *element) string {
	parts := []string{}
	if t := strings.TrimSpace(e.text); t != "" {
		parts = append(parts, t)
	}
	for _, c := range e.children {
		if t := textOf(c); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// TestMapWidthTooSmall checks that a width without room for one column
// beside the rows' names is an error, not a picture wider than asked.
func TestMapWidthTooSmall(t *testing.T) {
	err := render.SVGMap(&bytes.Buffer{}, shoeShop(t), nil, render.MapOptions{Width: 200})
	if err == nil || !strings.Contains(err.Error(), "width 200") {
		t.Errorf("got %v, want an error about the width", err)
	}
}
