package parquet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	pq "github.com/parquet-go/parquet-go"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/touchpoint"
)

// Options say how Read reads events. The zero value reads the default
// columns (customer, time, step, channel, touchpoint, value, matched
// ignoring case), other flat columns as properties, times as
// eventio.TimeAuto says, and stops at the first bad row.
type Options struct {
	// Columns renames the columns of the event fields, as for CSV
	// (eventio.ReadOptions.Columns); Columns.Props is not used.
	Columns eventio.Columns

	// Time says how columns of text and plain integers (INT32 or INT64
	// without a TIMESTAMP or DATE annotation) are read as times: the
	// zero value, eventio.TimeAuto, reads text as CSV cells are read and
	// integers as Unix times in a unit told by their magnitude; the Unix
	// formats name the unit. Columns annotated TIMESTAMP, DATE or stored
	// as INT96 carry their unit and ignore it.
	Time eventio.TimeFormat
	// Layout is the Go time layout of text times when Time is
	// eventio.TimeLayout.
	Layout string
	// Location is the time zone of times written without one: text
	// without a zone, DATE columns (midnight there) and TIMESTAMP columns
	// not adjusted to UTC (wall-clock time there). nil means UTC.
	Location *time.Location

	// Extra says what becomes of the columns that are not event fields:
	// eventio.ExtraProps (the zero value) keeps them as properties,
	// eventio.ExtraIgnore drops them, eventio.ExtraError rejects the file.
	Extra eventio.Extra

	// ParseChannels, if true, reads channels with touchpoint.ParseChannel,
	// as eventio.ReadOptions.ParseChannels does.
	ParseChannels bool

	// SkipBadRows, if true, skips bad rows instead of stopping at the
	// first, and accounts for each in Report, which must then be set.
	SkipBadRows bool
	// Report, if not nil, is filled by the read: events read, and the rows
	// skipped by reason with the first few as examples.
	Report *eventio.Report

	// Progress, if not nil, is called about every 65,536 rows and once at
	// the end, from the calling goroutine: Bytes are the bytes of the row
	// groups read so far, Total the size of the file.
	Progress func(eventio.Progress)

	// Workers is the number of goroutines decoding column chunks; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// ReadFile reads the log in the Parquet file at path, as Read does; its
// errors name the file (a *eventio.RowError's File is path).
func ReadFile(path string, opt Options) (*journey.Log, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	l, err := read(f, st.Size(), path, opt)
	if err != nil {
		var re *eventio.RowError
		if errors.As(err, &re) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Read reads a log from the Parquet file in r, of size bytes: one event
// per row, the event fields from the columns opt.Columns names (the
// package documentation lists the types each may have), every other flat
// column a property unless opt.Extra says otherwise.
//
// It reads the file's footer, then decodes its column chunks on
// opt.Workers goroutines, a few row groups ahead of the rows being added
// to the log, so that it holds the log being built and about 30 bytes
// per row of the row groups in flight. It takes time linear in the file.
//
// A bad row (a null or empty customer, time or step, a time out of
// range, text that is not UTF-8, a value that is not finite) stops the
// read with a *eventio.RowError naming its row (from 1, across row
// groups), its column and value, unless opt.SkipBadRows says to skip it.
// A file that is not Parquet, or is damaged, is an error wrapping
// ErrNotParquet; a missing required column an error wrapping
// eventio.ErrBadHeader that lists the file's columns; a nested, repeated
// or unsupported column an error wrapping ErrUnsupported naming it.
func Read(r io.ReaderAt, size int64, opt Options) (*journey.Log, error) {
	return read(r, size, "", opt)
}

func read(r io.ReaderAt, size int64, file string, opt Options) (l *journey.Log, err error) {
	rep := opt.Report
	if rep != nil {
		*rep = eventio.Report{Reasons: map[error]int{}}
	}
	if opt.SkipBadRows && rep == nil {
		return nil, fmt.Errorf("parquet: %w: SkipBadRows needs a Report to account for the rows it skips", eventio.ErrBadOptions)
	}
	if opt.Time == eventio.TimeLayout && opt.Layout == "" {
		return nil, fmt.Errorf("parquet: %w: time format layout needs a Layout", eventio.ErrBadOptions)
	}
	if _, err := opt.Time.MarshalText(); err != nil {
		return nil, fmt.Errorf("parquet: %w: unknown time format %d", eventio.ErrBadOptions, opt.Time)
	}
	if _, err := opt.Extra.MarshalText(); err != nil {
		return nil, fmt.Errorf("parquet: %w: unknown Extra %d", eventio.ErrBadOptions, opt.Extra)
	}
	f, err := open(r, size)
	if err != nil {
		return nil, err
	}
	cols, err := plan(f, &opt)
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	rd := &reader{f: f, file: file, opt: &opt, cols: cols, size: size}
	l, err = rd.run()
	if err != nil {
		return nil, err
	}
	if rep != nil {
		rep.Events = l.Len()
	}
	return l, nil
}

// open opens the file, turning the decoder's panics on damaged input into
// errors.
func open(r io.ReaderAt, size int64) (f *pq.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("parquet: %w: %v", ErrNotParquet, p)
		}
	}()
	if size < 12 {
		return nil, fmt.Errorf("parquet: %w: %d bytes is too short", ErrNotParquet, size)
	}
	f, err = pq.OpenFile(r, size, pq.SkipPageIndex(true), pq.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("parquet: %w: %v", ErrNotParquet, err)
	}
	return f, nil
}

// reader is one read in progress.
type reader struct {
	f    *pq.File
	file string
	opt  *Options
	cols []column
	size int64
}

// group is a row group being decoded: one chunk per column.
type group struct {
	rows   int
	first  int64 // the file's row number of its first row, from 0
	bytes  int64 // its compressed size
	chunks []*chunk
	wg     sync.WaitGroup
	errs   []error // per chunk
}

func (rd *reader) run() (*journey.Log, error) {
	workers := rd.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rgs := rd.f.RowGroups()
	meta := rd.f.Metadata().RowGroups
	jobs := make(chan *group, workers+1)
	stop := make(chan struct{})
	sem := make(chan struct{}, workers)
	var tasks sync.WaitGroup
	go func() {
		defer close(jobs)
		var first int64
		for i, rg := range rgs {
			g := &group{rows: int(rg.NumRows()), first: first}
			if i < len(meta) {
				g.bytes = meta[i].TotalCompressedSize
				if g.bytes <= 0 {
					for _, c := range meta[i].Columns {
						g.bytes += c.MetaData.TotalCompressedSize
					}
				}
			}
			first += rg.NumRows()
			g.chunks = make([]*chunk, len(rd.cols))
			g.errs = make([]error, len(rd.cols))
			ccs := rg.ColumnChunks()
			for k := range rd.cols {
				g.chunks[k] = &chunk{col: &rd.cols[k], opt: rd.opt}
				if rd.cols[k].leaf >= len(ccs) || g.rows < 0 {
					g.errs[k] = fmt.Errorf("%w: row group %d lacks column %q", ErrNotParquet, i, rd.cols[k].name)
				}
			}
			// Every chunk is counted before the group is handed on, so that
			// the consumer's Wait waits for them all.
			g.wg.Add(len(rd.cols))
			select {
			case jobs <- g:
			case <-stop:
				return
			}
			for k := range rd.cols {
				ch := g.chunks[k]
				if g.errs[k] != nil {
					g.wg.Done()
					continue
				}
				select {
				case sem <- struct{}{}:
				case <-stop:
					return
				}
				tasks.Add(1)
				go func() {
					defer tasks.Done()
					defer g.wg.Done()
					defer func() { <-sem }()
					defer func() {
						if p := recover(); p != nil {
							g.errs[k] = fmt.Errorf("%w: column %q: %v", ErrNotParquet, ch.col.name, p)
						}
					}()
					g.errs[k] = ch.decode(ccs[rd.cols[k].leaf], g.rows)
				}()
			}
		}
	}()
	defer func() {
		close(stop)
		for range jobs { // let the producer finish
		}
		tasks.Wait()
	}()

	var b journey.LogBuilder
	var done int64 // bytes of the row groups added
	for g := range jobs {
		g.wg.Wait()
		for _, err := range g.errs {
			if err != nil {
				return nil, rd.wrap(err)
			}
		}
		if err := rd.add(&b, g, done); err != nil {
			return nil, err
		}
		done += g.bytes
	}
	if p := rd.opt.Progress; p != nil {
		p(eventio.Progress{Bytes: rd.size, Total: rd.size, Events: b.Len()})
	}
	return b.Build()
}

// wrap prefixes an error that is not about a row with the package name.
func (rd *reader) wrap(err error) error {
	return fmt.Errorf("parquet: %w", err)
}

func cut(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}

// add adds the rows of g to b, in order, accounting for its bad rows.
func (rd *reader) add(b *journey.LogBuilder, g *group, done int64) error {
	var bads []rowBad
	for k, ch := range g.chunks {
		for _, x := range ch.bad {
			x.field = k // the column's position: the order of fields, then props
			bads = append(bads, x)
		}
	}
	slices.SortStableFunc(bads, func(a, b rowBad) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.field - b.field
	})
	// Columns in the order of their fields, for the first bad column of a
	// row; the chunks are in the file's order.
	var ix [numFields]int
	for k := range ix {
		ix[k] = -1
	}
	var props []int
	for k, c := range rd.cols {
		if c.field < numFields {
			ix[c.field] = k
		} else {
			props = append(props, k)
		}
	}
	text := func(field, r int) string {
		k := ix[field]
		if k < 0 {
			return ""
		}
		ch := g.chunks[k]
		if id := ch.ids[r]; id != null {
			return ch.names[id]
		}
		return ""
	}
	var e journey.Event
	pm := make(map[string]string, len(props))
	nb := 0
	for r := range g.rows {
		if nb < len(bads) && bads[nb].row == r {
			// the first bad column of the row, by field order
			first := bads[nb]
			for ; nb < len(bads) && bads[nb].row == r; nb++ {
				if rd.cols[bads[nb].field].field < rd.cols[first.field].field {
					first = bads[nb]
				}
			}
			c := rd.cols[first.field]
			re := &eventio.RowError{File: rd.file, Line: int(g.first) + r + 1, Field: c.name, Value: cut(first.value), Err: first.err, Format: "parquet"}
			if !rd.opt.SkipBadRows {
				return re
			}
			rd.opt.Report.Skip(re)
			continue
		}
		e.Customer = text(fCustomer, r)
		e.Time = time.Unix(0, g.chunks[ix[fTime]].ns[r])
		e.Step = text(fStep, r)
		e.Channel = touchpoint.Channel(text(fChannel, r))
		e.Touchpoint = text(fTouchpoint, r)
		e.Value = 0
		if k := ix[fValue]; k >= 0 {
			e.Value = g.chunks[k].fl[r]
		}
		e.Props = nil
		if len(props) > 0 {
			clear(pm)
			for _, k := range props {
				ch := g.chunks[k]
				if id := ch.ids[r]; id != null && ch.names[id] != "" {
					pm[ch.col.name] = ch.names[id]
				}
			}
			if len(pm) > 0 {
				e.Props = pm
			}
		}
		if err := b.Add(e); err != nil {
			if errors.Is(err, journey.ErrTooLarge) {
				return rd.wrap(err)
			}
			re := &eventio.RowError{File: rd.file, Line: int(g.first) + r + 1, Err: err, Format: "parquet"}
			if !rd.opt.SkipBadRows {
				return re
			}
			rd.opt.Report.Skip(re)
		}
		if p := rd.opt.Progress; p != nil && r&0xffff == 0xffff {
			p(eventio.Progress{Bytes: done + g.bytes*int64(r)/int64(g.rows), Total: rd.size, Events: b.Len()})
		}
	}
	return nil
}
