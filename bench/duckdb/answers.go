package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Answers are the results of the four analyses, in a form both engines
// give and that compares exactly.
type Answers struct {
	Customers int // distinct customers in the file
	Events    int // rows in the file
	// Funnel holds, for each of the four stages, the customers whose
	// level reached it.
	Funnel []int
	// Transitions are the channel transitions with repeats collapsed,
	// sorted by From, then To.
	Transitions []Transition
	// TopPaths are the ten most taken channel routes before the first
	// purchase, most customers first, ties by route; Routes counts the
	// distinct routes.
	TopPaths []Path
	Routes   int
	// First, Last and Linear are the conversions credited to each channel
	// by first-touch, last-touch and linear attribution.
	First, Last, Linear map[string]float64
}

// Transition is a count of customers' moves from one channel to another.
type Transition struct {
	From, To string
	Count    int
}

// Path is a channel route (channels joined by " > "), the customers who
// took it and how many of them purchased.
type Path struct {
	Route     string
	Customers int
	Converted int
}

// Phase names, in the order the analyses run.
const (
	phaseLoad        = "load"
	phaseFunnel      = "funnel"
	phaseTransitions = "transitions"
	phasePaths       = "paths"
	phaseAttribution = "attribution"
)

var phases = []string{phaseLoad, phaseFunnel, phaseTransitions, phasePaths, phaseAttribution}

// Timing is the wall and CPU time (all threads of the process) of a phase.
type Timing struct {
	Wall, CPU time.Duration
}

// Result is what one engine's run gives: its answers, the time of each
// phase and the process's peak resident memory (VmHWM), when measured:
// once loaded and at the end.
type Result struct {
	Engine  string
	Answers Answers
	Times   map[string]Timing
	LoadRSS int64
	PeakRSS int64
}

// creditTolerance is the largest difference allowed between two engines'
// credits, relative to the credit (absolute below 1).
const creditTolerance = 1e-9

// compareAnswers returns nil if a and b are equal (counts exactly, credits
// within creditTolerance), else an error listing every difference.
func compareAnswers(a, b Answers) error {
	var errs []error
	diff := func(what string, x, y any) {
		errs = append(errs, fmt.Errorf("%s: %v against %v", what, x, y))
	}
	if a.Customers != b.Customers {
		diff("customers", a.Customers, b.Customers)
	}
	if a.Events != b.Events {
		diff("events", a.Events, b.Events)
	}
	if !slices.Equal(a.Funnel, b.Funnel) {
		diff("funnel", a.Funnel, b.Funnel)
	}
	if !slices.Equal(a.Transitions, b.Transitions) {
		diff("transitions", a.Transitions, b.Transitions)
	}
	if !slices.Equal(a.TopPaths, b.TopPaths) {
		diff("top paths", a.TopPaths, b.TopPaths)
	}
	if a.Routes != b.Routes {
		diff("distinct routes", a.Routes, b.Routes)
	}
	for _, m := range []struct {
		name string
		x, y map[string]float64
	}{{"first touch", a.First, b.First}, {"last touch", a.Last, b.Last}, {"linear", a.Linear, b.Linear}} {
		for _, k := range unionKeys(m.x, m.y) {
			x, y := m.x[k], m.y[k]
			if _, ok := m.x[k]; !ok {
				diff(m.name+" "+k, "absent", y)
			} else if _, ok := m.y[k]; !ok {
				diff(m.name+" "+k, x, "absent")
			} else if math.Abs(x-y) > creditTolerance*math.Max(1, math.Abs(x)) {
				diff(m.name+" "+k, x, y)
			}
		}
	}
	return errors.Join(errs...)
}

func unionKeys(a, b map[string]float64) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}
