// Command journeys is a Beam pipeline over customer journeys: it reads
// CSV event files, groups the events by customer, and writes one JSON
// file with the funnel, the most taken routes and the Markov attribution
// of the goal to the channels, each computed by the parcoursbeam
// transforms and merged across workers.
//
//	go run ./examples/journeys --input 'events-*.csv' --output journeys.json \
//		--steps 'wants-shoes|clicks-ad,browses-eshop,checkout,thank-you' --window 30d --goal thank-you
//
// It runs on Beam's local runner, prism, by default; --runner and the
// runner's own flags send it to Flink, Spark or Dataflow (see README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	parcoursbeam "github.com/parcours-go/parcours/contrib/beam"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/paths"
)

var (
	input  = flag.String("input", "", "CSV files to read, a glob (local paths, or gs://); required")
	output = flag.String("output", "journeys.json", "the JSON file to write")
	steps  = flag.String("steps", "", "the funnel's stages, comma-separated; a stage may list steps separated by | (any of them reaches it); required")
	window = flag.String("window", "30d", "the funnel's conversion window, as 30d, 12h or 1d12h; 0 for none")
	goal   = flag.String("goal", "", "the goal step(s) of the attribution, comma-separated; default: the funnel's last stage")
	top    = flag.Int("top", 10, "the number of routes to list")
	by     = flag.String("by", "channel", "what attribution credits: step, channel or touchpoint")
	order  = flag.Int("order", 1, "the Markov order of the attribution")
	bad    = flag.String("bad", "", "write the bad rows to this file (one JSON object a line) instead of failing at the first")
)

// Output is the JSON document the pipeline writes.
type Output struct {
	Input       string         `json:"input"`
	Customers   int            `json:"customers"`
	Funnel      *funnel.Report `json:"funnel"`
	Routes      []Route        `json:"routes"`
	Attribution Attribution    `json:"attribution"`
}

// Route is one of the routes most customers took, to its end: the
// (exit) or (conversion) marker of a simulated log, if it has them.
type Route struct {
	Route     []string `json:"route"`
	Customers int      `json:"customers"`
}

// Attribution is the Markov attribution of the goal.
type Attribution struct {
	Model       string        `json:"model"`
	Order       int           `json:"order"`
	By          string        `json:"by"`
	Goal        []string      `json:"goal"`
	Conversions float64       `json:"conversions"`
	Touches     []TouchCredit `json:"touches"`
}

// TouchCredit is one touch's share of the conversions and value.
type TouchCredit struct {
	Touch         string  `json:"touch"`
	Conversions   float64 `json:"conversions"`
	Value         float64 `json:"value"`
	RemovalEffect float64 `json:"removal_effect"`
}

// writeFn gathers the three results, finishes the attribution and writes
// the JSON file, once.
type writeFn struct {
	Path, Input string
	Top, Order  int
	By          string
	Goal        []string
}

func (f *writeFn) ProcessElement(ctx context.Context, _ []byte, rep *funnel.Report, v *paths.Variants, t *attribution.Table) error {
	out := Output{Input: f.Input, Customers: rep.Customers, Funnel: rep}
	out.Routes = []Route{}
	for _, r := range v.List() {
		if len(out.Routes) == f.Top {
			break
		}
		out.Routes = append(out.Routes, Route{r.Route, r.Customers})
	}
	out.Attribution = Attribution{Model: "markov", Order: max(1, f.Order), By: f.By, Goal: f.Goal, Touches: []TouchCredit{}}
	out.Attribution.Conversions, _, _ = t.Total()
	chain, err := t.MarkovChain(attribution.MarkovOptions{Order: f.Order})
	if err != nil {
		return err
	}
	res, err := chain.Result()
	if err != nil {
		return err
	}
	for _, touch := range res.Touches() {
		c := res[touch]
		out.Attribution.Touches = append(out.Attribution.Touches, TouchCredit{touch, c.Conversions, c.Value, c.RemovalEffect})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	fs, err := filesystem.New(ctx, f.Path)
	if err != nil {
		return err
	}
	defer fs.Close()
	return filesystem.Write(ctx, fs, f.Path, append(b, '\n'))
}

// badJSON writes a bad row as one line of JSON.
func badJSON(b parcoursbeam.BadRow) (string, error) {
	j, err := json.Marshal(b)
	return string(j), err
}

func init() {
	register.DoFn5x1[context.Context, []byte, *funnel.Report, *paths.Variants, *attribution.Table, error](&writeFn{})
	register.Function1x2(badJSON)
}

// parseWindow parses a duration as time.ParseDuration does, with days
// besides ("30d", "1d12h").
func parseWindow(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	days := time.Duration(0)
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad window %q: want 30d, 12h, 1d12h or 0", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad window %q: want 30d, 12h, 1d12h or 0", s)
	}
	return days + d, nil
}

// pipeline builds the pipeline the flags describe.
func pipeline() (*beam.Pipeline, error) {
	if *input == "" || *steps == "" {
		return nil, errors.New("--input and --steps are required")
	}
	win, err := parseWindow(*window)
	if err != nil {
		return nil, err
	}
	fopt := parcoursbeam.FunnelOptions{Window: win}
	for _, st := range strings.Split(*steps, ",") {
		fopt.Stages = append(fopt.Stages, parcoursbeam.FunnelStage{Steps: strings.Split(st, "|")})
	}
	if _, err := fopt.Funnel(); err != nil {
		return nil, err
	}
	goals := strings.Split(*goal, ",")
	if *goal == "" {
		goals = fopt.Stages[len(fopt.Stages)-1].Steps
	}
	var touch journey.By
	switch *by {
	case "step":
		touch = journey.ByStep
	case "channel":
		touch = journey.ByChannel
	case "touchpoint":
		touch = journey.ByTouchpoint
	default:
		return nil, fmt.Errorf("bad --by %q: want step, channel or touchpoint", *by)
	}

	p, s := beam.NewPipelineWithRoot()
	events, badRows, err := parcoursbeam.ReadCSV(s, *input, parcoursbeam.CSVOptions{})
	if err != nil {
		return nil, err
	}
	if *bad != "" {
		textio.Write(s, *bad, beam.ParDo(s, badJSON, badRows))
	} else {
		parcoursbeam.FailOnBadRows(s, badRows)
	}
	grouped := parcoursbeam.GroupByCustomer(s, events)
	rep := parcoursbeam.Funnel(s, grouped, fopt)
	variants := parcoursbeam.Variants(s, grouped, parcoursbeam.VariantsOptions{})
	table := parcoursbeam.RouteTable(s, grouped, parcoursbeam.RouteOptions{By: touch, GoalSteps: goals})
	beam.ParDo0(s, &writeFn{Path: *output, Input: *input, Top: *top, Order: *order, By: *by, Goal: goals},
		beam.Impulse(s), beam.SideInput{Input: rep}, beam.SideInput{Input: variants}, beam.SideInput{Input: table})
	return p, nil
}

func main() {
	flag.Parse()
	beam.Init()
	p, err := pipeline()
	if err != nil {
		fmt.Fprintln(os.Stderr, "journeys:", err)
		os.Exit(2)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatalf("journeys: %v", err)
	}
}
