package render

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// MapReportOptions configures MapReport. The zero value gives the
// defaults each field documents.
type MapReportOptions struct {
	// Title is the report's title; empty means the map's name followed by
	// "journey report".
	Title string
	// Personas are the ids of the personas whose journey maps the report
	// draws, in order; empty means every persona of the map, or the
	// designed journey if the map has none.
	Personas []string
	// Map configures the journey map pictures. Its ID is set for each
	// picture; empty Rows mean DefaultRows with RowEmpathy before
	// RowEmotion; a zero Width means the width of the report's page
	// ([PageWidth]), so that long journeys wrap onto bands rather than
	// scroll sideways.
	Map MapOptions
}

// MapReport returns a report of the designed journey m, ready for HTML
// or for more sections: an overview (the map's size and description), a
// journey map picture for each persona (see SVGMap), the contact map
// (every touchpoint at every step, with its channel, owner and objectives),
// the designed routes with their probabilities, the personas with their
// empathy maps, the departments with the steps where they act, and the
// journey's Mermaid and DOT sources.
//
// The sections have the IDs "overview", "map-<persona id>" (or "map"),
// "contact-map", "routes", "personas" (when the map has personas),
// "departments" and "sources", so sections added later can link to them.
//
// It returns an error for a nil map, an unknown persona id and bad map
// options.
func MapReport(m *journey.Map, opts MapReportOptions) (Report, error) {
	if m == nil {
		return Report{}, errNilMap
	}
	var ps []*persona.Persona
	if len(opts.Personas) == 0 {
		for i := range m.Personas {
			ps = append(ps, &m.Personas[i])
		}
	}
	for _, id := range opts.Personas {
		p, ok := m.Persona(id)
		if !ok {
			return Report{}, fmt.Errorf("render: report: unknown persona %q", id)
		}
		ps = append(ps, p)
	}
	title := cleanText(opts.Title)
	if title == "" {
		title = strings.TrimSpace(cleanText(m.Name) + " journey report")
	}
	r := Report{Title: title, Subtitle: m.Description}
	r.Sections = append(r.Sections, overviewSection(m))

	mo := opts.Map
	if len(mo.Rows) == 0 {
		mo.Rows = []Row{RowSteps, RowTouchpoints, RowChannels, RowDepartments, RowPains, RowOpportunities, RowEmpathy, RowEmotion}
	}
	if mo.Width == 0 {
		mo.Width = PageWidth
	}
	pictures := ps
	if len(pictures) == 0 {
		pictures = []*persona.Persona{nil}
	}
	for _, p := range pictures {
		s := Section{ID: "map", Title: "Journey map"}
		mo.ID = "journey-map"
		if p != nil {
			s.ID = "map-" + p.ID
			s.Title = "Journey map: " + personaName(p)
			s.Intro = personaSummary(p)
			mo.ID = "journey-map-" + slug(p.ID)
		}
		var b bytes.Buffer
		if err := SVGMap(&b, m, p, mo); err != nil {
			return Report{}, err
		}
		s.Blocks = []Block{Picture{SVG: b.Bytes(), Caption: mapCaption(p)}}
		r.Sections = append(r.Sections, s)
	}
	r.Sections = append(r.Sections, contactSection(m), routesSection(m))
	if len(m.Personas) > 0 {
		r.Sections = append(r.Sections, personasSection(m))
	}
	r.Sections = append(r.Sections, departmentsSection(m))
	src, err := sourcesSection(m, pictures)
	if err != nil {
		return Report{}, err
	}
	r.Sections = append(r.Sections, src)
	return r, nil
}

// sourcesSection gives the Mermaid and DOT sources of the journey, to
// paste into documentation or draw with those tools.
func sourcesSection(m *journey.Map, ps []*persona.Persona) (Section, error) {
	s := Section{
		ID: "sources", Title: "Diagram sources",
		Intro: "The same journey as Mermaid and Graphviz DOT sources, to paste into documentation or draw with those tools.",
	}
	for _, p := range ps {
		var b bytes.Buffer
		if err := MermaidJourney(&b, m, p, JourneyOptions{}); err != nil {
			return Section{}, err
		}
		caption := "Mermaid journey diagram"
		if p != nil {
			caption += ": " + personaName(p)
		}
		s.Blocks = append(s.Blocks, Code{Caption: caption, Text: b.String()})
	}
	blocks, err := flowSource(MapFlow(m), "")
	if err != nil {
		return Section{}, err
	}
	s.Blocks = append(s.Blocks, blocks...)
	return s, nil
}

// flowSource returns g as two code blocks, its Mermaid flowchart and its
// Graphviz DOT, their captions followed by of (such as " of the journey
// graph").
func flowSource(g FlowGraph, of string) ([]Block, error) {
	var mmd, dot bytes.Buffer
	if err := MermaidFlowchart(&mmd, g, GraphOptions{}); err != nil {
		return nil, err
	}
	if err := DOT(&dot, g, GraphOptions{}); err != nil {
		return nil, err
	}
	return []Block{
		Code{Caption: "Mermaid flowchart" + of, Text: mmd.String()},
		Code{Caption: "Graphviz DOT" + of, Text: dot.String()},
	}, nil
}

func mapCaption(p *persona.Persona) string {
	if p == nil {
		return "Stages as columns, one column per step; the emotion curve follows the steps' design."
	}
	return "Stages as columns, one column per step; the emotion curve is " + personaName(p) + "'s."
}

func overviewSection(m *journey.Map) Section {
	s := Section{ID: "overview", Title: "Overview"}
	s.Blocks = append(s.Blocks, Facts{
		{"Stages", strconv.Itoa(len(m.Stages))},
		{"Steps", strconv.Itoa(len(m.Steps))},
		{"Routes", strconv.Itoa(len(m.Transitions))},
		{"Touchpoints", strconv.Itoa(len(m.Catalog.Touchpoints))},
		{"Departments", strconv.Itoa(len(m.Catalog.Departments))},
		{"Personas", strconv.Itoa(len(m.Personas))},
	})
	var stages []string
	for _, g := range stageGroups(m) {
		if g.stage == nil {
			continue
		}
		line := stageName(*g.stage)
		if d := cleanText(g.stage.Description); d != "" {
			line += " (" + d + ")"
		}
		var names []string
		for _, st := range g.steps {
			names = append(names, stepName(st))
		}
		if len(names) > 0 {
			line += ": " + strings.Join(names, "; ")
		}
		stages = append(stages, line)
	}
	if len(stages) > 0 {
		s.Blocks = append(s.Blocks, Heading("Stages and their steps"), List(stages))
	}
	return s
}

func contactSection(m *journey.Map) Section {
	cat := newCatalog(m)
	t := Table{Columns: []Column{{Title: "Stage"}, {Title: "Step"}, {Title: "Touchpoint"}, {Title: "Channel"}, {Title: "Department"}, {Title: "Objectives"}}}
	for _, g := range stageGroups(m) {
		stage := ""
		if g.stage != nil {
			stage = stageName(*g.stage)
		}
		for _, st := range g.steps {
			if len(st.Touchpoints) == 0 {
				t.Rows = append(t.Rows, TextCells(stage, stepName(st), "–", "", "", ""))
			}
			for _, id := range st.Touchpoints {
				tp, _ := cat.touchpoint(id)
				owner := ""
				if tp.Owner != "" {
					owner = cat.departmentName(tp.Owner)
				}
				t.Rows = append(t.Rows, TextCells(stage, stepName(st), cat.touchpointName(id), string(tp.Channel), owner, mixText(tp.Objectives)))
			}
		}
	}
	return Section{
		ID: "contact-map", Title: "Contact map",
		Intro:  "Every touchpoint available at each step: its channel, the department that owns it and the objectives it serves.",
		Blocks: []Block{t},
	}
}

// mixText writes a mix as its objectives by decreasing share: "consideration
// 67%, knowledge 33%".
func mixText(mix objectives.Mix) string {
	n := mix.Normalize()
	if n.IsZero() {
		return ""
	}
	os := slices.Clone(objectives.All[:])
	slices.SortStableFunc(os, func(a, b objectives.Objective) int {
		switch wa, wb := n.Get(a), n.Get(b); {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return 0
	})
	var parts []string
	for _, o := range os {
		if w := n.Get(o); w > 0 {
			parts = append(parts, o.String()+" "+percent(w))
		}
	}
	return strings.Join(parts, ", ")
}

func routesSection(m *journey.Map) Section {
	t := Table{Columns: []Column{{Title: "From"}, {Title: "To"}, {Title: "Probability", Numeric: true}}}
	for _, from := range append([]string{graph.Start}, stepIDsOf(m)...) {
		for _, tr := range m.Next(from) {
			t.Rows = append(t.Rows, []Cell{{Text: stateName(m, tr.From)}, {Text: stateName(m, tr.To)}, {Text: percent(tr.Probability), Bar: tr.Probability}})
		}
	}
	return Section{
		ID: "routes", Title: "Designed routes",
		Intro: "The share of the customers at each step who go next to each other step, as designed; " +
			"what the given probabilities leave goes to the exit.",
		Blocks: []Block{t},
	}
}

// stateName names a journey state for a reader.
func stateName(m *journey.Map, id string) string {
	switch id {
	case graph.Start:
		return "Start"
	case graph.Exit:
		return "Exit"
	case graph.Conversion:
		return "Conversion"
	}
	if s, ok := m.Step(id); ok {
		return stepName(s)
	}
	return id
}

func personasSection(m *journey.Map) Section {
	s := Section{ID: "personas", Title: "Personas"}
	for i := range m.Personas {
		p := &m.Personas[i]
		s.Blocks = append(s.Blocks, Heading(personaName(p)))
		if d := cleanText(p.Description); d != "" {
			s.Blocks = append(s.Blocks, Paragraph(d))
		}
		var facts Facts
		add := func(label, value string) {
			if v := cleanText(value); v != "" {
				facts = append(facts, Fact{label, v})
			}
		}
		add("Segment", strings.ToUpper(p.Segment.String()))
		add("Market", p.Market)
		if p.Share > 0 {
			add("Share of customers", percent(p.Share))
		}
		if !p.Age.IsZero() {
			add("Age", rangeText(p.Age))
		}
		add("Gender", p.Gender)
		add("Occupation", p.Occupation)
		add("Responsibility", p.Responsibility)
		if !p.Income.IsZero() {
			add("Income", strings.TrimSpace(rangeText(p.Income)+" "+p.Currency))
		}
		if !p.Budget.IsZero() {
			add("Budget", strings.TrimSpace(rangeText(p.Budget)+" "+p.Currency))
		}
		add("Preferred channels", channelPrefs(p))
		s.Blocks = append(s.Blocks, facts)
		var traits []string
		for _, part := range []struct {
			label string
			texts []string
		}{{"Needs", p.Needs}, {"Goals", p.Goals}, {"Behaviours", p.Behaviours}, {"Motivations", p.Motivations}, {"Brakes", p.Brakes}} {
			if ts := dedupe(part.texts); len(ts) > 0 {
				traits = append(traits, part.label+": "+strings.Join(ts, "; "))
			}
		}
		if len(traits) > 0 {
			s.Blocks = append(s.Blocks, List(traits))
		}
		if len(p.Empathy) > 0 {
			t := Table{
				Caption: "Empathy map",
				Columns: []Column{{Title: "Step"}, {Title: "Thinks"}, {Title: "Feels"}, {Title: "Says"}, {Title: "Does"}, {Title: "Pains"}, {Title: "Gains"}, {Title: "Emotion", Numeric: true}},
			}
			for _, e := range p.Empathy {
				join := func(ts []string) string { return strings.Join(dedupe(ts), "; ") }
				t.Rows = append(t.Rows, TextCells(stateName(m, e.Step), join(e.Thinks), join(e.Feels), join(e.Says), join(e.Does), join(e.Pains), join(e.Gains), signed(e.Emotion)))
			}
			s.Blocks = append(s.Blocks, t)
		}
	}
	return s
}

// channelPrefs lists the channels a persona favours or avoids: "app ×3,
// social ×2, phone ×0.5".
func channelPrefs(p *persona.Persona) string {
	cs := make([]touchpoint.Channel, 0, len(p.Channels))
	for c := range p.Channels {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b touchpoint.Channel) int {
		wa, wb := p.Channels[a], p.Channels[b]
		switch {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return strings.Compare(string(a), string(b))
	})
	var parts []string
	for _, c := range cs {
		parts = append(parts, string(c)+" ×"+strconv.FormatFloat(p.Channels[c], 'f', -1, 64))
	}
	return strings.Join(parts, ", ")
}

func departmentsSection(m *journey.Map) Section {
	cat := newCatalog(m)
	// The steps where each department owns a touchpoint, in map order.
	stepsOf := make(map[string][]string)
	for _, st := range m.Steps {
		seen := make(map[string]bool)
		for _, id := range st.Touchpoints {
			if tp, ok := cat.touchpoint(id); ok && tp.Owner != "" && !seen[tp.Owner] {
				seen[tp.Owner] = true
				stepsOf[tp.Owner] = append(stepsOf[tp.Owner], stepName(st))
			}
		}
	}
	owned := make(map[string]int)
	for _, tp := range m.Catalog.Touchpoints {
		owned[tp.Owner]++
	}
	t := Table{Columns: []Column{{Title: "Department"}, {Title: "Focus"}, {Title: "Serves"}, {Title: "Touchpoints", Numeric: true}, {Title: "Steps where it acts"}}}
	for _, d := range m.Catalog.Departments {
		serves := ""
		switch d.Focus {
		case touchpoint.StageFocus:
			var names []string
			for _, id := range d.Stages {
				if st, ok := m.Stage(id); ok {
					names = append(names, stageName(st))
				} else {
					names = append(names, id)
				}
			}
			serves = strings.Join(names, ", ")
		case touchpoint.ChannelFocus:
			var names []string
			for _, c := range d.Channels {
				names = append(names, string(c))
			}
			serves = strings.Join(names, ", ")
		}
		t.Rows = append(t.Rows, TextCells(cat.departmentName(d.ID), d.Focus.String(), serves, strconv.Itoa(owned[d.ID]), strings.Join(stepsOf[d.ID], "; ")))
	}
	return Section{
		ID: "departments", Title: "Departments",
		Intro: "Stage-focused departments make their stages easier to pass; channel-focused ones own an interaction method " +
			"used at many steps; support departments do not act on the journey directly.",
		Blocks: []Block{t},
	}
}
