package funnel_test

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

// benchSizes are the event counts every funnel benchmark runs at.
var benchSizes = []int{1e5, 1e6, 1e7}

func benchLog(tb testing.TB, n int) *journey.Log { return benchlog.Events(tb, n) }

// benchFunnel is the benchmarks' 4-stage ordered funnel.
var benchFunnel = funnel.Funnel{
	Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("product"), funnel.Step("cart"), funnel.Step(gen.Purchase)},
	Window: 30 * 24 * time.Hour,
}

// perEvent reports events/s of wall and CPU time and allocated bytes per
// event.
func perEvent(b *testing.B, n int, run func()) { b.Helper(); benchlog.PerEvent(b, n, run) }

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range benchSizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("events=%d/workers=%d", n, workers), func(b *testing.B) {
				l := benchLog(b, n)
				opt := funnel.Options{Workers: workers}
				perEvent(b, l.Len(), func() {
					if _, err := benchFunnel.Analyze(l, opt); err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(retained(func() any { r, _ := benchFunnel.Analyze(l, opt); return r })/float64(l.Len()), "reportB/event")
			})
		}
	}
	// The same funnel on the export shape (benchlog.Export): what a user
	// sees on a web analytics export of 10^6 customers.
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("export/customers=%d/workers=%d", benchlog.ExportCustomers, workers), func(b *testing.B) {
			l := benchlog.Export(b, benchlog.ExportCustomers)
			opt := funnel.Options{Workers: workers}
			perEvent(b, l.Len(), func() {
				if _, err := benchFunnel.Analyze(l, opt); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(retained(func() any { r, _ := benchFunnel.Analyze(l, opt); return r })/float64(l.Len()), "reportB/event")
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

// BenchmarkAnalyzeOptions measures the cost of the richer reports on the
// middle size, one worker.
func BenchmarkAnalyzeOptions(b *testing.B) {
	l := benchLog(b, 1e6)
	for name, run := range map[string]struct {
		f   funnel.Funnel
		opt funnel.Options
	}{
		"func-stages":       {funnel.Funnel{Stages: funcStages(benchFunnel.Stages), Window: benchFunnel.Window}, funnel.Options{}},
		"strict-once":       {funnel.Funnel{Stages: benchFunnel.Stages, Window: benchFunnel.Window, Order: funnel.Strict, StrictOnce: true, StrictIncrease: true}, funnel.Options{}},
		"exclusion":         {funnel.Funnel{Stages: benchFunnel.Stages, Window: benchFunnel.Window, Exclusions: []funnel.Exclusion{{Stage: funnel.Step("call"), From: 1}}}, funnel.Options{}},
		"attempts":          {benchFunnel, funnel.Options{Count: funnel.Attempts}},
		"breakdown-trend":   {benchFunnel, funnel.Options{Breakdowns: []funnel.Breakdown{{By: funnel.ByChannel}}, Trend: funnel.Week}},
		"resolution-minute": {benchFunnel, funnel.Options{Resolution: time.Minute}},
		"unordered":         {funnel.Funnel{Stages: benchFunnel.Stages, Window: benchFunnel.Window, Order: funnel.Unordered}, funnel.Options{}},
	} {
		b.Run(name, func(b *testing.B) {
			run.opt.Workers = 1
			perEvent(b, l.Len(), func() {
				if _, err := run.f.Analyze(l, run.opt); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(retained(func() any { r, _ := run.f.Analyze(l, run.opt); return r })/float64(l.Len()), "reportB/event")
		})
	}
}

// funcStages wraps stages in plain functions, which Analyze calls on Events.
func funcStages(stages []funnel.Stage) []funnel.Stage {
	out := make([]funnel.Stage, len(stages))
	for i, s := range stages {
		out[i] = funnel.Stage{Name: s.Name, Match: s.Match}
	}
	return out
}

// naiveReached is the simple, obviously correct implementation the
// benchmarks compare with, for funnels with no option but a window: for
// each customer, build the Events, call every stage's Match on every
// event, sort the (time, stage) pairs and run ClickHouse's windowFunnel
// scan; count the customers at each level.
func naiveReached(f funnel.Funnel, l *journey.Log) []int {
	n := len(f.Stages)
	reached := make([]int, n)
	type entry struct {
		t     int64
		stage int
	}
	for p := range l.Paths() {
		var entries []entry
		for _, e := range p.Events {
			for s, st := range f.Stages {
				if st.Match(e) {
					entries = append(entries, entry{e.Time.UnixNano(), s})
				}
			}
		}
		slices.SortStableFunc(entries, func(a, b entry) int {
			if a.t != b.t {
				return cmpInt(a.t, b.t)
			}
			return a.stage - b.stage
		})
		first := make([]int64, n)
		set := make([]bool, n)
		level := 0
		for _, e := range entries {
			switch {
			case e.stage == 0:
				first[0], set[0] = e.t, true
			case set[e.stage-1] && (f.Window == 0 || e.t <= first[e.stage-1]+int64(f.Window)):
				first[e.stage], set[e.stage] = first[e.stage-1], true
			}
			if set[e.stage] {
				level = max(level, e.stage+1)
			}
			if level == n {
				break
			}
		}
		for k := range level {
			reached[k]++
		}
	}
	return reached
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func BenchmarkNaive(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), func() { naiveReached(benchFunnel, l) })
		})
	}
}

// TestNaiveAgrees checks the benchmarks' reference against Analyze.
func TestNaiveAgrees(t *testing.T) {
	l := benchLog(t, 1e5)
	rep, err := benchFunnel.Analyze(l, funnel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, s := range rep.Stages {
		got = append(got, s.Reached)
	}
	if diff := cmp.Diff(naiveReached(benchFunnel, l), got); diff != "" {
		t.Errorf("Analyze against the naive reference (-naive +Analyze):\n%s", diff)
	}
}
