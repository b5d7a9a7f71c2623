package eventfmt

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// recordSink records the rows it is given, as text, and fails on two
// customers: "sinkbad" is a bad row, "sinkstop" stops the read.
type recordSink struct{ rows []string }

var errSinkBad = errors.New("the sink refuses this row")

func (s *recordSink) AddRow(r *Row) error {
	switch string(r.Customer) {
	case "sinkbad":
		return errSinkBad
	case "sinkstop":
		return Fatal(errors.New("the sink stops"))
	}
	s.rows = append(s.rows, rowText(r))
	return nil
}

// rowText writes r as the test sinks record it.
func rowText(r *Row) string {
	return fmt.Sprintf("%q %d %q %q %q %v %q", r.Customer, r.Nanos, r.Step, r.Channel, r.Touchpoint, r.Value, r.Props)
}

func (s *recordSink) Build() (any, error) { return s.rows, nil }

// prepSink is a Preparer that builds what recordSink builds: Prepare
// interns the strings (refusing "sinkbad") and hashes every other
// customer, AddPrepared checks the hashes and keeps the ids, and Build
// writes the rows from them. The read stops on "sinkstop" in
// Prepare when stopEarly, else in AddPrepared.
type prepSink struct {
	stopEarly bool
	ids       map[string]uint32 // Prepare's
	names     []string          // Prepare's, until Build
	kv        []uint32          // Prepare's scratch
	rows      int               // Prepare's count
	prepared  []Prepared        // AddPrepared's, with copies of their slices
}

func (s *prepSink) id(b []byte) uint32 {
	id, ok := s.ids[string(b)]
	if !ok {
		if s.ids == nil {
			s.ids = make(map[string]uint32)
		}
		id = uint32(len(s.names))
		s.ids[string(b)] = id
		s.names = append(s.names, string(b))
	}
	return id
}

func (s *prepSink) Prepare(r *Row, p *Prepared) error {
	switch string(r.Customer) {
	case "sinkbad":
		return errSinkBad
	case "sinkstop":
		if s.stopEarly {
			return Fatal(errors.New("the sink stops"))
		}
	}
	s.kv = s.kv[:0]
	for _, b := range r.Props {
		s.kv = append(s.kv, s.id(b))
	}
	*p = Prepared{Customer: r.Customer, IDs: [4]uint32{s.id(r.Step), s.id(r.Channel), s.id(r.Touchpoint), uint32(len(r.Props))}, KV: s.kv, Nanos: r.Nanos, Value: r.Value}
	// Every other row carries a hash of its customer, which AddPrepared
	// checks.
	s.rows++
	if s.rows%2 == 0 {
		p.Hash, p.Hashed = custHash(r.Customer), true
	}
	return nil
}

// custHash is the hash a prepSink gives a customer.
func custHash(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func (s *prepSink) AddPrepared(p *Prepared) error {
	if string(p.Customer) == "sinkstop" {
		return Fatal(errors.New("the sink stops"))
	}
	if p.Hashed && p.Hash != custHash(p.Customer) {
		return Fatal(fmt.Errorf("customer %q came with hash %#x, want %#x", p.Customer, p.Hash, custHash(p.Customer)))
	}
	if int(p.IDs[3]) != len(p.KV) {
		return Fatal(fmt.Errorf("customer %q came with %d properties and a fourth id of %d", p.Customer, len(p.KV), p.IDs[3]))
	}
	q := *p
	q.Customer, q.KV = slices.Clone(p.Customer), slices.Clone(p.KV)
	s.prepared = append(s.prepared, q)
	return nil
}

func (s *prepSink) AddRow(r *Row) error {
	var p Prepared
	if err := s.Prepare(r, &p); err != nil {
		return err
	}
	return s.AddPrepared(&p)
}

func (s *prepSink) Build() (any, error) {
	var rows []string
	for _, p := range s.prepared {
		r := Row{Customer: p.Customer, Nanos: p.Nanos, Value: p.Value,
			Step: []byte(s.names[p.IDs[0]]), Channel: []byte(s.names[p.IDs[1]]), Touchpoint: []byte(s.names[p.IDs[2]])}
		for _, id := range p.KV {
			r.Props = append(r.Props, []byte(s.names[id]))
		}
		rows = append(rows, rowText(&r))
	}
	return rows, nil
}

// sinks are the sinks a read is checked with.
var sinks = map[string]func() Sink{
	"record":              func() Sink { return &recordSink{} },
	"prepare":             func() Sink { return &prepSink{} },
	"prepare, stop early": func() Sink { return &prepSink{stopEarly: true} },
}

// outcome is everything a read shows its caller.
type outcome struct {
	rows     []string
	err      string
	bad      []string
	progress []Progress
}

// readOnce reads in with read in one stage or two, skipping up to skip
// bad rows (none if skip < 0, all if skip is large).
func readOnce(read func(io.Reader, ReadOptions, Sink) (any, error), in []byte, sink Sink, oneStage bool, skip int) outcome {
	var o outcome
	opt := ReadOptions{OneStage: oneStage, Total: int64(len(in)), MaxRowBytes: 200}
	if skip >= 0 {
		opt.BadRow = func(re *RowError) error {
			o.bad = append(o.bad, fmt.Sprintf("%d@%d col %d %q %q: %v", re.Line, re.Offset, re.Column, re.Field, re.Value, re.Err))
			if len(o.bad) > skip {
				return fmt.Errorf("too many bad rows: %w", re)
			}
			return nil
		}
	}
	opt.Progress = func(p Progress) { o.progress = append(o.progress, p) }
	v, err := read(bytes.NewReader(in), opt, sink)
	if err != nil {
		o.err = err.Error()
	} else {
		o.rows = v.([]string)
	}
	return o
}

// checkStages checks that a read in two stages shows exactly what a read
// in one shows, with each of sinks: the rows, the error, the bad rows in
// order, and the final progress report (the reports before it come at
// other moments).
func checkStages(t *testing.T, name string, read func(io.Reader, ReadOptions, Sink) (any, error), in []byte) {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	for _, skip := range []int{-1, 0, 2, 1 << 30} {
		one := readOnce(read, in, &recordSink{}, true, skip)
		var others []outcome
		for sname, sink := range sinks {
			for _, oneStage := range []bool{true, false} {
				if sname == "record" && oneStage {
					continue
				}
				two := readOnce(read, in, sink(), oneStage, skip)
				if fmt.Sprint(one.rows) != fmt.Sprint(two.rows) || one.err != two.err || fmt.Sprint(one.bad) != fmt.Sprint(two.bad) {
					t.Fatalf("%s, skip %d: one stage and sink %q, one stage %v differ on\n%q\none: %d rows, err %q, bad %q\nthat: %d rows, err %q, bad %q",
						name, skip, sname, oneStage, in, len(one.rows), one.err, one.bad, len(two.rows), two.err, two.bad)
				}
				others = append(others, two)
			}
		}
		if one.err != "" {
			continue
		}
		if len(one.progress) == 0 {
			t.Fatalf("%s, skip %d: no progress report", name, skip)
		}
		last1 := one.progress[len(one.progress)-1]
		if last1.Bytes != int64(len(in)) || last1.Events != len(one.rows) {
			t.Fatalf("%s, skip %d: final progress %+v, want %d bytes and %d events", name, skip, last1, len(in), len(one.rows))
		}
		for _, two := range others {
			if len(two.progress) == 0 {
				t.Fatalf("%s, skip %d: no progress report", name, skip)
			}
			if last2 := two.progress[len(two.progress)-1]; last2 != last1 {
				t.Fatalf("%s, skip %d: final progress %+v, want %+v as in one stage", name, skip, last2, last1)
			}
		}
		for _, o := range append(others, one) {
			ps := o.progress
			if want := int(int64(len(in)) / (2 * ProgressEvery)); len(ps) < want { // a report at least every 2 MiB
				t.Fatalf("%s: %d progress reports for %d bytes, want at least %d", name, len(ps), len(in), want)
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Bytes < ps[i-1].Bytes || ps[i].Events < ps[i-1].Events {
					t.Fatalf("%s: progress goes back: %+v", name, ps)
				}
			}
		}
	}
}

// smallBatches makes batches of a few rows, so that a small input crosses
// many batch boundaries.
func smallBatches(t testing.TB, rows, bytes int) {
	r, b := batchRows, batchBytes
	batchRows, batchBytes = rows, bytes
	t.Cleanup(func() { batchRows, batchBytes = r, b })
}

// smallChunks makes the chunks of a read in two stages n bytes or so.
func smallChunks(t testing.TB, n int) {
	c := chunkBytes
	chunkBytes = n
	t.Cleanup(func() { chunkBytes = c })
}

// randomCSV returns a CSV input with good rows and every kind of bad one.
func randomCSV(r *rand.Rand, rows int) []byte {
	var b strings.Builder
	b.WriteString("customer,time,step,channel,device\n")
	cells := []string{"c1", "c2", "sinkbad", "", `"q,uoted"`, "\"multi\nline\"", `"say ""hi"""`, "x\xff"}
	for range rows {
		switch r.IntN(13) {
		case 0:
			b.WriteString("\n") // blank
		case 1:
			b.WriteString("c1,5,a\n") // too few fields
		case 2:
			b.WriteString("c1,not-a-time,a,web,\n")
		case 3:
			b.WriteString("c9,7,a,web,\"open\n") // a quote not closed before the row bound
			b.WriteString(strings.Repeat("y", 150) + "\n" + strings.Repeat("z", 100) + "\"\n")
		case 4:
			b.WriteString("c1,8,a,web," + strings.Repeat("w", 300) + "\n") // too long
		case 5:
			b.WriteString("c1,9,a\"b,web,\n") // a stray quote, which misleads the splitter
		default:
			fmt.Fprintf(&b, "%s,%d,%s,%s,%s\n", cells[r.IntN(len(cells))], r.IntN(1e6), cells[r.IntN(3)], []string{"", "web", "email"}[r.IntN(3)], cells[r.IntN(len(cells))])
		}
	}
	if r.IntN(4) == 0 {
		b.WriteString("sinkstop,1,a,,\n")
	}
	return []byte(b.String())
}

// randomJSONL returns a JSON Lines input with good lines and bad ones.
func randomJSONL(r *rand.Rand, rows int) []byte {
	var b strings.Builder
	for range rows {
		switch r.IntN(10) {
		case 0:
			b.WriteString("\n")
		case 1:
			b.WriteString(`{"customer":"c1","time":1,` + "\n")
		case 2:
			b.WriteString(`{"customer":"c1","time":"soon","step":"a"}` + "\n")
		case 3:
			b.WriteString(`{"customer":"c1","time":1,"step":"` + strings.Repeat("v", 300) + `"}` + "\n")
		default:
			fmt.Fprintf(&b, `{"customer":%q,"time":%d,"step":"s%d","props":{"k":"%d"}}`+"\n", []string{"c1", "c2", "sinkbad"}[r.IntN(3)], r.IntN(1e6), r.IntN(3), r.IntN(5))
		}
	}
	if r.IntN(4) == 0 {
		b.WriteString(`{"customer":"sinkstop","time":1,"step":"a"}` + "\n")
	}
	return []byte(b.String())
}

func TestTwoStagesAsOne(t *testing.T) {
	smallBatches(t, 3, 64)
	smallChunks(t, chunkBytes)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		n := r.IntN(40)
		// Chunks of one line each, of a few lines, or the whole input.
		chunkBytes = []int{1, 1 + r.IntN(300), 64 << 10}[i%3]
		checkStages(t, fmt.Sprintf("csv %d, chunks of %d", i, chunkBytes), ReadCSV, randomCSV(r, n))
		checkStages(t, fmt.Sprintf("jsonl %d, chunks of %d", i, chunkBytes), ReadJSONL, randomJSONL(r, n))
	}
	// With the default batch bounds too, over many batches and progress
	// steps, in chunks of the default size and small ones.
	batchRows, batchBytes = 4096, 512<<10
	for _, c := range []int{64 << 10, 1 << 10} {
		chunkBytes = c
		checkStages(t, fmt.Sprintf("large csv, chunks of %d", c), ReadCSV, randomCSV(r, 300000))
		checkStages(t, fmt.Sprintf("large jsonl, chunks of %d", c), ReadJSONL, randomJSONL(r, 300000))
	}
}

// failingReader returns its input and then, instead of io.EOF, an error.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		err = f.err
	}
	return n, err
}

// A read error ends a read in two stages, in chunks, as it ends one in
// one stage: after the rows before it, with the same message.
func TestTwoStagesReadError(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	smallChunks(t, 40)
	r := rand.New(rand.NewPCG(5, 6))
	failure := errors.New("disk on fire")
	for i := range 50 {
		in := randomCSV(r, 30)
		in = in[:r.IntN(len(in)+1)]
		read := func(oneStage bool) (int, string) {
			var rows int
			opt := ReadOptions{OneStage: oneStage, MaxRowBytes: 200, BadRow: func(*RowError) error { return nil }}
			v, err := ReadCSV(&failingReader{bytes.NewReader(in), failure}, opt, &prepSink{})
			if err == nil {
				rows = len(v.([]string))
			}
			return rows, fmt.Sprint(err)
		}
		n1, e1 := read(true)
		n2, e2 := read(false)
		if n1 != n2 || e1 != e2 {
			t.Fatalf("input %d %q: one stage %d rows, %s; two stages %d rows, %s", i, in, n1, e1, n2, e2)
		}
		if !strings.Contains(e1, failure.Error()) && !strings.Contains(e1, "header") {
			t.Fatalf("input %d: error %s, want the reader's", i, e1)
		}
	}
}

// A read in two stages ends when the sink stage stops it early, whether
// the parser is waiting to hand on a batch or to get one back.
func TestTwoStagesStopEarly(t *testing.T) {
	smallBatches(t, 2, 1<<20)
	var in bytes.Buffer
	in.WriteString("customer,time,step\nsinkstop,1,a\n")
	for i := range 10000 {
		fmt.Fprintf(&in, "c%d,%d,a\n", i, i)
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	_, err := ReadCSV(bytes.NewReader(in.Bytes()), ReadOptions{}, &recordSink{})
	if err == nil || err.Error() != "the sink stops" {
		t.Fatalf("err = %v, want the sink's", err)
	}
}

func FuzzTwoStages(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		f.Add(randomCSV(r, 20))
		f.Add(randomJSONL(r, 20))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		// Batches of two rows make a handoff per two rows: long inputs
		// would take seconds each, so only their start is read.
		in = in[:min(len(in), 16<<10)]
		smallBatches(t, 2, 32)
		smallChunks(t, 1+len(in)%97)
		checkStages(t, "csv", ReadCSV, in)
		checkStages(t, "jsonl", ReadJSONL, in)
	})
}

// lastRecordEnd agrees with a walk over the bytes one at a time that
// keeps the quote state and the last line break outside quotes.
func TestLastRecordEnd(t *testing.T) {
	naive := func(b []byte, csv bool) int {
		end, quoted := 0, false
		for i, c := range b {
			switch {
			case c == '"' && csv:
				quoted = !quoted
			case c == '\n' && !quoted:
				end = i + 1
			}
		}
		return end
	}
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("a,\"\n\r")
	for range 20000 {
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		for _, csv := range []bool{true, false} {
			if got, want := lastRecordEnd(b, csv), naive(b, csv); got != want {
				t.Fatalf("lastRecordEnd(%q, csv %v) = %d, want %d", b, csv, got, want)
			}
		}
	}
	for _, c := range []struct {
		in   string
		want int
	}{
		{"a,b\nc,d\n", 8},
		{"a,\"b\nc\",d\ne", 10}, // the break inside quotes is not an end
		{"a,\"b\nc,d\n", 0},     // nor are those after a quote still open
		{"\"\"\"\"\n\"x", 5},
		{"no break", 0},
	} {
		if got := lastRecordEnd([]byte(c.in), true); got != c.want {
			t.Errorf("lastRecordEnd(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// A lineReader over bytes in memory returns what one over a reader of the
// same bytes returns, line by line: the lines, the errors, the line
// numbers and offsets, across the reader's buffer size and a byte order
// mark.
func TestLineReaderInMemory(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 300 {
		var in []byte
		if r.IntN(3) == 0 {
			in = append(in, bom...)
		}
		for range r.IntN(6) {
			n := r.IntN(20)
			if r.IntN(3) == 0 {
				n = readBufSize - 3 + r.IntN(8) // about the reader's buffer
			}
			in = append(in, bytes.Repeat([]byte{'a'}, n)...)
			if r.IntN(5) > 0 {
				in = append(in, '\n')
			}
		}
		max := []int{5, readBufSize - 2, readBufSize + 2, 1 << 20}[r.IntN(4)]
		br := newLineReader(bytes.NewReader(in), max)
		mr := &lineReader{mem: in, max: max}
		for k := 0; ; k++ {
			l1, e1 := br.next()
			l2, e2 := mr.next()
			if !bytes.Equal(l1, l2) || e1 != e2 || br.line != mr.line || br.at != mr.at || br.off != mr.off {
				t.Fatalf("input %d (%d bytes, max %d), line %d: reader %d bytes, %v, line %d at %d next %d; memory %d bytes, %v, line %d at %d next %d",
					i, len(in), max, k, len(l1), e1, br.line, br.at, br.off, len(l2), e2, mr.line, mr.at, mr.off)
			}
			if e1 == io.EOF {
				break
			}
		}
	}
}
