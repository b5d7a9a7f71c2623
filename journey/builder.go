package journey

import nametab "github.com/parcours-go/parcours/internal/names"

// LogBuilder accumulates events one at a time, in any order, and builds a
// Log from them. Readers and simulations use it to build a log without
// holding the events themselves: each added event costs about 24 bytes until
// Build.
//
// The zero value is ready to use. A LogBuilder is not safe for concurrent
// use.
type LogBuilder struct {
	in        Log      // columns in input order; customers unused
	cust      []uint32 // customer id of each event, in custDict
	custDict  *dict
	custCache nametab.Cache
	counts    []uint32
	caches    [numBy]nametab.Cache
}

func (b *LogBuilder) init() {
	if b.custDict != nil {
		return
	}
	b.custDict = newDict()
	b.in.props = newDict()
	for k := range b.in.dicts {
		b.in.dicts[k] = newDict()
	}
}

// Add adds one event. It returns an error, and adds nothing, if the event
// lacks a customer, a time or a step, if its time is out of range (years
// 1678 to 2262) or its value is not finite. The event's Props map is
// copied, not retained.
func (b *LogBuilder) Add(e Event) error {
	if err := e.check(); err != nil {
		return err
	}
	if len(b.cust) >= maxEvents {
		return ErrTooLarge
	}
	b.init()
	pos := uint32(len(b.cust))
	id := b.custCache.ID(b.custDict, e.Customer)
	if int(id) == len(b.counts) {
		b.counts = append(b.counts, 0)
	}
	b.counts[id]++
	b.cust = append(room(b.cust), id)
	b.in.times = append(room(b.in.times), e.Time.UnixNano())
	b.in.syms[ByStep] = append(room(b.in.syms[ByStep]), b.caches[ByStep].ID(b.in.dicts[ByStep], e.Step))
	b.in.syms[ByChannel] = append(room(b.in.syms[ByChannel]), b.caches[ByChannel].ID(b.in.dicts[ByChannel], string(e.Channel)))
	b.in.syms[ByTouchpoint] = append(room(b.in.syms[ByTouchpoint]), b.caches[ByTouchpoint].ID(b.in.dicts[ByTouchpoint], e.Touchpoint))
	if e.Value != 0 {
		b.in.valIdx = append(b.in.valIdx, pos)
		b.in.vals = append(b.in.vals, e.Value)
	}
	if len(e.Props) > 0 {
		b.in.addProps(pos, e.Props)
	}
	return nil
}

// Len returns the number of events added since the last Build.
func (b *LogBuilder) Len() int { return len(b.cust) }

// Build returns the log of the events added, sorted as NewLog sorts them,
// and resets the builder. With no event added it returns an empty log.
func (b *LogBuilder) Build() (*Log, error) {
	b.init()
	n := len(b.cust)
	l, next := newLogShell(b.custDict, b.counts, n)
	l.dicts = b.in.dicts
	l.props = b.in.props
	vk, pk := 0, 0
	for i := range n {
		pos := next[b.cust[i]]
		next[b.cust[i]]++
		l.times[pos] = b.in.times[i]
		for k := range l.syms {
			l.syms[k][pos] = b.in.syms[k][i]
		}
		if vk < len(b.in.valIdx) && int(b.in.valIdx[vk]) == i {
			l.valIdx = append(l.valIdx, pos)
			l.vals = append(l.vals, b.in.vals[vk])
			vk++
		}
		if pk < len(b.in.propIdx) && int(b.in.propIdx[pk]) == i {
			if len(l.propOff) == 0 {
				l.propOff = append(l.propOff, 0)
			}
			l.propIdx = append(l.propIdx, pos)
			l.propKV = append(l.propKV, b.in.propKV[b.in.propOff[pk]:b.in.propOff[pk+1]]...)
			l.propOff = append(l.propOff, uint32(len(l.propKV)))
			pk++
		}
	}
	l.finish()
	*b = LogBuilder{}
	return l, nil
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
	switch {
	case len(r.customer) == 0:
		return ErrMissingCustomer
	case len(r.step) == 0:
		return ErrMissingStep
	case r.value-r.value != 0: // NaN or ±Inf
		return ErrBadValue
	}
	if len(b.cust) >= maxEvents {
		return ErrTooLarge
	}
	b.init()
	pos := uint32(len(b.cust))
	id := r.caches[0].IDBytes(b.custDict, r.customer)
	if int(id) == len(b.counts) {
		b.counts = append(b.counts, 0)
	}
	b.counts[id]++
	b.cust = append(room(b.cust), id)
	b.in.times = append(room(b.in.times), r.nanos)
	b.in.syms[ByStep] = append(room(b.in.syms[ByStep]), r.caches[1+ByStep].IDBytes(b.in.dicts[ByStep], r.step))
	b.in.syms[ByChannel] = append(room(b.in.syms[ByChannel]), r.caches[1+ByChannel].IDBytes(b.in.dicts[ByChannel], r.channel))
	b.in.syms[ByTouchpoint] = append(room(b.in.syms[ByTouchpoint]), r.caches[1+ByTouchpoint].IDBytes(b.in.dicts[ByTouchpoint], r.touchpoint))
	if r.value != 0 {
		b.in.valIdx = append(b.in.valIdx, pos)
		b.in.vals = append(b.in.vals, r.value)
	}
	if len(r.props) > 0 {
		l := &b.in
		if len(l.propOff) == 0 {
			l.propOff = append(l.propOff, 0)
		}
		l.propIdx = append(l.propIdx, pos)
		pc := &r.caches[1+numBy]
		for k := 0; k+1 < len(r.props); k += 2 {
			l.propKV = append(l.propKV, pc.IDBytes(l.props, r.props[k]), pc.IDBytes(l.props, r.props[k+1]))
		}
		l.propOff = append(l.propOff, uint32(len(l.propKV)))
	}
	return nil
}
