package eventio

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/touchpoint"
)

// Sentinel errors of the readers and writers, matched with errors.Is,
// besides those of journey.Event (journey.ErrMissingCustomer,
// journey.ErrMissingTime, journey.ErrMissingStep, journey.ErrBadTime,
// journey.ErrBadValue), which a bad row wraps too.
var (
	// ErrBadHeader: a CSV header lacks a required column, repeats one,
	// is malformed, or names an extra column that ExtraError rejects.
	ErrBadHeader = eventfmt.ErrBadHeader
	// ErrRowTooLong: a row or line is longer than ReadOptions.MaxRowBytes.
	ErrRowTooLong = eventfmt.ErrRowTooLong
	// ErrMalformed: a row breaks the syntax of CSV or JSON, has the wrong
	// number of fields, a value of the wrong JSON type or a repeated key.
	ErrMalformed = eventfmt.ErrMalformed
	// ErrInvalidUTF8: text that is not valid UTF-8.
	ErrInvalidUTF8 = eventfmt.ErrInvalidUTF8
	// ErrUnknownKey: a JSON key that is no field, with ExtraError.
	ErrUnknownKey = eventfmt.ErrUnknownKey
	// ErrBadOptions: ReadOptions or WriteOptions that make no sense, or a
	// file whose format its name does not tell.
	ErrBadOptions = eventfmt.ErrBadOptions
	// ErrNotWritable: a log holds what the format cannot (see WriteCSV).
	ErrNotWritable = eventfmt.ErrNotWritable
	// ErrUnknownExtra is wrapped by the errors of ParseExtra.
	ErrUnknownExtra = eventfmt.ErrUnknownExtra
	// ErrUnknownTimeFormat is wrapped by the errors of ParseTimeFormat.
	ErrUnknownTimeFormat = eventfmt.ErrUnknownTimeFormat
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

// Extra says what a reader does with the CSV columns or JSON keys that
// are not event fields.
type Extra uint8

const (
	ExtraProps  Extra = iota // keep them as properties (the zero value)
	ExtraIgnore              // drop them
	ExtraError               // reject them: a bad header (CSV) or a bad line (JSON Lines)
)

// String returns "props", "ignore" or "error".
func (x Extra) String() string { return eventfmt.Extra(x).String() }

// ParseExtra returns the Extra named s, as String names it, ignoring case;
// its error wraps ErrUnknownExtra.
func ParseExtra(s string) (Extra, error) {
	x, err := eventfmt.ParseExtra("eventio", s)
	return Extra(x), err
}

// MarshalText implements encoding.TextMarshaler.
func (x Extra) MarshalText() ([]byte, error) { return eventfmt.Extra(x).MarshalText("eventio") }

// UnmarshalText implements encoding.TextUnmarshaler, accepting what
// ParseExtra accepts.
func (x *Extra) UnmarshalText(text []byte) error {
	v, err := ParseExtra(string(text))
	if err == nil {
		*x = v
	}
	return err
}

// TimeFormat says how a reader parses the time of an event. Whatever the
// format, a time must lie between the years 1678 and 2262 (a log holds
// times as int64 nanoseconds); outside that range the row is bad and its
// error wraps journey.ErrBadTime.
type TimeFormat uint8

const (
	// TimeAuto, the zero value, accepts what exports write:
	//
	//   - a date and time, YYYY-MM-DD HH:MM[:SS[.fraction]] with a space
	//     or a T between them and 1 to 9 fractional digits, followed by
	//     nothing, Z, an offset (±HH, ±HHMM or ±HH:MM, after an optional
	//     space) or " UTC"; without a zone the time is in
	//     ReadOptions.Location (UTC when nil). RFC 3339 is one such form.
	//   - a date alone, YYYY-MM-DD: midnight in ReadOptions.Location.
	//   - a decimal number (optional sign and fraction, no exponent), Unix
	//     time in a unit told by its magnitude: an integer part below
	//     10^11 in absolute value is seconds (10^11 s is the year 5138),
	//     below 10^14 milliseconds, below 10^17 microseconds, else
	//     nanoseconds. Milliseconds and finer units are thus recognised
	//     for times after 1973-03-03; for older ones, say the unit with
	//     TimeUnixMilli and its kin.
	//
	// Anything else goes to time.Parse with time.RFC3339Nano before it is
	// a bad row.
	TimeAuto TimeFormat = iota
	// TimeRFC3339 accepts RFC 3339 text such as 2025-03-01T09:30:00Z or
	// 2025-03-01T10:30:00.123+01:00, as time.Parse with time.RFC3339Nano
	// does.
	TimeRFC3339
	// TimeUnix accepts Unix seconds: an optional sign, digits and an
	// optional decimal fraction (1740821400, 1740821400.25, -1.5). Digits
	// beyond the nanosecond are ignored; exponents are not accepted.
	TimeUnix
	// TimeUnixMilli accepts Unix milliseconds, written as for TimeUnix.
	TimeUnixMilli
	// TimeUnixMicro accepts Unix microseconds, written as for TimeUnix.
	TimeUnixMicro
	// TimeUnixNano accepts Unix nanoseconds, written as for TimeUnix.
	TimeUnixNano
	// TimeLayout parses with ReadOptions.Layout, a Go time layout (see
	// time.Layout), in ReadOptions.Location when the layout has no zone.
	TimeLayout
)

// String returns the name of f: auto, rfc3339, unix, unixmilli, unixmicro,
// unixnano or layout.
func (f TimeFormat) String() string { return eventfmt.TimeFormat(f).String() }

// ParseTimeFormat returns the time format named s, as String names it,
// ignoring case; it also accepts "" for auto and "unixms", "unixus" and
// "unixns". Its error wraps ErrUnknownTimeFormat.
func ParseTimeFormat(s string) (TimeFormat, error) {
	f, err := eventfmt.ParseTimeFormat("eventio", s)
	return TimeFormat(f), err
}

// MarshalText implements encoding.TextMarshaler.
func (f TimeFormat) MarshalText() ([]byte, error) {
	return eventfmt.TimeFormat(f).MarshalText("eventio")
}

// UnmarshalText implements encoding.TextUnmarshaler, accepting what
// ParseTimeFormat accepts.
func (f *TimeFormat) UnmarshalText(text []byte) error {
	v, err := ParseTimeFormat(string(text))
	if err == nil {
		*f = v
	}
	return err
}

// ReadOptions say how the readers read events. The zero value reads the
// default columns, times as TimeAuto says, extra fields as properties,
// rows of up to 1 MiB, and stops at the first bad row.
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
	// Location is the time zone of times written without one; nil means
	// UTC.
	Location *time.Location

	// Comma separates CSV fields; 0 means ',' (a tab for ReadFile on a
	// .tsv file). It must be an ASCII character other than '"', '\r' and
	// '\n'. JSON Lines ignores it.
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
	// if reading goes on, it resumes on the next line.
	MaxRowBytes int

	// SkipBadRows, if true, skips bad rows instead of stopping at the
	// first, and accounts for each in Report, which must then be set.
	// Errors that are not about one row (a bad header, bad options, a
	// failing io.Reader, journey.ErrTooLarge) always stop reading.
	SkipBadRows bool
	// Report, if not nil, is filled by the read: events read, and the rows
	// skipped by reason with the first few as examples.
	Report *Report

	// Progress, if not nil, is called about every megabyte of input and
	// once at the end, on the goroutine that called the reader; nothing is
	// reported by default.
	Progress func(Progress)
}

// Progress is how far a read has gone, for a progress bar.
type Progress struct {
	Bytes  int64 // bytes of input read so far (of the file as stored, with ReadFile)
	Total  int64 // bytes of input in all: the file's size with ReadFile, else -1 (unknown)
	Events int   // events read so far
}

// ParseTime returns the time text holds, parsed as the readers parse a
// time cell with opt: its Time, Layout and Location say how, and its
// other fields are ignored. Readers of other formats (Parquet columns
// of text) call it to read times as CSV does. The formats that TimeAuto
// reads take no time.Parse and allocate nothing.
//
// Its error wraps journey.ErrBadTime when text is not a time the log can
// hold, or ErrBadOptions when opt names an unknown format, or TimeLayout
// without a Layout.
func ParseTime(text []byte, opt ReadOptions) (time.Time, error) {
	ns, err := eventfmt.ParseTime(text, eventfmt.TimeFormat(opt.Time), opt.Layout, opt.Location)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, ns).UTC(), nil
}

// UnixTime returns the time of the Unix time n, in the unit opt.Time
// names (TimeUnix, TimeUnixMilli, TimeUnixMicro or TimeUnixNano) or,
// with TimeAuto, in the unit its magnitude tells, as for a number in a
// CSV cell (see TimeAuto). Readers of formats that store integers
// (Parquet) call it to read them as CSV reads their text. It takes
// constant time and allocates nothing.
//
// Its error wraps journey.ErrBadTime when the time is out of the log's
// range, or ErrBadOptions when opt.Time is a format of text (RFC 3339,
// layout).
func UnixTime(n int64, opt ReadOptions) (time.Time, error) {
	ns, err := eventfmt.UnixNanos(n, eventfmt.TimeFormat(opt.Time))
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, ns).UTC(), nil
}

// MaxExamples is the number of skipped rows a Report keeps as examples.
const MaxExamples = 5

// Report accounts for a read: how many events it read, and, with
// ReadOptions.SkipBadRows, every row it skipped.
type Report struct {
	Events  int // events read into the log
	Skipped int // bad rows skipped
	// Reasons counts the skipped rows by reason: the sentinel error their
	// error wraps (journey.ErrBadTime, ErrMalformed,
	// touchpoint.ErrBadChannel …), or their error itself when it wraps
	// none.
	Reasons map[error]int
	// Examples are the first MaxExamples rows skipped.
	Examples []*RowError
}

// Skip accounts for a skipped row: it counts e under its reason (the
// sentinel its error wraps) and keeps it as an example if the report has
// fewer than MaxExamples. Readers of other formats that skip bad rows
// (contrib/parquet) fill their Report with it.
func (r *Report) Skip(e *RowError) {
	if r.Reasons == nil {
		r.Reasons = map[error]int{}
	}
	r.Skipped++
	r.Reasons[reason(e.Err)]++
	if len(r.Examples) < MaxExamples {
		r.Examples = append(r.Examples, e)
	}
}

// String summarises the report in one line per reason and example.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d events read, %d bad rows skipped", r.Events, r.Skipped)
	type rc struct {
		reason string
		n      int
	}
	var rs []rc
	for err, n := range r.Reasons {
		rs = append(rs, rc{reasonName(err), n})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].n > rs[j].n || rs[i].n == rs[j].n && rs[i].reason < rs[j].reason })
	for _, x := range rs {
		fmt.Fprintf(&b, "\n  %d: %s", x.n, x.reason)
	}
	for _, e := range r.Examples {
		b.WriteString("\n  e.g. ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// reasons are the sentinels a skipped row is counted under, in order,
// with their names in a report.
var reasons = []struct {
	err  *error
	name string
}{
	{&ErrRowTooLong, "row too long"}, {&ErrInvalidUTF8, "invalid UTF-8"}, {&ErrUnknownKey, "unknown key"},
	{&ErrMalformed, "malformed row"}, {&eventfmt.ErrMissingCustomer, "missing customer"},
	{&eventfmt.ErrMissingTime, "missing time"}, {&eventfmt.ErrMissingStep, "missing step"},
	{&eventfmt.ErrBadTime, "bad time"}, {&eventfmt.ErrBadValue, "bad value"},
	{&touchpoint.ErrBadChannel, "bad channel"},
}

// reasonName names a reason of Report.Reasons.
func reasonName(err error) string {
	for _, r := range reasons {
		if err == *r.err {
			return r.name
		}
	}
	return err.Error()
}

// RowError is a problem with one row (CSV) or line (JSON Lines) of input.
// Its message reads like
//
//	events.csv:1042: column "ts": cannot parse "2024-13-01" as a time (…)
//
// when read with ReadFile (with "eventio: csv: line 1042" when read from an
// io.Reader), and it unwraps to an error that wraps a sentinel such as
// journey.ErrBadTime, journey.ErrMissingStep or ErrMalformed.
type RowError struct {
	File   string // the file's path, with ReadFile
	Line   int    // from 1: where the row starts, or where a syntax error is in a CSV row over several lines; 0 from CSVRowParser
	Offset int64  // the byte of the (decompressed) input where the row starts, from 0
	Column int    // CSV: the field, from 1; JSON Lines: the byte in the line, from 1; 0 when not about one place
	Field  string // the column or key at fault, as written in the input; "" when not about one field
	Value  string // the value at fault, cut to 200 bytes; "" when not about one value
	Err    error  // what is wrong
	// Format is the input's format: "csv", "jsonl", or another reader's
	// ("parquet", whose Line is the row, from 1). It words the message.
	Format string
}

func (e *RowError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	} else {
		b.WriteString("eventio: ")
		if e.Format != "" {
			b.WriteString(e.Format)
			b.WriteString(": ")
		}
		if e.Line > 0 {
			if e.Format == "parquet" {
				b.WriteString("row ")
			} else {
				b.WriteString("line ")
			}
		}
	}
	switch {
	case e.Line > 0:
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	case e.File != "":
		b.WriteString(" ")
	}
	word := "column"
	if e.Format == "jsonl" {
		word = "key"
	}
	switch {
	case e.Field != "":
		fmt.Fprintf(&b, "%s %q: ", word, e.Field)
	case e.Column > 0 && e.Format == "jsonl":
		fmt.Fprintf(&b, "byte %d: ", e.Column)
	case e.Column > 0:
		fmt.Fprintf(&b, "column %d: ", e.Column)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *RowError) Unwrap() error { return e.Err }

func rowError(file string, e *eventfmt.RowError) *RowError {
	return &RowError{File: file, Line: e.Line, Offset: e.Offset, Column: e.Column, Field: e.Field, Value: e.Value, Err: e.Err, Format: e.Format}
}

// WriteOptions say how WriteCSV writes. The zero value writes the default
// column names, separated by commas, and a column for every property key
// of the log.
type WriteOptions struct {
	// Columns renames the columns of the event fields, as for reading.
	Columns Columns
	// Comma separates fields; 0 means ','. It must be an ASCII character
	// other than '"', '\r' and '\n'.
	Comma rune
	// Props lists the property keys to write as columns, in order. If nil,
	// WriteCSV writes every key of the log, sorted. An event with a
	// property not listed is an error wrapping ErrNotWritable: properties
	// are never dropped silently.
	Props []string
}
