package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/paths"
)

// readOptions read the export's columns: customer_id, ts and event for the
// customer, the time and the step; channel by its default name; converted
// is kept as a property, as a user reading the file would keep it.
var readOptions = eventio.ReadOptions{
	Columns: eventio.Columns{Customer: "customer_id", Time: "ts", Step: "event"},
}

// runParcours reads the export at path with eventio.ReadFile and runs the
// four analyses with the library, as a user would call it, timing each
// phase with clock.
func runParcours(ctx context.Context, path string, clock *phaseClock) (Answers, error) {
	var a Answers
	clock.start()
	l, err := eventio.ReadFile(path, readOptions)
	if err != nil {
		return a, fmt.Errorf("parcours: load: %w", err)
	}
	a.Events, a.Customers = l.Len(), l.Customers()
	clock.stop(phaseLoad)

	clock.start()
	f := funnel.Funnel{
		Stages: []funnel.Stage{funnel.Step("visit"), funnel.Step("product"), funnel.Step("cart"), funnel.Step(purchase)},
		Window: 7 * 24 * time.Hour,
	}
	rep, err := f.Analyze(l, funnel.Options{Context: ctx})
	if err != nil {
		return a, fmt.Errorf("parcours: funnel: %w", err)
	}
	for _, s := range rep.Stages {
		a.Funnel = append(a.Funnel, s.Reached)
	}
	clock.stop(phaseFunnel)

	clock.start()
	collapsed, err := l.Clean(journey.CleanOptions{By: journey.ByChannel, Collapse: true})
	if err != nil {
		return a, fmt.Errorf("parcours: transitions: %w", err)
	}
	follows, err := paths.CountFollows(collapsed, paths.Options{By: journey.ByChannel, Context: ctx})
	if err != nil {
		return a, fmt.Errorf("parcours: transitions: %w", err)
	}
	for _, e := range follows.List() {
		a.Transitions = append(a.Transitions, Transition{From: e.From, To: e.To, Count: e.Count})
	}
	clock.stop(phaseTransitions)

	clock.start()
	bought := func(e journey.Event) bool { return e.Step == purchase }
	v, err := paths.CountGoalVariants(l, bought, paths.Options{By: journey.ByChannel, Context: ctx})
	if err != nil {
		return a, fmt.Errorf("parcours: paths: %w", err)
	}
	list := v.List()
	a.Routes = len(list)
	for _, r := range list[:min(10, len(list))] {
		a.TopPaths = append(a.TopPaths, Path{Route: strings.Join(r.Route, " > "), Customers: r.Customers, Converted: r.Converted})
	}
	clock.stop(phasePaths)

	clock.start()
	rows, err := attribution.FromLog(l, attribution.FromLogOptions{
		By: journey.ByChannel, GoalSteps: []string{purchase}, ConvertingOnly: true, Context: ctx,
	})
	if err != nil {
		return a, fmt.Errorf("parcours: attribution: %w", err)
	}
	for _, m := range []struct {
		model func([]attribution.Row) (attribution.Result, error)
		into  *map[string]float64
	}{{attribution.FirstTouch, &a.First}, {attribution.LastTouch, &a.Last}, {attribution.Linear, &a.Linear}} {
		res, err := m.model(rows)
		if err != nil {
			return a, fmt.Errorf("parcours: attribution: %w", err)
		}
		*m.into = map[string]float64{}
		for ch, c := range res {
			(*m.into)[ch] = c.Conversions
		}
	}
	clock.stop(phaseAttribution)
	return a, nil
}
