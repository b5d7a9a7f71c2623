package journey_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// benchSizes are the event counts every journey benchmark runs at.
var benchSizes = []int{1e5, 1e6, 1e7}

var (
	benchMu   sync.Mutex
	benchLogs = map[int]*journey.Log{}
)

// events returns about n generated events. They are not cached: a live
// slice of 10^7 events (1 GB of pointers) would slow every later
// benchmark's garbage collections.
func events(n int) []journey.Event {
	return gen.Slice(gen.Options{Events: n, Seed: 1})
}

// benchLog returns the log of about n generated events (cached).
func benchLog(b *testing.B, n int) *journey.Log {
	benchMu.Lock()
	defer benchMu.Unlock()
	if l, ok := benchLogs[n]; ok {
		return l
	}
	l, err := journey.NewLogSeq(gen.Events(gen.Options{Events: n, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	benchLogs[n] = l
	return l
}

// perEvent reports events/s and, from the allocations of the loop,
// allocated bytes per event.
func perEvent(b *testing.B, n int, run func()) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	total := float64(n) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "allocB/event")
}

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

func BenchmarkVariants(b *testing.B) {
	for _, n := range benchSizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("events=%d/workers=%d", n, workers), func(b *testing.B) {
				l := benchLog(b, n)
				perEvent(b, l.Len(), func() { l.CountVariants(journey.ByChannel, workers) })
			})
		}
	}
}

func BenchmarkDirectlyFollows(b *testing.B) {
	for _, n := range benchSizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("events=%d/workers=%d", n, workers), func(b *testing.B) {
				l := benchLog(b, n)
				perEvent(b, l.Len(), func() { l.CountFollows(journey.ByStep, workers) })
			})
		}
	}
}

// BenchmarkVariantsList adds to the counting the building and sorting of
// the []Variant result (one Variant per distinct route).
func BenchmarkVariantsList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), func() { l.Variants(journey.ByChannel) })
		})
	}
}
