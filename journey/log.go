package journey

import (
	"cmp"
	"errors"
	"fmt"
	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/par"
	"hash/maphash"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/parcours-go/parcours/touchpoint"
)

// Log is an immutable, columnar log of events, sorted by customer (in
// byte-wise order of the customer id) and, within a customer, by time;
// events at the same time keep the order in which they were given.
//
// Steps, channels, touchpoints and customers are interned: each event costs
// 20 bytes (a time as int64 nanoseconds and three uint32 symbol ids), plus
// 12 bytes for a value and 8 for properties on the events that have them,
// plus the distinct strings and each distinct set of properties. Times are
// kept to the nanosecond and returned in UTC.
//
// A Log is safe for concurrent use. The zero Log is not usable: build one
// with NewLog, a LogBuilder, Merge or a reader (ReadCSV,
// ReadJSONL). An empty log (no event) is valid.
//
// Besides whole events (All, Paths, Event), a Log offers per-event
// accessors for algorithms that scan it fast without building Events:
// Customer and Span locate a customer's events, UnixNano, Symbol and Name
// read one event's attributes. Event indexes run from 0 to Len()-1 and
// customer indexes from 0 to Customers()-1; out-of-range indexes panic.
type Log struct {
	customers []string // sorted
	offsets   []uint32 // customer c's events are offsets[c] to offsets[c+1]
	times     []int64
	syms      [numBy][]uint32
	dicts     [numBy]*dict

	// Sparse columns: only events with a non-zero value or with properties
	// have an entry, sorted by event index.
	valIdx  []uint32
	vals    []float64
	propIdx []uint32
	propSet []uint32 // event propIdx[k]'s properties are sets.pairs(propSet[k])
	sets    pairSets // key and value ids in props
	props   *dict
}

// maxEvents is the most events a Log holds: indexes are uint32.
const maxEvents = math.MaxUint32 - 1

// ErrTooLarge is returned when a log would hold more than 4 294 967 294 events.
var ErrTooLarge = errors.New("journey: too many events for one log")

// Len returns the number of events.
func (l *Log) Len() int { return len(l.times) }

// Customers returns the number of customers.
func (l *Log) Customers() int { return len(l.customers) }

// Customer returns the id of the c-th customer, in customer order.
func (l *Log) Customer(c int) string { return l.customers[c] }

// Span returns the range of event indexes [lo, hi) of the c-th customer.
// Every customer has at least one event.
func (l *Log) Span(c int) (lo, hi int) { return int(l.offsets[c]), int(l.offsets[c+1]) }

// CustomerIndex returns the index of the customer with id customer, by
// binary search.
func (l *Log) CustomerIndex(customer string) (int, bool) {
	return slices.BinarySearch(l.customers, customer)
}

// UnixNano returns the time of event i in nanoseconds since the Unix epoch.
func (l *Log) UnixNano(i int) int64 { return l.times[i] }

// Time returns the time of event i, in UTC.
func (l *Log) Time(i int) time.Time { return time.Unix(0, l.times[i]).UTC() }

// Symbol returns the id of event i's step, channel or touchpoint among
// Names(by). Ids are dense, from 0 to NumNames(by)-1.
func (l *Log) Symbol(by By, i int) int { return int(l.syms[by][i]) }

// Name returns the step, channel or touchpoint whose id is id.
func (l *Log) Name(by By, id int) string { return l.dicts[by].names[id] }

// NumNames returns the number of distinct steps, channels or touchpoints
// the log knows. A log derived by a filter shares the names of the log it
// came from, so some names may have no event.
func (l *Log) NumNames(by By) int { return len(l.dicts[by].names) }

// Lookup returns the id of a step, channel or touchpoint name.
func (l *Log) Lookup(by By, name string) (int, bool) {
	id, ok := l.dicts[by].lookup(name)
	return int(id), ok
}

// Names returns the distinct steps, channels or touchpoints, indexed by id.
// The slice is a copy.
func (l *Log) Names(by By) []string { return slices.Clone(l.dicts[by].names) }

// Value returns the value of event i (0 when it has none).
// It takes O(log n) in the number of events with a value.
func (l *Log) Value(i int) float64 {
	if k, ok := slices.BinarySearch(l.valIdx, uint32(i)); ok {
		return l.vals[k]
	}
	return 0
}

// HasValues reports whether some event has a non-zero value.
func (l *Log) HasValues() bool { return len(l.valIdx) > 0 }

// Props returns a new map of the properties of event i, or nil if it has none.
// It takes O(log n) in the number of events with properties.
func (l *Log) Props(i int) map[string]string {
	k, ok := slices.BinarySearch(l.propIdx, uint32(i))
	if !ok {
		return nil
	}
	return l.propsAt(k)
}

// pairsAt returns the key and value ids of the k-th event with properties.
func (l *Log) pairsAt(k int) []uint32 { return l.sets.pairs(l.propSet[k]) }

// propsAt returns a new map of the k-th event's properties.
func (l *Log) propsAt(k int) map[string]string {
	kv := l.pairsAt(k)
	m := make(map[string]string, len(kv)/2)
	for j := 0; j < len(kv); j += 2 {
		m[l.props.names[kv[j]]] = l.props.names[kv[j+1]]
	}
	return m
}

// Prop returns the property key of event i.
func (l *Log) Prop(i int, key string) (string, bool) {
	k, ok := slices.BinarySearch(l.propIdx, uint32(i))
	if !ok {
		return "", false
	}
	kid, ok := l.props.lookup(key)
	if !ok {
		return "", false
	}
	kv := l.pairsAt(k)
	for j := 0; j < len(kv); j += 2 {
		if kv[j] == kid {
			return l.props.names[kv[j+1]], true
		}
	}
	return "", false
}

// HasProps reports whether some event has properties.
func (l *Log) HasProps() bool { return len(l.propIdx) > 0 }

// Event returns event i as an Event. Its Props map is new.
func (l *Log) Event(i int) Event {
	return Event{
		Customer:   l.customers[l.customerOf(i)],
		Time:       l.Time(i),
		Step:       l.dicts[ByStep].names[l.syms[ByStep][i]],
		Channel:    touchpoint.Channel(l.dicts[ByChannel].names[l.syms[ByChannel][i]]),
		Touchpoint: l.dicts[ByTouchpoint].names[l.syms[ByTouchpoint][i]],
		Value:      l.Value(i),
		Props:      l.Props(i),
	}
}

// customerOf returns the index of the customer of event i.
func (l *Log) customerOf(i int) int {
	c, _ := slices.BinarySearch(l.offsets, uint32(i)+1)
	return c - 1
}

// events appends the events [lo, hi) of customer c to dst.
func (l *Log) events(dst []Event, c, lo, hi int) []Event {
	var r eventReader
	r.reset(l, c, lo)
	for i := lo; i < hi; i++ {
		dst = append(dst, r.event(i))
	}
	return dst
}

// eventReader builds the events of one customer in increasing order, for
// goal functions, reading values and properties with moving cursors rather
// than a search per event.
type eventReader struct {
	l      *Log
	cust   string
	vk, pk int
}

// reset starts reading customer c, whose first event is lo.
func (r *eventReader) reset(l *Log, c, lo int) {
	r.l, r.cust = l, l.customers[c]
	r.vk, _ = slices.BinarySearch(l.valIdx, uint32(lo))
	r.pk, _ = slices.BinarySearch(l.propIdx, uint32(lo))
}

// test returns f(event i of the customer); i must not decrease between
// calls. This is the inner loop of goal functions.
func (r *eventReader) test(f func(Event) bool, i int) bool { return f(r.event(i)) }

// event returns event i of the customer; i must not decrease between calls.
func (r *eventReader) event(i int) Event {
	l := r.l
	return Event{
		Customer:   r.cust,
		Time:       time.Unix(0, l.times[i]).UTC(),
		Step:       l.dicts[ByStep].names[l.syms[ByStep][i]],
		Channel:    touchpoint.Channel(l.dicts[ByChannel].names[l.syms[ByChannel][i]]),
		Touchpoint: l.dicts[ByTouchpoint].names[l.syms[ByTouchpoint][i]],
		Value:      r.value(i),
		Props:      r.props(i),
	}
}

// value returns the value of event i, moving the value cursor.
func (r *eventReader) value(i int) float64 {
	l := r.l
	for r.vk < len(l.valIdx) && int(l.valIdx[r.vk]) < i {
		r.vk++
	}
	if r.vk < len(l.valIdx) && int(l.valIdx[r.vk]) == i {
		return l.vals[r.vk]
	}
	return 0
}

// props returns a new map of the properties of event i, or nil, moving the
// property cursor.
func (r *eventReader) props(i int) map[string]string {
	l := r.l
	for r.pk < len(l.propIdx) && int(l.propIdx[r.pk]) < i {
		r.pk++
	}
	if r.pk == len(l.propIdx) || int(l.propIdx[r.pk]) != i {
		return nil
	}
	return l.propsAt(r.pk)
}

// Path is one customer's events, in time order.
type Path struct {
	Customer string
	Events   []Event
}

// Paths returns one Path per customer, in customer order. Each Path and
// its Events are new: the caller may keep and change them.
func (l *Log) Paths() iter.Seq[Path] {
	return func(yield func(Path) bool) {
		for c := range l.customers {
			lo, hi := l.Span(c)
			if !yield(Path{Customer: l.customers[c], Events: l.events(make([]Event, 0, hi-lo), c, lo, hi)}) {
				return
			}
		}
	}
}

// Path returns the path of the customer with id customer.
func (l *Log) Path(customer string) (Path, bool) {
	c, ok := l.CustomerIndex(customer)
	if !ok {
		return Path{}, false
	}
	lo, hi := l.Span(c)
	return Path{Customer: customer, Events: l.events(make([]Event, 0, hi-lo), c, lo, hi)}, true
}

// All returns every event, in log order (by customer, then time).
func (l *Log) All() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		var buf []Event
		for c := range l.customers {
			lo, hi := l.Span(c)
			buf = l.events(buf[:0], c, lo, hi)
			for _, e := range buf {
				if !yield(e) {
					return
				}
			}
		}
	}
}

// Events returns every event as a new slice, in log order.
func (l *Log) Events() []Event {
	out := make([]Event, 0, l.Len())
	for c := range l.customers {
		lo, hi := l.Span(c)
		out = l.events(out, c, lo, hi)
	}
	return out
}

// TimeRange returns the times of the earliest and the latest event; both
// are zero for an empty log.
func (l *Log) TimeRange() (first, last time.Time) {
	if len(l.times) == 0 {
		return time.Time{}, time.Time{}
	}
	lo, hi := l.times[0], l.times[0]
	for _, t := range l.times {
		lo, hi = min(lo, t), max(hi, t)
	}
	return time.Unix(0, lo).UTC(), time.Unix(0, hi).UTC()
}

// eventError names a bad event by its position in the input.
type eventError struct {
	index int
	err   error
}

func (e *eventError) Error() string { return "events[" + strconv.Itoa(e.index) + "]: " + e.err.Error() }
func (e *eventError) Unwrap() error { return e.err }

// maxReported caps how many bad events one error lists.
const maxReported = 20

// badEvents joins the problems found, capped at maxReported with a count of the rest.
func badEvents(errs []error, total int) error {
	if total > len(errs) {
		errs = append(errs, fmt.Errorf("… and %d more bad events", total-len(errs)))
	}
	return errors.Join(errs...)
}

// NewLog builds a log from events, sorting them by customer, then time;
// events at equal times keep their input order. Duplicate events are kept.
// The events are not retained: the log copies what it needs.
//
// Every event needs a customer, a time (between the years 1678 and 2262)
// and a step, and its value must be finite. If some event is bad, NewLog
// returns no log and an error listing the first 20 bad events by index
// (events[12]: missing step), each wrapping a sentinel such as
// ErrMissingStep. An empty slice gives an empty log.
//
// NewLog takes O(n + c log c) time for n events of c customers, plus the
// sort of the events of customers whose events are out of time order,
// whatever the order of the input: it interns the customers in one pass
// (reading ahead in batches), then places the events by a counting sort,
// gathering ranges of customers on runtime.GOMAXPROCS(0) goroutines; the
// log is the same on any number of them. Events grouped by customer in
// increasing order (as sorted exports come) are placed directly, with
// nothing allocated beyond the log's own 20 bytes an event; other orders
// allocate 8 bytes an event more while building and a table of the
// customers (8 to 16 bytes each).
func NewLog(events []Event) (*Log, error) {
	if len(events) > maxEvents {
		return nil, ErrTooLarge
	}
	n := len(events)
	// Pass 1: check the events, intern their names and count the events
	// of each customer. Input grouped by customer in increasing order
	// (exports, simulations) needs no customer table: each run of one
	// customer is that customer.
	p := pass1{out: &Log{times: make([]int64, n), props: newDict()}}
	for k := range p.dicts {
		p.dicts[k] = newDict()
		p.out.syms[k] = make([]uint32, n)
	}
	p.out.dicts = p.dicts
	if i := p.grouped(events); i < n {
		p.cust = p.ct.ungroup(n)
		p.scattered(events, i)
	}
	if p.bad > 0 {
		return nil, badEvents(p.errs, p.bad)
	}
	workers := buildWorkers()
	l := p.out
	if p.cust == nil {
		// Grouped: the events are in place; sort the customers whose
		// events are out of time order.
		lay := newLayout(p.ct.names, p.ct.counts, true, workers)
		l.customers, l.offsets = lay.customers, lay.offsets
		l.finish()
		return l, nil
	}
	p.ct.finish(p.cust)
	lay := newLayout(p.ct.names, p.ct.counts, false, workers)
	src := sources(p.cust, lay, workers)
	p = pass1{}
	// Pass 2: gather the events of each range of customers, into the
	// columns pass 1 wrote the grouped start of the events to.
	*l = Log{customers: lay.customers, offsets: lay.offsets, times: l.times, syms: l.syms, dicts: l.dicts, props: newDict()}
	parts := par.Ranges(customerRanges(l.offsets, workers), func(c0, c1 int) sparse {
		return l.gatherEvents(events, src, c0, c1)
	})
	propIdx, propFrom := l.joinSparse(parts)
	var sets propSets
	for k, pos := range propIdx {
		l.addProps(&sets, pos, events[propFrom[k]].Props)
	}
	return l, nil
}

// pass1 is NewLog's first pass over the events.
type pass1 struct {
	errs   []error
	bad    int
	ct     custTable
	cust   []uint32 // customer id of each event, when the input is not grouped
	dicts  [numBy]*dict
	caches [numBy]nametab.Cache
	out    *Log // the log's columns, which grouped fills in place
	sets   propSets
	sink   byte
}

// check reports whether event i is good, noting it if not.
func (p *pass1) check(i int, e *Event) bool {
	if err := e.check(); err != nil {
		if p.bad < maxReported {
			p.errs = append(p.errs, &eventError{i, err})
		}
		p.bad++
		return false
	}
	return p.bad == 0
}

// names interns the step, channel and touchpoint of e.
func (p *pass1) names(e *Event) {
	p.caches[ByStep].ID(p.dicts[ByStep], e.Step)
	p.caches[ByChannel].ID(p.dicts[ByChannel], string(e.Channel))
	p.caches[ByTouchpoint].ID(p.dicts[ByTouchpoint], e.Touchpoint)
}

// grouped goes through the events while they come grouped by customer,
// customers in increasing order, counting each run of one customer
// without a table, and returns the index of the first event out of that
// order (len(events) if none), which it leaves for scattered.
func (p *pass1) grouped(events []Event) int {
	ct := &p.ct
	for i := range events {
		e := &events[i]
		if !p.check(i, e) {
			continue
		}
		k := len(ct.names)
		switch {
		case k > 0 && e.Customer == ct.names[k-1]:
			ct.counts[k-1]++
		case k == 0 || e.Customer > ct.names[k-1]:
			ct.names = append(ct.names, e.Customer)
			ct.counts = append(ct.counts, 1)
		default:
			// Drop the sparse entries placed so far: scattered places
			// every event again.
			out := p.out
			out.valIdx, out.vals, out.propIdx, out.propSet, out.sets = nil, nil, nil, nil, pairSets{}
			out.props, p.sets = newDict(), propSets{}
			return i
		}
		out := p.out
		out.times[i] = e.Time.UnixNano()
		out.syms[ByStep][i] = p.caches[ByStep].ID(p.dicts[ByStep], e.Step)
		out.syms[ByChannel][i] = p.caches[ByChannel].ID(p.dicts[ByChannel], string(e.Channel))
		out.syms[ByTouchpoint][i] = p.caches[ByTouchpoint].ID(p.dicts[ByTouchpoint], e.Touchpoint)
		if e.Value != 0 {
			out.valIdx = append(out.valIdx, uint32(i))
			out.vals = append(out.vals, e.Value)
		}
		if len(e.Props) > 0 {
			out.addProps(&p.sets, uint32(i), e.Props)
		}
	}
	return len(events)
}

// scattered goes through events[from:] with the customer table, in
// batches: it hashes a batch's customers, reads the first bytes of their
// events' names and what their look-ups read first (custTable.touch)
// before it looks any of them up, so that the processor fetches what the
// batch needs from memory at once rather than one event after the other.
func (p *pass1) scattered(events []Event, from int) {
	const batch = 64
	var hs [batch]uint64
	ct := &p.ct
	for base := from; base < len(events); base += batch {
		evs := events[base:min(base+batch, len(events))]
		var touch byte
		for k := range evs {
			e := &evs[k]
			hs[k] = maphash.String(ct.seed, e.Customer)
			touch ^= first(e.Step) ^ first(string(e.Channel)) ^ first(e.Touchpoint)
		}
		p.sink ^= touch ^ ct.touch(hs[:len(evs)])
		for k := range evs {
			e := &evs[k]
			if !p.check(base+k, e) {
				continue
			}
			p.cust[base+k] = ct.addHashed(hs[k], e.Customer)
			p.names(e)
		}
	}
}

// first returns the first byte of s, or 0.
func first(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// newLogColumns returns a log of the layout's customers with columns for
// n events.
func newLogColumns(lay layout, n int) *Log {
	l := &Log{customers: lay.customers, offsets: lay.offsets, times: make([]int64, n)}
	for b := range l.syms {
		l.syms[b] = make([]uint32, n)
	}
	return l
}

// gatherEvents fills the positions of customers [c0, c1) from the events
// at src (the events at the positions themselves when src is nil) and
// returns their sparse entries.
func (l *Log) gatherEvents(events []Event, src []uint32, c0, c1 int) sparse {
	var sp sparse
	var caches [numBy]nametab.Cache
	var ident []uint32
	var touch byte
	for c, next := c0, c0; c < c1; c++ {
		if c == next && src != nil {
			// Read the events of the next customers, about 64 events, at
			// once before placing them.
			next = blockEnd(l.offsets, c, c1)
			for _, i := range src[l.offsets[c]:l.offsets[next]] {
				e := &events[i]
				touch ^= byte(len(e.Customer)) ^ first(e.Touchpoint)
				if e.Props != nil {
					touch++
				}
			}
		}
		lo, hi := int(l.offsets[c]), int(l.offsets[c+1])
		times := l.times[lo:hi]
		var s []uint32
		if src != nil {
			s = src[lo:hi]
			for k, i := range s {
				times[k] = events[i].Time.UnixNano()
			}
		} else {
			for k := range times {
				times[k] = events[lo+k].Time.UnixNano()
			}
		}
		s, ident = sortSpan(times, s, ident, lo, hi)
		for k := range times {
			i := lo + k
			if s != nil {
				i = int(s[k])
			}
			e := &events[i]
			pos := uint32(lo + k)
			l.syms[ByStep][pos] = caches[ByStep].ID(l.dicts[ByStep], e.Step)
			l.syms[ByChannel][pos] = caches[ByChannel].ID(l.dicts[ByChannel], string(e.Channel))
			l.syms[ByTouchpoint][pos] = caches[ByTouchpoint].ID(l.dicts[ByTouchpoint], e.Touchpoint)
			if e.Value != 0 {
				sp.valIdx = append(sp.valIdx, pos)
				sp.vals = append(sp.vals, e.Value)
			}
			if len(e.Props) > 0 {
				sp.propIdx = append(sp.propIdx, pos)
				sp.propRef = append(sp.propRef, uint32(i))
			}
		}
	}
	sp.sink = touch
	return sp
}

// addProps records the properties of the event at pos, their set
// interned in sets. Keys are stored in sorted order so that equal maps
// give equal logs.
func (l *Log) addProps(sets *propSets, pos uint32, props map[string]string) {
	l.propIdx = append(l.propIdx, pos)
	l.propSet = append(l.propSet, sets.idOf(l.props, props))
	l.sets = sets.done()
}

// appendProps appends to kv the key and value ids in d of props, in
// increasing order of the keys.
func appendProps(kv []uint32, d *dict, props map[string]string) []uint32 {
	if len(props) == 0 {
		return kv
	}
	var buf [8]string
	keys := buf[:0]
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kv = append(kv, d.id(k), d.id(props[k]))
	}
	return kv
}

// NewLogSeq builds a log from a sequence of events, as NewLog does from a
// slice. It reads the sequence once.
//
// Deprecated: use a LogBuilder, whose Add takes one event at a time, or
// NewLog with slices.Collect(events).
func NewLogSeq(events iter.Seq[Event]) (*Log, error) {
	var b LogBuilder
	i := 0
	var errs []error
	bad := 0
	for e := range events {
		if err := b.Add(e); err != nil {
			if bad < maxReported {
				errs = append(errs, &eventError{i, err})
			}
			bad++
		}
		i++
	}
	if bad > 0 {
		return nil, badEvents(errs, bad)
	}
	return b.Build()
}

// finish sorts the sparse columns by event index and each customer's events
// by time, keeping the input order of equal times.
func (l *Log) finish() {
	l.sortSparse()
	var sc sortScratch
	for c := range l.customers {
		lo, hi := l.Span(c)
		if !slices.IsSorted(l.times[lo:hi]) {
			l.sortCustomer(lo, hi, &sc)
		}
	}
}

// sortSparse orders the sparse value and property entries by event index.
// Entries were appended in input order, which differs from log order when
// customers interleave.
func (l *Log) sortSparse() {
	if !slices.IsSorted(l.valIdx) {
		perm := sortedPerm(l.valIdx)
		l.valIdx = permute(l.valIdx, perm)
		l.vals = permute(l.vals, perm)
	}
	if !slices.IsSorted(l.propIdx) {
		perm := sortedPerm(l.propIdx)
		l.propIdx = permute(l.propIdx, perm)
		l.propSet = permute(l.propSet, perm)
	}
}

// sortedPerm returns the permutation that sorts idx, stably.
func sortedPerm(idx []uint32) []int {
	perm := make([]int, len(idx))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return cmp.Compare(idx[a], idx[b]) })
	return perm
}

func permute[T any](s []T, perm []int) []T {
	out := make([]T, len(s))
	for k, p := range perm {
		out[k] = s[p]
	}
	return out
}

// sortScratch holds buffers reused across the customers finish sorts.
type sortScratch struct {
	perm   []int
	newPos []uint32
	times  []int64
	syms   []uint32
}

// sortCustomer sorts events [lo, hi) by time, stably, with every column
// (sparse ones included) following.
func (l *Log) sortCustomer(lo, hi int, sc *sortScratch) {
	n := hi - lo
	perm := sc.perm[:0]
	for i := range n {
		perm = append(perm, i)
	}
	sc.perm = perm
	times := l.times[lo:hi]
	slices.SortStableFunc(perm, func(a, b int) int { return cmp.Compare(times[a], times[b]) })
	sc.times = append(sc.times[:0], times...)
	for k, p := range perm {
		times[k] = sc.times[p]
	}
	for b := range l.syms {
		s := l.syms[b][lo:hi]
		sc.syms = append(sc.syms[:0], s...)
		for k, p := range perm {
			s[k] = sc.syms[p]
		}
	}
	// newPos[old offset] = new offset.
	newPos := slices.Grow(sc.newPos[:0], n)[:n]
	sc.newPos = newPos
	for k, p := range perm {
		newPos[p] = uint32(k)
	}
	remap := func(idx []uint32) (from, to int) {
		from, _ = slices.BinarySearch(idx, uint32(lo))
		to, _ = slices.BinarySearch(idx, uint32(hi))
		for k := from; k < to; k++ {
			idx[k] = uint32(lo) + newPos[idx[k]-uint32(lo)]
		}
		return from, to
	}
	if from, to := remap(l.valIdx); to-from > 1 {
		p := sortedPerm(l.valIdx[from:to])
		copy(l.valIdx[from:to], permute(l.valIdx[from:to], p))
		copy(l.vals[from:to], permute(l.vals[from:to], p))
	}
	if from, to := remap(l.propIdx); to-from > 1 {
		p := sortedPerm(l.propIdx[from:to])
		copy(l.propIdx[from:to], permute(l.propIdx[from:to], p))
		copy(l.propSet[from:to], permute(l.propSet[from:to], p))
	}
}
