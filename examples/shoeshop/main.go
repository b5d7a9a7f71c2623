// Command shoeshop is a tour of parcours on the shoe buyer's journey of
// seed 003: a customer sees an ad, browses the e-shop, buys shoes, finds
// they do not fit, struggles to return them, and comes back with a
// coupon. The journey is shipped as a map (shoeshop.json: 5 stages, 16
// steps, 34 touchpoints, 9 departments, 2 personas).
//
// From the map it simulates a log of customers (or reads yours), then
// prints what each part of the library finds in it:
//
//   - the funnel over the map's stages, by persona (package funnel);
//   - the routes customers took to the purchase, and the friction points
//     of the journey graph learned from their paths (package journey);
//   - the purchases attributed to each channel by seven models side by
//     side, Markov removal effects included (journey/attribution);
//   - the departments ranked by their impact on the purchase, and why the
//     first ranks first (journey/impact);
//
// and writes all of it, with the journey maps of both personas, to one
// offline HTML page (journey/render).
//
//	go run ./examples/shoeshop                     # simulate 200,000 customers, write shoeshop-report.html
//	go run ./examples/shoeshop -customers 100000 -seed 7
//	go run ./examples/shoeshop -log events.csv     # your own events (.csv or .jsonl)
//	go run ./examples/shoeshop -html /tmp/report.html
//	go run ./examples/shoeshop -contacts           # only the contact map
//	go run ./examples/shoeshop -map my-journey.json -contacts
//
// The purchase is the thank-you page (step thank-you): its first visit
// is each customer's conversion. A log given with -log has the columns
// customer, time, step, and optionally channel, touchpoint and value
// (see package journey); its steps should be those of the map.
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/eventio"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
)

//go:embed shoeshop.json
var shippedMap []byte

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "shoeshop:", err)
		os.Exit(1)
	}
}

// purchase is the step whose first visit is a customer's conversion.
const purchase = "thank-you"

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("shoeshop", flag.ContinueOnError)
	fs.SetOutput(stdout)
	mapPath := fs.String("map", "", "journey map JSON file (default: the shipped shoe shop map)")
	contacts := fs.Bool("contacts", false, "print the map's contact map and stop")
	logPath := fs.String("log", "", "events to analyse, .csv or .jsonl (default: simulate them from the map)")
	customers := fs.Int("customers", 200000, "customers to simulate")
	seed := fs.Uint64("seed", 1, "seed of the simulation")
	htmlPath := fs.String("html", "shoeshop-report.html", "where to write the HTML report")
	workers := fs.Int("workers", 0, "goroutines (0: one per processor)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h: the usage is printed
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	data := shippedMap
	if *mapPath != "" {
		var err error
		if data, err = readFile(*mapPath); err != nil {
			return err
		}
	}
	if *contacts {
		return runMap(data, stdout)
	}
	m, err := journey.ReadMap(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if _, ok := m.Step(purchase); !ok {
		return fmt.Errorf("map %q has no step %q, the purchase this tour analyses", m.Name, purchase)
	}

	var l *journey.Log
	var source string
	if *logPath != "" {
		if l, err = readLog(*logPath); err != nil {
			return err
		}
		source = fmt.Sprintf("%s: %s customers, %s events", *logPath, textfmt.Count(l.Customers()), textfmt.Count(l.Len()))
	} else {
		if l, err = simulateLog(m, *customers, *seed, *workers); err != nil {
			return err
		}
		source = fmt.Sprintf("Simulated %s customers with seed %d: %s events", textfmt.Count(l.Customers()), *seed, textfmt.Count(l.Len()))
	}
	if l.Len() == 0 {
		return errors.New("the log has no event")
	}
	first, last := l.TimeRange()
	fmt.Fprintf(stdout, "%s: %d stages, %d steps, %d touchpoints, %d departments, %d personas\n",
		m.Name, len(m.Stages), len(m.Steps), len(m.Catalog.Touchpoints), len(m.Catalog.Departments), len(m.Personas))
	fmt.Fprintf(stdout, "%s, from %s to %s.\n", source, first.Format("2 Jan 2006"), last.Format("2 Jan 2006"))
	fmt.Fprintln(stdout, "The purchase is the first visit to the thank-you page. (-contacts prints the contact map.)")

	t, err := analyse(m, l, *workers)
	if err != nil {
		return err
	}
	t.print(stdout)

	if err := writeReport(*htmlPath, m, l, t); err != nil {
		return err
	}
	abs, err := filepath.Abs(*htmlPath)
	if err != nil {
		abs = *htmlPath
	}
	fmt.Fprintf(stdout, "\nThe HTML report is in %s: open it in a browser.\n", abs)
	return nil
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

// readLog reads events from a CSV or JSON Lines file (gzip-compressed or
// not), by its name.
func readLog(path string) (*journey.Log, error) {
	return eventio.ReadFile(path, eventio.ReadOptions{})
}

// simulateLog walks n customers through the map's journey, each one of
// the map's personas by share, from the given seed. Customers start over
// four weeks; they spend minutes on each step before the purchase, and
// hours or days after it (the parcel takes two days, a refund a week).
// Each purchase is worth about 80 EUR. The end-of-path markers of the
// simulation are dropped, so the log reads as an export of real events.
func simulateLog(m *journey.Map, n int, seed uint64, workers int) (*journey.Log, error) {
	spec, err := simulate.FromMap(m)
	if err != nil {
		return nil, err
	}
	minutes := func(x float64) float64 { return simulate.Hours(x / 60) }
	spec.Wait = simulate.Exponential(minutes(10))
	spec.Waits = map[string]simulate.Dist{
		"wants-shoes":                simulate.Exponential(simulate.Hours(30)),
		"clicks-ad":                  simulate.Exponential(minutes(2)),
		"browses-eshop":              simulate.LogNormal(minutes(12), 0.8),
		"checkout":                   simulate.Exponential(minutes(4)),
		"thank-you":                  simulate.Exponential(simulate.Hours(2)),
		"awaits-parcel":              simulate.LogNormal(simulate.Hours(48), 0.4),
		"receives-parcel":            simulate.Exponential(simulate.Hours(3)),
		"tries-shoes":                simulate.Exponential(simulate.Hours(20)),
		"wants-return":               simulate.Exponential(simulate.Hours(8)),
		"calls-hotline":              simulate.LogNormal(simulate.Hours(24), 0.5),
		"returns":                    simulate.LogNormal(simulate.Hours(60), 0.3),
		"awaits-return-confirmation": simulate.Exponential(simulate.Hours(48)),
		"awaits-credit":              simulate.LogNormal(simulate.Hours(7*24), 0.3),
		"gets-review-newsletter":     simulate.Exponential(simulate.Hours(3 * 24)),
		"rates":                      simulate.Exponential(simulate.Hours(5 * 24)),
		"uses-coupon":                simulate.Exponential(minutes(5)),
	}
	spec.Values = map[string]simulate.Dist{purchase: simulate.LogNormal(80, 0.35)}
	model, err := simulate.New(spec)
	if err != nil {
		return nil, err
	}
	l, err := model.Run(simulate.Options{
		Customers: n, Seed: seed, Workers: workers,
		Start:  time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC),
		Period: 28 * 24 * time.Hour,
	})
	if err != nil {
		return nil, err
	}
	return l.Where(journey.Named(journey.ByStep, func(s string) bool { return s != graph.Exit && s != graph.Conversion })), nil
}

// runMap reads and validates the map in data and prints its contact map.
func runMap(data []byte, stdout io.Writer) error {
	m, err := journey.ReadMap(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return printContactMap(stdout, m)
}

// printContactMap writes one row per touchpoint: stage, step, touchpoint,
// channel and owner, with the stage and step named on their first row only.
func printContactMap(w io.Writer, m *journey.Map) error {
	fmt.Fprintf(w, "%s: %d stages, %d steps, %d touchpoints, %d departments\n\n",
		m.Name, len(m.Stages), len(m.Steps), len(m.Catalog.Touchpoints), len(m.Catalog.Departments))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tSTEP\tTOUCHPOINT\tCHANNEL\tOWNER")
	for _, stage := range m.Stages {
		stageName := stage.Name
		for _, step := range m.StepsIn(stage.ID) {
			stepName := step.Name
			if len(step.Touchpoints) == 0 {
				fmt.Fprintf(tw, "%s\t%s\t-\t\t\n", stageName, stepName)
				stageName = ""
			}
			for _, id := range step.Touchpoints {
				tp, _ := m.Catalog.Touchpoint(id) // Validate resolved every id
				owner := "-"
				if d, ok := m.Catalog.Department(tp.Owner); ok {
					owner = d.Name
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", stageName, stepName, tp.Name, tp.Channel, owner)
				stageName, stepName = "", ""
			}
		}
	}
	return tw.Flush()
}
