package graph

import (
	"fmt"

	"github.com/parcours-go/parcours/internal/graphcounts"
)

// Package journey fills Counts from a log's symbol columns through
// internal/graphcounts, one call per distinct state and transition.
func init() {
	graphcounts.New = func(order int, keep bool) (any, graphcounts.Filler) {
		c := &Counts{Order: order, KeepRepeats: keep}
		c.init()
		return c, &filler{c: c}
	}
}

type filler struct {
	c   *Counts
	key []byte
}

func (f *filler) End(name string) int32 { return f.c.endState(name) }

func (f *filler) Tuple(parts []string) int32 {
	f.key = appendTupleKey(f.key[:0], parts)
	return f.c.tupleState(string(f.key), parts)
}

func (f *filler) Add(from, to int32, n float64) { f.c.addEdge(from, to, n) }

func (f *filler) Spec(s string) { f.c.spec = s }

func (f *filler) Customer(id string) { f.c.sample.Add(id) }

func (f *filler) Fail(err error) { f.c.bad.add(fmt.Errorf("counting stopped: %w", err)) }
