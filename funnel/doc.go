// Package funnel models conversion funnels: the broad stages every business
// shares (presets), and window funnels over a [journey.Log]: how many
// customers reach each stage, in order and in time, how long they take,
// and who drops off where and why.
//
// # Presets
//
// The customer-journey literature names four stage lists, available as
// presets:
//
//   - [Classic]: evangelization (awareness) → attraction → consideration →
//     conversion → loyalty;
//   - [JourneyMap]: awareness → consideration → acquisition → service → loyalty;
//   - [B2BSales]: contact → qualification → prospecting → purchase → after-sales;
//   - [Buyer]: trigger → information search → evaluation → decision → purchase.
//
// A preset seeds a journey.Map with its stages ([Preset.Map]); the company
// then fills each stage with its own concrete steps. [Preset.Funnel] and
// [FromMap] turn a preset or a map into a [Funnel] whose stages are reached
// by their steps.
//
// # Window funnels
//
// A [Funnel] is a list of [Stage]s, each reached by the events its Match
// accepts, a Window and an [Order]. [Funnel.Analyze] runs it over every
// customer of a log and returns a [Report]; [Funnel.Level] runs it over one
// customer's events. The semantics are those of ClickHouse's windowFunnel
// aggregate function (the package's tests replay the cases of its own tests
// that fit), with the product-analytics options of PostHog, Mixpanel and
// GA4 on top. Every rule
// below is stated with a worked example, in the notation t:{i,j} for an
// event at second t that reaches stages i and j (numbered from 1), t:{}
// for an event that reaches none, and W for the window; the example is
// among the tests (cases named in brackets, in level_test.go).
//
// A chain is a sequence of events e1, …, ek where ei reaches stage i, each
// at or after the previous one, and the last at most W after the first:
// t1 ≤ t2 ≤ … ≤ tk ≤ t1 + W (inclusive; no limit when W is 0). One event
// may fill several consecutive stages. A customer's level is the length of
// their longest chain: the number of stages they reached in order.
//
//	0:{1} 8:{1} 9:{2} 15:{3}, W=10     → 3: the chain 8, 9, 15 (the first start alone fails: 15 > 0+10) [D8]
//	0:{1} 1:{2} 5:{1} 9:{3}, W=10      → 3: 0, 1, 9; a later start does not erase a chain in progress [D7]
//	0:{1} 6:{2} 12:{3}, W=10           → 2: the window runs from the first stage, not the previous [D9]
//	2:{1,2,3}                          → 3: one event fills three stages [D6]
//
// Events at the same time are taken stage by stage, as ClickHouse sorts its
// (time, condition) pairs: at one time, stage 2 may follow stage 1 whatever
// the order of the two events.
//
//	0:{3} 1:{2} 1:{1}                  → 2 [D4, ClickHouse 01646_fix_window_funnel_inconistency]
//
// The scan is ClickHouse's: it keeps, for each stage, the chain that
// started last (which, with a window anchored at the start, can always go
// at least as far as any other), and returns as soon as the last stage is
// reached. The level is exact: the tests compare it, and the chain a
// report describes, with an enumeration of every chain on random cases
// (tens of thousands per run; more with go test -iters).
//
// # Orders
//
// Ordered (the zero value) is the rule above: other events may come between
// stages.
//
// Strict is ClickHouse's strict_order: after the customer's first event of
// stage 1, the scan stops for good at the first event that reaches no stage,
// and at the first event of a stage whose previous stage was never reached.
// Other events before the first stage-1 event are ignored; an event of no
// stage at the same time as a stage's event counts as before it. The other
// events are all the customer's events in the log that reach no stage:
// filter the log first (journey.Log.Filter and its kin) to leave some out,
// as a WHERE clause does for ClickHouse.
//
//	0:{1} 1:{2} 2:{} 3:{1} 4:{2} 5:{3} → 2: the later complete attempt is never seen [O3]
//	1:{1} 2:{3} 3:{2}, W=10            → 1: stage 3 while stage 2 is empty [O2]
//	1:{} 1:{1} 2:{2}                   → 2; 1:{1} 2:{} 2:{2} → 1 [O7, O8]
//
// Consecutive is PostHog's strict order (and GA4's "directly followed by"):
// each stage's event must directly follow the previous stage's, with no
// event of the customer strictly between their times; a broken attempt
// does not stop later ones. Events at the same time as a stage's are not
// between.
//
//	0:{1} 1:{2} 2:{} 3:{1} 4:{2} 5:{3} → 3 (Strict says 2)
//	0:{1} 1:{} 2:{2}                   → 1;  0:{1} 1:{} 1:{2} → 2
//
// Unordered is PostHog's any-order funnel: the level is the largest number
// of distinct stages done by events inside one window [t0, t0+W], t0 being
// the time of an event of any stage; an event counts for every stage it
// reaches (with StrictOnce, for one, chosen to count the most stages). A
// report's stage k then counts the customers who did at least k+1 stages.
//
//	0:{3} 1:{2} 2:{1}                  → 3
//	0:{1} 3:{2} 4:{3}, W=2             → 2 (the window from 3)
//	5:{1,2}                            → 2; with StrictOnce → 1
//
// # ClickHouse's modes
//
// StrictDedup (strict_deduplication): the scan stops, returning the level
// reached so far, at an event of stage k ≥ 2 when stage k has already been
// filled, whether or not that chain is still within its window. A
// repeated stage 1 only restarts.
//
//	0:{1} 10:{2} 20:{3} 30:{4} 40:{5} 50:{6} 51:{6} 60:{7} → 6 (7 without it) [DD1, ClickHouse 00632]
//	0:{1} 1:{2} 100:{1} 101:{2} 102:{3}, W=10              → 2 (3 without it) [DD5]
//	0:{1} 5:{2} 10:{3} 15:{1} 20:{2} 25:{1} 30:{2} 35:{3} 40:{4}, W=60 → 3 [DD3, issue #37177]
//
// parcours returns the level, as ClickHouse does since the fix of #37177;
// older ClickHouse versions returned the stage of the previous entry (1 on
// the last example; 4 instead of 2 in issue #40263, case DD4).
//
// StrictIncrease (strict_increase): consecutive stages need strictly
// increasing times, so one time, and one event, fills at most one stage
// of a chain.
//
//	0:{1} 1:{2} 1:{3} 1:{4} 2:{5}      → 2 [I1, ClickHouse 00632]
//	2:{1,2,3}                          → 1 [I2, ClickHouse 00632]
//
// ClickHouse has a defect here (issues #52844 and #93789): an event at time
// t may overwrite the chain kept at its stage with one that ends at t,
// which the strict comparison then refuses to extend, although the chain
// it replaced could have been. parcours implements the evident intent,
// which ClickHouse's pending fix (PRs #112628 and #112629) also adopts: an
// event at time t extends the chain kept before time t. Its level is then
// the longest chain with strictly increasing times.
//
//	0:{1} 1:{1} 1:{2}                  → 2: 0 → 1 (ClickHouse says 1) [I4]
//	1:{1} 2:{2} 2:{3} 2:{4} 3:{2} 3:{3} 3:{4} 4:{2} 4:{3} 4:{4} → 4 (ClickHouse says 2) [I5]
//
// StrictOnce (strict_once): no event fills two stages of one chain; two
// events at the same time may fill two stages.
//
//	2:{1,2,3}                          → 1 [SO1, ClickHouse 00632]
//	5:{1} 5:{2}                        → 2; one event 5:{1,2} → 1 [SO3]
//	200:{3} 210:{1,2} 230:{3}, W=200   → 1 (3 without it) [SO2]
//
// With StrictDedup, ClickHouse's result depends on the order in which rows
// arrive (case SO4); parcours orders events at the same time as the log
// does (by time, then the order in which they were given), so the result
// is deterministic for a given log:
//
//	2:{2} 2:{1,2,3} 3:{3}              → 2;  2:{1,2,3} 2:{2} 3:{3} → 3 [SO4]
//
// AllowReentry (allow_reentry), which requires Strict as in ClickHouse:
// an event of a stage whose previous stage is empty is skipped instead of
// stopping the scan. Events of no stage still stop it.
//
//	funnel (a, b, a, c), events 1:a 2:b 3:a 4:c → 1 with Strict, 4 with AllowReentry [R1, issue #86916]
//	1:{1} 2:{2} 3:{} 4:{3}             → 2 either way [R3]
//
// The modes combine as in ClickHouse: with Strict and StrictDedup the first
// stop wins; with Strict and StrictIncrease a stage at the same time as its
// predecessor is not extended and the next stage then stops the scan
// (1:{1} 1:{2} 2:{3} → 1, case OI1); StrictOnce with StrictIncrease keeps
// both rules. Funnel.Validate rejects AllowReentry without Strict, the
// modes with Unordered (except StrictOnce), and Strict or StrictDedup with
// Open.
//
// # Optional stages
//
// An optional stage may be skipped: a chain goes from the stage before it
// to the stage after it. It may also be taken, and a chain may stop there.
// Neither the first nor the last stage may be optional (PostHog's rule for
// the first).
//
//	stages 1, 2 (optional), 3:  0:{1} 1:{3} → 3;  0:{1} 1:{2} → 2;  without the flag 0:{1} 1:{3} → 1
//
// A report counts at an optional stage the units whose chain took it; at
// the stage after it, rates are relative to the last stage that is not
// optional ([Stages.FromPrevious]).
//
// # Windows
//
// Window bounds a whole chain, from its first event, inclusively, as in
// ClickHouse and PostHog. Stage.Within bounds one step: the time from the
// previous stage reached in the chain (skipped optional stages excepted)
// to this stage's event, inclusively (GA4's within_duration_from_prior_step).
// Both apply when both are set. Time arithmetic saturates: a window of
// centuries from an event near the year 2262 does not wrap around.
//
//	stage 2 Within 5s:  0:{1} 5:{2} → 2;  0:{1} 6:{2} → 1
//	stages 2 and 3 Within 5s:  0:{1} 5:{2} 10:{3} → 3 (each step is 5s)
//
// # Exclusions
//
// An [Exclusion] names events that must not happen between two stages, From
// and To (indexes; To 0 is the last stage). An excluded event voids a chain
// if it happens strictly after the chain's first event at a stage ≥ From
// and strictly before its first event at a stage ≥ To; a chain that never
// reached To is voided by an excluded event at any time after that first
// event. An excluded event counts only while the customer is in the funnel:
// within the window of their latest stage-1 event (with no window, always).
//
// As in PostHog, a customer is excluded — counted in Report.Excluded and in
// no stage — if every chain of their level (computed without exclusions) is
// voided. Level returns -1 for them.
//
//	exclusion between stages 2 and 3 (From 1, To 2):
//	0:{1} 1:{2} 2:{x} 3:{3}            → excluded
//	0:{1} 1:{2} 2:{x} 3:{2} 4:{3}      → 3: the chain through the second stage-2 event is clean
//	0:{1} 1:{x} 2:{2} 3:{3}            → 3: before stage 2, not between
//	0:{1} 1:{2} 2:{x}                  → excluded: the chain never reached stage 3
//	0:{1} 1:{2} 20:{x}, W=10           → 2: too late to count
//	0:{1} 1:{2} 1:{x} 2:{3}            → 3: at the time of stage 2, not strictly after it
//	stage 2 optional: 0:{1} 1:{2} 2:{x} 3:{3} → 3: the chain that skips stage 2 enters the guarded stages at 3
//
// PostHog voids a chain that never reached To only for excluded events
// within that chain's own window; parcours uses the window of the latest
// stage-1 event instead, which makes the rule exact for every chain in a
// linear scan (an older chain with an earlier window may differ). An
// unordered funnel's exclusions span the whole funnel, as in PostHog. Open
// funnels have none.
//
// # Open funnels
//
// A closed funnel (the default) is entered at stage 1 only. An open funnel
// (Funnel.Open, GA4's open funnels) may be entered at any stage: a chain may
// start at any stage and must then go on in order. A report counts at each
// stage the customers who reached it, entering there or coming from
// before, so a stage may count more customers than the one before it;
// Dropped counts those who reached it and went on to no later stage (in
// the same chain); FromPrevious holds the time of the first step into the
// stage from the stage before. Level returns the furthest stage reached.
//
//	0:{2} 1:{3}                        → 3 open, 0 closed
//
// # Counting customers or attempts
//
// By default a report counts customers (uniques): each customer once, at
// their level. With Options.Count = Attempts it counts attempts (totals):
// a customer's events are cut into attempts, each starting at a stage-1
// event when no attempt is open. An attempt ends
//
//   - when it reaches the last stage (re-entry after completion): a later
//     stage-1 event starts the next one;
//   - when the window of its latest stage-1 event has run out (re-entry
//     after expiry): the first stage-1 event after that starts the next;
//   - where Strict or StrictDedup stop the scan: the next stage-1 event
//     after the stop starts the next attempt (counting customers, the stop
//     is for good, as in ClickHouse).
//
// Within an attempt, every rule above applies as to a customer. With no
// window, an attempt ends only at completion or at a stop.
//
//	W=1h: visit 0, cart 10, visit 100, cart 110, buy 120 → two attempts: to the cart, and complete
//	visit 0, cart 10, buy 20, visit 25, cart 30, buy 35 → two complete attempts
//	Strict: visit 0, cart 1, help 2, visit 2, cart 3, buy 4 → attempts to the cart and complete; one customer at the cart
//
// An unordered funnel's attempt starts at the first event of any stage
// after the previous attempt, and lasts until it covers every stage or its
// window runs out. Open funnels count customers only.
//
// # The chain a report describes
//
// A report's times, breakdowns at a stage and trends come from one chain per
// unit: among the chains of the unit's level (valid ones, with exclusions),
// the one that reaches that level first — whose last event comes earliest
// in the scan order (time, then stage, then event). Among those, it is the
// one that started latest; going back from its last event, each of its
// events is the latest that allows a chain with that start. (StrictOnce at
// one time, and exclusions, break ties by their own needs: a chain that
// uses distinct events, one that entered the guarded stages later.) In an
// unordered funnel it is the first window that reaches the level, and
// stage k's time is when the window had covered k+1 stages.
//
// # Reports
//
// A [Report] holds, for each stage, the units that reached it and dropped
// after it, and the exact distributions of their times to convert: from the
// chain's previous stage and from its first ([Durations]: nearest-rank
// quantiles, so the median and p90 are observed durations; a histogram for
// any bounds). Rates come from the counts ([Stages.FromPrevious],
// [Stages.FromFirst], [Stages.DropOff]). Options add:
//
//   - Breakdowns by a property, the channel, touchpoint or step, or a
//     persona assigned by persona.Rules from the properties; the value is
//     taken on the customer's first event that has one (FirstTouch), on the
//     last one up to the chain's last event (LastTouch), or on the chain's
//     event at a given stage (AtStage; units that do not reach it get the
//     empty value). For personas, the rules see, for each property, the
//     first or last value the customer had, or the stage event's. PostHog's
//     "specific step" instead filters chains by the value; parcours
//     attributes one chain per unit.
//   - A trend: units bucketed by the calendar day, ISO week (starting on
//     Monday) or month of their chain's first event, in Options.Location
//     (UTC by default).
//   - The customers who reached each stage and those who dropped after it,
//     to act on them.
//   - Drop-off drivers, as PostHog's correlation analysis defines them:
//     among the units that entered, those that reached the target stage
//     succeed; a feature (a step, channel, touchpoint or property value of
//     an event that reaches no stage, strictly after the chain's first
//     event and strictly before the first of the target stage's event and
//     the end of the window) counts once per unit. Its odds ratio, with a
//     prior of one unit in each cell, is
//     ((s+1)(F−f+1)) / ((S−s+1)(f+1)) for s successful and f failed units
//     with it out of S and F ([OddsRatio], [DriverCounts.Drivers]).
//
// Reports merge exactly ([Report.Merge]): the reports of a log split by
// customer merge into the report of the whole. Durations are kept exactly
// (one run per distinct duration); Options.Resolution truncates them to
// bound the report's size, statistics staying exact for the truncated
// values. Reports read and write JSON; decoding is strict and checks the
// report's consistency.
//
// # Level and unsorted events
//
// [Funnel.Level] expects one customer's events sorted by time; given
// unsorted ones, it sorts a copy (stably) first. Events at the same time keep
// their order, which matters only for StrictOnce with StrictDedup.
//
// # Fast path and cost
//
// Stages made by [Step], [Channel], [Touchpoint], [Prop], [All] and
// [AnyOf] carry a description of what they match. Analyze evaluates it once
// per distinct step, channel and touchpoint of the log, into bit sets; an
// event's stages are then the intersection of the sets of its symbols, and
// a property condition reads the event's property. Stages with any other
// Match function get an Event built for them (properties and value read
// only if the log has some), which is several times slower. Replacing the
// Match of a constructed stage turns the fast path off for it.
//
// Analyze takes O(n·s) time for n events and s stages, with no limit on s,
// spread over Options.Workers goroutines by customer; its memory beyond the
// report is the longest customer's events, per worker. StrictOnce at one
// time with several events solves a small matching of stages to those
// events, whose cost grows with their number. An ordered funnel with no
// mode, exclusion, optional stage or per-stage window, and at most 64
// stages, takes a specialised scan.
package funnel
