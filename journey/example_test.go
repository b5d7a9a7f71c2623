package journey_test

import (
	"fmt"
	"strings"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
)

func ExampleReadMap() {
	const doc = `{
	  "name": "shoes",
	  "stages": [{"id": "consideration"}, {"id": "acquisition"}],
	  "steps": [
	    {"id": "browse", "stage": "consideration", "touchpoints": ["product-page"]},
	    {"id": "checkout", "stage": "acquisition", "touchpoints": ["cart"], "goals": ["conversion"]}
	  ],
	  "transitions": [
	    {"from": "browse", "to": "checkout", "probability": 0.3},
	    {"from": "checkout", "to": "browse", "probability": 0.1}
	  ],
	  "catalog": {
	    "departments": [{"id": "eshop", "focus": "stage", "stages": ["acquisition"]}],
	    "touchpoints": [
	      {"id": "product-page", "channel": "web", "owner": "eshop"},
	      {"id": "cart", "channel": "web", "owner": "eshop", "objectives": {"conversion": 1}}
	    ]
	  }
	}`
	m, err := journey.ReadMap(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range m.Next("browse") {
		fmt.Printf("%s -> %s %.2f\n", t.From, t.To, t.Probability)
	}
	// Output:
	// browse -> checkout 0.30
	// browse -> (exit) 0.70
}

func ExampleMap_Validate() {
	m := journey.Map{
		Name:   "shoes",
		Stages: []journey.Stage{{ID: "acquisition"}},
		Steps: []journey.Step{
			{ID: "checkout", Stage: "acquisition", Touchpoints: []string{"basket"}},
			{ID: "thank-you", Stage: "delivery"},
		},
		Transitions: []graph.Transition{
			{From: "checkout", To: "thank-you", Probability: 0.9},
			{From: "checkout", To: graph.Exit, Probability: 0.2},
		},
	}
	fmt.Println(m.Validate())
	// Output:
	// map "shoes": steps[0] "checkout": touchpoints[0]: unknown touchpoint "basket"
	// map "shoes": steps[1] "thank-you": stage: unknown stage "delivery"
	// map "shoes": transitions from "checkout": probabilities sum to 1.1, more than 1
}
