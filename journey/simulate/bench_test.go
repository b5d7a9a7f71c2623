package simulate_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/simulate"
)

// benchEvents are the sizes of the simulated logs, in events.
var benchEvents = []int{1e5, 1e6, 1e7}

// sizeName names a size of benchEvents: "1e6".
func sizeName(n int) string {
	e := 0
	for ; n >= 10; n /= 10 {
		e++
	}
	return fmt.Sprintf("%de%d", n, e)
}

// benchModels returns the models the benchmarks simulate:
//
//   - shoeshop: the shipped shoe shop map (16 steps, 34 touchpoints), its
//     two personas, exponential waits of 20 hours and log-normal order
//     values at checkout: every event draws a touchpoint and a wait and
//     carries the persona property;
//   - generated: the order-1 chain learned from internal/gen's log of
//     100 000 customers (23 steps and the ends, about 500 transitions,
//     rows of up to 23 successors), walked bare, as Run does.
func benchModels(b *testing.B) map[string]*simulate.Model {
	spec, err := simulate.FromMap(shoeshop(b))
	if err != nil {
		b.Fatal(err)
	}
	spec.Wait = simulate.Exponential(simulate.Hours(20))
	spec.Values = map[string]simulate.Dist{"checkout": simulate.LogNormal(80, .6)}
	shoe, err := simulate.New(spec)
	if err != nil {
		b.Fatal(err)
	}
	src, err := journey.NewLogSeq(gen.Events(gen.Options{Customers: 100_000, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	g, err := journey.Learn(src, journey.LearnOptions{GoalSteps: []string{gen.Purchase}})
	if err != nil {
		b.Fatal(err)
	}
	generated, err := simulate.New(simulate.Spec{Graph: g})
	if err != nil {
		b.Fatal(err)
	}
	return map[string]*simulate.Model{"shoeshop": shoe, "generated": generated}
}

// perCustomer returns the mean number of events per customer of a
// model, from a pilot run.
func perCustomer(b *testing.B, m *simulate.Model) float64 {
	l, err := m.Run(simulate.Options{Customers: 20_000, Seed: 99})
	if err != nil {
		b.Fatal(err)
	}
	return float64(l.Len()) / float64(l.Customers())
}

// BenchmarkRun simulates logs of about 10^5, 10^6 and 10^7 events on one
// and two workers, and reports events per second of wall-clock time and
// of the CPU time of the process (which other load on a shared machine
// does not lower), and bytes allocated per event (the log itself holds
// 20 bytes an event, 36 with the persona property).
func BenchmarkRun(b *testing.B) {
	models := benchModels(b)
	for _, name := range []string{"shoeshop", "generated"} {
		m := models[name]
		per := perCustomer(b, m)
		for _, n := range benchEvents {
			customers := int(float64(n) / per)
			for _, w := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/events=%s/workers=%d", name, sizeName(n), w), func(b *testing.B) {
					var before, after runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&before)
					cpu0, cpuOK := benchlog.CPUTime()
					events := 0
					for b.Loop() {
						l, err := m.Run(simulate.Options{Customers: customers, Seed: 1, Workers: w})
						if err != nil {
							b.Fatal(err)
						}
						events += l.Len()
					}
					b.StopTimer()
					cpu1, _ := benchlog.CPUTime()
					runtime.ReadMemStats(&after)
					b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
					if cpuOK {
						b.ReportMetric(float64(events)/(cpu1-cpu0).Seconds(), "events/cpu-s")
					}
					b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(events), "allocB/event")
				})
			}
		}
	}
}

// BenchmarkReplicate runs 10 replications of about 10^5 and 10^6 events
// each, which build no log: events per second of the walks and their
// outcomes alone (with the reach of one step).
func BenchmarkReplicate(b *testing.B) {
	models := benchModels(b)
	reach := map[string][]string{"shoeshop": {"checkout"}, "generated": {"cart"}}
	for _, name := range []string{"shoeshop", "generated"} {
		m := models[name]
		per := perCustomer(b, m)
		for _, n := range benchEvents[:2] {
			customers := int(float64(n) / per)
			for _, w := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/events=%s/workers=%d", name, sizeName(n), w), func(b *testing.B) {
					cpu0, cpuOK := benchlog.CPUTime()
					for b.Loop() {
						if _, err := simulate.Replicate(m, simulate.ReplicateOptions{
							Options:      simulate.Options{Customers: customers, Seed: 1, Workers: w},
							Replications: 10,
							Reach:        reach[name],
						}); err != nil {
							b.Fatal(err)
						}
					}
					cpu1, _ := benchlog.CPUTime()
					events := float64(b.N) * 10 * float64(customers) * per
					b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
					if cpuOK {
						b.ReportMetric(events/(cpu1-cpu0).Seconds(), "events/cpu-s")
					}
				})
			}
		}
	}
}
