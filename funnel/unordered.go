package funnel

import "math"

// This file holds the scan of unordered funnels: the level is the largest
// number of distinct stages done by events inside one window [t0, t0+W],
// t0 being the time of a stage's event (PostHog's any-order funnels).

// cover tracks which stages the events of a window reach. With StrictOnce
// (and events that reach several stages) an event counts for one stage
// only: the count is a maximum matching, kept by augmenting paths.
type cover struct {
	sq      *seq
	n       int
	cnt     []int32 // events in the window per stage
	covered int
	// StrictOnce with multi-stage events
	once   bool
	owner  []int32 // owner[s]: event matched to stage s, or -1
	evOf   map[int32]int
	seen   []bool
	in     []int32 // events in the window (once only)
	matchN int
}

func (c *cover) reset(sq *seq, n int, once bool) {
	c.sq, c.n, c.once = sq, n, once
	c.cnt = grow(c.cnt, n)
	clear(c.cnt)
	c.covered = 0
	if once {
		c.owner = grow(c.owner, n)
		for s := range c.owner {
			c.owner[s] = -1
		}
		c.in = c.in[:0]
		if c.evOf == nil {
			c.evOf = map[int32]int{}
		}
		clear(c.evOf)
		c.matchN = 0
	}
}

// level returns the number of stages the window covers.
func (c *cover) level() int {
	if c.once {
		return c.matchN
	}
	return c.covered
}

// add puts event q in the window.
func (c *cover) add(q int) {
	if c.once {
		c.in = append(c.in, int32(q))
		c.rematch()
		return
	}
	forBits(c.sq.mask(q), func(s int) bool {
		if c.cnt[s] == 0 {
			c.covered++
		}
		c.cnt[s]++
		return true
	})
}

// remove takes event q out of the window.
func (c *cover) remove(q int) {
	if c.once {
		for i, e := range c.in {
			if e == int32(q) {
				c.in = append(c.in[:i], c.in[i+1:]...)
				break
			}
		}
		if s, ok := c.evOf[int32(q)]; ok {
			delete(c.evOf, int32(q))
			c.owner[s] = -1
			c.matchN--
			c.rematch()
		}
		return
	}
	forBits(c.sq.mask(q), func(s int) bool {
		c.cnt[s]--
		if c.cnt[s] == 0 {
			c.covered--
		}
		return true
	})
}

// rematch grows the matching of stages to events in the window until no
// augmenting path is left (Kuhn's algorithm, from the free stages).
func (c *cover) rematch() {
	for s := range c.n {
		if c.owner[s] >= 0 {
			continue
		}
		c.seen = grow(c.seen, len(c.in))
		clear(c.seen)
		if c.augment(s) {
			c.matchN++
		}
	}
}

// augment looks for an event of the window for stage s, moving the stages
// already matched along an augmenting path.
func (c *cover) augment(s int) bool {
	for i, q := range c.in {
		if c.seen[i] || !c.sq.has(int(q), s) {
			continue
		}
		c.seen[i] = true
		prev, taken := c.evOf[q]
		if !taken || c.augment(prev) {
			c.evOf[q] = s
			c.owner[s] = q
			return true
		}
	}
	return false
}

// unordered scans sq as an unordered funnel.
func (r *runner) unordered(sq *seq, attempts bool, emit func(*unit)) {
	r.sq = sq
	once := r.p.once && multiStage(sq)
	if attempts {
		r.unorderedAttempts(sq, once, emit)
		return
	}
	n := sq.len()
	p := r.p
	win, done := &r.covers[0], &r.covers[1]
	win.reset(sq, p.n, once)
	hasX := sq.xs != nil
	if hasX {
		done.reset(sq, p.n, once)
	}
	right, rc := 0, 0
	left := 0
	bestAll, bestValid, anchor, validAnchor := 0, 0, -1, -1
	var xs []int
	if hasX {
		xs = r.liveExclusions()
	}
	xq := 0 // next live exclusion event, in xs
	for a := 0; a < n; {
		t0 := sq.times[a]
		g := a + 1
		for g < n && sq.times[g] == t0 {
			g++
		}
		if !r.groupReaches(a, g) {
			a = g
			continue
		}
		for ; left < a; left++ {
			win.remove(left)
			if hasX && left < rc {
				done.remove(left)
			}
		}
		end := int64(math.MaxInt64)
		if p.window > 0 {
			end = addSat(t0, p.window)
		}
		for right < n && sq.times[right] <= end {
			win.add(right)
			right++
		}
		lv := win.level()
		if lv > bestAll {
			bestAll, anchor = lv, a
		}
		if hasX {
			// The earliest event completing the funnel from t0.
			rc = max(rc, a)
			for done.level() < p.n && rc < right {
				done.add(rc)
				rc++
			}
			for xq < len(xs) && sq.times[xs[xq]] <= t0 {
				xq++
			}
			valid := xq == len(xs)
			if done.level() == p.n {
				valid = valid || sq.times[xs[xq]] >= sq.times[rc-1]
			}
			if valid && lv > bestValid {
				bestValid, validAnchor = lv, a
			}
		}
		a = g
	}
	if bestAll == 0 {
		return
	}
	if hasX {
		if bestValid < bestAll {
			u := r.blankUnit()
			u.level, u.excluded = bestAll, true
			emit(u)
			return
		}
		anchor = validAnchor
	}
	emit(r.windowUnit(anchor, once))
}

// liveExclusions returns the positions of the excluded events that count:
// those within the window of the latest stage event at or before them.
func (r *runner) liveExclusions() []int {
	sq := r.sq
	out := r.xlive[:0]
	last, seen := int64(0), false
	n := sq.len()
	for i := 0; i < n; {
		t := sq.times[i]
		j := i + 1
		for j < n && sq.times[j] == t {
			j++
		}
		if r.groupReaches(i, j) {
			last, seen = t, true
		}
		for q := i; q < j; q++ {
			if sq.xs[q] != 0 && seen && (r.p.window == 0 || t <= addSat(last, r.p.window)) {
				out = append(out, q)
			}
		}
		i = j
	}
	r.xlive = out
	return out
}

// unorderedAttempts cuts sq into attempts: each starts at the first stage
// event after the previous one ended and lasts until it covers every stage
// or its window runs out.
func (r *runner) unorderedAttempts(sq *seq, once bool, emit func(*unit)) {
	n := sq.len()
	p := r.p
	for i := 0; i < n; {
		a := i
		for a < n && sq.empty(a) {
			a++
		}
		if a == n {
			return
		}
		for a > i && sq.times[a-1] == sq.times[a] {
			a--
		}
		u := r.windowUnit(a, once)
		t0 := sq.times[a]
		spanEnd := int64(math.MaxInt64)
		if u.level == p.n {
			spanEnd = sq.times[u.end]
		} else if p.window > 0 {
			spanEnd = addSat(t0, p.window)
		}
		if sq.xs != nil {
			for q := a; q < n && sq.times[q] <= spanEnd; q++ {
				if sq.xs[q] == 0 || sq.times[q] <= t0 {
					continue
				}
				if u.level < p.n || sq.times[q] < spanEnd {
					u.excluded = true
					break
				}
			}
		}
		emit(u)
		i = a
		for i < n && sq.times[i] <= spanEnd {
			i++
		}
	}
}

// windowUnit returns the unit of the window that starts at event a: the
// times and events at which it covered 1, 2, … stages.
func (r *runner) windowUnit(a int, once bool) *unit {
	sq := r.sq
	p := r.p
	u := r.blankUnit()
	c := &r.covers[2]
	c.reset(sq, p.n, once)
	t0 := sq.times[a]
	end := int64(math.MaxInt64)
	if p.window > 0 {
		end = addSat(t0, p.window)
	}
	for q := a; q < sq.len() && sq.times[q] <= end && c.level() < p.n; q++ {
		before := c.level()
		c.add(q)
		for k := before; k < c.level(); k++ {
			u.ev[k] = int32(q)
			u.at[k] = sq.times[q]
			u.end = int32(q)
		}
	}
	u.level = c.level()
	return u
}

func (r *runner) blankUnit() *unit {
	u := &r.u
	for k := range u.ev {
		u.ev[k], u.cont[k], u.gap[k], u.at[k] = -1, false, -1, 0
	}
	u.level, u.excluded, u.end = 0, false, -1
	return u
}

// groupReaches reports whether some event of [i, j) reaches a stage.
func (r *runner) groupReaches(i, j int) bool {
	for q := i; q < j; q++ {
		if !r.sq.empty(q) {
			return true
		}
	}
	return false
}

// multiStage reports whether some event of sq reaches several stages.
func multiStage(sq *seq) bool {
	for i := range sq.len() {
		k := 0
		for _, m := range sq.mask(i) {
			k += popcount(m)
		}
		if k > 1 {
			return true
		}
	}
	return false
}
