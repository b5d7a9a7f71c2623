package main

import (
	"flag"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
)

var graphCommand = &command{
	name:    "graph",
	args:    "EVENTS",
	summary: "the journey graph learned from the paths: reaching the goal from each step, expected steps, friction",
	about: `Learns the journey graph of the customers' paths (an absorbing Markov chain of
order --order over steps, channels or touchpoints) and solves it exactly: the
probability of reaching --goal from each state, the expected steps left from
it, and the friction points: the states customers leave from (leaving is the
expected walks that exit there), loop back to, or enter instead of a better
route (drop). States are ranked by the customers they lose, most first.
--draw mermaid or --draw dot (or --format mermaid|dot) writes the graph as a
Mermaid flowchart or Graphviz DOT instead, its friction points marked.`,
	example: "parcours graph events.csv --goal checkout --top 5",
	minArgs: 1, maxArgs: 1,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			by, goal, draw              string
			order, top, workers, points int
			minProb                     float64
			keepRepeats, omitExits      bool
		)
		fs.StringVar(&by, "by", "step", "what a state is: step, channel or touchpoint")
		fs.StringVar(&goal, "goal", "", "the goal `steps`, comma-separated: a path converts at its first one")
		fs.IntVar(&order, "order", 1, "the Markov order: a state is the last k steps")
		fs.IntVar(&top, "top", 0, "the states to show, most friction first; 0 for all")
		fs.BoolVar(&keepRepeats, "keep-repeats", false, "keep consecutive repeats of a state as self-loops")
		fs.StringVar(&draw, "draw", "", "draw the graph instead: mermaid or dot")
		fs.Float64Var(&minProb, "min-probability", 0, "with --draw: hide transitions less likely than this")
		fs.IntVar(&points, "friction-points", 3, "with --draw: the friction points marked")
		fs.BoolVar(&omitExits, "omit-exits", false, "with --draw: leave out the exit and the edges into it")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			if f := strings.ToLower(in.format); f == "mermaid" || f == "dot" {
				draw, in.format = f, ""
			}
			switch draw {
			case "", "mermaid", "dot":
			default:
				return usagef("--draw %q: want mermaid or dot", draw)
			}
			b, err := parseBy("by", by)
			if err != nil {
				return err
			}
			if order < 1 {
				return usagef("--order %d: want at least 1", order)
			}
			if top < 0 {
				return usagef("--top %d: want at least 0", top)
			}
			goals := splitList(goal)
			l, err := e.readEvents(args[0], &in)
			if err != nil {
				return err
			}
			g, err := journey.Learn(l, journey.LearnOptions{By: b, Order: order, GoalSteps: goals, KeepRepeats: keepRepeats, Workers: workers})
			if err != nil {
				return err
			}
			if draw != "" {
				return e.draw(g, draw, render.GraphFlowOptions{MinProbability: minProb, FrictionPoints: points}, render.GraphOptions{OmitExits: omitExits})
			}
			return e.write(graphResult(g, goals, top))
		}
	},
}

func (e *env) draw(g *graph.Graph, format string, fo render.GraphFlowOptions, opt render.GraphOptions) error {
	w, done, err := e.openOutput()
	if err != nil {
		return err
	}
	flow := render.GraphFlow(g, fo)
	if format == "dot" {
		err = render.DOT(w, flow, opt)
	} else {
		err = render.MermaidFlowchart(w, flow, opt)
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	return err
}

func graphResult(g *graph.Graph, goals []string, top int) *result {
	r := &result{command: "graph"}
	r.add("order", "order", kInt, g.Order())
	r.add("states", "states", kInt, g.NumStates())
	r.add("transitions", "transitions", kInt, g.NumTransitions())
	if goals == nil {
		goals = []string{}
	}
	r.add("goal", "goal", kList, goals)
	r.add("conversion", "reach the goal", kPct, g.Absorption(graph.Start, graph.Conversion))
	r.add("expected_steps", "expected steps", kFloat, g.ExpectedSteps(graph.Start))
	mp := g.MustPass(graph.Conversion)
	if mp == nil {
		mp = []string{}
	}
	r.add("must_pass", "must pass", kList, mp)
	t := r.newTable("states", "states, most customers lost first",
		column{"state", "state", kText},
		column{"goal", "reach goal", kPct},
		column{"expected_steps", "expected steps", kFloat},
		column{"traffic", "visits", kFloat},
		column{"exit", "exit", kPct},
		column{"leaving", "leaving", kPct},
		column{"loop_rate", "loop rate", kPct},
		column{"drop", "drop", kPct},
		column{"lost", "lost", kFloat},
	)
	for _, f := range g.Friction(graph.FrictionOptions{Top: top}) {
		t.add(f.State, f.Goal, g.ExpectedSteps(f.State), f.Traffic, f.Exit, f.Leaving, f.LoopRate, f.Drop, f.Lost)
	}
	t.note = "visits: expected visits per customer; leaving: customers who exit there; drop: goal probability given up against the best alternative"
	return r
}
