package eventio

import (
	"bytes"
	"errors"
	"github.com/parcours-go/parcours/journey"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/touchpoint"
)

func tm(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// readCase is a reader test: an input and either the events of the log
// read (in log order) or the error.
type readCase struct {
	name   string
	reason string
	in     string
	opt    ReadOptions
	want   []journey.Event
	err    error // a sentinel the error must wrap
	line   int   // the line the *RowError names, if err is set
	col    int
}

var csvCases = []readCase{
	{
		name:   "minimal",
		reason: "the three required columns",
		in:     "customer,time,step\nc1,2025-03-01T09:30:00Z,visit\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "all fields any order",
		reason: "columns map to fields by header name, in any order and case",
		in:     "Step,VALUE,touchpoint,Customer,channel,TIME\ncart,12.5,web-cart,c1,web,2025-03-01T09:30:00.5+01:00\n",
		want: []journey.Event{{Customer: "c1", Time: tm("2025-03-01T08:30:00.5Z"), Step: "cart", Channel: touchpoint.Web,
			Touchpoint: "web-cart", Value: 12.5}},
	},
	{
		name:   "renamed columns",
		reason: "Columns renames fields; a column named like a default but renamed away is extra",
		in:     "user_id,ts,event,customer\nu1,1740821400,visit,x\n",
		opt:    ReadOptions{Columns: Columns{Customer: "user_id", Time: "ts", Step: "event"}},
		want:   []journey.Event{{Customer: "u1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit", Props: map[string]string{"customer": "x"}}},
	},
	{
		name:   "extra columns are props",
		reason: "extra columns become properties; an empty cell means the property is absent",
		in:     "customer,time,step,device,campaign\nc1,2025-03-01T09:30:00Z,visit,mobile,\nc1,2025-03-01T09:31:00Z,cart,,spring\n",
		want: []journey.Event{
			{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit", Props: map[string]string{"device": "mobile"}},
			{Customer: "c1", Time: tm("2025-03-01T09:31:00Z"), Step: "cart", Props: map[string]string{"campaign": "spring"}},
		},
	},
	{
		name:   "extra columns ignored",
		reason: "ExtraIgnore drops extra columns",
		in:     "customer,time,step,device\nc1,2025-03-01T09:30:00Z,visit,mobile\n",
		opt:    ReadOptions{Extra: ExtraIgnore},
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "extra columns rejected",
		reason: "ExtraError makes an extra column a bad header",
		in:     "customer,time,step,device\n",
		opt:    ReadOptions{Extra: ExtraError},
		err:    ErrBadHeader, line: 1, col: 4,
	},
	{
		name:   "quoting",
		reason: "RFC 4180: quoted fields hold commas, doubled quotes and line breaks, kept byte for byte",
		in:     "customer,time,step,note\r\n\"c,1\",2025-03-01T09:30:00Z,\"say \"\"hi\"\"\",\"two\r\nlines\n\"\r\n",
		want: []journey.Event{{Customer: "c,1", Time: tm("2025-03-01T09:30:00Z"), Step: `say "hi"`,
			Props: map[string]string{"note": "two\r\nlines\n"}}},
	},
	{
		name:   "bom crlf and blank lines",
		reason: "a byte order mark at the start, CRLF line ends and blank lines are accepted",
		in:     "\ufeffcustomer,time,step\r\n\r\nc1,2025-03-01T09:30:00Z,visit\r\n\r\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "no final newline",
		reason: "the last row need not end with a line break",
		in:     "customer,time,step\nc1,2025-03-01T09:30:00Z,\"visit\"",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "semicolons",
		reason: "Comma sets the separator",
		in:     "customer;time;step;value\nc1;2025-03-01T09:30:00Z;buy,now;1e3\n",
		opt:    ReadOptions{Comma: ';'},
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "buy,now", Value: 1000}},
	},
	{
		name:   "sorted and duplicates kept",
		reason: "rows out of order are sorted; duplicate events are kept",
		in:     "customer,time,step\nc2,1740821460,b\nc1,1740821460,b\nc1,1740821400,a\nc1,1740821460,b\n",
		want: []journey.Event{
			{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "a"},
			{Customer: "c1", Time: tm("2025-03-01T09:31:00Z"), Step: "b"},
			{Customer: "c1", Time: tm("2025-03-01T09:31:00Z"), Step: "b"},
			{Customer: "c2", Time: tm("2025-03-01T09:31:00Z"), Step: "b"},
		},
	},
	{
		name:   "milliseconds",
		reason: "TimeUnixMilli reads Unix milliseconds",
		in:     "customer,time,step\nc1,1740821400123,visit\n",
		opt:    ReadOptions{Time: TimeUnixMilli},
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00.123Z"), Step: "visit"}},
	},
	{
		name:   "layout",
		reason: "TimeLayout reads a Go layout, in Location when it has no zone",
		in:     "customer,time,step\nc1,01/03/2025 10:30,visit\n",
		opt:    ReadOptions{Time: TimeLayout, Layout: "02/01/2006 15:04", Location: time.FixedZone("CET", 3600)},
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "parse channels",
		reason: "ParseChannels maps channel names onto the well-known channels",
		in:     "customer,time,step,channel\nc1,1740821400,visit,Website\nc1,1740821401,mail,Courriel\n",
		opt:    ReadOptions{ParseChannels: true},
		want: []journey.Event{
			{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit", Channel: touchpoint.Web},
			{Customer: "c1", Time: tm("2025-03-01T09:30:01Z"), Step: "mail", Channel: touchpoint.Email},
		},
	},
	{
		name:   "channels kept",
		reason: "without ParseChannels, channels are kept as written",
		in:     "customer,time,step,channel\nc1,1740821400,visit,Website\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit", Channel: "Website"}},
	},
	{
		name:   "unnamed column",
		reason: "a column with an empty name, such as a row index, is ignored",
		in:     ",customer,time,step\n0,c1,1740821400,visit\n",
		want:   []journey.Event{{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}},
	},
	{
		name:   "unicode and spaces",
		reason: "cells are not trimmed; any UTF-8 is kept",
		in:     "customer,time,step\n Zoë ,1740821400,étape 1 \n",
		want:   []journey.Event{{Customer: " Zoë ", Time: tm("2025-03-01T09:30:00Z"), Step: "étape 1 "}},
	},
	{name: "empty input", reason: "no input is an empty log", in: "", want: []journey.Event{}},
	{name: "header only", reason: "a header alone is an empty log", in: "customer,time,step\r\n", want: []journey.Event{}},
	{name: "blank only", reason: "blank lines alone are an empty log", in: "\n\r\n\n", want: []journey.Event{}},

	{name: "missing column", reason: "customer, time and step columns are required", in: "customer,step\nc1,a\n", err: ErrBadHeader, line: 1},
	{name: "header repeats", reason: "two columns for one field", in: "customer,time,step,Step\n", err: ErrBadHeader, line: 1, col: 4},
	{name: "prop repeats", reason: "two columns for one property", in: "customer,time,step,x,x\n", err: ErrBadHeader, line: 1, col: 5},
	{name: "bad utf8 header", reason: "a column name must be UTF-8", in: "customer,time,step,\xff\n", err: ErrInvalidUTF8, line: 1, col: 4},
	{name: "missing customer", reason: "an empty customer cell", in: "customer,time,step\n,1740821400,a\n", err: journey.ErrMissingCustomer, line: 2, col: 1},
	{name: "missing time", reason: "an empty time cell", in: "customer,time,step\nc1,,a\n", err: journey.ErrMissingTime, line: 2, col: 2},
	{name: "missing step cell", reason: "an empty step cell, after a blank line", in: "step,customer,time\n\n,c1,1\n", err: journey.ErrMissingStep, line: 3, col: 1},
	{name: "bad time", reason: "an unparsable time names its line and column", in: "customer,time,step\nc1,1,a\nc1,yesterday,a\n", err: journey.ErrBadTime, line: 3, col: 2},
	{name: "bad value", reason: "a value that is no number", in: "customer,time,step,value\nc1,1,a,ten\n", err: journey.ErrBadValue, line: 2, col: 4},
	{name: "nan value", reason: "a value that is not finite", in: "customer,time,step,value\nc1,1,a,NaN\n", err: journey.ErrBadValue, line: 2, col: 4},
	{name: "too few fields", reason: "every row has as many fields as the header", in: "customer,time,step\nc1,1\n", err: ErrMalformed, line: 2},
	{name: "too many fields", reason: "every row has as many fields as the header", in: "customer,time,step\nc1,1,a,b\n", err: ErrMalformed, line: 2},
	{name: "bare quote", reason: "a quote inside an unquoted field", in: "customer,time,step\nc\"1,1,a\n", err: ErrMalformed, line: 2, col: 1},
	{name: "text after quote", reason: "a character after a closing quote", in: "customer,time,step\nc1,1,\"a\"b\n", err: ErrMalformed, line: 2, col: 3},
	{name: "unclosed quote", reason: "a quoted field open at the end of input", in: "customer,time,step\nc1,1,\"a\nb\n", err: ErrMalformed, line: 3, col: 3},
	{name: "bad utf8", reason: "invalid UTF-8 is rejected with its column", in: "customer,time,step\nc1,1,caf\xe9\n", err: ErrInvalidUTF8, line: 2, col: 3},
	{name: "bad utf8 quoted", reason: "invalid UTF-8 in a quoted field", in: "customer,time,step\n\"c\xc3\",\"1\",a\n", err: ErrInvalidUTF8, line: 2, col: 1},
	{name: "bad channel", reason: "with ParseChannels, a channel ParseChannel rejects", in: "customer,time,step,channel\nc1,1,a,\"x\x01\"\n", opt: ReadOptions{ParseChannels: true}, err: touchpoint.ErrBadChannel, line: 2, col: 4},
	{name: "bad comma", reason: "a quote cannot separate fields", in: "customer,time,step\n", opt: ReadOptions{Comma: '"'}, err: ErrBadOptions},
	{name: "layout missing", reason: "TimeLayout needs a Layout", in: "customer,time,step\n", opt: ReadOptions{Time: TimeLayout}, err: ErrBadOptions},
	{name: "same names", reason: "two fields renamed alike", in: "customer,time,step\n", opt: ReadOptions{Columns: Columns{Step: "Time"}}, err: ErrBadOptions},
	{name: "row too long", reason: "a row longer than MaxRowBytes", in: "customer,time,step\nc1,1," + strings.Repeat("a", 100) + "\n", opt: ReadOptions{MaxRowBytes: 64}, err: ErrRowTooLong, line: 2},
	{name: "quoted row too long", reason: "the bound holds for rows over several lines", in: "customer,time,step\nc1,1,\"" + strings.Repeat("a\n", 40) + "\"\n", opt: ReadOptions{MaxRowBytes: 64}, err: ErrRowTooLong, line: 2, col: 3},
}

// checkRead compares the result of a reader with a case.
func checkRead(t *testing.T, tc readCase, l *journey.Log, err error) {
	t.Helper()
	if tc.err != nil {
		if !errors.Is(err, tc.err) {
			t.Fatalf("error %v, want one wrapping %v (%s)", err, tc.err, tc.reason)
		}
		var re *RowError
		if tc.line > 0 {
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RowError", err)
			}
			if re.Line != tc.line || re.Column != tc.col {
				t.Errorf("error %q at line %d, column %d; want line %d, column %d (%s)", err, re.Line, re.Column, tc.line, tc.col, tc.reason)
			}
		}
		if !strings.HasPrefix(err.Error(), "eventio: ") {
			t.Errorf("error %q lacks the eventio: prefix", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v (%s)", err, tc.reason)
	}
	if diff := cmp.Diff(tc.want, l.Events(), equateEmptyProps); diff != "" {
		t.Errorf("events (-want +got):\n%s (%s)", diff, tc.reason)
	}
}

func TestReadCSV(t *testing.T) {
	for _, tc := range csvCases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ReadCSV(strings.NewReader(tc.in), tc.opt)
			checkRead(t, tc, l, err)
		})
	}
}

// TestReadCSVMessage pins the form of a row error's message.
func TestReadCSVMessage(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("customer,time,step\nc1,yesterday,a\n"), ReadOptions{})
	want := `eventio: csv: line 2: column "time": cannot parse "yesterday" as a time (want a date such as 2006-01-02, a date and time such as 2006-01-02 15:04:05 or 2006-01-02T15:04:05Z, or a Unix time)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestReadCSVBadRow skips bad rows and checks the report of them.
func TestReadCSVBadRow(t *testing.T) {
	in := "customer,time,step\n" +
		"c1,1740821400,a\n" +
		"c1,never,b\n" + // 3: bad time
		"\"c1\"x,1740821401,c\n" + // 4: text after a closing quote
		"c1,1740821402,d\n" +
		",1740821403,e\n" + // 6: missing customer
		"c1,1740821404," + strings.Repeat("x", 200) + "\n" + // 7: too long
		"c1,1740821405,f\n"
	var rep Report
	l, err := ReadCSV(strings.NewReader(in), ReadOptions{MaxRowBytes: 100, SkipBadRows: true, Report: &rep})
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range l.Events() {
		steps = append(steps, e.Step)
	}
	if diff := cmp.Diff([]string{"a", "d", "f"}, steps); diff != "" {
		t.Errorf("steps read (-want +got):\n%s", diff)
	}
	var lines []int
	var offsets []int64
	for _, e := range rep.Examples {
		lines = append(lines, e.Line)
		offsets = append(offsets, e.Offset)
	}
	if diff := cmp.Diff([]int{3, 4, 6, 7}, lines); diff != "" {
		t.Errorf("lines reported (-want +got):\n%s", diff)
	}
	// The offsets of lines 3, 4, 6 and 7, counted by hand: the header is
	// 19 bytes, line 2 is 16, line 3 11, line 4 19, line 5 16, line 6 14.
	if diff := cmp.Diff([]int64{35, 46, 81, 95}, offsets); diff != "" {
		t.Errorf("offsets reported (-want +got):\n%s", diff)
	}
	if rep.Examples[0].Value != "never" || rep.Examples[0].Field != "time" {
		t.Errorf("first example %+v, want the value never in the time column", rep.Examples[0])
	}
	want := map[error]int{journey.ErrBadTime: 1, ErrMalformed: 1, journey.ErrMissingCustomer: 1, ErrRowTooLong: 1}
	if diff := cmp.Diff(want, rep.Reasons, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if rep.Skipped != 4 || rep.Events != 3 {
		t.Errorf("report %d skipped, %d events; want 4 and 3", rep.Skipped, rep.Events)
	}
	if _, err := ReadCSV(strings.NewReader(in), ReadOptions{SkipBadRows: true}); !errors.Is(err, ErrBadOptions) {
		t.Errorf("SkipBadRows without a Report: %v, want ErrBadOptions", err)
	}
}

// hugeLine is an input with a 10 MB line, made as it is read.
type hugeLine struct {
	head, tail string
	n          int // bytes of the long line still to give
}

func (h *hugeLine) Read(p []byte) (int, error) {
	switch {
	case h.head != "":
		n := copy(p, h.head)
		h.head = h.head[n:]
		return n, nil
	case h.n > 0:
		n := min(len(p), h.n)
		for i := range n {
			p[i] = 'x'
		}
		h.n -= n
		return n, nil
	case h.tail != "":
		n := copy(p, h.tail)
		h.tail = h.tail[n:]
		return n, nil
	}
	return 0, io.EOF
}

func TestReadHugeLine(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			var in *hugeLine
			read := ReadCSV
			if format == "csv" {
				in = &hugeLine{head: "customer,time,step\nc1,1,a\nc1,2,", n: 10 << 20, tail: "\nc1,3,b\n"}
			} else {
				in = &hugeLine{head: `{"customer":"c1","time":1,"step":"a"}` + "\n" + `{"customer":"c1","time":2,"step":"`, n: 10 << 20,
					tail: "\"}\n" + `{"customer":"c1","time":3,"step":"b"}` + "\n"}
				read = ReadJSONL
			}
			var reported []int
			var rep Report
			before := totalAlloc()
			l, err := read(in, ReadOptions{SkipBadRows: true, Report: &rep})
			used := totalAlloc() - before
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range rep.Examples {
				if !errors.Is(e, ErrRowTooLong) {
					t.Errorf("reported %v, want ErrRowTooLong", e)
				}
				reported = append(reported, e.Line)
			}
			if diff := cmp.Diff([]int{2 + btoi(format == "csv")}, reported); diff != "" {
				t.Errorf("lines reported (-want +got):\n%s", diff)
			}
			if l.Len() != 2 {
				t.Errorf("read %d events, want the 2 short ones", l.Len())
			}
			// Gathering the line up to the row bound takes 2 MiB, with
			// doubling; a read in two stages adds its batches and chunks,
			// about 1 MiB (more under the race detector), read in chunks
			// before and after the line. Nothing grows with its 10 MiB.
			if used > 4<<20 {
				t.Errorf("reading allocated %d bytes; the row bound is 1 MiB", used)
			}
		})
	}
}

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// failingIO fails after some bytes.
type failingIO struct {
	data []byte
	err  error
}

func (f *failingIO) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func (f *failingIO) Write(p []byte) (int, error) { return 0, f.err }

func TestIOErrors(t *testing.T) {
	boom := errors.New("boom")
	for name, read := range map[string]func() error{
		"ReadCSV": func() error {
			_, err := ReadCSV(&failingIO{data: []byte("customer,time,step\nc1,1,a\n"), err: boom}, ReadOptions{})
			return err
		},
		"ReadJSONL": func() error {
			_, err := ReadJSONL(&failingIO{data: []byte(`{"customer":"c1","time":1,"step":"a"}` + "\n"), err: boom}, ReadOptions{})
			return err
		},
		"WriteCSV": func() error {
			return WriteCSV(&failingIO{err: boom}, mustLog(t, "customer,time,step\nc1,1,a\n"), WriteOptions{})
		},
		"WriteJSONL": func() error { return WriteJSONL(&failingIO{err: boom}, mustLog(t, "customer,time,step\nc1,1,a\n")) },
	} {
		if err := read(); !errors.Is(err, boom) {
			t.Errorf("%s: error %v, want the io error wrapped", name, err)
		}
	}
}

func mustLog(t *testing.T, csv string) *journey.Log {
	t.Helper()
	l, err := ReadCSV(strings.NewReader(csv), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestWriteCSV(t *testing.T) {
	l, err := journey.NewLog([]journey.Event{
		{Customer: "c,2", Time: tm("2025-03-01T09:30:00.5Z"), Step: "say \"hi\"", Channel: touchpoint.Web, Value: 0.1,
			Props: map[string]string{"note": "two\nlines", "device": "app"}},
		{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, l, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	// "c,2" sorts before "c1": ',' < '1'.
	want := "customer,time,step,channel,touchpoint,value,device,note\n" +
		"\"c,2\",2025-03-01T09:30:00.5Z,\"say \"\"hi\"\"\",web,,0.1,app,\"two\nlines\"\n" +
		"c1,2025-03-01T09:30:00Z,visit,,,,,\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteCSV (-want +got):\n%s", diff)
	}
	buf.Reset()
	if err := WriteCSV(&buf, l, WriteOptions{Comma: '\t', Columns: Columns{Customer: "user_id"}, Props: []string{"note", "device"}}); err != nil {
		t.Fatal(err)
	}
	want = "user_id\ttime\tstep\tchannel\ttouchpoint\tvalue\tnote\tdevice\n" +
		"c,2\t2025-03-01T09:30:00.5Z\t\"say \"\"hi\"\"\"\tweb\t\t0.1\t\"two\nlines\"\tapp\n" +
		"c1\t2025-03-01T09:30:00Z\tvisit\t\t\t\t\t\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteCSV with options (-want +got):\n%s", diff)
	}
}

// TestWriteCSVFiltered checks that a log filtered from another writes
// the property columns of its own events only, not those of the events
// filtered out.
func TestWriteCSVFiltered(t *testing.T) {
	l, err := journey.NewLog([]journey.Event{
		{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit", Props: map[string]string{"device": "app"}},
		{Customer: "c1", Time: tm("2025-03-01T09:31:00Z"), Step: "buy", Props: map[string]string{"coupon": "x", "device": "app"}},
		{Customer: "c2", Time: tm("2025-03-01T09:32:00Z"), Step: "visit", Props: map[string]string{"device": "web"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	visits := l.Where(journey.Named(journey.ByStep, func(s string) bool { return s == "visit" }))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, visits, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "customer,time,step,channel,touchpoint,value,device\n" +
		"c1,2025-03-01T09:30:00Z,visit,,,,app\n" +
		"c2,2025-03-01T09:32:00Z,visit,,,,web\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteCSV of the visits (-want +got):\n%s", diff)
	}
}

func TestWriteErrors(t *testing.T) {
	ev := journey.Event{Customer: "c1", Time: tm("2025-03-01T09:30:00Z"), Step: "visit"}
	with := func(f func(*journey.Event)) []journey.Event {
		e := ev
		f(&e)
		return []journey.Event{e}
	}
	tests := []struct {
		name   string
		reason string
		events []journey.Event
		opt    WriteOptions
		csv    error // the error of WriteCSV, nil if none
		jsonl  error
	}{
		{name: "empty prop", reason: "CSV cannot tell an empty property from an absent one",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"x": ""} }), csv: ErrNotWritable},
		{name: "empty key", reason: "a CSV column needs a name",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"": "x"} }), csv: ErrNotWritable},
		{name: "key names a field", reason: "the column would be read as the field",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"Step": "x"} }), csv: ErrNotWritable},
		{name: "unlisted prop", reason: "properties are never dropped silently",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"x": "y"} }), opt: WriteOptions{Props: []string{"z"}}, csv: ErrNotWritable},
		{name: "bad utf8 step", reason: "readers reject invalid UTF-8, so writers do not write it",
			events: with(func(e *journey.Event) { e.Step = "caf\xe9" }), csv: ErrNotWritable, jsonl: ErrNotWritable},
		{name: "bad utf8 customer", reason: "readers reject invalid UTF-8",
			events: with(func(e *journey.Event) { e.Customer = "\xff" }), csv: ErrNotWritable, jsonl: ErrNotWritable},
		{name: "bad utf8 prop", reason: "readers reject invalid UTF-8",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"k": "\xff"} }), csv: ErrNotWritable, jsonl: ErrNotWritable},
		{name: "bad comma", reason: "a quote cannot separate fields", events: with(func(*journey.Event) {}), opt: WriteOptions{Comma: '"'}, csv: ErrBadOptions},
		{name: "empty prop in JSON", reason: "JSON holds empty properties",
			events: with(func(e *journey.Event) { e.Props = map[string]string{"x": "", "": "y"} }), csv: ErrNotWritable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := journey.NewLog(tt.events)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteCSV(&buf, l, tt.opt); !errors.Is(err, tt.csv) || (err == nil) != (tt.csv == nil) {
				t.Errorf("WriteCSV: %v, want %v (%s)", err, tt.csv, tt.reason)
			}
			if err := WriteJSONL(&buf, l); !errors.Is(err, tt.jsonl) || (err == nil) != (tt.jsonl == nil) {
				t.Errorf("WriteJSONL: %v, want %v (%s)", err, tt.jsonl, tt.reason)
			}
		})
	}
}
