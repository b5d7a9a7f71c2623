package graph

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shopCounts counts, at the given order, the paths of a small shop worked
// by hand, up to the purchase:
//
//	c1: visit, product, cart → Conversion
//	c2: visit, visit, product → Exit
//	c3: ad, visit, product → Conversion
//	c4: visit, cart, visit, cart → Conversion
func shopCounts(order int) *Counts {
	c := &Counts{Order: order}
	c.AddPath([]string{"visit", "product", "cart"}, Conversion, 1)
	c.AddPath([]string{"visit", "visit", "product"}, Exit, 1)
	c.AddPath([]string{"ad", "visit", "product"}, Conversion, 1)
	c.AddPath([]string{"visit", "cart", "visit", "cart"}, Conversion, 1)
	return c
}

func shopGraph(t testing.TB, order int) *Graph {
	t.Helper()
	g, err := shopCounts(order).Graph()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// edgeList renders a graph's transitions with their weights and
// probabilities, for comparison.
func edgeList(g *Graph) []string {
	var out []string
	for tr := range g.Transitions() {
		out = append(out, fmt.Sprintf("%s -> %s %.10g %.6f", tr.From, tr.To, g.Weight(tr.From, tr.To), tr.Probability))
	}
	return out
}

// TestShopCounts checks the counts of the shop against the pairs of each
// path worked by hand at order 2: c2's visit, visit is the pair
// "visit > visit", and c4 enters "visit > cart" twice.
func TestShopCounts(t *testing.T) {
	want := []string{
		"(start) -> ad > visit 1 0.250000",
		"(start) -> visit > cart 1 0.250000",
		"(start) -> visit > product 1 0.250000",
		"(start) -> visit > visit 1 0.250000",
		"ad > visit -> visit > product 1 1.000000",
		"cart > visit -> visit > cart 1 1.000000",
		"product > cart -> (conversion) 1 1.000000",
		"visit > cart -> (conversion) 1 0.500000",
		"visit > cart -> cart > visit 1 0.500000",
		"visit > product -> (conversion) 1 0.333333",
		"visit > product -> (exit) 1 0.333333",
		"visit > product -> product > cart 1 0.333333",
		"visit > visit -> visit > product 1 1.000000",
	}
	g := shopGraph(t, 2)
	if diff := cmp.Diff(want, edgeList(g)); diff != "" {
		t.Errorf("order 2 (-want +got):\n%s", diff)
	}
	if g.Order() != 2 {
		t.Errorf("Order = %d, want 2", g.Order())
	}
	if got := shopCounts(2).Len(); got != len(want) {
		t.Errorf("Len = %d, want %d", got, len(want))
	}
}

func TestPathStates(t *testing.T) {
	tests := []struct {
		path   []string
		order  int
		keep   bool
		want   []string
		reason string
	}{
		{nil, 1, false, nil, "no state"},
		{[]string{"a", "a", "b"}, 1, false, []string{"a", "b"}, "repeats collapsed"},
		{[]string{"a", "a", "b"}, 0, true, []string{"a", "a", "b"}, "order 0 means 1; repeats kept"},
		{[]string{"a", "a", "a", "b"}, 2, false, []string{"a > a", "a > b"}, "windows equal to the one before are dropped (ChannelAttribution)"},
		{[]string{"a", "a", "b"}, 2, false, []string{"a > a", "a > b"}, "a repeated step still changes the pair"},
		{[]string{"a", "a", "a", "b"}, 2, true, []string{"a > a", "a > a", "a > b"}, "kept"},
		{[]string{"a", "b"}, 3, false, []string{"a > b"}, "shorter than k: the whole path"},
		{[]string{"a", "b", "c", "d"}, 3, false, []string{"a > b > c", "b > c > d"}, "no padding at the start"},
		{[]string{"x>y", "(z)"}, 2, false, []string{`"x>y" > "(z)"`}, "quoted parts"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, PathStates(tt.path, tt.order, tt.keep)); diff != "" {
			t.Errorf("PathStates(%q, %d, %v) (%s) (-want +got):\n%s", tt.path, tt.order, tt.keep, tt.reason, diff)
		}
	}
}

func TestCountsBadInput(t *testing.T) {
	var c Counts
	c.AddPath([]string{"a"}, Conversion, -1)
	c.AddPath([]string{"a", "b"}, Exit, math.NaN())
	c.AddPath([]string{"a"}, "done", 1)
	c.AddPath([]string{"a"}, Start, 1)
	c.AddPath([]string{"a"}, Exit, 2) // fine
	_, err := c.Graph()
	want := []string{
		`graph: counts: path "a": bad weight: -1 is negative`,
		`graph: counts: path "a > b": bad weight: NaN is not a number`,
		`graph: counts: path "a": bad end state: "done" is not an end state in parentheses such as (exit)`,
		`graph: counts: path "a": bad end state: "(start)" is not an end state in parentheses such as (exit)`,
	}
	if err == nil {
		t.Fatal("Graph accepted bad paths")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrBadWeight) || !errors.Is(err, ErrEndState) {
		t.Errorf("errors.Is misses a sentinel in %v", err)
	}
	// A custom end and an empty path.
	var d Counts
	d.AddPath(nil, "(signup)", 1)
	d.AddPath([]string{"a"}, "(signup)", 1)
	d.AddPath([]string{"a"}, Exit, 0) // nothing
	g, err := d.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"(start) -> (signup) 1 0.500000", "(start) -> a 1 0.500000", "a -> (signup) 1 1.000000"}, edgeList(g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Counts that read paths differently do not merge.
	for _, o := range []Counts{{Order: 2}, {KeepRepeats: true}} {
		before := d.Len()
		if err := o.Merge(&d); err == nil {
			t.Errorf("Merge of counts %+v into %+v: no error", d, o)
		}
		if err := d.Merge(&o); err == nil || d.Len() != before {
			t.Errorf("Merge of counts %+v into %+v: error %v, %d transitions, want an error and %d", o, d, err, d.Len(), before)
		}
	}
	// Counts that read paths alike do, bad paths included.
	e := Counts{Order: 1}
	if err := e.Merge(&c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Graph(); !errors.Is(err, ErrBadWeight) {
		t.Errorf("merged bad paths: %v, want ErrBadWeight", err)
	}
}
