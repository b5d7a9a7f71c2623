package objectives_test

import (
	"fmt"

	"github.com/parcours-go/parcours/objectives"
)

func ExampleParse() {
	for _, name := range []string{"Connexion", "considération", "KNOWLEDGE"} {
		o, err := objectives.Parse(name)
		fmt.Println(o, err)
	}
	// Output:
	// connection <nil>
	// consideration <nil>
	// knowledge <nil>
}

func ExampleMix() {
	// A newsletter mostly keeps the customer reachable, and tells us what they click.
	newsletter := objectives.Mix{Connection: 3, Consideration: 2, Knowledge: 1}
	main, _ := newsletter.Dominant()
	n := newsletter.Normalize()
	fmt.Printf("mainly %v; %.2f of it is knowledge\n", main, n.Knowledge)
	// Output: mainly connection; 0.17 of it is knowledge
}

func ExampleScorecard() {
	signups := objectives.KPI{Name: "newsletter sign-ups", Objective: objectives.Connection, Target: 1000}
	wait := objectives.KPI{Name: "hotline wait", Objective: objectives.Conversion, Unit: "s", Target: 60, Better: objectives.LowerIsBetter}
	sales := objectives.KPI{Name: "online orders", Objective: objectives.Conversion, Target: 500}

	var s objectives.Scorecard
	s.Add("crm", signups, 800)
	s.Add("care", wait, 90)
	s.Add("eshop", sales, 520)

	for _, o := range objectives.All {
		if r, ok := s.ByObjective()[o]; ok {
			fmt.Printf("%-11s %d KPIs, %d met, attainment %.2f\n", o, r.KPIs, r.Met, r.Attainment)
		}
	}
	// Output:
	// conversion  2 KPIs, 1 met, attainment 0.83
	// connection  1 KPIs, 0 met, attainment 0.80
}
