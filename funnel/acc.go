package funnel

import (
	"math"
	"slices"
	"time"

	"github.com/parcours-go/parcours/internal/quantile"

	"github.com/parcours-go/parcours/journey"
)

// stageAcc accumulates the per-stage numbers of a report or segment.
type stageAcc struct {
	reached, dropped []int
	prev, first      []samples
}

func newStageAcc(n int) *stageAcc {
	return &stageAcc{reached: make([]int, n), dropped: make([]int, n),
		prev: make([]samples, n), first: make([]samples, n)}
}

// samples collects durations. With a resolution (compact), it folds them
// into runs whenever its buffer outgrows them, so that its memory is
// bounded by the number of distinct durations, not of units.
type samples struct {
	raw  []int64
	runs quantile.Exact
}

func (s *samples) add(d int64, compact bool) {
	s.raw = append(s.raw, d)
	if compact && len(s.raw) >= 4096 && len(s.raw) >= 2*s.runs.Len() {
		s.runs.Merge(quantile.FromSamples(s.raw))
		s.raw = s.raw[:0]
	}
}

// acc accumulates the report of a share of the customers.
type acc struct {
	p   *plan
	f   *Funnel
	l   *journey.Log
	opt *Options
	res int64

	customers int
	excluded  int
	main      *stageAcc
	bd        []map[string]*stageAcc
	trend     map[int64]*stageAcc

	// the current customer
	c          int
	reachedIDs [][]string
	droppedIDs [][]string
	custR      []bool
	custD      []bool

	// drivers
	succ, fail int
	feats      map[Feature][2]int
	unitFeats  map[Feature]bool
	props      map[string]string
}

func newAcc(p *plan, f *Funnel, l *journey.Log, opt *Options) *acc {
	a := &acc{p: p, f: f, l: l, opt: opt, res: int64(opt.Resolution), main: newStageAcc(p.n)}
	for range opt.Breakdowns {
		a.bd = append(a.bd, map[string]*stageAcc{})
	}
	if opt.Trend != NoTrend {
		a.trend = map[int64]*stageAcc{}
	}
	if opt.ListCustomers {
		a.reachedIDs = make([][]string, p.n)
		a.droppedIDs = make([][]string, p.n)
		a.custR = make([]bool, p.n)
		a.custD = make([]bool, p.n)
	}
	if opt.Drivers != nil {
		a.feats = map[Feature][2]int{}
		a.unitFeats = map[Feature]bool{}
	}
	return a
}

func (a *acc) customer(c int) {
	a.c = c
	a.customers++
	if a.custR != nil {
		clear(a.custR)
		clear(a.custD)
	}
}

func (a *acc) endCustomer() {
	if a.custR == nil {
		return
	}
	id := a.l.Customer(a.c)
	for k := range a.custR {
		if a.custR[k] {
			a.reachedIDs[k] = append(a.reachedIDs[k], id)
		}
		if a.custD[k] {
			a.droppedIDs[k] = append(a.droppedIDs[k], id)
		}
	}
}

func (a *acc) dur(d int64) int64 {
	if a.res > 0 {
		d -= d % a.res
	}
	return d
}

// addUnit adds unit u to s; reached and dropped, if not nil, get the
// stages the unit reached and dropped after.
func (a *acc) addUnit(s *stageAcc, u *unit, sq *seq, reached, dropped []bool) {
	n := a.p.n
	mark := func(flags []bool, k int) {
		if flags != nil {
			flags[k] = true
		}
	}
	switch {
	case a.p.open:
		for k := range n {
			if u.ev[k] < 0 {
				continue
			}
			s.reached[k]++
			mark(reached, k)
			if !u.cont[k] && k < n-1 {
				s.dropped[k]++
				mark(dropped, k)
			}
			if u.gap[k] >= 0 {
				s.prev[k].add(a.dur(u.gap[k]), a.res > 0)
			}
		}
	case a.p.order == Unordered:
		for k := range u.level {
			s.reached[k]++
			mark(reached, k)
			if k > 0 {
				s.prev[k].add(a.dur(u.at[k]-u.at[k-1]), a.res > 0)
				s.first[k].add(a.dur(u.at[k]-u.at[0]), a.res > 0)
			}
		}
		if u.level < n {
			s.dropped[u.level-1]++
			mark(dropped, u.level-1)
		}
	default:
		prev := -1
		t0 := sq.times[u.ev[0]]
		for k := range n {
			if u.ev[k] < 0 {
				continue
			}
			s.reached[k]++
			mark(reached, k)
			if prev >= 0 {
				t := sq.times[u.ev[k]]
				s.prev[k].add(a.dur(t-sq.times[u.ev[prev]]), a.res > 0)
				s.first[k].add(a.dur(t-t0), a.res > 0)
			}
			prev = k
		}
		if u.level < n {
			s.dropped[u.level-1]++
			mark(dropped, u.level-1)
		}
	}
}

// add accumulates unit u, found in sq.
func (a *acc) add(u *unit, sq *seq) {
	if u.level == 0 {
		return
	}
	if u.excluded {
		a.excluded++
		return
	}
	a.addUnit(a.main, u, sq, a.custR, a.custD)
	for i := range a.bd {
		v := a.value(&a.opt.Breakdowns[i], u, sq)
		s := a.bd[i][v]
		if s == nil {
			s = newStageAcc(a.p.n)
			a.bd[i][v] = s
		}
		a.addUnit(s, u, sq, nil, nil)
	}
	if a.trend != nil {
		start := bucketStart(time.Unix(0, sq.times[a.startPos(u)]), a.opt.Trend, a.opt.Location).Unix()
		s := a.trend[start]
		if s == nil {
			s = newStageAcc(a.p.n)
			a.trend[start] = s
		}
		a.addUnit(s, u, sq, nil, nil)
	}
	if a.feats != nil {
		a.drivers(u, sq)
	}
}

// startPos returns the position of the unit's first event: the first
// stage's, the window's first, or (open funnels) the earliest reached.
func (a *acc) startPos(u *unit) int32 {
	if !a.p.open {
		return u.ev[0]
	}
	first := int32(-1)
	for _, e := range u.ev {
		if e >= 0 && (first < 0 || e < first) {
			first = e
		}
	}
	return first
}

// bucketStart returns the start of the calendar period of p that holds
// t, in loc: midnight, the Monday of an ISO week, or the first of a month.
func bucketStart(t time.Time, p Period, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	switch p {
	case Week:
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// attr returns the value of dimension b on event i of the log.
func (a *acc) attr(b *Breakdown, i int) string {
	l := a.l
	switch b.By {
	case ByChannel:
		return l.Name(journey.ByChannel, l.Symbol(journey.ByChannel, i))
	case ByTouchpoint:
		return l.Name(journey.ByTouchpoint, l.Symbol(journey.ByTouchpoint, i))
	case ByStep:
		return l.Name(journey.ByStep, l.Symbol(journey.ByStep, i))
	}
	v, _ := l.Prop(i, b.Prop)
	return v
}

// value returns the breakdown value of unit u.
func (a *acc) value(b *Breakdown, u *unit, sq *seq) string {
	end := int(u.end)
	if b.By == ByPersona {
		return a.persona(b, u, sq)
	}
	switch b.Attribution {
	case AtStage:
		if e := u.ev[b.Stage]; e >= 0 {
			return a.attr(b, sq.base+int(e))
		}
		return ""
	case LastTouch:
		for q := end; q >= 0; q-- {
			if v := a.attr(b, sq.base+q); v != "" {
				return v
			}
		}
		return ""
	}
	for q := 0; q <= end; q++ {
		if v := a.attr(b, sq.base+q); v != "" {
			return v
		}
	}
	return ""
}

// persona assigns the unit a persona from the properties Attribution
// picks: per key, the first or last value of the customer's events up to
// the chain's end, or the properties of the stage's event.
func (a *acc) persona(b *Breakdown, u *unit, sq *seq) string {
	if a.props == nil {
		a.props = map[string]string{}
	}
	clear(a.props)
	l := a.l
	switch b.Attribution {
	case AtStage:
		if e := u.ev[b.Stage]; e >= 0 {
			for k, v := range l.Props(sq.base + int(e)) {
				a.props[k] = v
			}
		}
	default:
		for q := 0; q <= int(u.end); q++ {
			for k, v := range l.Props(sq.base + q) {
				if _, ok := a.props[k]; !ok || b.Attribution == LastTouch {
					a.props[k] = v
				}
			}
		}
	}
	p, _ := b.Personas.Assign(a.props)
	return p
}

// drivers counts the unit's features for the driver analysis: those of
// its events strictly after its first stage's event and strictly before
// the first of the target stage's event, the end of the window, that
// reach no stage.
func (a *acc) drivers(u *unit, sq *seq) {
	d := a.opt.Drivers
	target := d.Target
	if target == 0 {
		target = a.p.n - 1
	}
	var startT, succT int64
	success := u.level > target
	if a.p.order == Unordered {
		startT = u.at[0]
		if success {
			succT = u.at[target]
		}
	} else {
		startT = sq.times[u.ev[0]]
		if success {
			succT = sq.times[u.ev[target]]
		}
	}
	endT := int64(math.MaxInt64)
	if a.p.window > 0 {
		endT = addSat(startT, a.p.window)
	}
	if success {
		endT = min(endT, succT)
	}
	clear(a.unitFeats)
	l := a.l
	for q := range sq.len() {
		t := sq.times[q]
		if t <= startT || !sq.empty(q) {
			continue
		}
		if t >= endT {
			break
		}
		i := sq.base + q
		if d.Steps {
			a.unitFeats[Feature{Kind: "step", Value: l.Name(journey.ByStep, l.Symbol(journey.ByStep, i))}] = true
		}
		if d.Channels {
			if v := l.Name(journey.ByChannel, l.Symbol(journey.ByChannel, i)); v != "" {
				a.unitFeats[Feature{Kind: "channel", Value: v}] = true
			}
		}
		if d.Touchpoints {
			if v := l.Name(journey.ByTouchpoint, l.Symbol(journey.ByTouchpoint, i)); v != "" {
				a.unitFeats[Feature{Kind: "touchpoint", Value: v}] = true
			}
		}
		for _, key := range d.Props {
			if v, ok := l.Prop(i, key); ok {
				a.unitFeats[Feature{Kind: "prop", Key: key, Value: v}] = true
			}
		}
	}
	if success {
		a.succ++
	} else {
		a.fail++
	}
	for ft := range a.unitFeats {
		c := a.feats[ft]
		if success {
			c[0]++
		} else {
			c[1]++
		}
		a.feats[ft] = c
	}
}

// finish merges the shares' accumulators into the report.
func finish(parts []*acc, p *plan, f *Funnel, opt *Options, l *journey.Log) *Report {
	r := &Report{Funnel: specOf(f, opt)}
	for c := range l.Customers() {
		r.Sample.s.Add(l.Customer(c))
	}
	n := p.n
	stages := func(ss []*stageAcc) Stages {
		out := make(Stages, n)
		for k := range n {
			out[k].Name = f.Stages[k].Name
			out[k].Optional = f.Stages[k].Optional
			// The parts are not used after finish: one part's samples are
			// sorted where they are, several parts' into one slice of the
			// right size.
			var prev, first []int64
			if len(ss) == 1 {
				prev, first = ss[0].prev[k].raw, ss[0].first[k].raw
			} else {
				np, nf := 0, 0
				for _, s := range ss {
					np, nf = np+len(s.prev[k].raw), nf+len(s.first[k].raw)
				}
				prev, first = make([]int64, 0, np), make([]int64, 0, nf)
			}
			for _, s := range ss {
				out[k].Reached += s.reached[k]
				out[k].Dropped += s.dropped[k]
				if len(ss) > 1 {
					prev = append(prev, s.prev[k].raw...)
					first = append(first, s.first[k].raw...)
				}
			}
			out[k].FromPrevious = durationsOf(prev)
			out[k].FromFirst = durationsOf(first)
			for _, s := range ss {
				out[k].FromPrevious.q.Merge(s.prev[k].runs)
				out[k].FromFirst.q.Merge(s.first[k].runs)
			}
		}
		return out
	}
	mains := make([]*stageAcc, len(parts))
	for i, a := range parts {
		mains[i] = a.main
		r.Customers += a.customers
		r.Excluded += a.excluded
	}
	r.Stages = stages(mains)
	if opt.ListCustomers {
		for k := range n {
			var reached, dropped []string
			for _, a := range parts {
				reached = append(reached, a.reachedIDs[k]...)
				dropped = append(dropped, a.droppedIDs[k]...)
			}
			r.Stages[k].Customers, r.Stages[k].DroppedCustomers = reached, dropped
		}
	}
	for i, b := range opt.Breakdowns {
		br := BreakdownReport{Breakdown: b}
		values := map[string][]*stageAcc{}
		for _, a := range parts {
			for v, s := range a.bd[i] {
				values[v] = append(values[v], s)
			}
		}
		for v, ss := range values {
			br.Segments = append(br.Segments, Segment{Value: v, Stages: stages(ss)})
		}
		sortSegments(br.Segments)
		r.Breakdowns = append(r.Breakdowns, br)
	}
	if opt.Trend != NoTrend {
		starts := map[int64][]*stageAcc{}
		for _, a := range parts {
			for t, s := range a.trend {
				starts[t] = append(starts[t], s)
			}
		}
		for t, ss := range starts {
			r.Trend = append(r.Trend, Bucket{Start: time.Unix(t, 0).In(opt.Location), Stages: stages(ss)})
		}
		slices.SortFunc(r.Trend, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
	}
	if opt.Drivers != nil {
		d := &DriverCounts{Features: []FeatureCount{}}
		all := map[Feature][2]int{}
		for _, a := range parts {
			d.Success += a.succ
			d.Failure += a.fail
			for ft, c := range a.feats {
				x := all[ft]
				all[ft] = [2]int{x[0] + c[0], x[1] + c[1]}
			}
		}
		for ft, c := range all {
			d.Features = append(d.Features, FeatureCount{Feature: ft, Success: c[0], Failure: c[1]})
		}
		slices.SortFunc(d.Features, func(a, b FeatureCount) int { return compareFeatures(a.Feature, b.Feature) })
		r.Drivers = d
	}
	return r
}

// specOf records f and opt in a report.
func specOf(f *Funnel, opt *Options) Spec {
	s := Spec{Order: f.Order, Window: f.Window, Open: f.Open,
		StrictDedup: f.StrictDedup, StrictIncrease: f.StrictIncrease, StrictOnce: f.StrictOnce, AllowReentry: f.AllowReentry,
		Count: opt.Count, Trend: opt.Trend, Resolution: opt.Resolution, Lists: opt.ListCustomers, Drivers: opt.Drivers}
	hasWithin := false
	for k, st := range f.Stages {
		s.Stages = append(s.Stages, st.Name)
		if st.Optional {
			s.Optional = append(s.Optional, k)
		}
		hasWithin = hasWithin || st.Within > 0
	}
	if hasWithin {
		for _, st := range f.Stages {
			s.Within = append(s.Within, st.Within)
		}
	}
	for _, x := range f.Exclusions {
		s.Exclusions = append(s.Exclusions, ExclusionSpec{Name: x.Stage.Name, From: x.From, To: x.To})
	}
	if opt.Trend != NoTrend {
		s.Location = opt.Location.String()
	}
	return s
}
