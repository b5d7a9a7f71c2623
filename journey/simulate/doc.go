// Package simulate generates customer journeys by Monte Carlo simulation
// of a journey graph — learned from a log (journey.Learn) or designed
// (journey.Map) — reproducibly, as a journey.Log, and compares
// interventions over replications with confidence intervals.
//
// Observed and simulated journeys are the same journey.Log, so every
// analysis of parcours (funnels, path variants, attribution, Learn
// itself) runs on a simulation exactly as on real data, and a simulation
// can be checked by analysing what it produced: Learn on a large
// simulated log recovers the chain that generated it.
//
// # Walks and events
//
// [Run] walks a [graph.Graph]: each customer starts at graph.Start
// and moves from state to state with the graph's transition
// probabilities until an absorbing state takes it. Its events are the
// states it visits, in order — not Start — then one event for the
// absorbing state, whose Step is graph.Conversion or graph.Exit (or
// the name of another absorbing state of the graph). A walk that has
// visited Options.MaxSteps states (1000 by default) and would go on ends
// in graph.Exit. At order k a state is a tuple of steps: the first
// state after Start gives one event per part (it holds the first k steps
// of the path, or all of a shorter one), each later state one event, its
// last part, so that the events spell the path and Learn at order k reads
// back the same states. Customer i (from 0) is named Options.Prefix ("c"
// by default) followed by i zero-padded to the width of the last index,
// so that ids sort in simulation order.
//
// # Models: touchpoints, personas, waits and values
//
// A [Model], compiled from a [Spec] by [New] ([FromMap] fills a Spec from
// a designed journey), adds what turns a walk into realistic events:
//
//   - the contact map: each event at a step gets the channel and id of one
//     of the step's touchpoints;
//   - personas, each customer being one, drawn by share (persona.Weights),
//     and recorded in a property of every event ("persona", or
//     Spec.PersonaProp), so that funnels, filters and attribution break
//     down by persona downstream;
//   - waiting times and values (below).
//
// A persona's channel weights (odds multipliers, persona.Persona.Channels)
// act twice. They choose the touchpoint: at a step, touchpoint t is met
// with probability proportional to ChannelWeight(channel(t)). And they
// multiply the odds of the transitions into the steps of those channels:
// with w(s) the mean of ChannelWeight over the touchpoints of step s (1 for
// a step without touchpoints and for absorbing states), a persona at state
// i moves to j with probability
//
//	p'(i→j) = p(i→j)·w(j) / Σ_k p(i→k)·w(k),
//
// so the odds of any two successors are multiplied by the ratio of their
// weights. A persona with phone weight 2 is twice as likely, relative to
// the alternatives, to move to a step reached only by phone; with weight
// 0 it never does. If every successor weighs 0, the persona leaves
// (Exit). [Model.Graph] returns each persona's chain, whose absorbing-chain
// figures are the exact counterparts of the simulation's estimates
// ([Model.ConversionRate], [Model.Reach]).
//
// # Time
//
// Journeys start uniformly over [Options.Start, Options.Start +
// Options.Period), to the nanosecond (Start defaults to 2025-01-01 UTC;
// a zero Period starts them all at Start). The first event is at the
// start; each later event comes the waiting time of the previous event's
// step later: the time spent at that step, drawn from the step's [Dist]
// (Spec.Waits) or the model's default one (Spec.Wait), in nanoseconds
// ([Hours] converts), rounded to the nearest nanosecond. The
// distributions are [Fixed], [Exponential] (by inversion, −mean·ln(1−U)),
// [LogNormal] (median·e^(σZ), Z by Marsaglia's polar method), [Uniform],
// and [Func] for any other, which draws from the customer's stream. The
// same distributions give event values (Spec.Values), such as an order's
// amount at a step or a value on graph.Conversion.
//
// # Interventions and comparisons
//
// An intervention derives a new Model and leaves the old one as it is:
// [Model.Scale] makes a transition more or less likely, renormalising the
// others ("what if the hotline resolved 10% more returns?");
// [Model.RemoveSteps] and [Model.RemoveTouchpoints] take steps or
// touchpoints out ("what if the emailing department's touchpoints were
// removed?"), the walks that would enter a removed step leaving instead;
// [Model.WithWait] and [Model.WithValue] change times and values.
//
// [Replicate] runs R independent replications of a model and estimates
// each outcome — the conversion rate, the mean number of steps, the mean
// value, the mean duration, the share of customers reaching given steps
// — by its mean over the replications x̄ with the t-interval
//
//	x̄ ± t_{(1+level)/2, R−1} · s/√R,  s² = Σ(x_r − x̄)² / (R − 1).
//
// [Compare] does so for a baseline and a variant with common random
// numbers: replication r of both arms uses the same seed, and each
// customer draws from four separate streams (the persona and one number
// per transition; the touchpoints; the start time and the waits; the
// values), so that a customer of the two arms is the same persona, starts
// at the same time and makes the same draw at its k-th transition; the
// arms differ where the intervention makes them differ. The effect on each
// outcome is estimated by the paired t-interval D̄ ± t·s_D/√R of the
// differences D_r = Y_r − X_r, which vary less than the arms themselves.
// The customers of replication r are those of Run with
// [ReplicationSeed](seed, r).
//
// # Reproducibility
//
// The same seed gives the same log, byte for byte, whatever
// Options.Workers and on every platform. Customer i's stream p is a PCG
// generator (math/rand/v2) seeded with (hi_p, mix(i XOR lo_p)), hi_p and
// lo_p derived from the seed by the SplitMix64 finaliser mix: streams
// depend on the seed and the customer's index, never on the worker that
// runs it. Workers simulate contiguous ranges of customers, and the log
// numbers steps, channels and touchpoints in the order the events first
// meet them, as a reader of the same events would, so that the split does
// not show. Replications add outcomes up in fixed blocks of customers, in
// order, so that their sums do not depend on the split either.
//
// Floating point is kept identical across platforms: uniform numbers are
// the top 53 bits of a draw scaled exactly, start times are integer
// draws, and the logarithm, exponential and arc tangent are computed by
// this package, not by math.Log and math.Exp, which run assembly on some
// architectures and Go on others. Go may fuse x*y + z into one rounding
// on arm64, ppc64le, riscv64, s390x and amd64 at GOAMD64=v3; every such
// expression here is written float64(x*y) + z, an explicit conversion
// that the specification says rounds and so forbids fusion. A test pins
// the bits of these functions and samplers, and a golden log pins a run.
//
// # Performance
//
// A walk costs one draw per transition and a search in the row's
// cumulative probabilities, and each event a touchpoint draw and a wait.
// Run draws every customer's path first, from its walk stream, so that it
// knows the log's size; then each worker writes its customers' events
// straight into its range of the log's columns, with no Event built and
// no string looked up. On one core of the development machine the shoe
// shop's map, with its two personas and exponential waits, simulates
// about 10 million events a second into a log, and the replications of
// Compare, which build no log, about 16 million; two workers do 1.7 to 2
// times as much.
package simulate
