package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/objectives"
)

// funnelWindow is the time a customer has, from the first stage, to
// reach the others.
const funnelWindow = 30 * 24 * time.Hour

// tour holds what each analysis found in the log.
type tour struct {
	m *journey.Map
	l *journey.Log

	funnel *funnel.Report
	// segments are the persona breakdown's values, in the map's order.
	segments []segment

	variants     []paths.Variant
	goalVariants []paths.GoalVariant
	purchased    int // customers who reached the purchase

	graph       *graph.Graph
	friction    []graph.Friction
	conformance *journey.Conformance
	flow        paths.Flow

	models []modelResult // attribution by channel

	impact *impact.Report
}

// segment is a persona of the funnel's breakdown.
type segment struct {
	value, name string
}

// modelResult is one attribution model's credits by channel.
type modelResult struct {
	name         string // in the terminal
	title, about string // in the report
	result       attribution.Result
}

// purchases returns the purchases the model attributed, summed in channel
// order: every model attributes all of them.
func (m modelResult) purchases() float64 {
	sum := 0.0
	for _, ch := range m.result.Touches() {
		sum += m.result[ch].Conversions
	}
	return sum
}

// analyse runs every analysis of the tour on the log.
func analyse(m *journey.Map, l *journey.Log, workers int) (*tour, error) {
	t := &tour{m: m, l: l}
	isPurchase := func(e journey.Event) bool { return e.Step == purchase }

	// The funnel over the map's stages, within 30 days, by persona: the
	// simulation records each customer's persona in a property; for
	// other logs the map's rules assign one from the customers'
	// properties.
	f, err := funnel.FromMap(m)
	if err != nil {
		return nil, err
	}
	f.Window = funnelWindow
	var by []funnel.Breakdown
	if _, ok := l.Prop(0, "persona"); ok {
		by = []funnel.Breakdown{{By: funnel.ByProp, Prop: "persona"}}
	} else if len(m.Rules) > 0 {
		by = []funnel.Breakdown{{By: funnel.ByPersona, Personas: m.Rules}}
	}
	if t.funnel, err = f.Analyze(l, funnel.Options{Workers: workers, Breakdowns: by}); err != nil {
		return nil, err
	}
	if len(by) > 0 {
		for _, p := range m.Personas {
			t.segments = append(t.segments, segment{p.ID, textfmt.ShortName(p.Name, p.ID)})
		}
	}

	// Routes: all of them, and those towards the purchase.
	byStep := paths.Options{Workers: workers}
	v, err := paths.CountVariants(l, byStep)
	if err != nil {
		return nil, err
	}
	t.variants = v.List()
	gv, err := paths.CountGoalVariants(l, isPurchase, byStep)
	if err != nil {
		return nil, err
	}
	t.goalVariants = gv.List()
	for _, v := range t.goalVariants {
		t.purchased += v.Converted
	}

	// The journey graph of the customers' paths, its friction points
	// against the purchase, and how the paths fit the design.
	if t.graph, err = journey.Learn(l, journey.LearnOptions{Workers: workers}); err != nil {
		return nil, err
	}
	t.friction = t.graph.Friction(graph.FrictionOptions{Goal: []string{purchase}, Emotions: m.Emotions(""), Top: 5})
	if t.conformance, err = m.Conformance(l, journey.ConformanceOptions{Workers: workers}); err != nil {
		return nil, err
	}
	flows, err := paths.CountFlows(l, paths.FlowOptions{Depth: 5}, byStep)
	if err != nil {
		return nil, err
	}
	t.flow = flows.Flow(4)

	// Attribution of the purchases to the channels the customers met
	// before them.
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{purchase}, Workers: workers}
	js, err := attribution.FromLog(l, from)
	if err != nil {
		return nil, err
	}
	type model struct {
		modelResult
		run func() (attribution.Result, error)
	}
	models := []model{
		{modelResult{name: "first", title: "First touch", about: "the whole purchase goes to the first channel the customer met"},
			func() (attribution.Result, error) { return attribution.FirstTouch(js) }},
		{modelResult{name: "last", title: "Last touch", about: "the whole purchase goes to the last channel before it"},
			func() (attribution.Result, error) { return attribution.LastTouch(js) }},
		{modelResult{name: "linear", title: "Linear", about: "every touch before the purchase gets an equal share"},
			func() (attribution.Result, error) { return attribution.Linear(js) }},
		{modelResult{name: "40/20/40", title: "Position 40/20/40", about: "40% to the first touch, 40% to the last, 20% shared by those between"},
			func() (attribution.Result, error) { return attribution.PositionBased(js, 0.4, 0.4) }},
		{modelResult{name: "decay", title: "Time decay", about: "a touch's share halves for every 7 days between it and the purchase"},
			func() (attribution.Result, error) {
				return attribution.TimeDecay(l, attribution.TimeDecayOptions{FromLogOptions: from})
			}},
		{modelResult{name: "shapley", title: "Shapley", about: "the Shapley value of the channels, as a coalition game: each purchase is shared equally by the distinct channels of its route"},
			func() (attribution.Result, error) { return attribution.Shapley(js, attribution.ShapleyOptions{}) }},
		{modelResult{name: "markov", title: "Markov", about: "removal effects of the order-1 Markov chain of the routes, buyers' and others': a channel's share follows the share of purchases lost without it"},
			func() (attribution.Result, error) {
				return attribution.Markov(js, attribution.MarkovOptions{Workers: workers})
			}},
	}
	for _, mo := range models {
		r, err := mo.run()
		if err != nil {
			return nil, fmt.Errorf("attribution %s: %w", mo.name, err)
		}
		mo.result = r
		t.models = append(t.models, mo.modelResult)
	}

	// Department impact on the purchase, from the customers' paths.
	t.impact, err = impact.Score(m, impact.Options{
		Log: l,
		// The four Cs, the purchase weighing twice as much as each other:
		// the purchase is the first visit to the thank-you page; the
		// other Cs are reached at the steps the map says achieve them.
		Priorities: objectives.Mix{Conversion: 2, Connection: 1, Consideration: 1, Knowledge: 1},
		GoalSteps:  map[objectives.Objective][]string{objectives.Conversion: {purchase}},
		Workers:    workers,
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// print writes the tour's findings, a short table each.
func (t *tour) print(w io.Writer) {
	t.printFunnel(w)
	t.printRoutes(w)
	t.printFriction(w)
	t.printAttribution(w)
	t.printImpact(w)
}

const indent = "   "

func heading(w io.Writer, n int, title, how string) {
	fmt.Fprintf(w, "\n%d. %s\n", n, title)
	if how != "" {
		textfmt.Wrap(w, how, indent)
	}
	fmt.Fprintln(w)
}

func (t *tour) printFunnel(w io.Writer) {
	r := t.funnel
	how := fmt.Sprintf("In order, within %d days of their first step; the share of the stage before and of the first stage, and the median time since the stage before.", funnelWindow/(24*time.Hour))
	if len(t.segments) > 0 {
		how += " Then the customers of each persona."
	}
	heading(w, 1, "Funnel: the customers who reached each stage of the map", how)
	cols := []string{"<STAGE", "CUSTOMERS", "OF PREVIOUS", "OF FIRST", "MEDIAN TIME"}
	for _, s := range t.segments {
		cols = append(cols, strings.ToUpper(s.name))
	}
	tb := textfmt.NewTable(cols...)
	for k, st := range r.Stages {
		prev, median := "", ""
		if k > 0 {
			prev = textfmt.Percent(r.Stages.FromPrevious(k))
			median = render.Duration(st.FromPrevious.Median())
		}
		row := []string{t.stageName(k), textfmt.Count(st.Reached), prev, textfmt.Percent(r.Stages.FromFirst(k)), median}
		for _, s := range t.segments {
			n := 0
			if seg, ok := r.Breakdowns[0].Segment(s.value); ok {
				n = seg.Stages[k].Reached
			}
			row = append(row, textfmt.Count(n))
		}
		tb.Add(row...)
	}
	tb.Print(w, indent)
}

// stageName is the name of the funnel's stage k, from the map.
func (t *tour) stageName(k int) string {
	if k < len(t.m.Stages) && t.m.Stages[k].Name != "" {
		return t.m.Stages[k].Name
	}
	return t.funnel.Stages[k].Name
}

func (t *tour) printRoutes(w io.Writer) {
	customers := t.l.Customers()
	heading(w, 2, "Top routes to the purchase: the steps customers took before it",
		fmt.Sprintf("%s of the %s customers purchased (%s), by %d distinct routes. For each route: its purchases and their share, the customers who took it, the share who purchased, and their median time to the purchase.",
			textfmt.Count(t.purchased), textfmt.Count(customers), textfmt.Percent(textfmt.Ratio(t.purchased, customers)), converting(t.goalVariants)))
	routes := slices.Clone(t.goalVariants)
	slices.SortStableFunc(routes, func(a, b paths.GoalVariant) int { return cmp.Compare(b.Converted, a.Converted) })
	tb := textfmt.NewTable("PURCHASES", "SHARE", "CUSTOMERS", "RATE", "MEDIAN TIME", "<ROUTE")
	shown := 0
	for _, v := range routes[:min(5, len(routes))] {
		if v.Converted == 0 {
			break
		}
		shown += v.Converted
		tb.Add(textfmt.Count(v.Converted), textfmt.Percent(textfmt.Ratio(v.Converted, t.purchased)), textfmt.Count(v.Customers), textfmt.Percent(v.Rate), render.Duration(v.MedianToGoal), strings.Join(v.Route, " > "))
	}
	tb.Print(w, indent)
	fmt.Fprintf(w, "%sThese %d routes bring %s of the purchases.\n", indent, len(tb.Rows), textfmt.Percent(textfmt.Ratio(shown, t.purchased)))
}

func converting(vs []paths.GoalVariant) int {
	n := 0
	for _, v := range vs {
		if v.Converted > 0 {
			n++
		}
	}
	return n
}

func (t *tour) printFriction(w io.Writer) {
	heading(w, 3, "Friction points: the steps that lose the most customers",
		"From the journey graph learned from the paths: visits and customers lost per 100 customers, the share of visits that leave the journey there and that come back to the step later, the chance of a purchase from there, and the designed emotion (-2 to +2).")
	tb := textfmt.NewTable("<STEP", "VISITS", "LOST", "LEAVE HERE", "LOOP BACK", "THEN PURCHASE", "EMOTION")
	for _, f := range t.friction {
		emotion := ""
		if f.HasEmotion {
			emotion = fmt.Sprintf("%+d", f.Emotion)
			if f.Emotion == 0 {
				emotion = "0"
			}
		}
		tb.Add(f.State, fmt.Sprintf("%.1f", 100*f.Traffic), fmt.Sprintf("%.1f", 100*f.Leaving), textfmt.Percent(f.Exit), textfmt.Percent(f.LoopRate), textfmt.Percent(f.Goal), emotion)
	}
	tb.Print(w, indent)
}

// channels returns the channels some model credits, in name order.
func (t *tour) channels() []string {
	all := attribution.Result{}
	for _, mo := range t.models {
		for ch := range mo.result {
			all[ch] = attribution.Credit{}
		}
	}
	return all.Touches()
}

func (t *tour) printAttribution(w io.Writer) {
	heading(w, 4, "Attribution: the purchases each channel earned, by model",
		"FIRST, LAST: all to the first or last channel met before the purchase; LINEAR: equal shares; 40/20/40: position based; DECAY: time decay, half-life 7 days; SHAPLEY: Shapley value; MARKOV: Markov removal effects (order 1); REMOVAL: the share of purchases lost without the channel.")
	cols := []string{"<CHANNEL"}
	for _, mo := range t.models {
		cols = append(cols, strings.ToUpper(mo.name))
	}
	tb := textfmt.NewTable(append(cols, "REMOVAL")...)
	markov := t.models[len(t.models)-1].result
	for _, ch := range t.channels() {
		row := []string{ch}
		for _, mo := range t.models {
			row = append(row, textfmt.Round(mo.result[ch].Conversions))
		}
		tb.Add(append(row, textfmt.Percent(markov[ch].RemovalEffect))...)
	}
	tb.Total = []string{"total"}
	for _, mo := range t.models {
		tb.Total = append(tb.Total, textfmt.Round(mo.purchases()))
	}
	tb.Total = append(tb.Total, "")
	tb.Print(w, indent)
}

func (t *tour) printImpact(w io.Writer) {
	r := t.impact
	o, _ := r.Objective(objectives.Conversion)
	heading(w, 5, "Department impact: where each department's action matters",
		fmt.Sprintf("From the customers' paths. SCORE: the department's share of all that could be recovered for the four Cs, the purchase weighing 2, connection, consideration and knowledge 1 each. Then for the purchase (%s of the customers): DEPENDENCE, the share lost without the department's touchpoints; LEVERAGE, the points gained per point less of drop-off at its steps; RECOVERABLE, the points gained, to first order, if its steps kept every customer they lose (keeping 10%% gains a tenth).",
			textfmt.Percent(o.Reach)))
	tb := textfmt.NewTable("RANK", "<DEPARTMENT", "<FOCUS", "SCORE", "DEPENDENCE", "LEVERAGE", "RECOVERABLE", "<MATTERS MOST AT")
	for _, d := range r.Departments {
		c, _ := d.Objective(objectives.Conversion)
		where := "-"
		if len(d.Steps) > 0 && d.Steps[0].Score > 0 {
			where = d.Steps[0].Step
		}
		tb.Add(strconv.Itoa(d.Rank), textfmt.ShortName(d.Name, d.ID), d.Focus.String(), textfmt.Percent(d.Score), textfmt.Percent(c.Dependence),
			fmt.Sprintf("%.3f", c.Leverage), fmt.Sprintf("%.3f", c.Recoverable), where)
	}
	tb.Print(w, indent)
	if len(r.Departments) == 0 {
		return
	}
	top := r.Departments[0]
	fmt.Fprintf(w, "\n%sWhy %s ranks first:\n", indent, textfmt.ShortName(top.Name, top.ID))
	for _, s := range r.Explain(top.ID) {
		textfmt.Wrap(w, s, indent+"  ")
	}
}
