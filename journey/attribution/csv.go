package attribution

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// TableOptions say how a route table is laid out in CSV. The zero value
// reads and writes ChannelAttribution's layout.
type TableOptions struct {
	// Sep separates the touches of a route; "" means ">". ReadTable trims
	// spaces around each touch and skips empty ones ("a >> b" is a, b);
	// WriteTable writes Sep with a space on each side ("a > b").
	Sep string
	// Comma is the field delimiter; 0 means ','.
	Comma rune
}

func (o TableOptions) sep() string {
	if o.Sep == "" {
		return ">"
	}
	return o.Sep
}

// arenaChunk is how many touches ReadTable allocates at a time.
const arenaChunk = 1 << 14

// tableHeader is the header WriteTable writes: ChannelAttribution's column
// names.
var tableHeader = []string{"path", "total_conversions", "total_null", "total_conversion_value"}

// countNames name the counts in error messages.
var countNames = [3]string{"conversions", "nulls", "value"}

// columnNames are the names ReadTable accepts in a header for each column,
// in lower case.
var columnNames = [4][]string{
	{"path", "route", "journey", "touches"},
	{"total_conversions", "conversions", "conversion", "conv"},
	{"total_null", "total_nulls", "nulls", "null"},
	{"total_conversion_value", "conversion_value", "value", "revenue"},
}

// ParseError is a problem with one field of a route table: its line and
// column (1 for the first field) and what is wrong, wrapping a sentinel
// such as ErrBadCount or ErrEmptyRoute.
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("attribution: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ReadTable returns the route table of a CSV file: one Row per line, with
// a route ("a > b > c"), its conversions, and optionally its nulls and the
// value of its conversions, in that order. A first row with no number
// after its first field is a header, which names the columns, in any
// order: ChannelAttribution's path, total_conversions, total_null and
// total_conversion_value (or route, conversions, nulls, value; case does
// not matter); path and conversions are required. Absent nulls and values
// are 0.
//
// Rows are returned in the order of the lines; equal routes on several
// lines stay several rows (every model adds them up). Touches are
// trimmed of spaces, and a carriage return before a line break inside a
// (quoted) touch is dropped, as encoding/csv does; touch strings are
// shared between rows, and all rows' touches between a few allocations.
//
// A bad line does not stop the reading: ReadTable returns no row and
// an error joining the first 20 problems, each a *ParseError with the line
// and column of the bad field: a count that is not a number, or is
// negative, NaN or infinite, or a value without conversions (ErrBadCount),
// a route with no touch (ErrEmptyRoute), a wrong number of fields. A bad
// header, or a malformed CSV (a bare quote), stops it at once. Rows are
// read in constant memory beyond the rows returned.
func ReadTable(r io.Reader, opt TableOptions) ([]Row, error) {
	cr := csv.NewReader(r)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	sep := opt.sep()
	cols := [4]int{0, 1, 2, 3} // field index of path, conversions, nulls, value; -1 if absent
	nfields := 0               // fields per row, from the first row
	interned := map[string]string{}
	var arena []string
	var out []Row
	var errs []error
	bad := 0
	report := func(line, col int, err error) {
		if bad < maxReported {
			errs = append(errs, &ParseError{Line: line, Column: col, Err: err})
		}
		bad++
	}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("attribution: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			h, isHeader, herr := parseHeader(rec)
			if herr != nil {
				return nil, &ParseError{Line: line, Column: 1, Err: herr}
			}
			if isHeader {
				cols, nfields = h, len(rec)
				continue
			}
			if len(rec) < 2 || len(rec) > 4 {
				return nil, &ParseError{Line: line, Column: 1,
					Err: fmt.Errorf("%d fields: want route, conversions[, nulls[, value]], or a header naming the columns", len(rec))}
			}
			nfields = len(rec)
			for k := nfields; k < 4; k++ {
				cols[k] = -1
			}
		}
		if len(rec) != nfields {
			report(line, 1, fmt.Errorf("%d fields, want %d as on the first row", len(rec), nfields))
			continue
		}
		var j Row
		ok := true
		// The route's touches go to the end of a shared arena, which a new
		// chunk replaces when it is full: one allocation per chunk, not per row.
		lo := len(arena)
		for path := rec[cols[0]]; ; {
			s, rest, more := strings.Cut(path, sep)
			if s = strings.TrimSpace(s); s != "" {
				for strings.Contains(s, "\r\n") {
					// Carriage returns before a line break go, as
					// encoding/csv drops them from quoted fields, so that
					// what WriteTable writes reads back the same.
					s = strings.ReplaceAll(s, "\r\n", "\n")
				}
				if is, seen := interned[s]; seen {
					s = is
				} else {
					s = strings.Clone(s) // not the whole line
					interned[s] = s
				}
				if len(arena) == cap(arena) {
					grown := make([]string, len(arena)-lo, max(arenaChunk, 2*(len(arena)-lo)))
					copy(grown, arena[lo:])
					arena, lo = grown, 0
				}
				arena = append(arena, s)
			}
			if !more {
				break
			}
			path = rest
		}
		j.Touches = arena[lo:len(arena):len(arena)]
		if len(j.Touches) == 0 {
			j.Touches = nil
			report(line, cols[0]+1, ErrEmptyRoute)
			ok = false
		}
		nums := [3]*float64{&j.Conversions, &j.Nulls, &j.Value}
		for k, p := range nums {
			c := cols[k+1]
			if c < 0 {
				continue
			}
			field := strings.TrimSpace(rec[c])
			x, err := strconv.ParseFloat(field, 64)
			switch {
			case err != nil:
				report(line, c+1, fmt.Errorf("%w: %s %q is not a number", ErrBadCount, tableHeader[k+1], field))
				ok = false
			case !(x >= 0) || math.IsInf(x, 1):
				report(line, c+1, fmt.Errorf("%w: %s %v (want a finite number ≥ 0)", ErrBadCount, countNames[k], x))
				ok = false
			}
			*p = x
		}
		if ok && j.Value > 0 && j.Conversions == 0 {
			report(line, cols[3]+1, fmt.Errorf("%w: value %v without conversions", ErrBadCount, j.Value))
			ok = false
		}
		if ok {
			out = append(out, j)
		}
	}
	if bad > 0 {
		if bad > maxReported {
			errs = append(errs, fmt.Errorf("attribution: … and %d more bad rows", bad-maxReported))
		}
		return nil, errors.Join(errs...)
	}
	if out == nil {
		out = []Row{}
	}
	return out, nil
}

// parseHeader reports whether rec is a header: a first row none of whose
// fields after the first is a number. If it is, it returns the field index
// of each column, or the problem with the header.
func parseHeader(rec []string) (cols [4]int, isHeader bool, err error) {
	cols = [4]int{-1, -1, -1, -1}
	for _, f := range rec[min(1, len(rec)):] {
		if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			return cols, false, nil
		}
	}
	if len(rec) < 2 {
		return cols, false, nil
	}
	for i, f := range rec {
		name := strings.ToLower(strings.TrimSpace(f))
		k := slices.IndexFunc(columnNames[:], func(names []string) bool { return slices.Contains(names, name) })
		switch {
		case k < 0:
			return cols, true, fmt.Errorf("unknown column %q in the header (want %s)", f, strings.Join(tableHeader, ", "))
		case cols[k] >= 0:
			return cols, true, fmt.Errorf("column %q given twice in the header", f)
		}
		cols[k] = i
	}
	switch {
	case cols[0] < 0:
		return cols, true, errors.New("the header has no path column")
	case cols[1] < 0:
		return cols, true, errors.New("the header has no total_conversions column")
	}
	return cols, true, nil
}

// WriteTable writes rows as CSV in ChannelAttribution's layout: a header
// (path, total_conversions, total_null, total_conversion_value), then one
// line per row, touches joined by " > " (or opt.Sep) and numbers in the
// shortest form that reads back to the same float64. ReadTable reads back
// exactly rows. It takes O(t) time for the t touches of the rows.
//
// It returns an error, and writes nothing, if a row is bad (see Row) or
// has a touch ReadTable would not read back: empty, holding the
// separator, or beginning or ending with a space (ErrBadTouch); otherwise
// the first error of w.
func WriteTable(w io.Writer, rows []Row, opt TableOptions) error {
	if err := validate(rows); err != nil {
		return err
	}
	sep := opt.sep()
	var errs []error
	bad := 0
	for i := range rows {
		for _, s := range rows[i].Touches {
			if s == "" || strings.Contains(s, sep) || strings.TrimSpace(s) != s {
				if bad < maxReported {
					errs = append(errs, fmt.Errorf("attribution: rows[%d]: %w: %q", i, ErrBadTouch, s))
				}
				bad++
			}
		}
	}
	if bad > 0 {
		if bad > maxReported {
			errs = append(errs, fmt.Errorf("attribution: … and %d more bad touches", bad-maxReported))
		}
		return errors.Join(errs...)
	}
	cw := csv.NewWriter(w)
	if opt.Comma != 0 {
		cw.Comma = opt.Comma
	}
	if err := cw.Write(tableHeader); err != nil {
		return err
	}
	joiner := " " + sep + " "
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	rec := make([]string, 4)
	for i := range rows {
		j := &rows[i]
		rec[0] = strings.Join(j.Touches, joiner)
		rec[1], rec[2], rec[3] = num(j.Conversions), num(j.Nulls), num(j.Value)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
