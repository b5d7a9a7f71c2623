package journey

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SplitOptions say where a customer's history breaks into journeys. The
// zero value breaks nothing: each customer's history is one journey.
type SplitOptions struct {
	// Gap, if positive, starts a new journey at an event that comes more
	// than Gap after the event before it. Events exactly Gap apart stay in
	// one journey; events at equal times are never apart. Zero or
	// negative: no split on time.
	Gap time.Duration

	// Goal, if set, marks the goal events (a purchase, a signup). A goal
	// event is the last event of the journey it belongs to: the event
	// after it, if any, starts a new journey. Goal is called at most once
	// per event, in log order (not on a customer's last event, which ends
	// its journey anyway).
	Goal func(Event) bool

	// Sep separates the customer id from the journey number in the
	// customer keys of the split log; "" means "#". It must not end with
	// a decimal digit, so that different (customer, journey) pairs always
	// make different keys.
	Sep string
}

// DefaultSep is the separator of journey keys when SplitOptions.Sep is empty.
const DefaultSep = "#"

func (o SplitOptions) sep() string {
	if o.Sep == "" {
		return DefaultSep
	}
	return o.Sep
}

// Split returns a log in which each journey inside a customer's history
// is its own path: its customer key is the customer id, the separator and
// the journey's number, counted from 1 in time order (alice#1, alice#2 …).
// Every journey has a key, even a customer's only one. SplitCustomer
// reads a key back. The split log has the same events, times, names,
// values and properties as l; only the grouping into paths changes. As in
// every log, paths are in byte-wise order of their keys, which puts
// alice#10 before alice#2.
//
// A journey ends at a gap longer than opt.Gap and after a goal event (see
// SplitOptions). With neither, each customer's history is one journey.
// Every analysis then reads one path per journey: GoalVariants gives the
// conversion rate per journey, Flows counts journeys.
//
// Split shares l's names, and also its event columns when the keys come
// out in l's order (as they do unless a customer has 10 journeys or more,
// or a customer id is a prefix of another). It takes O(n) time for n
// events (plus the calls of opt.Goal), and O(j log j) for j journeys when
// they need reordering. It returns an error only for a separator that ends
// with a digit.
func (l *Log) Split(opt SplitOptions) (*Log, error) {
	sep := opt.sep()
	if c := sep[len(sep)-1]; '0' <= c && c <= '9' {
		return nil, fmt.Errorf("journey: split separator %q ends with a digit: journey keys could clash", sep)
	}
	gap := uint64(max(opt.Gap, 0))
	starts := make([]uint32, 0, len(l.customers)+1) // first event of each journey
	var keyBuf []byte
	keyEnd := make([]int, 0, len(l.customers))
	var r eventReader
	for c, cust := range l.customers {
		lo, hi := l.Span(c)
		if opt.Goal != nil {
			r.reset(l, c, lo)
		}
		n := 0
		for i := lo; i < hi; i++ {
			newJourney := i == lo ||
				gap > 0 && uint64(l.times[i]-l.times[i-1]) > gap // times ascend: the unsigned difference is exact
			if opt.Goal != nil && i > lo && r.test(opt.Goal, i-1) {
				newJourney = true
			}
			if !newJourney {
				continue
			}
			n++
			starts = append(starts, uint32(i))
			keyBuf = append(keyBuf, cust...)
			keyBuf = append(keyBuf, sep...)
			keyBuf = strconv.AppendInt(keyBuf, int64(n), 10)
			keyEnd = append(keyEnd, len(keyBuf))
		}
	}
	starts = append(starts, uint32(len(l.times)))
	all := string(keyBuf)
	keys := make([]string, len(keyEnd))
	prev := 0
	for j, end := range keyEnd {
		keys[j] = all[prev:end]
		prev = end
	}

	out := &Log{dicts: l.dicts, props: l.props, sets: l.sets}
	if slices.IsSorted(keys) {
		out.customers, out.offsets = keys, starts
		out.times, out.syms = l.times, l.syms
		out.valIdx, out.vals = l.valIdx, l.vals
		out.propIdx, out.propSet = l.propIdx, l.propSet
		return out, nil
	}
	order := make([]int, len(keys))
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	l.permuteInto(out, order, starts)
	out.customers = make([]string, len(keys))
	for k, j := range order {
		out.customers[k] = keys[j]
	}
	return out, nil
}

// permuteInto fills out's event columns with l's groups of events
// [starts[j], starts[j+1]), taken in the given order, and sets out's
// offsets to the new groups. Values and properties follow their events.
func (l *Log) permuteInto(out *Log, order []int, starts []uint32) {
	n := len(l.times)
	out.times = make([]int64, n)
	for b := range out.syms {
		out.syms[b] = make([]uint32, n)
	}
	out.offsets = make([]uint32, len(order)+1)
	pos := 0
	for k, j := range order {
		lo, hi := int(starts[j]), int(starts[j+1])
		out.offsets[k] = uint32(pos)
		copy(out.times[pos:], l.times[lo:hi])
		for b := range out.syms {
			copy(out.syms[b][pos:], l.syms[b][lo:hi])
		}
		shift := uint32(pos - lo)
		vk, _ := slices.BinarySearch(l.valIdx, uint32(lo))
		for ; vk < len(l.valIdx) && int(l.valIdx[vk]) < hi; vk++ {
			out.valIdx = append(out.valIdx, l.valIdx[vk]+shift)
			out.vals = append(out.vals, l.vals[vk])
		}
		pk, _ := slices.BinarySearch(l.propIdx, uint32(lo))
		for ; pk < len(l.propIdx) && int(l.propIdx[pk]) < hi; pk++ {
			out.propIdx = append(out.propIdx, l.propIdx[pk]+shift)
			out.propSet = append(out.propSet, l.propSet[pk])
		}
		pos += hi - lo
	}
	out.offsets[len(order)] = uint32(pos)
}

// SplitCustomer splits a customer key of a log made by Split with
// separator sep ("" means "#") into the customer id and the journey
// number. It reports false for a key not of that form.
func SplitCustomer(key, sep string) (customer string, journey int, ok bool) {
	if sep == "" {
		sep = DefaultSep
	}
	if c := sep[len(sep)-1]; '0' <= c && c <= '9' {
		return "", 0, false
	}
	d := len(key)
	for d > 0 && '0' <= key[d-1] && key[d-1] <= '9' {
		d--
	}
	if d == len(key) || key[d] == '0' || !strings.HasSuffix(key[:d], sep) {
		return "", 0, false
	}
	n, err := strconv.Atoi(key[d:])
	if err != nil || n < 1 {
		return "", 0, false
	}
	return key[:d-len(sep)], n, true
}
