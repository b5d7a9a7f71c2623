package parcoursbeam_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	parcoursbeam "github.com/parcours-go/parcours/contrib/beam"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/paths"
)

// eventsLog simulates shoe shop customers until the log holds at least n
// events.
func eventsLog(b *testing.B, n int) *journey.Log {
	b.Helper()
	customers := n / 3
	for {
		l := shoeshop(b, customers)
		if l.Len() >= n {
			return l
		}
		customers = customers * n / l.Len() * 11 / 10
	}
}

// BenchmarkPipeline runs the example's work (read CSV, group by customer,
// funnel, variants and route table) on the local runner over a CSV file
// of at least n simulated events, and reports events per second of wall
// time (the runner uses every core) and per second of the CPU time of the
// process (the runner and its workers run in it; other load on the
// machine does not lower it), and the bytes per event of the CSV
// and of the events as the group-by-customer shuffle encodes them.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := eventsLog(b, n)
			path := filepath.Join(b.TempDir(), "events.csv")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := eventio.WriteCSV(f, l, eventio.WriteOptions{}); err != nil {
				b.Fatal(err)
			}
			size, _ := f.Seek(0, 1)
			f.Close()
			shuffled := 0
			for e := range l.All() {
				ev := parcoursbeam.FromJourney(e)
				ev.Customer = "" // the key carries it, once per customer
				eb, _ := ev.MarshalBinary()
				shuffled += len(eb)
			}
			for c := range l.Customers() {
				shuffled += len(l.Customer(c)) + 1
			}
			dir := b.TempDir()
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				i++
				p, s := beam.NewPipelineWithRoot()
				events, bad, err := parcoursbeam.ReadCSV(s, path, parcoursbeam.CSVOptions{})
				if err != nil {
					b.Fatal(err)
				}
				parcoursbeam.FailOnBadRows(s, bad)
				g := parcoursbeam.GroupByCustomer(s, events)
				out := func(name string) *writeFn { return &writeFn{filepath.Join(dir, fmt.Sprint(name, i))} }
				beam.ParDo0(s, out("funnel"), parcoursbeam.Funnel(s, g, funnelOpt))
				beam.ParDo0(s, out("variants"), parcoursbeam.Variants(s, g, parcoursbeam.VariantsOptions{}))
				beam.ParDo0(s, out("table"), parcoursbeam.RouteTable(s, g, parcoursbeam.RouteOptions{By: journey.ByChannel, GoalSteps: goal}))
				if err := ptest.Run(p); err != nil {
					b.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(dir, fmt.Sprint("table", i))); err != nil {
					b.Fatal("no result")
				}
			}
			b.ReportMetric(float64(l.Len())*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(l.Len())*float64(b.N)/cpu.Seconds(), "events/cpu-s")
			}
			b.ReportMetric(float64(size)/float64(l.Len()), "csv-bytes/event")
			b.ReportMetric(float64(shuffled)/float64(l.Len()), "shuffle-bytes/event")
			b.ReportMetric(float64(l.Customers()), "customers")
		})
	}
}

// BenchmarkPartialSize reports the encoded size of the partial aggregate
// one worker emits for one batch of the default size (65,536 events of
// shoe shop customers), and of the aggregate of all 10^6 events: what the
// combine tree moves per partial, and what it ends with.
func BenchmarkPartialSize(b *testing.B) {
	l := eventsLog(b, 1_000_000)
	// The first customers holding 65,536 events, as a worker batches them.
	var batch []journey.Event
	for e := range l.All() {
		if len(batch) >= 1<<16 && e.Customer != batch[len(batch)-1].Customer {
			break
		}
		batch = append(batch, e)
	}
	shard, err := journey.NewLog(batch)
	if err != nil {
		b.Fatal(err)
	}
	fopt := funnelOpt
	fopt.Breakdowns = nil
	f, err := fopt.Funnel()
	if err != nil {
		b.Fatal(err)
	}
	type agg struct {
		name  string
		count func(*journey.Log) (any, error)
	}
	aggs := []agg{
		{"funnel", func(l *journey.Log) (any, error) { return f.Analyze(l, funnelOptions()) }},
		{"variants", func(l *journey.Log) (any, error) { return countVariants(l) }},
		{"follows", func(l *journey.Log) (any, error) { return countFollows(l) }},
		{"transitions", func(l *journey.Log) (any, error) {
			return l.CountTransitions(journey.LearnOptions{GoalSteps: goal}), nil
		}},
		{"routes", func(l *journey.Log) (any, error) { return countTable(l) }},
	}
	for _, a := range aggs {
		b.Run(a.name, func(b *testing.B) {
			var ps, ws int
			for b.Loop() {
				p, err := a.count(shard)
				if err != nil {
					b.Fatal(err)
				}
				w, err := a.count(l)
				if err != nil {
					b.Fatal(err)
				}
				ps, ws = encodedSize(b, p), encodedSize(b, w)
			}
			b.ReportMetric(float64(ps), "bytes/partial")
			b.ReportMetric(float64(shard.Len()), "events/partial")
			b.ReportMetric(float64(ws), "bytes/whole-1e6")
		})
	}
}

func encodedSize(b *testing.B, x any) int {
	var data []byte
	var err error
	if m, ok := x.(encoding.BinaryMarshaler); ok {
		data, err = m.MarshalBinary()
	} else {
		data, err = json.Marshal(x)
	}
	if err != nil {
		b.Fatal(err)
	}
	return len(data)
}

func funnelOptions() funnel.Options { return funnel.Options{Workers: 1} }

func countVariants(l *journey.Log) (any, error) {
	return paths.CountVariants(l, paths.Options{Workers: 1})
}

func countFollows(l *journey.Log) (any, error) {
	return paths.CountFollows(l, paths.Options{Workers: 1})
}

func countTable(l *journey.Log) (any, error) {
	return attribution.CountLog(l, attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: goal, Workers: 1})
}
