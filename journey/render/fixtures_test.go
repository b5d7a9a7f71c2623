package render_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

// shoeShop reads the shipped example map.
func shoeShop(t testing.TB) *journey.Map {
	t.Helper()
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trickyMap is a small valid map whose every text holds something an
// output language reserves: Mermaid's : ; # % <br> and keywords, CSV's
// comma and quote, DOT's backslash and quote, XML's & < > ' ", accents,
// CJK and emoji, white space to collapse, Mermaid's own placeholder
// characters, and a word too long for any box.
func trickyMap() *journey.Map {
	return &journey.Map{
		Name:        `Tricky "map": 50% off; #1 <b>&amp;</b>`,
		Description: "Every name here is a trap\nfor some output.",
		Stages: []journey.Stage{
			{ID: "s1", Name: "Journey: start; #1", Description: "keyword, colon, semicolon, hash"},
			{ID: "s2", Name: "Title & <deed>", Description: "l'été — à l'école"},
			{ID: "s3", Name: "Été, à l'école — 日本"},
		},
		Steps: []journey.Step{
			{ID: "title", Name: "Title deed: sign; pay #5", Stage: "s1", Touchpoints: []string{"form", "desk"}, Emotion: 1,
				Pains: []string{"fees: 10%; hidden"}, Opportunities: []string{`say "no fees" <b>loudly</b>`}},
			{ID: "section", Name: "section 3 % done %% now %%{init}", Stage: "s1", Touchpoints: []string{"desk"}, Emotion: -1},
			{ID: "quote", Name: `Says "hello" <br> then leaves`, Stage: "s2", Touchpoints: []string{"chat"}, Goals: []objectives.Objective{objectives.Connection}},
			{ID: "cafe", Name: "Café ☕ / Straße / œuvre", Stage: "s2", Touchpoints: []string{"form"}, Emotion: 2,
				Pains: []string{"Kundenzufriedenheitsbefragungsergebnisauswertungsbericht"}},
			{ID: "acc", Name: "accDescr { x } & accTitle: y", Stage: "s3", Touchpoints: []string{"chat", "desk"}, Emotion: -2},
			{ID: "ws", Name: "Line\nbreak\ttab   and  spaces ", Stage: "s3"},
			{ID: "trap", Name: "ﬂ°°35¶ß trap #quot; #35; `md` back\\slash", Stage: "s3", Touchpoints: []string{"form"},
				Goals: []objectives.Objective{objectives.Conversion}},
		},
		Transitions: []graph.Transition{
			{From: graph.Start, To: "title", Probability: 0.7},
			{From: graph.Start, To: "section", Probability: 0.3},
			{From: "title", To: "quote", Probability: 0.5},
			{From: "title", To: "section", Probability: 1.0 / 3},
			{From: "section", To: "quote"},
			{From: "quote", To: "cafe", Probability: 0.9},
			{From: "cafe", To: "acc", Probability: 0.0004},
			{From: "cafe", To: "ws"},
			{From: "acc", To: "trap"},
			{From: "ws", To: "trap", Probability: 0.25},
			{From: "trap", To: graph.Conversion, Probability: 0.8},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{
				{ID: "sales", Name: "Sales, North: EMEA", Focus: touchpoint.StageFocus, Stages: []string{"s1", "s2"}},
				{ID: "rd", Name: "R&D #1; lab <x>", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{"chat"}},
			},
			Touchpoints: []touchpoint.Touchpoint{
				{ID: "form", Name: `Form "A", page 2`, Channel: touchpoint.Web, Owner: "sales"},
				{ID: "desk", Name: "Help desk: 24/7", Channel: "guichet", Owner: "rd"},
				{ID: "chat", Name: "Chat 💬", Channel: touchpoint.Chat},
			},
		},
		Personas: []persona.Persona{{
			ID: "zoe", Name: `Zoë "Z" O'Neil, 50%: test`, Segment: persona.B2C, Share: 0.5,
			Empathy: []persona.Empathy{
				{Step: "title", Thinks: []string{"is it #1?"}, Feels: []string{"curious; a bit: wary"}, Emotion: 2},
				{Step: "acc", Says: []string{`"where's the <exit>?"`}, Pains: []string{"fees: 10%; hidden", "no exit"}, Emotion: -1},
			},
		}},
	}
}

// levelFlows unrolls m's designed routes from the start over levels
// steps, for total customers, as sankey flows between "k. step" nodes:
// what a path-flow report of package journey would give for a simulated
// log.
func levelFlows(m *journey.Map, levels int, total float64) []render.Flow {
	name := func(k int, state string) string {
		switch state {
		case graph.Start:
			return "Start"
		case graph.Exit:
			return fmt.Sprintf("%d. Exit", k)
		case graph.Conversion:
			return fmt.Sprintf("%d. Conversion", k)
		}
		s, _ := m.Step(state)
		label := s.Name
		if label == "" {
			label = s.ID
		}
		return fmt.Sprintf("%d. %s", k, label)
	}
	type key struct{ src, dst string }
	var order []key
	sum := map[key]float64{}
	at := map[string]float64{graph.Start: total}
	states := []string{graph.Start}
	for k := 1; k <= levels; k++ {
		next := map[string]float64{}
		var nextStates []string
		for _, s := range states {
			for _, t := range m.Next(s) {
				v := at[s] * t.Probability
				kk := key{name(k-1, s), name(k, t.To)}
				if _, ok := sum[kk]; !ok {
					order = append(order, kk)
				}
				sum[kk] += v
				if t.To == graph.Exit || t.To == graph.Conversion {
					continue
				}
				if _, ok := next[t.To]; !ok {
					nextStates = append(nextStates, t.To)
				}
				next[t.To] += v
			}
		}
		at, states = next, nextStates
	}
	var flows []render.Flow
	for _, k := range order {
		if v := float64(int(sum[k] + 0.5)); v > 0 {
			flows = append(flows, render.Flow{Source: k.src, Target: k.dst, Value: v})
		}
	}
	return flows
}

// shoeShopLog walks n customers through the shoe shop's designed graph,
// with a fixed seed: the log a simulation of the map would give. Each
// customer has a device (mobile for Julie's share, desktop for Marc's,
// which the map's persona rules read); Julie's customers leave the
// e-shop a little more often than the design says, and some customers
// call the hotline right after trying the shoes, or want to return them
// before trying them, which the design does not have. Events are minutes
// apart before the purchase, hours to days after it.
func shoeShopLog(t testing.TB, m *journey.Map, n int) *journey.Log {
	t.Helper()
	g, err := m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 2025))
	start, _ := g.Index(graph.Start)
	t0 := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c := range n {
		device := "desktop"
		if rng.Float64() < 0.55 {
			device = "mobile"
		}
		at := t0.Add(time.Duration(rng.IntN(28*24*60)) * time.Minute)
		bought := false
		for i, k := start, 0; k < 60; k++ {
			switch u := rng.Float64(); {
			case g.State(i) == "tries-shoes" && u < 0.08:
				i, _ = g.Index("calls-hotline")
			case g.State(i) == "receives-parcel" && u < 0.05:
				i, _ = g.Index("wants-return")
			default:
				i = g.Sample(i, rng.Float64())
			}
			if g.IsAbsorbing(i) {
				break
			}
			step, _ := m.Step(g.State(i))
			e := journey.Event{Customer: fmt.Sprintf("c%04d", c), Time: at, Step: step.ID, Props: map[string]string{"device": device}}
			if len(step.Touchpoints) > 0 {
				e.Touchpoint = step.Touchpoints[rng.IntN(len(step.Touchpoints))]
				tp, _ := m.Catalog.Touchpoint(e.Touchpoint)
				e.Channel = tp.Channel
			}
			evs = append(evs, e)
			if step.ID == "thank-you" {
				bought = true
			}
			if bought {
				at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			} else {
				at = at.Add(time.Duration(1+rng.IntN(40)) * time.Minute)
			}
			if device == "mobile" && step.ID == "browses-eshop" && rng.Float64() < 0.15 {
				break
			}
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// shoeShopFlow is the path flow of the simulated shoe shop log: its first
// five steps, four names kept at each level.
func shoeShopFlow(t testing.TB, l *journey.Log) paths.Flow {
	t.Helper()
	f, err := paths.CountFlows(l, paths.FlowOptions{Depth: 5}, paths.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return f.Flow(4)
}

// shoeShopFunnel is the map's funnel over the simulated log, within 30
// days, broken down by persona as the map's rules assign them.
func shoeShopFunnel(t testing.TB, m *journey.Map, l *journey.Log) *funnel.Report {
	t.Helper()
	f, err := funnel.FromMap(m)
	if err != nil {
		t.Fatal(err)
	}
	f.Window = 30 * 24 * time.Hour
	rep, err := f.Analyze(l, funnel.Options{Workers: 1, Breakdowns: []funnel.Breakdown{{By: funnel.ByPersona, Personas: m.Rules}}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// shoeShopResults analyses the simulated shoe shop log as the shoeshop
// example does: the map's funnel, the routes, the routes to the purchase
// (the thank-you page), a journey graph learned from the paths, their
// conformance to the design and the path flow from the start.
func shoeShopResults(t testing.TB, m *journey.Map) render.Results {
	t.Helper()
	l := shoeShopLog(t, m, 2000)
	purchase := func(e journey.Event) bool { return e.Step == "thank-you" }
	g, err := journey.Learn(l, journey.LearnOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	conf, err := m.Conformance(l, journey.ConformanceOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	flow := shoeShopFlow(t, l)
	v, err := paths.CountVariants(l, paths.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	gv, err := paths.CountGoalVariants(l, purchase, paths.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return render.Results{
		Funnel:      shoeShopFunnel(t, m, l),
		Routes:      v.List(),
		GoalRoutes:  gv.List(),
		Graph:       g,
		Conformance: conf,
		PathFlow:    &flow,
	}
}

// smallLog is a handful of customers on a web shop, one event a minute:
// enough for a small learned graph with a loop, a conversion and exits.
func smallLog(t testing.TB) *journey.Log {
	t.Helper()
	routes := []string{
		"ad > visit > product > cart > buy",
		"visit > product > cart > buy",
		"visit > product > visit > product > cart > buy",
		"visit > product",
		"visit > search > product > cart",
		"ad > visit",
		"visit > search > product > cart > buy",
		"visit > product > cart > visit > product > cart > buy",
		"ad > product > cart > buy",
		"visit > search",
	}
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c, r := range routes {
		for i, step := range strings.Split(r, " > ") {
			evs = append(evs, journey.Event{Customer: fmt.Sprintf("c%02d", c), Time: t0.Add(time.Duration(i) * time.Minute), Step: step})
		}
	}
	l, err := journey.NewLog(evs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// smallGraph learns the graph of smallLog at the given order, with "buy"
// as the goal event.
func smallGraph(t testing.TB, order int) *graph.Graph {
	t.Helper()
	g, err := journey.Learn(smallLog(t), journey.LearnOptions{Order: order, GoalSteps: []string{"buy"}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return g
}
