package journey

import "github.com/parcours-go/parcours/journey/graph"

// The journey graph and its analysis live in package journey/graph; these
// names keep programs written against their first home compiling.

// Graph is a journey graph.
//
// Deprecated: use graph.Graph.
type Graph = graph.Graph

// GraphBuilder accumulates weighted transitions and builds a Graph.
//
// Deprecated: use graph.Builder.
type GraphBuilder = graph.Builder

// TransitionCounts counts the transitions of an order-k journey graph.
// Its Merge now returns an error where it used to panic.
//
// Deprecated: use graph.Counts.
type TransitionCounts = graph.Counts

// Transition is a move from one state to another with its probability.
//
// Deprecated: use graph.Transition.
type Transition = graph.Transition

// Friction describes how a state of a journey graph holds customers back.
//
// Deprecated: use graph.Friction.
type Friction = graph.Friction

// FrictionOptions say what Graph.Friction measures against.
//
// Deprecated: use graph.FrictionOptions.
type FrictionOptions = graph.FrictionOptions

// Route is a walk through a journey graph.
//
// Deprecated: use graph.Route.
type Route = graph.Route

// RouteOptions say which routes Graph.Routes returns.
//
// Deprecated: use graph.RouteOptions.
type RouteOptions = graph.RouteOptions

// Start is the state where every walk begins.
//
// Deprecated: use graph.Start.
const Start = graph.Start

// Conversion is the absorbing state of walks that reached the goal.
//
// Deprecated: use graph.Conversion.
const Conversion = graph.Conversion

// Exit is the absorbing state of walks that left.
//
// Deprecated: use graph.Exit.
const Exit = graph.Exit

// ErrEmptyGraph is wrapped when a graph would have no transition.
//
// Deprecated: use graph.ErrEmptyGraph.
var ErrEmptyGraph = graph.ErrEmptyGraph

// ErrBadWeight is wrapped for a bad weight or count.
//
// Deprecated: use graph.ErrBadWeight.
var ErrBadWeight = graph.ErrBadWeight

// ErrEndState is wrapped for a transition out of an end state or a bad
// path end.
//
// Deprecated: use graph.ErrEndState.
var ErrEndState = graph.ErrEndState

// TupleName returns the name of the state whose parts are parts.
//
// Deprecated: use graph.TupleName.
func TupleName(parts ...string) string { return graph.TupleName(parts...) }

// PathStates returns the names of the states a path visits in a graph of
// the given order.
//
// Deprecated: use graph.PathStates.
func PathStates(path []string, order int, keepRepeats bool) []string {
	return graph.PathStates(path, order, keepRepeats)
}
