package journey

import (
	"github.com/parcours-go/parcours/internal/pathcount"
)

// Package journey/paths counts routes, directly-follows pairs, flows and
// loops; it reads a log's columns through pathcount.Of.
func init() {
	pathcount.Of = func(log any, by uint8, goal any) *pathcount.View {
		g, _ := goal.(func(Event) bool)
		return log.(*Log).pathView(By(by), g)
	}
}

// The path analyses below moved to package journey/paths, which returns
// mergeable aggregates with one spelling each; the names here stay for
// programs written before.

// Variant is a distinct route and the customers who took it.
//
// Deprecated: use paths.Variant.
type Variant = pathcount.Variant

// VariantCounts counts customers per route.
//
// Deprecated: use paths.Variants.
type VariantCounts = pathcount.VariantCounts

// GoalVariant is a distinct route towards a goal.
//
// Deprecated: use paths.GoalVariant.
type GoalVariant = pathcount.GoalVariant

// GoalVariantCounts counts customers per route towards a goal.
//
// Deprecated: use paths.GoalVariants.
type GoalVariantCounts = pathcount.GoalVariantCounts

// Edge is a directly-follows relation.
//
// Deprecated: use paths.Edge.
type Edge = pathcount.Edge

// FollowCounts counts directly-follows pairs.
//
// Deprecated: use paths.Follows.
type FollowCounts = pathcount.FollowCounts

// Loop says how often customers come back to one name.
//
// Deprecated: use paths.Loop.
type Loop = pathcount.Loop

// LoopCounts counts visits and repeats per name.
//
// Deprecated: use paths.Loops.
type LoopCounts = pathcount.LoopCounts

// Flow is a flow ready to draw as a Sankey diagram.
//
// Deprecated: use paths.Flow.
type Flow = pathcount.Flow

// FlowNode is one node of a Flow.
//
// Deprecated: use paths.FlowNode.
type FlowNode = pathcount.FlowNode

// FlowLink is a link of a Flow.
//
// Deprecated: use paths.FlowLink.
type FlowLink = pathcount.FlowLink

// FlowKind says what a flow node stands for.
//
// Deprecated: use paths.FlowKind.
type FlowKind = pathcount.FlowKind

// The kinds of flow nodes.
//
// Deprecated: use paths.FlowName, paths.FlowOther, paths.FlowEnd and
// paths.FlowStart.
const (
	FlowName  = pathcount.FlowName
	FlowOther = pathcount.FlowOther
	FlowEnd   = pathcount.FlowEnd
	FlowStart = pathcount.FlowStart
)

// ErrUnknownFlowKind is wrapped by the errors of FlowKind.UnmarshalText.
//
// Deprecated: use paths.ErrUnknownFlowKind.
var ErrUnknownFlowKind = pathcount.ErrUnknownFlowKind

// FlowCounts counts the links of a flow.
//
// Deprecated: use paths.Flows.
type FlowCounts = pathcount.FlowCounts

// FlowOptions say which flow to count.
//
// Deprecated: use paths.FlowOptions.
type FlowOptions struct {
	By       By
	Anchor   string
	Backward bool
	Depth    int
	Top      int
}

func (o FlowOptions) counting() pathcount.FlowOptions {
	o.By.valid()
	return pathcount.FlowOptions{By: uint8(o.By), Anchor: o.Anchor, Backward: o.Backward, Depth: o.Depth, Top: o.Top}
}

// NewFlowCounts returns empty counts of the flow opt describes.
//
// Deprecated: use paths.NewFlows.
func NewFlowCounts(opt FlowOptions) *FlowCounts { return pathcount.NewFlowCounts(opt.counting()) }

// Variants returns the distinct routes customers took, most customers first.
//
// Deprecated: use paths.CountVariants and its List method.
func (l *Log) Variants(by By) []Variant { return l.CountVariants(by, 1).Variants() }

// CountVariants counts the routes of the log's customers on workers
// goroutines.
//
// Deprecated: use paths.CountVariants.
func (l *Log) CountVariants(by By, workers int) *VariantCounts {
	return pathcount.CountVariants(l.pathView(by, nil), workers)
}

// GoalVariants returns the distinct routes customers took towards a goal.
//
// Deprecated: use paths.CountGoalVariants and its List method.
func (l *Log) GoalVariants(by By, goal func(Event) bool) []GoalVariant {
	return l.CountGoalVariants(by, goal, 1).Variants()
}

// CountGoalVariants counts the routes towards goal of the log's customers.
//
// Deprecated: use paths.CountGoalVariants.
func (l *Log) CountGoalVariants(by By, goal func(Event) bool, workers int) *GoalVariantCounts {
	return pathcount.CountGoalVariants(l.pathView(by, goal), workers)
}

// DirectlyFollows returns the directly-follows graph of process mining.
//
// Deprecated: use paths.CountFollows and its List method.
func (l *Log) DirectlyFollows(by By) []Edge { return l.CountFollows(by, 1).Edges() }

// CountFollows counts directly-follows pairs on workers goroutines.
//
// Deprecated: use paths.CountFollows.
func (l *Log) CountFollows(by By, workers int) *FollowCounts {
	return pathcount.CountFollows(l.pathView(by, nil), workers)
}

// Flows returns the flow from (or to) opt.Anchor.
//
// Deprecated: use paths.CountFlows and its Flow method.
func (l *Log) Flows(opt FlowOptions) Flow { return l.CountFlows(opt, 1).Flow(opt.Top) }

// CountFlows counts the flow opt describes on workers goroutines.
//
// Deprecated: use paths.CountFlows.
func (l *Log) CountFlows(opt FlowOptions, workers int) *FlowCounts {
	return pathcount.CountFlows(l.pathView(opt.By, nil), opt.counting(), workers)
}

// Loops returns, for each name customers visit, how often they repeat it.
//
// Deprecated: use paths.CountLoops and its List method.
func (l *Log) Loops(by By) []Loop { return l.CountLoops(by, 1).Loops() }

// CountLoops counts visits and repeats per name on workers goroutines.
//
// Deprecated: use paths.CountLoops.
func (l *Log) CountLoops(by By, workers int) *LoopCounts {
	return pathcount.CountLoops(l.pathView(by, nil), workers)
}
