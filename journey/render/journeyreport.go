package render

import (
	"strings"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
)

// Results are the analyses of customers' journeys, observed or simulated,
// that JourneyReport shows beside the designed journey. Any field may be
// left zero: its section is then left out.
type Results struct {
	// Funnel is a funnel report over the customers' log, such as the
	// funnel of funnel.FromMap gives.
	Funnel *funnel.Report
	// Routes and GoalRoutes are the routes customers took, listed by
	// [paths.CountVariants] and [paths.CountGoalVariants]: all of them,
	// most customers first. The report shows the first and counts the rest.
	Routes     []paths.Variant
	GoalRoutes []paths.GoalVariant
	// Graph is a journey graph learned from the customers' paths
	// ([journey.Learn]): the report shows its likely routes, loops,
	// friction and pain points.
	Graph *graph.Graph
	// Conformance compares the customers' paths with the map's design
	// ([journey.Map.Conformance]).
	Conformance *journey.Conformance
	// PathFlow is a path flow ([paths.CountFlows]), drawn as a Sankey
	// (FlowSection).
	PathFlow *paths.Flow
	// Extra are the caller's own sections, placed after the analyses:
	// attribution by channel, department impact and other results, as
	// Tables (and Pictures) of any analysis this package does not know.
	Extra []Section

	// Variants, GoalVariants and Flow are the routes and the flow as the
	// journey.Log methods before package paths gave them; the report reads
	// them when Routes, GoalRoutes and PathFlow are empty.
	//
	// Deprecated: use Routes, GoalRoutes and PathFlow.
	Variants     []journey.Variant
	GoalVariants []journey.GoalVariant
	Flow         *journey.Flow
}

// paths returns the routes, goal routes and flow of r, from the
// deprecated fields where the others are empty.
func (r *Results) paths() ([]paths.Variant, []paths.GoalVariant, *paths.Flow) {
	routes, goals, flow := r.Routes, r.GoalRoutes, r.PathFlow
	if routes == nil && r.Variants != nil {
		routes = variantsOf(r.Variants)
	}
	if goals == nil && r.GoalVariants != nil {
		goals = goalVariantsOf(r.GoalVariants)
	}
	if flow == nil && r.Flow != nil {
		f := flowOf(*r.Flow)
		flow = &f
	}
	return routes, goals, flow
}

// JourneyReportOptions configures JourneyReport. The zero value gives the
// defaults each field documents.
type JourneyReportOptions struct {
	// Title is the report's title; empty means the map's name followed by
	// "journey report".
	Title string
	// Personas and Map choose and configure the journey map pictures, as
	// in MapReportOptions.
	Personas []string
	Map      MapOptions
	// Funnel configures the funnel chart; a nil Funnel.Map means the
	// report's map.
	Funnel FunnelOptions
	// Sections configures the sections of the analyses (routes, journey
	// graph, friction, conformance); a nil Sections.Map means the
	// report's map.
	Sections SectionOptions
}

// JourneyReport returns the report of a designed journey and of what
// customers did on it, one page for a reader who has not seen the code:
//
//   - "At a glance": the key figures of the results and a guide to the
//     sections;
//   - the sections of MapReport that show the design: its overview and a
//     journey map per persona;
//   - the results' sections, for those given: the funnel (FunnelSection),
//     the top routes (RoutesSection), the path flow as a sankey
//     (FlowSection), the journey graph drawn and analysed (GraphSection),
//     its friction and pain points (FrictionSection), design and reality
//     (ConformanceSection), then the caller's Extra sections;
//   - the rest of MapReport's sections, for reference: the contact map,
//     the designed routes, the personas, the departments, and the diagram
//     sources.
//
// Section IDs are those of MapReport and of each section function, and
// "summary"; the caller's sections keep theirs (made unique if needed).
// It returns an error for a nil map and the errors of MapReport,
// FunnelSection, FlowSection and GraphSection.
func JourneyReport(m *journey.Map, res Results, opt JourneyReportOptions) (Report, error) {
	base, err := MapReport(m, MapReportOptions{Title: opt.Title, Personas: opt.Personas, Map: opt.Map})
	if err != nil {
		return Report{}, err
	}
	so := opt.Sections
	if so.Map == nil {
		so.Map = m
	}
	fo := opt.Funnel
	if fo.Map == nil {
		fo.Map = m
	}
	res.Routes, res.GoalRoutes, res.PathFlow = res.paths()
	var analyses []Section
	if res.Funnel != nil {
		s, err := FunnelSection(res.Funnel, fo)
		if err != nil {
			return Report{}, err
		}
		analyses = append(analyses, s)
	}
	if len(res.Routes) > 0 || len(res.GoalRoutes) > 0 {
		analyses = append(analyses, TopRoutesSection(res.Routes, res.GoalRoutes, so))
	}
	if res.PathFlow != nil && len(res.PathFlow.Links) > 0 {
		s, err := FlowSection(*res.PathFlow, so)
		if err != nil {
			return Report{}, err
		}
		analyses = append(analyses, s)
	}
	if res.Graph != nil {
		s, err := GraphSection(res.Graph, so)
		if err != nil {
			return Report{}, err
		}
		analyses = append(analyses, s, FrictionSection(res.Graph, so))
	}
	if res.Conformance != nil {
		analyses = append(analyses, ConformanceSection(res.Conformance, so))
	}
	analyses = append(analyses, res.Extra...)

	// The design first (overview and maps), then the analyses, then the
	// reference sections.
	split := 0
	for split < len(base.Sections) && designSection(base.Sections[split].ID) {
		split++
	}
	r := Report{Title: base.Title, Subtitle: base.Subtitle}
	r.Sections = append(r.Sections, summarySection(m, res, so, base.Sections[:split], analyses, base.Sections[split:]))
	r.Sections = append(r.Sections, base.Sections[:split]...)
	r.Sections = append(r.Sections, analyses...)
	r.Sections = append(r.Sections, base.Sections[split:]...)
	return r, nil
}

// summarySection gives the key figures of the results and a guide to the
// report's sections.
func summarySection(m *journey.Map, res Results, so SectionOptions, design, analyses, reference []Section) Section {
	s := Section{
		ID: "summary", Title: "At a glance",
		Intro: "The journey as designed, then what customers did on it. The key figures first; each section below starts with a sentence on how to read it.",
	}
	var facts Facts
	if r := res.Funnel; r != nil && len(r.Stages) > 0 {
		last := len(r.Stages) - 1
		facts = append(facts, Fact{"Customers", count(r.Customers)},
			Fact{"Entered the funnel", count(r.Stages[0].Reached)},
			Fact{"Reached " + funnelStageName(m, r.Stages[last].Name), percent(r.Stages.FromFirst(last)) + " of those"})
	}
	if len(res.Routes) > 0 {
		facts = append(facts, Fact{"Distinct routes", count(len(res.Routes))})
	}
	if g := res.Graph; g != nil {
		if start, ok := g.Index(graph.Start); ok {
			facts = append(facts, Fact{"Chance of reaching " + so.goalName(), percent(g.Reach(so.goalStates()...)[start])})
		}
		if fs := g.Friction(graph.FrictionOptions{Goal: so.Goal, Top: 1}); len(fs) > 0 {
			facts = append(facts, Fact{"Worst friction point", so.stateText(g, fs[0].State)})
		}
	}
	if c := res.Conformance; c != nil {
		facts = append(facts, Fact{"Paths that fit the design", percent(c.Fitness) + " of moves"})
	}
	if len(facts) > 0 {
		s.Blocks = append(s.Blocks, facts)
	}
	guide := map[string]string{
		"overview":      "the stages and steps of the designed journey",
		"funnel":        "how many customers reached each stage, and where they were lost",
		"path-flows":    "the customers' paths step by step, as a sankey diagram",
		"top-routes":    "the routes customers actually took, and which of them lead to " + so.goalName(),
		"journey-graph": "the chance of reaching " + so.goalName() + ", the most likely routes and the loops",
		"friction":      "the steps that lose the most customers, and those that hurt",
		"conformance":   "how well the design matches what customers did",
	}
	var items []string
	add := func(sec Section) {
		hint, ok := guide[sec.ID]
		switch {
		case ok:
		case designSection(sec.ID):
			hint = "stages as columns; the steps, their touchpoints, pains and the emotion curve"
		default:
			hint = cleanText(sec.Intro)
		}
		item := cleanText(sec.Title)
		if hint != "" {
			item += ": " + hint
		}
		if item != "" {
			items = append(items, item)
		}
	}
	for _, sec := range design {
		add(sec)
	}
	for _, sec := range analyses {
		add(sec)
	}
	if len(items) > 0 {
		s.Blocks = append(s.Blocks, Heading("In this report"), List(items))
	}
	var titles []string
	for _, sec := range reference {
		titles = append(titles, cleanText(sec.Title))
	}
	if len(titles) > 0 {
		s.Blocks = append(s.Blocks, Paragraph("Further down, for reference: "+strings.Join(titles, "; ")+"."))
	}
	return s
}

// designSection reports whether a section of MapReport shows the design
// before the analyses: the overview and the journey maps.
func designSection(id string) bool {
	return id == "overview" || id == "map" || strings.HasPrefix(id, "map-")
}
