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
// # Reading and writing events
//
// Package journey/eventio reads a [Log] from CSV and JSON Lines exports
// (plain or gzip-compressed) and writes it back. The readers and writers
// that used to live here (ReadCSV, ReadJSONL, WriteCSV, WriteJSONL and
// their options) remain as deprecated forwarders to the same engine.
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
//
// # Path analysis
//
// A [Log] holds the journeys customers really took: one path per customer,
// its events in time order. The path analyses read a path by step (the
// default), channel or touchpoint ([By]); read by channel or touchpoint,
// events with no channel (touchpoint) are left out. Each count-based
// analysis comes three ways, as Variants does: a method that answers
// ([Log.Variants]), a parallel count over a number of workers whose answer
// does not depend on it ([Log.CountVariants]), and the count itself
// ([VariantCounts]), whose Merge folds in the counts of a log of other
// customers and gives exactly the answer of the whole, whatever the split
// and the order of the merges.
//
// Journeys inside a history. [Log.Split] breaks each customer's history
// into journeys, at a gap longer than [SplitOptions].Gap and after each
// goal event: the goal event is the last event of its journey. Each
// journey becomes its own path, keyed by the customer id, a separator and
// the journey's number from 1 (alice#1, alice#2; [SplitCustomer] reads a
// key back), so every analysis below counts journeys when run on the
// split log and customers otherwise.
//
// Variants. [Log.Variants] counts customers per distinct route.
// [Log.GoalVariants] takes a goal (a func(Event) bool): a customer's route
// is its path before its first goal event, it converted if it has one,
// and its duration runs from its first event to that goal event, or to
// its last event if it has none. Each route gets its customers, its
// conversions and rate, and the exact median duration of all its
// customers and of its converted ones. This is the reading of paths that
// the Markov graph and attribution use: the states visited before
// converting.
//
// Directly follows. [Log.DirectlyFollows] counts each pair of consecutive
// names in a path: the directly-follows graph of process mining.
//
// Flows. [Log.Flows] shows what customers do after (or before) a step,
// level by level, as Amplitude's Pathfinder, Mixpanel's Flows and
// PostHog's Paths do, in a shape any sankey renderer draws ([Flow]). A
// path enters at its first event with the anchor name, or with no anchor
// at a (start) node before its first event (backward: an (end) node after
// its last). Level k holds the k-th event after the anchor (-k: before
// it). Each level keeps its Top names and folds the others into (other);
// a path that ended sits at (end) at every later level, and backward, a
// path not yet begun sits at (start). So no customer is lost: each
// level's nodes sum to the customers who entered, and the links out of
// (into) every node sum to its count. [FlowCounts] holds exact counts;
// names are folded only when the Flow is made.
//
// Loops. [Log.Loops] counts, for each name, its visits, the customers who
// visit it, those who visit it more than once, the self-loops (a, a) and
// the returns after other names (a, b, …, a), with Visits = Customers +
// SelfLoops + Returns; [LoopCounts] also gives the share of customers who
// repeat some name ([LoopCounts.LoopRate]).
//
// Cleaning. [Log.Clean] returns a new log in which names are renamed
// (exactly, or by regular expressions matched against the whole name, so
// several steps become one), some are dropped, and consecutive repeats
// are collapsed to their first event, in that order; Keep protects events
// such as purchases from removal. Split and Clean return logs that share
// the original's names and, where they can, its event columns, so every
// analysis runs on the cleaned or split log at the cost of one pass.
package journey
