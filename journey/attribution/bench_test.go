package attribution_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// benchSizes are the numbers of customers every benchmark runs at; paths
// have 1 to 20 events (10.5 on average) and about 3% of customers convert.
var benchSizes = []int{1e4, 1e5, 1e6}

var (
	benchMu     sync.Mutex
	benchTables = map[int][]attribution.Row{}
)

// benchLog returns the generated log of n customers (cached).
func benchLog(b *testing.B, n int) *journey.Log {
	return benchlog.Log(b, gen.Options{Customers: n, Seed: 1})
}

// benchCase is a log the log benchmarks run on.
type benchCase struct {
	name      string // "customers=N", or "export/customers=N"
	customers int
	log       func(b *testing.B) *journey.Log
}

// benchCases are the generated logs of benchSizes, then the export shape
// (benchlog.Export, 10^6 customers), the log a user loads from a web
// analytics export: six channels, the same purchase goal.
func benchCases() []benchCase {
	var cs []benchCase
	for _, n := range benchSizes {
		cs = append(cs, benchCase{fmt.Sprintf("customers=%d", n), n, func(b *testing.B) *journey.Log { return benchLog(b, n) }})
	}
	n := benchlog.ExportCustomers
	return append(cs, benchCase{fmt.Sprintf("export/customers=%d", n), n,
		func(b *testing.B) *journey.Log { return benchlog.Export(b, n) }})
}

// purchase is the goal of the benchmarks, read by channel: ≈760k distinct
// routes at 10^6 customers.
func purchase(workers int) attribution.FromLogOptions {
	return attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{gen.Purchase}, Workers: workers}
}

// benchTable returns the full route table of n customers (cached).
func benchTable(b *testing.B, n int) []attribution.Row {
	l := benchLog(b, n)
	benchMu.Lock()
	defer benchMu.Unlock()
	if js, ok := benchTables[n]; ok {
		return js
	}
	js, err := attribution.FromLog(l, purchase(1))
	if err != nil {
		b.Fatal(err)
	}
	benchTables[n] = js
	return js
}

// measure runs f in the benchmark loop and reports customers/s and the
// process CPU time per operation, which a loaded machine inflates less
// than the wall time.
func measure(b *testing.B, customers int, f func()) {
	b.Helper()
	b.ReportAllocs()
	cpu0, cpuOK := benchlog.CPUTime()
	b.ResetTimer()
	for b.Loop() {
		f()
	}
	b.StopTimer()
	b.ReportMetric(float64(customers)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
	if cpu1, _ := benchlog.CPUTime(); cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	}
}

func BenchmarkFromLog(b *testing.B) {
	for _, c := range benchCases() {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", c.name, workers), func(b *testing.B) {
				l := c.log(b)
				var routes int
				measure(b, c.customers, func() {
					js, err := attribution.FromLog(l, purchase(workers))
					if err != nil {
						b.Fatal(err)
					}
					routes = len(js)
				})
				b.ReportMetric(float64(routes), "routes")
			})
		}
	}
}

// BenchmarkCountLog counts the table without building the []Row.
func BenchmarkCountLog(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			l := c.log(b)
			measure(b, c.customers, func() {
				if _, err := attribution.CountLog(l, purchase(1)); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// heuristics runs the four table heuristics.
func heuristics(b *testing.B, js []attribution.Row) {
	for _, m := range []attribution.Model{attribution.FirstTouch, attribution.LastTouch, attribution.Linear} {
		if _, err := m(js); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := attribution.PositionBased(js, 0.4, 0.4); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFromLogHeuristics is the whole way from a built log to the four
// table heuristics (first, last, linear, position based), on one core:
// with ConvertingOnly, as the heuristics read only converting journeys,
// and with the full table.
func BenchmarkFromLogHeuristics(b *testing.B) {
	benchFromLog(b, func(js []attribution.Row) { heuristics(b, js) })
}

// benchFromLog times FromLog followed by model, with and without
// ConvertingOnly, on one core.
func benchFromLog(b *testing.B, model func(js []attribution.Row)) {
	for _, c := range benchCases() {
		for _, conv := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/converting-only=%v", c.name, conv), func(b *testing.B) {
				l := c.log(b)
				opt := purchase(1)
				opt.ConvertingOnly = conv
				measure(b, c.customers, func() {
					js, err := attribution.FromLog(l, opt)
					if err != nil {
						b.Fatal(err)
					}
					model(js)
				})
			})
		}
	}
}

// BenchmarkModels runs each model on the full route table.
func BenchmarkModels(b *testing.B) {
	models := []struct {
		name  string
		model attribution.Model
	}{
		{"first", attribution.FirstTouch},
		{"linear", attribution.Linear},
		{"position", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.PositionBased(js, 0.4, 0.4)
		}},
		{"shapley", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.Shapley(js, attribution.ShapleyOptions{})
		}},
		{"shapley-ordered", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
		}},
		{"markov-1", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.Markov(js, attribution.MarkovOptions{Order: 1, Workers: 1})
		}},
		{"markov-3", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.Markov(js, attribution.MarkovOptions{Order: 3, Workers: 1})
		}},
	}
	for _, m := range models {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/customers=%d", m.name, n), func(b *testing.B) {
				js := benchTable(b, n)
				measure(b, n, func() {
					if _, err := m.model(js); err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(float64(len(js)), "routes")
			})
		}
	}
}

// BenchmarkFromLogShapley is the whole way from a built log to exact
// Shapley values, on one core: with ConvertingOnly, as Shapley reads only
// converting journeys, and with the full table.
func BenchmarkFromLogShapley(b *testing.B) {
	benchFromLog(b, func(js []attribution.Row) {
		if _, err := attribution.Shapley(js, attribution.ShapleyOptions{}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkTimeDecay(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			l := c.log(b)
			opt := attribution.TimeDecayOptions{FromLogOptions: purchase(1), HalfLife: 7 * 24 * time.Hour}
			measure(b, c.customers, func() {
				if _, err := attribution.TimeDecay(l, opt); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkReadTable(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			js := benchTable(b, n)
			var buf bytes.Buffer
			if err := attribution.WriteTable(&buf, js, attribution.TableOptions{}); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			measure(b, n, func() {
				if _, err := attribution.ReadTable(bytes.NewReader(data), attribution.TableOptions{}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkBootstrap runs 100 replications of the Shapley model.
func BenchmarkBootstrap(b *testing.B) {
	shapley := func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{})
	}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d/replications=100", n), func(b *testing.B) {
			js := benchTable(b, n)
			measure(b, n, func() {
				if _, err := attribution.Bootstrap(js, shapley, attribution.BootstrapOptions{Replications: 100, Seed: 1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkMarkovLog is the whole way from a built log to Markov
// attribution at orders 1 to 3 without the rows: CountLog,
// Table.MarkovChain (the chain and its solve) and MarkovChain.Result
// (every touch's removal effect), with one worker for each phase. The name
// is that of the function these three calls replace.
func BenchmarkMarkovLog(b *testing.B) {
	for _, order := range []int{1, 2, 3} {
		for _, c := range benchCases() {
			b.Run(fmt.Sprintf("order=%d/%s", order, c.name), func(b *testing.B) {
				l := c.log(b)
				opt := attribution.MarkovOptions{Order: order, Workers: 1}
				measure(b, c.customers, func() {
					tb, err := attribution.CountLog(l, purchase(1))
					if err != nil {
						b.Fatal(err)
					}
					m, err := tb.MarkovChain(opt)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := m.Result(); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// BenchmarkChooseOrder compares orders 1 to 4 on 30% of the customers held
// out.
func BenchmarkChooseOrder(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			js := benchTable(b, n)
			measure(b, n, func() {
				if _, err := attribution.ChooseOrder(js, attribution.ChooseOrderOptions{MaxOrder: 4, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
