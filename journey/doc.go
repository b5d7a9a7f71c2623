// Package journey models customer journeys: the journey a company designs
// (a Map of stages, steps, touchpoints and routes) and, in later parts of
// the package, the journeys customers really take, read from event logs.
//
// # The designed journey
//
// A [Map] is the company's own, concrete version of the funnel: ordered
// [Stage]s, and in each the [Step]s customers go through ("visits the site",
// "adds to cart", "calls the hotline"). A journey is not linear: customers
// take different routes, loop back, skip steps, and several routes lead to
// purchase. A Map says so with [Transition]s between steps, each with the
// share of customers that takes it:
//
//   - walks enter through the transitions from [Start] (or, if there are
//     none, at the first step);
//   - a transition may lead to another step, to [Exit] (the customer leaves)
//     or to [Conversion];
//   - transitions whose probability is not given (zero) share equally what
//     the given ones leave of 1; if all are given and sum to less than 1, the
//     rest of the customers leave. [Map.Next] returns the routes out of a
//     step with these rules applied.
//
// Each step lists the touchpoints available there (the contact map, by id
// in the Map's touchpoint.Catalog), the objectives reaching it achieves
// (its goals: checkout achieves Conversion), its pains and opportunities,
// and the customers' emotion there. The Map also carries the personas it
// is designed for, with their empathy maps, and the rules that assign
// customers to them.
//
// # Validation
//
// [Map.Validate] reports every problem at once, each with the path to the
// bad field and wrapping a sentinel error such as [ErrUnknownStep]:
//
//	map "shoes": steps[3] "checkout": touchpoints[0]: unknown touchpoint "basket"
//	map "shoes": transitions from "browse": probabilities sum to 1.05, more than 1
//	map "shoes": steps[16] "dead-end": unreachable: no route from (start) leads here
//
// Besides references and probabilities it checks that every step can be
// reached and that from every step some route leaves the journey.
//
// # JSON
//
// [ReadMap] reads a Map from JSON and validates it. The document is an
// object with name, description, stages ({id, name, description}), steps
// ({id, name, stage, direction, touchpoints, goals, pains, opportunities,
// emotion}), transitions ({from, to, probability}), catalog (see package
// touchpoint), personas and rules (see package persona). Decoding is strict:
// every unknown field and every value of the wrong type is reported with its
// path, such as steps[3].goals[0].
//
// # Journey graphs
//
// A [Graph] is a journey as an absorbing Markov chain: its states are steps
// (or channels, or touchpoints), plus [Start], where every walk begins, and
// the absorbing [Conversion] and [Exit]; each state's transitions carry the
// probability of moving there next. A [GraphBuilder] makes one from
// weighted transitions, [Learn] from the paths of a [Log] (each state's
// observed next states, counted: the maximum-likelihood chain), and
// [Map.Graph] from a designed journey. [TransitionCounts] is Learn's
// mergeable aggregate: counts from logs of disjoint customers merge into
// exactly the counts of the whole, and its AddPath reads route tables.
//
// Learn reads each customer's path as [LearnOptions] say. With a Goal (or
// GoalSteps), the events before a path's first goal event are its states
// and the path then moves to Conversion; the goal event and what follows
// are not states, and a path with no goal event ends in Exit. With no goal,
// every path ends in Exit. An event whose step is Conversion or Exit, the
// markers a simulated log ends its paths with, ends its path there. Consecutive repeats of a state collapse unless
// KeepRepeats. At order k a state is a tuple: the windows of k consecutive
// steps of the path, Start moving straight to the first window with no
// padding, and a path shorter than k being one state holding the whole
// path; a window equal to the one before it is a repeat. These are the
// conventions of ChannelAttribution, so that Markov attribution over these
// graphs agrees with it. A tuple's name joins its parts with " > " (see
// [TupleName]); [Graph.Parts] gives the parts back.
//
// # Absorbing-chain analysis
//
// With Q the transitions among transient states and R those into absorbing
// states, the fundamental matrix N = (I − Q)⁻¹ holds the expected number of
// visits from each transient state to each other (J. G. Kemeny and J. L.
// Snell, Finite Markov Chains, 1960; C. M. Grinstead and J. L. Snell,
// Introduction to Probability, §11.2). [Graph.Absorption] is an entry of
// N·R, [Graph.ExpectedSteps] of N·1 and [Graph.ExpectedVisits] of N itself;
// their vector forms serve algorithms that need a whole column or row.
//
// They are solved exactly, never by simulation, and never by forming N:
// each figure is one sparse solve of (I − Q)x = b (or its transpose, for a
// row of N) over the strongly connected components of the transient states
// in reverse topological order. A component of one state costs a
// division; one of up to 256 states is solved by dense elimination in the
// subtraction-free form of Grassmann, Taksar and Heyman, whose figures are
// accurate to a few roundings relative to themselves, however small; a
// larger one by GMRES preconditioned by an incomplete LU factorisation,
// iterated until a bound on the error falls below 1e-10 of the largest
// figure of the vector (in practice about 1e-13), or solved densely if it
// has at most 3000 states and GMRES cannot reach that bound. Every figure
// agrees with a dense Gaussian-elimination solve to 1e-9 relative, as the
// tests check on random chains. Figures are computed on first use and
// cached in the immutable Graph. A chain whose walks leave a loop only
// with probabilities near the bottom of the float64 range (about 1e-300)
// has figures beyond its top: they come out as +Inf, or NaN.
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
// customers had where they chose the state. [Graph.PainPoints] weighs in
// the emotions of a Map ([Map.Emotions]), which journey-mapping tools have
// without traffic and analytics tools have traffic without. [Graph.MustPass]
// and [Graph.Dominators] find the steps every converting route goes
// through, [Graph.Loops] the loops, [Graph.Routes] the most likely routes
// and those that carry most of the conversions, and [Map.Conformance]
// checks a log against the designed journey, as process mining checks a
// model: its fitness, the observed transitions the map does not foresee and
// the designed ones nobody takes.
package journey
