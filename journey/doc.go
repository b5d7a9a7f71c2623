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
// purchase. A Map says so with [graph.Transition]s between steps, each with
// the share of customers that takes it:
//
//   - walks enter through the transitions from [graph.Start] (or, if there
//     are none, at the first step);
//   - a transition may lead to another step, to [graph.Exit] (the customer
//     leaves) or to [graph.Conversion];
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
// Package journey/graph holds the journey as an absorbing Markov chain and
// its analysis (absorption, friction, must-pass steps, routes). [Learn]
// learns one from the paths of a [Log], read as [LearnOptions] say, and
// [Log.CountTransitions] gives its mergeable counts; [Map.Graph] makes one
// from a designed journey, and [Map.Conformance] checks a log against the
// designed journey, as process mining checks a model: its fitness, the
// observed transitions the map does not foresee and the designed ones
// nobody takes.
//
// Learn reads each customer's path as LearnOptions say. With a Goal (or
// GoalSteps), the events before a path's first goal event are its states
// and the path then moves to Conversion; the goal event and what follows
// are not states, and a path with no goal event ends in Exit. With no goal,
// every path ends in Exit. An event whose step is Conversion or Exit, the
// markers a simulated log ends its paths with, ends its path there.
// Consecutive repeats of a state collapse unless KeepRepeats; at order k a
// state is a tuple of steps, as package graph describes.
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
