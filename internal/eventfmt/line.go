package eventfmt

import (
	"bytes"
	"fmt"
	"io"
)

// CSVLines parses CSV records one at a time against a header given up
// front, for callers that receive the rows of a file already split, such
// as the text sources of distributed engines. A record is parsed exactly
// as ReadCSV parses a row of a file with that header. It is not safe for
// concurrent use.
type CSVLines struct {
	rd  *reader
	h   *csvHeader
	s   *csvScanner
	src bytes.Reader
	row *Row
}

// NewCSVLines returns a parser of the records of a file whose header row
// is header. A bad header (or an empty one) is a *RowError wrapping
// ErrBadHeader; bad options wrap ErrBadOptions.
func NewCSVLines(header []byte, opt ReadOptions) (*CSVLines, error) {
	p := &CSVLines{}
	opt.BadRow, opt.Progress = nil, nil
	opt.OneStage = true // Parse hands back each row as it parses it
	rd, err := newReader("csv", &p.src, opt, p)
	if err != nil {
		return nil, err
	}
	p.rd = rd
	p.s = &csvScanner{lr: newLineReader(rd.cr, rd.max), comma: rd.comma, max: rd.max}
	p.src.Reset(header)
	switch err := p.s.record(); {
	case err == io.EOF:
		return nil, &RowError{Format: "csv", Line: 1, Err: fmt.Errorf("%w: the header is empty", ErrBadHeader)}
	case err != nil:
		return nil, rd.fatal(p.s, err)
	}
	if err := p.more(); err != nil {
		return nil, &RowError{Format: "csv", Line: 1, Err: fmt.Errorf("%w: %w", ErrBadHeader, err)}
	}
	if p.h, err = rd.header(p.s); err != nil {
		return nil, err
	}
	return p, nil
}

// more returns an error if input is left after a record.
func (p *CSVLines) more() error {
	for {
		line, err := p.s.lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil || len(trimEOL(line)) > 0 {
			return fmt.Errorf("%w: more than one record", ErrMalformed)
		}
	}
}

// Parse parses one record, without its line break or with it. It returns
// nil and no error for a blank record, and a *RowError for a bad one
// (Line 0: the parser does not know where the record was). The Row is
// valid until the next call.
func (p *CSVLines) Parse(record []byte) (*Row, error) {
	p.src.Reset(record)
	lr := p.s.lr
	lr.r.Reset(p.rd.cr)
	lr.line, lr.start, lr.off, lr.at = -1, true, 0, 0
	p.row = nil
	switch err := p.s.record(); {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		if re, ok := err.(*RowError); ok {
			re.Format, re.Line = "csv", 0
			return nil, re
		}
		return nil, &RowError{Format: "csv", Err: err}
	}
	if err := p.more(); err != nil {
		return nil, &RowError{Format: "csv", Err: err}
	}
	if err := p.rd.csvRow(p.s, p.h); err != nil {
		if re, ok := err.(*RowError); ok {
			re.Line = 0
			return nil, re
		}
		return nil, err
	}
	return p.row, nil
}

// AddRow keeps the row for Parse to return.
func (p *CSVLines) AddRow(r *Row) error { p.row = r; return nil }

// Build is never called.
func (p *CSVLines) Build() (any, error) { return nil, nil }
