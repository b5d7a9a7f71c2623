package journey

import (
	"slices"
	"time"
)

// filter returns a log of the events for which keep is true, in the same
// order, sharing l's names; customers left with no event are dropped. It
// takes O(n) time and copies 20 bytes per kept event.
func (l *Log) filter(keep func(i int) bool) *Log {
	bits := make([]uint64, (l.Len()+63)/64)
	kept := 0
	for i := range l.Len() {
		if keep(i) {
			bits[i/64] |= 1 << (i % 64)
			kept++
		}
	}
	return l.keepEvents(bits, kept)
}

// keepEvents returns a log of the events whose bit is set in keep, kept of
// them, sharing l's names; customers left with no event are dropped. It is
// the copy every filter ends in, with the columns allocated once.
func (l *Log) keepEvents(keep []uint64, kept int) *Log {
	out := &Log{dicts: l.dicts, props: l.props, sets: l.sets}
	out.times = make([]int64, 0, kept)
	for b := range out.syms {
		out.syms[b] = make([]uint32, 0, kept)
	}
	out.customers = make([]string, 0, len(l.customers))
	out.offsets = make([]uint32, 0, len(l.customers)+1)
	vk, pk := 0, 0
	for c := range l.customers {
		lo, hi := l.Span(c)
		start := len(out.times)
		for i := lo; i < hi; i++ {
			if keep[i/64]&(1<<(i%64)) == 0 {
				continue
			}
			pos := uint32(len(out.times))
			out.times = append(out.times, l.times[i])
			for b := range out.syms {
				out.syms[b] = append(out.syms[b], l.syms[b][i])
			}
			for vk < len(l.valIdx) && int(l.valIdx[vk]) < i {
				vk++
			}
			if vk < len(l.valIdx) && int(l.valIdx[vk]) == i {
				out.valIdx = append(out.valIdx, pos)
				out.vals = append(out.vals, l.vals[vk])
			}
			for pk < len(l.propIdx) && int(l.propIdx[pk]) < i {
				pk++
			}
			if pk < len(l.propIdx) && int(l.propIdx[pk]) == i {
				out.propIdx = append(out.propIdx, pos)
				out.propSet = append(out.propSet, l.propSet[pk])
			}
		}
		if len(out.times) > start {
			out.customers = append(out.customers, l.customers[c])
			out.offsets = append(out.offsets, uint32(start))
		}
	}
	out.offsets = append(out.offsets, uint32(len(out.times)))
	return out
}

// A Pred is a condition on the events of a log, for Where: During,
// OfCustomers, Named, WithProp or Matching make one.
type Pred struct {
	// on returns the test of event i of l, called with increasing i.
	on func(l *Log) func(i int) bool
}

// Where returns the events of l for which every pred is true, in one pass:
// O(n) time for n events, plus what the preds call. Where with no pred
// returns a copy of l. The log it returns shares nothing with l.
//
//	l.Where(journey.During(jan, feb), journey.Named(journey.ByChannel, paid))
func (l *Log) Where(preds ...Pred) *Log {
	tests := make([]func(int) bool, len(preds))
	for k, p := range preds {
		tests[k] = p.on(l)
	}
	return l.filter(func(i int) bool {
		for _, t := range tests {
			if !t(i) {
				return false
			}
		}
		return true
	})
}

// During is true of events at or after from and before to. A zero from
// or to leaves that side open.
func During(from, to time.Time) Pred {
	return Pred{func(l *Log) func(int) bool {
		lo, hi := int64(minInt64), int64(maxInt64)
		if !from.IsZero() {
			lo = from.UnixNano()
		}
		if !to.IsZero() {
			hi = to.UnixNano()
		}
		return func(i int) bool { return l.times[i] >= lo && (to.IsZero() || l.times[i] < hi) }
	}}
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// OfCustomers is true of the events of the customers keep accepts: it
// keeps or drops whole paths. keep is called once per customer.
func OfCustomers(keep func(customer string) bool) Pred {
	return Pred{func(l *Log) func(int) bool {
		kept := make([]bool, len(l.customers))
		for c, id := range l.customers {
			kept[c] = keep(id)
		}
		c := 0
		return func(i int) bool {
			for uint32(i) >= l.offsets[c+1] {
				c++
			}
			return kept[c]
		}
	}}
}

// Named is true of the events whose step, channel or touchpoint (by)
// keep accepts. keep is called once per distinct name, not per event.
func Named(by By, keep func(name string) bool) Pred {
	by.valid()
	return Pred{func(l *Log) func(int) bool {
		names := l.dicts[by].names
		kept := make([]bool, len(names))
		for id, s := range names {
			kept[id] = keep(s)
		}
		syms := l.syms[by]
		return func(i int) bool { return kept[syms[i]] }
	}}
}

// WithProp is true of the events that have property key with a value
// keep accepts. keep is called once per distinct value.
func WithProp(key string, keep func(value string) bool) Pred {
	return Pred{func(l *Log) func(int) bool {
		kid, ok := l.props.lookup(key)
		if !ok {
			return func(int) bool { return false }
		}
		verdict := make(map[uint32]bool)
		pk := 0
		return func(i int) bool {
			for pk < len(l.propIdx) && int(l.propIdx[pk]) < i {
				pk++
			}
			if pk == len(l.propIdx) || int(l.propIdx[pk]) != i {
				return false
			}
			kv := l.pairsAt(pk)
			for j := 0; j < len(kv); j += 2 {
				if kv[j] != kid {
					continue
				}
				v, seen := verdict[kv[j+1]]
				if !seen {
					v = keep(l.props.names[kv[j+1]])
					verdict[kv[j+1]] = v
				}
				return v
			}
			return false
		}
	}}
}

// Matching is true of the events keep accepts. keep sees each event whole,
// which costs more than the other preds: prefer them when they say what
// is needed, and put them first in Where, which calls keep only on the
// events they accept.
func Matching(keep func(Event) bool) Pred {
	return Pred{func(l *Log) func(int) bool {
		return func(i int) bool { return keep(l.Event(i)) }
	}}
}

// FilterTime returns the events at or after from and before to.
//
// Deprecated: use l.Where(During(from, to)).
func (l *Log) FilterTime(from, to time.Time) *Log { return l.Where(During(from, to)) }

// FilterCustomers returns the paths of the customers keep accepts.
//
// Deprecated: use l.Where(OfCustomers(keep)).
func (l *Log) FilterCustomers(keep func(customer string) bool) *Log {
	return l.Where(OfCustomers(keep))
}

// FilterSteps returns the events whose step keep accepts.
//
// Deprecated: use l.Where(Named(ByStep, keep)).
func (l *Log) FilterSteps(keep func(step string) bool) *Log { return l.Where(Named(ByStep, keep)) }

// FilterNames returns the events whose step, channel or touchpoint keep
// accepts.
//
// Deprecated: use l.Where(Named(by, keep)).
func (l *Log) FilterNames(by By, keep func(name string) bool) *Log { return l.Where(Named(by, keep)) }

// FilterProp returns the events that have property key with a value keep
// accepts.
//
// Deprecated: use l.Where(WithProp(key, keep)).
func (l *Log) FilterProp(key string, keep func(value string) bool) *Log {
	return l.Where(WithProp(key, keep))
}

// Filter returns the events keep accepts.
//
// Deprecated: use l.Where(Matching(keep)).
func (l *Log) Filter(keep func(Event) bool) *Log { return l.Where(Matching(keep)) }

// Merge returns one log holding the events of all the logs. A customer
// found in several logs gets all their events, sorted by time; events at
// equal times keep the order of the logs, then their order within each.
// Merge takes O(n + c log c) time for n events of c customers.
func Merge(logs ...*Log) (*Log, error) {
	var b LogBuilder
	b.init()
	total := 0
	for _, l := range logs {
		total += l.Len()
	}
	if total > maxEvents {
		return nil, ErrTooLarge
	}
	for _, l := range logs {
		var trans [numBy][]uint32
		for k := range trans {
			trans[k] = make([]uint32, len(l.dicts[k].names))
			for id, s := range l.dicts[k].names {
				trans[k][id] = b.dicts[k].id(s)
			}
		}
		propTrans := make([]uint32, len(l.props.names))
		for id, s := range l.props.names {
			propTrans[id] = b.props.id(s)
		}
		vk, pk := 0, 0
		for c := range l.customers {
			lo, hi := l.Span(c)
			for i := lo; i < hi; i++ {
				var syms [numBy]uint32
				for k := range trans {
					syms[k] = trans[k][l.syms[k][i]]
				}
				value := 0.0
				if vk < len(l.valIdx) && int(l.valIdx[vk]) == i {
					value = l.vals[vk]
					vk++
				}
				kv := b.sets.scratch[:0]
				if pk < len(l.propIdx) && int(l.propIdx[pk]) == i {
					for _, id := range l.pairsAt(pk) {
						kv = append(kv, propTrans[id])
					}
					pk++
				}
				b.sets.scratch = kv
				b.addCustomer(l.customers[c])
				b.push(l.times[i], syms, value, kv)
			}
		}
	}
	return b.Build()
}

// sortedNames is used by tests and writers: the names of by, sorted.
func (l *Log) sortedNames(by By) []string {
	s := slices.Clone(l.dicts[by].names)
	slices.Sort(s)
	return s
}
