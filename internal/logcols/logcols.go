// Package logcols lets a package of the module build a journey.Log from
// columns it fills itself, without journey exporting its layout: the
// simulation writes millions of events a second this way, where building
// each journey.Event and interning its strings would cost several times
// the simulation itself.
//
// Package journey sets Build when it is initialised; any package that
// imports journey may call New, which checks the columns and adopts their
// slices, so the caller must not touch them afterwards.
package logcols

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Log is a journey log in column form: the fields mirror those of
// journey.Log. Events are grouped by customer, customers in strictly
// increasing byte-wise order of id, each customer's events in
// non-decreasing order of time.
type Log struct {
	Customers []string // strictly increasing, not empty
	// Offsets has one more entry than Customers: customer c's events are
	// Offsets[c] to Offsets[c+1]. Offsets[0] is 0, and every customer has
	// at least one event.
	Offsets []uint32
	Times   []int64 // Unix nanoseconds, one per event
	// Syms are the ids of each event's step, channel and touchpoint in
	// Names; Names[0] (steps) holds no empty name, and no table repeats
	// a name.
	Syms  [3][]uint32
	Names [3][]string
	// Values, sparse: event ValIdx[k] (strictly increasing) has the
	// finite, non-zero value Vals[k].
	ValIdx []uint32
	Vals   []float64
	// Properties, sparse: event PropIdx[k] (strictly increasing) has the
	// set of properties PropSet[k]. Set s, from 1, is the key and value
	// ids (in PropNames, distinct) SetKV[SetEnd[s-1]:SetEnd[s]], pairs in
	// strictly increasing byte-wise order of key. SetEnd starts with 0, or
	// is empty when there is no set. Some sets may be of no event.
	PropIdx   []uint32
	PropSet   []uint32
	SetKV     []uint32
	SetEnd    []uint32
	PropNames []string
}

// Pairs returns the key and value ids of the k-th event with properties,
// event PropIdx[k].
func (c *Log) Pairs(k int) []uint32 {
	s := c.PropSet[k]
	return c.SetKV[c.SetEnd[s-1]:c.SetEnd[s]]
}

// Build returns the *journey.Log of columns that pass Check, adopting
// their slices. Package journey sets it; call New, which checks first.
var Build func(*Log) any

// New checks the columns and returns their *journey.Log, which adopts
// the slices. It takes O(n) time for n events plus the names.
func New(c *Log) (any, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	return Build(c), nil
}

// ErrBadColumns is wrapped by the errors of Check.
var ErrBadColumns = errors.New("logcols: bad columns")

// Check reports a broken invariant of the columns, if any. It checks
// the names, then splits the customers, the events and the sparse
// columns among runtime.GOMAXPROCS(0) goroutines (for large logs),
// reporting the problem of the first part that has one. It takes O(n)
// time for n events plus the names.
func (c *Log) Check() error {
	n := len(c.Times)
	if n > math.MaxUint32-1 {
		return bad("%d events, more than a log holds", n)
	}
	for k, s := range c.Syms {
		if len(s) != n {
			return bad("symbol column %d has %d entries for %d events", k, len(s), n)
		}
		if err := distinct(c.Names[k]); err != nil {
			return bad("names %d: %v", k, err)
		}
	}
	for _, s := range c.Names[0] {
		if s == "" {
			return bad("empty step name")
		}
	}
	if len(c.Offsets) != len(c.Customers)+1 || c.Offsets[0] != 0 || int(c.Offsets[len(c.Customers)]) != n {
		return bad("offsets do not span the %d events of %d customers", n, len(c.Customers))
	}
	if len(c.Vals) != len(c.ValIdx) {
		return bad("%d values for %d value indexes", len(c.Vals), len(c.ValIdx))
	}
	if len(c.PropSet) != len(c.PropIdx) {
		return bad("%d property sets for %d property indexes", len(c.PropSet), len(c.PropIdx))
	}
	if err := distinct(c.PropNames); err != nil {
		return bad("property names: %v", err)
	}
	if err := c.checkSets(); err != nil {
		return err
	}
	parts := 1
	if n >= 1<<16 {
		parts = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			share := func(m int) (int, int) { return p * m / parts, (p + 1) * m / parts }
			if err := c.checkSyms(share(n)); err != nil {
				errs[p] = err
			} else if err := c.checkCustomers(share(len(c.Customers))); err != nil {
				errs[p] = err
			} else if err := c.checkValues(share(len(c.ValIdx))); err != nil {
				errs[p] = err
			} else {
				errs[p] = c.checkProps(share(len(c.PropIdx)))
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// bad returns an error wrapping ErrBadColumns.
func bad(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadColumns}, a...)...)
}

// checkSyms checks the symbol ids of events [lo, hi).
func (c *Log) checkSyms(lo, hi int) error {
	for k, s := range c.Syms {
		m := uint32(len(c.Names[k]))
		for i, id := range s[lo:hi] {
			if id >= m {
				return bad("event %d: symbol id %d of column %d out of range", lo+i, id, k)
			}
		}
	}
	return nil
}

// checkCustomers checks customers [lo, hi): ids, order and events.
func (c *Log) checkCustomers(lo, hi int) error {
	for i := lo; i < hi; i++ {
		id := c.Customers[i]
		a, b := c.Offsets[i], c.Offsets[i+1]
		switch {
		case id == "":
			return bad("customer %d has an empty id", i)
		case i > 0 && id <= c.Customers[i-1]:
			return bad("customer %q does not sort after %q", id, c.Customers[i-1])
		case b <= a || int(b) > len(c.Times):
			return bad("customer %q has no event", id)
		}
		for j := a + 1; j < b; j++ {
			if c.Times[j] < c.Times[j-1] {
				return bad("customer %q: event %d is earlier than the one before", id, j)
			}
		}
	}
	return nil
}

// checkValues checks value entries [lo, hi).
func (c *Log) checkValues(lo, hi int) error {
	n := len(c.Times)
	for k := lo; k < hi; k++ {
		i := c.ValIdx[k]
		if int(i) >= n || k > 0 && i <= c.ValIdx[k-1] {
			return bad("value index %d out of order or range", i)
		}
		if v := c.Vals[k]; v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("event %d: value %v", i, v)
		}
	}
	return nil
}

// checkSets checks the sets of properties.
func (c *Log) checkSets() error {
	if len(c.SetEnd) == 0 {
		if len(c.SetKV) > 0 {
			return bad("property ids without sets")
		}
		return nil
	}
	if c.SetEnd[0] != 0 || int(c.SetEnd[len(c.SetEnd)-1]) != len(c.SetKV) {
		return bad("property set ends do not span the %d ids", len(c.SetKV))
	}
	m := uint32(len(c.PropNames))
	for s := 1; s < len(c.SetEnd); s++ {
		if c.SetEnd[s] < c.SetEnd[s-1] || int(c.SetEnd[s]) > len(c.SetKV) {
			return bad("property set %d: ends out of order or range", s)
		}
		kv := c.SetKV[c.SetEnd[s-1]:c.SetEnd[s]]
		if len(kv) == 0 || len(kv)%2 != 0 {
			return bad("property set %d: %d ids, not key-value pairs", s, len(kv))
		}
		for j := 0; j < len(kv); j += 2 {
			if kv[j] >= m || kv[j+1] >= m {
				return bad("property set %d: id out of range", s)
			}
			if j > 0 && c.PropNames[kv[j]] <= c.PropNames[kv[j-2]] {
				return bad("property set %d: keys out of order", s)
			}
		}
	}
	return nil
}

// checkProps checks property entries [lo, hi).
func (c *Log) checkProps(lo, hi int) error {
	n := len(c.Times)
	sets := uint32(max(len(c.SetEnd)-1, 0))
	for k := lo; k < hi; k++ {
		i := c.PropIdx[k]
		if int(i) >= n || k > 0 && i <= c.PropIdx[k-1] {
			return bad("property index %d out of order or range", i)
		}
		if s := c.PropSet[k]; s == 0 || s > sets {
			return bad("event %d: property set %d out of range", i, s)
		}
	}
	return nil
}

func distinct(names []string) error {
	seen := make(map[string]bool, len(names))
	for _, s := range names {
		if seen[s] {
			return fmt.Errorf("%q twice", s)
		}
		seen[s] = true
	}
	return nil
}
