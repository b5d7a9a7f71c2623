package paths_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
)

// exampleLog is three customers of a shop: two visit, search and buy, one
// visits and leaves.
func exampleLog() *journey.Log {
	t := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for i, steps := range [][]string{{"visit", "search", "buy"}, {"visit", "search", "buy"}, {"visit"}} {
		for k, s := range steps {
			evs = append(evs, journey.Event{Customer: fmt.Sprint("c", i), Time: t.Add(time.Duration(k) * time.Hour), Step: s})
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		panic(err)
	}
	return l
}

func ExampleCountVariants() {
	v, err := paths.CountVariants(exampleLog(), paths.Options{})
	if err != nil {
		panic(err)
	}
	for _, r := range v.List() {
		fmt.Println(r.Customers, strings.Join(r.Route, " > "))
	}
	// Output:
	// 2 visit > search > buy
	// 1 visit
}

func ExampleCountGoalVariants() {
	buy := func(e journey.Event) bool { return e.Step == "buy" }
	v, err := paths.CountGoalVariants(exampleLog(), buy, paths.Options{})
	if err != nil {
		panic(err)
	}
	for _, r := range v.List() {
		fmt.Printf("%s: %d of %d bought, in %v\n", strings.Join(r.Route, " > "), r.Converted, r.Customers, r.MedianToGoal)
	}
	// Output:
	// visit > search: 2 of 2 bought, in 2h0m0s
	// visit: 0 of 1 bought, in 0s
}

func ExampleCountFlows() {
	f, err := paths.CountFlows(exampleLog(), paths.FlowOptions{Anchor: "visit", Depth: 2}, paths.Options{})
	if err != nil {
		panic(err)
	}
	flow := f.Flow(0)
	for _, k := range flow.Links {
		from, to := flow.Nodes[k.Source], flow.Nodes[k.Target]
		fmt.Printf("%d: %s > %s (level %d)\n", k.Count, from.Name, to.Name, to.Level)
	}
	// Output:
	// 2: visit > search (level 1)
	// 1: visit > (end) (level 1)
	// 2: search > buy (level 2)
	// 1: (end) > (end) (level 2)
}

func ExampleVariants_Merge() {
	// Two shards of customers, counted apart and merged: the counts equal
	// those of the whole log.
	l := exampleLog()
	a, _ := paths.CountVariants(l.Where(journey.OfCustomers(func(c string) bool { return c == "c0" })), paths.Options{})
	b, _ := paths.CountVariants(l.Where(journey.OfCustomers(func(c string) bool { return c != "c0" })), paths.Options{})
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	fmt.Println(a.List())
	// Output:
	// [{[visit search buy] 2} {[visit] 1}]
}

func ExampleCountLoops() {
	l, _ := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: time.Unix(0, 0), Step: "faq"},
		{Customer: "ann", Time: time.Unix(60, 0), Step: "hotline"},
		{Customer: "ann", Time: time.Unix(120, 0), Step: "faq"},
	})
	c, _ := paths.CountLoops(l, paths.Options{})
	for _, x := range c.List() {
		fmt.Printf("%s: %d visits, %d returns\n", x.Name, x.Visits, x.Returns)
	}
	// Output:
	// faq: 2 visits, 1 returns
	// hotline: 1 visits, 0 returns
}

// Two workers count shards of the customers and send their counts as
// bytes; a third decodes and merges them. A shard that repeats a customer
// is refused.
func ExampleVariants_MarshalBinary() {
	l := exampleLog()
	shard := func(keep func(string) bool) []byte {
		v, err := paths.CountVariants(l.FilterCustomers(keep), paths.Options{})
		if err != nil {
			panic(err)
		}
		b, _ := v.MarshalBinary()
		return b
	}
	parts := [][]byte{
		shard(func(c string) bool { return c == "c0" }),
		shard(func(c string) bool { return c != "c0" }),
	}
	var total paths.Variants
	for _, b := range parts {
		var v paths.Variants
		if err := v.UnmarshalBinary(b); err != nil {
			panic(err)
		}
		if err := total.Merge(&v); err != nil {
			panic(err)
		}
	}
	for _, r := range total.List() {
		fmt.Println(r.Customers, strings.Join(r.Route, " > "))
	}
	var again paths.Variants
	_ = again.UnmarshalBinary(parts[0])
	err := total.Merge(&again)
	fmt.Println(errors.Is(err, paths.ErrSharedCustomers))
	// Output:
	// 2 visit > search > buy
	// 1 visit
	// true
}
