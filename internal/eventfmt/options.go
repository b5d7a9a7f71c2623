// Package eventfmt is the engine of the event readers and writers: CSV
// and JSON Lines parsing, time parsing and the options, for package
// journey/eventio and the deprecated readers of package journey. It does
// not import journey: a reader hands each parsed row to a Sink, which
// journey implements with its log builder and registers in NewSink when
// it is initialised; a writer reads a log through a Source, which journey
// registers in SourceOf.
package eventfmt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/internal/par"
	"github.com/parcours-go/parcours/touchpoint"
)

// Sentinel errors of the readers and writers. The event errors are those
// of package journey, which sets them when it is initialised.
var (
	ErrBadHeader   = errors.New("bad header")
	ErrRowTooLong  = errors.New("row too long")
	ErrMalformed   = errors.New("malformed row")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	ErrUnknownKey  = errors.New("unknown key")
	ErrBadOptions  = errors.New("bad options")
	ErrNotWritable = errors.New("cannot be written")

	ErrMissingCustomer = errors.New("missing customer")
	ErrMissingTime     = errors.New("missing time")
	ErrMissingStep     = errors.New("missing step")
	ErrBadTime         = errors.New("time out of range")
	ErrBadValue        = errors.New("value is not a finite number")
)

// DefaultMaxRowBytes is the longest row or line read when
// ReadOptions.MaxRowBytes is 0.
const DefaultMaxRowBytes = 1 << 20

// Columns names the columns or keys of the event fields; "" is the
// default name.
type Columns struct {
	Customer   string
	Time       string
	Step       string
	Channel    string
	Touchpoint string
	Value      string
	Props      string
}

// Field indexes, in the order of Columns.
const (
	fCustomer = iota
	fTime
	fStep
	fChannel
	fTouchpoint
	fValue
	fProps
	numFields
)

var defaultColumns = [numFields]string{"customer", "time", "step", "channel", "touchpoint", "value", "props"}

// names returns the column names with defaults filled in.
func (c Columns) names() [numFields]string {
	n := [numFields]string{c.Customer, c.Time, c.Step, c.Channel, c.Touchpoint, c.Value, c.Props}
	for i := range n {
		if n[i] == "" {
			n[i] = defaultColumns[i]
		}
	}
	return n
}

// Extra says what a reader does with the columns or keys that are not
// event fields.
type Extra uint8

const (
	ExtraProps Extra = iota
	ExtraIgnore
	ExtraError
	NumExtra
)

var extraNames = [NumExtra]string{"props", "ignore", "error"}

// ErrUnknownExtra is wrapped by the errors of ParseExtra.
var ErrUnknownExtra = errors.New("unknown treatment of extra fields")

// String returns "props", "ignore" or "error".
func (x Extra) String() string {
	if x < NumExtra {
		return extraNames[x]
	}
	return "Extra(" + strconv.Itoa(int(x)) + ")"
}

// ParseExtra returns the Extra named s, ignoring case; prefix starts the
// error message.
func ParseExtra(prefix, s string) (Extra, error) {
	for x, name := range extraNames {
		if strings.EqualFold(s, name) {
			return Extra(x), nil
		}
	}
	return 0, fmt.Errorf("%s: %w %q (want props, ignore or error)", prefix, ErrUnknownExtra, s)
}

// MarshalText returns the name of x.
func (x Extra) MarshalText(prefix string) ([]byte, error) {
	if x >= NumExtra {
		return nil, fmt.Errorf("%s: cannot marshal %v", prefix, x)
	}
	return []byte(x.String()), nil
}

// Progress is how far a read has gone.
type Progress struct {
	Bytes  int64 // bytes read so far
	Total  int64 // bytes in all, or -1 when unknown
	Events int   // events read so far
}

// ProgressEvery is the number of bytes between two calls of a progress
// callback.
const ProgressEvery = 1 << 20

// ReadOptions are the options of the readers, as package eventio
// documents them.
type ReadOptions struct {
	Columns       Columns
	Time          TimeFormat
	Layout        string
	Location      *time.Location
	Comma         rune
	Extra         Extra
	ParseChannels bool
	MaxRowBytes   int
	BadRow        func(*RowError) error

	// Prefix starts the messages of errors that are not RowErrors:
	// "journey" or "eventio".
	Prefix string
	// Progress, if not nil, is called about every ProgressEvery bytes and
	// once at the end; Total is the value of Progress.Total.
	Progress func(Progress)
	Total    int64
	// Count, if not nil, gives Progress.Bytes (the bytes of a compressed
	// file read so far) in place of the bytes parsed.
	Count func() int64
	// OneStage, if true, parses and adds each row to the sink in turn on
	// the caller's goroutine. Otherwise, with more than one processor, a
	// read parses in a goroutine of its own, handing rows to the sink on
	// the caller's (see pipe.go); the result is the same.
	OneStage bool
}

// RowError is a problem with one row (CSV) or line (JSON Lines).
type RowError struct {
	Format string // "csv" or "jsonl"
	Line   int    // from 1
	Offset int64  // the byte of the input where the row starts, from 0
	Column int    // CSV: the field from 1; JSON Lines: the byte in the line from 1; 0 if none
	Field  string // the column or key at fault, as written; "" if none
	Value  string // the value at fault, cut to 200 bytes; "" if none
	Err    error
}

func (e *RowError) Error() string { return e.Err.Error() }
func (e *RowError) Unwrap() error { return e.Err }

// Row is one parsed event, handed to a Sink: byte slices valid during the
// call only, the time in Unix nanoseconds, properties as key, value, key,
// value … with keys strictly increasing byte-wise.
type Row struct {
	Customer, Step, Channel, Touchpoint []byte
	Nanos                               int64
	Value                               float64
	Props                               [][]byte
}

// Sink receives the rows of a read and builds its log.
type Sink interface {
	// AddRow adds one row. An error about the row makes it a bad row;
	// an error wrapped with Fatal stops reading.
	AddRow(*Row) error
	// Build returns the log of the rows added.
	Build() (any, error)
}

// Preparer is a Sink that splits AddRow in two, so that a read in two
// stages can do the first part on the parsing goroutine: Prepare checks
// r and turns it into p (interning its names, say), and AddPrepared adds
// p. Calling Prepare and then AddPrepared on a row must do what AddRow
// does.
//
// A read in two stages calls Prepare on the parsing goroutine, ahead of
// AddPrepared on the caller's, each in input order: the two may share
// nothing but what p carries, and Build is called once both are done.
// An error from Prepare makes the row a bad row, or stops reading if
// wrapped with Fatal; AddPrepared's errors are as AddRow's.
type Preparer interface {
	Sink
	Prepare(r *Row, p *Prepared) error
	AddPrepared(p *Prepared) error
}

// Prepared is a row as Prepare leaves it: the customer, a hash of it
// (if Hashed), four ids and a list of them, hash and ids of the sink's
// choosing, the time and the value. The reader copies Customer and KV
// when Prepare returns, so they may point into r or into the sink's
// scratch space.
type Prepared struct {
	Customer []byte
	Hash     uint64
	Hashed   bool
	IDs      [4]uint32
	KV       []uint32
	Nanos    int64
	Value    float64
}

// NewSink returns a sink building a *journey.Log; package journey sets it.
var NewSink func() Sink

// fatal marks a sink error that stops reading.
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }

// Fatal marks err, returned by Sink.AddRow, as one that stops reading:
// the reader returns err itself.
func Fatal(err error) error { return fatal{err} }

// reader holds what both readers share: resolved options, the sink and
// the handling of bad rows.
type reader struct {
	format   string
	prefix   string
	names    [numFields]string
	times    timeParser
	comma    byte
	extra    Extra
	max      int
	badRow   func(*RowError) error
	channels map[string][]byte // raw channel → parsed, with ParseChannels
	sink     Sink
	cr       *countReader
	p        *pipe    // for a read in two stages
	prep     Preparer // the sink, in two stages, if it is one
	out      *batch   // where a chunk's parser puts its rows (chunks.go)
	chunked  bool     // the read is in chunks: at holds the counts for flush
	at       struct{ n, bytes int64 }
	resumeAt int64 // if not 0, where a read in one stage may go back to chunks

	// What the parsing writes for each row.
	row      Row      // the row being parsed
	offset   int64    // where it starts
	prepared Prepared // the row Prepare fills, in two stages

	// In two stages the caller's goroutine writes what follows for each
	// row while the parser's writes the fields above: the padding keeps
	// them on cache lines of their own, so that the goroutines' writes do
	// not take the lines from each other.
	_ [par.CacheLine]byte

	events   int
	sinkRow  Row                      // the row handed to the sink, in two stages
	sinkPrep Prepared                 // the row AddPrepared gets, in two stages
	applied  struct{ n, bytes int64 } // the counts of the batch being applied, in two stages
}

func newReader(format string, r io.Reader, opt ReadOptions, sink Sink) (*reader, error) {
	rd := &reader{
		format: format,
		prefix: opt.Prefix,
		names:  opt.Columns.names(),
		times:  timeParser{format: opt.Time, layout: opt.Layout, loc: opt.Location},
		comma:  ',',
		extra:  opt.Extra,
		max:    opt.MaxRowBytes,
		badRow: opt.BadRow,
		sink:   sink,
	}
	if rd.prefix == "" {
		rd.prefix = "eventio"
	}
	bad := func(format string, args ...any) (*reader, error) {
		return nil, fmt.Errorf("%s: %s: %w: "+format, append([]any{rd.prefix, rd.format, ErrBadOptions}, args...)...)
	}
	if rd.times.loc == nil {
		rd.times.loc = time.UTC
	}
	if opt.Time >= NumTimeFormats {
		return bad("unknown time format %v", opt.Time)
	}
	if opt.Time == TimeLayout && opt.Layout == "" {
		return bad("time format layout needs a Layout")
	}
	if opt.Extra >= NumExtra {
		return bad("unknown %v", opt.Extra)
	}
	if rd.max == 0 {
		rd.max = DefaultMaxRowBytes
	}
	if rd.max < 0 {
		return bad("negative MaxRowBytes %d", opt.MaxRowBytes)
	}
	if opt.Comma != 0 {
		if opt.Comma >= 0x80 || opt.Comma == '"' || opt.Comma == '\r' || opt.Comma == '\n' {
			return bad("comma %q is not an ASCII character other than a quote or a line break", opt.Comma)
		}
		rd.comma = byte(opt.Comma)
	}
	for i, n := range rd.names {
		for _, m := range rd.names[:i] {
			if strings.EqualFold(n, m) {
				return bad("two fields are named %q", n)
			}
		}
	}
	if opt.ParseChannels {
		rd.channels = make(map[string][]byte)
	}
	rd.cr = &countReader{r: r, progress: opt.Progress, total: opt.Total, count: opt.Count, events: &rd.events, next: ProgressEvery}
	if pipelined(opt) {
		rd.p = newPipe()
		rd.prep, _ = sink.(Preparer)
	}
	return rd, nil
}

// rowError reports a bad row; it returns nil if reading goes on.
func (rd *reader) rowError(line, col int, field string, value []byte, err error) error {
	re := &RowError{Format: rd.format, Line: line, Offset: rd.offset, Column: col, Field: field, Value: cut(value), Err: err}
	switch {
	case rd.out != nil:
		rd.out.items = append(rd.out.items, item{line: re.Line, off: re.Offset, err: re})
		if rd.badRow == nil {
			return errStopped // the rows after it will not be read
		}
		return nil
	case rd.p != nil:
		return rd.queueError(re)
	}
	if rd.badRow == nil {
		return re
	}
	return rd.badRow(re)
}

// cut returns b as a string of at most 200 bytes.
func cut(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return string(b)
}

// add hands the row parsed to the sink, or to the sink stage.
func (rd *reader) add(line int) error {
	switch {
	case rd.out != nil:
		rd.out.add(&rd.row, line, rd.offset)
		return nil
	case rd.p != nil:
		return rd.queue(line)
	}
	return rd.sinkAdd(&rd.row, line, rd.offset)
}

// sinkAdd hands r, of the row at line and offset off, to the sink.
func (rd *reader) sinkAdd(r *Row, line int, off int64) error {
	return rd.added(rd.sink.AddRow(r), line, off)
}

// added handles what the sink returned for the row at line and offset off.
func (rd *reader) added(err error, line int, off int64) error {
	if err == nil {
		rd.events++
		if rd.events == growAfter {
			rd.grow(off)
		}
		return nil
	}
	if f, ok := err.(fatal); ok {
		return f.err
	}
	re := &RowError{Format: rd.format, Line: line, Offset: off, Err: err}
	if rd.badRow == nil {
		return re
	}
	return rd.badRow(re)
}

// growAfter is the number of rows after which a reader that knows the
// size of its input tells the sink how many rows to expect in all.
const growAfter = 1 << 14

// Grower is a Sink that can make room for the rows to come.
type Grower interface {
	// Grow makes room for about n rows in all.
	Grow(n int)
}

// grow tells a sink that is a Grower how many rows to expect, when the
// size of the input is known: from the bytes per row so far (off, the
// offset of the last row) and the size of the input once decompressed,
// estimated from the bytes read before and after decompression so far;
// with two stages, those counts are the ones of the batch being applied,
// as the parsing goroutine saw them when it handed the batch on.
func (rd *reader) grow(off int64) {
	g, ok := rd.sink.(Grower)
	if !ok {
		return
	}
	read, in := rd.applied.n, rd.applied.bytes
	if rd.p == nil {
		read, in = rd.cr.n, rd.cr.bytes()
	}
	if rd.cr.total <= 0 || off <= 0 || read <= 0 || in <= 0 {
		return
	}
	size := float64(rd.cr.total) * float64(read) / float64(in)
	est := size / float64(off) * float64(rd.events) * 1.05
	if est > float64(rd.events) && est < 1<<32 {
		g.Grow(int(est))
	}
}

// build finishes a read.
func (rd *reader) build() (any, error) {
	rd.cr.done()
	return rd.sink.Build()
}

// channel returns the channel to store for raw.
func (rd *reader) channel(raw []byte) ([]byte, error) {
	if rd.channels == nil || len(raw) == 0 {
		return raw, nil
	}
	if c, ok := rd.channels[string(raw)]; ok {
		return c, nil
	}
	c, err := touchpoint.ParseChannel(string(raw))
	if err != nil {
		return nil, err
	}
	if len(rd.channels) < 1<<16 {
		rd.channels[string(raw)] = []byte(c)
	}
	return []byte(c), nil
}

// value parses a value cell; empty means 0.
func parseValue(b []byte) (float64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || v-v != 0 {
		return 0, &fieldError{fmt.Sprintf("%s is not a finite number", quoteCell(b)), ErrBadValue}
	}
	return v, nil
}

// countReader counts the bytes read and calls the progress callback:
// as it reads, or, when deferred (in two stages), when the sink stage has
// the rows read so far (progressAt).
type countReader struct {
	r        io.Reader
	n        int64
	next     int64
	total    int64
	events   *int
	count    func() int64
	progress func(Progress)
	deferred bool
}

// bytes returns Progress.Bytes now.
func (c *countReader) bytes() int64 {
	if c.count != nil {
		return c.count()
	}
	return c.n
}

func (c *countReader) report() { c.reportAt(c.bytes()) }

func (c *countReader) reportAt(bytes int64) {
	c.progress(Progress{Bytes: bytes, Total: c.total, Events: *c.events})
}

// progressAt reports Progress.Bytes bytes if the n bytes parsed are a step
// past the last report.
func (c *countReader) progressAt(n, bytes int64) {
	if c.progress != nil && n >= c.next {
		c.next = n + ProgressEvery
		c.reportAt(bytes)
	}
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if !c.deferred && c.progress != nil && c.n >= c.next {
		c.progressAt(c.n, c.bytes())
	}
	return n, err
}

func (c *countReader) done() {
	if c.progress != nil {
		c.report()
	}
}

// lineReader reads physical lines, each bounded in size, from r or,
// when r is nil, from the bytes of mem.
type lineReader struct {
	r     *bufio.Reader
	mem   []byte
	max   int
	line  int    // the number of the last line returned
	long  []byte // a line longer than the bufio buffer
	start bool   // the first line has been read
	off   int64  // the offset of the next line
	at    int64  // the offset of the last line returned
}

const readBufSize = 64 << 10

var bom = []byte("\ufeff")

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, readBufSize), max: max}
}

// next returns the next line, with its "\n" if it has one, valid until the
// next call; a UTF-8 byte order mark at the start of the input is dropped.
// At the end of input it returns io.EOF. A line longer than max is skipped
// and reported with errLineTooLong.
func (lr *lineReader) next() ([]byte, error) {
	if lr.r == nil {
		return lr.nextInMem()
	}
	line, err := lr.r.ReadSlice('\n')
	lr.at = lr.off
	lr.off += int64(len(line))
	if err == bufio.ErrBufferFull {
		// A line longer than the buffer: gather it in lr.long, but never
		// more than max bytes of it.
		lr.long = append(lr.long[:0], line...)
		tooLong := false
		for err == bufio.ErrBufferFull {
			line, err = lr.r.ReadSlice('\n')
			lr.off += int64(len(line))
			if tooLong = tooLong || len(lr.long)+len(line) > lr.max; !tooLong {
				lr.long = appendDoubling(lr.long, line, lr.max)
			}
		}
		line = lr.long
		if tooLong {
			if err != nil && err != io.EOF {
				return nil, err
			}
			lr.line++
			lr.start = true
			return nil, errLineTooLong
		}
	}
	if err != nil && (err != io.EOF || len(line) == 0) {
		return nil, err
	}
	lr.line++
	return lr.bounded(line)
}

// bounded returns line, without the byte order mark that may start the
// input's first line, or errLineTooLong if it is longer than max.
func (lr *lineReader) bounded(line []byte) ([]byte, error) {
	if !lr.start {
		lr.start = true
		line = bytes.TrimPrefix(line, bom)
	}
	if len(line) > lr.max {
		return nil, errLineTooLong
	}
	return line, nil
}

// nextInMem is next for lines in lr.mem. It returns what next returns
// for the same bytes from a reader: in particular, a line longer than a
// reader's buffer and than max is too long before any byte order mark is
// dropped from it.
func (lr *lineReader) nextInMem() ([]byte, error) {
	lr.at = lr.off
	if len(lr.mem) == 0 {
		return nil, io.EOF
	}
	line := lr.mem
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	lr.mem = lr.mem[len(line):]
	lr.off += int64(len(line))
	lr.line++
	if len(line) > readBufSize && len(line) > lr.max {
		lr.start = true
		return nil, errLineTooLong
	}
	return lr.bounded(line)
}

// appendDoubling appends b to dst, doubling its capacity when it must
// grow but never beyond limit (which len(dst)+len(b) must not exceed), so
// that gathering a line allocates at most twice the limit in all.
func appendDoubling(dst, b []byte, limit int) []byte {
	if n := len(dst) + len(b); n > cap(dst) {
		grown := make([]byte, len(dst), min(max(2*cap(dst), n), limit))
		copy(grown, dst)
		dst = grown
	}
	return append(dst, b...)
}

var errLineTooLong = errors.New("line too long")

// trimEOL removes the "\n" or "\r\n" that ends line.
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line
}

// isBlank reports whether line holds only JSON white space.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// writeBuf buffers output and keeps the first write error.
type writeBuf struct {
	w   io.Writer
	b   []byte
	err error
}

func (wb *writeBuf) flushIfFull() {
	if len(wb.b) >= readBufSize {
		wb.flush()
	}
}

func (wb *writeBuf) flush() {
	if wb.err == nil && len(wb.b) > 0 {
		_, wb.err = wb.w.Write(wb.b)
	}
	wb.b = wb.b[:0]
}
