package journey

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

// refLog is a log built the obvious way: the events sorted stably by
// customer id, then time, with names numbered in order of first sight in
// the input.
type refLog struct {
	customers []string
	spans     [][2]int
	times     []int64
	names     [numBy][]string
	syms      [numBy][]int
	vals      []float64
	props     []map[string]string
}

func buildRef(evs []Event) refLog {
	var r refLog
	for by := range r.names {
		seen := map[string]bool{}
		for _, e := range evs {
			s := [...]string{e.Step, string(e.Channel), e.Touchpoint}[by]
			if !seen[s] {
				seen[s] = true
				r.names[by] = append(r.names[by], s)
			}
		}
	}
	sorted := slices.Clone(evs)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Customer != b.Customer {
			return a.Customer < b.Customer
		}
		return a.Time.Before(b.Time)
	})
	for i, e := range sorted {
		if i == 0 || e.Customer != sorted[i-1].Customer {
			r.customers = append(r.customers, e.Customer)
			r.spans = append(r.spans, [2]int{i, i})
		}
		r.spans[len(r.spans)-1][1] = i + 1
		r.times = append(r.times, e.Time.UnixNano())
		for by := range r.syms {
			s := [...]string{e.Step, string(e.Channel), e.Touchpoint}[by]
			r.syms[by] = append(r.syms[by], slices.Index(r.names[by], s))
		}
		r.vals = append(r.vals, e.Value)
		var p map[string]string
		if len(e.Props) > 0 {
			p = e.Props
		}
		r.props = append(r.props, p)
	}
	return r
}

// refOf reads a built log back through its public methods.
func refOf(l *Log) refLog {
	var r refLog
	for c := range l.Customers() {
		r.customers = append(r.customers, l.Customer(c))
		lo, hi := l.Span(c)
		r.spans = append(r.spans, [2]int{lo, hi})
	}
	for by := range r.names {
		r.names[by] = l.Names(By(by))
	}
	for i := range l.Len() {
		r.times = append(r.times, l.UnixNano(i))
		for by := range r.syms {
			r.syms[by] = append(r.syms[by], l.Symbol(By(by), i))
		}
		r.vals = append(r.vals, l.Value(i))
		r.props = append(r.props, l.Props(i))
	}
	return r
}

// checkRef reports how l differs from want.
func checkRef(t *testing.T, name string, want refLog, l *Log) {
	t.Helper()
	got := refOf(l)
	if reflect.DeepEqual(want, got) {
		return
	}
	t.Errorf("%s (-want +got):\n%s", name, cmp.Diff(want, got, cmp.AllowUnexported(refLog{})))
}

// orderedEvents returns n random events of up to customers customers, with
// duplicates, equal times, values and properties, in the given order.
func orderedEvents(r *rand.Rand, n, customers int, order string) []Event {
	steps := []string{"visit", "search", "cart", "buy", "call", "return"}
	chans := []touchpoint.Channel{"", touchpoint.Web, touchpoint.Email, touchpoint.Phone}
	tps := []string{"", "home", "cart", "mail-1"}
	evs := make([]Event, 0, n)
	for len(evs) < n {
		e := Event{
			// Strings of their own, as a reader makes them.
			Customer:   strings.Clone(fmt.Sprintf("u%d", r.IntN(customers))),
			Time:       at(r.IntN(30)).Add(time.Duration(r.IntN(3))),
			Step:       strings.Clone(steps[r.IntN(len(steps))]),
			Channel:    chans[r.IntN(len(chans))],
			Touchpoint: tps[r.IntN(len(tps))],
		}
		if r.IntN(5) == 0 {
			e.Value = float64(r.IntN(100)-50) / 4
		}
		if r.IntN(6) == 0 {
			e.Props = map[string]string{"device": []string{"app", "web"}[r.IntN(2)]}
			if r.IntN(2) == 0 {
				e.Props["campaign"] = fmt.Sprint("k", r.IntN(3))
			}
		}
		evs = append(evs, e)
		if r.IntN(8) == 0 && len(evs) < n { // a duplicate
			evs = append(evs, e)
		}
	}
	switch order {
	case "grouped":
		slices.SortStableFunc(evs, func(a, b Event) int { return strings.Compare(a.Customer, b.Customer) })
		// Sort most customers' events by time, leaving some out of order.
		for lo := 0; lo < len(evs); {
			hi := lo + 1
			for hi < len(evs) && evs[hi].Customer == evs[lo].Customer {
				hi++
			}
			if r.IntN(4) != 0 {
				slices.SortStableFunc(evs[lo:hi], func(a, b Event) int { return a.Time.Compare(b.Time) })
			}
			lo = hi
		}
	case "timeordered":
		slices.SortStableFunc(evs, func(a, b Event) int { return a.Time.Compare(b.Time) })
	case "shuffled":
		r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	case "grouped-decreasing": // grouped by customer, customers not in order
		slices.SortStableFunc(evs, func(a, b Event) int { return -strings.Compare(a.Customer, b.Customer) })
	}
	return evs
}

var buildCases = []struct {
	n, customers int
	reason       string
}{
	{0, 1, "empty"},
	{1, 1, "one event"},
	{50, 3, "few customers, many events each"},
	{2000, 400, "small"},
	{1 << 17, 30000, "large enough to split the work among goroutines"},
	{70000, 60000, "about one event per customer, many customers to sort"},
}

var buildOrders = []string{"grouped", "timeordered", "shuffled", "grouped-decreasing"}

// TestBuildEqualsReference checks NewLog and LogBuilder against the log
// built the obvious way, for every input order.
func TestBuildEqualsReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	for _, tc := range buildCases {
		for _, order := range buildOrders {
			name := fmt.Sprintf("%d/%d/%s", tc.n, tc.customers, order)
			evs := orderedEvents(r, tc.n, tc.customers, order)
			want := buildRef(evs)
			l, err := NewLog(evs)
			if err != nil {
				t.Fatalf("%s: NewLog: %v", name, err)
			}
			checkRef(t, name+" ("+tc.reason+"): NewLog", want, l)
			checkRef(t, name+" ("+tc.reason+"): LogBuilder", want, builderLog(t, evs))
			// Told how many events to expect a third of the way, as
			// readers do, too few, exactly or too many.
			for _, hint := range []int{tc.n / 2, tc.n, 2 * tc.n} {
				var bg LogBuilder
				for i, e := range evs {
					if i == len(evs)/3 {
						bg.grow(hint)
					}
					if err := bg.Add(e); err != nil {
						t.Fatal(err)
					}
				}
				lg, err := bg.Build()
				if err != nil {
					t.Fatalf("%s: Build: %v", name, err)
				}
				checkRef(t, fmt.Sprintf("%s (%s): LogBuilder grown to %d", name, tc.reason, hint), want, lg)
			}
		}
	}
}

// TestBuildSameOnAnyCores checks that NewLog and LogBuilder build the same
// log, down to its internal columns, with 1 and with 4 goroutines.
func TestBuildSameOnAnyCores(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, order := range buildOrders {
		evs := orderedEvents(r, 1<<17, 20000, order)
		var logs [2][2]*Log
		for k, procs := range []int{1, 4} {
			runtime.GOMAXPROCS(procs)
			l, err := NewLog(evs)
			if err != nil {
				t.Fatal(err)
			}
			logs[k] = [2]*Log{l, builderLog(t, evs)}
		}
		if !reflect.DeepEqual(logs[0][0], logs[1][0]) {
			t.Errorf("%s: NewLog on 1 and 4 goroutines built different logs", order)
		}
		if !reflect.DeepEqual(logs[0][1], logs[1][1]) {
			t.Errorf("%s: LogBuilder on 1 and 4 goroutines built different logs", order)
		}
		if logs[0][0].Len() != len(evs) {
			t.Errorf("%s: %d events, want %d", order, logs[0][0].Len(), len(evs))
		}
	}
}

// TestCustTable checks the customer table against a map, through its
// growth, with string and byte look-ups mixed.
func TestCustTable(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 3))
	var ct custTable
	want := map[string]uint32{}
	var counts, ids []uint32
	// Besides short names, a few whose length a slot does not hold, equal
	// but for their last byte, and one of the longest length it holds.
	long := strings.Repeat("x", maxInline+5)
	names := []string{long + "a", long + "b", long[:maxInline], long[:maxInline+1]}
	for i := range 50000 {
		s := fmt.Sprintf("id-%d", r.IntN(9000))
		if i%97 == 0 {
			s = names[r.IntN(len(names))]
		}
		var id uint32
		if i%2 == 0 {
			id = ct.addHashed(ct.hash([]byte(s)), s)
		} else {
			b := []byte(s)
			id = ct.addHashedBytes(ct.hash(b), b)
		}
		ids = append(ids, id)
		w, ok := want[s]
		if !ok {
			w = uint32(len(want))
			want[s] = w
			counts = append(counts, 0)
		}
		counts[w]++
		if id != w {
			t.Fatalf("%q: id %d, want %d", s, id, w)
		}
	}
	ct.finish(ids)
	if !slices.Equal(ct.counts, counts) {
		t.Error("counts differ from the map's")
	}
	for s, id := range want {
		if ct.names[id] != s {
			t.Fatalf("name of %d is %q, want %q", id, ct.names[id], s)
		}
	}
}

// TestCustTableCollisions gives names of the same length one hash, so
// that every look-up probes slots whose tag and length match: names the
// slot holds whole that differ in one byte, and longer ones that differ
// only past the bytes a slot holds.
func TestCustTableCollisions(t *testing.T) {
	base := strings.Repeat("y", slotHead+3)
	var names []string
	for _, n := range []int{1, 7, slotHead - 1, slotHead, slotHead + 1, slotHead + 3} {
		for c := byte('a'); c < 'e'; c++ {
			b := []byte(base[:n])
			b[n-1] = c // the last byte differs
			names = append(names, string(b))
		}
	}
	var ct custTable
	ct.init(0)
	want := map[string]uint32{}
	r := rand.New(rand.NewPCG(4, 4))
	for range 2000 {
		s := names[r.IntN(len(names))]
		h := uint64(len(s)) << 40 // the same for every name of a length
		var id uint32
		if r.IntN(2) == 0 {
			id = ct.addHashed(h, s)
		} else {
			id = ct.addHashedBytes(h, []byte(s))
		}
		w, ok := want[s]
		if !ok {
			w = uint32(len(want))
			want[s] = w
		}
		if id != w {
			t.Fatalf("%q: id %d, want %d", s, id, w)
		}
	}
	if len(want) != len(names) {
		t.Fatalf("%d names seen, want all %d", len(want), len(names))
	}
}

// TestSortedIDs checks sortedIDs against a sort of the names themselves,
// on names that share their first eight bytes, are shorter than eight,
// or end in zero bytes, on one to three goroutines.
func TestSortedIDs(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	seen := map[string]bool{}
	var names []string
	for len(names) < 1<<16 {
		var s string
		switch r.IntN(4) {
		case 0:
			s = fmt.Sprintf("customer-%d", r.IntN(1<<20)) // long shared prefix
		case 1:
			s = string([]byte{byte('a' + r.IntN(3)), byte(r.IntN(2))}) // short, maybe ending in 0
		case 2:
			s = strings.Repeat("\x00", r.IntN(10))
		default:
			s = fmt.Sprintf("%x", r.Uint64())
		}
		if !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	want := slices.Clone(names)
	slices.Sort(want)
	for _, workers := range []int{1, 2, 3} {
		order := sortedIDs(names, workers)
		got := make([]string, len(order))
		for i, id := range order {
			got[i] = names[id]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d workers: the names are not in order", workers)
		}
	}
}

// builderLog builds evs with a LogBuilder, one Add each, and checks that
// Build resets the builder.
func builderLog(t *testing.T, evs []Event) *Log {
	t.Helper()
	var b LogBuilder
	for _, e := range evs {
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Fatal("Build must reset the builder")
	}
	return l
}
