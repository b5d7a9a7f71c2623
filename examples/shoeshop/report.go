package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"

	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/objectives"
)

// writeReport writes the HTML report of the tour to path: the design of
// the journey, each analysis with its pictures and tables, then
// attribution and department impact as sections of their own.
func writeReport(path string, m *journey.Map, l *journey.Log, t *tour) error {
	res := render.Results{
		Funnel:      t.funnel,
		Routes:      t.variants,
		GoalRoutes:  t.goalVariants,
		Graph:       t.graph,
		Conformance: t.conformance,
		PathFlow:    &t.flow,
		Extra:       []render.Section{t.attributionSection(), t.impactSection()},
	}
	r, err := render.JourneyReport(m, res, render.JourneyReportOptions{
		Title:    "Shoe shop journey report",
		Sections: render.SectionOptions{Goal: []string{purchase}, GoalName: "the purchase", GoalEvents: "purchases"},
	})
	if err != nil {
		return err
	}
	r.Subtitle = fmt.Sprintf("%s customers, %s events, %s purchases", textfmt.Count(l.Customers()), textfmt.Count(l.Len()), textfmt.Count(t.purchased))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(f)
	if err := render.HTML(b, r); err != nil {
		f.Close()
		return err
	}
	if err := b.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// share returns x/total for a bar, in [0, 1].
func share(x, total float64) float64 {
	if total <= 0 || x <= 0 {
		return 0
	}
	return min(1, x/total)
}

func (t *tour) attributionSection() render.Section {
	cols := []render.Column{{Title: "Channel"}}
	for _, mo := range t.models {
		cols = append(cols, render.Column{Title: mo.title, Numeric: true})
	}
	cols = append(cols, render.Column{Title: "Removal effect", Numeric: true})
	tb := render.Table{
		Caption: "Purchases attributed to each channel",
		Columns: cols,
		Note:    "Each bar is the channel's share of the purchases in that model; removal effect: the share of purchases lost without the channel (Markov).",
	}
	markov := t.models[len(t.models)-1].result
	for _, ch := range t.channels() {
		row := []render.Cell{{Text: ch}}
		for _, mo := range t.models {
			c := mo.result[ch].Conversions
			row = append(row, render.Cell{Text: textfmt.Round(c), Bar: share(c, mo.purchases())})
		}
		re := markov[ch].RemovalEffect
		row = append(row, render.Cell{Text: textfmt.Percent(re), Bar: share(re, 1)})
		tb.Rows = append(tb.Rows, row)
	}
	total := []render.Cell{{Text: "total"}}
	for _, mo := range t.models {
		total = append(total, render.Cell{Text: textfmt.Round(mo.purchases())})
	}
	tb.Rows = append(tb.Rows, total)
	var models render.List
	for _, mo := range t.models {
		models = append(models, mo.title+": "+mo.about+".")
	}
	return render.Section{
		ID:    "attribution",
		Title: "Attribution by channel",
		Intro: "Which channels earned the purchases: seven models split every purchase among the channels the customer met before it, each in its own way, so that every column adds up to the purchases.",
		Blocks: []render.Block{
			tb,
			render.Heading("The models"),
			models,
		},
	}
}

func (t *tour) impactSection() render.Section {
	r := t.impact
	tb := render.Table{
		Caption: "Departments ranked by their impact",
		Columns: []render.Column{
			{Title: "Rank", Numeric: true}, {Title: "Department"}, {Title: "Focus"},
			{Title: "Score (4 Cs)", Numeric: true}, {Title: "Purchase: dependence", Numeric: true},
			{Title: "leverage", Numeric: true}, {Title: "recoverable", Numeric: true},
			{Title: "Matters most at"},
		},
		Note: "Score: the department's share of all that could be recovered for the four Cs, the purchase weighing 2 and each other C 1. For the purchase: dependence, the share lost without the department's touchpoints; leverage, the points gained per point less of drop-off at its steps; recoverable, the points gained, to first order, if its steps kept every customer they lose.",
	}
	maxLeverage, maxRecoverable := 0.0, 0.0
	for _, d := range r.Departments {
		c, _ := d.Objective(objectives.Conversion)
		maxLeverage = max(maxLeverage, c.Leverage)
		maxRecoverable = max(maxRecoverable, c.Recoverable)
	}
	for _, d := range r.Departments {
		c, _ := d.Objective(objectives.Conversion)
		where := "-"
		if len(d.Steps) > 0 && d.Steps[0].Score > 0 {
			where = d.Steps[0].Step
			if s, ok := t.m.Step(where); ok && s.Name != "" {
				where = s.Name
			}
		}
		name := d.Name
		if name == "" {
			name = d.ID
		}
		tb.Rows = append(tb.Rows, []render.Cell{
			{Text: strconv.Itoa(d.Rank)}, {Text: name}, {Text: d.Focus.String()},
			{Text: textfmt.Percent(d.Score), Bar: share(d.Score, 1)},
			{Text: textfmt.Percent(c.Dependence), Bar: share(c.Dependence, 1)},
			{Text: fmt.Sprintf("%.3f", c.Leverage), Bar: share(c.Leverage, maxLeverage)},
			{Text: fmt.Sprintf("%.3f", c.Recoverable), Bar: share(c.Recoverable, maxRecoverable)},
			{Text: where},
		})
	}
	blocks := []render.Block{tb}
	if len(r.Departments) > 0 {
		top := r.Departments[0]
		name := top.Name
		if name == "" {
			name = top.ID
		}
		blocks = append(blocks, render.Heading(fmt.Sprintf("Why %s ranks first", name)))
		for _, s := range r.Explain(top.ID) {
			blocks = append(blocks, render.Paragraph(s))
		}
	}
	blocks = append(blocks, render.Heading("Assumptions"), render.List(r.Assumptions))
	o, _ := r.Objective(objectives.Conversion)
	return render.Section{
		ID:     "impact",
		Title:  "Department impact",
		Intro:  fmt.Sprintf("Where each department's action matters, from the customers' paths (%s of them purchased): how much each of the four Cs depends on the department's touchpoints, and how much it would gain if they kept more of the customers who leave.", textfmt.Percent(o.Reach)),
		Blocks: blocks,
	}
}
