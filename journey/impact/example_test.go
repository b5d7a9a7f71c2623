package impact_test

import (
	"fmt"
	"os"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

// The shoe buyer's journey of seed 003: sixteen steps in five stages, 34
// touchpoints, nine departments. Conversion weighs twice as much as each
// other C.
func ExampleScore_shoeshop() {
	f, err := os.Open("../../examples/shoeshop/shoeshop.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	m, err := journey.ReadMap(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := impact.Score(m, impact.Options{
		Priorities: objectives.Mix{Conversion: 2, Connection: 1, Consideration: 1, Knowledge: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("department     score  conversion: dependence recoverable")
	for _, d := range rep.Departments {
		c, _ := d.Objective(objectives.Conversion)
		fmt.Printf("%d. %-13s %.3f  %21.1f%% %8.4f\n", d.Rank, d.ID, d.Score, 100*c.Dependence, c.Recoverable)
	}
	fmt.Println()
	for _, s := range rep.Explain("eshop") {
		fmt.Println(s)
	}
	// Output:
	// department     score  conversion: dependence recoverable
	// 1. eshop         0.465                   93.4%   0.2156
	// 2. editorial     0.249                   45.3%   0.1120
	// 3. marketing     0.234                   86.2%   0.0955
	// 4. product       0.025                    0.0%   0.0000
	// 5. logistics     0.022                    0.0%   0.0000
	// 6. customer-care 0.005                    0.0%   0.0000
	// 7. payment       0.000                   25.0%   0.0000
	// 8. accounting    0.000                    0.0%   0.0000
	// 9. legal         0.000                    0.0%   0.0000
	//
	// eshop (E-shop management), a stage-focused department, ranks 1st of 9 with a score of 0.465, its share of the company's priority-weighted recoverable goal probability: 51.0% of the conversion recoverable (weight 40.0%), 51.0% of the connection recoverable (weight 20.0%), 31.2% of the consideration designed mix (weight 20.0%), 48.3% of the knowledge recoverable (weight 20.0%).
	// Conversion (22.8% of the customers achieve it, at checkout, uses-coupon): without eshop's touchpoints 93.4% of it would be lost; its recoverable goal probability is 0.2156 (51.0% of all that is recoverable for conversion): keeping 10% of the customers who leave at its steps would raise the share who achieve it by about 2.16 points; its leverage is 0.4185: one point less of drop-off at its steps would raise that share by about 0.42 points.
	// Connection (22.8% of the customers achieve it, at checkout, gets-review-newsletter): without eshop's touchpoints 93.4% of it would be lost; its recoverable goal probability is 0.2156 (51.0% of all that is recoverable for connection): keeping 10% of the customers who leave at its steps would raise the share who achieve it by about 2.16 points; its leverage is 0.4185: one point less of drop-off at its steps would raise that share by about 0.42 points.
	// Consideration (100.0% of the customers achieve it, at browses-eshop, clicks-ad, rates, wants-shoes): without eshop's touchpoints 15.0% of it would be lost; no customer is lost before this goal where another route was open, so the designed mix stands in for the ranking: 31.2% of it is eshop's.
	// Knowledge (76.4% of the customers achieve it, at checkout, clicks-ad, rates): without eshop's touchpoints 19.6% of it would be lost; its recoverable goal probability is 0.0998 (48.3% of all that is recoverable for knowledge): keeping 10% of the customers who leave at its steps would raise the share who achieve it by about 1.00 points; its leverage is 0.2539: one point less of drop-off at its steps would raise that share by about 0.25 points.
	// Its action matters most at browses-eshop (consideration): 0.86 visits per customer, 66.7% of the contacts there are its own; before conversion, 55.0% of the visits leave the journey there and 74.5% of those who go on achieve it (88.8% of its score).
	// Then at wants-shoes (awareness): 0.60 visits per customer, 25.0% of the contacts there are its own; before conversion, 20.0% of the visits leave the journey there and 27.9% of those who go on achieve it (10.6% of its score).
	// Then at rates (loyalty): 0.08 visits per customer, 100.0% of the contacts there are its own (0.6% of its score).
	// By stage, its score lies at consideration 88.8%, awareness 10.6%, loyalty 0.6%.
	// At consideration, 33.5% of the customers who enter the stage reach a later one.
	// Its friction points at consideration: browses-eshop, where 47.0 customers in 100 leave (55.0% of its visits).
	// At consideration it depends most on product-page (editorial's): without it there, 35.8% of conversion is lost.
	// At acquisition, 87.9% of the customers who enter the stage reach a later one.
	// At acquisition it depends most on payment-provider (payment's): without it there, 25.0% of conversion is lost.
}

// A journey where emailing owns the contacts of the loyalty stage: loyal
// customers come back through the offers the CRM team emails them, and
// rarely through the site. Emailing also sends a newsletter to those who
// sign up while they consider.
func ExampleScore_emailing() {
	tp := func(id string, ch touchpoint.Channel, owner string, mix objectives.Mix) touchpoint.Touchpoint {
		return touchpoint.Touchpoint{ID: id, Channel: ch, Owner: owner, Objectives: mix}
	}
	m := &journey.Map{
		Name:   "emailing",
		Stages: []journey.Stage{{ID: "awareness"}, {ID: "consideration"}, {ID: "purchase"}, {ID: "loyalty"}},
		Steps: []journey.Step{
			{ID: "sees-post", Stage: "awareness", Touchpoints: []string{"post"}},
			{ID: "visits-site", Stage: "awareness", Touchpoints: []string{"home"}},
			{ID: "browses", Stage: "consideration", Touchpoints: []string{"product-page"}},
			{ID: "signs-up", Stage: "consideration", Touchpoints: []string{"signup-form"}, Goals: []objectives.Objective{objectives.Connection}},
			{ID: "reads-newsletter", Stage: "consideration", Touchpoints: []string{"newsletter"}},
			{ID: "buys", Stage: "purchase", Touchpoints: []string{"cart"}, Goals: []objectives.Objective{objectives.Conversion}},
			{ID: "gets-offer", Stage: "loyalty", Touchpoints: []string{"offer-email"}},
			{ID: "clicks-offer", Stage: "loyalty", Touchpoints: []string{"offer-link"}},
		},
		Transitions: []graph.Transition{
			{From: graph.Start, To: "sees-post", Probability: 0.35},
			{From: graph.Start, To: "visits-site", Probability: 0.35},
			{From: graph.Start, To: "gets-offer", Probability: 0.3}, // returning customers
			{From: "sees-post", To: "visits-site", Probability: 0.3},
			{From: "visits-site", To: "browses", Probability: 0.6},
			{From: "browses", To: "buys", Probability: 0.2},
			{From: "browses", To: "signs-up", Probability: 0.15},
			{From: "signs-up", To: "reads-newsletter", Probability: 0.6},
			{From: "signs-up", To: "browses", Probability: 0.3},
			{From: "reads-newsletter", To: "browses", Probability: 0.3},
			{From: "buys", To: "gets-offer", Probability: 0.5},
			{From: "gets-offer", To: "clicks-offer", Probability: 0.25},
			{From: "clicks-offer", To: "buys", Probability: 0.6},
			{From: "clicks-offer", To: "browses", Probability: 0.2},
		},
		Catalog: touchpoint.Catalog{
			Departments: []touchpoint.Department{
				{ID: "crm", Name: "Emailing", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Email}},
				{ID: "web", Name: "Website", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web}},
				{ID: "social", Name: "Social media", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Social}},
				{ID: "eshop", Name: "E-shop", Focus: touchpoint.StageFocus, Stages: []string{"purchase"}},
			},
			Touchpoints: []touchpoint.Touchpoint{
				tp("post", touchpoint.Social, "social", objectives.MixOf(objectives.Consideration)),
				tp("home", touchpoint.Web, "web", objectives.MixOf(objectives.Consideration)),
				tp("product-page", touchpoint.Web, "web", objectives.Mix{Consideration: 2, Conversion: 1}),
				tp("signup-form", touchpoint.Web, "web", objectives.MixOf(objectives.Connection)),
				tp("newsletter", touchpoint.Email, "crm", objectives.Mix{Consideration: 1, Connection: 1}),
				tp("cart", touchpoint.Web, "eshop", objectives.MixOf(objectives.Conversion)),
				tp("offer-email", touchpoint.Email, "crm", objectives.MixOf(objectives.Conversion)),
				tp("offer-link", touchpoint.Email, "crm", objectives.MixOf(objectives.Conversion)),
			},
		},
	}
	rep, err := impact.Score(m, impact.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	crm, _ := rep.Department("crm")
	fmt.Printf("crm ranks %d of %d\n", crm.Rank, len(rep.Departments))
	for _, st := range crm.Stages {
		fmt.Printf("%-13s score %.3f  conversion leverage %.4f, recoverable %.4f  email's share of the contacts %.0f%%\n",
			st.Stage, st.Score, st.Leverage[0].Value, st.Recoverable[0].Value, 100**st.Channel)
	}
	for _, s := range rep.Explain("crm") {
		fmt.Println(s)
	}
	// Output:
	// crm ranks 2 of 4
	// loyalty       score 0.440  conversion leverage 0.2532, recoverable 0.1568  email's share of the contacts 100%
	// consideration score 0.012  conversion leverage 0.0060, recoverable 0.0042  email's share of the contacts 7%
	// awareness     score 0.000  conversion leverage 0.0000, recoverable 0.0000  email's share of the contacts 0%
	// purchase      score 0.000  conversion leverage 0.0000, recoverable 0.0000  email's share of the contacts 0%
	// crm (Emailing), a channel-focused department, ranks 2nd of 4 with a score of 0.451, its share of the company's priority-weighted recoverable goal probability: 45.1% of the conversion recoverable (weight 100.0%).
	// Conversion (10.7% of the customers achieve it, at buys): without crm's touchpoints 46.6% of it would be lost; its recoverable goal probability is 0.1610 (45.1% of all that is recoverable for conversion): keeping 10% of the customers who leave at its steps would raise the share who achieve it by about 1.61 points; its leverage is 0.2592: one point less of drop-off at its steps would raise that share by about 0.26 points.
	// Connection (4.4% of the customers achieve it, at signs-up): without crm's touchpoints 6.1% of it would be lost; its recoverable goal probability is 0.0094 (6.7% of all that is recoverable for connection): keeping 10% of the customers who leave at its steps would raise the share who achieve it by about 0.09 points; its leverage is 0.0152: one point less of drop-off at its steps would raise that share by about 0.02 points.
	// Its action matters most at gets-offer (loyalty): 0.36 visits per customer, 100.0% of the contacts there are its own; before conversion, 75.0% of the visits leave the journey there and 64.3% of those who go on achieve it (89.9% of its score).
	// Then at clicks-offer (loyalty): 0.09 visits per customer, 100.0% of the contacts there are its own; before conversion, 20.0% of the visits leave the journey there and 80.4% of those who go on achieve it (7.5% of its score).
	// Then at reads-newsletter (consideration): 0.03 visits per customer, 100.0% of the contacts there are its own; before conversion, 70.0% of the visits leave the journey there and 21.6% of those who go on achieve it (2.6% of its score).
	// By stage, its score lies at loyalty 97.4%, consideration 2.6%.
	// Its channels (email) carry the largest share of the contacts at loyalty (100.0%); at consideration 7.3%, awareness 0.0%, purchase 0.0%.
}

// A three-step journey: the recoverable of a step is the goal probability
// gained per unit share of the walks lost there that are kept; its
// leverage, the gain per unit of exit probability removed.
func ExampleNewChain() {
	var b graph.Builder
	b.Add(graph.Start, "visit", 1)
	b.Add("visit", "cart", 0.5)
	b.Add("visit", graph.Exit, 0.5)
	b.Add("cart", "pay", 0.6)
	b.Add("cart", "visit", 0.2)
	b.Add("cart", graph.Exit, 0.2)
	g, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := impact.NewChain(g, "pay")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("reach %.4f\n", c.Reach())
	for _, f := range c.States() {
		if f.State == graph.Start {
			continue
		}
		fmt.Printf("%-5s visits %.4f  exit %.2f  goal %.4f  recoverable %.4f  leverage %.4f\n",
			f.State, f.Visits, f.Exit, f.Goal, f.Recoverable, f.Leverage)
	}
	without := c.RemovalEffect(func(j int) float64 {
		if g.State(j) == "cart" {
			return 0.5 // half the customers at cart would have used a removed touchpoint
		}
		return 0
	})
	fmt.Printf("without half of cart's contacts, %.1f%% of the goal is lost\n", 100*without)
	// Output:
	// reach 0.3333
	// cart  visits 0.5556  exit 0.20  goal 0.8333  recoverable 0.0926  leverage 0.4630
	// visit visits 1.1111  exit 0.50  goal 0.6667  recoverable 0.3704  leverage 0.7407
	// without half of cart's contacts, 52.6% of the goal is lost
}
