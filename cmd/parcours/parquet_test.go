package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pq "github.com/parquet-go/parquet-go"
)

// parquetRow is a row of testdata/events.csv as a Parquet table holds it.
type parquetRow struct {
	Customer   string   `parquet:"customer,dict"`
	Time       int64    `parquet:"time,timestamp(millisecond)"`
	Step       string   `parquet:"step,dict"`
	Channel    *string  `parquet:"channel,optional"`
	Touchpoint *string  `parquet:"touchpoint,optional"`
	Value      *float64 `parquet:"value,optional"`
	Device     *string  `parquet:"device,optional"`
}

// TestParquetInput writes testdata/events.csv as a Parquet file, in two
// row groups, and runs subcommands on both: the outputs are the same,
// from a file and from standard input.
func TestParquetInput(t *testing.T) {
	l := readLog(t, "testdata/events.csv")
	var rows []parquetRow
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for e := range l.All() {
		r := parquetRow{Customer: e.Customer, Time: e.Time.UnixMilli(), Step: e.Step, Channel: opt(string(e.Channel)), Touchpoint: opt(e.Touchpoint)}
		if e.Value != 0 {
			v := e.Value
			r.Value = &v
		}
		r.Device = opt(e.Props["device"])
		rows = append(rows, r)
	}
	path := filepath.Join(t.TempDir(), "events.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := pq.NewGenericWriter[parquetRow](f, pq.MaxRowsPerRowGroup(int64(len(rows)/2+1)))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"funnel", "--steps", "visit,cart,checkout", "--window", "7d", "--by", "device", "--output", "json"},
		{"paths", "--goal", "checkout", "--output", "csv"},
		{"attribution", "--goal", "checkout", "--output", "json"},
	} {
		runOn := func(input string, stdin []byte) string {
			var out, errs bytes.Buffer
			all := append([]string{args[0], input}, args[1:]...)
			if input == "-" {
				all = append(all, "--format", "parquet")
			}
			if status := run(all, bytes.NewReader(stdin), &out, &errs); status != 0 {
				t.Fatalf("parcours %s: status %d: %s", strings.Join(all, " "), status, errs.String())
			}
			return out.String()
		}
		want := runOn("testdata/events.csv", nil)
		if got := runOn(path, nil); got != want {
			t.Errorf("parcours %s on Parquet:\n%s\nwant, as on CSV:\n%s", args[0], got, want)
		}
		if got := runOn("-", data); got != want {
			t.Errorf("parcours %s on Parquet from standard input:\n%s\nwant, as on CSV:\n%s", args[0], got, want)
		}
	}
	// A damaged file is bad data: status 1 and a message naming it.
	bad := filepath.Join(t.TempDir(), "bad.parquet")
	if err := os.WriteFile(bad, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if status := run([]string{"funnel", bad, "--steps", "visit,cart"}, nil, &out, &errs); status != 1 || !strings.Contains(errs.String(), "bad.parquet") {
		t.Errorf("a damaged file: status %d, message %q; want 1 naming the file", status, errs.String())
	}
}
