package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/objectives"
)

var reportCommand = &command{
	name:    "report",
	args:    "MAP [EVENTS]",
	summary: "the offline HTML report of a journey map and of what customers did on it",
	about: `Writes one self-contained HTML page (no script, nothing loaded from outside)
about the journey map: its design, a journey map per persona, the contact map,
the departments; and, given EVENTS, what the customers did: the funnel over the
map's stages (within --window), their routes to the goal, the path flow, the
learned journey graph with its friction points, and how the paths conform to
the design. The goal is --goal, or the map's steps that achieve conversion.`,
	example: "parcours report shoeshop.json events.csv -o report.html",
	minArgs: 1, maxArgs: 2,
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var in inputFlags
		in.register(fs)
		var (
			goal, title string
			window      = 30 * 24 * time.Hour
			workers     int
		)
		fs.StringVar(&goal, "goal", "", "the goal `steps`, comma-separated (default: the map's steps that achieve conversion)")
		fs.StringVar(&title, "title", "", "the report's title (default: the map's name and \"journey report\")")
		fs.Var(durationFlag{&window}, "window", "the funnel's window, a `duration` as 30d")
		fs.IntVar(&workers, "workers", 0, "goroutines (default: one per core)")
		return func(args []string) error {
			if e.out.format != "table" {
				return usagef("--output %s: report writes HTML; use -o FILE", e.out.format)
			}
			m, err := readMap(args[0])
			if err != nil {
				return err
			}
			goals := splitList(goal)
			if goals == nil {
				goals = attribution.StepsAchieving(m, objectives.Conversion)
			}
			var res render.Results
			if len(args) == 2 {
				l, err := e.readEvents(args[1], &in)
				if err != nil {
					return err
				}
				if res, err = analyseForReport(m, l, goals, window, workers); err != nil {
					return err
				}
			}
			rep, err := render.JourneyReport(m, res, render.JourneyReportOptions{
				Title:    title,
				Sections: render.SectionOptions{Goal: goals},
			})
			if err != nil {
				return err
			}
			w, done, err := e.openOutput()
			if err != nil {
				return err
			}
			err = render.HTML(w, rep)
			if cerr := done(); err == nil {
				err = cerr
			}
			return err
		}
	},
}

// analyseForReport runs the analyses the report shows on the log.
func analyseForReport(m *journey.Map, l *journey.Log, goals []string, window time.Duration, workers int) (render.Results, error) {
	var res render.Results
	f, err := funnel.FromMap(m)
	if err != nil {
		return res, fmt.Errorf("funnel of the map: %w", err)
	}
	f.Window = window
	if res.Funnel, err = f.Analyze(l, funnel.Options{Workers: workers}); err != nil {
		return res, err
	}
	routes := withoutMarkers(l)
	opt := paths.Options{Workers: workers}
	v, err := paths.CountVariants(routes, opt)
	if err != nil {
		return res, err
	}
	res.Routes = v.List()
	isGoal := func(e journey.Event) bool { return contains(goals, e.Step) }
	gv, err := paths.CountGoalVariants(routes, isGoal, opt)
	if err != nil {
		return res, err
	}
	res.GoalRoutes = gv.List()
	flows, err := paths.CountFlows(routes, paths.FlowOptions{Depth: 5}, opt)
	if err != nil {
		return res, err
	}
	flow := flows.Flow(4)
	res.PathFlow = &flow
	if res.Graph, err = journey.Learn(l, journey.LearnOptions{GoalSteps: goals, Workers: workers}); err != nil {
		return res, err
	}
	if res.Conformance, err = m.Conformance(l, journey.ConformanceOptions{Workers: workers}); err != nil {
		return res, err
	}
	return res, nil
}
