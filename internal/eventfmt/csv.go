package eventfmt

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// ReadCSV reads CSV into sink and returns what sink.Build returns.
func ReadCSV(r io.Reader, opt ReadOptions, sink Sink) (any, error) {
	rd, err := newReader("csv", r, opt, sink)
	if err != nil {
		return nil, err
	}
	return rd.run(func() error {
		s := &csvScanner{lr: newLineReader(rd.cr, rd.max), comma: rd.comma, max: rd.max}
		switch err := s.record(); {
		case err == io.EOF:
			return nil
		case err != nil:
			return rd.fatal(s, err)
		}
		h, err := rd.header(s)
		if err != nil {
			return err
		}
		records := func(rd *reader, lr *lineReader, last bool) error {
			s := &csvScanner{lr: lr, comma: rd.comma, max: rd.max, chunk: !last}
			return rd.csvRecords(s, h)
		}
		if rd.p != nil {
			return rd.inChunks(s.lr, true, records)
		}
		return rd.csvRecords(s, h)
	})
}

// csvRecords reads the records after the header, h, to the end of s's
// input. In a chunk that is not the input's last, a record that runs past
// it ends the read with a partialError.
func (rd *reader) csvRecords(s *csvScanner, h *csvHeader) error {
	for {
		if rd.resume(s.lr) {
			return errResume
		}
		err := s.record()
		rd.offset = s.startOff
		if err == io.EOF {
			return nil
		}
		if err != nil {
			re, ok := err.(*RowError)
			if !ok {
				return rd.fatal(s, err)
			}
			if s.partial {
				return partialError{line: s.startLine - 1, off: s.startOff}
			}
			if err := rd.rowError(re.Line, re.Column, re.Field, nil, re.Err); err != nil {
				return err
			}
			continue
		}
		if err := rd.csvRow(s, h); err != nil {
			return err
		}
	}
}

// fatal wraps an error that stops reading.
func (rd *reader) fatal(s *csvScanner, err error) error {
	if re, ok := err.(*RowError); ok { // in the header
		re.Format = rd.format
		re.Err = fmt.Errorf("%w: %w", ErrBadHeader, re.Err)
		return re
	}
	return fmt.Errorf("%s: %s: line %d: %w", rd.prefix, rd.format, s.lr.line+1, err)
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
		return nil, &RowError{Format: rd.format, Line: s.startLine, Column: col, Field: field, Err: err}
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
		return rd.rowError(line, 0, "", nil, fmt.Errorf("%w: %d fields, want %d as in the header", ErrMalformed, len(f), h.ncols))
	}
	if !s.valid {
		for i, c := range f {
			if !utf8.Valid(c) {
				return rd.rowError(line, i+1, h.names[i], c, fmt.Errorf("%w in %s", ErrInvalidUTF8, quoteCell(c)))
			}
		}
	}
	row := &rd.row
	bad := func(field int, err error) error {
		c := h.field[field]
		return rd.rowError(line, c+1, h.names[c], f[c], err)
	}
	row.Customer = f[h.field[fCustomer]]
	if len(row.Customer) == 0 {
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
	row.Nanos = ns
	row.Step = f[h.field[fStep]]
	if len(row.Step) == 0 {
		return bad(fStep, ErrMissingStep)
	}
	row.Channel, row.Touchpoint, row.Value = nil, nil, 0
	if c := h.field[fChannel]; c >= 0 {
		if row.Channel, err = rd.channel(f[c]); err != nil {
			return bad(fChannel, err)
		}
	}
	if c := h.field[fTouchpoint]; c >= 0 {
		row.Touchpoint = f[c]
	}
	if h.hasVal {
		if row.Value, err = parseValue(f[h.field[fValue]]); err != nil {
			return bad(fValue, err)
		}
	}
	row.Props = row.Props[:0]
	for k, c := range h.props {
		if v := f[c]; len(v) > 0 {
			row.Props = append(row.Props, h.keys[k], v)
		}
	}
	return rd.add(line)
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
	startOff  int64    // the byte where it starts
	buf       []byte   // unquoted field bytes, for records with quotes
	ends      []int

	// chunk says the input is a chunk of a larger one (see chunks.go),
	// which goes on after it; partial, that the record just read ran past
	// its end, inside a quoted field.
	chunk, partial bool
}

// record reads the next record into s.fields. It returns io.EOF at the
// end of input, a *RowError for a bad record (after which the next call
// reads on), or an error of the io.Reader.
func (s *csvScanner) record() error {
	for {
		line, err := s.lr.next()
		s.startLine, s.startOff = s.lr.line, s.lr.at
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

// unclosed reports a quoted field still open where its row grows past the
// limit: most often a stray quote, which would otherwise swallow the rest
// of the file.
func (s *csvScanner) unclosed(col int) error {
	return &RowError{Line: s.startLine, Column: col, Err: fmt.Errorf("%w: more than %d bytes in a quoted field opened on line %d and not closed (a stray quote?)", ErrRowTooLong, s.max, s.startLine)}
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
					if len(s.buf)+len(body) > s.max {
						return s.unclosed(len(s.ends) + 1)
					}
					s.buf = append(s.buf, body...)
					next, err := s.lr.next()
					if err == io.EOF {
						s.partial = s.chunk
						return bad("quoted field opened on line %d not closed at the end of input", s.startLine)
					}
					if err == errLineTooLong {
						return s.unclosed(len(s.ends) + 1)
					}
					if err != nil {
						return err
					}
					if size += len(next); size > s.max {
						return s.unclosed(len(s.ends) + 1)
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
