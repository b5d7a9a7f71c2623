package render

import (
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
)

// The path analyses moved from journey.Log's methods to package
// journey/paths; these take what the methods returned.

// SankeyFlows returns the links of a path flow as Sankey flows.
//
// Deprecated: use SankeyOf with a paths.Flow.
func SankeyFlows(f journey.Flow, opt SankeyOptions) []Flow { return SankeyOf(flowOf(f), opt) }

// RoutesSection returns the report section of the routes customers took.
//
// Deprecated: use TopRoutesSection with paths.Variant and
// paths.GoalVariant lists.
func RoutesSection(variants []journey.Variant, goals []journey.GoalVariant, opt SectionOptions) Section {
	return TopRoutesSection(variantsOf(variants), goalVariantsOf(goals), opt)
}

// variantsOf converts the deprecated journey.Variant list.
func variantsOf(vs []journey.Variant) []paths.Variant {
	out := make([]paths.Variant, len(vs))
	for i, v := range vs {
		out[i] = paths.Variant(v)
	}
	return out
}

// goalVariantsOf converts the deprecated journey.GoalVariant list.
func goalVariantsOf(vs []journey.GoalVariant) []paths.GoalVariant {
	out := make([]paths.GoalVariant, len(vs))
	for i, v := range vs {
		out[i] = paths.GoalVariant(v)
	}
	return out
}

// flowOf converts the deprecated journey.Flow.
func flowOf(f journey.Flow) paths.Flow {
	out := paths.Flow{Customers: f.Customers, Nodes: make([]paths.FlowNode, len(f.Nodes)), Links: make([]paths.FlowLink, len(f.Links))}
	for i, n := range f.Nodes {
		out.Nodes[i] = paths.FlowNode{Level: n.Level, Name: n.Name, Kind: n.Kind.String(), Count: n.Count}
	}
	for i, l := range f.Links {
		out.Links[i] = paths.FlowLink(l)
	}
	return out
}
