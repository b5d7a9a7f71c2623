package paths

import (
	"fmt"

	"github.com/parcours-go/parcours/internal/pathcount"
	"github.com/parcours-go/parcours/internal/wire"
	"github.com/parcours-go/parcours/journey"
)

var (
	// ErrIncompatible is wrapped by the errors of Merge for aggregates
	// counted with different options: another Options.By, a goal against
	// none, another flow.
	ErrIncompatible = pathcount.ErrIncompatible
	// ErrSharedCustomers is wrapped by the errors of Merge when the two
	// aggregates' customer samples share a customer: the shards did not
	// partition the customers. It is the same value as
	// journey.ErrSharedCustomers and the other packages' sentinels.
	ErrSharedCustomers = wire.ErrSharedCustomers
	// ErrFormat is wrapped by the errors of UnmarshalBinary for bytes that
	// are not an encoding of the type, or of a version this package does
	// not read.
	ErrFormat = wire.ErrFormat
)

// meta is what the aggregates keep beside their counts: how they were
// counted, to refuse merging incompatible ones, and a sample of their
// customers, to detect shards that share one.
type meta struct {
	counted bool       // by a Count function, from a log
	by      journey.By // when counted
	goal    bool       // GoalVariants: counted with a goal
	sample  wire.Sample
}

// meta returns the meta of an aggregate counted from l: its customers'
// sample, O(c) time for c customers.
func (o Options) meta(l *journey.Log, goal bool) meta {
	m := meta{counted: true, by: o.By, goal: goal}
	for c := range l.Customers() {
		m.sample.Add(l.Customer(c))
	}
	return m
}

// check returns why o cannot merge into m, or nil.
func (m *meta) check(o *meta) error {
	if m.counted && o.counted && (m.by != o.by || m.goal != o.goal) {
		return fmt.Errorf("paths: %w: counted by %v (goal %v) and by %v (goal %v)", ErrIncompatible, m.by, m.goal, o.by, o.goal)
	}
	return m.sample.Check("paths", &o.sample)
}

func (m *meta) merge(o *meta) {
	if !m.counted && o.counted {
		m.counted, m.by, m.goal = true, o.by, o.goal
	}
	m.sample.Merge(&o.sample)
}

// encode writes the header and the meta: whether counted from a log, By,
// whether with a goal, and the sample.
func (m *meta) encode(w *wire.Writer, t wire.Tag) {
	w.Header(t)
	w.Bool(m.counted)
	w.Uvarint(uint64(m.by))
	w.Bool(m.goal)
	w.Sample(&m.sample)
}

func decodeMeta(r *wire.Reader, t wire.Tag) meta {
	r.Header(t)
	var m meta
	m.counted = r.Bool()
	by := r.Uvarint()
	if r.Err() == nil && (by > uint64(journey.ByTouchpoint) || !m.counted && by != 0) {
		r.Fail("bad by %d", by)
	}
	m.by = journey.By(by)
	m.goal = r.Bool()
	if r.Err() == nil && !m.counted && m.goal {
		r.Fail("goal without a log")
	}
	m.sample = r.Sample()
	return m
}

// MarshalBinary implements encoding.BinaryMarshaler. The encoding is
// canonical (equal counts give equal bytes, whatever the merges that made
// them) and never fails. Layout, after the header "pcV" and version 1:
// counted-from-a-log flag, By, goal flag (0), the customer sample (count,
// then ascending hashes as varint deltas), the route names as a sorted
// string table, the number of routes, then each route in ascending order,
// front-coded (prefix shared with the previous route, number of further
// ids, the ids), and its customers. Counts are unsigned varints.
//
// A format that changes gets a new version; UnmarshalBinary rejects
// versions it does not know.
func (v *Variants) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	v.m.encode(&w, wire.TagVariants)
	v.c.Encode(&w)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, reading what
// MarshalBinary writes, strictly: it fails with an error wrapping
// ErrFormat on any other input, leaving v unchanged. It allocates at most
// a small multiple of len(data).
func (v *Variants) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	m := decodeMeta(r, wire.TagVariants)
	c := pathcount.DecodeVariants(r)
	if err := r.Done(); err != nil {
		return fmt.Errorf("paths: variants: %w", err)
	}
	if m.goal {
		return fmt.Errorf("paths: variants: %w: goal flag set", ErrFormat)
	}
	*v = Variants{*c, m}
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler, canonically; it never
// fails. Layout, after "pcG" and version 1: the meta of
// Variants.MarshalBinary (the goal flag now meaningful), the names, the
// number of routes, then each route front-coded in ascending order,
// followed by its customers who did not convert and those who did: for
// each group a count, then the durations in nanoseconds sorted, the first
// as a zigzag varint, the others as unsigned increments. It takes about
// one byte per route id and two to four per customer.
func (v *GoalVariants) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	v.m.encode(&w, wire.TagGoalVariants)
	v.c.Encode(&w)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, as
// Variants.UnmarshalBinary does.
func (v *GoalVariants) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	m := decodeMeta(r, wire.TagGoalVariants)
	c := pathcount.DecodeGoalVariants(r)
	if err := r.Done(); err != nil {
		return fmt.Errorf("paths: goal variants: %w", err)
	}
	*v = GoalVariants{*c, m}
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler, canonically; it never
// fails. Layout, after "pcD" and version 1: the meta of
// Variants.MarshalBinary, the names, the number of pairs, then the pairs
// sorted by From, then To: the increment of From's index, To's index (or,
// when From repeats, its increment minus one), the count.
func (f *Follows) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	f.m.encode(&w, wire.TagFollows)
	f.c.Encode(&w)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, as
// Variants.UnmarshalBinary does.
func (f *Follows) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	m := decodeMeta(r, wire.TagFollows)
	c := pathcount.DecodeFollows(r)
	if err := r.Done(); err == nil && m.goal {
		r.Fail("goal flag set")
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("paths: follows: %w", err)
	}
	*f = Follows{*c, m}
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler, canonically; it never
// fails. Layout, after "pcL" and version 1: the meta of
// Variants.MarshalBinary, the customers, the looping customers, the names
// with a count as a sorted string table, then for each name its visits,
// customers, repeaters, self-loops and returns.
func (c *Loops) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	c.m.encode(&w, wire.TagLoops)
	c.c.Encode(&w)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, as
// Variants.UnmarshalBinary does.
func (c *Loops) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	m := decodeMeta(r, wire.TagLoops)
	lc := pathcount.DecodeLoops(r)
	if err := r.Done(); err == nil && m.goal {
		r.Fail("goal flag set")
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("paths: loops: %w", err)
	}
	*c = Loops{*lc, m}
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler, canonically; it never
// fails. Layout, after "pcF" and version 1: the meta of
// Variants.MarshalBinary, whether the flow is set (0 for the zero value,
// and nothing follows), the flow's By, Anchor, Backward and Depth, the
// customers, the reach (deepest level any path reaches), the names of the
// links, then the links sorted by level, near node, far node: the level's
// increment, the node codes (0 end, 1 start, 2 other, 3 + name index) and
// the count.
func (f *Flows) MarshalBinary() ([]byte, error) {
	var w wire.Writer
	f.m.encode(&w, wire.TagFlows)
	f.c.Encode(&w)
	return w.B, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler, as
// Variants.UnmarshalBinary does.
func (f *Flows) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	m := decodeMeta(r, wire.TagFlows)
	c := pathcount.DecodeFlows(r)
	if err := r.Done(); err == nil && (m.goal || c.Options().By > uint8(journey.ByTouchpoint) || m.counted && uint8(m.by) != c.Options().By) {
		r.Fail("bad flow options")
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("paths: flows: %w", err)
	}
	*f = Flows{*c, m}
	return nil
}
