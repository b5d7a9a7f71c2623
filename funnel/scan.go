package funnel

import "math/bits"

// This file holds the scan of the ordered family (Ordered, Strict,
// Consecutive; closed and open funnels): ClickHouse's windowFunnel slot
// algorithm, generalised as the package documentation describes.

// chain is the best chain the scan keeps at one stage: its first and last
// times, its last node, and, for chains written during the current group
// of simultaneous events, the stage its pre-group part had reached
// (origin; -1 for a chain started in the group).
type chain struct {
	first, last int64
	node        int32 // -1: no chain
	origin      int32
}

func (c *chain) ok() bool { return c.node >= 0 }

var noChain = chain{node: -1}

// slot holds the chain kept at one stage, and the one it had before the
// current group (for StrictIncrease and StrictOnce, whose extensions read
// the state before the group).
type slot struct {
	cur, pre chain
	stamp    int64 // group of the last write
}

// node is one event of a chain; chains share their prefixes.
type node struct {
	ev, stage, parent int32
}

// result of a group or an entry.
type result uint8

const (
	goOn      result = iota
	stop             // a ClickHouse mode stops the scan
	stopOther        // the strict order stops at an event of no stage, before the group's stages
	complete         // the last stage was reached
)

// unit is what a scan found for one customer or one attempt.
type unit struct {
	level    int  // stages reached; for open funnels, furthest stage + 1
	excluded bool // an exclusion voided every chain of this level
	// ev[k] is the position (in the seq) of the event of the chain at
	// stage k, or -1. For open funnels, the first event reaching k.
	ev []int32
	// Open funnels: cont[k] is true if a chain went on from stage k;
	// gap[k] is the time from the previous stage of the first chain that
	// continued into k, or -1.
	cont []bool
	gap  []int64
	// Unordered funnels: at[k] is the time at which the window covered
	// k+1 stages.
	at []int64
	// end is the position of the chain's last event.
	end int32
}

// runner scans customers; it reuses its buffers and is not safe for
// concurrent use.
type runner struct {
	p     *plan
	sq    *seq
	main  []slot
	valid []slot
	nodes []node

	firstMain  []int32 // first node written at each stage of main
	validEver  []int32 // unguarded stages: first node written in valid
	sinceClear []int32 // guarded stages: first node written since the last clear
	scG        []int64 // … its group
	scO        []int32 // … its origin
	gw         [][]gwrite
	gwStamp    []int64

	// open funnels
	cont []bool
	gap  []int64

	level     int
	seenStart bool
	g         int64
	prevT     int64
	hasPrev   bool

	union     []uint64
	u         unit
	match     matching
	onceCands []onceCand
	onceNeed  []int
	attempts  bool
	xlive     []int
	covers    [3]cover // unordered funnels: window, completion, witness
}

type gwrite struct{ node, origin int32 }

func newRunner(p *plan) *runner {
	n := p.n
	r := &runner{p: p,
		main: make([]slot, n), valid: make([]slot, n),
		firstMain: make([]int32, n), validEver: make([]int32, n),
		sinceClear: make([]int32, n), scG: make([]int64, n), scO: make([]int32, n),
		gw: make([][]gwrite, n), gwStamp: make([]int64, n),
		cont: make([]bool, n), gap: make([]int64, n),
		union: make([]uint64, p.w),
	}
	r.level = n
	r.reset()
	r.u.ev = make([]int32, n)
	r.u.cont = make([]bool, n)
	r.u.gap = make([]int64, n)
	r.u.at = make([]int64, n)
	return r
}

// reset empties the state for the next customer or attempt. Only the
// stages below r.level can have been written (a chain kept in valid is
// also kept in main), so only those are reset.
func (r *runner) reset() {
	for k := range r.level {
		r.main[k] = slot{cur: noChain, pre: noChain, stamp: -1}
		r.valid[k] = slot{cur: noChain, pre: noChain, stamp: -1}
		r.firstMain[k], r.validEver[k], r.sinceClear[k] = -1, -1, -1
		r.gwStamp[k] = -1
		r.cont[k] = false
		r.gap[k] = -1
	}
	r.nodes = r.nodes[:0]
	r.level = 0
	r.seenStart = false
}

func (r *runner) newNode(ev, stage, parent int32) int32 {
	r.nodes = append(r.nodes, node{ev, stage, parent})
	return int32(len(r.nodes) - 1)
}

// effOrigin is the stage the pre-group part of c had reached, c being
// kept at stage k: chains from earlier groups are wholly pre-group.
func (r *runner) effOrigin(c *chain, k int, t int64) int32 {
	if c.last < t {
		return int32(k)
	}
	return c.origin
}

// cmpChain orders chains by how well they can be extended: later first
// event, then later last event, then (for exclusions) later entry into
// the guarded stages, that is a lower origin.
func (r *runner) cmpChain(a *chain, ka int, b *chain, kb int, t int64) int {
	switch {
	case a.first != b.first:
		return compareInt64(a.first, b.first)
	case a.last != b.last:
		return compareInt64(a.last, b.last)
	case r.p.xfrom == nil:
		return 0
	}
	return -compareInt64(int64(r.effOrigin(a, ka, t)), int64(r.effOrigin(b, kb, t)))
}

// cmpSource orders the chains an event at time t may extend by the chain
// the extension gives, whose last event is the same: later first event,
// then (with exclusions) later entry into the guarded stages, then later
// last event (the witness then has the latest events). On a tie the
// caller keeps the chain found first, the one at the highest stage.
func (r *runner) cmpSource(a *chain, ka int, b *chain, kb int, t int64) int {
	if a.first != b.first {
		return compareInt64(a.first, b.first)
	}
	if r.p.xfrom != nil {
		if oa, ob := r.effOrigin(a, ka, t), r.effOrigin(b, kb, t); oa != ob {
			return -compareInt64(int64(oa), int64(ob))
		}
	}
	return compareInt64(a.last, b.last)
}

// read returns the chain of s that an extension at time t may use: the
// one before the current group when extensions read the pre-group state.
func (r *runner) read(s *slot, preGroup bool) chain {
	if preGroup && s.stamp == r.g {
		return s.pre
	}
	return s.cur
}

// put keeps c at stage k of arr if it is at least as good as the chain
// there. It reports whether c was kept.
func (r *runner) put(arr []slot, k int, c chain, t int64) bool {
	s := &arr[k]
	if s.cur.ok() && r.cmpChain(&c, k, &s.cur, k, t) < 0 {
		return false
	}
	if s.stamp != r.g {
		s.pre = s.cur
		s.stamp = r.g
	}
	s.cur = c
	return true
}

func (r *runner) putMain(k int, c chain, t int64) {
	if r.put(r.main, k, c, t) {
		if r.firstMain[k] < 0 {
			r.firstMain[k] = c.node
		}
		r.level = max(r.level, k+1)
	}
}

func (r *runner) putValid(k int, c chain, t int64) {
	if !r.put(r.valid, k, c, t) {
		return
	}
	if !r.p.guarded[k] {
		if r.validEver[k] < 0 {
			r.validEver[k] = c.node
		}
		return
	}
	if r.sinceClear[k] < 0 {
		r.sinceClear[k], r.scG[k], r.scO[k] = c.node, r.g, c.origin
	}
	if r.gwStamp[k] != r.g {
		r.gw[k] = r.gw[k][:0]
		r.gwStamp[k] = r.g
	}
	r.gw[k] = append(r.gw[k], gwrite{c.node, c.origin})
}

// feasible reports whether chain c, kept at stage k, may be extended by an
// event of stage st at time t.
func (r *runner) feasible(c *chain, st int, t int64) bool {
	p := r.p
	if p.window > 0 && t > addSat(c.first, p.window) {
		return false
	}
	if p.within[st] > 0 && t > addSat(c.last, p.within[st]) {
		return false
	}
	if p.increase && c.last >= t {
		return false
	}
	if p.order == Consecutive && c.last != t && !(r.hasPrev && c.last == r.prevT) {
		return false
	}
	return true
}

// source returns the best chain of arr that an event of stage st at time
// t may extend: one kept at the stage before st, or before an optional
// stage skipped on the way. preGroup says whether to read the state
// before the current group.
func (r *runner) source(arr []slot, st int, t int64, preGroup bool) (chain, int, bool) {
	best, bk := noChain, -1
	for k := st - 1; k >= 0; k-- {
		c := r.read(&arr[k], preGroup)
		if c.ok() && r.feasible(&c, st, t) && (!best.ok() || r.cmpSource(&c, k, &best, bk, t) > 0) {
			best, bk = c, k
		}
		if !r.p.optional[k] {
			break
		}
	}
	return best, bk, best.ok()
}

// anyInRun reports whether main keeps a chain (now, feasible or not) at
// the stage before st or before an optional stage skipped on the way:
// ClickHouse's strict_order test "slot[k-1] is set".
func (r *runner) anyInRun(st int) bool {
	for k := st - 1; k >= 0; k-- {
		if r.main[k].cur.ok() {
			return true
		}
		if !r.p.optional[k] {
			break
		}
	}
	return false
}

// extend returns chain c, kept at stage k, extended by event ev of stage
// st at time t.
func (r *runner) extend(c chain, k, st int, ev int32, t int64) chain {
	return chain{first: c.first, last: t, node: r.newNode(ev, int32(st), c.node), origin: r.effOrigin(&c, k, t)}
}

// scan runs the ordered family over sq. With attempts, it emits one unit
// per attempt; otherwise one unit for the customer (if they entered).
func (r *runner) scan(sq *seq, attempts bool, emit func(*unit)) {
	p := r.p
	r.sq = sq
	r.attempts = attempts
	r.reset()
	r.hasPrev = false
	active := false
	n := sq.len()
	for i := 0; i < n; {
		t := sq.times[i]
		j := i + 1
		for j < n && sq.times[j] == t {
			j++
		}
		r.g++
		if attempts && active && p.window > 0 && r.main[0].cur.ok() && t > addSat(r.main[0].cur.first, p.window) {
			emit(r.finish())
			r.reset()
			active = false
		}
		if !active && r.canStart(i, j) {
			active = true
		}
		res := goOn
		if active {
			res = r.group(t, i, j)
			if res == stopOther && attempts {
				// The stop comes before the group's stages: a first-stage
				// event of the group starts the next attempt.
				emit(r.finish())
				r.reset()
				active = r.canStart(i, j)
				if res = goOn; active {
					res = r.group(t, i, j)
				}
			}
		}
		r.prevT, r.hasPrev = t, true
		i = j
		switch res {
		case stop, stopOther:
			emit(r.finish())
			if !attempts {
				return
			}
			r.reset()
			active = false
		case complete:
			emit(r.finish())
			if !attempts {
				return
			}
			r.reset()
			active = false
		}
	}
	if active {
		emit(r.finish())
	}
}

// canStart reports whether the group [i, j) can start a chain: it has an
// event of the first stage, or of any stage in an open funnel.
func (r *runner) canStart(i, j int) bool {
	for q := i; q < j; q++ {
		if r.p.open && !r.sq.empty(q) || !r.p.open && r.sq.has(q, 0) {
			return true
		}
	}
	return false
}

// group processes the events [i, j), all at time t: their (stage, event)
// entries in stage order, then their exclusions.
func (r *runner) group(t int64, i, j int) result {
	sq := r.sq
	p := r.p
	multi := j-i > 1
	other := false
	clear(r.union)
	for q := i; q < j; q++ {
		m := sq.mask(q)
		empty := true
		for w, x := range m {
			r.union[w] |= x
			if x != 0 {
				empty = false
			}
		}
		other = other || empty
	}
	// ClickHouse sorts the "other" sentinel before the stages of its time.
	if p.order == Strict && r.seenStart && other {
		return stopOther
	}
	res := goOn
	forBits(r.union, func(st int) bool {
		for q := i; q < j; q++ {
			if !sq.has(q, st) {
				continue
			}
			if res = r.entry(st, int32(q), t, multi, i, j); res != goOn {
				return false
			}
		}
		return true
	})
	if res != goOn {
		return res
	}
	// An excluded event counts while the customer is in the funnel: within
	// the window of their latest first-stage event.
	if sq.xs != nil && (p.window == 0 || t <= addSat(r.main[0].cur.first, p.window)) {
		for q := i; q < j; q++ {
			forBits(sq.xs[q:q+1], func(x int) bool {
				r.exclude(x, t)
				return true
			})
		}
	}
	return goOn
}

// entry processes event ev reaching stage st at time t, in the group [gi, gj).
func (r *runner) entry(st int, ev int32, t int64, multi bool, gi, gj int) result {
	p := r.p
	hasX := r.sq.xs != nil
	if p.open {
		r.openEntry(st, ev, t, multi, gi, gj)
		return goOn
	}
	if st == 0 {
		c := chain{first: t, last: t, node: r.newNode(ev, 0, -1), origin: -1}
		r.putMain(0, c, t)
		if hasX {
			r.putValid(0, c, t)
		}
		r.seenStart = true
		if p.n == 1 {
			return complete
		}
		return goOn
	}
	if p.dedup && r.main[st].cur.ok() {
		return stop
	}
	if p.order == Strict && r.seenStart && !r.anyInRun(st) {
		if p.reentry {
			return goOn
		}
		return stop
	}
	before := r.level
	r.extendInto(r.main, st, ev, t, multi, gi, gj, r.putMain)
	if hasX {
		r.extendInto(r.valid, st, ev, t, multi, gi, gj, r.putValid)
	}
	if st == p.n-1 {
		// The scan of a customer goes on after main completes as long as
		// exclusions may have voided its complete chains.
		if r.attempts || !hasX {
			if r.level > before {
				return complete
			}
		} else if r.validEver[st] >= 0 {
			return complete
		}
	}
	return goOn
}

// extendInto extends the best chain of arr that event ev of stage st may
// extend, and puts the result.
func (r *runner) extendInto(arr []slot, st int, ev int32, t int64, multi bool, gi, gj int, put func(int, chain, int64)) {
	p := r.p
	if p.once && multi && !p.increase {
		if c, ok := r.onceSource(arr, st, ev, t, gi, gj); ok {
			put(st, c, t)
		}
		return
	}
	c, k, ok := r.source(arr, st, t, p.increase || p.once)
	if ok {
		put(st, r.extend(c, k, st, ev, t), t)
	}
}

// openEntry processes an entry of an open funnel: the event starts a chain
// at its stage, and every chain kept before it (at the previous stage, or
// before optional stages skipped on the way) continues into it.
func (r *runner) openEntry(st int, ev int32, t int64, multi bool, gi, gj int) {
	p := r.p
	preGroup := p.increase || p.once
	inGroup := p.once && multi && !p.increase
	best := int64(-1) // the latest last event among the chains continuing
	for k := st - 1; k >= 0; k-- {
		c := r.read(&r.main[k], preGroup)
		ok := c.ok() && r.feasible(&c, st, t)
		if ok {
			best = max(best, c.last)
		}
		// Under StrictOnce another event of the group may start a chain
		// at k that continues into st at no gap.
		if inGroup && r.otherHas(gi, gj, ev, k) {
			ok, best = true, t
		}
		if ok {
			r.cont[k] = true
		}
		if !p.optional[k] {
			break
		}
	}
	if best >= 0 && r.gap[st] < 0 {
		r.gap[st] = t - best
	}
	r.putMain(st, chain{first: t, last: t, node: r.newNode(ev, int32(st), -1), origin: -1}, t)
}

// otherHas reports whether an event of the group [gi, gj) other than ev
// reaches stage st.
func (r *runner) otherHas(gi, gj int, ev int32, st int) bool {
	for q := gi; q < gj; q++ {
		if int32(q) != ev && r.sq.has(q, st) {
			return true
		}
	}
	return false
}

// exclude applies exclusion x, matched by an event at time t: the chains
// of valid between its stages that were entered before t are voided.
func (r *runner) exclude(x int, t int64) {
	a, b := r.p.xfrom[x], r.p.xto[x]
	for k := a; k < b; k++ {
		s := &r.valid[k]
		if s.cur.ok() && (s.cur.last < t || int(s.cur.origin) >= a) {
			if s.stamp != r.g {
				s.pre = s.cur
				s.stamp = r.g
			}
			s.cur = noChain
		}
		if r.sinceClear[k] >= 0 && (r.scG[k] != r.g || int(r.scO[k]) >= a) {
			r.sinceClear[k] = -1
			if r.gwStamp[k] == r.g {
				for _, w := range r.gw[k] {
					if int(w.origin) < a {
						r.sinceClear[k], r.scG[k], r.scO[k] = w.node, r.g, w.origin
						break
					}
				}
			}
		}
	}
}

// finish returns the unit the scan has found so far.
func (r *runner) finish() *unit {
	u := &r.u
	p := r.p
	for k := range u.ev {
		u.ev[k] = -1
		u.cont[k] = false
		u.gap[k] = -1
	}
	u.excluded = false
	u.end = -1
	if p.open {
		u.level = 0
		for k := range u.ev {
			if r.firstMain[k] >= 0 {
				u.ev[k] = r.nodes[r.firstMain[k]].ev
				u.level = k + 1
				u.end = max(u.end, u.ev[k])
			}
			u.cont[k] = r.cont[k]
			u.gap[k] = r.gap[k]
		}
		return u
	}
	u.level = r.level
	if u.level == 0 {
		return u
	}
	w := r.firstMain[u.level-1]
	if r.sq.xs != nil {
		lv, wv := 0, int32(-1)
		for k := range p.n {
			nd := r.validEver[k]
			if p.guarded[k] {
				nd = r.sinceClear[k]
			}
			if nd >= 0 {
				lv, wv = k+1, nd
			}
		}
		if lv < u.level {
			u.excluded = true
			return u
		}
		w = wv
	}
	u.end = r.nodes[w].ev
	for nd := w; nd >= 0; nd = r.nodes[nd].parent {
		u.ev[r.nodes[nd].stage] = r.nodes[nd].ev
	}
	return u
}

// run scans sq with the funnel's order: one unit per attempt with
// attempts, else one unit for the customer if they entered.
func (r *runner) run(sq *seq, attempts bool, emit func(*unit)) {
	switch {
	case r.p.order == Unordered:
		r.unordered(sq, attempts, emit)
	case r.p.plain && !attempts:
		r.plain(sq, emit)
	default:
		r.scan(sq, attempts, emit)
	}
}

// plain is scan specialised to the commonest funnel: ordered, closed, with
// no mode, exclusion, optional stage or per-stage window, and at most 64
// stages. It is ClickHouse's windowFunnel scan itself: simultaneous
// events are taken together, their stages in ascending order.
func (r *runner) plain(sq *seq, emit func(*unit)) {
	p := r.p
	r.sq = sq
	r.reset()
	n := sq.len()
	times, masks := sq.times[:n], sq.masks[:n]
	last := p.n - 1
	main := r.main
	for i := 0; i < n; {
		t := times[i]
		m := masks[i]
		j := i + 1
		for j < n && times[j] == t {
			m |= masks[j]
			j++
		}
		for m != 0 {
			st := bits.TrailingZeros64(m)
			m &= m - 1
			first, parent := t, int32(-1)
			if st > 0 {
				src := &main[st-1].cur
				if src.node < 0 || p.window > 0 && t > addSat(src.first, p.window) {
					continue
				}
				first, parent = src.first, src.node
			}
			// Among simultaneous events with this stage, the first ends
			// the earliest chain (the witness, if the stage is new); the
			// last is kept, as the general scan keeps the latest of equal
			// chains.
			evFirst, evLast := int32(i), int32(i)
			if j-i > 1 {
				evFirst, evLast = -1, -1
				for q := i; q < j; q++ {
					if masks[q]&(1<<st) != 0 {
						if evFirst < 0 {
							evFirst = int32(q)
						}
						evLast = int32(q)
					}
				}
			}
			c := chain{first: first, last: t, node: r.newNode(evLast, int32(st), parent)}
			main[st].cur = c
			if r.firstMain[st] < 0 {
				r.firstMain[st] = c.node
				if evFirst != evLast {
					r.firstMain[st] = r.newNode(evFirst, int32(st), parent)
				}
				r.level = st + 1
				if st == last {
					emit(r.finish())
					return
				}
			}
		}
		i = j
	}
	if r.level > 0 {
		emit(r.finish())
	}
}
