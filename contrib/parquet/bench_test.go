package parquet_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parcours-go/parcours/contrib/parquet"
	"github.com/parcours-go/parcours/contrib/parquet/internal/pqtest"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// BenchmarkReadFile reads, from a file on disk, a log of 10^6 events of
// 10^5 customers written in time order (as exports are), with columns
// customer, time (TIMESTAMP µs), step, channel, touchpoint and value, text
// dictionary-encoded, row groups of 2^20 rows.
func BenchmarkReadFile(b *testing.B) {
	const n, customers = 1_000_000, 100_000
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	events := make([]journey.Event, n)
	for i := range events {
		events[i] = journey.Event{
			Customer: fmt.Sprintf("c%06d", (i*7919)%customers),
			Time:     t0.Add(time.Duration(i) * time.Second),
			Step:     fmt.Sprintf("step%d", i%20),
			Channel:  []touchpoint.Channel{touchpoint.Web, touchpoint.Email, touchpoint.Store}[i%3],
		}
	}
	l, err := journey.NewLog(events)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pqtest.WriteLog(&buf, l, pqtest.LogOptions{TimeByOrder: true}); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "events.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for range b.N {
		got, err := parquet.ReadFile(path, parquet.Options{})
		if err != nil || got.Len() != n {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
