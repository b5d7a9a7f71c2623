// Package objectives models the four Cs: what each contact between a company
// and its customer is for, and how well it achieves it.
//
// # The four Cs
//
// A contact serves one or more of four objectives (the "4 C" of customer
// journey design):
//
//   - [Conversion]: a sale, a quote request, a booking, an app download;
//   - [Connection] (connexion): a new way to reach the customer, such as an
//     email address, a phone number or a follow;
//   - [Consideration] (considération): the brand is considered as a possible
//     choice; this includes awareness (notoriété);
//   - [Knowledge] (connaissance): data about the customer, such as segments
//     or the last product seen.
//
// [Parse] accepts the English and the French names, ignoring case and accents.
//
// # Mixes, KPIs and scorecards
//
// A [Mix] weighs how much a contact serves each objective; [Mix.Normalize]
// makes the weights sum to 1 and [Mix.Dominant] names the main one.
//
// A [KPI] measures one objective against a target, higher or lower being
// better. [KPI.Attainment] is the share of the target a measured value
// reaches, capped at 1, so that in a rollup one KPI far above its target
// cannot hide another below it.
//
// A [Scorecard] holds measured KPIs per owner (a department, a touchpoint)
// and rolls them up per objective ([Scorecard.ByObjective]) or per owner
// ([Scorecard.ByOwner]): how many KPIs, how many met, mean attainment.
//
// # JSON
//
// Objectives marshal as their lower-case English names. A Mix is an object
// with the fields conversion, connection, consideration and knowledge; a KPI
// has name, objective, unit, target and better ("higher" or "lower"). A
// Scorecard decodes strictly: unknown fields and values of the wrong type are
// all reported, each with its path.
package objectives
