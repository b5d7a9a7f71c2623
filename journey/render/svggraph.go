package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// graphNode is a node of the SVG graph, laid out.
type graphNode struct {
	Node
	x, y, w, h float64
	lines      []line
	header     []line // the name of its group, above it, if it starts one
	headerY    float64
	// ports on each side: the edges leaving or entering there, in order.
	right, left []int
}

// graphArc is an edge of the SVG graph between two drawn nodes.
type graphArc struct {
	from, to int // node indexes
	e        Edge
	label    string
	forward  bool
	track    int
	fromY    float64
	toY      float64
}

// SVGGraph writes g as a self-contained SVG node-link diagram: the nodes
// one under the other in g's order (GraphFlow and MapFlow put them in
// the journey's order), each a box with its label and note, under the
// name of its group where a group starts; the edges to later nodes as
// arcs on the right, those back to earlier nodes (the loops) on the
// left, each ending in an arrow with its label (the probability, or
// Edge.Label) beside the node it enters. Every edge enters its own slot
// of its node's side, a line of text apart, and nested arcs take wider
// tracks, so labels never overlap and arcs do not run on top of one
// another. The edges into Exit, and from a node to itself, are written in
// the node's box ("exit 35%", "again 12%") rather than drawn, since most
// steps lose some customers. Start and Conversion are dark, goal steps
// have a double border, friction points a thick dashed one and their
// note, so the picture reads in greyscale.
//
// Nodes are <g class="node" data-node="…">, edges <g class="edge">. The
// picture names the same fonts as SVGMap and measures its text in the
// same way; it loads nothing from outside.
//
// It returns g.Validate's errors, an error for bad options, and the
// writer's errors. It costs O(n + m²) for n nodes and m edges.
func SVGGraph(w io.Writer, g FlowGraph, opt DiagramOptions) error {
	if err := g.Validate(); err != nil {
		return err
	}
	fs, width, err := opt.sizes("graph")
	if err != nil {
		return err
	}
	id := cmp.Or(cleanText(opt.ID), "journey-graph")
	margin := math.Round(fs * 1.5)
	pad := math.Round(fs * 0.5)
	slot := math.Round(fs * 1.6) // the distance between two edges' ends on a side
	gapY := math.Round(fs * 1.5)

	groups := map[string]string{}
	for _, gr := range g.Groups {
		groups[gr.ID] = cmp.Or(cleanText(gr.Label), gr.ID)
	}
	// The nodes drawn: all but Exit; what leaves to Exit, or stays, is
	// written in the source's box.
	index := map[string]int{}
	var nodes []*graphNode
	for _, n := range g.Nodes {
		if n.Kind == ExitNode {
			continue
		}
		index[n.ID] = len(nodes)
		nodes = append(nodes, &graphNode{Node: n})
	}
	extra := make([][]string, len(nodes))
	var arcs []*graphArc
	for _, e := range g.Edges {
		from, ok := index[e.From]
		if !ok {
			continue
		}
		label := cleanText(e.Label)
		if label == "" && e.Probability > 0 {
			label = percent(e.Probability)
		}
		to, ok := index[e.To]
		switch {
		case !ok: // into Exit, unless a friction note says so already
			if !strings.Contains(nodes[from].Note, "exit") {
				extra[from] = append(extra[from], "exit "+label)
			}
			continue
		case to == from:
			extra[from] = append(extra[from], "again "+label)
			continue
		}
		arcs = append(arcs, &graphArc{from: from, to: to, e: e, label: label, forward: to > from})
	}

	// Tracks: an arc is drawn outside every shorter arc of its side whose
	// span overlaps its own.
	span := func(a *graphArc) (int, int) { return min(a.from, a.to), max(a.from, a.to) }
	sorted := slices.Clone(arcs)
	slices.SortStableFunc(sorted, func(a, b *graphArc) int {
		la, ha := span(a)
		lb, hb := span(b)
		return cmp.Or(cmp.Compare(ha-la, hb-lb), cmp.Compare(la, lb))
	})
	tracks := [2]int{}
	for i, a := range sorted {
		la, ha := span(a)
		for _, b := range sorted[:i] {
			lb, hb := span(b)
			if b.forward == a.forward && lb <= ha && la <= hb {
				a.track = max(a.track, b.track+1)
			}
		}
		side := 0
		if !a.forward {
			side = 1
		}
		tracks[side] = max(tracks[side], a.track+1)
	}

	// The width: the nodes' column in the middle, the right side for arcs
	// forward, the left for arcs back; each side has room for the widest
	// label, then the tracks.
	labelW := 0.0
	for _, a := range arcs {
		labelW = max(labelW, textWidth(a.label, fs*0.9, false))
	}
	labelW += fs + 8
	nodeW := math.Min(math.Round(width*0.34), 26*fs)
	side := (width - 2*margin - nodeW) / 2
	room := side - labelW - fs
	if room < fs {
		return fmt.Errorf("render: graph: width %v leaves no room for the arcs beside the nodes", width)
	}
	step := func(n int) float64 {
		if n <= 1 {
			return 0
		}
		return math.Min(2*fs, room/float64(n-1))
	}
	nodeX := margin + side

	// Ports: forward arcs leave and enter on the right, back arcs on the
	// left; on each side, ordered by the other end, top to bottom.
	for i, a := range arcs {
		f, t := nodes[a.from], nodes[a.to]
		if a.forward {
			f.right, t.right = append(f.right, i), append(t.right, i)
		} else {
			f.left, t.left = append(f.left, i), append(t.left, i)
		}
	}
	other := func(n, i int) int {
		if arcs[i].from == n {
			return arcs[i].to
		}
		return arcs[i].from
	}
	for k, n := range nodes {
		by := func(a, b int) int { return cmp.Compare(other(k, a), other(k, b)) }
		slices.SortStableFunc(n.right, by)
		slices.SortStableFunc(n.left, by)
	}

	// The nodes, top to bottom.
	y := margin
	var title []line
	if t := cleanText(opt.Title); t != "" {
		ts := math.Round(fs * 1.3)
		title, _ = layoutItems([]item{{text: t, bold: true, size: ts}}, width-2*margin)
		y += float64(len(title))*lineHeight*ts + fs
	}
	lastGroup := ""
	for k, n := range nodes {
		if n.Group != "" && n.Group != lastGroup {
			n.header, _ = layoutItems([]item{{text: groups[n.Group], bold: true, size: fs}}, nodeW)
			n.headerY = y
			y += float64(len(n.header))*lineHeight*fs + pad
		}
		lastGroup = n.Group
		items := []item{{text: cmp.Or(cleanText(n.Label), n.ID), bold: n.Kind != StepNode || n.Goal, size: fs}}
		if note := cleanText(n.Note); note != "" {
			items = append(items, item{text: note, size: fs * 0.9})
		}
		if len(extra[k]) > 0 {
			items = append(items, item{text: strings.Join(extra[k], " · "), size: fs * 0.9})
		}
		var th float64
		n.lines, th = layoutItems(items, nodeW-4*pad)
		ports := max(len(n.right), len(n.left))
		n.x, n.y, n.w = nodeX, y, nodeW
		n.h = math.Ceil(max(th+2*pad, float64(ports+1)*slot))
		y += n.h + gapY
	}
	height := math.Ceil(y - gapY + margin)

	// Where each arc leaves and enters.
	for k, n := range nodes {
		for _, ports := range [][]int{n.right, n.left} {
			for j, i := range ports {
				py := n.y + n.h/2 + (float64(j)-float64(len(ports)-1)/2)*slot
				if arcs[i].from == k {
					arcs[i].fromY = py
				} else {
					arcs[i].toY = py
				}
			}
		}
	}

	bw := bufio.NewWriter(w)
	eid := escapeXML(id)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="journey-graph" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="%s" role="img" aria-labelledby="%s-title">`+"\n",
		eid, num(width), num(height), num(width), num(height), escapeXML(fontStack), num(fs), eid)
	fmt.Fprintf(bw, "<title id=\"%s-title\">%s</title>\n", eid, escapeXML(cmp.Or(lineText(title), "Journey graph")))
	fmt.Fprintf(bw, "<defs><marker id=\"%s-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10Z\" fill=\"%s\"/></marker></defs>\n", eid, curveColor)
	fmt.Fprintf(bw, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(width), num(height))
	writeLines(bw, title, margin, margin, textColor, false)
	// The arcs first, under the nodes and labels.
	for _, a := range arcs {
		var x, d float64
		if a.forward {
			x = nodeX + nodeW
			d = labelW + fs + float64(a.track)*step(tracks[0])
		} else {
			x = nodeX
			d = -(labelW + fs + float64(a.track)*step(tracks[1]))
		}
		sw := 1 + 2.5*a.e.Probability
		stroke := curveColor
		if a.e.Friction {
			sw += 1.5
		}
		if a.e.Probability < 0.1 && a.e.Label == "" {
			stroke = neutralColor
		}
		r := math.Min(fs, math.Abs(a.toY-a.fromY)/2)
		sx := math.Copysign(1, d)
		fmt.Fprintf(bw, `<g class="edge" data-from="%s" data-to="%s"><path d="M%s %sH%sQ%s %s %s %sV%sQ%s %s %s %sH%s" fill="none" stroke="%s" stroke-width="%s"%s marker-end="url(#%s-arrow)"/>`,
			escapeXML(a.e.From), escapeXML(a.e.To),
			num(x), num(a.fromY), num(x+d-sx*r),
			num(x+d), num(a.fromY), num(x+d), num(a.fromY+math.Copysign(r, a.toY-a.fromY)),
			num(a.toY-math.Copysign(r, a.toY-a.fromY)),
			num(x+d), num(a.toY), num(x+d-sx*r), num(a.toY), num(x+sx*2),
			stroke, num(sw), "", eid)
		// The label above the arc's end, beside the node it enters.
		lw := textWidth(a.label, fs*0.9, false)
		lx := x + sx*(fs*0.4+8) // past the arrow's head
		if !a.forward {
			lx -= lw
		}
		writeLines(bw, []line{{text: a.label, size: fs * 0.9, baseline: -0.25 * fs}}, lx, a.toY, textColor, true)
		bw.WriteString("</g>\n")
	}
	for _, n := range nodes {
		if len(n.header) > 0 {
			writeLines(bw, n.header, n.x, n.headerY, headerFill, false)
		}
		fill, text, stroke, extraAttr := "#f0f7fd", textColor, cellStroke, ` stroke-width="1"`
		switch {
		case n.Kind == StartNode || n.Kind == ConversionNode:
			fill, text, stroke = headerFill, headerText, headerFill
		case n.Friction:
			fill, stroke, extraAttr = "#fbe2d3", stripeColor, ` stroke-width="2.5" stroke-dasharray="6 3"`
		case n.Goal:
			fill = "#def2db"
		}
		rx := "4"
		if n.Kind != StepNode {
			rx = num(math.Min(n.h/2, 2*fs))
		}
		fmt.Fprintf(bw, `<g class="node" data-node="%s"><rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" stroke="%s"%s/>`,
			escapeXML(n.ID), num(n.x), num(n.y), num(n.w), num(n.h), rx, fill, stroke, extraAttr)
		if n.Goal {
			fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="none" stroke="%s" stroke-width="1"/>`,
				num(n.x+3), num(n.y+3), num(n.w-6), num(n.h-6), stroke)
		}
		textH := 0.0
		for _, l := range n.lines {
			textH += lineHeight * l.size
		}
		writeLines(bw, n.lines, n.x+2*pad, n.y+(n.h-textH)/2, text, false)
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}
