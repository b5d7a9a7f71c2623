package eventio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// fileCSV is a small export, and fileJSONL the same events.
const (
	fileCSV   = "customer,time,step\nc1,2025-03-01 09:30:00,visit\nc2,2025-03-01 09:31:00,visit\nc1,2025-03-01 09:32:00,buy\n"
	fileJSONL = `{"customer":"c1","time":"2025-03-01 09:30:00","step":"visit"}` + "\n" +
		`{"customer":"c2","time":"2025-03-01 09:31:00","step":"visit"}` + "\n" +
		`{"customer":"c1","time":"2025-03-01 09:32:00","step":"buy"}` + "\n"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadFile(t *testing.T) {
	want, err := ReadCSV(strings.NewReader(fileCSV), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		data         []byte
	}{
		{"events.csv", "plain CSV", []byte(fileCSV)},
		{"events.CSV.GZ", "gzip by the name, which matches ignoring case", gzipped(fileCSV)},
		{"events.csv", "gzip by its first bytes, whatever the name", gzipped(fileCSV)},
		{"events.tsv", "tab-separated", []byte(strings.ReplaceAll(fileCSV, ",", "\t"))},
		{"events.jsonl", "JSON Lines", []byte(fileJSONL)},
		{"events.ndjson.gz", "newline-delimited JSON, compressed", gzipped(fileJSONL)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ReadFile(writeFile(t, tt.name, tt.data), ReadOptions{})
			if err != nil {
				t.Fatalf("%v (%s)", err, tt.reason)
			}
			if diff := cmp.Diff(want.Events(), l.Events(), equateEmptyProps); diff != "" {
				t.Errorf("events (-want +got):\n%s (%s)", diff, tt.reason)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	for _, name := range []string{"events.txt", "events.csv.zst", "events"} {
		if _, err := ReadFile(writeFile(t, name, []byte(fileCSV)), ReadOptions{}); !errors.Is(err, ErrBadOptions) {
			t.Errorf("%s: %v, want ErrBadOptions", name, err)
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none.csv"), ReadOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v, want os.ErrNotExist", err)
	}
	path := writeFile(t, "events.csv.gz", gzipped(fileCSV+"c3,2025-13-01,visit\n"))
	_, err := ReadFile(path, ReadOptions{})
	want := path + `:5: column "time": cannot parse "2025-13-01" as a time`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to start with %s", err, want)
	}
	var re *RowError
	if !errors.As(err, &re) || re.File != path || re.Offset != int64(len(fileCSV)) || re.Value != "2025-13-01" || !errors.Is(err, journey.ErrBadTime) {
		t.Errorf("row error %+v, want the file, the offset %d of the row and its value", re, len(fileCSV))
	}
	path = writeFile(t, "bad.csv.gz", []byte{0x1f, 0x8b, 1, 2, 3})
	if _, err := ReadFile(path, ReadOptions{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a broken gzip file: %v, want an error naming it", err)
	}
}

// bigCSV returns a CSV of n rows of about 40 bytes.
func bigCSV(n int) string {
	var b strings.Builder
	b.WriteString("customer,time,step\n")
	for i := range n {
		fmt.Fprintf(&b, "customer%06d,2025-03-01 09:%02d:%02d,visit\n", i%1000, i/60%60, i%60)
	}
	return b.String()
}

func TestProgress(t *testing.T) {
	in := bigCSV(100_000) // 4.4 MB
	for _, gz := range []bool{false, true} {
		data := []byte(in)
		name := "big.csv"
		if gz {
			data, name = gzipped(in), "big.csv.gz"
		}
		path := writeFile(t, name, data)
		var calls []Progress
		l, err := ReadFile(path, ReadOptions{Progress: func(p Progress) { calls = append(calls, p) }})
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) < 2 {
			t.Fatalf("%s: %d progress calls for %d bytes, want about one a megabyte", name, len(calls), len(in))
		}
		for i, p := range calls {
			if p.Total != int64(len(data)) {
				t.Errorf("%s: call %d: Total %d, want the file's size %d", name, i, p.Total, len(data))
			}
			if i > 0 && (p.Bytes < calls[i-1].Bytes || p.Events < calls[i-1].Events) {
				t.Errorf("%s: call %d went back: %+v after %+v", name, i, p, calls[i-1])
			}
		}
		if last := calls[len(calls)-1]; last.Bytes != int64(len(data)) || last.Events != l.Len() {
			t.Errorf("%s: last call %+v, want %d bytes and %d events", name, last, len(data), l.Len())
		}
	}
	var calls []Progress
	if _, err := ReadCSV(strings.NewReader(in), ReadOptions{Progress: func(p Progress) { calls = append(calls, p) }}); err != nil {
		t.Fatal(err)
	}
	if last := calls[len(calls)-1]; last.Total != -1 || last.Bytes != int64(len(in)) || last.Events != 100_000 {
		t.Errorf("from a reader: last call %+v, want Total -1, %d bytes and 100000 events", last, len(in))
	}
}

// TestStrayQuote reads a large file where a quote opens a field that
// never closes: the error says so and names the line where it opened,
// and memory stays bounded by the row limit.
func TestStrayQuote(t *testing.T) {
	good := bigCSV(50_000)
	rest := bigCSV(50_000)[len("customer,time,step\n"):] // 2.2 MB after the quote
	in := good + "c1,2025-03-01 10:00:00,\"visit\n" + rest
	before := totalAlloc()
	_, err := ReadCSV(strings.NewReader(in), ReadOptions{})
	used := totalAlloc() - before
	var re *RowError
	if !errors.As(err, &re) || !errors.Is(err, ErrRowTooLong) || re.Line != 50_002 || !strings.Contains(err.Error(), "opened on line 50002 and not closed") {
		t.Fatalf("error %v, want a row too long at line 50002 naming the open quote", err)
	}
	if used > 16<<20 {
		t.Errorf("reading allocated %d bytes", used)
	}
	_, err = ReadCSV(strings.NewReader(good+"c1,2025-03-01 10:00:00,\"visit\nc1,2025-03-01 10:00:00,visit\n"), ReadOptions{})
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "opened on line 50002 not closed at the end of input") {
		t.Errorf("error %v, want a quote not closed at the end of input", err)
	}
}

func TestReportChannels(t *testing.T) {
	in := "customer,time,step,channel\nc1,1,a,web\nc1,2,b,\"x\x01\"\nc1,3,c,\"y\x02\"\n"
	var rep Report
	if _, err := ReadCSV(strings.NewReader(in), ReadOptions{ParseChannels: true, SkipBadRows: true, Report: &rep}); err != nil {
		t.Fatal(err)
	}
	if len(rep.Reasons) != 1 || rep.Reasons[touchpoint.ErrBadChannel] != 2 {
		t.Errorf("reasons %v, want 2 bad channels under touchpoint.ErrBadChannel", rep.Reasons)
	}
}

func TestReportString(t *testing.T) {
	in := "customer,time,step\nc1,1,a\nc1,never,b\n,2,c\nc1,soon,d\n"
	var rep Report
	if _, err := ReadCSV(strings.NewReader(in), ReadOptions{SkipBadRows: true, Report: &rep}); err != nil {
		t.Fatal(err)
	}
	s := rep.String()
	for _, want := range []string{"1 events read, 3 bad rows skipped", "2: bad time", "1: missing customer", `e.g. eventio: csv: line 3: column "time": cannot parse "never"`} {
		if !strings.Contains(s, want) {
			t.Errorf("report %q lacks %q", s, want)
		}
	}
}

// TestHostileShapes reads the shapes of log that strain a reader other
// than long rows: one customer with a million events, and a hundred
// thousand distinct steps. Each is read whole, in bounded memory: the
// log's own bytes and the strings, and a few batches of rows.
func TestHostileShapes(t *testing.T) {
	shapes := []struct {
		name      string
		n         int
		row       func(b []byte, i int) []byte
		customers int
		steps     int
	}{
		{"one customer, 10^6 events", 1_000_000, func(b []byte, i int) []byte {
			return fmt.Appendf(b, "c1,%d,step%d\n", 1_700_000_000+i/7, i%5)
		}, 1, 5},
		{"10^5 distinct steps", 100_000, func(b []byte, i int) []byte {
			return fmt.Appendf(b, "c%d,%d,step%06d\n", i%1000, 1_700_000_000+i, i)
		}, 1000, 100_000},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			in := []byte("customer,time,step\n")
			for i := range sh.n {
				in = sh.row(in, i)
			}
			before := totalAlloc()
			l, err := ReadCSV(bytes.NewReader(in), ReadOptions{})
			used := totalAlloc() - before
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != sh.n || l.Customers() != sh.customers || l.NumNames(journey.ByStep) != sh.steps {
				t.Fatalf("read %d events of %d customers and %d steps, want %d, %d and %d",
					l.Len(), l.Customers(), l.NumNames(journey.ByStep), sh.n, sh.customers, sh.steps)
			}
			// All the bytes allocated, an upper bound of the peak, stay
			// linear: the builder's columns grow by doubling (under 100
			// bytes an event in all, for the log's ~24), each distinct
			// string is held once with its map entry (under 200 bytes for
			// these), and the batches in flight take a few MiB.
			if limit := uint64(100*sh.n + 200*sh.steps + 16<<20); used > limit {
				t.Errorf("reading allocated %d bytes, more than %d", used, limit)
			}
		})
	}
}
