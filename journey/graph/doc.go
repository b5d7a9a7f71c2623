// Package graph models customer journeys as absorbing Markov chains and
// analyses them: how likely a walk from a state is to convert, how long it
// takes, where customers leave, loop or turn away from the purchase, which
// steps every buyer passes, and which routes carry the conversions.
//
// A [Graph] has one state per step (channel, touchpoint) of a journey, or
// per tuple of them at order k, plus [Start], where every walk begins, and
// the absorbing [Conversion] and [Exit]; each state's transitions carry
// the probability of moving there next. A Graph is learned from logs
// (journey.Learn counts the paths of a journey.Log into [Counts]), made
// from a designed journey (journey.Map.Graph), or built by hand with a
// [Builder] or from a route table with [Counts.AddPath]:
//
//	var c graph.Counts
//	c.AddPath([]string{"search", "product"}, graph.Conversion, 30)
//	c.AddPath([]string{"search", "product"}, graph.Exit, 70)
//	c.AddPath([]string{"ad", "product"}, graph.Conversion, 10)
//	c.AddPath([]string{"ad"}, graph.Exit, 90)
//	g, err := c.Graph()
//	if err != nil { … }
//	p := g.Absorption(graph.Start, graph.Conversion)      // 0.2
//	without := g.Remove("ad").Absorption(graph.Start, graph.Conversion)
//	effect := 1 - without/p                               // removal effect of ad: 0.091
//	worst := g.Friction(graph.FrictionOptions{Top: 1})[0] // ad: 0.45 of the walks leave there
//
// The chain is its own package because everything here works on states
// and probabilities alone: it does not need to know where they came from,
// so a learned graph, a designed one and a hand-built one are analysed
// alike, and the journey package (events, logs, maps) and the attribution
// models build on it without it depending on them.
//
// # Learned graphs
//
// [Counts] counts walks transition by transition: the mergeable aggregate
// of a learned graph (counts of disjoint customers merge into exactly the
// counts of the whole), whose Graph is the maximum-likelihood chain. At
// order k a state is a tuple: the windows of k consecutive steps of the
// path, Start moving straight to the first window with no padding, and a
// path shorter than k being one state holding the whole path; a window
// equal to the one before it is a repeat, collapsed unless KeepRepeats.
// These are the conventions of ChannelAttribution, so that Markov
// attribution over these graphs agrees with it. A tuple's name joins its
// parts with " > " (see [TupleName]); [Graph.Parts] gives the parts back
// and [PathStates] the states of a path.
//
// # Absorbing-chain analysis
//
// With Q the transitions among transient states and R those into absorbing
// states, the fundamental matrix N = (I − Q)⁻¹ holds the expected number of
// visits from each transient state to each other (J. G. Kemeny and J. L.
// Snell, Finite Markov Chains, 1960; C. M. Grinstead and J. L. Snell,
// Introduction to Probability, §11.2). [Graph.Absorption] is an entry of
// N·R, [Graph.ExpectedSteps] of N·1 and [Graph.ExpectedVisits] of N itself.
//
// They are solved exactly, never by simulation, and never by forming N:
// each figure is one sparse solve of (I − Q)x = b (or its transpose, for a
// row of N) over the strongly connected components of the transient states
// in reverse topological order, which gives the figure for every state at
// once. A component of one state costs a division; one of up to 256 states
// is solved by dense elimination in the subtraction-free form of Grassmann,
// Taksar and Heyman, whose figures are accurate to a few roundings relative
// to themselves, however small; a larger one by GMRES preconditioned by an
// incomplete LU factorisation, iterated until a bound on the error falls
// below 1e-10 of the largest figure of the vector (in practice about
// 1e-13), or solved densely if it has at most 3000 states and GMRES cannot
// reach that bound. Every figure agrees with a dense Gaussian-elimination
// solve to 1e-9 relative, as the tests check on random chains. Figures are
// computed on first use and cached in the immutable Graph. A chain whose
// walks leave a loop only with probabilities near the bottom of the
// float64 range (about 1e-300) has figures beyond its top: they come out
// as +Inf, or NaN.
//
// # Removal, friction and routes
//
// [Graph.Remove] deletes the states that contain given steps (channels,
// touchpoints), sending the walks that would enter them to Exit: the
// removal of Markov attribution (Anderl, Becker, von Wangenheim and
// Schumann, "Mapping the customer journey", IJRM 33(3), 2016), whose
// removal effect is the relative drop of Absorption(Start, Conversion).
// [Graph.AbsorbAt] stops walks at given steps, so that [Graph.Reach] gives
// the probability of reaching a step-shaped goal.
//
// [Graph.Friction] ranks states by the walks they lose: traffic (expected
// visits from Start) × exit probability, the rate at which walks loop back,
// and the goal probability lost against the best alternative the
// customers had where they chose the state. With the emotions of a
// journey map ([FrictionOptions].Emotions, ByPain) it ranks pain points,
// weighing emotion × traffic × drop-off, which journey-mapping tools have
// without traffic and analytics tools have traffic without.
// [Graph.MustPass] finds the steps every converting route goes through,
// [Graph.Loops] the loops, and [Graph.Routes] the most likely routes and
// those that carry most of the conversions.
package graph
