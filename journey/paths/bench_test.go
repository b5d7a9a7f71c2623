package paths_test

import (
	"fmt"
	"testing"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
)

// benchSizes are the event counts of the benchmarks: generated logs of
// ten events per customer on average, so 10^4 to 10^6 customers.
var benchSizes = []int{1e5, 1e6, 1e7}

// bench runs a count by by at every size with 1 and 2 workers, reporting
// events/s; then on the export shape (benchlog.Export, 10^6 customers),
// the log a user loads from a web analytics export.
func bench(b *testing.B, by journey.By, run func(l *journey.Log, opt paths.Options) error) {
	type sized struct {
		name string
		log  func(b *testing.B) *journey.Log
	}
	var logs []sized
	for _, n := range benchSizes {
		logs = append(logs, sized{fmt.Sprintf("events=%d", n), func(b *testing.B) *journey.Log { return benchlog.Events(b, n) }})
	}
	logs = append(logs, sized{fmt.Sprintf("export/customers=%d", benchlog.ExportCustomers),
		func(b *testing.B) *journey.Log { return benchlog.Export(b, benchlog.ExportCustomers) }})
	for _, s := range logs {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", s.name, workers), func(b *testing.B) {
				l := s.log(b)
				opt := paths.Options{By: by, Workers: workers}
				benchlog.PerEvent(b, l.Len(), func() {
					if err := run(l, opt); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

func isPurchase(e journey.Event) bool { return e.Step == gen.Purchase }

// BenchmarkVariants counts the distinct channel routes: about 760,000 at
// 10^6 customers.
func BenchmarkVariants(b *testing.B) {
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error { _, err := paths.CountVariants(l, opt); return err })
}

// BenchmarkVariantsList adds the building and sorting of the list, one
// Variant per distinct route.
func BenchmarkVariantsList(b *testing.B) {
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error {
		v, err := paths.CountVariants(l, opt)
		if err == nil {
			v.List()
		}
		return err
	})
}

// BenchmarkGoalVariants counts channel routes towards a purchase: the goal
// function sees every event before a customer's first purchase.
func BenchmarkGoalVariants(b *testing.B) {
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error {
		_, err := paths.CountGoalVariants(l, isPurchase, opt)
		return err
	})
}

// BenchmarkGoalVariantsList adds the sorting, the medians and the list.
func BenchmarkGoalVariantsList(b *testing.B) {
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error {
		v, err := paths.CountGoalVariants(l, isPurchase, opt)
		if err == nil {
			v.List()
		}
		return err
	})
}

// BenchmarkFollows counts the directly-follows pairs of steps.
func BenchmarkFollows(b *testing.B) {
	bench(b, journey.ByStep, func(l *journey.Log, opt paths.Options) error { _, err := paths.CountFollows(l, opt); return err })
}

// BenchmarkFlows counts the flow of steps after the first cart, 5 levels
// deep: every event up to a path's first cart is scanned.
func BenchmarkFlows(b *testing.B) {
	flow := paths.FlowOptions{Anchor: "cart", Depth: 5}
	bench(b, journey.ByStep, func(l *journey.Log, opt paths.Options) error { _, err := paths.CountFlows(l, flow, opt); return err })
}

// BenchmarkFlowsBackward counts the flow of channels into the first
// email, 5 levels deep.
func BenchmarkFlowsBackward(b *testing.B) {
	flow := paths.FlowOptions{Anchor: "email", Backward: true, Depth: 5}
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error { _, err := paths.CountFlows(l, flow, opt); return err })
}

// BenchmarkLoops counts visits and repeats per step.
func BenchmarkLoops(b *testing.B) {
	bench(b, journey.ByStep, func(l *journey.Log, opt paths.Options) error { _, err := paths.CountLoops(l, opt); return err })
}

// BenchmarkGoalVariantsNoGoal counts channel routes with their durations
// but no goal: what the statistics cost over CountVariants.
func BenchmarkGoalVariantsNoGoal(b *testing.B) {
	bench(b, journey.ByChannel, func(l *journey.Log, opt paths.Options) error {
		_, err := paths.CountGoalVariants(l, nil, opt)
		return err
	})
}

// BenchmarkFlowsList adds to BenchmarkFlows the making of the folded Flow.
func BenchmarkFlowsList(b *testing.B) {
	flow := paths.FlowOptions{Anchor: "cart", Depth: 5}
	bench(b, journey.ByStep, func(l *journey.Log, opt paths.Options) error {
		f, err := paths.CountFlows(l, flow, opt)
		if err == nil {
			f.Flow(0)
		}
		return err
	})
}

// BenchmarkVariantsBinary encodes and decodes the channel variants of
// 10^5 generated customers (10^6 events), reporting the encoded bytes per
// customer and MB/s (b.SetBytes is the encoding's size).
func BenchmarkVariantsBinary(b *testing.B) {
	l := benchlog.Log(b, gen.Options{Customers: 1e5, Seed: 1})
	v, err := paths.CountVariants(l, paths.Options{By: journey.ByChannel})
	if err != nil {
		b.Fatal(err)
	}
	enc, _ := v.MarshalBinary()
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			if _, err := v.MarshalBinary(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc))/float64(l.Customers()), "bytes/customer")
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			var w paths.Variants
			if err := w.UnmarshalBinary(enc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc))/float64(l.Customers()), "bytes/customer")
	})
}
