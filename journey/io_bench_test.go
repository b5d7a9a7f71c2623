package journey_test

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/gen"
	"github.com/parcours-go/parcours/journey"
)

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
// purchases), made once per size.
func jsonlInput(b *testing.B, n int) input {
	benchMu.Lock()
	defer benchMu.Unlock()
	key := fmt.Sprint("jsonl", n)
	if in, ok := inputs[key]; ok {
		return in
	}
	var buf bytes.Buffer
	buf.Grow(140 * n)
	if err := journey.WriteJSONLSeq(&buf, genEvents(n)); err != nil {
		b.Fatal(err)
	}
	inputs[key] = input{buf.Bytes(), bytes.Count(buf.Bytes(), []byte("\n"))}
	return inputs[key]
}

// benchRead reads in with read once per loop.
func benchRead(b *testing.B, in input, read func(io.Reader, journey.ReadOptions) (*journey.Log, error)) {
	b.SetBytes(int64(len(in.data)))
	perEvent(b, in.n, func() {
		l, err := read(bytes.NewReader(in.data), journey.ReadOptions{})
		if err != nil || l.Len() != in.n {
			b.Fatal(err)
		}
	})
}

func BenchmarkReadCSV(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			benchRead(b, csvInput(n), journey.ReadCSV)
		})
	}
}

func BenchmarkReadJSONL(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			benchRead(b, jsonlInput(b, n), journey.ReadJSONL)
		})
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			l := benchLog(b, n)
			perEvent(b, l.Len(), func() {
				if err := journey.WriteCSV(io.Discard, l, journey.WriteOptions{}); err != nil {
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
			perEvent(b, l.Len(), func() {
				if err := journey.WriteJSONL(io.Discard, l); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
