package impact

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
)

// counts counts pairs of small integers: in a dense table when it is
// small, in a map otherwise.
type counts struct {
	w     int
	dense []int64
	m     map[uint64]int64
}

// denseCounts is the largest table counted densely (8 MiB of counters).
const denseCounts = 1 << 20

func newCounts(rows, cols int) *counts {
	c := &counts{w: cols}
	if rows*cols <= denseCounts {
		c.dense = make([]int64, rows*cols)
	} else {
		c.m = make(map[uint64]int64)
	}
	return c
}

func (c *counts) add(a, b int) {
	if c.dense != nil {
		c.dense[a*c.w+b]++
		return
	}
	c.m[uint64(a)<<32|uint64(b)]++
}

func (c *counts) merge(o *counts) {
	if c.dense != nil {
		for i, n := range o.dense {
			c.dense[i] += n
		}
		return
	}
	for k, n := range o.m {
		c.m[k] += n
	}
}

// each calls f with every pair counted, in increasing order of a then b
// for a dense table, in no order for a map.
func (c *counts) each(f func(a, b int, n int64)) {
	if c.dense != nil {
		for i, n := range c.dense {
			if n > 0 {
				f(i/c.w, i%c.w, n)
			}
		}
		return
	}
	for k, n := range c.m {
		f(int(k>>32), int(uint32(k)), n)
	}
}

// observed is what one pass over a log gives: the graph of the whole
// journey, the graph of each objective's journey up to its goal, and the
// contacts at each step by touchpoint and by channel.
type observed struct {
	customers int
	full      *graph.Graph
	obj       [len(objectives.All)]*graph.Graph
	// byTP and byCh count the events of each step (by step symbol) per
	// touchpoint and per channel symbol.
	byTP, byCh *counts
	// goalEvents counts, per objective, the customers who achieved it by
	// an event (a goal property or a conversion marker) rather than by
	// reaching a goal step.
	goalEvents [len(objectives.All)]int
	// badGoal holds the goal-property values that name no objective.
	badGoal map[string]bool
}

// tally is one worker's counts.
type tally struct {
	full       *counts
	obj        [len(objectives.All)]*counts
	byTP, byCh *counts
	goalEvents [len(objectives.All)]int
	props      map[string]uint8
	badGoal    map[string]bool
}

// countLog reads every customer's path, by step at order 1, consecutive
// repeats collapsed (as journey.Learn reads it): the whole path into the
// journey graph, and for each objective the path up to its first goal
// event: a goal step ends it there (the step being a goal state), a goal
// event at another step goes on to Conversion. An event whose step is
// graph.Conversion or graph.Exit (a simulated log's end markers) ends
// the path: in Exit, or for the objective convGoal in Conversion.
//
// goalSteps lists each objective's goal steps; prop, if not empty, is
// the property whose value names the objectives an event achieves. It
// takes O(n) time for n events, spread over workers goroutines.
func countLog(ctx context.Context, l *journey.Log, goalSteps [len(objectives.All)][]string, prop string, convGoal objectives.Objective, workers int) (*observed, error) {
	S := l.NumNames(journey.ByStep)
	start, exit, conv := S, S+1, S+2
	W := S + 3
	stepGoal := make([]uint8, S)
	for k, steps := range goalSteps {
		for _, s := range steps {
			if id, ok := l.Lookup(journey.ByStep, s); ok {
				stepGoal[id] |= 1 << k
			}
		}
	}
	// marker[s]: 1 ends the path in Conversion, 2 in Exit.
	marker := make([]uint8, S)
	if id, ok := l.Lookup(journey.ByStep, graph.Conversion); ok {
		marker[id] = 1
	}
	if id, ok := l.Lookup(journey.ByStep, graph.Exit); ok {
		marker[id] = 2
	}
	convBit := uint8(0)
	if convGoal.IsValid() {
		convBit = 1 << (convGoal - 1)
	}
	usesProps := prop != "" && l.HasProps()
	T, C := l.NumNames(journey.ByTouchpoint), l.NumNames(journey.ByChannel)
	const all = 1<<len(objectives.All) - 1

	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := l.Customers()
	workers = max(1, min(workers, n/1024+1))
	parts := make([]*tally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tally{full: newCounts(W, W), byTP: newCounts(S, T), byCh: newCounts(S, C)}
			for k := range t.obj {
				t.obj[k] = newCounts(W, W)
			}
			if usesProps {
				t.props = make(map[string]uint8)
			}
			var prev [len(objectives.All)]int
			for c := lo; c < hi; c++ {
				if (c-lo)&4095 == 0 && ctx != nil && ctx.Err() != nil {
					break
				}
				a, b := l.Span(c)
				prevF := start
				for k := range prev {
					prev[k] = start
				}
				done := uint8(0)
				end := exit
				for i := a; i < b; i++ {
					s := l.Symbol(journey.ByStep, i)
					if m := marker[s]; m != 0 {
						end = exit
						if m == 1 {
							end = conv
						}
						break
					}
					if s != prevF {
						t.full.add(prevF, s)
						prevF = s
					}
					t.byTP.add(s, l.Symbol(journey.ByTouchpoint, i))
					t.byCh.add(s, l.Symbol(journey.ByChannel, i))
					if done == all {
						continue
					}
					pm := uint8(0)
					if usesProps {
						pm = t.propMask(l, i, prop)
					}
					for k := range prev {
						bit := uint8(1) << k
						if done&bit != 0 {
							continue
						}
						if s != prev[k] {
							t.obj[k].add(prev[k], s)
							prev[k] = s
						}
						switch {
						case stepGoal[s]&bit != 0:
							done |= bit
						case pm&bit != 0:
							t.obj[k].add(s, conv)
							t.goalEvents[k]++
							done |= bit
						}
					}
				}
				t.full.add(prevF, end)
				for k := range prev {
					bit := uint8(1) << k
					if done&bit != 0 {
						continue
					}
					if end == conv && bit == convBit {
						t.obj[k].add(prev[k], conv)
						t.goalEvents[k]++
					} else {
						t.obj[k].add(prev[k], exit)
					}
				}
			}
			parts[w] = t
		}()
	}
	wg.Wait()
	if ctx != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	total := parts[0]
	for _, p := range parts[1:] {
		total.full.merge(p.full)
		for k := range total.obj {
			total.obj[k].merge(p.obj[k])
			total.goalEvents[k] += p.goalEvents[k]
		}
		total.byTP.merge(p.byTP)
		total.byCh.merge(p.byCh)
		for v := range p.badGoal {
			if total.badGoal == nil {
				total.badGoal = make(map[string]bool)
			}
			total.badGoal[v] = true
		}
	}

	name := func(s int) string {
		switch s {
		case start:
			return graph.Start
		case exit:
			return graph.Exit
		case conv:
			return graph.Conversion
		}
		return l.Name(journey.ByStep, s)
	}
	build := func(c *counts) (*graph.Graph, error) {
		var b graph.Builder
		c.each(func(from, to int, k int64) { b.Add(name(from), name(to), float64(k)) })
		return b.Build()
	}
	o := &observed{customers: n, byTP: total.byTP, byCh: total.byCh, goalEvents: total.goalEvents, badGoal: total.badGoal}
	var err error
	if o.full, err = build(total.full); err != nil {
		return nil, fmt.Errorf("impact: the log's journey: %w", err)
	}
	for k := range o.obj {
		if o.obj[k], err = build(total.obj[k]); err != nil {
			return nil, fmt.Errorf("impact: the log's journey to %v: %w", objectives.All[k], err)
		}
	}
	return o, nil
}

// propMask returns the objectives named by event i's goal property.
func (t *tally) propMask(l *journey.Log, i int, prop string) uint8 {
	v, ok := l.Prop(i, prop)
	if !ok {
		return 0
	}
	if m, ok := t.props[v]; ok {
		return m
	}
	m := uint8(0)
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if o, err := objectives.Parse(f); err == nil {
			m |= 1 << (o - 1)
		} else if strings.TrimSpace(f) != "" {
			if t.badGoal == nil {
				t.badGoal = make(map[string]bool)
			}
			t.badGoal[strings.TrimSpace(f)] = true
		}
	}
	t.props[v] = m
	return m
}
