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
package journey
