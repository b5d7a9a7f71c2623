package parcoursbeam

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths; import gcs or s3 for theirs
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parcours-go/parcours/journey/eventio"
)

// CSVOptions say how ParseCSV and ReadCSV read rows: the header of the
// files and eventio.ReadOptions' fields that can travel to workers (the
// time zone by name). The zero value reads the header from the first file
// (ReadCSV; ParseCSV needs Header) and the default columns.
type CSVOptions struct {
	// Header is the header row that every file of the input starts with,
	// such as "customer,time,step,channel". Lines equal to it (the header
	// of each file) are skipped. ReadCSV reads it from the first file that
	// its glob matches when it is empty.
	Header string
	// Columns, Time, Layout, Comma, Extra, ParseChannels and MaxRowBytes
	// mean what they mean in eventio.ReadOptions.
	Columns       eventio.Columns
	Time          eventio.TimeFormat
	Layout        string
	Comma         rune
	Extra         eventio.Extra
	ParseChannels bool
	MaxRowBytes   int
	// Location names the time zone of times written without one, for
	// time.LoadLocation ("Europe/Paris"); "" means UTC.
	Location string
}

func (o CSVOptions) read() (eventio.ReadOptions, error) {
	r := eventio.ReadOptions{
		Columns: o.Columns, Time: o.Time, Layout: o.Layout, Comma: o.Comma, Extra: o.Extra,
		ParseChannels: o.ParseChannels, MaxRowBytes: o.MaxRowBytes,
	}
	if o.Location != "" {
		loc, err := time.LoadLocation(o.Location)
		if err != nil {
			return r, fmt.Errorf("parcoursbeam: csv: %w", err)
		}
		r.Location = loc
	}
	return r, nil
}

// BadRow is a row that could not be read, with why: what ParseCSV sends
// to its dead-letter output.
type BadRow struct {
	Row   string
	Error string
}

// parseCSVFn parses lines into events, bad rows to its second output.
type parseCSVFn struct {
	Opt CSVOptions

	p      *eventio.CSVRowParser
	header string
	buf    []byte
}

func (f *parseCSVFn) Setup() error {
	opt, err := f.Opt.read()
	if err != nil {
		return err
	}
	f.header = strings.TrimSuffix(f.Opt.Header, "\r")
	f.p, err = eventio.NewCSVRowParser([]byte(f.header), opt)
	return err
}

func (f *parseCSVFn) ProcessElement(line string, emit func(Event), bad func(BadRow)) {
	row := strings.TrimSuffix(line, "\r")
	if row == f.header || strings.TrimPrefix(row, "\ufeff") == f.header {
		return
	}
	f.buf = append(f.buf[:0], row...)
	e, ok, err := f.p.Parse(f.buf)
	switch {
	case err != nil:
		bad(BadRow{Row: line, Error: err.Error()})
	case ok:
		emit(FromJourney(e))
	}
}

// ParseCSV parses lines of CSV (a PCollection of strings, one row each,
// as textio.Read gives them) into a PCollection of Event, with the
// library's own CSV parser (eventio.CSVRowParser): the same events as
// eventio.ReadCSV reads from a file with opt.Header. Lines equal to the
// header and blank lines are skipped. Rows cannot hold line breaks inside
// quoted fields, since each line is parsed alone.
//
// Bad rows are not dropped: each goes, with its error, to the second
// PCollection returned (of BadRow), the dead-letter output; write it out,
// count it, or pass it to FailOnBadRows to stop the pipeline at the first
// bad row. A bad header, or bad options, fails the pipeline when the
// workers start. It takes time linear in the input.
func ParseCSV(s beam.Scope, lines beam.PCollection, opt CSVOptions) (events, bad beam.PCollection) {
	s = s.Scope("parcoursbeam.ParseCSV")
	return beam.ParDo2(s, &parseCSVFn{Opt: opt}, lines)
}

// ReadCSV reads the CSV files that glob matches (local paths, or any
// file system Beam has registered: gs://, s3:// …) with textio.Read and
// parses them with ParseCSV. With an empty opt.Header it reads the header
// from the first matching file while the pipeline is built, which fails if
// no file matches; every file must start with the same header. It returns
// the events and the dead-letter PCollection of bad rows, as ParseCSV does.
func ReadCSV(s beam.Scope, glob string, opt CSVOptions) (events, bad beam.PCollection, err error) {
	if opt.Header == "" {
		if opt.Header, err = FirstLine(context.Background(), glob); err != nil {
			return events, bad, err
		}
	}
	s = s.Scope("parcoursbeam.ReadCSV")
	lines := textio.Read(s, glob)
	events, bad = ParseCSV(s, lines, opt)
	return events, bad, nil
}

// FirstLine returns the first line, without its line break, of the first
// file (in name order) that glob matches, through Beam's file systems. It
// fails if no file matches.
func FirstLine(ctx context.Context, glob string) (string, error) {
	fs, err := filesystem.New(ctx, glob)
	if err != nil {
		return "", fmt.Errorf("parcoursbeam: %w", err)
	}
	defer fs.Close()
	files, err := fs.List(ctx, glob)
	if err != nil {
		return "", fmt.Errorf("parcoursbeam: %s: %w", glob, err)
	}
	if len(files) == 0 {
		return "", fmt.Errorf("parcoursbeam: no file matches %s", glob)
	}
	first := files[0]
	for _, f := range files[1:] {
		first = min(first, f)
	}
	r, err := fs.OpenRead(ctx, first)
	if err != nil {
		return "", fmt.Errorf("parcoursbeam: %w", err)
	}
	defer r.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("parcoursbeam: %s: no header line: %v", first, err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	return strings.TrimPrefix(line, "\ufeff"), nil
}

// failFn fails on the first bad row.
type failFn struct{}

func (failFn) ProcessElement(b BadRow) error {
	return fmt.Errorf("parcoursbeam: bad row %q: %s", b.Row, b.Error)
}

// FailOnBadRows makes the pipeline fail at the first bad row of bad (the
// dead-letter output of ParseCSV or ReadCSV), its error naming the row
// and why it is bad.
func FailOnBadRows(s beam.Scope, bad beam.PCollection) {
	beam.ParDo0(s.Scope("parcoursbeam.FailOnBadRows"), &failFn{}, bad)
}

func init() {
	register.DoFn3x0[string, func(Event), func(BadRow)](&parseCSVFn{})
	register.Emitter1[Event]()
	register.Emitter1[BadRow]()
	register.DoFn1x1[BadRow, error](&failFn{})
	beam.RegisterType(reflectTypeOf[BadRow]())
}
