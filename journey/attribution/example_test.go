package attribution_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// From a log of events to the credit of each channel, as the package
// documentation shows it: ann and bob buy, cat and dan do not. Three
// customers in four start on social, two thirds of those go on to web,
// where two thirds buy: P = 1/2; without social only bob's 1/4 · 2/3 is
// left, a removal effect of 2/3, and without web nothing: the two
// purchases split 2/3 : 1, and their 80 of value likewise.
func Example() {
	t0 := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	l, err := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: at(0), Step: "ad-view", Channel: "social"},
		{Customer: "ann", Time: at(5), Step: "visit", Channel: "web"},
		{Customer: "ann", Time: at(6), Step: "checkout", Channel: "web", Value: 50},
		{Customer: "bob", Time: at(1), Step: "visit", Channel: "web"},
		{Customer: "bob", Time: at(2), Step: "checkout", Channel: "web", Value: 30},
		{Customer: "cat", Time: at(3), Step: "ad-view", Channel: "social"},
		{Customer: "cat", Time: at(4), Step: "visit", Channel: "web"},
		{Customer: "dan", Time: at(4), Step: "ad-view", Channel: "social"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, err := attribution.FromLog(l, attribution.FromLogOptions{
		By:        journey.ByChannel,
		GoalSteps: []string{"checkout"}, // the goal: a purchase
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := attribution.Markov(rows, attribution.MarkovOptions{Order: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range res.Touches() {
		fmt.Printf("%s: %.1f purchases worth %.0f, removal effect %.2f\n",
			ch, res[ch].Conversions, res[ch].Value, res[ch].RemovalEffect)
	}
	// Output:
	// social: 0.8 purchases worth 32, removal effect 0.67
	// web: 1.2 purchases worth 48, removal effect 1.00
}

// Every model side by side on a small route table, for conversions and
// for value.
func Example_everyModel() {
	const table = `path,total_conversions,total_null,total_conversion_value
A > B,3,1,30
A > A > C,1,1,20
B,1,3,5
C > B,1,1,15
`
	js, err := attribution.ReadTable(strings.NewReader(table), attribution.TableOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	models := []struct {
		name  string
		model attribution.Model
	}{
		{"first", attribution.FirstTouch},
		{"last", attribution.LastTouch},
		{"linear", attribution.Linear},
		{"40/20/40", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.PositionBased(js, 0.4, 0.4)
		}},
		{"shapley", func(js []attribution.Row) (attribution.Result, error) {
			return attribution.Shapley(js, attribution.ShapleyOptions{})
		}},
	}
	results := make([]attribution.Result, len(models))
	fmt.Printf("%-6s", "touch")
	for i, m := range models {
		if results[i], err = m.model(js); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%17s", m.name)
	}
	fmt.Println()
	for _, touch := range []string{"A", "B", "C"} {
		fmt.Printf("%-6s", touch)
		for _, r := range results {
			fmt.Printf("%8.2f %8.2f", r[touch].Conversions, r[touch].Value)
		}
		fmt.Println()
	}
	// Output:
	// touch             first             last           linear         40/20/40          shapley
	// A         4.00    50.00    0.00     0.00    2.17    28.33    2.10    27.00    2.00    25.00
	// B         1.00     5.00    5.00    50.00    3.00    27.50    3.00    27.50    3.00    27.50
	// C         1.00    15.00    1.00    20.00    0.83    14.17    0.90    15.50    1.00    17.50
}

// Which channels drive Connection: the goal is a newsletter sign-up, not a
// purchase. The sign-up is not a touch; what comes after it is ignored.
func ExampleFromLog() {
	t0 := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	l, err := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: at(0), Step: "ad-view", Channel: "social"},
		{Customer: "ann", Time: at(5), Step: "visit", Channel: "web"},
		{Customer: "ann", Time: at(6), Step: "newsletter-signup", Channel: "web"},
		{Customer: "ann", Time: at(9), Step: "open-email", Channel: "email"},
		{Customer: "bob", Time: at(1), Step: "visit", Channel: "web"},
		{Customer: "bob", Time: at(2), Step: "newsletter-signup", Channel: "web"},
		{Customer: "cat", Time: at(3), Step: "ad-view", Channel: "social"},
		{Customer: "cat", Time: at(4), Step: "visit", Channel: "web"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	js, err := attribution.FromLog(l, attribution.FromLogOptions{
		By:        journey.ByChannel,
		GoalSteps: []string{"newsletter-signup"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := attribution.WriteTable(os.Stdout, js, attribution.TableOptions{}); err != nil {
		fmt.Println(err)
	}
	r, _ := attribution.Shapley(js, attribution.ShapleyOptions{})
	fmt.Printf("shapley: social %.1f, web %.1f\n", r["social"].Conversions, r["web"].Conversions)
	// Output:
	// path,total_conversions,total_null,total_conversion_value
	// social > web,1,1,0
	// web,1,0,0
	// shapley: social 0.5, web 1.5
}

// Bootstrap intervals for the Shapley values of the same table, seeded.
func ExampleBootstrap() {
	js := []attribution.Row{
		{Touches: []string{"A", "B"}, Conversions: 30, Nulls: 10, Value: 300},
		{Touches: []string{"A", "A", "C"}, Conversions: 10, Nulls: 10, Value: 200},
		{Touches: []string{"B"}, Conversions: 10, Nulls: 30, Value: 50},
		{Touches: []string{"C", "B"}, Conversions: 10, Nulls: 10, Value: 150},
	}
	shapley := func(js []attribution.Row) (attribution.Result, error) {
		return attribution.Shapley(js, attribution.ShapleyOptions{})
	}
	iv, err := attribution.Bootstrap(js, shapley, attribution.BootstrapOptions{Replications: 2000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, touch := range []string{"A", "B", "C"} {
		c := iv[touch].Conversions
		fmt.Printf("%s: %.1f [%.1f, %.1f]\n", touch, c.Mean, c.Lo, c.Hi)
	}
	// Output:
	// A: 20.0 [15.0, 25.0]
	// B: 30.1 [23.5, 37.5]
	// C: 9.9 [6.0, 14.0]
}

// The ordered Shapley value of Zhao et al.: credit per position.
func ExampleShapley_ordered() {
	js := []attribution.Row{
		{Touches: []string{"A"}, Conversions: 2},
		{Touches: []string{"A", "B"}, Conversions: 1},
		{Touches: []string{"B", "A"}, Conversions: 1},
		{Touches: []string{"B", "C"}, Conversions: 1},
		{Touches: []string{"A", "B", "C"}, Conversions: 1},
		{Touches: []string{"C"}, Conversions: 1},
	}
	r, err := attribution.Shapley(js, attribution.ShapleyOptions{Ordered: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, key := range r.Touches() {
		touch, pos, _ := attribution.SplitPositionKey(key)
		fmt.Printf("%s at %d: %.3f\n", touch, pos, r[key].Conversions)
	}
	// Output:
	// A at 1: 2.833
	// A at 2: 0.500
	// B at 1: 1.000
	// B at 2: 0.833
	// C at 1: 1.000
	// C at 2: 0.500
	// C at 3: 0.333
}

// Time decay reads the log, for the touches' times: ann's email came a
// half-life (seven days) before her purchase, her web visit just before
// it, so the web visit earns twice the email's share, 2/3 against 1/3.
func ExampleTimeDecay() {
	day := func(d int) time.Time { return time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	l, err := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: day(0), Step: "open-email", Channel: "email"},
		{Customer: "ann", Time: day(7), Step: "visit", Channel: "web"},
		{Customer: "ann", Time: day(7), Step: "checkout", Channel: "web", Value: 90},
		{Customer: "bob", Time: day(0), Step: "visit", Channel: "web"},
		{Customer: "bob", Time: day(1), Step: "checkout", Channel: "web", Value: 30},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := attribution.TimeDecay(l, attribution.TimeDecayOptions{
		FromLogOptions: attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"checkout"}},
		// HalfLife 0: seven days, DefaultHalfLife
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range res.Touches() {
		fmt.Printf("%s: %.3f purchases worth %.0f\n", ch, res[ch].Conversions, res[ch].Value)
	}
	// Output:
	// email: 0.333 purchases worth 30
	// web: 1.667 purchases worth 90
}

// Route tables counted from logs of disjoint customers — on other
// goroutines, processes or machines — merge into the table of the whole.
func ExampleTable_Merge() {
	at := func(h int) time.Time {
		return time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
	}
	shard1, _ := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: at(0), Step: "ad-view", Channel: "social"},
		{Customer: "ann", Time: at(1), Step: "checkout", Channel: "web", Value: 50},
		{Customer: "bob", Time: at(0), Step: "visit", Channel: "web"},
	})
	shard2, _ := journey.NewLog([]journey.Event{
		{Customer: "cat", Time: at(0), Step: "ad-view", Channel: "social"},
		{Customer: "cat", Time: at(2), Step: "checkout", Channel: "web", Value: 20},
	})
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"checkout"}}
	var whole attribution.Table
	for _, l := range []*journey.Log{shard1, shard2} {
		t, err := attribution.CountLog(l, from)
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := whole.Merge(t); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := attribution.WriteTable(os.Stdout, whole.Rows(), attribution.TableOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// path,total_conversions,total_null,total_conversion_value
	// social,2,0,70
	// web,0,1,0
}
