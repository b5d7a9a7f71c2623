//go:build browser

// The checks in this file read what real tools made of the golden files,
// of the B2B example's golden Mermaid diagrams and of the report the shoe
// shop example writes: .ci/browser/check.mjs renders them in headless
// Chromium (Mermaid's own parser and renderer, the HTML reports and SVG
// pictures as screenshots and text boxes), and Graphviz's dot reads the
// DOT files. CI runs
//
//	go run ./examples/shoeshop -customers 5000 -html .ci/browser/out/shoeshop-example.html
//	node .ci/browser/check.mjs .ci/browser/out journey/render/testdata/*.html journey/render/testdata/*.svg journey/render/testdata/*.mmd \
//		examples/b2b/testdata/*.mmd .ci/browser/out/shoeshop-example.html
//	go test -tags browser ./journey/render
//
// With the tag set, missing outputs or a missing dot fail the tests: they
// never skip. PARCOURS_BROWSER_OUT names another output folder.

package render_test

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parcours-go/parcours/journey/render"
)

func browserOut(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("PARCOURS_BROWSER_OUT"); d != "" {
		return d
	}
	return filepath.Join("..", "..", ".ci", "browser", "out")
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run .ci/browser/check.mjs first (see the README's Development section)", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type mermaidResult struct {
	File  string   `json:"file"`
	OK    bool     `json:"ok"`
	Error string   `json:"error"`
	Type  string   `json:"type"`
	Texts []string `json:"texts"`
}

// squeeze drops white space and zero-width spaces, so texts compare
// however Mermaid broke them into lines.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '\u200b' {
			return -1
		}
		return r
	}, s)
}

// exampleDiagrams are the golden Mermaid files of the examples.
var exampleDiagrams = filepath.Join("..", "..", "examples", "b2b", "testdata", "*.mmd")

// TestBrowserMermaid checks that Mermaid parsed and drew every golden
// Mermaid file, the examples' too, as the diagram type it is, and that
// it drew the hostile names of the tricky map as they are written in the
// map.
func TestBrowserMermaid(t *testing.T) {
	var results []mermaidResult
	readJSON(t, filepath.Join(browserOut(t), "mermaid.json"), &results)
	files, err := filepath.Glob(filepath.Join("testdata", "*.mmd"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden Mermaid file (%v)", err)
	}
	examples, err := filepath.Glob(exampleDiagrams)
	if err != nil || len(examples) == 0 {
		t.Fatalf("no golden Mermaid file of the examples at %s (%v)", exampleDiagrams, err)
	}
	files = append(files, examples...)
	byFile := map[string]mermaidResult{}
	for _, r := range results {
		byFile[r.File] = r
	}
	for _, f := range files {
		name := filepath.Base(f)
		r, ok := byFile[name]
		switch {
		case !ok:
			t.Errorf("%s was not rendered", name)
			continue
		case !r.OK:
			t.Errorf("%s: Mermaid failed: %s", name, r.Error)
			continue
		}
		want := map[string]string{"journey": "journey", "flowchart": "flowchart-v2", "sankey": "sankey"}
		for kind, typ := range want {
			if strings.Contains(name, "-"+kind) && r.Type != typ {
				t.Errorf("%s: Mermaid read a %q diagram, want %q", name, r.Type, typ)
			}
		}
	}

	m := trickyMap()
	var names []string
	for _, s := range m.Stages {
		names = append(names, s.Name)
	}
	for _, s := range m.Steps {
		names = append(names, strings.Join(strings.Fields(s.Name), " "))
	}
	expect := map[string][]string{
		"tricky-journey.mmd":         append(slices.Clone(names), m.Catalog.Departments[0].Name, m.Catalog.Departments[1].Name),
		"tricky-journey-persona.mmd": append(slices.Clone(names), m.Personas[0].Name),
		"tricky-flowchart.mmd":       append(slices.Clone(names), "Start", "Exit", "Conversion", m.Name),
	}
	// The journey graph: every node with its note (Mermaid draws both in
	// one label), every stage.
	shop := shoeShop(t)
	var graphTexts []string
	fg := shoeShopGraphFlow(t)
	for _, n := range fg.Nodes {
		graphTexts = append(graphTexts, n.Label+n.Note)
	}
	for _, g := range fg.Groups {
		graphTexts = append(graphTexts, g.Label)
	}
	expect["shoeshop-graph-flowchart.mmd"] = append(graphTexts, fg.Title)
	for file, wants := range expect {
		r := byFile[file]
		drawn := map[string]bool{}
		for _, t := range r.Texts {
			drawn[squeeze(t)] = true
		}
		for _, w := range wants {
			if !drawn[squeeze(w)] {
				t.Errorf("%s: Mermaid did not draw %q; it drew %q", file, w, r.Texts)
			}
		}
	}
	// The sankey's names are spelt in ASCII: count the nodes instead.
	nodes := map[string]bool{}
	for _, f := range levelFlows(m, 6, 100) {
		nodes[f.Source], nodes[f.Target] = true, true
	}
	if got := len(byFile["tricky-sankey.mmd"].Texts); got != len(nodes) {
		t.Errorf("tricky-sankey.mmd: Mermaid drew %d nodes, want %d", got, len(nodes))
	}
	// The path flow: one node per level and name, and a single (end).
	nodes = map[string]bool{}
	for _, f := range render.SankeyOf(shoeShopFlow(t, shoeShopLog(t, shop, 2000)), render.SankeyOptions{Map: shop}) {
		nodes[f.Source], nodes[f.Target] = true, true
	}
	if got := len(byFile["shoeshop-flows-sankey.mmd"].Texts); got != len(nodes) || !nodes["(end)"] {
		t.Errorf("shoeshop-flows-sankey.mmd: Mermaid drew %d nodes, want %d with one (end)", got, len(nodes))
	}
}

type boxJSON struct {
	X, Y, Width, Height float64
	Text                string
}

func (b boxJSON) String() string {
	return fmt.Sprintf("[%.1f,%.1f %.1f×%.1f]", b.X, b.Y, b.Width, b.Height)
}

type reportBoxes struct {
	Page          string   `json:"page"`
	Requests      []string `json:"requests"`
	ConsoleErrors []string `json:"consoleErrors"`
	Problems      []string `json:"problems"`
	Labels        []struct {
		Picture string `json:"picture"`
		boxJSON
	} `json:"labels"`
	Bars []struct {
		Text  string  `json:"text"`
		Cell  boxJSON `json:"cell"`
		Track boxJSON `json:"track"`
		Value boxJSON `json:"value"`
	} `json:"bars"`
	Cells []struct {
		Map   string    `json:"map"`
		Row   string    `json:"row"`
		Step  string    `json:"step"`
		Frame boxJSON   `json:"frame"`
		Rect  boxJSON   `json:"rect"`
		Fill  string    `json:"fill"`
		Texts []boxJSON `json:"texts"`
	} `json:"cells"`
}

// goldenReports returns the HTML and SVG golden files the browser
// rendered, and the shoe shop example's report, which CI writes to the
// output folder.
func goldenReports(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, ext := range []string{"*.html", "*.svg"} {
		f, err := filepath.Glob(filepath.Join("testdata", ext))
		if err != nil || len(f) == 0 {
			t.Fatalf("no golden %s file (%v)", ext, err)
		}
		files = append(files, f...)
	}
	example := filepath.Join(browserOut(t), "shoeshop-example.html")
	if _, err := os.Stat(example); err != nil {
		t.Fatalf("%v: write the shoe shop example's report there first (go run ./examples/shoeshop -customers 5000 -html %s)", err, example)
	}
	return append(files, example)
}

// pageName is the name check.mjs gives the outputs of a golden file.
func pageName(file string) string {
	return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".html"), ".svg")
}

var cellAttr = regexp.MustCompile(`<g class="cell"`)

// TestBrowserMapTextInBoxes checks, in every rendered report and picture,
// that the browser laid out every cell of a journey map or funnel chart
// the golden file holds, and that the text of each lies inside its
// rectangle, as Chromium measured them with the fonts it really used.
func TestBrowserMapTextInBoxes(t *testing.T) {
	const tolerance = 0.5 // px: rounding of coordinates
	for _, f := range goldenReports(t) {
		name := pageName(f)
		t.Run(name, func(t *testing.T) {
			var rb reportBoxes
			readJSON(t, filepath.Join(browserOut(t), name+".boxes.json"), &rb)
			golden, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(rb.Cells), len(cellAttr.FindAll(golden, -1)); got != want || want == 0 {
				t.Fatalf("the browser found %d cells, the golden file has %d", got, want)
			}
			texts := 0
			for _, c := range rb.Cells {
				r := c.Rect
				if r.Width <= 0 || r.Height <= 0 {
					t.Errorf("%s %s/%s: empty rectangle %v", c.Map, c.Row, c.Step, r)
				}
				for _, x := range c.Texts {
					texts++
					if x.X < r.X-tolerance || x.Y < r.Y-tolerance ||
						x.X+x.Width > r.X+r.Width+tolerance || x.Y+x.Height > r.Y+r.Height+tolerance {
						t.Errorf("%s %s/%s: text %q %v overflows its box %v", c.Map, c.Row, c.Step, x.Text, x, r)
					}
				}
			}
			if texts < len(rb.Cells)/2 {
				t.Errorf("only %d texts in %d cells", texts, len(rb.Cells))
			}
		})
	}
}

// TestBrowserReportsAreOffline checks that opening a report asked for
// nothing but the page, and logged no error.
func TestBrowserReportsAreOffline(t *testing.T) {
	for _, f := range goldenReports(t) {
		name := pageName(f)
		var rb reportBoxes
		readJSON(t, filepath.Join(browserOut(t), name+".boxes.json"), &rb)
		if len(rb.Requests) != 1 || rb.Requests[0] != rb.Page {
			t.Errorf("%s: the page asked for %q, want only itself", name, rb.Requests)
		}
		if len(rb.ConsoleErrors) > 0 {
			t.Errorf("%s: console errors %q", name, rb.ConsoleErrors)
		}
	}
}

// screenshot is the screenshot check.mjs took of a golden file: an SVG
// picture whole, an HTML report in a window 1,400 pixels wide.
func screenshot(file string) string {
	if strings.HasSuffix(file, ".html") {
		return pageName(file) + "-1400.png"
	}
	return pageName(file) + ".png"
}

// TestBrowserReportLayout checks what check.mjs measured in each HTML
// report at 1,400 pixels: no problem (no sideways scroll, no overlapping
// label in a graph or sankey, no number over its bar), every barred
// cell's number beside its bar and inside its cell, the screenshots at
// 1,400 and 800 pixels, and, in the journey reports, the journey graph
// and the sankey drawn with their labels.
func TestBrowserReportLayout(t *testing.T) {
	for _, f := range goldenReports(t) {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		name := pageName(f)
		t.Run(name, func(t *testing.T) {
			var rb reportBoxes
			readJSON(t, filepath.Join(browserOut(t), name+".boxes.json"), &rb)
			for _, p := range rb.Problems {
				t.Error(p)
			}
			for _, b := range rb.Bars {
				tr, v, c := b.Track, b.Value, b.Cell
				if tr.Width <= 0 || v.X < tr.X+tr.Width-0.5 || v.X+v.Width > c.X+c.Width+0.5 {
					t.Errorf("barred cell %q: bar %v, number %v, cell %v: want the number right of its bar, inside the cell", b.Text, tr, v, c)
				}
			}
			for width, file := range map[int]string{1400: name + "-1400.png", 800: name + "-800.png"} {
				if got := readPNG(t, filepath.Join(browserOut(t), file)).Bounds().Dx(); got != width {
					t.Errorf("%s is %d pixels wide, want %d", file, got, width)
				}
			}
			golden, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, pic := range []string{"journey-graph-diagram", "path-flows-sankey"} {
				if !strings.Contains(string(golden), `id="`+pic+`"`) {
					continue
				}
				n := 0
				for _, l := range rb.Labels {
					if l.Picture == pic {
						n++
					}
				}
				if n < 10 {
					t.Errorf("%s: the browser measured %d labels, want the picture drawn with at least 10", pic, n)
				}
			}
		})
	}
}

// TestBrowserReportPicture checks each report's and picture's screenshot:
// it is not blank (enough pixels differ from the background, in many
// colours), and the cells the browser could show have their fill where
// the PNG says.
func TestBrowserReportPicture(t *testing.T) {
	for _, f := range goldenReports(t) {
		name := pageName(f)
		t.Run(name, func(t *testing.T) {
			img := readPNG(t, filepath.Join(browserOut(t), screenshot(f)))
			b := img.Bounds()
			minY := 1000 // a whole report
			if strings.HasSuffix(f, ".svg") {
				minY = 400 // a picture, in a window of 900 pixels
			}
			if b.Dx() < 800 || b.Dy() < minY {
				t.Fatalf("screenshot is %v: too small for a whole page", b.Size())
			}
			counts := map[color.RGBA]int{}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					counts[rgba(img.At(x, y))]++
				}
			}
			var bg color.RGBA
			for c, n := range counts {
				if n > counts[bg] {
					bg = c
				}
			}
			total := b.Dx() * b.Dy()
			inked := total - counts[bg]
			if share := float64(inked) / float64(total); share < 0.05 {
				t.Errorf("only %.1f%% of the pixels differ from the background %v", 100*share, bg)
			}
			quantized := map[[3]uint8]bool{}
			for c, n := range counts {
				if n >= 20 {
					quantized[[3]uint8{c.R >> 4, c.G >> 4, c.B >> 4}] = true
				}
			}
			if len(quantized) < 12 {
				t.Errorf("only %d distinct colours", len(quantized))
			}

			var rb reportBoxes
			readJSON(t, filepath.Join(browserOut(t), name+".boxes.json"), &rb)
			sampled, matched := 0, 0
			var misses []string
			for _, c := range rb.Cells {
				r, fr := c.Rect, c.Frame
				// A point in the cell's bottom padding, away from its
				// text and rounded corners, that the frame shows.
				x, y := int(r.X+r.Width/2), int(r.Y+r.Height-3)
				if float64(x) < fr.X+2 || float64(x) > fr.X+fr.Width-20 || float64(y) > fr.Y+fr.Height-20 || c.Row == "emotion" {
					continue
				}
				want, err := parseHex(c.Fill)
				if err != nil {
					t.Fatalf("%s %s/%s: %v", c.Map, c.Row, c.Step, err)
				}
				sampled++
				if near(rgba(img.At(x, y)), want, 6) {
					matched++
				} else if len(misses) < 5 {
					misses = append(misses, fmt.Sprintf("%s %s/%s: pixel (%d,%d) is %v, want the fill %s", c.Map, c.Row, c.Step, x, y, rgba(img.At(x, y)), c.Fill))
				}
			}
			if sampled < min(20, len(rb.Cells)/2) || matched < sampled*9/10 {
				t.Errorf("%d of %d sampled cells show their fill; first misses:\n%s", matched, sampled, strings.Join(misses, "\n"))
			}
		})
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v: run .ci/browser/check.mjs first (see the README's Development section)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func parseHex(s string) (color.RGBA, error) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, fmt.Errorf("fill %q is not #rrggbb", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, err
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// TestGraphvizReadsDOT has Graphviz's dot lay out every golden DOT file,
// and checks that it drew the tricky map's names as the map writes them.
func TestGraphvizReadsDOT(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Fatalf("Graphviz's dot is needed with the browser tag (apt-get install graphviz): %v", err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.dot"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden DOT file (%v)", err)
	}
	textRE := regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)
	for _, f := range files {
		out, err := exec.Command(dot, "-Tsvg", f).Output()
		if err != nil {
			t.Errorf("dot -Tsvg %s: %v", f, err)
			continue
		}
		if !strings.HasSuffix(f, "tricky.dot") {
			continue
		}
		var drawn strings.Builder
		for _, m := range textRE.FindAllSubmatch(out, -1) {
			drawn.WriteString(squeeze(htmlUnescape(string(m[1]))))
			drawn.WriteByte('|')
		}
		m := trickyMap()
		wants := []string{m.Name}
		for _, s := range m.Steps {
			wants = append(wants, s.Name)
		}
		for _, s := range m.Stages {
			wants = append(wants, s.Name)
		}
		for _, w := range wants {
			// Labels wrap over several <text> elements: look for the
			// name with the line joins removed.
			if !strings.Contains(strings.ReplaceAll(drawn.String(), "|", ""), squeeze(w)) {
				t.Errorf("%s: dot did not draw %q; it drew %q", f, w, drawn.String())
			}
		}
	}
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(s)
}
