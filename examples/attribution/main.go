// Command attribution reads a route table in the layout of
// ChannelAttribution — one row per distinct route of touches ("search >
// email > direct"), with the customers who took it and converted, those
// who did not, and the value of the conversions — and prints every
// attribution model of package attribution side by side, for conversions
// and for value: first touch, last touch, linear, position based
// (40/20/40), Shapley, ordered Shapley summed over positions, and the
// Markov models of order 1 and 2 with their removal effects. It ends with
// the order ChooseOrder recommends.
//
//	go run ./examples/attribution
//	go run ./examples/attribution -table my-routes.csv -sep ">"
//
// Without -table it reads the shipped routes.csv: 32 routes of 2,540
// customers over six channels.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/parcours-go/parcours/journey/attribution"
)

//go:embed routes.csv
var shippedTable []byte

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "attribution:", err)
		os.Exit(1)
	}
}

// model is one column of the tables.
type model struct {
	name  string
	model attribution.Model
}

var models = []model{
	{"first", attribution.FirstTouch},
	{"last", attribution.LastTouch},
	{"linear", attribution.Linear},
	{"40/20/40", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.PositionBased(js, 0.4, 0.4)
	}},
	{"shapley", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{})
	}},
	{"ordered", orderedShapley},
	{"markov-1", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Markov(js, attribution.MarkovOptions{Order: 1})
	}},
	{"markov-2", func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Markov(js, attribution.MarkovOptions{Order: 2})
	}},
}

// orderedShapley is Zhao et al.'s ordered Shapley value with each touch's
// credits summed over the positions it was touched at.
func orderedShapley(js []attribution.Row) (attribution.Result, error) {
	r, err := attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
	if err != nil {
		return nil, err
	}
	out := attribution.Result{}
	for _, key := range r.Touches() { // sorted, so that the sums are reproducible
		touch, _, _ := attribution.SplitPositionKey(key)
		c := out[touch]
		c.Conversions += r[key].Conversions
		c.Value += r[key].Value
		out[touch] = c
	}
	return out, nil
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("attribution", flag.ContinueOnError)
	tablePath := fs.String("table", "", "route table CSV: path, conversions, nulls, value (default: the shipped routes.csv)")
	sep := fs.String("sep", ">", "separator between the touches of a path")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data := shippedTable
	if *tablePath != "" {
		var err error
		if data, err = os.ReadFile(*tablePath); err != nil {
			return err
		}
	}
	js, err := attribution.ReadTable(bytes.NewReader(data), attribution.TableOptions{Sep: *sep})
	if err != nil {
		return err
	}
	results := make([]attribution.Result, len(models))
	for i, m := range models {
		if results[i], err = m.model(js); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return report(stdout, js, results)
}

// report prints the tables: conversions, value, and the Markov removal
// effects, a row per touch in name order, and the order to use.
func report(w io.Writer, js []attribution.Row, results []attribution.Result) error {
	var customers, conv, value float64
	touches := attribution.Result{}
	for _, j := range js {
		customers += j.Conversions + j.Nulls
		conv += j.Conversions
		value += j.Value
		for _, s := range j.Touches {
			touches[s] = attribution.Credit{}
		}
	}
	fmt.Fprintf(w, "%d routes, %g customers, %g conversions worth %.2f\n", len(js), customers, conv, value)
	// Touch names are padded to one width, so that they stay flush left
	// in right-aligned columns.
	width := len("touch")
	for touch := range touches {
		width = max(width, len(touch))
	}
	name := func(s string) string { return fmt.Sprintf("%-*s", width, s) }

	table := func(title string, of func(attribution.Credit) float64) {
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\t", name("touch"))
		for _, m := range models {
			fmt.Fprintf(tw, "%s\t", m.name)
		}
		fmt.Fprintln(tw)
		for _, touch := range touches.Touches() {
			fmt.Fprintf(tw, "%s\t", name(touch))
			for _, r := range results {
				fmt.Fprintf(tw, "%.2f\t", of(r[touch]))
			}
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s\t", name("total"))
		for _, r := range results {
			sum := 0.0 // in touch order, so that the totals are reproducible
			for _, touch := range r.Touches() {
				sum += of(r[touch])
			}
			fmt.Fprintf(tw, "%.2f\t", sum)
		}
		fmt.Fprintln(tw)
		tw.Flush()
	}
	table("conversions", func(c attribution.Credit) float64 { return c.Conversions })
	table("value", func(c attribution.Credit) float64 { return c.Value })

	fmt.Fprintf(w, "\nremoval effects\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tmarkov-1\tmarkov-2\t\n", name("touch"))
	m1, m2 := results[len(results)-2], results[len(results)-1]
	for _, touch := range touches.Touches() {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t\n", name(touch), m1[touch].RemovalEffect, m2[touch].RemovalEffect)
	}
	tw.Flush()

	opt := attribution.ChooseOrderOptions{MaxOrder: 3, Holdout: 0.3, Seed: 1}
	choice, err := attribution.ChooseOrder(js, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nchoosing the order (%.0f%% of the customers held out, seed %d): penalised ROC AUC", 100*opt.Holdout, opt.Seed)
	for _, o := range choice.Orders {
		if o.Evaluated {
			fmt.Fprintf(w, " %.4f at order %d,", o.PenalisedAUC, o.Order)
		} else {
			fmt.Fprintf(w, " order %d has too many states for %d routes,", o.Order, len(js))
		}
	}
	fmt.Fprintf(w, " so order %d\n", choice.Recommended)
	return nil
}
