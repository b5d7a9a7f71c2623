package paths

import (
	"fmt"

	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/journey"
)

// FlowOptions say which flow to count. The zero value counts the first 5
// steps of every path, keeping 10 names per level.
type FlowOptions struct {
	// Anchor is the step (channel, touchpoint) the flow starts from, or
	// with Backward ends at: each path's first event with that name. A
	// path without it does not enter the flow. With no Anchor every path
	// enters: a forward flow starts before its first event, at the node
	// (start), and a backward one ends after its last event, at (end).
	Anchor string
	// Backward counts the Depth events before the anchor instead of the
	// Depth events after it.
	Backward bool
	// Depth is the number of levels after (before) the anchor; 0 or less
	// means 5.
	Depth int
	// Top is the number of names kept at each level, the most frequent;
	// the others are folded into one node (other). 0 means 10; a negative
	// Top keeps every name. Top only shapes the output (Flows.Flow):
	// counts of any Top merge.
	Top int
}

func (o FlowOptions) counting(by journey.By) pathcount.FlowOptions {
	return pathcount.FlowOptions{By: uint8(by), Anchor: o.Anchor, Backward: o.Backward, Depth: o.Depth, Top: o.Top}
}

// Flow is a flow ready to draw as a Sankey diagram: nodes in levels and
// weighted links between consecutive levels. Level 0 holds the anchor;
// levels 1, 2 … the events after it, or -1, -2 … the events before it.
// Node and link counts are customers, and they add up: the nodes of each
// level sum to Customers; the links out of a node sum to its count (but at
// the last level, which has none), and so do the links into it (but at the
// first). For that, a customer whose path ended sits at the (end) node of
// every later level, and in a backward flow a customer whose path had not
// begun sits at the (start) node of every earlier level.
//
// Nodes and links marshal to JSON as a D3 Sankey layout reads them:
// {"level", "name", "kind", "value"} and {"source", "target", "value"},
// source and target being indexes in Nodes.
type Flow struct {
	Customers int        `json:"customers"` // customers who entered the flow
	Nodes     []FlowNode `json:"nodes"`     // by level from left to right; in a level, by kind, then most customers first, then name
	Links     []FlowLink `json:"links"`     // by Source, then Target
}

// FlowNode is one node of a Flow.
type FlowNode struct {
	Level int    `json:"level"`
	Name  string `json:"name"` // the step (channel, touchpoint), or "(other)", "(end)", "(start)"
	Kind  string `json:"kind"` // FlowName, FlowOther, FlowEnd or FlowStart
	Count int    `json:"value"`
}

// FlowLink is a link of a Flow, between nodes of consecutive levels, from
// the earlier to the later.
type FlowLink struct {
	Source int `json:"source"` // index in Flow.Nodes
	Target int `json:"target"` // index in Flow.Nodes
	Count  int `json:"value"`
}

// The kinds of flow nodes, FlowNode.Kind.
const (
	FlowName  = "name"  // a step, channel or touchpoint, the node's Name
	FlowOther = "other" // "(other)": the names folded at this level
	FlowEnd   = "end"   // "(end)": paths that ended before this level; the anchor of a backward flow without one
	FlowStart = "start" // "(start)": paths that began after this level; the anchor of a forward flow without one
)

// Flows counts the links of a flow, exactly: names are folded into
// (other) only when Flow makes the output, so counts from logs of disjoint
// customers merge into exactly the counts of the whole. It holds one count
// per distinct link, whatever the number of customers. Make one with
// CountFlows or NewFlows; the zero value takes the options of the first
// counts merged into it, or the zero options on its first Add. It is not
// safe for concurrent use.
type Flows struct {
	c pathcount.FlowCounts
	m meta
}

// NewFlows returns empty counts of the flow by and flow describe, for Add
// and Merge.
func NewFlows(by journey.By, flow FlowOptions) *Flows {
	return &Flows{c: *pathcount.NewFlowCounts(flow.counting(by))}
}

// CountFlows counts the flow from (or to) flow.Anchor, flow.Depth levels
// deep, read by opt.By, as Amplitude's Pathfinder, Mixpanel's Flows and
// PostHog's Paths show it, with every count adding up:
//
//   - a path enters the flow at its first event named flow.Anchor; a path
//     without it does not enter; with no anchor every path enters, at a
//     node (start) before its first event (forward) or (end) after its
//     last (backward);
//   - level k (forward) holds the k-th event after the anchor, level -k
//     (backward) the k-th event before it; a path with fewer events goes
//     to (end) (backward: comes from (start)) at the next level and stays
//     there;
//   - at each level the flow.Top most frequent names are kept (ties by
//     name) and the rest are folded into one node (other), so that no
//     customer is lost;
//   - levels after the last one any path reaches with an event are left
//     out, since they hold only (end) or (start).
//
// Each customer counts once, at its first anchor. It takes O(n) time for
// n events. It returns an error only for a bad opt.By or a done
// opt.Context.
func CountFlows(l *journey.Log, flow FlowOptions, opt Options) (*Flows, error) {
	v, err := opt.view(l, nil)
	if err != nil {
		return nil, err
	}
	return done(opt, &Flows{*pathcount.CountFlows(v, flow.counting(opt.By), opt.Workers), opt.meta(l, false)})
}

// Add counts n customers whose path, read as the flow's options say, is
// path. It does nothing if n is not positive.
func (f *Flows) Add(path []string, n int) { f.c.Add(path, n) }

// Merge adds the counts of o to f, exactly, in O(e) time for the e
// distinct links of o; o is unchanged. Merges are associative and
// commutative. It returns an error wrapping ErrIncompatible, and adds
// nothing, if o counts another flow: another attribute, anchor, direction
// or depth. The two must count disjoint customers (see Variants.Merge):
// it returns an error wrapping ErrSharedCustomers, and adds nothing, when
// their customer samples show a customer counted in both.
func (f *Flows) Merge(o *Flows) error {
	if err := f.c.Check(&o.c); err != nil {
		return fmt.Errorf("paths: %w", err)
	}
	if err := f.m.check(&o.m); err != nil {
		return err
	}
	_ = f.c.Merge(&o.c) // checked above
	f.m.merge(&o.m)
	return nil
}

// Customers returns the number of customers who entered the flow.
func (f *Flows) Customers() int { return f.c.Customers() }

// Flow returns the flow, keeping at each level the top names with the
// most customers (ties by name) and folding the others into (other); top
// 0 means 10 and a negative top keeps every name. It takes O(e log e)
// time for e distinct links.
func (f *Flows) Flow(top int) Flow {
	in := f.c.Flow(top)
	out := Flow{Customers: in.Customers, Links: make([]FlowLink, len(in.Links))}
	if in.Nodes != nil {
		out.Nodes = make([]FlowNode, len(in.Nodes))
	}
	for i, n := range in.Nodes {
		out.Nodes[i] = FlowNode{Level: n.Level, Name: n.Name, Kind: n.Kind.String(), Count: n.Count}
	}
	for i, x := range in.Links {
		out.Links[i] = FlowLink(x)
	}
	if in.Links == nil {
		out.Links = nil
	}
	return out
}
