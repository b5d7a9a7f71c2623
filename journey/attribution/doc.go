// Package attribution says which touches — channels, touchpoints or steps —
// earned the conversions of customer journeys, and how much of their
// value: the multi-touch attribution models of marketing analytics (first
// and last touch, linear, position based, time decay, Shapley, Markov
// removal effects), for any goal.
//
// From a log of events to the credit of each channel:
//
//	rows, err := attribution.FromLog(l, attribution.FromLogOptions{
//		By:        journey.ByChannel,
//		GoalSteps: []string{"checkout"}, // the goal: a purchase
//	})
//	if err != nil {
//		return err
//	}
//	res, err := attribution.Markov(rows, attribution.MarkovOptions{Order: 1})
//	if err != nil {
//		return err
//	}
//	for _, ch := range res.Touches() {
//		fmt.Printf("%s: %.1f purchases, removal effect %.2f\n", ch, res[ch].Conversions, res[ch].RemovalEffect)
//	}
//
// # Route tables
//
// Every model but one reads a route table, in the layout of the R and
// Python package ChannelAttribution (Altomare and Loris): one [Row] per
// distinct route, with the customers who took it and converted, those who
// did not (nulls), and the total value of the conversions. There is one
// way to each:
//
//   - from a [journey.Log], [FromLog] cuts the table; [ReadTable] reads it
//     from CSV ("a > b > c", conversions, nulls, value) and [WriteTable]
//     writes it back;
//   - from a table, [FirstTouch], [LastTouch], [Linear], [PositionBased],
//     [Shapley] and [Markov] attribute it, [Bootstrap] says how uncertain
//     a model's result is and [ChooseOrder] which Markov order to use;
//   - [TimeDecay] needs the touches' times, which a table does not keep:
//     it is the one model that reads the log, cut as FromLog cuts it (its
//     options embed [FromLogOptions]).
//
// FromLog cuts each customer's path at the goal: the touches before the
// customer's first goal event form a converting journey, whose value is
// that event's Value, and a customer who never reaches the goal gives a
// non-converting journey of all its touches. The goal event itself is not
// a touch. FromLogOptions read touches by step, channel or touchpoint,
// split customers at every goal event (EveryGoal), keep only the touches
// within a lookback window before the goal, name the journeys that have
// no touch at all (EmptyRoute; they are left out otherwise), and leave
// out non-converting journeys, which only the Markov models read
// (ConvertingOnly, several times faster). Routes come sorted, so the same
// log always gives the same table.
//
// # Large logs and shards
//
// [CountLog] returns the [Table] behind FromLog: the route table as a
// mergeable aggregate. Tables counted with the same options from logs of
// disjoint customers — on other goroutines, processes or machines — merge
// ([Table.Merge]) into exactly the table of the whole; counts are exact
// and values are summed in double-double precision, so that the order of
// the merges does not matter. [Table.Rows] gives the rows every model
// reads, and [Table.MarkovChain] learns the Markov chain from the counts
// without building them: at 10^6 customers, CountLog, Table.MarkovChain
// and [MarkovChain.Result] take less than half the time of FromLog and
// Markov and a quarter of the memory, for the same result.
//
// # Goals for every objective
//
// A goal is any event: a purchase for Conversion, but just as well a
// newsletter sign-up (Connection), a visit to a comparison page
// (Consideration) or a completed profile (Knowledge). FromLogOptions.Goal
// takes any predicate on events, and GoalSteps a list of steps, which is
// much faster on large logs; [StepsAchieving] lists the steps of a
// designed [journey.Map] that achieve one of the four objectives. Every
// model then answers the same question for that goal: which touches drive
// Connection, or Knowledge.
//
// # Models
//
// Each model splits each converting row's conversions, and with the same
// rule its value, among the row's touches, and adds the shares up per
// touch into a [Result]:
//
//   - FirstTouch and LastTouch give everything to the first or the last
//     touch, and Linear gives each touch 1/len of the route, so that a
//     touch repeated in a route earns once per occurrence. These are
//     ChannelAttribution's heuristic_models.
//   - PositionBased is the U-shaped model of Google Analytics and Google
//     Ads: the first and last touches get fixed shares (40% each,
//     usually), the touches between them share the rest.
//   - TimeDecay is the time-decay model of Google Analytics and Google
//     Ads: a touch's share is proportional to 2^(−age/half-life), its age
//     being the time from it to the conversion, with a half-life of seven
//     days unless told otherwise.
//   - Shapley is the Shapley value of the coalition game of Zhao, Mahboobi
//     and Bagheri (2018, "Shapley Value Methods for Attribution Modeling in
//     Online Advertising", arXiv:1804.05327), computed exactly for any
//     number of touches: the game is a sum of one unanimity game per
//     converting row, so each row's conversions are split equally among
//     its distinct touches. Their ordered Shapley value splits each touch's
//     credit further by the position at which it was touched.
//   - Markov is the removal-effect model of Anderl, Becker, von Wangenheim
//     and Schumann (2016, "Mapping the customer journey: lessons learned
//     from graph-based online attribution modeling", IJRM 33(3)), as
//     ChannelAttribution implements it, computed exactly (see below).
//
// # Markov removal effects
//
// A [MarkovChain] of order k is learned from the route table: its states
// are Start, the windows of k consecutive touches of the routes (a route
// shorter than k is one state, consecutive equal windows collapse unless
// KeepRepeats: the conventions of journey.Learn, so that its states are
// named as graph.PathStates and graph.TupleName name them), and the
// absorbing conversion and null. Each route taken by c customers who
// converted and n who did not adds c + n to each transition along its
// states, c from its last state to conversion and n to null.
//
// The removal effect of a touch is the relative drop 1 − P₋/P of the
// probability P that a walk from Start converts when every state that
// contains the touch sends the walks entering it to null
// ([Credit.RemovalEffect], which only the Markov models set); each touch
// is attributed the table's conversions times its removal effect over the
// sum of all touches' removal effects. ChannelAttribution estimates these
// figures by simulating walks, so its results move from run to run;
// Markov computes them exactly, by solving the absorbing chain, and gives
// the same bits on every run and with any number of workers. Most touches
// cost no solve at all; when the total work would exceed about 4·10⁹
// operations — tens of thousands of distinct touches on one big loop —
// Markov returns [ErrTooLarge] rather than run for hours.
//
// [MarkovChain.RemovalEffect] removes other sets of states: the windows
// in which a sequence of touches occurs (email directly followed by web,
// at order 2 or more), or every touch of a department at once.
//
// ChooseOrder helps choose the order, as ChannelAttribution's
// choose_order does: each order's chain predicts that a route converts
// with the conversion share of the routes ending in its last state, and
// the orders are compared by the area under the ROC curve of those
// predictions, penalised for the number of possible states as adjusted
// R² is. ChannelAttribution tests the chains on the routes they learn
// from, which rewards long windows for fitting noise; ChooseOrder holds a
// random share of the customers out and tests on them (InSample restores
// ChannelAttribution's way).
//
// Value follows ChannelAttribution: a walk that converts from a state
// earns the mean value of the conversions observed from that state, the
// value removal effect of a touch is the relative drop of the expected
// value of a walk, and the table's value is shared by those. Sharing the
// value by the conversion removal effects instead would give a touch
// whose routes convert to large baskets no more value than one whose
// routes convert to small ones; the two rules agree when every state
// converts with the same mean value.
//
// # What every model promises
//
// For every model and every valid table: the conversions and the value
// attributed add up, to floating-point rounding, to those of the table
// ([Table.Total]); no credit is NaN, infinite or negative; a route of a
// single touch gives it all its conversions; and but for the Markov
// models, a touch found only on routes that never convert gets nothing (a
// Markov chain mixes routes, so such a touch earns credit when its states
// lead on to states from which walks convert). A Result lists every touch
// found on a converting route, zero credit included, and the Markov
// models' every other touch that earns credit; a touch absent from it has
// the zero Credit. Tables with no conversion give an empty Result, not an
// error. Bad rows — a route with no touch, a negative, NaN or infinite
// count, value without a conversion — are errors that name the row
// (rows[3]: empty route) and wrap [ErrEmptyRoute] or [ErrBadCount];
// ReadTable gives their line and column.
//
// Results do not depend on the number of workers, nor, for a given
// table, on the platform: sums run in a fixed order and products are
// rounded before they are added. The Markov models are the exception to
// the platform rule only: their linear solves may round differently
// where the processor fuses multiplications and additions, in the last
// bits.
//
// # Uncertainty
//
// Bootstrap runs any [Model] on tables resampled from the customers
// behind a table, and returns for each touch the mean, standard deviation
// and a percentile interval of its credit. Resampling draws from PCG, one
// stream per replication, so the same Seed gives the same intervals
// whatever the number of workers.
//
// # Cancellation and concurrency
//
// The long computations — FromLog, CountLog and TimeDecay on large logs,
// Markov and its chains, Shapley, Bootstrap and ChooseOrder — take a
// Context in their options struct and return its Err soon after it is
// done; a nil Context never stops them. The functions of this package are
// safe for concurrent use; a [Table] is not, but tables from different
// goroutines merge.
package attribution
