package journey_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// benchSizes are the event counts every journey benchmark runs at.
var benchSizes = []int{1e5, 1e6, 1e7}

// benchMu guards the benchmarks' cached inputs.
var benchMu sync.Mutex

// events returns about n generated events. They are not cached: a live
// slice of 10^7 events (1 GB of pointers) would slow every later
// benchmark's garbage collections.
func events(n int) []journey.Event {
	return gen.Slice(gen.Options{Events: n, Seed: 1})
}

// benchLog returns the log of about n generated events (cached).
func benchLog(b *testing.B, n int) *journey.Log { return benchlog.Events(b, n) }

// perEvent reports events/s and allocated bytes per event.
func perEvent(b *testing.B, n int, run func()) { b.Helper(); benchlog.PerEvent(b, n, run) }

// benchOrders are the input orders the log-building benchmarks run on:
// grouped by customer (as the generator writes them, customers in
// increasing order), by time with customers interleaved (as an analytics
// export lists them), and shuffled (the worst case, where every customer's
// events also need sorting by time). The events are internal/gen's, about
// 10 per customer: 10^4, 10^5 and about 10^6 customers at 10^5, 10^6 and
// 10^7 events.
var benchOrders = []struct {
	name  string
	order func([]journey.Event)
}{
	{"grouped", func([]journey.Event) {}},
	{"timeordered", func(evs []journey.Event) {
		slices.SortStableFunc(evs, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	}},
	{"shuffled", func(evs []journey.Event) {
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	}},
}

// relayStrings gives the events' customers and touchpoints fresh copies,
// made in slice order. The generator makes each event's touchpoint, and
// each customer's id, as it writes the events grouped by customer; once
// reordered, every event's strings would sit far from its neighbours',
// so that reading them would miss the processor's caches for nearly every
// event. A program that reads an export, or makes its events in the order
// it adds them, holds them in that order instead, and so does this.
func relayStrings(evs []journey.Event) {
	for i := range evs {
		evs[i].Customer = strings.Clone(evs[i].Customer)
		evs[i].Touchpoint = strings.Clone(evs[i].Touchpoint)
	}
}

// benchBuild runs build on about n events in each order and reports, besides
// perEvent's figures, the bytes per event of the built log (logB/event) and
// the peak heap while building one, built log included (peakB/event).
func benchBuild(b *testing.B, build func([]journey.Event) (*journey.Log, error)) {
	for _, o := range benchOrders {
		b.Run(o.name, func(b *testing.B) {
			for _, n := range benchSizes {
				b.Run(fmt.Sprintf("1e%d", int(math.Round(math.Log10(float64(n))))), func(b *testing.B) {
					evs := events(n)
					o.order(evs)
					relayStrings(evs)
					perEvent(b, len(evs), func() {
						if _, err := build(evs); err != nil {
							b.Fatal(err)
						}
					})
					logB, peakB := buildMemory(b, evs, build)
					b.ReportMetric(logB, "logB/event")
					b.ReportMetric(peakB, "peakB/event")
				})
			}
		})
	}
}

// buildMemory builds one more log from evs and returns the bytes per event
// the log keeps, and the peak of the heap's objects above what was live
// before, sampled every 100 µs with the garbage collector set to run at
// 10% growth: an upper bound of the peak of live memory, close to it.
func buildMemory(b *testing.B, evs []journey.Event, build func([]journey.Event) (*journey.Log, error)) (logB, peakB float64) {
	old := debug.SetGCPercent(10)
	defer debug.SetGCPercent(old)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	before := heap()
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		p := before
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			p = max(p, heap())
			select {
			case <-done:
				peak <- max(p, heap())
				return
			case <-t.C:
			}
		}
	}()
	l, err := build(evs)
	close(done)
	p := <-peak
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	after := heap()
	runtime.KeepAlive(l)
	runtime.KeepAlive(evs)
	n := float64(len(evs))
	return float64(after-before) / n, float64(p-before) / n
}

// BenchmarkNewLog builds a log with NewLog from a slice of events in each
// order.
func BenchmarkNewLog(b *testing.B) { benchBuild(b, journey.NewLog) }

// BenchmarkLogBuilder adds the events to a LogBuilder one by one and builds
// the log.
func BenchmarkLogBuilder(b *testing.B) {
	benchBuild(b, func(evs []journey.Event) (*journey.Log, error) {
		var lb journey.LogBuilder
		for _, e := range evs {
			if err := lb.Add(e); err != nil {
				return nil, err
			}
		}
		return lb.Build()
	})
}
