// Command shoeshop loads the shoe buyer's journey of seed 003 (a customer
// buys shoes online, returns them, and comes back with a coupon), validates
// it and prints its contact map: for each stage and step, the touchpoints
// available there, their channel and the department that owns them.
//
//	go run ./examples/shoeshop
//	go run ./examples/shoeshop -map my-journey.json
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/parcours-go/parcours/journey"
)

//go:embed shoeshop.json
var shippedMap []byte

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "shoeshop:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("shoeshop", flag.ContinueOnError)
	mapPath := fs.String("map", "", "journey map JSON file (default: the shipped shoe shop map)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data := shippedMap
	if *mapPath != "" {
		var err error
		if data, err = readFile(*mapPath); err != nil {
			return err
		}
	}
	return runMap(data, stdout)
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

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
