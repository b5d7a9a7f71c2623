package persona_test

import (
	"fmt"

	"github.com/parcours-go/parcours/persona"
	"github.com/parcours-go/parcours/touchpoint"
)

func ExampleRules_Assign() {
	rules := persona.Rules{
		{Persona: "key-account", When: []persona.Condition{
			{Property: "segment", Values: []string{"b2b"}},
			{Property: "employees", Op: persona.GreaterEq, Values: []string{"250"}},
		}},
		{Persona: "small-business", When: []persona.Condition{{Property: "segment", Values: []string{"b2b"}}}},
		{Persona: "consumer"}, // no condition: catches everyone else
	}
	for _, props := range []map[string]string{
		{"segment": "B2B", "employees": "1200"},
		{"segment": "b2b", "employees": "12"},
		{"segment": "b2c"},
	} {
		p, _ := rules.Assign(props)
		fmt.Println(p)
	}
	// Output:
	// key-account
	// small-business
	// consumer
}

func ExamplePersona() {
	p := persona.Persona{
		ID: "julie", Segment: persona.B2C, Share: 0.4,
		Channels: map[touchpoint.Channel]float64{touchpoint.App: 3, touchpoint.Phone: 0.2},
		Empathy: []persona.Empathy{
			{Step: "return", Feels: []string{"annoyed"}, Pains: []string{"return procedure unclear"}, Emotion: -2},
		},
	}
	e, _ := p.At("return")
	fmt.Println("valid:", p.Validate() == nil)
	fmt.Println("app odds ×", p.ChannelWeight(touchpoint.App), "web odds ×", p.ChannelWeight(touchpoint.Web))
	fmt.Println("at return:", e.Pains[0], "- mermaid score", e.Emotion.Score5())
	// Output:
	// valid: true
	// app odds × 3 web odds × 1
	// at return: return procedure unclear - mermaid score 1
}
