package parcoursbeam

import (
	"fmt"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/touchpoint"
)

// emptyLog is the log of no customer, whose partial aggregate starts
// every accumulator.
var emptyLog = func() *journey.Log {
	l, err := journey.NewLog(nil)
	if err != nil {
		panic(err)
	}
	return l
}()

// ---- Variants

// VariantsOptions mirror paths.Options: By says what a route is a
// sequence of (steps by default, channels or touchpoints).
type VariantsOptions struct {
	By     journey.By
	Tuning Tuning
}

func (o VariantsOptions) count(l *journey.Log) (*paths.Variants, error) {
	return paths.CountVariants(l, paths.Options{By: o.By, Workers: 1})
}

type variantsFn struct {
	Opt VariantsOptions
	b   batcher
}

func (f *variantsFn) ProcessElement(c string, events func(*Event) bool, emit func(*paths.Variants)) error {
	if full, err := f.b.add(c, events, f.Opt.Tuning.batch()); err != nil || !full {
		return err
	}
	return flush(&f.b, f.Opt.count, emit)
}

func (f *variantsFn) FinishBundle(emit func(*paths.Variants)) error {
	return flush(&f.b, f.Opt.count, emit)
}

// VariantsCombine merges paths.Variants: the CombineFn behind Variants,
// for pipelines that count their own partials.
type VariantsCombine struct{ Opt VariantsOptions }

// CreateAccumulator returns the variants of no customer.
func (c VariantsCombine) CreateAccumulator() (*paths.Variants, error) { return c.Opt.count(emptyLog) }

// AddInput merges v into a.
func (VariantsCombine) AddInput(a, v *paths.Variants) (*paths.Variants, error) { return a, a.Merge(v) }

// MergeAccumulators merges b into a.
func (VariantsCombine) MergeAccumulators(a, b *paths.Variants) (*paths.Variants, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns a.
func (VariantsCombine) ExtractOutput(a *paths.Variants) *paths.Variants { return a }

// Variants counts the distinct routes of the customers of grouped (the
// output of GroupByCustomer), as paths.CountVariants counts those of a
// log: a PCollection of one *paths.Variants, equal to the count over a log
// of all the customers. Each worker counts the routes of a batch of
// customers, and the partials merge (paths.Variants.Merge) in a CombineFn.
// An event that journey.LogBuilder rejects fails the pipeline.
func Variants(s beam.Scope, grouped beam.PCollection, opt VariantsOptions) beam.PCollection {
	s = s.Scope("parcoursbeam.Variants")
	partials := beam.ParDo(s, &variantsFn{Opt: opt}, grouped)
	return combine(s, VariantsCombine{opt}, partials, &emptyVariantsFn{opt}, opt.Tuning.Fanout)
}

// ---- DirectlyFollows

// FollowsOptions mirror paths.Options for DirectlyFollows.
type FollowsOptions struct {
	By     journey.By
	Tuning Tuning
}

func (o FollowsOptions) count(l *journey.Log) (*paths.Follows, error) {
	return paths.CountFollows(l, paths.Options{By: o.By, Workers: 1})
}

type followsFn struct {
	Opt FollowsOptions
	b   batcher
}

func (f *followsFn) ProcessElement(c string, events func(*Event) bool, emit func(*paths.Follows)) error {
	if full, err := f.b.add(c, events, f.Opt.Tuning.batch()); err != nil || !full {
		return err
	}
	return flush(&f.b, f.Opt.count, emit)
}

func (f *followsFn) FinishBundle(emit func(*paths.Follows)) error {
	return flush(&f.b, f.Opt.count, emit)
}

// FollowsCombine merges paths.Follows: the CombineFn behind
// DirectlyFollows.
type FollowsCombine struct{ Opt FollowsOptions }

// CreateAccumulator returns the counts of no customer.
func (c FollowsCombine) CreateAccumulator() (*paths.Follows, error) { return c.Opt.count(emptyLog) }

// AddInput merges v into a.
func (FollowsCombine) AddInput(a, v *paths.Follows) (*paths.Follows, error) { return a, a.Merge(v) }

// MergeAccumulators merges b into a.
func (FollowsCombine) MergeAccumulators(a, b *paths.Follows) (*paths.Follows, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns a.
func (FollowsCombine) ExtractOutput(a *paths.Follows) *paths.Follows { return a }

// DirectlyFollows counts the directly-follows pairs of the customers of
// grouped, as paths.CountFollows does on a log: a PCollection of one
// *paths.Follows.
func DirectlyFollows(s beam.Scope, grouped beam.PCollection, opt FollowsOptions) beam.PCollection {
	s = s.Scope("parcoursbeam.DirectlyFollows")
	partials := beam.ParDo(s, &followsFn{Opt: opt}, grouped)
	return combine(s, FollowsCombine{opt}, partials, &emptyFollowsFn{opt}, opt.Tuning.Fanout)
}

// ---- TransitionCounts

// TransitionOptions mirror journey.LearnOptions, with the goal given by
// its steps (a function cannot travel to workers).
type TransitionOptions struct {
	By          journey.By
	Order       int
	GoalSteps   []string
	KeepRepeats bool
	Tuning      Tuning
}

func (o TransitionOptions) count(l *journey.Log) (*graph.Counts, error) {
	if o.By > journey.ByTouchpoint {
		return nil, fmt.Errorf("parcoursbeam: %w %d", journey.ErrUnknownBy, o.By)
	}
	return l.CountTransitions(journey.LearnOptions{By: o.By, Order: o.Order, GoalSteps: o.GoalSteps, KeepRepeats: o.KeepRepeats, Workers: 1}), nil
}

type transitionsFn struct {
	Opt TransitionOptions
	b   batcher
}

func (f *transitionsFn) ProcessElement(c string, events func(*Event) bool, emit func(*graph.Counts)) error {
	if full, err := f.b.add(c, events, f.Opt.Tuning.batch()); err != nil || !full {
		return err
	}
	return flush(&f.b, f.Opt.count, emit)
}

func (f *transitionsFn) FinishBundle(emit func(*graph.Counts)) error {
	return flush(&f.b, f.Opt.count, emit)
}

// TransitionsCombine merges graph.Counts: the CombineFn behind
// TransitionCounts.
type TransitionsCombine struct{ Opt TransitionOptions }

// CreateAccumulator returns the counts of no customer, of the options'
// order.
func (c TransitionsCombine) CreateAccumulator() (*graph.Counts, error) {
	return c.Opt.count(emptyLog)
}

// AddInput merges v into a; counts of another order are an error.
func (TransitionsCombine) AddInput(a, v *graph.Counts) (*graph.Counts, error) { return a, a.Merge(v) }

// MergeAccumulators merges b into a; counts of another order are an error.
func (TransitionsCombine) MergeAccumulators(a, b *graph.Counts) (*graph.Counts, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns a.
func (TransitionsCombine) ExtractOutput(a *graph.Counts) *graph.Counts { return a }

// TransitionCounts counts the transitions of the journey graph of the
// customers of grouped, as journey.Log.CountTransitions does: a
// PCollection of one *graph.Counts, whose Graph is what journey.Learn
// returns on a log of all the customers.
func TransitionCounts(s beam.Scope, grouped beam.PCollection, opt TransitionOptions) beam.PCollection {
	s = s.Scope("parcoursbeam.TransitionCounts")
	partials := beam.ParDo(s, &transitionsFn{Opt: opt}, grouped)
	return combine(s, TransitionsCombine{opt}, partials, &emptyTransitionsFn{opt}, opt.Tuning.Fanout)
}

// ---- RouteTable

// RouteOptions mirror attribution.FromLogOptions, with the goal given by
// its steps.
type RouteOptions struct {
	By             journey.By
	GoalSteps      []string
	EveryGoal      bool
	Lookback       time.Duration
	EmptyRoute     string
	ConvertingOnly bool
	Tuning         Tuning
}

func (o RouteOptions) count(l *journey.Log) (*attribution.Table, error) {
	return attribution.CountLog(l, attribution.FromLogOptions{
		By: o.By, GoalSteps: o.GoalSteps, EveryGoal: o.EveryGoal, Lookback: o.Lookback,
		EmptyRoute: o.EmptyRoute, ConvertingOnly: o.ConvertingOnly, Workers: 1,
	})
}

type routesFn struct {
	Opt RouteOptions
	b   batcher
}

func (f *routesFn) ProcessElement(c string, events func(*Event) bool, emit func(*attribution.Table)) error {
	if full, err := f.b.add(c, events, f.Opt.Tuning.batch()); err != nil || !full {
		return err
	}
	return flush(&f.b, f.Opt.count, emit)
}

func (f *routesFn) FinishBundle(emit func(*attribution.Table)) error {
	return flush(&f.b, f.Opt.count, emit)
}

// RoutesCombine merges attribution.Table: the CombineFn behind RouteTable.
type RoutesCombine struct{ Opt RouteOptions }

// CreateAccumulator returns the table of no customer.
func (c RoutesCombine) CreateAccumulator() (*attribution.Table, error) { return c.Opt.count(emptyLog) }

// AddInput merges v into a; tables cut with other options are an error.
func (RoutesCombine) AddInput(a, v *attribution.Table) (*attribution.Table, error) {
	return a, a.Merge(v)
}

// MergeAccumulators merges b into a.
func (RoutesCombine) MergeAccumulators(a, b *attribution.Table) (*attribution.Table, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns a.
func (RoutesCombine) ExtractOutput(a *attribution.Table) *attribution.Table { return a }

// RouteTable counts the attribution route table of the customers of
// grouped, as attribution.CountLog does: a PCollection of one
// *attribution.Table, whose Rows feed every attribution model and whose
// MarkovChain gives the Markov removal effects. opt must name a goal
// (GoalSteps); without one the pipeline fails.
func RouteTable(s beam.Scope, grouped beam.PCollection, opt RouteOptions) beam.PCollection {
	s = s.Scope("parcoursbeam.RouteTable")
	partials := beam.ParDo(s, &routesFn{Opt: opt}, grouped)
	return combine(s, RoutesCombine{opt}, partials, &emptyRoutesFn{opt}, opt.Tuning.Fanout)
}

// ---- Funnel

// FunnelStage is a stage of a funnel, described so that it can travel to
// workers: an event reaches it if its step is one of Steps, its channel
// one of Channels and its touchpoint one of Touchpoints, each list that is
// empty matching any event (at least one must be given). Name defaults to
// the stage's steps (channels, touchpoints) joined by "|". Optional and
// Within mean what they mean in funnel.Stage.
type FunnelStage struct {
	Name                         string
	Steps, Channels, Touchpoints []string
	Optional                     bool
	Within                       time.Duration
}

// FunnelOptions mirror funnel.Funnel and funnel.Options, for the
// fields that can travel to workers.
type FunnelOptions struct {
	Stages                                                []FunnelStage
	Window                                                time.Duration
	Order                                                 funnel.Order
	StrictDedup, StrictIncrease, StrictOnce, AllowReentry bool
	Open                                                  bool
	Count                                                 funnel.Count
	Breakdowns                                            []funnel.Breakdown
	Resolution                                            time.Duration
	Tuning                                                Tuning
}

// Funnel returns the funnel that o describes. It fails for a stage that
// matches nothing, and for what funnel.Funnel.Validate rejects.
func (o FunnelOptions) Funnel() (funnel.Funnel, error) {
	f := funnel.Funnel{
		Window: o.Window, Order: o.Order, StrictDedup: o.StrictDedup, StrictIncrease: o.StrictIncrease,
		StrictOnce: o.StrictOnce, AllowReentry: o.AllowReentry, Open: o.Open,
	}
	for i, st := range o.Stages {
		var parts []funnel.Stage
		if len(st.Steps) > 0 {
			parts = append(parts, funnel.Step(st.Steps...))
		}
		if len(st.Channels) > 0 {
			ch := make([]touchpoint.Channel, len(st.Channels))
			for k, c := range st.Channels {
				ch[k] = touchpoint.Channel(c)
			}
			parts = append(parts, funnel.Channel(ch...))
		}
		if len(st.Touchpoints) > 0 {
			parts = append(parts, funnel.Touchpoint(st.Touchpoints...))
		}
		var stage funnel.Stage
		switch len(parts) {
		case 0:
			return f, fmt.Errorf("parcoursbeam: funnel: stages[%d]: no steps, channels or touchpoints", i)
		case 1:
			stage = parts[0]
		default:
			stage = funnel.All(parts...)
		}
		if st.Name != "" {
			stage = stage.Named(st.Name)
		}
		stage.Optional, stage.Within = st.Optional, st.Within
		f.Stages = append(f.Stages, stage)
	}
	return f, f.Validate()
}

func (o FunnelOptions) options() funnel.Options {
	return funnel.Options{Workers: 1, Count: o.Count, Breakdowns: o.Breakdowns, Resolution: o.Resolution}
}

type funnelFn struct {
	Opt FunnelOptions
	f   funnel.Funnel
	b   batcher
}

func (f *funnelFn) Setup() (err error) {
	f.f, err = f.Opt.Funnel()
	return err
}

func (f *funnelFn) count(l *journey.Log) (*funnel.Report, error) {
	return f.f.Analyze(l, f.Opt.options())
}

func (f *funnelFn) ProcessElement(c string, events func(*Event) bool, emit func(*funnel.Report)) error {
	if full, err := f.b.add(c, events, f.Opt.Tuning.batch()); err != nil || !full {
		return err
	}
	return flush(&f.b, f.count, emit)
}

func (f *funnelFn) FinishBundle(emit func(*funnel.Report)) error {
	return flush(&f.b, f.count, emit)
}

// FunnelCombine merges funnel reports: the CombineFn behind Funnel.
type FunnelCombine struct {
	Opt FunnelOptions
	f   *funnel.Funnel
}

// Setup builds the funnel.
func (c *FunnelCombine) Setup() error {
	f, err := c.Opt.Funnel()
	c.f = &f
	return err
}

// CreateAccumulator returns the report of no customer.
func (c *FunnelCombine) CreateAccumulator() (*funnel.Report, error) {
	if c.f == nil {
		if err := c.Setup(); err != nil {
			return nil, err
		}
	}
	return c.f.Analyze(emptyLog, c.Opt.options())
}

// AddInput merges v into a; reports of other funnels are an error.
func (*FunnelCombine) AddInput(a, v *funnel.Report) (*funnel.Report, error) { return a, a.Merge(v) }

// MergeAccumulators merges b into a.
func (*FunnelCombine) MergeAccumulators(a, b *funnel.Report) (*funnel.Report, error) {
	return a, a.Merge(b)
}

// ExtractOutput returns a.
func (*FunnelCombine) ExtractOutput(a *funnel.Report) *funnel.Report { return a }

// Funnel runs the funnel opt describes over the customers of grouped, as
// funnel.Funnel.Analyze does on a log: a PCollection of one
// *funnel.Report, equal to the report on a log of all the customers. A
// funnel that does not validate fails the pipeline when it starts; check
// it first with FunnelOptions.Funnel.
func Funnel(s beam.Scope, grouped beam.PCollection, opt FunnelOptions) beam.PCollection {
	s = s.Scope("parcoursbeam.Funnel")
	partials := beam.ParDo(s, &funnelFn{Opt: opt}, grouped)
	return combine(s, &FunnelCombine{Opt: opt}, partials, &emptyFunnelFn{opt}, opt.Tuning.Fanout)
}

// The empty*Fn emit the aggregate of no customer, once, so that a
// transform gives one result even over no event: Beam's global combine
// gives none for an empty input.

type emptyVariantsFn struct{ Opt VariantsOptions }

func (f *emptyVariantsFn) ProcessElement(_ []byte, emit func(*paths.Variants)) error {
	return flush0(f.Opt.count, emit)
}

type emptyFollowsFn struct{ Opt FollowsOptions }

func (f *emptyFollowsFn) ProcessElement(_ []byte, emit func(*paths.Follows)) error {
	return flush0(f.Opt.count, emit)
}

type emptyTransitionsFn struct{ Opt TransitionOptions }

func (f *emptyTransitionsFn) ProcessElement(_ []byte, emit func(*graph.Counts)) error {
	return flush0(f.Opt.count, emit)
}

type emptyRoutesFn struct{ Opt RouteOptions }

func (f *emptyRoutesFn) ProcessElement(_ []byte, emit func(*attribution.Table)) error {
	return flush0(f.Opt.count, emit)
}

type emptyFunnelFn struct{ Opt FunnelOptions }

func (f *emptyFunnelFn) ProcessElement(_ []byte, emit func(*funnel.Report)) error {
	fu, err := f.Opt.Funnel()
	if err != nil {
		return err
	}
	return flush0(func(l *journey.Log) (*funnel.Report, error) { return fu.Analyze(l, f.Opt.options()) }, emit)
}

// flush0 emits the aggregate count gives for the empty log.
func flush0[T any](count func(*journey.Log) (T, error), emit func(T)) error {
	a, err := count(emptyLog)
	if err != nil {
		return err
	}
	emit(a)
	return nil
}

func init() {
	register.DoFn2x1[[]byte, func(*paths.Variants), error](&emptyVariantsFn{})
	register.DoFn2x1[[]byte, func(*paths.Follows), error](&emptyFollowsFn{})
	register.DoFn2x1[[]byte, func(*graph.Counts), error](&emptyTransitionsFn{})
	register.DoFn2x1[[]byte, func(*attribution.Table), error](&emptyRoutesFn{})
	register.DoFn2x1[[]byte, func(*funnel.Report), error](&emptyFunnelFn{})
	register.DoFn3x1[string, func(*Event) bool, func(*paths.Variants), error](&variantsFn{})
	register.DoFn3x1[string, func(*Event) bool, func(*paths.Follows), error](&followsFn{})
	register.DoFn3x1[string, func(*Event) bool, func(*graph.Counts), error](&transitionsFn{})
	register.DoFn3x1[string, func(*Event) bool, func(*attribution.Table), error](&routesFn{})
	register.DoFn3x1[string, func(*Event) bool, func(*funnel.Report), error](&funnelFn{})
	register.Iter1[Event]()
	register.Emitter1[*paths.Variants]()
	register.Emitter1[*paths.Follows]()
	register.Emitter1[*graph.Counts]()
	register.Emitter1[*attribution.Table]()
	register.Emitter1[*funnel.Report]()
	register.Combiner3[*paths.Variants, *paths.Variants, *paths.Variants](&VariantsCombine{})
	register.Combiner3[*paths.Follows, *paths.Follows, *paths.Follows](&FollowsCombine{})
	register.Combiner3[*graph.Counts, *graph.Counts, *graph.Counts](&TransitionsCombine{})
	register.Combiner3[*attribution.Table, *attribution.Table, *attribution.Table](&RoutesCombine{})
	register.Combiner3[*funnel.Report, *funnel.Report, *funnel.Report](&FunnelCombine{})
}
