package render_test

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
)

func floatAttr(t *testing.T, e *element, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.Name.Local, name, e.attr(name), err)
	}
	return v
}

// TestSVGSankeyLayout checks a small sankey worked by hand: (start) sends
// 6 to a and 4 to b; a ends (6), b goes on to c (4), which ends. Columns
// follow the longest chain: (start) 0, a and b 1, c 2, (end) 3. The
// fullest column holds 10, drawn 32 lines of 1.25 × 12 px tall: 48 px
// per customer, so (start) and (end) are 480 px, a 288, b and c 192.
func TestSVGSankeyLayout(t *testing.T) {
	flows := []render.Flow{{"(start)", "a", 6}, {"(start)", "b", 4}, {"a", "(end)", 6}, {"b", "c", 4}, {"c", "(end)", 4}}
	var b bytes.Buffer
	if err := render.SVGSankey(&b, flows, render.DiagramOptions{Title: "Paths", Width: 800}); err != nil {
		t.Fatal(err)
	}
	doc := parseXML(t, b.Bytes())
	checkSelfContained(t, doc)
	if w := floatAttr(t, doc, "width"); w != 800 {
		t.Errorf("width %v, want 800", w)
	}
	x, h := map[string]float64{}, map[string]float64{}
	for _, n := range doc.findAll(func(e *element) bool { return e.attr("class") == "node" }) {
		rect := n.children[0]
		name := n.attr("data-node")
		x[name], h[name] = floatAttr(t, rect, "x"), floatAttr(t, rect, "height")
		// The label is as tall as the node at most, and centred on it.
		y0, y1 := floatAttr(t, rect, "y"), floatAttr(t, rect, "y")+h[name]
		for _, ts := range n.findAll(func(e *element) bool { return e.Name.Local == "tspan" }) {
			if y := floatAttr(t, ts, "y"); y < y0 || y > y1 {
				t.Errorf("node %s: a label line at y %v outside the node's %v–%v", name, y, y0, y1)
			}
		}
	}
	wantH := map[string]float64{"(start)": 480, "a": 288, "b": 192, "c": 192, "(end)": 480}
	for n, want := range wantH {
		if math.Abs(h[n]-want) > 0.01 {
			t.Errorf("node %s is %v px tall, want %v", n, h[n], want)
		}
	}
	if !(x["(start)"] < x["a"] && x["a"] == x["b"] && x["b"] < x["c"] && x["c"] < x["(end)"]) {
		t.Errorf("columns at x %v: want (start) < a = b < c < (end)", x)
	}
	if links := doc.findAll(func(e *element) bool { return e.attr("class") == "link" }); len(links) != len(flows) {
		t.Errorf("%d bands for %d flows", len(links), len(flows))
	}
}

// TestSVGSankeyPathFlow draws a real path flow and checks that every
// node of SankeyFlows is drawn once.
func TestSVGSankeyPathFlow(t *testing.T) {
	m := shoeShop(t)
	flows := render.SankeyOf(shoeShopFlow(t, shoeShopLog(t, m, 2000)), render.SankeyOptions{Map: m})
	var b bytes.Buffer
	if err := render.SVGSankey(&b, flows, render.DiagramOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, f := range flows {
		want[f.Source], want[f.Target] = true, true
	}
	got := map[string]int{}
	for _, n := range parseXML(t, b.Bytes()).findAll(func(e *element) bool { return e.attr("class") == "node" }) {
		got[n.attr("data-node")]++
	}
	for n := range want {
		if got[n] != 1 {
			t.Errorf("node %q drawn %d times, want once", n, got[n])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d nodes drawn, want %d", len(got), len(want))
	}
}

func TestSVGSankeyErrors(t *testing.T) {
	tests := []struct {
		name  string
		flows []render.Flow
		opt   render.DiagramOptions
		want  string
	}{
		{"cycle", []render.Flow{{"a", "b", 1}, {"b", "a", 1}}, render.DiagramOptions{}, "loop"},
		{"self", []render.Flow{{"a", "a", 1}}, render.DiagramOptions{}, "flows into itself"},
		{"zero", []render.Flow{{"a", "b", 0}}, render.DiagramOptions{}, "not a positive finite number"},
		{"empty name", []render.Flow{{" ", "b", 1}}, render.DiagramOptions{}, "empty name"},
		{"narrow", []render.Flow{{"a", "b", 1}, {"b", "c", 1}, {"c", "d", 1}, {"d", "e", 1}}, render.DiagramOptions{Width: 300}, "leaves"},
		{"font", []render.Flow{{"a", "b", 1}}, render.DiagramOptions{FontSize: 1}, "font size"},
	}
	for _, tt := range tests {
		err := render.SVGSankey(&bytes.Buffer{}, tt.flows, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "render:") {
			t.Errorf("%s: got %v, want an error about %q", tt.name, err, tt.want)
		}
	}
}

// TestSVGGraph checks a small graph worked by hand: Start → a (100%),
// a → b (60%), a → Exit (40%), b → a (30%, back), b → b (20%) and b →
// Conversion (50%). Exit is not drawn: a's box says "exit 40%", b's
// "again 20%"; four arcs remain, three on the right (forward), one on
// the left; each label stands beside the node its arc enters, within the
// node's height, and the labels on a side of a node are a line apart.
func TestSVGGraph(t *testing.T) {
	g := render.FlowGraph{
		Nodes: []render.Node{
			{ID: graph.Start, Kind: render.StartNode}, {ID: "a", Label: "Step A"}, {ID: "b", Label: "Step B", Goal: true},
			{ID: graph.Conversion, Kind: render.ConversionNode}, {ID: graph.Exit, Kind: render.ExitNode},
		},
		Edges: []render.Edge{
			{From: graph.Start, To: "a", Probability: 1}, {From: "a", To: "b", Probability: 0.6}, {From: "a", To: graph.Exit, Probability: 0.4},
			{From: "b", To: "a", Probability: 0.3}, {From: "b", To: "b", Probability: 0.2}, {From: "b", To: graph.Conversion, Probability: 0.5},
		},
	}
	var b bytes.Buffer
	if err := render.SVGGraph(&b, g, render.DiagramOptions{Title: "Small"}); err != nil {
		t.Fatal(err)
	}
	doc := parseXML(t, b.Bytes())
	checkSelfContained(t, doc)
	type box struct{ x, y, w, h float64 }
	nodes := map[string]box{}
	texts := map[string]string{}
	for _, n := range doc.findAll(func(e *element) bool { return e.attr("class") == "node" }) {
		r := n.children[0]
		nodes[n.attr("data-node")] = box{floatAttr(t, r, "x"), floatAttr(t, r, "y"), floatAttr(t, r, "width"), floatAttr(t, r, "height")}
		texts[n.attr("data-node")] = textOf(n)
	}
	var ids []string
	for id := range nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if want := []string{graph.Conversion, graph.Start, "a", "b"}; !slices.Equal(ids, want) {
		t.Errorf("nodes drawn %q, want %q", ids, want)
	}
	if !strings.Contains(texts["a"], "exit 40%") || !strings.Contains(texts["b"], "again 20%") {
		t.Errorf("node texts %q: want a's exit and b's return in their boxes", texts)
	}
	edges := doc.findAll(func(e *element) bool { return e.attr("class") == "edge" })
	got := map[string]string{}
	bySide := map[string][]float64{} // node and side -> label baselines
	for _, e := range edges {
		from, to := e.attr("data-from"), e.attr("data-to")
		path := e.children[0].attr("d")
		label := e.findAll(func(e *element) bool { return e.Name.Local == "tspan" })[0]
		got[from+">"+to] = textOf(label)
		n := nodes[to]
		ly, lx := floatAttr(t, label, "y"), floatAttr(t, label, "x")
		if ly < n.y || ly > n.y+n.h {
			t.Errorf("%s→%s: label at y %v outside %s's %v–%v", from, to, ly, to, n.y, n.y+n.h)
		}
		side := "right"
		startX := nodes[from].x + nodes[from].w
		if lx < n.x {
			side, startX = "left", nodes[from].x
		}
		if !strings.HasPrefix(path, fmt.Sprintf("M%s ", strconv.FormatFloat(startX, 'f', -1, 64))) {
			t.Errorf("%s→%s: path %q does not leave from the %s side at x %v", from, to, path, side, startX)
		}
		bySide[to+" "+side] = append(bySide[to+" "+side], ly)
	}
	want := map[string]string{graph.Start + ">a": "100%", "a>b": "60%", "b>a": "30%", "b>" + graph.Conversion: "50%"}
	if !maps.Equal(got, want) {
		t.Errorf("edges drawn %q, want %q", got, want)
	}
	for k, ys := range bySide {
		slices.Sort(ys)
		for i := 1; i < len(ys); i++ {
			if ys[i]-ys[i-1] < 1.25*12 {
				t.Errorf("%s: labels at %v, less than a line apart", k, ys)
			}
		}
	}
	if bySide["a left"] == nil {
		t.Error("the edge back from b to a is not on a's left")
	}
}

func TestSVGGraphErrors(t *testing.T) {
	bad := render.FlowGraph{Nodes: []render.Node{{ID: "a"}}, Edges: []render.Edge{{From: "a", To: "nowhere"}}}
	if err := render.SVGGraph(&bytes.Buffer{}, bad, render.DiagramOptions{}); err == nil {
		t.Error("an edge to an unknown node: no error")
	}
	ok := render.FlowGraph{Nodes: []render.Node{{ID: "a"}}}
	if err := render.SVGGraph(&bytes.Buffer{}, ok, render.DiagramOptions{Width: 100}); err == nil || !strings.Contains(err.Error(), "width") {
		t.Errorf("a width of 100: got %v, want an error about the width", err)
	}
}

// FuzzDiagrams checks that any names and values give either an error or
// a well-formed, self-contained picture, for the sankey and the graph.
func FuzzDiagrams(f *testing.F) {
	f.Add("Sees an ad", `Buys "shoes" <now> & pays`, "(end)", 3.0, 0.5)
	f.Add("\x00\xff", "", "日本 ☕", -1.0, 2.0)
	f.Fuzz(func(t *testing.T, a, b, c string, v, p float64) {
		var s bytes.Buffer
		flows := []render.Flow{{a, b, v}, {b, c, 1}, {a, c, 2}}
		if err := render.SVGSankey(&s, flows, render.DiagramOptions{Title: c}); err == nil {
			checkSelfContained(t, parseXML(t, s.Bytes()))
		} else if !strings.HasPrefix(err.Error(), "render:") {
			t.Errorf("error %q does not start with render:", err)
		}
		g := render.FlowGraph{
			Nodes: []render.Node{{ID: graph.Start, Kind: render.StartNode}, {ID: "a", Label: a, Note: c}, {ID: "b", Label: b}, {ID: graph.Exit, Kind: render.ExitNode}},
			Edges: []render.Edge{{From: graph.Start, To: "a", Probability: 1}, {From: "a", To: "b", Probability: p, Label: c},
				{From: "b", To: "a", Probability: p / 2}, {From: "b", To: graph.Exit, Probability: 0.5}},
		}
		var gb bytes.Buffer
		if err := render.SVGGraph(&gb, g, render.DiagramOptions{Title: a}); err == nil {
			checkSelfContained(t, parseXML(t, gb.Bytes()))
		} else if !strings.HasPrefix(err.Error(), "render:") {
			t.Errorf("error %q does not start with render:", err)
		}
	})
}
