package funnel

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
)

// Funnel is a conversion funnel over an event log: ordered stages, each
// reached by the events its Match accepts, a conversion window and an
// ordering. The package documentation states every rule, with examples.
//
// A Funnel is a plain value; a valid one (Validate) may be used by many
// goroutines at once, provided its Match functions may.
type Funnel struct {
	Stages []Stage
	// Window is the longest time from a chain's first event to its last,
	// inclusive; 0 means no limit.
	Window time.Duration
	Order  Order

	// ClickHouse windowFunnel options, with the meaning of its modes of the
	// same names; see the package documentation.
	StrictDedup    bool // strict_deduplication
	StrictIncrease bool // strict_increase (without ClickHouse defect #52844)
	StrictOnce     bool // strict_once
	AllowReentry   bool // allow_reentry; needs the Strict order

	// Exclusions void the chains in which one of their events happens
	// between two given stages.
	Exclusions []Exclusion
	// Open funnels may be entered at any stage (GA4's open funnels); the
	// default, closed, funnels are entered at the first stage only.
	Open bool
}

// Exclusion is an event that voids a chain between two stages: Stage's
// Match says which events are excluded (its Optional and Within must be
// zero), From and To are the indexes of the stages between which they
// void a chain. To 0 stands for the last stage. See "Exclusions" in the
// package documentation.
type Exclusion struct {
	Stage    Stage
	From, To int
}

// maxExclusions is the most exclusions a funnel may have.
const maxExclusions = 64

// Sentinel errors wrapped by the errors of Validate and Analyze.
var (
	ErrNoStages     = errors.New("no stages")
	ErrNilMatch     = errors.New("nil Match")
	ErrBadWindow    = errors.New("bad window")
	ErrConflict     = errors.New("conflicting options")
	ErrBadStage     = errors.New("bad stage")
	ErrBadRange     = errors.New("bad stage range")
	ErrBadOption    = errors.New("bad option")
	ErrIncompatible = errors.New("incompatible reports")
)

// span returns the stage indexes an exclusion guards, with To 0 read as
// the last stage.
func (x Exclusion) span(n int) (from, to int) {
	to = x.To
	if to == 0 {
		to = n - 1
	}
	return x.From, to
}

// Validate reports every problem of f, joined, each prefixed with
// "funnel: " and the path to the bad field, and wrapping one of the
// sentinel errors above:
//
//	funnel: stages[2] "checkout": nil Match
//	funnel: window: negative (-1h0m0s)
//	funnel: allow reentry: needs the strict order (ClickHouse rejects it too)
func (f Funnel) Validate() error {
	var l verr.List
	n := len(f.Stages)
	if n == 0 {
		l.Add("stages", ErrNoStages)
	}
	if f.Window < 0 {
		l.Addf("window", "%w: negative (%v)", ErrBadWindow, f.Window)
	}
	if f.Order > Consecutive {
		l.Addf("order", "%w: %v is not an order", ErrBadOption, f.Order)
	}
	for i, s := range f.Stages {
		path := verr.Item("stages", i, s.Name)
		if s.Match == nil {
			l.Add(path, ErrNilMatch)
		}
		if s.c != nil && s.c.err != "" {
			l.Addf(path, "%w: %s", ErrBadStage, s.c.err)
		}
		if s.Within < 0 {
			l.Addf(path+": within", "%w: negative (%v)", ErrBadWindow, s.Within)
		}
		if s.Within > 0 && i == 0 {
			l.Addf(path+": within", "%w: the first stage has no previous stage", ErrBadStage)
		}
		if s.Optional {
			switch {
			case i == 0:
				l.Addf(path+": optional", "%w: the first stage cannot be optional", ErrBadStage)
			case i == n-1:
				l.Addf(path+": optional", "%w: the last stage cannot be optional", ErrBadStage)
			case f.Order == Unordered:
				l.Addf(path+": optional", "%w: an unordered funnel has no optional stages", ErrConflict)
			}
		}
		if s.Within > 0 && f.Order == Unordered {
			l.Addf(path+": within", "%w: an unordered funnel has no per-stage windows", ErrConflict)
		}
	}
	conflict := func(path, what string) { l.Addf(path, "%w: %s", ErrConflict, what) }
	if f.AllowReentry && f.Order != Strict {
		conflict("allow reentry", "needs the strict order (ClickHouse rejects it too)")
	}
	if f.Order == Unordered {
		if f.StrictDedup {
			conflict("strict dedup", "not defined for an unordered funnel")
		}
		if f.StrictIncrease {
			conflict("strict increase", "not defined for an unordered funnel")
		}
	}
	if f.Open {
		switch {
		case f.Order == Strict:
			conflict("open", "an open funnel cannot have the strict order, whose stop needs a first stage")
		case f.Order == Unordered:
			conflict("open", "an unordered funnel has no entry stage to open")
		}
		if f.StrictDedup {
			conflict("open", "strict dedup is not defined for an open funnel")
		}
		if len(f.Exclusions) > 0 {
			conflict("open", "an open funnel has no exclusions")
		}
	}
	if len(f.Exclusions) > maxExclusions {
		l.Addf("exclusions", "%w: %d exclusions, at most %d", ErrBadOption, len(f.Exclusions), maxExclusions)
	}
	for i, x := range f.Exclusions {
		path := verr.Item("exclusions", i, x.Stage.Name)
		if x.Stage.Match == nil {
			l.Add(path, ErrNilMatch)
		}
		if x.Stage.c != nil && x.Stage.c.err != "" {
			l.Addf(path, "%w: %s", ErrBadStage, x.Stage.c.err)
		}
		if x.Stage.Optional || x.Stage.Within != 0 {
			l.Addf(path, "%w: an exclusion has no optional flag or per-stage window", ErrBadStage)
		}
		if n == 0 {
			continue
		}
		from, to := x.span(n)
		switch {
		case from < 0 || to >= n || from >= to:
			l.Addf(path, "%w: from %d to %d, want 0 ≤ from < to ≤ %d (to 0 is the last stage)", ErrBadRange, x.From, x.To, n-1)
		case f.Order == Unordered && (from != 0 || to != n-1):
			l.Addf(path, "%w: an unordered funnel's exclusions span the whole funnel (from 0 to 0)", ErrBadRange)
		}
	}
	if err := l.Err(); err != nil {
		return verr.Prefix("funnel", err)
	}
	return nil
}

// Level returns how many stages, in order, one customer reached: events
// are that customer's events. Among events at the same time, matches are
// taken in stage order, as ClickHouse sorts its (time, condition) pairs,
// and then in the order of events. With exclusions, Level returns -1 for a
// customer whom they exclude. In an unordered funnel it is the number of
// stages done within one window; in an open funnel, the index (plus one)
// of the furthest stage reached from any entry stage.
//
// Events should be sorted by time. If they are not, Level sorts a copy
// (stably, so events at equal times keep their order) and works on that:
// unsorted input is not an error, it costs O(n log n) more. The caller
// must pass the events of one customer only; Level does not look at
// Customer.
//
// Level calls each stage's Match (or evaluates a constructed stage's
// description) once per event, then takes O(n·s) time for n events
// and s stages. It panics if f is not valid: check f.Validate() first.
func (f Funnel) Level(events []journey.Event) int {
	level, excluded, _ := f.trace(events, nil)
	if excluded {
		return -1
	}
	return level
}

// trace scans events (sorting a copy if needed) and returns the level,
// whether the customer is excluded, and the events in scan order; visit,
// if not nil, sees the unit and the prepared events.
func (f Funnel) trace(events []journey.Event, visit func(*unit, *seq)) (int, bool, []journey.Event) {
	p, err := compile(f)
	if err != nil {
		panic(err)
	}
	if !slices.IsSortedFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) }) {
		events = slices.Clone(events)
		slices.SortStableFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	}
	var sq seq
	sq.reset(p, len(events))
	for i := range events {
		e := &events[i]
		sq.times[i] = e.Time.UnixNano()
		p.evalEvent(e, sq.mask(i), sq.xs, i)
	}
	level, excluded := 0, false
	newRunner(p).run(&sq, false, func(u *unit) {
		level, excluded = u.level, u.excluded
		if visit != nil {
			visit(u, &sq)
		}
	})
	return level, excluded, events
}

// addSat returns a+b for b ≥ 0, saturating at the largest int64 instead of
// overflowing (ClickHouse adds in UInt64; a window of 200 years from a
// time near 2262 must not wrap around).
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func compareInt64(a, b int64) int { return cmp.Compare(a, b) }
