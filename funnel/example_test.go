package funnel_test

import (
	"fmt"

	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
)

func ExampleJourneyMap() {
	m := funnel.JourneyMap().Map("shoes")
	m.Steps = []journey.Step{
		{ID: "sees-ad", Stage: "awareness"},
		{ID: "checkout", Stage: "acquisition"},
	}
	m.Transitions = []journey.Transition{{From: journey.Start, To: "sees-ad"}, {From: "sees-ad", To: "checkout", Probability: 0.1}}
	fmt.Println(funnel.JourneyMap().StageIDs())
	fmt.Println("valid:", m.Validate() == nil)
	// Output:
	// [awareness consideration acquisition service loyalty]
	// valid: true
}
