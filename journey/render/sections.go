package render

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
)

// SectionOptions configures the report sections made from analyses of
// customers' journeys: RoutesSection, GraphSection, FrictionSection and
// ConformanceSection. The zero value gives the defaults each field
// documents.
type SectionOptions struct {
	// Map, if set, names steps with their names in the map, and gives the
	// emotions that weigh pain points. Nil names steps by their ids.
	Map *journey.Map
	// Persona is the id of the persona whose emotions weigh the pain
	// points ([journey.Map.Emotions]); empty means the steps' designed
	// emotions. Without a Map there are no emotions, hence no pain points.
	Persona string
	// Goal names the goal of the journey graph's analyses, as
	// [graph.FrictionOptions] does: the states whose last step is one of
	// these. Nil means Conversion.
	Goal []string
	// GoalName is what the text calls the goal ("the purchase"); empty
	// means "the goal".
	GoalName string
	// GoalEvents is what the text calls the customers' reachings of the
	// goal, in the plural ("purchases"; a final s is dropped for one);
	// empty means "conversions".
	GoalEvents string
	// Top is the most rows a table of routes, steps or transitions shows;
	// 0 means 10.
	Top int
	// MinProbability hides the unlikely transitions of the journey graph's
	// diagrams, as [GraphFlowOptions] says; 0 draws them all.
	MinProbability float64
}

func (o SectionOptions) top() int {
	if o.Top <= 0 {
		return 10
	}
	return o.Top
}

func (o SectionOptions) goalName() string {
	if g := cleanText(o.GoalName); g != "" {
		return g
	}
	return "the goal"
}

func (o SectionOptions) goalEvents() string {
	if g := cleanText(o.GoalEvents); g != "" {
		return g
	}
	return "conversions"
}

// goalStates returns the names of the goal, Conversion if none is given.
func (o SectionOptions) goalStates() []string {
	if o.Goal == nil {
		return []string{graph.Conversion}
	}
	return o.Goal
}

// name names a state or step for a reader.
func (o SectionOptions) name(id string) string {
	if o.Map != nil {
		return stateName(o.Map, id)
	}
	switch id {
	case graph.Start:
		return "Start"
	case graph.Exit:
		return "Exit"
	case graph.Conversion:
		return "Conversion"
	}
	return id
}

// routeText writes a route as its steps' names joined by arrows. A route
// of more than 12 steps shows its first and last five around the number
// left out.
func (o SectionOptions) routeText(route []string) string {
	if len(route) == 0 {
		return "(no step)"
	}
	names := make([]string, 0, min(len(route), 11))
	if len(route) > 12 {
		for _, s := range route[:5] {
			names = append(names, o.name(s))
		}
		names = append(names, "… "+strconv.Itoa(len(route)-10)+" more steps …")
		for _, s := range route[len(route)-5:] {
			names = append(names, o.name(s))
		}
	} else {
		for _, s := range route {
			names = append(names, o.name(s))
		}
	}
	return strings.Join(names, " → ")
}

// stateText names a graph state: its parts' names joined by arrows.
func (o SectionOptions) stateText(g *graph.Graph, state string) string {
	i, ok := g.Index(state)
	if !ok {
		return o.name(state)
	}
	return o.routeText(g.Parts(i))
}

// lastPart returns the last step of a graph state, or the state.
func (o SectionOptions) lastPart(g *graph.Graph, state string) string {
	if i, ok := g.Index(state); ok {
		if parts := g.Parts(i); len(parts) > 0 {
			return parts[len(parts)-1]
		}
	}
	return state
}

// FunnelSection returns the report section of a funnel report: the chart
// SVGFunnel draws, a table of the stages (units reached, conversion from
// the previous and from the first stage, units that went no further,
// median and 90th-percentile times from the previous stage), and a table
// per breakdown (units that entered, reached the last stage, and the
// conversion between them, per value). Its ID is "funnel".
//
// It returns SVGFunnel's errors.
func FunnelSection(r *funnel.Report, opt FunnelOptions) (Section, error) {
	var b bytes.Buffer
	if err := SVGFunnel(&b, r, opt); err != nil {
		return Section{}, err
	}
	unit := units(r, 2)
	s := Section{
		ID: "funnel", Title: "Funnel",
		Intro: "How many " + unit + " reached each stage of the journey, in order, " + funnelWindow(r) +
			", and how many went no further. The stages where the bars shrink most are where " + unit + " are lost.",
	}
	s.Blocks = append(s.Blocks, Picture{SVG: b.Bytes()})
	t := Table{
		Caption: "The stages",
		Columns: []Column{{Title: "Stage"}, {Title: "Reached", Numeric: true},
			{Title: "Of the previous", Numeric: true}, {Title: "Of the first", Numeric: true},
			{Title: "Went no further", Numeric: true}, {Title: "Median time", Numeric: true},
			{Title: "9 in 10 within", Numeric: true}},
		Note: "Reached: the " + unit + " " + who(r) + " reached the stage; the percentages compare them with those who reached the previous stage, and the first. " +
			"Times run from the previous stage: half the " + unit + " took less than the median time, nine in ten less than the last column.",
	}
	for k, st := range r.Stages {
		name := funnelStageName(opt.Map, st.Name)
		if st.Optional {
			name += " (optional)"
		}
		row := []Cell{{Text: name}, {Text: count(st.Reached)}}
		if k == 0 {
			row = append(row, Cell{Text: "–"}, Cell{Text: percent(r.Stages.FromFirst(0)), Bar: clamp01(r.Stages.FromFirst(0))})
		} else {
			row = append(row, Cell{Text: percent(r.Stages.FromPrevious(k)), Bar: clamp01(r.Stages.FromPrevious(k))},
				Cell{Text: percent(r.Stages.FromFirst(k)), Bar: clamp01(r.Stages.FromFirst(k))})
		}
		dropped := "–"
		if k < len(r.Stages)-1 {
			dropped = count(st.Dropped) + " (" + share(float64(st.Dropped), float64(st.Reached)) + ")"
		}
		row = append(row, Cell{Text: dropped})
		if k > 0 && st.FromPrevious.Count() > 0 {
			row = append(row, Cell{Text: Duration(st.FromPrevious.Median())}, Cell{Text: Duration(st.FromPrevious.P90())})
		} else {
			row = append(row, Cell{Text: "–"}, Cell{Text: "–"})
		}
		t.Rows = append(t.Rows, row)
	}
	s.Blocks = append(s.Blocks, t)
	for _, br := range r.Breakdowns {
		s.Blocks = append(s.Blocks, breakdownTable(r, br, opt.Map))
	}
	return s, nil
}

// breakdownTable shows, per value of a breakdown, the units that entered
// the funnel and those that reached its last stage.
func breakdownTable(r *funnel.Report, br funnel.BreakdownReport, m *journey.Map) Table {
	by := br.Breakdown.By.String()
	if br.Breakdown.By == funnel.ByProp {
		by = br.Breakdown.Prop
	}
	last := funnelStageName(m, r.Stages[len(r.Stages)-1].Name)
	t := Table{
		Caption: "By " + by,
		Columns: []Column{{Title: capitalize(by)}, {Title: "Entered", Numeric: true},
			{Title: "Reached " + last, Numeric: true}, {Title: "Conversion", Numeric: true}},
	}
	for _, seg := range br.Segments {
		if len(seg.Stages) == 0 {
			continue
		}
		value := seg.Value
		// Personas by their names in the map, whether the breakdown
		// assigned them or read them from a "persona" property.
		if (br.Breakdown.By == funnel.ByPersona || br.Breakdown.By == funnel.ByProp && br.Breakdown.Prop == "persona") && m != nil {
			if p, ok := m.Persona(value); ok {
				value = personaName(p)
			}
		}
		if cleanText(value) == "" {
			value = "(none)"
		}
		n := len(seg.Stages) - 1
		conv := seg.Stages.FromFirst(n)
		t.Rows = append(t.Rows, []Cell{{Text: value}, {Text: count(seg.Stages[0].Reached)}, {Text: count(seg.Stages[n].Reached)},
			{Text: percent(conv), Bar: clamp01(conv)}})
	}
	return t
}

// TopRoutesSection returns the report section of the routes customers took:
// the most common routes (variants, [paths.CountVariants]) with their
// share of the customers, and the routes to the goal (goal variants,
// [paths.CountGoalVariants]): those that reached it, most conversions
// first (ties: most customers first), with their customers, conversions,
// share of the conversions, conversion rate and median time to the goal,
// and a line that sums up the other routes ("609 other routes, 3,630
// customers, 12 purchases"). Pass every variant: the tables show the
// first opt.Top and say what the rest hold. Either may be nil, and its
// table is left out. Its ID is "top-routes". It costs a sort of the goal
// variants.
func TopRoutesSection(variants []paths.Variant, goals []paths.GoalVariant, opt SectionOptions) Section {
	s := Section{
		ID: "top-routes", Title: "Top routes",
		Intro: "The routes customers actually took, step by step, most common first. Customers who did exactly the same steps " +
			"in the same order share a route; journeys are not linear, so many routes share the customers.",
	}
	top := opt.top()
	if len(variants) > 0 {
		total := 0
		for _, v := range variants {
			total += v.Customers
		}
		t := Table{
			Caption: "Most common routes",
			Columns: []Column{{Title: "#", Numeric: true}, {Title: "Route"}, {Title: "Customers", Numeric: true}, {Title: "Share of customers", Numeric: true}},
		}
		shown := 0
		for i, v := range variants[:min(top, len(variants))] {
			shown += v.Customers
			t.Rows = append(t.Rows, []Cell{{Text: strconv.Itoa(i + 1)}, {Text: opt.routeText(v.Route)}, {Text: count(v.Customers)},
				{Text: share(float64(v.Customers), float64(total)), Bar: clamp01(float64(v.Customers) / float64(max(total, 1)))}})
		}
		t.Note = count(len(variants)) + " distinct routes among " + count(total) + " customers; the " +
			strconv.Itoa(min(top, len(variants))) + " above cover " + share(float64(shown), float64(total)) + " of them."
		s.Blocks = append(s.Blocks, t)
	}
	if len(goals) > 0 {
		s.Blocks = append(s.Blocks, goalRoutes(goals, opt)...)
	}
	return s
}

// goalRoutes returns the blocks of the routes towards the goal: a
// heading, a sentence of how many reached it, and a table of the routes
// that reached it, most conversions first (ties: most customers first),
// whose note sums up the routes left out.
func goalRoutes(goals []paths.GoalVariant, opt SectionOptions) []Block {
	total, conv := 0, 0
	for _, v := range goals {
		total += v.Customers
		conv += v.Converted
	}
	goal, events := opt.goalName(), opt.goalEvents()
	blocks := []Block{Heading("Routes to " + goal),
		Paragraph("What customers did before they first reached " + goal + ", the routes that led there most often first: " +
			"how many customers took each route, how many of them then reached " + goal + " and their share of the " + events +
			", and how long it took from their first step. " +
			count(conv) + " of " + count(total) + " customers (" + share(float64(conv), float64(total)) + ") reached " + goal + ".")}
	shown := buyingRoutes(goals, opt.top())
	if len(shown) == 0 {
		return append(blocks, Paragraph("No route led to "+goal+"."))
	}
	t := Table{
		Columns: []Column{{Title: "#", Numeric: true}, {Title: "Route before " + goal}, {Title: "Customers", Numeric: true},
			{Title: capitalize(events), Numeric: true}, {Title: "Share of the " + events, Numeric: true},
			{Title: "Conversion rate", Numeric: true}, {Title: "Median time to " + goal, Numeric: true}},
	}
	for i, v := range shown {
		t.Rows = append(t.Rows, []Cell{{Text: strconv.Itoa(i + 1)}, {Text: opt.routeText(v.Route)}, {Text: count(v.Customers)},
			{Text: count(v.Converted)}, {Text: share(float64(v.Converted), float64(conv)), Bar: clamp01(float64(v.Converted) / float64(max(conv, 1)))},
			{Text: percent(v.Rate), Bar: clamp01(v.Rate)}, {Text: Duration(v.MedianToGoal)}})
	}
	if n := len(goals) - len(shown); n > 0 {
		shownCustomers, shownConv := 0, 0
		for _, v := range shown {
			shownCustomers += v.Customers
			shownConv += v.Converted
		}
		t.Note = otherRoutes(n, total-shownCustomers, conv-shownConv, events) + "."
	}
	return append(blocks, t)
}

// buyingRoutes returns the first top routes of goals that reached the
// goal, most conversions first, then most customers, then in the given
// order.
func buyingRoutes(goals []paths.GoalVariant, top int) []paths.GoalVariant {
	var out []paths.GoalVariant
	for _, v := range goals {
		if v.Converted > 0 {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b paths.GoalVariant) int {
		return cmp.Or(cmp.Compare(b.Converted, a.Converted), cmp.Compare(b.Customers, a.Customers))
	})
	return out[:min(top, len(out))]
}

// otherRoutes sums up the routes a table leaves out in one line: "609
// other routes, 3,630 customers, 12 purchases".
func otherRoutes(routes, customers, conversions int, events string) string {
	noun := " other routes, "
	if routes == 1 {
		noun = " other route, "
	}
	who := " customers, "
	if customers == 1 {
		who = " customer, "
	}
	if conversions == 1 {
		events = strings.TrimSuffix(events, "s")
	}
	return count(routes) + noun + count(customers) + who + count(conversions) + " " + events
}

// GraphSection returns the report section of a journey graph learned from
// customers' paths: its size, the chance of reaching the goal from the
// start and the expected number of steps, the steps every route to the
// goal goes through ([graph.Graph.MustPass]), the graph drawn (SVGGraph
// of [GraphFlow]), the most likely routes to the goal
// ([graph.Graph.Routes]), the loops customers go round
// ([graph.Graph.Loops]) as a table, and the graph as Mermaid and DOT
// sources. Its ID is "journey-graph". It returns an error for a nil
// graph, and SVGGraph's.
func GraphSection(g *graph.Graph, opt SectionOptions) (Section, error) {
	if g == nil {
		return Section{}, errNilGraph
	}
	goal := opt.goalName()
	s := Section{
		ID: "journey-graph", Title: "Journey graph",
		Intro: "The customers' paths as a Markov chain: from each step, the share of customers who go next to each other step. " +
			"It gives the chance of reaching " + goal + " from the start, the routes most likely to lead there, and the loops customers go round.",
	}
	goals := opt.goalStates()
	facts := Facts{{"States", count(g.NumStates())}, {"Transitions", count(g.NumTransitions())}}
	if start, ok := g.Index(graph.Start); ok {
		facts = append(facts, Fact{"Chance of reaching " + goal, percent(g.Reach(goals...)[start])},
			Fact{"Steps per customer (expected)", strconv.FormatFloat(g.ExpectedSteps(graph.Start), 'f', 1, 64)})
	}
	s.Blocks = append(s.Blocks, facts)
	// The steps every route to the goal passes, for a goal of one state.
	if len(goals) == 1 {
		if must := g.MustPass(goals[0]); len(must) > 0 {
			names := make([]string, len(must))
			for i, p := range must {
				names[i] = opt.name(p)
			}
			s.Blocks = append(s.Blocks, Paragraph("Every route to "+goal+" goes through: "+strings.Join(names, "; ")+"."))
		}
	}
	// The graph drawn.
	fg := GraphFlow(g, opt.graphFlow())
	var pic bytes.Buffer
	if err := SVGGraph(&pic, fg, DiagramOptions{ID: "journey-graph-diagram"}); err != nil {
		return Section{}, err
	}
	s.Blocks = append(s.Blocks, Picture{SVG: pic.Bytes(), Caption: "The steps in the journey's order, from the start down. " +
		"Arcs on the right lead on, arcs on the left lead back (the loops), each labelled with the share of the customers at its step who take it. " +
		"The share who leave the journey at a step is written in its box; friction points have a dashed border."})
	// The most likely routes, on the graph stopped at the goal.
	h := g.AbsorbAt(goals...)
	isGoal := make(map[string]bool, len(goals))
	for _, n := range goals {
		isGoal[n] = true
	}
	var into []string
	for i := range h.NumStates() {
		if parts := h.Parts(i); h.IsAbsorbing(i) && isGoal[parts[len(parts)-1]] {
			into = append(into, h.State(i))
		}
	}
	if len(into) > 0 {
		t := Table{
			Caption: "Most likely routes to " + goal,
			Columns: []Column{{Title: "#", Numeric: true}, {Title: "Route"}, {Title: "Chance a customer takes it", Numeric: true}},
			Note: "The chance that a customer takes exactly this route from the start to " + goal +
				"; going once more round a loop makes another route.",
		}
		for i, r := range h.Routes(graph.RouteOptions{Into: into, Max: opt.top()}) {
			states := r.States
			if len(states) > 0 && states[0] == graph.Start {
				states = states[1:]
			}
			var steps []string
			for _, st := range states {
				if k, ok := h.Index(st); ok {
					parts := h.Parts(k)
					steps = append(steps, parts[len(parts)-1])
				}
			}
			t.Rows = append(t.Rows, []Cell{{Text: strconv.Itoa(i + 1)}, {Text: opt.routeText(steps)},
				{Text: percent(r.Probability), Bar: clamp01(r.Probability)}})
		}
		if len(t.Rows) > 0 {
			s.Blocks = append(s.Blocks, t)
		}
	}
	if loops := g.Loops(); len(loops) > 0 {
		s.Blocks = append(s.Blocks, Heading("Loops"),
			Paragraph("Groups of steps customers can go round and round: from each step of a group, some come back to every other. "+
				"The visits count how often the average customer is at one of the group's steps."),
			loopTable(g, loops, opt))
	}
	blocks, err := flowSource(fg, " of the journey graph")
	if err != nil {
		return Section{}, err
	}
	s.Blocks = append(s.Blocks, blocks...)
	return s, nil
}

// FlowSection returns the report section of a path flow
// ([paths.CountFlows]): a Sankey diagram (SVGSankey) of the customers'
// paths, step by step, drawn from SankeyOf with the map's step names,
// and its Mermaid source. Its ID is "path-flows". It returns an error for
// a flow with no link of positive count, and SVGSankey's errors.
func FlowSection(f paths.Flow, opt SectionOptions) (Section, error) {
	flows := SankeyOf(f, SankeyOptions{Map: opt.Map})
	if len(flows) == 0 {
		return Section{}, errors.New("render: path flow: no link to draw")
	}
	var pic, mmd bytes.Buffer
	if err := SVGSankey(&pic, flows, DiagramOptions{ID: "path-flows-sankey"}); err != nil {
		return Section{}, err
	}
	s := Section{
		ID: "path-flows", Title: "Path flows",
		Intro: "How the customers' paths unfold, step by step from their first: each band is as thick as the customers who went " +
			"from one step to the next, and every path that ended flows into (end). Less common steps are gathered as (other).",
		Blocks: []Block{Picture{SVG: pic.Bytes(), Caption: "Columns are the steps' positions in the paths: the first step, then +1, +2 and so on."}},
	}
	if err := MermaidSankey(&mmd, flows); err == nil {
		s.Blocks = append(s.Blocks, Code{Caption: "Mermaid sankey of the path flow", Text: mmd.String()})
	}
	return s, nil
}

// loopTable lists the first opt.Top loops of g: their steps, how many,
// and the expected visits per customer to them.
func loopTable(g *graph.Graph, loops [][]string, opt SectionOptions) Table {
	i, ok := g.Index(graph.Start)
	visits := ok && !g.IsAbsorbing(i) // walks start there: visits per customer are known
	t := Table{Columns: []Column{{Title: "#", Numeric: true}, {Title: "Steps in the loop"}, {Title: "Steps", Numeric: true}}}
	if visits {
		t.Columns = append(t.Columns, Column{Title: "Visits per customer", Numeric: true})
	}
	sums := make([]float64, len(loops))
	most := 0.0
	for k, l := range loops {
		for _, st := range l {
			if visits {
				sums[k] += g.ExpectedVisits(graph.Start, st)
			}
		}
		most = max(most, sums[k])
	}
	shown := loops[:min(len(loops), opt.top())]
	order := map[string]int{} // with a map, its steps in the map's order
	if opt.Map != nil {
		for i, st := range opt.Map.Steps {
			order[st.ID] = i + 1
		}
	}
	for k, l := range shown {
		l = slices.Clone(l)
		slices.SortStableFunc(l, func(a, b string) int { return cmp.Compare(order[opt.lastPart(g, a)], order[opt.lastPart(g, b)]) })
		names := make([]string, len(l))
		for i, st := range l {
			names[i] = opt.stateText(g, st)
		}
		row := []Cell{{Text: strconv.Itoa(k + 1)}, {Text: strings.Join(names, "; ")}, {Text: count(len(l))}}
		if visits {
			bar := 0.0
			if most > 0 {
				bar = clamp01(sums[k] / most)
			}
			row = append(row, Cell{Text: strconv.FormatFloat(sums[k], 'f', 2, 64), Bar: bar})
		}
		t.Rows = append(t.Rows, row)
	}
	if n := len(loops) - len(shown); n > 0 {
		t.Note = count(n) + " more loops are not shown."
	}
	return t
}

// errNilGraph is returned for a nil journey graph.
var errNilGraph = errors.New("render: nil journey graph")

// friction returns the friction options of o.
func (o SectionOptions) friction() graph.FrictionOptions {
	fo := graph.FrictionOptions{Goal: o.Goal}
	if o.Map != nil {
		fo.Emotions = o.Map.Emotions(o.Persona)
	}
	return fo
}

// graphFlow returns the GraphFlow options of o.
func (o SectionOptions) graphFlow() GraphFlowOptions {
	return GraphFlowOptions{Map: o.Map, MinProbability: o.MinProbability, Friction: o.friction()}
}

// FrictionSection returns the report section of the friction points of a
// journey graph ([graph.Graph.Friction]): the steps that lose the most
// customers, with how often customers visit them, how many leave from
// there, loop back, and the chance of the goal from there; and, when a
// Map gives emotions, the pain points ([graph.Graph.Friction] ranked by pain), which
// weigh those losses by the customers' bad feelings. Its ID is
// "friction". A nil graph gives a section that says so.
func FrictionSection(g *graph.Graph, opt SectionOptions) Section {
	goal := opt.goalName()
	s := Section{
		ID: "friction", Title: "Friction points",
		Intro: "The steps that hold customers back, from the journey graph: where customers leave the journey, come back again, " +
			"or take a step that makes " + goal + " less likely than the alternatives they had. The steps that lose the most customers come first.",
	}
	if g == nil {
		s.Blocks = append(s.Blocks, Paragraph("No journey graph was given."))
		return s
	}
	fo := opt.friction()
	fo.Top = opt.top()
	fs := g.Friction(fo)
	emotions := fo.Emotions != nil
	t := Table{
		Columns: []Column{{Title: "Step"}, {Title: "Visits per customer", Numeric: true}, {Title: "Exit rate", Numeric: true},
			{Title: "Customers who leave here", Numeric: true}, {Title: "Come back", Numeric: true},
			{Title: "Chance of " + goal + " from here", Numeric: true}},
		Note: "Visits per customer: how often the average customer is at the step (above 1 when customers come back to it). " +
			"Exit rate: the share of visits after which the customer leaves. Customers who leave here: the share of all customers " +
			"whose journey ends at this step. Come back: the chance that a customer at the step returns to it later.",
	}
	if emotions {
		t.Columns = append(t.Columns, Column{Title: "Emotion", Numeric: true})
	}
	for _, f := range fs {
		row := []Cell{{Text: opt.stateText(g, f.State)}, {Text: strconv.FormatFloat(f.Traffic, 'f', 2, 64)}, {Text: percent(f.Exit)},
			{Text: percent(f.Leaving), Bar: clamp01(f.Leaving)}, {Text: percent(f.LoopRate)}, {Text: percent(f.Goal), Bar: clamp01(f.Goal)}}
		if emotions {
			e := "–"
			if f.HasEmotion {
				e = signed(f.Emotion)
			}
			row = append(row, Cell{Text: e})
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		s.Blocks = append(s.Blocks, Paragraph("The graph has no step between its start and its ends."))
		return s
	}
	s.Blocks = append(s.Blocks, t)
	if !emotions {
		return s
	}
	fo.ByPain = true
	pains := g.Friction(fo)
	who := "the steps' design"
	if p, ok := opt.Map.Persona(opt.Persona); ok {
		who = personaName(p) + "'s empathy map"
	}
	s.Blocks = append(s.Blocks, Heading("Pain points"),
		Paragraph("Friction weighed by emotion: the steps where customers feel bad and leave, worst first. "+
			"Emotions run from −2 (very negative) to +2 (very positive), as "+who+" gives them; "+
			"a step with a neutral or good emotion is no pain point."))
	if len(pains) == 0 {
		s.Blocks = append(s.Blocks, Paragraph("No step has both a negative emotion and customers who leave there."))
		return s
	}
	most := slices.MaxFunc(pains, func(a, b graph.Friction) int { return cmp.Compare(a.Pain, b.Pain) }).Pain
	pt := Table{
		Columns: []Column{{Title: "Step"}, {Title: "Emotion", Numeric: true}, {Title: "Customers who leave here", Numeric: true},
			{Title: "Pain", Numeric: true}},
		Note: "Pain is the emotion's negativity (0 for neutral, 1 for −2) times the share of customers who leave at the step; " +
			"its bar compares it with the worst pain point.",
	}
	for _, f := range pains {
		pt.Rows = append(pt.Rows, []Cell{{Text: opt.stateText(g, f.State)}, {Text: signed(f.Emotion)}, {Text: percent(f.Leaving)},
			{Text: strconv.FormatFloat(f.Pain, 'f', 3, 64), Bar: clamp01(f.Pain / most)}})
	}
	s.Blocks = append(s.Blocks, pt)
	return s
}

// ConformanceSection returns the report section that compares customers'
// paths with the designed journey ([journey.Map.Conformance]): the
// fitness (the share of the moves customers made that the design has),
// the moves customers made that the design does not have, most made
// first, and the designed moves nobody made. Its ID is "conformance". A
// nil conformance gives a section that says so.
func ConformanceSection(c *journey.Conformance, opt SectionOptions) Section {
	s := Section{
		ID: "conformance", Title: "Design and reality",
		Intro: "How well the designed journey matches what customers did. Each move a customer made from one step to the next " +
			"(or from the start, or out of the journey) is designed in the map or not; the fitness is the share of moves that are.",
	}
	if c == nil {
		s.Blocks = append(s.Blocks, Paragraph("No conformance check was given."))
		return s
	}
	undesigned, unobserved := c.Undesigned(), c.Unobserved()
	s.Blocks = append(s.Blocks, Facts{
		{"Fitness", percent(c.Fitness)},
		{"Moves customers made", count(c.Observed)},
		{"Of them designed", count(c.Allowed)},
		{"Kinds of move not designed", count(len(undesigned))},
		{"Designed moves nobody made", count(len(unobserved))},
	})
	top := opt.top()
	if len(undesigned) > 0 {
		t := Table{
			Caption: "Moves customers made that the design does not have",
			Columns: []Column{{Title: "From"}, {Title: "To"}, {Title: "Times", Numeric: true}, {Title: "Share of the moves from there", Numeric: true}},
			Note:    "Either the design misses a route customers take, or customers go where the design did not mean them to.",
		}
		for _, e := range undesigned[:min(top, len(undesigned))] {
			t.Rows = append(t.Rows, []Cell{{Text: opt.name(e.From)}, {Text: opt.name(e.To)}, {Text: count(e.Count)},
				{Text: percent(e.Share), Bar: clamp01(e.Share)}})
		}
		if len(undesigned) > top {
			t.Note += " " + count(len(undesigned)-top) + " more are not shown."
		}
		s.Blocks = append(s.Blocks, t)
	}
	if len(unobserved) > 0 {
		t := Table{
			Caption: "Designed moves nobody made",
			Columns: []Column{{Title: "From"}, {Title: "To"}, {Title: "Designed probability", Numeric: true}},
		}
		for _, e := range unobserved[:min(top, len(unobserved))] {
			t.Rows = append(t.Rows, []Cell{{Text: opt.name(e.From)}, {Text: opt.name(e.To)}, {Text: percent(e.Probability), Bar: clamp01(e.Probability)}})
		}
		if len(unobserved) > top {
			t.Note = count(len(unobserved)-top) + " more are not shown."
		}
		s.Blocks = append(s.Blocks, t)
	}
	return s
}
