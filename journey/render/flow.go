package render

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
)

// FlowGraph is a plain directed graph of journey states, the input of
// MermaidFlowchart and DOT: nodes (steps, the start, exit and conversion
// states) optionally grouped (by stage), and weighted edges. [MapFlow]
// builds one from a designed Map; any other graph of journey states, such
// as one learned from a log, can be drawn by filling one in.
//
// A FlowGraph is a plain value; the renderers do not modify it.
type FlowGraph struct {
	Title  string
	Groups []Group
	Nodes  []Node
	Edges  []Edge
}

// Group is a set of nodes drawn together, such as the steps of a stage.
type Group struct {
	ID    string
	Label string // empty: the ID
}

// NodeKind says what state a node stands for. The zero value is StepNode.
type NodeKind uint8

const (
	StepNode       NodeKind = iota // a journey step
	StartNode                      // where walks begin
	ExitNode                       // absorbing: the customer left
	ConversionNode                 // absorbing: the goal was reached
)

// Node is a state of a FlowGraph.
type Node struct {
	ID    string
	Label string // empty: the ID
	// Note is a second, smaller line under the label, such as a friction
	// point's exit rate; empty for none.
	Note  string
	Group string // the ID of the node's Group; empty for none
	Kind  NodeKind
	// Goal marks a step whose reaching achieves a conversion: it is drawn
	// with a distinct shape.
	Goal bool
	// Friction marks a friction point: it is drawn with a thick dashed
	// border (and a distinct fill).
	Friction bool
}

// Edge is a route between two nodes of a FlowGraph.
type Edge struct {
	From, To string // node IDs
	// Probability is the share of the walks at From that go next to To, in
	// [0, 1]. It is drawn as a percentage label unless Label is set.
	Probability float64
	// Label replaces the probability's label when set ("45% · 1,204").
	// An edge with neither a Label nor a Probability has no label.
	Label string
	// Friction marks an edge to highlight: it is drawn thick.
	Friction bool
}

// Direction is the direction in which a graph is laid out. The zero value
// is LeftToRight.
type Direction uint8

const (
	LeftToRight Direction = iota
	TopToBottom
)

// GraphOptions configures MermaidFlowchart and DOT. The zero value gives
// the defaults each field documents.
type GraphOptions struct {
	// Direction is the layout's direction; the zero value is LeftToRight.
	Direction Direction
	// OmitExits leaves out the exit node and the edges into it, which
	// clutter a graph where most steps lose some customers. By default
	// they are drawn (dotted).
	OmitExits bool
}

// MapFlow returns the flow graph of m: one group per stage, a start node,
// one node per step (in its stage's group; steps that achieve Conversion
// marked as goals), and the exit and conversion nodes if any route leads
// there; one edge per route out of the start and out of each step, with
// the effective probabilities of [journey.Map.Next] (so the implicit exits
// are drawn too). Node IDs are the map's step IDs and the journey's state
// names ([graph.Start], [graph.Exit], [graph.Conversion]).
//
// m need not be valid: repeated step IDs are drawn once, and routes to
// unknown steps are left out, so the result always passes
// FlowGraph.Validate. MapFlow panics if m is nil.
func MapFlow(m *journey.Map) FlowGraph {
	g := FlowGraph{Title: m.Name}
	stages := make(map[string]bool, len(m.Stages))
	for _, s := range m.Stages {
		if !stages[s.ID] {
			stages[s.ID] = true
			g.Groups = append(g.Groups, Group{ID: s.ID, Label: stageName(s)})
		}
	}
	g.Nodes = append(g.Nodes, Node{ID: graph.Start, Label: "Start", Kind: StartNode})
	steps := make(map[string]bool, len(m.Steps))
	for _, s := range m.Steps {
		if steps[s.ID] {
			continue
		}
		steps[s.ID] = true
		n := Node{ID: s.ID, Label: stepName(s), Goal: s.HasGoal(objectives.Conversion)}
		if stages[s.Stage] {
			n.Group = s.Stage
		}
		g.Nodes = append(g.Nodes, n)
	}
	var toExit, toConversion bool
	for _, from := range append([]string{graph.Start}, stepIDsOf(m)...) {
		for _, t := range m.Next(from) {
			switch {
			case t.To == graph.Exit:
				toExit = true
			case t.To == graph.Conversion:
				toConversion = true
			case !steps[t.To]:
				continue
			}
			g.Edges = append(g.Edges, Edge{From: from, To: t.To, Probability: t.Probability})
		}
	}
	if toConversion {
		g.Nodes = append(g.Nodes, Node{ID: graph.Conversion, Label: "Conversion", Kind: ConversionNode})
	}
	if toExit {
		g.Nodes = append(g.Nodes, Node{ID: graph.Exit, Label: "Exit", Kind: ExitNode})
	}
	return g
}

// stepIDsOf returns the map's step IDs, each once, in map order.
func stepIDsOf(m *journey.Map) []string {
	seen := make(map[string]bool, len(m.Steps))
	var ids []string
	for _, s := range m.Steps {
		if !seen[s.ID] {
			seen[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// Validate reports every problem in g: empty or repeated node and group
// IDs, nodes in unknown groups, unknown node kinds, edges between unknown
// nodes and probabilities outside [0, 1].
func (g *FlowGraph) Validate() error {
	var l verr.List
	groups := make(map[string]bool, len(g.Groups))
	for i, gr := range g.Groups {
		p := verr.Item("groups", i, gr.ID)
		switch {
		case gr.ID == "":
			l.Addf(p+": id", "empty")
		case groups[gr.ID]:
			l.Addf(p, "duplicate group id %q", gr.ID)
		}
		groups[gr.ID] = true
	}
	nodes := make(map[string]bool, len(g.Nodes))
	for i, n := range g.Nodes {
		p := verr.Item("nodes", i, n.ID)
		switch {
		case n.ID == "":
			l.Addf(p+": id", "empty")
		case nodes[n.ID]:
			l.Addf(p, "duplicate node id %q", n.ID)
		}
		nodes[n.ID] = true
		if n.Group != "" && !groups[n.Group] {
			l.Addf(p+": group", "unknown group %q", n.Group)
		}
		if n.Kind > ConversionNode {
			l.Addf(p+": kind", "unknown node kind %d", n.Kind)
		}
	}
	for i, e := range g.Edges {
		p := "edges[" + strconv.Itoa(i) + "] " + strconv.Quote(e.From) + " -> " + strconv.Quote(e.To)
		if !nodes[e.From] {
			l.Addf(p+": from", "unknown node %q", e.From)
		}
		if !nodes[e.To] {
			l.Addf(p+": to", "unknown node %q", e.To)
		}
		if !(e.Probability >= 0 && e.Probability <= 1) {
			l.Addf(p+": probability", "%v is outside [0, 1]", e.Probability)
		}
	}
	return verr.Prefix("render: flow graph", l.Err())
}

// edgeLabel returns the text drawn on e: its Label, else its probability
// as a percentage, else nothing.
func edgeLabel(e Edge) string {
	if cleanText(e.Label) != "" {
		return e.Label
	}
	if e.Probability > 0 {
		return percent(e.Probability)
	}
	return ""
}

func nodeLabel(n Node) string {
	if cleanText(n.Label) != "" {
		return n.Label
	}
	return n.ID
}

func groupLabel(g Group) string {
	if cleanText(g.Label) != "" {
		return g.Label
	}
	return g.ID
}

// visible returns g's nodes and edges that opts draws.
func (g *FlowGraph) visible(opts GraphOptions) ([]Node, []Edge) {
	if !opts.OmitExits {
		return g.Nodes, g.Edges
	}
	exits := make(map[string]bool)
	var nodes []Node
	for _, n := range g.Nodes {
		if n.Kind == ExitNode {
			exits[n.ID] = true
			continue
		}
		nodes = append(nodes, n)
	}
	var edges []Edge
	for _, e := range g.Edges {
		if !exits[e.To] && !exits[e.From] {
			edges = append(edges, e)
		}
	}
	return nodes, edges
}

// absorbing reports, for each node, whether walks that reach it stay:
// exit and conversion nodes, and nodes with no edge out but to themselves.
func absorbing(nodes []Node, edges []Edge) map[string]bool {
	out := make(map[string]bool)
	for _, e := range edges {
		if e.From != e.To {
			out[e.From] = true
		}
	}
	abs := make(map[string]bool)
	for _, n := range nodes {
		if n.Kind == ExitNode || n.Kind == ConversionNode || (n.Kind == StepNode && !out[n.ID]) {
			abs[n.ID] = true
		}
	}
	return abs
}

// The flowchart's palette. Fills differ in lightness, and shapes and
// borders tell the kinds of node apart without colour.
const (
	flowStepFill       = "#e8eef5"
	flowStepStroke     = "#3d5a80"
	flowGoalFill       = "#cfe3d4"
	flowGoalStroke     = "#2d6a3e"
	flowStartFill      = "#3d5a80"
	flowEndFill        = "#5c5c5c"
	flowConversionFill = "#1e5631"
	flowFrictionFill   = "#f6d6c8"
	flowFrictionStroke = "#8a2d0a"
	flowGroupFill      = "#f7f7f7"
	flowGroupStroke    = "#9a9a9a"
)

// MermaidFlowchart writes g as a Mermaid flowchart: a subgraph per group
// (drawn in g's order, each holding its nodes), the start as a circle,
// the exit and conversion as double circles, steps as rounded boxes, goal
// steps as stadiums, friction points with a thick dashed border; edges
// labelled with their probabilities, routes into the exit dotted and
// highlighted edges thick. A title becomes the diagram's front-matter
// title.
//
// Node and group IDs are replaced by generated ones (n0, n1 …, g0, g1 …),
// so any ID is safe; labels are escaped with Mermaid entity codes (# " <
// > & % and the backquote). It returns g.Validate's error, prefixed, if g
// is not valid, and the writer's errors.
func MermaidFlowchart(w io.Writer, g FlowGraph, opts GraphOptions) error {
	if err := g.Validate(); err != nil {
		return err
	}
	nodes, edges := g.visible(opts)
	id := make(map[string]string, len(nodes))
	for i, n := range nodes {
		id[n.ID] = "n" + strconv.Itoa(i)
	}
	abs := absorbing(nodes, edges)
	bw := bufio.NewWriter(w)
	if t := cleanText(g.Title); t != "" {
		fmt.Fprintf(bw, "---\ntitle: %s\n---\n", yamlString(t))
	}
	dir := "LR"
	if opts.Direction == TopToBottom {
		dir = "TB"
	}
	fmt.Fprintf(bw, "flowchart %s\n", dir)
	node := func(indent string, n Node) {
		label := flowText(nodeLabel(n))
		if note := flowText(n.Note); note != "" {
			label += "<br/>" + note
		}
		open, close := "(", ")"
		switch {
		case n.Kind == StartNode:
			open, close = "((", "))"
		case n.Kind == ExitNode || n.Kind == ConversionNode:
			open, close = "(((", ")))"
		case n.Goal:
			open, close = "([", "])"
		case abs[n.ID]:
			open, close = "[[", "]]"
		}
		fmt.Fprintf(bw, "%s%s%s\"%s\"%s\n", indent, id[n.ID], open, label, close)
	}
	for _, n := range nodes {
		if n.Group == "" {
			node("  ", n)
		}
	}
	for i, gr := range g.Groups {
		fmt.Fprintf(bw, "  subgraph g%d [\"%s\"]\n", i, flowText(groupLabel(gr)))
		for _, n := range nodes {
			if n.Group == gr.ID {
				node("    ", n)
			}
		}
		bw.WriteString("  end\n")
	}
	kinds := make(map[string]NodeKind, len(nodes))
	for _, n := range nodes {
		kinds[n.ID] = n.Kind
	}
	var thick []int
	for i, e := range edges {
		arrow := "-->"
		switch {
		case e.Friction:
			arrow = "==>"
			thick = append(thick, i)
		case kinds[e.To] == ExitNode:
			arrow = "-.->"
		}
		label := ""
		if l := flowText(edgeLabel(e)); l != "" {
			label = "|\"" + l + "\"|"
		}
		fmt.Fprintf(bw, "  %s %s%s %s\n", id[e.From], arrow, label, id[e.To])
	}
	fmt.Fprintf(bw, "  classDef step fill:%s,stroke:%s,color:#111\n", flowStepFill, flowStepStroke)
	fmt.Fprintf(bw, "  classDef goal fill:%s,stroke:%s,stroke-width:2px,color:#111\n", flowGoalFill, flowGoalStroke)
	fmt.Fprintf(bw, "  classDef start fill:%s,stroke:#111,color:#fff\n", flowStartFill)
	fmt.Fprintf(bw, "  classDef exit fill:%s,stroke:#111,color:#fff\n", flowEndFill)
	fmt.Fprintf(bw, "  classDef conversion fill:%s,stroke:#111,color:#fff\n", flowConversionFill)
	fmt.Fprintf(bw, "  classDef friction fill:%s,stroke:%s,stroke-width:3px,stroke-dasharray:6 3,color:#111\n", flowFrictionFill, flowFrictionStroke)
	classes := map[string][]string{}
	var order []string
	for _, n := range nodes {
		c := "step"
		switch {
		case n.Kind == StartNode:
			c = "start"
		case n.Kind == ExitNode:
			c = "exit"
		case n.Kind == ConversionNode:
			c = "conversion"
		case n.Friction:
			c = "friction"
		case n.Goal:
			c = "goal"
		}
		if _, ok := classes[c]; !ok {
			order = append(order, c)
		}
		classes[c] = append(classes[c], id[n.ID])
	}
	for _, c := range order {
		fmt.Fprintf(bw, "  class %s %s\n", strings.Join(classes[c], ","), c)
	}
	for i := range g.Groups {
		fmt.Fprintf(bw, "  style g%d fill:%s,stroke:%s\n", i, flowGroupFill, flowGroupStroke)
	}
	if len(thick) > 0 {
		s := make([]string, len(thick))
		for i, t := range thick {
			s[i] = strconv.Itoa(t)
		}
		fmt.Fprintf(bw, "  linkStyle %s stroke:%s,stroke-width:3px\n", strings.Join(s, ","), flowFrictionStroke)
	}
	return bw.Flush()
}

// yamlString returns s as a double-quoted YAML scalar.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// DOT writes g in the Graphviz DOT language: a cluster per group, the
// start as a filled circle, the absorbing states (exit, conversion, and
// any node with no route out) as double circles or double-bordered boxes,
// goal steps with a bold border, friction points with a thick dashed
// border; edges labelled with their probabilities, routes into the exit
// dashed and grey, highlighted edges thick. Long labels are wrapped.
//
// Node IDs are written as quoted strings, escaped, so any ID is safe. It
// returns g.Validate's error, prefixed, if g is not valid, and the
// writer's errors.
func DOT(w io.Writer, g FlowGraph, opts GraphOptions) error {
	if err := g.Validate(); err != nil {
		return err
	}
	nodes, edges := g.visible(opts)
	abs := absorbing(nodes, edges)
	bw := bufio.NewWriter(w)
	const font = `"Helvetica,Arial,sans-serif"`
	fmt.Fprintf(bw, "digraph %s {\n", dotString(g.Title))
	dir := "LR"
	if opts.Direction == TopToBottom {
		dir = "TB"
	}
	fmt.Fprintf(bw, "  graph [rankdir=%s, fontname=%s, fontsize=16, labelloc=t, nodesep=0.3, ranksep=0.5", dir, font)
	if t := cleanText(g.Title); t != "" {
		fmt.Fprintf(bw, ", label=%s", dotString(wrap(t, 600, 16, false)...))
	}
	bw.WriteString("];\n")
	fmt.Fprintf(bw, "  node [shape=box, style=\"rounded,filled\", fillcolor=%q, color=%q, fontname=%s, fontsize=12];\n", flowStepFill, flowStepStroke, font)
	fmt.Fprintf(bw, "  edge [fontname=%s, fontsize=10, color=\"#444444\"];\n", font)
	node := func(indent string, n Node) {
		lines := wrap(nodeLabel(n), 150, 12, false)
		var attrs []string
		switch {
		case n.Kind == StartNode:
			attrs = append(attrs, "shape=circle", "style=filled", `fillcolor="`+flowStartFill+`"`, `fontcolor="#ffffff"`, `color="#111111"`)
		case n.Kind == ExitNode:
			attrs = append(attrs, "shape=doublecircle", "style=filled", `fillcolor="`+flowEndFill+`"`, `fontcolor="#ffffff"`, `color="#111111"`)
		case n.Kind == ConversionNode:
			attrs = append(attrs, "shape=doublecircle", "style=filled", `fillcolor="`+flowConversionFill+`"`, `fontcolor="#ffffff"`, `color="#111111"`)
		case n.Friction:
			attrs = append(attrs, `style="rounded,filled,dashed"`, "penwidth=3", `fillcolor="`+flowFrictionFill+`"`, `color="`+flowFrictionStroke+`"`)
		case n.Goal:
			attrs = append(attrs, "penwidth=2.5", `fillcolor="`+flowGoalFill+`"`, `color="`+flowGoalStroke+`"`)
		}
		if abs[n.ID] && n.Kind == StepNode {
			attrs = append(attrs, "peripheries=2")
		}
		if note := cleanText(n.Note); note != "" {
			lines = append(lines, wrap(note, 150, 10, false)...)
		}
		attrs = append([]string{"label=" + dotString(lines...)}, attrs...)
		fmt.Fprintf(bw, "%s%s [%s];\n", indent, dotString(n.ID), strings.Join(attrs, ", "))
	}
	for _, n := range nodes {
		if n.Group == "" {
			node("  ", n)
		}
	}
	for i, gr := range g.Groups {
		fmt.Fprintf(bw, "  subgraph cluster_%d {\n", i)
		fmt.Fprintf(bw, "    label=%s; style=\"rounded,filled\"; fillcolor=%q; color=%q; fontsize=14;\n",
			dotString(wrap(groupLabel(gr), 300, 14, false)...), flowGroupFill, flowGroupStroke)
		for _, n := range nodes {
			if n.Group == gr.ID {
				node("    ", n)
			}
		}
		bw.WriteString("  }\n")
	}
	kinds := make(map[string]NodeKind, len(nodes))
	for _, n := range nodes {
		kinds[n.ID] = n.Kind
	}
	for _, e := range edges {
		var attrs []string
		if l := edgeLabel(e); cleanText(l) != "" {
			attrs = append(attrs, "label="+dotString(l))
		}
		switch {
		case e.Friction:
			attrs = append(attrs, "penwidth=3", `color="`+flowFrictionStroke+`"`)
		case kinds[e.To] == ExitNode:
			attrs = append(attrs, "style=dashed", `color="#999999"`, `fontcolor="#666666"`)
		}
		if w := edgeWeight(e.Probability); w > 0 && !e.Friction {
			attrs = append(attrs, "penwidth="+strconv.FormatFloat(w, 'f', 1, 64))
		}
		fmt.Fprintf(bw, "  %s -> %s", dotString(e.From), dotString(e.To))
		if len(attrs) > 0 {
			fmt.Fprintf(bw, " [%s]", strings.Join(attrs, ", "))
		}
		bw.WriteString(";\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// edgeWeight returns the pen width of an edge of probability p: 1 for
// rare routes up to 2.5 for certain ones, so the main routes stand out.
func edgeWeight(p float64) float64 {
	if p <= 0 || math.IsNaN(p) {
		return 0
	}
	return 1 + 1.5*math.Min(p, 1)
}
