package funnel

import (
	"math/bits"

	"github.com/parcours-go/parcours/journey"
)

// plan is a validated funnel prepared for scanning.
type plan struct {
	n        int   // stages
	w        int   // 64-bit words per stage mask
	window   int64 // nanoseconds; 0: none
	within   []int64
	optional []bool
	order    Order
	dedup    bool
	increase bool
	once     bool
	reentry  bool
	open     bool
	plain    bool // see runner.plain

	xfrom, xto []int  // exclusion spans
	guarded    []bool // guarded[k]: some exclusion has from ≤ k < to

	stages []matcher
	excl   []matcher
}

// matcher evaluates one stage or exclusion on an Event: by its
// description when the stage is a constructor's, else by its Match.
type matcher struct {
	c     *cond
	match func(journey.Event) bool
}

func (m *matcher) eval(e *journey.Event) bool {
	if m.c != nil {
		return m.c.eval(e)
	}
	return m.match(*e)
}

func matcherOf(s *Stage) matcher {
	if s.ours() {
		return matcher{c: s.c}
	}
	return matcher{match: s.Match}
}

// compile validates f and prepares it.
func compile(f Funnel) (*plan, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	n := len(f.Stages)
	p := &plan{
		n: n, w: (n + 63) / 64, window: int64(f.Window),
		within: make([]int64, n), optional: make([]bool, n),
		order: f.Order, dedup: f.StrictDedup, increase: f.StrictIncrease, once: f.StrictOnce,
		reentry: f.AllowReentry, open: f.Open,
		guarded: make([]bool, n),
	}
	for i := range f.Stages {
		s := &f.Stages[i]
		p.within[i] = int64(s.Within)
		p.optional[i] = s.Optional
		p.stages = append(p.stages, matcherOf(s))
	}
	p.plain = f.Order == Ordered && !f.Open && !f.StrictDedup && !f.StrictIncrease && !f.StrictOnce &&
		len(f.Exclusions) == 0 && p.w == 1
	for _, s := range f.Stages {
		p.plain = p.plain && !s.Optional && s.Within == 0
	}
	for i := range f.Exclusions {
		x := &f.Exclusions[i]
		from, to := x.span(n)
		p.xfrom = append(p.xfrom, from)
		p.xto = append(p.xto, to)
		for k := from; k < to; k++ {
			p.guarded[k] = true
		}
		p.excl = append(p.excl, matcherOf(&x.Stage))
	}
	return p, nil
}

// evalEvent sets in mask the stages e reaches and in xs[i] the exclusions
// it matches.
func (p *plan) evalEvent(e *journey.Event, mask []uint64, xs []uint64, i int) {
	clear(mask)
	for s := range p.stages {
		if p.stages[s].eval(e) {
			mask[s>>6] |= 1 << (s & 63)
		}
	}
	if xs != nil {
		var x uint64
		for k := range p.excl {
			if p.excl[k].eval(e) {
				x |= 1 << k
			}
		}
		xs[i] = x
	}
}

// seq is one customer's events prepared for a scan: times, the stages each
// event reaches (w words per event) and the exclusions it matches.
type seq struct {
	w     int
	times []int64
	masks []uint64
	xs    []uint64 // nil without exclusions
	base  int      // the log index of the first event
}

// reset sizes s for n events of plan p, reusing its buffers.
func (s *seq) reset(p *plan, n int) {
	s.w = p.w
	s.times = grow(s.times, n)
	s.masks = grow(s.masks, n*p.w)
	if len(p.excl) > 0 {
		s.xs = grow(s.xs, n)
	} else {
		s.xs = nil
	}
}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, max(n, 2*cap(b)))
	}
	return b[:n]
}

func (s *seq) mask(i int) []uint64 { return s.masks[i*s.w : (i+1)*s.w] }

func (s *seq) has(i, stage int) bool {
	return s.masks[i*s.w+stage>>6]&(1<<(stage&63)) != 0
}

func (s *seq) empty(i int) bool {
	for _, m := range s.mask(i) {
		if m != 0 {
			return false
		}
	}
	return true
}

func (s *seq) len() int { return len(s.times) }

// forBits calls f for each set bit of words, in ascending order, until f
// returns false.
func forBits(words []uint64, f func(int) bool) bool {
	for wi, m := range words {
		for m != 0 {
			b := bits.TrailingZeros64(m)
			m &= m - 1
			if !f(wi<<6 | b) {
				return false
			}
		}
	}
	return true
}

func popcount(m uint64) int { return bits.OnesCount64(m) }
