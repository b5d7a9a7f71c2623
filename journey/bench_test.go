package journey_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

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

func BenchmarkNewLog(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			evs := events(n)
			perEvent(b, len(evs), func() {
				if _, err := journey.NewLog(evs); err != nil {
					b.Fatal(err)
				}
			})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			l, _ := journey.NewLog(evs)
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(l)
			runtime.KeepAlive(evs)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(evs)), "logB/event")
		})
	}
}

// BenchmarkNewLogInterleaved builds the log from events in time order, as
// an analytics export lists them: customers interleave, so every event is
// placed through the customer map.
func BenchmarkNewLogInterleaved(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			evs := events(n)
			slices.SortStableFunc(evs, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
			perEvent(b, len(evs), func() {
				if _, err := journey.NewLog(evs); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkNewLogShuffled builds the log from events in random order: the
// worst case, where every customer's events also need sorting by time.
func BenchmarkNewLogShuffled(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			evs := events(n)
			r := rand.New(rand.NewPCG(1, 2))
			r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			perEvent(b, len(evs), func() {
				if _, err := journey.NewLog(evs); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
