package eventio

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/journey"
)

// ReadCSV reads a log from CSV (RFC 4180): a header row naming the
// columns, then one event per row (see the package documentation); opt
// says how, and its zero value reads the default columns.
//
// It streams, holding one row at a time besides the log being built, and
// takes time linear in the input. Empty input, or a header alone, gives an
// empty log. A bad row stops reading with a *RowError naming its line,
// column and value, unless opt.SkipBadRows says to skip it; a bad header
// is a *RowError wrapping ErrBadHeader; an error of r stops reading.
func ReadCSV(r io.Reader, opt ReadOptions) (*journey.Log, error) {
	return read(eventfmt.ReadCSV, r, "", opt, -1, nil)
}

// ReadJSONL reads a log from JSON Lines: one JSON object per line, one
// event per object (see the package documentation); opt says how, and its
// zero value reads the default keys and keeps unknown keys as properties.
//
// It streams, holding one line at a time besides the log being built, and
// takes time linear in the input. Empty input, or blank lines alone, gives
// an empty log. A bad line stops reading with a *RowError naming its line
// and the key or byte at fault, unless opt.SkipBadRows says to skip it.
func ReadJSONL(r io.Reader, opt ReadOptions) (*journey.Log, error) {
	return read(eventfmt.ReadJSONL, r, "", opt, -1, nil)
}

// ReadFile reads the log in the file at path, in the format its name
// tells: .csv (.tsv: tab-separated unless opt.Comma says otherwise),
// .jsonl or .ndjson, each optionally followed by .gz for gzip; a file
// whose first bytes are gzip's is decompressed whatever its name.
// Progress reports the bytes of the file as stored, out of its size.
//
// It reads as ReadCSV and ReadJSONL do, and its errors name the file: a
// *RowError's message starts with path:line. A name with no known
// extension is an error wrapping ErrBadOptions; so is a .zst file (see
// the package documentation on compression).
func ReadFile(path string, opt ReadOptions) (*journey.Log, error) {
	name := strings.ToLower(path)
	gz := strings.HasSuffix(name, ".gz")
	name = strings.TrimSuffix(name, ".gz")
	var parse func(io.Reader, eventfmt.ReadOptions, eventfmt.Sink) (any, error)
	switch filepath.Ext(name) {
	case ".csv":
		parse = eventfmt.ReadCSV
	case ".tsv":
		parse = eventfmt.ReadCSV
		if opt.Comma == 0 {
			opt.Comma = '\t'
		}
	case ".jsonl", ".ndjson":
		parse = eventfmt.ReadJSONL
	case ".zst", ".zstd":
		return nil, fmt.Errorf("eventio: %s: %w: zstd is not supported; decompress with a zstd package's io.Reader and pass it to ReadCSV or ReadJSONL", path, ErrBadOptions)
	default:
		return nil, fmt.Errorf("eventio: %s: %w: cannot tell the format from the name (want .csv, .tsv, .jsonl or .ndjson, optionally .gz)", path, ErrBadOptions)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eventio: %w", err)
	}
	defer f.Close()
	total := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		total = st.Size()
	}
	cf := &counter{r: f}
	br := bufio.NewReaderSize(cf, 64<<10)
	var r io.Reader = br
	if magic, _ := br.Peek(2); gz || len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("eventio: %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	l, err := read(parse, r, path, opt, total, func() int64 { return cf.n - int64(br.Buffered()) })
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return nil, err
		}
		if strings.Contains(err.Error(), path) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// counter counts the bytes read from r.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// engine returns the engine's options for opt's parsing options; the
// callbacks (Progress, the bad-row handling) are the caller's to set.
func (opt ReadOptions) engine() eventfmt.ReadOptions {
	return eventfmt.ReadOptions{
		Columns:       eventfmt.Columns(opt.Columns),
		Time:          eventfmt.TimeFormat(opt.Time),
		Layout:        opt.Layout,
		Location:      opt.Location,
		Comma:         opt.Comma,
		Extra:         eventfmt.Extra(opt.Extra),
		ParseChannels: opt.ParseChannels,
		MaxRowBytes:   opt.MaxRowBytes,
		Prefix:        "eventio",
	}
}

// read runs a parser of the engine with opt.
func read(parse func(io.Reader, eventfmt.ReadOptions, eventfmt.Sink) (any, error), r io.Reader, file string, opt ReadOptions, total int64, count func() int64) (*journey.Log, error) {
	o := opt.engine()
	o.Total, o.Count = total, count
	if opt.Progress != nil {
		p := opt.Progress
		o.Progress = func(e eventfmt.Progress) { p(Progress(e)) }
	}
	rep := opt.Report
	if rep != nil {
		*rep = Report{Reasons: map[error]int{}}
	}
	if opt.SkipBadRows {
		if rep == nil {
			return nil, fmt.Errorf("eventio: %w: SkipBadRows needs a Report to account for the rows it skips", ErrBadOptions)
		}
		o.BadRow = func(e *eventfmt.RowError) error {
			rep.Skip(rowError(file, e))
			return nil
		}
	}
	v, err := parse(r, o, eventfmt.NewSink())
	if err != nil {
		if re, ok := err.(*eventfmt.RowError); ok {
			return nil, rowError(file, re)
		}
		return nil, err
	}
	l := v.(*journey.Log)
	if rep != nil {
		rep.Events = l.Len()
	}
	return l, nil
}

// reason returns the sentinel err wraps, or err.
func reason(err error) error {
	for _, r := range reasons {
		if errors.Is(err, *r.err) {
			return *r.err
		}
	}
	return err
}
