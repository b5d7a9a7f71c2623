package simulate

import (
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
	// MaxSteps states ends in journey.Exit. 0 means 1000.
	MaxSteps int
	// Prefix starts every customer id; "" means "c". Give the arms of an
	// experiment different prefixes to merge their logs.
	Prefix string
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
// journey.Start until it absorbs them, and returns their events as a log.
// It is Run of the Model New(Spec{Graph: g}) builds: no touchpoints,
// personas, waits nor values, so every event of a customer is at its
// start time. See Model.Run for what the log holds.
func Run(g *journey.Graph, opt Options) (*journey.Log, error) {
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
// journey.Start. Its events are the states it visits, in order — not
// Start — and then one event for the absorbing state that ends the walk:
// its Step is journey.Conversion or journey.Exit (or the name of another
// absorbing state of the graph). A walk that has visited opt.MaxSteps
// states and would go on ends in journey.Exit instead. The Step of a
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
// Run fails with an error prefixed "simulate: " and wrapping ErrBadOption
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
	shards := make([]*columns, min(r.workers, r.Customers))
	var wg sync.WaitGroup
	for s := range shards {
		lo, hi := s*r.Customers/len(shards), (s+1)*r.Customers/len(shards)
		wg.Add(1)
		go func() {
			defer wg.Done()
			shards[s] = m.fill(&r, &k, lo, hi)
		}()
	}
	wg.Wait()
	// The first error is that of the first failing customer: shards hold
	// consecutive customers and each stops at its first failure.
	for _, c := range shards {
		if c.err != nil {
			return nil, fmt.Errorf("simulate: %w", c.err)
		}
	}
	l, err := m.assemble(shards)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	return l, nil
}

// columns are the events of a shard of consecutive customers, with the
// model's symbol ids, and the order in which the shard first meets each
// symbol.
type columns struct {
	customers []string
	ends      []uint32 // customer c's events end at ends[c]
	times     []int64
	syms      [3][]uint32
	valIdx    []uint32
	vals      []float64
	propIdx   []uint32
	propKV    []uint32
	seen      [numTables][]bool
	order     [numTables][]uint32
	err       error
}

// The symbol tables of a log: steps, channels, touchpoints (the order of
// journey.By), then property keys and values.
const (
	tabSteps = iota
	tabChannels
	tabTouchpoints
	tabProps
	numTables
)

// note records that the shard meets symbol id of table t.
func (c *columns) note(t int, id uint32) {
	if !c.seen[t][id] {
		c.seen[t][id] = true
		c.order[t] = append(c.order[t], id)
	}
}

// fill simulates customers [lo, hi) into columns. It stops at the first
// customer that fails, recording its error.
func (m *Model) fill(r *resolved, k *keys, lo, hi int) *columns {
	c := &columns{customers: customerIDs(r.Prefix, r.width, lo, hi), ends: make([]uint32, 0, hi-lo)}
	for t := range numTables {
		c.seen[t] = make([]bool, len(m.syms.names[t]))
	}
	props := len(m.personas) > 0
	w := newWalker(m, k)
	for i := lo; i < hi; i++ {
		if err := w.walk(i, r); err != nil {
			c.err = fmt.Errorf("customer %s: %w", c.customers[i-lo], err)
			return c
		}
		var pv uint32
		if props {
			pv = m.syms.persona[w.persona]
		}
		for _, e := range w.buf {
			pos := uint32(len(c.times))
			c.times = append(c.times, e.t)
			step := uint32(e.step)
			var ch, tp uint32
			if e.tp >= 0 {
				s := m.syms.touch[e.step][e.tp]
				ch, tp = s[0], s[1]
			}
			c.syms[tabSteps] = append(c.syms[tabSteps], step)
			c.syms[tabChannels] = append(c.syms[tabChannels], ch)
			c.syms[tabTouchpoints] = append(c.syms[tabTouchpoints], tp)
			c.note(tabSteps, step)
			c.note(tabChannels, ch)
			c.note(tabTouchpoints, tp)
			if e.v != 0 {
				c.valIdx = append(c.valIdx, pos)
				c.vals = append(c.vals, e.v)
			}
			if props {
				c.propIdx = append(c.propIdx, pos)
				c.propKV = append(c.propKV, 0, pv)
				c.note(tabProps, 0)
				c.note(tabProps, pv)
			}
		}
		c.ends = append(c.ends, uint32(len(c.times)))
		if i-lo == reserveAfter && hi-i > reserveAfter {
			c.reserve(hi - lo)
		}
	}
	return c
}

// reserveAfter is the number of customers after which a shard reserves
// room for all of its events, estimated from those so far: growing by
// doubling would copy the columns about twice over.
const reserveAfter = 1024

// reserve grows the columns to hold about n customers like those so far,
// with a margin of 5%.
func (c *columns) reserve(n int) {
	done := len(c.ends)
	grow := func(have, per int) int { return per*n/done*21/20 + 1024 - have }
	c.times = slices.Grow(c.times, grow(len(c.times), len(c.times)))
	for t := range c.syms {
		c.syms[t] = slices.Grow(c.syms[t], grow(len(c.syms[t]), len(c.syms[t])))
	}
	c.valIdx = slices.Grow(c.valIdx, grow(len(c.valIdx), len(c.valIdx)))
	c.vals = slices.Grow(c.vals, grow(len(c.vals), len(c.vals)))
	c.propIdx = slices.Grow(c.propIdx, grow(len(c.propIdx), len(c.propIdx)))
	c.propKV = slices.Grow(c.propKV, grow(len(c.propKV), len(c.propKV)))
}

// assemble concatenates the shards into one log. Symbols are renumbered
// in the order the concatenated events first meet them, as a LogBuilder
// fed the events in order numbers them; since shards hold consecutive
// customers, that order is the shards' orders merged in turn, so the log
// does not depend on how the customers were split. The copy runs one
// goroutine per shard.
func (m *Model) assemble(shards []*columns) (*journey.Log, error) {
	var remap [numTables][]uint32
	var out logcols.Log
	names := [numTables]*[]string{&out.Names[0], &out.Names[1], &out.Names[2], &out.PropNames}
	for t := range numTables {
		table := m.syms.names[t]
		remap[t] = make([]uint32, len(table))
		done := make([]bool, len(table))
		for _, c := range shards {
			for _, id := range c.order[t] {
				if !done[id] {
					done[id] = true
					remap[t][id] = uint32(len(*names[t]))
					*names[t] = append(*names[t], table[id])
				}
			}
		}
	}
	if len(shards) == 1 {
		return adopt(shards[0], &out, &remap)
	}
	type base struct{ cust, events, vals, props int }
	bases := make([]base, len(shards)+1)
	for i, c := range shards {
		b := bases[i]
		bases[i+1] = base{b.cust + len(c.customers), b.events + len(c.times), b.vals + len(c.vals), b.props + len(c.propIdx)}
	}
	total := bases[len(shards)]
	if total.events > math.MaxUint32-1 {
		return nil, journey.ErrTooLarge
	}
	out.Customers = make([]string, total.cust)
	out.Offsets = make([]uint32, total.cust+1)
	out.Times = make([]int64, total.events)
	for t := range out.Syms {
		out.Syms[t] = make([]uint32, total.events)
	}
	out.ValIdx = make([]uint32, total.vals)
	out.Vals = make([]float64, total.vals)
	if total.props > 0 {
		out.PropIdx = make([]uint32, total.props)
		out.PropOff = make([]uint32, total.props+1)
		out.PropKV = make([]uint32, 2*total.props)
	}
	var wg sync.WaitGroup
	for i, c := range shards {
		b := bases[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			e0 := uint32(b.events)
			copy(out.Customers[b.cust:], c.customers)
			for j, end := range c.ends {
				out.Offsets[b.cust+j+1] = e0 + end
			}
			copy(out.Times[b.events:], c.times)
			for t := range out.Syms {
				dst, rm := out.Syms[t][b.events:], remap[t]
				for j, id := range c.syms[t] {
					dst[j] = rm[id]
				}
			}
			for j, idx := range c.valIdx {
				out.ValIdx[b.vals+j] = e0 + idx
			}
			copy(out.Vals[b.vals:], c.vals)
			rm := remap[tabProps]
			for j, idx := range c.propIdx {
				k := b.props + j
				out.PropIdx[k] = e0 + idx
				out.PropOff[k+1] = uint32(2 * (k + 1))
				out.PropKV[2*k], out.PropKV[2*k+1] = rm[c.propKV[2*j]], rm[c.propKV[2*j+1]]
			}
		}()
	}
	wg.Wait()
	return build(&out)
}

// adopt makes the log of a single shard, renumbering its symbols in place.
func adopt(c *columns, out *logcols.Log, remap *[numTables][]uint32) (*journey.Log, error) {
	out.Customers = c.customers
	out.Offsets = make([]uint32, len(c.ends)+1)
	copy(out.Offsets[1:], c.ends)
	out.Times = c.times
	for t := range out.Syms {
		rm := remap[t]
		for j, id := range c.syms[t] {
			c.syms[t][j] = rm[id]
		}
		out.Syms[t] = c.syms[t]
	}
	out.ValIdx, out.Vals = c.valIdx, c.vals
	if len(c.propIdx) > 0 {
		rm := remap[tabProps]
		for j, id := range c.propKV {
			c.propKV[j] = rm[id]
		}
		out.PropIdx, out.PropKV = c.propIdx, c.propKV
		out.PropOff = make([]uint32, len(c.propIdx)+1)
		for k := range c.propIdx {
			out.PropOff[k+1] = uint32(2 * (k + 1))
		}
	}
	return build(out)
}

// build checks the columns and returns their log.
func build(out *logcols.Log) (*journey.Log, error) {
	if len(out.Times) > math.MaxUint32-1 {
		return nil, journey.ErrTooLarge
	}
	l, err := logcols.New(out)
	if err != nil {
		return nil, err
	}
	return l.(*journey.Log), nil
}

// customerIDs returns the ids of customers [lo, hi): prefix and the
// index zero-padded to width digits. They share one string, so that a
// shard allocates its ids at once.
func customerIDs(prefix string, width, lo, hi int) []string {
	n := len(prefix) + width
	buf := make([]byte, 0, n*(hi-lo))
	var digits [20]byte
	for i := lo; i < hi; i++ {
		buf = append(buf, prefix...)
		d := strconv.AppendInt(digits[:0], int64(i), 10)
		for range width - len(d) {
			buf = append(buf, '0')
		}
		buf = append(buf, d...)
	}
	all := string(buf)
	ids := make([]string, hi-lo)
	for i := range ids {
		ids[i] = all[i*n : (i+1)*n]
	}
	return ids
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
	buf     []event // the last walk's events, the end event last
	persona int
	end     int32 // the absorbing state reached (Exit when capped)
	capped  bool
}

func newWalker(m *Model, k *keys) *walker {
	return &walker{m: m, k: k, s: newStreams(), buf: make([]event, 0, 64)}
}

// walk simulates customer i into w.buf.
func (w *walker) walk(i int, r *resolved) error {
	m, s := w.m, w.s
	s.reset(w.k, i)
	w.buf = w.buf[:0]
	w.persona, w.capped = 0, false
	if len(m.shareCum) > 1 {
		u := s.uniform(streamWalk)
		p := 0
		for m.shareCum[p] <= u {
			p++
		}
		w.persona = p
	}
	t := r.start
	if r.period > 0 {
		t += int64(s.below(streamTime, uint64(r.period)))
	}
	tab := &m.tabs[w.persona]
	cur := m.start
	visits := 0
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
		if visits == r.maxSteps {
			w.end, w.capped = m.exit, true
			break
		}
		visits++
		var err error
		if cur == m.start {
			for _, step := range m.parts[m.partOff[next]:m.partOff[next+1]] {
				if t, err = w.emit(step, t, true); err != nil {
					return err
				}
			}
		} else if t, err = w.emit(m.stepOf(next), t, true); err != nil {
			return err
		}
		cur = next
	}
	_, err := w.emit(m.stepOf(w.end), t, false)
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
