package pathcount

import (
	"slices"
	"strings"

	nametab "github.com/parcours-go/parcours/internal/names"
)

// Loop says how often customers come back to one step (channel,
// touchpoint). Every visit but a customer's first to the name is a repeat,
// either right after a visit to it or after other names, so
//
//	Visits = Customers + SelfLoops + Returns.
type Loop struct {
	Name      string
	Visits    int // events with this name
	Customers int // customers with at least one visit
	Repeaters int // customers with more than one visit
	SelfLoops int // visits right after a visit to the same name: a, a
	Returns   int // visits after other names since the previous visit: a, b, …, a
}

// LoopCounts counts visits and repeats per name, and the customers who
// repeat some name. The zero value is empty and ready to use. Counts from
// logs of disjoint customers merge (Merge) into exactly the counts of the
// whole.
//
// A LoopCounts is not safe for concurrent use.
type LoopCounts struct {
	tab       nametab.Table
	stats     []loopStat // by name id
	customers int
	looping   int
}

type loopStat struct {
	visits, customers, repeaters, self, returns int
}

func (s *loopStat) add(o *loopStat, n int) {
	s.visits += n * o.visits
	s.customers += n * o.customers
	s.repeaters += n * o.repeaters
	s.self += n * o.self
	s.returns += n * o.returns
}

func (c *LoopCounts) stat(id uint32) *loopStat {
	for int(id) >= len(c.stats) {
		c.stats = append(c.stats, loopStat{})
	}
	return &c.stats[id]
}

// Add counts n customers whose path is path. It does nothing if n is not
// positive.
func (c *LoopCounts) Add(path []string, n int) {
	if n <= 0 {
		return
	}
	ids := make([]uint32, len(path))
	for i, s := range path {
		ids[i] = c.tab.ID(s)
	}
	var w loopCounter
	w.slots = make([]loopSlot, len(c.tab.Names))
	w.path(ids, 0, false, 1)
	c.absorb(&w, n)
}

// Merge adds the counts of o to c. It takes O(k) time for the k names of o.
func (c *LoopCounts) Merge(o *LoopCounts) error {
	if c.customers == 0 && len(c.stats) == 0 {
		c.tab.Adopt(&o.tab)
	}
	trans := c.tab.Translate(&o.tab)
	for id := range o.stats {
		to := uint32(id)
		if trans != nil {
			to = trans[id]
		}
		c.stat(to).add(&o.stats[id], 1)
	}
	c.customers += o.customers
	c.looping += o.looping
	return nil
}

// Customers returns the number of customers counted, including those
// whose path has no event on the dimension read.
func (c *LoopCounts) Customers() int { return c.customers }

// Looping returns the number of customers who visit some name more than
// once.
func (c *LoopCounts) Looping() int { return c.looping }

// LoopRate returns Looping / Customers, or 0 with no customer.
func (c *LoopCounts) LoopRate() float64 {
	if c.customers == 0 {
		return 0
	}
	return float64(c.looping) / float64(c.customers)
}

// Loops returns the names with at least one visit and their counts,
// sorted by name.
func (c *LoopCounts) Loops() []Loop {
	var out []Loop
	for id, s := range c.stats {
		if s.visits == 0 {
			continue
		}
		out = append(out, Loop{
			Name:      c.tab.Names[id],
			Visits:    s.visits,
			Customers: s.customers,
			Repeaters: s.repeaters,
			SelfLoops: s.self,
			Returns:   s.returns,
		})
	}
	slices.SortFunc(out, func(a, b Loop) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// CountLoops counts visits and repeats per name, read by by, on workers
// goroutines (0 means runtime.GOMAXPROCS(0)), each over a contiguous
// share of the customers with counters for every name (48 bytes a name).
// The result does not depend on workers.
func CountLoops(l *View, workers int) *LoopCounts {
	skip, hasSkip := l.Skip, l.HasSkip
	k := len(l.Names)
	parts := shard(l, workers, func(lo, hi int) *loopCounter {
		w := &loopCounter{slots: make([]loopSlot, k)}
		syms := l.Syms
		for b0 := lo; b0 < hi && !l.Done(); b0 += Block {
			for c, end := b0, min(hi, b0+Block); c < end; c++ {
				a, b := l.Span(c)
				w.path(syms[a:b], skip, hasSkip, uint32(c+1))
			}
		}
		return w
	})
	out := &LoopCounts{tab: nametab.Borrow(l.Names)}
	for _, w := range parts {
		out.absorb(w, 1)
	}
	return out
}

// loopCounter counts the paths of one worker.
type loopCounter struct {
	slots     []loopSlot // by name id
	customers int
	looping   int
}

type loopSlot struct {
	loopStat
	stamp, twice uint32 // the last customer with a visit, with a second visit
}

// path counts one path; stamp is a number, never 0, distinct for each
// path the counter sees.
func (w *loopCounter) path(syms []uint32, skip uint32, hasSkip bool, stamp uint32) {
	prev := uint32(codeEnd)
	looped := false
	for _, s := range syms {
		if hasSkip && s == skip {
			continue
		}
		st := &w.slots[s]
		st.visits++
		switch {
		case st.stamp != stamp:
			st.stamp = stamp
			st.customers++
		default:
			if s == prev {
				st.self++
			} else {
				st.returns++
			}
			if st.twice != stamp {
				st.twice = stamp
				st.repeaters++
				looped = true
			}
		}
		prev = s
	}
	w.customers++
	if looped {
		w.looping++
	}
}

// absorb adds n times the counts of w, whose ids are c's, to c.
func (c *LoopCounts) absorb(w *loopCounter, n int) {
	for id := range w.slots {
		if w.slots[id].visits > 0 {
			c.stat(uint32(id)).add(&w.slots[id].loopStat, n)
		}
	}
	c.customers += n * w.customers
	c.looping += n * w.looping
}
