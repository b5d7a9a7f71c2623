package parcoursbeam

import (
	"fmt"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parcours-go/parcours/journey"
)

// keyFn keys an event by its customer, which it drops from the value:
// the key carries it through the shuffle once.
func keyFn(e Event) (string, Event) {
	c := e.Customer
	e.Customer = ""
	return c, e
}

// GroupByCustomer groups events by customer: a PCollection of
// KV<string, iterable of Event>, the customer id as the key, each event
// without its Customer (the key holds it). Every transform of this
// package takes its output, so that one shuffle of the events serves them
// all. Its cost is the shuffle: each event is encoded (Event.MarshalBinary,
// about 25 bytes for short names, plus its customer once per group),
// sent to the worker that holds its customer, and decoded.
func GroupByCustomer(s beam.Scope, events beam.PCollection) beam.PCollection {
	s = s.Scope("parcoursbeam.GroupByCustomer")
	return beam.GroupByKey(s, beam.ParDo(s, keyFn, events))
}

// Tuning says how a transform spreads its work; the zero value is the
// default for each field.
type Tuning struct {
	// BatchEvents is the number of events after which a worker turns the
	// customers it has gathered into one log and counts its partial
	// aggregate; 0 means 65,536. Larger batches mean fewer, larger
	// partials to combine; a worker holds about 24 bytes per event of its
	// batch.
	BatchEvents int
	// Fanout, if more than 1, merges the partials in two levels: first in
	// Fanout groups (keyed by partial, round robin), then the Fanout
	// results on one worker, so that the last worker merges Fanout
	// partials instead of one per bundle of the pipeline. 0 or 1 merges
	// them in one level, after each bundle's own merge.
	Fanout int
}

func (t Tuning) batch() int {
	if t.BatchEvents <= 0 {
		return 1 << 16
	}
	return t.BatchEvents
}

// batcher gathers the events of whole customers into a log.
type batcher struct {
	b journey.LogBuilder
}

// add adds a customer's events and reports whether the batch is full.
func (b *batcher) add(customer string, events func(*Event) bool, max int) (bool, error) {
	var e Event
	for events(&e) {
		e.Customer = customer
		if err := b.b.Add(e.Journey()); err != nil {
			return false, fmt.Errorf("parcoursbeam: customer %q: %w", customer, err)
		}
	}
	return b.b.Len() >= max, nil
}

// flush counts the partial aggregate of the batch with count and emits
// it, if the batch holds any event.
func flush[T any](b *batcher, count func(*journey.Log) (T, error), emit func(T)) error {
	if b.b.Len() == 0 {
		return nil
	}
	l, err := b.b.Build()
	if err != nil {
		return fmt.Errorf("parcoursbeam: %w", err)
	}
	a, err := count(l)
	if err != nil {
		return err
	}
	emit(a)
	return nil
}

// roundRobinFn keys elements 0, 1, … N-1 in turn, for the first level of
// a combine tree.
type roundRobinFn struct {
	N int
	i int
}

func (f *roundRobinFn) ProcessElement(x beam.T) (int, beam.T) {
	f.i = (f.i + 1) % max(1, f.N)
	return f.i, x
}

// combine merges partials with fn, in the levels fanout asks for, with
// the one partial that empty (a DoFn of an impulse) emits, so that the
// result is there even when partials is empty.
func combine(s beam.Scope, fn any, partials beam.PCollection, empty any, fanout int) beam.PCollection {
	partials = beam.Flatten(s, partials, beam.ParDo(s, empty, beam.Impulse(s)))
	if fanout > 1 {
		keyed := beam.ParDo(s, &roundRobinFn{N: fanout}, partials)
		partials = beam.DropKey(s, beam.CombinePerKey(s, fn, keyed))
	}
	return beam.Combine(s, fn, partials)
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

func init() {
	register.Function1x2(keyFn)
	register.DoFn1x2[beam.T, int, beam.T](&roundRobinFn{})
}
