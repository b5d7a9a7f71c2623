package render

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
)

// Flow is one link of a sankey diagram: Value customers (or sessions, or
// any amount) going from Source to Target. Nodes are named by their
// links, so step-by-step path flows ("1. visits the site" to "2. searches")
// map onto rows directly.
type Flow struct {
	Source, Target string
	Value          float64
}

// MermaidSankey writes flows as a Mermaid sankey-beta diagram: one CSV
// row (source, target, value) per flow, in the given order.
//
// A sankey is drawn left to right, so its flows must not loop: MermaidSankey
// returns an error, naming the nodes, for a flow from a node to itself and
// for a cycle; also for an empty name and for a value that is not a
// positive finite number. To draw a journey that loops, name nodes by
// step and position ("checkout #2").
//
// Mermaid's sankey grammar reads printable ASCII only: other characters
// are written the closest it can (see the package documentation), and two
// names that become the same text are an error.
func MermaidSankey(w io.Writer, flows []Flow) error {
	var l verr.List
	written := make(map[string]string) // escaped name -> name
	keys := checkSankey(&l, flows, func(path, s string) string {
		if cleanText(s) == "" {
			l.Addf(path, "empty name")
			return ""
		}
		e := sankeyText(s)
		if prev, ok := written[e]; ok && cleanText(prev) != cleanText(s) {
			l.Addf(path, "%q and %q would both be written %s", prev, s, e)
		}
		written[e] = s
		return e
	})
	if err := verr.Prefix("render: sankey", l.Err()); err != nil {
		return err
	}
	rows := make([][3]string, len(flows))
	for i, f := range flows {
		rows[i] = [3]string{keys[i][0], keys[i][1], strconv.FormatFloat(f.Value, 'f', -1, 64)}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("sankey-beta\n\n")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s,%s,%s\n", r[0], r[1], r[2])
	}
	return bw.Flush()
}

// checkSankey checks flows for a Sankey diagram, adding to l a value that
// is not a positive finite number, a flow from a node to itself and, if
// nothing else is wrong, a cycle. key names each source and target
// (adding its own problems to l, and returning "" for a bad name), and
// checkSankey returns the keys of each flow.
func checkSankey(l *verr.List, flows []Flow, key func(path, name string) string) [][2]string {
	keys := make([][2]string, len(flows))
	next := make(map[string][]string)
	var order []string
	for i, f := range flows {
		p := "flows[" + strconv.Itoa(i) + "]"
		src, dst := key(p+": source", f.Source), key(p+": target", f.Target)
		if !(f.Value > 0) || math.IsInf(f.Value, 0) {
			l.Addf(p+": value", "%v is not a positive finite number", f.Value)
		}
		if src != "" && src == dst {
			l.Addf(p, "%q flows into itself: a sankey cannot loop", f.Source)
		}
		keys[i] = [2]string{src, dst}
		if _, ok := next[src]; !ok {
			order = append(order, src)
		}
		next[src] = append(next[src], dst)
	}
	if l.Len() == 0 {
		if cycle := findCycle(order, next); cycle != nil {
			l.Addf("flows", "they loop (%s): a sankey cannot loop", joinArrows(cycle))
		}
	}
	return keys
}

// findCycle returns the nodes of a cycle of the graph next (node -> its
// successors), first node repeated last, or nil if it has none. It starts
// from the nodes in order, so the answer is deterministic.
func findCycle(order []string, next map[string][]string) []string {
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int)
	var path []string
	var visit func(n string) []string
	visit = func(n string) []string {
		state[n] = onPath
		path = append(path, n)
		for _, m := range next[n] {
			switch state[m] {
			case onPath:
				i := slices.Index(path, m)
				return append(slices.Clone(path[i:]), m)
			case unseen:
				if c := visit(m); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return nil
	}
	for _, n := range order {
		if state[n] == unseen {
			if c := visit(n); c != nil {
				return c
			}
		}
	}
	return nil
}

// joinArrows writes a path as "a -> b -> c".
func joinArrows(path []string) string {
	return strings.Join(path, " -> ")
}

// SankeyOptions configures SankeyOf. The zero value names nodes as the
// flow does.
type SankeyOptions struct {
	// Map, if set, names the flow's steps with their names in the map.
	Map *journey.Map
}

// SankeyOf returns the links of a path flow ([paths.CountFlows]) as
// Sankey flows, for MermaidSankey and SVGSankey: one Flow per link of positive count,
// in the flow's order.
//
// A sankey cannot loop, and a path flow often shows one step at several
// levels, so each node is named with its level: the level of the anchor
// (or of the start of a flow without one) by its name alone, the levels
// after it as "+1 Checkout", "+2 …", and the levels before it, in a
// backward flow, as "-1 …", "-2 …". The (other) nodes keep their name,
// qualified in the same way. The customers whose path ended all flow into
// one (end) node, from the level where their path ended (a flow repeats
// them at every later level; the sankey does not), and in a backward flow
// those whose path had not begun all come from one (start) node, so each
// customer is drawn once, from where the path began to where it ended.
//
// Links whose nodes are out of range are left out.
func SankeyOf(f paths.Flow, opt SankeyOptions) []Flow {
	names := make([]string, len(f.Nodes))
	for i, n := range f.Nodes {
		name := n.Name
		if n.Kind == paths.FlowName && opt.Map != nil {
			if s, ok := opt.Map.Step(n.Name); ok {
				name = stepName(s)
			}
		}
		switch {
		case n.Kind == paths.FlowEnd && n.Level != 0, n.Kind == paths.FlowStart && n.Level != 0:
			// one node for every level
		case n.Level > 0:
			name = "+" + strconv.Itoa(n.Level) + " " + name
		case n.Level < 0:
			name = strconv.Itoa(n.Level) + " " + name
		}
		names[i] = name
	}
	var out []Flow
	for _, l := range f.Links {
		if l.Count <= 0 || l.Source < 0 || l.Target < 0 || l.Source >= len(names) || l.Target >= len(names) {
			continue
		}
		src, dst := f.Nodes[l.Source], f.Nodes[l.Target]
		if src.Kind == dst.Kind && (src.Kind == paths.FlowEnd || src.Kind == paths.FlowStart) {
			continue // a customer who ended (had not begun) stays so
		}
		out = append(out, Flow{Source: names[l.Source], Target: names[l.Target], Value: float64(l.Count)})
	}
	return out
}
