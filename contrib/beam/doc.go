// Package parcoursbeam runs parcours's journey analyses as Apache Beam
// transforms, so that an event log larger than one machine is analysed on
// Flink, Spark or Dataflow (or on Beam's local runner, prism) with the
// exact answers the library gives on one machine.
//
//	p, s := beam.NewPipelineWithRoot()
//	events, bad, err := parcoursbeam.ReadCSV(s, "gs://shop/events-*.csv", parcoursbeam.CSVOptions{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	parcoursbeam.FailOnBadRows(s, bad)
//	customers := parcoursbeam.GroupByCustomer(s, events)
//	table := parcoursbeam.RouteTable(s, customers, parcoursbeam.RouteOptions{By: journey.ByChannel, GoalSteps: []string{"checkout"}})
//	// table is a PCollection of one *attribution.Table: its MarkovChain
//	// gives the Markov removal effects, its Rows every other model.
//
// # The model: shard by customer, partial per batch, combine
//
// Every analysis of the library whose result is a sum over customers has
// a mergeable aggregate (paths.Variants, paths.Follows, graph.Counts,
// attribution.Table, funnel.Report) whose Merge gives, for logs of
// disjoint customers, exactly the aggregate of their union. A customer's
// journey must not be split: its route, its funnel chain and its
// transitions read all of its events in time order. So the transforms
//
//  1. group the events by customer (GroupByCustomer, one shuffle of the
//     events, shared by every transform that reads its output);
//  2. gather whole customers on each worker into a journey.Log of about
//     Tuning.BatchEvents events and count its partial aggregate with the
//     library's own function (paths.CountVariants, funnel.Funnel.Analyze,
//     journey.Log.CountTransitions, attribution.CountLog …);
//  3. merge the partials with a beam.CombineFn built on Merge (one per
//     aggregate: VariantsCombine, FollowsCombine, TransitionsCombine,
//     RoutesCombine, FunnelCombine), which Beam runs as a tree: each
//     bundle's partials merged where they were made, then, with
//     Tuning.Fanout, in Fanout groups, then on one worker.
//
// Each transform returns a PCollection of exactly one aggregate, the
// empty one when there is no event. Partials cross workers in the core's
// versioned binary encoding (MarshalBinary), events in Event's
// (Event.MarshalBinary).
//
// Pipelines must run in the global window, as batch pipelines do: a
// windowed grouping would cut customers' journeys at window boundaries.
// The core's Merge refuses two aggregates whose samples of 64 customers
// share one (ErrSharedCustomers in journey/paths and the other packages):
// a split that touches a tenth of the customers fails the merge with
// probability 99.8%, a single split customer only rarely.
//
// # Errors
//
// Nothing fails silently. A row that does not parse goes, with its
// error, to the dead-letter PCollection of ParseCSV and ReadCSV (BadRow),
// which the caller writes out, counts, or hands to FailOnBadRows to fail
// the pipeline at the first. An event the log builder rejects, a funnel
// that does not validate, or two partials that cannot merge (another
// order of transitions, tables of another goal: the core's ErrIncompatible)
// fail the pipeline with the core's error.
//
// # Options
//
// The options structs mirror the core's (paths.Options,
// journey.LearnOptions, attribution.FromLogOptions, funnel.Funnel and
// funnel.Options) for the fields that can travel to workers as data: a
// goal is given by its steps, a funnel stage by the steps, channels or
// touchpoints it matches, never by a function. Workers and Context have
// no counterpart: Beam parallelises, each worker counts on one goroutine.
package parcoursbeam
