package render_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
)

// flowSummary writes a flow graph's nodes in order, each as its ID with
// its kind, group, goal and friction marks, and its edges.
func flowSummary(g render.FlowGraph) (nodes, edges []string) {
	kinds := map[render.NodeKind]string{render.StartNode: "start", render.ExitNode: "exit", render.ConversionNode: "conversion"}
	for _, n := range g.Nodes {
		s := n.Label
		if k, ok := kinds[n.Kind]; ok {
			s += " [" + k + "]"
		}
		if n.Group != "" {
			s += " in " + n.Group
		}
		if n.Goal {
			s += " goal"
		}
		if n.Friction {
			s += " friction(" + n.Note + ")"
		}
		nodes = append(nodes, s)
	}
	for _, e := range g.Edges {
		s := fmt.Sprintf("%s->%s %s", e.From, e.To, strings.TrimSpace(e.Label+" "+fmt.Sprintf("%.3f", e.Probability)))
		if e.Friction {
			s += " !"
		}
		edges = append(edges, s)
	}
	return nodes, edges
}

func TestGraphFlow(t *testing.T) {
	// A chain a -> b with no Start: drawn whole, b absorbing.
	var b graph.Builder
	b.Add("a", "b", 1)
	noStart, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		g            *graph.Graph
		opt          render.GraphFlowOptions
		nodes, edges []string
	}{
		{
			name:   "learned, defaults",
			reason: "Start first, steps in breadth-first order along the likeliest transitions, Conversion and Exit last; the three states losing most walks marked, their exits highlighted",
			g:      smallGraph(t, 1),
			nodes: []string{"Start [start]", "visit friction(exit 9.1%, loops 16.4%)", "ad", "product friction(exit 10%, loops 16.4%)", "search",
				"cart friction(exit 12.5%, loops 8.9%)", "Conversion [conversion]", "Exit [exit]"},
			edges: []string{
				"(start)->visit 0.700", "(start)->ad 0.300",
				"visit->product 0.636", "visit->search 0.273", "visit->(exit) 0.091 !",
				"ad->visit 0.667", "ad->product 0.333",
				"product->cart 0.800", "product->(exit) 0.100 !", "product->visit 0.100",
				"search->product 0.667", "search->(exit) 0.333",
				"cart->(conversion) 0.750", "cart->(exit) 0.125 !", "cart->visit 0.125",
			},
		},
		{
			name:   "unlikely transitions hidden, counts, no friction",
			reason: "under 50% only the likeliest transition of each state stays, and the states only hidden transitions reach (ad, search, Exit) are left out; counts follow the probabilities",
			g:      smallGraph(t, 1),
			opt:    render.GraphFlowOptions{MinProbability: 0.5, FrictionPoints: -1, Counts: true},
			nodes:  []string{"Start [start]", "visit", "product", "cart", "Conversion [conversion]"},
			edges: []string{
				"(start)->visit 70% · 7 0.700",
				"visit->product 63.6% · 7 0.636",
				"product->cart 80% · 8 0.800",
				"cart->(conversion) 75% · 6 0.750",
			},
		},
		{
			name:   "goal states",
			reason: "the states whose last part is a friction goal are marked as goals; one friction point, whose exit stays though under the threshold",
			g:      smallGraph(t, 1),
			opt:    render.GraphFlowOptions{Friction: graph.FrictionOptions{Goal: []string{"cart"}}, FrictionPoints: 1, MinProbability: 0.3},
			nodes:  []string{"Start [start]", "visit friction(exit 9.1%, loops 16.4%)", "ad", "product", "cart goal", "Conversion [conversion]", "Exit [exit]"},
			edges: []string{
				"(start)->visit 0.700", "(start)->ad 0.300",
				"visit->product 0.636", "visit->(exit) 0.091 !",
				"ad->visit 0.667", "ad->product 0.333",
				"product->cart 0.800",
				"cart->(conversion) 0.750",
			},
		},
		{
			name:   "no start",
			reason: "a graph without Start is drawn whole, with no friction ranking",
			g:      noStart,
			nodes:  []string{"a", "b"},
			edges:  []string{"a->b 1.000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fg := render.GraphFlow(tt.g, tt.opt)
			if err := fg.Validate(); err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			nodes, edges := flowSummary(fg)
			if diff := cmp.Diff(tt.nodes, nodes); diff != "" {
				t.Errorf("%s: nodes (-want +got):\n%s", tt.reason, diff)
			}
			if diff := cmp.Diff(tt.edges, edges); diff != "" {
				t.Errorf("%s: edges (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestGraphFlowKeepsTheGraph checks, on the shoe shop's designed graph and
// learned graphs of order 1 to 3, that with every transition drawn the
// flow graph is the journey graph: one node per state, the probabilities
// out of each transient state summing to 1, each edge the graph's own.
func TestGraphFlowKeepsTheGraph(t *testing.T) {
	m := shoeShop(t)
	designed, err := m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	graphs := map[string]*graph.Graph{"designed": designed}
	for k := 1; k <= 3; k++ {
		g, err := journey.Learn(shoeShopLog(t, m, 300), journey.LearnOptions{Order: k, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		graphs[fmt.Sprintf("learned order %d", k)] = g
	}
	for name, g := range graphs {
		fg := render.GraphFlow(g, render.GraphFlowOptions{Map: m})
		if err := fg.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(fg.Nodes) != g.NumStates() {
			t.Errorf("%s: %d nodes for %d states", name, len(fg.Nodes), g.NumStates())
		}
		out := map[string]float64{}
		for _, e := range fg.Edges {
			out[e.From] += e.Probability
			if p := g.Probability(e.From, e.To); p != e.Probability {
				t.Errorf("%s: edge %s -> %s has %v, the graph %v", name, e.From, e.To, e.Probability, p)
			}
		}
		groups := 0
		for _, n := range fg.Nodes {
			i, _ := g.Index(n.ID)
			if g.IsAbsorbing(i) {
				continue
			}
			if math.Abs(out[n.ID]-1) > 1e-9 {
				t.Errorf("%s: edges out of %s sum to %v", name, n.ID, out[n.ID])
			}
			if n.Group != "" {
				groups++
			}
			if n.Kind == render.StepNode && g.Order() > 1 && len(g.Parts(i)) > 1 && !strings.Contains(n.Label, " → ") {
				t.Errorf("%s: tuple state %s labelled %q", name, n.ID, n.Label)
			}
		}
		if groups == 0 || len(fg.Groups) != len(m.Stages) {
			t.Errorf("%s: %d nodes grouped in %d groups, want the %d stages", name, groups, len(fg.Groups), len(m.Stages))
		}
	}
}
