package funnel

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-go/parcours/internal/par"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/persona"
)

// Options say how Analyze runs and what its report holds. The zero value
// counts customers on runtime.GOMAXPROCS(0) goroutines, with no breakdown,
// trend, customer list or driver analysis, and durations to the nanosecond.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The report does not depend on it.
	Workers int
	// Context, when not nil, stops the analysis once it is done: Analyze
	// then returns Context.Err() and no report.
	Context context.Context
	// Count says whether to count customers (the default) or attempts.
	Count Count
	// Breakdowns split the funnel by a property, persona, channel …
	Breakdowns []Breakdown
	// Trend buckets the units by the calendar period (in Location) in
	// which their chain started.
	Trend    Period
	Location *time.Location // nil means UTC
	// ListCustomers lists, in each stage, the customers who reached it
	// and those who dropped after it.
	ListCustomers bool
	// Drivers asks for a drop-off driver analysis (PostHog's correlation
	// analysis); nil means none.
	Drivers *Drivers
	// Resolution, if positive, truncates every time to convert to a
	// multiple of it (time.Second, say), which bounds the distinct values
	// the report keeps. Zero keeps nanoseconds.
	Resolution time.Duration
}

// Breakdown splits the units by the value of a dimension on one of their
// events, chosen by Attribution.
type Breakdown struct {
	By   Dimension `json:"by"`
	Prop string    `json:"prop,omitempty"` // with ByProp: the property key
	// With ByPersona: the rules that assign a persona from properties.
	// The rules see, for each property, the value that Attribution picks
	// (the first value the customer had, the last one, or the one on the
	// event of the stage).
	Personas    persona.Rules `json:"personas,omitempty"`
	Attribution Attribution   `json:"attribution,omitempty"`
	Stage       int           `json:"stage,omitempty"` // with AtStage: the stage's index
}

// Drivers configures a drop-off driver analysis: which features of the
// units' events to count, and which stage counts as success.
type Drivers struct {
	// Target is the index of the stage whose reaching is success; 0 means
	// the last stage.
	Target      int      `json:"target,omitempty"`
	Steps       bool     `json:"steps,omitempty"`       // count the steps of the events
	Channels    bool     `json:"channels,omitempty"`    // … their channels
	Touchpoints bool     `json:"touchpoints,omitempty"` // … their touchpoints
	Props       []string `json:"props,omitempty"`       // … the values of these properties
}

func (b *Breakdown) validate(n int, strict bool) error {
	var l verr.List
	switch b.By {
	case ByProp:
		if b.Prop == "" {
			l.Addf("prop", "%w: a property breakdown needs the property key", ErrBadOption)
		}
	case ByChannel, ByTouchpoint, ByStep:
	case ByPersona:
		if strict && len(b.Personas) == 0 {
			l.Addf("personas", "%w: a persona breakdown needs rules", ErrBadOption)
		}
		for i, r := range b.Personas {
			for j, c := range r.When {
				l.Add(verr.Item("personas", i, r.Persona)+": "+verr.Item("when", j, c.Property), c.Validate())
			}
		}
	default:
		l.Addf("by", "%w: %v is not a dimension", ErrBadOption, b.By)
	}
	if b.Attribution > AtStage {
		l.Addf("attribution", "%w: %v is not an attribution", ErrBadOption, b.Attribution)
	}
	if b.Attribution == AtStage && (b.Stage < 0 || b.Stage >= n) {
		l.Addf("stage", "%w: stage %d, want 0 to %d", ErrBadOption, b.Stage, n-1)
	}
	return l.Err()
}

// validate reports the problems of opt for funnel f.
func (opt *Options) validate(f *Funnel) error {
	var l verr.List
	n := len(f.Stages)
	if opt.Workers < 0 {
		l.Addf("options: workers", "%w: negative (%d)", ErrBadOption, opt.Workers)
	}
	if opt.Count > Attempts {
		l.Addf("options: count", "%w: %v", ErrBadOption, opt.Count)
	}
	if opt.Count == Attempts && f.Open {
		l.Addf("options: count", "%w: an open funnel counts customers only", ErrConflict)
	}
	if opt.Trend > Month {
		l.Addf("options: trend", "%w: %v", ErrBadOption, opt.Trend)
	}
	if opt.Resolution < 0 {
		l.Addf("options: resolution", "%w: negative (%v)", ErrBadOption, opt.Resolution)
	}
	for i := range opt.Breakdowns {
		l.Add(fmt.Sprintf("options: breakdowns[%d]", i), opt.Breakdowns[i].validate(n, true))
	}
	if d := opt.Drivers; d != nil {
		if f.Open {
			l.Addf("options: drivers", "%w: a driver analysis needs a closed funnel", ErrConflict)
		}
		if d.Target < 0 || d.Target >= max(n, 1) {
			l.Addf("options: drivers: target", "%w: stage %d, want 0 to %d", ErrBadOption, d.Target, n-1)
		}
		if !d.Steps && !d.Channels && !d.Touchpoints && len(d.Props) == 0 {
			l.Addf("options: drivers", "%w: no feature to count (set Steps, Channels, Touchpoints or Props)", ErrBadOption)
		}
	}
	if err := l.Err(); err != nil {
		return verr.Prefix("funnel", err)
	}
	return nil
}

// Analyze runs the funnel over every customer of l and reports, per stage,
// the units that reached it and dropped after it, with their times to
// convert, and what opt asks for.
//
// It returns an error, and no report, if f or opt is not valid (every
// problem, joined; see Funnel.Validate), or opt.Context.Err() if the
// context is done before the end. It takes O(n·s) time for n events and s
// stages (plus the Match calls of stages that have no fast path, see the
// package documentation), spread over opt.Workers
// goroutines, each scanning a contiguous share of the customers; the
// shares' reports are merged, so the report does not depend on the number
// of workers. Its memory beyond the report is that of the longest
// customer's events, per worker.
func (f Funnel) Analyze(l *journey.Log, opt Options) (*Report, error) {
	if l == nil {
		return nil, fmt.Errorf("funnel: %w: nil log", ErrBadOption)
	}
	p, err := compile(f)
	if err == nil {
		err = opt.validate(&f)
	} else if err2 := opt.validate(&f); err2 != nil {
		err = fmt.Errorf("%w\n%w", err, err2)
	}
	if err != nil {
		return nil, err
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	lm := newLogMatcher(p, f, l)
	parts := shard(l, opt.Workers, func(lo, hi int) *acc {
		a := newAcc(p, &f, l, &opt)
		r := newRunner(p)
		m := lm.worker()
		var sq seq
		for c := lo; c < hi; c++ {
			if c&4095 == 0 && cancelled(opt.Context) {
				break
			}
			elo, ehi := l.Span(c)
			m.fill(&sq, c, elo, ehi)
			a.customer(c)
			r.run(&sq, opt.Count == Attempts, func(u *unit) { a.add(u, &sq) })
			a.endCustomer()
		}
		return a
	})
	if cancelled(opt.Context) {
		return nil, opt.Context.Err()
	}
	return finish(parts, p, &f, &opt, l), nil
}

// cancelled reports whether ctx is done; a nil ctx never is.
func cancelled(ctx context.Context) bool { return ctx != nil && ctx.Err() != nil }

// shard runs work over the ranges of l.Shards(workers), one goroutine
// each, and returns the results in range order.
func shard[T any](l *journey.Log, workers int, work func(lo, hi int) T) []T {
	return par.Ranges(l.Shards(workers), work)
}
