package journey

import (
	"github.com/parcours-go/parcours/internal/eventfmt"
	"github.com/parcours-go/parcours/internal/logcols"
	"github.com/parcours-go/parcours/internal/par"
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

// logSink builds a log from parsed rows. It is an eventfmt.Preparer: a
// read in two stages interns the names on its parsing goroutine (intern
// touches only the builder's dictionaries) and adds the events on the
// caller's (addInterned touches all but them).
type logSink struct {
	b LogBuilder // the caller's goroutine's, in two stages

	// Prepare's, on the parser's goroutine in two stages, past a padding
	// that keeps them off the cache lines the caller's goroutine writes
	// for each row, and with their own copies of the builder's
	// dictionaries, which they would otherwise read from such lines.
	_     [par.CacheLine]byte
	dicts *[numBy]*dict
	props *dict
	row   rawRow
	kv    []uint32 // scratch of Prepare
}

func (s *logSink) raw(r *eventfmt.Row) *rawRow {
	row := &s.row
	row.customer, row.step, row.channel, row.touchpoint = r.Customer, r.Step, r.Channel, r.Touchpoint
	row.nanos, row.value, row.props = r.Nanos, r.Value, r.Props
	return row
}

func (s *logSink) AddRow(r *eventfmt.Row) error { return sinkErr(s.b.addRaw(s.raw(r))) }

func (s *logSink) Prepare(r *eventfmt.Row, p *eventfmt.Prepared) error {
	if s.dicts == nil {
		// Before the first row reaches the caller's goroutine.
		s.b.init()
		dicts := s.b.dicts
		s.dicts, s.props = &dicts, s.b.props
	}
	syms, kv, err := intern(s.dicts, s.props, s.raw(r), s.kv[:0])
	if err != nil {
		return err
	}
	s.kv = kv
	*p = eventfmt.Prepared{Customer: r.Customer, IDs: syms, KV: kv, Nanos: r.Nanos, Value: r.Value}
	return nil
}

func (s *logSink) AddPrepared(p *eventfmt.Prepared) error {
	return sinkErr(s.b.addInterned(p.Customer, p.Nanos, p.IDs, p.Value, p.KV))
}

// sinkErr marks the errors of the builder that stop a read.
func sinkErr(err error) error {
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
