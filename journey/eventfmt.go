package journey

import (
	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/internal/logcols"
)

// The readers of package eventio parse rows with internal/eventfmt, which
// hands them to a logSink: the rows go to a LogBuilder without a journey
// Event per row, their strings interned once. The writers read a log's
// columns through columns.
func init() {
	eventfmt.NewSink = func() eventfmt.Sink { return &logSink{} }
	eventfmt.SourceOf = func(l any) *logcols.Log { return l.(*Log).columns() }
	eventfmt.ErrMissingCustomer = ErrMissingCustomer
	eventfmt.ErrMissingTime = ErrMissingTime
	eventfmt.ErrMissingStep = ErrMissingStep
	eventfmt.ErrBadTime = ErrBadTime
	eventfmt.ErrBadValue = ErrBadValue
}

// logSink builds a log from parsed rows.
type logSink struct {
	b   LogBuilder
	row rawRow
}

func (s *logSink) AddRow(r *eventfmt.Row) error {
	row := &s.row
	row.customer, row.step, row.channel, row.touchpoint = r.Customer, r.Step, r.Channel, r.Touchpoint
	row.nanos, row.value, row.props = r.Nanos, r.Value, r.Props
	err := s.b.addRaw(row)
	if err == ErrTooLarge {
		return eventfmt.Fatal(err)
	}
	return err
}

func (s *logSink) Build() (any, error) { return s.b.Build() }

// Grow makes room for about n events in all.
func (s *logSink) Grow(n int) { s.b.grow(n) }

// columns returns a view of the log's columns, not a copy.
func (l *Log) columns() *logcols.Log {
	c := &logcols.Log{
		Customers: l.customers,
		Offsets:   l.offsets,
		Times:     l.times,
		Syms:      l.syms,
		ValIdx:    l.valIdx,
		Vals:      l.vals,
		PropIdx:   l.propIdx,
		PropSet:   l.propSet,
		SetKV:     l.sets.kv,
		SetEnd:    l.sets.end,
	}
	for by := range c.Names {
		c.Names[by] = l.dicts[by].names
	}
	if l.props != nil {
		c.PropNames = l.props.names
	}
	return c
}
