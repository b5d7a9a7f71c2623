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
// # Partial results on several machines
//
// Every aggregate is a partial result that can travel: MarshalBinary
// writes a compact, canonical, versioned encoding (equal counts give equal
// bytes) and UnmarshalBinary reads it back strictly, so counts made by
// workers on shards of customers are merged elsewhere. Merge refuses, with
// an error wrapping ErrIncompatible, counts read with other options (By,
// a goal or none, another flow), and, with one wrapping
// ErrSharedCustomers, counts whose shards share a customer: each
// aggregate counted from a log keeps the 64 smallest 64-bit hashes of its
// customers' ids (64×8 bytes), and a hash in both samples is a customer
// counted twice. The detection is probabilistic: a customer shared by
// shards of n and m customers is in both samples with probability about
// 64/max(n, m) (certainly with at most 64 customers), so shards sharing a
// share f of their customers are caught with probability about
// 1 − e^(−64f), 99.8 % for f = 10 %. Counts made by Add carry no customer
// ids and are not checked.
//
// Path analysis has its own package because it reads the log and nothing
// else: the journey graph (package journey/graph) and attribution read
// the same routes with models on top.
package paths
