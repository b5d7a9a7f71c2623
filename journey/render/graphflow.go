package render

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
)

// GraphFlowOptions configures GraphFlow. The zero value draws every
// transition, names states as the graph does, and marks the three states
// that lose the most customers on the way to Conversion.
type GraphFlowOptions struct {
	// Title is the picture's title; empty for none.
	Title string
	// Map, if set, names the states' steps with their names in the map,
	// groups the states by the stage of their (last) step, and marks the
	// steps that achieve Conversion as goals. Nil draws the states'
	// names, ungrouped.
	Map *journey.Map
	// MinProbability hides the transitions less likely than it, except
	// the most likely one out of each state, so that every state keeps a
	// way on, and the transitions into Exit from friction points. Zero
	// draws every transition of positive probability.
	MinProbability float64
	// Friction says what friction is measured against: its Goal (nil
	// means Conversion) and Emotions. The states whose last part is a
	// Goal are marked as goals. Its Top is not used: FrictionPoints is.
	Friction graph.FrictionOptions
	// FrictionPoints is the number of friction points marked: the first
	// states of the graph's friction ranking ([graph.Graph.Friction])
	// that lose customers. 0 means 3; a negative number marks none.
	FrictionPoints int
	// Counts labels each transition with its weight after its
	// probability ("45% · 1,204"): for a learned graph, the number of
	// times customers took it. By default the label is the probability.
	Counts bool
}

// GraphFlow returns the flow graph of the journey graph g, for
// MermaidFlowchart and DOT: a node per state and an edge per transition
// drawn (see GraphFlowOptions.MinProbability), labelled with its
// probability. The states that no transition drawn leads to from Start
// are left out; a graph without Start is drawn whole.
//
// Node IDs are the state names. Start, Exit and Conversion are drawn as
// such; the other states are steps (channels, touchpoints), labelled with
// their parts joined by arrows at order k > 1 ("Web → Email": the state
// of a customer whose last two steps were Web, then Email), with their
// names in opt.Map where it has them. The friction points are the first
// opt.FrictionPoints states of g.Friction(opt.Friction) that have
// customers leaving or giving up a better route: they are marked, with a
// note of their exit rate ("exit 35%") and loop rate ("loops 12%") if
// any, and their transition into Exit is highlighted.
//
// Nodes come in an order that the layouts follow: Start, then the steps
// in the order a breadth-first walk from Start meets them along the most
// likely transitions first (with a Map, in the map's order of their last
// step), then Conversion and Exit. Edges come by source node, most likely
// first. With a Map, the groups are the map's stages that hold a node.
//
// The result always passes FlowGraph.Validate. It costs what
// g.Friction costs for opt.FrictionPoints states, plus O(n + m log m) for
// n states and m transitions. GraphFlow panics if g is nil.
func GraphFlow(g *graph.Graph, opt GraphFlowOptions) FlowGraph {
	n := g.NumStates()
	start, hasStart := g.Index(graph.Start)

	// The friction points, and what their notes say.
	friction := make(map[int]string)
	if top := cmp.Or(opt.FrictionPoints, 3); top > 0 {
		// The ranking puts the states that lose nothing last: the first
		// top of it hold every friction point to mark.
		fo := opt.Friction
		fo.Top = top
		for _, f := range g.Friction(fo) {
			if f.Leaving <= 0 && f.Lost <= 0 {
				break
			}
			i, _ := g.Index(f.State)
			friction[i] = frictionNote(f)
		}
	}
	exit, hasExit := g.Index(graph.Exit)

	// The transitions shown.
	type arc struct {
		from, to int
		p        float64
	}
	out := make([][]arc, n)
	for i := range n {
		var row []arc
		for j, p := range g.Successors(i) {
			if p > 0 {
				row = append(row, arc{i, j, p})
			}
		}
		slices.SortStableFunc(row, func(a, b arc) int { return cmp.Compare(b.p, a.p) })
		kept := row[:0]
		for k, a := range row {
			_, fr := friction[i]
			if k == 0 || a.p >= opt.MinProbability || (fr && hasExit && a.to == exit) {
				kept = append(kept, a)
			}
		}
		out[i] = kept
	}

	// Breadth-first order from Start; the states it does not reach are
	// left out, unless the graph has no Start.
	rank := make([]int, n)
	for i := range rank {
		rank[i] = -1
	}
	next := 0
	if hasStart {
		rank[start] = 0
		next = 1
		queue := []int{start}
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			for _, a := range out[i] {
				if rank[a.to] < 0 {
					rank[a.to] = next
					next++
					queue = append(queue, a.to)
				}
			}
		}
	} else {
		for i := range rank {
			rank[i] = i
		}
	}

	stageOf := map[string]string{}
	stepIndex := map[string]int{}
	if opt.Map != nil {
		for i, s := range opt.Map.Steps {
			if _, ok := stepIndex[s.ID]; !ok {
				stepIndex[s.ID] = i
				stageOf[s.ID] = s.Stage
			}
		}
	}
	goalNames := make(map[string]bool, len(opt.Friction.Goal))
	for _, s := range opt.Friction.Goal {
		goalNames[s] = true
	}

	fg := FlowGraph{Title: opt.Title}
	type placed struct {
		i    int
		node Node
		key  int // map order of the last step, or len(map steps)
	}
	var nodes []placed
	usedStages := map[string]bool{}
	for i := range n {
		if rank[i] < 0 {
			continue
		}
		name := g.State(i)
		nd := Node{ID: name}
		switch name {
		case graph.Start:
			nd.Label, nd.Kind = "Start", StartNode
		case graph.Exit:
			nd.Label, nd.Kind = "Exit", ExitNode
		case graph.Conversion:
			nd.Label, nd.Kind = "Conversion", ConversionNode
		}
		key := math.MaxInt
		if nd.Kind == StepNode {
			parts := g.Parts(i)
			labels := make([]string, len(parts))
			for k, p := range parts {
				labels[k] = p
				if opt.Map != nil {
					if s, ok := opt.Map.Step(p); ok {
						labels[k] = stepName(s)
					}
				}
			}
			nd.Label = strings.Join(labels, " → ")
			last := parts[len(parts)-1]
			if k, ok := stepIndex[last]; ok {
				key = k
				if s, ok := opt.Map.Step(last); ok && s.HasGoal(objectives.Conversion) {
					nd.Goal = true
				}
				if st := stageOf[last]; st != "" {
					if _, ok := opt.Map.Stage(st); ok {
						nd.Group = st
						usedStages[st] = true
					}
				}
			}
			if goalNames[last] {
				nd.Goal = true
			}
			if note, ok := friction[i]; ok {
				nd.Friction, nd.Note = true, note
			}
		}
		nodes = append(nodes, placed{i, nd, key})
	}
	kindRank := func(k NodeKind) int {
		switch k {
		case StartNode:
			return 0
		case StepNode:
			return 1
		case ConversionNode:
			return 2
		}
		return 3
	}
	slices.SortFunc(nodes, func(a, b placed) int {
		return cmp.Or(
			cmp.Compare(kindRank(a.node.Kind), kindRank(b.node.Kind)),
			cmp.Compare(a.key, b.key),
			cmp.Compare(rank[a.i], rank[b.i]),
		)
	})
	if opt.Map != nil {
		seen := map[string]bool{}
		for _, st := range opt.Map.Stages {
			if usedStages[st.ID] && !seen[st.ID] {
				seen[st.ID] = true
				fg.Groups = append(fg.Groups, Group{ID: st.ID, Label: stageName(st)})
			}
		}
	}
	for _, p := range nodes {
		fg.Nodes = append(fg.Nodes, p.node)
	}
	for _, p := range nodes {
		for _, a := range out[p.i] {
			e := Edge{From: g.State(a.from), To: g.State(a.to), Probability: a.p}
			if opt.Counts {
				e.Label = percent(a.p) + " · " + amount(g.Weight(e.From, e.To))
			}
			if _, fr := friction[a.from]; fr && hasExit && a.to == exit {
				e.Friction = true
			}
			fg.Edges = append(fg.Edges, e)
		}
	}
	return fg
}

// frictionNote says how a friction point holds customers back: its exit
// rate and its loop rate, or, for a state few leave from, the goal
// probability its customers give up against their best alternative.
func frictionNote(f graph.Friction) string {
	var parts []string
	if f.Exit > 0 {
		parts = append(parts, "exit "+percent(f.Exit))
	}
	if f.LoopRate >= 0.005 {
		parts = append(parts, "loops "+percent(f.LoopRate))
	}
	if len(parts) == 0 {
		parts = append(parts, "detour: −"+strings.TrimSuffix(percent(f.Drop), "%")+" pts to goal")
	}
	return strings.Join(parts, ", ")
}

// amount writes a weight: a whole number with thousands separators
// ("1,204"), anything else with three significant digits.
func amount(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(int64(v))
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
