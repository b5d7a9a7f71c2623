package main

import (
	"flag"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
)

var impactCommand = &command{
	name:    "impact",
	args:    "MAP [EVENTS]",
	summary: "departments ranked by their impact on the journey, where each one's action matters, and why",
	about: `Ranks the departments of the map's catalog by their impact on the journey's
conversion: how much the conversion depends on their touchpoints, what keeping
the customers who leave at their steps would recover, and the steps where their
action matters most. The figures come from the customers' paths in EVENTS, or
from the designed journey itself without it. --explain says in plain sentences
why a department ranks where it does (the first by default; all for every one).`,
	example: "parcours impact shoeshop.json events.csv --goal thank-you",
	minArgs: 1, maxArgs: 2,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			goal, explain string
			steps         int
			workers       int
		)
		fs.StringVar(&goal, "goal", "", "the `steps` that achieve the conversion, comma-separated (default: the map's conversion goals)")
		fs.StringVar(&explain, "explain", "", "the `department` to explain, or all (default: the first-ranked)")
		fs.IntVar(&steps, "steps", 3, "the steps shown per department, where its action matters most")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			m, err := readMap(args[0])
			if err != nil {
				return err
			}
			opt := impact.Options{Workers: workers}
			if g := splitList(goal); g != nil {
				opt.GoalSteps = map[objectives.Objective][]string{objectives.Conversion: g}
			}
			var l *journey.Log
			if len(args) == 2 {
				if l, err = e.readEvents(args[1], &in); err != nil {
					return err
				}
				opt.Log = l
			}
			rep, err := impact.Score(m, opt)
			if err != nil {
				return err
			}
			if explain != "" && explain != "all" {
				if _, ok := rep.Department(explain); !ok {
					return usagef("--explain %q: the map has no such department", explain)
				}
			}
			return e.write(impactResult(rep, explain, steps))
		}
	},
}

func impactResult(rep *impact.Report, explain string, steps int) *result {
	r := &result{command: "impact"}
	r.add("map", "map", kText, rep.Map)
	r.add("source", "figures from", kText, rep.Source.String())
	if rep.Customers > 0 {
		r.add("customers", "customers", kInt, rep.Customers)
	}
	t := r.newTable("departments", "departments, highest impact first",
		column{"rank", "rank", kInt}, column{"department", "department", kText}, column{"name", "name", kText},
		column{"focus", "focus", kText}, column{"score", "score", kPct},
		column{"dependence", "conversion dependence", kPct}, column{"recoverable", "recoverable", kFloat},
		column{"leverage", "leverage", kFloat}, column{"steps", "where it matters", kNames})
	for _, d := range rep.Departments {
		var dep, rec, lev float64
		if o, ok := d.Objective(objectives.Conversion); ok {
			dep, rec, lev = o.Dependence, o.Recoverable, o.Leverage
		}
		where := []string{}
		for _, s := range firstN(d.Steps, steps) {
			where = append(where, s.Step)
		}
		t.add(d.Rank, d.ID, d.Name, d.Focus.String(), d.Score, dep, rec, lev, where)
	}
	ex := r.newTable("explanations", "why", column{"department", "department", kText}, column{"sentence", "explanation", kText})
	var ids []string
	switch {
	case explain == "all":
		for _, d := range rep.Departments {
			ids = append(ids, d.ID)
		}
	case explain != "":
		ids = []string{explain}
	case len(rep.Departments) > 0:
		ids = []string{rep.Departments[0].ID}
	}
	for _, id := range ids {
		for _, s := range rep.Explain(id) {
			ex.add(id, s)
		}
	}
	return r
}
