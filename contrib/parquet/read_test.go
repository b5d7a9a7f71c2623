package parquet_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pq "github.com/parquet-go/parquet-go"

	"github.com/parcours-go/parcours/contrib/parquet"
	"github.com/parcours-go/parcours/contrib/parquet/internal/pqtest"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/touchpoint"
)

// read reads the Parquet bytes b.
func read(b []byte, opt parquet.Options) (*journey.Log, error) {
	return parquet.Read(bytes.NewReader(b), int64(len(b)), opt)
}

// file writes cols as a Parquet file, rows a row group.
func file(t testing.TB, cols []pqtest.Col, rows int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pqtest.Write(&buf, cols, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestColumns reads a table written by hand, with nullable columns, text
// with and without dictionaries, integer customers, each timestamp unit
// and several row groups, against the events written down by hand.
func TestColumns(t *testing.T) {
	t0 := time.Date(2024, 1, 15, 22, 10, 16, 0, time.UTC)
	want := []journey.Event{
		{Customer: "7", Time: t0, Step: "visit", Channel: touchpoint.Web, Props: map[string]string{"device": "app"}},
		{Customer: "7", Time: t0.Add(time.Millisecond), Step: "cart", Value: 12.5},
		{Customer: "42", Time: t0.Add(time.Hour), Step: "visit", Channel: touchpoint.Email, Touchpoint: "newsletter"},
		{Customer: "7", Time: t0.Add(2 * time.Hour), Step: "buy", Channel: touchpoint.Web, Value: 30, Props: map[string]string{"device": "web"}},
		{Customer: "42", Time: t0.Add(3 * time.Hour), Step: "visit"},
	}
	wl, err := journey.NewLog(want)
	if err != nil {
		t.Fatal(err)
	}
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	times := []time.Duration{0, time.Millisecond, time.Hour, 2 * time.Hour, 3 * time.Hour}
	for _, unit := range []struct {
		name string
		node pq.Node
		val  func(d time.Duration) any
	}{
		{"ms", pq.Timestamp(pq.Millisecond), func(d time.Duration) any { return ms(d) }},
		{"us", pq.Timestamp(pq.Microsecond), func(d time.Duration) any { return t0.Add(d).UnixMicro() }},
		{"ns", pq.Timestamp(pq.Nanosecond), func(d time.Duration) any { return t0.Add(d).UnixNano() }},
		{"text", pqtest.Text(false, false), func(d time.Duration) any { return t0.Add(d).Format("2006-01-02 15:04:05.000") }},
	} {
		for _, dict := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/dict=%v", unit.name, dict), func(t *testing.T) {
				ts := make([]any, len(times))
				for i, d := range times {
					ts[i] = unit.val(d)
				}
				cols := []pqtest.Col{
					{Name: "customer_id", Node: pq.Int(64), Values: []any{int64(7), int64(7), int64(42), int64(7), int64(42)}},
					{Name: "ts", Node: unit.node, Values: ts},
					{Name: "event", Node: pqtest.Text(dict, false), Values: []any{"visit", "cart", "visit", "buy", "visit"}},
					{Name: "channel", Node: pqtest.Text(dict, true), Values: []any{"web", nil, "email", "web", nil}},
					{Name: "touchpoint", Node: pqtest.Text(dict, true), Values: []any{nil, nil, "newsletter", nil, ""}},
					{Name: "value", Node: pq.Optional(pq.Leaf(pq.DoubleType)), Values: []any{nil, 12.5, nil, 30.0, nil}},
					{Name: "device", Node: pqtest.Text(dict, true), Values: []any{"app", nil, nil, "web", nil}},
				}
				got, err := read(file(t, cols, 2), parquet.Options{Columns: eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"}})
				if err != nil {
					t.Fatal(err)
				}
				if g, w := fmt.Sprint(got.Events()), fmt.Sprint(wl.Events()); g != w {
					t.Fatalf("read\n%s\nwant\n%s", g, w)
				}
			})
		}
	}
}

// TestSameAsCSV writes one generated log as Parquet (in time order, small
// row groups) and as CSV: the two logs read back are the same.
func TestSameAsCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var events []journey.Event
	for i := range 5000 {
		e := journey.Event{
			Customer: fmt.Sprintf("c%d", r.IntN(700)),
			Time:     t0.Add(time.Duration(r.IntN(1e6)) * time.Second),
			Step:     []string{"visit", "product", "cart", "buy"}[r.IntN(4)],
		}
		if i%3 > 0 {
			e.Channel = []touchpoint.Channel{touchpoint.Web, touchpoint.Email, touchpoint.Store}[r.IntN(3)]
		}
		if i%5 == 0 {
			e.Value = float64(r.IntN(100)) / 4
			e.Props = map[string]string{"device": []string{"app", "web"}[r.IntN(2)]}
		}
		events = append(events, e)
	}
	l, err := journey.NewLog(events)
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := eventio.WriteCSV(&csv, l, eventio.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := eventio.ReadCSV(&csv, eventio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []pqtest.LogOptions{{TimeByOrder: true, RowsPerGroup: 333}, {Plain: true, RowsPerGroup: 1000}} {
		var buf bytes.Buffer
		if err := pqtest.WriteLog(&buf, l, opt); err != nil {
			t.Fatal(err)
		}
		got, err := read(buf.Bytes(), parquet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if g, w := fmt.Sprint(got.Events()), fmt.Sprint(fromCSV.Events()); g != w {
			t.Fatalf("%+v: Parquet and CSV give different logs", opt)
		}
	}
}

func TestBadRows(t *testing.T) {
	cols := []pqtest.Col{
		{Name: "customer", Node: pqtest.Text(true, true), Values: []any{"c1", nil, "c2", "c3"}},
		{Name: "time", Node: pq.Optional(pq.Timestamp(pq.Millisecond)), Values: []any{int64(1e12), int64(1e12), nil, int64(1e12 + 5)}},
		{Name: "step", Node: pqtest.Text(false, false), Values: []any{"a", "b", "c", "d"}},
	}
	b := file(t, cols, 0)
	_, err := read(b, parquet.Options{})
	var re *eventio.RowError
	if !errors.As(err, &re) || re.Line != 2 || re.Field != "customer" {
		t.Fatalf("error %v, want a bad row 2 in column customer", err)
	}
	var rep eventio.Report
	l, err := read(b, parquet.Options{SkipBadRows: true, Report: &rep})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 2 || rep.Skipped != 2 || len(rep.Examples) != 2 || rep.Examples[0].Line != 2 || rep.Examples[1].Line != 3 {
		t.Fatalf("read %d events, report %+v; want 2 events and rows 2 and 3 skipped", l.Len(), rep)
	}
}

func TestErrors(t *testing.T) {
	if _, err := read([]byte("customer,time,step\nc1,1,a\n"), parquet.Options{}); !errors.Is(err, parquet.ErrNotParquet) {
		t.Errorf("CSV bytes: %v, want ErrNotParquet", err)
	}
	cols := []pqtest.Col{
		{Name: "user", Node: pqtest.Text(true, false), Values: []any{"c1"}},
		{Name: "time", Node: pq.Timestamp(pq.Millisecond), Values: []any{int64(1e12)}},
		{Name: "step", Node: pqtest.Text(true, false), Values: []any{"a"}},
	}
	_, err := read(file(t, cols, 0), parquet.Options{})
	if !errors.Is(err, eventio.ErrBadHeader) || !strings.Contains(err.Error(), "user") {
		t.Errorf("no customer column: %v, want ErrBadHeader listing the columns", err)
	}
	cols[0].Name = "customer"
	cols = append(cols, pqtest.Col{Name: "price", Node: pq.Decimal(2, 9, pq.Int32Type), Values: []any{int32(1234)}})
	_, err = read(file(t, cols, 0), parquet.Options{Columns: eventio.Columns{Value: "price"}})
	if !errors.Is(err, parquet.ErrUnsupported) || !strings.Contains(err.Error(), "price") {
		t.Errorf("a DECIMAL value: %v, want ErrUnsupported naming price", err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "events.parquet")
	if err := os.WriteFile(path, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := parquet.ReadFile(path, parquet.Options{}); !errors.Is(err, parquet.ErrNotParquet) || !strings.Contains(err.Error(), "events.parquet") {
		t.Errorf("ReadFile: %v, want ErrNotParquet naming the file", err)
	}
}

// FuzzRead reads arbitrary bytes: an error or a log, never a panic; a log
// read twice is the same.
func FuzzRead(f *testing.F) {
	cols := []pqtest.Col{
		{Name: "customer", Node: pqtest.Text(true, true), Values: []any{"c1", "c2", "c1"}},
		{Name: "time", Node: pq.Timestamp(pq.Microsecond), Values: []any{int64(1e15), int64(1e15 + 1), int64(1e15 + 2)}},
		{Name: "step", Node: pqtest.Text(false, false), Values: []any{"a", "b", "c"}},
		{Name: "value", Node: pq.Optional(pq.Leaf(pq.DoubleType)), Values: []any{1.5, nil, 2.0}},
	}
	f.Add(file(f, cols, 0))
	f.Add(file(f, cols, 1))
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := read(b, parquet.Options{Workers: 1})
		if err != nil {
			return
		}
		again, err := read(b, parquet.Options{Workers: 2})
		if err != nil || fmt.Sprint(again.Events()) != fmt.Sprint(l.Events()) {
			t.Fatalf("read twice: %v, or a different log", err)
		}
	})
}
