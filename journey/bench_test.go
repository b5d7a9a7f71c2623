package journey_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// benchSizes are the event counts every journey benchmark runs at.
var benchSizes = []int{1e5, 1e6, 1e7}

var (
	benchMu     sync.Mutex
	benchEvents = map[int][]journey.Event{}
	benchLogs   = map[int]*journey.Log{}
)

// events returns about n generated events (cached across benchmarks).
func events(n int) []journey.Event {
	benchMu.Lock()
	defer benchMu.Unlock()
	if evs, ok := benchEvents[n]; ok {
		return evs
	}
	evs := gen.Slice(gen.Options{Events: n, Seed: 1})
	benchEvents[n] = evs
	return evs
}

func benchLog(b *testing.B, n int) *journey.Log {
	evs := events(n)
	benchMu.Lock()
	defer benchMu.Unlock()
	if l, ok := benchLogs[n]; ok {
		return l
	}
	l, err := journey.NewLog(evs)
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
			var l *journey.Log
			perEvent(b, len(evs), func() {
				var err error
				if l, err = journey.NewLog(evs); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(retained(func() any { l2, _ := journey.NewLog(evs); return l2 })/float64(len(evs)), "logB/event")
			_ = l
		})
	}
}

// retained measures the heap that the value built by f keeps alive.
func retained(f func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
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
