package eventio

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/parcours-go/parcours/journey"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-go/parcours/touchpoint"
)

// nasty holds strings that test quoting and escaping: separators, quotes,
// line breaks, a byte order mark, spaces, control characters and
// non-ASCII text.
var nasty = []string{
	"a", "visit", "é", "😀 ok", "x,y", `say "hi"`, "two\nlines", "cr\r", "\r\n", " padded ",
	"\ttab", "\ufeffbom", "日本語", "nul\x00byte", "\u2028", `back\slash`, "\"", ",", "semi;colon", "{}",
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// nastyEvents returns n random events made of nasty strings, with times
// anywhere a log holds them, values of any finite float64 and
// properties. With csv, property values are never empty and keys never
// name a field column, as CSV needs.
func nastyEvents(r *rand.Rand, n int, csv bool) []journey.Event {
	keys := []string{"device", "Device", "campaign", "x,y", "note\n", "é", "props"}
	if !csv {
		keys = append(keys, "", "customer", "Step")
	}
	evs := make([]journey.Event, n)
	for i := range evs {
		e := journey.Event{Customer: pick(r, nasty), Step: pick(r, nasty)}
		switch r.IntN(3) {
		case 0:
			e.Time = time.Unix(0, math.MinInt64+r.Int64N(math.MaxInt64)+r.Int64N(math.MaxInt64))
		case 1:
			e.Time = time.Unix(1740821400+r.Int64N(1000), 0)
		default:
			e.Time = time.Unix(1740821400, r.Int64N(1e9))
		}
		if r.IntN(2) == 0 {
			e.Channel = touchpoint.Channel(pick(r, nasty))
			e.Touchpoint = pick(r, nasty)
		}
		switch r.IntN(4) {
		case 0:
			e.Value = float64(r.IntN(10000)) / 100
		case 1:
			if v := math.Float64frombits(r.Uint64()); v-v == 0 {
				e.Value = v
			}
		}
		if r.IntN(2) == 0 {
			e.Props = map[string]string{}
			for range 1 + r.IntN(3) {
				v := pick(r, nasty)
				if !csv && r.IntN(5) == 0 {
					v = ""
				}
				e.Props[pick(r, keys)] = v
			}
		}
		evs[i] = e
	}
	return evs
}

// equateEmptyProps equates nil and empty property maps.
var equateEmptyProps = cmpopts.EquateEmpty()

// TestRoundTrip writes random logs and reads them back, in both formats,
// from a log.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		for _, format := range []string{"csv", "jsonl"} {
			evs := nastyEvents(r, r.IntN(60), format == "csv")
			l, err := journey.NewLog(evs)
			if err != nil {
				t.Fatal(err)
			}
			want := l.Events()
			var fromLog bytes.Buffer
			var l1 *journey.Log
			if format == "csv" {
				opt := WriteOptions{Comma: pick(r, []rune{0, ',', ';', '\t', '|', ' '})}
				if err := WriteCSV(&fromLog, l, opt); err != nil {
					t.Fatal(err)
				}
				if l1, err = ReadCSV(&fromLog, ReadOptions{Comma: opt.Comma}); err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
			} else {
				if err := WriteJSONL(&fromLog, l); err != nil {
					t.Fatal(err)
				}
				if l1, err = ReadJSONL(&fromLog, ReadOptions{}); err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
			}
			if diff := cmp.Diff(want, l1.Events(), equateEmptyProps); diff != "" {
				t.Fatalf("trial %d: %s from a log (-want +got):\n%s", trial, format, diff)
			}
		}
	}
}

// TestRoundTripLongRows reads rows longer than the read buffer.
func TestRoundTripLongRows(t *testing.T) {
	long := strings.Repeat("x,\"y\"\n", 30000) // 180 kB, quoted in CSV
	evs := []journey.Event{
		{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: long, Props: map[string]string{"k": long}},
		{Customer: "c2", Time: tm("2025-03-01T09:30:00Z"), Step: "short"},
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "jsonl"} {
		var buf bytes.Buffer
		var got *journey.Log
		if format == "csv" {
			err = WriteCSV(&buf, l, WriteOptions{})
			if err == nil {
				got, err = ReadCSV(&buf, ReadOptions{})
			}
		} else {
			err = WriteJSONL(&buf, l)
			if err == nil {
				got, err = ReadJSONL(&buf, ReadOptions{})
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if diff := cmp.Diff(l.Events(), got.Events()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", format, diff)
		}
	}
}

// checkRewrite writes l with write and reads it back with read: the
// events must be the same.
func checkRewrite(t *testing.T, l *journey.Log, write func(*bytes.Buffer, *journey.Log) error, read func(*bytes.Buffer) (*journey.Log, error)) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, l); err != nil {
		t.Fatalf("cannot write what was read: %v", err)
	}
	out := buf.String()
	l2, err := read(&buf)
	if err != nil {
		t.Fatalf("cannot read what was written: %v\n%q", err, out)
	}
	if diff := cmp.Diff(l.Events(), l2.Events(), equateEmptyProps); diff != "" {
		t.Fatalf("write then read (-want +got):\n%s", diff)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, tc := range csvCases {
		f.Add(tc.in, byte(tc.opt.Comma))
	}
	f.Fuzz(func(t *testing.T, in string, comma byte) {
		if comma == '"' || comma == '\r' || comma == '\n' || comma >= 0x80 {
			comma = ','
		}
		opt := ReadOptions{Comma: rune(comma), MaxRowBytes: 1 << 12}
		l, err := ReadCSV(strings.NewReader(in), opt)
		var rep Report
		opt.SkipBadRows, opt.Report = true, &rep
		l2, err2 := ReadCSV(strings.NewReader(in), opt)
		for _, e := range rep.Examples {
			if e.Line < 1 || !strings.HasPrefix(e.Error(), "eventio: csv: line ") {
				t.Fatalf("bad RowError %q", e)
			}
		}
		skipped := rep.Skipped
		if err2 == nil && (rep.Events != l2.Len() || len(rep.Examples) != min(skipped, MaxExamples)) {
			t.Fatalf("report %+v for %d events", rep, l2.Len())
		}
		if err == nil && (err2 != nil || skipped > 0 || l2.Len() != l.Len()) {
			t.Fatalf("a clean read (%d events) but with SkipBadRows: %v, %d skipped", l.Len(), err2, skipped)
		}
		if err2 != nil {
			var re *RowError
			if errors.As(err2, &re) && !errors.Is(err2, ErrBadHeader) {
				t.Fatalf("a row error %v escaped SkipBadRows", err2)
			}
			return
		}
		wopt := WriteOptions{Comma: rune(comma)}
		checkRewrite(t, l2, func(b *bytes.Buffer, l *journey.Log) error { return WriteCSV(b, l, wopt) },
			func(b *bytes.Buffer) (*journey.Log, error) { return ReadCSV(b, ReadOptions{Comma: rune(comma)}) })
	})
}

func FuzzReadJSONL(f *testing.F) {
	for _, tc := range jsonlCases {
		if len(tc.in) < 1<<16 { // the fuzzer mutates small inputs best
			f.Add(tc.in)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		opt := ReadOptions{MaxRowBytes: 1 << 12}
		l, err := ReadJSONL(strings.NewReader(in), opt)
		if err != nil {
			return
		}
		// What reads is JSON, and the strings are those encoding/json
		// decodes.
		for line := range strings.SplitSeq(strings.TrimPrefix(in, "\ufeff"), "\n") {
			if strings.Trim(line, " \t\r") == "" {
				continue
			}
			if !json.Valid([]byte(line)) {
				t.Fatalf("read %q, which is not JSON", line)
			}
		}
		if l.Len() == 1 && !strings.Contains(strings.TrimSpace(in), "\n") {
			var doc map[string]any
			if err := json.Unmarshal([]byte(strings.TrimPrefix(in, "\ufeff")), &doc); err != nil {
				t.Fatal(err)
			}
			e := l.Event(0)
			if s, ok := doc["customer"].(string); ok && s != e.Customer {
				t.Fatalf("customer %q, encoding/json reads %q", e.Customer, s)
			}
			if s, ok := doc["step"].(string); ok && s != e.Step {
				t.Fatalf("step %q, encoding/json reads %q", e.Step, s)
			}
		}
		checkRewrite(t, l, func(b *bytes.Buffer, l *journey.Log) error { return WriteJSONL(b, l) },
			func(b *bytes.Buffer) (*journey.Log, error) { return ReadJSONL(b, ReadOptions{}) })
	})
}

func TestExtraText(t *testing.T) {
	for x := range Extra(3) {
		b, err := x.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var y Extra
		if err := y.UnmarshalText(b); err != nil || y != x {
			t.Errorf("%v: round trip gives %v, %v", x, y, err)
		}
	}
	if _, err := ParseExtra("keep"); !errors.Is(err, ErrUnknownExtra) {
		t.Errorf("ParseExtra(keep) = %v, want ErrUnknownExtra", err)
	}
	if _, err := Extra(7).MarshalText(); err == nil {
		t.Error("MarshalText of an unknown Extra succeeded")
	}
}
