package paths

import (
	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/journey"
)

// Edge is a directly-follows relation: how many times, within one
// customer's path, an event From was immediately followed by an event To.
type Edge struct {
	From, To string
	Count    int
}

// Follows counts directly-follows pairs. The zero value is empty and ready
// to use; CountFollows fills one from a log. It is not safe for concurrent
// use.
type Follows struct {
	c pathcount.FollowCounts
	m meta
}

// CountFollows counts the directly-follows graph of process mining: for
// each ordered pair (a, b), how many times b immediately follows a in a
// customer's path, read by opt.By. Repeats count: a, a gives the pair
// (a, a). It takes O(n) time for n events, with dense counters for up to
// 1,024 names and a map beyond. It returns an error only for a bad opt.By
// or a done opt.Context.
func CountFollows(l *journey.Log, opt Options) (*Follows, error) {
	v, err := opt.view(l, nil)
	if err != nil {
		return nil, err
	}
	return done(opt, &Follows{*pathcount.CountFollows(v, opt.Workers), opt.meta(l, false)})
}

// Add counts n more times b directly following a. It does nothing if n is
// not positive.
func (f *Follows) Add(a, b string, n int) { f.c.Add(a, b, n) }

// Merge adds the counts of o to f, exactly, in O(p) time for the p pairs
// of o; o is unchanged. Merges are associative and commutative. The two
// must count disjoint customers (see Variants.Merge): Merge returns an
// error wrapping ErrSharedCustomers or ErrIncompatible (different
// Options.By) as Variants.Merge does, leaving f unchanged.
func (f *Follows) Merge(o *Follows) error {
	if err := f.m.check(&o.m); err != nil {
		return err
	}
	_ = f.c.Merge(&o.c) // never fails
	f.m.merge(&o.m)
	return nil
}

// Count returns how many times b directly follows a.
func (f *Follows) Count(a, b string) int { return f.c.Count(a, b) }

// List returns the pairs seen, sorted by From, then To.
func (f *Follows) List() []Edge {
	in := f.c.Edges()
	out := make([]Edge, len(in))
	for i, x := range in {
		out[i] = Edge(x)
	}
	return out
}
