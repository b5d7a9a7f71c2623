// Command simulation is a researcher's script: it simulates the B2B
// sales journey of seed 004 (contact, qualification, prospecting,
// purchase, after-sales) for a population of two buyer personas, asks
// what happens if the sales team answers quote requests faster, and
// prints the comparison of the baseline and that intervention over
// replications, with confidence intervals and, where they exist, the
// exact effects of the model. It ends with a funnel, by persona, of one
// simulated log: the analyses of observed logs run on simulated ones.
//
//	go run ./examples/simulation
//	go run ./examples/simulation -customers 50000 -reps 50 -factor 1.5
//	go run ./examples/simulation -map my-journey.json
//
// With -map, the journey must have the steps the script sets waits and
// values for, changes and reports on: meets-at-trade-fair,
// requests-quote, receives-quote, negotiates, signs-order, onboarding and
// contacts-support.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parcours-go/parcours/examples/internal/seeds"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/simulate"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "simulation:", err)
		os.Exit(1)
	}
}

// The order value: log-normal of median 18 000 EUR and shape 0.6, so of
// mean 18 000·e^(0.6²/2). The quote comes after a median 72 hours, 24
// with the intervention.
const (
	orderMedian = 18000
	orderSigma  = 0.6
	quoteHours  = 72.0
	fasterHours = 24.0
)

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("simulation", flag.ContinueOnError)
	fs.SetOutput(stdout)
	mapPath := fs.String("map", "", "journey map JSON file (default: the shipped B2B map)")
	customers := fs.Int("customers", 20000, "customers per replication")
	reps := fs.Int("reps", 30, "replications")
	seed := fs.Uint64("seed", 1, "seed of the study")
	workers := fs.Int("workers", 0, "goroutines (0: one per processor)")
	factor := fs.Float64("factor", 1.3, "how many times as many quote requests are answered")
	level := fs.Float64("level", 0.95, "confidence level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	data := seeds.B2B
	if *mapPath != "" {
		var err error
		if data, err = os.ReadFile(*mapPath); err != nil {
			return err
		}
	}
	m, err := journey.ReadMap(bytes.NewReader(data))
	if err != nil {
		return err
	}

	// The model: the map's chain, contact map and personas, with waiting
	// times (the time spent at a step before the next event) and the
	// value of a signed order.
	spec, err := simulate.FromMap(m)
	if err != nil {
		return err
	}
	spec.Wait = simulate.Exponential(simulate.Hours(48))
	spec.Waits = map[string]simulate.Dist{
		"meets-at-trade-fair": simulate.Exponential(simulate.Hours(10 * 24)),
		"requests-quote":      simulate.LogNormal(simulate.Hours(quoteHours), 0.7), // until the quote comes
		"receives-quote":      simulate.Exponential(simulate.Hours(5 * 24)),
		"negotiates":          simulate.LogNormal(simulate.Hours(4*24), 0.5),
		"onboarding":          simulate.Fixed(simulate.Hours(7 * 24)),
	}
	spec.Values = map[string]simulate.Dist{"signs-order": simulate.LogNormal(orderMedian, orderSigma)}
	base, err := simulate.New(spec)
	if err != nil {
		return err
	}

	// The intervention: the sales team answers quote requests faster.
	// More requests get a quote (the others leave less often), and the
	// quote comes after a day instead of three.
	variant, err := base.Scale("requests-quote", "receives-quote", *factor)
	if err != nil {
		return err
	}
	faster := simulate.LogNormal(simulate.Hours(fasterHours), 0.5)
	if variant, err = variant.WithWait("requests-quote", faster); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "%s: %d stages, %d steps, %d touchpoints, %d personas\n\n",
		m.Name, len(m.Stages), len(m.Steps), len(m.Catalog.Touchpoints), len(m.Personas))
	if err := printPersonas(stdout, base, variant); err != nil {
		return err
	}
	g0, _ := base.Graph("")
	g1, _ := variant.Graph("")
	fmt.Fprintf(stdout, "\nIntervention: the sales team answers quote requests faster.\n")
	fmt.Fprintf(stdout, "  requests-quote -> receives-quote: %.3f -> %.3f (x%.2f, the exit takes the rest)\n",
		g0.Probability("requests-quote", "receives-quote"), g1.Probability("requests-quote", "receives-quote"), *factor)
	fmt.Fprintf(stdout, "  wait for the quote: log-normal, median %g h (shape 0.7) -> median %g h (shape 0.5)\n\n", quoteHours, fasterHours)

	opt := simulate.ReplicateOptions{
		Options:      simulate.Options{Customers: *customers, Seed: *seed, Workers: *workers, Period: 90 * 24 * time.Hour},
		Replications: *reps,
		Level:        *level,
		Reach:        []string{"receives-quote", "signs-order", "contacts-support"},
	}
	c, err := simulate.Compare(base, variant, opt)
	if err != nil {
		return err
	}
	exact, err := exactEffects(base, variant, opt.Reach)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d replications of %d customers (seed %d), %g%% t-intervals; EXACT: the effect computed from the model's chains\n\n",
		c.Replications, c.Customers, *seed, 100*c.Level)
	printComparison(stdout, c, exact)

	// One replication's baseline customers, as a log, through a funnel.
	l, err := base.Run(simulate.Options{Customers: *customers, Seed: simulate.ReplicationSeed(*seed, 0), Workers: *workers, Period: opt.Period})
	if err != nil {
		return err
	}
	return printFunnel(stdout, m, base, l)
}

// printPersonas lists the personas with their channel weights and their
// exact conversion rates in both arms.
func printPersonas(w io.Writer, base, variant *simulate.Model) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSONA\tSHARE\tCHANNEL WEIGHTS\tEXACT CONVERSION\tWITH THE INTERVENTION")
	shares := base.Shares()
	for i, p := range base.Personas() {
		var ch []string
		for _, c := range slices.Sorted(maps.Keys(p.Channels)) {
			ch = append(ch, fmt.Sprintf("%s x%g", c, p.Channels[c]))
		}
		r0, err := personaConversion(base, p.ID)
		if err != nil {
			return err
		}
		r1, err := personaConversion(variant, p.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%.4f\t%.4f\n", p.ID, shares[i], strings.Join(ch, ", "), r0, r1)
	}
	r0, err := base.ConversionRate()
	if err != nil {
		return err
	}
	r1, err := variant.ConversionRate()
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "all\t1.00\t\t%.4f\t%.4f\n", r0, r1)
	return tw.Flush()
}

// personaConversion returns the exact conversion rate of a persona.
func personaConversion(m *simulate.Model, id string) (float64, error) {
	g, err := m.Graph(id)
	if err != nil {
		return 0, err
	}
	return g.Absorption(graph.Start, graph.Conversion), nil
}

// exactEffects returns the exact effect of the intervention on the
// outcomes the model gives exactly: the conversion rate, the reach of
// steps, and the mean value (an order, signed at most once per
// customer, is worth median·e^(σ²/2) on average).
func exactEffects(base, variant *simulate.Model, reach []string) (map[string]float64, error) {
	out := map[string]float64{}
	r0, err := base.ConversionRate()
	if err != nil {
		return nil, err
	}
	r1, err := variant.ConversionRate()
	if err != nil {
		return nil, err
	}
	out[simulate.OutcomeConversion] = r1 - r0
	for _, s := range reach {
		a, err := base.Reach(s)
		if err != nil {
			return nil, err
		}
		b, err := variant.Reach(s)
		if err != nil {
			return nil, err
		}
		out[simulate.ReachOutcome(s)] = b - a
	}
	a, _ := base.Reach("signs-order")
	b, _ := variant.Reach("signs-order")
	out[simulate.OutcomeValue] = (b - a) * orderMedian * math.Exp(orderSigma*orderSigma/2)
	return out, nil
}

// printComparison writes one row per outcome: each arm's mean with its
// interval, the difference with its interval, and the exact difference
// where the model gives one.
func printComparison(w io.Writer, c *simulate.Comparison, exact map[string]float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTCOME\tBASELINE\tVARIANT\tDIFFERENCE\tEXACT")
	for _, o := range c.Outcomes {
		f := "%.4f"
		switch o.Name {
		case simulate.OutcomeValue:
			f = "%.2f"
		case simulate.OutcomeHours:
			f = "%.1f"
		}
		arm := func(e simulate.Estimate) string {
			return fmt.Sprintf(f+" ["+f+", "+f+"]", e.Mean, e.Low, e.High)
		}
		sf := strings.ReplaceAll(f, "%", "%+")
		diff := fmt.Sprintf(sf+" ["+sf+", "+sf+"]", o.Diff.Mean, o.Diff.Low, o.Diff.High)
		ex := "-"
		if x, ok := exact[o.Name]; ok {
			ex = fmt.Sprintf(sf, x)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", outcomeLabel(o.Name), arm(o.Baseline), arm(o.Variant), diff, ex)
	}
	tw.Flush()
}

// outcomeLabel says what an outcome measures.
func outcomeLabel(name string) string {
	switch name {
	case simulate.OutcomeConversion:
		return "conversion (signed orders)"
	case simulate.OutcomeSteps:
		return "steps per customer"
	case simulate.OutcomeValue:
		return "order value per customer (EUR)"
	case simulate.OutcomeHours:
		return "hours from first to last event"
	}
	return name
}

// printFunnel runs the map's stage funnel over a simulated log, broken
// down by the persona property every simulated event carries.
func printFunnel(w io.Writer, m *journey.Map, model *simulate.Model, l *journey.Log) error {
	f, err := funnel.FromMap(m)
	if err != nil {
		return err
	}
	rep, err := f.Analyze(l, funnel.Options{Breakdowns: []funnel.Breakdown{{By: funnel.ByProp, Prop: "persona"}}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFunnel of replication 0's baseline log (%d customers, %d events): customers reaching each stage\n\n", l.Customers(), l.Len())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	personas := model.Personas()
	fmt.Fprint(tw, "STAGE\tALL")
	for _, p := range personas {
		fmt.Fprintf(tw, "\t%s", strings.ToUpper(p.ID))
	}
	fmt.Fprintln(tw)
	for k, st := range rep.Stages {
		fmt.Fprintf(tw, "%s\t%d", m.Stages[k].ID, st.Reached)
		for _, p := range personas {
			n := 0
			if seg, ok := rep.Breakdowns[0].Segment(p.ID); ok {
				n = seg.Stages[k].Reached
			}
			fmt.Fprintf(tw, "\t%d", n)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
