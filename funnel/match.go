package funnel

import (
	"slices"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// This file evaluates stages on a journey.Log. Stages made by the
// constructors are evaluated on interned symbols: for each step, channel
// or touchpoint id of the log, the set of stages it allows is computed
// once, and an event's stages are the intersection of the sets of its
// symbols, a few word operations. Property conditions read the event's
// property; stages with an arbitrary Match get an Event built for them.

// maskSet evaluates a list of matchers (stages, or exclusions) on events
// of a log, as bit sets of w words.
type maskSet struct {
	w     int
	all   []uint64 // every matcher's bit
	dims  []dimMask
	props []propTest
	slow  []slowTest
}

type dimMask struct {
	by    journey.By
	masks []uint64 // w words per symbol id
}

type propTest struct {
	bit int
	p   propCond
}

type slowTest struct {
	bit   int
	match func(journey.Event) bool
}

func newMaskSet(ms []matcher, l *journey.Log) maskSet {
	w := (len(ms) + 63) / 64
	m := maskSet{w: w, all: make([]uint64, w)}
	for b := range ms {
		m.all[b>>6] |= 1 << (b & 63)
	}
	for d := range numDims {
		used := false
		for _, mt := range ms {
			used = used || mt.c != nil && mt.c.sets[d] != nil
		}
		if !used {
			continue
		}
		by := journey.By(d)
		dm := dimMask{by: by, masks: make([]uint64, l.NumNames(by)*w)}
		for id := range l.NumNames(by) {
			name := l.Name(by, id)
			row := dm.masks[id*w : (id+1)*w]
			for b, mt := range ms {
				if mt.c == nil || mt.c.sets[d] == nil || mt.c.sets[d][name] {
					row[b>>6] |= 1 << (b & 63)
				}
			}
		}
		m.dims = append(m.dims, dm)
	}
	for b, mt := range ms {
		if mt.c == nil {
			m.slow = append(m.slow, slowTest{b, mt.match})
			continue
		}
		for _, p := range mt.c.props {
			m.props = append(m.props, propTest{b, p})
		}
	}
	return m
}

// simple reports whether one symbol dimension decides every bit.
func (m *maskSet) simple() bool { return len(m.dims) == 1 && len(m.props) == 0 && len(m.slow) == 0 }

// eval writes the bits of event i of l into out; ev builds the event for
// the matchers that need one.
func (m *maskSet) eval(l *journey.Log, i int, out []uint64, ev func() *journey.Event) {
	if len(m.dims) == 0 {
		copy(out, m.all)
	} else {
		d := &m.dims[0]
		id := l.Symbol(d.by, i)
		copy(out, d.masks[id*m.w:(id+1)*m.w])
		for _, d := range m.dims[1:] {
			id := l.Symbol(d.by, i)
			for k, x := range d.masks[id*m.w : (id+1)*m.w] {
				out[k] &= x
			}
		}
	}
	for _, t := range m.props {
		if out[t.bit>>6]&(1<<(t.bit&63)) == 0 {
			continue
		}
		v, ok := l.Prop(i, t.p.key)
		if !ok || t.p.values != nil && !t.p.values[v] {
			out[t.bit>>6] &^= 1 << (t.bit & 63)
		}
	}
	for _, t := range m.slow {
		if out[t.bit>>6]&(1<<(t.bit&63)) != 0 && !t.match(*ev()) {
			out[t.bit>>6] &^= 1 << (t.bit & 63)
		}
	}
}

// logMatcher fills seqs from a log.
type logMatcher struct {
	p      *plan
	l      *journey.Log
	stages maskSet
	excl   maskSet
	xbuf   []uint64
	// the event built for matchers without a fast path
	ev     journey.Event
	evIdx  int
	evCust int
}

func newLogMatcher(p *plan, f Funnel, l *journey.Log) *logMatcher {
	lm := &logMatcher{p: p, l: l, stages: newMaskSet(p.stages, l)}
	if len(p.excl) > 0 {
		lm.excl = newMaskSet(p.excl, l)
		lm.xbuf = make([]uint64, 1)
	}
	return lm
}

// worker returns a copy of lm for one goroutine: the masks are shared,
// the buffers are its own.
func (lm *logMatcher) worker() *logMatcher {
	w := *lm
	w.xbuf = slices.Clone(lm.xbuf)
	w.evIdx = -1
	return &w
}

// event returns event i of customer c as an Event, built once per event.
// Its Props are read only if the log has properties.
func (lm *logMatcher) event(c, i int) *journey.Event {
	if lm.evIdx == i && lm.evCust == c {
		return &lm.ev
	}
	l := lm.l
	lm.ev = journey.Event{
		Customer:   l.Customer(c),
		Time:       l.Time(i),
		Step:       l.Name(journey.ByStep, l.Symbol(journey.ByStep, i)),
		Channel:    touchpoint.Channel(l.Name(journey.ByChannel, l.Symbol(journey.ByChannel, i))),
		Touchpoint: l.Name(journey.ByTouchpoint, l.Symbol(journey.ByTouchpoint, i)),
	}
	if l.HasValues() {
		lm.ev.Value = l.Value(i)
	}
	if l.HasProps() {
		lm.ev.Props = l.Props(i)
	}
	lm.evIdx, lm.evCust = i, c
	return &lm.ev
}

// fill prepares the events [lo, hi) of customer c in sq.
func (lm *logMatcher) fill(sq *seq, c, lo, hi int) {
	l := lm.l
	n := hi - lo
	sq.reset(lm.p, n)
	sq.base = lo
	lm.evIdx = -1
	if lm.stages.simple() && lm.stages.w == 1 && sq.xs == nil {
		d := &lm.stages.dims[0]
		masks, times := sq.masks[:n], sq.times[:n]
		for k := range n {
			i := lo + k
			times[k] = l.UnixNano(i)
			masks[k] = d.masks[l.Symbol(d.by, i)]
		}
		return
	}
	stSimple := lm.stages.simple()
	xSimple := sq.xs != nil && lm.excl.simple()
	w := lm.stages.w
	for k := range n {
		i := lo + k
		sq.times[k] = l.UnixNano(i)
		ev := func() *journey.Event { return lm.event(c, i) }
		if stSimple {
			d := &lm.stages.dims[0]
			id := l.Symbol(d.by, i)
			copy(sq.masks[k*w:(k+1)*w], d.masks[id*w:(id+1)*w])
		} else {
			lm.stages.eval(l, i, sq.mask(k), ev)
		}
		switch {
		case xSimple:
			d := &lm.excl.dims[0]
			sq.xs[k] = d.masks[l.Symbol(d.by, i)]
		case sq.xs != nil:
			lm.excl.eval(l, i, lm.xbuf, ev)
			sq.xs[k] = lm.xbuf[0]
		}
	}
}
