package main

import (
	"cmp"
	"flag"
	"fmt"
	"slices"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
)

var pathsCommand = &command{
	name:    "paths",
	args:    "EVENTS",
	summary: "routes (variants), flows after or before a step, directly-follows counts, loops",
	about: `Path analysis of the customers' events, read by step (the default), channel or
touchpoint (--by). --view says which:

  variants  the distinct routes, most customers first; with --goal, the routes
            up to the goal, with how many of their customers reached it and
            how long they took
  flows     what customers did --depth events after --after STEP (or before
            --before STEP; every path from its start without either), level by
            level, the --top names of each level kept and the rest folded
  follows   how many times each step directly followed another
  loops     how often customers come back to each step

The (exit) and (conversion) markers that end simulated paths are left out.`,
	example: "parcours paths events.csv --by channel --goal checkout --top 5",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			view, by, goal, after, before string
			top, depth, workers           int
		)
		fs.StringVar(&view, "view", "variants", "what to show: variants, flows, follows or loops")
		fs.StringVar(&by, "by", "step", "what a path is made of: step, channel or touchpoint")
		fs.StringVar(&goal, "goal", "", "with variants: the goal `step`; routes then stop before it and count conversions")
		fs.StringVar(&after, "after", "", "with flows: the `step` the flow starts from")
		fs.StringVar(&before, "before", "", "with flows: the `step` the flow leads to")
		fs.IntVar(&top, "top", 10, "the rows to show (variants, follows) or the names kept per level (flows); 0 for all")
		fs.IntVar(&depth, "depth", 5, "with flows: the levels after (before) the step")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			b, err := parseBy("by", by)
			if err != nil {
				return err
			}
			switch view {
			case "variants", "flows", "follows", "loops":
			default:
				return usagef("--view %q: want variants, flows, follows or loops", view)
			}
			if after != "" && before != "" {
				return usagef("--after and --before: give one of them")
			}
			if top < 0 || depth < 1 {
				return usagef("--top must be at least 0 and --depth at least 1")
			}
			l, err := e.readEvents(args[0], &in)
			if err != nil {
				return err
			}
			l = withoutMarkers(l)
			opt := paths.Options{By: b, Workers: workers}
			r := &result{command: "paths"}
			r.add("view", "view", kText, view)
			r.add("by", "by", kText, b.String())
			r.add("customers", "customers", kInt, l.Customers())
			switch view {
			case "variants":
				err = variantsResult(r, l, goal, top, opt)
			case "flows":
				err = flowsResult(r, l, after, before, depth, top, opt)
			case "follows":
				err = followsResult(r, l, top, opt)
			case "loops":
				err = loopsResult(r, l, opt)
			}
			if err != nil {
				return err
			}
			return e.write(r)
		}
	},
}

// withoutMarkers returns l without the (exit) and (conversion) events
// that end simulated paths.
func withoutMarkers(l *journey.Log) *journey.Log {
	return l.Where(journey.Named(journey.ByStep, func(s string) bool { return s != graph.Exit && s != graph.Conversion }))
}

func firstN[T any](s []T, n int) []T {
	if n > 0 && len(s) > n {
		return s[:n]
	}
	return s
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func variantsResult(r *result, l *journey.Log, goal string, top int, opt paths.Options) error {
	if goal == "" {
		v, err := paths.CountVariants(l, opt)
		if err != nil {
			return err
		}
		list := v.List()
		r.add("routes", "distinct routes", kInt, len(list))
		t := r.newTable("variants", "routes, most customers first",
			column{"route", "route", kList}, column{"customers", "customers", kInt}, column{"share", "share", kPct})
		for _, x := range firstN(list, top) {
			t.add(x.Route, x.Customers, share(x.Customers, l.Customers()))
		}
		if top > 0 && len(list) > top {
			t.note = fmt.Sprintf("%d more routes (--top 0 for all)", len(list)-top)
		}
		return nil
	}
	isGoal := func(e journey.Event) bool { return e.Step == goal }
	v, err := paths.CountGoalVariants(l, isGoal, opt)
	if err != nil {
		return err
	}
	list := v.List()
	converted := 0
	for _, x := range list {
		converted += x.Converted
	}
	r.add("goal", "goal", kText, goal)
	r.add("converted", "converted", kInt, converted)
	r.add("conversion", "conversion", kPct, share(converted, v.Customers()))
	r.add("routes", "distinct routes", kInt, len(list))
	t := r.newTable("variants", "routes to "+goal+", most customers first",
		column{"route", "route", kList}, column{"customers", "customers", kInt}, column{"converted", "converted", kInt},
		column{"rate", "rate", kPct}, column{"median_seconds", "median time", kDuration},
		column{"median_to_goal_seconds", "median to goal", kDuration})
	for _, x := range firstN(list, top) {
		t.add(x.Route, x.Customers, x.Converted, x.Rate, x.Median, x.MedianToGoal)
	}
	if top > 0 && len(list) > top {
		t.note = fmt.Sprintf("%d more routes (--top 0 for all)", len(list)-top)
	}
	return nil
}

func flowsResult(r *result, l *journey.Log, after, before string, depth, top int, opt paths.Options) error {
	fo := paths.FlowOptions{Anchor: after, Depth: depth, Top: top}
	if before != "" {
		fo.Anchor, fo.Backward = before, true
	}
	if top == 0 {
		fo.Top = -1
	}
	f, err := paths.CountFlows(l, fo, opt)
	if err != nil {
		return err
	}
	flow := f.Flow(fo.Top)
	dir := "after"
	if fo.Backward {
		dir = "before"
	}
	r.add("anchor", "from", kText, fo.Anchor)
	r.add("direction", "direction", kText, dir)
	r.add("entered", "customers in the flow", kInt, flow.Customers)
	nodes := r.newTable("nodes", "levels", column{"level", "level", kInt}, column{"name", "name", kText},
		column{"kind", "kind", kText}, column{"customers", "customers", kInt}, column{"share", "share", kPct})
	for _, n := range flow.Nodes {
		nodes.add(n.Level, n.Name, n.Kind, n.Count, share(n.Count, flow.Customers))
	}
	links := r.newTable("links", "links between levels", column{"from_level", "from level", kInt}, column{"from", "from", kText},
		column{"to", "to", kText}, column{"customers", "customers", kInt})
	for _, k := range flow.Links {
		a, b := flow.Nodes[k.Source], flow.Nodes[k.Target]
		links.add(a.Level, a.Name, b.Name, k.Count)
	}
	return nil
}

func followsResult(r *result, l *journey.Log, top int, opt paths.Options) error {
	f, err := paths.CountFollows(l, opt)
	if err != nil {
		return err
	}
	edges := f.List()
	total := 0
	for _, e := range edges {
		total += e.Count
	}
	slices.SortStableFunc(edges, func(a, b paths.Edge) int { return cmp.Compare(b.Count, a.Count) })
	r.add("pairs", "distinct pairs", kInt, len(edges))
	r.add("transitions", "transitions", kInt, total)
	t := r.newTable("follows", "directly follows, most frequent first", column{"from", "from", kText},
		column{"to", "to", kText}, column{"count", "count", kInt}, column{"share", "share", kPct})
	for _, e := range firstN(edges, top) {
		t.add(e.From, e.To, e.Count, share(e.Count, total))
	}
	if top > 0 && len(edges) > top {
		t.note = fmt.Sprintf("%d more pairs (--top 0 for all)", len(edges)-top)
	}
	return nil
}

func loopsResult(r *result, l *journey.Log, opt paths.Options) error {
	c, err := paths.CountLoops(l, opt)
	if err != nil {
		return err
	}
	r.add("looping", "customers who repeat a step", kInt, c.Looping())
	r.add("looping_share", "share who repeat", kPct, share(c.Looping(), c.Customers()))
	t := r.newTable("loops", "visits and repeats", column{"name", "name", kText}, column{"visits", "visits", kInt},
		column{"customers", "customers", kInt}, column{"repeaters", "repeaters", kInt}, column{"repeat_rate", "repeat rate", kPct},
		column{"self_loops", "self-loops", kInt}, column{"returns", "returns", kInt})
	for _, x := range c.List() {
		t.add(x.Name, x.Visits, x.Customers, x.Repeaters, share(x.Repeaters, x.Customers), x.SelfLoops, x.Returns)
	}
	return nil
}
