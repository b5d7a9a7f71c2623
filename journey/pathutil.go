package journey

import (
	"math"
	"slices"
	"time"
)

// nameTab maps names to dense ids for the mergeable path aggregates. It
// borrows a log's names (read-only) until a name the log does not have
// must be added; then it copies them.
type nameTab struct {
	names []string
	ids   map[string]uint32 // nil while names is borrowed
}

// own makes t's names its own, so that new names can be added.
func (t *nameTab) own() {
	if t.ids != nil {
		return
	}
	t.names = slices.Clone(t.names)
	t.ids = make(map[string]uint32, len(t.names))
	for id, s := range t.names {
		t.ids[s] = uint32(id)
	}
}

// id returns the id of s, adding it if new.
func (t *nameTab) id(s string) uint32 {
	t.own()
	if id, ok := t.ids[s]; ok {
		return id
	}
	id := uint32(len(t.names))
	t.names = append(t.names, s)
	t.ids[s] = id
	return id
}

// adopt borrows o's names if t has none yet.
func (t *nameTab) adopt(o *nameTab) {
	if len(t.names) == 0 && t.ids == nil {
		t.names = o.names
		if o.ids != nil {
			t.own()
		}
	}
}

// translate returns, for each of o's ids, the id of the same name in t
// (adding names t lacks), or nil when both share the same names.
func (t *nameTab) translate(o *nameTab) []uint32 {
	if len(o.names) == 0 || len(t.names) >= len(o.names) && &t.names[0] == &o.names[0] {
		return nil
	}
	trans := make([]uint32, len(o.names))
	for id, s := range o.names {
		trans[id] = t.id(s)
	}
	return trans
}

// ranks returns, for each id, the rank of its name in byte-wise order, so
// that ids compare as their names do.
func (t *nameTab) ranks() []uint32 {
	order := make([]uint32, len(t.names))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		switch x, y := t.names[a], t.names[b]; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	rank := make([]uint32, len(t.names))
	for r, id := range order {
		rank[id] = uint32(r)
	}
	return rank
}

// compareRoutes compares routes of ids element by element, as their names
// would compare with slices.Compare.
func compareRoutes(a, b []uint32, rank []uint32) int {
	for i := range min(len(a), len(b)) {
		if ra, rb := rank[a[i]], rank[b[i]]; ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// span returns the time from t0 to t1 (t1 >= t0), saturating at the
// largest Duration: two times of a Log can be further apart than a
// Duration holds.
func span(t0, t1 int64) time.Duration {
	if d := t1 - t0; d >= 0 {
		return time.Duration(d)
	}
	return math.MaxInt64
}

// median returns the median of d, sorting it: the middle value, or for an
// even count the mean of the two middle values rounded down to the
// nanosecond. It returns 0 for no value.
func median(d []time.Duration) time.Duration {
	n := len(d)
	if n == 0 {
		return 0
	}
	slices.Sort(d)
	if n%2 == 1 {
		return d[n/2]
	}
	a, b := d[n/2-1], d[n/2]
	return a>>1 + b>>1 + a&b&1 // ⌊(a+b)/2⌋ without overflow
}

// firstGoal returns the index of the first event in [lo, hi) of customer
// c for which goal is true, or hi. A nil goal is never true.
func (l *Log) firstGoal(goal func(Event) bool, r *eventReader, c, lo, hi int) int {
	if goal == nil {
		return hi
	}
	r.reset(l, c, lo)
	for i := lo; i < hi; i++ {
		if r.test(goal, i) {
			return i
		}
	}
	return hi
}
