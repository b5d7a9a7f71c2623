package render_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
)

func TestSankeyOf(t *testing.T) {
	m := &journey.Map{Steps: []journey.Step{{ID: "a", Name: "Step A"}}}
	node := func(level int, name string, kind string, n int) paths.FlowNode {
		return paths.FlowNode{Level: level, Name: name, Kind: kind, Count: n}
	}
	forward := paths.Flow{
		Customers: 10,
		Nodes: []paths.FlowNode{
			node(0, "(start)", paths.FlowStart, 10),
			node(1, "a", paths.FlowName, 6), node(1, "b", paths.FlowName, 4),
			node(2, "a", paths.FlowName, 3), node(2, "(other)", paths.FlowOther, 2), node(2, "(end)", paths.FlowEnd, 5),
			node(3, "(end)", paths.FlowEnd, 10),
		},
		Links: []paths.FlowLink{
			{Source: 0, Target: 1, Count: 6}, {Source: 0, Target: 2, Count: 4},
			{Source: 1, Target: 3, Count: 3}, {Source: 1, Target: 5, Count: 3},
			{Source: 2, Target: 4, Count: 2}, {Source: 2, Target: 5, Count: 2}, {Source: 2, Target: 3, Count: 0},
			{Source: 3, Target: 6, Count: 3}, {Source: 4, Target: 6, Count: 2}, {Source: 5, Target: 6, Count: 5},
			{Source: 7, Target: 1, Count: 9},
		},
	}
	backward := paths.Flow{
		Customers: 4,
		Nodes: []paths.FlowNode{
			node(-2, "(start)", paths.FlowStart, 1), node(-2, "a", paths.FlowName, 3),
			node(-1, "(start)", paths.FlowStart, 1), node(-1, "b", paths.FlowName, 3),
			node(0, "a", paths.FlowName, 4),
		},
		Links: []paths.FlowLink{
			{Source: 0, Target: 2, Count: 1}, {Source: 1, Target: 3, Count: 3},
			{Source: 2, Target: 4, Count: 1}, {Source: 3, Target: 4, Count: 3},
		},
	}
	tests := []struct {
		name, reason string
		flow         paths.Flow
		opt          render.SankeyOptions
		want         []render.Flow
	}{
		{
			name: "forward", reason: "levels after the anchor are prefixed; the map names steps; (other) kept; every ended path into one (end), (end) to (end) dropped; empty and broken links left out",
			flow: forward, opt: render.SankeyOptions{Map: m},
			want: []render.Flow{
				{"(start)", "+1 Step A", 6}, {"(start)", "+1 b", 4},
				{"+1 Step A", "+2 Step A", 3}, {"+1 Step A", "(end)", 3},
				{"+1 b", "+2 (other)", 2}, {"+1 b", "(end)", 2},
				{"+2 Step A", "(end)", 3}, {"+2 (other)", "(end)", 2},
			},
		},
		{
			name: "backward", reason: "levels before the anchor are negative; the anchor keeps its name; paths not yet begun come from one (start)",
			flow: backward,
			want: []render.Flow{{"-2 a", "-1 b", 3}, {"(start)", "a", 1}, {"-1 b", "a", 3}},
		},
		{
			name: "empty", reason: "no link, no flow",
			flow: paths.Flow{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render.SankeyOf(tt.flow, tt.opt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestSankeyFlowsDraw checks that Mermaid's sankey takes the path flows of
// a journey that loops (every step shows at several levels), forward and
// backward, with and without an anchor, every name kept or folded: no
// cycle, no name clash.
func TestSankeyFlowsDraw(t *testing.T) {
	m := shoeShop(t)
	l := shoeShopLog(t, m, 500)
	for _, anchor := range []string{"", "browses-eshop", "calls-hotline"} {
		for _, backward := range []bool{false, true} {
			for _, top := range []int{-1, 3} {
				opt := paths.FlowOptions{Anchor: anchor, Backward: backward, Depth: 8, Top: top}
				f, err := paths.CountFlows(l, opt, paths.Options{})
				if err != nil {
					t.Fatal(err)
				}
				flows := render.SankeyOf(f.Flow(top), render.SankeyOptions{Map: m})
				// The deprecated SankeyFlows of journey's Flows draws the same.
				old := render.SankeyFlows(l.Flows(journey.FlowOptions{Anchor: anchor, Backward: backward, Depth: 8, Top: top}), render.SankeyOptions{Map: m})
				if diff := cmp.Diff(flows, old); diff != "" {
					t.Errorf("%+v: SankeyOf and SankeyFlows differ (-new +old):\n%s", opt, diff)
				}
				if len(flows) == 0 {
					t.Errorf("%+v: no flow", opt)
					continue
				}
				if err := render.MermaidSankey(new(bytes.Buffer), flows); err != nil {
					t.Errorf("%+v: %v", opt, err)
				}
				// Each customer is drawn once: what leaves the sources
				// is what enters the sinks.
				in, out := map[string]float64{}, map[string]float64{}
				for _, f := range flows {
					out[f.Source] += f.Value
					in[f.Target] += f.Value
				}
				var sources, sinks float64
				for n, v := range out {
					if in[n] == 0 {
						sources += v
					}
				}
				for n, v := range in {
					if out[n] == 0 {
						sinks += v
					}
				}
				if sources != sinks || sources == 0 {
					t.Errorf("%+v: %v customers leave the sources, %v reach the sinks", opt, sources, sinks)
				}
			}
		}
	}
}
