package attribution_test

import (
	"fmt"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/attribution"
)

// The Markov model of order 1 on the research notes' worked table: removal
// effects, and the conversions and value they share out, computed exactly.
func ExampleMarkov() {
	js := []attribution.Row{
		{Touches: []string{"A", "B"}, Conversions: 3, Nulls: 1, Value: 30},
		{Touches: []string{"A", "A", "C"}, Conversions: 1, Nulls: 1, Value: 20},
		{Touches: []string{"B"}, Conversions: 1, Nulls: 3, Value: 5},
		{Touches: []string{"C", "B"}, Conversions: 1, Nulls: 1, Value: 15},
	}
	r, err := attribution.Markov(js, attribution.MarkovOptions{Order: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, touch := range r.Touches() {
		c := r[touch]
		fmt.Printf("%s: removal effect %.4f, %.2f conversions worth %.2f\n", touch, c.RemovalEffect, c.Conversions, c.Value)
	}
	// Output:
	// A: removal effect 0.5000, 1.80 conversions worth 21.30
	// B: removal effect 0.8333, 3.00 conversions worth 30.43
	// C: removal effect 0.3333, 1.20 conversions worth 18.26
}

// Removal effects of sequences of touches, and of a set of them, at order 2.
func ExampleMarkovChain_RemovalEffect() {
	js := []attribution.Row{
		{Touches: []string{"A", "B"}, Conversions: 3, Nulls: 1, Value: 30},
		{Touches: []string{"A", "A", "C"}, Conversions: 1, Nulls: 1, Value: 20},
		{Touches: []string{"B"}, Conversions: 1, Nulls: 3, Value: 5},
		{Touches: []string{"C", "B"}, Conversions: 1, Nulls: 1, Value: 15},
	}
	m, err := attribution.NewMarkovChain(js, attribution.MarkovOptions{Order: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("states:", m.States())
	for _, seqs := range [][][]string{{{"A", "B"}}, {{"A", "A"}}, {{"A", "B"}, {"C"}}} {
		rm, err := m.RemovalEffect(seqs...)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("removing %q: %d states, conversions %.4f, value %.4f\n", seqs, rm.States, rm.Conversions, rm.Value)
	}
	// Output:
	// states: [A > A A > B A > C B C > B]
	// removing [["A" "B"]]: 1 states, conversions 0.5000, value 0.4286
	// removing [["A" "A"]]: 1 states, conversions 0.1667, value 0.2857
	// removing [["A" "B"] ["C"]]: 3 states, conversions 0.8333, value 0.9286
}

// Which channels drive Connection: the goal is a newsletter sign-up, and
// the Markov chain is learned from the counted table, without building its
// rows, as for a large log or tables counted on shards and merged. Three
// walks in four start on social, two thirds of those go on to web, where
// two thirds sign up: P = 1/2, and without social only bob's 1/4 · 2/3
// is left, a removal effect of 2/3.
func ExampleTable_MarkovChain() {
	t0 := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	l, err := journey.NewLog([]journey.Event{
		{Customer: "ann", Time: at(0), Step: "ad-view", Channel: "social"},
		{Customer: "ann", Time: at(5), Step: "visit", Channel: "web"},
		{Customer: "ann", Time: at(6), Step: "newsletter-signup", Channel: "web"},
		{Customer: "bob", Time: at(1), Step: "visit", Channel: "web"},
		{Customer: "bob", Time: at(2), Step: "newsletter-signup", Channel: "web"},
		{Customer: "cat", Time: at(3), Step: "ad-view", Channel: "social"},
		{Customer: "cat", Time: at(4), Step: "visit", Channel: "web"},
		{Customer: "dan", Time: at(4), Step: "ad-view", Channel: "social"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	from := attribution.FromLogOptions{By: journey.ByChannel, GoalSteps: []string{"newsletter-signup"}}
	t, err := attribution.CountLog(l, from)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := t.MarkovChain(attribution.MarkovOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := m.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range r.Touches() {
		fmt.Printf("%s: removal effect %.2f, %.2f sign-ups\n", ch, r[ch].RemovalEffect, r[ch].Conversions)
	}
	// Output:
	// social: removal effect 0.67, 0.80 sign-ups
	// web: removal effect 1.00, 1.20 sign-ups
}

// Choosing the order on customers held out: the conversions of this table
// depend on the last two touches, which order 1 cannot see.
func ExampleChooseOrder() {
	js := []attribution.Row{
		{Touches: []string{"a", "b"}, Conversions: 450, Nulls: 50},
		{Touches: []string{"b", "a", "b"}, Conversions: 450, Nulls: 50},
		{Touches: []string{"b", "b"}, Conversions: 50, Nulls: 450},
		{Touches: []string{"a", "b", "b"}, Conversions: 50, Nulls: 450},
		{Touches: []string{"a"}, Conversions: 100, Nulls: 100},
	}
	choice, err := attribution.ChooseOrder(js, attribution.ChooseOrderOptions{MaxOrder: 3, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range choice.Orders {
		fmt.Printf("order %d: evaluated %v, AUC %.3f, penalised %.3f\n", o.Order, o.Evaluated, o.AUC, o.PenalisedAUC)
	}
	fmt.Println("recommended:", choice.Recommended, "at the limit:", choice.AtLimit)
	// Output:
	// order 1: evaluated true, AUC 0.487, penalised 0.486
	// order 2: evaluated true, AUC 0.899, penalised 0.898
	// order 3: evaluated true, AUC 0.895, penalised 0.894
	// recommended: 2 at the limit: false
}
