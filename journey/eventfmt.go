package journey

import (
	"hash/maphash"
	"sync/atomic"

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
// read in two stages interns the names and the sets of properties on its
// parsing goroutine, and hashes the customers once they do not come
// grouped, and adds the events on the caller's (addPrepared touches
// neither the dictionaries nor the sets).
type logSink struct {
	b    LogBuilder // the caller's goroutine's, in two stages
	told bool       // whether hashing is set

	// Prepare's, on the parser's goroutine in two stages, past a padding
	// that keeps them off the cache lines the caller's goroutine writes
	// for each row, and with their own copies of the builder's
	// dictionaries, which they would otherwise read from such lines.
	_       [par.CacheLine]byte
	hashing atomic.Bool // set by the caller's goroutine once b is scattered
	dicts   *[numBy]*dict
	props   *dict
	sets    propSets // the builder's, until Build
	seed    maphash.Seed
	row     rawRow
	kv      []uint32 // scratch of Prepare
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
		s.dicts, s.props, s.seed = &dicts, s.b.props, s.b.ct.seed
	}
	syms, kv, err := intern(s.dicts, s.props, s.raw(r), s.kv[:0])
	if err != nil {
		return err
	}
	s.kv = kv
	*p = eventfmt.Prepared{Customer: r.Customer, Nanos: r.Nanos, Value: r.Value}
	copy(p.IDs[:], syms[:])
	if len(kv) > 0 {
		p.IDs[numBy] = s.sets.id(kv)
	}
	if s.hashing.Load() {
		p.Hash, p.Hashed = maphash.Bytes(s.seed, r.Customer), true
	}
	return nil
}

func (s *logSink) AddPrepared(p *eventfmt.Prepared) error {
	err := s.b.addPrepared(p.Customer, p.Hash, p.Hashed, p.Nanos, [numBy]uint32(p.IDs[:numBy]), p.Value, p.IDs[numBy])
	if !s.told && s.b.scattered {
		s.hashing.Store(true)
		s.told = true
	}
	return sinkErr(err)
}

// sinkErr marks the errors of the builder that stop a read.
func sinkErr(err error) error {
	if err == ErrTooLarge {
		return eventfmt.Fatal(err)
	}
	return err
}

func (s *logSink) Build() (any, error) {
	if s.dicts != nil { // a read in two stages: the sets are Prepare's
		s.b.sets = s.sets
	}
	return s.b.Build()
}

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
