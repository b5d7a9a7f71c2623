package paths

import (
	"time"

	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/journey"
)

// Variant is a distinct route through the journey and the number of
// customers who took exactly that route.
type Variant struct {
	Route     []string
	Customers int
}

// Variants counts customers per route. The zero value is empty and ready
// to use; CountVariants fills one from a log. It is not safe for
// concurrent use.
type Variants struct {
	c pathcount.VariantCounts
	m meta
}

// CountVariants counts the distinct routes of the log's customers: a
// customer's route is its whole path, read by opt.By, consecutive repeats
// kept (journey.Log.Clean collapses them first). Read by channel or
// touchpoint, a customer none of whose events has one has the empty route.
//
// It takes O(n) time for n events, spread over opt.Workers goroutines
// that each count the routes of their share of the hash space. It returns
// an error only for a bad opt.By or a done opt.Context.
func CountVariants(l *journey.Log, opt Options) (*Variants, error) {
	v, err := opt.view(l, nil)
	if err != nil {
		return nil, err
	}
	return done(opt, &Variants{*pathcount.CountVariants(v, opt.Workers), opt.meta(l, false)})
}

// Add counts n customers who took route. It does nothing if n is not
// positive.
func (v *Variants) Add(route []string, n int) { v.c.Add(route, n) }

// Merge adds the counts of o to v, exactly, in O(r) time for the r names
// in o's routes; o is unchanged. Merges are associative and commutative.
//
// The two must count disjoint customers: shards of a log must partition
// its customers, each customer's events all in one shard. Merge returns
// an error wrapping ErrSharedCustomers when their customer samples show a
// customer counted in both (probabilistic, see the package doc), and one
// wrapping ErrIncompatible when both were counted from logs by different
// Options.By. On error v is unchanged. Counts made by Add alone merge with
// any.
func (v *Variants) Merge(o *Variants) error {
	if err := v.m.check(&o.m); err != nil {
		return err
	}
	_ = v.c.Merge(&o.c) // never fails
	v.m.merge(&o.m)
	return nil
}

// Len returns the number of distinct routes.
func (v *Variants) Len() int { return v.c.Len() }

// List returns the routes, most customers first, ties broken by comparing
// routes element by element (slices.Compare). It takes O(r log r) time
// for r routes.
func (v *Variants) List() []Variant {
	in := v.c.Variants()
	out := make([]Variant, len(in))
	for i, x := range in {
		out[i] = Variant(x)
	}
	return out
}

// GoalVariant is a distinct route towards a goal: the customers who took
// it, how many of them reached the goal, and how long they took.
type GoalVariant struct {
	// Route is what the customers did before their first goal event (the
	// whole path for those who never reached it).
	Route []string
	// Customers took exactly this route; Converted of them then reached
	// the goal; Rate is Converted / Customers.
	Customers, Converted int
	Rate                 float64
	// Median is the median duration of the route's customers: from the
	// first event of a path to its first goal event if it converted, else
	// to its last event. MedianToGoal is the median over the converted
	// customers only (0 if none). For an even count a median is the mean
	// of the two middle durations, rounded down to the nanosecond.
	Median, MedianToGoal time.Duration
}

// GoalVariants counts customers per route towards a goal, with their
// conversions and durations. It keeps every customer's duration, 16 bytes
// each, so that medians are exact, and merges exactly, medians included.
// The zero value is empty and ready to use. It is not safe for concurrent
// use.
type GoalVariants struct {
	c pathcount.GoalVariantCounts
	m meta
}

// CountGoalVariants counts the routes customers took towards a goal, with
// each route's conversion rate and median duration.
//
// A customer's route is its path up to, and without, its first goal event
// (an event for which goal returns true): the states a customer went
// through before converting, as the journey graph and attribution read
// them. A customer without a goal event has its whole path as route and
// did not convert; one whose first event is a goal event converted on the
// empty route. Read by channel or touchpoint, events with no channel
// (touchpoint) are left out of the route but goal still sees them, and
// durations run from the path's first event whatever its attributes. With
// a nil goal nobody converts and durations run to each path's last event.
//
// goal is called on each customer's events in time order until it returns
// true, from several goroutines at once when opt.Workers is not 1. It
// takes O(n) time for n events. It returns an error only for a bad opt.By
// or a done opt.Context.
func CountGoalVariants(l *journey.Log, goal func(journey.Event) bool, opt Options) (*GoalVariants, error) {
	v, err := opt.view(l, goal)
	if err != nil {
		return nil, err
	}
	return done(opt, &GoalVariants{*pathcount.CountGoalVariants(v, opt.Workers), opt.meta(l, goal != nil)})
}

// Add counts one customer on route, who converted or not, with duration d.
func (v *GoalVariants) Add(route []string, converted bool, d time.Duration) {
	v.c.Add(route, converted, d)
}

// Merge adds the counts of o to v, exactly, medians included, in
// O(r + c) time for the r names in o's routes and its c customers; o is
// unchanged. Merges are associative and commutative.
//
// The two must count disjoint customers (see Variants.Merge). Merge
// returns an error wrapping ErrSharedCustomers when their customer
// samples show a customer counted in both, and one wrapping
// ErrIncompatible when both were counted from logs by different
// Options.By, or one with a goal and the other without (goal functions
// cannot be compared: giving the same one is the caller's part). On error
// v is unchanged.
func (v *GoalVariants) Merge(o *GoalVariants) error {
	if err := v.m.check(&o.m); err != nil {
		return err
	}
	_ = v.c.Merge(&o.c) // never fails
	v.m.merge(&o.m)
	return nil
}

// Len returns the number of distinct routes.
func (v *GoalVariants) Len() int { return v.c.Len() }

// Customers returns the number of customers counted.
func (v *GoalVariants) Customers() int { return v.c.Customers() }

// List returns the routes with their statistics, most customers first,
// ties by route compared element by element. It takes O(r log r) time for
// r routes plus O(c log c) for the medians of c customers.
func (v *GoalVariants) List() []GoalVariant {
	in := v.c.Variants()
	out := make([]GoalVariant, len(in))
	for i, x := range in {
		out[i] = GoalVariant(x)
	}
	return out
}
