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
package journey
