package simulate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/parcours-go/parcours/internal/logcols"
	"github.com/parcours-go/parcours/internal/verr"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

// Options say how many customers to simulate and how. Customers is
// required; the zero value of every other field is a documented default.
type Options struct {
	Customers int    // required, > 0
	Seed      uint64 // same seed, same log, whatever Workers
	// Workers is the number of goroutines that simulate, each a
	// contiguous share of the customers; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// Start is when the first journey starts; the zero time means
	// 2025-01-01 UTC.
	Start time.Time
	// Period spreads the journeys' start times uniformly over [Start,
	// Start+Period), to the nanosecond; 0 starts them all at Start.
	Period time.Duration
	// MaxSteps caps the states a walk visits: a walk still going after
	// MaxSteps states ends in graph.Exit. 0 means 1000.
	MaxSteps int
	// Prefix starts every customer id; "" means "c". Give the arms of an
	// experiment different prefixes to merge their logs.
	Prefix string
	// Context, when not nil, stops the simulation once it is done: it
	// then returns Context.Err() and no log.
	Context context.Context
}

// ctxErr returns the error of a done ctx; a nil ctx is never done.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

// defaultStart is the start of simulated time when Options.Start is zero.
var defaultStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// The range of times a journey.Log holds.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// resolved are Options with defaults applied.
type resolved struct {
	Options
	start    int64 // Unix nanoseconds
	period   int64
	maxSteps int
	workers  int
	width    int // digits of a customer index
}

// resolve checks the options and applies the defaults. Every problem is
// reported, each under "options: <field>" and wrapping ErrBadOption.
func (o Options) resolve() (resolved, error) {
	var l verr.List
	if o.Customers <= 0 {
		l.Addf("customers", "%w: %d is not positive", ErrBadOption, o.Customers)
	}
	if o.Workers < 0 {
		l.Addf("workers", "%w: %d is negative", ErrBadOption, o.Workers)
	}
	if o.MaxSteps < 0 {
		l.Addf("max steps", "%w: %d is negative", ErrBadOption, o.MaxSteps)
	}
	if o.Period < 0 {
		l.Addf("period", "%w: %v is negative", ErrBadOption, o.Period)
	}
	r := resolved{Options: o, period: int64(o.Period), maxSteps: o.MaxSteps, workers: o.Workers}
	if o.Start.IsZero() {
		r.Options.Start = defaultStart
	}
	if s := r.Options.Start; s.Before(minTime) || s.After(maxTime) || o.Period > 0 && s.Add(o.Period).After(maxTime) {
		l.Addf("start", "%w: %v, or the period after it, is outside the years 1678 to 2262 a log holds", ErrBadOption, s)
	}
	if l.Len() > 0 {
		return r, verr.Prefix("options", l.Err())
	}
	r.start = r.Options.Start.UnixNano()
	if r.maxSteps == 0 {
		r.maxSteps = 1000
	}
	if r.workers == 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	if r.Prefix == "" {
		r.Prefix = "c"
	}
	r.width = len(strconv.Itoa(o.Customers - 1))
	return r, nil
}

// Run simulates opt.Customers customers walking the journey graph g from
// graph.Start until it absorbs them, and returns their events as a log.
// It is Run of the Model New(Spec{Graph: g}) builds: no touchpoints,
// personas, waits nor values, so every event of a customer is at its
// start time. See Model.Run for what the log holds.
func Run(g *graph.Graph, opt Options) (*journey.Log, error) {
	if _, err := opt.resolve(); err != nil {
		return nil, verr.Prefix("simulate", err)
	}
	m, err := New(Spec{Graph: g})
	if err != nil {
		return nil, err
	}
	return m.Run(opt)
}

// Run simulates opt.Customers customers and returns their events as a
// log. Customer i (from 0) has the id opt.Prefix followed by i written in
// decimal, zero-padded to the width of the largest index ("c0042" among
// 10 000 customers), so that ids sort in simulation order.
//
// Each customer is one persona, drawn by share, and walks the chain from
// graph.Start. Its events are the states it visits, in order — not
// Start — and then one event for the absorbing state that ends the walk:
// its Step is graph.Conversion or graph.Exit (or the name of another
// absorbing state of the graph). A walk that has visited opt.MaxSteps
// states and would go on ends in graph.Exit instead. The Step of a
// visited state's event is the state's step, its last part; at order k
// the first state after Start, which holds the first k steps of the path
// (or the whole of a shorter path), gives one event per part, so that
// the events spell the path and journey.Learn at order k reads back the
// same states. journey.Learn recognises the end events: on a large
// simulated log it recovers the chain.
//
// The first event is at the customer's start time; each event after it
// comes the waiting time of the previous event's step later, drawn from
// the model's distribution for that step and rounded to the nanosecond.
// An event at a step with touchpoints has the channel and touchpoint id
// of one of them; an event at a step with a value distribution has a
// value (0 is no value); with personas, every event has the property
// PersonaProp set to the customer's persona id.
//
// The log depends only on the model and on opt without Workers: the
// same seed gives the same log byte for byte, whatever the number of
// workers and on every platform. Each customer draws from streams of its
// own, seeded from (Seed, its index), and the arithmetic is free of
// platform-dependent rounding (see the package documentation).
//
// Run returns opt.Context.Err() if the context is done before the end.
// It fails with an error prefixed "simulate: " and wrapping ErrBadOption
// for bad options, ErrBadDist when a Func distribution returns a negative
// or non-finite number, ErrTimeRange when a time would pass the year 2262,
// or journey.ErrTooLarge beyond 2³²−2 events. It takes O(e) time for e
// events, spread over Workers goroutines.
func (m *Model) Run(opt Options) (*journey.Log, error) {
	r, err := opt.resolve()
	if err != nil {
		return nil, verr.Prefix("simulate", err)
	}
	k := newKeys(r.Seed)
	n := r.Customers
	shards := min(r.workers, n)
	bounds := make([]int, shards+1)
	for s := range bounds {
		bounds[s] = s * n / shards
	}
	var out logcols.Log
	out.Customers = make([]string, n)
	out.Offsets = make([]uint32, n+1)

	// Pass 1: every customer's persona and states, from its walk stream
	// alone, and so its number of events. Offsets hold each shard's own
	// running counts for now.
	counts := make([]int, shards)
	drawn := make([]*paths, shards)
	parallel(shards, func(s int) {
		lo, hi := bounds[s], bounds[s+1]
		customerIDs(out.Customers[lo:hi], r.Prefix, r.width, lo)
		w := newWalker(m, &k)
		ps := &paths{persona: make([]int32, 0, hi-lo)}
		drawn[s] = ps
		total := 0
		for i := lo; i < hi; i++ {
			if (i-lo)&4095 == 0 && ctxErr(r.Context) != nil {
				break
			}
			total += w.path(i, &r)
			if total > maxEvents {
				counts[s] = total
				return
			}
			out.Offsets[i+1] = uint32(total)
			ps.add(w)
			if i-lo == reserveAfter && hi-i > reserveAfter {
				ps.states = slices.Grow(ps.states, len(ps.states)/(i-lo+1)*(hi-i)*21/20)
			}
		}
		counts[s] = total
	})
	if err := ctxErr(r.Context); err != nil {
		return nil, err
	}
	bases := make([]int, shards+1)
	for s, c := range counts {
		bases[s+1] = bases[s] + c
	}
	total := bases[shards]
	if total > maxEvents {
		return nil, fmt.Errorf("simulate: %d customers make more than %d events: %w", n, maxEvents, journey.ErrTooLarge)
	}
	// The columns, allocated (and so zeroed) side by side.
	allocs := []func(){
		func() { out.Times = make([]int64, total) },
		func() { out.Syms[0] = make([]uint32, total) },
		func() { out.Syms[1] = make([]uint32, total) },
		func() { out.Syms[2] = make([]uint32, total) },
	}
	if len(m.personas) > 0 {
		allocs = append(allocs,
			func() { out.PropIdx = make([]uint32, total) },
			func() { out.PropSet = make([]uint32, total) })
	}
	if shards == 1 {
		for _, f := range allocs {
			f()
		}
	} else {
		parallel(len(allocs), func(i int) { allocs[i]() })
	}

	// Pass 2: the events, each shard writing its own range of the columns.
	parts := make([]*shard, shards)
	parallel(shards, func(s int) {
		parts[s] = m.fill(&r, &k, bounds[s], bounds[s+1], uint32(bases[s]), drawn[s], &out)
		drawn[s] = nil
	})
	if err := ctxErr(r.Context); err != nil {
		return nil, err
	}
	// The first error is that of the first failing customer: shards hold
	// consecutive customers and each stops at its first failure.
	for _, sh := range parts {
		if sh.err != nil {
			return nil, fmt.Errorf("simulate: %w", sh.err)
		}
	}

	// Pass 3: names numbered in the order the events first meet them.
	remap := m.number(parts, &out)
	setOf := personaSets(parts, remap[tabProps], &out)
	parallel(shards, func(s int) {
		lo, hi := bases[s], bases[s+1]
		for t := range out.Syms {
			col, rm := out.Syms[t][lo:hi], remap[t]
			for j, id := range col {
				col[j] = rm[id]
			}
		}
		if out.PropSet != nil {
			col := out.PropSet[lo:hi]
			for j, pv := range col {
				col[j] = setOf[pv]
			}
		}
	})
	nv := 0
	for _, sh := range parts {
		nv += len(sh.vals)
	}
	out.ValIdx = make([]uint32, 0, nv)
	out.Vals = make([]float64, 0, nv)
	for _, sh := range parts {
		out.ValIdx = append(out.ValIdx, sh.valIdx...)
		out.Vals = append(out.Vals, sh.vals...)
	}
	l, err := logcols.New(&out)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	return l.(*journey.Log), nil
}

// maxEvents is the most events a log holds.
const maxEvents = math.MaxUint32 - 1

// parallel calls f(0) … f(n-1), each on a goroutine of its own when n > 1,
// and waits for them.
func parallel(n int, f func(s int)) {
	if n == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for s := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(s)
		}()
	}
	wg.Wait()
}

// shard is what filling a range of customers leaves besides the
// columns: its values, the order in which it first meets each name, and
// the error of its first failing customer.
type shard struct {
	valIdx []uint32
	vals   []float64
	seen   [numTables][]bool
	order  [numTables][]uint32
	pvs    []uint32 // the persona values' ids, in the order its customers meet them
	err    error
}

// The name tables of a log: steps, channels, touchpoints (the order of
// journey.By), then property keys and values.
const (
	tabSteps = iota
	tabChannels
	tabTouchpoints
	tabProps
	numTables
)

// note records that the shard meets name id of table t.
func (sh *shard) note(t int, id uint32) {
	if !sh.seen[t][id] {
		sh.seen[t][id] = true
		sh.order[t] = append(sh.order[t], id)
	}
}

// paths are the personas and states of a range of customers: each
// customer's states after Start, its absorbing state last.
type paths struct {
	persona []int32
	states  []int32
	next    int // where replay reads
}

// reserveAfter is the number of customers after which pass 1 reserves
// room for the states of all of its shard, estimated from those so far.
const reserveAfter = 1024

// add appends the path w has just drawn.
func (ps *paths) add(w *walker) {
	ps.persona = append(ps.persona, int32(w.persona))
	ps.states = append(append(ps.states, w.states...), w.end)
}

// replay sets w to the path of the j-th customer of the range (in order).
func (ps *paths) replay(w *walker, j int) {
	m := w.m
	k := ps.next
	for !m.absorbing[ps.states[k]] {
		k++
	}
	w.states = ps.states[ps.next:k]
	w.end = ps.states[k]
	w.persona = int(ps.persona[j])
	ps.next = k + 1
}

// fill simulates customers [lo, hi), whose events start at index base,
// whose paths pass 1 drew and whose running counts of events it left in
// out.Offsets, into out's columns, with the model's name ids. It stops
// at the first customer that fails, recording its error.
func (m *Model) fill(r *resolved, k *keys, lo, hi int, base uint32, ps *paths, out *logcols.Log) *shard {
	sh := &shard{}
	for t := range numTables {
		sh.seen[t] = make([]bool, len(m.syms.names[t]))
	}
	props := len(m.personas) > 0
	times, steps, chans, tps := out.Times, out.Syms[tabSteps], out.Syms[tabChannels], out.Syms[tabTouchpoints]
	w := newWalker(m, k)
	pos := base
	for i := lo; i < hi; i++ {
		w.i = i
		ps.replay(w, i-lo)
		if err := w.events(r); err != nil {
			sh.err = fmt.Errorf("customer %s: %w", out.Customers[i], err)
			return sh
		}
		out.Offsets[i+1] += base
		if int(out.Offsets[i+1]-pos) != len(w.buf) {
			sh.err = fmt.Errorf("customer %s: %d events, %d counted (a bug)", out.Customers[i], len(w.buf), out.Offsets[i+1]-pos)
			return sh
		}
		var pv uint32
		if props {
			pv = m.syms.persona[w.persona]
			if len(w.buf) > 0 && !slices.Contains(sh.pvs, pv) {
				sh.pvs = append(sh.pvs, pv)
			}
		}
		for _, e := range w.buf {
			var ch, tp uint32
			if e.tp >= 0 {
				s := m.syms.touch[e.step][e.tp]
				ch, tp = s[0], s[1]
			}
			times[pos] = e.t
			steps[pos], chans[pos], tps[pos] = uint32(e.step), ch, tp
			sh.note(tabSteps, uint32(e.step))
			sh.note(tabChannels, ch)
			sh.note(tabTouchpoints, tp)
			if e.v != 0 {
				sh.valIdx = append(sh.valIdx, pos)
				sh.vals = append(sh.vals, e.v)
			}
			if props {
				out.PropIdx[pos] = pos
				out.PropSet[pos] = pv // a model id until pass 3
				sh.note(tabProps, 0)
				sh.note(tabProps, pv)
			}
			pos++
		}
	}
	return sh
}

// number sets out's name tables and returns, for each table, the new id
// of every model id. Names are numbered in the order the events first
// meet them, as a LogBuilder fed the events in order numbers them; since
// shards hold consecutive customers, that order is the shards' orders
// merged in turn, so the log does not depend on how the customers were
// split.
func (m *Model) number(parts []*shard, out *logcols.Log) [numTables][]uint32 {
	var remap [numTables][]uint32
	names := [numTables]*[]string{&out.Names[0], &out.Names[1], &out.Names[2], &out.PropNames}
	for t := range numTables {
		table := m.syms.names[t]
		remap[t] = make([]uint32, len(table))
		done := make([]bool, len(table))
		for _, sh := range parts {
			for _, id := range sh.order[t] {
				if !done[id] {
					done[id] = true
					remap[t][id] = uint32(len(*names[t]))
					*names[t] = append(*names[t], table[id])
				}
			}
		}
	}
	return remap
}

// personaSets sets out's sets of properties, one per persona value the
// events meet, {PersonaProp: value} in the log's ids, numbered in the
// order the events first meet them, as a LogBuilder numbers them, and
// returns the set of each model value id.
func personaSets(parts []*shard, remap []uint32, out *logcols.Log) []uint32 {
	setOf := make([]uint32, len(remap))
	for _, sh := range parts {
		for _, pv := range sh.pvs {
			if setOf[pv] != 0 {
				continue
			}
			if out.SetEnd == nil {
				out.SetEnd = []uint32{0}
			}
			out.SetKV = append(out.SetKV, remap[0], remap[pv])
			out.SetEnd = append(out.SetEnd, uint32(len(out.SetKV)))
			setOf[pv] = uint32(len(out.SetEnd) - 1)
		}
	}
	return setOf
}

// customerIDs writes into dst the ids of customers lo, lo+1 … : prefix
// and the index zero-padded to width digits. They share one string, so
// that a shard allocates its ids at once.
func customerIDs(dst []string, prefix string, width, lo int) {
	n := len(prefix) + width
	buf := make([]byte, 0, n*len(dst))
	var digits [20]byte
	for i := range dst {
		buf = append(buf, prefix...)
		d := strconv.AppendInt(digits[:0], int64(lo+i), 10)
		for range width - len(d) {
			buf = append(buf, '0')
		}
		buf = append(buf, d...)
	}
	all := string(buf)
	for i := range dst {
		dst[i] = all[i*n : (i+1)*n]
	}
}

// event is one simulated event: a step id, the index of its touchpoint
// among the step's (-1 for none), a time and a value.
type event struct {
	step int32
	tp   int32
	t    int64
	v    float64
}

// walker simulates one customer at a time; each goroutine has its own.
type walker struct {
	m       *Model
	k       *keys
	s       *streams
	i       int     // the customer
	states  []int32 // the states the walk enters after Start, the end excluded
	buf     []event // the walk's events, the end event last
	persona int
	end     int32 // the absorbing state reached (Exit when capped)
}

func newWalker(m *Model, k *keys) *walker {
	return &walker{m: m, k: k, s: newStreams(), states: make([]int32, 0, 64), buf: make([]event, 0, 64)}
}

// walk simulates customer i into w.buf.
func (w *walker) walk(i int, r *resolved) error {
	w.path(i, r)
	return w.events(r)
}

// path draws customer i's persona and the states it visits, from its
// walk stream alone, and returns the number of events they make: Run
// counts the events of every customer this way before it simulates them.
func (w *walker) path(i int, r *resolved) int {
	m, s := w.m, w.s
	w.i = i
	s.resetOne(w.k, i, streamWalk)
	w.states = w.states[:0]
	w.persona = 0
	if len(m.shareCum) > 1 {
		u := s.uniform(streamWalk)
		p := 0
		for m.shareCum[p] <= u {
			p++
		}
		w.persona = p
	}
	tab := &m.tabs[w.persona]
	cur := m.start
	n := 1 // the end event
	for {
		u := s.uniform(streamWalk)
		var next int32
		if tab.dead != nil && tab.dead[cur] {
			next = m.exit
		} else {
			next = m.to[pick(tab.cum[m.off[cur]:m.off[cur+1]], u)+int(m.off[cur])]
		}
		if m.absorbing[next] {
			w.end = next
			break
		}
		if len(w.states) == r.maxSteps {
			w.end = m.exit
			break
		}
		if cur == m.start {
			n += int(m.partOff[next+1] - m.partOff[next])
		} else {
			n++
		}
		w.states = append(w.states, next)
		cur = next
	}
	return n
}

// events turns the path drawn by path into events, drawing the start
// time, touchpoints, waits and values from the customer's other streams.
func (w *walker) events(r *resolved) error {
	m, s := w.m, w.s
	for p := range numStreams {
		if p != streamWalk {
			s.resetOne(w.k, w.i, p)
		}
	}
	w.buf = w.buf[:0]
	t := r.start
	if r.period > 0 {
		t += int64(s.below(streamTime, uint64(r.period)))
	}
	var err error
	for k, st := range w.states {
		if k == 0 {
			for _, step := range m.parts[m.partOff[st]:m.partOff[st+1]] {
				if t, err = w.emit(step, t, true); err != nil {
					return err
				}
			}
		} else if t, err = w.emit(m.stepOf(st), t, true); err != nil {
			return err
		}
	}
	_, err = w.emit(m.stepOf(w.end), t, false)
	return err
}

// emit appends an event at step and time t, drawing its touchpoint and
// value, and returns the time of the next event: t plus the step's
// waiting time if wait.
func (w *walker) emit(step int32, t int64, wait bool) (int64, error) {
	m, s := w.m, w.s
	e := event{step: step, tp: -1, t: t}
	if cum := m.tabs[w.persona].tpCum[step]; cum != nil {
		e.tp = int32(pick(cum, s.uniform(streamTouch)))
	}
	if m.valueSet[step] {
		e.v = m.values[step].sample(s, streamValue)
		if e.v != e.v {
			return t, fmt.Errorf("values[%q]: %w: the func returned a negative or non-finite number", m.steps[step], ErrBadDist)
		}
		if e.v > math.MaxFloat64 {
			return t, fmt.Errorf("values[%q]: %w: a value overflows to +Inf", m.steps[step], ErrBadDist)
		}
	}
	w.buf = append(w.buf, e)
	if !wait || !m.hasWait {
		return t, nil
	}
	d := m.waits[step].sample(s, streamTime)
	switch {
	case d != d:
		return t, fmt.Errorf("waits[%q]: %w: the func returned a negative or non-finite number", m.steps[step], ErrBadDist)
	case d >= 0x1p62: // 146 years
		return t, fmt.Errorf("%w: waits[%q]: a wait of %v ns is longer than a log's span", ErrTimeRange, m.steps[step], d)
	}
	ns := int64(d + 0.5)
	if t > math.MaxInt64-ns {
		return t, fmt.Errorf("%w: after the wait at %q, the journey passes the year 2262", ErrTimeRange, m.steps[step])
	}
	return t + ns, nil
}

// pick returns the first index whose cumulative probability exceeds u,
// for u in [0, 1) and cum ending in 1: a scan for short rows, a binary
// search for long ones. Entries of probability 0 (equal to the one before)
// are never picked.
func pick(cum []float64, u float64) int {
	if len(cum) <= 8 {
		for k, c := range cum {
			if c > u {
				return k
			}
		}
		return len(cum) - 1
	}
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cum[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
