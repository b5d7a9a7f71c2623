// Package benchlog gives the benchmarks of every package the same
// generated logs and the same figures: events per second of wall time and
// of CPU time, and allocated bytes per event.
package benchlog

import (
	"runtime"
	"sync"
	"testing"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

var (
	mu         sync.Mutex
	logs       = map[gen.Options]*journey.Log{}
	exportLogs = map[int]*journey.Log{}
)

// Log returns the log of the events gen generates for opt, built once per
// test binary and shared.
func Log(tb testing.TB, opt gen.Options) *journey.Log {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if l, ok := logs[opt]; ok {
		return l
	}
	var b journey.LogBuilder
	for e := range gen.Events(opt) {
		if err := b.Add(e); err != nil {
			tb.Fatal(err)
		}
	}
	l, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	logs[opt] = l
	return l
}

// ExportCustomers is the size of the export-shaped log the benchmarks
// run on besides the generated ones: 10^6 customers, about 10^7 events.
const ExportCustomers = 1_000_000

// Export returns the log of customers customers of gen's export shape
// (gen.Export, seed 1: about ten events each, twenty steps of which four
// make a funnel, six channels, eight weeks, events in time order), built
// once per test binary and shared. It is the shape of the web analytics
// exports users load, and of the CSV that bench/duckdb compares with
// DuckDB on; building it from time-ordered events takes seconds at 10^6
// customers.
func Export(tb testing.TB, customers int) *journey.Log {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if l, ok := exportLogs[customers]; ok {
		return l
	}
	var b journey.LogBuilder
	for e := range gen.Export(customers, 1) {
		if err := b.Add(e); err != nil {
			tb.Fatal(err)
		}
	}
	l, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	exportLogs[customers] = l
	return l
}

// Events returns the log of about n generated events, ten per customer on
// average.
func Events(tb testing.TB, n int) *journey.Log {
	return Log(tb, gen.Options{Events: n, Seed: 1})
}

// PerEvent runs run in the benchmark loop and reports events/s, and from
// the loop's allocations allocated bytes per event; where the platform
// tells, also events per second of CPU time used by the process (all its
// threads, the garbage collector's included), which load from other
// processes does not lower as it lowers wall time.
func PerEvent(b *testing.B, n int, run func()) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := CPUTime()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.StopTimer()
	cpu1, _ := CPUTime()
	runtime.ReadMemStats(&after)
	total := float64(n) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	if cpuOK && cpu1 > cpu0 {
		b.ReportMetric(total/(cpu1-cpu0).Seconds(), "events/cpu-s")
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "allocB/event")
}
