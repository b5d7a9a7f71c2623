package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/internal/verr"
)

// DiagramOptions configures the pictures SVGSankey and SVGGraph draw. The
// zero value gives the defaults each field documents.
type DiagramOptions struct {
	// Title heads the picture; empty for none.
	Title string
	// Width is the picture's width in pixels; zero means PageWidth, the
	// width of a report's page. It must hold the picture's columns: at
	// least 20 font sizes, and for a sankey 8 per column.
	Width float64
	// FontSize is the size of the labels in pixels; zero means 12.
	FontSize float64
	// ID is the id of the svg element and the prefix of the ids inside
	// it; empty means "sankey" or "journey-graph". Pictures placed in one
	// page need distinct IDs.
	ID string
}

// sizes returns the options' font size and width, checked.
func (o DiagramOptions) sizes(what string) (fs, width float64, err error) {
	fs = cmp.Or(o.FontSize, 12)
	if !(fs >= 4 && fs <= 200) {
		return 0, 0, fmt.Errorf("render: %s: font size %v is outside [4, 200]", what, o.FontSize)
	}
	width = cmp.Or(o.Width, PageWidth)
	if !(width >= 20*fs && width <= 100000) {
		return 0, 0, fmt.Errorf("render: %s: width %v is outside [%v, 100000] (20 font sizes)", what, o.Width, 20*fs)
	}
	return fs, width, nil
}

// sankeyNode is a node of a sankey picture.
type sankeyNode struct {
	name      string
	in, out   float64
	col       int
	x, y, h   float64
	lines     []line
	inY, outY float64 // where the next band enters, leaves
	ins, outs []int   // links, by index
}

// SVGSankey writes flows as a self-contained SVG sankey diagram: every
// node a bar as tall as the larger of what flows in and out of it, in
// columns from left to right (a node's column is the longest chain of
// flows that leads to it), and every flow a band as thick as its value
// from its source to its target. Each node's label (its name and value)
// stands to its right, wrapped to the room before the next column, and
// a node is at least as tall as its label, so labels never overlap. The
// picture names the same fonts as SVGMap and measures its text in the
// same way; it loads nothing from outside.
//
// Nodes are <g class="node" data-node="…">, bands <path class="link">.
// SankeyOf gives the flows of a path flow ([paths.CountFlows]).
//
// It returns an error for an empty name, a value that is not a positive
// finite number, a flow from a node to itself or a cycle (a sankey cannot
// loop), bad options and the writer's errors. It costs O(n log n) for n
// flows.
func SVGSankey(w io.Writer, flows []Flow, opt DiagramOptions) error {
	fs, width, err := opt.sizes("sankey")
	if err != nil {
		return err
	}
	var l verr.List
	keys := checkSankey(&l, flows, func(path, name string) string {
		name = cleanText(name)
		if name == "" {
			l.Addf(path, "empty name")
		}
		return name
	})
	index := map[string]int{}
	var nodes []*sankeyNode
	node := func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		index[name] = len(nodes)
		nodes = append(nodes, &sankeyNode{name: name})
		return len(nodes) - 1
	}
	type link struct {
		from, to int
		v        float64
	}
	links := make([]link, len(flows))
	for i, f := range flows {
		links[i] = link{node(keys[i][0]), node(keys[i][1]), f.Value}
	}
	if err := verr.Prefix("render: sankey", l.Err()); err != nil {
		return err
	}
	id := cmp.Or(cleanText(opt.ID), "sankey")

	// Columns: the longest chain of flows into each node, by relaxing
	// the flows as often as there are nodes (the graph has no cycle).
	for i, lk := range links {
		nodes[lk.from].out += lk.v
		nodes[lk.to].in += lk.v
		nodes[lk.from].outs = append(nodes[lk.from].outs, i)
		nodes[lk.to].ins = append(nodes[lk.to].ins, i)
	}
	for changed, rounds := true, 0; changed && rounds <= len(nodes); rounds++ {
		changed = false
		for _, lk := range links {
			if c := nodes[lk.from].col + 1; c > nodes[lk.to].col {
				nodes[lk.to].col, changed = c, true
			}
		}
	}
	cols := 0
	for _, n := range nodes {
		cols = max(cols, n.col+1)
	}
	margin := math.Round(fs * 1.5)
	barW := math.Round(fs * 0.8)
	colStep := (width - 2*margin) / float64(max(cols, 1))
	labelW := colStep - barW - fs
	if labelW < 6*fs {
		return fmt.Errorf("render: sankey: width %v leaves %v pixels for each of %d columns' labels, want at least %v", width, math.Floor(labelW), cols, 6*fs)
	}

	// Labels, and the scale: the fullest column is about 32 lines tall.
	byCol := make([][]*sankeyNode, cols)
	colValue := make([]float64, cols)
	for _, n := range nodes {
		byCol[n.col] = append(byCol[n.col], n)
		colValue[n.col] += max(n.in, n.out)
		n.lines, _ = layoutItems([]item{{text: n.name, size: fs}, {text: amount(max(n.in, n.out)), size: fs * 0.9, bold: true}}, labelW)
	}
	scale := 32 * lineHeight * fs / max(slices.Max(append(colValue, 1)), 1e-300)
	gap := fs
	y0 := margin
	var title []line
	if t := cleanText(opt.Title); t != "" {
		title, _ = layoutItems([]item{{text: t, bold: true, size: math.Round(fs * 1.3)}}, width-2*margin)
		y0 += float64(len(title))*lineHeight*math.Round(fs*1.3) + fs
	}
	bottom := y0
	for c, col := range byCol {
		// Largest first, the ends and the rest last: the main paths on top.
		slices.SortStableFunc(col, func(a, b *sankeyNode) int {
			return cmp.Or(cmp.Compare(rest(a.name), rest(b.name)), cmp.Compare(max(b.in, b.out), max(a.in, a.out)))
		})
		y := y0
		for _, n := range col {
			n.x = margin + float64(c)*colStep
			n.h = math.Max(max(n.in, n.out)*scale, float64(len(n.lines))*lineHeight*fs+2)
			n.y = y
			n.inY = y + (n.h-n.in*scale)/2
			n.outY = y + (n.h-n.out*scale)/2
			y += n.h + gap
		}
		bottom = max(bottom, y-gap)
	}
	height := math.Ceil(bottom + margin)

	// Bands leave their source in the order of their targets, and enter
	// their target in the order of their sources, so they do not cross
	// at the nodes.
	for _, n := range nodes {
		slices.SortStableFunc(n.outs, func(a, b int) int { return cmp.Compare(nodes[links[a].to].y, nodes[links[b].to].y) })
		slices.SortStableFunc(n.ins, func(a, b int) int { return cmp.Compare(nodes[links[a].from].y, nodes[links[b].from].y) })
	}
	fromY := make([]float64, len(links))
	toY := make([]float64, len(links))
	for _, n := range nodes {
		y := n.outY
		for _, i := range n.outs {
			fromY[i] = y
			y += links[i].v * scale
		}
		y = n.inY
		for _, i := range n.ins {
			toY[i] = y
			y += links[i].v * scale
		}
	}

	bw := bufio.NewWriter(w)
	eid := escapeXML(id)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="sankey" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="%s" role="img" aria-labelledby="%s-title">`+"\n",
		eid, num(width), num(height), num(width), num(height), escapeXML(fontStack), num(fs), eid)
	desc := cmp.Or(lineText(title), "Sankey diagram")
	fmt.Fprintf(bw, "<title id=\"%s-title\">%s</title>\n", eid, escapeXML(desc+": "+strconv.Itoa(len(nodes))+" nodes, "+strconv.Itoa(len(links))+" flows"))
	fmt.Fprintf(bw, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))
	writeLines(bw, title, margin, margin, textColor, false)
	bw.WriteString(`<g class="links" fill="#7d9bb5" fill-opacity="0.45">` + "\n")
	for i, lk := range links {
		a, b := nodes[lk.from], nodes[lk.to]
		x0, x1 := a.x+barW, b.x
		t := lk.v * scale
		xm := (x0 + x1) / 2
		fill := ""
		if rest(b.name) == 2 {
			fill = ` fill="#b3b3b3"` // the paths that end, in grey
		}
		fmt.Fprintf(bw, `<path class="link"%s d="M%s %sC%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sZ"><title>%s</title></path>`+"\n", fill,
			num(x0), num(fromY[i]), num(xm), num(fromY[i]), num(xm), num(toY[i]), num(x1), num(toY[i]),
			num(x1), num(toY[i]+t), num(xm), num(toY[i]+t), num(xm), num(fromY[i]+t), num(x0), num(fromY[i]+t),
			escapeXML(a.name+" → "+b.name+": "+amount(lk.v)))
	}
	bw.WriteString("</g>\n")
	for _, n := range nodes {
		fmt.Fprintf(bw, `<g class="node" data-node="%s"><rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
			escapeXML(n.name), num(n.x), num(n.y), num(barW), num(n.h), headerFill)
		textH := float64(len(n.lines)) * lineHeight * fs
		writeLines(bw, n.lines, n.x+barW+fs/2, n.y+(n.h-textH)/2, textColor, true)
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// rest reports whether a node is one of a path flow's catch-alls, drawn
// under the steps of its column: 1 for (other), 2 for (end), else 0.
func rest(name string) int {
	switch {
	case strings.HasSuffix(name, "(other)"):
		return 1
	case name == "(end)" || name == "(start)":
		return 2
	}
	return 0
}
