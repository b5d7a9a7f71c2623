// Package graphcounts lets package journey fill a graph.Counts state by
// state from the symbol columns of a log, without graph exporting how it
// stores its counts: journey counts transitions on symbol ids, then names
// each distinct state once, where AddPath would read every event's
// strings.
//
// Package graph sets New when it is initialised; journey, which imports
// graph, calls it.
package graphcounts

// Filler adds states and transitions to the graph.Counts New returned.
// States are numbered by the Counts; a Filler is not safe for concurrent
// use.
type Filler interface {
	// End returns the state named name: Start or an end state such as
	// Conversion or Exit, which has no parts.
	End(name string) int32
	// Tuple returns the state whose parts are parts (steps, channels or
	// touchpoints, at most the order of the counts), creating it if new;
	// parts is copied.
	Tuple(parts []string) int32
	// Add adds n walks, finite and positive, to the transition from one
	// state to another.
	Add(from, to int32, n float64)
	// Spec records how the log was read (By, goal), so that Merge refuses
	// counts read otherwise.
	Spec(s string)
	// Customer adds a customer's id to the counts' sample of customers,
	// so that Merge detects shards that share one.
	Customer(id string)
	// Fail records err, such as a cancelled context's, for the Counts'
	// Graph to report (errors.Is finds it).
	Fail(err error)
}

// New returns an empty *graph.Counts of the given order (at least 1) that
// keeps repeats or not, and a Filler of it. Package graph sets it.
var New func(order int, keepRepeats bool) (counts any, f Filler)
