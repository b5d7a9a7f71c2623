package parquet

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/touchpoint"
)

// null is the id of an absent text value in chunk.ids.
const null = math.MaxUint32

// maxDays bounds the days from 1970 of a time the log holds.
const maxDays = math.MaxInt64/int64(86400e9) - 1

// chunk is one column chunk decoded: one entry per row of its row group,
// in the form its field needs. Text becomes ids into a table of the
// chunk's distinct strings, each made once (once per dictionary entry for
// a dictionary-encoded chunk), so that every row of a string shares it.
type chunk struct {
	col *column
	opt *Options
	n   int // rows decoded

	ids   []uint32          // text fields and properties: an id in names, or null
	names []string          // the distinct strings, after ParseChannels
	index map[string]uint32 // raw text → id
	ints  map[int64]uint32  // integer → id, for integer text columns
	nerr  []error           // per name: why a row holding it is bad, or nil

	ns []int64   // time: Unix nanoseconds
	fl []float64 // value

	bad []rowBad // rows found bad, in row order

	// Scratch, reused between pages: the dense values of a page or of the
	// current dictionary, converted to the form of the field.
	dense, dict  converted
	lastDict     pq.Dictionary
	timeOf       []int64 // kText times: the time of each name, parsed once
	timeErr      []error
	timeOfParsed int
}

// converted holds values converted for a field: ids for text, ns for
// times, fl for values, with the error of each bad one.
type converted struct {
	ids  []uint32
	ns   []int64
	fl   []float64
	errs map[int]badValue
}

type badValue struct {
	value string
	err   error
}

// rowBad is a bad row: its index in the row group and what is wrong.
type rowBad struct {
	row   int
	field int
	value string
	err   error
}

func (ch *chunk) fail(row int, value string, err error) {
	ch.bad = append(ch.bad, rowBad{row: row, field: ch.col.field, value: value, err: err})
}

// textField reports whether the chunk's values become strings.
func (ch *chunk) textField() bool {
	f := ch.col.field
	return f != fTime && f != fValue
}

// decode reads the column chunk cc of a row group of rows rows.
func (ch *chunk) decode(cc pq.ColumnChunk, rows int) error {
	if ch.textField() || ch.col.kind == kText {
		ch.index = make(map[string]uint32)
		ch.ids = make([]uint32, 0, rows)
	}
	switch ch.col.field {
	case fTime:
		ch.ns = make([]int64, 0, rows)
	case fValue:
		ch.fl = make([]float64, 0, rows)
	}
	pages := cc.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: column %q: %v", ErrNotParquet, ch.col.name, err)
		}
		err = ch.page(p)
		pq.Release(p)
		if err != nil {
			return err
		}
		if ch.n > rows {
			break
		}
	}
	if ch.n != rows {
		return fmt.Errorf("%w: column %q has %d values in a row group of %d rows", ErrNotParquet, ch.col.name, ch.n, rows)
	}
	return nil
}

// page decodes the rows of one data page.
func (ch *chunk) page(p pq.Page) error {
	if len(p.RepetitionLevels()) > 0 {
		return fmt.Errorf("%w %q: repetition levels in a flat column", ErrUnsupported, ch.col.name)
	}
	defs := p.DefinitionLevels()
	nrows := int(p.NumValues())
	if ch.col.optional {
		nrows = len(defs)
	}
	var idx []int32
	dense := &ch.dense
	if d := p.Dictionary(); d != nil {
		if d != ch.lastDict {
			if err := ch.convert(&ch.dict, d.Page().Data(), d.Len()); err != nil {
				return err
			}
			ch.lastDict = d
		}
		dense = &ch.dict
		data := p.Data()
		idx = data.Int32()
	} else {
		nvals := nrows
		if ch.col.optional {
			nvals = 0
			for _, l := range defs {
				if l > 0 {
					nvals++
				}
			}
		}
		if err := ch.convert(dense, p.Data(), nvals); err != nil {
			return err
		}
	}
	m := len(dense.ids) + len(dense.ns) + len(dense.fl) // one of them is set
	if idx == nil && m < nrows-countNulls(defs, ch.col.optional) {
		return fmt.Errorf("%w: column %q: a page of %d rows holds %d values", ErrNotParquet, ch.col.name, nrows, m)
	}
	k := 0 // the next value
	base := ch.n
	for r := range nrows {
		if ch.col.optional && defs[r] == 0 {
			ch.appendNull(base + r)
			continue
		}
		v := k
		k++
		if idx != nil {
			if k > len(idx) || idx[v] < 0 || int(idx[v]) >= m {
				return fmt.Errorf("%w: column %q: a dictionary index out of range", ErrNotParquet, ch.col.name)
			}
			v = int(idx[v])
		} else if v >= m {
			return fmt.Errorf("%w: column %q: a page holds fewer values than its rows", ErrNotParquet, ch.col.name)
		}
		if bv, bad := dense.errs[v]; bad {
			ch.fail(base+r, bv.value, bv.err)
			ch.appendNull(-1)
			continue
		}
		switch {
		case dense.ids != nil && ch.col.field == fTime:
			id := dense.ids[v]
			ns, err := ch.textTime(id)
			if err != nil {
				ch.fail(base+r, ch.names[id], err)
			}
			ch.ns = append(ch.ns, ns)
		case dense.ids != nil:
			id := dense.ids[v]
			if id != null && ch.nerr[id] != nil {
				ch.fail(base+r, ch.names[id], ch.nerr[id])
			}
			ch.ids = append(ch.ids, id)
		case dense.ns != nil:
			ch.ns = append(ch.ns, dense.ns[v])
		default:
			ch.fl = append(ch.fl, dense.fl[v])
		}
	}
	ch.n += nrows
	return nil
}

func countNulls(defs []byte, optional bool) int {
	if !optional {
		return 0
	}
	n := 0
	for _, l := range defs {
		if l == 0 {
			n++
		}
	}
	return n
}

// appendNull appends an absent value; row >= 0 is the row, bad if its
// field is required.
func (ch *chunk) appendNull(row int) {
	if row >= 0 {
		switch ch.col.field {
		case fCustomer:
			ch.fail(row, "", journey.ErrMissingCustomer)
		case fTime:
			ch.fail(row, "", journey.ErrMissingTime)
		case fStep:
			ch.fail(row, "", journey.ErrMissingStep)
		}
	}
	switch ch.col.field {
	case fTime:
		ch.ns = append(ch.ns, 0)
	case fValue:
		ch.fl = append(ch.fl, 0)
	default:
		ch.ids = append(ch.ids, null)
	}
}

// textTime returns the time of the name id, parsing each name once.
func (ch *chunk) textTime(id uint32) (int64, error) {
	for len(ch.timeOf) < len(ch.names) {
		t, err := eventio.ParseTime([]byte(ch.names[len(ch.timeOf)]), eventio.ReadOptions{Time: ch.opt.Time, Layout: ch.opt.Layout, Location: ch.opt.Location})
		ch.timeOf = append(ch.timeOf, t.UnixNano())
		ch.timeErr = append(ch.timeErr, err)
	}
	if err := ch.nerr[id]; err != nil {
		return 0, err
	}
	return ch.timeOf[id], ch.timeErr[id]
}

// convert converts the n values of vals (a page's or a dictionary's) to
// the form of the chunk's field, into out.
func (ch *chunk) convert(out *converted, vals encoding.Values, n int) error {
	out.ids, out.ns, out.fl = out.ids[:0], out.ns[:0], out.fl[:0]
	clear(out.errs)
	c := ch.col
	text := ch.textField() || c.kind == kText
	if text && out.ids == nil {
		out.ids = make([]uint32, 0, n)
	}
	if !text && c.field == fTime && out.ns == nil {
		out.ns = make([]int64, 0, n)
	}
	if !text && c.field == fValue && out.fl == nil {
		out.fl = make([]float64, 0, n)
	}
	bad := func(i int, value string, err error) {
		if out.errs == nil {
			out.errs = make(map[int]badValue)
		}
		out.errs[i] = badValue{value, err}
	}
	short := func(have int) error {
		if have < n {
			return fmt.Errorf("%w: column %q: %d values where %d are expected", ErrNotParquet, c.name, have, n)
		}
		return nil
	}
	switch {
	case c.phys == format.ByteArray:
		data, off := vals.ByteArray()
		if len(off) < n+1 {
			return short(len(off) - 1)
		}
		for i := range n {
			a, b := off[i], off[i+1]
			if a > b || int(b) > len(data) {
				return fmt.Errorf("%w: column %q: a value out of its page", ErrNotParquet, c.name)
			}
			out.ids = append(out.ids, ch.intern(data[a:b]))
		}
	case c.phys == format.Int32 || c.phys == format.Int64:
		var get func(int) int64
		var have int
		if c.phys == format.Int32 {
			v := vals.Int32()
			get, have = func(i int) int64 { return int64(v[i]) }, len(v)
		} else {
			v := vals.Int64()
			get, have = func(i int) int64 { return v[i] }, len(v)
		}
		if err := short(have); err != nil {
			return err
		}
		for i := range n {
			x := get(i)
			switch {
			case text && c.kind == kInt:
				out.ids = append(out.ids, ch.internInt(x))
			case text: // a timestamp or date as a property
				ns, err := ch.intTime(x)
				if err != nil {
					out.ids = append(out.ids, null)
					bad(i, strconv.FormatInt(x, 10), err)
					continue
				}
				out.ids = append(out.ids, ch.internString(time.Unix(0, ns).UTC().Format(time.RFC3339Nano)))
			case c.field == fTime:
				ns, err := ch.intTime(x)
				if err != nil {
					bad(i, strconv.FormatInt(x, 10), err)
				}
				out.ns = append(out.ns, ns)
			default:
				out.fl = append(out.fl, float64(x))
			}
		}
	case c.phys == format.Int96:
		v := vals.Int96()
		if err := short(len(v)); err != nil {
			return err
		}
		for i := range n {
			x := v[i]
			nod := int64(uint64(x[0]) | uint64(x[1])<<32)
			days := int64(x[2]) - 2440588 // the Julian day of 1970-01-01
			ns, err := int64(0), error(nil)
			if days > maxDays || days < -maxDays || nod < 0 || nod >= 86400e9 {
				err = fmt.Errorf("INT96 time (Julian day %d) is out of range (the log holds years 1678 to 2262): %w", x[2], journey.ErrBadTime)
			} else {
				ns = days*86400e9 + nod
			}
			switch {
			case err != nil && text:
				out.ids = append(out.ids, null)
				bad(i, fmt.Sprint(x), err)
			case err != nil:
				out.ns = append(out.ns, 0)
				bad(i, fmt.Sprint(x), err)
			case text:
				out.ids = append(out.ids, ch.internString(time.Unix(0, ns).UTC().Format(time.RFC3339Nano)))
			default:
				out.ns = append(out.ns, ns)
			}
		}
	case c.phys == format.Float || c.phys == format.Double:
		var get func(int) float64
		var have, bits int
		if c.phys == format.Float {
			v := vals.Float()
			get, have, bits = func(i int) float64 { return float64(v[i]) }, len(v), 32
		} else {
			v := vals.Double()
			get, have, bits = func(i int) float64 { return v[i] }, len(v), 64
		}
		if err := short(have); err != nil {
			return err
		}
		for i := range n {
			x := get(i)
			if text {
				out.ids = append(out.ids, ch.internString(strconv.FormatFloat(x, 'g', -1, bits)))
				continue
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				bad(i, strconv.FormatFloat(x, 'g', -1, bits), journey.ErrBadValue)
				x = 0
			}
			out.fl = append(out.fl, x)
		}
	case c.phys == format.Boolean:
		v := vals.Boolean()
		if len(v)*8 < n {
			return short(len(v) * 8)
		}
		for i := range n {
			s := "false"
			if v[i/8]>>(i%8)&1 != 0 {
				s = "true"
			}
			out.ids = append(out.ids, ch.internString(s))
		}
	default:
		return fmt.Errorf("%w %q: physical type %v", ErrUnsupported, c.name, c.phys)
	}
	return nil
}

// intTime returns the time of the integer x of a time column.
func (ch *chunk) intTime(x int64) (int64, error) {
	c := ch.col
	switch c.kind {
	case kTimestamp:
		if x > math.MaxInt64/c.unit || x < math.MinInt64/c.unit {
			return 0, fmt.Errorf("timestamp %d is out of range (the log holds years 1678 to 2262): %w", x, journey.ErrBadTime)
		}
		ns := x * c.unit
		if !c.utc {
			return ch.wall(ns)
		}
		return ns, nil
	case kDate:
		if x > maxDays || x < -maxDays {
			return 0, fmt.Errorf("date %d is out of range (the log holds years 1678 to 2262): %w", x, journey.ErrBadTime)
		}
		return ch.wall(x * 86400e9)
	}
	t, err := eventio.UnixTime(x, eventio.ReadOptions{Time: ch.opt.Time})
	if errors.Is(err, eventio.ErrBadOptions) {
		// A text format (RFC 3339, layout) says nothing of numbers: read
		// them by magnitude.
		t, err = eventio.UnixTime(x, eventio.ReadOptions{})
	}
	return t.UnixNano(), err
}

// wall returns the time whose wall clock in Options.Location reads as ns
// does in UTC: how a timestamp not adjusted to UTC, or a date, is read.
func (ch *chunk) wall(ns int64) (int64, error) {
	loc := ch.opt.Location
	if loc == nil || loc == time.UTC {
		return ns, nil
	}
	t := time.Unix(0, ns).UTC()
	w := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	if w.Year() < 1678 || w.Year() > 2261 {
		return 0, fmt.Errorf("time %s is out of range (the log holds years 1678 to 2262): %w", w.Format(time.RFC3339), journey.ErrBadTime)
	}
	return w.UnixNano(), nil
}

// intern returns the id of the text b, adding it to names if new.
func (ch *chunk) intern(b []byte) uint32 {
	if id, ok := ch.index[string(b)]; ok {
		return id
	}
	return ch.add(string(b))
}

func (ch *chunk) internString(s string) uint32 {
	if id, ok := ch.index[s]; ok {
		return id
	}
	return ch.add(s)
}

// internInt returns the id of the decimal text of x.
func (ch *chunk) internInt(x int64) uint32 {
	if ch.ints == nil {
		ch.ints = make(map[int64]uint32)
	}
	if id, ok := ch.ints[x]; ok {
		return id
	}
	id := ch.add(strconv.FormatInt(x, 10))
	ch.ints[x] = id
	return id
}

// add adds s to the names, with what makes it bad for the field.
func (ch *chunk) add(s string) uint32 {
	id := uint32(len(ch.names))
	ch.index[s] = id
	name := s
	var err error
	switch {
	case !utf8.ValidString(s):
		err = eventio.ErrInvalidUTF8
	case s == "" && ch.col.field == fCustomer:
		err = journey.ErrMissingCustomer
	case s == "" && ch.col.field == fStep:
		err = journey.ErrMissingStep
	case s == "" && ch.col.field == fTime:
		err = journey.ErrMissingTime
	case ch.col.field == fChannel && ch.opt.ParseChannels && s != "":
		var c touchpoint.Channel
		c, err = touchpoint.ParseChannel(s)
		name = string(c)
	}
	ch.names = append(ch.names, name)
	ch.nerr = append(ch.nerr, err)
	return id
}
