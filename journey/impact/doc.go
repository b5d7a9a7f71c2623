// Package impact says which department's action matters, where in the
// journey, and for which of the four Cs: for each department of a
// journey map's catalog, how much of each objective depends on its
// touchpoints, how much each objective would gain if its touchpoints kept
// more customers, and at which steps and stages.
//
// The figures rest on an absorbing Markov chain of the journey (a
// [graph.Graph]: the map's own, one learned from a log, or one given),
// solved exactly. This documentation states the method; the report says
// in plain sentences what each figure means for a department
// ([Report.Explain]) and lists the assumptions behind it.
//
// # An objective's chain
//
// Each objective (Conversion, Connection, Consideration, Knowledge) has a
// goal: the steps that achieve it (a step's Goals in the map, or
// Options.GoalSteps and GoalStages) and, in a log, the events that mark
// it (Options.GoalProperty), which lead to the state graph.Conversion.
// In the objective's chain the goal states are absorbing: a customer's
// journey counts for the objective up to the first time the customer
// achieves it. Let T be the transient states, Q the transitions among
// them, N = (I − Q)⁻¹ the fundamental matrix (N[i][j] is the expected
// number of visits to j from i), and h the goal probability: h = 1 at a
// goal, 0 at Exit and at the other absorbing states, and
//
//	h_i = Σ_j P(i→j) h_j   for i in T,
//
// so that P = h_Start is the probability that a customer achieves the
// objective. For a chain learned from a log (order 1, maximum
// likelihood) P is exactly the share of the log's customers who achieved
// it, and N[Start][i] the mean number of visits to i per customer before
// they did: the expected visits of such a chain satisfy the same balance
// equations as the observed ones.
//
// # Leverage: the derivative of the goal probability
//
// Improving a step means keeping customers who would have left the
// journey there. Lower the exit probability e_i = P(i→Exit) of a transient
// state i (e_i < 1) by ε, the other routes out of i taking up ε in
// proportion to their probabilities:
//
//	P_ε(i→Exit) = e_i − ε,
//	P_ε(i→j)    = P(i→j) (1 − e_i + ε) / (1 − e_i)   for j ≠ Exit.
//
// Write ΔP(i→j) = dP_ε(i→j)/dε: ΔP(i→Exit) = −1 and ΔP(i→j) =
// P(i→j)/(1 − e_i) for j ≠ Exit. Only row i of the chain changes;
// differentiating h = Qh + r (r the transitions into goals) at ε = 0 gives
// h' = Qh' + u with u zero but for u_i = Σ_j ΔP(i→j) h_j, hence h' = N u
// and
//
//	dP/dε = N[Start][i] Σ_j ΔP(i→j) h_j
//	      = N[Start][i] · Σ_{j≠Exit} P(i→j) h_j / (1 − e_i)    (h_Exit = 0)
//	      = N[Start][i] · h_i / (1 − e_i):
//
// expected visits to i from the start × P(goal from i) ÷ (1 − P(exit from
// i)). This is the state's leverage ([StateFigures].Leverage): the goal
// probability gained per unit of exit probability removed at i, so that
// one point less of drop-off at i (ε = 0.01) gains about 0.01 × leverage.
// ḡ_i = h_i/(1 − e_i) = Σ_{j≠Exit} P(i→j) h_j / Σ_{j≠Exit} P(i→j) is the
// goal probability of the walks that leave i by another route (computed
// in that second form, free of cancellation).
//
// Leverage says what a point of drop-off is worth, also where the rate is
// already low; but a step can only give back the customers it loses.
// Keeping a share ε of them instead (P_ε(i→Exit) = (1 − ε) e_i, the others
// scaled up so that the row sums to 1: ΔP(i→Exit) = −e_i, ΔP(i→j) =
// P(i→j) e_i/(1 − e_i)) gives, by the same steps,
//
//	dP/dε = N[Start][i] · e_i · h_i/(1 − e_i) = leverage × e_i,
//
// the state's recoverable goal probability ([StateFigures].Recoverable):
// Visits × Exit × Goal, N[Start][i]·e_i being the expected number of walks
// lost at i per customer (graph.Friction's Leaving). Keeping 10% of the
// walks lost at i gains about 0.1 × recoverable. A state nobody leaves has
// nothing to recover; one every walk leaves (e_i = 1) has no other route
// to keep them on, and neither leverage nor anything to recover. The
// report ranks steps, stages and departments by what is recoverable,
// which weighs the customers each step actually loses, and gives the
// leverage beside it.
//
// Both are tested against central finite differences of the goal
// probability, solved by graph.Graph, on random graphs of up to 27
// states (relative error below 1e-7; about 1e-8 is observed).
//
// # Departments, shares and shared steps
//
// A state's contacts are the touchpoints through which they happen: at a
// step, its touchpoints in the map, each with an equal share (the map does
// not say how customers split among them), or, with a log, each with its
// share of the step's events that name a touchpoint. A department's share
// s_i,d of state i is its touchpoints' share of i's contacts. If its
// touchpoints keep a share ε of the walks they lose, and the step's
// customers leave alike whatever touchpoint they use, i's exit falls to
// e_i(1 − s_i,d ε): the perturbation above with ε scaled by s_i,d. The
// department's recoverable goal probability is therefore
// Σ_i s_i,d × recoverable_i, the derivative of the simultaneous
// perturbation of all its states, and its leverage likewise
// Σ_i s_i,d × leverage_i; the departments' figures and those of the
// contacts nobody owns add up to those of all states. In a graph of touchpoints the share is 1
// for the owner; in a graph of channels a channel's contacts are split
// equally among the map's touchpoints on it; a state of an order-k graph
// (a tuple) is placed at its last part, the contact made on entering it.
//
// # Dependence: the removal of a department's touchpoints
//
// A department's dependence for an objective is its removal effect,
// 1 − P'/P, P' being the goal probability of the chain without its
// touchpoints. Without them, every transition into a state i keeps the
// share 1 − s_i,d of its walks and sends the share s_i,d to Exit: the
// customers whose contact there would have gone through the department's
// touchpoints are lost, nobody switches to another touchpoint, and the
// others go on as before with the step's own probabilities. A step all of
// whose contacts are the department's disappears (its walks go to Exit),
// which is graph.Graph.Remove, the removal of Markov attribution (Anderl
// et al. 2016); a goal step that disappears is not reached. At order k a
// walk's first state holds all its first contacts, so the transitions out
// of Start lose 1 − Π over the state's parts of (1 − the part's share).
// Dependence is tested against brute force: the graph rebuilt without the
// states (graph.Graph.Remove), or with each transition split between its
// target and Exit, and solved again.
//
// # Scoring the departments
//
// [Score] takes the designed journey (a [journey.Map] with its catalog:
// stages, steps, touchpoints, their channel, owner and objective mix) and
// [Options]. The figures come from the map's own graph ([journey.Map.Graph])
// by default; from a log (Options.Log), whose customers' paths are read by
// step at order 1 as [journey.Learn] reads them, the goal steps being
// states and goal events leading to graph.Conversion; or from a learned
// or designed graph (Options.Graph) of steps, channels or touchpoints, of
// any order. For each objective it builds the chain above and, for each
// department:
//
//   - dependence, leverage and what is recoverable, as above;
//   - where it matters: its steps and stages, ranked by their part of its
//     score, each with the department's share of the contacts, the
//     visits, the exit rate before the goal and the goal probability of
//     those who go on; and, for a channel-focused department, the share of
//     all contacts at each stage that go through its channels (expected
//     visits × the step's touchpoints on those channels ÷ all its
//     touchpoints, summed over the stage's steps; with a log, its events
//     by channel), where the classic example reads: emailing matters most
//     for retention, because loyal customers rarely come back to the site;
//   - for a stage-focused department, for each of its stages: how hard it
//     is to pass (the probability that a customer who enters the stage
//     reaches a later one afterwards, over the whole journey: the
//     distribution of the first state entered in the stage, from the chain
//     in which the stage's states absorb, times each state's probability
//     of reaching a later stage; with a log, also the map's window funnel
//     ([funnel.FromMap]) from the stage to the next), its friction points
//     ([graph.Graph.Friction], against the goal of the objective that
//     weighs most), and the touchpoints of other departments it depends on
//     there (each one's removal effect restricted to the stage's
//     contacts);
//   - KPI attainment: the [objectives.Scorecard] measurements whose owner
//     is the department or one of its touchpoints, rolled up.
//
// # The four Cs, priorities and the ranking
//
// An objective rests on its goal when some state achieves it, some
// customer reaches it and some walk is lost before it (its total
// recoverable goal probability is positive): a department's share of the
// objective is then its share of what is recoverable. Otherwise the
// designed objective mix stands in: each
// contact weighs the expected visits of its state × its touchpoint's
// normalised mix for the objective, and a department's share is its part
// of the sum. An objective with neither takes no part. The company's
// priorities (Options.Priorities, Conversion only by default) are
// normalised over the objectives that can be measured, and a department's
// score is Σ weight × share: its share of the company's priority-weighted
// recoverable goal probability, in [0, 1]; with the contacts nobody owns
// the scores sum to 1.
// Departments are ranked by score, then by their priority-weighted
// dependence.
//
// # Assumptions and bad input
//
// The report lists every assumption it makes in plain sentences
// (Report.Assumptions, DepartmentReport.Notes): the source of the figures
// and the method's own (Markov behaviour, first achievement, no switching
// between touchpoints, proportional rerouting), equal shares of a step's
// touchpoints in a designed map, touchpoints with no owner (their contacts
// are nobody's), departments that own nothing (score 0, ranked last),
// objectives with no goal (the designed mix stands in) or with no goal and
// no mix (left out, their priority shared among the others), goals nobody
// reaches (dependence, leverage and recoverable 0, the mix stands in), steps of the log
// that the map does not have, events with no touchpoint, goal-property
// values that name no objective, and scorecard owners that are neither a
// department nor a touchpoint. What cannot be scored is an error: an
// invalid map, contradictory options, an empty log, a graph with no
// Start, or priorities that weigh only objectives that cannot be measured
// ([ErrNoBasis]).
//
// # The report
//
// A [Report] is a plain value with stable lower-case JSON field names,
// decoded strictly. [Report.Explain] words a department's figures — why it
// ranks where it does, at which steps, with which numbers — from the
// report alone. Score, Chain and the report's methods are safe for
// concurrent use; a Report is not modified by them.
package impact
