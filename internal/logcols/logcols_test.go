package logcols_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-go/parcours/internal/logcols"
	"github.com/parcours-go/parcours/journey"
)

// good returns the columns of a valid two-customer log: c1 visits then
// buys (value 9.5, property device=app), c2 visits.
func good() *logcols.Log {
	return &logcols.Log{
		Customers: []string{"c1", "c2"},
		Offsets:   []uint32{0, 2, 3},
		Times:     []int64{10, 20, 15},
		Syms:      [3][]uint32{{0, 1, 0}, {0, 1, 1}, {0, 1, 1}},
		Names:     [3][]string{{"visit", "buy"}, {"web", ""}, {"page", ""}},
		ValIdx:    []uint32{1},
		Vals:      []float64{9.5},
		PropIdx:   []uint32{1},
		PropSet:   []uint32{1},
		SetKV:     []uint32{0, 1},
		SetEnd:    []uint32{0, 2},
		PropNames: []string{"device", "app"},
	}
}

func TestNewBuildsTheLog(t *testing.T) {
	got, err := logcols.New(good())
	if err != nil {
		t.Fatal(err)
	}
	l := got.(*journey.Log)
	want := []journey.Event{
		{Customer: "c1", Time: time.Unix(0, 10).UTC(), Step: "visit", Channel: "web", Touchpoint: "page"},
		{Customer: "c1", Time: time.Unix(0, 20).UTC(), Step: "buy", Value: 9.5, Props: map[string]string{"device": "app"}},
		{Customer: "c2", Time: time.Unix(0, 15).UTC(), Step: "visit"},
	}
	if diff := cmp.Diff(want, l.Events()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if id, ok := l.Lookup(journey.ByStep, "buy"); !ok || id != 1 {
		t.Errorf("Lookup(buy) = %d, %v; want 1, true: ids are the columns' own", id, ok)
	}
}

func TestCheckRejects(t *testing.T) {
	tests := []struct {
		name, reason string
		edit         func(c *logcols.Log)
		want         string
	}{
		{"unsorted customers", "ids must increase", func(c *logcols.Log) { c.Customers = []string{"c2", "c1"} }, `customer "c1" does not sort after "c2"`},
		{"empty customer", "every customer has an id", func(c *logcols.Log) { c.Customers[0] = "" }, "customer 0 has an empty id"},
		{"customer without event", "offsets must increase", func(c *logcols.Log) {
			c.Customers = []string{"c1", "c2", "c3"}
			c.Offsets = []uint32{0, 2, 2, 3}
		}, `customer "c2" has no event`},
		{"short offsets", "one more offset than customers", func(c *logcols.Log) { c.Offsets = c.Offsets[:2] }, "offsets do not span the 3 events of 2 customers"},
		{"time order", "a customer's events in time order", func(c *logcols.Log) { c.Times[1] = 5 }, `customer "c1": event 1 is earlier than the one before`},
		{"short column", "every symbol column has an entry per event", func(c *logcols.Log) { c.Syms[2] = c.Syms[2][:2] }, "symbol column 2 has 2 entries for 3 events"},
		{"bad symbol", "ids index the names", func(c *logcols.Log) { c.Syms[0][2] = 2 }, "event 2: symbol id 2 of column 0 out of range"},
		{"duplicate name", "names are distinct", func(c *logcols.Log) { c.Names[1] = []string{"web", "web"} }, `names 1: "web" twice`},
		{"empty step", "every event has a step", func(c *logcols.Log) { c.Names[0][1] = "" }, "empty step name"},
		{"zero value", "only non-zero values are stored", func(c *logcols.Log) { c.Vals[0] = 0 }, "event 1: value 0"},
		{"NaN value", "values are finite", func(c *logcols.Log) { c.Vals[0] = math.NaN() }, "event 1: value NaN"},
		{"value index", "value indexes lie in the log", func(c *logcols.Log) { c.ValIdx[0] = 3 }, "value index 3 out of order or range"},
		{"odd properties", "properties come in pairs", func(c *logcols.Log) { c.SetKV = []uint32{0}; c.SetEnd = []uint32{0, 1} }, "property set 1: 1 ids, not key-value pairs"},
		{"set ends", "ends span the pairs", func(c *logcols.Log) { c.SetEnd = []uint32{0, 1} }, "property set ends do not span the 2 ids"},
		{"set end beyond", "an end past the pairs", func(c *logcols.Log) {
			c.SetKV = []uint32{0, 1, 1, 0}
			c.SetEnd = []uint32{0, 9, 4}
		}, "property set 1: ends out of order or range"},
		{"set ends decrease", "ends in order", func(c *logcols.Log) {
			c.SetKV = []uint32{0, 1, 1, 0}
			c.SetEnd = []uint32{0, 2, 1, 4}
		}, "property set 2: ends out of order or range"},
		{"ids without sets", "pairs belong to sets", func(c *logcols.Log) { c.SetEnd = nil }, "property ids without sets"},
		{"property keys", "keys in increasing order", func(c *logcols.Log) {
			c.SetKV = []uint32{0, 1, 0, 1}
			c.SetEnd = []uint32{0, 4}
		}, "property set 1: keys out of order"},
		{"property id", "ids index the names", func(c *logcols.Log) { c.SetKV[1] = 2 }, "property set 1: id out of range"},
		{"no such set", "sets are numbered from 1", func(c *logcols.Log) { c.PropSet[0] = 2 }, "event 1: property set 2 out of range"},
		{"set 0", "0 is no set", func(c *logcols.Log) { c.PropSet[0] = 0 }, "event 1: property set 0 out of range"},
		{"sets per event", "one set per event with properties", func(c *logcols.Log) { c.PropSet = nil }, "0 property sets for 1 property indexes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(c)
			_, err := logcols.New(c)
			if !errors.Is(err, logcols.ErrBadColumns) {
				t.Fatalf("%s: got %v, want ErrBadColumns", tt.reason, err)
			}
			if !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("%s: got %q, want it to end in %q", tt.reason, err, tt.want)
			}
		})
	}
}

// TestCheckLargeLogs checks a log large enough to be checked in parallel
// parts, with a problem in the last part.
func TestCheckLargeLogs(t *testing.T) {
	const n = 1 << 17
	c := &logcols.Log{Names: [3][]string{{"visit"}, {""}, {""}}, Offsets: []uint32{0}}
	for i := range n {
		c.Customers = append(c.Customers, fmt.Sprintf("c%06d", i))
		c.Offsets = append(c.Offsets, uint32(i+1))
		c.Times = append(c.Times, int64(i))
		for k := range c.Syms {
			c.Syms[k] = append(c.Syms[k], 0)
		}
	}
	if err := c.Check(); err != nil {
		t.Fatalf("a good log: %v", err)
	}
	c.Customers[n-1] = "c000000"
	want := `logcols: bad columns: customer "c000000" does not sort after "c131070"`
	if err := c.Check(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
