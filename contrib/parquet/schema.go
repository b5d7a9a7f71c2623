package parquet

import (
	"errors"
	"fmt"
	"strings"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/parcours-go/parcours/journey/eventio"
)

// The event fields a column can hold, in the order bad rows are checked.
const (
	fCustomer = iota
	fTime
	fStep
	fChannel
	fTouchpoint
	fValue
	fProp
	numFields = fProp
)

var fieldDefaults = [numFields]string{"customer", "time", "step", "channel", "touchpoint", "value"}

// kind is how a column's values are stored, after its logical type.
type kind uint8

const (
	kText      kind = iota // BYTE_ARRAY: text (STRING, ENUM, JSON or no annotation)
	kInt                   // INT32 or INT64 without a time annotation
	kTimestamp             // INT64 TIMESTAMP(unit)
	kDate                  // INT32 DATE: days since 1970-01-01
	kInt96                 // INT96: legacy Impala and Spark timestamps
	kFloat                 // FLOAT or DOUBLE
	kBool                  // BOOLEAN
)

// column is one top-level leaf of the file that the read uses.
type column struct {
	name     string // as the file names it
	leaf     int    // its index among the file's leaf columns
	field    int    // fCustomer … fProp
	phys     format.Type
	kind     kind
	unit     int64 // kTimestamp: nanoseconds per unit
	utc      bool  // kTimestamp: adjusted to UTC (else wall-clock time in Location)
	optional bool
}

// ErrUnsupported is wrapped by the errors about columns the reader cannot
// read: nested or repeated columns, and types that an event field cannot
// hold (a DECIMAL value, a FIXED_LEN_BYTE_ARRAY customer …).
var ErrUnsupported = errors.New("unsupported column")

// ErrNotParquet is wrapped by the error of a file that is not Parquet or
// is damaged.
var ErrNotParquet = errors.New("not a valid Parquet file")

// plan maps the file's columns to event fields as opt says, or returns
// an error naming the column at fault; missing required columns are
// listed with the columns the file has.
func plan(f *pq.File, opt *Options) ([]column, error) {
	var names [numFields]string
	for k := range names {
		names[k] = fieldDefaults[k]
	}
	for k, n := range [...]string{opt.Columns.Customer, opt.Columns.Time, opt.Columns.Step, opt.Columns.Channel, opt.Columns.Touchpoint, opt.Columns.Value} {
		if n != "" {
			names[k] = n
		}
	}
	for i, n := range names {
		for _, m := range names[:i] {
			if strings.EqualFold(n, m) {
				return nil, fmt.Errorf("%w: two fields are named %q", eventio.ErrBadOptions, n)
			}
		}
	}
	schema := f.Metadata().Schema
	if len(schema) == 0 {
		return nil, fmt.Errorf("%w: no schema", ErrNotParquet)
	}
	var cols []column
	var all []string
	found := [numFields]bool{}
	leaf := 0
	// Walk the top-level fields of the flattened schema; a group's leaves
	// are counted but not read.
	roots, _ := schema[0].NumChildren.Get()
	i := 1
	for range roots {
		if i >= len(schema) {
			return nil, fmt.Errorf("%w: the schema lists fewer fields than it says", ErrNotParquet)
		}
		el := &schema[i]
		all = append(all, el.Name)
		field := fProp
		for k, n := range names {
			if strings.EqualFold(el.Name, n) {
				field = k
			}
		}
		if field < numFields {
			if found[field] {
				return nil, fmt.Errorf("%w: two columns are named %q", eventio.ErrBadHeader, names[field])
			}
			found[field] = true
		}
		nested := false
		end, leaves, err := subtree(schema, i)
		if err != nil {
			return nil, err
		}
		if end != i+1 {
			nested = true
		}
		rep, _ := el.RepetitionType.Get()
		if nested || rep == format.Repeated {
			if field < numFields || opt.Extra == eventio.ExtraProps {
				what := "a nested group"
				if !nested {
					what = "a repeated field"
				}
				return nil, fmt.Errorf("%w %q: %s; only flat columns are read (flatten it, or drop it with Extra ignore)", ErrUnsupported, el.Name, what)
			}
		}
		switch {
		case field == fProp && opt.Extra == eventio.ExtraError:
			return nil, fmt.Errorf("%w: column %q is no event field", eventio.ErrBadHeader, el.Name)
		case field == fProp && opt.Extra == eventio.ExtraIgnore, nested || rep == format.Repeated:
		default:
			c, err := newColumn(el, leaf, field)
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
		leaf += leaves
		i = end
	}
	var missing []string
	for k := range fStep + 1 {
		if !found[k] {
			missing = append(missing, fmt.Sprintf("%s (%q)", fieldDefaults[k], names[k]))
		}
	}
	if missing != nil {
		return nil, fmt.Errorf("%w: no column for %s; the file has %s (name the columns with Options.Columns)",
			eventio.ErrBadHeader, strings.Join(missing, ", "), quoteList(all))
	}
	return cols, nil
}

// subtree returns the index after the subtree of the schema element at
// i, and the number of leaves in it.
func subtree(schema []format.SchemaElement, i int) (end, leaves int, err error) {
	pending := 1
	for pending > 0 {
		if i >= len(schema) {
			return 0, 0, fmt.Errorf("%w: the schema ends inside a group", ErrNotParquet)
		}
		n, _ := schema[i].NumChildren.Get()
		if n < 0 || n > int32(len(schema)) {
			return 0, 0, fmt.Errorf("%w: a schema group of %d fields", ErrNotParquet, n)
		}
		if n == 0 {
			leaves++
		}
		pending += int(n) - 1
		i++
	}
	return i, leaves, nil
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no columns"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// newColumn checks that the leaf el can hold field and says how to read it.
func newColumn(el *format.SchemaElement, leaf, field int) (column, error) {
	rep, _ := el.RepetitionType.Get()
	c := column{name: el.Name, leaf: leaf, field: field, optional: rep == format.Optional}
	phys, ok := el.Type.Get()
	if !ok {
		return c, fmt.Errorf("%w %q: no physical type", ErrNotParquet, el.Name)
	}
	c.phys = phys
	conv, _ := el.ConvertedType.Get()
	lt := el.LogicalType.Value
	unsupported := func(what string) (column, error) {
		return c, fmt.Errorf("%w %q: %s cannot hold %s", ErrUnsupported, el.Name, what, fieldName(field))
	}
	switch phys {
	case format.ByteArray:
		switch lt.(type) {
		case nil, *format.StringType, *format.EnumType, *format.JsonType:
		default:
			return unsupported("a BYTE_ARRAY of logical type " + lt.String())
		}
		c.kind = kText
	case format.Int32, format.Int64:
		c.kind = kInt
		switch t := lt.(type) {
		case *format.TimestampType:
			c.kind, c.utc = kTimestamp, t.IsAdjustedToUTC
			switch t.Unit.Value.(type) {
			case *format.MilliSeconds:
				c.unit = 1e6
			case *format.MicroSeconds:
				c.unit = 1e3
			case *format.NanoSeconds:
				c.unit = 1
			default:
				return unsupported("a TIMESTAMP of unknown unit")
			}
		case *format.DateType:
			c.kind = kDate
		case *format.DecimalType:
			return unsupported("a DECIMAL")
		case *format.TimeType:
			return unsupported("a TIME of day")
		case nil, *format.IntType:
			switch conv {
			case deprecated.TimestampMillis:
				c.kind, c.unit, c.utc = kTimestamp, 1e6, true
			case deprecated.TimestampMicros:
				c.kind, c.unit, c.utc = kTimestamp, 1e3, true
			case deprecated.Date:
				c.kind = kDate
			case deprecated.Decimal:
				return unsupported("a DECIMAL")
			case deprecated.TimeMillis, deprecated.TimeMicros:
				return unsupported("a TIME of day")
			}
		default:
			return unsupported("an integer of logical type " + lt.String())
		}
		if c.kind == kTimestamp && phys != format.Int64 || c.kind == kDate && phys != format.Int32 {
			return unsupported(fmt.Sprintf("a %v of physical type %v", lt, phys))
		}
	case format.Int96:
		c.kind = kInt96
	case format.Float, format.Double:
		c.kind = kFloat
	case format.Boolean:
		c.kind = kBool
	default:
		return unsupported("a " + phys.String())
	}
	ok = false
	switch field {
	case fCustomer, fStep, fChannel, fTouchpoint:
		ok = c.kind == kText || c.kind == kInt
	case fTime:
		ok = c.kind != kFloat && c.kind != kBool
	case fValue:
		ok = c.kind == kFloat || c.kind == kInt
	case fProp:
		ok = true
	}
	if !ok {
		return unsupported(kindName(c))
	}
	return c, nil
}

func fieldName(field int) string {
	if field == fProp {
		return "a property"
	}
	return "the " + fieldDefaults[field]
}

func kindName(c column) string {
	switch c.kind {
	case kText:
		return "text"
	case kTimestamp:
		return "a timestamp"
	case kDate:
		return "a date"
	case kInt96:
		return "an INT96 timestamp"
	case kFloat:
		return "a floating-point number"
	case kBool:
		return "a boolean"
	}
	return "an integer"
}
