package journey

import (
	"encoding/binary"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Variant is a distinct route through the journey and the number of
// customers who took exactly that route.
type Variant struct {
	Route     []string
	Customers int
}

// Variants returns the distinct routes customers took, read by step,
// channel or touchpoint: most customers first, ties broken by comparing
// routes element by element (slices.Compare). Consecutive repeats are kept:
// clean the log first (Clean) to collapse them. Read by channel or
// touchpoint, a customer none of whose events has one has the empty route.
//
// Variants takes O(n) time for n events; CountVariants spreads the work
// over several goroutines and gives the same answer.
func (l *Log) Variants(by By) []Variant {
	return l.CountVariants(by, 1).Variants()
}

// VariantCounts counts customers per route. The zero value is empty and
// ready to use. Counts from logs of disjoint customers merge (Merge) into
// exactly the counts of the whole, whatever the split.
//
// A VariantCounts is not safe for concurrent use.
type VariantCounts struct {
	routes map[string]int // route encoded by encodeRoute -> customers
}

// Add counts n customers on route.
func (v *VariantCounts) Add(route []string, n int) {
	if v.routes == nil {
		v.routes = make(map[string]int)
	}
	v.routes[encodeRoute(route)] += n
}

// Merge adds the counts of o to v.
func (v *VariantCounts) Merge(o *VariantCounts) {
	if v.routes == nil {
		v.routes = make(map[string]int, len(o.routes))
	}
	for k, n := range o.routes {
		v.routes[k] += n
	}
}

// Len returns the number of distinct routes.
func (v *VariantCounts) Len() int { return len(v.routes) }

// Variants returns the routes, most customers first, ties by route.
func (v *VariantCounts) Variants() []Variant {
	out := make([]Variant, 0, len(v.routes))
	for k, n := range v.routes {
		out = append(out, Variant{Route: decodeRoute(k), Customers: n})
	}
	slices.SortFunc(out, func(a, b Variant) int {
		if a.Customers != b.Customers {
			return b.Customers - a.Customers
		}
		return slices.Compare(a.Route, b.Route)
	})
	return out
}

// encodeRoute writes each name with its length in front, so that any names
// (with any bytes in them) encode to distinct keys.
func encodeRoute(route []string) string {
	var b strings.Builder
	for _, s := range route {
		b.Write(binary.AppendUvarint(nil, uint64(len(s))))
		b.WriteString(s)
	}
	return b.String()
}

func decodeRoute(k string) []string {
	route := []string{}
	for len(k) > 0 {
		n, w := binary.Uvarint([]byte(k[:min(len(k), binary.MaxVarintLen64)]))
		k = k[w:]
		route = append(route, k[:n])
		k = k[n:]
	}
	return route
}

// CountVariants counts the routes of the log's customers, read by by, on
// workers goroutines (0 means runtime.GOMAXPROCS(0)); each takes a
// contiguous share of the customers and the shares are merged. The result
// does not depend on workers.
func (l *Log) CountVariants(by By, workers int) *VariantCounts {
	by.valid()
	parts := shard(l, workers, func(lo, hi int) map[string]int {
		m := make(map[string]int)
		var buf []byte
		for c := lo; c < hi; c++ {
			buf = l.appendRouteKey(buf[:0], by, c)
			m[string(buf)]++ // no allocation when the route is already known
		}
		return m
	})
	// Translate id routes to name routes once per distinct route.
	v := &VariantCounts{routes: make(map[string]int)}
	names := l.dicts[by].names
	var route []string
	for _, m := range parts {
		for k, n := range m {
			route = route[:0]
			for i := 0; i < len(k); i += 4 {
				route = append(route, names[binary.LittleEndian.Uint32([]byte(k[i:i+4]))])
			}
			v.routes[encodeRoute(route)] += n
		}
	}
	return v
}

// appendRouteKey appends customer c's symbol ids, 4 bytes each, skipping
// the empty channel or touchpoint.
func (l *Log) appendRouteKey(buf []byte, by By, c int) []byte {
	lo, hi := l.Span(c)
	syms := l.syms[by][lo:hi]
	skip, hasSkip := l.emptyID(by)
	for _, s := range syms {
		if hasSkip && s == skip {
			continue
		}
		buf = binary.LittleEndian.AppendUint32(buf, s)
	}
	return buf
}

// emptyID returns the id of the empty name for channels and touchpoints,
// whose events a path by that attribute leaves out.
func (l *Log) emptyID(by By) (uint32, bool) {
	if by == ByStep {
		return 0, false
	}
	return l.dicts[by].lookup("")
}

// shard runs f over contiguous ranges of customers on workers goroutines
// (0 means GOMAXPROCS) and returns the results in range order. Ranges hold
// about the same number of events.
func shard[T any](l *Log, workers int, f func(lo, hi int) T) []T {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := l.Customers()
	workers = max(1, min(workers, n))
	if workers == 1 {
		return []T{f(0, n)}
	}
	bounds := make([]int, workers+1)
	total := l.Len()
	for w := 1; w < workers; w++ {
		// The first customer whose events start at or after w/workers of the log.
		target := uint32(total * w / workers)
		c, _ := slices.BinarySearch(l.offsets[:n], target)
		bounds[w] = max(c, bounds[w-1])
	}
	bounds[workers] = n
	out := make([]T, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[w] = f(bounds[w], bounds[w+1])
		}()
	}
	wg.Wait()
	return out
}
