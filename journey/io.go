package journey

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/touchpoint"
)

// Sentinel errors of the readers and writers, besides those of Event
// (ErrMissingCustomer, ErrMissingTime, ErrMissingStep, ErrBadTime,
// ErrBadValue), all matched with errors.Is.
var (
	// ErrBadHeader: a CSV header lacks a required column, repeats one,
	// is malformed, or names an extra column that ExtraError rejects.
	ErrBadHeader = errors.New("bad header")
	// ErrRowTooLong: a row or line is longer than ReadOptions.MaxRowBytes.
	ErrRowTooLong = errors.New("row too long")
	// ErrMalformed: a row breaks the syntax of CSV or JSON, has the wrong
	// number of fields, a value of the wrong JSON type or a repeated key.
	ErrMalformed = errors.New("malformed row")
	// ErrInvalidUTF8: text that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrUnknownKey: a JSON key that is no field, with ExtraError.
	ErrUnknownKey = errors.New("unknown key")
	// ErrBadOptions: ReadOptions or WriteOptions that make no sense.
	ErrBadOptions = errors.New("bad options")
	// ErrNotWritable: a log holds what the format cannot (see WriteCSV).
	ErrNotWritable = errors.New("cannot be written")
)

// DefaultMaxRowBytes is the longest row (CSV) or line (JSON Lines) a reader
// accepts when ReadOptions.MaxRowBytes is 0.
const DefaultMaxRowBytes = 1 << 20

// Columns names the CSV columns, or the JSON Lines keys, that hold the
// fields of an event. An empty name means the default, which is the
// field's name in lower case: customer, time, step, channel, touchpoint,
// value and props. CSV header names match case-insensitively; JSON keys
// match exactly.
type Columns struct {
	Customer   string
	Time       string
	Step       string
	Channel    string
	Touchpoint string
	Value      string
	Props      string // JSON Lines only: the key of the object of properties
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

// Extra says what a reader does with the CSV columns or JSON keys that
// are not event fields.
type Extra uint8

const (
	ExtraProps  Extra = iota // keep them as properties (the zero value)
	ExtraIgnore              // drop them
	ExtraError               // reject them: a bad header (CSV) or a bad line (JSON Lines)
)

const numExtra = 3

var extraNames = [numExtra]string{"props", "ignore", "error"}

// ErrUnknownExtra is wrapped by the errors of ParseExtra.
var ErrUnknownExtra = errors.New("unknown treatment of extra fields")

// String returns "props", "ignore" or "error".
func (x Extra) String() string {
	if x < numExtra {
		return extraNames[x]
	}
	return "Extra(" + strconv.Itoa(int(x)) + ")"
}

// ParseExtra returns the Extra named s, as String names it, ignoring case.
func ParseExtra(s string) (Extra, error) {
	for x, name := range extraNames {
		if strings.EqualFold(s, name) {
			return Extra(x), nil
		}
	}
	return 0, fmt.Errorf("journey: %w %q (want props, ignore or error)", ErrUnknownExtra, s)
}

// MarshalText implements encoding.TextMarshaler.
func (x Extra) MarshalText() ([]byte, error) {
	if x >= numExtra {
		return nil, fmt.Errorf("journey: cannot marshal %v", x)
	}
	return []byte(x.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what
// ParseExtra accepts.
func (x *Extra) UnmarshalText(text []byte) error {
	v, err := ParseExtra(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// ReadOptions say how ReadCSV and ReadJSONL read events. The zero value
// reads the default columns, times in RFC 3339 or Unix seconds, extra
// fields as properties, rows of up to 1 MiB, and stops at the first bad
// row.
type ReadOptions struct {
	// Columns renames the columns (CSV) or keys (JSON Lines) of the event
	// fields; "user_id" for Customer reads the customer from the user_id
	// column. A column named as a field's default but renamed away (a
	// "customer" column when Customer is "user_id") is an extra column.
	Columns Columns

	// Time is the format of times; the zero value is TimeAuto.
	Time TimeFormat
	// Layout is the Go time layout used when Time is TimeLayout.
	Layout string
	// Location is the time zone of times parsed with a Layout that has no
	// zone; nil means UTC.
	Location *time.Location

	// Comma separates CSV fields; 0 means ','. It must be an ASCII
	// character other than '"', '\r' and '\n'. JSON Lines ignores it.
	Comma rune

	// Extra says what becomes of columns or keys that are not event
	// fields; the zero value, ExtraProps, keeps them as properties.
	Extra Extra

	// ParseChannels, if true, reads channels with touchpoint.ParseChannel,
	// so that "Website" or "courriel" become the well-known channels web
	// and email; a channel it rejects makes the row bad. If false, channels
	// are kept exactly as written.
	ParseChannels bool

	// MaxRowBytes bounds the bytes of one CSV row (all its lines, when
	// quoted fields hold newlines) or one JSON line; 0 means
	// DefaultMaxRowBytes. A longer row is a bad row wrapping ErrRowTooLong;
	// if reading goes on, it resumes on the next line. Memory held per row
	// is bounded by it.
	MaxRowBytes int

	// BadRow, if not nil, is called with each bad row instead of stopping
	// at the first. If it returns nil, the row is skipped and reading goes
	// on; if it returns an error, reading stops and the reader returns that
	// error. Errors that are not about one row (a bad header, bad options,
	// a failing io.Reader, ErrTooLarge) always stop reading without a call.
	BadRow func(*RowError) error
}

// RowError is a problem with one row (CSV) or line (JSON Lines) of input.
// Its message reads like
//
//	journey: csv: line 12, column 3 (time): cannot parse "yesterday" as a time (want RFC 3339 or Unix seconds)
//
// and it unwraps to an error that wraps a sentinel such as ErrBadTime,
// ErrMissingStep or ErrMalformed.
type RowError struct {
	Line   int    // from 1: where the row starts, or where a syntax error is in a CSV row over several lines
	Column int    // CSV: the field, from 1; JSON Lines: the byte in the line, from 1; 0 when not about one place
	Field  string // the column or key at fault, as written in the input; "" when not about one field
	Err    error  // what is wrong
	format string // "csv" or "jsonl"
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("journey: ")
	if e.format != "" {
		b.WriteString(e.format)
		b.WriteString(": ")
	}
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	if e.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	if e.Field != "" {
		b.WriteString(" (")
		b.WriteString(e.Field)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *RowError) Unwrap() error { return e.Err }

// reader holds what both readers share: resolved options, the builder and
// the handling of bad rows.
type reader struct {
	format   string
	names    [numFields]string
	times    timeParser
	comma    byte
	extra    Extra
	max      int
	badRow   func(*RowError) error
	channels map[string][]byte // raw channel → parsed, with ParseChannels
	b        LogBuilder
	row      rawRow
}

func newReader(format string, opt ReadOptions) (*reader, error) {
	rd := &reader{
		format: format,
		names:  opt.Columns.names(),
		times:  timeParser{format: opt.Time, layout: opt.Layout, loc: opt.Location},
		comma:  ',',
		extra:  opt.Extra,
		max:    opt.MaxRowBytes,
		badRow: opt.BadRow,
	}
	bad := func(format string, args ...any) (*reader, error) {
		return nil, fmt.Errorf("journey: %s: %w: "+format, append([]any{rd.format, ErrBadOptions}, args...)...)
	}
	if rd.times.loc == nil {
		rd.times.loc = time.UTC
	}
	if opt.Time >= numTimeFormats {
		return bad("unknown time format %v", opt.Time)
	}
	if opt.Time == TimeLayout && opt.Layout == "" {
		return bad("time format layout needs a Layout")
	}
	if opt.Extra >= numExtra {
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
	return rd, nil
}

// rowError reports a bad row; it returns nil if reading goes on.
func (rd *reader) rowError(line, col int, field string, err error) error {
	re := &RowError{Line: line, Column: col, Field: field, Err: err, format: rd.format}
	if rd.badRow == nil {
		return re
	}
	return rd.badRow(re)
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

// lineReader reads physical lines, each bounded in size.
type lineReader struct {
	r     *bufio.Reader
	max   int
	line  int    // the number of the last line returned
	long  []byte // a line longer than the bufio buffer
	start bool   // the first line has been read
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
	line, err := lr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A line longer than the buffer: gather it in lr.long, but never
		// more than max bytes of it.
		lr.long = append(lr.long[:0], line...)
		tooLong := false
		for err == bufio.ErrBufferFull {
			line, err = lr.r.ReadSlice('\n')
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
	if !lr.start {
		lr.start = true
		line = bytes.TrimPrefix(line, bom)
	}
	if len(line) > lr.max {
		return nil, errLineTooLong
	}
	return line, nil
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
