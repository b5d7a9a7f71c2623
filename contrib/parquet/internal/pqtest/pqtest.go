// Package pqtest writes Parquet files for the tests, the benchmarks and
// the tools of contrib/parquet: tables of columns given as Go values, and
// event logs in the layout exports use.
package pqtest

import (
	"fmt"
	"io"
	"slices"
	"strings"

	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/parcours-go/parcours/journey"
)

// Col is one column of a table: its name, its Parquet node (type,
// encoding, optional or not) and one value a row: nil (null), string,
// []byte, bool, int32, int64, float32, float64 or deprecated.Int96.
type Col struct {
	Name   string
	Node   pq.Node
	Values []any
}

// Write writes the columns as a Parquet file, rowsPerGroup rows a row
// group (all in one if 0), with the writer options given.
func Write(w io.Writer, cols []Col, rowsPerGroup int, opts ...pq.WriterOption) error {
	g := pq.Group{}
	n := -1
	for _, c := range cols {
		g[c.Name] = c.Node
		if n >= 0 && len(c.Values) != n {
			return fmt.Errorf("pqtest: column %q has %d values, not %d", c.Name, len(c.Values), n)
		}
		n = len(c.Values)
	}
	schema := pq.NewSchema("events", g)
	opts = append([]pq.WriterOption{schema}, opts...)
	if rowsPerGroup > 0 {
		opts = append(opts, pq.MaxRowsPerRowGroup(int64(rowsPerGroup)))
	}
	pw := pq.NewWriter(w, opts...)
	type leaf struct {
		col, def int
	}
	leaves := make([]leaf, len(cols))
	for k, c := range cols {
		lc, ok := schema.Lookup(c.Name)
		if !ok {
			return fmt.Errorf("pqtest: no leaf %q", c.Name)
		}
		leaves[k] = leaf{lc.ColumnIndex, lc.MaxDefinitionLevel}
	}
	order := make([]int, len(cols))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return leaves[a].col - leaves[b].col })
	rows := make([]pq.Row, 0, 1024)
	flush := func() error {
		if _, err := pw.WriteRows(rows); err != nil {
			return err
		}
		rows = rows[:0]
		return nil
	}
	for r := range max(n, 0) {
		row := make(pq.Row, 0, len(cols))
		for _, k := range order {
			v, err := value(cols[k].Values[r])
			if err != nil {
				return fmt.Errorf("pqtest: column %q row %d: %w", cols[k].Name, r, err)
			}
			def := leaves[k].def
			if v.IsNull() {
				def = 0
			}
			row = append(row, v.Level(0, def, leaves[k].col))
		}
		rows = append(rows, row)
		if len(rows) == cap(rows) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return pw.Close()
}

func value(x any) (pq.Value, error) {
	switch v := x.(type) {
	case nil:
		return pq.NullValue(), nil
	case string:
		return pq.ByteArrayValue([]byte(v)), nil
	case []byte:
		return pq.ByteArrayValue(v), nil
	case bool:
		return pq.BooleanValue(v), nil
	case int32:
		return pq.Int32Value(v), nil
	case int64:
		return pq.Int64Value(v), nil
	case float32:
		return pq.FloatValue(v), nil
	case float64:
		return pq.DoubleValue(v), nil
	case deprecated.Int96:
		return pq.Int96Value(v), nil
	}
	return pq.Value{}, fmt.Errorf("unsupported value %T", x)
}

// Text is a text column: dictionary-encoded if dict, optional if optional.
func Text(dict, optional bool) pq.Node {
	var n pq.Node = pq.String()
	if dict {
		n = pq.Encoded(n, &pq.RLEDictionary)
	} else {
		n = pq.Encoded(n, &pq.Plain)
	}
	if optional {
		n = pq.Optional(n)
	}
	return n
}

// LogOptions say how WriteLog writes a log.
type LogOptions struct {
	// Customer, Time, Step, Channel: the column names; empty means the
	// defaults customer, time, step, channel.
	Customer, Time, Step, Channel string
	// IntCustomers writes the customers as INT64 (they must be decimal).
	IntCustomers bool
	// Plain writes text without dictionaries.
	Plain bool
	// TimeByOrder writes the rows in time order (as exports are), not
	// customer by customer.
	TimeByOrder bool
	// RowsPerGroup: rows a row group; 0 means 1 << 20.
	RowsPerGroup int
}

// WriteLog writes the events of l as a Parquet table: customer (text,
// or INT64), time (TIMESTAMP in microseconds, UTC), step, channel,
// touchpoint and value (optional), and one optional text column per
// property key.
func WriteLog(w io.Writer, l *journey.Log, opt LogOptions) error {
	name := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	events := l.Events()
	if opt.TimeByOrder {
		slices.SortStableFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	}
	keys := map[string]bool{}
	for _, e := range events {
		for k := range e.Props {
			keys[k] = true
		}
	}
	n := len(events)
	cust := make([]any, n)
	ts := make([]any, n)
	step := make([]any, n)
	channel := make([]any, n)
	tp := make([]any, n)
	val := make([]any, n)
	props := map[string][]any{}
	for k := range keys {
		props[k] = make([]any, n)
	}
	for i, e := range events {
		if opt.IntCustomers {
			var x int64
			if _, err := fmt.Sscan(e.Customer, &x); err != nil {
				return fmt.Errorf("pqtest: customer %q is not an integer", e.Customer)
			}
			cust[i] = x
		} else {
			cust[i] = e.Customer
		}
		ts[i] = e.Time.UnixMicro()
		step[i] = e.Step
		if e.Channel != "" {
			channel[i] = string(e.Channel)
		}
		if e.Touchpoint != "" {
			tp[i] = e.Touchpoint
		}
		if e.Value != 0 {
			val[i] = e.Value
		}
		for k, v := range e.Props {
			props[k][i] = v
		}
	}
	custNode := Text(!opt.Plain, false)
	if opt.IntCustomers {
		custNode = pq.Int(64)
	}
	cols := []Col{
		{name(opt.Customer, "customer"), custNode, cust},
		{name(opt.Time, "time"), pq.Timestamp(pq.Microsecond), ts},
		{name(opt.Step, "step"), Text(!opt.Plain, false), step},
		{name(opt.Channel, "channel"), Text(!opt.Plain, true), channel},
		{"touchpoint", Text(!opt.Plain, true), tp},
		{"value", pq.Optional(pq.Leaf(pq.DoubleType)), val},
	}
	for k := range keys {
		if strings.EqualFold(k, "value") || strings.EqualFold(k, "touchpoint") {
			return fmt.Errorf("pqtest: property %q names a field", k)
		}
		cols = append(cols, Col{k, Text(!opt.Plain, true), props[k]})
	}
	rpg := opt.RowsPerGroup
	if rpg == 0 {
		rpg = 1 << 20
	}
	return Write(w, cols, rpg)
}
