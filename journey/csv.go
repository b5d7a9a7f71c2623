package journey

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReadCSV reads a log from CSV (RFC 4180): a header row naming the
// columns, then one event per row. The package documentation describes the
// format; opt says how to read it, and its zero value reads the default
// columns.
//
// ReadCSV streams: it holds one row at a time (at most opt.MaxRowBytes)
// besides the log being built, about 24 bytes per event plus the distinct
// strings, and takes time linear in the input. Empty input, or a header
// alone, gives an empty log. A bad row stops reading with a *RowError
// naming its line and column, unless opt.BadRow says to skip it.
func ReadCSV(r io.Reader, opt ReadOptions) (*Log, error) {
	rd, err := newReader("csv", opt)
	if err != nil {
		return nil, err
	}
	s := &csvScanner{lr: newLineReader(r, rd.max), comma: rd.comma, max: rd.max}
	switch err := s.record(); {
	case err == io.EOF:
		return rd.b.Build()
	case err != nil:
		return nil, rd.fatal(s, err)
	}
	h, err := rd.header(s)
	if err != nil {
		return nil, err
	}
	for {
		err := s.record()
		if err == io.EOF {
			break
		}
		if err != nil {
			re, ok := err.(*RowError)
			if !ok {
				return nil, rd.fatal(s, err)
			}
			if err := rd.rowError(re.Line, re.Column, re.Field, re.Err); err != nil {
				return nil, err
			}
			continue
		}
		if err := rd.csvRow(s, h); err != nil {
			return nil, err
		}
	}
	return rd.b.Build()
}

// fatal wraps an error that stops reading.
func (rd *reader) fatal(s *csvScanner, err error) error {
	if re, ok := err.(*RowError); ok { // in the header
		re.format = rd.format
		re.Err = fmt.Errorf("%w: %w", ErrBadHeader, re.Err)
		return re
	}
	return fmt.Errorf("journey: %s: line %d: %w", rd.format, s.lr.line+1, err)
}

// csvHeader maps the columns of a CSV file to event fields.
type csvHeader struct {
	names  []string // as in the file
	field  [numFields]int
	props  []int    // columns kept as properties, by key
	keys   [][]byte // their keys, in the same order
	ncols  int
	hasVal bool
}

// header reads the header row.
func (rd *reader) header(s *csvScanner) (*csvHeader, error) {
	h := &csvHeader{ncols: len(s.fields)}
	for i := range h.field {
		h.field[i] = -1
	}
	bad := func(col int, field string, format string, args ...any) (*csvHeader, error) {
		err := fmt.Errorf("%w: "+format, append([]any{ErrBadHeader}, args...)...)
		return nil, &RowError{Line: s.startLine, Column: col, Field: field, Err: err, format: rd.format}
	}
	seenProp := make(map[string]int)
	for i, f := range s.fields {
		name := string(f)
		h.names = append(h.names, name)
		if !utf8.ValidString(name) {
			return bad(i+1, "", "%w in column name %s", ErrInvalidUTF8, quoteCell(f))
		}
		if name == "" {
			continue // an unnamed column, such as a row index, is ignored
		}
		field := -1
		for k, n := range rd.names[:fProps] {
			if strings.EqualFold(name, n) {
				field = k
			}
		}
		switch {
		case field >= 0:
			if j := h.field[field]; j >= 0 {
				return bad(i+1, name, "column %q repeats column %d (%q), both naming the %s", name, j+1, h.names[j], defaultColumns[field])
			}
			h.field[field] = i
		case rd.extra == ExtraError:
			return bad(i+1, name, "unknown column %q (the fields are %s)", name, strings.Join(rd.names[:fProps], ", "))
		case rd.extra == ExtraProps:
			if j, dup := seenProp[name]; dup {
				return bad(i+1, name, "column %q repeats column %d", name, j+1)
			}
			seenProp[name] = i
			h.props = append(h.props, i)
		}
	}
	for _, k := range []int{fCustomer, fTime, fStep} {
		if h.field[k] < 0 {
			return bad(0, "", "no %q column (read with ReadOptions.Columns to rename it)", rd.names[k])
		}
	}
	slices.SortFunc(h.props, func(a, b int) int { return cmp.Compare(h.names[a], h.names[b]) })
	for _, c := range h.props {
		h.keys = append(h.keys, []byte(h.names[c]))
	}
	h.hasVal = h.field[fValue] >= 0
	return h, nil
}

// csvRow adds the event of the current row; it returns an error only when
// reading must stop.
func (rd *reader) csvRow(s *csvScanner, h *csvHeader) error {
	f := s.fields
	line := s.startLine
	if len(f) != h.ncols {
		return rd.rowError(line, 0, "", fmt.Errorf("%w: %d fields, want %d as in the header", ErrMalformed, len(f), h.ncols))
	}
	if !s.valid {
		for i, c := range f {
			if !utf8.Valid(c) {
				return rd.rowError(line, i+1, h.names[i], fmt.Errorf("%w in %s", ErrInvalidUTF8, quoteCell(c)))
			}
		}
	}
	row := &rd.row
	bad := func(field int, err error) error {
		c := h.field[field]
		return rd.rowError(line, c+1, h.names[c], err)
	}
	row.customer = f[h.field[fCustomer]]
	if len(row.customer) == 0 {
		return bad(fCustomer, ErrMissingCustomer)
	}
	tc := f[h.field[fTime]]
	if len(tc) == 0 {
		return bad(fTime, ErrMissingTime)
	}
	ns, err := rd.times.parse(tc)
	if err != nil {
		return bad(fTime, err)
	}
	row.nanos = ns
	row.step = f[h.field[fStep]]
	if len(row.step) == 0 {
		return bad(fStep, ErrMissingStep)
	}
	row.channel, row.touchpoint, row.value = nil, nil, 0
	if c := h.field[fChannel]; c >= 0 {
		if row.channel, err = rd.channel(f[c]); err != nil {
			return bad(fChannel, err)
		}
	}
	if c := h.field[fTouchpoint]; c >= 0 {
		row.touchpoint = f[c]
	}
	if h.hasVal {
		if row.value, err = parseValue(f[h.field[fValue]]); err != nil {
			return bad(fValue, err)
		}
	}
	row.props = row.props[:0]
	for k, c := range h.props {
		if v := f[c]; len(v) > 0 {
			row.props = append(row.props, h.keys[k], v)
		}
	}
	if err := rd.b.addRaw(row); err != nil {
		if err == ErrTooLarge {
			return err
		}
		return rd.rowError(line, 0, "", err)
	}
	return nil
}

// csvScanner splits CSV input into records, as RFC 4180 says: fields
// separated by comma, records by "\n" or "\r\n"; a field in double quotes
// may hold commas, line breaks and doubled quotes. Unlike encoding/csv it
// bounds the bytes of a record, keeps quoted fields byte for byte (a
// "\r\n" inside quotes stays "\r\n"), and skips blank lines.
type csvScanner struct {
	lr        *lineReader
	comma     byte
	max       int
	fields    [][]byte // the fields of the current record
	valid     bool     // the fields are known to be valid UTF-8
	startLine int      // the line where the current record starts
	buf       []byte   // unquoted field bytes, for records with quotes
	ends      []int
}

// record reads the next record into s.fields. It returns io.EOF at the
// end of input, a *RowError for a bad record (after which the next call
// reads on), or an error of the io.Reader.
func (s *csvScanner) record() error {
	for {
		line, err := s.lr.next()
		s.startLine = s.lr.line
		if err == errLineTooLong {
			return s.tooLong(0)
		}
		if err != nil {
			return err
		}
		body := trimEOL(line)
		if len(body) == 0 {
			continue
		}
		if bytes.IndexByte(body, '"') >= 0 {
			return s.quoted(line)
		}
		s.fields = s.fields[:0]
		for {
			i := bytes.IndexByte(body, s.comma)
			if i < 0 {
				break
			}
			s.fields = append(s.fields, body[:i])
			body = body[i+1:]
		}
		s.fields = append(s.fields, body)
		s.valid = utf8.Valid(line)
		return nil
	}
}

func (s *csvScanner) tooLong(col int) error {
	return &RowError{Line: s.startLine, Column: col, Err: fmt.Errorf("%w: more than %d bytes", ErrRowTooLong, s.max)}
}

// quoted reads a record with quotes, starting with line.
func (s *csvScanner) quoted(line []byte) error {
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	size := len(line)
	bad := func(format string, args ...any) error {
		return &RowError{Line: s.lr.line, Column: len(s.ends) + 1, Err: fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)}
	}
	body := line
	for { // one field per turn
		if len(body) > 0 && body[0] == '"' {
			body = body[1:]
			for {
				j := bytes.IndexByte(body, '"')
				if j < 0 { // the field goes on on the next line
					if len(body) == 0 || body[len(body)-1] != '\n' {
						return bad("quoted field not closed at the end of input")
					}
					s.buf = append(s.buf, body...)
					next, err := s.lr.next()
					if err == io.EOF {
						return bad("quoted field not closed at the end of input")
					}
					if err == errLineTooLong {
						return s.tooLong(len(s.ends) + 1)
					}
					if err != nil {
						return err
					}
					if size += len(next); size > s.max {
						return s.tooLong(len(s.ends) + 1)
					}
					body = next
					continue
				}
				s.buf = append(s.buf, body[:j]...)
				body = body[j+1:]
				if len(body) > 0 && body[0] == '"' {
					s.buf = append(s.buf, '"')
					body = body[1:]
					continue
				}
				break
			}
			switch {
			case len(body) > 0 && body[0] == s.comma:
				s.ends = append(s.ends, len(s.buf))
				body = body[1:]
				continue
			case len(trimEOL(body)) == 0:
				s.ends = append(s.ends, len(s.buf))
				return s.split()
			}
			return bad("%q after the closing quote of a field", rune(body[0]))
		}
		rest := trimEOL(body)
		end := bytes.IndexByte(rest, s.comma)
		if end < 0 {
			end = len(rest)
		}
		if bytes.IndexByte(rest[:end], '"') >= 0 {
			return bad("a quote inside a field that does not start with one")
		}
		s.buf = append(s.buf, rest[:end]...)
		s.ends = append(s.ends, len(s.buf))
		if end == len(rest) {
			return s.split()
		}
		body = body[end+1:] // rest is a prefix of body
	}
}

// split points s.fields into s.buf.
func (s *csvScanner) split() error {
	s.fields = s.fields[:0]
	start := 0
	for _, e := range s.ends {
		s.fields = append(s.fields, s.buf[start:e])
		start = e
	}
	s.valid = false
	return nil
}

// WriteOptions say how WriteCSV and WriteCSVSeq write. The zero value
// writes the default column names, separated by commas, and a column for
// every property key of the log.
type WriteOptions struct {
	// Columns renames the columns of the event fields, as for reading.
	Columns Columns
	// Comma separates fields; 0 means ','. It must be an ASCII character
	// other than '"', '\r' and '\n'.
	Comma rune
	// Props lists the property keys to write as columns, in order. If nil,
	// WriteCSV writes every key of the log, sorted, and WriteCSVSeq writes
	// none. An event with a property not listed is an error wrapping
	// ErrNotWritable: properties are never dropped silently.
	Props []string
}

// csvWriter encodes rows.
type csvWriter struct {
	wb     writeBuf
	comma  byte
	fields [fProps]string
	keys   []string
	keyIdx map[string]int
}

func newCSVWriter(w io.Writer, opt WriteOptions, keys []string) (*csvWriter, error) {
	cw := &csvWriter{wb: writeBuf{w: w, b: make([]byte, 0, readBufSize+4096)}, comma: ','}
	bad := func(format string, args ...any) (*csvWriter, error) {
		return nil, fmt.Errorf("journey: csv: %w: "+format, append([]any{ErrBadOptions}, args...)...)
	}
	if opt.Comma != 0 {
		if opt.Comma >= 0x80 || opt.Comma == '"' || opt.Comma == '\r' || opt.Comma == '\n' {
			return bad("comma %q is not an ASCII character other than a quote or a line break", opt.Comma)
		}
		cw.comma = byte(opt.Comma)
	}
	names := opt.Columns.names()
	copy(cw.fields[:], names[:fProps])
	if opt.Props != nil {
		keys = opt.Props
	}
	cw.keys = keys
	cw.keyIdx = make(map[string]int, len(keys))
	for i, n := range cw.fields {
		if n == "" || !utf8.ValidString(n) {
			return bad("column name %q", n)
		}
		for _, m := range cw.fields[:i] {
			if strings.EqualFold(n, m) {
				return bad("two fields named %q and %q", m, n)
			}
		}
	}
	for i, k := range keys {
		if k == "" || !utf8.ValidString(k) {
			return nil, fmt.Errorf("journey: csv: %w: property key %q", ErrNotWritable, k)
		}
		for _, n := range cw.fields {
			if strings.EqualFold(k, n) {
				return nil, fmt.Errorf("journey: csv: %w: property key %q is the name of a field column", ErrNotWritable, k)
			}
		}
		if _, dup := cw.keyIdx[k]; dup {
			return bad("property key %q listed twice", k)
		}
		cw.keyIdx[k] = i
	}
	all := append(cw.fields[:len(cw.fields):len(cw.fields)], keys...)
	for i, n := range all {
		if i > 0 {
			cw.wb.b = append(cw.wb.b, cw.comma)
		}
		cw.wb.b = cw.appendField(cw.wb.b, n)
	}
	cw.wb.b = append(cw.wb.b, '\n')
	return cw, nil
}

// appendField appends s, quoted if it must be.
func (cw *csvWriter) appendField(dst []byte, s string) []byte {
	if !cw.needsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, '"')
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, '"')
}

func (cw *csvWriter) needsQuotes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == cw.comma || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return strings.HasPrefix(s, "\ufeff")
}

// row writes one event; props are the values of cw.keys, "" for absent.
func (cw *csvWriter) row(customer string, nanos int64, step, channel, touchpoint string, value float64, props []string) {
	b := cw.appendField(cw.wb.b, customer)
	b = append(b, cw.comma)
	b = appendTime(b, nanos)
	b = append(b, cw.comma)
	b = cw.appendField(b, step)
	b = append(b, cw.comma)
	b = cw.appendField(b, channel)
	b = append(b, cw.comma)
	b = cw.appendField(b, touchpoint)
	b = append(b, cw.comma)
	if value != 0 {
		b = strconv.AppendFloat(b, value, 'g', -1, 64)
	}
	for _, p := range props {
		b = append(b, cw.comma)
		b = cw.appendField(b, p)
	}
	cw.wb.b = append(b, '\n')
	cw.wb.flushIfFull()
}

// checkString reports a string the CSV and JSON Lines formats cannot hold.
func checkString(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrNotWritable, what, quoteCell([]byte(s)))
	}
	return nil
}

// WriteCSV writes l as CSV, one row per event in log order, that ReadCSV
// reads back into an identical log (given the same Columns and Comma):
// a header, then customer, time (RFC 3339 in UTC, to the nanosecond),
// step, channel, touchpoint, value (empty for 0, else the shortest decimal
// that reads back exactly) and one column per property key. Fields with a
// comma, a quote or a line break are quoted.
//
// It returns an error wrapping ErrNotWritable, and may have written part
// of the log, if the log holds what CSV cannot: a string that is not valid
// UTF-8, a property whose value is the empty string (an empty cell means
// an absent property), or a property key that is empty or that names a
// field column (ignoring case). It takes time linear in the log and
// buffers its writes.
func WriteCSV(w io.Writer, l *Log, opt WriteOptions) error {
	keys := opt.Props
	if keys == nil {
		keys = l.propKeys()
	}
	cw, err := newCSVWriter(w, opt, keys)
	if err != nil {
		return err
	}
	enc := newLogEncoder(l, checkString)
	props := make([]string, len(cw.keys))
	for c := range l.customers {
		cust := l.customers[c]
		if err := checkString("customer", cust); err != nil {
			return fmt.Errorf("journey: csv: %w", err)
		}
		lo, hi := l.Span(c)
		for i := lo; i < hi; i++ {
			step, ch, tp := enc.name(ByStep, i), enc.name(ByChannel, i), enc.name(ByTouchpoint, i)
			clear(props)
			kv := enc.props(i)
			for p := 0; p+1 < len(kv); p += 2 {
				k, v := enc.propName(kv[p], "property key"), enc.propName(kv[p+1], "property value")
				j, ok := cw.keyIdx[k]
				switch {
				case !ok:
					return fmt.Errorf("journey: csv: customer %q: %w: property %q has no column (list it in WriteOptions.Props)", cust, ErrNotWritable, k)
				case v == "":
					return fmt.Errorf("journey: csv: customer %q: %w: property %q is empty, which CSV cannot tell from absent", cust, ErrNotWritable, k)
				}
				props[j] = v
			}
			if enc.err != nil { // before row, which may flush
				return fmt.Errorf("journey: csv: %w", enc.err)
			}
			cw.row(cust, l.times[i], step, ch, tp, enc.value(i), props)
		}
		if cw.wb.err != nil {
			return fmt.Errorf("journey: csv: %w", cw.wb.err)
		}
	}
	cw.wb.flush()
	if cw.wb.err != nil {
		return fmt.Errorf("journey: csv: %w", cw.wb.err)
	}
	return nil
}

// WriteCSVSeq writes events as WriteCSV writes a log, in the order given,
// without building a log: memory stays constant whatever the number of
// events. The property columns are those of opt.Props (none if nil). It
// stops with an error naming the event's index if an event is invalid (as
// NewLog checks it) or cannot be written. Reading the output gives the
// log NewLog builds from the events.
func WriteCSVSeq(w io.Writer, events iter.Seq[Event], opt WriteOptions) error {
	cw, err := newCSVWriter(w, opt, nil)
	if err != nil {
		return err
	}
	props := make([]string, len(cw.keys))
	i := 0
	for e := range events {
		if err := checkEvent(&e); err != nil {
			return fmt.Errorf("journey: csv: events[%d]: %w", i, err)
		}
		clear(props)
		for k, v := range e.Props {
			j, ok := cw.keyIdx[k]
			switch {
			case !ok:
				return fmt.Errorf("journey: csv: events[%d]: %w: property %q has no column (list it in WriteOptions.Props)", i, ErrNotWritable, k)
			case v == "":
				return fmt.Errorf("journey: csv: events[%d]: %w: property %q is empty, which CSV cannot tell from absent", i, ErrNotWritable, k)
			case !utf8.ValidString(v):
				return fmt.Errorf("journey: csv: events[%d]: %w", i, checkString("property "+strconv.Quote(k), v))
			}
			props[j] = v
		}
		cw.row(e.Customer, e.Time.UnixNano(), e.Step, string(e.Channel), e.Touchpoint, e.Value, props)
		if cw.wb.err != nil {
			return fmt.Errorf("journey: csv: %w", cw.wb.err)
		}
		i++
	}
	cw.wb.flush()
	if cw.wb.err != nil {
		return fmt.Errorf("journey: csv: %w", cw.wb.err)
	}
	return nil
}

// checkEvent checks e as NewLog does, and its strings for writing.
func checkEvent(e *Event) error {
	if err := e.check(); err != nil {
		return err
	}
	return errors.Join(checkString("customer", e.Customer), checkString("step", e.Step),
		checkString("channel", string(e.Channel)), checkString("touchpoint", e.Touchpoint))
}
