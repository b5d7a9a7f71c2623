package render_test

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/paths"
	"github.com/parcours-go/parcours/journey/render"
	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

func ExampleMermaidJourney() {
	m := &journey.Map{
		Name:   "Shoes",
		Stages: []journey.Stage{{ID: "buy", Name: "Purchase"}, {ID: "after", Name: "Service"}},
		Steps: []journey.Step{
			{ID: "cart", Name: "Adds to cart", Stage: "buy", Touchpoints: []string{"cart"}, Emotion: 1},
			{ID: "return", Name: "Returns: label missing", Stage: "after", Touchpoints: []string{"hotline"}, Emotion: -1},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{
				{ID: "eshop", Name: "E-shop", Stages: []string{"buy"}},
				{ID: "care", Name: "Customer care", Stages: []string{"after"}},
			},
			Touchpoints: []touchpoint.Touchpoint{
				{ID: "cart", Channel: touchpoint.Web, Owner: "eshop"},
				{ID: "hotline", Channel: touchpoint.Phone, Owner: "care"},
			},
		},
	}
	julie := &persona.Persona{ID: "julie", Name: "Julie", Empathy: []persona.Empathy{{Step: "return", Emotion: -2}}}

	// Departments as actors; Julie's empathy map scores the return 1.
	render.MermaidJourney(os.Stdout, m, julie, render.JourneyOptions{})
	// Output:
	// journey
	//   title Shoes (Julie)
	//   section Purchase
	//     Adds to cart: 4: E-shop
	//   section Service
	//     Returns#58; label missing: 1: Customer care
}

func ExampleGraphFlow() {
	// A journey graph learned from four customers' paths, "buy" being
	// the goal: a path ends in Conversion at its first "buy".
	var evs []journey.Event
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for c, path := range [][]string{{"visit", "cart", "buy"}, {"visit", "cart", "visit"}, {"ad", "visit", "cart", "buy"}, {"visit"}} {
		for i, step := range path {
			evs = append(evs, journey.Event{Customer: fmt.Sprint("c", c), Time: t0.Add(time.Duration(i) * time.Minute), Step: step})
		}
	}
	l, _ := journey.NewLog(evs)
	g, _ := journey.Learn(l, journey.LearnOptions{GoalSteps: []string{"buy"}})

	// The state that loses the most customers is marked, with its exit
	// rate, and its way out drawn thick.
	fg := render.GraphFlow(g, render.GraphFlowOptions{FrictionPoints: 1})
	render.MermaidFlowchart(os.Stdout, fg, render.GraphOptions{})
	// Output:
	// flowchart LR
	//   n0(("Start"))
	//   n1("visit<br/>exit 40%, loops 20%")
	//   n2("ad")
	//   n3("cart")
	//   n4((("Conversion")))
	//   n5((("Exit")))
	//   n0 -->|"75%"| n1
	//   n0 -->|"25%"| n2
	//   n1 -->|"60%"| n3
	//   n1 ==>|"40%"| n5
	//   n2 -->|"100%"| n1
	//   n3 -->|"66.7%"| n4
	//   n3 -->|"33.3%"| n1
	//   classDef step fill:#e8eef5,stroke:#3d5a80,color:#111
	//   classDef goal fill:#cfe3d4,stroke:#2d6a3e,stroke-width:2px,color:#111
	//   classDef start fill:#3d5a80,stroke:#111,color:#fff
	//   classDef exit fill:#5c5c5c,stroke:#111,color:#fff
	//   classDef conversion fill:#1e5631,stroke:#111,color:#fff
	//   classDef friction fill:#f6d6c8,stroke:#8a2d0a,stroke-width:3px,stroke-dasharray:6 3,color:#111
	//   class n0 start
	//   class n1 friction
	//   class n2,n3 step
	//   class n4 conversion
	//   class n5 exit
	//   linkStyle 3 stroke:#8a2d0a,stroke-width:3px
}

func ExampleSankeyOf() {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var evs []journey.Event
	for c, path := range [][]string{{"visit", "cart", "visit", "buy"}, {"visit", "buy"}, {"ad", "visit"}} {
		for i, step := range path {
			evs = append(evs, journey.Event{Customer: fmt.Sprint("c", c), Time: t0.Add(time.Duration(i) * time.Minute), Step: step})
		}
	}
	l, _ := journey.NewLog(evs)
	f, _ := paths.CountFlows(l, paths.FlowOptions{Depth: 4}, paths.Options{})
	// visit shows at levels 1, 2 and 3: each is its own node.
	render.MermaidSankey(os.Stdout, render.SankeyOf(f.Flow(0), render.SankeyOptions{}))
	// Output:
	// sankey-beta
	//
	// (start),+1 visit,2
	// (start),+1 ad,1
	// +1 visit,+2 buy,1
	// +1 visit,+2 cart,1
	// +1 ad,+2 visit,1
	// +2 buy,(end),1
	// +2 cart,+3 visit,1
	// +2 visit,(end),1
	// +3 visit,+4 buy,1
}

func ExampleDuration() {
	for _, d := range []time.Duration{40 * time.Second, 12 * time.Minute, 2*time.Hour + 5*time.Minute, 76 * time.Hour} {
		fmt.Println(render.Duration(d))
	}
	// Output:
	// 40 s
	// 12 min
	// 2 h 5 min
	// 3 d 4 h
}

func ExampleSVGSankey() {
	flows := []render.Flow{
		{Source: "Sees an ad", Target: "+1 Visits the shop", Value: 600},
		{Source: "Sees an ad", Target: "(end)", Value: 400},
		{Source: "+1 Visits the shop", Target: "+2 Buys", Value: 250},
		{Source: "+1 Visits the shop", Target: "(end)", Value: 350},
		{Source: "+2 Buys", Target: "(end)", Value: 250},
	}
	// A picture 800 pixels wide, to place in a page or a Report's Picture.
	if err := render.SVGSankey(io.Discard, flows, render.DiagramOptions{Title: "Paths", Width: 800}); err != nil {
		fmt.Println(err)
	}
	// A loop cannot be drawn:
	err := render.SVGSankey(io.Discard, []render.Flow{{"a", "b", 1}, {"b", "a", 1}}, render.DiagramOptions{})
	fmt.Println(err)
	// Output:
	// render: sankey: flows: they loop (a -> b -> a): a sankey cannot loop
}
