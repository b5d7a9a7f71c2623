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
	name := func(path, s string) string {
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
	}
	rows := make([][3]string, len(flows))
	next := make(map[string][]string)
	var order []string
	for i, f := range flows {
		p := "flows[" + strconv.Itoa(i) + "]"
		src, dst := name(p+": source", f.Source), name(p+": target", f.Target)
		if !(f.Value > 0) || math.IsInf(f.Value, 0) {
			l.Addf(p+": value", "%v is not a positive finite number", f.Value)
		}
		if src != "" && src == dst {
			l.Addf(p, "%q flows into itself: a sankey cannot loop", f.Source)
		}
		rows[i] = [3]string{src, dst, strconv.FormatFloat(f.Value, 'f', -1, 64)}
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
	if err := verr.Prefix("render: sankey", l.Err()); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("sankey-beta\n\n")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s,%s,%s\n", r[0], r[1], r[2])
	}
	return bw.Flush()
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
