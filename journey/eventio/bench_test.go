package eventio_test

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/benchlog"
	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
)

// benchSizes are the event counts the benchmarks run at, as those of
// package journey.
var benchSizes = []int{1e5, 1e6, 1e7}

var benchMu sync.Mutex

// benchLog returns the log of about n generated events, shared with the
// other packages' benchmarks.
func benchLog(b *testing.B, n int) *journey.Log { return benchlog.Events(b, n) }

// perEvent reports events/s (of wall and CPU time) and allocated bytes
// per event, and, when size is not 0, the bytes of input per event.
func perEvent(b *testing.B, n int, size int, run func()) {
	b.Helper()
	benchlog.PerEvent(b, n, run)
	if size > 0 {
		b.ReportMetric(float64(size)/float64(n), "B/event")
	}
}

// inputs caches the generated files, with their event counts. They are
// made from the generator's sequence, not from events(n), so that a read
// benchmark keeps only bytes alive: no slice of events for the garbage
// collector to scan while it runs.
var inputs = map[string]input{}

type input struct {
	data []byte
	n    int
}

// genEvents is the sequence of events(n), stopped after n events.
func genEvents(n int) iter.Seq[journey.Event] {
	return func(yield func(journey.Event) bool) {
		i := 0
		for e := range gen.Events(gen.Options{Events: n, Seed: 1}) {
			if i == n || !yield(e) {
				return
			}
			i++
		}
	}
}

// csvInput returns n generated events as a 5-column CSV file (customer,
// time, step, channel, touchpoint), made once per size.
func csvInput(n int) input {
	benchMu.Lock()
	defer benchMu.Unlock()
	key := fmt.Sprint("csv", n)
	if in, ok := inputs[key]; ok {
		return in
	}
	buf := make([]byte, 0, 80*n)
	buf = append(buf, "customer,time,step,channel,touchpoint\n"...)
	count := 0
	for e := range genEvents(n) {
		buf = append(buf, e.Customer...)
		buf = append(buf, ',')
		buf = e.Time.UTC().AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, ',')
		buf = append(buf, e.Step...)
		buf = append(buf, ',')
		buf = append(buf, e.Channel...)
		buf = append(buf, ',')
		buf = append(buf, e.Touchpoint...)
		buf = append(buf, '\n')
		count++
	}
	inputs[key] = input{buf, count}
	return inputs[key]
}

// jsonlInput returns n generated events as JSON Lines (with values on
// purchases), made once per size, as WriteJSONL writes them.
func jsonlInput(n int) input {
	benchMu.Lock()
	defer benchMu.Unlock()
	key := fmt.Sprint("jsonl", n)
	if in, ok := inputs[key]; ok {
		return in
	}
	buf := make([]byte, 0, 140*n)
	count := 0
	for e := range genEvents(n) {
		buf = append(buf, `{"customer":`...)
		buf = strconv.AppendQuote(buf, e.Customer)
		buf = append(buf, `,"time":"`...)
		buf = e.Time.UTC().AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, `","step":`...)
		buf = strconv.AppendQuote(buf, e.Step)
		if e.Channel != "" {
			buf = append(buf, `,"channel":`...)
			buf = strconv.AppendQuote(buf, string(e.Channel))
		}
		if e.Touchpoint != "" {
			buf = append(buf, `,"touchpoint":`...)
			buf = strconv.AppendQuote(buf, e.Touchpoint)
		}
		if e.Value != 0 {
			buf = append(buf, `,"value":`...)
			buf = strconv.AppendFloat(buf, e.Value, 'g', -1, 64)
		}
		buf = append(buf, "}\n"...)
		count++
	}
	inputs[key] = input{buf, count}
	return inputs[key]
}

// benchRead reads in with read once per loop.
func benchRead(b *testing.B, in input, read func(io.Reader, eventio.ReadOptions) (*journey.Log, error)) {
	b.SetBytes(int64(len(in.data)))
	perEvent(b, in.n, len(in.data), func() {
		l, err := read(bytes.NewReader(in.data), eventio.ReadOptions{})
		if err != nil || l.Len() != in.n {
			b.Fatal(err)
		}
	})
}

func BenchmarkReadCSV(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			benchRead(b, csvInput(n), eventio.ReadCSV)
		})
	}
}

// exportOptions read the export shape's CSV as a user would: its column
// names mapped, converted kept as a property.
var exportOptions = eventio.ReadOptions{
	Columns: eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"},
}

// exportFile writes the export shape of customers customers (about ten
// events each, in time order, bench/duckdb's layout) to a file in dir and
// returns its path and event count.
func exportFile(b *testing.B, dir string, customers int) (string, int) {
	rows := gen.ExportRows(customers, 1)
	buf := gen.AppendExportCSV(append(make([]byte, 0, 52*len(rows)), gen.ExportCSVHeader...), rows)
	path := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		b.Fatal(err)
	}
	return path, len(rows)
}

// BenchmarkReadExport reads the export shape from a file on disk, end to
// end, as bench/duckdb's parcours side does: time-ordered, customer_id,
// ts, channel, event, converted, times written 2024-01-15 22:10:16.
func BenchmarkReadExport(b *testing.B) {
	for _, customers := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("customers=%d", customers), func(b *testing.B) {
			path, n := exportFile(b, b.TempDir(), customers)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			perEvent(b, n, int(st.Size()), func() {
				l, err := eventio.ReadFile(path, exportOptions)
				if err != nil || l.Len() != n {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkReadJSONL(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			benchRead(b, jsonlInput(n), eventio.ReadJSONL)
		})
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), 0, func() {
				if err := eventio.WriteCSV(io.Discard, l, eventio.WriteOptions{}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkWriteJSONL(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), 0, func() {
				if err := eventio.WriteJSONL(io.Discard, l); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
