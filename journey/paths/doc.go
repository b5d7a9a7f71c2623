// Package paths tells how customers move through a journey, from an event
// log: the distinct routes they take (variants), with or without a goal at
// the end; which step directly follows which (the directly-follows graph
// of process mining); the flows out of or into a step, ready for a Sankey
// diagram; and the loops, where customers come back to a step.
//
//	l, _ := journey.NewLog(events)
//	v, err := paths.CountVariants(l, paths.Options{By: journey.ByChannel})
//	if err != nil {
//		return err
//	}
//	for _, r := range v.List()[:3] {
//		fmt.Println(r.Customers, strings.Join(r.Route, " > "))
//	}
//
// Every analysis is one function, CountX(log, …, Options), that returns an
// aggregate: counts that merge exactly (Merge) with the counts of another
// log of other customers, and that list their result (List, or Flow for
// flows). A log too large for one pass is split by customer, counted in
// parts and merged; a customer must not be split across parts, since each
// part sees only the events it holds. Options.Workers spreads one count
// over several goroutines, with the same result, and Options.Context stops
// a long count.
//
// Path analysis has its own package because it reads the log and nothing
// else: the journey graph (package journey/graph) and attribution read
// the same routes with models on top.
package paths
