package graph_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parcours-go/parcours/internal/wire/wiretest"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

var t0 = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// randomLog is a seeded log of up to 40 customers with goal steps, ties in
// time and events without channel.
func randomLog(t testing.TB, r *rand.Rand) *journey.Log {
	t.Helper()
	steps := []string{"visit", "search", "cart", "buy", "help", "(x"}
	channels := []journey.Event{{Channel: ""}, {Channel: "web"}, {Channel: "email"}}
	var evs []journey.Event
	for range r.IntN(300) {
		evs = append(evs, journey.Event{
			Customer: fmt.Sprint("c", r.IntN(40)),
			Time:     t0.Add(time.Duration(r.IntN(50)) * time.Minute),
			Step:     steps[r.IntN(len(steps))],
			Channel:  channels[r.IntN(len(channels))].Channel,
		})
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// split deals l's customers at random into k logs.
func split(r *rand.Rand, l *journey.Log, k int) []*journey.Log {
	owner := map[string]int{}
	for c := range l.Customers() {
		owner[l.Customer(c)] = r.IntN(k)
	}
	parts := make([]*journey.Log, k)
	for i := range parts {
		parts[i] = l.FilterCustomers(func(c string) bool { return owner[c] == i })
	}
	return parts
}

// viewCounts is what counts are for: their graph (its transitions, with
// probabilities, and weights), or the error Graph returns.
func viewCounts(c *graph.Counts) any {
	g, err := c.Graph()
	if err != nil {
		return err.Error()
	}
	type tw struct {
		graph.Transition
		W float64
	}
	var out []tw
	for tr := range g.Transitions() {
		out = append(out, tw{tr, g.Weight(tr.From, tr.To)})
	}
	return [3]any{g.States(), out, c.Len()}
}

// TestCountsMergeProperties checks, on random logs split into 1 to 7
// random shards of customers, that merging the shards' counts in a random
// tree equals the counts of the whole (graphs and encodings), at orders 1
// to 3, and that the encodings round-trip.
func TestCountsMergeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2))
	for trial := range 60 {
		l := randomLog(t, r)
		opt := journey.LearnOptions{
			By: journey.By(r.IntN(2)), Order: r.IntN(4), KeepRepeats: r.IntN(2) == 0,
			GoalSteps: []string{"buy"}, Workers: 1 + r.IntN(3),
		}
		whole := l.CountTransitions(opt)
		var shards []*graph.Counts
		for _, p := range split(r, l, 1+r.IntN(7)) {
			o := opt
			o.Workers = 1 + r.IntN(2)
			shards = append(shards, p.CountTransitions(o))
		}
		wiretest.RoundTrip(t, whole, viewCounts)
		for _, s := range shards {
			wiretest.RoundTrip(t, s, viewCounts)
		}
		for range 3 {
			wiretest.Equal(t, fmt.Sprintf("trial %d %+v", trial, opt), whole, wiretest.MergeRandomly(t, r, shards), viewCounts)
		}
		// Learn finishes from the merged counts.
		want, err := journey.Learn(l, opt)
		got, err2 := wiretest.MergeRandomly(t, r, shards).Graph()
		if err != nil || err2 != nil {
			if (err == nil) != (err2 == nil) {
				t.Fatalf("trial %d: Learn: %v, Graph of merged counts: %v", trial, err, err2)
			}
			continue
		}
		if !slices.Equal(want.States(), got.States()) || want.NumTransitions() != got.NumTransitions() {
			t.Fatalf("trial %d: Learn and the graph of merged counts differ", trial)
		}
	}
}

// TestCountsBinaryByHand checks a small encoding byte by byte, from the
// layout of Counts.MarshalBinary.
func TestCountsBinaryByHand(t *testing.T) {
	var c graph.Counts
	c.AddPath([]string{"a"}, graph.Conversion, 2)
	c.AddPath(nil, graph.Exit, 0.5)
	got, _ := c.MarshalBinary()
	want := []byte{'p', 'c', 'T', 1,
		0, 0, // order 0 (1), no repeats kept
		0, // not read from a log
		0, // no customer sample
		4, // names, sorted: "(" before "a"
		12, '(', 'c', 'o', 'n', 'v', 'e', 'r', 's', 'i', 'o', 'n', ')',
		6, '(', 'e', 'x', 'i', 't', ')',
		7, '(', 's', 't', 'a', 'r', 't', ')',
		1, 'a',
		3, 0, 1, 2, // end states 0 (conversion), 1 (exit), 2 (start)
		1, 0, 1, 3, // one tuple, state 3: no prefix, 1 part, name 3 (a)
		3,                                     // transitions
		2, 1, 1, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, // start → exit: 0.5 as 8 bytes
		0, 1, 4, // start again → a (3 = 1 + 1 + 1): 2
		1, 0, 4, // a (2 + 1) → conversion: 2
		0, 0, // no problem
	}
	if string(got) != string(want) {
		t.Fatalf("encoding\n got %x\nwant %x", got, want)
	}
	var d graph.Counts
	if err := d.UnmarshalBinary(got); err != nil {
		t.Fatal(err)
	}
	g, err := d.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if w := g.Weight(graph.Start, graph.Exit); w != 0.5 {
		t.Errorf("start → exit weighs %v, want 0.5", w)
	}
	if w := g.Weight("a", graph.Conversion); w != 2 {
		t.Errorf("a → conversion weighs %v, want 2", w)
	}
	if p := g.Probability(graph.Start, "a"); math.Abs(p-0.8) > 1e-15 {
		t.Errorf("P(start → a) = %v, want 2/2.5", p)
	}
}

// TestCountsRefusedMerges checks that counts of other options, or of
// shards sharing customers, do not merge and leave the receiver as it was;
// and that problems survive an encoding.
func TestCountsRefusedMerges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	l := randomLog(t, r)
	for l.Customers() < 10 {
		l = randomLog(t, r)
	}
	low := l.FilterCustomers(func(c string) bool { return c < "c2" })
	high := l.FilterCustomers(func(c string) bool { return c >= "c2" })
	a := low.CountTransitions(journey.LearnOptions{})
	for name, o := range map[string]journey.LearnOptions{
		"order":        {Order: 2},
		"repeats":      {KeepRepeats: true},
		"by":           {By: journey.ByChannel},
		"goal steps":   {GoalSteps: []string{"buy"}},
		"goal present": {Goal: func(journey.Event) bool { return false }},
	} {
		wiretest.Refused(t, name, a, high.CountTransitions(o), graph.ErrIncompatible)
	}
	// The zero value, encoded, still merges into counts of any order.
	var zero graph.Counts
	if err := a.Merge(wiretest.Clone(t, &zero)); err != nil {
		t.Fatalf("merging an encoded zero value: %v", err)
	}
	wiretest.Refused(t, "shared customers", a, l.CountTransitions(journey.LearnOptions{}), journey.ErrSharedCustomers)
	if err := a.Merge(high.CountTransitions(journey.LearnOptions{})); err != nil {
		t.Fatalf("disjoint halves: %v", err)
	}

	var bad graph.Counts
	bad.AddPath([]string{"a"}, graph.Exit, -1)
	bad.AddPath([]string{"a"}, "exit", 1)
	var back graph.Counts
	b, _ := bad.MarshalBinary()
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	_, err := back.Graph()
	if !errors.Is(err, graph.ErrBadWeight) || !errors.Is(err, graph.ErrEndState) {
		t.Fatalf("graph of decoded bad counts: %v, want ErrBadWeight and ErrEndState", err)
	}
	_, want := bad.Graph()
	if err.Error() != want.Error() {
		t.Fatalf("decoded problems read\n%v\nwant\n%v", err, want)
	}
}

func FuzzUnmarshalCounts(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 5 {
		c := randomLog(f, r).CountTransitions(journey.LearnOptions{Order: 1 + i%3, GoalSteps: []string{"buy"}})
		b, _ := c.MarshalBinary()
		f.Add(b)
	}
	var bad graph.Counts
	bad.AddPath([]string{"a", "b"}, graph.Exit, math.Inf(1))
	bad.AddPath([]string{"a"}, graph.Exit, 1.25)
	b, _ := bad.MarshalBinary()
	f.Add(b)
	f.Fuzz(wiretest.Fuzz[graph.Counts])
}
