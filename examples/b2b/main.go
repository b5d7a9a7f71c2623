// Command b2b shows the business-to-business journey of seed 004 through
// the eyes of its buyers. A company sells equipment to other businesses
// along five sales stages (contact, qualification, prospecting, purchase,
// after-sales); two buyer personas go through them, Sophie, a purchasing
// manager who signs, and Karim, a head of engineering who recommends.
//
// For each persona it prints the profile (segment, age, job and
// responsibility, budget, needs and goals, preferred channels, buying
// behaviour, motivations and brakes), the empathy map (what the persona
// thinks, feels, says and does at each step, pains, gains and emotion),
// and the buyer journey of seed 004 (trigger, information search,
// evaluation, decision, purchase) with the steps of the sales journey
// that make up each of its stages and the chance, for a buyer like the
// persona, of getting there. It then prints the persona's Mermaid
// journey diagram and writes it, with the SVG journey map, to files.
//
//	go run ./examples/b2b                # files in the current directory
//	go run ./examples/b2b -out /tmp/b2b
//
// Paste a .mmd file into any Mermaid editor, or open the .svg file in a
// browser.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parcours-go/parcours/examples/internal/seeds"
	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/journey/simulate"
	"github.com/parcours-go/parcours/persona"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "b2b:", err)
		os.Exit(1)
	}
}

// buyerStages places the steps of the sales journey in the buyer
// journey of seed 004: the buyer looks for information, evaluates the
// offer in a demonstration and by asking for a quote, decides on the
// quote (accepting it or negotiating), and buys. The trigger (a need
// arises) happens before any contact with the company; after-sales comes
// after the purchase, beyond the buyer journey.
var buyerStages = map[string][]string{
	"trigger":            nil,
	"information-search": {"visits-website", "meets-at-trade-fair", "calls-switchboard", "fills-contact-form", "qualification-call"},
	"evaluation":         {"attends-demo", "requests-quote"},
	"decision":           {"receives-quote", "negotiates"},
	"purchase":           {"signs-order"},
}

const indent = "   "

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("b2b", flag.ContinueOnError)
	fs.SetOutput(stdout)
	out := fs.String("out", ".", "directory for the Mermaid diagrams (.mmd) and SVG journey maps (.svg)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h: the usage is printed
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	m, err := journey.ReadMap(bytes.NewReader(seeds.B2B))
	if err != nil {
		return err
	}
	// Each persona's chain: the map's routes, its odds shifted by the
	// persona's channel preferences, as the simulation walks them.
	spec, err := simulate.FromMap(m)
	if err != nil {
		return err
	}
	model, err := simulate.New(spec)
	if err != nil {
		return err
	}

	var stages []string
	for _, s := range m.Stages {
		stages = append(stages, s.Name)
	}
	fmt.Fprintf(stdout, "The B2B sales journey of seed 004: %d steps in %d stages, %d touchpoints, %d departments.\n",
		len(m.Steps), len(m.Stages), len(m.Catalog.Touchpoints), len(m.Catalog.Departments))
	fmt.Fprintf(stdout, "Sales stages: %s.\n", strings.Join(stages, " → "))
	var buyer []string
	for _, s := range funnel.Buyer().Stages {
		buyer = append(buyer, s.Name)
	}
	fmt.Fprintf(stdout, "Buyer journey: %s.\n", strings.Join(buyer, " → "))

	for i := range m.Personas {
		p := &m.Personas[i]
		fmt.Fprintf(stdout, "\n== %s: %s of the buyers\n", p.Name, textfmt.Percent(p.Share))
		if p.Description != "" {
			textfmt.Wrap(stdout, p.Description, indent)
		}
		printProfile(stdout, p)
		printEmpathy(stdout, m, p)
		g, err := model.Graph(p.ID)
		if err != nil {
			return err
		}
		printBuyerJourney(stdout, m, p, g)
		if err := writePictures(stdout, *out, m, p); err != nil {
			return err
		}
	}
	return nil
}

// printProfile writes the persona's attributes, one a line.
func printProfile(w io.Writer, p *persona.Persona) {
	fmt.Fprintf(w, "\n%sProfile\n", indent)
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%s  %-12s %s\n", indent, label, value)
		}
	}
	segment := strings.ToUpper(p.Segment.String())
	if p.Market != "" {
		segment += ", " + p.Market
	}
	line("segment", segment)
	line("age", join(", ", rangeText(p.Age, ""), p.Gender))
	job := p.Occupation
	if p.Responsibility != "" {
		job += "; " + p.Responsibility
	}
	line("job", job)
	line("budget", rangeText(p.Budget, p.Currency))
	line("income", rangeText(p.Income, p.Currency))
	line("needs", strings.Join(p.Needs, "; "))
	line("goals", strings.Join(p.Goals, "; "))
	var channels []string
	for _, c := range slices.Sorted(maps.Keys(p.Channels)) {
		channels = append(channels, fmt.Sprintf("%s ×%g", c, p.Channels[c]))
	}
	if len(channels) > 0 {
		line("channels", strings.Join(channels, ", ")+" (odds against the other channels)")
	}
	line("behaviour", strings.Join(p.Behaviours, "; "))
	line("motivations", strings.Join(p.Motivations, "; "))
	line("brakes", strings.Join(p.Brakes, "; "))
}

// rangeText writes a range "35–55" (with a unit), open ranges as
// "65 and over" and "up to 30", and nothing for an unknown one.
func rangeText(r persona.Range, unit string) string {
	f := func(x float64) string { return textfmt.Round(x) }
	var s string
	switch {
	case r.IsZero():
		return ""
	case r.Max == 0:
		s = f(r.Min) + " and over"
	case r.Min == 0:
		s = "up to " + f(r.Max)
	default:
		s = f(r.Min) + "–" + f(r.Max)
	}
	return join(" ", s, unit)
}

// join joins the non-empty strings with sep.
func join(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}

// printEmpathy writes the persona's empathy map, step by step in the
// map's order.
func printEmpathy(w io.Writer, m *journey.Map, p *persona.Persona) {
	fmt.Fprintf(w, "\n%sEmpathy map (emotion from -2, very negative, to +2, very positive)\n", indent)
	for _, s := range m.Steps {
		e, ok := p.At(s.ID)
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%s  %s (%s): emotion %s\n", indent, stepName(s), stageName(m, s.Stage), emotion(e.Emotion))
		for _, x := range []struct {
			what  string
			items []string
		}{{"thinks", e.Thinks}, {"feels", e.Feels}, {"says", e.Says}, {"does", e.Does}, {"pains", e.Pains}, {"gains", e.Gains}} {
			if len(x.items) > 0 {
				fmt.Fprintf(w, "%s    %-7s %s\n", indent, x.what, strings.Join(x.items, "; "))
			}
		}
	}
}

// printBuyerJourney writes the buyer journey's stages with the steps of
// the sales journey in each, and the chance that a buyer like p reaches
// the stage, from p's chain.
func printBuyerJourney(w io.Writer, m *journey.Map, p *persona.Persona, g *graph.Graph) {
	fmt.Fprintf(w, "\n%sBuyer journey: the steps of each stage, and the chance that a buyer like %s gets there\n", indent, textfmt.ShortName(p.Name, p.ID))
	start, _ := g.Index(graph.Start)
	tb := textfmt.NewTable("<STAGE", "REACHED", "<STEPS")
	for _, st := range funnel.Buyer().Stages {
		steps := buyerStages[st.ID]
		if len(steps) == 0 {
			tb.Add(st.Name, "", "a need arises, before any contact: "+join("; ", strings.Join(p.Needs, "; "), strings.Join(p.Goals, "; ")))
			continue
		}
		var names []string
		for _, id := range steps {
			if s, ok := m.Step(id); ok {
				names = append(names, stepName(s))
			}
		}
		tb.Add(st.Name, textfmt.Percent(g.Reach(steps...)[start]), strings.Join(names, "; "))
	}
	tb.Print(w, indent+"  ")
}

// writePictures writes p's Mermaid journey diagram and SVG journey map
// to dir, and prints the diagram.
func writePictures(w io.Writer, dir string, m *journey.Map, p *persona.Persona) error {
	var mmd bytes.Buffer
	if err := render.MermaidJourney(&mmd, m, p, render.JourneyOptions{
		Title: "B2B sales journey (" + p.Name + ")",
	}); err != nil {
		return err
	}
	var svg bytes.Buffer
	if err := render.SVGMap(&svg, m, p, render.MapOptions{
		Title: "B2B sales journey (" + p.Name + ")",
		ID:    "map-" + p.ID,
		Rows: []render.Row{render.RowSteps, render.RowTouchpoints, render.RowChannels, render.RowDepartments,
			render.RowPains, render.RowOpportunities, render.RowEmpathy, render.RowEmotion},
	}); err != nil {
		return err
	}
	mmdPath := filepath.Join(dir, "b2b-"+p.ID+"-journey.mmd")
	svgPath := filepath.Join(dir, "b2b-"+p.ID+"-map.svg")
	err := errors.Join(os.WriteFile(mmdPath, mmd.Bytes(), 0o644), os.WriteFile(svgPath, svg.Bytes(), 0o644))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%sMermaid journey diagram (also in %s):\n\n", indent, mmdPath)
	for _, l := range strings.Split(strings.TrimSuffix(mmd.String(), "\n"), "\n") {
		fmt.Fprintf(w, "%s  %s\n", indent, l)
	}
	fmt.Fprintf(w, "\n%sSVG journey map: %s\n", indent, svgPath)
	return nil
}

// emotion writes an emotion score with its sign: -1, 0, +2.
func emotion(e persona.Emotion) string {
	if e == 0 {
		return "0"
	}
	return fmt.Sprintf("%+d", e)
}

func stepName(s journey.Step) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

func stageName(m *journey.Map, id string) string {
	for _, s := range m.Stages {
		if s.ID == id && s.Name != "" {
			return s.Name
		}
	}
	return id
}
