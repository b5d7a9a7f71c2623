package pathcount

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	nametab "github.com/parcours-go/parcours/internal/names"
)

// FlowOptions say which flow to count. The zero value counts the first 5
// steps of every path, keeping 10 steps per level.
type FlowOptions struct {
	// By says what the flow's nodes are: steps (the zero value), channels
	// or touchpoints. Read by channel or touchpoint, events with no channel
	// (touchpoint) are left out.
	By uint8
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
	// Top keeps every name. Top only shapes the output (Flow): counts of
	// any Top merge.
	Top int
}

const (
	defaultFlowDepth = 5
	defaultFlowTop   = 10
)

func (o FlowOptions) depth() int {
	if o.Depth <= 0 {
		return defaultFlowDepth
	}
	return o.Depth
}

// counting returns the options that shape the counts: Top cleared, Depth
// resolved.
func (o FlowOptions) counting() FlowOptions {
	o.Depth = o.depth()
	o.Top = 0
	return o
}

// Flow is a flow ready to draw as a sankey diagram: nodes in levels and
// weighted links between consecutive levels. Level 0 holds the anchor;
// levels 1, 2 … the events after it, or -1, -2 … the events before it.
// Node and link counts are customers, and they add up: the nodes of each
// level sum to Customers; the links out of a node sum to its count (but at
// the last level, which has none), and so do the links into it (but at the
// first). For that, a customer whose path ended sits at the (end) node of
// every later level, and in a backward flow a customer whose path had not
// begun sits at the (start) node of every earlier level.
//
// Nodes and links marshal to JSON as a D3 sankey layout reads them:
// {"level", "name", "kind", "value"} and {"source", "target", "value"},
// source and target being indexes in Nodes. For a Mermaid sankey, name
// each node by its level and name (levels keep the diagram acyclic).
type Flow struct {
	Customers int        `json:"customers"` // customers who entered the flow
	Nodes     []FlowNode `json:"nodes"`     // by level from left to right; in a level, by kind, then most customers first, then name
	Links     []FlowLink `json:"links"`     // by Source, then Target
}

// FlowNode is one node of a Flow.
type FlowNode struct {
	Level int      `json:"level"`
	Name  string   `json:"name"` // the step (channel, touchpoint), or "(other)", "(end)", "(start)"
	Kind  FlowKind `json:"kind"`
	Count int      `json:"value"`
}

// FlowLink is a link of a Flow, between nodes of consecutive levels, from
// the earlier to the later.
type FlowLink struct {
	Source int `json:"source"` // index in Flow.Nodes
	Target int `json:"target"` // index in Flow.Nodes
	Count  int `json:"value"`
}

// FlowKind says what a flow node stands for.
type FlowKind uint8

const (
	FlowName  FlowKind = iota // a step, channel or touchpoint, the node's Name
	FlowOther                 // "(other)": the names folded at this level
	FlowEnd                   // "(end)": paths that ended before this level; the anchor of a backward flow without one
	FlowStart                 // "(start)": paths that began after this level; the anchor of a forward flow without one
)

// The names of the special flow nodes.
const (
	otherName = "(other)"
	endName   = "(end)"
	startName = "(start)"
)

// ErrUnknownFlowKind is wrapped by the errors of FlowKind.UnmarshalText.
var ErrUnknownFlowKind = errors.New("unknown flow node kind")

var flowKindNames = [...]string{"name", "other", "end", "start"}

// String returns "name", "other", "end" or "start".
func (k FlowKind) String() string {
	if int(k) < len(flowKindNames) {
		return flowKindNames[k]
	}
	return "FlowKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (k FlowKind) MarshalText() ([]byte, error) {
	if int(k) >= len(flowKindNames) {
		return nil, fmt.Errorf("journey: cannot marshal %v", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what
// String returns, in any case.
func (k *FlowKind) UnmarshalText(text []byte) error {
	for i, s := range flowKindNames {
		if strings.EqualFold(string(text), s) {
			*k = FlowKind(i)
			return nil
		}
	}
	return fmt.Errorf("journey: %w %q (want name, other, end or start)", ErrUnknownFlowKind, text)
}

// Codes of the special nodes among name ids, which stay below them.
const (
	codeEnd   = math.MaxUint32
	codeStart = math.MaxUint32 - 1
	codeOther = math.MaxUint32 - 2
)

// flowKey is a link counted between the levels at distance j and j+1 from
// the anchor: near is the node at distance j, far the one at j+1.
type flowKey struct {
	j         uint32
	near, far uint32
}

// FlowCounts counts the links of a flow, exactly: names are folded into
// (other) only when Flow makes the output, so counts from logs of disjoint
// customers merge (Merge) into exactly the counts of the whole. It holds
// one count per distinct link, whatever the number of customers.
//
// Make one with CountFlows or NewFlowCounts. The zero value is empty: it
// takes the options of the first counts merged into it, or the zero
// FlowOptions on its first Add. A FlowCounts is not safe for concurrent use.
type FlowCounts struct {
	opt       FlowOptions // counting options
	set       bool        // whether opt is set
	tab       nametab.Table
	customers int
	reach     int // the most events any path has after (before) the anchor, at most Depth
	links     map[flowKey]int
}

// NewFlowCounts returns empty counts of the flow opt describes (opt.Top
// aside), for Add and Merge.
func NewFlowCounts(opt FlowOptions) *FlowCounts {
	return &FlowCounts{opt: opt.counting(), set: true, links: make(map[flowKey]int)}
}

// Options returns the options the counts were made with; Top is 0.
func (f *FlowCounts) Options() FlowOptions { return f.opt }

// Customers returns the number of customers who entered the flow.
func (f *FlowCounts) Customers() int { return f.customers }

func (f *FlowCounts) init() {
	if !f.set {
		f.opt, f.set = FlowOptions{}.counting(), true
	}
	if f.links == nil {
		f.links = make(map[flowKey]int)
	}
}

// Add counts n customers whose path, read as the options say, is path.
// It does nothing if n is not positive.
func (f *FlowCounts) Add(path []string, n int) {
	f.init()
	if n <= 0 {
		return
	}
	ids := make([]uint32, len(path))
	for i, s := range path {
		ids[i] = f.tab.ID(s)
	}
	anchor := uint32(codeStart)
	hasAnchor := f.opt.Anchor != ""
	if hasAnchor {
		anchor = f.tab.ID(f.opt.Anchor)
	}
	c := newFlowCounter(f.opt, 0)
	c.path(ids, anchor, hasAnchor, 0, false, n)
	f.absorb(c)
}

// Merge adds the counts of o to f. It returns an error, and adds nothing,
// if o counts another flow: another By, Anchor, direction or Depth.
func (f *FlowCounts) Merge(o *FlowCounts) error {
	if err := f.Check(o); err != nil {
		return err
	}
	if !o.set {
		return nil
	}
	if !f.set {
		f.opt, f.set = o.opt, true
	}
	if f.links == nil {
		f.links = make(map[flowKey]int, len(o.links))
	}
	if f.customers == 0 && len(f.links) == 0 {
		f.tab.Adopt(&o.tab)
	}
	trans := f.tab.Translate(&o.tab)
	tr := func(id uint32) uint32 {
		if trans == nil || id >= codeOther {
			return id
		}
		return trans[id]
	}
	for k, n := range o.links {
		f.links[flowKey{k.j, tr(k.near), tr(k.far)}] += n
	}
	f.customers += o.customers
	f.reach = max(f.reach, o.reach)
	return nil
}

// ErrIncompatible is wrapped by the errors of Merge for counts of
// different flows.
var ErrIncompatible = errors.New("incompatible counts")

// Check returns an error wrapping ErrIncompatible if o counts another
// flow than f: another By, Anchor, direction or Depth. Counts with no
// options yet (the zero value) merge with any.
func (f *FlowCounts) Check(o *FlowCounts) error {
	if f.set && o.set && f.opt != o.opt {
		return fmt.Errorf("journey: %w: cannot merge the counts of different flows: %+v and %+v", ErrIncompatible, f.opt, o.opt)
	}
	return nil
}

// CountFlows counts the flow opt describes (opt.Top aside) on workers
// goroutines (0 means runtime.GOMAXPROCS(0)), each over a contiguous share
// of the customers. The result does not depend on workers.
func CountFlows(l *View, opt FlowOptions, workers int) *FlowCounts {
	f := NewFlowCounts(opt)
	f.tab.Names = l.Names
	anchor, hasAnchor := uint32(codeStart), opt.Anchor != ""
	if hasAnchor {
		id, ok := l.Lookup(opt.Anchor)
		if !ok {
			return f
		}
		anchor = id
	}
	skip, hasSkip := l.Skip, l.HasSkip
	k := len(f.tab.Names)
	parts := shard(l, workers, func(lo, hi int) *flowCounter {
		c := newFlowCounter(f.opt, k)
		syms := l.Syms
		for b0 := lo; b0 < hi && !l.Done(); b0 += Block {
			for cust, end := b0, min(hi, b0+Block); cust < end; cust++ {
				a, b := l.Span(cust)
				c.path(syms[a:b], anchor, hasAnchor, skip, hasSkip, 1)
			}
		}
		return c
	})
	for _, c := range parts {
		f.absorb(c)
	}
	return f
}

// flowCounter counts the links of paths of symbol ids below k: the first
// levels in dense matrices (ids, then start and end, squared), deeper ones
// (or all, when k is large) in a map.
type flowCounter struct {
	depth     int
	backward  bool
	k         int // dense index of start; end is k+1
	maxDense  int // levels counted densely
	dense     [][]int
	sparse    map[flowKey]int
	customers int
	reach     int
}

// denseFlowCells bounds the dense counters of one flowCounter (2 MiB).
const denseFlowCells = 1 << 18

func newFlowCounter(opt FlowOptions, k int) *flowCounter {
	c := &flowCounter{depth: opt.depth(), backward: opt.Backward, k: k, sparse: make(map[flowKey]int)}
	if k > 0 && (k+2)*(k+2) <= denseFlowCells { // k is small: no overflow
		c.maxDense = min(c.depth, denseFlowCells/((k+2)*(k+2)))
	}
	return c
}

// cell returns the dense index of a node code.
func (c *flowCounter) cell(id uint32) int {
	switch id {
	case codeStart:
		return c.k
	case codeEnd:
		return c.k + 1
	}
	return int(id)
}

func (c *flowCounter) code(cell int) uint32 {
	switch cell {
	case c.k:
		return codeStart
	case c.k + 1:
		return codeEnd
	}
	return uint32(cell)
}

func (c *flowCounter) add(j int, near, far uint32, n int) {
	if j < c.maxDense {
		for len(c.dense) <= j {
			c.dense = append(c.dense, make([]int, (c.k+2)*(c.k+2)))
		}
		c.dense[j][c.cell(near)*(c.k+2)+c.cell(far)] += n
		return
	}
	c.sparse[flowKey{uint32(j), near, far}] += n
}

// path counts n customers on path (symbol ids; those equal to skip, if
// hasSkip, are left out).
func (c *flowCounter) path(syms []uint32, anchor uint32, hasAnchor bool, skip uint32, hasSkip bool, n int) {
	i, step, filler := 0, 1, uint32(codeEnd)
	if c.backward {
		i, step, filler = len(syms)-1, -1, codeStart
	}
	near := anchor
	if hasAnchor {
		at := -1
		for p, s := range syms {
			if s == anchor {
				at = p
				break
			}
		}
		if at < 0 {
			return
		}
		i = at + step
	} else if c.backward {
		near = codeEnd
	}
	c.customers += n
	j := 0
	for ; j < c.depth; j++ {
		for i >= 0 && i < len(syms) && hasSkip && syms[i] == skip {
			i += step
		}
		if i < 0 || i >= len(syms) {
			c.add(j, near, filler, n)
			break
		}
		c.add(j, near, syms[i], n)
		near = syms[i]
		i += step
	}
	c.reach = max(c.reach, j)
}

// absorb adds the counts of c, whose ids are f's, to f.
func (f *FlowCounts) absorb(c *flowCounter) {
	w := c.k + 2
	for j, m := range c.dense {
		for x, n := range m {
			if n != 0 {
				f.links[flowKey{uint32(j), c.code(x / w), c.code(x % w)}] += n
			}
		}
	}
	for k, n := range c.sparse {
		f.links[k] += n
	}
	f.customers += c.customers
	f.reach = max(f.reach, c.reach)
}

// Flow returns the flow, keeping at each level the top names with the
// most customers (ties by name) and folding the others into (other); top
// 0 means 10 and a negative top keeps every name. See Log.Flows for the
// shape of the flow. It takes O(e log e) time for e distinct links.
func (f *FlowCounts) Flow(top int) Flow {
	if f.customers == 0 {
		return Flow{}
	}
	if top == 0 {
		top = defaultFlowTop
	}
	levels := uint32(f.reach) // distances 0 … levels from the anchor
	filler, anchor := uint32(codeEnd), uint32(codeStart)
	if f.opt.Backward {
		filler, anchor = codeStart, codeEnd
	}
	type link struct {
		flowKey
		n int
	}
	links := make([]link, 0, len(f.links))
	for k, n := range f.links {
		if k.j == 0 {
			anchor = k.near
		}
		if k.j < levels {
			links = append(links, link{k, n})
		}
	}

	// The nodes: the anchor, then at distance d+1 the names the links at
	// j = d lead to, and the filler, where a path that ended stays.
	type node struct {
		d, code uint32
		count   int
		index   int // in the output
	}
	nodes := []node{{0, anchor, f.customers, 0}}
	slices.SortFunc(links, func(a, b link) int {
		if a.j != b.j {
			return cmp.Compare(a.j, b.j)
		}
		return cmp.Compare(a.far, b.far)
	})
	fill := make([]int, levels+1)
	for lo := 0; lo < len(links); {
		k, n := links[lo].flowKey, 0
		for ; lo < len(links) && links[lo].j == k.j && links[lo].far == k.far; lo++ {
			n += links[lo].n
		}
		if k.far == filler {
			fill[k.j+1] = n
		} else {
			nodes = append(nodes, node{k.j + 1, k.far, n, 0})
		}
	}
	for d := uint32(1); d <= levels; d++ {
		fill[d] += fill[d-1]
		if fill[d] > 0 {
			nodes = append(nodes, node{d, filler, fill[d], 0})
		}
	}

	// Order the nodes, level by level from the left, then fold each
	// level's names beyond the top into (other), which sorts after them.
	slices.SortFunc(nodes, func(a, b node) int {
		if a.d != b.d {
			if f.opt.Backward {
				return cmp.Compare(b.d, a.d)
			}
			return cmp.Compare(a.d, b.d)
		}
		if ka, kb := f.kind(a.code), f.kind(b.code); ka != kb {
			return cmp.Compare(ka, kb)
		}
		if a.count != b.count {
			return b.count - a.count
		}
		return cmp.Compare(f.name(a.code), f.name(b.code))
	})
	out := Flow{Customers: f.customers, Nodes: make([]FlowNode, 0, len(nodes))}
	for lo := 0; lo < len(nodes); {
		d := nodes[lo].d
		level := int(d)
		if f.opt.Backward {
			level = -level
		}
		other, names := -1, 0
		for ; lo < len(nodes) && nodes[lo].d == d; lo++ {
			nd := &nodes[lo]
			kind := f.kind(nd.code)
			if kind == FlowName {
				if top >= 0 && names >= top {
					if other < 0 {
						other = len(out.Nodes)
						out.Nodes = append(out.Nodes, FlowNode{Level: level, Name: otherName, Kind: FlowOther})
					}
					out.Nodes[other].Count += nd.count
					nd.index = other
					continue
				}
				names++
			}
			nd.index = len(out.Nodes)
			out.Nodes = append(out.Nodes, FlowNode{Level: level, Name: f.name(nd.code), Kind: kind, Count: nd.count})
		}
	}

	// The links between output nodes, found by binary search.
	slices.SortFunc(nodes, func(a, b node) int {
		if a.d != b.d {
			return cmp.Compare(a.d, b.d)
		}
		return cmp.Compare(a.code, b.code)
	})
	index := func(d, code uint32) int {
		i, _ := slices.BinarySearchFunc(nodes, node{d: d, code: code}, func(a, b node) int {
			if a.d != b.d {
				return cmp.Compare(a.d, b.d)
			}
			return cmp.Compare(a.code, b.code)
		})
		return nodes[i].index
	}
	out.Links = make([]FlowLink, 0, len(links)+int(levels))
	add := func(j, near, far uint32, n int) {
		a, b := index(j, near), index(j+1, far)
		if f.opt.Backward {
			a, b = b, a
		}
		out.Links = append(out.Links, FlowLink{Source: a, Target: b, Count: n})
	}
	for _, k := range links {
		add(k.j, k.near, k.far, k.n)
	}
	for j := uint32(1); j < levels; j++ {
		if fill[j] > 0 {
			add(j, filler, filler, fill[j])
		}
	}
	slices.SortFunc(out.Links, func(a, b FlowLink) int {
		if a.Source != b.Source {
			return a.Source - b.Source
		}
		return a.Target - b.Target
	})
	// Folding may have made several links one.
	merged := out.Links[:0]
	for _, k := range out.Links {
		if m := len(merged) - 1; m >= 0 && merged[m].Source == k.Source && merged[m].Target == k.Target {
			merged[m].Count += k.Count
			continue
		}
		merged = append(merged, k)
	}
	out.Links = merged
	if len(merged) == 0 {
		out.Links = nil
	}
	return out
}

func (f *FlowCounts) kind(code uint32) FlowKind {
	switch code {
	case codeOther:
		return FlowOther
	case codeEnd:
		return FlowEnd
	case codeStart:
		return FlowStart
	}
	return FlowName
}

func (f *FlowCounts) name(code uint32) string {
	switch code {
	case codeOther:
		return otherName
	case codeEnd:
		return endName
	case codeStart:
		return startName
	}
	return f.tab.Names[code]
}
