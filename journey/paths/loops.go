package paths

import (
	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/journey"
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

// Loops counts visits and repeats per name, and the customers who repeat
// some name. The zero value is empty and ready to use; CountLoops fills
// one from a log. It is not safe for concurrent use.
type Loops struct {
	c pathcount.LoopCounts
	m meta
}

// CountLoops counts, for each step (channel, touchpoint) customers visit,
// how often they repeat it, read by opt.By. Read by channel or touchpoint,
// events with no channel (touchpoint) are left out, so web, (none), web is
// a self-loop of web. Self-loops are often artefacts (a reloaded page);
// journey.Log.Clean with Collapse removes them first, leaving the returns.
//
// It takes O(n + k) time for n events and k names, with 48 bytes of
// counters per name and goroutine. It returns an error only for a bad
// opt.By or a done opt.Context.
func CountLoops(l *journey.Log, opt Options) (*Loops, error) {
	v, err := opt.view(l, nil)
	if err != nil {
		return nil, err
	}
	return done(opt, &Loops{*pathcount.CountLoops(v, opt.Workers), opt.meta(l, false)})
}

// Add counts n customers whose path is path. It does nothing if n is not
// positive.
func (c *Loops) Add(path []string, n int) { c.c.Add(path, n) }

// Merge adds the counts of o to c, exactly, in O(k) time for the k names
// of o; o is unchanged. Merges are associative and commutative. The two
// must count disjoint customers (see Variants.Merge): Merge returns an
// error wrapping ErrSharedCustomers or ErrIncompatible (different
// Options.By) as Variants.Merge does, leaving c unchanged.
func (c *Loops) Merge(o *Loops) error {
	if err := c.m.check(&o.m); err != nil {
		return err
	}
	_ = c.c.Merge(&o.c) // never fails
	c.m.merge(&o.m)
	return nil
}

// Customers returns the number of customers counted, including those
// whose path has no event on the attribute read.
func (c *Loops) Customers() int { return c.c.Customers() }

// Looping returns the number of customers who visit some name more than
// once: Looping / Customers is the share of customers who loop.
func (c *Loops) Looping() int { return c.c.Looping() }

// List returns the names with at least one visit and their counts, sorted
// by name.
func (c *Loops) List() []Loop {
	in := c.c.Loops()
	out := make([]Loop, len(in))
	for i, x := range in {
		out[i] = Loop(x)
	}
	return out
}
