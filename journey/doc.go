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
// [ReadCSV] and [ReadJSONL] read a [Log] from an export of events; both
// stream, holding one row at a time (at most [ReadOptions].MaxRowBytes, 1
// MiB by default) besides the log being built, so a 10 MB line is a clear
// error, not a memory blow-up. [WriteCSV] and [WriteJSONL] write a log so
// that reading it back gives an identical log; [WriteCSVSeq] and
// [WriteJSONLSeq] write a sequence of events without building a log.
//
// A CSV file (RFC 4180) starts with a header row naming its columns, in
// any order: customer, time, step, channel, touchpoint and value, matched
// ignoring case and renamed with [ReadOptions].Columns ("user_id" for the
// customer). Customer, time and step are required; every other column is a
// property, named by its header, unless [ReadOptions].Extra says to drop or
// reject such columns; a column with an empty name (a row index) is
// ignored. An empty cell means the property is absent, so CSV cannot hold
// a property set to the empty string (WriteCSV refuses to write one). An
// empty value cell means 0. Fields are separated by [ReadOptions].Comma
// (',' by default); a field in double quotes may hold separators, line
// breaks and doubled quotes, and is kept byte for byte; rows end with
// "\n" or "\r\n"; blank lines and a UTF-8 byte order mark at the start
// are skipped. Cells are not trimmed. Every row has as many fields as the
// header.
//
// A JSON Lines file has one object per line (blank lines are skipped):
//
//	{"customer":"c1","time":"2025-03-01T09:30:00Z","step":"cart","channel":"web","touchpoint":"web-cart","value":12.5,"props":{"device":"app"}}
//
// Keys match exactly and may be renamed like CSV columns. Customer, step,
// channel and touchpoint are strings (a number stands for its text, so
// numeric customer ids work); value is a number or a string holding one;
// null means absent. Keys that are not fields go into the properties by
// default, as CSV's extra columns do — exports often carry fields of
// their own — and [ReadOptions].Extra can drop them or reject them with
// [ErrUnknownKey]. Property values that are numbers or booleans are kept
// as their JSON text, objects and arrays as compact JSON. The JSON is
// strict: a key given twice, a trailing comma or data after the object is
// a bad line.
//
// Times follow [ReadOptions].Time. The default, [TimeAuto], accepts RFC
// 3339 text, with or without fractional seconds, and decimal numbers as
// Unix seconds (a JSON number or a string of digits): numbers are never
// guessed to be milliseconds, and a number too large for seconds is an
// error that suggests [TimeUnixMilli]. [TimeUnixMilli], [TimeUnixMicro]
// and [TimeUnixNano] read other units, exactly (no float rounding); and
// [TimeLayout] reads a Go time layout, in [ReadOptions].Location when the
// layout has no zone. Writers write RFC 3339 in UTC to the nanosecond and
// values as the shortest decimal that reads back exactly.
//
// Text must be valid UTF-8: a reader rejects a row that is not (naming
// its line and column) rather than altering it, and a writer refuses to
// write such a string, so that what is read is what was written. Rows out
// of time order are accepted and sorted; duplicate rows are kept as
// duplicate events; empty input, or a header alone, is an empty log.
//
// Errors name the line and the column of the problem and wrap a sentinel
// for errors.Is — [ErrMissingCustomer], [ErrMissingTime],
// [ErrMissingStep], [ErrBadTime], [ErrBadValue], [ErrMalformed],
// [ErrInvalidUTF8], [ErrRowTooLong], [ErrUnknownKey], [ErrBadHeader]:
//
//	journey: csv: line 12, column 3 (time): cannot parse "yesterday" as a time (want RFC 3339 or Unix seconds)
//
// A reader stops at the first bad row and returns its [*RowError], unless
// [ReadOptions].BadRow is set: it is called with each bad row, which is
// skipped if it returns nil. To collect the first 20 problems, for
// instance:
//
//	var bad []error
//	opt := journey.ReadOptions{BadRow: func(e *journey.RowError) error {
//		if bad = append(bad, e); len(bad) == 20 {
//			return errors.Join(bad...)
//		}
//		return nil
//	}}
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
