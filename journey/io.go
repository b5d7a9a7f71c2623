package journey

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parcours-go/parcours/internal/eventfmt"
)

// The readers and writers of events live in package journey/eventio; what
// follows keeps their old names here, each forwarding to the same engine.

// Sentinel errors of the readers and writers, the same values as those of
// package eventio.
//
// Deprecated: use eventio.ErrBadHeader and the other errors of eventio.
var (
	ErrBadHeader         = eventfmt.ErrBadHeader
	ErrRowTooLong        = eventfmt.ErrRowTooLong
	ErrMalformed         = eventfmt.ErrMalformed
	ErrInvalidUTF8       = eventfmt.ErrInvalidUTF8
	ErrUnknownKey        = eventfmt.ErrUnknownKey
	ErrBadOptions        = eventfmt.ErrBadOptions
	ErrNotWritable       = eventfmt.ErrNotWritable
	ErrUnknownExtra      = eventfmt.ErrUnknownExtra
	ErrUnknownTimeFormat = eventfmt.ErrUnknownTimeFormat
)

// DefaultMaxRowBytes is the longest row or line a reader accepts when
// ReadOptions.MaxRowBytes is 0.
//
// Deprecated: use eventio.DefaultMaxRowBytes.
const DefaultMaxRowBytes = eventfmt.DefaultMaxRowBytes

// Columns names the CSV columns, or the JSON Lines keys, that hold the
// fields of an event, as eventio.Columns does.
//
// Deprecated: use eventio.Columns.
type Columns struct {
	Customer   string
	Time       string
	Step       string
	Channel    string
	Touchpoint string
	Value      string
	Props      string
}

// Extra says what a reader does with the fields that are not event
// fields, as eventio.Extra does.
//
// Deprecated: use eventio.Extra.
type Extra uint8

// The treatments of extra fields.
//
// Deprecated: use eventio.ExtraProps, eventio.ExtraIgnore and eventio.ExtraError.
const (
	ExtraProps  = Extra(eventfmt.ExtraProps)
	ExtraIgnore = Extra(eventfmt.ExtraIgnore)
	ExtraError  = Extra(eventfmt.ExtraError)
)

// String returns "props", "ignore" or "error".
func (x Extra) String() string { return eventfmt.Extra(x).String() }

// ParseExtra returns the Extra named s, ignoring case.
//
// Deprecated: use eventio.ParseExtra.
func ParseExtra(s string) (Extra, error) {
	x, err := eventfmt.ParseExtra("journey", s)
	return Extra(x), err
}

// MarshalText implements encoding.TextMarshaler.
func (x Extra) MarshalText() ([]byte, error) { return eventfmt.Extra(x).MarshalText("journey") }

// UnmarshalText implements encoding.TextUnmarshaler.
func (x *Extra) UnmarshalText(text []byte) error {
	v, err := ParseExtra(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// TimeFormat says how a reader parses the time of an event, as
// eventio.TimeFormat does.
//
// Deprecated: use eventio.TimeFormat.
type TimeFormat uint8

// The time formats, as those of eventio.
//
// Deprecated: use eventio.TimeAuto and the other formats of eventio.
const (
	TimeAuto      = TimeFormat(eventfmt.TimeAuto)
	TimeRFC3339   = TimeFormat(eventfmt.TimeRFC3339)
	TimeUnix      = TimeFormat(eventfmt.TimeUnix)
	TimeUnixMilli = TimeFormat(eventfmt.TimeUnixMilli)
	TimeUnixMicro = TimeFormat(eventfmt.TimeUnixMicro)
	TimeUnixNano  = TimeFormat(eventfmt.TimeUnixNano)
	TimeLayout    = TimeFormat(eventfmt.TimeLayout)
)

// String returns the name of f.
func (f TimeFormat) String() string { return eventfmt.TimeFormat(f).String() }

// ParseTimeFormat returns the time format named s, ignoring case.
//
// Deprecated: use eventio.ParseTimeFormat.
func ParseTimeFormat(s string) (TimeFormat, error) {
	f, err := eventfmt.ParseTimeFormat("journey", s)
	return TimeFormat(f), err
}

// MarshalText implements encoding.TextMarshaler.
func (f TimeFormat) MarshalText() ([]byte, error) {
	return eventfmt.TimeFormat(f).MarshalText("journey")
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *TimeFormat) UnmarshalText(text []byte) error {
	v, err := ParseTimeFormat(string(text))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// ReadOptions say how ReadCSV and ReadJSONL read events, as
// eventio.ReadOptions does; BadRow, if not nil, is called with each bad
// row instead of stopping at the first, and reading goes on if it
// returns nil.
//
// Deprecated: use eventio.ReadOptions.
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
}

// RowError is a problem with one row (CSV) or line (JSON Lines) of input.
// Its message reads like
//
//	journey: csv: line 12, column 3 (time): cannot parse "yesterday" as a time (…)
//
// Deprecated: use eventio.RowError.
type RowError struct {
	Line   int    // from 1
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

func rowError(e *eventfmt.RowError) *RowError {
	return &RowError{Line: e.Line, Column: e.Column, Field: e.Field, Err: e.Err, format: e.Format}
}

// engine converts opt for the reading engine.
func (opt ReadOptions) engine() eventfmt.ReadOptions {
	o := eventfmt.ReadOptions{
		Columns:       eventfmt.Columns(opt.Columns),
		Time:          eventfmt.TimeFormat(opt.Time),
		Layout:        opt.Layout,
		Location:      opt.Location,
		Comma:         opt.Comma,
		Extra:         eventfmt.Extra(opt.Extra),
		ParseChannels: opt.ParseChannels,
		MaxRowBytes:   opt.MaxRowBytes,
		Prefix:        "journey",
	}
	if f := opt.BadRow; f != nil {
		o.BadRow = func(e *eventfmt.RowError) error { return f(rowError(e)) }
	}
	return o
}

func readWith(read func(io.Reader, eventfmt.ReadOptions, eventfmt.Sink) (any, error), r io.Reader, opt ReadOptions) (*Log, error) {
	l, err := read(r, opt.engine(), &logSink{})
	if err != nil {
		if re, ok := err.(*eventfmt.RowError); ok {
			return nil, rowError(re)
		}
		return nil, err
	}
	return l.(*Log), nil
}

// ReadCSV reads a log from CSV, as eventio.ReadCSV does.
//
// Deprecated: use eventio.ReadCSV.
func ReadCSV(r io.Reader, opt ReadOptions) (*Log, error) {
	return readWith(eventfmt.ReadCSV, r, opt)
}

// ReadJSONL reads a log from JSON Lines, as eventio.ReadJSONL does.
//
// Deprecated: use eventio.ReadJSONL.
func ReadJSONL(r io.Reader, opt ReadOptions) (*Log, error) {
	return readWith(eventfmt.ReadJSONL, r, opt)
}

// WriteOptions say how WriteCSV and WriteCSVSeq write, as
// eventio.WriteOptions does.
//
// Deprecated: use eventio.WriteOptions.
type WriteOptions struct {
	Columns Columns
	Comma   rune
	Props   []string
}

func (opt WriteOptions) engine() eventfmt.WriteOptions {
	return eventfmt.WriteOptions{Columns: eventfmt.Columns(opt.Columns), Comma: opt.Comma, Props: opt.Props, Prefix: "journey"}
}

// WriteCSV writes l as CSV, as eventio.WriteCSV does.
//
// Deprecated: use eventio.WriteCSV.
func WriteCSV(w io.Writer, l *Log, opt WriteOptions) error {
	return eventfmt.WriteCSV(w, l.columns(), opt.engine())
}

// WriteJSONL writes l as JSON Lines, as eventio.WriteJSONL does.
//
// Deprecated: use eventio.WriteJSONL.
func WriteJSONL(w io.Writer, l *Log) error {
	return eventfmt.WriteJSONL(w, l.columns(), "journey")
}

// WriteCSVSeq writes events as WriteCSV writes a log, in the order given,
// without building a log. The property columns are those of opt.Props
// (none if nil). It stops with an error naming the event's index if an
// event is invalid (as NewLog checks it) or cannot be written.
//
// Deprecated: build a Log and write it with eventio.WriteCSV.
func WriteCSVSeq(w io.Writer, events iter.Seq[Event], opt WriteOptions) error {
	cw, err := eventfmt.NewCSVWriter(w, opt.engine(), nil)
	if err != nil {
		return err
	}
	props := make([]string, len(cw.Keys()))
	i := 0
	for e := range events {
		if err := checkEvent(&e); err != nil {
			return cw.Err(fmt.Errorf("events[%d]: %w", i, err))
		}
		clear(props)
		for k, v := range e.Props {
			j, ok := cw.Key(k)
			switch {
			case !ok:
				return cw.Err(fmt.Errorf("events[%d]: %w: property %q has no column (list it in WriteOptions.Props)", i, ErrNotWritable, k))
			case v == "":
				return cw.Err(fmt.Errorf("events[%d]: %w: property %q is empty, which CSV cannot tell from absent", i, ErrNotWritable, k))
			case !utf8.ValidString(v):
				return cw.Err(fmt.Errorf("events[%d]: %w", i, eventfmt.CheckString("property "+strconv.Quote(k), v)))
			}
			props[j] = v
		}
		cw.Row(e.Customer, e.Time.UnixNano(), e.Step, string(e.Channel), e.Touchpoint, e.Value, props)
		if err := cw.WriteErr(); err != nil {
			return err
		}
		i++
	}
	return cw.Flush()
}

// WriteJSONLSeq writes events as WriteJSONL writes a log, in the order
// given, without building a log. It stops with an error naming the
// event's index if an event is invalid (as NewLog checks it) or holds a
// string that is not valid UTF-8.
//
// Deprecated: build a Log and write it with eventio.WriteJSONL.
func WriteJSONLSeq(w io.Writer, events iter.Seq[Event]) error {
	jw := eventfmt.NewJSONLWriter(w, "journey")
	var keys []string
	i := 0
	for e := range events {
		if err := checkEvent(&e); err != nil {
			return jw.Err(fmt.Errorf("events[%d]: %w", i, err))
		}
		jw.Begin(e.Customer, e.Time.UnixNano(), e.Step, string(e.Channel), e.Touchpoint, e.Value)
		keys = keys[:0]
		for k, v := range e.Props {
			if err := eventfmt.CheckString("property key", k); err != nil {
				return jw.Err(fmt.Errorf("events[%d]: %w", i, err))
			}
			if err := eventfmt.CheckString("property "+strconv.Quote(k), v); err != nil {
				return jw.Err(fmt.Errorf("events[%d]: %w", i, err))
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for j, k := range keys {
			jw.Prop(j == 0, k, e.Props[k])
		}
		jw.End(len(keys) > 0)
		if err := jw.WriteErr(); err != nil {
			return err
		}
		i++
	}
	return jw.Flush()
}

// checkEvent checks e as NewLog does, and its strings for writing.
func checkEvent(e *Event) error {
	if err := e.check(); err != nil {
		return err
	}
	return errors.Join(eventfmt.CheckString("customer", e.Customer), eventfmt.CheckString("step", e.Step),
		eventfmt.CheckString("channel", string(e.Channel)), eventfmt.CheckString("touchpoint", e.Touchpoint))
}
