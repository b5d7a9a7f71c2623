package render_test

import (
	"os"

	"github.com/parcours-go/parcours/journey"
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
