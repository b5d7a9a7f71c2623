package journey

import (
	"hash/maphash"
	"math/bits"
	"slices"

	nametab "github.com/parcours-go/parcours/internal/names"
	"github.com/parcours-go/parcours/internal/par"
)

// LogBuilder accumulates events one at a time, in any order, and builds a
// Log from them. Readers and simulations use it to build a log without
// holding the events themselves: each added event costs about 28 bytes until
// Build (24 when the events come grouped by customer in increasing order),
// besides its value if it has one, and each distinct set of properties is
// kept once.
//
// The zero value is ready to use. A LogBuilder is not safe for concurrent
// use.
type LogBuilder struct {
	rows      rowBlocks // the events in input order
	valIdx    []uint32  // input indexes of the events with a value
	vals      []float64
	sets      propSets
	dicts     [numBy]*dict
	props     *dict
	cust      []uint32 // customer id of each event, once not grouped
	ct        custTable
	scattered bool // some customer's events are not contiguous, or customers not increasing
	caches    [numBy]nametab.Cache

	// Once scattered, the customers of the last events, whose ids in cust
	// are not yet looked up: their bytes, where each ends, and its hash.
	pend     []byte
	pendEnd  []int
	pendHash []uint64
	hint     int  // the events expected in all, if known (grow)
	sink     byte // folds what lookUp touches, so that it is read
}

// rowBlocks holds a builder's rows in blocks of rowBlock rows, so that
// they cost their size and are never copied as they grow. The first
// block grows as a slice does, for small logs.
type rowBlocks struct {
	blocks [][]inRow
	n      int
}

const (
	rowShift = 13
	rowBlock = 1 << rowShift
)

func (s *rowBlocks) add(r inRow) {
	k := len(s.blocks) - 1
	if k < 0 || len(s.blocks[k]) == rowBlock {
		c := rowBlock
		if k < 0 {
			c = 64
		}
		s.blocks = append(s.blocks, make([]inRow, 0, c))
		k++
	}
	s.blocks[k] = append(s.blocks[k], r)
	s.n++
}

// at returns row i.
func (s *rowBlocks) at(i int) *inRow { return &s.blocks[i>>rowShift][i&(rowBlock-1)] }

// inRow is an event as a LogBuilder keeps it until Build, in 24 bytes
// that a gather reads at once: its time, the ids of its names, and its
// property set.
type inRow struct {
	nanos int64
	syms  [numBy]uint32
	set   uint32 // id of its set of properties in propSets; 0 for none
}

// custBatch is the number of customers a LogBuilder looks up at once.
const custBatch = 64

func (b *LogBuilder) init() {
	if b.props != nil {
		return
	}
	b.props = newDict()
	for k := range b.dicts {
		b.dicts[k] = newDict()
	}
	// The seed of the customer table's hashes, made now so that a
	// logSink's Prepare can hash customers as the table will.
	b.ct.seed = maphash.MakeSeed()
}

// push adds an event whose customer addCustomer has counted: its time,
// the ids of its names, its value, and its properties as key and value
// ids in b.props, keys in increasing order of their names.
func (b *LogBuilder) push(nanos int64, syms [numBy]uint32, value float64, kv []uint32) {
	set := uint32(0)
	if len(kv) > 0 {
		set = b.sets.id(kv)
	}
	b.pushSet(nanos, syms, value, set)
}

// pushSet is push for an event whose set of properties b.sets has (0 for
// none).
func (b *LogBuilder) pushSet(nanos int64, syms [numBy]uint32, value float64, set uint32) {
	if value != 0 {
		b.valIdx = append(b.valIdx, uint32(b.rows.n))
		b.vals = append(b.vals, value)
	}
	b.rows.add(inRow{nanos: nanos, syms: syms, set: set})
}

// addCustomer counts one event of customer s.
func (b *LogBuilder) addCustomer(s string) {
	if !b.scattered {
		k := len(b.ct.names)
		if k > 0 && s == b.ct.names[k-1] {
			b.ct.counts[k-1]++
			return
		}
		if k == 0 || s > b.ct.names[k-1] {
			b.ct.names = append(b.ct.names, s)
			b.ct.counts = append(b.ct.counts, 1)
			return
		}
		b.ungroup()
	}
	queueCustomer(b, s, b.ct.hashString(s))
}

// addCustomerBytes is addCustomer for a byte slice, of hash h
// (custTable.hash) if hashed.
func (b *LogBuilder) addCustomerBytes(s []byte, h uint64, hashed bool) {
	if !b.scattered {
		k := len(b.ct.names)
		if k > 0 && string(s) == b.ct.names[k-1] {
			b.ct.counts[k-1]++
			return
		}
		if k == 0 || string(s) > b.ct.names[k-1] {
			b.ct.names = append(b.ct.names, string(s))
			b.ct.counts = append(b.ct.counts, 1)
			return
		}
		b.ungroup()
	}
	if !hashed {
		h = b.ct.hash(s)
	}
	queueCustomer(b, s, h)
}

// queueCustomer adds customer s of a new event, of hash h, to those
// lookUp looks up, and looks them up when they are a batch.
func queueCustomer[S string | []byte](b *LogBuilder, s S, h uint64) {
	b.cust = append(room(b.cust), 0)
	b.pend = append(b.pend, s...)
	b.pendEnd = append(b.pendEnd, len(b.pend))
	b.pendHash = append(b.pendHash, h)
	if len(b.pendEnd) == custBatch {
		b.lookUp()
	}
}

// lookUp looks up the customers of the last events, whose ids are not
// yet in cust. It reads what their look-ups read first (custTable.touch)
// before it looks any of them up, so that the processor fetches what
// they need from memory at once rather than one event after the other.
func (b *LogBuilder) lookUp() {
	ct := &b.ct
	b.sink ^= ct.touch(b.pendHash)
	base := len(b.cust) - len(b.pendEnd)
	lo := 0
	for k, hi := range b.pendEnd {
		b.cust[base+k] = ct.addHashedBytes(b.pendHash[k], b.pend[lo:hi])
		lo = hi
	}
	b.pend, b.pendEnd, b.pendHash = b.pend[:0], b.pendEnd[:0], b.pendHash[:0]
}

// ungroup starts keeping the customer id of each event.
func (b *LogBuilder) ungroup() {
	b.scattered = true
	n := b.rows.n
	b.cust = b.ct.ungroup(max(n+n/4+64, b.hint))[:n]
}

// grow makes room for about n events in all: the customer ids for n,
// the values in proportion to the events that had one so far (the rows
// are in blocks, which need no room). Readers call it when they can tell
// from the size of their input, so that the columns are not copied as
// they grow.
func (b *LogBuilder) grow(n int) {
	have := b.rows.n
	if n <= have || have == 0 {
		return
	}
	b.hint = n
	more := n - have
	if b.scattered {
		b.cust = slices.Grow(b.cust, n-len(b.cust))
	}
	scale := func(k int) int { return int(float64(k) * float64(more) / float64(have)) }
	b.valIdx = slices.Grow(b.valIdx, scale(len(b.valIdx)))
	b.vals = slices.Grow(b.vals, scale(len(b.vals)))
}

// Add adds one event. It returns an error, and adds nothing, if the event
// lacks a customer, a time or a step, if its time is out of range (years
// 1678 to 2262) or its value is not finite. The event's Props map is
// copied, not retained.
func (b *LogBuilder) Add(e Event) error {
	if err := e.check(); err != nil {
		return err
	}
	if b.rows.n >= maxEvents {
		return ErrTooLarge
	}
	b.init()
	var syms [numBy]uint32
	syms[ByStep] = b.caches[ByStep].ID(b.dicts[ByStep], e.Step)
	syms[ByChannel] = b.caches[ByChannel].ID(b.dicts[ByChannel], string(e.Channel))
	syms[ByTouchpoint] = b.caches[ByTouchpoint].ID(b.dicts[ByTouchpoint], e.Touchpoint)
	b.sets.scratch = appendProps(b.sets.scratch[:0], b.props, e.Props)
	b.addCustomer(e.Customer)
	b.push(e.Time.UnixNano(), syms, e.Value, b.sets.scratch)
	return nil
}

// Len returns the number of events added since the last Build.
func (b *LogBuilder) Len() int { return b.rows.n }

// Build returns the log of the events added, sorted as NewLog sorts them,
// and resets the builder. With no event added it returns an empty log.
//
// Build takes O(n + c log c) time for n events of c customers, plus the
// sort of the events of customers whose events are out of time order, on
// runtime.GOMAXPROCS(0) goroutines; it allocates the log and, when the
// events did not come grouped by customer, 4 bytes an event more.
func (b *LogBuilder) Build() (*Log, error) {
	b.init()
	b.lookUp()
	l := b.place()
	*b = LogBuilder{}
	return l, nil
}

// place builds the log of the events added. It takes over b's dicts, and
// leaves b's customer table empty.
func (b *LogBuilder) place() *Log {
	n := b.rows.n
	workers := buildWorkers()
	if b.scattered {
		b.ct.finish(b.cust)
	}
	lay := newLayout(b.ct.names, b.ct.counts, !b.scattered, workers)
	b.ct = custTable{}
	var src []uint32
	if b.scattered {
		src = sources(b.cust, lay, workers)
		b.cust = nil
	}
	l := newLogColumns(lay, n)
	l.dicts = b.dicts
	l.props = b.props
	vals := newRankSet(b.valIdx, n)
	ranges := customerRanges(l.offsets, workers)
	parts := par.Ranges(ranges, func(c0, c1 int) sparse {
		return l.gatherRows(b, src, vals, c0, c1)
	})
	l.joinSparse(parts)
	if b.sets.events > 0 {
		l.placeSets(b, src, ranges, parts)
	}
	l.sets = b.sets.done()
	return l
}

// placeSets fills the log's property columns once gatherRows has put the
// set of each position in src[pos], or in the row at pos when src is nil:
// each range of customers fills its own part of the columns, whose sizes
// the gathers counted.
func (l *Log) placeSets(b *LogBuilder, src []uint32, ranges []int, parts []sparse) {
	at := make([]int, len(parts)+1)
	for k, p := range parts {
		at[k+1] = at[k] + p.sets
	}
	l.propIdx = make([]uint32, at[len(parts)])
	l.propSet = make([]uint32, at[len(parts)])
	if src != nil {
		// The rows are no longer needed: src holds what is left of them.
		b.rows = rowBlocks{}
	}
	par.Ranges(ranges, func(c0, c1 int) struct{} {
		k, _ := slices.BinarySearch(ranges, c0)
		j := at[k]
		for pos := int(l.offsets[c0]); pos < int(l.offsets[c1]); pos++ {
			var set uint32
			if src != nil {
				set = src[pos]
			} else {
				set = b.rows.at(pos).set
			}
			if set != 0 {
				l.propIdx[j], l.propSet[j] = uint32(pos), set
				j++
			}
		}
		return struct{}{}
	})
}

// gatherRows fills the positions of customers [c0, c1) from the rows of b
// at src (at the positions themselves when src is nil) and returns their
// values and the count of those with properties; vals says which rows
// have a value. It leaves the set of properties of each position in
// src[pos], or in the row at pos when src is nil, for placeSets.
func (l *Log) gatherRows(b *LogBuilder, src []uint32, vals rankSet, c0, c1 int) sparse {
	var sp sparse
	rows := &b.rows
	// Room for the values of the range's events, in proportion to those
	// of all the events, with a margin.
	if n := rows.n; n > 0 && len(b.valIdx) > 0 {
		events := int(l.offsets[c1] - l.offsets[c0])
		share := int(float64(len(b.valIdx))*float64(events)/float64(n)*1.02) + 64
		sp.valIdx = make([]uint32, 0, share)
		sp.vals = make([]float64, 0, share)
	}
	var ident, sets []uint32
	var touch uint32
	for c, next := c0, c0; c < c1; c++ {
		if c == next && src != nil {
			// Read the rows of the next customers' events, about 64
			// events, at once before placing them.
			next = blockEnd(l.offsets, c, c1)
			for _, i := range src[l.offsets[c]:l.offsets[next]] {
				touch ^= uint32(rows.at(int(i)).nanos)
			}
		}
		lo, hi := int(l.offsets[c]), int(l.offsets[c+1])
		times := l.times[lo:hi]
		var s []uint32
		if src != nil {
			s = src[lo:hi]
			for k, i := range s {
				times[k] = rows.at(int(i)).nanos
			}
		} else {
			for k := range times {
				times[k] = rows.at(lo + k).nanos
			}
		}
		s, ident = sortSpan(times, s, ident, lo, hi)
		// Grouped rows that the sort moved: their sets go back to the
		// rows in their new order once all are read.
		moved := src == nil && s != nil
		sets = sets[:0]
		for k := range times {
			i, pos := lo+k, lo+k
			if s != nil {
				i = int(s[k])
			}
			r := rows.at(i)
			for by := range l.syms {
				l.syms[by][pos] = r.syms[by]
			}
			if vals.has(i) {
				sp.valIdx = append(sp.valIdx, uint32(pos))
				sp.vals = append(sp.vals, b.vals[vals.rank(i)])
			}
			if r.set != 0 {
				sp.sets++
			}
			switch {
			case src != nil:
				s[k] = r.set
			case moved:
				sets = append(sets, r.set)
			}
		}
		if moved {
			for k, set := range sets {
				rows.at(lo + k).set = set
			}
		}
	}
	sp.sink = byte(touch)
	return sp
}

// rankSet is a set of event indexes that tells the rank of each member:
// a bitmap with the count of members before each word. The zero rankSet
// is empty.
type rankSet struct {
	words  []uint64
	before []uint32
}

// newRankSet returns the set of idx, which is increasing, in [0, n); the
// zero set when idx is empty.
func newRankSet(idx []uint32, n int) rankSet {
	if len(idx) == 0 {
		return rankSet{}
	}
	s := rankSet{words: make([]uint64, (n+63)/64), before: make([]uint32, (n+63)/64)}
	for _, i := range idx {
		s.words[i/64] |= 1 << (i % 64)
	}
	total := uint32(0)
	for w, x := range s.words {
		s.before[w] = total
		total += uint32(bits.OnesCount64(x))
	}
	return s
}

func (s rankSet) has(i int) bool { return s.words != nil && s.words[i/64]>>(i%64)&1 != 0 }

// rank returns the number of members below i.
func (s rankSet) rank(i int) int {
	return int(s.before[i/64]) + bits.OnesCount64(s.words[i/64]&(1<<(i%64)-1))
}

// rawRow is one event as the readers see it, for LogBuilder.addRaw: byte
// slices that need only live during the call, a time already in Unix
// nanoseconds, and properties as key, value, key, value … with keys
// strictly increasing byte-wise. A reader reuses one rawRow for all its
// rows: caches remember recent strings and their ids, across rows, for
// one builder.
type rawRow struct {
	customer, step, channel, touchpoint []byte
	nanos                               int64
	value                               float64
	props                               [][]byte
	caches                              [2 + numBy]nametab.Cache // customer, step, channel, touchpoint, props
}

// room returns s with room for one more element, doubling its capacity
// when full: the columns of a builder fed row by row then cost at most
// twice their size in allocations and copies.
func room[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	t := make([]T, len(s), 2*len(s)+64)
	copy(t, s)
	return t
}

// addRaw adds r as Add adds an event, without building strings or maps:
// strings already interned cost no allocation.
func (b *LogBuilder) addRaw(r *rawRow) error {
	b.init()
	syms, kv, err := intern(&b.dicts, b.props, r, b.sets.scratch[:0])
	if err != nil {
		return err
	}
	b.sets.scratch = kv
	if b.rows.n >= maxEvents {
		return ErrTooLarge
	}
	set := uint32(0)
	if len(kv) > 0 {
		set = b.sets.id(kv)
	}
	return b.addPrepared(r.customer, 0, false, r.nanos, syms, r.value, set)
}

// intern checks r and interns its names in a builder's dictionaries,
// returning their ids, and its properties, appending their key and value
// ids to kv. It touches only the dictionaries (and r's caches), so that a
// reader in two stages can call it on its parsing goroutine while
// addPrepared runs on another.
func intern(dicts *[numBy]*dict, props *dict, r *rawRow, kv []uint32) (syms [numBy]uint32, _ []uint32, err error) {
	switch {
	case len(r.customer) == 0:
		return syms, kv, ErrMissingCustomer
	case len(r.step) == 0:
		return syms, kv, ErrMissingStep
	case r.value-r.value != 0: // NaN or ±Inf
		return syms, kv, ErrBadValue
	}
	syms[ByStep] = r.caches[1+ByStep].IDBytes(dicts[ByStep], r.step)
	syms[ByChannel] = r.caches[1+ByChannel].IDBytes(dicts[ByChannel], r.channel)
	syms[ByTouchpoint] = r.caches[1+ByTouchpoint].IDBytes(dicts[ByTouchpoint], r.touchpoint)
	pc := &r.caches[1+numBy]
	for k := 0; k+1 < len(r.props); k += 2 {
		kv = append(kv, pc.IDBytes(props, r.props[k]), pc.IDBytes(props, r.props[k+1]))
	}
	return syms, kv, nil
}

// addPrepared adds an event as a logSink's Prepare left it: its names
// interned, its set of properties in b.sets (0 for none), and its
// customer hashed (custTable.hash) if hashed. It touches neither the
// dictionaries nor b.sets.
func (b *LogBuilder) addPrepared(customer []byte, h uint64, hashed bool, nanos int64, syms [numBy]uint32, value float64, set uint32) error {
	if b.rows.n >= maxEvents {
		return ErrTooLarge
	}
	b.addCustomerBytes(customer, h, hashed)
	b.pushSet(nanos, syms, value, set)
	return nil
}
